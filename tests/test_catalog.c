/*
 * test_catalog.c - the signal catalog: the default rules against real
 * lines, user rule files, and rule files that must be refused.
 */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "catalog.h"

typedef struct hits {
	char rules[16][80];
	char fields[16][256];
	size_t n;
} hits;

static int collect(const tg_signal_match *m, void *payload, tg_err *err)
{
	hits *h = payload;

	(void)err;
	if (h->n < 16) {
		snprintf(h->rules[h->n], sizeof(h->rules[0]), "%s/%s",
			 m->signal, m->rule);
		snprintf(h->fields[h->n], sizeof(h->fields[0]), "%s",
			 m->fields);
		h->n++;
	}
	return 0;
}

static bool has(const hits *h, const char *rule)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (strcmp(h->rules[i], rule) == 0)
			return true;
	return false;
}

static void match(tg_catalog *c, const char *line, hits *h)
{
	tg_err err = TG_ERR_INIT;

	memset(h, 0, sizeof(*h));
	assert_int_equal(tg_catalog_match(c, line, strlen(line), collect, h,
					  NULL, &err),
			 0);
}

static tg_catalog *load(const char *rules_path)
{
	tg_catalog *c = NULL;
	tg_err err = TG_ERR_INIT;

	if (tg_catalog_load(&c, rules_path, &err) != 0)
		fail_msg("load: %s", err.msg);
	return c;
}

/* Every default rule carries at least one real line it must match and
 * one it must not (loading checks that they behave). */
static void test_catalog__every_default_rule_has_examples(void **state)
{
	cJSON *doc = cJSON_ParseWithLength(tg_default_catalog,
					   tg_default_catalog_len);
	const cJSON *rules, *r;
	size_t n = 0;

	(void)state;
	assert_non_null(doc);
	rules = cJSON_GetObjectItemCaseSensitive(doc, "rules");
	cJSON_ArrayForEach(r, rules)
	{
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(r, "match");
		const cJSON *nm =
			cJSON_GetObjectItemCaseSensitive(r, "nomatch");
		const char *name =
			cJSON_GetObjectItemCaseSensitive(r, "name")->valuestring;
		if (cJSON_GetArraySize(m) < 1 || cJSON_GetArraySize(nm) < 1)
			fail_msg("rule '%s' lacks examples", name);
		n++;
	}
	assert_true(n >= 40);
	cJSON_Delete(doc);
}

static const char *write_rules(const char *json)
{
	return th_write_tmp("rules.json", json, strlen(json));
}

/* The prefilter never drops a match: every rule fires, through the
 * filtered path, on every line it claims to match. */
static void test_catalog__prefilter_keeps_every_example(void **state)
{
	cJSON *doc = cJSON_ParseWithLength(tg_default_catalog,
					   tg_default_catalog_len);
	const cJSON *r, *ex;
	tg_catalog *c = NULL;
	tg_err err = TG_ERR_INIT;
	size_t checked = 0;
	hits h;

	(void)state;
	assert_int_equal(tg_catalog_load(&c, NULL, &err), 0);
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(doc, "rules"))
	{
		char want[96];
		snprintf(want, sizeof(want), "%s/%s",
			 cJSON_GetObjectItemCaseSensitive(r, "signal")->valuestring,
			 cJSON_GetObjectItemCaseSensitive(r, "name")->valuestring);
		cJSON_ArrayForEach(ex, cJSON_GetObjectItemCaseSensitive(r, "match"))
		{
			match(c, ex->valuestring, &h);
			if (!has(&h, want))
				fail_msg("%s misses '%s'", want, ex->valuestring);
			checked++;
		}
	}
	assert_true(checked >= 60);
	tg_catalog_free(c);
	cJSON_Delete(doc);
	/* patterns the needle finder must read right: counted repeats,
	 * optional characters, hex escapes, caseless text */
	c = NULL;
	assert_int_equal(
		tg_catalog_load(&c, write_rules(
			"{\"rules\": [\n"
			" {\"name\": \"x.rep\", \"signal\": \"mock\", \"pattern\": "
			"\"ab.{0,40}cd\", \"match\": [\"ab-cd\"]},\n"
			" {\"name\": \"x.opt\", \"signal\": \"mock\", \"pattern\": "
			"\"colou?r\", \"match\": [\"color\"]},\n"
			" {\"name\": \"x.hex\", \"signal\": \"mock\", \"pattern\": "
			"\"\\\\x41BC\", \"match\": [\"ABC\"]},\n"
			" {\"name\": \"x.case\", \"signal\": \"mock\", \"pattern\": "
			"\"Mock Mode\", \"caseless\": true, \"match\": [\"MOCK MODE\"]}\n"
			"]}"), &err),
		0);
	match(c, "ab-cd", &h);
	assert_true(has(&h, "mock/x.rep"));
	match(c, "color", &h);
	assert_true(has(&h, "mock/x.opt"));
	match(c, "ABC", &h);
	assert_true(has(&h, "mock/x.hex"));
	match(c, "in mock mode now", &h);
	assert_true(has(&h, "mock/x.case"));
	tg_catalog_free(c);
}

static int count_rule(const tg_rule_info *r, void *payload)
{
	size_t *n = payload;

	assert_non_null(r->pattern);
	(*n)++;
	return 0;
}

static void test_catalog__signals_of_real_lines(void **state)
{
	tg_catalog *c = load(NULL);
	hits h;
	size_t n = 0;

	(void)state;
	tg_catalog_each(c, count_rule, &n);
	assert_true(n >= 40);
	/* the headline lines of the three failure modes */
	match(c,
	      "  /usr/lib/python3.11/unittest/case.py:579: RuntimeWarning: "
	      "coroutine 'TestChatE2E.test_send_message' was never awaited",
	      &h);
	assert_true(has(&h, "coroutine/coroutine.never-awaited"));
	assert_string_equal(h.fields[0],
			    "{\"qualname\":\"TestChatE2E.test_send_message\"}");
	match(c,
	      "WARNING  harness.client:test_mocks.py:19 Backend unreachable "
	      "([Errno 111] Connection refused); falling back to MockClient",
	      &h);
	assert_true(has(&h, "mock/app.mock-fallback"));
	assert_true(has(&h, "network_failure/app.service-unavailable"));
	match(c, "E   ModuleNotFoundError: No module named 'harness.backends'",
	      &h);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.rules[0], "import/import.module-not-found");
	assert_string_equal(h.fields[0], "{\"module\":\"harness.backends\"}");
	/* fields are JSON, quotes escaped */
	match(c,
	      "DEBUG    urllib3.connectionpool:connectionpool.py:456 "
	      "http://127.0.0.1:45931 \"GET /a\\\"b HTTP/1.1\" 200 12",
	      &h);
	assert_true(has(&h, "network/urllib3.request"));
	/* a plain line matches nothing */
	match(c, "tests/test_basic.py::test_pass PASSED [  5%]", &h);
	assert_int_equal(h.n, 0);
	tg_catalog_free(c);
}

static void test_catalog__user_rules_add_replace_disable(void **state)
{
	tg_catalog *c;
	hits h;

	(void)state;
	c = load(write_rules(
		"{\"rules\": [\n"
		" {\"name\": \"acme.fake-backend\", \"signal\": \"mock\",\n"
		"  \"pattern\": \"ACME_FAKE_BACKEND=(?<on>1|yes)\",\n"
		"  \"match\": [\"ACME_FAKE_BACKEND=1\"],\n"
		"  \"nomatch\": [\"ACME_FAKE_BACKEND=0\"]},\n"
		" {\"name\": \"mock.repr\", \"disabled\": true},\n"
		" {\"name\": \"import.module-not-found\", \"signal\": "
		"\"import\", \"pattern\": \"No module named\"}\n"
		"]}\n"));
	match(c, "env: ACME_FAKE_BACKEND=yes", &h);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.rules[0], "mock/acme.fake-backend");
	assert_string_equal(h.fields[0], "{\"on\":\"yes\"}");
	match(c, "<MagicMock name='x' id='1'>", &h);
	assert_int_equal(h.n, 0);
	match(c, "No module named foo", &h); /* the replaced pattern */
	assert_true(has(&h, "import/import.module-not-found"));
	tg_catalog_free(c);
}

/* Every hit on the line of signal sig, as "rule rule ..." */
static const char *of_signal(const hits *h, const char *sig)
{
	static char out[512];
	size_t i, n = strlen(sig);

	out[0] = '\0';
	for (i = 0; i < h->n; i++)
		if (strncmp(h->rules[i], sig, n) == 0 && h->rules[i][n] == '/')
			snprintf(out + strlen(out), sizeof(out) - strlen(out),
				 "%s%s", out[0] ? " " : "", h->rules[i] + n + 1);
	return out;
}

/*
 * A fallback rule speaks only for lines no rule of its own signal
 * matched: one piece of evidence per line, from the rule that names the
 * most (host and port), and the catch-all for the rest.
 */
static void test_catalog__fallback_rules_only_where_nothing_else_matched(
	void **state)
{
	tg_catalog *c = load(NULL);
	hits h;

	(void)state;
	/* refusals other languages report, each by its own rule */
	match(c, "Caused by: java.net.ConnectException: Connection refused",
	      &h);
	assert_string_equal(of_signal(&h, "network_failure"),
			    "java.net-error");
	match(c,
	      "Get \"http://127.0.0.1:8080/health\": dial tcp "
	      "127.0.0.1:8080: connect: connection refused",
	      &h);
	assert_string_equal(of_signal(&h, "network_failure"),
			    "go.dial-error");
	assert_string_equal(h.fields[0],
			    "{\"net\":\"tcp\",\"peer\":\"127.0.0.1:8080\","
			    "\"why\":\"connect: connection refused\"}");
	match(c, "E   ConnectionRefusedError: [Errno 111] Connection refused",
	      &h);
	assert_string_equal(of_signal(&h, "network_failure"),
			    "socket.connection-refused");
	/* real lines (signatures/): mocha, RSpec, a Selenium skip message
	 * (corpus, 1810priya FirstMaven), PHPUnit */
	match(c, "Error: connect ECONNREFUSED 127.0.0.1:5432", &h);
	assert_string_equal(of_signal(&h, "network_failure"),
			    "node.socket-error");
	match(c, "  Connection refused - connect(2) for 127.0.0.1:5432", &h);
	assert_string_equal(of_signal(&h, "network_failure"),
			    "net.connection-refused");
	match(c, "connection refused", &h);
	assert_string_equal(of_signal(&h, "network_failure"),
			    "net.connection-refused");
	match(c, "RuntimeException: Connection refused", &h);
	assert_string_equal(of_signal(&h, "network_failure"),
			    "net.connection-refused");
	tg_catalog_free(c);

	/* a user's fallback rule, beside the built-in rules */
	c = load(write_rules("{\"rules\": [{\"name\": \"acme.fake\", "
			     "\"signal\": \"mock\", \"fallback\": true, "
			     "\"pattern\": \"acme-fake\"}]}"));
	match(c, "acme-fake", &h);
	assert_string_equal(of_signal(&h, "mock"), "acme.fake");
	/* a rule of its signal matched: it stays silent */
	match(c, "acme-fake <MagicMock name='x' id='1'>", &h);
	assert_string_equal(of_signal(&h, "mock"), "mock.repr");
	/* a rule of another signal matched: it speaks */
	match(c, "acme-fake: backend unavailable", &h);
	assert_string_equal(of_signal(&h, "mock"), "acme.fake");
	assert_string_equal(of_signal(&h, "network_failure"),
			    "app.service-unavailable");
	tg_catalog_free(c);
}

typedef struct bad_case {
	const char *json;
	const char *msg;   /* expected in the error */
	uint64_t line;     /* expected line, 0: any */
} bad_case;

static void test_catalog__bad_rule_files_are_refused(void **state)
{
	static const bad_case cases[] = {
		{"{\"rules\": [\n {\"name\": \"x.bad\", \"signal\": \"mock\",\n"
		 "  \"pattern\": \"(unclosed\"}]}",
		 "rule 'x.bad': bad pattern at offset 9: missing closing "
		 "parenthesis",
		 2},
		{"{\"rules\": [{\"name\": \"x.sig\", \"signal\": \"weather\", "
		 "\"pattern\": \"a\"}]}",
		 "rule 'x.sig': \"signal\" must be one of", 1},
		{"{\"rules\": [{\"name\": \"x.ex\", \"signal\": \"mock\", "
		 "\"pattern\": \"abc\", \"match\": [\"xyz\"]}]}",
		 "rule 'x.ex': does not match its example 'xyz'", 1},
		{"{\"rules\": [{\"name\": \"x.nx\", \"signal\": \"mock\", "
		 "\"pattern\": \"abc\", \"nomatch\": [\"abcd\"]}]}",
		 "rule 'x.nx': matches its counter-example 'abcd'", 1},
		{"{\"rules\": [{\"name\": \"Bad Name\"}]}",
		 "rule name 'Bad Name' is not", 0},
		{"{\"rules\": [{\"name\": \"nope\", \"disabled\": true}]}",
		 "rule 'nope': disables no rule of that name", 1},
		{"{\"rules\": \n\n [ {\"name\": ", "is not valid JSON", 3},
		{"{\"about\": \"x\"}", "has no \"rules\" list", 0},
		/* a misspelt key would drop what it meant silently */
		{"{\"ruels\": []}", "unknown key \"ruels\"", 0},
		{"{\"rules\": [{\"name\": \"x.k\", \"signal\": \"mock\", "
		 "\"pattern\": \"abc\", \"nomtch\": [\"abcd\"]}]}",
		 "rule 'x.k': unknown key \"nomtch\"", 1},
		{"{\"truegreen_catalog\": 2, \"rules\": []}",
		 "\"truegreen_catalog\" must be 1", 0},
		/* "yes" is not true: it would have turned the option off */
		{"{\"rules\": [{\"name\": \"x.c\", \"signal\": \"mock\", "
		 "\"pattern\": \"abc\", \"caseless\": \"yes\"}]}",
		 "rule 'x.c': \"caseless\" must be true or false", 1},
		{"{\"rules\": [{\"name\": \"x.f\", \"signal\": \"mock\", "
		 "\"pattern\": \"abc\", \"fallback\": 1}]}",
		 "rule 'x.f': \"fallback\" must be true or false", 1},
		/* a list, not an object: its items have no keys to check
		 * (a crash the fuzzer found in that check) */
		{"[{\"name\": \"acme.fake\", \"nomatch\": [\"x\"]}]",
		 "has no \"rules\" list", 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tg_catalog *c = NULL;
		tg_err err = TG_ERR_INIT;
		const char *path = write_rules(cases[i].json);

		assert_int_equal(tg_catalog_load(&c, path, &err), TG_EINPUT);
		assert_null(c);
		if (!strstr(err.msg, cases[i].msg))
			fail_msg("case %zu: '%s' lacks '%s'", i, err.msg,
				 cases[i].msg);
		assert_string_equal(err.file, path);
		if (cases[i].line)
			assert_int_equal(err.line, cases[i].line);
	}
}

/* A catastrophic pattern on a long line gives up under the match limit
 * instead of hanging. */
static void test_catalog__match_limit_stops_backtracking(void **state)
{
	tg_catalog *c;
	char line[4096];
	unsigned limited = 0;
	tg_err err = TG_ERR_INIT;
	hits h = {0};

	(void)state;
	c = load(write_rules("{\"rules\": [{\"name\": \"x.slow\", \"signal\":"
			     " \"mock\", \"pattern\": \"^(a+)+$\"}]}"));
	memset(line, 'a', sizeof(line) - 2);
	line[sizeof(line) - 2] = 'b';
	line[sizeof(line) - 1] = '\0';
	assert_int_equal(tg_catalog_match(c, line, strlen(line), collect, &h,
					  &limited, &err),
			 0);
	assert_int_equal(limited, 1);
	assert_false(has(&h, "mock/x.slow"));
	tg_catalog_free(c);
}

static int rule_signal_known(const tg_rule_info *r, void *payload)
{
	size_t *n = payload;

	if (!tg_signal_known(r->signal))
		fail_msg("rule %s has signal '%s', not one of " TG_SIGNALS,
			 r->name, r->signal);
	(*n)++;
	return 0;
}

/* The signals listed for users (TG_SIGNALS, in --help and errors) are the
 * ones the catalog and `evidence --signal` accept, and no other. */
static void test_catalog__signal_names(void **state)
{
	char list[] = TG_SIGNALS, *p, *save = NULL;
	const char *unknown[] = {"", "socket", "Network", "mock ", "networ"};
	tg_catalog *c;
	tg_err err = TG_ERR_INIT;
	size_t i, n = 0;

	(void)state;
	for (p = strtok_r(list, ", ", &save); p; p = strtok_r(NULL, ", ", &save)) {
		assert_true(tg_signal_known(p));
		n++;
	}
	assert_int_equal(n, 5);
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		assert_false(tg_signal_known(unknown[i]));
	assert_false(tg_signal_known(NULL));
	assert_int_equal(tg_catalog_load(&c, NULL, &err), 0);
	n = 0;
	assert_int_equal(tg_catalog_each(c, rule_signal_known, &n), 0);
	assert_true(n > 20);
	tg_catalog_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog__every_default_rule_has_examples),
		cmocka_unit_test(test_catalog__signals_of_real_lines),
		cmocka_unit_test(test_catalog__prefilter_keeps_every_example),
		cmocka_unit_test(test_catalog__user_rules_add_replace_disable),
		cmocka_unit_test(
			test_catalog__fallback_rules_only_where_nothing_else_matched),
		cmocka_unit_test(test_catalog__bad_rule_files_are_refused),
		cmocka_unit_test(test_catalog__match_limit_stops_backtracking),
		cmocka_unit_test(test_catalog__signal_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
