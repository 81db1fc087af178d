/*
 * test_pytest.c - pytest console logs and report-logs: every test,
 * outcome, duration, warning and collection error of real pytest runs
 * (fixtures/pytest, made by regen.sh), alone and joined with their JUnit
 * XML; the evidence each yields; logs that are cut, noisy or not pytest.
 */
#include "helpers.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "lines.h"

#define PY(f) FIXTURE("pytest/" f)

typedef struct expect {
	const char *id, *outcome;
} expect;

/* What the suite's 23 tests did (v_rA.log's -v and -rA lines). */
static const expect suite[] = {
	{"tests/e2e/test_chat_flow.py", "error"},
	{"tests/e2e/test_golden_path.py", "error"},
	{"tests/test_async_base.py::TestChatE2E::test_receive_message", "passed"},
	{"tests/test_async_base.py::TestChatE2E::test_send_message", "passed"},
	{"tests/test_async_base.py::TestChatIsolated::test_awaited", "passed"},
	{"tests/test_basic.py::TestGroup::test_method", "passed"},
	{"tests/test_basic.py::test_fail", "failed"},
	{"tests/test_basic.py::test_output", "passed"},
	{"tests/test_basic.py::test_param[a b-c::d]", "passed"},
	{"tests/test_basic.py::test_param[x]", "passed"},
	{"tests/test_basic.py::test_pass", "passed"},
	{"tests/test_basic.py::test_skipped", "skipped"},
	{"tests/test_basic.py::test_slow_real_work", "passed"},
	{"tests/test_basic.py::test_teardown_error", "error"},
	{"tests/test_basic.py::test_warns", "passed"},
	{"tests/test_basic.py::test_xfail", "skipped"},
	{"tests/test_fallback.py::test_chat_roundtrip", "passed"},
	{"tests/test_fallback.py::test_fallback_status_leaks", "failed"},
	{"tests/test_fallback.py::test_fetch_items", "passed"},
	{"tests/test_live_log.py::test_live_logging", "passed"},
	{"tests/test_real.py::test_health_real", "passed"},
	{"tests/test_real.py::test_slow_endpoint_real", "passed"},
	{"tests/test_real.py::test_staging_down_real", "failed"},
};
#define NSUITE (sizeof(suite) / sizeof(suite[0]))

static const char *expected_outcome(const char *id)
{
	size_t i;

	for (i = 0; i < NSUITE; i++)
		if (strcmp(suite[i].id, id) == 0)
			return suite[i].outcome;
	return NULL;
}

/* Every test in t is one of the suite's, with the suite's outcome; and
 * there are n of them. */
static void assert_suite(const th_tests *t, size_t n)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		const char *want = expected_outcome(t->v[i].id);
		if (!want)
			fail_msg("unexpected test '%s'", t->v[i].id);
		if (strcmp(want, t->v[i].outcome) != 0)
			fail_msg("'%s': %s, expected %s", t->v[i].id,
				 t->v[i].outcome, want);
	}
	assert_int_equal(t->n, n);
}

/* A run imported into a fresh database file, for SQL checks. */
typedef struct fixture_db {
	char path[512];
	tg_store *st;
	sqlite3 *db;
	tg_import_result res;
	th_tests tests;
} fixture_db;

static void open_db(fixture_db *f)
{
	tg_store_opts so = TG_STORE_OPTS_INIT;
	tg_err err = TG_ERR_INIT;

	memset(f, 0, sizeof(*f));
	th_tmp_db(f->path, sizeof(f->path));
	assert_int_equal(tg_store_open(&f->st, f->path, &so, &err), 0);
}

static void import_into(fixture_db *f, const char *const *paths, size_t n)
{
	tg_err err = TG_ERR_INIT;

	if (th_import(f->st, paths, n, &f->res, &err) != 0)
		fail_msg("import: %s (%s:%llu)", err.msg, err.file,
			 (unsigned long long)err.line);
	th_collect(f->st, f->res.run_id, &f->tests);
	assert_int_equal(sqlite3_open_v2(f->path, &f->db, SQLITE_OPEN_READONLY,
					 NULL),
			 SQLITE_OK);
}

static void close_db(fixture_db *f)
{
	sqlite3_close(f->db);
	th_tests_free(&f->tests);
	tg_store_close(f->st);
	th_rm_db(f->path);
}

/* The integer a query returns (one row, one column); binds text ?1. */
static int64_t sql_int(sqlite3 *db, const char *sql, const char *arg)
{
	sqlite3_stmt *s;
	int64_t v;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (arg)
		sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void sql_text(sqlite3 *db, const char *sql, const char *arg, char *out,
		     size_t n)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (arg)
		sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(out, n, "%s",
		 sqlite3_column_text(s, 0) ? (const char *)sqlite3_column_text(s, 0)
					   : "(null)");
	sqlite3_finalize(s);
}

/* Evidence rows of rule for test id (NULL: the run) */
static int64_t evidence_of(sqlite3 *db, const char *rule, const char *id)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM evidence e LEFT JOIN test_names n ON "
		 "n.id = e.test WHERE e.rule = '%s' AND %s",
		 rule, id ? "n.test_id = ?1" : "e.test IS NULL");
	return sql_int(db, sql, id);
}

/* ---- the console log ---------------------------------------------------- */

static void test_pytest__verbose_log_every_test_and_the_session(void **state)
{
	const char *p = PY("v_rA.log");
	fixture_db f;
	char s[512];

	(void)state;
	open_db(&f);
	import_into(&f, &p, 1);
	assert_suite(&f.tests, NSUITE);
	assert_int_equal(f.res.counts.passed, 15);
	assert_int_equal(f.res.counts.failed, 3);
	assert_int_equal(f.res.counts.errors, 3);
	assert_int_equal(f.res.counts.skipped, 2);
	assert_int_equal(f.res.collection_errors, 2);
	assert_false(f.res.truncated);
	/* xfail keeps its status; --durations=0 gives the slow ones */
	assert_string_equal(th_find(&f.tests, "tests/test_basic.py::test_xfail")
				    ->status,
			    "xfail");
	assert_true(th_find(&f.tests, "tests/test_real.py::test_slow_endpoint_real")
			    ->duration > 0.29);
	/* the message comes from the short summary */
	assert_string_equal(th_find(&f.tests, "tests/test_basic.py::test_fail")
				    ->message,
			    "AssertionError: staging returned 503");
	/* the session: header, collected line and final line */
	assert_int_equal(sql_int(f.db, "SELECT collected FROM sessions", NULL), 21);
	assert_int_equal(sql_int(f.db, "SELECT collect_errors FROM sessions", NULL), 2);
	assert_int_equal(sql_int(f.db, "SELECT passed FROM sessions", NULL), 16);
	assert_int_equal(sql_int(f.db, "SELECT warnings FROM sessions", NULL), 6);
	sql_text(f.db, "SELECT tool_version || ' ' || python_version || ' ' || "
		       "plugins FROM sessions", NULL, s, sizeof(s));
	assert_string_equal(s, "7.2.1 3.11.2 rerunfailures-10.2, asyncio-0.20.3, "
			       "xdist-3.1.0");
	/* 21 collected, 21 stored besides the 2 broken modules: agreed */
	assert_int_equal(sql_int(f.db, "SELECT count(*) FROM diagnostics", NULL), 0);
	close_db(&f);
}

static void test_pytest__evidence_lands_on_its_test(void **state)
{
	const char *p = PY("v_rA.log");
	fixture_db f;

	(void)state;
	open_db(&f);
	import_into(&f, &p, 1);
	/* warnings summary -> the never-awaited async tests */
	assert_int_equal(evidence_of(f.db, "coroutine.never-awaited",
				     "tests/test_async_base.py::TestChatE2E::test_send_message"), 1);
	assert_int_equal(evidence_of(f.db, "coroutine.return-not-none",
				     "tests/test_async_base.py::TestChatE2E::test_receive_message"), 1);
	assert_int_equal(evidence_of(f.db, "coroutine.never-awaited",
				     "tests/test_async_base.py::TestChatIsolated::test_awaited"), 0);
	/* PASSES captured logs -> the fixture's fallback, per test */
	assert_int_equal(evidence_of(f.db, "app.mock-fallback",
				     "tests/test_fallback.py::test_fetch_items"), 1);
	assert_int_equal(evidence_of(f.db, "app.mock-fallback",
				     "tests/test_fallback.py::test_chat_roundtrip"), 1);
	/* real DEBUG network lines on the real tests, none on the mocked */
	assert_int_equal(evidence_of(f.db, "urllib3.request",
				     "tests/test_real.py::test_health_real"), 1);
	assert_int_equal(evidence_of(f.db, "urllib3.request",
				     "tests/test_fallback.py::test_fetch_items"), 0);
	/* a MagicMock leaking into a failure, from the traceback */
	assert_true(evidence_of(f.db, "mock.repr",
				"tests/test_fallback.py::test_fallback_status_leaks") >= 2);
	/* a collection-time warning belongs to the run */
	assert_int_equal(evidence_of(f.db, "import.cannot-collect-class", NULL), 1);
	/* code lines of a traceback are not evidence: the assert line of
	 * test_fail is shown, its E line is the one match */
	assert_int_equal(evidence_of(f.db, "http.server-error",
				     "tests/test_basic.py::test_fail"), 1);
	/* every row knows where it was read */
	assert_int_equal(sql_int(f.db, "SELECT count(*) FROM evidence WHERE "
				       "line IS NULL OR line < 1", NULL), 0);
	close_db(&f);
}

static void test_pytest__import_chain_of_renamed_modules(void **state)
{
	const char *p = PY("v_rA.log");
	fixture_db f;
	char s[1024];

	(void)state;
	open_db(&f);
	import_into(&f, &p, 1);
	sql_text(f.db, "SELECT exc_type || '|' || missing || '|' || chain FROM "
		       "collection_errors c JOIN test_names n ON n.id = c.test "
		       "WHERE n.test_id = ?1",
		 "tests/e2e/test_golden_path.py", s, sizeof(s));
	assert_string_equal(s, "ImportError|TestEnvironmentConfig|"
			       "[\"tests/e2e/test_golden_path.py\","
			       "\"tests.e2e.integration.harness\","
			       "\"tests.e2e.test_environment_config\"]");
	sql_text(f.db, "SELECT exc_type || '|' || missing || '|' || chain FROM "
		       "collection_errors c JOIN test_names n ON n.id = c.test "
		       "WHERE n.test_id = ?1",
		 "tests/e2e/test_chat_flow.py", s, sizeof(s));
	assert_string_equal(s, "ModuleNotFoundError|"
			       "tests.e2e.integration.unified_e2e_harness|"
			       "[\"tests/e2e/test_chat_flow.py\","
			       "\"tests.e2e.integration.unified_e2e_harness\"]");
	close_db(&f);
}

typedef struct variant {
	const char *file;
	size_t tests;       /* tests the log names */
	bool truncated;
} variant;

/* Other outputs of the same suite: every test they name has the
 * outcome the -v log gives it, and they name as many as they can. */
static void test_pytest__every_console_style(void **state)
{
	static const variant v[] = {
		{"v_rA.log", 23, false},
		/* -rA without -v: skips are grouped by line, unnamed */
		{"q_rA.log", 22, false},
		/* -q: only failures and errors are named */
		{"q.log", 6, false},
		{"xdist.log", 23, false},
		/* -s: no "[ 44%]", output between id and outcome */
		{"v_s.log", 23, false},
		{"xdist_s.log", 23, false},
		{"log_cli.log", 23, false},
		{"color.log", 23, false},
		{"ci_noise.log", 23, false},
		/* collection errors stop the session: only the modules */
		{"interrupted.log", 2, false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char path[512];
		const char *p = path;
		tg_store *st = th_store_memory();
		tg_import_result res;
		tg_err err = TG_ERR_INIT;
		th_tests t;

		snprintf(path, sizeof(path), "%s", PY("") );
		snprintf(path + strlen(path), sizeof(path) - strlen(path),
			 "%s", v[i].file);
		print_message("%s\n", v[i].file);
		if (th_import(st, &p, 1, &res, &err))
			fail_msg("%s: %s", v[i].file, err.msg);
		th_collect(st, res.run_id, &t);
		assert_suite(&t, v[i].tests);
		assert_int_equal(res.truncated, v[i].truncated);
		assert_int_equal(res.collection_errors, 2);
		th_tests_free(&t);
		tg_store_close(st);
	}
}

/* Live logging: the id line, the live log, then the outcome alone. */
static void test_pytest__live_log_lines_belong_to_the_running_test(void **state)
{
	const char *p = PY("log_cli.log");
	fixture_db f;

	(void)state;
	open_db(&f);
	import_into(&f, &p, 1);
	assert_int_equal(evidence_of(f.db, "app.mock-fallback",
				     "tests/test_live_log.py::test_live_logging"), 1);
	assert_int_equal(sql_int(f.db, "SELECT count(*) FROM evidence WHERE "
				       "section = 'live log'", NULL),
			 sql_int(f.db, "SELECT count(*) FROM evidence WHERE "
				       "section = 'live log' AND test IS NOT NULL",
				 NULL));
	close_db(&f);
}

/* -rA without -v names the passes only in the summary, after their
 * PASSES sections: the captured logs wait for the name (headline alias). */
static void test_pytest__headlines_resolve_after_the_summary(void **state)
{
	const char *p = PY("q_rA.log");
	fixture_db f;

	(void)state;
	open_db(&f);
	import_into(&f, &p, 1);
	assert_int_equal(evidence_of(f.db, "app.mock-fallback",
				     "tests/test_fallback.py::test_fetch_items"), 1);
	assert_int_equal(sql_int(f.db, "SELECT count(*) FROM evidence WHERE "
				       "headline IS NOT NULL", NULL), 0);
	close_db(&f);
}

/*
 * pytest -q prints no header: the log starts with its progress
 * characters, which count towards the warning that the log leaves
 * tests unnamed.  It used to start the session only at the first banner,
 * so the 22 results went uncounted and nothing said why the run held 6
 * tests of the 22 the final line reports.
 */
static void test_pytest__quiet_log_says_it_names_few(void **state)
{
	const char *p = PY("q.log");
	fixture_db f;

	(void)state;
	open_db(&f);
	import_into(&f, &p, 1);
	assert_int_equal(sql_int(f.db, "SELECT count(*) FROM diagnostics "
				       "WHERE message LIKE 'the log shows 22 "
				       "results as progress characters and "
				       "names 6 tests;%'",
				 NULL),
			 1);
	close_db(&f);
}

/*
 * Under -s what a test prints goes to the console, between its id and its
 * outcome: it is that test's output, and evidence on it.  (pytest 7.2.1
 * -v -s writes no "[ 44%]" either; these lines used to be read as
 * nothing, and the tests as missing.)
 */
static void test_pytest__uncaptured_output_belongs_to_its_test(void **state)
{
	static const char log[] =
		"============================= test session starts "
		"==============================\n"
		"collecting ... collected 2 items\n"
		"\n"
		"tests/test_x.py::test_a[b c] Backend unreachable; falling back "
		"to MockClient\n"
		"still running\n"
		"PASSED\n"
		"tests/test_x.py::test_b PASSED\n"
		"\n"
		"============================== 2 passed in 0.01s "
		"===============================\n";
	const char *p = th_write_tmp("s.log", log, sizeof(log) - 1);
	fixture_db f;

	(void)state;
	open_db(&f);
	import_into(&f, &p, 1);
	assert_int_equal(f.tests.n, 2);
	assert_non_null(th_find(&f.tests, "tests/test_x.py::test_a[b c]"));
	assert_int_equal(evidence_of(f.db, "app.mock-fallback",
				     "tests/test_x.py::test_a[b c]"),
			 1);
	assert_int_equal(sql_int(f.db, "SELECT count(DISTINCT line) FROM "
				       "evidence WHERE section = 'output'",
				 NULL),
			 1);
	close_db(&f);
}

/*
 * Under xdist tests run side by side: a line between progress lines is
 * no test's output.  After -s support made a started test's lines its
 * output, such a line went to the last test started, and a fallback
 * message printed by the session would have accused it.
 */
static void test_pytest__xdist_lines_belong_to_no_test(void **state)
{
	static const char log[] =
		"============================= test session starts "
		"==============================\n"
		"gw0 [2] / gw1 [2]\n"
		"\n"
		"tests/test_x.py::test_a \n"
		"tests/test_x.py::test_b \n"
		"[gw0] [ 50%] PASSED tests/test_x.py::test_a \n"
		"Backend unreachable; falling back to MockClient\n"
		"[gw1] [100%] PASSED tests/test_x.py::test_b \n"
		"\n"
		"============================== 2 passed in 0.01s "
		"===============================\n";
	const char *p = th_write_tmp("x.log", log, sizeof(log) - 1);
	fixture_db f;

	(void)state;
	open_db(&f);
	import_into(&f, &p, 1);
	assert_int_equal(f.tests.n, 2);
	assert_int_equal(sql_int(f.db, "SELECT count(*) FROM evidence WHERE "
				       "test IS NOT NULL",
				 NULL),
			 0);
	close_db(&f);
}

/* ---- report-log and joins ---------------------------------------------- */

static void test_pytest__report_log_alone(void **state)
{
	const char *p = PY("v_rA.jsonl");
	fixture_db f;
	const th_test *t;

	(void)state;
	open_db(&f);
	import_into(&f, &p, 1);
	assert_suite(&f.tests, NSUITE);
	/* exact per-phase durations: 0.2 s of sleep, plus a little */
	t = th_find(&f.tests, "tests/test_basic.py::test_slow_real_work");
	assert_true(t->has_duration && t->duration > 0.2 &&
		    t->duration < 0.3);
	assert_true(t->duration != 0.20);
	/* warnings follow their test's teardown */
	assert_int_equal(evidence_of(f.db, "coroutine.never-awaited",
				     "tests/test_async_base.py::TestChatE2E::test_send_message"), 1);
	assert_int_equal(evidence_of(f.db, "coroutine.never-awaited",
				     "tests/test_async_base.py::TestChatE2E::test_receive_message"), 1);
	/* sections of passing tests: the fallback and real traffic */
	assert_int_equal(evidence_of(f.db, "app.mock-fallback",
				     "tests/test_fallback.py::test_chat_roundtrip"), 1);
	assert_int_equal(evidence_of(f.db, "urllib3.request",
				     "tests/test_real.py::test_slow_endpoint_real"), 1);
	assert_int_equal(sql_int(f.db, "SELECT exit_status FROM sessions", NULL), 1);
	assert_int_equal(f.res.collection_errors, 2);
	close_db(&f);
}

typedef struct told {
	unsigned disagree, more;
	char first[512];
} told;

static void count_told(const tg_diag *d, void *payload)
{
	told *t = payload;

	if (strncmp(d->msg, "inputs disagree on '", 20) == 0 &&
	    t->disagree++ == 0)
		snprintf(t->first, sizeof(t->first), "%s", d->msg);
	if (strstr(d->msg, "more tests (every one is stored"))
		t->more++;
}

/* Import inputs as one run into f, telling t of the warnings. */
static void import_telling(fixture_db *f, const char *const *paths, size_t n,
			   told *t)
{
	tg_import_opts opts = TG_IMPORT_OPTS_INIT;
	tg_import *imp;
	tg_err err = TG_ERR_INIT;
	size_t i;

	memset(t, 0, sizeof(*t));
	opts.diag = count_told;
	opts.diag_payload = t;
	assert_int_equal(tg_import_new(&imp, f->st, &opts, &err), 0);
	for (i = 0; i < n; i++)
		if (tg_import_add_path(imp, paths[i], &err))
			fail_msg("%s: %s", paths[i], err.msg);
	assert_int_equal(tg_import_finish(imp, &f->res, &err), 0);
	tg_import_free(imp);
	th_collect(f->st, f->res.run_id, &f->tests);
	assert_int_equal(sqlite3_open_v2(f->path, &f->db, SQLITE_OPEN_READONLY,
					 NULL),
			 SQLITE_OK);
}

/*
 * pytest-rerunfailures 10.2 writes only a test's last attempt to the
 * JUnit XML; the console log of the same invocation shows its RERUN.
 * Joined, the input that saw more attempts decides: the test is flaky,
 * not the plain pass the more precise XML said, and the disagreement is
 * printed, not only stored (it was neither).
 */
static void test_pytest__the_input_that_saw_the_rerun_decides(void **state)
{
	const char *p[] = {PY("importorskip.xml"), PY("importorskip.log")};
	fixture_db f;
	told t;
	const th_test *x;

	(void)state;
	open_db(&f);
	import_telling(&f, p, 2, &t);
	x = th_find(&f.tests, "tests_misc/test_flaky.py::"
			      "test_flaky_passes_on_rerun");
	assert_non_null(x);
	assert_string_equal(x->outcome, "flaky");
	assert_int_equal(x->attempts, 2);
	assert_int_equal(t.disagree, 2);
	assert_non_null(strstr(t.first, "test_flaky_passes_on_rerun': "
					 "flaky in '"));
	assert_int_equal(sql_int(f.db, "SELECT count(*) FROM diagnostics "
				       "WHERE message LIKE 'inputs disagree "
				       "on ''%'",
				 NULL),
			 2);
	close_db(&f);
}

/*
 * When the console log decides a joined test (it saw the RERUN), the
 * duration still comes from the most precise input that has one: the
 * JUnit XML's millisecond time, not the log's --durations to 10 ms.
 */
static void test_pytest__duration_from_the_most_precise_input(void **state)
{
	static const char log[] =
		"============================= test session starts ====\n"
		"collected 1 item\n\n"
		"t/test_a.py::test_x RERUN                           [100%]\n"
		"t/test_a.py::test_x PASSED                          [100%]\n\n"
		"============================ slowest durations =======\n"
		"0.50s call     t/test_a.py::test_x\n\n"
		"===================== 1 passed, 1 rerun in 1.00s =====\n";
	static const char xml[] =
		"<testsuite name=\"pytest\"><testcase classname=\"t.test_a\" "
		"name=\"test_x\" time=\"1.234\"/></testsuite>";
	const char *p[2];
	const th_test *t;
	fixture_db f;

	(void)state;
	p[0] = strdup(th_write_tmp("d.xml", xml, sizeof(xml) - 1));
	p[1] = th_write_tmp("d.log", log, sizeof(log) - 1);
	open_db(&f);
	import_into(&f, p, 2);
	t = th_find(&f.tests, "t/test_a.py::test_x");
	assert_non_null(t);
	assert_string_equal(t->outcome, "flaky");
	assert_true(t->has_duration);
	assert_near(t->duration, 1.234, 1e-9);
	close_db(&f);
	free((void *)p[0]);
}

/* Many disagreements: all stored, the first ten printed, then a count. */
static void test_pytest__disagreements_printed_are_few(void **state)
{
	char xml[8192], log[8192];
	size_t nx = 0, nl = 0;
	const char *p[2];
	fixture_db f;
	told t;
	unsigned i;

	(void)state;
	nx += (size_t)snprintf(xml + nx, sizeof(xml) - nx,
			       "<testsuite name=\"pytest\">");
	nl += (size_t)snprintf(log + nl, sizeof(log) - nl,
			       "=== test session starts ===\n"
			       "collected 25 items\n\n");
	for (i = 0; i < 25; i++) {
		nx += (size_t)snprintf(xml + nx, sizeof(xml) - nx,
				       "<testcase classname=\"tests.test_d\" "
				       "name=\"test_%u\" time=\"1\"/>",
				       i);
		nl += (size_t)snprintf(log + nl, sizeof(log) - nl,
				       "tests/test_d.py::test_%u FAILED\n", i);
	}
	nx += (size_t)snprintf(xml + nx, sizeof(xml) - nx, "</testsuite>");
	nl += (size_t)snprintf(log + nl, sizeof(log) - nl,
			       "=== 25 failed in 25.00s ===\n");
	assert_true(nx < sizeof(xml) && nl < sizeof(log));
	p[0] = strdup(th_write_tmp("d.xml", xml, nx));
	p[1] = strdup(th_write_tmp("d.log", log, nl));
	open_db(&f);
	import_telling(&f, p, 2, &t);
	assert_int_equal(t.disagree, TG_MAX_TOLD_DISAGREEMENTS);
	assert_int_equal(t.more, 1);
	assert_int_equal(sql_int(f.db, "SELECT count(*) FROM diagnostics "
				       "WHERE message LIKE 'inputs disagree "
				       "on ''%'",
				 NULL),
			 25);
	close_db(&f);
	free((void *)p[0]);
	free((void *)p[1]);
}

static void test_pytest__xml_log_and_report_log_join(void **state)
{
	const char *p[] = {PY("v_rA.xml"), PY("v_rA.log"), PY("v_rA.jsonl")};
	fixture_db f;
	const th_test *t;

	(void)state;
	open_db(&f);
	import_into(&f, p, 3);
	assert_suite(&f.tests, NSUITE);
	assert_int_equal(f.res.counts.tests, NSUITE);
	assert_int_equal(f.res.counts.results, 3 * NSUITE);
	/* one test seen by three inputs is one attempt, not three */
	t = th_find(&f.tests, "tests/test_basic.py::test_pass");
	assert_int_equal(t->attempts, 1);
	/* the report-log's duration wins: the console has 10 ms steps */
	t = th_find(&f.tests, "tests/test_basic.py::test_slow_real_work");
	assert_true(t->duration > 0.2 && t->duration != 0.20);
	/* the three agree: no disagreement recorded */
	assert_int_equal(sql_int(f.db, "SELECT count(*) FROM diagnostics", NULL), 0);
	/* evidence from every input is kept, each with its input */
	assert_int_equal(sql_int(f.db, "SELECT count(DISTINCT source_id) FROM "
				       "evidence WHERE rule = 'app.mock-fallback'",
				 NULL), 3);
	close_db(&f);
}

/* A console log that says otherwise than the XML, and names a test the
 * XML lacks: the XML decides, both disagreements are recorded. */
static void test_pytest__disagreement_is_recorded(void **state)
{
	static const char log[] =
		"============================= test session starts ==========\n"
		"collected 3 items\n"
		"\n"
		"t/test_a.py::test_one PASSED                   [ 33%]\n"
		"t/test_a.py::test_two PASSED                   [ 66%]\n"
		"t/test_a.py::test_three PASSED                 [100%]\n"
		"============================== 3 passed in 0.10s ============\n";
	static const char xml[] =
		"<testsuite name=\"pytest\" tests=\"2\">"
		"<testcase classname=\"t.test_a\" name=\"test_one\" time=\"0.01\"/>"
		"<testcase classname=\"t.test_a\" name=\"test_two\" time=\"0.01\">"
		"<failure message=\"boom\">boom</failure></testcase>"
		"</testsuite>";
	const char *p[2];
	fixture_db f;
	char s[1024];

	(void)state;
	p[0] = strdup(th_write_tmp("console.log", log, sizeof(log) - 1));
	p[1] = th_write_tmp("junit.xml", xml, sizeof(xml) - 1);
	open_db(&f);
	import_into(&f, p, 2);
	assert_string_equal(th_find(&f.tests, "t/test_a.py::test_two")->outcome,
			    "failed");
	assert_string_equal(th_find(&f.tests, "t/test_a.py::test_three")->outcome,
			    "passed");
	sql_text(f.db, "SELECT group_concat(message, '|') FROM diagnostics",
		 NULL, s, sizeof(s));
	if (!strstr(s, "inputs disagree on 't/test_a.py::test_two': failed in") ||
	    !strstr(s, "passed in") ||
	    !strstr(s, "inputs name different tests: junit has 2, pytest has "
		       "3; 't/test_a.py::test_three' only in pytest"))
		fail_msg("diagnostics: %s", s);
	free((void *)p[0]);
	close_db(&f);
}

/* A CI log that runs pytest twice: two sessions, each with its own
 * record; together they collected what the run holds. */
static void test_pytest__two_sessions_in_one_log(void **state)
{
	static const char log[] =
		"+ pytest tests/unit\n"
		"============================= test session starts ==========\n"
		"platform linux -- Python 3.11.2, pytest-7.2.1, pluggy-1.0.0\n"
		"collected 2 items\n"
		"u/test_a.py::test_one PASSED                   [ 50%]\n"
		"u/test_a.py::test_two PASSED                   [100%]\n"
		"============================== 2 passed in 0.10s ============\n"
		"+ pytest tests/e2e\n"
		"============================= test session starts ==========\n"
		"platform linux -- Python 3.11.2, pytest-8.0.0, pluggy-1.4.0\n"
		"collected 1 item\n"
		"e/test_b.py::test_three FAILED                 [100%]\n"
		"============================== 1 failed in 31.00s ===========\n";
	const char *p = th_write_tmp("two.log", log, sizeof(log) - 1);
	fixture_db f;

	(void)state;
	open_db(&f);
	import_into(&f, &p, 1);
	assert_int_equal(f.tests.n, 3);
	assert_int_equal(sql_int(f.db, "SELECT count(*) FROM sessions", NULL), 2);
	assert_int_equal(sql_int(f.db, "SELECT sum(collected) FROM sessions", NULL), 3);
	assert_int_equal(sql_int(f.db, "SELECT failed FROM sessions WHERE "
				       "tool_version = '8.0.0'", NULL), 1);
	assert_int_equal(sql_int(f.db, "SELECT count(*) FROM diagnostics", NULL), 0);
	close_db(&f);
}

/* ---- the real corpus --------------------------------------------------- */

static void test_pytest__corpus_logs(void **state)
{
	static const struct {
		const char *file;
		size_t tests;
		const char *id, *outcome;
		int64_t final_total; /* passed + failed + errors in the final line */
	} c[] = {
		{"Asmo1973__pynidus__pytest_output.txt", 0, NULL, NULL, 9},
		{"AustralisSystems__au_sys_async_storage_factory__pytest_output.txt",
		 1, "tests/test_tinydb_provider.py::test_beanie_tinydb_adapter",
		 "failed", 1},
		{"Moeser__echo-server__pytest.log", 2,
		 "tests.py::EchoTestCase::test_long_message_echo", "passed", 2},
		{"gitter-badger__mwe-pytest-in-package__README-block.log", 1,
		 "test_foo.py", "error", 1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char path[512];
		const char *p = path;
		fixture_db f;

		snprintf(path, sizeof(path), "%s/corpus/pytest/%s",
			 TG_TEST_FIXTURES, c[i].file);
		print_message("%s\n", c[i].file);
		open_db(&f);
		import_into(&f, &p, 1);
		assert_int_equal(f.tests.n, c[i].tests);
		if (c[i].id)
			assert_string_equal(th_find(&f.tests, c[i].id)->outcome,
					    c[i].outcome);
		assert_int_equal(sql_int(f.db, "SELECT passed + failed + errors "
					       "FROM sessions", NULL),
				 c[i].final_total);
		close_db(&f);
	}
}

/* A conftest.py that fails to import: pytest prints the error and stops
 * (exit 4), with no banner and no summary line.  That is the whole log,
 * not a cut one; the conftest is the collection error. */
static void test_pytest__conftest_error_is_the_whole_log(void **state)
{
	const char *p = PY("conftest_error.log");
	fixture_db f;
	char s[512];

	(void)state;
	open_db(&f);
	import_into(&f, &p, 1);
	assert_false(f.res.truncated);
	assert_int_equal(f.res.collection_errors, 1);
	assert_int_equal(sql_int(f.db, "SELECT count(*) FROM diagnostics "
				       "WHERE message LIKE '%final summary%'",
				 NULL),
			 0);
	sql_text(f.db, "SELECT exc_type || '|' || missing FROM "
		       "collection_errors c JOIN test_names n ON n.id = c.test "
		       "WHERE n.test_id = ?1",
		 "/src/sigs/py/tests_mock/conftest.py", s, sizeof(s));
	assert_string_equal(s, "ImportError|http_url");
	close_db(&f);
}

/* ---- bad and odd input -------------------------------------------------- */

static void test_pytest__not_pytest_is_refused(void **state)
{
	static const char text[] = "make: Entering directory '/src'\n"
				   "cc -c main.c\nall done\n";
	tg_store *st = th_store_memory();
	tg_import_result res;
	tg_err err = TG_ERR_INIT;
	const char *p = th_write_tmp("build.log", text, sizeof(text) - 1);

	(void)state;
	assert_int_equal(th_import1(st, p, &res, &err), TG_EINPUT);
	assert_non_null(strstr(err.msg, "without a pytest session banner"));
	assert_string_equal(err.file, p);
	tg_store_close(st);
}

/* A log cut in the middle: the tests it finished are kept, the run is
 * marked truncated. */
static void test_pytest__cut_log_keeps_what_it_says(void **state)
{
	FILE *in = fopen(PY("v_rA.log"), "rb");
	char buf[4096];
	size_t n;
	tg_store *st = th_store_memory();
	tg_import_result res;
	tg_err err = TG_ERR_INIT;
	th_tests t;
	const char *p;

	(void)state;
	assert_non_null(in);
	n = fread(buf, 1, 2000, in); /* mid progress, mid line */
	fclose(in);
	p = th_write_tmp("cut.log", buf, n);
	assert_int_equal(th_import1(st, p, &res, &err), 0);
	assert_true(res.truncated);
	th_collect(st, res.run_id, &t);
	assert_true(t.n >= 10 && t.n < NSUITE);
	assert_suite(&t, t.n);
	th_tests_free(&t);
	tg_store_close(st);
}

/*
 * A log cut inside its last line: "[gw1] [ 33%] PASSED tests/test_a.py::te"
 * used to store the test "tests/test_a.py::te".  Cut at every byte of the
 * xdist progress lines and of the short summary, no import may hold a
 * test the suite does not have (every fifth byte: each id is cut in a
 * few places, and the test stays quick under ASan).
 */
static void test_pytest__cut_inside_a_test_id(void **state)
{
	static char buf[1 << 15];
	FILE *in = fopen(PY("xdist.log"), "rb");
	size_t n, at;
	const char *start, *summary;

	(void)state;
	assert_non_null(in);
	n = fread(buf, 1, sizeof(buf) - 1, in);
	fclose(in);
	assert_true(n > 0 && n < sizeof(buf) - 1);
	buf[n] = '\0';
	start = strstr(buf, "scheduling tests via");
	summary = strstr(buf, "short test summary info");
	assert_non_null(start);
	assert_non_null(summary);
	for (at = (size_t)(start - buf); at < n; at += 5) {
		tg_store *st;
		tg_import_result res;
		tg_err err = TG_ERR_INIT;
		th_tests t;
		size_t i;
		const char *p;

		if (at > (size_t)(strstr(buf, "= ERRORS =") - buf) &&
		    at < (size_t)(summary - buf))
			at = (size_t)(summary - buf); /* skip the long middle */
		p = th_write_tmp("cut-id.log", buf, at);
		st = th_store_memory();
		if (th_import1(st, p, &res, &err) != 0)
			fail_msg("cut at %zu: %s", at, err.msg);
		th_collect(st, res.run_id, &t);
		for (i = 0; i < t.n; i++)
			if (!expected_outcome(t.v[i].id))
				fail_msg("cut at %zu: test '%s'", at, t.v[i].id);
		th_tests_free(&t);
		tg_store_close(st);
	}
}

static void test_pytest__cut_report_log_keeps_finished_tests(void **state)
{
	FILE *in = fopen(PY("v_rA.jsonl"), "rb");
	static char buf[64 * 1024];
	size_t n;
	tg_store *st = th_store_memory();
	tg_import_result res;
	tg_err err = TG_ERR_INIT;
	th_tests t;
	const char *p;

	(void)state;
	assert_non_null(in);
	n = fread(buf, 1, 20000, in);
	fclose(in);
	p = th_write_tmp("cut.jsonl", buf, n);
	assert_int_equal(th_import1(st, p, &res, &err), 0);
	assert_true(res.truncated);
	th_collect(st, res.run_id, &t);
	assert_true(t.n >= 5 && t.n < NSUITE);
	assert_suite(&t, t.n);
	th_tests_free(&t);
	tg_store_close(st);
}

/* A cut report-log with junk lines: the warnings count what was skipped
 * and what never finished, in words that fit the count. */
static void cut_report_log_warns(const char *junk, size_t unfinished,
				 const char *want_skip, const char *want_cut)
{
	static const char head[] =
		"{\"pytest_version\": \"8.0\", \"$report_type\": \"SessionStart\"}\n";
	static const char done[] =
		"{\"nodeid\": \"t/test_a.py::test_done\", \"when\": \"setup\", "
		"\"outcome\": \"passed\", \"duration\": 0.1, "
		"\"$report_type\": \"TestReport\"}\n"
		"{\"nodeid\": \"t/test_a.py::test_done\", \"when\": \"call\", "
		"\"outcome\": \"passed\", \"duration\": 0.1, "
		"\"$report_type\": \"TestReport\"}\n"
		"{\"nodeid\": \"t/test_a.py::test_done\", \"when\": \"teardown\", "
		"\"outcome\": \"passed\", \"duration\": 0.1, "
		"\"$report_type\": \"TestReport\"}\n";
	char text[2048], msgs[1024];
	size_t n, i;
	const char *p;
	fixture_db f;

	n = (size_t)snprintf(text, sizeof(text), "%s%s%s", head, junk, done);
	for (i = 0; i < unfinished; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "{\"nodeid\": \"t/test_a.py::test_cut%zu\", "
				      "\"when\": \"setup\", \"outcome\": "
				      "\"passed\", \"duration\": 0.1, "
				      "\"$report_type\": \"TestReport\"}\n",
				      i);
	assert_true(n < sizeof(text));
	p = th_write_tmp("cut-words.jsonl", text, n);
	open_db(&f);
	import_into(&f, &p, 1);
	assert_true(f.res.truncated);
	assert_int_equal(f.tests.n, 1);
	sql_text(f.db, "SELECT group_concat(message, '|') FROM diagnostics",
		 NULL, msgs, sizeof(msgs));
	if (!strstr(msgs, want_skip) || !strstr(msgs, want_cut))
		fail_msg("diagnostics: %s", msgs);
	close_db(&f);
}

static void test_pytest__cut_report_log_counts_in_words(void **state)
{
	(void)state;
	cut_report_log_warns("not json\n", 1,
			     "1 line was skipped (not a JSON record, or "
			     "longer than",
			     "; 1 test had not finished and is not stored");
	cut_report_log_warns("not json\n{oops\n", 2,
			     "2 lines were skipped (not JSON records, or "
			     "longer than",
			     "; 2 tests had not finished and are not stored");
}

/*
 * A report-log record longer than the JSON line limit (a huge traceback
 * or captured log) is read from its first part: a test whose failing
 * call had such a traceback read as passed when the record was skipped.
 * Its outcome, before the long values, decides; one that cannot be read
 * is a failure, never a pass.
 */
static void test_pytest__long_report_log_records_keep_their_outcome(
	void **state)
{
	static const struct {
		const char *id, *before, *after; /* around the long part */
		const char *want;
	} cases[] = {
		/* pytest's order: the long traceback comes before "when" */
		{"t/test_a.py::test_fails",
		 "\"outcome\": \"failed\", \"longrepr\": \"",
		 "\", \"when\": \"call\"", "failed"},
		/* a long captured log comes after "when" */
		{"t/test_a.py::test_logs",
		 "\"outcome\": \"passed\", \"longrepr\": null, \"when\": "
		 "\"call\", \"sections\": [[\"Captured log call\", \"",
		 "\"]]", "passed"},
		/* the outcome itself beyond the limit: unknown, so failed */
		{"t/test_a.py::test_unknown",
		 "\"keywords\": {\"", "\": 1}, \"outcome\": \"passed\"",
		 "failed"},
	};
	const size_t big = 17u * 1024u * 1024u;
	static char chunk[64 * 1024];
	size_t i, k, n;
	tg_buf doc = TG_BUF_INIT(4u * 17u * 1024u * 1024u);
	const char *p;
	fixture_db f;

	(void)state;
	memset(chunk, 'x', sizeof(chunk));
	tg_buf_adds(&doc, "{\"pytest_version\": \"8.0\", "
			  "\"$report_type\": \"SessionStart\"}\n");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		static const char *const phases[] = {"setup", "teardown"};
		for (k = 0; k < 2; k++) {
			if (k == 1) { /* the call, between the two */
				tg_buf_printf(&doc, "{\"nodeid\": \"%s\", "
						    "\"location\": [\"t/test_a.py\", "
						    "1, \"x\"], ",
					      cases[i].id);
				tg_buf_adds(&doc, cases[i].before);
				for (n = 0; n < big; n += sizeof(chunk))
					tg_buf_add(&doc, chunk, sizeof(chunk));
				tg_buf_adds(&doc, cases[i].after);
				tg_buf_adds(&doc, ", \"$report_type\": "
						  "\"TestReport\"}\n");
			}
			tg_buf_printf(&doc, "{\"nodeid\": \"%s\", \"location\": "
					    "[\"t/test_a.py\", 1, \"x\"], "
					    "\"outcome\": \"passed\", \"when\": "
					    "\"%s\", \"$report_type\": "
					    "\"TestReport\"}\n",
				      cases[i].id, phases[k]);
		}
	}
	tg_buf_adds(&doc, "{\"exitstatus\": 1, \"$report_type\": "
			  "\"SessionFinish\"}\n");
	assert_false(doc.failed);
	p = th_write_tmp("long.jsonl", doc.ptr, doc.len);
	tg_buf_release(&doc);
	open_db(&f);
	import_into(&f, &p, 1);
	assert_int_equal(f.tests.n, 3);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const th_test *t = th_find(&f.tests, cases[i].id);
		print_message("%s\n", cases[i].id);
		assert_non_null(t);
		assert_string_equal(t->outcome, cases[i].want);
	}
	close_db(&f);
}

/*
 * pytest-rerunfailures in a report-log: an attempt whose call says
 * "rerun" is an earlier attempt, and the test ends with the next one.
 * The first attempt's passing setup used to end the test at once: an
 * extra "passed" result, three attempts for two.
 */
static void test_pytest__report_log_reruns(void **state)
{
	/* pytest-rerunfailures 10.2 (Debian 12) logs no teardown after a
	 * "rerun" report: the attempt ends there.  A test with a rerun was
	 * lost whole, its last teardown taken for the rerun's.  The shape
	 * with a teardown after the rerun is read the same. */
	static const struct {
		const char *phases, *verdict;
		unsigned attempts;
	} cases[] = {
		{"setup:passed call:rerun setup:passed call:passed "
		 "teardown:passed",
		 "flaky", 2},
		{"setup:passed call:rerun setup:passed call:rerun "
		 "setup:passed call:failed teardown:passed",
		 "failed", 3},
		{"setup:rerun setup:passed call:passed teardown:passed",
		 "flaky", 2},
		{"setup:passed call:rerun teardown:passed setup:passed "
		 "call:passed teardown:passed",
		 "flaky", 2},
	};
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		char text[4096], when[16], outcome[16];
		const char *ph = cases[k].phases, *p;
		size_t n = 0;
		int used;
		const th_test *t;
		fixture_db f;

		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "{\"pytest_version\": \"7.2.1\", "
				      "\"$report_type\": \"SessionStart\"}\n");
		while (sscanf(ph, " %15[^:]:%15s%n", when, outcome, &used) ==
		       2) {
			ph += used;
			n += (size_t)snprintf(
				text + n, sizeof(text) - n,
				"{\"nodeid\": \"t/test_a.py::test_x\", "
				"\"when\": \"%s\", \"outcome\": \"%s\", "
				"\"duration\": 0.1, "
				"\"$report_type\": \"TestReport\"}\n",
				when, outcome);
		}
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "{\"exitstatus\": 0, "
				      "\"$report_type\": \"SessionFinish\"}\n");
		assert_true(n < sizeof(text));
		p = th_write_tmp("rerun.jsonl", text, n);
		open_db(&f);
		import_into(&f, &p, 1);
		t = th_find(&f.tests, "t/test_a.py::test_x");
		if (!t || strcmp(t->outcome, cases[k].verdict) != 0 ||
		    t->attempts != cases[k].attempts ||
		    f.res.counts.results != cases[k].attempts)
			fail_msg("%s: %s, %u attempts", cases[k].phases,
				 t ? t->outcome : "missing",
				 t ? t->attempts : 0);
		close_db(&f);
	}
}

/* Binary junk with a pytest banner: lines that are not UTF-8 are
 * repaired, never stored as invalid text. */
static void test_pytest__invalid_bytes_are_repaired(void **state)
{
	static const char log[] =
		"============================= test session starts =====\n"
		"t/test_a.py::test_\xff\xfe PASSED                  [100%]\n"
		"WARNING  app:a.py:1 falling back to mock \x80" "client\n"
		"============================== 1 passed in 0.10s =======\n";
	const char *p = th_write_tmp("bin.log", log, sizeof(log) - 1);
	fixture_db f;

	(void)state;
	open_db(&f);
	import_into(&f, &p, 1);
	assert_int_equal(f.tests.n, 1);
	assert_string_equal(f.tests.v[0].id, "t/test_a.py::test_\xef\xbf\xbd\xef\xbf\xbd");
	assert_int_equal(sql_int(f.db, "SELECT count(*) FROM diagnostics WHERE "
				       "message LIKE '%U+FFFD%'", NULL), 1);
	close_db(&f);
}

/* Lines built to make the grammar backtrack end (the match budget), and
 * the rest of the log is read. */
static void test_pytest__backtracking_lines_end(void **state)
{
	static char log[1 << 20];
	size_t n = 0, i, k;
	tg_store *st = th_store_memory();
	tg_import_result res;
	tg_err err = TG_ERR_INIT;
	const char *p;

	(void)state;
	n += (size_t)snprintf(log + n, sizeof(log) - n,
			      "=========== test session starts ===========\n");
	for (k = 0; k < 12; k++) {
		for (i = 0; i < 9000; i++)
			n += (size_t)snprintf(log + n, sizeof(log) - n,
					      " PASSED (");
		log[n++] = '\n';
	}
	n += (size_t)snprintf(log + n, sizeof(log) - n,
			      "t/test_a.py::test_x PASSED [100%%]\n"
			      "=== 1 passed in 0.01s ===\n");
	p = th_write_tmp("backtrack.log", log, n);
	assert_int_equal(th_import1(st, p, &res, &err), 0);
	assert_int_equal(res.counts.passed, 1);
	tg_store_close(st);
}

/* ---- line cleaning ------------------------------------------------------ */

static void test_pytest__lines_are_cleaned_of_ci_noise(void **state)
{
	static const struct {
		const char *in, *out;
	} c[] = {
		{"plain", "plain"},
		{"crlf\r", "crlf"},
		{"\x1b[32mPASSED\x1b[0m [ 5%]", "PASSED [ 5%]"},
		{"2025-09-15T18:46:01.1234567Z tests/x.py::t PASSED",
		 "tests/x.py::t PASSED"},
		{"[2025-09-15T18:46:01.123Z] collected 3 items",
		 "collected 3 items"},
		{"2025-09-15T18:46:01+02:00 x", "x"},
		{"progress 10%\rprogress 100%", "progress 100%"},
		{"\x1b]0;title\x07text", "text"},
		{"2025-09-15 not a timestamp", "2025-09-15 not a timestamp"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char buf[256];
		size_t n = strlen(c[i].in);
		memcpy(buf, c[i].in, n + 1);
		n = tg_lines_clean(buf, n);
		assert_int_equal(n, strlen(c[i].out));
		assert_string_equal(buf, c[i].out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pytest__verbose_log_every_test_and_the_session),
		cmocka_unit_test(test_pytest__evidence_lands_on_its_test),
		cmocka_unit_test(test_pytest__import_chain_of_renamed_modules),
		cmocka_unit_test(test_pytest__every_console_style),
		cmocka_unit_test(test_pytest__live_log_lines_belong_to_the_running_test),
		cmocka_unit_test(test_pytest__headlines_resolve_after_the_summary),
		cmocka_unit_test(test_pytest__quiet_log_says_it_names_few),
		cmocka_unit_test(test_pytest__uncaptured_output_belongs_to_its_test),
		cmocka_unit_test(test_pytest__xdist_lines_belong_to_no_test),
		cmocka_unit_test(test_pytest__the_input_that_saw_the_rerun_decides),
		cmocka_unit_test(test_pytest__disagreements_printed_are_few),
		cmocka_unit_test(test_pytest__duration_from_the_most_precise_input),
		cmocka_unit_test(test_pytest__report_log_alone),
		cmocka_unit_test(test_pytest__xml_log_and_report_log_join),
		cmocka_unit_test(test_pytest__disagreement_is_recorded),
		cmocka_unit_test(test_pytest__two_sessions_in_one_log),
		cmocka_unit_test(test_pytest__corpus_logs),
		cmocka_unit_test(test_pytest__conftest_error_is_the_whole_log),
		cmocka_unit_test(test_pytest__not_pytest_is_refused),
		cmocka_unit_test(test_pytest__cut_log_keeps_what_it_says),
		cmocka_unit_test(test_pytest__cut_inside_a_test_id),
		cmocka_unit_test(test_pytest__cut_report_log_keeps_finished_tests),
		cmocka_unit_test(test_pytest__cut_report_log_counts_in_words),
		cmocka_unit_test(test_pytest__report_log_reruns),
		cmocka_unit_test(
			test_pytest__long_report_log_records_keep_their_outcome),
		cmocka_unit_test(test_pytest__invalid_bytes_are_repaired),
		cmocka_unit_test(test_pytest__backtracking_lines_end),
		cmocka_unit_test(test_pytest__lines_are_cleaned_of_ci_noise),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
