/*
 * store.c - open the SQLite store, migrate its schema, and hand out the
 * prepared statements of every query truegreen runs.
 *
 * All SQL text of truegreen is in the table below; every value is bound,
 * never formatted into SQL.  One connection per tg_store.
 */
#include "store.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "err.h"
#include "schema.h"

/* ---- the statements ---------------------------------------------------- */

/*
 * The passes of suite ?1 among results ?2..?3 with nothing in them and a
 * time of 0, as junit_reader.c's empty_pass() sees them: no text and no
 * property (rows of their own), and no earlier attempt (those are stored
 * right before the result they belong to).
 */
#define EMPTY_PASSES                                                         \
	"WHERE id BETWEEN ?2 AND ?3 AND suite_id = ?1 AND outcome = 'passed' " \
	"AND status IS NULL AND rerun = 0 AND duration = 0 "                  \
	"AND NOT EXISTS (SELECT 1 FROM result_text "                          \
	"WHERE result_id = results.id) "                                      \
	"AND NOT EXISTS (SELECT 1 FROM properties "                           \
	"WHERE result_id = results.id) "                                      \
	"AND NOT EXISTS (SELECT 1 FROM results a WHERE a.id = results.id - 1 " \
	"AND a.rerun = 1 AND a.test = results.test)"

static const char *const sql[S_STMT_COUNT] = {
	[S_BEGIN_WRITE] = "BEGIN IMMEDIATE",
	[S_BEGIN_READ] = "BEGIN",
	[S_COMMIT] = "COMMIT",
	[S_SAVEPOINT] = "SAVEPOINT input",
	[S_SAVEPOINT_RELEASE] = "RELEASE input",
	[S_SAVEPOINT_UNDO] = "ROLLBACK TO input",
	/* A placeholder name and digest until the import finishes; nobody
	 * sees them, the transaction is still open. */
	[S_RUN_INSERT] = "INSERT INTO runs (name, digest, imported_at) "
			 "VALUES (' importing', ' importing', ?1)",
	[S_RUN_FINISH] = "UPDATE runs SET name = ?2, digest = ?3, "
			 "truncated = ?4, tests = ?5, passed = ?6, "
			 "failed = ?7, errors = ?8, skipped = ?9, flaky = ?10, "
			 "results = ?11, duration = ?12, first_result = ?13, "
			 "last_result = ?14 WHERE id = ?1",
	[S_RUN_BY_DIGEST] = "SELECT id, name FROM runs WHERE digest = ?1",
	[S_RUN_BY_NAME] = "SELECT id, name FROM runs WHERE name = ?1",
	[S_RUN_BY_ID] = "SELECT id, name FROM runs WHERE id = ?1",
	[S_RUN_LATEST] = "SELECT id, name FROM runs ORDER BY id DESC LIMIT 1",
	/* One pass over the run's result range, no GROUP BY: a sort of a
	 * million rows here was the largest allocation of an import. */
	[S_RUN_COUNTS] =
		"SELECT count(verdict), sum(verdict = 'passed'), "
		"sum(verdict = 'failed'), sum(verdict = 'error'), "
		"sum(verdict = 'skipped'), sum(verdict = 'flaky'), count(*), "
		"sum(duration) FILTER (WHERE verdict IS NOT NULL) "
		"FROM results WHERE id BETWEEN ?1 AND ?2",
	[S_META_INSERT] = "INSERT INTO run_meta (run_id, key, value, origin) "
			  "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (run_id, key) "
			  "DO UPDATE SET value = excluded.value, "
			  "origin = excluded.origin",
	[S_SOURCE_INSERT] = "INSERT INTO sources (run_id, path, format) "
			    "VALUES (?1, ?2, ?3)",
	[S_SOURCE_FINISH] = "UPDATE sources SET bytes = ?2, digest = ?3, "
			    "results = ?4, truncated_at = ?5, stopped_at = ?6 "
			    "WHERE id = ?1",
	[S_DIAG_INSERT] = "INSERT INTO diagnostics "
			  "(run_id, source_id, line, col, offset, message) "
			  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_SUITE_INSERT] = "INSERT INTO suites (run_id, source_id, parent_id, "
			   "name, timestamp, hostname, file, duration, "
			   "report_line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
			   "?8, ?9)",
	/* ?2 is NULL when nothing more is kept (past the output cap) */
	[S_SUITE_STDOUT] = "UPDATE suites SET stdout = coalesce(stdout, '') || "
			   "coalesce(?2, ''), stdout_bytes = "
			   "coalesce(stdout_bytes, 0) + ?3 WHERE id = ?1",
	[S_SUITE_STDERR] = "UPDATE suites SET stderr = coalesce(stderr, '') || "
			   "coalesce(?2, ''), stderr_bytes = "
			   "coalesce(stderr_bytes, 0) + ?3 WHERE id = ?1",
	[S_PROP_SUITE] = "INSERT INTO properties (suite_id, name, value) "
			 "VALUES (?1, ?2, ?3)",
	[S_PROP_RESULT] = "INSERT INTO properties (result_id, name, value) "
			  "VALUES (?1, ?2, ?3)",
	[S_NAME_FIND] = "SELECT id FROM test_names WHERE test_id = ?1",
	[S_NAME_INSERT] = "INSERT INTO test_names (test_id, file) "
			  "VALUES (?1, ?2) ON CONFLICT (test_id) DO NOTHING",
	/* Each result is stored as its test's deciding one (verdict =
	 * outcome); the rare tests seen twice are merged at the end. */
	[S_RESULT_INSERT] =
		"INSERT INTO results (run_id, source_id, suite_id, test, line, "
		"outcome, status, rerun, duration, message, type, report_line, "
		"verdict, attempts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
		"?10, ?11, ?12, ?6, 1)",
	[S_TEXT_INSERT] =
		"INSERT INTO result_text (result_id, details, details_bytes, "
		"stdout, stdout_bytes, stderr, stderr_bytes) VALUES "
		"(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	/* Whether an earlier result of this test is in this run: the exact
	 * check behind the seen filter (store_write.c). */
	[S_SEEN_IN_RUN] = "SELECT 1 FROM results WHERE test = ?1 AND "
			  "run_id = ?2 AND verdict IS NOT NULL LIMIT 1",
	/* A test's attempts in one run, through the history index (every
	 * result has a verdict until the merge settles it), with the
	 * format and path of the input each came from. */
	[S_ATTEMPTS] = "SELECT r.id, r.outcome, r.rerun, r.source_id, "
		       "s.format, r.duration, s.path FROM results r "
		       "JOIN sources s ON s.id = r.source_id "
		       "WHERE r.test = ?1 AND r.run_id = ?2 "
		       "AND r.verdict IS NOT NULL ORDER BY r.id",
	[S_VERDICT_DROP] = "UPDATE results SET verdict = NULL, attempts = NULL "
			   "WHERE test = ?1 AND run_id = ?2 AND id <> ?3 "
			   "AND verdict IS NOT NULL",
	/* The deciding result takes ?4, another input's duration, when
	 * given: a more precise one, or any where its own input had none. */
	[S_VERDICT_SET] = "UPDATE results SET verdict = ?2, attempts = ?3, "
			  "duration = coalesce(?4, duration) WHERE id = ?1",
	/* Every result still has its verdict here (the merge comes at the
	 * end of the import), so both change. */
	[S_RESULTS_NOT_RUN_COUNT] = "SELECT count(*) FROM results "
				    EMPTY_PASSES,
	[S_RESULTS_NOT_RUN] =
		"UPDATE results SET outcome = 'skipped', verdict = 'skipped', "
		"status = ?4 " EMPTY_PASSES,
	[S_RUNS_LIST] = "SELECT id, name, imported_at, digest, truncated, "
			"tests, passed, failed, errors, skipped, flaky, "
			"results, duration FROM runs ORDER BY id",
	[S_RUN_GET] = "SELECT id, name, imported_at, digest, truncated, "
		      "tests, passed, failed, errors, skipped, flaky, "
		      "results, duration FROM runs WHERE id = ?1",
	[S_META_LIST] = "SELECT key, value FROM run_meta WHERE run_id = ?1 "
			"ORDER BY key",
	[S_TESTS_LIST] =
		"SELECT n.test_id, r.verdict, r.duration, r.attempts, "
		"n.file, r.line, r.status, r.message "
		"FROM runs u JOIN results r ON r.id BETWEEN u.first_result "
		"AND u.last_result JOIN test_names n ON n.id = r.test "
		"WHERE u.id = ?1 AND r.verdict IS NOT NULL ORDER BY n.test_id",
	[S_NAME_OF] = "SELECT test_id FROM test_names WHERE id = ?1",
	[S_EVIDENCE_INSERT] =
		"INSERT INTO evidence (run_id, source_id, test, headline, "
		"signal, rule, section, line, text, fields) VALUES (?1, ?2, "
		"?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[S_EVIDENCE_ALIAS] = "UPDATE evidence SET test = ?3, headline = NULL "
			     "WHERE source_id = ?1 AND test IS NULL "
			     "AND headline = ?2",
	[S_COLLECT_INSERT] =
		"INSERT INTO collection_errors (run_id, source_id, test, "
		"exc_type, missing, message, chain, line) VALUES (?1, ?2, ?3, "
		"?4, ?5, ?6, ?7, ?8)",
	[S_SESSION_INSERT] =
		"INSERT INTO sessions (source_id, run_id, tool, tool_version, "
		"python_version, platform, plugins, collected, collect_errors, "
		"deselected, collect_skipped, interrupted, passed, failed, "
		"errors, skipped, xfailed, xpassed, warnings, rerun, duration, "
		"exit_status, summary, line, stopped_after) VALUES (?1, ?2, ?3, "
		"?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
		"?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
	/* Whether a run needs the comparisons of its inputs: how many
	 * formats hold results, and how many sessions say what they
	 * collected.  Cheap, so a plain JUnit import never pays for them
	 * (a count of distinct tests over a million results grew the
	 * import's memory by 5 MiB). */
	[S_RUN_SHAPE] = "SELECT (SELECT count(DISTINCT format) FROM sources "
			"WHERE run_id = ?1 AND results > 0), "
			"(SELECT count(*) FROM sessions WHERE run_id = ?1 "
			"AND collected IS NOT NULL)",
	/* The formats of a run's inputs that hold results, with the tests
	 * each names. */
	[S_FORMATS_IN_RUN] =
		"SELECT s.format, count(DISTINCT r.test) FROM results r "
		"JOIN sources s ON s.id = r.source_id "
		"WHERE r.id BETWEEN ?1 AND ?2 GROUP BY s.format "
		"ORDER BY s.format",
	/* Tests named by fewer than ?3 of the run's formats, and by which. */
	[S_TESTS_NOT_IN_ALL] =
		"SELECT n.test_id, group_concat(DISTINCT s.format) FROM results r "
		"JOIN sources s ON s.id = r.source_id "
		"JOIN test_names n ON n.id = r.test "
		"WHERE r.id BETWEEN ?1 AND ?2 GROUP BY r.test "
		"HAVING count(DISTINCT s.format) < ?3 ORDER BY n.test_id",
	/* What the run's sessions collected, all together, and the tests
	 * stored besides the modules that failed to collect. */
	[S_SESSIONS_OF_RUN] =
		"SELECT count(*), group_concat(DISTINCT s.path), "
		"sum(e.collected), sum(coalesce(e.deselected, 0)), "
		"sum(coalesce(e.collect_errors, 0)), "
		"(SELECT count(*) FROM results r WHERE r.id BETWEEN ?2 AND ?3 "
		"AND r.verdict IS NOT NULL AND r.test NOT IN "
		"(SELECT test FROM collection_errors WHERE run_id = ?1)) "
		"FROM sessions e JOIN sources s ON s.id = e.source_id "
		"WHERE e.run_id = ?1 AND e.collected IS NOT NULL",
	/* Evidence of a run, optionally of one test id and one signal. */
	[S_EVIDENCE_LIST] =
		"SELECT e.id, n.test_id, e.signal, e.rule, s.path, e.line, "
		"e.section, e.text, e.fields, e.headline FROM evidence e "
		"JOIN sources s ON s.id = e.source_id "
		"LEFT JOIN test_names n ON n.id = e.test "
		"WHERE e.run_id = ?1 AND (?2 IS NULL OR n.test_id = ?2) "
		"AND (?3 IS NULL OR e.signal = ?3) ORDER BY e.id",
	[S_COLLECT_LIST] =
		"SELECT n.test_id, c.exc_type, c.missing, c.message, c.chain, "
		"s.path, c.line FROM collection_errors c "
		"JOIN sources s ON s.id = c.source_id "
		"JOIN test_names n ON n.id = c.test "
		"WHERE c.run_id = ?1 ORDER BY c.id",
	[S_RUNS_BEFORE] = "SELECT id FROM runs WHERE ?1 = 0 OR id < ?1 "
			  "ORDER BY id DESC",
	[S_RUNS_BETWEEN] = "SELECT id FROM runs WHERE imported_at >= ?1 "
			   "AND imported_at < ?2 ORDER BY id",
	[S_RUN_TESTS] =
		"SELECT r.test, n.test_id, r.verdict, r.duration, r.status, "
		"n.file, r.line, r.source_id, r.report_line "
		"FROM runs u JOIN results r ON r.id BETWEEN u.first_result "
		"AND u.last_result JOIN test_names n ON n.id = r.test "
		"WHERE u.id = ?1 AND r.verdict IS NOT NULL ORDER BY n.test_id",
	/* the results that do not decide their test (another input's
	 * record of it, an earlier attempt): which inputs hold which test */
	[S_RUN_OTHER_RESULTS] =
		"SELECT r.test, r.source_id FROM runs u JOIN results r "
		"ON r.id BETWEEN u.first_result AND u.last_result "
		"WHERE u.id = ?1 AND r.verdict IS NULL",
	[S_RUN_TEST_RULES] = "SELECT DISTINCT test, signal, rule FROM evidence "
			     "WHERE run_id = ?1 AND test IS NOT NULL",
	[S_RUN_EVIDENCE] =
		"SELECT e.test, e.signal, e.rule, s.path, e.line, e.text, "
		"n.test_id FROM evidence e JOIN sources s ON s.id = e.source_id "
		"LEFT JOIN test_names n ON n.id = e.test "
		"WHERE e.run_id = ?1 ORDER BY e.id",
	/* result_text is keyed by result id: the run's rows of it are a
	 * range, read until the first pass with output */
	[S_RUN_PASS_OUTPUT] =
		"SELECT EXISTS (SELECT 1 FROM runs u JOIN result_text t "
		"ON t.result_id BETWEEN u.first_result AND u.last_result "
		"JOIN results r ON r.id = t.result_id "
		"JOIN sources s ON s.id = r.source_id "
		"WHERE u.id = ?1 AND r.outcome = 'passed' AND s.format = 'junit' "
		"AND (t.stdout IS NOT NULL OR t.stderr IS NOT NULL))",
	[S_RUN_SOURCES] = "SELECT id, path, truncated_at, format, stopped_at "
			  "FROM sources "
			  "WHERE run_id = ?1 ORDER BY id",
	/* ran: the tests pytest's final line counts (NULL without one;
	 * errors left out, since a test can pass and error in teardown) */
	[S_RUN_SESSIONS] =
		"SELECT s.path, e.collected, e.collect_errors, e.deselected, "
		"e.interrupted, e.line, CASE WHEN e.summary IS NULL THEN NULL "
		"ELSE ifnull(e.passed, 0) + ifnull(e.failed, 0) + "
		"ifnull(e.skipped, 0) + ifnull(e.xfailed, 0) + "
		"ifnull(e.xpassed, 0) END, e.collect_skipped, "
		"ifnull(e.errors, 0), ifnull(e.stopped_after, 0) FROM sessions e "
		"JOIN sources s ON s.id = e.source_id WHERE e.run_id = ?1 "
		"ORDER BY e.id",
	/* Per test over a period (?1, JSON array of run ids; ?2 the index
	 * of its last run): results, flaky verdicts, outcome flips on one
	 * commit, and presence in the first and last run.  p numbers the
	 * period's commits (c; runs naming none share one number), so the
	 * window sorts integers only.  The window (LAG, about 1.5 us a row
	 * on SQLite 3.40) runs only over tests with both outcomes in the
	 * period, the only ones that can flip: in a suite whose failures
	 * keep to a few tests that made the query three times faster.  It
	 * runs over non-skipped results (a skip is no outcome to flip
	 * from). */
	[S_TREND_TESTS] =
		"WITH p AS MATERIALIZED (SELECT pos, lo, hi, "
		"dense_rank() OVER (ORDER BY cmt) AS c FROM "
		"(SELECT CAST(j.key AS INTEGER) AS pos, "
		"u.first_result AS lo, u.last_result AS hi, "
		"(SELECT m.value FROM run_meta m WHERE m.run_id = u.id AND "
		"(m.key = 'commit' OR m.key = 'ci.commit') "
		"ORDER BY m.key = 'commit' DESC LIMIT 1) AS cmt "
		"FROM json_each(?1) j JOIN runs u ON u.id = j.value)), "
		"x AS MATERIALIZED (SELECT r.test, p.pos, p.c, "
		"r.verdict = 'flaky' AS fl, "
		"CASE WHEN r.verdict = 'skipped' THEN NULL "
		"WHEN r.verdict = 'passed' OR r.verdict = 'flaky' THEN 1 "
		"ELSE 0 END AS o FROM p JOIN results r "
		"ON r.id BETWEEN p.lo AND p.hi WHERE r.verdict IS NOT NULL), "
		"a AS MATERIALIZED (SELECT test, count(*) AS runs, "
		"sum(fl) AS flaky, min(pos) = 0 AS f, max(pos) = ?2 AS l, "
		"min(o) <> max(o) AS mixed FROM x GROUP BY test), "
		"fl AS (SELECT test, sum(ifnull(prev_o <> o AND prev_c = c, 0)) "
		"AS flips FROM (SELECT x.test, o, c, LAG(o) OVER w AS prev_o, "
		"LAG(c) OVER w AS prev_c FROM x JOIN a ON a.test = x.test "
		"AND a.mixed WHERE o IS NOT NULL "
		"WINDOW w AS (PARTITION BY x.test ORDER BY pos)) GROUP BY test) "
		"SELECT a.test, n.test_id, a.runs, a.flaky, "
		"ifnull(fl.flips, 0), a.f, a.l FROM a "
		"LEFT JOIN fl ON fl.test = a.test "
		"JOIN test_names n ON n.id = a.test",
	[S_TREND_DURATIONS] =
		"WITH p AS (SELECT CAST(j.key AS INTEGER) AS pos, "
		"u.first_result AS lo, u.last_result AS hi "
		"FROM json_each(?1) j JOIN runs u ON u.id = j.value) "
		"SELECT r.test, r.duration FROM p JOIN results r "
		"ON r.id BETWEEN p.lo AND p.hi "
		"WHERE (r.verdict = 'passed' OR r.verdict = 'flaky') "
		"AND r.duration IS NOT NULL ORDER BY r.test, p.pos",
	[S_TREND_DAYS] =
		"SELECT substr(u.imported_at, 1, 10) AS day, count(*), "
		"sum(u.tests), sum(u.passed), sum(u.failed), sum(u.errors), "
		"sum(u.skipped), sum(u.flaky), sum(u.results), "
		"sum(u.duration) FROM json_each(?1) j "
		"JOIN runs u ON u.id = j.value GROUP BY day ORDER BY day",
	/* A run's results are the range first_result..last_result (one
	 * import is one transaction), found through the rowid; the rest
	 * through each table's run_id index. */
	[S_PRUNE_PROPS_OF_RESULTS] =
		"DELETE FROM properties WHERE result_id BETWEEN "
		"(SELECT first_result FROM runs WHERE id = ?1) AND "
		"(SELECT last_result FROM runs WHERE id = ?1)",
	[S_PRUNE_PROPS_OF_SUITES] =
		"DELETE FROM properties WHERE suite_id IN "
		"(SELECT id FROM suites WHERE run_id = ?1)",
	[S_PRUNE_RESULT_TEXT] =
		"DELETE FROM result_text WHERE result_id BETWEEN "
		"(SELECT first_result FROM runs WHERE id = ?1) AND "
		"(SELECT last_result FROM runs WHERE id = ?1)",
	[S_PRUNE_RESULTS] =
		"DELETE FROM results WHERE id BETWEEN "
		"(SELECT first_result FROM runs WHERE id = ?1) AND "
		"(SELECT last_result FROM runs WHERE id = ?1) AND run_id = ?1",
	[S_PRUNE_EVIDENCE] = "DELETE FROM evidence WHERE run_id = ?1",
	[S_PRUNE_COLLECTION_ERRORS] =
		"DELETE FROM collection_errors WHERE run_id = ?1",
	[S_PRUNE_SESSIONS] = "DELETE FROM sessions WHERE run_id = ?1",
	[S_PRUNE_DIAGNOSTICS] = "DELETE FROM diagnostics WHERE run_id = ?1",
	[S_PRUNE_SUITES] = "DELETE FROM suites WHERE run_id = ?1",
	[S_PRUNE_SOURCES] = "DELETE FROM sources WHERE run_id = ?1",
	[S_PRUNE_META] = "DELETE FROM run_meta WHERE run_id = ?1",
	[S_PRUNE_RUN] = "DELETE FROM runs WHERE id = ?1",
	[S_RUN_TOTAL] = "SELECT count(*) FROM runs",
	/* Every table that refers to a test name (the schema's REFERENCES
	 * test_names): each subquery is read once into a temporary index,
	 * so this is one pass over each table, whatever the number of
	 * names. */
	[S_NAMES_ORPHANED] =
		"DELETE FROM test_names WHERE "
		"id NOT IN (SELECT test FROM results) AND "
		"id NOT IN (SELECT test FROM evidence WHERE test IS NOT NULL) "
		"AND id NOT IN (SELECT test FROM collection_errors)",
};

int tg_store__fail(tg_store *st, tg_err *err, const char *what)
{
	int code = sqlite3_extended_errcode(st->db);
	bool disk = code == SQLITE_FULL || code == SQLITE_IOERR_WRITE ||
		    code == SQLITE_IOERR_FSYNC || code == SQLITE_READONLY;
	/* A cut-off copy (a CI cache restored halfway) or a damaged disk:
	 * truegreen never rewrites such a file, so say what the user can do */
	bool damaged = (code & 0xff) == SQLITE_CORRUPT;

	/* Copy now: the next SQLite call overwrites the message. */
	tg_err_set(err, TG_EDB, "%s: %s (database '%s')%s", what,
		   sqlite3_errmsg(st->db), st->path,
		   disk ? "; is the disk full or the database read-only?"
		   : damaged
		       ? "; the file is damaged: restore it from a copy, or "
			 "move it aside and start a new history"
		       : "");
	if (err->cause == 0)
		err->cause = code;
	return TG_EDB;
}

sqlite3_stmt *tg_store__stmt(tg_store *st, tg_stmt_id id, tg_err *err)
{
	sqlite3_stmt *s = st->stmts[id];

	if (s) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return s;
	}
	if (sqlite3_prepare_v3(st->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT,
			       &s, NULL) != SQLITE_OK) {
		tg_store__fail(st, err, "cannot prepare a query");
		return NULL;
	}
	st->stmts[id] = s;
	return s;
}

void tg_store__counts(tg_counts *c, sqlite3_stmt *s, int col)
{
	c->tests = (uint64_t)sqlite3_column_int64(s, col);
	c->passed = (uint64_t)sqlite3_column_int64(s, col + 1);
	c->failed = (uint64_t)sqlite3_column_int64(s, col + 2);
	c->errors = (uint64_t)sqlite3_column_int64(s, col + 3);
	c->skipped = (uint64_t)sqlite3_column_int64(s, col + 4);
	c->flaky = (uint64_t)sqlite3_column_int64(s, col + 5);
	c->results = (uint64_t)sqlite3_column_int64(s, col + 6);
	c->duration = sqlite3_column_double(s, col + 7);
}

int tg_store__exec(tg_store *st, sqlite3_stmt *s, const char *what,
		   tg_err *err)
{
	int rc = sqlite3_step(s);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return tg_store__fail(st, err, what);
	sqlite3_reset(s);
	return 0;
}

int tg_store__scalar(int64_t *out, tg_store *st, sqlite3_stmt *s,
		     const char *what, tg_err *err)
{
	int rc = sqlite3_step(s);

	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : tg_store__fail(st, err, what);
}

int tg_store__bind_text(sqlite3_stmt *s, int i, const char *v, size_t n,
			bool null_if_empty)
{
	if (!v || (n == 0 && null_if_empty))
		return sqlite3_bind_null(s, i);
	if (n > INT_MAX)
		return SQLITE_TOOBIG;
	return sqlite3_bind_text(s, i, v, (int)n, SQLITE_STATIC);
}

int tg_store__bind_str(sqlite3_stmt *s, int i, const char *v)
{
	return tg_store__bind_text(s, i, v, v ? strlen(v) : 0, true);
}

int tg_store__bind_opt_double(sqlite3_stmt *s, int i, bool has, double v)
{
	return has ? sqlite3_bind_double(s, i, v) : sqlite3_bind_null(s, i);
}

int tg_store__bind_opt_int(sqlite3_stmt *s, int i, bool has, int64_t v)
{
	return has ? sqlite3_bind_int64(s, i, v) : sqlite3_bind_null(s, i);
}

/* ---- transactions ------------------------------------------------------ */

static int begin_write(tg_store *st, bool bulk, tg_err *err)
{
	sqlite3_stmt *s;
	int rc;

	/* the pragma is a no-op inside a transaction: set it before */
	if (st->fk_off != bulk) {
		if (sqlite3_exec(st->db, bulk ? "PRAGMA foreign_keys = OFF"
					      : "PRAGMA foreign_keys = ON",
				 NULL, NULL, NULL) != SQLITE_OK)
			return tg_store__fail(st, err,
					      "cannot configure the database");
		st->fk_off = bulk;
	}
	if (!(s = tg_store__stmt(st, S_BEGIN_WRITE, err)))
		return TG_EDB;
	/* IMMEDIATE: a deferred transaction that later writes can get
	 * SQLITE_BUSY without the busy handler ever waiting. */
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return tg_err_set(err, TG_EDB,
				  "database '%s' is locked by another writer "
				  "(waited %u s)",
				  st->path, st->lock_wait_ms / 1000);
	if (rc != SQLITE_DONE)
		return tg_store__fail(st, err, "cannot start a transaction");
	st->in_txn = true;
	tg_store__seen_release(st);
	return 0;
}

int tg_store__begin_write(tg_store *st, tg_err *err)
{
	return begin_write(st, false, err);
}

int tg_store__begin_bulk(tg_store *st, tg_err *err)
{
	return begin_write(st, true, err);
}

int tg_store__begin_read(tg_store *st, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_BEGIN_READ, err);

	if (!s || tg_store__exec(st, s, "cannot start a read", err))
		return TG_EDB;
	st->in_txn = true;
	return 0;
}

int tg_store__commit(tg_store *st, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_COMMIT, err);

	if (!s || tg_store__exec(st, s, "cannot commit", err))
		return TG_EDB; /* the caller rolls back */
	st->in_txn = false;
	tg_store__seen_release(st);
	return 0;
}

static int step_id(tg_store *st, tg_stmt_id id, const char *what,
		   tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, id, err);

	return !s || tg_store__exec(st, s, what, err) ? TG_EDB : 0;
}

int tg_store__savepoint(tg_store *st, tg_err *err)
{
	return step_id(st, S_SAVEPOINT, "cannot start an input", err);
}

int tg_store__savepoint_release(tg_store *st, tg_err *err)
{
	return step_id(st, S_SAVEPOINT_RELEASE, "cannot keep an input", err);
}

int tg_store__savepoint_undo(tg_store *st, tg_err *err)
{
	return step_id(st, S_SAVEPOINT_UNDO, "cannot drop an input", err) ||
			       tg_store__savepoint_release(st, err)
		       ? TG_EDB
		       : 0;
}

void tg_store__rollback(tg_store *st)
{
	if (!st->in_txn)
		return;
	/* Not through the cache: rollback must work even when preparing
	 * fails (out of memory, or the statement table is half built). */
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_txn = false;
	tg_store__seen_release(st);
}

/* ---- open and migrate -------------------------------------------------- */

int tg_store_schema_version(void)
{
	return tg_schema_latest;
}

static int pragma_int(tg_store *st, const char *pragma, int *out, tg_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, pragma, -1, &s, NULL) != SQLITE_OK)
		return tg_store__fail(st, err, "cannot read the database");
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return tg_store__fail(st, err, "cannot read the database");
	return 0;
}

/* Whether the database already holds tables (another program's). */
static int has_tables(tg_store *st, bool *out, tg_err *err)
{
	int n;
	int rc = pragma_int(st, "SELECT count(*) FROM sqlite_schema", &n, err);

	*out = n > 0;
	return rc;
}

static int check_identity(tg_store *st, int version, tg_err *err)
{
	int app;
	bool tables;

	if (pragma_int(st, "PRAGMA application_id", &app, err))
		return TG_EDB;
	if (app != 0 && app != TG_APPLICATION_ID)
		return tg_err_set(err, TG_EDB,
				  "'%s' is not a truegreen database "
				  "(application_id %d)",
				  st->path, app);
	if (version > tg_schema_latest)
		return tg_err_set(err, TG_EDB,
				  "database '%s' was written by a newer "
				  "truegreen (schema %d > %d); upgrade "
				  "truegreen to read it",
				  st->path, version, tg_schema_latest);
	if (version == 0) {
		if (has_tables(st, &tables, err))
			return TG_EDB;
		if (tables)
			return tg_err_set(err, TG_EDB,
					  "'%s' is not a truegreen database",
					  st->path);
	}
	return 0;
}

static int migrate(tg_store *st, tg_err *err)
{
	char pragma[64];
	int version, v;

	if (pragma_int(st, "PRAGMA user_version", &version, err))
		return TG_EDB;
	/* Up to date, or newer than us: both final, decided without the
	 * lock.  Anything else is judged under it: read outside, the version
	 * and the tables can come from either side of another process's
	 * migration (test_crash.sh: 8 imports into a new database once said
	 * "not a truegreen database"). */
	if (version >= tg_schema_latest)
		return check_identity(st, version, err) ? TG_EDB : 0;
	if (tg_store__begin_write(st, err))
		return TG_EDB;
	/* Read again under the lock: another process may have migrated. */
	if (pragma_int(st, "PRAGMA user_version", &version, err) ||
	    check_identity(st, version, err))
		goto fail;
	for (v = version; v < tg_schema_latest; v++) {
		char *msg = NULL;
		if (sqlite3_exec(st->db, tg_migrations[v].sql, NULL, NULL,
				 &msg) != SQLITE_OK) {
			tg_err_set(err, TG_EDB, "schema migration %s failed: %s",
				   tg_migrations[v].name,
				   msg ? msg : "unknown error");
			sqlite3_free(msg);
			goto fail;
		}
	}
	/* Our own constant, not input: safe to format. */
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
		 tg_schema_latest);
	if (sqlite3_exec(st->db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
		tg_store__fail(st, err, "cannot record the schema version");
		goto fail;
	}
	if (tg_store__commit(st, err))
		goto fail;
	return 0;
fail:
	tg_store__rollback(st);
	return TG_EDB;
}

/*
 * Switching a new database to WAL takes an exclusive lock, and SQLite
 * answers SQLITE_BUSY there without calling the busy handler, so two
 * processes creating one database at once must retry by hand (bounded by
 * lock_wait_ms, backing off up to 100 ms).
 */
static int set_wal(tg_store *st, sqlite3_stmt *s)
{
	unsigned waited = 0, pause = 1;
	int rc;

	for (;;) {
		rc = sqlite3_step(s);
		if ((rc & 0xff) != SQLITE_BUSY || waited >= st->lock_wait_ms)
			return rc;
		sqlite3_reset(s);
		sqlite3_sleep((int)pause);
		waited += pause;
		pause = pause < 100 ? pause * 2 : 100;
	}
}

static int configure(tg_store *st, bool readonly, tg_err *err)
{
	sqlite3_stmt *s;
	const unsigned char *mode;
	int rc;

	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, (int)st->lock_wait_ms);
	if (readonly)
		return 0;
	/* before anything is written: a no-op on an existing database */
	if (sqlite3_exec(st->db, "PRAGMA page_size = " TG_STORE_PAGE_SIZE,
			 NULL, NULL, NULL) != SQLITE_OK)
		return tg_store__fail(st, err, "cannot open the database");
	if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode = WAL", -1, &s,
			       NULL) != SQLITE_OK)
		return tg_store__fail(st, err, "cannot open the database");
	rc = set_wal(st, s);
	mode = rc == SQLITE_ROW ? sqlite3_column_text(s, 0) : NULL;
	/* WAL can be refused (some network file systems): say so. */
	if (!mode || (strcmp((const char *)mode, "wal") != 0 &&
		      strcmp((const char *)mode, "memory") != 0)) {
		sqlite3_finalize(s);
		if (rc != SQLITE_ROW)
			return tg_store__fail(st, err,
					      "cannot open the database");
		return tg_err_set(err, TG_EDB,
				  "database '%s' cannot use WAL journaling",
				  st->path);
	}
	sqlite3_finalize(s);
	/* NORMAL in WAL survives a process crash; a power loss may drop
	 * the last commits (README, "Durability"). */
	if (sqlite3_exec(st->db,
			 "PRAGMA synchronous = NORMAL; "
			 "PRAGMA foreign_keys = ON; "
			 "PRAGMA cache_size = " TG_STORE_CACHE,
			 NULL, NULL, NULL) != SQLITE_OK)
		return tg_store__fail(st, err, "cannot configure the database");
	return 0;
}

int tg_store_open(tg_store **out, const char *path, const tg_store_opts *opts,
		  tg_err *err)
{
	tg_store_opts defaults = TG_STORE_OPTS_INIT;
	tg_store *st;
	int flags;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	/* SQLite opens "" as a private temporary database: whatever went
	 * in would be gone at close */
	if (!path || !path[0])
		return tg_err_set(err, TG_EUSAGE, "the database path is empty");
	st = tg_calloc(1, sizeof(*st));
	if (!st || !(st->path = tg_strdup(path))) {
		tg_free(st);
		return tg_err_nomem(err);
	}
	st->lock_wait_ms = opts->lock_wait_ms;
	flags = opts->readonly ? SQLITE_OPEN_READONLY
	      : opts->existing ? SQLITE_OPEN_READWRITE
			       : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &st->db, flags | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		if (st->db && !(flags & SQLITE_OPEN_CREATE) &&
		    access(path, F_OK) != 0 && errno == ENOENT)
			tg_err_set(err, TG_EDB,
				   "no database at '%s' (import a run first, "
				   "or name one with --db)",
				   path);
		else if (st->db)
			tg_err_set(err, TG_EDB, "cannot open database '%s': %s",
				   path, sqlite3_errmsg(st->db));
		else
			tg_err_nomem(err);
		tg_store_close(st);
		return err->code;
	}
	if (configure(st, opts->readonly, err) ||
	    (!opts->readonly && migrate(st, err))) {
		tg_store_close(st);
		return TG_EDB;
	}
	if (opts->readonly) {
		int version;
		if (pragma_int(st, "PRAGMA user_version", &version, err) ||
		    check_identity(st, version, err) ||
		    (version < TG_SCHEMA_READ_MIN &&
		     tg_err_set(err, TG_EDB,
				"database '%s' has schema %d and needs a "
				"migration; open it writable once",
				path, version))) {
			tg_store_close(st);
			return TG_EDB;
		}
	}
	*out = st;
	return 0;
}

void tg_store_close(tg_store *st)
{
	size_t i;

	if (!st)
		return;
	tg_store__rollback(st);
	tg_store__seen_release(st);
	for (i = 0; i < S_STMT_COUNT; i++)
		sqlite3_finalize(st->stmts[i]);
	sqlite3_close(st->db);
	tg_free(st->path);
	tg_free(st);
}
