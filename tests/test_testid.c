/* test_testid.c - the test-id rule of testid.h, case by case. */
#include "helpers.h"

#include "testid.h"

static const struct {
	const char *file, *classname, *name;
	const char *id, *path;
} cases[] = {
	/* 1. pytest xunit1: file attribute */
	{"tests/test_basic.py", "tests.test_basic", "test_pass",
	 "tests/test_basic.py::test_pass", "tests/test_basic.py"},
	{"tests/test_basic.py", "tests.test_basic.TestGroup", "test_method",
	 "tests/test_basic.py::TestGroup::test_method", "tests/test_basic.py"},
	{"./tests\\e2e\\test_chat.py", "tests.e2e.test_chat.TestChat",
	 "test_events[a b-c::d]",
	 "tests/e2e/test_chat.py::TestChat::test_events[a b-c::d]",
	 "tests/e2e/test_chat.py"},
	/* xunit1's collection error: no classname, the dotted module as
	 * name, and its file: the module's path, as in xunit2 (rule 3) */
	{"tests/test_m3.py", "", "tests.test_m3", "tests/test_m3.py",
	 "tests/test_m3.py"},
	/* a test function without a classname is still a test */
	{"tests/test_m3.py", "", "test_login", "tests/test_m3.py::test_login",
	 "tests/test_m3.py"},
	{"tests/test_m3.py", "", "other.test_m3",
	 "tests/test_m3.py::other.test_m3", "tests/test_m3.py"},
	/* 2. pytest xunit2: classname only */
	{NULL, "tests.e2e.test_chat.TestChat", "test_events[param]",
	 "tests/e2e/test_chat.py::TestChat::test_events[param]",
	 "tests/e2e/test_chat.py"},
	{"", "pkg.chat_test", "test_x", "pkg/chat_test.py::test_x",
	 "pkg/chat_test.py"},
	/* 3. pytest collection error */
	{NULL, "", "tests_collect.test_import_chain_bad_name",
	 "tests_collect/test_import_chain_bad_name.py",
	 "tests_collect/test_import_chain_bad_name.py"},
	/* 4. everything else */
	{NULL, "com.example.ChatTest", "testSend", "com.example.ChatTest::testSend",
	 ""},
	{NULL, "com.org.test.FirstMevenProject.Parameter", "login",
	 "com.org.test.FirstMevenProject.Parameter::login", ""},
	{NULL, "example.com/chat", "TestSub/case", "example.com/chat::TestSub/case",
	 ""},
	{NULL, " Chat API passes", " Chat API passes", "Chat API passes", ""},
	{NULL, "sends a message", "Chat page sends a message",
	 "Chat page sends a message", ""},
	{NULL, "", " Test01_checkbrowser", "Test01_checkbrowser", ""},
	{"/src/php/tests/ChatTest.php", "ChatTest", "testPasses",
	 "ChatTest::testPasses", ""},
	{NULL, "tests.test_x", "", "tests/test_x.py", "tests/test_x.py"},
	/* CTest: classname repeats the name, which looks like a module */
	{NULL, "disabled_test", "disabled_test", "disabled_test", ""},
};

static void test_testid__rules(void **state)
{
	tg_buf id = TG_BUF_INIT(4096), path = TG_BUF_INIT(4096);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("case %zu\n", i);
		assert_true(tg_testid_build(&id, &path, cases[i].file,
					    cases[i].classname, cases[i].name));
		assert_string_equal(id.ptr, cases[i].id);
		assert_string_equal(path.ptr, cases[i].path);
	}
	tg_buf_release(&id);
	tg_buf_release(&path);
}

static void test_testid__too_long_fails(void **state)
{
	tg_buf id = TG_BUF_INIT(8), path = TG_BUF_INIT(8);

	(void)state;
	assert_false(tg_testid_build(&id, &path, NULL, "Averylongclassname",
				     "x"));
	tg_buf_release(&id);
	tg_buf_release(&path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_testid__rules),
		cmocka_unit_test(test_testid__too_long_fails),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
