/*
 * store_analyze.c - the reads of the detectors, of baseline learning and
 * of the health report's trends.
 *
 * Typed iterations over one run's tests, evidence, sessions and inputs,
 * the choice of earlier runs, and per-test and per-day figures over a
 * period of runs (computed by SQL: window functions and grouping).  The
 * caller of the per-run reads holds the read transaction (analyze.c,
 * baseline.c), so every read of one analysis sees one snapshot; each
 * trend is one statement, and runs, once stored, never change.
 */
#include "store.h"

#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "err.h"

static const char *text_at(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

static int64_t int_or(sqlite3_stmt *s, int i, int64_t dflt)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL
		       ? dflt
		       : sqlite3_column_int64(s, i);
}

/* Step s to the end, calling row for each row; row's non-zero stops. */
static int each(tg_store *st, sqlite3_stmt *s, const char *what,
		int (*row)(sqlite3_stmt *s, void *ctx), void *ctx, tg_err *err)
{
	int rc, cbrc = 0;

	while (cbrc == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW)
		cbrc = row(s, ctx);
	if (cbrc == 0 && rc != SQLITE_DONE)
		cbrc = tg_store__fail(st, err, what);
	sqlite3_reset(s);
	return cbrc;
}

/* Whether run has every pair of where among its meta. */
static int meta_matches(bool *out, tg_store *st, int64_t run,
			const tg_kv *where, size_t nwhere, tg_err *err)
{
	sqlite3_stmt *s;
	size_t i, found = 0;
	int rc;

	*out = nwhere == 0;
	if (nwhere == 0)
		return 0;
	if (!(s = tg_store__stmt(st, S_META_LIST, err)))
		return TG_EDB;
	sqlite3_bind_int64(s, 1, run);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *k = text_at(s, 0), *v = text_at(s, 1);
		for (i = 0; i < nwhere; i++)
			if (k && v && strcmp(k, where[i].key) == 0 &&
			    strcmp(v, where[i].value) == 0)
				found++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return tg_store__fail(st, err, "cannot read run metadata");
	*out = found >= nwhere;
	return 0;
}

/* The ids a statement lists, then those whose meta matches, up to limit. */
static int filter_runs(int64_t **out, size_t *n, tg_store *st, sqlite3_stmt *s,
		       size_t limit, const tg_kv *where, size_t nwhere,
		       tg_err *err)
{
	int64_t *ids = NULL, *all = NULL;
	size_t cap = 0, nall = 0, acap = 0, i;
	int rc;

	*out = NULL;
	*n = 0;
	/* ids first: the meta check below uses another statement */
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!tg_grow((void **)&all, &acap, nall + 1, sizeof(*all))) {
			sqlite3_reset(s);
			tg_free(all);
			return tg_err_nomem(err);
		}
		all[nall++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		tg_free(all);
		return tg_store__fail(st, err, "cannot list runs");
	}
	for (i = 0; i < nall && *n < limit; i++) {
		bool ok;
		if (meta_matches(&ok, st, all[i], where, nwhere, err)) {
			tg_free(all);
			tg_free(ids);
			return TG_EDB;
		}
		if (!ok)
			continue;
		if (!tg_grow((void **)&ids, &cap, *n + 1, sizeof(*ids))) {
			tg_free(all);
			tg_free(ids);
			return tg_err_nomem(err);
		}
		ids[(*n)++] = all[i];
	}
	tg_free(all);
	*out = ids;
	return 0;
}

void tg_store__where_text(tg_buf *b, const tg_kv *where, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tg_buf_printf(b, "%s%s=%s", i ? ", " : " matching ",
			      where[i].key, where[i].value);
}

int tg_store__runs_before(int64_t **out, size_t *n, tg_store *st,
			  int64_t before, size_t limit, const tg_kv *where,
			  size_t nwhere, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_RUNS_BEFORE, err);

	*out = NULL;
	*n = 0;
	if (!s)
		return TG_EDB;
	sqlite3_bind_int64(s, 1, before > 0 ? before : 0);
	return filter_runs(out, n, st, s, limit, where, nwhere, err);
}

int tg_store__runs_between(int64_t **out, size_t *n, tg_store *st,
			   const char *since, const char *until, size_t limit,
			   const tg_kv *where, size_t nwhere, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_RUNS_BETWEEN, err);

	*out = NULL;
	*n = 0;
	if (!s)
		return TG_EDB;
	tg_store__bind_str(s, 1, since);
	tg_store__bind_str(s, 2, until);
	return filter_runs(out, n, st, s, limit, where, nwhere, err);
}

/* The caller's callback, of the iteration's type, and its payload. */
typedef struct ctx {
	int (*on_test)(const tg_run_test *t, void *payload);
	int (*on_pair)(int64_t test, int64_t source, void *payload);
	int (*on_rule)(int64_t test, const char *signal, const char *rule,
		       void *payload);
	int (*on_evidence)(const tg_run_evidence *e, void *payload);
	int (*on_source)(const tg_run_source *s, void *payload);
	int (*on_session)(const tg_run_session *s, void *payload);
	void *payload;
} ctx;

static int test_row(sqlite3_stmt *s, void *c)
{
	const ctx *x = c;
	tg_run_test t;

	t.test = sqlite3_column_int64(s, 0);
	t.test_id = text_at(s, 1);
	t.verdict = text_at(s, 2);
	t.has_duration = sqlite3_column_type(s, 3) != SQLITE_NULL;
	t.duration = sqlite3_column_double(s, 3);
	t.status = text_at(s, 4);
	t.file = text_at(s, 5);
	t.line = int_or(s, 6, 0);
	t.source = sqlite3_column_int64(s, 7);
	t.report_line = int_or(s, 8, 0);
	return x->on_test(&t, x->payload);
}

bool tg_store__run_test_rerun_pass(const tg_run_test *t)
{
	return t->verdict && strcmp(t->verdict, "flaky") == 0;
}

bool tg_store__run_test_passed(const tg_run_test *t)
{
	return t->verdict && strcmp(t->verdict, "passed") == 0 &&
	       !(t->status && strcmp(t->status, "xpass") == 0);
}

int tg_store__run_tests(tg_store *st, int64_t run,
			int (*cb)(const tg_run_test *t, void *payload),
			void *payload, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_RUN_TESTS, err);
	ctx x = {.on_test = cb, .payload = payload};

	if (!s)
		return TG_EDB;
	sqlite3_bind_int64(s, 1, run);
	return each(st, s, "cannot read tests", test_row, &x, err);
}

static int pair_row(sqlite3_stmt *s, void *c)
{
	const ctx *x = c;

	return x->on_pair(sqlite3_column_int64(s, 0),
			  sqlite3_column_int64(s, 1), x->payload);
}

int tg_store__run_other_results(tg_store *st, int64_t run,
				int (*cb)(int64_t test, int64_t source,
					  void *payload),
				void *payload, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_RUN_OTHER_RESULTS, err);
	ctx x = {.on_pair = cb, .payload = payload};

	if (!s)
		return TG_EDB;
	sqlite3_bind_int64(s, 1, run);
	return each(st, s, "cannot read tests", pair_row, &x, err);
}

static int test_rule_row(sqlite3_stmt *s, void *c)
{
	const ctx *x = c;
	const char *signal = text_at(s, 1), *rule = text_at(s, 2);

	return x->on_rule(sqlite3_column_int64(s, 0), signal ? signal : "",
			  rule ? rule : "", x->payload);
}

int tg_store__run_test_rules(tg_store *st, int64_t run,
			     int (*cb)(int64_t test, const char *signal,
				       const char *rule, void *payload),
			     void *payload, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_RUN_TEST_RULES, err);
	ctx x = {.on_rule = cb, .payload = payload};

	if (!s)
		return TG_EDB;
	sqlite3_bind_int64(s, 1, run);
	return each(st, s, "cannot read evidence", test_rule_row, &x, err);
}

static int evidence_row(sqlite3_stmt *s, void *c)
{
	const ctx *x = c;
	tg_run_evidence e;

	e.test = int_or(s, 0, 0);
	e.signal = text_at(s, 1);
	e.rule = text_at(s, 2);
	e.source = text_at(s, 3);
	e.line = int_or(s, 4, 0);
	e.text = text_at(s, 5);
	e.test_id = text_at(s, 6);
	return x->on_evidence(&e, x->payload);
}

int tg_store__run_evidence(tg_store *st, int64_t run,
			   int (*cb)(const tg_run_evidence *e, void *payload),
			   void *payload, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_RUN_EVIDENCE, err);
	ctx x = {.on_evidence = cb, .payload = payload};

	if (!s)
		return TG_EDB;
	sqlite3_bind_int64(s, 1, run);
	return each(st, s, "cannot read evidence", evidence_row, &x, err);
}

static int source_row(sqlite3_stmt *s, void *c)
{
	const ctx *x = c;
	tg_run_source r;

	r.id = sqlite3_column_int64(s, 0);
	r.path = text_at(s, 1);
	r.truncated_at = int_or(s, 2, -1);
	r.format = text_at(s, 3);
	r.stopped_at = int_or(s, 4, -1);
	return x->on_source(&r, x->payload);
}

int tg_store__run_sources(tg_store *st, int64_t run,
			  int (*cb)(const tg_run_source *s, void *payload),
			  void *payload, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_RUN_SOURCES, err);
	ctx x = {.on_source = cb, .payload = payload};

	if (!s)
		return TG_EDB;
	sqlite3_bind_int64(s, 1, run);
	return each(st, s, "cannot read inputs", source_row, &x, err);
}

int tg_store__run_pass_output(bool *out, tg_store *st, int64_t run,
			      tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_RUN_PASS_OUTPUT, err);
	int64_t exists = 0;

	*out = false;
	if (!s)
		return TG_EDB;
	sqlite3_bind_int64(s, 1, run);
	if (tg_store__scalar(&exists, st, s, "cannot read test output", err))
		return TG_EDB;
	*out = exists != 0;
	return 0;
}

static int session_row(sqlite3_stmt *s, void *c)
{
	const ctx *x = c;
	tg_run_session e;

	e.source = text_at(s, 0);
	e.collected = int_or(s, 1, -1);
	e.collect_errors = int_or(s, 2, -1);
	e.deselected = int_or(s, 3, -1);
	e.interrupted = sqlite3_column_int(s, 4) != 0;
	e.line = int_or(s, 5, 0);
	e.ran = int_or(s, 6, -1);
	e.collect_skipped = int_or(s, 7, -1);
	e.errors = sqlite3_column_int64(s, 8);
	e.stopped_after = sqlite3_column_int64(s, 9);
	return x->on_session(&e, x->payload);
}

int tg_store__run_sessions(tg_store *st, int64_t run,
			   int (*cb)(const tg_run_session *s, void *payload),
			   void *payload, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_RUN_SESSIONS, err);
	ctx x = {.on_session = cb, .payload = payload};

	if (!s)
		return TG_EDB;
	sqlite3_bind_int64(s, 1, run);
	return each(st, s, "cannot read sessions", session_row, &x, err);
}

/* ---- trends over a period ------------------------------------------------ */

typedef struct trend_ctx {
	int (*on_test)(const tg_trend_test *t, void *payload);
	int (*on_duration)(int64_t test, double seconds, void *payload);
	int (*on_day)(const char *day, int64_t runs, const tg_counts *c,
		      void *payload);
	void *payload;
} trend_ctx;

static int trend_test_row(sqlite3_stmt *s, void *c)
{
	const trend_ctx *x = c;
	tg_trend_test t;

	t.test = sqlite3_column_int64(s, 0);
	t.test_id = text_at(s, 1);
	t.runs = sqlite3_column_int64(s, 2);
	t.flaky = sqlite3_column_int64(s, 3);
	t.flips = sqlite3_column_int64(s, 4);
	t.in_first = sqlite3_column_int(s, 5) != 0;
	t.in_last = sqlite3_column_int(s, 6) != 0;
	return x->on_test(&t, x->payload);
}

int tg_store__trend_tests(tg_store *st, const char *period, size_t nruns,
			  int (*cb)(const tg_trend_test *t, void *payload),
			  void *payload, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_TREND_TESTS, err);
	trend_ctx x = {.on_test = cb, .payload = payload};

	if (!s)
		return TG_EDB;
	tg_store__bind_str(s, 1, period);
	sqlite3_bind_int64(s, 2, nruns ? (int64_t)nruns - 1 : 0);
	return each(st, s, "cannot compute the tests' trends", trend_test_row,
		    &x, err);
}

static int trend_duration_row(sqlite3_stmt *s, void *c)
{
	const trend_ctx *x = c;

	return x->on_duration(sqlite3_column_int64(s, 0),
			      sqlite3_column_double(s, 1), x->payload);
}

int tg_store__trend_durations(tg_store *st, const char *period,
			      int (*cb)(int64_t test, double seconds,
					void *payload),
			      void *payload, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_TREND_DURATIONS, err);
	trend_ctx x = {.on_duration = cb, .payload = payload};

	if (!s)
		return TG_EDB;
	tg_store__bind_str(s, 1, period);
	return each(st, s, "cannot read the tests' durations",
		    trend_duration_row, &x, err);
}

static int trend_day_row(sqlite3_stmt *s, void *c)
{
	const trend_ctx *x = c;
	tg_counts counts;

	tg_store__counts(&counts, s, 2);
	return x->on_day(text_at(s, 0), sqlite3_column_int64(s, 1), &counts,
			 x->payload);
}

int tg_store__trend_days(tg_store *st, const char *period,
			 int (*cb)(const char *day, int64_t runs,
				   const tg_counts *c, void *payload),
			 void *payload, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_TREND_DAYS, err);
	trend_ctx x = {.on_day = cb, .payload = payload};

	if (!s)
		return TG_EDB;
	tg_store__bind_str(s, 1, period);
	return each(st, s, "cannot group the runs by day", trend_day_row, &x,
		    err);
}
