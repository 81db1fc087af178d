/*
 * test_prune.c - deleting runs: every row of a run goes, nothing else
 * does, and an error or a dry run deletes nothing.
 */
#include "helpers.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h" /* the connection, to look at every table */

/* Inputs that between them put rows in every table a run owns. */
static const char *const run_inputs[][3] = {
	/* properties of suites and of testcases, suite output */
	{FIXTURE("junit/ant-jenkins.xml"), FIXTURE("junit/playwright_1.65_junit.xml"), NULL},
	/* a warning (diagnostics) of a cut-off report */
	{FIXTURE("hostile/03_truncated_mid_system_out.xml"), NULL, NULL},
	/* three inputs of one pytest session: evidence, sessions */
	{FIXTURE("pytest/v_rA.log"), FIXTURE("pytest/v_rA.xml"), FIXTURE("pytest/v_rA.jsonl")},
	/* modules that failed to import (collection_errors) */
	{FIXTURE("pytest/conftest_error.log"), NULL, NULL},
};
#define NRUNS (sizeof(run_inputs) / sizeof(run_inputs[0]))

static int64_t import_run(tg_store *st, size_t i, const char *branch)
{
	tg_import_opts o = TG_IMPORT_OPTS_INIT;
	tg_import_result res;
	tg_import *imp;
	tg_err err = TG_ERR_INIT;
	tg_kv meta = {"branch", branch};
	char name[32];
	size_t k;

	snprintf(name, sizeof(name), "run-%zu", i);
	o.run_name = name;
	o.meta = &meta;
	o.meta_count = 1;
	assert_int_equal(tg_import_new(&imp, st, &o, &err), 0);
	for (k = 0; k < 3 && run_inputs[i][k]; k++)
		assert_int_equal(tg_import_add_path(imp, run_inputs[i][k], &err),
				 0);
	assert_int_equal(tg_import_finish(imp, &res, &err), 0);
	tg_import_free(imp);
	return res.run_id;
}

/* Rows of a table, through the store's own connection. */
static int64_t rows(tg_store *st, const char *table)
{
	char sql[128];
	sqlite3_stmt *s;
	int64_t n;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"", table);
	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* The store's tables, but test_names (checked on its own). */
typedef struct tables {
	char name[32][64];
	size_t n;
} tables;

static void list_tables(tg_store *st, tables *t)
{
	sqlite3_stmt *s;

	t->n = 0;
	assert_int_equal(
		sqlite3_prepare_v2(st->db,
				   "SELECT name FROM sqlite_schema WHERE "
				   "type = 'table' AND name NOT LIKE 'sqlite%' "
				   "AND name <> 'test_names' ORDER BY name",
				   -1, &s, NULL),
		SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		assert_true(t->n < 32);
		snprintf(t->name[t->n++], 64, "%s",
			 (const char *)sqlite3_column_text(s, 0));
	}
	sqlite3_finalize(s);
	assert_true(t->n >= 10);
}

static int64_t pragma(tg_store *st, const char *sql)
{
	sqlite3_stmt *s;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL),
			 SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Prune writes without enforcing foreign keys; the next ordinary write
 * transaction on the same connection enforces them again. */
static void assert_fk_enforced_again(tg_store *st)
{
	tg_err err = TG_ERR_INIT;

	assert_int_equal(tg_store__begin_write(st, &err), 0);
	assert_int_equal(pragma(st, "PRAGMA foreign_keys"), 1);
	tg_store__rollback(st);
}

static tg_store *open_with_runs(char *path, size_t n)
{
	tg_store *st;
	tg_err err = TG_ERR_INIT;
	size_t i;

	th_tmp_db(path, n);
	assert_int_equal(tg_store_open(&st, path, NULL, &err), 0);
	for (i = 0; i < NRUNS; i++)
		import_run(st, i, i % 2 ? "odd" : "even");
	return st;
}

/* Pruning every run empties every table: a table added to the schema
 * without its delete in store_prune.c fails here. */
static void test_prune__every_row_of_a_run_goes(void **state)
{
	char path[512];
	tg_store *st = open_with_runs(path, sizeof(path));
	tg_prune_opts o = TG_PRUNE_OPTS_INIT;
	tg_prune_result res;
	tg_err err = TG_ERR_INIT;
	tables t;
	size_t i;

	(void)state;
	list_tables(st, &t);
	/* otherwise the emptiness below would prove nothing */
	for (i = 0; i < t.n; i++)
		if (rows(st, t.name[i]) == 0)
			fail_msg("no input of the test fills table %s",
				 t.name[i]);
	o.before = "9999-12-31";
	assert_int_equal(tg_prune(st, &o, NULL, NULL, &res, &err), 0);
	assert_int_equal(res.deleted, NRUNS);
	assert_int_equal(res.kept, 0);
	for (i = 0; i < t.n; i++)
		if (rows(st, t.name[i]) != 0)
			fail_msg("table %s keeps %lld rows of deleted runs",
				 t.name[i], (long long)rows(st, t.name[i]));
	/* and the names no run refers to any more */
	assert_int_equal(rows(st, "test_names"), 0);
	assert_true(res.names > 0);
	assert_int_equal(pragma(st, "PRAGMA foreign_key_check"), -1);
	assert_fk_enforced_again(st);
	tg_store_close(st);
	th_rm_db(path);
}

typedef struct seen {
	char names[8][32];
	size_t n;
	int stop_at; /* return 99 at this call (1-based), 0: never */
} seen;

static int on_run(const tg_run_info *r, void *payload)
{
	seen *s = payload;

	assert_true(s->n < 8);
	snprintf(s->names[s->n++], 32, "%s", r->name);
	return (int)s->n == s->stop_at ? 99 : 0;
}

/* The runs that stay keep every row they had. */
static void test_prune__criteria_pick_runs(void **state)
{
	char path[512], before[65], after[65];
	tg_store *st = open_with_runs(path, sizeof(path));
	tg_prune_opts o = TG_PRUNE_OPTS_INIT;
	tg_prune_result res;
	tg_err err = TG_ERR_INIT;
	th_tests kept_before, kept_after;
	tg_kv where = {"branch", "even"};
	const char *named[] = {"run-3", "2", "run-3"};
	seen s = {0};

	(void)state;
	th_collect(st, 2, &kept_before);
	/* even runs are run-0 and run-2; the newest of them is spared */
	o.where = &where;
	o.where_count = 1;
	o.keep = 1;
	assert_int_equal(tg_prune(st, &o, on_run, &s, &res, &err), 0);
	assert_int_equal(res.deleted, 1);
	assert_int_equal(res.kept, 3);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.names[0], "run-0");
	/* run-0's names that other runs share stay: nothing dangles */
	assert_int_equal(pragma(st, "PRAGMA foreign_key_check"), -1);
	th_collect(st, 2, &kept_after);
	assert_int_equal(kept_after.n, kept_before.n);
	assert_true(kept_after.n > 0);
	th_tests_free(&kept_before);
	th_tests_free(&kept_after);
	/* by name and id, a run named twice counts once; oldest first */
	memset(&o, 0, sizeof(o));
	o.version = TG_PRUNE_OPTS_VERSION;
	o.runs = named;
	o.run_count = 3;
	o.dry_run = true;
	tg_store_close(st);
	th_db_checksum(path, before);
	assert_int_equal(tg_store_open(&st, path, NULL, &err), 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(tg_prune(st, &o, on_run, &s, &res, &err), 0);
	assert_int_equal(res.deleted, 2);
	assert_int_equal(res.kept, 1);
	assert_string_equal(s.names[0], "run-1");
	assert_string_equal(s.names[1], "run-3");
	/* oldest first whatever order they were named in */
	named[0] = "2";
	named[1] = "run-3";
	memset(&s, 0, sizeof(s));
	assert_int_equal(tg_prune(st, &o, on_run, &s, &res, &err), 0);
	assert_string_equal(s.names[0], "run-1");
	assert_string_equal(s.names[1], "run-3");
	tg_store_close(st);
	th_db_checksum(path, after);
	assert_string_equal(before, after); /* a dry run */
	assert_int_equal(tg_store_open(&st, path, NULL, &err), 0);
	o.dry_run = false;
	assert_int_equal(tg_prune(st, &o, NULL, NULL, &res, &err), 0);
	assert_int_equal(res.deleted, 2);
	assert_int_equal(res.kept, 1);
	assert_int_equal(rows(st, "runs"), 1);
	tg_store_close(st);
	th_rm_db(path);
}

/* Nothing is deleted when a callback stops, a run is unknown, or the
 * options name nothing or too much. */
static void test_prune__errors_delete_nothing(void **state)
{
	char path[512], before[65], after[65];
	tg_store *st = open_with_runs(path, sizeof(path));
	tg_prune_opts o = TG_PRUNE_OPTS_INIT;
	tg_prune_result res;
	tg_err err = TG_ERR_INIT;
	const char *named[] = {"run-0", "no-such-run"};
	seen s = {0};

	(void)state;
	tg_store_close(st);
	th_db_checksum(path, before);
	assert_int_equal(tg_store_open(&st, path, NULL, &err), 0);
	/* the callback stops at the second of four runs */
	o.keep = 0;
	o.before = "9999-12-31";
	s.stop_at = 2;
	assert_int_equal(tg_prune(st, &o, on_run, &s, &res, &err), 99);
	assert_int_equal(res.deleted, 0);
	/* no criterion at all */
	tg_err_clear(&err);
	o.before = NULL;
	assert_int_equal(tg_prune(st, &o, NULL, NULL, &res, &err), TG_EUSAGE);
	assert_non_null(strstr(err.msg, "nothing is deleted by default"));
	tg_err_clear(&err);
	assert_int_equal(tg_prune(st, NULL, NULL, NULL, &res, &err), TG_EUSAGE);
	/* runs named next to criteria */
	tg_err_clear(&err);
	o.runs = named;
	o.run_count = 1;
	o.keep = 2;
	assert_int_equal(tg_prune(st, &o, NULL, NULL, &res, &err), TG_EUSAGE);
	/* a run that does not exist, after one that does */
	tg_err_clear(&err);
	o.keep = 0;
	o.run_count = 2;
	assert_int_equal(tg_prune(st, &o, NULL, NULL, &res, &err), TG_EUSAGE);
	assert_non_null(strstr(err.msg, "no-such-run"));
	/* a bound compared as text would pick runs silently wrong */
	tg_err_clear(&err);
	o.run_count = 0;
	o.before = "2026-11-1";
	assert_int_equal(tg_prune(st, &o, NULL, NULL, &res, &err), TG_EUSAGE);
	assert_non_null(strstr(err.msg, "--before '2026-11-1'"));
	assert_fk_enforced_again(st);
	tg_store_close(st);
	th_db_checksum(path, after);
	assert_string_equal(before, after);
	th_rm_db(path);
}

/* A name goes only when nothing refers to it: a kept run's collection
 * error or evidence keeps its name, even with no result of it. */
static void test_prune__names_in_use_stay(void **state)
{
	char path[512];
	tg_store *st = open_with_runs(path, sizeof(path));
	tg_prune_opts o = TG_PRUNE_OPTS_INIT;
	tg_prune_result res;
	tg_err err = TG_ERR_INIT;
	const char *first[] = {"run-0"};
	char *msg = NULL;

	(void)state;
	/* names referred to by one table each, in the last run */
	if (sqlite3_exec(
		    st->db,
		    "INSERT INTO test_names (test_id) VALUES ('only/errors.py'), "
		    "('only/evidence.py');"
		    "INSERT INTO collection_errors (run_id, source_id, test, chain) "
		    "SELECT 4, min(s.id), n.id, '[]' FROM sources s, test_names n "
		    "WHERE s.run_id = 4 AND n.test_id = 'only/errors.py';"
		    "INSERT INTO evidence (run_id, source_id, test, signal, rule, "
		    "section, text) SELECT 4, min(s.id), n.id, 'mock', 'r', 's', "
		    "'t' FROM sources s, test_names n WHERE s.run_id = 4 AND "
		    "n.test_id = 'only/evidence.py';",
		    NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s", msg);
	o.runs = first;
	o.run_count = 1;
	assert_int_equal(tg_prune(st, &o, NULL, NULL, &res, &err), 0);
	assert_int_equal(res.deleted, 1);
	assert_true(res.names > 0); /* run-0's own names went */
	assert_int_equal(pragma(st, "SELECT count(*) FROM test_names WHERE "
				    "test_id IN ('only/errors.py', "
				    "'only/evidence.py')"),
			 2);
	assert_int_equal(pragma(st, "PRAGMA foreign_key_check"), -1);
	tg_store_close(st);
	th_rm_db(path);
}

/* A bound in the past spares runs imported after it; vacuum shrinks. */
static void test_prune__before_and_vacuum(void **state)
{
	char path[512];
	tg_store *st = open_with_runs(path, sizeof(path));
	tg_prune_opts o = TG_PRUNE_OPTS_INIT;
	tg_prune_result res;
	tg_err err = TG_ERR_INIT;
	int64_t pages;

	(void)state;
	o.before = "2000-01-01";
	assert_int_equal(tg_prune(st, &o, NULL, NULL, &res, &err), 0);
	assert_int_equal(res.deleted, 0);
	assert_int_equal(res.kept, NRUNS);
	o.before = "9999-12-31";
	pages = pragma(st, "PRAGMA page_count");
	assert_int_equal(tg_prune(st, &o, NULL, NULL, &res, &err), 0);
	assert_int_equal(res.deleted, NRUNS);
	assert_true(pragma(st, "PRAGMA freelist_count") > 0);
	assert_int_equal(tg_store_vacuum(st, &err), 0);
	assert_int_equal(pragma(st, "PRAGMA freelist_count"), 0);
	assert_true(pragma(st, "PRAGMA page_count") < pages);
	tg_store_close(st);
	th_rm_db(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prune__every_row_of_a_run_goes),
		cmocka_unit_test(test_prune__criteria_pick_runs),
		cmocka_unit_test(test_prune__errors_delete_nothing),
		cmocka_unit_test(test_prune__names_in_use_stay),
		cmocka_unit_test(test_prune__before_and_vacuum),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
