/*
 * truegreen/analyze.h - which green results not to trust, and why.
 *
 * tg_analyze() runs every detector over one stored run and returns its
 * findings, each with the expectation it was judged against and the
 * evidence a reviewer can check.  Expectations come from a baseline file
 * (truegreen/baseline.h), from the history of earlier runs in the store,
 * or from nowhere: detectors that need none (unawaited coroutines, import
 * chains, mock markers, connection failures inside passing tests,
 * collected-count disagreements, truncated inputs) always run, and the
 * result says which checks could not be made and what to feed them.
 *
 * Finding kinds are stable names (README, "Findings"; the list in report
 * order is tg_report_kind() of truegreen/report.h): fast_pass,
 * no_network_evidence, mock_fallback, outage_skip, unawaited_coroutine,
 * import_chain_failure, missing_tests, suite_collapse, truncated_report.
 *
 * Ownership: a tg_findings owns every string and array it hands out;
 * they live until tg_findings_free().
 */
#ifndef TG_ANALYZE_H
#define TG_ANALYZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "truegreen/baseline.h"
#include "truegreen/error.h"
#include "truegreen/import.h"
#include "truegreen/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tg_severity {
	TG_SEV_NONE = 0, /* only as a --fail-on threshold: never fail */
	TG_SEV_LOW,
	TG_SEV_MEDIUM,
	TG_SEV_HIGH,
} tg_severity;

/* "low", "medium", "high" ("none" for TG_SEV_NONE). */
const char *tg_severity_str(tg_severity s);
/* Parse one of those; false if it is none of them. */
bool tg_severity_parse(const char *s, tg_severity *out);

/* A line that shows why: where it was read and what it says. */
typedef struct tg_finding_evidence {
	const char *source;   /* input file */
	int64_t line;         /* 1-based, 0 unknown */
	const char *rule;     /* catalog rule, or NULL */
	const char *text;     /* untrusted: escape before printing */
} tg_finding_evidence;

/* What a test was judged against. */
typedef struct tg_expectation {
	/* "baseline" (an entry of the baseline file), "history" (earlier
	 * runs), or NULL when no expectation applied */
	const char *source;
	const char *pattern;  /* the baseline entry's pattern, or NULL */
	bool has_duration;
	double min_duration;  /* seconds; 0 if not set */
	double duration;      /* expected (median) seconds */
	double spread;        /* MAD (history) or the entry's spread */
	int64_t samples;      /* runs the history figures come from */
	bool requires_network;
	double network_share; /* history: share of runs with network evidence */
	/* expected number of tests: the least for a suite (baseline,
	 * history), the count a session ("session") said it collected */
	int64_t tests;
} tg_expectation;

typedef struct tg_finding {
	const char *kind;
	tg_severity severity;
	const char *test;     /* test id (or module, suite glob); NULL: the run */
	const char *file;     /* the test's source file, when known, or NULL */
	int64_t line;         /* its line there, 1-based; 0 unknown */
	const char *message;  /* one plain sentence */
	/* observed */
	bool has_duration;
	double duration;      /* seconds */
	int64_t count;        /* tests (missing_tests, suite_collapse), -1 n/a */
	tg_expectation expected;
	const tg_finding_evidence *evidence;
	size_t nevidence;
	/* import_chain_failure: the chain, test module first, and what could
	 * not be imported */
	const char *const *chain;
	size_t nchain;
	const char *missing;
} tg_finding;

typedef struct tg_findings tg_findings;

typedef struct tg_analyze_opts {
	unsigned version;          /* TG_ANALYZE_OPTS_VERSION */
	/* Expectations from a file (NULL: none).  Borrowed for the call. */
	const tg_baseline *baseline;
	/* Learn expectations from earlier runs in the store: always when no
	 * baseline is given and enough runs exist; with a baseline, only for
	 * tests the file does not cover. */
	bool use_history;
	/* Earlier runs to learn from: those whose run meta has every pair
	 * (NULL: all); at most history_runs of them, newest first. */
	const tg_kv *where;
	size_t where_count;
	unsigned history_runs;     /* 0: 20 */
	unsigned min_samples;      /* 0: 5 passing runs before trusting one */
	/* fast_pass: observed < expected * fast_ratio AND expected - observed
	 * >= fast_abs seconds.  0: 0.2 and 1.0. */
	double fast_ratio, fast_abs;
	/* history says a test needs the network when at least this share
	 * of its passing runs had network evidence.  0: 0.8 */
	double network_share;
} tg_analyze_opts;

#define TG_ANALYZE_OPTS_VERSION 1
#define TG_ANALYZE_OPTS_INIT                                                   \
	{TG_ANALYZE_OPTS_VERSION, NULL, true, NULL, 0, 0, 0, 0, 0, 0}

/*
 * Analyze run_id.  On success *out holds the findings, worst first (then
 * by kind and test).  Returns 0, TG_EUSAGE (no such run), TG_EDB or
 * TG_ENOMEM.
 */
int tg_analyze(tg_findings **out, tg_store *st, int64_t run_id,
	       const tg_analyze_opts *opts, tg_err *err);

size_t tg_findings_count(const tg_findings *f);
const tg_finding *tg_findings_get(const tg_findings *f, size_t i);
/* Findings at each severity: index by tg_severity. */
void tg_findings_summary(const tg_findings *f, size_t out[4]);
/* The highest severity among the findings (TG_SEV_NONE if none). */
tg_severity tg_findings_worst(const tg_findings *f);

/* Checks that could not be made, each a sentence saying what to feed
 * truegreen ("no baseline and only 2 earlier runs: ..."). */
size_t tg_findings_notes(const tg_findings *f);
const char *tg_findings_note(const tg_findings *f, size_t i);
/* Where expectations came from: "baseline FILE", "history of N runs",
 * or "none". */
const char *tg_findings_basis(const tg_findings *f);
/* How many tests the run's pytest sessions said ran, on their final
 * lines; -1 when no input said.  A log of progress dots (pytest -q)
 * names none of them, so the run itself holds none. */
int64_t tg_findings_ran(const tg_findings *f);

void tg_findings_free(tg_findings *f);

#ifdef __cplusplus
}
#endif
#endif
