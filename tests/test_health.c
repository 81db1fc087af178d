/*
 * test_health.c - the trends of the test-health report, computed by SQL
 * (store_analyze.c): per-day counts, flips on one commit with skips
 * ignored, the commit pair's precedence, and tests that vanished.  The
 * runs' import days and commits are set with SQL after importing, as a
 * year of CI would have left them.
 */
#include "helpers.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "truegreen/health.h"

/* One run of tests t_a, t_b (and t_c when with_c) with these verdicts:
 * 'p' pass, 'f' failure, 's' skip. */
static int64_t run(tg_store *st, const char *name, char a, char b, bool with_c)
{
	char doc[1024];
	size_t n = 0;
	const char *v[3] = {NULL, NULL, NULL};
	char o[3] = {a, b, 'p'};
	int i;
	tg_import_result res;
	tg_err err = TG_ERR_INIT;

	for (i = 0; i < 3; i++)
		v[i] = o[i] == 'p'   ? "/>"
		       : o[i] == 'f' ? "><failure message=\"no\"/></testcase>"
				     : "><skipped/></testcase>";
	n += (size_t)snprintf(doc + n, sizeof(doc) - n,
			      "<testsuite name=\"%s\">", name);
	for (i = 0; i < (with_c ? 3 : 2); i++)
		n += (size_t)snprintf(doc + n, sizeof(doc) - n,
				      "<testcase classname=\"t.test_h\" "
				      "name=\"t_%c\" time=\"1\"%s",
				      'a' + i, v[i]);
	n += (size_t)snprintf(doc + n, sizeof(doc) - n, "</testsuite>");
	assert_int_equal(th_import1(st, th_write_tmp(name, doc, n), &res, &err),
			 0);
	return res.run_id;
}

static void set_run(tg_store *st, int64_t id, const char *day,
		    const char *key, const char *commit)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "UPDATE runs SET imported_at = '%sT12:00:00Z' WHERE id = %lld;"
		 "INSERT INTO run_meta (run_id, key, value, origin) "
		 "VALUES (%lld, '%s', '%s', 'user')",
		 day, (long long)id, (long long)id, key, commit);
	assert_int_equal(sqlite3_exec(st->db, sql, NULL, NULL, NULL),
			 SQLITE_OK);
}

static cJSON *report(tg_store *st)
{
	tg_health_opts o = TG_HEALTH_OPTS_INIT;
	tg_err err = TG_ERR_INIT;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cJSON *doc;

	assert_non_null(f);
	o.since = "2026-01-01";
	o.until = "2026-12-31";
	assert_int_equal(tg_health_report(f, st, &o, "json", &err), 0);
	fclose(f);
	doc = cJSON_Parse(text);
	free(text);
	assert_non_null(doc);
	return doc;
}

static const cJSON *entry(const cJSON *list, const char *test)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, list)
	{
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(e, "test");
		if (cJSON_IsString(t) && strcmp(t->valuestring, test) == 0)
			return e;
	}
	return NULL;
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

static void test_health__trends(void **state)
{
	tg_store *st = th_store_memory();
	int64_t r1, r2, r3, r4;
	const cJSON *days, *d, *a, *b, *v;
	cJSON *doc;

	(void)state;
	r1 = run(st, "r1", 'p', 'p', true);
	r2 = run(st, "r2", 'f', 's', true);
	r3 = run(st, "r3", 'p', 'p', false);
	r4 = run(st, "r4", 'f', 'f', false);
	set_run(st, r1, "2026-03-01", "ci.commit", "aaa");
	set_run(st, r2, "2026-03-01", "ci.commit", "aaa");
	set_run(st, r3, "2026-03-02", "commit", "bbb");
	/* the user's pair wins over CI's: r4 is on bbb, with r3 */
	set_run(st, r4, "2026-03-04", "ci.commit", "zzz");
	set_run(st, r4, "2026-03-04", "commit", "bbb");
	doc = report(st);

	days = cJSON_GetObjectItemCaseSensitive(doc, "days");
	assert_int_equal(cJSON_GetArraySize(days), 3);
	d = cJSON_GetArrayItem(days, 0);
	assert_string_equal(
		cJSON_GetObjectItemCaseSensitive(d, "date")->valuestring,
		"2026-03-01");
	assert_true(num(d, "runs") == 2 && num(d, "tests") == 6 &&
		    num(d, "failed") == 1 && num(d, "skipped") == 1);
	d = cJSON_GetArrayItem(days, 2);
	assert_string_equal(
		cJSON_GetObjectItemCaseSensitive(d, "date")->valuestring,
		"2026-03-04");
	assert_true(num(d, "runs") == 1 && num(d, "failed") == 2);

	/* t_a: p(aaa) f(aaa) p(bbb) f(bbb): two flips (none across the
	 * commits) in three chances */
	a = entry(cJSON_GetObjectItemCaseSensitive(doc, "flaky"),
		  "t/test_h.py::t_a");
	assert_non_null(a);
	assert_true(num(a, "runs") == 4);
	assert_near(num(a, "flip_rate"), 0.667, 1e-9); /* 2/3, as printed */
	/* t_b: p(aaa) skip p(bbb) f(bbb): the skip is no outcome; one flip */
	b = entry(cJSON_GetObjectItemCaseSensitive(doc, "flaky"),
		  "t/test_h.py::t_b");
	assert_non_null(b);
	assert_near(num(b, "flip_rate"), 0.333, 1e-9);
	/* t_c ran in the first run and not in the last */
	v = cJSON_GetObjectItemCaseSensitive(doc, "vanished");
	assert_int_equal(cJSON_GetArraySize(v), 1);
	assert_string_equal(cJSON_GetArrayItem(v, 0)->valuestring,
			    "t/test_h.py::t_c");
	cJSON_Delete(doc);
	tg_store_close(st);
}

/* Import a fixture's bytes and a tail that makes them another run. */
static int64_t run_file(tg_store *st, const char *fixture, const char *tail)
{
	FILE *in = fopen(fixture, "rb");
	char buf[65536];
	size_t n;
	tg_import_result res;
	tg_err err = TG_ERR_INIT;

	assert_non_null(in);
	n = fread(buf, 1, sizeof(buf) - 64, in);
	fclose(in);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", tail);
	assert_int_equal(th_import1(st, th_write_tmp("run.log", buf, n), &res,
				    &err),
			 0);
	return res.run_id;
}

/* A module that failed to import in two runs and no more in the third:
 * one entry each, from the first day to the last it was seen, closed. */
static void test_health__import_failures_over_the_period(void **state)
{
	tg_store *st = th_store_memory();
	int64_t r1, r2, r3;
	const cJSON *list, *e;
	cJSON *doc;

	(void)state;
	r1 = run_file(st, FIXTURE("pytest/interrupted.log"), "");
	r2 = run_file(st, FIXTURE("pytest/interrupted.log"), "deploy: done\n");
	r3 = run(st, "r3", 'p', 'p', false);
	set_run(st, r1, "2026-03-01", "commit", "aaa");
	set_run(st, r2, "2026-03-02", "commit", "bbb");
	set_run(st, r3, "2026-03-03", "commit", "ccc");
	doc = report(st);
	list = cJSON_GetObjectItemCaseSensitive(doc, "import_failures");
	assert_int_equal(cJSON_GetArraySize(list), 2);
	cJSON_ArrayForEach(e, list)
	{
		const char *m =
			cJSON_GetObjectItemCaseSensitive(e, "module")->valuestring;
		assert_true(strcmp(m, "tests/e2e/test_golden_path.py") == 0 ||
			    strcmp(m, "tests/e2e/test_chat_flow.py") == 0);
		assert_non_null(strstr(
			cJSON_GetObjectItemCaseSensitive(e, "first_seen")->valuestring,
			"2026-03-01"));
		assert_non_null(strstr(
			cJSON_GetObjectItemCaseSensitive(e, "last_seen")->valuestring,
			"2026-03-02"));
		assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(e, "open")));
	}
	cJSON_Delete(doc);
	tg_store_close(st);
}

/* A pytest log whose collection failed in modules tests/m<i>/test_a.py
 * for i in [0, n) with step. */
static int64_t modules_failing(tg_store *st, size_t n, size_t step)
{
	static char log[256 * 1024];
	size_t len, i, errors = (n + step - 1) / step;
	tg_import_result res;
	tg_err err = TG_ERR_INIT;

	len = (size_t)snprintf(log, sizeof(log),
			       "=== test session starts ===\n"
			       "collecting ... collected 0 items / %zu errors\n\n"
			       "=== ERRORS ===\n",
			       errors);
	for (i = 0; i < n; i += step)
		len += (size_t)snprintf(
			log + len, sizeof(log) - len,
			"___ ERROR collecting tests/m%zu/test_a.py ___\n"
			"ImportError while importing test module "
			"'/s/tests/m%zu/test_a.py'.\n"
			"Traceback:\n"
			"tests/m%zu/test_a.py:1: in <module>\n"
			"    import harness_%zu\n"
			"E   ModuleNotFoundError: No module named 'harness_%zu'\n",
			i, i, i, i, i);
	len += (size_t)snprintf(log + len, sizeof(log) - len,
				"=== short test summary info ===\n");
	for (i = 0; i < n; i += step)
		len += (size_t)snprintf(log + len, sizeof(log) - len,
					"ERROR tests/m%zu/test_a.py\n", i);
	len += (size_t)snprintf(log + len, sizeof(log) - len,
				"!!! Interrupted: %zu errors during collection "
				"!!!\n=== %zu errors in 0.06s ===\n",
				errors, errors);
	assert_true(len < sizeof(log));
	assert_int_equal(th_import1(st, th_write_tmp("mods.log", log, len),
				    &res, &err),
			 0);
	assert_int_equal(res.collection_errors, errors);
	return res.run_id;
}

/* Many modules, one entry each (the index by module grows past its first
 * tables): those still failing in the last run are open, the rest not. */
static void test_health__import_failures_of_many_modules(void **state)
{
	enum { NMODS = 100 };
	tg_store *st = th_store_memory();
	const cJSON *e;
	cJSON *doc;
	bool seen[NMODS] = {false};
	size_t n = 0;

	(void)state;
	set_run(st, modules_failing(st, NMODS, 1), "2026-03-01", "commit", "a");
	set_run(st, modules_failing(st, NMODS, 2), "2026-03-02", "commit", "b");
	doc = report(st);
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc, "import_failures"))
	{
		unsigned long m;
		int end = 0;
		bool even;
		const char *mod =
			cJSON_GetObjectItemCaseSensitive(e, "module")->valuestring;

		assert_int_equal(sscanf(mod, "tests/m%lu/test_a.py%n", &m, &end), 1);
		assert_int_equal(mod[end], '\0');
		assert_true(m < NMODS);
		assert_false(seen[m]);
		seen[m] = true;
		n++;
		even = m % 2 == 0;
		assert_non_null(strstr(
			cJSON_GetObjectItemCaseSensitive(e, "first_seen")->valuestring,
			"2026-03-01"));
		assert_non_null(strstr(
			cJSON_GetObjectItemCaseSensitive(e, "last_seen")->valuestring,
			even ? "2026-03-02" : "2026-03-01"));
		assert_int_equal(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "open")),
				 even);
	}
	assert_int_equal(n, NMODS);
	cJSON_Delete(doc);
	tg_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_health__trends),
		cmocka_unit_test(test_health__import_failures_over_the_period),
		cmocka_unit_test(test_health__import_failures_of_many_modules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
