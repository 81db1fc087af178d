/*
 * test_alloc.c - fail every allocation of an import in turn: each time a
 * clean error (no crash, no leak under ASan) and nothing stored; then it
 * succeeds.  SQLite's do_faultsim_test, on our allocations.
 */
#include "helpers.h"

#include "alloc.h"

static void survives_each_failure(const char *path, uint64_t tests)
{
	unsigned long nth, failed;
	int rc = -1;

	for (nth = 1; nth < 100000 && rc != 0; nth++) {
		tg_store *st = th_store_memory();
		tg_import_result res;
		tg_err err = TG_ERR_INIT;

		tg_alloc_fail_at(nth);
		rc = th_import1(st, path, &res, &err);
		failed = tg_alloc_failed();
		tg_alloc_fail_at(0);
		if (failed && rc != TG_ENOMEM)
			print_message("nth %lu tolerated (rc %d)\n", nth, rc);
		if (failed)
			assert_int_equal(rc, TG_ENOMEM); /* never tolerated */
		if (rc != 0) {
			assert_true(err.code != TG_OK);
			assert_true(err.msg[0] != '\0');
		} else {
			assert_int_equal(res.counts.tests, tests);
		}
		tg_store_close(st);
	}
	assert_int_equal(rc, 0);
	assert_true(nth > 5); /* the loop did inject failures */
}

static void test_alloc__import_survives_each_failure(void **state)
{
	(void)state;
	survives_each_failure(FIXTURE("junit/surefire-flaky-rerun.xml"), 4);
}

/* The log parsers, with evidence, collection errors and a session. */
static void test_alloc__log_imports_survive_each_failure(void **state)
{
	(void)state;
	survives_each_failure(FIXTURE("pytest/v_rA.log"), 23);
	survives_each_failure(FIXTURE("pytest/v_rA.jsonl"), 23);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc__import_survives_each_failure),
		cmocka_unit_test(test_alloc__log_imports_survive_each_failure),
	};
	tg_err err = TG_ERR_INIT;

	tg_global_init(&err);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
