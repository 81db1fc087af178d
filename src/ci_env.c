/*
 * ci_env.c - CI providers as data: which variable marks each, and a
 * template per field.  "${A}|${B}" means: A if set, else B; a template
 * with an unset variable yields nothing.
 */
#include "ci_env.h"

#include <string.h>

#include "buf.h"
#include "err.h"
#include "limits.h"

static const struct provider {
	const char *name, *marker;
	const char *repository, *branch, *commit, *job, *build_url;
} providers[] = {
	{"github-actions", "GITHUB_ACTIONS", "${GITHUB_REPOSITORY}",
	 "${GITHUB_HEAD_REF}|${GITHUB_REF_NAME}", "${GITHUB_SHA}",
	 "${GITHUB_WORKFLOW}/${GITHUB_JOB}|${GITHUB_JOB}",
	 "${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/"
	 "${GITHUB_RUN_ID}"},
	{"gitlab-ci", "GITLAB_CI", "${CI_PROJECT_PATH}",
	 "${CI_MERGE_REQUEST_SOURCE_BRANCH_NAME}|${CI_COMMIT_REF_NAME}",
	 "${CI_COMMIT_SHA}", "${CI_JOB_NAME}", "${CI_JOB_URL}"},
	{"circleci", "CIRCLECI",
	 "${CIRCLE_PROJECT_USERNAME}/${CIRCLE_PROJECT_REPONAME}|"
	 "${CIRCLE_REPOSITORY_URL}",
	 "${CIRCLE_BRANCH}", "${CIRCLE_SHA1}", "${CIRCLE_JOB}",
	 "${CIRCLE_BUILD_URL}"},
	{"buildkite", "BUILDKITE", "${BUILDKITE_REPO}", "${BUILDKITE_BRANCH}",
	 "${BUILDKITE_COMMIT}", "${BUILDKITE_LABEL}",
	 "${BUILDKITE_BUILD_URL}#${BUILDKITE_JOB_ID}|${BUILDKITE_BUILD_URL}"},
	{"azure-pipelines", "TF_BUILD", "${BUILD_REPOSITORY_NAME}",
	 "${SYSTEM_PULLREQUEST_SOURCEBRANCH}|${BUILD_SOURCEBRANCHNAME}",
	 "${BUILD_SOURCEVERSION}", "${SYSTEM_JOBDISPLAYNAME}|${AGENT_JOBNAME}",
	 "${SYSTEM_COLLECTIONURI}${SYSTEM_TEAMPROJECT}/_build/results?buildId="
	 "${BUILD_BUILDID}"},
	/* Jenkins last: other CIs may run inside a Jenkins agent's env. */
	{"jenkins", "JENKINS_URL", "${GIT_URL}",
	 "${CHANGE_BRANCH}|${BRANCH_NAME}|${GIT_BRANCH}", "${GIT_COMMIT}",
	 "${JOB_NAME}", "${BUILD_URL}"},
};

/* Expand one alternative of a template (no '|'); false if a variable in
 * it is unset or empty. */
static bool expand_one(tg_buf *out, const char *t, size_t n,
		       tg_getenv_fn getenv_fn, void *env)
{
	size_t i = 0;

	tg_buf_reset(out);
	while (i < n) {
		if (t[i] == '$' && i + 1 < n && t[i + 1] == '{') {
			char name[64];
			const char *close = memchr(t + i, '}', n - i), *v;
			size_t len = close ? (size_t)(close - t) - i - 2 : 0;
			if (!close || len == 0 || len >= sizeof(name))
				return false;
			memcpy(name, t + i + 2, len);
			name[len] = '\0';
			v = getenv_fn(name, env);
			if (!v || !v[0])
				return false;
			tg_buf_adds(out, v);
			i += len + 3;
		} else {
			tg_buf_addc(out, t[i++]);
		}
	}
	return !out->failed;
}

static bool expand(tg_buf *out, const char *t, tg_getenv_fn getenv_fn,
		   void *env)
{
	while (t) {
		const char *bar = strchr(t, '|');
		size_t n = bar ? (size_t)(bar - t) : strlen(t);
		if (expand_one(out, t, n, getenv_fn, env))
			return true;
		t = bar ? bar + 1 : NULL;
	}
	return false;
}

int tg_ci_detect(tg_getenv_fn getenv_fn, void *env, tg_meta_fn fn,
		 void *payload, tg_err *err)
{
	tg_buf v = TG_BUF_INIT(TG_MAX_META_VALUE);
	const struct provider *p = NULL;
	size_t i;
	int rc = 0;

	if (!getenv_fn)
		return 0;
	for (i = 0; i < sizeof(providers) / sizeof(providers[0]); i++) {
		const char *m = getenv_fn(providers[i].marker, env);
		if (m && m[0]) {
			p = &providers[i];
			break;
		}
	}
	if (!p)
		return 0;
	{
		const struct {
			const char *key, *tmpl;
		} fields[] = {
			{"ci.repository", p->repository},
			{"ci.branch", p->branch},
			{"ci.commit", p->commit},
			{"ci.job", p->job},
			{"ci.build_url", p->build_url},
		};
		rc = fn(payload, "ci.provider", p->name, err);
		for (i = 0; rc == 0 && i < sizeof(fields) / sizeof(fields[0]);
		     i++)
			if (expand(&v, fields[i].tmpl, getenv_fn, env))
				rc = fn(payload, fields[i].key, v.ptr, err);
	}
	tg_buf_release(&v);
	return rc;
}
