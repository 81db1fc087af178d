/* test_buf.c - tg_buf and tg_capture invariants. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

static void test_buf__empty_is_printable(void **state)
{
	tg_buf b = TG_BUF_INIT(16);

	(void)state;
	assert_non_null(b.ptr);
	assert_string_equal(b.ptr, "");
	tg_buf_release(&b);
}

static void test_buf__append_past_max_fails_and_sticks(void **state)
{
	tg_buf b = TG_BUF_INIT(8);

	(void)state;
	tg_buf_adds(&b, "12345");
	assert_false(b.failed);
	tg_buf_adds(&b, "6789");
	assert_true(b.failed);
	tg_buf_adds(&b, "x");
	assert_true(b.failed);
	assert_string_equal(b.ptr, "12345");
	tg_buf_release(&b);
}

static void test_buf__printf_grows(void **state)
{
	tg_buf b = TG_BUF_INIT(1024);

	(void)state;
	tg_buf_printf(&b, "%s-%d", "run", 42);
	tg_buf_printf(&b, "/%0100d", 7);
	assert_false(b.failed);
	assert_int_equal(b.len, strlen("run-42/") + 100);
	assert_memory_equal(b.ptr, "run-42/000", 10);
	tg_buf_release(&b);
}

static void test_buf__capture_keeps_prefix_and_counts_total(void **state)
{
	tg_capture c = TG_CAPTURE_INIT(5);

	(void)state;
	tg_capture_add(&c, "abc", 3);
	tg_capture_add(&c, "defgh", 5);
	tg_capture_add(&c, "i", 1); /* would fit, but after a cut: dropped */
	assert_string_equal(c.buf.ptr, "abcde");
	assert_int_equal(c.total, 9);
	assert_true(tg_capture_truncated(&c));
	tg_buf_release(&c.buf);
}

static void test_buf__capture_never_splits_utf8(void **state)
{
	tg_capture c = TG_CAPTURE_INIT(4);

	(void)state;
	/* "ab" then U+20AC (3 bytes): 5 bytes, cap 4: the euro must go. */
	tg_capture_add(&c, "ab\xe2\x82\xac", 5);
	assert_string_equal(c.buf.ptr, "ab");
	assert_int_equal(c.total, 5);
	tg_buf_release(&c.buf);
}

static void test_buf__detach_hands_over(void **state)
{
	tg_buf b = TG_BUF_INIT(64);
	char *s;

	(void)state;
	tg_buf_adds(&b, "mine");
	s = tg_buf_detach(&b);
	assert_string_equal(s, "mine");
	assert_int_equal(b.len, 0);
	assert_string_equal(b.ptr, "");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf__empty_is_printable),
		cmocka_unit_test(test_buf__append_past_max_fails_and_sticks),
		cmocka_unit_test(test_buf__printf_grows),
		cmocka_unit_test(test_buf__capture_keeps_prefix_and_counts_total),
		cmocka_unit_test(test_buf__capture_never_splits_utf8),
		cmocka_unit_test(test_buf__detach_hands_over),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
