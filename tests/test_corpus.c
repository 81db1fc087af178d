/*
 * test_corpus.c - every real report of fixtures/corpus imports with the
 * number of <testcase> elements its MANIFEST.tsv gives.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_corpus__manifest_counts(void **state)
{
	FILE *f = fopen(FIXTURE("corpus/MANIFEST.tsv"), "r");
	char line[8192];
	unsigned checked = 0;

	(void)state;
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f)); /* header */
	while (fgets(line, sizeof(line), f)) {
		char *cols[8], *p = line, path[1024];
		tg_import_result res;
		tg_err err = TG_ERR_INIT;
		tg_store *st;
		int n = 0;

		while (n < 8 && (cols[n] = strsep(&p, "\t")) != NULL)
			n++;
		if (n < 6 || strncmp(cols[0], "junit/", 6) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/corpus/%s", TG_TEST_FIXTURES,
			 cols[0] + 6);
		print_message("%s: %s testcases\n", cols[0], cols[5]);
		st = th_store_memory();
		assert_int_equal(th_import1(st, path, &res, &err), 0);
		assert_int_equal(res.counts.results, strtoul(cols[5], NULL, 10));
		assert_false(res.truncated);
		tg_store_close(st);
		checked++;
	}
	fclose(f);
	assert_int_equal(checked, 15);
}

/* TestNG retries (failure, then a skipped retry) merge into one failed
 * test; the locale time "1,268.816" is read with its grouping comma. */
static void test_corpus__testng_retry_and_grouping_time(void **state)
{
	tg_store *st = th_store_memory();
	tg_import_result res;
	tg_err err = TG_ERR_INIT;

	(void)state;
	assert_int_equal(
		th_import1(st, FIXTURE("corpus/1810priya__FirstMaven__TEST-TestSuite.xml"),
			   &res, &err),
		0);
	assert_int_equal(res.counts.results, 6);
	assert_true(res.counts.tests < res.counts.results);
	assert_int_equal(res.counts.passed + res.counts.failed +
				 res.counts.errors + res.counts.skipped +
				 res.counts.flaky,
			 res.counts.tests);
	assert_true(res.counts.duration > 1000.0);
	tg_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus__manifest_counts),
		cmocka_unit_test(test_corpus__testng_retry_and_grouping_time),
	};
	tg_err err = TG_ERR_INIT;

	tg_global_init(&err);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
