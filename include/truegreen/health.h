/*
 * truegreen/health.h - the weekly test-health report: how trustworthy the
 * suite was over a period, from the runs in the store.
 *
 * Per day, runs and their outcome mix, and the untrustworthy passes by
 * finding kind; the tests whose durations collapsed (with their duration
 * history), the slowest and the most often flagged; flaky tests with
 * their flip rate (outcome changes between runs of the same commit, when
 * runs record their commit, and passes only on a rerun); import-chain
 * failures still open and since when;
 * tests that vanished; sessions whose collected count dropped; and the
 * findings of the period's last run with their evidence.  As one
 * self-contained HTML page (inline CSS and SVG, no script, nothing
 * fetched), as Markdown (Unicode sparklines), or as JSON (every number).
 */
#ifndef TG_HEALTH_H
#define TG_HEALTH_H

#include <stddef.h>
#include <stdio.h>
#include "truegreen/error.h"
#include "truegreen/import.h"
#include "truegreen/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tg_health_opts {
	unsigned version;        /* TG_HEALTH_OPTS_VERSION */
	/* Bounds: "7d" (days before now), "YYYY-MM-DD" or
	 * "YYYY-MM-DDTHH:MM:SSZ" (UTC); anything else is TG_EUSAGE */
	const char *since;       /* inclusive; NULL: 7d */
	const char *until;       /* exclusive (a date: up to its end); NULL: now */
	const tg_kv *where;      /* runs whose meta has every pair */
	size_t where_count;
	const char *now;         /* "now" for the page; NULL: the clock */
	/* Called before each run is read (file "runs", done: runs read,
	 * total: the period's runs); NULL: not reported. */
	tg_progress_fn progress;
	void *progress_payload;
} tg_health_opts;

#define TG_HEALTH_OPTS_VERSION 1
#define TG_HEALTH_OPTS_INIT                                                    \
	{TG_HEALTH_OPTS_VERSION, NULL, NULL, NULL, 0, NULL, NULL, NULL}

/*
 * Write the report of the runs imported in [since, until) to out in
 * format "html", "markdown" or "json".  Returns 0, TG_EUSAGE (unknown
 * format, a bound that is not one, no run in the period), TG_EDB, TG_EIO
 * or TG_ENOMEM.
 */
int tg_health_report(FILE *out, tg_store *st, const tg_health_opts *opts,
		     const char *format, tg_err *err);

#ifdef __cplusplus
}
#endif
#endif
