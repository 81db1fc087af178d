/*
 * test_ci_env.c - CI context from a fake environment, per provider.
 */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

#include "ci_env.h"

typedef struct fake_env {
	const char *const *vars; /* NAME, VALUE, ..., NULL */
} fake_env;

static const char *fake_getenv(const char *name, void *payload)
{
	const fake_env *e = payload;
	size_t i;

	for (i = 0; e->vars[i]; i += 2)
		if (strcmp(e->vars[i], name) == 0)
			return e->vars[i + 1];
	return NULL;
}

typedef struct seen {
	char keys[8][32], values[8][256];
	size_t n;
} seen;

static int collect(void *payload, const char *key, const char *value,
		   tg_err *err)
{
	seen *s = payload;

	(void)err;
	assert_true(s->n < 8);
	snprintf(s->keys[s->n], 32, "%s", key);
	snprintf(s->values[s->n], 256, "%s", value);
	s->n++;
	return 0;
}

static const char *lookup(const seen *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->keys[i], key) == 0)
			return s->values[i];
	return NULL;
}

static void detect(const char *const *vars, seen *s)
{
	fake_env e = {vars};
	tg_err err = TG_ERR_INIT;

	memset(s, 0, sizeof(*s));
	assert_int_equal(tg_ci_detect(fake_getenv, &e, collect, s, &err), 0);
}

static void test_ci_env__github_pull_request(void **state)
{
	const char *const vars[] = {
		"GITHUB_ACTIONS", "true", "GITHUB_REPOSITORY", "acme/chat",
		"GITHUB_HEAD_REF", "fix-503", "GITHUB_REF_NAME", "42/merge",
		"GITHUB_SHA", "abc123", "GITHUB_WORKFLOW", "ci", "GITHUB_JOB",
		"e2e", "GITHUB_SERVER_URL", "https://github.com", "GITHUB_RUN_ID",
		"777", NULL};
	seen s;

	(void)state;
	detect(vars, &s);
	assert_string_equal(lookup(&s, "ci.provider"), "github-actions");
	assert_string_equal(lookup(&s, "ci.repository"), "acme/chat");
	assert_string_equal(lookup(&s, "ci.branch"), "fix-503");
	assert_string_equal(lookup(&s, "ci.commit"), "abc123");
	assert_string_equal(lookup(&s, "ci.job"), "ci/e2e");
	assert_string_equal(lookup(&s, "ci.build_url"),
			    "https://github.com/acme/chat/actions/runs/777");
}

static void test_ci_env__gitlab_branch_fallback(void **state)
{
	const char *const vars[] = {
		"GITLAB_CI", "true", "CI_PROJECT_PATH", "acme/chat",
		"CI_COMMIT_REF_NAME", "main", "CI_COMMIT_SHA", "def456",
		"CI_JOB_NAME", "e2e", "CI_JOB_URL", "https://gitlab/acme/chat/-/jobs/9",
		NULL};
	seen s;

	(void)state;
	detect(vars, &s);
	assert_string_equal(lookup(&s, "ci.provider"), "gitlab-ci");
	assert_string_equal(lookup(&s, "ci.branch"), "main");
	assert_string_equal(lookup(&s, "ci.build_url"),
			    "https://gitlab/acme/chat/-/jobs/9");
}

static void test_ci_env__others(void **state)
{
	const char *const jenkins[] = {"JENKINS_URL", "https://j/", "GIT_BRANCH",
				       "origin/main", "GIT_COMMIT", "c0ffee",
				       "JOB_NAME", "chat-e2e", "BUILD_URL",
				       "https://j/job/chat-e2e/12/", NULL};
	const char *const circle[] = {"CIRCLECI", "true",
				      "CIRCLE_PROJECT_USERNAME", "acme",
				      "CIRCLE_PROJECT_REPONAME", "chat",
				      "CIRCLE_SHA1", "1234", NULL};
	const char *const buildkite[] = {"BUILDKITE", "true", "BUILDKITE_REPO",
					 "git@x:acme/chat.git", "BUILDKITE_BUILD_URL",
					 "https://bk/acme/chat/builds/5", NULL};
	const char *const azure[] = {"TF_BUILD", "True", "SYSTEM_COLLECTIONURI",
				     "https://dev.azure.com/acme/",
				     "SYSTEM_TEAMPROJECT", "chat",
				     "BUILD_BUILDID", "88", NULL};
	seen s;

	(void)state;
	detect(jenkins, &s);
	assert_string_equal(lookup(&s, "ci.provider"), "jenkins");
	assert_string_equal(lookup(&s, "ci.branch"), "origin/main");
	detect(circle, &s);
	assert_string_equal(lookup(&s, "ci.repository"), "acme/chat");
	assert_null(lookup(&s, "ci.branch")); /* unset: omitted, not "" */
	detect(buildkite, &s);
	assert_string_equal(lookup(&s, "ci.build_url"),
			    "https://bk/acme/chat/builds/5");
	detect(azure, &s);
	assert_string_equal(lookup(&s, "ci.build_url"),
			    "https://dev.azure.com/acme/chat/_build/results?buildId=88");
}

static void test_ci_env__none(void **state)
{
	const char *const vars[] = {"HOME", "/root", NULL};
	seen s;

	(void)state;
	detect(vars, &s);
	assert_int_equal(s.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ci_env__github_pull_request),
		cmocka_unit_test(test_ci_env__gitlab_branch_fallback),
		cmocka_unit_test(test_ci_env__others),
		cmocka_unit_test(test_ci_env__none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
