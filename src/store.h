/*
 * store.h - the store's internal interface (the public one is
 * truegreen/store.h).  The only code with SQL in it is store*.c.
 *
 * Statements are prepared once, on first use, from the table in store.c
 * and finalized when the store closes.  A statement handed out by
 * tg_store__stmt() is reset and its bindings cleared when it is handed
 * out again.
 */
#ifndef TG_STORE_INTERNAL_H
#define TG_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "model.h"
#include "truegreen/import.h"
#include "truegreen/store.h"

/* The page cache, as PRAGMA cache_size takes it (negative: KiB).  Small on
 * purpose: memory stays flat on a huge import, dirty pages spill to the
 * WAL, and bench/run.sh measured no loss of speed against 16 MiB. */
#define TG_STORE_CACHE "-2048"

/* The page size of a new database.  An import is one transaction, so
 * its whole size passes through the WAL and the WAL index (shared
 * memory, one slot per page written) grows with it: 16 KiB pages write
 * a quarter of the frames of SQLite's default 4 KiB.  bench/run.sh, 1M
 * pytest-style testcases: peak RSS growth from 10k to 1M testcases
 * 1.3 MiB -> 0.2 MiB, system time -60%, wall time -24%.  A database
 * created with another page size keeps it (WAL mode cannot change it). */
#define TG_STORE_PAGE_SIZE "16384"

typedef enum tg_stmt_id {
	S_BEGIN_WRITE,
	S_BEGIN_READ,
	S_COMMIT,
	S_SAVEPOINT,
	S_SAVEPOINT_RELEASE,
	S_SAVEPOINT_UNDO,
	S_RUN_INSERT,
	S_RUN_FINISH,
	S_RUN_BY_DIGEST,
	S_RUN_BY_NAME,
	S_RUN_BY_ID,
	S_RUN_LATEST,
	S_RUN_COUNTS,
	S_META_INSERT,
	S_SOURCE_INSERT,
	S_SOURCE_FINISH,
	S_DIAG_INSERT,
	S_SUITE_INSERT,
	S_SUITE_STDOUT,
	S_SUITE_STDERR,
	S_PROP_SUITE,
	S_PROP_RESULT,
	S_NAME_FIND,
	S_NAME_INSERT,
	S_RESULT_INSERT,
	S_TEXT_INSERT,
	S_SEEN_IN_RUN,
	S_ATTEMPTS,
	S_VERDICT_DROP,
	S_VERDICT_SET,
	S_RESULTS_NOT_RUN_COUNT,
	S_RESULTS_NOT_RUN,
	S_RUNS_LIST,
	S_RUN_GET,
	S_META_LIST,
	S_TESTS_LIST,
	S_NAME_OF,
	S_EVIDENCE_INSERT,
	S_EVIDENCE_ALIAS,
	S_COLLECT_INSERT,
	S_SESSION_INSERT,
	S_RUN_SHAPE,
	S_FORMATS_IN_RUN,
	S_TESTS_NOT_IN_ALL,
	S_SESSIONS_OF_RUN,
	S_EVIDENCE_LIST,
	S_COLLECT_LIST,
	S_RUNS_BEFORE,
	S_RUN_TESTS,
	S_RUN_TEST_RULES,
	S_RUN_OTHER_RESULTS,
	S_RUN_EVIDENCE,
	S_RUN_SOURCES,
	S_RUN_PASS_OUTPUT,
	S_RUN_SESSIONS,
	S_RUNS_BETWEEN,
	S_TREND_TESTS,
	S_TREND_DURATIONS,
	S_TREND_DAYS,
	/* deleting a run: one statement per table, children first
	 * (store_prune.c runs S_PRUNE_FIRST..S_PRUNE_LAST in order) */
	S_PRUNE_PROPS_OF_RESULTS,
	S_PRUNE_PROPS_OF_SUITES,
	S_PRUNE_RESULT_TEXT,
	S_PRUNE_RESULTS,
	S_PRUNE_EVIDENCE,
	S_PRUNE_COLLECTION_ERRORS,
	S_PRUNE_SESSIONS,
	S_PRUNE_DIAGNOSTICS,
	S_PRUNE_SUITES,
	S_PRUNE_SOURCES,
	S_PRUNE_META,
	S_PRUNE_RUN,
	S_RUN_TOTAL,
	S_NAMES_ORPHANED,
	S_STMT_COUNT
} tg_stmt_id;

/* Tests seen in the current import, to find the ones seen twice
 * (store_write.c).  Lives for one write transaction. */
typedef struct tg_seen {
	unsigned char *filter;   /* TG_SEEN_FILTER_BYTES, or NULL */
	int64_t *twice;          /* tests seen again, with repeats */
	size_t ntwice, twice_cap;
} tg_seen;

struct tg_store {
	sqlite3 *db;
	char *path;
	unsigned lock_wait_ms;
	bool in_txn;
	bool fk_off;     /* foreign keys not enforced: set by the last
			    tg_store__begin_bulk() */
	bool name_new;   /* the last test name interned was new */
	tg_seen seen;
	sqlite3_stmt *stmts[S_STMT_COUNT];
};

/* The cached statement id, reset and ready to bind; NULL with err set. */
sqlite3_stmt *tg_store__stmt(tg_store *st, tg_stmt_id id, tg_err *err);

/* Fill err from the connection's last error (copied at once). */
int tg_store__fail(tg_store *st, tg_err *err, const char *what);

/*
 * Read counts from eight columns starting at col, in the order of the
 * runs table: tests, passed, failed, errors, skipped, flaky, results,
 * duration (every query that returns counts uses that order).
 */
void tg_store__counts(tg_counts *c, sqlite3_stmt *s, int col);

/* Step a statement that returns no row. */
int tg_store__exec(tg_store *st, sqlite3_stmt *s, const char *what,
		   tg_err *err);

/* Step a statement that returns one row and read its first column into
 * *out (0 when the step fails, with what in the error). */
int tg_store__scalar(int64_t *out, tg_store *st, sqlite3_stmt *s,
		     const char *what, tg_err *err);

/* Forget the tests seen in a write transaction (store_write.c). */
void tg_store__seen_release(tg_store *st);

/* BEGIN IMMEDIATE (waiting for the lock), BEGIN (a read snapshot),
 * COMMIT, and ROLLBACK (never fails; safe when no transaction is open). */
int tg_store__begin_write(tg_store *st, tg_err *err);
/*
 * A write transaction that does not enforce foreign keys, for writers
 * that keep every reference right by construction and pay for the
 * checks heavily: an import refers only to rows it wrote itself (each
 * result's four references cost a tenth of a large import), a prune
 * deletes children before parents (a cascade scans whole tables, having
 * no index on the referring columns).  test_import and test_prune check
 * that neither leaves a reference dangling.
 */
int tg_store__begin_bulk(tg_store *st, tg_err *err);
int tg_store__begin_read(tg_store *st, tg_err *err);
int tg_store__commit(tg_store *st, tg_err *err);
void tg_store__rollback(tg_store *st);
/* Inside a write transaction: mark where one input's rows begin, keep
 * them (release), or undo every row written since the mark (undo; the
 * mark goes too). */
int tg_store__savepoint(tg_store *st, tg_err *err);
int tg_store__savepoint_release(tg_store *st, tg_err *err);
int tg_store__savepoint_undo(tg_store *st, tg_err *err);

/* Binding helpers: text with explicit length ("" and NULL bind NULL when
 * null_if_empty), optional doubles and integers. */
int tg_store__bind_text(sqlite3_stmt *s, int i, const char *v, size_t n,
			bool null_if_empty);
int tg_store__bind_str(sqlite3_stmt *s, int i, const char *v);
int tg_store__bind_opt_double(sqlite3_stmt *s, int i, bool has, double v);
int tg_store__bind_opt_int(sqlite3_stmt *s, int i, bool has, int64_t v);

/* ---- writes of an import (store_write.c) ---- */

int tg_store__run_insert(int64_t *out, tg_store *st, const char *now,
			 tg_err *err);
int tg_store__meta_insert(tg_store *st, int64_t run, const char *key,
			  const char *value, bool from_ci, tg_err *err);
int tg_store__source_insert(int64_t *out, tg_store *st, int64_t run,
			    const char *path, const char *format, tg_err *err);
int tg_store__source_finish(tg_store *st, int64_t source, uint64_t bytes,
			    const char *digest, uint64_t results,
			    bool truncated, uint64_t truncated_at,
			    int64_t stopped_at, tg_err *err);
int tg_store__diag_insert(tg_store *st, int64_t run, int64_t source,
			  uint64_t line, uint64_t col, uint64_t offset,
			  const char *msg, tg_err *err);
int tg_store__suite_insert(int64_t *out, tg_store *st, int64_t run,
			   int64_t source, int64_t parent, const tg_suite *s,
			   tg_err *err);
/* Append text[0..len) (len may be 0) to a suite's stdout or stderr and
 * total to its original length. */
int tg_store__suite_output(tg_store *st, int64_t suite, bool is_err,
			   const char *text, size_t len, uint64_t total,
			   tg_err *err);
int tg_store__property(tg_store *st, int64_t suite, int64_t result,
		       const tg_property *p, tg_err *err);
/* Store a result; its test's number goes to *test (interned on first
 * sight). */
int tg_store__result_insert(int64_t *out, int64_t *test, tg_store *st,
			    int64_t run, int64_t source, int64_t suite,
			    const char *test_id, size_t test_id_len,
			    const char *derived_file, const tg_result *r,
			    tg_err *err);
/* Of suite's results with ids in [lo, hi], the n passes with nothing in
 * them and a duration of 0 (junit_reader.c: end_suite()) did not run:
 * skipped, with status.  Only if there are exactly n such (*marked);
 * else nothing changes. */
int tg_store__results_not_run(bool *marked, tg_store *st, int64_t suite,
			      int64_t lo, int64_t hi, uint64_t n,
			      const char *status, tg_err *err);
/* The number of a test id, added (with file, may be NULL) if new; *fresh
 * (may be NULL) says it was. */
int tg_store__test_intern(int64_t *out, bool *fresh, tg_store *st,
			  const char *test_id, size_t len, const char *file,
			  tg_err *err);

/* One evidence row; test 0: about the run (headline may name the test
 * for a later tg_store__evidence_alias). */
typedef struct tg_evidence_row {
	int64_t run, source, test;
	const char *headline; /* or NULL */
	const char *signal, *rule, *section;
	uint64_t line;
	const char *text;
	size_t len;
	const char *fields;
} tg_evidence_row;
int tg_store__evidence_insert(tg_store *st, const tg_evidence_row *e,
			      tg_err *err);
/* Give a source's evidence known only by headline its test. */
int tg_store__evidence_alias(tg_store *st, int64_t source,
			     const char *headline, int64_t test, tg_err *err);
/* A collection error; chain_json is a JSON array of module names. */
int tg_store__collect_error_insert(tg_store *st, int64_t run, int64_t source,
				   int64_t test, const tg_collect_error *ce,
				   const char *chain_json, tg_err *err);
int tg_store__session_insert(tg_store *st, int64_t run, int64_t source,
			     const tg_session *s, int64_t exit_status,
			     tg_err *err);
/*
 * Merge the attempts of tests seen more than once among the run's results
 * (ids first..last), count, and record the run's name, digest, counts.
 * Where inputs disagree on a test's outcome is a diagnostic of the run,
 * and goes to diag when not NULL (the first TG_MAX_TOLD_DISAGREEMENTS,
 * then how many more).
 */
int tg_store__run_finish(tg_store *st, int64_t run, int64_t first,
			 int64_t last, const char *name, const char *digest,
			 bool truncated, tg_counts *counts, tg_diag_fn diag,
			 void *payload, tg_err *err);
/*
 * Where the run's inputs disagree: tests present in only some of the
 * formats joined (junit, pytest, reportlog), and sessions whose collected
 * count differs from the tests stored.  Each becomes a diagnostic of the
 * run (and goes to diag when not NULL).  Call after tg_store__run_finish.
 */
int tg_store__run_disagreements(tg_store *st, int64_t run, int64_t first,
				int64_t last, tg_diag_fn diag, void *payload,
				tg_err *err);
/* An existing run by digest or name: id and name (into name[namesz]). */
int tg_store__run_find(int64_t *out, tg_store *st, bool by_digest,
		       const char *key, char *name, size_t namesz,
		       tg_err *err);
/* The stored counts of a run. */
int tg_store__run_counts(tg_counts *out, tg_store *st, int64_t run,
			 bool *truncated, tg_err *err);


/* ---- deleting runs (store_prune.c) ---- */

#define S_PRUNE_FIRST S_PRUNE_PROPS_OF_RESULTS
#define S_PRUNE_LAST S_PRUNE_RUN

/* Delete a run and every row that belongs to it, children first, inside
 * the caller's write transaction. */
int tg_store__run_delete(tg_store *st, int64_t run, tg_err *err);
/* How many runs the store holds. */
int tg_store__run_total(size_t *out, tg_store *st, tg_err *err);
/* Delete the test names no row refers to any more (after runs went);
 * *out: how many. */
int tg_store__names_orphaned(size_t *out, tg_store *st, tg_err *err);


/* ---- reads of the detectors and baseline learning (store_analyze.c) ---- */

/* " matching k=v, k2=v2" for messages about runs picked by where; ""
 * for none.  Appended to b. */
void tg_store__where_text(struct tg_buf *b, const tg_kv *where, size_t n);

/* Runs older than before (0: all), newest first, whose meta holds every
 * pair of where; at most limit.  *out is tg_malloc'd (tg_free). */
int tg_store__runs_before(int64_t **out, size_t *n, tg_store *st,
			  int64_t before, size_t limit, const tg_kv *where,
			  size_t nwhere, tg_err *err);

/* Runs imported in [since, until) (ISO-8601 UTC strings), oldest first,
 * whose meta holds every pair of where; at most limit.  *out is
 * tg_malloc'd (tg_free). */
int tg_store__runs_between(int64_t **out, size_t *n, tg_store *st,
			   const char *since, const char *until, size_t limit,
			   const tg_kv *where, size_t nwhere, tg_err *err);

typedef struct tg_run_test {
	int64_t test;          /* its number (test_names.id) */
	const char *test_id;
	const char *verdict;   /* passed, failed, error, skipped, flaky */
	bool has_duration;
	double duration;
	const char *status;    /* or NULL */
	const char *file;      /* the test's source file, or NULL */
	int64_t line;          /* 1-based, 0 unknown */
	int64_t source;        /* the input its result came from (sources.id) */
	int64_t report_line;   /* the result's line there, 0 unknown */
} tg_run_test;

/* Whether a test passed as expectations count it: a pass, not a flaky
 * one and not an xfail test that passed (xpass). */
bool tg_store__run_test_passed(const tg_run_test *t);
/* Whether a test passed on a rerun, after a failed attempt (flaky): CI
 * counts it green too. */
bool tg_store__run_test_rerun_pass(const tg_run_test *t);

/* The tests of a run (deciding results), in test id order. */
int tg_store__run_tests(tg_store *st, int64_t run,
			int (*cb)(const tg_run_test *t, void *payload),
			void *payload, tg_err *err);

/* For each result of a run that does not decide its test (the same test
 * in another input, an earlier attempt): its test and input. */
int tg_store__run_other_results(tg_store *st, int64_t run,
				int (*cb)(int64_t test, int64_t source,
					  void *payload),
				void *payload, tg_err *err);

/* Each (test, signal, rule) of a run's evidence about a test, once. */
int tg_store__run_test_rules(tg_store *st, int64_t run,
			     int (*cb)(int64_t test, const char *signal,
				       const char *rule, void *payload),
			     void *payload, tg_err *err);

typedef struct tg_run_evidence {
	int64_t test;          /* 0: the run */
	const char *test_id;   /* its id; NULL for the run */
	const char *signal, *rule, *source, *text;
	int64_t line;
} tg_run_evidence;

/* The evidence of a run, in input order. */
int tg_store__run_evidence(tg_store *st, int64_t run,
			   int (*cb)(const tg_run_evidence *e, void *payload),
			   void *payload, tg_err *err);

typedef struct tg_run_source {
	int64_t id;            /* sources.id */
	const char *path;
	int64_t truncated_at;  /* the byte a cut-off input ends at; -1 whole */
	const char *format;    /* the parser that read it: junit, netlog... */
	int64_t stopped_at;    /* where reading stopped with the input going
				  on; -1: it was read to its end */
} tg_run_source;

/* The inputs of a run, in import order. */
int tg_store__run_sources(tg_store *st, int64_t run,
			  int (*cb)(const tg_run_source *s, void *payload),
			  void *payload, tg_err *err);

/* Whether any pass of a run read from JUnit XML carries captured output
 * (*out). */
int tg_store__run_pass_output(bool *out, tg_store *st, int64_t run,
			      tg_err *err);

typedef struct tg_run_session {
	const char *source;
	int64_t collected, collect_errors, deselected; /* -1: unsaid */
	int64_t collect_skipped; /* modules skipped at collection; -1: unsaid */
	bool interrupted;
	int64_t line;
	int64_t ran; /* tests the final summary line counts; -1: none */
	int64_t errors; /* errors it counts (setup, teardown, collection) */
	int64_t stopped_after; /* -x/--maxfail: after this many failures */
} tg_run_session;

int tg_store__run_sessions(tg_store *st, int64_t run,
			   int (*cb)(const tg_run_session *s, void *payload),
			   void *payload, tg_err *err);

/* ---- the trends of the health report (store_analyze.c) -----------------
 *
 * A period is its runs' ids as a JSON array, oldest first ("[3,4,9]"):
 * the queries read it with json_each, so one statement covers the whole
 * period however many runs it has. */

/* What one test did over the period, from its deciding results. */
typedef struct tg_trend_test {
	int64_t test;          /* its number (test_names.id) */
	const char *test_id;
	int64_t runs;          /* runs of the period it has a result in */
	int64_t flaky;         /* of those, passed only on a rerun */
	/* outcome changes (pass <-> fail/error, skips ignored) between a
	 * run and the test's previous one with the same commit (run meta
	 * 'commit', else 'ci.commit'; runs naming none compare with each
	 * other) */
	int64_t flips;
	bool in_first, in_last; /* a result in the first / last run */
} tg_trend_test;

int tg_store__trend_tests(tg_store *st, const char *period, size_t nruns,
			  int (*cb)(const tg_trend_test *t, void *payload),
			  void *payload, tg_err *err);

/* The passing durations of every test over the period: by test number,
 * then oldest first. */
int tg_store__trend_durations(tg_store *st, const char *period,
			      int (*cb)(int64_t test, double seconds,
					void *payload),
			      void *payload, tg_err *err);

/* The period's runs and their counts grouped by day (UTC), oldest
 * first; day is "YYYY-MM-DD", counts in the order of tg_counts. */
int tg_store__trend_days(tg_store *st, const char *period,
			 int (*cb)(const char *day, int64_t runs,
				   const tg_counts *c, void *payload),
			 void *payload, tg_err *err);

#endif
