/*
 * ci_env.h - the CI context of a run, from the environment.
 *
 * Detects GitHub Actions, GitLab CI, Jenkins, CircleCI, Buildkite and
 * Azure Pipelines, and reports ci.provider, ci.repository, ci.branch,
 * ci.commit, ci.job and ci.build_url as meta pairs.  The environment is
 * read only through the lookup function the caller passes, so tests can
 * hand in a fake one.
 */
#ifndef TG_CI_ENV_H
#define TG_CI_ENV_H

#include "truegreen/import.h"

typedef int (*tg_meta_fn)(void *payload, const char *key, const char *value,
			  tg_err *err);

/* Call fn for every CI field found; nothing when no CI is detected. */
int tg_ci_detect(tg_getenv_fn getenv_fn, void *env, tg_meta_fn fn,
		 void *payload, tg_err *err);

#endif
