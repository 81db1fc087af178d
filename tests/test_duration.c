/* test_duration.c - every time encoding seen in JUnit dialects. */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

#include "duration.h"

static const struct {
	const char *in;
	bool grouping;
	tg_dur_status status;
	double seconds;
	bool ambiguous;
} cases[] = {
	{"0.301", false, TG_DUR_OK, 0.301, false},
	{"61.022", false, TG_DUR_OK, 61.022, false},
	{"  1.5 ", false, TG_DUR_OK, 1.5, false},
	{"2,120.532", false, TG_DUR_OK, 2120.532, false},   /* Surefire <= 3.1.0 */
	{"1,234,567.5", false, TG_DUR_OK, 1234567.5, false},
	{"1,234,567", false, TG_DUR_OK, 1234567, false},
	{"0,03", false, TG_DUR_OK, 0.03, false},            /* decimal comma */
	{"0,160", true, TG_DUR_OK, 0.160, false},           /* 0,ddd: decimal */
	{"1,078", true, TG_DUR_OK, 1078, true},             /* JVM: grouping */
	{"1,078", false, TG_DUR_OK, 1.078, true},           /* else decimal */
	{"1E-07", false, TG_DUR_OK, 1e-7, false},           /* .NET */
	{"1.0E7", false, TG_DUR_OK, 1e7, false},
	{"0.028999999999999998", false, TG_DUR_OK, 0.029, false},
	{"80.803us", false, TG_DUR_OK, 80.803e-6, false},   /* kotest */
	{"12ms", false, TG_DUR_OK, 0.012, false},
	{"3s", false, TG_DUR_OK, 3, false},
	{"1h 2m 3.5s", false, TG_DUR_OK, 3723.5, false},
	{"12", false, TG_DUR_OK, 12, false},                /* Bazel */
	{"", false, TG_DUR_EMPTY, 0, false},
	{"   ", false, TG_DUR_EMPTY, 0, false},
	{"-1", false, TG_DUR_INVALID, 0, false},
	{"NaN", false, TG_DUR_INVALID, 0, false},
	{"inf", false, TG_DUR_INVALID, 0, false},
	{"1e999", false, TG_DUR_INVALID, 0, false},
	{"1.2.3", false, TG_DUR_INVALID, 0, false},
	{"1 2", false, TG_DUR_INVALID, 0, false},
	{"5 parsecs", false, TG_DUR_INVALID, 0, false},
	{"1e", false, TG_DUR_INVALID, 0, false},
};

static void test_duration__table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tg_dur d = tg_duration_parse(cases[i].in, strlen(cases[i].in),
					     cases[i].grouping);
		print_message("case %zu: \"%s\"\n", i, cases[i].in);
		assert_int_equal(d.status, cases[i].status);
		assert_int_equal(d.ambiguous, cases[i].ambiguous);
		if (d.status == TG_DUR_OK)
			assert_near(d.seconds, cases[i].seconds,
					   1e-9 * (cases[i].seconds + 1));
	}
}

/*
 * The common "d.ddd" form has a fast path; its double must be the one the
 * general parser gives, which reads "d.ddds" (a unit) the long way.
 */
static void test_duration__plain_form_reads_as_the_general_form(void **state)
{
	static const char *const extra[] = {"0", "12", "12.", ".5", "0.1",
					    "999999999.123456789",
					    "123456789012345678901234567890"};
	char plain[64], unit[72];
	unsigned long i;
	size_t k;

	(void)state;
	for (i = 0; i < 200000; i++) {
		tg_dur a, b;

		snprintf(plain, sizeof(plain), "%lu.%0*lu", i / 1000,
			 (int)(i % 10) + 1, (i * 7919) % 1000000000);
		snprintf(unit, sizeof(unit), "%ss", plain);
		a = tg_duration_parse(plain, strlen(plain), false);
		b = tg_duration_parse(unit, strlen(unit), false);
		if (a.status != TG_DUR_OK || b.status != TG_DUR_OK ||
		    memcmp(&a.seconds, &b.seconds, sizeof(double)) != 0)
			fail_msg("\"%s\" gives %.17g, \"%s\" %.17g", plain,
				 a.seconds, unit, b.seconds);
	}
	for (k = 0; k < sizeof(extra) / sizeof(extra[0]); k++) {
		tg_dur a = tg_duration_parse(extra[k], strlen(extra[k]), false);
		tg_dur b;

		snprintf(unit, sizeof(unit), "%ss", extra[k]);
		b = tg_duration_parse(unit, strlen(unit), false);
		assert_int_equal(a.status, TG_DUR_OK);
		assert_int_equal(b.status, TG_DUR_OK);
		assert_memory_equal(&a.seconds, &b.seconds, sizeof(double));
	}
	/* not the plain form: the general parser judges them */
	assert_int_equal(tg_duration_parse(".", 1, false).status,
			 TG_DUR_INVALID);
	assert_int_equal(tg_duration_parse("1..2", 4, false).status,
			 TG_DUR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration__table),
		cmocka_unit_test(
			test_duration__plain_form_reads_as_the_general_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
