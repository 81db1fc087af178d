/*
 * test_junit.c - every JUnit dialect through the real import path: counts
 * per fixture (one row each), then what individual tests must look like.
 */
#include "helpers.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "limits.h"

typedef struct dialect {
	const char *fixture;
	unsigned tests, passed, failed, errors, skipped, flaky, results;
} dialect;

static const dialect dialects[] = {
	{"ant-jenkins.xml", 4, 1, 1, 1, 1, 0, 4},
	{"pytest7_basic_xunit1.xml", 18, 10, 3, 2, 3, 0, 18},
	{"pytest7_basic_xunit2.xml", 18, 10, 3, 2, 3, 0, 18},
	{"pytest7_basic_legacy.xml", 18, 10, 3, 2, 3, 0, 18},
	{"pytest7_collect_errors_continue.xml", 4, 1, 0, 3, 0, 0, 4},
	/* 4 testcases, 2 flaky attempts and 2 rerun attempts */
	{"surefire-flaky-rerun.xml", 4, 1, 1, 0, 0, 2, 9},
	{"failsafe-old-times.xml", 3, 3, 0, 0, 0, 0, 3},
	/* its test.todo is an empty testcase its tests= leaves out */
	{"jest-junit_default.xml", 6, 2, 2, 0, 2, 0, 6},
	{"mocha-junit-reporter_2.2.1_default.xml", 5, 2, 3, 0, 0, 0, 5},
	{"cypress-mocha.xml", 2, 1, 0, 0, 0, 1, 3},
	{"gotestsum_1.8.2_go1.19.xml", 7, 3, 3, 0, 1, 0, 7},
	{"gotestsum_1.8.2_rerun_fails.xml", 2, 1, 0, 0, 0, 1, 3},
	{"go-junit-report-v2.xml", 3, 1, 1, 1, 0, 0, 3},
	{"ctest_3.25_output_junit.xml", 7, 2, 2, 0, 3, 0, 7},
	{"bazel-generated.xml", 2, 1, 0, 1, 0, 0, 2},
	{"googletest_1.12_xml_output.xml", 6, 2, 2, 0, 2, 0, 6},
	{"phpunit_9.6_log_junit.xml", 10, 4, 2, 2, 2, 0, 10},
	{"rspec_3.12_junit_formatter_0.4.1.xml", 6, 2, 2, 0, 2, 0, 6},
	{"dotnet-junit-logger.xml", 3, 1, 1, 0, 1, 0, 3},
	{"playwright_1.65_junit.xml", 5, 2, 1, 0, 2, 0, 5},
	{"vitest_junit.xml", 4, 1, 1, 0, 2, 0, 4},
	{"node20_test_runner_junit.xml", 4, 1, 1, 0, 2, 0, 4},
	{"unittest_xml_reporting_async_testcase.xml", 4, 3, 1, 0, 0, 0, 4},
	{"namespaced-and-nested.xml", 3, 2, 0, 0, 1, 0, 3},
};

/* The outcome counts of an import or a dry run are the dialect's. */
static void assert_counts(const tg_counts *c, const dialect *d)
{
	assert_int_equal(c->tests, d->tests);
	assert_int_equal(c->passed, d->passed);
	assert_int_equal(c->failed, d->failed);
	assert_int_equal(c->errors, d->errors);
	assert_int_equal(c->skipped, d->skipped);
	assert_int_equal(c->flaky, d->flaky);
}

static void test_junit__every_dialect_counts(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(dialects) / sizeof(dialects[0]); i++) {
		const dialect *d = &dialects[i];
		char path[1024];
		tg_store *st = th_store_memory();
		tg_import_result res;
		tg_err err = TG_ERR_INIT;

		snprintf(path, sizeof(path), "%s/junit/%s", TG_TEST_FIXTURES,
			 d->fixture);
		print_message("%s\n", d->fixture);
		assert_int_equal(th_import1(st, path, &res, &err), 0);
		assert_false(res.duplicate);
		assert_counts(&res.counts, d);
		assert_int_equal(res.counts.results, d->results);
		tg_store_close(st);
	}
}

/* Fixtures that write one test as two testcases: only an import, which
 * knows test ids, merges them; a dry run counts testcases. */
static const char *const merged_by_id[] = {
	"cypress-mocha.xml",
	"gotestsum_1.8.2_rerun_fails.xml",
};

/* A dry run counts what the import stores, earlier attempts inside a
 * testcase included (Surefire's flaky ones were passes, not flaky). */
static void test_junit__dry_run_counts_as_the_import(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(dialects) / sizeof(dialects[0]); i++) {
		const dialect *d = &dialects[i];
		tg_import_opts opts = TG_IMPORT_OPTS_INIT;
		tg_import *imp;
		tg_import_result res;
		tg_err err = TG_ERR_INIT;
		char path[1024];
		bool merged = false;

		for (k = 0; k < sizeof(merged_by_id) / sizeof(merged_by_id[0]);
		     k++)
			merged = merged || strcmp(d->fixture, merged_by_id[k]) == 0;
		if (merged)
			continue;
		snprintf(path, sizeof(path), "%s/junit/%s", TG_TEST_FIXTURES,
			 d->fixture);
		print_message("%s\n", d->fixture);
		opts.dry_run = true;
		assert_int_equal(tg_import_new(&imp, NULL, &opts, &err), 0);
		assert_int_equal(tg_import_add_path(imp, path, &err), 0);
		assert_int_equal(tg_import_finish(imp, &res, &err), 0);
		tg_import_free(imp);
		assert_counts(&res.counts, d);
	}
}

/* An attempt belongs to the result after it in the same input: a
 * report-log cut after a rerun's attempt must not make the next input's
 * first pass flaky in a dry run. */
static void test_junit__dry_run_attempts_stay_in_their_input(void **state)
{
	static const char rlog[] =
		"{\"pytest_version\": \"8.0\", \"$report_type\": \"SessionStart\"}\n"
		"{\"nodeid\": \"t/test_a.py::test_x\", \"when\": \"setup\", "
		"\"outcome\": \"passed\", \"$report_type\": \"TestReport\"}\n"
		"{\"nodeid\": \"t/test_a.py::test_x\", \"when\": \"call\", "
		"\"outcome\": \"rerun\", \"$report_type\": \"TestReport\"}\n"
		"{\"nodeid\": \"t/test_a.py::test_x\", \"when\": \"teardown\", "
		"\"outcome\": \"passed\", \"$report_type\": \"TestReport\"}\n";
	static const char xml[] =
		"<testsuite name=\"s\"><testcase classname=\"c\" name=\"ok\" "
		"time=\"1\"/></testsuite>";
	tg_import_opts opts = TG_IMPORT_OPTS_INIT;
	tg_import *imp;
	tg_import_result res;
	tg_err err = TG_ERR_INIT;

	(void)state;
	opts.dry_run = true;
	assert_int_equal(tg_import_new(&imp, NULL, &opts, &err), 0);
	assert_int_equal(tg_import_add_memory(imp, "cut.jsonl", rlog,
					      strlen(rlog), &err),
			 0);
	assert_int_equal(tg_import_add_memory(imp, "next.xml", xml,
					      strlen(xml), &err),
			 0);
	assert_int_equal(tg_import_finish(imp, &res, &err), 0);
	tg_import_free(imp);
	assert_int_equal(res.counts.flaky, 0);
	assert_int_equal(res.counts.passed, 1);
}

typedef struct expect {
	const char *fixture, *id, *outcome;
	double duration; /* < 0: unknown */
	const char *file;
	int64_t line;
	const char *status;
	unsigned attempts;
} expect;

static const expect expects[] = {
	/* pytest xunit1: 0-based line made 1-based, node id from file */
	{"pytest7_basic_xunit1.xml", "tests/test_basic.py::test_pass", "passed",
	 0.001, "tests/test_basic.py", 6, NULL, 1},
	{"pytest7_basic_xunit1.xml",
	 "tests/test_basic.py::TestGroup::test_method", "passed", 0.121,
	 "tests/test_basic.py", 70, NULL, 1},
	/* xunit2: no file attribute, path derived from classname */
	{"pytest7_basic_xunit2.xml", "tests/test_basic.py::test_param[a b-c::d]",
	 "passed", 0.0, "tests/test_basic.py", 0, NULL, 1},
	{"pytest7_basic_xunit2.xml", "tests/test_basic.py::test_xfail",
	 "skipped", 0.0, "tests/test_basic.py", 0, "xfail", 1},
	{"pytest7_basic_xunit2.xml", "tests/test_basic.py::test_teardown_error",
	 "error", 0.0, "tests/test_basic.py", 0, NULL, 1},
	{"pytest7_collect_errors_continue.xml",
	 "tests_collect/test_import_chain_bad_name.py", "error", 0.0,
	 "tests_collect/test_import_chain_bad_name.py", 0, NULL, 1},
	/* Surefire: passed on rerun is flaky; failed on every rerun failed */
	{"surefire-flaky-rerun.xml", "org.acme.FlakyTest::testFlaky", "flaky",
	 0.034, NULL, 0, NULL, 2},
	{"surefire-flaky-rerun.xml", "org.acme.FlakyTest::testFlakyError",
	 "flaky", 0.5, NULL, 0, NULL, 3},
	{"surefire-flaky-rerun.xml", "org.acme.FlakyTest::testBroken", "failed",
	 1.2, NULL, 0, NULL, 3},
	{"failsafe-old-times.xml", "com.example.it.ChatIT::roundtrip", "passed",
	 1078.25, NULL, 0, NULL, 1},
	{"gotestsum_1.8.2_rerun_fails.xml", "example.com/flaky::TestFlaky",
	 "flaky", 0.0, NULL, 0, NULL, 2},
	{"cypress-mocha.xml", "Chat page shows history", "flaky", 0.117, NULL, 0,
	 NULL, 2},
	{"mocha-junit-reporter_2.2.1_default.xml", "Chat API passes", "passed",
	 0.122, NULL, 0, NULL, 1},
	{"jest-junit_default.xml", "Chat API passes", "passed", 0.122, NULL, 0,
	 NULL, 1},
	{"jest-junit_default.xml", "Chat API todo test", "skipped", 0.0, NULL, 0,
	 "todo", 1},
	/* CTest and googletest: "not run" without a child is not a pass */
	{"ctest_3.25_output_junit.xml", "disabled_test", "skipped", 0.0, NULL,
	 0, "disabled", 1},
	{"googletest_1.12_xml_output.xml", "ChatApi::DISABLED_Disabled",
	 "skipped", 0.0, "t.cc", 7, "disabled", 1},
	{"bazel-generated.xml", "//chat/e2e:chat_test", "error", 12.0, NULL, 0,
	 NULL, 1},
	{"phpunit_9.6_log_junit.xml", "ChatTest::testPasses", "passed", 0.153684,
	 "/src/sigs/php/tests/ChatTest.php", 6, NULL, 1},
	{"dotnet-junit-logger.xml",
	 "UnitTestLibrary1.MathTests::Add_ReturnsCorrectResult(1,2,3)", "passed",
	 1e-7, "C:\\src\\UnitTestLibrary1\\bin\\UnitTestLibrary1.dll", 0, NULL,
	 1},
	/* Playwright: skipped tests carry no time: unknown, not zero */
	{"playwright_1.65_junit.xml", "chat.spec.mjs::Chat API \xe2\x80\xba skipped",
	 "skipped", -1, NULL, 0, NULL, 1},
	{"unittest_xml_reporting_async_testcase.xml",
	 "tests_async/test_async_unittest.py::TestChatE2E::test_send_message",
	 "passed", 0.005, "tests_async/test_async_unittest.py", 10, NULL, 1},
	{"namespaced-and-nested.xml", "deep.Suite::inner", "passed", 0.5, NULL, 0,
	 NULL, 1},
	{"namespaced-and-nested.xml", "loose::outside_any_suite", "passed", 1.0,
	 NULL, 0, NULL, 1},
};

static void check_expect(const expect *e)
{
	char path[1024];
	tg_store *st = th_store_memory();
	tg_import_result res;
	tg_err err = TG_ERR_INIT;
	const th_test *t;
	th_tests all;

	snprintf(path, sizeof(path), "%s/junit/%s", TG_TEST_FIXTURES,
		 e->fixture);
	print_message("%s: %s\n", e->fixture, e->id);
	assert_int_equal(th_import1(st, path, &res, &err), 0);
	th_collect(st, res.run_id, &all);
	t = th_find(&all, e->id);
	assert_non_null(t);
	assert_string_equal(t->outcome, e->outcome);
	if (e->duration < 0) {
		assert_false(t->has_duration);
	} else {
		assert_true(t->has_duration);
		assert_near(t->duration, e->duration, 1e-9);
	}
	if (e->file)
		assert_string_equal(t->file, e->file);
	assert_int_equal(t->line, e->line);
	if (e->status)
		assert_string_equal(t->status, e->status);
	assert_int_equal(t->attempts, e->attempts);
	th_tests_free(&all);
	tg_store_close(st);
}

static void test_junit__individual_tests(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(expects) / sizeof(expects[0]); i++)
		check_expect(&expects[i]);
}

/* The same content again is a no-op, whatever the file order. */
static void test_junit__reimport_is_a_noop(void **state)
{
	const char *a[] = {FIXTURE("junit/ant-jenkins.xml"),
			   FIXTURE("junit/bazel-generated.xml")};
	const char *b[] = {a[1], a[0]};
	tg_store *st = th_store_memory();
	tg_import_result r1, r2;
	tg_err err = TG_ERR_INIT;

	(void)state;
	assert_int_equal(th_import(st, a, 2, &r1, &err), 0);
	assert_false(r1.duplicate);
	assert_int_equal(th_import(st, b, 2, &r2, &err), 0);
	assert_true(r2.duplicate);
	assert_int_equal(r2.run_id, r1.run_id);
	assert_string_equal(r2.run_name, r1.run_name);
	assert_int_equal(r2.counts.tests, 6);
	tg_store_close(st);
}

/* A directory is every report under it; other files are skipped. */
static void test_junit__directory_import(void **state)
{
	tg_store *st = th_store_memory();
	tg_import_result res;
	tg_err err = TG_ERR_INIT;

	(void)state;
	assert_int_equal(th_import1(st, FIXTURE("junit"), &res, &err), 0);
	assert_int_equal(res.sources,
			 sizeof(dialects) / sizeof(dialects[0]));
	tg_store_close(st);
}

/* Import doc (named name) into a new database file at path, with the
 * given output cap (0: the default), and open it for raw queries. */
static sqlite3 *import_raw(char *path, size_t n, const char *name,
			   const char *doc, size_t len, size_t cap)
{
	tg_import_opts o = TG_IMPORT_OPTS_INIT;
	tg_store *st;
	tg_import *imp;
	tg_import_result res;
	tg_err err = TG_ERR_INIT;
	sqlite3 *db;

	th_tmp_db(path, n);
	assert_int_equal(tg_store_open(&st, path, NULL, &err), 0);
	o.output_cap = cap;
	assert_int_equal(tg_import_new(&imp, st, &o, &err), 0);
	assert_int_equal(tg_import_add_memory(imp, name, doc, len, &err), 0);
	assert_int_equal(tg_import_finish(imp, &res, &err), 0);
	tg_import_free(imp);
	tg_store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	return db;
}

/* Output over the cap is cut, and the original size is kept. */
static void test_junit__output_cap_is_recorded(void **state)
{
	const char *doc = "<testsuite name=\"s\"><testcase classname=\"c\" "
			  "name=\"t\"><system-out>0123456789abcdef"
			  "</system-out></testcase></testsuite>";
	sqlite3_stmt *s;
	char path[512];
	sqlite3 *db = import_raw(path, sizeof(path), "cap.xml", doc,
				 strlen(doc), 4);

	(void)state;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT stdout, stdout_bytes "
						"FROM result_text",
					    -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "0123");
	assert_int_equal(sqlite3_column_int(s, 1), 16);
	sqlite3_finalize(s);
	sqlite3_close(db);
	th_rm_db(path);
}

/* A suite may hold any number of <system-out> elements: all of them
 * together are kept to the cap, with their full length counted (stored
 * whole, 2,000 elements of 100 KB took longer than minutes), and the cut
 * falls between characters. */
static void test_junit__suite_output_cap_covers_all_elements(void **state)
{
	const char *doc = "<testsuite name=\"s\"><testcase classname=\"c\" "
			  "name=\"t\"/><system-out>01234</system-out>"
			  "<system-out>5\xc3\xa9</system-out>"
			  "<system-out>89abcdef</system-out>"
			  "<system-err>x</system-err></testsuite>";
	sqlite3_stmt *s;
	char path[512];
	sqlite3 *db = import_raw(path, sizeof(path), "cap.xml", doc,
				 strlen(doc), 7);

	(void)state;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT stdout, stdout_bytes, "
						"stderr, stderr_bytes "
						"FROM suites",
					    -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	/* 7 bytes would cut the e-acute in two: 6 are kept */
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "012345");
	assert_int_equal(sqlite3_column_int(s, 1), 16);
	assert_string_equal((const char *)sqlite3_column_text(s, 2), "x");
	assert_int_equal(sqlite3_column_int(s, 3), 1);
	sqlite3_finalize(s);
	sqlite3_close(db);
	th_rm_db(path);
}

static void count_cut_warnings(const tg_diag *d, void *payload)
{
	if (strstr(d->msg, "cut to"))
		++*(unsigned *)payload;
}

/* Values past their cap are cut with one warning per report, not one
 * per value: a Surefire build whose java.class.path property is past
 * the cap in every file would bury other warnings. */
static void test_junit__cut_attributes_warn_once(void **state)
{
	tg_buf doc = TG_BUF_INIT(4u << 20);
	tg_import_opts opts = TG_IMPORT_OPTS_INIT;
	tg_store *st = th_store_memory();
	tg_import *imp;
	tg_import_result res;
	tg_err err = TG_ERR_INIT;
	unsigned warned = 0;
	int i, k;

	(void)state;
	tg_buf_adds(&doc, "<testsuite name=\"s\"><properties>");
	for (i = 0; i < 3; i++) {
		tg_buf_adds(&doc, "<property name=\"java.class.path\" value=\"");
		for (k = 0; k < 70000; k++)
			tg_buf_addc(&doc, 'j');
		tg_buf_adds(&doc, "\"/>");
	}
	tg_buf_adds(&doc, "</properties><testcase classname=\"c\" "
			  "name=\"t\" time=\"1\"/></testsuite>");
	assert_false(doc.failed);
	opts.diag = count_cut_warnings;
	opts.diag_payload = &warned;
	assert_int_equal(tg_import_new(&imp, st, &opts, &err), 0);
	assert_int_equal(tg_import_add_memory(imp, "cut.xml", doc.ptr,
					      doc.len, &err),
			 0);
	assert_int_equal(tg_import_finish(imp, &res, &err), 0);
	tg_import_free(imp);
	assert_int_equal(res.counts.tests, 1);
	assert_int_equal(warned, 1);
	tg_buf_release(&doc);
	tg_store_close(st);
}

/* A result's report_line is its element's line, not how far the parser
 * had read (a small report is read whole at once), past 65,535 lines
 * too (libxml2 keeps bigger line numbers only when asked). */
static void test_junit__report_lines_are_the_elements(void **state)
{
	static const int64_t want[] = {3, 4, 70007, 70008, 70012};
	tg_buf doc;
	sqlite3_stmt *s;
	char path[512];
	sqlite3 *db;
	size_t i;

	(void)state;
	tg_buf_init(&doc, 1u << 20);
	tg_buf_adds(&doc, "<?xml version=\"1.0\"?>\n<testsuite name=\"s\">\n"
			  "<testcase classname=\"c\" name=\"a\"/>\n"
			  "<testcase classname=\"c\" name=\"b\"/>\n");
	for (i = 0; i < 70002; i++)
		tg_buf_addc(&doc, '\n');
	tg_buf_adds(&doc, "<testcase classname=\"c\" name=\"z\"/>\n"
			  "<testcase classname=\"c\" name=\"y\">\n"
			  "  <system-out>out\n</system-out>\n</testcase>\n"
			  "<testcase classname=\"c\" name=\"x\"><failure>\n"
			  "</failure></testcase>\n</testsuite>\n");
	assert_false(doc.failed);
	db = import_raw(path, sizeof(path), "lines.xml", doc.ptr, doc.len, 0);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT report_line FROM "
						"results ORDER BY id",
					    -1, &s, NULL),
			 SQLITE_OK);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int64(s, 0), want[i]);
	}
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT report_line FROM "
						"suites",
					    -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(s, 0), 2);
	sqlite3_finalize(s);
	sqlite3_close(db);
	tg_buf_release(&doc);
	th_rm_db(path);
}

/* A report with no testcase is a run of zero tests, not an error. */
static void test_junit__empty_report_is_an_empty_run(void **state)
{
	const char *doc = "<testsuites><testsuite name=\"e\" tests=\"0\"/>"
			  "</testsuites>";
	tg_store *st = th_store_memory();
	tg_import *imp;
	tg_import_result res;
	tg_err err = TG_ERR_INIT;
	th_tests all;

	(void)state;
	assert_int_equal(tg_import_new(&imp, st, NULL, &err), 0);
	assert_int_equal(tg_import_add_memory(imp, "e.xml", doc, strlen(doc),
					      &err),
			 0);
	assert_int_equal(tg_import_finish(imp, &res, &err), 0);
	tg_import_free(imp);
	assert_int_equal(res.counts.tests, 0);
	assert_int_equal(res.counts.results, 0);
	th_collect(st, res.run_id, &all);
	assert_int_equal(all.n, 0);
	tg_store_close(st);
}

/*
 * Each declared encoding reads as what it says.  UTF-8 is libxml2's own
 * (the guard names no encoding for it), an 8-bit one is converted, and a
 * report that says us-ascii but holds UTF-8 keeps its bytes (CI writers
 * get the declaration wrong more often than the bytes).
 */
static void test_junit__declared_encodings(void **state)
{
	static const struct {
		const char *doc;
		size_t len;
		const char *want; /* the test id, UTF-8 */
	} cases[] = {
#define DOC(decl, name)                                                     \
	decl "<testsuite><testcase classname=\"c\" name=\"" name             \
	     "\" time=\"1\"/></testsuite>",                                  \
		sizeof(decl "<testsuite><testcase classname=\"c\" name=\"" name \
			    "\" time=\"1\"/></testsuite>") - 1
		{DOC("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
		     "caf\xe9"),
		 "c::caf\xc3\xa9"},
		{DOC("<?xml version=\"1.0\" encoding=\"windows-1252\"?>",
		     "caf\xe9"),
		 "c::caf\xc3\xa9"},
		{DOC("<?xml version=\"1.0\" encoding=\"utf-8\"?>",
		     "caf\xc3\xa9"),
		 "c::caf\xc3\xa9"},
		{DOC("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
		     "caf\xc3\xa9"),
		 "c::caf\xc3\xa9"},
		{DOC("<?xml version=\"1.0\" encoding=\"us-ascii\"?>",
		     "caf\xc3\xa9"),
		 "c::caf\xc3\xa9"},
		{DOC("", "caf\xc3\xa9"), "c::caf\xc3\xa9"},
		/* not UTF-8 where UTF-8 was said: replaced, and imported */
		{DOC("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "caf\xe9"),
		 "c::caf\xef\xbf\xbd"},
#undef DOC
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tg_store *st = th_store_memory();
		tg_import *imp;
		tg_import_result res;
		tg_err err = TG_ERR_INIT;
		th_tests all;

		print_message("case %zu\n", i);
		assert_int_equal(tg_import_new(&imp, st, NULL, &err), 0);
		assert_int_equal(tg_import_add_memory(imp, "enc.xml",
						      cases[i].doc,
						      cases[i].len, &err),
				 0);
		assert_int_equal(tg_import_finish(imp, &res, &err), 0);
		tg_import_free(imp);
		th_collect(st, res.run_id, &all);
		assert_int_equal(all.n, 1);
		assert_non_null(th_find(&all, cases[i].want));
		th_tests_free(&all);
		tg_store_close(st);
	}
}

static void count_todo_warnings(const tg_diag *d, void *payload)
{
	if (strstr(d->msg, "test.todo"))
		++*(unsigned *)payload;
}

/* Import doc (a dry run too) and return the run's tests; *warned counts
 * the warnings about todos. */
static void import_doc(const char *doc, bool dry, tg_import_result *res,
		       th_tests *all, tg_store **st_out, unsigned *warned)
{
	tg_store *st = dry ? NULL : th_store_memory();
	tg_import_opts opts = TG_IMPORT_OPTS_INIT;
	tg_import *imp;
	tg_err err = TG_ERR_INIT;

	*warned = 0;
	opts.dry_run = dry;
	opts.diag = count_todo_warnings;
	opts.diag_payload = warned;
	assert_int_equal(tg_import_new(&imp, st, &opts, &err), 0);
	assert_int_equal(tg_import_add_memory(imp, "todo.xml", doc,
					      strlen(doc), &err),
			 0);
	assert_int_equal(tg_import_finish(imp, res, &err), 0);
	tg_import_free(imp);
	if (all)
		th_collect(st, res->run_id, all);
	*st_out = st;
}

/*
 * jest-junit writes test.todo as an empty testcase with time 0 and leaves
 * it out of tests=: when the surplus is exactly such testcases they did
 * not run.  Where it is not (more empty passes than the surplus, no
 * tests=, a surplus of other testcases), nothing is guessed.
 */
static void test_junit__empty_testcases_beyond_tests_did_not_run(void **state)
{
	static const struct {
		const char *doc;
		unsigned passed, skipped;
		const char *todo; /* the id stored as todo, or NULL */
		bool warns;       /* that it cannot tell which are todos */
	} cases[] = {
		/* jest-junit: 2 tests, 3 testcases, one empty with time 0 */
		{"<testsuites><testsuite name=\"s\" tests=\"2\">"
		 "<testcase classname=\"s a\" name=\"s a\" time=\"0.003\"/>"
		 "<testcase classname=\"s todo\" name=\"s todo\" time=\"0\">"
		 "\n    </testcase>"
		 "<testcase classname=\"s b\" name=\"s b\" time=\"0.001\"/>"
		 "</testsuite></testsuites>",
		 2, 1, "s todo", false},
		/* two empty zero-time passes, one of them a todo: which? */
		{"<testsuite name=\"s\" tests=\"2\">"
		 "<testcase classname=\"c\" name=\"x\" time=\"0\"/>"
		 "<testcase classname=\"c\" name=\"y\" time=\"0\"/>"
		 "<testcase classname=\"c\" name=\"z\" time=\"0.5\"/>"
		 "</testsuite>",
		 3, 0, NULL, true},
		/* no tests= at all */
		{"<testsuite name=\"s\">"
		 "<testcase classname=\"c\" name=\"x\" time=\"0\"/>"
		 "</testsuite>",
		 1, 0, NULL, false},
		/* the surplus is not empty: output, or a time */
		{"<testsuite name=\"s\" tests=\"0\">"
		 "<testcase classname=\"c\" name=\"x\" time=\"0\">"
		 "<system-out>hi</system-out></testcase>"
		 "<testcase classname=\"c\" name=\"y\" time=\"0.2\"/>"
		 "</testsuite>",
		 2, 0, NULL, false},
		/* fewer testcases than tests= */
		{"<testsuite name=\"s\" tests=\"3\">"
		 "<testcase classname=\"c\" name=\"x\" time=\"0\"/>"
		 "<testcase classname=\"c\" name=\"y\" time=\"0\"/>"
		 "</testsuite>",
		 2, 0, NULL, false},
		/* pytest 7.2.1 writes a test whose call failed and whose
		 * teardown failed as two testcases, counted once in tests=:
		 * the surplus is that repeat, not the fast pass (which was
		 * stored as a todo); under xdist, not in a row */
		{"<testsuite name=\"pytest\" errors=\"1\" failures=\"1\" "
		 "skipped=\"0\" tests=\"2\">"
		 "<testcase classname=\"tests.test_m0\" name=\"test_f2\" "
		 "time=\"0.000\"><failure message=\"AssertionError\">"
		 "</failure></testcase>"
		 "<testcase classname=\"tests.test_m0\" name=\"test_f2\" "
		 "time=\"0.000\"><error message=\"failed on teardown with "
		 "&quot;RuntimeError: teardown broke&quot;\"></error>"
		 "</testcase>"
		 "<testcase classname=\"tests.test_m0\" name=\"test_f5\" "
		 "time=\"0.000\" />"
		 "</testsuite>",
		 1, 0, NULL, false},
		{"<testsuite name=\"pytest\" tests=\"2\">"
		 "<testcase classname=\"t\" name=\"f\" time=\"0.000\">"
		 "<failure message=\"m\"></failure></testcase>"
		 "<testcase classname=\"t\" name=\"fast\" time=\"0.000\"/>"
		 "<testcase classname=\"t\" name=\"f\" time=\"0.000\">"
		 "<error message=\"failed on teardown\"></error></testcase>"
		 "</testsuite>",
		 1, 0, NULL, false},
		/* testcases on both sides of a nested suite: not counted */
		{"<testsuite name=\"s\" tests=\"1\">"
		 "<testcase classname=\"c\" name=\"x\" time=\"1\"/>"
		 "<testsuite name=\"inner\"/>"
		 "<testcase classname=\"c\" name=\"y\" time=\"0\"/>"
		 "</testsuite>",
		 2, 0, NULL, false},
		/* a pass after a failed attempt, at time 0 with nothing
		 * else in it, is no todo: only the empty one is */
		{"<testsuite name=\"s\" tests=\"1\">"
		 "<testcase classname=\"c\" name=\"todo\" time=\"0\"/>"
		 "<testcase classname=\"c\" name=\"flaky\" time=\"0\">"
		 "<flakyFailure message=\"m\" type=\"t\"/></testcase>"
		 "</testsuite>",
		 0, 1, "c::todo", false},
		/* a nested suite's testcases are its own */
		{"<testsuite name=\"outer\" tests=\"1\">"
		 "<testcase classname=\"c\" name=\"x\" time=\"1\"/>"
		 "<testsuite name=\"inner\" tests=\"1\">"
		 "<testcase classname=\"c\" name=\"y\" time=\"0\"/>"
		 "</testsuite></testsuite>",
		 2, 0, NULL, false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tg_import_result res, dry;
		tg_store *st, *none;
		th_tests all;
		size_t k, todos = 0;
		unsigned warned;

		print_message("case %zu\n", i);
		import_doc(cases[i].doc, false, &res, &all, &st, &warned);
		assert_int_equal(warned, cases[i].warns);
		assert_int_equal(res.counts.passed, cases[i].passed);
		assert_int_equal(res.counts.skipped, cases[i].skipped);
		for (k = 0; k < all.n; k++)
			if (all.v[k].status &&
			    strcmp(all.v[k].status, "todo") == 0) {
				todos++;
				assert_non_null(cases[i].todo);
				assert_string_equal(all.v[k].id, cases[i].todo);
				assert_string_equal(all.v[k].outcome, "skipped");
			}
		assert_int_equal(todos, cases[i].todo ? 1 : 0);
		/* a dry run counts the same */
		import_doc(cases[i].doc, true, &dry, NULL, &none, &warned);
		assert_int_equal(warned, cases[i].warns);
		assert_int_equal(dry.counts.passed, cases[i].passed);
		assert_int_equal(dry.counts.skipped, cases[i].skipped);
		th_tests_free(&all);
		tg_store_close(st);
	}
}

/*
 * A suite is tallied by distinct names up to TG_MAX_SUITE_NAMES: past
 * that, its todos are not looked for (the table stays bounded), and a
 * surplus of one over tests= marks nothing; below it, the same shape is
 * a todo.
 */
static void test_junit__todos_of_a_suite_too_big_to_tally(void **state)
{
	const unsigned sizes[] = {100, TG_MAX_SUITE_NAMES + 1};
	size_t k;

	(void)state;
	for (k = 0; k < 2; k++) {
		unsigned n = sizes[k], i;
		tg_buf doc;
		tg_import_result res;
		tg_store *st;
		th_tests all;
		unsigned warned;

		/* n testcases, the last one empty at time 0; tests= n - 1 */
		tg_buf_init(&doc, SIZE_MAX);
		tg_buf_printf(&doc, "<testsuite name=\"s\" tests=\"%u\">",
			      n - 1);
		for (i = 0; i + 1 < n; i++)
			tg_buf_printf(&doc, "<testcase classname=\"c\" "
					    "name=\"t%u\" time=\"1\"/>",
				      i);
		tg_buf_adds(&doc, "<testcase classname=\"c\" name=\"todo\" "
				  "time=\"0\"/></testsuite>");
		assert_false(doc.failed);
		import_doc(doc.ptr, false, &res, &all, &st, &warned);
		assert_int_equal(res.counts.skipped, k == 0 ? 1 : 0);
		assert_int_equal(res.counts.passed, k == 0 ? n - 1 : n);
		th_tests_free(&all);
		tg_store_close(st);
		tg_buf_release(&doc);
	}
}

static void count_unnamed_warnings(const tg_diag *d, void *payload)
{
	if (strstr(d->msg, "a testcase with no name"))
		++*(unsigned *)payload;
}

/*
 * pytest's JUnit under xdist -x can hold <testcase time="0.001"/>, with no
 * name.  Each such testcase is a test of its own, named by number and
 * line, with one warning per input: it used to be the test '' that all of
 * them merged into, as attempts (a pass and a failure made one flaky
 * test), printed as a blank.
 */
static void test_junit__testcases_without_a_name(void **state)
{
	static const char doc[] =
		"<testsuites><testsuite name=\"pytest\" tests=\"3\">"
		"<testcase classname=\"t\" name=\"a\" time=\"1\"/>"
		"<testcase time=\"0.001\" /><testcase time=\"0.002\">"
		"<failure message=\"m\"/></testcase>"
		"</testsuite></testsuites>";
	tg_store *st = th_store_memory();
	tg_import_opts opts = TG_IMPORT_OPTS_INIT;
	tg_import_result res;
	tg_import *imp;
	tg_err err = TG_ERR_INIT;
	unsigned warned = 0;
	th_tests all;
	const th_test *t;

	(void)state;
	opts.diag = count_unnamed_warnings;
	opts.diag_payload = &warned;
	assert_int_equal(tg_import_new(&imp, st, &opts, &err), 0);
	assert_int_equal(tg_import_add_memory(imp, "bare.xml", doc,
					      sizeof(doc) - 1, &err),
			 0);
	assert_int_equal(tg_import_finish(imp, &res, &err), 0);
	tg_import_free(imp);
	assert_int_equal(warned, 1);
	assert_int_equal(res.counts.tests, 3);
	assert_int_equal(res.counts.passed, 2);
	assert_int_equal(res.counts.failed, 1);
	th_collect(st, res.run_id, &all);
	assert_null(th_find(&all, ""));
	t = th_find(&all, "(unnamed 2, line 1)");
	assert_non_null(t);
	assert_string_equal(t->outcome, "failed");
	th_tests_free(&all);
	tg_store_close(st);
}

/* Runs share test names but keep their own verdicts: the same ids in a
 * second run (xunit1 and xunit2 of one pytest session) leave the first
 * run's tests as they were. */
static void test_junit__runs_share_names_not_verdicts(void **state)
{
	tg_store *st = th_store_memory();
	tg_import_result r1, r2;
	tg_err err = TG_ERR_INIT;
	th_tests t1, t2;

	(void)state;
	assert_int_equal(th_import1(st, FIXTURE("junit/pytest7_basic_xunit1.xml"),
				    &r1, &err),
			 0);
	assert_int_equal(th_import1(st, FIXTURE("junit/gotestsum_1.8.2_rerun_fails.xml"),
				    &r2, &err),
			 0);
	assert_int_equal(th_import1(st, FIXTURE("junit/pytest7_basic_xunit2.xml"),
				    &r2, &err),
			 0);
	assert_int_not_equal(r1.run_id, r2.run_id);
	th_collect(st, r1.run_id, &t1);
	th_collect(st, r2.run_id, &t2);
	assert_int_equal(t1.n, 18);
	assert_int_equal(t2.n, 18);
	assert_string_equal(th_find(&t1, "tests/test_basic.py::test_pass")->outcome,
			    "passed");
	assert_string_equal(th_find(&t2, "tests/test_basic.py::test_fail")->outcome,
			    "failed");
	th_tests_free(&t1);
	th_tests_free(&t2);
	tg_store_close(st);
}

/* The bytes of a fixture, appended to b (asserts it reads). */
static void add_file(tg_buf *b, const char *path)
{
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		tg_buf_add(b, chunk, n);
	fclose(f);
	assert_false(b->failed);
}

static tg_import_result import_bytes(const tg_buf *b, const char *name)
{
	tg_store *st = th_store_memory();
	tg_import_result res;
	tg_err err = TG_ERR_INIT;

	assert_int_equal(th_import1(st, th_write_tmp(name, b->ptr, b->len),
				    &res, &err),
			 0);
	tg_store_close(st);
	return res;
}

/* `cat *.xml` in a CI script: every document of the file is imported.
 * Before, only the first one was (with a warning), or none. */
static void test_junit__concatenated_documents(void **state)
{
	tg_buf b = TG_BUF_INIT(1 << 20);
	tg_import_result res;

	(void)state;
	/* with and without XML declarations between them */
	add_file(&b, FIXTURE("junit/ant-jenkins.xml"));
	add_file(&b, FIXTURE("junit/pytest7_basic_xunit2.xml"));
	add_file(&b, FIXTURE("junit/go-junit-report-v2.xml"));
	res = import_bytes(&b, "cat3.xml");
	assert_int_equal(res.counts.tests, 4 + 18 + 3);
	assert_false(res.truncated);

	/* the second one cut off: its complete cases are kept */
	tg_buf_reset(&b);
	add_file(&b, FIXTURE("junit/ant-jenkins.xml"));
	add_file(&b, FIXTURE("junit/surefire-flaky-rerun.xml"));
	/* cut inside testBroken's last rerunFailure: testFlaky and
	 * testFlakyError are complete; testBroken's finished attempts must
	 * not be stored without their testcase (7 tests before the fix) */
	tg_buf_truncate(&b, b.len - 200);
	res = import_bytes(&b, "cat-cut.xml");
	assert_true(res.truncated);
	assert_int_equal(res.counts.tests, 4 + 2);
	assert_int_equal(res.counts.flaky, 2);
	assert_int_equal(res.counts.results, 4 + 2 + 3);

	/* a report followed by something else: kept, with a warning */
	tg_buf_reset(&b);
	add_file(&b, FIXTURE("junit/bazel-generated.xml"));
	tg_buf_adds(&b, "\nnot xml at all\n");
	res = import_bytes(&b, "trailing.xml");
	assert_int_equal(res.counts.tests, 2);
	assert_false(res.truncated);
	tg_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_junit__every_dialect_counts),
		cmocka_unit_test(test_junit__individual_tests),
		cmocka_unit_test(test_junit__dry_run_counts_as_the_import),
		cmocka_unit_test(test_junit__dry_run_attempts_stay_in_their_input),
		cmocka_unit_test(test_junit__reimport_is_a_noop),
		cmocka_unit_test(test_junit__directory_import),
		cmocka_unit_test(test_junit__output_cap_is_recorded),
		cmocka_unit_test(test_junit__suite_output_cap_covers_all_elements),
		cmocka_unit_test(test_junit__cut_attributes_warn_once),
		cmocka_unit_test(test_junit__report_lines_are_the_elements),
		cmocka_unit_test(test_junit__empty_report_is_an_empty_run),
		cmocka_unit_test(test_junit__declared_encodings),
		cmocka_unit_test(
			test_junit__empty_testcases_beyond_tests_did_not_run),
		cmocka_unit_test(test_junit__todos_of_a_suite_too_big_to_tally),
		cmocka_unit_test(test_junit__testcases_without_a_name),
		cmocka_unit_test(test_junit__runs_share_names_not_verdicts),
		cmocka_unit_test(test_junit__concatenated_documents),
	};
	tg_err err = TG_ERR_INIT;

	tg_global_init(&err);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
