/*
 * detect_expect.c - the detectors that compare with expectations:
 * fast passes, missing tests, collapsed suites; and the inputs' own
 * word on what went missing (collected counts, cut-off reports).
 *
 * Thresholds are relative and absolute at once: a test expected at 30 s
 * that passed in 0.15 s is suspicious; one expected at 8 ms that passed
 * in 2 ms is not (README, "Findings").
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "detect.h"
#include "err.h"
#include "utf8.h"

static double opt_or(double v, double dflt)
{
	return v > 0 ? v : dflt;
}

/* ---- fast_pass ---------------------------------------------------------- */

int tg_detect_fast_pass(tg_view *v)
{
	double ratio = opt_or(v->opts->fast_ratio, 0.2);
	double abs_min = opt_or(v->opts->fast_abs, 1.0);
	size_t i;

	for (i = 0; i < v->ntests; i++) {
		const tg_vtest *t = &v->tests[i];
		const tg_baseline_test *b = t->expect;
		double want, gap;
		tg_expectation e;
		tg_draft *d;

		/* a pass on a rerun too: its duration is the passing
		 * attempt's */
		if (!tg_vtest_green(t) || !t->has_duration || !b ||
		    (!b->has_expected && !b->has_min_duration))
			continue;
		/* the bar: the file's minimum, else the expected duration */
		want = b->has_min_duration ? b->min_duration : b->expected;
		gap = want - t->duration;
		if (b->has_min_duration ? t->duration >= want
					: t->duration >= want * ratio)
			continue;
		/* milliseconds apart are not evidence; but a floor the
		 * baseline states may itself be under a second, and a pass
		 * at a fifth of it is no rounding */
		if (gap < abs_min &&
		    !(b->has_min_duration && t->duration < want * ratio))
			continue;
		tg_view_expectation(v, t, &e);
		d = tg_draft_new(
			v, "fast_pass",
			t->duration < want * ratio / 4 ? TG_SEV_HIGH
						       : TG_SEV_MEDIUM,
			t->id,
			"'%s' passed%s in %.3f s where %s %.3f s: too fast to "
			"have done its work",
			t->id, t->flaky ? " on a rerun" : "", t->duration,
			b->has_min_duration ? "the baseline requires at least"
			: e.source && strcmp(e.source, "history") == 0
				? "its earlier passing runs took a median of"
				: "the baseline expects",
			want);
		if (!d)
			return v->err->code;
		tg_draft_expected(d, &e);
		tg_draft_observed(d, true, t->duration, -1);
	}
	return 0;
}

/* ---- missing_tests ------------------------------------------------------ */

/* Tests a baseline names one by one (no glob) that the run lacks. */
static int missing_from_file(tg_view *v)
{
	size_t i;

	for (i = 0; i < tg_baseline_test_count(v->file); i++) {
		const tg_baseline_test *b = tg_baseline_test_get(v->file, i);
		tg_draft *d;

		if (strpbrk(b->match, "*?") || tg_view_find(v, b->match))
			continue;
		d = tg_draft_new(v, "missing_tests", TG_SEV_MEDIUM, b->match,
				   "'%s' is in the baseline but not in this "
				   "run: it vanished",
				   b->match);
		if (!d)
			return v->err->code;
		tg_draft_observed(d, false, 0, 0);
	}
	return 0;
}

/* Tests that passed in most earlier runs and are absent now, grouped
 * by test file: a module that stopped being collected is one finding. */
static int missing_from_history(tg_view *v)
{
	const char *cur = NULL;
	size_t curlen = 0, n = 0, i;
	char first[512] = "";
	int rc = 0;

	for (i = 0; rc == 0 && i <= tg_baseline_test_count(v->history); i++) {
		const tg_baseline_test *b = tg_baseline_test_get(v->history, i);
		const char *sep = b ? strstr(b->match, "::") : NULL;
		size_t len = sep ? (size_t)(sep - b->match)
			     : b ? strlen(b->match) : 0;
		bool absent, usual;

		usual = b && (size_t)b->passes * 10 >= v->history_runs * 8;
		absent = usual && !tg_view_find(v, b->match);
		/* a new file, or the end: report the group gathered */
		if (!b || !cur || len != curlen || memcmp(cur, b->match, len)) {
			if (n) {
				tg_draft *d;
				char file[512];
				snprintf(file, sizeof(file), "%.*s",
					 (int)curlen, cur);
				tg_utf8_trim(file);
				d = tg_draft_new(
					v, "missing_tests", TG_SEV_HIGH, file,
					"%zu test%s of '%s' that passed in "
					"most of the last %zu runs %s not in "
					"this run (first: '%s')",
					n, n == 1 ? "" : "s", file,
					v->history_runs,
					n == 1 ? "is" : "are", first);
				if (!d)
					return v->err->code;
				tg_draft_observed(d, false, 0, (int64_t)n);
			}
			n = 0;
			cur = b ? b->match : NULL;
			curlen = len;
		}
		if (absent && n++ == 0) {
			snprintf(first, sizeof(first), "%s", b->match);
			tg_utf8_trim(first);
		}
	}
	return rc;
}

/* pytest said how many it collected: compare with what the run holds,
 * or, when the log shows results as progress dots and names fewer tests
 * than ran, with what pytest's final line says ran (a note says those
 * tests could not be checked one by one). */
static int note_dots(tg_view *v, int64_t ran, size_t stored)
{
	return tg_view_note(v,
			    "pytest ran %lld test%s and the run names %zu "
			    "(the others were shown as progress dots): "
			    "they could not be checked one by one; run "
			    "pytest with -v or -rA, or import its JUnit "
			    "XML too",
			    (long long)ran, ran == 1 ? "" : "s", stored);
}

/* No session said what it collected (pytest -q prints no header): only
 * the final lines say how many ran. */
static int dots_without_header(tg_view *v)
{
	int64_t ran = tg_view_ran(v);

	return ran > (int64_t)v->ntests ? note_dots(v, ran, v->ntests) : 0;
}

static int missing_from_sessions(tg_view *v)
{
	int64_t collected = 0, deselected = 0, errors = 0, ran = 0, errored = 0;
	int64_t stopped_after = 0;
	size_t i, stored = 0, sessions = 0;
	bool interrupted = false, ran_known = true, dots, none_selected;
	tg_draft *d;

	for (i = 0; i < v->nsessions; i++) {
		const tg_vsession *s = &v->sessions[i];
		int64_t ce = s->collect_errors > 0 ? s->collect_errors : 0;
		if (s->collected < 0)
			continue;
		sessions++;
		collected += s->collected;
		deselected += s->deselected > 0 ? s->deselected : 0;
		errors += ce;
		interrupted = interrupted || s->interrupted;
		if (s->stopped_after > stopped_after)
			stopped_after = s->stopped_after;
		/* a module skipped at collection counts among the final
		 * line's skips, and is no test */
		ran += s->ran > 0 ? s->ran : 0;
		ran -= s->ran > 0 && s->collect_skipped > 0 ? s->collect_skipped
							    : 0;
		ran_known = ran_known && s->ran >= 0;
		/* errors beyond collection errors: tests that errored */
		errored += s->errors > ce ? s->errors - ce : 0;
	}
	if (!sessions)
		return dots_without_header(v);
	/* the run's tests, less the modules that stand for a collection
	 * error (one per module: tg_view_collect) */
	stored = v->ntests;
	for (i = 0; i < v->ncollect; i++)
		stored -= tg_view_find(v, v->collect[i].test_id) != NULL;
	dots = ran_known && ran > (int64_t)stored;
	if (dots && note_dots(v, ran, stored))
		return v->err->code;
	/* what the final line counts, when the log names fewer (progress
	 * dots, skips grouped by line under -rA): at most its passes,
	 * failures, skips and its errors, since a test that errored in
	 * setup is only among the errors, and one that failed and errored
	 * in teardown in both; not less, or a test the log did not name
	 * would be called missing */
	if (ran_known && ran + errored > (int64_t)stored) {
		stored = (size_t)(ran + errored);
		dots = true;
	}
	/* every collected test deselected (a -k or -m that matches
	 * nothing): pytest exits 5, and a job that lets that pass is green
	 * with nothing tested */
	none_selected = !interrupted && collected > 0 &&
			deselected >= collected && stored == 0;
	if (!interrupted && !none_selected &&
	    (int64_t)stored >= collected - deselected)
		return 0;
	if (none_selected)
		d = tg_draft_new(v, "missing_tests", TG_SEV_HIGH, NULL,
				   "pytest collected %lld item%s and deselected "
				   "every one (a -k or -m filter that matches "
				   "nothing?): no test ran",
				   (long long)collected,
				   collected == 1 ? "" : "s");
	else if (stopped_after > 0 && !interrupted)
		/* -x or --maxfail: the run failed, and said why the rest did
		 * not run; worth knowing, not a vanishing */
		d = tg_draft_new(v, "missing_tests", TG_SEV_MEDIUM, NULL,
				   "pytest stopped after %lld failure%s (-x or "
				   "--maxfail): of the %lld item%s it collected, "
				   "%s %zu ran",
				   (long long)stopped_after,
				   stopped_after == 1 ? "" : "s",
				   (long long)(collected - deselected),
				   collected - deselected == 1 ? "" : "s",
				   dots ? "at most" : "only", stored);
	else
		d = tg_draft_new(
			v, "missing_tests", TG_SEV_HIGH, NULL,
			interrupted
				? "pytest collected %lld item%s but stopped on "
				  "%lld collection error%s before running any; "
				  "the run holds %zu test%s"
			: dots ? "pytest collected %lld item%s (%lld "
				 "collection error%s); its final line counts "
				 "only %zu test%s"
			       : "pytest collected %lld item%s (%lld "
				 "collection error%s); the run holds only %zu "
				 "test%s",
			(long long)(collected - deselected),
			collected - deselected == 1 ? "" : "s",
			(long long)errors, errors == 1 ? "" : "s", stored,
			stored == 1 ? "" : "s");
	if (!d)
		return v->err->code;
	tg_draft_observed(d, false, 0, (int64_t)stored);
	{
		tg_expectation e;
		memset(&e, 0, sizeof(e));
		e.source = "session";
		e.tests = none_selected ? collected : collected - deselected;
		tg_draft_expected(d, &e);
	}
	for (i = 0; i < v->nsessions; i++)
		if (v->sessions[i].collected >= 0 &&
		    tg_draft_evidence(v, d, v->sessions[i].source,
					v->sessions[i].line, NULL,
					"the session's collected and final "
					"lines"))
			return v->err->code;
	return 0;
}

int tg_detect_missing_tests(tg_view *v)
{
	if (v->file && missing_from_file(v))
		return v->err->code;
	if (v->history && missing_from_history(v))
		return v->err->code;
	return missing_from_sessions(v);
}

/* ---- suite_collapse ----------------------------------------------------- */

#define SUITE_EVIDENCE 5

/* How far below its own expectation a test passed (the evidence of a
 * collapse shows the largest drops first); -1 without an expectation. */
static double drop(const tg_vtest *t)
{
	if (!t->expect || !t->expect->has_expected)
		return -1;
	return t->expect->expected - t->duration;
}

/* A collapsed suite's evidence: the passes that fell furthest below
 * their own expectation, each at its line in the report, so a reviewer
 * sees where the suite's time went; then passes with no expectation of
 * their own.  A pass that took as long as expected (a quick unit test
 * beside the e2e tests) shows nothing and is left out. */
static int collapse_evidence(tg_view *v, tg_draft *d, const char *match,
			     size_t lo, size_t hi)
{
	const tg_vtest *top[SUITE_EVIDENCE];
	size_t n = 0, i, k;

	for (i = lo; i < hi; i++) {
		const tg_vtest *t = v->by_id[i];
		if (!tg_vtest_green(t) || !t->has_duration ||
		    (t->expect && t->expect->has_expected && drop(t) <= 0) ||
		    !tg_glob_match(match, t->id))
			continue;
		/* insert in order of drop, ties in id order; keep the top */
		for (k = n; k > 0 && drop(top[k - 1]) < drop(t); k--)
			if (k < SUITE_EVIDENCE)
				top[k] = top[k - 1];
		if (k < SUITE_EVIDENCE) {
			top[k] = t;
			n += n < SUITE_EVIDENCE;
		}
	}
	for (i = 0; i < n; i++) {
		const tg_vtest *t = top[i];
		const char *in = tg_view_source_path(v, t->source);
		if (drop(t) >= 0 ? tg_draft_evidencef(v, d, in, t->report_line,
						      NULL,
						      "'%s' passed in %.3f s, "
						      "where about %.3f s was "
						      "expected",
						      t->id, t->duration,
						      t->expect->expected)
				 : tg_draft_evidencef(v, d, in, t->report_line,
						      NULL,
						      "'%s' passed in %.3f s",
						      t->id, t->duration))
			return v->err->code;
	}
	return 0;
}

static bool in_suite(const tg_vtest *t, const char *match)
{
	return t && strcmp(t->verdict, "skipped") != 0 &&
	       tg_glob_match(match, t->id);
}

/* A suite short of tests: how many of them each input with tests holds
 * (the last input when none has any), so a reviewer sees which report
 * lost them.  A test counts for every input that holds a result of it,
 * deciding or not. */
static int shortfall_evidence(tg_view *v, tg_draft *d, const char *match,
			      size_t lo, size_t hi)
{
	const tg_vsource *in[SUITE_EVIDENCE];
	size_t i, k, n = tg_view_inputs(v, in, SUITE_EVIDENCE);

	for (k = 0; k < n; k++) {
		const tg_vsource *src = in[k];
		size_t held = 0;

		for (i = lo; i < hi; i++)
			held += v->by_id[i]->source == src->id &&
				in_suite(v->by_id[i], match);
		for (i = 0; i < v->nheld; i++)
			held += v->held[i].source == src->id &&
				in_suite(tg_view_test(v, v->held[i].test),
					 match);
		if (tg_draft_evidencef(v, d, src->path, 0, NULL,
				       "input %zu of %zu holds %zu test%s, %zu "
				       "of them in '%s' and not skipped",
				       (size_t)(src - v->sources) + 1,
				       v->nsources, src->ntests,
				       src->ntests == 1 ? "" : "s", held,
				       match))
			return v->err->code;
	}
	return 0;
}

static int check_suite(tg_view *v, const tg_baseline_suite *s,
		       const char *source)
{
	size_t lo, hi, i, count = 0;
	double total = 0;
	tg_expectation e;
	tg_draft *d;

	/* the tests the pattern can match share its literal prefix: one
	 * range of the tests by id, no scan per suite (a learnt baseline
	 * has a suite per directory) */
	tg_view_prefix(v, s->match, strcspn(s->match, "*?"), &lo, &hi);
	for (i = lo; i < hi; i++) {
		const tg_vtest *t = v->by_id[i];
		if (!tg_glob_match(s->match, t->id))
			continue;
		count += strcmp(t->verdict, "skipped") != 0;
		if (tg_vtest_green(t) && t->has_duration)
			total += t->duration;
	}
	memset(&e, 0, sizeof(e));
	e.source = source;
	e.pattern = s->match;
	e.samples = s->samples;
	e.tests = s->min_tests;
	e.has_duration = s->min_duration >= 0;
	e.min_duration = s->min_duration >= 0 ? s->min_duration : 0;
	if (s->min_tests >= 0 && (int64_t)count < s->min_tests) {
		/* learnt: the minimum is a share of what the runs held, and
		 * that is the figure a reviewer can check */
		d = s->usual_tests >= 0
			    ? tg_draft_new(v, "missing_tests", TG_SEV_HIGH,
					   s->match,
					   "suite '%s' ran %zu test%s where its "
					   "earlier runs usually ran %lld "
					   "(median of %lld runs)",
					   s->match, count,
					   count == 1 ? "" : "s",
					   (long long)s->usual_tests,
					   (long long)s->samples)
			    : tg_draft_new(v, "missing_tests", TG_SEV_HIGH,
					   s->match,
					   "suite '%s' ran %zu test%s where the "
					   "%s expects at least %lld",
					   s->match, count,
					   count == 1 ? "" : "s", source,
					   (long long)s->min_tests);
		if (!d)
			return v->err->code;
		tg_draft_expected(d, &e);
		tg_draft_observed(d, false, 0, (int64_t)count);
		if (shortfall_evidence(v, d, s->match, lo, hi))
			return v->err->code;
	}
	/* as fast_pass: a second under the floor, or a fifth of a floor
	 * the baseline states (a learnt one is a fifth already) */
	if (s->min_duration > 0 && count > 0 && total < s->min_duration &&
	    (s->min_duration - total >= opt_or(v->opts->fast_abs, 1.0) ||
	     (s->usual_duration < 0 &&
	      total < s->min_duration * opt_or(v->opts->fast_ratio, 0.2)))) {
		d = s->usual_duration >= 0
			    ? tg_draft_new(v, "suite_collapse", TG_SEV_HIGH,
					   s->match,
					   "suite '%s' passed in %.3f s in all, "
					   "under %.0f%% of the %.3f s its "
					   "earlier runs usually took (median "
					   "of %lld runs)",
					   s->match, total,
					   TG_SUITE_DURATION_SHARE * 100,
					   s->usual_duration,
					   (long long)s->samples)
			    : tg_draft_new(v, "suite_collapse", TG_SEV_HIGH,
					   s->match,
					   "suite '%s' passed in %.3f s in all, "
					   "below the %.3f s the %s requires",
					   s->match, total, s->min_duration,
					   source);
		if (!d)
			return v->err->code;
		tg_draft_expected(d, &e);
		tg_draft_observed(d, true, total, (int64_t)count);
		if (collapse_evidence(v, d, s->match, lo, hi))
			return v->err->code;
	}
	return 0;
}

int tg_detect_suite_collapse(tg_view *v)
{
	size_t i;

	for (i = 0; v->file && i < tg_baseline_suite_count(v->file); i++)
		if (check_suite(v, tg_baseline_suite_get(v->file, i),
				"baseline"))
			return v->err->code;
	for (i = 0; v->history && i < tg_baseline_suite_count(v->history); i++) {
		const tg_baseline_suite *s = tg_baseline_suite_get(v->history, i);
		size_t k;
		bool covered = false;
		/* the file speaks for a suite it names; history for the rest */
		for (k = 0; v->file && k < tg_baseline_suite_count(v->file); k++)
			covered = covered ||
				  strcmp(tg_baseline_suite_get(v->file, k)->match,
					 s->match) == 0;
		if (!covered && check_suite(v, s, "history"))
			return v->err->code;
	}
	return 0;
}

/* ---- truncated_report --------------------------------------------------- */

int tg_detect_truncated(tg_view *v)
{
	size_t i;

	for (i = 0; i < v->nsources; i++) {
		const tg_vsource *s = &v->sources[i];
		tg_draft *d;

		if (s->cut_at < 0)
			continue;
		/* Stopped in its middle, the input going on: tests that are
		 * there, failures perhaps, were not read.  Cut off at its end
		 * (a killed job), what is missing was never written. */
		if (s->stopped_at >= 0)
			d = tg_draft_new(v, "truncated_report", TG_SEV_HIGH,
					   NULL,
					   "truegreen stopped reading '%s' at "
					   "byte %lld (past a limit: see the "
					   "import's warning) although it goes "
					   "on: the tests after byte %lld were "
					   "not read, and any failure among "
					   "them is unknown",
					   s->path, (long long)s->stopped_at,
					   (long long)s->cut_at);
		else
			d = tg_draft_new(v, "truncated_report", TG_SEV_MEDIUM,
					   NULL,
					   "'%s' was cut off after byte %lld (a "
					   "killed job?): tests after that point "
					   "are unknown",
					   s->path, (long long)s->cut_at);
		if (!d || tg_draft_evidence(v, d, s->path, 0, NULL,
					      s->stopped_at >= 0
						      ? "the input goes on past "
							"where reading stopped"
						      : "the input ends early"))
			return v->err->code;
	}
	return 0;
}
