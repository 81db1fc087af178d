/*
 * store_write.c - the rows an import writes, and the merge at its end.
 *
 * Called only inside the import's write transaction (import.c); knows
 * the schema, not the formats.
 */
#include "store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "err.h"
#include "limits.h"
#include "utf8.h"

#define BIND(expr)                                                             \
	do {                                                                   \
		if ((expr) != SQLITE_OK)                                       \
			return tg_store__fail(st, err, "cannot store");        \
	} while (0)

static int insert(int64_t *out, tg_store *st, sqlite3_stmt *s,
		  const char *what, tg_err *err)
{
	if (tg_store__exec(st, s, what, err))
		return TG_EDB;
	if (out)
		*out = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int tg_store__run_insert(int64_t *out, tg_store *st, const char *now,
			 tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_RUN_INSERT, err);

	if (!s)
		return TG_EDB;
	BIND(tg_store__bind_str(s, 1, now));
	return insert(out, st, s, "cannot store the run", err);
}

int tg_store__meta_insert(tg_store *st, int64_t run, const char *key,
			  const char *value, bool from_ci, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_META_INSERT, err);

	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, run));
	BIND(tg_store__bind_text(s, 2, key, strlen(key), false));
	BIND(tg_store__bind_text(s, 3, value, strlen(value), false));
	BIND(tg_store__bind_str(s, 4, from_ci ? "ci" : "user"));
	return insert(NULL, st, s, "cannot store run metadata", err);
}

int tg_store__source_insert(int64_t *out, tg_store *st, int64_t run,
			    const char *path, const char *format, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_SOURCE_INSERT, err);

	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, run));
	BIND(tg_store__bind_text(s, 2, path, strlen(path), false));
	BIND(tg_store__bind_str(s, 3, format));
	return insert(out, st, s, "cannot store an input", err);
}

int tg_store__source_finish(tg_store *st, int64_t source, uint64_t bytes,
			    const char *digest, uint64_t results,
			    bool truncated, uint64_t truncated_at,
			    int64_t stopped_at, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_SOURCE_FINISH, err);

	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, source));
	BIND(sqlite3_bind_int64(s, 2, (int64_t)bytes));
	BIND(tg_store__bind_str(s, 3, digest));
	BIND(sqlite3_bind_int64(s, 4, (int64_t)results));
	BIND(tg_store__bind_opt_int(s, 5, truncated, (int64_t)truncated_at));
	BIND(tg_store__bind_opt_int(s, 6, stopped_at >= 0, stopped_at));
	return insert(NULL, st, s, "cannot store an input", err);
}

int tg_store__diag_insert(tg_store *st, int64_t run, int64_t source,
			  uint64_t line, uint64_t col, uint64_t offset,
			  const char *msg, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_DIAG_INSERT, err);

	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, run));
	BIND(tg_store__bind_opt_int(s, 2, source > 0, source));
	BIND(tg_store__bind_opt_int(s, 3, line > 0, (int64_t)line));
	BIND(tg_store__bind_opt_int(s, 4, col > 0, (int64_t)col));
	BIND(tg_store__bind_opt_int(s, 5, offset != UINT64_MAX,
				    (int64_t)offset));
	/* messages are formatted into fixed buffers: never store half of
	 * a character where one was cut */
	BIND(tg_store__bind_text(s, 6, msg, tg_utf8_floor(msg, strlen(msg)),
				 false));
	return insert(NULL, st, s, "cannot store a warning", err);
}

int tg_store__suite_insert(int64_t *out, tg_store *st, int64_t run,
			   int64_t source, int64_t parent, const tg_suite *su,
			   tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_SUITE_INSERT, err);

	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, run));
	BIND(sqlite3_bind_int64(s, 2, source));
	BIND(tg_store__bind_opt_int(s, 3, parent > 0, parent));
	BIND(tg_store__bind_text(s, 4, su->name, strlen(su->name), false));
	BIND(tg_store__bind_str(s, 5, su->timestamp));
	BIND(tg_store__bind_str(s, 6, su->hostname));
	BIND(tg_store__bind_str(s, 7, su->file));
	BIND(tg_store__bind_opt_double(s, 8, su->has_duration, su->duration));
	BIND(tg_store__bind_opt_int(s, 9, su->report_line > 0,
				    (int64_t)su->report_line));
	return insert(out, st, s, "cannot store a suite", err);
}

int tg_store__suite_output(tg_store *st, int64_t suite, bool is_err,
			   const char *text, size_t len, uint64_t total,
			   tg_err *err)
{
	sqlite3_stmt *s =
		tg_store__stmt(st, is_err ? S_SUITE_STDERR : S_SUITE_STDOUT, err);

	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, suite));
	BIND(tg_store__bind_text(s, 2, text, len, false));
	BIND(sqlite3_bind_int64(s, 3, (int64_t)total));
	return insert(NULL, st, s, "cannot store suite output", err);
}

int tg_store__property(tg_store *st, int64_t suite, int64_t result,
		       const tg_property *p, tg_err *err)
{
	sqlite3_stmt *s =
		tg_store__stmt(st, suite ? S_PROP_SUITE : S_PROP_RESULT, err);

	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, suite ? suite : result));
	BIND(tg_store__bind_text(s, 2, p->name, strlen(p->name), false));
	BIND(tg_store__bind_text(s, 3, p->value, strlen(p->value), false));
	return insert(NULL, st, s, "cannot store a property", err);
}

/* Bind a capture: NULL when nothing was seen, and its original size. */
static int bind_capture(sqlite3_stmt *s, int i, const tg_capture *c)
{
	int rc;

	if (!c || c->total == 0)
		return SQLITE_OK; /* both stay NULL (bindings were cleared) */
	rc = tg_store__bind_text(s, i, c->buf.ptr, c->buf.len, false);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, i + 1, (int64_t)c->total);
	return rc;
}

/* Look test_id up: *found, and its number in *out. */
static int name_find(int64_t *out, bool *found, tg_store *st,
		     const char *test_id, size_t len, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_NAME_FIND, err);
	int rc;

	if (!s)
		return TG_EDB;
	BIND(tg_store__bind_text(s, 1, test_id, len, false));
	rc = sqlite3_step(s);
	if ((*found = rc == SQLITE_ROW))
		*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return tg_store__fail(st, err, "cannot look up a test");
	return 0;
}

/* Insert test_id unless it is there: *inserted, and its number in *out. */
static int name_insert(int64_t *out, bool *inserted, tg_store *st,
		       const char *test_id, size_t len, const char *file,
		       tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_NAME_INSERT, err);

	if (!s)
		return TG_EDB;
	BIND(tg_store__bind_text(s, 1, test_id, len, false));
	BIND(tg_store__bind_str(s, 2, file));
	if (tg_store__exec(st, s, "cannot store a test id", err))
		return TG_EDB;
	if ((*inserted = sqlite3_changes(st->db) == 1))
		*out = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/*
 * A suite's first import inserts nearly every name and later ones find
 * nearly every name, so the statement tried first is the one that did
 * the work last time: a wrong guess costs one index search more, never
 * a wrong answer.
 */
int tg_store__test_intern(int64_t *out, bool *fresh, tg_store *st,
			  const char *test_id, size_t len, const char *file,
			  tg_err *err)
{
	bool inserted = false, found = false;

	if (st->name_new &&
	    name_insert(out, &inserted, st, test_id, len, file, err))
		return TG_EDB;
	if (!inserted && name_find(out, &found, st, test_id, len, err))
		return TG_EDB;
	if (!inserted && !found) {
		if (name_insert(out, &inserted, st, test_id, len, file, err))
			return TG_EDB;
		if (!inserted) /* neither there nor insertable */
			return tg_err_set(err, TG_EDB,
					  "cannot store a test id");
	}
	st->name_new = inserted;
	if (fresh)
		*fresh = inserted;
	return 0;
}

static bool has_text(const tg_capture *c)
{
	return c && c->total > 0;
}

/* The bulky text of a result, in its own narrow-keyed row, if any. */
static int insert_text(tg_store *st, int64_t result, const tg_result *r,
		       tg_err *err)
{
	sqlite3_stmt *s;

	if (!has_text(r->details) && !has_text(r->out) && !has_text(r->err))
		return 0;
	s = tg_store__stmt(st, S_TEXT_INSERT, err);
	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, result));
	BIND(bind_capture(s, 2, r->details));
	BIND(bind_capture(s, 4, r->out));
	BIND(bind_capture(s, 6, r->err));
	return insert(NULL, st, s, "cannot store test output", err);
}

/* ---- tests seen twice in a run ----------------------------------------- */

void tg_store__seen_release(tg_store *st)
{
	tg_free(st->seen.filter);
	tg_free(st->seen.twice);
	memset(&st->seen, 0, sizeof(st->seen));
}

/* Set the filter's three bits for test; true if all were set already. */
static bool filter_test_and_set(unsigned char *f, int64_t test)
{
	uint64_t x = (uint64_t)test + 0x9E3779B97F4A7C15u; /* splitmix64 */
	const uint64_t bits = TG_SEEN_FILTER_BYTES * 8u;
	bool all = true;
	int k;

	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9u;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBu;
	x ^= x >> 31;
	for (k = 0; k < 3; k++) {
		uint64_t bit = (x >> (k * 21)) % bits;
		unsigned char m = (unsigned char)(1u << (bit & 7));
		all = all && (f[bit >> 3] & m);
		f[bit >> 3] |= m;
	}
	return all;
}

/*
 * Note that test gets a result in run, before it is inserted.  If the
 * filter has (maybe) seen the test, the history index says for sure, and
 * a test seen again goes on the list merge_attempts() settles.
 */
static int note_test(tg_store *st, int64_t run, int64_t test, bool fresh,
		     tg_err *err)
{
	tg_seen *sn = &st->seen;
	sqlite3_stmt *s;
	int rc;

	if (!sn->filter && !(sn->filter = tg_calloc(1, TG_SEEN_FILTER_BYTES)))
		return tg_err_nomem(err);
	/* a name new to the store has no result anywhere yet */
	if (!filter_test_and_set(sn->filter, test) || fresh)
		return 0;
	s = tg_store__stmt(st, S_SEEN_IN_RUN, err);
	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, test));
	BIND(sqlite3_bind_int64(s, 2, run));
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return tg_store__fail(st, err, "cannot look up a test");
	if (!tg_grow((void **)&sn->twice, &sn->twice_cap, sn->ntwice + 1,
		     sizeof(*sn->twice)))
		return tg_err_nomem(err);
	sn->twice[sn->ntwice++] = test;
	return 0;
}

int tg_store__result_insert(int64_t *out, int64_t *test_out, tg_store *st,
			    int64_t run, int64_t source, int64_t suite,
			    const char *test_id, size_t test_id_len,
			    const char *derived_file, const tg_result *r,
			    tg_err *err)
{
	const char *file = r->file && r->file[0] ? r->file : derived_file;
	sqlite3_stmt *s;
	int64_t test = 0;
	bool fresh = false;

	if (tg_store__test_intern(&test, &fresh, st, test_id, test_id_len, file,
				  err) ||
	    note_test(st, run, test, fresh, err))
		return err->code;
	*test_out = test;
	s = tg_store__stmt(st, S_RESULT_INSERT, err);
	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, run));
	BIND(sqlite3_bind_int64(s, 2, source));
	BIND(tg_store__bind_opt_int(s, 3, suite > 0, suite));
	BIND(sqlite3_bind_int64(s, 4, test));
	BIND(tg_store__bind_opt_int(s, 5, r->line > 0, (int64_t)r->line));
	BIND(tg_store__bind_str(s, 6, tg_outcome_str(r->outcome)));
	BIND(tg_store__bind_str(s, 7, r->status));
	BIND(sqlite3_bind_int(s, 8, r->rerun));
	BIND(tg_store__bind_opt_double(s, 9, r->has_duration, r->duration));
	BIND(tg_store__bind_str(s, 10, r->message));
	BIND(tg_store__bind_str(s, 11, r->type));
	BIND(tg_store__bind_opt_int(s, 12, r->report_line > 0,
				    (int64_t)r->report_line));
	if (insert(out, st, s, "cannot store a test result", err))
		return TG_EDB;
	return insert_text(st, *out, r, err);
}

int tg_store__results_not_run(bool *marked, tg_store *st, int64_t suite,
			      int64_t lo, int64_t hi, uint64_t n,
			      const char *status, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_RESULTS_NOT_RUN_COUNT, err);
	int64_t found;

	*marked = false;
	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, suite));
	BIND(sqlite3_bind_int64(s, 2, lo));
	BIND(sqlite3_bind_int64(s, 3, hi));
	if (tg_store__scalar(&found, st, s, "cannot look up test results",
			     err))
		return TG_EDB;
	/* the parser and the statement must see the same results: when
	 * they do not, guessing which did not run would be a lie */
	if (found < 0 || (uint64_t)found != n)
		return 0;
	if (!(s = tg_store__stmt(st, S_RESULTS_NOT_RUN, err)))
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, suite));
	BIND(sqlite3_bind_int64(s, 2, lo));
	BIND(sqlite3_bind_int64(s, 3, hi));
	BIND(tg_store__bind_str(s, 4, status));
	if (tg_store__exec(st, s, "cannot mark tests that did not run", err))
		return TG_EDB;
	*marked = true;
	return 0;
}

int tg_store__run_counts(tg_counts *out, tg_store *st, int64_t run,
			 bool *truncated, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_RUN_GET, err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, run));
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*truncated = sqlite3_column_int(s, 4) != 0;
		tg_store__counts(out, s, 5);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return tg_store__fail(st, err, "cannot read a run");
	return 0;
}

/* Count a run's tests by verdict, over its result range. */
static int count_tests(tg_counts *c, tg_store *st, int64_t first,
		       int64_t last, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_RUN_COUNTS, err);
	int rc;

	memset(c, 0, sizeof(*c));
	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, first));
	BIND(sqlite3_bind_int64(s, 2, last));
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		tg_store__counts(c, s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return tg_store__fail(st, err, "cannot count tests");
	return 0;
}

/*
 * The merge rule for a test seen more than once in a run.
 *
 * Within one input, results of a test are attempts, in the order they
 * were stored; a rerun result (Surefire's flakyFailure, a report-log's
 * rerun phase) is an attempt before the final ones.  The final attempt,
 * the last one that is not a rerun, decides when it passed: the test is
 * flaky if any other attempt failed, passed otherwise.  When it did not
 * pass, a pass before it does not excuse it: the worst final failure or
 * error decides (error over failure, the later one on a tie), then the
 * last pass (a skip after a pass), then the final skip; an input with
 * only reruns takes its worst one.
 *
 * Inputs of one format are separate runs of the test (shards, a matrix,
 * a rerun written to a file of its own): which came first is not known,
 * so a pass in one and a failure in another make it flaky, and otherwise
 * the worst verdict decides (error, failure, flaky, pass, skip); their
 * attempts add up when they disagree (group_attempts()).
 *
 * Across inputs of different formats (a JUnit XML and the console log of
 * the same invocation) results are views of the same attempts: the
 * deciding result comes from the format that saw the most attempts, then
 * the most precise one (precision()), and a duration comes from the most
 * precise format that has one.  Inputs whose outcomes differ are reported
 * as a disagreement.
 */
typedef struct attempt {
	int64_t id; /* 0: none */
	const char *outcome;
	bool has_duration;
	double duration;
} attempt;

typedef struct per_source {
	int64_t source, n;
	int precision;
	attempt final, worst_fail, last_pass, worst_rerun;
	bool any_failed;
	attempt best; /* settle(): the deciding attempt */
	const char *verdict;
	char path[128];
} per_source;

/* Verdicts in order of precedence among the inputs of one format: the
 * last one present decides (but see decide(): a pass and a failure make
 * flaky). */
enum { V_SKIPPED, V_PASSED, V_FLAKY, V_FAILED, V_ERROR, V_COUNT };

/* The inputs of one format: the first input with each verdict. */
typedef struct format_group {
	int64_t sum, most; /* attempts over its inputs, and in one */
	bool seen[V_COUNT];
	per_source first[V_COUNT];
} format_group;

#define TG_MERGE_FORMATS 4 /* precision() is 1 to 3 */

static int rank(const char *outcome)
{
	return strcmp(outcome, "error") == 0    ? 3
	       : strcmp(outcome, "failed") == 0 ? 2
	       : strcmp(outcome, "passed") == 0 ? 1
						: 0;
}

/* How exactly an input format records outcomes and durations. */
static int precision(const char *format)
{
	if (strcmp(format, "reportlog") == 0)
		return 3; /* per-phase durations at full precision */
	if (strcmp(format, "junit") == 0)
		return 2; /* one duration, usually in ms */
	return 1;         /* console: 10 ms durations, when listed at all */
}

static const char *static_outcome(const char *o)
{
	/* outcomes are the static strings of tg_outcome_str() */
	return strcmp(o, "passed") == 0   ? "passed"
	       : strcmp(o, "failed") == 0 ? "failed"
	       : strcmp(o, "error") == 0  ? "error"
					  : "skipped";
}

static bool is_failure(const char *outcome)
{
	return rank(outcome) >= 2;
}

/* Add a result row to its input's attempts (rows come in id order). */
static void attempt_add(per_source *p, sqlite3_stmt *s)
{
	const char *o = (const char *)sqlite3_column_text(s, 1);
	bool rerun = sqlite3_column_int(s, 2) != 0;
	attempt a;

	a.id = sqlite3_column_int64(s, 0);
	a.outcome = static_outcome(o ? o : "skipped");
	a.has_duration = sqlite3_column_type(s, 5) != SQLITE_NULL;
	a.duration = sqlite3_column_double(s, 5);
	p->n++;
	p->any_failed = p->any_failed || is_failure(a.outcome);
	/* a later attempt replaces an earlier one on a tie */
	if (rerun) {
		if (!p->worst_rerun.id ||
		    rank(a.outcome) >= rank(p->worst_rerun.outcome))
			p->worst_rerun = a;
		return;
	}
	p->final = a;
	if (strcmp(a.outcome, "passed") == 0)
		p->last_pass = a;
	else if (is_failure(a.outcome) &&
		 (!p->worst_fail.id ||
		  rank(a.outcome) >= rank(p->worst_fail.outcome)))
		p->worst_fail = a;
}

/* Choose an input's deciding attempt and its verdict, by the rule above. */
static void settle(per_source *p)
{
	const attempt *f = &p->final;

	if (f->id && strcmp(f->outcome, "passed") == 0) {
		p->best = *f;
		p->verdict = p->any_failed ? "flaky" : "passed";
		return;
	}
	p->best = p->worst_fail.id  ? p->worst_fail
		  : p->last_pass.id ? p->last_pass
		  : f->id	    ? *f
				    : p->worst_rerun;
	p->verdict = p->best.outcome;
}

static int verdict_index(const char *v)
{
	return strcmp(v, "error") == 0    ? V_ERROR
	       : strcmp(v, "failed") == 0 ? V_FAILED
	       : strcmp(v, "flaky") == 0  ? V_FLAKY
	       : strcmp(v, "passed") == 0 ? V_PASSED
					  : V_SKIPPED;
}

/* Settle a complete input and add it to its format's group. */
static void fold(format_group *groups, per_source *p)
{
	format_group *g = &groups[p->precision];
	int v;

	settle(p);
	v = verdict_index(p->verdict);
	g->sum += p->n;
	if (p->n > g->most)
		g->most = p->n;
	if (!g->seen[v]) {
		g->seen[v] = true;
		g->first[v] = *p;
	}
}

/*
 * A format's attempts: their sum when its inputs disagree on whether the
 * test passed, failed or was skipped, which makes them separate runs;
 * else the most in one.  TestNG writes the same results to two files
 * (TEST-TestSuite.xml, and junitreports/ with <error> where the first
 * says <failure>): that is no second attempt.
 */
static int64_t group_attempts(const format_group *g)
{
	bool skip = g->seen[V_SKIPPED];
	bool pass = g->seen[V_PASSED] || g->seen[V_FLAKY];
	bool fail = g->seen[V_FAILED] || g->seen[V_ERROR];

	return skip + pass + fail > 1 ? g->sum : g->most;
}

/* A format's deciding input and verdict; NULL when it has none. */
static const per_source *decide(const format_group *g, const char **verdict)
{
	int v, pass = -1;

	for (v = V_COUNT - 1; v >= 0 && !g->seen[v]; v--)
		;
	if (v < 0)
		return NULL;
	*verdict = g->first[v].verdict;
	if (g->seen[V_FLAKY] || g->seen[V_PASSED])
		pass = g->seen[V_PASSED] && (!g->seen[V_FLAKY] ||
					     g->first[V_PASSED].source <
						     g->first[V_FLAKY].source)
			       ? V_PASSED
			       : V_FLAKY;
	if (v >= V_FAILED && pass >= 0) {
		/* passed in one input, failed in another */
		*verdict = "flaky";
		return &g->first[pass];
	}
	return &g->first[v];
}

/* The first input of g, in import order, whose verdict is not best's. */
static const per_source *differs(const format_group *g,
				 const per_source *best)
{
	const per_source *d = NULL;
	int v;

	for (v = 0; v < V_COUNT; v++)
		if (g->seen[v] && strcmp(g->first[v].verdict, best->verdict) &&
		    (!d || g->first[v].source < d->source))
			d = &g->first[v];
	return d;
}

static int run_diag(tg_store *st, int64_t run, const char *msg,
		    tg_diag_fn diag, void *payload, tg_err *err)
{
	if (diag) {
		tg_diag d = {"", 0, 0, UINT64_MAX, msg};
		diag(&d, payload);
	}
	return tg_store__diag_insert(st, run, 0, 0, 0, UINT64_MAX, msg, err);
}

/* Where the merge's disagreements go: every one is stored with the run,
 * the first TG_MAX_TOLD_DISAGREEMENTS also to diag. */
typedef struct telling {
	tg_diag_fn diag;
	void *payload;
	uint64_t n;
} telling;

/* Say where two inputs disagree on a test's outcome. */
static int disagree(tg_store *st, int64_t run, int64_t test,
		    const per_source *a, const per_source *b, telling *tell,
		    tg_err *err)
{
	sqlite3_stmt *s;
	char msg[512];
	const char *id = "";
	int rc;

	s = tg_store__stmt(st, S_NAME_OF, err);
	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, test));
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		id = (const char *)sqlite3_column_text(s, 0);
	snprintf(msg, sizeof(msg),
		 "inputs disagree on '%s': %s in '%s', %s in '%s'", id,
		 a->verdict, a->path, b->verdict, b->path);
	sqlite3_reset(s);
	return run_diag(st, run, msg,
			++tell->n <= TG_MAX_TOLD_DISAGREEMENTS ? tell->diag
							       : NULL,
			tell->payload, err);
}

/* Settle one test's results in run: one deciding result, the others
 * without a verdict. */
static int merge_test(tg_store *st, int64_t run, int64_t test, telling *tell,
		      tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_ATTEMPTS, err);
	format_group groups[TG_MERGE_FORMATS];
	per_source cur;
	const per_source *best = NULL, *dur = NULL, *other = NULL;
	const per_source *dec[TG_MERGE_FORMATS]; /* each format's decider */
	const char *verdict = NULL, *ver[TG_MERGE_FORMATS];
	int64_t attempts = 0;
	int f, rc;

	memset(groups, 0, sizeof(groups));
	cur.source = 0;
	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, test));
	BIND(sqlite3_bind_int64(s, 2, run));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t source = sqlite3_column_int64(s, 3);
		/* an input's results are one range of ids: a new source
		 * means the last one is complete */
		if (source != cur.source) {
			const char *fmt = (const char *)sqlite3_column_text(s, 4);
			const char *path = (const char *)sqlite3_column_text(s, 6);
			if (cur.source)
				fold(groups, &cur);
			memset(&cur, 0, sizeof(cur));
			cur.source = source;
			cur.precision = precision(fmt ? fmt : "");
			snprintf(cur.path, sizeof(cur.path), "%s",
				 path ? path : "");
		}
		attempt_add(&cur, s);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return tg_store__fail(st, err, "cannot merge test attempts");
	if (!cur.source)
		return 0;
	fold(groups, &cur);
	/* the format that saw the most attempts decides (JUnit of
	 * pytest-rerunfailures holds only the last one, the console log
	 * its RERUN too), then the most precise */
	for (f = TG_MERGE_FORMATS - 1; f >= 0; f--) {
		const per_source *d = dec[f] = decide(&groups[f], &ver[f]);
		if (!d)
			continue;
		if (!best || group_attempts(&groups[f]) > attempts) {
			best = d;
			verdict = ver[f];
			attempts = group_attempts(&groups[f]);
			other = differs(&groups[f], d);
		}
		if (!dur && d->best.has_duration)
			dur = d;
	}
	/* ... and a format that says otherwise is a disagreement */
	for (f = TG_MERGE_FORMATS - 1; f >= 0 && !other; f--)
		if (dec[f] && strcmp(ver[f], verdict) != 0)
			other = dec[f];
	if (other && disagree(st, run, test, best, other, tell, err))
		return TG_EDB;
	s = tg_store__stmt(st, S_VERDICT_DROP, err);
	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, test));
	BIND(sqlite3_bind_int64(s, 2, run));
	BIND(sqlite3_bind_int64(s, 3, best->best.id));
	if (tg_store__exec(st, s, "cannot merge test attempts", err))
		return TG_EDB;
	s = tg_store__stmt(st, S_VERDICT_SET, err);
	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, best->best.id));
	BIND(tg_store__bind_str(s, 2, verdict));
	BIND(sqlite3_bind_int64(s, 3, attempts));
	/* another input's duration: more precise than the deciding one's
	 * own, or where it has none (dur is the most precise input with
	 * one, so it is best itself when best has the most precise) */
	BIND(tg_store__bind_opt_double(s, 4, dur && dur != best,
				       dur ? dur->best.duration : 0));
	return tg_store__exec(st, s, "cannot merge test attempts", err);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Give each test seen more than once in the run one deciding result: the
 * tests note_test() listed, each once, settled through the history index.
 * Nothing here grows with the run's size (bench/run.sh, "rss growth").
 */
static int merge_attempts(tg_store *st, int64_t run, tg_diag_fn diag,
			  void *payload, tg_err *err)
{
	tg_seen *sn = &st->seen;
	telling tell = {diag, payload, 0};
	size_t i;
	int rc = 0;

	if (sn->ntwice > 1)
		qsort(sn->twice, sn->ntwice, sizeof(*sn->twice), cmp_i64);
	for (i = 0; rc == 0 && i < sn->ntwice; i++)
		if (i == 0 || sn->twice[i] != sn->twice[i - 1])
			rc = merge_test(st, run, sn->twice[i], &tell, err);
	if (rc == 0 && diag && tell.n > TG_MAX_TOLD_DISAGREEMENTS) {
		char msg[160];
		tg_diag d = {"", 0, 0, UINT64_MAX, msg};
		snprintf(msg, sizeof(msg),
			 "inputs disagree on %llu more tests (every one is "
			 "stored with the run)",
			 (unsigned long long)(tell.n -
					      TG_MAX_TOLD_DISAGREEMENTS));
		diag(&d, payload);
	}
	return rc;
}

int tg_store__run_finish(tg_store *st, int64_t run, int64_t first,
			 int64_t last, const char *name, const char *digest,
			 bool truncated, tg_counts *counts, tg_diag_fn diag,
			 void *payload, tg_err *err)
{
	sqlite3_stmt *s;

	if (merge_attempts(st, run, diag, payload, err) ||
	    count_tests(counts, st, first, last, err))
		return TG_EDB;
	s = tg_store__stmt(st, S_RUN_FINISH, err);
	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, run));
	BIND(tg_store__bind_str(s, 2, name));
	BIND(tg_store__bind_str(s, 3, digest));
	BIND(sqlite3_bind_int(s, 4, truncated));
	BIND(sqlite3_bind_int64(s, 5, (int64_t)counts->tests));
	BIND(sqlite3_bind_int64(s, 6, (int64_t)counts->passed));
	BIND(sqlite3_bind_int64(s, 7, (int64_t)counts->failed));
	BIND(sqlite3_bind_int64(s, 8, (int64_t)counts->errors));
	BIND(sqlite3_bind_int64(s, 9, (int64_t)counts->skipped));
	BIND(sqlite3_bind_int64(s, 10, (int64_t)counts->flaky));
	BIND(sqlite3_bind_int64(s, 11, (int64_t)counts->results));
	BIND(sqlite3_bind_double(s, 12, counts->duration));
	BIND(tg_store__bind_opt_int(s, 13, first > 0, first));
	BIND(tg_store__bind_opt_int(s, 14, first > 0, last));
	return tg_store__exec(st, s, "cannot store the run", err);
}

int tg_store__run_find(int64_t *out, tg_store *st, bool by_digest,
		       const char *key, char *name, size_t namesz,
		       tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(
		st, by_digest ? S_RUN_BY_DIGEST : S_RUN_BY_NAME, err);
	int rc;

	*out = 0;
	if (!s)
		return TG_EDB;
	BIND(tg_store__bind_str(s, 1, key));
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *n = (const char *)sqlite3_column_text(s, 1);
		*out = sqlite3_column_int64(s, 0);
		if (name && namesz)
			snprintf(name, namesz, "%s", n ? n : "");
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return tg_store__fail(st, err, "cannot look up a run");
	return 0;
}

/* ---- evidence, collection errors, sessions ------------------------------ */

/* Evidence lines are kept whole up to this; the match is in the first
 * part in practice, and a 1 MiB line is not evidence anyone reads. */
#define TG_EVIDENCE_TEXT_MAX 4096u

int tg_store__evidence_insert(tg_store *st, const tg_evidence_row *e,
			      tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_EVIDENCE_INSERT, err);
	size_t n = e->len;

	if (!s)
		return TG_EDB;
	if (n > TG_EVIDENCE_TEXT_MAX)
		n = tg_utf8_floor(e->text, TG_EVIDENCE_TEXT_MAX);
	BIND(sqlite3_bind_int64(s, 1, e->run));
	BIND(sqlite3_bind_int64(s, 2, e->source));
	BIND(tg_store__bind_opt_int(s, 3, e->test > 0, e->test));
	BIND(tg_store__bind_text(s, 4, e->headline,
				 e->headline ? strlen(e->headline) : 0, true));
	BIND(tg_store__bind_str(s, 5, e->signal));
	BIND(tg_store__bind_str(s, 6, e->rule));
	BIND(tg_store__bind_str(s, 7, e->section));
	BIND(tg_store__bind_opt_int(s, 8, e->line > 0, (int64_t)e->line));
	BIND(tg_store__bind_text(s, 9, e->text, n, false));
	BIND(tg_store__bind_str(s, 10, e->fields));
	return insert(NULL, st, s, "cannot store evidence", err);
}

int tg_store__evidence_alias(tg_store *st, int64_t source,
			     const char *headline, int64_t test, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_EVIDENCE_ALIAS, err);

	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, source));
	BIND(tg_store__bind_str(s, 2, headline));
	BIND(sqlite3_bind_int64(s, 3, test));
	return tg_store__exec(st, s, "cannot store evidence", err);
}

int tg_store__collect_error_insert(tg_store *st, int64_t run, int64_t source,
				   int64_t test, const tg_collect_error *ce,
				   const char *chain_json, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_COLLECT_INSERT, err);

	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, run));
	BIND(sqlite3_bind_int64(s, 2, source));
	BIND(sqlite3_bind_int64(s, 3, test));
	BIND(tg_store__bind_text(s, 4, ce->exc_type, strlen(ce->exc_type),
				 true));
	BIND(tg_store__bind_text(s, 5, ce->missing, strlen(ce->missing),
				 true));
	BIND(tg_store__bind_text(s, 6, ce->message, strlen(ce->message),
				 true));
	BIND(tg_store__bind_str(s, 7, chain_json));
	BIND(tg_store__bind_opt_int(s, 8, ce->line > 0, (int64_t)ce->line));
	return insert(NULL, st, s, "cannot store a collection error", err);
}

static int bind_count(sqlite3_stmt *s, int i, int64_t v)
{
	return tg_store__bind_opt_int(s, i, v >= 0, v);
}

int tg_store__session_insert(tg_store *st, int64_t run, int64_t source,
			     const tg_session *e, int64_t exit_status,
			     tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_SESSION_INSERT, err);
	const int64_t counts[] = {e->collected, e->collect_errors,
				  e->deselected, e->collect_skipped};
	const int64_t finals[] = {e->passed,  e->failed,  e->errors,
				  e->skipped, e->xfailed, e->xpassed,
				  e->warnings, e->rerun};
	int i;

	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, source));
	BIND(sqlite3_bind_int64(s, 2, run));
	BIND(tg_store__bind_str(s, 3, e->tool));
	BIND(tg_store__bind_text(s, 4, e->tool_version,
				 e->tool_version ? strlen(e->tool_version) : 0,
				 true));
	BIND(tg_store__bind_text(s, 5, e->python_version,
				 e->python_version ? strlen(e->python_version)
						   : 0,
				 true));
	BIND(tg_store__bind_text(s, 6, e->platform,
				 e->platform ? strlen(e->platform) : 0, true));
	BIND(tg_store__bind_text(s, 7, e->plugins,
				 e->plugins ? strlen(e->plugins) : 0, true));
	for (i = 0; i < 4; i++)
		BIND(bind_count(s, 8 + i, counts[i]));
	BIND(sqlite3_bind_int(s, 12, e->interrupted));
	for (i = 0; i < 8; i++)
		BIND(bind_count(s, 13 + i, finals[i]));
	BIND(tg_store__bind_opt_double(s, 21, e->has_duration, e->duration));
	BIND(bind_count(s, 22, exit_status));
	BIND(tg_store__bind_text(s, 23, e->summary,
				 e->summary ? strlen(e->summary) : 0, true));
	BIND(tg_store__bind_opt_int(s, 24, e->line > 0, (int64_t)e->line));
	BIND(tg_store__bind_opt_int(s, 25, e->stopped_after > 0,
				    e->stopped_after));
	return insert(NULL, st, s, "cannot store a session", err);
}

/* ---- where the inputs of a run disagree -------------------------------- */

/* Append to a fixed message, cut (never overflowing) when full. */
static void appendf(char *buf, size_t cap, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void appendf(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len + 1 >= cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, cap - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = *len + (size_t)n < cap ? *len + (size_t)n : cap - 1;
}

/* Tests named by only some of the joined formats: counts per format, and
 * the first few such tests by id. */
static int format_gaps(tg_store *st, int64_t run, int64_t first,
		       int64_t last, tg_diag_fn diag, void *payload,
		       tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_FORMATS_IN_RUN, err);
	char msg[2048];
	size_t len = 0;
	int64_t nformats = 0, gaps = 0;
	int rc;

	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, first));
	BIND(sqlite3_bind_int64(s, 2, last));
	/* "name", not "ran": a console log without -v names few of the
	 * tests it ran (its own warning says so) */
	appendf(msg, sizeof(msg), &len, "inputs name different tests:");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		appendf(msg, sizeof(msg), &len, "%s %s has %lld",
			nformats ? "," : "",
			(const char *)sqlite3_column_text(s, 0),
			(long long)sqlite3_column_int64(s, 1));
		nformats++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return tg_store__fail(st, err, "cannot compare inputs");
	if (nformats < 2)
		return 0;
	s = tg_store__stmt(st, S_TESTS_NOT_IN_ALL, err);
	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, first));
	BIND(sqlite3_bind_int64(s, 2, last));
	BIND(sqlite3_bind_int64(s, 3, nformats));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (gaps < 5)
			appendf(msg, sizeof(msg), &len, "%s '%s' only in %s",
				gaps ? "," : ";",
				(const char *)sqlite3_column_text(s, 0),
				(const char *)sqlite3_column_text(s, 1));
		gaps++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return tg_store__fail(st, err, "cannot compare inputs");
	if (gaps > 5)
		appendf(msg, sizeof(msg), &len, ", and %lld more",
			(long long)(gaps - 5));
	return gaps ? run_diag(st, run, msg, diag, payload, err) : 0;
}

/* Sessions that collected more (or fewer) tests than the run holds. */
static int session_gaps(tg_store *st, int64_t run, int64_t first,
			int64_t last, tg_diag_fn diag, void *payload,
			tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_SESSIONS_OF_RUN, err);
	char msg[1024];
	int64_t sessions, collected, deselected, errors, stored;
	int rc;

	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, run));
	BIND(sqlite3_bind_int64(s, 2, first));
	BIND(sqlite3_bind_int64(s, 3, last));
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return tg_store__fail(st, err, "cannot compare sessions");
	}
	sessions = sqlite3_column_int64(s, 0);
	collected = sqlite3_column_int64(s, 2);
	deselected = sqlite3_column_int64(s, 3);
	errors = sqlite3_column_int64(s, 4);
	stored = sqlite3_column_int64(s, 5);
	if (sessions == 0 || collected - deselected == stored) {
		sqlite3_reset(s);
		return 0;
	}
	snprintf(msg, sizeof(msg),
		 "'%s' says pytest collected %lld item%s (%lld deselected, "
		 "%lld collection error%s%s); the run holds %lld test%s",
		 (const char *)sqlite3_column_text(s, 1), (long long)collected,
		 collected == 1 ? "" : "s", (long long)deselected,
		 (long long)errors, errors == 1 ? "" : "s",
		 sessions > 1 ? ", over several sessions" : "",
		 (long long)stored, stored == 1 ? "" : "s");
	sqlite3_reset(s);
	return run_diag(st, run, msg, diag, payload, err);
}

int tg_store__run_disagreements(tg_store *st, int64_t run, int64_t first,
				int64_t last, tg_diag_fn diag, void *payload,
				tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_RUN_SHAPE, err);
	int64_t formats = 0, sessions = 0;
	int rc;

	if (!s)
		return TG_EDB;
	BIND(sqlite3_bind_int64(s, 1, run));
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		formats = sqlite3_column_int64(s, 0);
		sessions = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return tg_store__fail(st, err, "cannot compare inputs");
	if (first <= 0)
		return 0;
	if ((formats > 1 &&
	     format_gaps(st, run, first, last, diag, payload, err)) ||
	    (sessions > 0 &&
	     session_gaps(st, run, first, last, diag, payload, err)))
		return err->code;
	return 0;
}
