/*
 * test_alloc.c - fail every allocation of an import in turn: each time a
 * clean error (no crash, no leak under ASan) and nothing stored; then it
 * succeeds.  SQLite's do_faultsim_test, on our allocations.
 */
#include "helpers.h"

#include "alloc.h"

static void test_alloc__import_survives_each_failure(void **state)
{
	unsigned long nth, failed;
	int rc = -1;

	(void)state;
	for (nth = 1; nth < 100000 && rc != 0; nth++) {
		tg_store *st = th_store_memory();
		tg_import_result res;
		tg_err err = TG_ERR_INIT;

		tg_alloc_fail_at(nth);
		rc = th_import1(st, FIXTURE("junit/surefire-flaky-rerun.xml"),
				&res, &err);
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
			assert_int_equal(res.counts.tests, 4);
		}
		tg_store_close(st);
	}
	assert_int_equal(rc, 0);
	assert_true(nth > 5); /* the loop did inject failures */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc__import_survives_each_failure),
	};
	tg_err err = TG_ERR_INIT;

	tg_global_init(&err);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
