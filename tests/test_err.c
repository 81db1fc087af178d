/*
 * test_err.c - tg_err, the library's one error type: the first error
 * wins, untrusted text in a message or file name is escaped, a message
 * cut at its size is still UTF-8 text, locations fill in only what is
 * unknown, and every code has a name.
 */
#include "helpers.h"

#include <stdint.h>
#include <string.h>

#include "err.h"
#include "utf8.h"

/* msg is text as the invariant says: no control byte, valid UTF-8. */
static void assert_clean_text(const char *msg)
{
	const unsigned char *s = (const unsigned char *)msg;
	size_t n = strlen(msg), i = 0;

	while (i < n) {
		uint32_t cp;
		size_t len;

		if (s[i] < 0x80) {
			if (s[i] < 0x20 || s[i] == 0x7f)
				fail_msg("control byte 0x%02x at %zu of '%s'",
					 s[i], i, msg);
			i++;
			continue;
		}
		len = tg_utf8_decode(s + i, n - i, &cp);
		if (len == 0)
			fail_msg("invalid UTF-8 at %zu of %zu: '%s'", i, n, msg);
		i += len;
	}
}

static void test_err__first_error_wins(void **state)
{
	tg_err err = TG_ERR_INIT;

	(void)state;
	assert_int_equal(tg_err_setloc(&err, TG_EINPUT, "a.xml", 7, 3,
				       "bad %s", "tag"),
			 TG_EINPUT);
	/* a caller further out cannot overwrite what the inner one said */
	assert_int_equal(tg_err_set(&err, TG_EDB, "cannot store"), TG_EINPUT);
	assert_int_equal(err.code, TG_EINPUT);
	assert_string_equal(err.msg, "bad tag");
	assert_string_equal(err.file, "a.xml");
	assert_int_equal(err.line, 7);
	assert_int_equal(err.col, 3);
	assert_true(err.offset == UINT64_MAX);
	/* locate fills only what is still unknown */
	tg_err_locate(&err, "b.xml", 9, 9, 120);
	assert_string_equal(err.file, "a.xml");
	assert_int_equal(err.line, 7);
	assert_int_equal(err.offset, 120);
	tg_err_clear(&err);
	assert_int_equal(err.code, TG_OK);
	assert_string_equal(err.msg, "");
	assert_int_equal(tg_err_nomem(&err), TG_ENOMEM);
	assert_string_equal(err.msg, "out of memory");
	tg_err_clear(&err);
	tg_err_set(&err, TG_EINPUT, "no line");
	tg_err_locate(&err, "c.xml", 4, 2, 0);
	assert_string_equal(err.file, "c.xml");
	assert_int_equal(err.line, 4);
	assert_int_equal(err.col, 2);
	/* no tg_err at all: the code still comes back */
	assert_int_equal(tg_err_set(NULL, TG_EUSAGE, "x"), TG_EUSAGE);
}

static void test_err__untrusted_text_is_escaped(void **state)
{
	tg_err err = TG_ERR_INIT;

	(void)state;
	tg_err_setloc(&err, TG_EINPUT, "evil\x1b[2J.xml", 1, 0,
		      "test '%s' is bad", "x\x1b]0;owned\x07\n");
	assert_string_equal(err.file, "evil\\x1b[2J.xml");
	assert_string_equal(err.msg, "test 'x\\x1b]0;owned\\x07\\x0a' is bad");
	tg_err_prefix(&err, "in '%s'", "dir\r");
	assert_string_equal(err.msg,
			    "in 'dir\\x0d': test 'x\\x1b]0;owned\\x07\\x0a' is bad");
	assert_clean_text(err.msg);
	assert_clean_text(err.file);
}

/* Messages and context at their size, with a character of two, three and
 * four bytes across the cut at every position: always text. */
static void test_err__cut_messages_stay_text(void **state)
{
	static const char *const wide[] = {"\xc3\xa9", "\xe2\x82\xac",
					   "\xf0\x9f\x92\xa5"};
	char text[2 * TG_ERR_MSG_MAX];
	size_t k, at;

	(void)state;
	for (k = 0; k < 3; k++)
		for (at = TG_ERR_MSG_MAX - 40; at < TG_ERR_MSG_MAX + 8; at++) {
			tg_err err = TG_ERR_INIT;
			size_t i;

			memset(text, 'a', sizeof(text));
			for (i = at; i + 4 < sizeof(text); i += strlen(wide[k]))
				memcpy(text + i, wide[k], strlen(wide[k]));
			text[sizeof(text) - 1] = '\0';
			/* a message longer than its buffer */
			tg_err_set(&err, TG_EINPUT, "%s", text);
			assert_true(strlen(err.msg) < TG_ERR_MSG_MAX);
			assert_clean_text(err.msg);
			/* context before a message that fills the buffer */
			tg_err_prefix(&err, "%.*s", (int)(at % 64), text + at);
			assert_true(strlen(err.msg) < TG_ERR_MSG_MAX);
			assert_clean_text(err.msg);
			/* a short message after long context */
			tg_err_clear(&err);
			tg_err_set(&err, TG_EINPUT, "short");
			tg_err_prefix(&err, "%s", text + (at - (TG_ERR_MSG_MAX - 40)));
			assert_clean_text(err.msg);
			/* a long file name */
			tg_err_clear(&err);
			tg_err_setloc(&err, TG_EINPUT, text + at / 4, 1, 1, "m");
			assert_true(strlen(err.file) < TG_ERR_FILE_MAX);
			assert_clean_text(err.file);
		}
}

static void test_err__every_code_has_a_name(void **state)
{
	static const struct {
		int code;
		const char *name;
	} names[] = {
		{TG_OK, "success"},
		{TG_EUSAGE, "usage error"},
		{TG_EINPUT, "input error"},
		{TG_EDB, "database error"},
		{TG_ENOMEM, "out of memory"},
		{TG_ELIMIT, "input over a limit"},
		{TG_EIO, "i/o error"},
		{TG_EEXISTS, "already exists"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_string_equal(tg_code_str(names[i].code), names[i].name);
	assert_string_equal(tg_code_str(-99), "unknown error");
	assert_string_equal(tg_code_str(1), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_err__first_error_wins),
		cmocka_unit_test(test_err__untrusted_text_is_escaped),
		cmocka_unit_test(test_err__cut_messages_stay_text),
		cmocka_unit_test(test_err__every_code_has_a_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
