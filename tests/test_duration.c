/* test_duration.c - every time encoding seen in JUnit dialects. */
#include "helpers.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration__table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
