/*
 * test_store.c - opening, migrating and refusing databases.
 */
#include "helpers.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

static void exec_sql(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static int64_t sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t v;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void test_store__new_database_gets_latest_schema(void **state)
{
	char path[512];
	tg_store *st;
	tg_err err = TG_ERR_INIT;
	sqlite3 *db;
	sqlite3_stmt *s;

	(void)state;
	th_tmp_db(path, sizeof(path));
	assert_int_equal(tg_store_open(&st, path, NULL, &err), 0);
	tg_store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), tg_store_schema_version());
	sqlite3_finalize(s);
	sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	/* 16 KiB pages (store.h, TG_STORE_PAGE_SIZE) */
	sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &s, NULL);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 16384);
	sqlite3_finalize(s);
	sqlite3_close(db);
	/* Opening again is a no-op. */
	assert_int_equal(tg_store_open(&st, path, NULL, &err), 0);
	tg_store_close(st);
	th_rm_db(path);
}

static int count_run(const tg_run_info *r, void *payload)
{
	tg_counts *c = payload;

	*c = r->counts;
	return 0;
}

/* A database of every older schema opens, migrates and keeps its runs. */
static void test_store__schema_v1_database_migrates(void **state)
{
	char path[512];
	const char *log = FIXTURE("pytest/v_rA.log");
	tg_store *st;
	tg_err err = TG_ERR_INIT;
	tg_import_result res;
	tg_counts c;
	int64_t run;
	FILE *in, *out;
	char buf[8192];
	size_t n;

	(void)state;
	th_tmp_db(path, sizeof(path));
	in = fopen(FIXTURE("store/schema-v1.db"), "rb");
	out = fopen(path, "wb");
	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
	assert_int_equal(tg_store_open(&st, path, NULL, &err), 0);
	assert_int_equal(tg_run_resolve(&run, st, "v1-run", &err), 0);
	assert_int_equal(tg_run_get(st, run, count_run, &c, &err), 0);
	assert_int_equal(c.tests, 24);
	assert_int_equal(c.passed, 12);
	assert_int_equal(c.flaky, 3);
	/* the new tables work on the migrated database */
	assert_int_equal(th_import1(st, log, &res, &err), 0);
	assert_int_equal(res.collection_errors, 2);
	assert_true(res.evidence > 10);
	tg_store_close(st);
	th_rm_db(path);
}

typedef struct progress_seen {
	size_t calls, files;
	uint64_t last, total;
	bool monotonic;
} progress_seen;

static void on_progress(const tg_progress *p, void *payload)
{
	progress_seen *s = payload;

	s->monotonic = s->monotonic && p->done >= s->last;
	s->last = p->done;
	s->total = p->total;
	s->files = p->files_done;
	s->calls++;
}

/* An import says how far it got, every few MiB and at each input's end. */
static void test_store__import_reports_progress(void **state)
{
	tg_import_opts o = TG_IMPORT_OPTS_INIT;
	progress_seen seen = {0, 0, 0, 0, true};
	tg_store *st = th_store_memory();
	tg_import *imp = NULL;
	tg_import_result res;
	tg_err err = TG_ERR_INIT;
	size_t n = 0, cap = 10u * 1024 * 1024, i = 0;
	char *xml = malloc(cap + 256);
	const char *p;

	(void)state;
	assert_non_null(xml);
	n += (size_t)snprintf(xml, cap + 256, "<testsuite name=\"s\">");
	while (n < cap)
		n += (size_t)snprintf(xml + n, cap + 256 - n,
				      "<testcase classname=\"c\" name=\"t%zu\" "
				      "time=\"1\"/>",
				      i++);
	n += (size_t)snprintf(xml + n, cap + 256 - n, "</testsuite>");
	p = th_write_tmp("big.xml", xml, n);
	free(xml);
	o.progress = on_progress;
	o.progress_payload = &seen;
	assert_int_equal(tg_import_new(&imp, st, &o, &err), 0);
	assert_int_equal(tg_import_add_path(imp, p, &err), 0);
	assert_int_equal(tg_import_finish(imp, &res, &err), 0);
	tg_import_free(imp);
	assert_true(seen.calls >= 3); /* 10 MiB: two steps and the end */
	assert_true(seen.monotonic);
	assert_int_equal(seen.last, n);
	assert_int_equal(seen.total, n);
	assert_int_equal(seen.files, 1);
	tg_store_close(st);
}

static void test_store__newer_schema_is_refused(void **state)
{
	char path[512], sql[128];
	tg_store *st = NULL;
	tg_err err = TG_ERR_INIT;

	(void)state;
	th_tmp_db(path, sizeof(path));
	assert_int_equal(tg_store_open(&st, path, NULL, &err), 0);
	tg_store_close(st);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
		 tg_store_schema_version() + 1);
	exec_sql(path, sql);
	assert_int_equal(tg_store_open(&st, path, NULL, &err), TG_EDB);
	assert_null(st);
	assert_non_null(strstr(err.msg, "newer truegreen"));
	th_rm_db(path);
}

/* A database below the oldest schema reads work on (schema.h) is refused
 * by a read-only open, saying how to migrate it, and a write migrates it.
 * Schema 3 is schema 5 without sources.stopped_at and
 * sessions.stopped_after; schema 4, without the latter. */
static void test_store__readers_need_the_read_schema(void **state)
{
	char path[512];
	tg_store *st = NULL;
	tg_store_opts ro = TG_STORE_OPTS_INIT;
	tg_err err = TG_ERR_INIT;
	tg_import_result res;
	int64_t run = 0;

	(void)state;
	th_tmp_db(path, sizeof(path));
	assert_int_equal(tg_store_open(&st, path, NULL, &err), 0);
	assert_int_equal(th_import1(st, FIXTURE("junit/ant-jenkins.xml"), &res,
				    &err),
			 0);
	tg_store_close(st);
	exec_sql(path, "ALTER TABLE sessions DROP COLUMN stopped_after; "
		       "PRAGMA user_version = 4");
	ro.readonly = true;
	assert_int_equal(tg_store_open(&st, path, &ro, &err), TG_EDB);
	assert_non_null(strstr(err.msg, "open it writable once"));
	exec_sql(path, "ALTER TABLE sources DROP COLUMN stopped_at; "
		       "PRAGMA user_version = 3");
	assert_int_equal(tg_store_open(&st, path, &ro, &err), TG_EDB);
	assert_non_null(strstr(err.msg, "open it writable once"));
	assert_int_equal(sql_int(path, "PRAGMA user_version"), 3);
	assert_int_equal(tg_store_open(&st, path, NULL, &err), 0);
	tg_store_close(st);
	assert_int_equal(sql_int(path, "PRAGMA user_version"),
			 tg_store_schema_version());
	assert_int_equal(tg_store_open(&st, path, &ro, &err), 0);
	assert_int_equal(tg_run_resolve(&run, st, "latest", &err), 0);
	assert_int_equal(run, res.run_id);
	tg_store_close(st);
	th_rm_db(path);
}

static void test_store__foreign_database_is_refused(void **state)
{
	char path[512];
	tg_store *st = NULL;
	tg_err err = TG_ERR_INIT;

	(void)state;
	th_tmp_db(path, sizeof(path));
	exec_sql(path, "CREATE TABLE customers (id INTEGER)");
	assert_int_equal(tg_store_open(&st, path, NULL, &err), TG_EDB);
	assert_non_null(strstr(err.msg, "not a truegreen database"));
	th_rm_db(path);
}

static void test_store__not_sqlite_is_refused(void **state)
{
	tg_store *st = NULL;
	tg_err err = TG_ERR_INIT;
	const char *p = th_write_tmp("notadb.db", "this is not a database, at "
						  "least not a sqlite one....",
				     52);

	(void)state;
	assert_int_equal(tg_store_open(&st, p, NULL, &err), TG_EDB);
	assert_non_null(strstr(err.msg, "not a database"));
}

/* A failure in the middle of an import leaves nothing behind. */
static void test_store__failed_import_rolls_back(void **state)
{
	char path[512], before[65], after[65];
	const char *paths[] = {FIXTURE("junit/ant-jenkins.xml"),
			       FIXTURE("hostile/08_cdata_end_inside_cdata_unsplit.xml")};
	tg_store *st;
	tg_import_result res;
	tg_err err = TG_ERR_INIT;

	(void)state;
	th_tmp_db(path, sizeof(path));
	assert_int_equal(tg_store_open(&st, path, NULL, &err), 0);
	tg_store_close(st);
	th_db_checksum(path, before);
	assert_int_equal(tg_store_open(&st, path, NULL, &err), 0);
	/* the first file imports fine; the second fails the whole run */
	assert_int_equal(th_import(st, paths, 2, &res, &err), TG_EINPUT);
	tg_store_close(st);
	th_db_checksum(path, after);
	assert_string_equal(before, after);
	th_rm_db(path);
}

static void test_store__run_name_conflict(void **state)
{
	tg_store *st = th_store_memory();
	tg_import_opts o = TG_IMPORT_OPTS_INIT;
	tg_import *imp;
	tg_import_result res;
	tg_err err = TG_ERR_INIT;
	const char *files[] = {FIXTURE("junit/ant-jenkins.xml"),
			       FIXTURE("junit/bazel-generated.xml")};
	int i;

	(void)state;
	o.run_name = "nightly";
	for (i = 0; i < 2; i++) {
		tg_err_clear(&err);
		assert_int_equal(tg_import_new(&imp, st, &o, &err), 0);
		assert_int_equal(tg_import_add_path(imp, files[i], &err), 0);
		assert_int_equal(tg_import_finish(imp, &res, &err),
				 i == 0 ? 0 : TG_EEXISTS);
		tg_import_free(imp);
	}
	assert_non_null(strstr(err.msg, "nightly"));
	tg_store_close(st);
}

static int keep_run(const tg_run_info *r, void *payload)
{
	tg_run_info *out = payload;

	out->id = r->id;
	out->counts = r->counts;
	out->truncated = r->truncated;
	return 0;
}

/* One run's summary by id, and nothing for an id that does not exist. */
static void test_store__run_get(void **state)
{
	tg_store *st = th_store_memory();
	tg_import_result res;
	tg_err err = TG_ERR_INIT;
	tg_run_info got;

	(void)state;
	assert_int_equal(th_import1(st, FIXTURE("junit/surefire-flaky-rerun.xml"),
				    &res, &err),
			 0);
	memset(&got, 0, sizeof(got));
	assert_int_equal(tg_run_get(st, res.run_id, keep_run, &got, &err), 0);
	assert_int_equal(got.id, res.run_id);
	assert_int_equal(got.counts.tests, 4);
	assert_int_equal(got.counts.flaky, 2);
	assert_int_equal(got.counts.results, 9);
	memset(&got, 0, sizeof(got));
	assert_int_equal(tg_run_get(st, res.run_id + 1, keep_run, &got, &err),
			 0);
	assert_int_equal(got.id, 0);
	tg_store_close(st);
}

/* Every row of sql's result, one per line, columns separated by '|'. */
static char *rows_of(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	char *out = calloc(1, 1);
	size_t len = 0;

	assert_non_null(out);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		int i;
		for (i = 0; i < sqlite3_column_count(s); i++) {
			const char *v = (const char *)sqlite3_column_text(s, i);
			size_t n = strlen(v ? v : "");
			out = realloc(out, len + n + 2);
			assert_non_null(out);
			memcpy(out + len, v ? v : "", n);
			len += n;
			out[len++] = i + 1 < sqlite3_column_count(s) ? '|' : '\n';
			out[len] = '\0';
		}
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return out;
}

#define TESTS_OF_RUN(n)                                                         \
	"SELECT test_id, outcome, attempts FROM tests WHERE run_id = " #n      \
	" ORDER BY test_id"

/*
 * Imports write without enforcing foreign keys (store.h,
 * tg_store__begin_bulk), so every reference they make is checked here:
 * a run of every kind of input, then a run whose test names are known.
 * A file in a directory that is no report leaves no row at all.
 */
static void test_store__imports_leave_no_dangling_reference(void **state)
{
	const char *all[] = {FIXTURE("junit"), FIXTURE("pytest"),
			     FIXTURE("record")};
	const char *again[] = {FIXTURE("pytest")};
	char path[512], alone[512];
	char *fk, *sources, *names1, *names2, *known, *fresh;
	tg_store *st;
	tg_import_result res;
	tg_err err = TG_ERR_INIT;

	(void)state;
	th_tmp_db(path, sizeof(path));
	assert_int_equal(tg_store_open(&st, path, NULL, &err), 0);
	assert_int_equal(th_import(st, all, 3, &res, &err), 0);
	names1 = rows_of(path, "SELECT count(*) FROM test_names");
	/* the pytest fixtures' names are all known now */
	assert_int_equal(th_import(st, again, 1, &res, &err), 0);
	assert_int_equal(res.run_id, 2);
	tg_store_close(st);
	fk = rows_of(path, "PRAGMA foreign_key_check");
	assert_string_equal(fk, "");
	/* record/ holds a pytest project, no report: nothing of it stays */
	sources = rows_of(path, "SELECT path FROM sources WHERE path LIKE "
				"'%.py' OR path LIKE '%/regen.sh'");
	assert_string_equal(sources, "");
	names2 = rows_of(path, "SELECT count(*) FROM test_names");
	assert_string_equal(names1, names2);

	/* each known name found, not mixed up: the run reads as it does
	 * imported alone into an empty store */
	th_tmp_db(alone, sizeof(alone));
	assert_int_equal(tg_store_open(&st, alone, NULL, &err), 0);
	assert_int_equal(th_import(st, again, 1, &res, &err), 0);
	tg_store_close(st);
	known = rows_of(path, TESTS_OF_RUN(2));
	fresh = rows_of(alone, TESTS_OF_RUN(1));
	assert_true(strlen(fresh) > 100);
	assert_string_equal(known, fresh);
	free(fk);
	free(sources);
	free(names1);
	free(names2);
	free(known);
	free(fresh);
	th_rm_db(path);
	th_rm_db(alone);
}

/*
 * A suite's todos are marked only when the store finds exactly as many
 * empty zero-time passes as the parser counted: when the two disagree,
 * which ones did not run is unknown, and nothing changes.
 */
static void test_store__not_run_only_when_the_count_agrees(void **state)
{
	static const char doc[] =
		"<testsuite name=\"s\">"
		"<testcase classname=\"c\" name=\"x\" time=\"0\"/>"
		"<testcase classname=\"c\" name=\"y\" time=\"0\"/>"
		"<testcase classname=\"c\" name=\"z\" time=\"0.5\"/>"
		"<testcase classname=\"c\" name=\"w\" time=\"0\">"
		"<system-out>said something</system-out></testcase>"
		"</testsuite>";
	char path[512];
	const char *in = th_write_tmp("todo.xml", doc, sizeof(doc) - 1);
	tg_store *st;
	tg_import_result res;
	tg_err err = TG_ERR_INIT;
	int64_t suite, lo, hi;
	bool marked = true;

	(void)state;
	th_tmp_db(path, sizeof(path));
	assert_int_equal(tg_store_open(&st, path, NULL, &err), 0);
	/* no tests=: the parser marks nothing */
	assert_int_equal(th_import1(st, in, &res, &err), 0);
	suite = sql_int(path, "SELECT id FROM suites");
	lo = sql_int(path, "SELECT min(id) FROM results");
	hi = sql_int(path, "SELECT max(id) FROM results");
	assert_int_equal(tg_store__results_not_run(&marked, st, suite, lo, hi,
						   3, "todo", &err),
			 0);
	assert_false(marked);
	assert_int_equal(sql_int(path, "SELECT count(*) FROM results WHERE "
				       "outcome = 'skipped'"),
			 0);
	assert_int_equal(tg_store__results_not_run(&marked, st, suite, lo, hi,
						   2, "todo", &err),
			 0);
	assert_true(marked);
	assert_int_equal(sql_int(path, "SELECT count(*) FROM results WHERE "
				       "outcome = 'skipped' AND verdict = "
				       "'skipped' AND status = 'todo'"),
			 2);
	tg_store_close(st);
	th_rm_db(path);
}

/*
 * A pytest -q log names its tests only at the end, so the evidence in its
 * FAILURES section is stored under a headline and resolved when the log
 * ends, one statement per headline.  Each must find its rows by index:
 * reading the whole evidence table instead made a log of 20,000 failures
 * take 59 s to import, longer with every run kept (a scan of the table,
 * counted by SQLite, is the failure; no timing).
 */
static void test_store__headlines_resolve_by_index(void **state)
{
	static const char log[] =
		"FF\n"
		"=================================== FAILURES "
		"===================================\n"
		"____________________ TestGroup.test_a ____________________\n"
		"E       ConnectionRefusedError: [Errno 111] Connection refused\n"
		"tests/test_x.py:3: ConnectionRefusedError\n"
		"____________________ TestGroup.test_b ____________________\n"
		"E       ConnectionRefusedError: [Errno 111] Connection refused\n"
		"tests/test_x.py:7: ConnectionRefusedError\n"
		"=========================== short test summary info "
		"============================\n"
		"FAILED tests/test_x.py::TestGroup::test_a - ConnectionRefusedError\n"
		"FAILED tests/test_x.py::TestGroup::test_b - ConnectionRefusedError\n"
		"============================== 2 failed in 0.12s "
		"===============================\n";
	char path[512];
	const char *in = th_write_tmp("q.log", log, sizeof(log) - 1);
	tg_store *st;
	tg_import_result res;
	tg_err err = TG_ERR_INIT;
	sqlite3_stmt *alias;

	(void)state;
	th_tmp_db(path, sizeof(path));
	assert_int_equal(tg_store_open(&st, path, NULL, &err), 0);
	assert_int_equal(th_import1(st, in, &res, &err), 0);
	/* the headlines were resolved, and through the statement below */
	assert_int_equal(sql_int(path, "SELECT count(*) FROM evidence WHERE "
				       "headline IS NULL AND test IS NOT NULL"),
			 2);
	alias = tg_store__stmt(st, S_EVIDENCE_ALIAS, &err);
	assert_non_null(alias);
	assert_true(sqlite3_stmt_status(alias, SQLITE_STMTSTATUS_VM_STEP, 0) >
		    0);
	assert_int_equal(
		sqlite3_stmt_status(alias, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0),
		0);
	tg_store_close(st);
	th_rm_db(path);
}

/*
 * A report of one test "c::t" whose attempts are cases: P pass, F failure,
 * E error, S skip, R a pass with a flakyFailure before it; the n-th
 * testcase takes n seconds.  Returns its path.
 */
static const char *attempts_report(const char *name, const char *cases)
{
	static const char *const body[] = {
		['P'] = "", ['F'] = "<failure message=\"m\"/>",
		['E'] = "<error message=\"e\"/>", ['S'] = "<skipped/>",
		['R'] = "<flakyFailure message=\"m\"/>"};
	char doc[2048];
	size_t j, len = (size_t)snprintf(doc, sizeof(doc), "<testsuite name=\"s\">");

	for (j = 0; cases[j]; j++)
		len += (size_t)snprintf(doc + len, sizeof(doc) - len,
					"<testcase classname=\"c\" name=\"t\" "
					"time=\"%zu\">%s</testcase>",
					j + 1, body[(unsigned char)cases[j]]);
	len += (size_t)snprintf(doc + len, sizeof(doc) - len, "</testsuite>");
	assert_true(len < sizeof(doc));
	return th_write_tmp(name, doc, len);
}

/* Import the reports of cases (one per input) as one run and check the
 * verdict, duration and attempts of "c::t". */
static void check_merge(const char *const *cases, size_t n,
			const char *verdict, double duration,
			unsigned attempts)
{
	char path[512], names[16][32];
	const char *in[16];
	tg_store *st;
	tg_import_result res;
	tg_err err = TG_ERR_INIT;
	th_tests got;
	const th_test *t;
	size_t i;

	assert_true(n <= 16);
	for (i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "merge-%zu.xml", i);
		in[i] = strdup(attempts_report(names[i], cases[i]));
		assert_non_null(in[i]);
	}
	th_tmp_db(path, sizeof(path));
	assert_int_equal(tg_store_open(&st, path, NULL, &err), 0);
	assert_int_equal(th_import(st, in, n, &res, &err), 0);
	th_collect(st, res.run_id, &got);
	assert_int_equal(got.n, 1);
	t = th_find(&got, "c::t");
	assert_non_null(t);
	if (strcmp(t->outcome, verdict) != 0 || !t->has_duration ||
	    t->duration != duration || t->attempts != attempts)
		fail_msg("%s (of %zu inputs): %s in %g s, %u attempts; want %s "
			 "in %g s, %u attempts",
			 cases[0], n, t->outcome, t->duration, t->attempts,
			 verdict, duration, attempts);
	th_tests_free(&got);
	tg_store_close(st);
	th_rm_db(path);
	for (i = 0; i < n; i++)
		free((void *)in[i]);
}

/*
 * Attempts of one test in one report merge by their order: a pass after
 * a failure is flaky, a failure after a pass is a failure (a report that
 * lists a test twice, passing first, failed it; calling that flaky hid a
 * failed build), a pass beats a skip either way.
 */
static void test_store__attempts_merge_in_order(void **state)
{
	static const struct {
		const char *cases, *verdict;
		double duration;
	} want[] = {
		{"PF", "failed", 2}, {"FP", "flaky", 2},  {"PS", "passed", 1},
		{"SP", "passed", 2}, {"FPF", "failed", 3}, {"PFP", "flaky", 3},
		{"EF", "error", 1},  {"FE", "error", 2},  {"SS", "skipped", 2},
		{"PP", "passed", 2}, {"R", "flaky", 1},    {"RF", "failed", 2},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		unsigned n = (unsigned)strlen(want[i].cases);
		/* R is two attempts */
		n += strchr(want[i].cases, 'R') != NULL;
		check_merge(&want[i].cases, 1, want[i].verdict,
			    want[i].duration, n);
	}
}

/*
 * Reports of one format are separate runs of a test (shards, a matrix, a
 * rerun in a file of its own), in no known order: a pass in one and a
 * failure in another is flaky whichever came first (the first input used
 * to decide: the failure vanished), and a failure in the tenth input
 * counts (the first eight used to).  Attempts add up only when the
 * inputs disagree on pass, failure or skip.
 */
static void test_store__inputs_of_one_format_add_up(void **state)
{
	static const char *const pf[] = {"P", "F"}, *const fp[] = {"F", "P"},
				 *const ps[] = {"S", "P"}, *const fe[] = {"F", "E"},
				 *const ff[] = {"PF", "P"}, *const pp[] = {"P", "P"},
				 *const ten[] = {"P", "P", "P", "P", "P",
						 "P", "P", "P", "P", "F"};

	(void)state;
	check_merge(pf, 2, "flaky", 1, 2);
	check_merge(fp, 2, "flaky", 1, 2);
	check_merge(ps, 2, "passed", 1, 2);
	/* a failure in one file and an error in the other: one attempt
	 * classified two ways (TestNG's two reports), not two */
	check_merge(fe, 2, "error", 1, 1);
	/* failed in its own input, passed in another */
	check_merge(ff, 2, "flaky", 1, 3);
	check_merge(ten, 10, "flaky", 1, 10);
	/* the same results in two files (TestNG writes them twice) are
	 * one attempt, not two */
	check_merge(pp, 2, "passed", 1, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store__new_database_gets_latest_schema),
		cmocka_unit_test(test_store__schema_v1_database_migrates),
		cmocka_unit_test(test_store__import_reports_progress),
		cmocka_unit_test(test_store__newer_schema_is_refused),
		cmocka_unit_test(test_store__foreign_database_is_refused),
		cmocka_unit_test(test_store__not_sqlite_is_refused),
		cmocka_unit_test(test_store__failed_import_rolls_back),
		cmocka_unit_test(test_store__run_name_conflict),
		cmocka_unit_test(test_store__run_get),
		cmocka_unit_test(test_store__imports_leave_no_dangling_reference),
		cmocka_unit_test(test_store__not_run_only_when_the_count_agrees),
		cmocka_unit_test(test_store__headlines_resolve_by_index),
		cmocka_unit_test(test_store__readers_need_the_read_schema),
		cmocka_unit_test(test_store__attempts_merge_in_order),
		cmocka_unit_test(test_store__inputs_of_one_format_add_up),
	};
	tg_err err = TG_ERR_INIT;

	tg_global_init(&err);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
