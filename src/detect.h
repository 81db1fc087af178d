/*
 * detect.h - the detectors and what they read: one run, loaded once
 * (tests, evidence, collection errors, sessions, cut inputs) with the
 * expectation that applies to each test.
 *
 * Adding a detector is one function over a tg_view and one row of
 * tg_detectors[] (detect.c).  Detectors never print and never query the
 * store: they read the view and add findings (analyze.c).
 */
#ifndef TG_DETECT_H
#define TG_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "truegreen/analyze.h"
#include "truegreen/baseline.h"

typedef struct tg_vevidence {
	int64_t test;        /* 0: the run */
	/* the test's id, kept for "coroutine" evidence only: a -q log names
	 * the tests it saw pass nowhere but in its warnings summary, and
	 * the detector reports on such a test though the run lacks it */
	char *test_id;
	char *signal, *rule, *source, *text;
	int64_t line;
} tg_vevidence;

typedef struct tg_vtest {
	int64_t test;
	char *id;
	char *verdict;       /* passed, failed, error, skipped, flaky */
	char *status;        /* or NULL */
	char *file;          /* source file, or NULL */
	int64_t line;        /* 1-based, 0 unknown */
	int64_t source;      /* the input of its result: tg_view_source */
	int64_t report_line; /* the result's line there, 0 unknown */
	bool passed;         /* verdict passed (an xpass is not) */
	bool flaky;          /* passed on a rerun after a failed attempt:
				green to CI too (tg_vtest_green) */
	bool has_duration;
	double duration;
	size_t *ev;          /* indexes into view->ev, in input order */
	size_t nev, ev_cap;
	/* the expectation that applies, and where it came from */
	const tg_baseline_test *expect;
	const char *expect_source; /* "baseline", "history" or NULL */
} tg_vtest;

/* Whether CI counts the test green: a pass, or a pass on a rerun.  Its
 * duration is the passing attempt's; its evidence is every attempt's,
 * so what the evidence says cannot be pinned on the passing one. */
static inline bool tg_vtest_green(const tg_vtest *t)
{
	return t->passed || t->flaky;
}

typedef struct tg_vcollect {
	char *test_id, *exc_type, *missing, *message, *source;
	char **chain;
	size_t nchain;
	int64_t line;
} tg_vcollect;

typedef struct tg_vsession {
	char *source;
	int64_t collected, collect_errors, deselected, line;
	int64_t ran; /* tests its final line counts; -1: no final line */
	/* errors its final line counts: a test that errored in its setup
	 * is among them and not in ran; one that failed and errored in
	 * teardown is in both */
	int64_t errors;
	int64_t stopped_after; /* -x/--maxfail: after this many failures; 0 */
	int64_t collect_skipped; /* modules skipped at collection; -1: unsaid */
	bool interrupted;
} tg_vsession;

/* A result that does not decide its test: which other input holds it. */
typedef struct tg_vheld {
	int64_t test, source;
} tg_vheld;

typedef struct tg_vsource {
	int64_t id;
	char *path;
	int64_t cut_at;      /* the byte a cut-off input ends at; -1 whole */
	int64_t stopped_at;  /* where reading stopped, the input going on;
				-1: it was read to its end */
	size_t ntests;       /* the run's tests it holds a result of */
	bool junit;          /* read as JUnit XML */
} tg_vsource;

typedef struct tg_view {
	int64_t run;
	const tg_analyze_opts *opts;
	tg_vtest *tests;      /* by test number */
	size_t ntests, tests_cap;
	tg_vtest **by_id;     /* the same tests, by test id */
	tg_vevidence *ev;
	size_t nev, ev_cap;
	tg_vcollect *collect; /* in input order, one per module */
	size_t ncollect, collect_cap;
	tg_vcollect **collect_by_id; /* the same, by module */
	tg_vsession *sessions;
	size_t nsessions, sessions_cap;
	tg_vsource *sources; /* the run's inputs, by id */
	size_t nsources, sources_cap;
	tg_vheld *held;      /* tests held by an input besides the deciding
			      * one, by test, each pair once */
	size_t nheld, held_cap;
	const tg_baseline *file;   /* a baseline file, or NULL */
	tg_baseline *history;      /* learnt from earlier runs, or NULL */
	size_t history_runs;
	bool any_network;          /* some test of the run has network evidence */
	/* an input is a socket-level record of the run (truegreen record),
	 * and it recorded connections of the run's tests: it saw them run,
	 * so a connection missing from it was never made */
	const char *socket_record; /* its path, or NULL */
	bool socket_saw_tests;
	/* an input is pytest's console output or report-log: the run has
	 * pytest's warnings, which its JUnit XML leaves out */
	bool pytest_warnings;
	bool junit_pass_output; /* a pass from JUnit XML carries output */
	double run_duration;
	int64_t run_tests;
	struct tg_findings *out;
	tg_err *err;
} tg_view;

/* The test with number test, or NULL. */
tg_vtest *tg_view_test(const tg_view *v, int64_t test);

/* The test with id test_id, or NULL (a binary search: detectors that
 * look tests up by id stay O(n log n) on the largest suites). */
tg_vtest *tg_view_find(const tg_view *v, const char *test_id);

/* The collection error of the module test_id, or NULL (the same). */
tg_vcollect *tg_view_collect(const tg_view *v, const char *test_id);

/* The tests whose id starts with prefix[0..n): by_id[*lo..*hi), found by
 * a binary search. */
void tg_view_prefix(const tg_view *v, const char *prefix, size_t n,
		    size_t *lo, size_t *hi);

/* The run's input with id source, or NULL; its path, or "". */
tg_vsource *tg_view_source(const tg_view *v, int64_t source);
const char *tg_view_source_path(const tg_view *v, int64_t source);

/* The run's inputs that hold tests, at most max of them, in import
 * order (the last input when none does); returns how many. */
size_t tg_view_inputs(const tg_view *v, const tg_vsource **out, size_t max);

/* How many tests the run's pytest sessions said ran, on their final
 * lines; -1 when none said (tg_findings_ran). */
int64_t tg_view_ran(const tg_view *v);

/* Whether test t has evidence of rule (NULL: any rule) in signal. */
bool tg_view_has(const tg_view *v, const tg_vtest *t, const char *signal,
		 const char *rule);

/* ---- adding findings (analyze.c) ---- */

typedef struct tg_draft tg_draft;

/* A new finding; message is printf-formatted.  NULL when out of memory
 * (err set). */
tg_draft *tg_draft_new(tg_view *v, const char *kind, tg_severity sev,
			 const char *test, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void tg_draft_observed(tg_draft *d, bool has_duration, double duration,
			 int64_t count);
void tg_draft_expected(tg_draft *d, const tg_expectation *e);
/* Attach a line of evidence (copied); at most a few per finding. */
int tg_draft_evidence(tg_view *v, tg_draft *d, const char *source,
			int64_t line, const char *rule, const char *text);
/* tg_draft_evidence with the text formatted, whole however long */
int tg_draft_evidencef(tg_view *v, tg_draft *d, const char *source,
		       int64_t line, const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
int tg_draft_chain(tg_view *v, tg_draft *d, const char *const *chain,
		     size_t n, const char *missing);
/* Say that a check could not be made and what would make it possible. */
int tg_view_note(tg_view *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The expectation of a test as the findings show it. */
void tg_view_expectation(const tg_view *v, const tg_vtest *t,
			 tg_expectation *out);

typedef struct tg_detector {
	const char *kind;  /* the finding kind it makes */
	int (*run)(tg_view *v);
} tg_detector;

/* The detectors (detect_evidence.c, detect_expect.c); each returns 0 or
 * a negative tg_code. */
int tg_detect_unawaited(tg_view *v);
int tg_detect_import_chain(tg_view *v);
int tg_detect_mock_fallback(tg_view *v);
int tg_detect_no_network(tg_view *v);
int tg_detect_outage_skip(tg_view *v);
int tg_detect_fast_pass(tg_view *v);
int tg_detect_missing_tests(tg_view *v);
int tg_detect_suite_collapse(tg_view *v);
int tg_detect_truncated(tg_view *v);

extern const tg_detector tg_detectors[];
extern const size_t tg_detector_count;

#endif
