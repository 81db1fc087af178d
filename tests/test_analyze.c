/*
 * test_analyze.c - the detectors: each kind fires on what it is for and
 * stays quiet on a lookalike; thresholds, sample minimums and baseline
 * precedence; the samples' story end to end.
 */
#include "helpers.h"
#include "buf.h"
#include "detect.h" /* tg_detectors[], to tie them to the kinds */
#include "report.h"  /* tg_report__help */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef TG_SAMPLES
#error "TG_SAMPLES must name samples/"
#endif
#define SAMPLE(rel) TG_SAMPLES "/" rel

/* ---- helpers ---------------------------------------------------------- */

static int64_t import_as(tg_store *st, const char *const *paths, size_t n,
			 const char *name)
{
	tg_import_opts o = TG_IMPORT_OPTS_INIT;
	tg_kv meta = {"suite", "t"};
	tg_import *imp = NULL;
	tg_import_result res;
	tg_err err = TG_ERR_INIT;
	size_t i;

	o.run_name = name;
	o.meta = &meta;
	o.meta_count = 1;
	assert_int_equal(tg_import_new(&imp, st, &o, &err), 0);
	for (i = 0; i < n; i++)
		if (tg_import_add_path(imp, paths[i], &err))
			fail_msg("%s: %s", paths[i], err.msg);
	if (tg_import_finish(imp, &res, &err))
		fail_msg("finish: %s", err.msg);
	tg_import_free(imp);
	return res.run_id;
}

static int64_t import_text(tg_store *st, const char *name, const char *file,
			   const char *text)
{
	const char *p = th_write_tmp(file, text, strlen(text));

	return import_as(st, &p, 1, name);
}

static tg_baseline *baseline(const char *json)
{
	tg_baseline *b = NULL;
	tg_err err = TG_ERR_INIT;

	if (tg_baseline_parse(&b, "b.json", json, strlen(json), &err))
		fail_msg("baseline: %s", err.msg);
	return b;
}

static tg_findings *analyze(tg_store *st, int64_t run, const tg_baseline *b,
			    bool history)
{
	tg_analyze_opts o = TG_ANALYZE_OPTS_INIT;
	tg_findings *f = NULL;
	tg_err err = TG_ERR_INIT;

	o.baseline = b;
	o.use_history = history;
	if (tg_analyze(&f, st, run, &o, &err))
		fail_msg("analyze: %s", err.msg);
	return f;
}

/* The finding of kind about test (NULL: the run), or NULL. */
static const tg_finding *find(const tg_findings *f, const char *kind,
			      const char *test)
{
	size_t i;

	for (i = 0; i < tg_findings_count(f); i++) {
		const tg_finding *x = tg_findings_get(f, i);
		if (strcmp(x->kind, kind) == 0 &&
		    ((!test && !x->test) ||
		     (test && x->test && strcmp(test, x->test) == 0)))
			return x;
	}
	return NULL;
}

static size_t count_kind(const tg_findings *f, const char *kind)
{
	size_t i, n = 0;

	for (i = 0; i < tg_findings_count(f); i++)
		n += strcmp(tg_findings_get(f, i)->kind, kind) == 0;
	return n;
}

/* Whether a note of f says text. */
static bool noted(const tg_findings *f, const char *text)
{
	size_t i;

	for (i = 0; i < tg_findings_notes(f); i++)
		if (strstr(tg_findings_note(f, i), text))
			return true;
	return false;
}

/* A JUnit report of one suite: "name time" pairs, and optional text. */
static const char *junit(char *buf, size_t n, const char *cases)
{
	snprintf(buf, n,
		 "<testsuite name=\"pytest\"><testcase classname=\"\" "
		 "name=\"x\" time=\"0\"/>%s</testsuite>",
		 cases);
	return buf;
}

/* ---- the samples ------------------------------------------------------ */

typedef struct samples {
	tg_store *st;
	int64_t healthy[6], down, broken;
	tg_baseline *learnt;
} samples;

static void load_samples(samples *s)
{
	tg_learn_opts lo = TG_LEARN_OPTS_INIT;
	tg_err err = TG_ERR_INIT;
	size_t used, i;
	char dir[512];
	const char *p = dir;

	memset(s, 0, sizeof(*s));
	s->st = th_store_memory();
	for (i = 0; i < 6; i++) {
		char name[32];
		snprintf(dir, sizeof(dir), "%s/runs/healthy-%zu", TG_SAMPLES,
			 i + 1);
		snprintf(name, sizeof(name), "healthy-%zu", i + 1);
		s->healthy[i] = import_as(s->st, &p, 1, name);
	}
	assert_int_equal(tg_baseline_learn(&s->learnt, &used, s->st, &lo,
					   &err),
			 0);
	assert_int_equal(used, 6);
	p = SAMPLE("runs/service-down");
	s->down = import_as(s->st, &p, 1, "service-down");
	p = SAMPLE("runs/broken-import");
	s->broken = import_as(s->st, &p, 1, "broken-import");
}

static const char *const e2e[] = {
	"tests/e2e/test_chat.py::test_history_is_ordered",
	"tests/e2e/test_chat.py::test_send_message",
	"tests/e2e/test_chat.py::test_send_twice",
	"tests/e2e/test_golden_path.py::test_golden_path",
};
static const char *const unawaited[] = {
	"tests/e2e/test_async_chat.py::TestChatStream::test_stream_receives_messages",
	"tests/e2e/test_async_chat.py::TestChatStream::test_stream_reconnects",
};

/* Every planted problem of the service-down run is found, with its
 * evidence, and no unit test is accused. */
static void test_analyze__samples_service_down(void **state)
{
	samples s;
	tg_findings *f;
	size_t i;

	(void)state;
	load_samples(&s);
	f = analyze(s.st, s.down, s.learnt, false);
	for (i = 0; i < 4; i++) {
		const tg_finding *m = find(f, "mock_fallback", e2e[i]);
		const tg_finding *fp = find(f, "fast_pass", e2e[i]);
		if (!m || !fp)
			fail_msg("%s: mock_fallback %p, fast_pass %p", e2e[i],
				 (const void *)m, (const void *)fp);
		assert_int_equal(m->severity, TG_SEV_HIGH);
		assert_true(m->nevidence >= 1);
		assert_non_null(strstr(m->evidence[0].text,
				       "falling back to MockClient"));
		assert_string_equal(fp->expected.source, "baseline");
		assert_true(fp->expected.duration > 1.0);
		assert_true(fp->duration < 0.1);
	}
	for (i = 0; i < 2; i++)
		assert_non_null(find(f, "unawaited_coroutine", unawaited[i]));
	/* the honest unit tests: nothing */
	for (i = 0; i < tg_findings_count(f); i++) {
		const tg_finding *x = tg_findings_get(f, i);
		if (x->test && strstr(x->test, "tests/unit/"))
			fail_msg("unit test accused: %s %s", x->kind, x->test);
	}
	assert_int_equal(tg_findings_worst(f), TG_SEV_HIGH);
	tg_findings_free(f);
	/* a healthy run is clean but for the never-awaited tests */
	f = analyze(s.st, s.healthy[5], s.learnt, false);
	assert_int_equal(tg_findings_count(f), 2);
	assert_int_equal(count_kind(f, "unawaited_coroutine"), 2);
	tg_findings_free(f);
	tg_baseline_free(s.learnt);
	tg_store_close(s.st);
}

static void test_analyze__samples_broken_import(void **state)
{
	samples s;
	tg_findings *f;
	const tg_finding *x;

	(void)state;
	load_samples(&s);
	f = analyze(s.st, s.broken, s.learnt, false);
	x = find(f, "import_chain_failure", "tests/e2e/test_golden_path.py");
	assert_non_null(x);
	assert_int_equal(x->severity, TG_SEV_HIGH);
	assert_int_equal(x->nchain, 2);
	assert_string_equal(x->chain[0], "tests/e2e/test_golden_path.py");
	assert_string_equal(x->chain[1], "harness.unified_e2e_harness");
	assert_string_equal(x->missing, "harness.unified_e2e_harness");
	x = find(f, "import_chain_failure", "tests/e2e/test_signup.py");
	assert_non_null(x);
	assert_string_equal(x->missing, "TestEnvironmentConfig");
	assert_string_equal(x->chain[x->nchain - 1],
			    "harness.test_environment_config");
	/* the test that vanished with its module */
	assert_non_null(find(f, "missing_tests",
			     "tests/e2e/test_golden_path.py::test_golden_path"));
	tg_findings_free(f);
	tg_baseline_free(s.learnt);
	tg_store_close(s.st);
}

/* ---- fast_pass: relative and absolute at once ------------------------ */

static void test_analyze__fast_pass_thresholds(void **state)
{
	char x[2048];
	tg_store *st = th_store_memory();
	tg_baseline *b = baseline(
		"{\"tests\": ["
		"{\"match\": \"t/test_a.py::test_slow\", \"expected_duration\": 30},"
		"{\"match\": \"t/test_a.py::test_ms\", \"expected_duration\": 0.008},"
		"{\"match\": \"t/test_a.py::test_min\", \"min_duration\": 5},"
		"{\"match\": \"t/test_a.py::test_near\", \"min_duration\": 5},"
		"{\"match\": \"t/test_a.py::test_subsec\", \"min_duration\": 1},"
		"{\"match\": \"t/test_a.py::test_subsec_near\", \"min_duration\": 1},"
		"{\"match\": \"t/test_a.py::test_fine\", \"expected_duration\": 30},"
		"{\"match\": \"t/test_a.py::test_failed\", \"expected_duration\": 30}"
		"]}");
	int64_t run = import_text(
		st, "r", "fast.xml",
		junit(x, sizeof(x),
		      "<testcase classname=\"t.test_a\" name=\"test_slow\" time=\"0.15\"/>"
		      "<testcase classname=\"t.test_a\" name=\"test_ms\" time=\"0.002\"/>"
		      "<testcase classname=\"t.test_a\" name=\"test_min\" time=\"1.0\"/>"
		      "<testcase classname=\"t.test_a\" name=\"test_near\" time=\"4.5\"/>"
		      "<testcase classname=\"t.test_a\" name=\"test_subsec\" time=\"0.15\"/>"
		      "<testcase classname=\"t.test_a\" name=\"test_subsec_near\" time=\"0.5\"/>"
		      "<testcase classname=\"t.test_a\" name=\"test_fine\" time=\"29\"/>"
		      "<testcase classname=\"t.test_a\" name=\"test_failed\" time=\"0.1\">"
		      "<failure message=\"boom\"/></testcase>"));
	tg_findings *f = analyze(st, run, b, false);
	const tg_finding *slow = find(f, "fast_pass", "t/test_a.py::test_slow");

	(void)state;
	assert_non_null(slow); /* 30 s expected, 0.15 s: the brief's case */
	assert_int_equal(slow->severity, TG_SEV_HIGH);
	assert_null(find(f, "fast_pass", "t/test_a.py::test_ms")); /* 6 ms */
	assert_non_null(find(f, "fast_pass", "t/test_a.py::test_min"));
	assert_int_equal(find(f, "fast_pass", "t/test_a.py::test_min")->severity,
			 TG_SEV_MEDIUM);
	assert_null(find(f, "fast_pass", "t/test_a.py::test_near")); /* 0.5 s */
	/* a floor under a second: less than a second apart, yet a pass at
	 * a fifth of a floor the baseline states is no rounding (the
	 * README's own example says e2e tests take at least 1 s) */
	assert_non_null(find(f, "fast_pass", "t/test_a.py::test_subsec"));
	assert_null(find(f, "fast_pass", "t/test_a.py::test_subsec_near"));
	assert_null(find(f, "fast_pass", "t/test_a.py::test_fine"));
	assert_null(find(f, "fast_pass", "t/test_a.py::test_failed"));
	tg_findings_free(f);
	tg_baseline_free(b);
	tg_store_close(st);
}

/* History is trusted from five passing runs on, not before. */
static void test_analyze__history_needs_samples(void **state)
{
	char x[1024], name[16];
	tg_store *st = th_store_memory();
	tg_findings *f;
	int64_t run = 0;
	int i;

	(void)state;
	for (i = 0; i < 6; i++) {
		char cases[256];
		/* each run a little different: identical content would be
		 * one run imported again */
		snprintf(cases, sizeof(cases),
			 "<testcase classname=\"t.test_a\" name=\"test_e2e\" "
			 "time=\"%s\"/>",
			 i == 5 ? "0.01" : i == 4 ? "12.5" : i == 3 ? "12.2"
				  : i == 2 ? "12.1" : i == 1 ? "11.9" : "12");
		snprintf(name, sizeof(name), "r%d", i);
		run = import_text(st, name, "run.xml",
				  junit(x, sizeof(x), cases));
		if (i == 4) {
			/* four earlier runs: not enough, and it says so */
			f = analyze(st, run, NULL, true);
			assert_int_equal(count_kind(f, "fast_pass"), 0);
			/* and JUnit alone leaves Python's warnings out,
			 * and what the passes logged */
			assert_int_equal(tg_findings_notes(f), 3);
			if (!noted(f, "4 earlier runs (5 needed)"))
				fail_msg("note: %s", tg_findings_note(f, 0));
			tg_findings_free(f);
		}
	}
	f = analyze(st, run, NULL, true);
	assert_non_null(find(f, "fast_pass", "t/test_a.py::test_e2e"));
	assert_string_equal(find(f, "fast_pass", "t/test_a.py::test_e2e")
				    ->expected.source,
			    "history");
	assert_int_equal(find(f, "fast_pass", "t/test_a.py::test_e2e")
				 ->expected.samples,
			 5);
	assert_string_equal(tg_findings_basis(f), "history of 5 runs");
	/* the suite's floor is a share of what its runs took: the message
	 * gives the figure a reviewer finds in the history (median 12.1 s),
	 * not the floor as if a run had taken it */
	assert_non_null(find(f, "suite_collapse", "t/**"));
	assert_string_equal(find(f, "suite_collapse", "t/**")->message,
			    "suite 't/**' passed in 0.010 s in all, under 20% "
			    "of the 12.100 s its earlier runs usually took "
			    "(median of 5 runs)");
	tg_findings_free(f);
	tg_store_close(st);
}

/* A suite that lost tests, against history: the message gives what its
 * runs usually held, not the floor the check uses. */
static void test_analyze__history_suite_lost_tests(void **state)
{
	static const char three[] =
		"<testcase classname=\"t.test_a\" name=\"test_1\" time=\"1\"/>"
		"<testcase classname=\"t.test_a\" name=\"test_2\" time=\"1\"/>"
		"<testcase classname=\"t.test_a\" name=\"test_3\" time=\"1\"/>";
	char x[1024], cases[512], name[16];
	tg_store *st = th_store_memory();
	tg_findings *f;
	int64_t run = 0;
	int i;

	(void)state;
	for (i = 0; i < 6; i++) {
		snprintf(cases, sizeof(cases), "%s",
			 i < 5 ? three
			       : "<testcase classname=\"t.test_a\" "
				 "name=\"test_1\" time=\"1\"/>");
		/* the same content twice would be one run: a suite name each */
		snprintf(name, sizeof(name), "r%d", i);
		snprintf(x, sizeof(x), "<testsuite name=\"s%d\">%s</testsuite>",
			 i, cases);
		run = import_text(st, name, "run.xml", x);
	}
	f = analyze(st, run, NULL, true);
	assert_non_null(find(f, "missing_tests", "t/**"));
	assert_string_equal(find(f, "missing_tests", "t/**")->message,
			    "suite 't/**' ran 1 test where its earlier runs "
			    "usually ran 3 (median of 5 runs)");
	assert_int_equal(find(f, "missing_tests", "t/**")->expected.tests, 2);
	tg_findings_free(f);
	tg_store_close(st);
}

/* Import run "r<i>" of one JUnit suite with these cases. */
static void import_case(tg_store *st, int i, const char *cases)
{
	char x[1024], name[16];

	snprintf(name, sizeof(name), "r%d", i);
	import_text(st, name, "run.xml", junit(x, sizeof(x), cases));
}

/* Import one more run, cases, and analyze it with history. */
static tg_findings *analyze_next(tg_store *st, const char *cases)
{
	char x[1024];

	return analyze(st, import_text(st, "next", "run.xml",
				       junit(x, sizeof(x), cases)),
		       NULL, true);
}

#define E2E_FAST "<testcase classname=\"t.test_a\" name=\"test_e2e\" " \
		 "time=\"0.15\"/>"

/* Weeks of a service down, every fixture falling back to a mock and
 * saying so: those fast passes are no expectation.  With them learnt,
 * 0.15 s became the median of a 30 s test and the silent fallback of the
 * next run passed unseen. */
static void test_analyze__history_skips_distrusted_passes(void **state)
{
	static const char *const real =
		"<testcase classname=\"t.test_a\" name=\"test_e2e\" "
		"time=\"%d.5\"><system-out>DEBUG urllib3.connectionpool:"
		"connectionpool.py:230 Starting new HTTP connection (1): "
		"staging:443</system-out></testcase>";
	static const char *const mocked =
		"<testcase classname=\"t.test_a\" name=\"test_e2e\" "
		"time=\"0.1%d\"><system-err>WARNING harness.client:"
		"conftest.py:59 Backend unreachable (ConnectionError); "
		"falling back to MockClient</system-err></testcase>";
	char cases[512];
	tg_store *st = th_store_memory();
	const tg_finding *fp;
	tg_findings *f;
	int i;

	(void)state;
	/* five real runs, then six that fell back and said so */
	for (i = 0; i < 11; i++) {
		snprintf(cases, sizeof(cases), i < 5 ? real : mocked, 30 + i);
		import_case(st, i, cases);
	}
	/* now the fixture falls back without a word */
	f = analyze_next(st, E2E_FAST);
	fp = find(f, "fast_pass", "t/test_a.py::test_e2e");
	if (!fp)
		fail_msg("no fast_pass; basis: %s", tg_findings_basis(f));
	assert_string_equal(fp->expected.source, "history");
	assert_int_equal(fp->expected.samples, 5);
	assert_near(fp->expected.duration, 32.5, 1e-9);
	assert_non_null(strstr(tg_findings_basis(f),
			       "history of 11 runs (6 passes left out"));
	tg_findings_free(f);
	tg_store_close(st);
}

/* A mock in a test's output is no fallback by itself (an e2e test may
 * stub the clock): its passes stay samples, and its fast pass is seen. */
static void test_analyze__history_keeps_passes_with_mocks_on_purpose(void **state)
{
	static const char *const stubbed =
		"<testcase classname=\"t.test_a\" name=\"test_e2e\" "
		"time=\"%d.5\"><system-out>clock = &lt;MagicMock "
		"name='clock' id='1403%d'&gt;</system-out></testcase>";
	char cases[512];
	tg_store *st = th_store_memory();
	const tg_finding *fp;
	tg_findings *f;
	int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		snprintf(cases, sizeof(cases), stubbed, 30 + i, i);
		import_case(st, i, cases);
	}
	f = analyze_next(st, E2E_FAST);
	fp = find(f, "fast_pass", "t/test_a.py::test_e2e");
	if (!fp)
		fail_msg("no fast_pass; basis: %s", tg_findings_basis(f));
	assert_int_equal(fp->expected.samples, 5);
	assert_string_equal(tg_findings_basis(f), "history of 5 runs");
	tg_findings_free(f);
	tg_store_close(st);
}

/* A test whose passes are never learnt from (it fell back to a mock in
 * every run) is still usual: when its module vanishes, that is said. */
static void test_analyze__distrusted_passes_still_count_as_present(void **state)
{
	static const char *const both =
		"<testcase classname=\"t.test_a\" name=\"test_e2e\" "
		"time=\"0.1%d\"><system-err>WARNING falling back to "
		"MockClient</system-err></testcase>"
		"<testcase classname=\"t.test_b\" name=\"test_ok\" "
		"time=\"1\"/>";
	char cases[512];
	tg_store *st = th_store_memory();
	tg_findings *f;
	int i;

	(void)state;
	for (i = 0; i < 6; i++) {
		snprintf(cases, sizeof(cases), both, i);
		import_case(st, i, cases);
	}
	f = analyze_next(st, "<testcase classname=\"t.test_b\" "
			     "name=\"test_ok\" time=\"1\"/>");
	if (!find(f, "missing_tests", "t/test_a.py"))
		fail_msg("the mocked test's module vanished unseen");
	tg_findings_free(f);
	tg_store_close(st);
}

/* A test that passes on a rerun in every run is there every run: when
 * it vanishes, that is said. */
static void test_analyze__flaky_tests_count_as_present(void **state)
{
	char cases[512];
	tg_store *st = th_store_memory();
	tg_findings *f;
	int i;

	(void)state;
	for (i = 0; i < 6; i++) {
		snprintf(cases, sizeof(cases),
			 "<testcase classname=\"t.test_a\" name=\"test_f\" "
			 "time=\"1\"><failure/></testcase>"
			 "<testcase classname=\"t.test_a\" name=\"test_f\" "
			 "time=\"1.%d\"/>"
			 "<testcase classname=\"t.test_b\" name=\"test_ok\" "
			 "time=\"1\"/>",
			 i);
		import_case(st, i, cases);
	}
	f = analyze_next(st, "<testcase classname=\"t.test_b\" "
			     "name=\"test_ok\" time=\"1\"/>");
	if (!find(f, "missing_tests", "t/test_a.py"))
		fail_msg("the flaky test's module vanished unseen");
	tg_findings_free(f);
	tg_store_close(st);
}

/* ---- passes on a rerun -------------------------------------------------- */

/* One suite where each test failed once and passed on its rerun (two
 * testcases of one id, as gotestsum --rerun-fails writes them). */
#define FLAKY(name, first, second)                                            \
	"<testcase classname=\"t.test_e2e\" name=\"" name "\" time=\"30\">"   \
	"<failure message=\"503\"/><system-err>" first "</system-err>"        \
	"</testcase><testcase classname=\"t.test_e2e\" name=\"" name "\" "    \
	"time=\"0.15\"><system-err>" second "</system-err></testcase>"
#define REFUSED "ConnectionRefusedError: [Errno 111] Connection refused"
#define CONNECTED                                                             \
	"DEBUG urllib3.connectionpool:connectionpool.py:230 Starting new "    \
	"HTTP connection (1): staging:443"
#define FELL_BACK "WARNING falling back to MockClient"

/* CI counts a pass on a rerun green, so truegreen judges it: its fast
 * pass and its missing connections as any pass's; a fallback in one of
 * its attempts as worth a look (which attempt is unknown); a connection
 * that failed once and worked on the rerun as nothing at all. */
static void test_analyze__passes_on_a_rerun_are_judged(void **state)
{
	tg_store *st = th_store_memory();
	tg_baseline *b = baseline("{\"tests\": [{\"match\": \"t/test_e2e.py::*\", "
				  "\"min_duration\": 5, \"requires_network\": true}]}");
	const tg_finding *x;
	tg_findings *f;
	char buf[4096];
	int64_t run;

	(void)state;
	run = import_text(
		st, "reruns", "run.xml",
		junit(buf, sizeof(buf),
		      FLAKY("test_fallback", REFUSED, FELL_BACK)
		      FLAKY("test_silent", REFUSED, "")
		      FLAKY("test_nothing", "", "")
		      FLAKY("test_transient", REFUSED, CONNECTED)));
	f = analyze(st, run, b, false);
	/* every one of them passed in 0.15 s against a 5 s minimum */
	x = find(f, "fast_pass", "t/test_e2e.py::test_silent");
	assert_non_null(x);
	assert_non_null(strstr(x->message, "passed on a rerun in 0.150 s"));
	assert_int_equal(count_kind(f, "fast_pass"), 4);
	/* a fallback in some attempt: a look, not an accusation */
	x = find(f, "mock_fallback", "t/test_e2e.py::test_fallback");
	assert_non_null(x);
	assert_int_equal(x->severity, TG_SEV_MEDIUM);
	assert_non_null(strstr(x->message, "passed on a rerun"));
	assert_int_equal(count_kind(f, "mock_fallback"), 1);
	/* refused, then a silent pass: what answered? */
	x = find(f, "no_network_evidence", "t/test_e2e.py::test_silent");
	assert_non_null(x);
	assert_int_equal(x->severity, TG_SEV_MEDIUM);
	assert_non_null(strstr(x->message, "its only connection failed"));
	/* no sign of a connection in any attempt: as for a pass */
	x = find(f, "no_network_evidence", "t/test_e2e.py::test_nothing");
	assert_non_null(x);
	assert_int_equal(x->severity, TG_SEV_HIGH);
	assert_non_null(strstr(x->message, "passed on a rerun without any sign"));
	/* refused once, connected on the rerun: a transient failure */
	assert_null(find(f, "no_network_evidence",
			 "t/test_e2e.py::test_transient"));
	assert_null(find(f, "mock_fallback", "t/test_e2e.py::test_transient"));
	assert_int_equal(count_kind(f, "no_network_evidence"), 2);
	tg_findings_free(f);
	tg_baseline_free(b);
	tg_store_close(st);
}

/* ---- skipped for an outage ---------------------------------------------- */

/* A test that skipped itself because its service did not answer is a
 * green build that ran nothing; a skip for another reason, an xfail, or a
 * test a person said mocks on purpose is not. */
static void test_analyze__skips_for_an_outage(void **state)
{
	tg_store *st = th_store_memory();
	tg_baseline *b = baseline(
		"{\"tests\": [{\"match\": \"t/test_e2e.py::*\", "
		"\"requires_network\": true}, {\"match\": "
		"\"t/test_mock.py::*\", \"requires_network\": false}]}");
	const tg_finding *x;
	tg_findings *f;
	char buf[4096];
	int64_t run;

	(void)state;
	run = import_text(
		st, "junit", "run.xml",
		junit(buf, sizeof(buf),
		      "<testcase classname=\"t.test_e2e\" name=\"test_send\">"
		      "<skipped message=\"ConnectionRefusedError: [Errno 111] "
		      "Connection refused\"/></testcase>"
		      "<testcase classname=\"t.test_other\" name=\"test_x\">"
		      "<skipped>conftest.py:20: backend unreachable, "
		      "skipping</skipped></testcase>"
		      "<testcase classname=\"t.test_e2e\" name=\"test_gpu\">"
		      "<skipped message=\"needs a GPU\"/></testcase>"
		      "<testcase classname=\"t.test_e2e\" name=\"test_xf\">"
		      "<skipped type=\"pytest.xfail\" message=\"staging is "
		      "down\"/></testcase>"
		      "<testcase classname=\"t.test_mock\" name=\"test_m\">"
		      "<skipped message=\"backend unreachable\"/></testcase>"));
	f = analyze(st, run, b, false);
	x = find(f, "outage_skip", "t/test_e2e.py::test_send");
	assert_non_null(x);
	assert_int_equal(x->severity, TG_SEV_HIGH); /* it needs the network */
	assert_true(x->nevidence >= 1);
	x = find(f, "outage_skip", "t/test_other.py::test_x");
	assert_non_null(x);
	assert_int_equal(x->severity, TG_SEV_MEDIUM); /* its need unknown */
	assert_int_equal(count_kind(f, "outage_skip"), 2);
	tg_findings_free(f);

	/* -v names the skipped test and its reason on the progress line */
	run = import_text(
		st, "verbose", "run.log",
		"============ test session starts ============\n"
		"collected 2 items\n\n"
		"t/test_e2e.py::test_recv SKIPPED (service down, skipping) [ 50%]\n"
		"t/test_e2e.py::test_gpu SKIPPED (needs a GPU)             [100%]\n\n"
		"============ 2 skipped in 0.12s ============\n");
	f = analyze(st, run, b, false);
	assert_non_null(find(f, "outage_skip", "t/test_e2e.py::test_recv"));
	assert_int_equal(count_kind(f, "outage_skip"), 1);
	tg_findings_free(f);

	/* without -v only pytest's grouped lines say it: one for the run */
	run = import_text(
		st, "quiet", "run.log",
		"============ test session starts ============\n"
		"collected 13 items\n\n"
		"t/test_e2e.py sssssssssssss                              [100%]\n\n"
		"============ short test summary info ============\n"
		"SKIPPED [12] t/conftest.py:20: backend unreachable, skipping\n"
		"SKIPPED [1] t/test_e2e.py:40: needs a GPU\n"
		"============ 13 skipped in 0.12s ============\n");
	f = analyze(st, run, b, false);
	x = find(f, "outage_skip", NULL);
	assert_non_null(x);
	assert_non_null(strstr(x->message, "12 tests were skipped"));
	assert_int_equal(count_kind(f, "outage_skip"), 1);
	tg_findings_free(f);
	tg_baseline_free(b);
	tg_store_close(st);
}

/*
 * The outage as JVM, Go and Node reports show it: a refused connection in
 * a passing test's output, or as a skip's reason.  None of them says
 * ConnectionRefusedError, and a bare "connection refused" (a TestNG skip
 * after a Selenium config method failed, from the corpus) is all some
 * give.
 */
static void test_analyze__outages_in_other_languages(void **state)
{
	tg_store *st = th_store_memory();
	tg_baseline *b = baseline("{\"tests\": [{\"match\": "
				  "\"com.acme.ChatIT::*\", "
				  "\"requires_network\": true}]}");
	const tg_finding *x;
	tg_findings *f;
	int64_t run;

	(void)state;
	run = import_text(
		st, "polyglot", "run.xml",
		"<testsuites><testsuite name=\"it\">"
		"<testcase classname=\"com.acme.ChatIT\" name=\"testSend\" "
		"time=\"0.15\"><system-out>WARN c.a.ChatClient - "
		"java.net.ConnectException: Connection refused; serving the "
		"canned reply</system-out></testcase>"
		"<testcase classname=\"com.acme.ChatIT\" name=\"testLogin\" "
		"time=\"0\"><skipped message=\"connection refused&#10;Build "
		"info: version: &apos;3.4.0&apos;\"/></testcase>"
		"<testcase classname=\"chat/e2e\" name=\"TestSend\" "
		"time=\"0.01\"><system-out>client.go:42: Get "
		"&quot;http://10.0.0.5/send&quot;: dial tcp 10.0.0.5:443: "
		"connect: connection refused</system-out></testcase>"
		"<testcase classname=\"Chat API\" name=\"sends\" time=\"0\">"
		"<skipped message=\"connect ECONNREFUSED 127.0.0.1:5432\"/>"
		"</testcase>"
		"<testcase classname=\"com.acme.CodecTest\" name=\"testRoundTrip\" "
		"time=\"0.001\"><system-out>connection accepted</system-out>"
		"</testcase>"
		"</testsuite></testsuites>");
	f = analyze(st, run, b, false);
	x = find(f, "mock_fallback", "com.acme.ChatIT::testSend");
	assert_non_null(x);
	assert_int_equal(x->severity, TG_SEV_HIGH);
	x = find(f, "outage_skip", "com.acme.ChatIT::testLogin");
	assert_non_null(x);
	assert_int_equal(x->severity, TG_SEV_HIGH);
	/* their need unknown: a look */
	x = find(f, "mock_fallback", "chat/e2e::TestSend");
	assert_non_null(x);
	assert_int_equal(x->severity, TG_SEV_MEDIUM);
	x = find(f, "outage_skip", "Chat API::sends");
	assert_non_null(x);
	assert_int_equal(x->severity, TG_SEV_MEDIUM);
	assert_int_equal(tg_findings_count(f), 4);
	tg_findings_free(f);
	tg_baseline_free(b);
	tg_store_close(st);
}

/*
 * A fallback said in the run's output but in no test's own: pytest -q
 * groups the warnings of ten or more tests by file and names no test at
 * all, jest-junit keeps a file's console output at its suite.  Both
 * passed as "nothing to distrust".
 */
static void test_analyze__fallbacks_said_outside_any_test(void **state)
{
	tg_store *st = th_store_memory();
	const char *q = FIXTURE("signals/pytest7_warnings_summary_collapsed_ge10.log");
	const char *jest = FIXTURE("signals/jest-junit_suite_errors_console_file.xml");
	tg_baseline *b = baseline("{\"tests\": [{\"match\": \"t/test_unit.py::*\", "
				  "\"requires_network\": false}]}");
	const tg_finding *x;
	tg_findings *f;
	int64_t run;

	(void)state;
	run = import_as(st, &q, 1, "quiet");
	f = analyze(st, run, NULL, false);
	x = find(f, "mock_fallback", NULL);
	assert_non_null(x);
	assert_int_equal(x->severity, TG_SEV_HIGH);
	assert_int_equal(x->nevidence, 1);
	assert_non_null(strstr(x->evidence[0].text, "using mock transport"));
	/* the twelve are known only from the final line */
	assert_int_equal(tg_findings_ran(f), 12);
	assert_true(noted(f, "pytest ran 12 tests and the run names 0"));
	tg_findings_free(f);

	run = import_as(st, &jest, 1, "jest");
	f = analyze(st, run, NULL, false);
	x = find(f, "mock_fallback", NULL);
	assert_non_null(x);
	assert_int_equal(x->severity, TG_SEV_HIGH);
	assert_non_null(strstr(x->evidence[0].text,
			       "falling back to mock client"));
	assert_int_equal(tg_findings_ran(f), -1); /* no pytest session */
	tg_findings_free(f);

	/* passes that mock on purpose: nothing to distrust */
	run = import_text(
		st, "unit", "unit.xml",
		"<testsuite name=\"unit\"><testcase classname=\"t.test_unit\" "
		"name=\"test_a\"/><testcase classname=\"t.test_unit\" "
		"name=\"test_b\"/><system-out>falling back to mock client"
		"</system-out></testsuite>");
	f = analyze(st, run, b, false);
	assert_null(find(f, "mock_fallback", NULL));
	tg_findings_free(f);
	/* the same with their need unknown: worth distrusting */
	f = analyze(st, run, NULL, false);
	assert_non_null(find(f, "mock_fallback", NULL));
	tg_findings_free(f);
	/* nothing passed: no green to distrust */
	run = import_text(st, "red", "red.xml",
			  "<testsuite name=\"e2e\"><testcase classname=\"t.e2e\" "
			  "name=\"test_a\"><failure message=\"503\"/>"
			  "</testcase><system-out>falling back to mock client"
			  "</system-out></testsuite>");
	f = analyze(st, run, NULL, false);
	assert_null(find(f, "mock_fallback", NULL));
	tg_findings_free(f);
	tg_baseline_free(b);
	tg_store_close(st);
}

/* ---- baseline precedence and globs ----------------------------------- */

static void test_analyze__baseline_precedence(void **state)
{
	tg_baseline *b = baseline(
		"{\"tests\": ["
		"{\"match\": \"tests/**\", \"min_duration\": 1},"
		"{\"match\": \"tests/e2e/**\", \"min_duration\": 2},"
		"{\"match\": \"*::test_ws_*\", \"min_duration\": 3},"
		"{\"match\": \"tests/e2e/test_chat.py::test_send\", \"min_duration\": 4},"
		"{\"match\": \"tests/e2e/?est_x.py::t\", \"min_duration\": 5}"
		"]}");

	(void)state;
	assert_true(tg_baseline_find(b, "tests/e2e/test_chat.py::test_send")
			    ->min_duration == 4); /* exact wins */
	assert_true(tg_baseline_find(b, "tests/e2e/test_chat.py::test_recv")
			    ->min_duration == 2); /* more literal wins */
	assert_true(tg_baseline_find(b, "tests/unit/test_u.py::test_a")
			    ->min_duration == 1);
	assert_true(tg_baseline_find(b, "other/test_w.py::test_ws_open")
			    ->min_duration == 3);
	assert_true(tg_baseline_find(b, "tests/e2e/test_x.py::t")
			    ->min_duration == 5);
	assert_null(tg_baseline_find(b, "src/thing.py::test_a"));
	tg_baseline_free(b);
	/* of two entries naming one id, or two patterns as literal, the
	 * earlier wins; exact ids are found among many */
	b = baseline("{\"tests\": ["
		     "{\"match\": \"t/a.py::*\", \"min_duration\": 1},"
		     "{\"match\": \"t/?.py::x\", \"min_duration\": 2},"
		     "{\"match\": \"t/z.py::x\", \"min_duration\": 3},"
		     "{\"match\": \"t/m.py::x\", \"min_duration\": 4},"
		     "{\"match\": \"t/b.py::x\", \"min_duration\": 5},"
		     "{\"match\": \"t/m.py::x\", \"min_duration\": 6},"
		     "{\"match\": \"t/c.py::*\", \"min_duration\": 7},"
		     "{\"match\": \"t/c.py::?\", \"min_duration\": 8}"
		     "]}");
	assert_true(tg_baseline_find(b, "t/m.py::x")->min_duration == 4);
	assert_true(tg_baseline_find(b, "t/z.py::x")->min_duration == 3);
	assert_true(tg_baseline_find(b, "t/b.py::x")->min_duration == 5);
	assert_true(tg_baseline_find(b, "t/a.py::x")->min_duration == 1);
	assert_true(tg_baseline_find(b, "t/q.py::x")->min_duration == 2);
	assert_true(tg_baseline_find(b, "t/c.py::y")->min_duration == 7);
	assert_null(tg_baseline_find(b, "t/m.py::y"));
	assert_true(tg_glob_match("a*b*c", "aXXbYYc"));
	assert_false(tg_glob_match("a*b*c", "aXXbYY"));
	assert_true(tg_glob_match("**", ""));
	tg_baseline_free(b);
}

static void test_analyze__bad_baselines_are_refused(void **state)
{
	static const struct {
		const char *json, *want;
	} c[] = {
		{"[1, 2]", "not a JSON object"},
		{"{\"tests\": [{\"min_duration\": 1}]}", "needs a \"match\""},
		{"{\"tests\": [\n{\"match\": \"a\", \"min_duration\": -1}]}",
		 "entry 'a': \"min_duration\" must be a number >= 0"},
		{"{\"tests\": [{\"match\": \"a\", \"requires_network\": 1}]}",
		 "must be true or false"},
		{"{\"comment\": \"x\"}", "needs a \"tests\" or \"suites\" list"},
		/* a misspelt key would drop its expectation silently */
		{"{\"tests\": [{\"match\": \"a\", \"expected_durration\": 1}]}",
		 "entry 'a': unknown key \"expected_durration\""},
		{"{\"suites\": [{\"match\": \"a\", \"min_test\": 3}]}",
		 "entry 'a': unknown key \"min_test\""},
		{"{\"test\": [], \"suites\": []}", "unknown key \"test\""},
		{"{\"tests\": [{\"match\": \"a\", \"network\": [\"htpp\"]}]}",
		 "entry 'a': unknown network kind \"htpp\""},
		{"{\"suites\": [{\"match\": \"a\", \"min_tests\": 1.5}]}",
		 "entry 'a': \"min_tests\" must be a whole number >= 0"},
		{"{\"truegreen_baseline\": 2, \"tests\": []}",
		 "format 2, newer than the 1 this truegreen reads"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		tg_baseline *b = NULL;
		tg_err err = TG_ERR_INIT;
		assert_int_equal(tg_baseline_parse(&b, "b.json", c[i].json,
						   strlen(c[i].json), &err),
				 TG_EINPUT);
		assert_null(b);
		if (!strstr(err.msg, c[i].want))
			fail_msg("case %zu: %s", i, err.msg);
		assert_string_equal(err.file, "b.json");
	}
	/* what the learner writes and the README documents is read */
	{
		static const char ok[] =
			"{\"truegreen_baseline\": 1, \"origin\": \"x\", "
			"\"comment\": \"why\", \"tests\": [{\"match\": \"a\", "
			"\"min_duration\": 1, \"expected_duration\": 2, "
			"\"spread\": 0.1, \"requires_network\": true, "
			"\"network\": [\"http\", \"websocket\", \"grpc\", "
			"\"redis\", \"postgres\", \"socket\"], \"samples\": 6, "
			"\"network_share\": 1, \"comment\": \"flaky dns\"}], "
			"\"suites\": [{\"match\": \"a\", \"min_tests\": 3, "
			"\"min_duration\": 1, \"samples\": 6, \"comment\": \"\"}]}";
		tg_baseline *b = NULL;
		tg_err err = TG_ERR_INIT;

		if (tg_baseline_parse(&b, "ok.json", ok, strlen(ok), &err))
			fail_msg("%s", err.msg);
		assert_int_equal(tg_baseline_test_get(b, 0)->nnetwork, 6);
		tg_baseline_free(b);
	}
}

/* A baseline none of whose test entries matches a test of the run (its
 * patterns written for other ids) checks nothing: the report says so
 * rather than passing the run on it. */
static void test_analyze__baseline_matching_nothing_is_said(void **state)
{
	char x[1024];
	tg_store *st = th_store_memory();
	tg_baseline *b = baseline("{\"tests\": [{\"match\": \"tests/e2e/**\", "
				  "\"min_duration\": 1}]}");
	int64_t run = import_text(st, "r", "ids.xml",
				  junit(x, sizeof(x),
					"<testcase classname=\"e2e.test_a\" "
					"name=\"test_x\" time=\"0.01\"/>"));
	tg_findings *f = analyze(st, run, b, false);
	size_t i;
	bool said = false;

	(void)state;
	for (i = 0; i < tg_findings_notes(f); i++)
		said = said || strstr(tg_findings_note(f, i),
				      "none of its 1 test entry matches any "
				      "of the run's 2 tests") != NULL;
	assert_true(said);
	tg_findings_free(f);
	tg_baseline_free(b);
	/* one that matches: no such note */
	b = baseline("{\"tests\": [{\"match\": \"e2e/**\", "
		     "\"min_duration\": 2}]}");
	f = analyze(st, run, b, false);
	for (i = 0; i < tg_findings_notes(f); i++)
		assert_null(strstr(tg_findings_note(f, i), "matches any"));
	assert_non_null(find(f, "fast_pass", "e2e/test_a.py::test_x"));
	tg_findings_free(f);
	tg_baseline_free(b);
	tg_store_close(st);
}

/* ---- mock_fallback and no_network_evidence ---------------------------- */

static const char mocked_log[] =
	"============================= test session starts ==========\n"
	"collected 4 items\n"
	"t/test_a.py::test_unit_mock PASSED                [ 25%]\n"
	"t/test_a.py::test_e2e_mock PASSED                 [ 50%]\n"
	"t/test_a.py::test_fallback_logic PASSED           [ 75%]\n"
	"t/test_a.py::test_real PASSED                     [100%]\n"
	"==================================== PASSES ================\n"
	"_______________________ test_unit_mock _____________________\n"
	"----------------------------- Captured stdout call ---------\n"
	"<MagicMock name='client' id='140121783161744'>\n"
	"_______________________ test_e2e_mock ______________________\n"
	"----------------------------- Captured stdout call ---------\n"
	"<MagicMock name='client' id='140121783161745'>\n"
	"_______________________ test_fallback_logic ________________\n"
	"------------------------------ Captured log call -----------\n"
	"WARNING  app:a.py:3 backend down, falling back to mock client\n"
	"_______________________ test_real __________________________\n"
	"------------------------------ Captured log call -----------\n"
	"DEBUG    urllib3.connectionpool:connectionpool.py:230 Starting new HTTP connection (1): 127.0.0.1:8080\n"
	"========================= 4 passed in 1.00s ================\n";

/* Mock objects alone accuse no one; a test that needs real services and
 * answered through a mock is accused; a person's "mocks on purpose"
 * silences even a fallback message. */
static void test_analyze__mock_fallback_precision(void **state)
{
	tg_store *st = th_store_memory();
	int64_t run = import_text(st, "r", "mocked.log", mocked_log);
	tg_findings *f = analyze(st, run, NULL, false);
	tg_baseline *b;

	(void)state;
	assert_null(find(f, "mock_fallback", "t/test_a.py::test_unit_mock"));
	assert_null(find(f, "mock_fallback", "t/test_a.py::test_e2e_mock"));
	assert_non_null(find(f, "mock_fallback", "t/test_a.py::test_fallback_logic"));
	assert_null(find(f, "mock_fallback", "t/test_a.py::test_real"));
	tg_findings_free(f);
	b = baseline("{\"tests\": ["
		     "{\"match\": \"*::test_e2e_*\", \"requires_network\": true},"
		     "{\"match\": \"*::test_real\", \"requires_network\": true},"
		     "{\"match\": \"*::test_fallback_logic\", \"requires_network\": false}"
		     "]}");
	f = analyze(st, run, b, false);
	assert_null(find(f, "mock_fallback", "t/test_a.py::test_unit_mock"));
	assert_non_null(find(f, "mock_fallback", "t/test_a.py::test_e2e_mock"));
	assert_null(find(f, "mock_fallback", "t/test_a.py::test_fallback_logic"));
	/* no_network_evidence: test_e2e_mock lacks network lines, but the
	 * mock finding says it better; test_real has them */
	assert_null(find(f, "no_network_evidence", "t/test_a.py::test_real"));
	tg_findings_free(f);
	tg_baseline_free(b);
	tg_store_close(st);
}

static void test_analyze__no_network_evidence(void **state)
{
	static const char log[] =
		"============================= test session starts =====\n"
		"t/test_a.py::test_quiet PASSED                [ 50%]\n"
		"t/test_a.py::test_real PASSED                 [100%]\n"
		"==================================== PASSES ===========\n"
		"_______________________ test_real _____________________\n"
		"------------------------------ Captured log call ------\n"
		"DEBUG    urllib3.connectionpool:connectionpool.py:230 Starting new HTTP connection (1): 127.0.0.1:8080\n"
		"========================= 2 passed in 1.00s ===========\n";
	char x[1024];
	tg_store *st = th_store_memory();
	tg_baseline *b = baseline("{\"tests\": [{\"match\": \"t/**\", "
				  "\"requires_network\": true}]}");
	int64_t run = import_text(st, "r", "quiet.log", log);
	tg_findings *f = analyze(st, run, b, false);

	(void)state;
	assert_non_null(find(f, "no_network_evidence", "t/test_a.py::test_quiet"));
	assert_null(find(f, "no_network_evidence", "t/test_a.py::test_real"));
	tg_findings_free(f);
	tg_baseline_free(b);
	/* which kind: test_real reached http, not the websocket it needs */
	b = baseline("{\"tests\": [{\"match\": \"t/**\", "
		     "\"requires_network\": true, \"network\": [\"websocket\"]}]}");
	f = analyze(st, run, b, false);
	assert_non_null(find(f, "no_network_evidence", "t/test_a.py::test_real"));
	assert_int_equal(find(f, "no_network_evidence", "t/test_a.py::test_real")
				 ->severity,
			 TG_SEV_MEDIUM);
	tg_findings_free(f);
	tg_baseline_free(b);
	b = baseline("{\"tests\": [{\"match\": \"t/**\", "
		     "\"requires_network\": true, \"network\": [\"http\"]}]}");
	f = analyze(st, run, b, false);
	assert_null(find(f, "no_network_evidence", "t/test_a.py::test_real"));
	tg_findings_free(f);
	/* a JUnit XML without logs proves nothing: a note, no finding */
	run = import_text(st, "x", "nolog.xml",
			  junit(x, sizeof(x),
				"<testcase classname=\"t.test_a\" "
				"name=\"test_quiet\" time=\"1\"/>"));
	f = analyze(st, run, b, false);
	assert_int_equal(count_kind(f, "no_network_evidence"), 0);
	/* and Python's warnings, and what the passes logged */
	assert_int_equal(tg_findings_notes(f), 3);
	assert_true(noted(f, "carries network evidence"));
	tg_findings_free(f);
	tg_baseline_free(b);
	tg_store_close(st);
}

/* A socket-level record (truegreen record) is ground truth once it shows
 * it saw the tests: a test that needs real services and has no
 * connection in it is then a finding citing the record, even where no
 * log line of the run shows network.  A record with no connection of any
 * test cannot tell "none connected" from "the recorder could not see
 * them" (a containerized runner): a note that says both, no accusation. */
static void test_analyze__socket_record_proves_absence(void **state)
{
	static const char header[] =
		"{\"truegreen_netlog\":1,\"started\":\"2026-11-23T10:00:00Z\","
		"\"command\":\"pytest\"}\n";
	static const char one[] =
		"{\"truegreen_netlog\":1,\"pid\":3,\"tid\":3,"
		"\"test\":\"t/test_a.py::test_real\",\"op\":\"connect\","
		"\"fd\":5,\"family\":\"inet\",\"addr\":\"10.0.0.1\","
		"\"port\":80,\"loopback\":false,\"result\":\"ok\"}\n";
	char x[1024], both[1024], xml[512], rec[512];
	const char *paths[2] = {xml, rec};
	tg_store *st = th_store_memory();
	tg_baseline *b = baseline("{\"tests\": [{\"match\": \"t/**\", "
				  "\"requires_network\": true}]}");
	const tg_finding *g;
	tg_findings *f;
	int64_t run;

	(void)state;
	junit(x, sizeof(x),
	      "<testcase classname=\"t.test_a\" name=\"test_quiet\" "
	      "time=\"1\"/><testcase classname=\"t.test_a\" "
	      "name=\"test_real\" time=\"1\"/>");
	/* (th_write_tmp's path is its own buffer, reused by the next call) */
	snprintf(xml, sizeof(xml), "%s", th_write_tmp("sock.xml", x, strlen(x)));
	/* the record holds no connection of any test: it cannot tell */
	snprintf(rec, sizeof(rec), "%s",
		 th_write_tmp("empty.netlog.jsonl", header, strlen(header)));
	run = import_as(st, paths, 2, "mocked");
	f = analyze(st, run, b, false);
	assert_int_equal(count_kind(f, "no_network_evidence"), 0);
	/* and Python's warnings, and what the passes logged */
	assert_int_equal(tg_findings_notes(f), 3);
	assert_true(noted(f, "empty.netlog.jsonl' holds no connection"));
	assert_true(noted(f, "could not see the test processes"));
	tg_findings_free(f);
	/* one test connected, so the recorder saw the tests: the other is
	 * accused, with the record as its evidence */
	snprintf(both, sizeof(both), "%s%s", header, one);
	snprintf(rec, sizeof(rec), "%s",
		 th_write_tmp("one.netlog.jsonl", both, strlen(both)));
	run = import_as(st, paths, 2, "half");
	f = analyze(st, run, b, false);
	g = find(f, "no_network_evidence", "t/test_a.py::test_quiet");
	assert_non_null(g);
	assert_int_equal(g->severity, TG_SEV_HIGH);
	assert_true(g->nevidence >= 1);
	assert_non_null(strstr(g->evidence[0].source, "one.netlog.jsonl"));
	assert_non_null(strstr(g->evidence[0].text, "no connection attempt"));
	assert_null(find(f, "no_network_evidence", "t/test_a.py::test_real"));
	assert_int_equal(tg_findings_notes(f), 1); /* Python's warnings */
	tg_findings_free(f);
	tg_baseline_free(b);
	tg_store_close(st);
}

/* ---- the kinds that need no baseline --------------------------------- */

static void test_analyze__unawaited_and_its_lookalike(void **state)
{
	const char *p = FIXTURE("pytest/v_rA.log");
	tg_store *st = th_store_memory();
	int64_t run = import_as(st, &p, 1, "r");
	tg_findings *f = analyze(st, run, NULL, false);
	const tg_finding *x = find(
		f, "unawaited_coroutine",
		"tests/test_async_base.py::TestChatE2E::test_send_message");

	(void)state;
	assert_non_null(x);
	assert_int_equal(x->severity, TG_SEV_HIGH);
	assert_true(x->nevidence >= 1);
	/* IsolatedAsyncioTestCase awaits its test: quiet */
	assert_null(find(f, "unawaited_coroutine",
			 "tests/test_async_base.py::TestChatIsolated::test_awaited"));
	assert_int_equal(count_kind(f, "import_chain_failure"), 2);
	tg_findings_free(f);
	tg_store_close(st);
}

/* A test that fails on an import is failing, not a vanished module; a
 * module in a JUnit-only run (a collection error testcase) has vanished. */
/*
 * Whose coroutine went unawaited: the test's own (its body never ran) or
 * one it created (an AsyncMock's call, a helper's) that it never
 * awaited.  Both passes are lies; the message says which, by name, so a
 * reviewer looks at the right line.
 */
static void test_analyze__unawaited_names_whose_coroutine(void **state)
{
	tg_store *st = th_store_memory();
	const tg_finding *x;
	tg_findings *f;
	int64_t run;

	(void)state;
	run = import_text(
		st, "async", "run.xml",
		"<testsuite name=\"pytest\">"
		"<testcase classname=\"t.test_x.TestChatE2E\" "
		"name=\"test_send_message\"><system-err>case.py:579: "
		"RuntimeWarning: coroutine 'TestChatE2E.test_send_message' was "
		"never awaited</system-err></testcase>"
		"<testcase classname=\"t.test_x\" name=\"test_go[fast]\">"
		"<system-err>RuntimeWarning: coroutine 'test_go' was never "
		"awaited</system-err></testcase>"
		"<testcase classname=\"t.test_x\" name=\"test_mock\">"
		"<system-err>test_x.py:46: RuntimeWarning: coroutine "
		"'AsyncMockMixin._execute_mock_call' was never awaited"
		"</system-err></testcase>"
		"<testcase classname=\"t.test_x\" name=\"test_gc\">"
		"<system-err>PytestUnraisableExceptionWarning: Exception ignored "
		"in: &lt;coroutine object helper.&lt;locals&gt;.fetch at "
		"0x7f27631aa1f0&gt;</system-err></testcase>"
		"</testsuite>");
	f = analyze(st, run, NULL, false);
	x = find(f, "unawaited_coroutine",
		 "t/test_x.py::TestChatE2E::test_send_message");
	assert_non_null(x);
	assert_non_null(strstr(x->message, "its async body did not run"));
	x = find(f, "unawaited_coroutine", "t/test_x.py::test_go[fast]");
	assert_non_null(x);
	assert_non_null(strstr(x->message, "its async body did not run"));
	x = find(f, "unawaited_coroutine", "t/test_x.py::test_mock");
	assert_non_null(x);
	assert_int_equal(x->severity, TG_SEV_HIGH);
	assert_non_null(strstr(x->message,
			       "a coroutine it created, "
			       "'AsyncMockMixin._execute_mock_call', was never "
			       "awaited: that call did not run"));
	x = find(f, "unawaited_coroutine", "t/test_x.py::test_gc");
	assert_non_null(x);
	assert_non_null(strstr(x->message, "'helper.<locals>.fetch'"));
	tg_findings_free(f);
	tg_store_close(st);
}

/* pytest's JUnit XML leaves its warnings summary out, so a never-awaited
 * test cannot be seen from it alone: the run says so, until the console
 * log comes with it. */
static void test_analyze__pytest_junit_alone_says_warnings_unseen(void **state)
{
	static const char note[] = "Python's warnings were not checked";
	const char *xml = FIXTURE("junit/pytest7_basic_xunit2.xml");
	const char *both[] = {FIXTURE("pytest/v_rA.xml"),
			      FIXTURE("pytest/v_rA.log")};
	const char *ant = FIXTURE("junit/ant-jenkins.xml");
	tg_store *st = th_store_memory();
	tg_findings *f;

	(void)state;
	f = analyze(st, import_as(st, &xml, 1, "xml"), NULL, false);
	assert_true(noted(f, note));
	tg_findings_free(f);
	f = analyze(st, import_as(st, both, 2, "both"), NULL, false);
	assert_false(noted(f, note));
	tg_findings_free(f);
	f = analyze(st, import_as(st, &ant, 1, "ant"), NULL, false);
	assert_false(noted(f, note));
	tg_findings_free(f);
	tg_store_close(st);
}

static void test_analyze__import_chain_lookalike(void **state)
{
	char x[2048];
	tg_store *st = th_store_memory();
	int64_t run = import_text(
		st, "r", "imp.xml",
		junit(x, sizeof(x),
		      "<testcase classname=\"t.test_a\" name=\"test_optional_dep\" "
		      "time=\"0.1\"><failure message=\"ModuleNotFoundError: No "
		      "module named 'yaml'\">E   ModuleNotFoundError: No module "
		      "named 'yaml'</failure></testcase>"
		      "<testcase classname=\"\" name=\"t.test_b\" time=\"0\">"
		      "<error message=\"collection failure\">E   ImportError: "
		      "cannot import name 'Harness' from 'h.config' "
		      "(/src/h/config.py)</error></testcase>"));
	tg_findings *f = analyze(st, run, NULL, false);

	(void)state;
	assert_null(find(f, "import_chain_failure", "t/test_a.py::test_optional_dep"));
	assert_non_null(find(f, "import_chain_failure", "t/test_b.py"));
	tg_findings_free(f);
	tg_store_close(st);
}

/* A JUnit-only run carries the whole import chain in the collection
 * error's body: the finding has it, as from a console log. */
static void test_analyze__import_chain_from_junit_alone(void **state)
{
	const char *p = FIXTURE("pytest/v_rA.xml");
	tg_store *st = th_store_memory();
	int64_t run = import_as(st, &p, 1, "x");
	tg_findings *f = analyze(st, run, NULL, false);
	const tg_finding *x = find(f, "import_chain_failure",
				   "tests/e2e/test_golden_path.py");

	(void)state;
	assert_non_null(x);
	assert_int_equal(x->nchain, 3);
	assert_string_equal(x->chain[1], "tests.e2e.integration.harness");
	assert_string_equal(x->chain[2], "tests.e2e.test_environment_config");
	assert_string_equal(x->missing, "TestEnvironmentConfig");
	tg_findings_free(f);
	tg_store_close(st);
}

/* The console log, the report-log and the JUnit XML of one session each
 * name the two modules that failed to import: one finding per module,
 * and pytest's collected count compared with the tests less those
 * modules (a module counted once per input would make tests vanish). */
static void test_analyze__collection_errors_once_per_module(void **state)
{
	const char *p[] = {FIXTURE("pytest/v_rA.log"),
			   FIXTURE("pytest/v_rA.jsonl"),
			   FIXTURE("pytest/v_rA.xml")};
	tg_store *st = th_store_memory();
	int64_t run = import_as(st, p, 3, "r");
	tg_findings *f = analyze(st, run, NULL, false);

	(void)state;
	assert_int_equal(count_kind(f, "import_chain_failure"), 2);
	assert_non_null(find(f, "import_chain_failure",
			     "tests/e2e/test_golden_path.py"));
	assert_non_null(find(f, "import_chain_failure",
			     "tests/e2e/test_chat_flow.py"));
	assert_null(find(f, "missing_tests", NULL));
	tg_findings_free(f);
	tg_store_close(st);
}

/* A conftest that failed to import stopped pytest before any test: the
 * finding says so (not "a test module"), and the log is not called cut
 * off for lacking a summary line pytest never prints then. */
static void test_analyze__conftest_import_error(void **state)
{
	const char *p = FIXTURE("pytest/conftest_error.log");
	tg_store *st = th_store_memory();
	int64_t run = import_as(st, &p, 1, "r");
	tg_findings *f = analyze(st, run, NULL, false);
	const tg_finding *x = find(f, "import_chain_failure",
				   "/src/sigs/py/tests_mock/conftest.py");

	(void)state;
	assert_non_null(x);
	assert_int_equal(x->severity, TG_SEV_HIGH);
	assert_non_null(strstr(x->message, "conftest '"));
	assert_non_null(strstr(x->message, "pytest stopped before running"));
	assert_string_equal(x->missing, "http_url");
	assert_int_equal(count_kind(f, "truncated_report"), 0);
	tg_findings_free(f);
	tg_store_close(st);
}

/* A module importorskip skipped at collection: the JUnit XML has it as
 * a testcase, a console log only as a short-summary line.  Either way
 * one medium finding; a skip inside a test is not one. */
static void test_analyze__importorskip_module(void **state)
{
	const char *both[] = {FIXTURE("pytest/importorskip.log"),
			      FIXTURE("pytest/importorskip.xml")};
	tg_store *st = th_store_memory();
	int64_t run = import_as(st, both, 1, "log");
	tg_findings *f = analyze(st, run, NULL, false);
	const tg_finding *x = find(f, "import_chain_failure",
				   "tests_misc/test_importorskip.py");
	size_t i;

	(void)state;
	assert_non_null(x);
	assert_int_equal(x->severity, TG_SEV_MEDIUM);
	assert_int_equal(x->nevidence, 1);
	assert_non_null(strstr(x->evidence[0].text,
			       "could not import 'harness_livehttp_backend'"));
	/* the skipped module is not a test shown as a progress dot */
	for (i = 0; i < tg_findings_notes(f); i++)
		assert_null(strstr(tg_findings_note(f, i), "progress dots"));
	tg_findings_free(f);
	run = import_as(st, both, 2, "both");
	f = analyze(st, run, NULL, false);
	assert_int_equal(count_kind(f, "import_chain_failure"), 1);
	assert_non_null(find(f, "import_chain_failure",
			     "tests_misc/test_importorskip.py"));
	tg_findings_free(f);
	run = import_text(
		st, "in-test", "in_test.log",
		"=================== test session starts ===========\n"
		"collected 2 items / 1 skipped\n"
		"t/test_a.py::test_one PASSED           [ 50%]\n"
		"t/test_a.py::test_yaml SKIPPED (could not import 'yaml')  [100%]\n"
		"=========== short test summary info ===========\n"
		"SKIPPED [1] t/test_b.py:2: could not import 'ldap': No module "
		"named 'ldap'\n"
		"SKIPPED [1] t/test_a.py:9: could not import 'yaml': No module "
		"named 'yaml'\n"
		"=================== 1 passed, 2 skipped in 0.10s ==\n");
	f = analyze(st, run, NULL, false);
	assert_int_equal(count_kind(f, "import_chain_failure"), 1);
	assert_non_null(find(f, "import_chain_failure", "t/test_b.py"));
	assert_null(find(f, "import_chain_failure", "t/test_a.py"));
	tg_findings_free(f);
	tg_store_close(st);
}

static void test_analyze__missing_tests_and_suite_collapse(void **state)
{
	char x[2048];
	tg_store *st = th_store_memory();
	tg_baseline *b = baseline(
		"{\"tests\": [{\"match\": \"t/test_a.py::test_one\"},"
		"{\"match\": \"t/test_a.py::test_gone\"}],"
		" \"suites\": [{\"match\": \"t/**\", \"min_tests\": 3,"
		" \"min_duration\": 10},"
		"{\"match\": \"u/**\", \"min_tests\": 1, \"min_duration\": 1},"
		"{\"match\": \"*/test_u.py::*\", \"min_tests\": 2},"
		"{\"match\": \"*/test_*.py::test_*\", \"min_tests\": 4}]}");
	int64_t run = import_text(
		st, "r", "m.xml",
		junit(x, sizeof(x),
		      "<testcase classname=\"t.test_a\" name=\"test_one\" time=\"1\"/>"
		      "<testcase classname=\"t.test_a\" name=\"test_two\" time=\"1\"/>"
		      "<testcase classname=\"t2.test_b\" name=\"test_three\" time=\"1\"/>"
		      "<testcase classname=\"u.test_u\" name=\"test_u\" time=\"2\"/>"));
	tg_findings *f = analyze(st, run, b, false);

	(void)state;
	assert_non_null(find(f, "missing_tests", "t/test_a.py::test_gone"));
	assert_null(find(f, "missing_tests", "t/test_a.py::test_one"));
	assert_non_null(find(f, "missing_tests", "t/**")); /* 2 < 3 */
	assert_non_null(find(f, "suite_collapse", "t/**")); /* 2 s < 10 s */
	assert_null(find(f, "suite_collapse", "u/**"));
	assert_null(find(f, "missing_tests", "u/**"));
	/* a pattern that starts with a glob looks at every test */
	assert_non_null(find(f, "missing_tests", "*/test_u.py::*")); /* 1 < 2 */
	assert_null(find(f, "missing_tests", "*/test_*.py::test_*")); /* 4 */
	tg_findings_free(f);
	tg_baseline_free(b);
	tg_store_close(st);
}

/* Every finding cites where it can be checked, and so every report has
 * a place to point at: a collapsed suite its passes that fell furthest,
 * at their lines in the report; a suite short of tests the inputs and
 * how many of its tests each holds; a vanished test the inputs searched
 * (and its module as its file, when its id names one); a finding about
 * a test with no other evidence the test's result. */
static void test_analyze__findings_cite_their_evidence(void **state)
{
	char x[4096];
	tg_store *st = th_store_memory();
	tg_baseline *b = baseline(
		"{\"tests\": ["
		"{\"match\": \"t/test_a.py::test_1\", \"expected_duration\": 3},"
		"{\"match\": \"t/test_a.py::test_2\", \"expected_duration\": 9},"
		"{\"match\": \"t/test_a.py::test_3\", \"expected_duration\": 5},"
		"{\"match\": \"t/test_a.py::test_4\", \"expected_duration\": 2},"
		"{\"match\": \"t/test_a.py::test_5\", \"expected_duration\": 8},"
		"{\"match\": \"t/test_a.py::test_6\", \"expected_duration\": 7},"
		"{\"match\": \"t/test_a.py::test_gone\"},"
		"{\"match\": \"com.acme.FooTest::testGone\"}],"
		" \"suites\": [{\"match\": \"t/**\", \"min_tests\": 9,"
		" \"min_duration\": 100}]}");
	int64_t run = import_text(
		st, "r", "cite.xml",
		junit(x, sizeof(x),
		      "\n<testcase classname=\"t.test_a\" name=\"test_1\" time=\"0.5\"/>"
		      "\n<testcase classname=\"t.test_a\" name=\"test_2\" time=\"0.5\"/>"
		      "\n<testcase classname=\"t.test_a\" name=\"test_3\" time=\"0.5\"/>"
		      "\n<testcase classname=\"t.test_a\" name=\"test_4\" time=\"0.5\"/>"
		      "\n<testcase classname=\"t.test_a\" name=\"test_5\" time=\"0.5\"/>"
		      "\n<testcase classname=\"t.test_a\" name=\"test_6\" time=\"0.5\"/>"
		      "\n<testcase classname=\"t.test_a\" name=\"test_7\" time=\"0.5\"/>\n"));
	tg_findings *f = analyze(st, run, b, false);
	const tg_finding *c = find(f, "suite_collapse", "t/**"),
			 *m = find(f, "missing_tests", "t/**"),
			 *gone = find(f, "missing_tests", "t/test_a.py::test_gone"),
			 *java = find(f, "missing_tests",
				      "com.acme.FooTest::testGone"),
			 *fast = find(f, "fast_pass", "t/test_a.py::test_2");
	/* the largest drops first: test_2 (9 s), 5, 6, 3, 1 */
	static const int order[] = {2, 5, 6, 3, 1};
	size_t i;

	(void)state;
	assert_non_null(c);
	assert_int_equal(c->nevidence, 5);
	for (i = 0; i < 5; i++) {
		char want[128];
		snprintf(want, sizeof(want),
			 "'t/test_a.py::test_%d' passed in 0.500 s, where "
			 "about %d.000 s was expected",
			 order[i], order[i] == 2 ? 9 : order[i] == 5 ? 8
							: order[i] == 6 ? 7
							: order[i] == 3 ? 5 : 3);
		assert_string_equal(c->evidence[i].text, want);
		assert_int_equal(c->evidence[i].line, order[i] + 1);
		assert_non_null(strstr(c->evidence[i].source, "cite.xml"));
	}
	assert_non_null(m);
	assert_int_equal(m->nevidence, 1);
	assert_string_equal(m->evidence[0].text,
			    "input 1 of 1 holds 8 tests, 7 of them in 't/**' "
			    "and not skipped");
	assert_non_null(gone);
	assert_string_equal(gone->file, "t/test_a.py");
	assert_int_equal(gone->nevidence, 1);
	assert_string_equal(gone->evidence[0].text,
			    "input 1 of 1 holds 8 tests, and "
			    "'t/test_a.py::test_gone' is not among them");
	assert_non_null(java);
	assert_null(java->file);
	assert_int_equal(java->nevidence, 1);
	assert_non_null(fast);
	assert_int_equal(fast->nevidence, 1);
	assert_string_equal(fast->evidence[0].text,
			    "'t/test_a.py::test_2' passed in 0.500 s");
	assert_int_equal(fast->evidence[0].line, 3);
	tg_findings_free(f);
	tg_baseline_free(b);
	tg_store_close(st);
}

/* A suite floor the baseline states under a second: a fifth of it is a
 * collapse though less than a second apart; half of it is not. */
static void test_analyze__suite_floor_under_a_second(void **state)
{
	static const char *const times[] = {"0.1", "0.4"};
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		char x[1024], c[256];
		tg_store *st = th_store_memory();
		tg_baseline *b = baseline("{\"suites\": [{\"match\": "
					  "\"t/**\", \"min_duration\": 0.8}]}");
		tg_findings *f;

		snprintf(c, sizeof(c),
			 "<testcase classname=\"t.test_a\" name=\"test_x\" "
			 "time=\"%s\"/>",
			 times[i]);
		f = analyze(st, import_text(st, "r", "floor.xml",
					    junit(x, sizeof(x), c)),
			    b, false);
		if (i == 0)
			assert_non_null(find(f, "suite_collapse", "t/**"));
		else
			assert_null(find(f, "suite_collapse", "t/**"));
		tg_findings_free(f);
		tg_baseline_free(b);
		tg_store_close(st);
	}
}

/* A collapsed suite cites the passes that fell, not one that took as long
 * as it always does (a fast unit test in the same directory). */
static void test_analyze__collapse_cites_only_what_fell(void **state)
{
	char x[1024];
	tg_store *st = th_store_memory();
	tg_baseline *b = baseline(
		"{\"tests\": ["
		"{\"match\": \"t/test_a.py::test_slow\", \"expected_duration\": 10},"
		"{\"match\": \"t/test_a.py::test_quick\", \"expected_duration\": 0.001}],"
		" \"suites\": [{\"match\": \"t/**\", \"min_duration\": 8}]}");
	int64_t run = import_text(
		st, "r", "fell.xml",
		junit(x, sizeof(x),
		      "<testcase classname=\"t.test_a\" name=\"test_slow\" time=\"0.1\"/>"
		      "<testcase classname=\"t.test_a\" name=\"test_quick\" time=\"0.001\"/>"));
	tg_findings *f = analyze(st, run, b, false);
	const tg_finding *c = find(f, "suite_collapse", "t/**");

	(void)state;
	assert_non_null(c);
	assert_int_equal(c->nevidence, 1);
	assert_non_null(strstr(c->evidence[0].text, "test_slow"));
	tg_findings_free(f);
	tg_baseline_free(b);
	tg_store_close(st);
}

/* Two inputs with the same tests (a JUnit report and the console log of
 * one pytest invocation): a vanished test cites both as searched. */
static void test_analyze__every_input_searched_is_cited(void **state)
{
	static const char log[] =
		"============================= test session starts "
		"==============================\n"
		"collected 1 item\n\n"
		"t/test_a.py::test_one PASSED                        [100%]\n\n"
		"============================== 1 passed in 0.01s "
		"===============================\n";
	static const char xml[] =
		"<testsuite name=\"pytest\"><testcase classname=\"t.test_a\" "
		"name=\"test_one\" time=\"0.01\"/></testsuite>\n";
	tg_store *st = th_store_memory();
	tg_baseline *b = baseline("{\"tests\": [{\"match\": "
				  "\"t/test_a.py::test_gone\"}]}");
	char xml_path[4096];
	const char *paths[2] = {xml_path, NULL};
	int64_t run;
	tg_findings *f;
	const tg_finding *gone;

	(void)state;
	/* th_write_tmp returns its own buffer: keep the first path */
	snprintf(xml_path, sizeof(xml_path), "%s",
		 th_write_tmp("two.xml", xml, strlen(xml)));
	paths[1] = th_write_tmp("two.log", log, strlen(log));
	run = import_as(st, paths, 2, "two");
	f = analyze(st, run, b, false);
	gone = find(f, "missing_tests", "t/test_a.py::test_gone");
	assert_non_null(gone);
	assert_int_equal(gone->nevidence, 2);
	assert_non_null(strstr(gone->evidence[0].source, "two.xml"));
	assert_non_null(strstr(gone->evidence[1].source, "two.log"));
	assert_string_equal(gone->evidence[1].text,
			    "input 2 of 2 holds 1 test, and "
			    "'t/test_a.py::test_gone' is not among them");
	tg_findings_free(f);
	tg_baseline_free(b);
	tg_store_close(st);
}

/* A baseline naming hundreds of tests one by one (as a learnt one does):
 * each is found by its id, one absent from the run is missing, the
 * others are not. */
static void test_analyze__missing_tests_many_ids(void **state)
{
	tg_buf json = TG_BUF_INIT(64 * 1024), xml = TG_BUF_INIT(64 * 1024);
	tg_store *st = th_store_memory();
	tg_baseline *b;
	tg_findings *f;
	int64_t run;
	int i;

	(void)state;
	tg_buf_adds(&json, "{\"tests\": [");
	tg_buf_adds(&xml, "<testsuite name=\"s\">");
	for (i = 0; i < 500; i++) {
		tg_buf_printf(&json, "%s{\"match\": \"t/test_m.py::test_%03d\"}",
			      i ? "," : "", i);
		if (i != 137)
			tg_buf_printf(&xml,
				      "<testcase classname=\"t.test_m\" "
				      "name=\"test_%03d\" time=\"0.01\"/>",
				      i);
	}
	tg_buf_adds(&json, "]}");
	tg_buf_adds(&xml, "</testsuite>");
	b = baseline(json.ptr);
	run = import_text(st, "r", "m.xml", xml.ptr);
	f = analyze(st, run, b, false);
	assert_int_equal(count_kind(f, "missing_tests"), 1);
	assert_non_null(find(f, "missing_tests", "t/test_m.py::test_137"));
	tg_findings_free(f);
	tg_baseline_free(b);
	tg_store_close(st);
	tg_buf_release(&json);
	tg_buf_release(&xml);
}

/* A marker that matches nothing: pytest collected 18 and deselected all
 * of them, and ran none (exit 5).  A job that lets exit 5 pass is green
 * with nothing tested: a high finding, whatever the history. */
static void test_analyze__every_test_deselected(void **state)
{
	const char *p = FIXTURE("pytest/all_deselected.log");
	tg_store *st = th_store_memory();
	int64_t run = import_as(st, &p, 1, "r");
	tg_findings *f = analyze(st, run, NULL, false);
	const tg_finding *x = find(f, "missing_tests", NULL);

	(void)state;
	assert_non_null(x);
	assert_int_equal(x->severity, TG_SEV_HIGH);
	assert_non_null(strstr(x->message, "deselected every one"));
	assert_int_equal(x->expected.tests, 18);
	tg_findings_free(f);
	/* some deselected, the rest ran: nothing missing */
	run = import_text(st, "some", "some.log",
			  "=================== test session starts ========\n"
			  "collected 3 items / 2 deselected / 1 selected\n"
			  "t/test_a.py::test_one PASSED           [100%]\n"
			  "============ 1 passed, 2 deselected in 0.10s ======\n");
	f = analyze(st, run, NULL, false);
	assert_null(find(f, "missing_tests", NULL));
	tg_findings_free(f);
	tg_store_close(st);
}

/* pytest's own count: collected more than the run holds. */
static void test_analyze__collected_count_drop(void **state)
{
	const char *p = SAMPLE("runs/broken-import/console.log");
	tg_store *st = th_store_memory();
	int64_t run;
	tg_findings *f;
	static const char whole[] =
		"=================== test session starts ===========\n"
		"collected 2 items\n"
		"t/test_a.py::test_one PASSED           [ 50%]\n"
		"t/test_a.py::test_two PASSED           [100%]\n"
		"=================== 2 passed in 0.10s =============\n";

	(void)state;
	run = import_as(st, &p, 1, "broken");
	f = analyze(st, run, NULL, false);
	/* both modules failed: 9 collected, 9 stored besides them */
	assert_null(find(f, "missing_tests", NULL));
	tg_findings_free(f);
	run = import_text(st, "cut", "cut.log",
			  "=================== test session starts ========\n"
			  "collected 1342 items / 10 errors\n"
			  "t/test_a.py::test_one PASSED           [  0%]\n"
			  "=================== 1 passed, 10 errors in 0.10s ==\n");
	f = analyze(st, run, NULL, false);
	assert_non_null(find(f, "missing_tests", NULL));
	assert_int_equal(find(f, "missing_tests", NULL)->count, 1);
	tg_findings_free(f);
	run = import_text(st, "whole", "whole.log", whole);
	f = analyze(st, run, NULL, false);
	assert_int_equal(tg_findings_count(f), 0);
	tg_findings_free(f);
	tg_store_close(st);
}

/* pytest's default output shows results as dots, naming no test: its
 * final line still says every collected test ran, so none is missing
 * (corpus: Asmo1973__pynidus); a note says the tests could not be
 * checked one by one, and how to fix that. */
static void test_analyze__dots_only_log_misses_nothing(void **state)
{
	tg_store *st = th_store_memory();
	tg_findings *f;
	int64_t run;
	size_t i;
	bool noted = false;

	(void)state;
	run = import_text(
		st, "dots", "dots.log",
		"============================= test session starts ====\n"
		"collected 9 items\n\n"
		"tests/test_decorators.py ....                       [ 44%]\n"
		"tests/test_factory.py ....                          [ 88%]\n"
		"tests/test_integration.py .                         [100%]\n\n"
		"============================== 9 passed in 0.37s =====\n");
	f = analyze(st, run, NULL, false);
	assert_null(find(f, "missing_tests", NULL));
	for (i = 0; i < tg_findings_notes(f); i++)
		noted = noted || (strstr(tg_findings_note(f, i), "9 tests") &&
				  strstr(tg_findings_note(f, i), "-v"));
	assert_true(noted);
	tg_findings_free(f);
	/* dots of fewer tests than were collected: some are missing */
	run = import_text(
		st, "short", "short.log",
		"============================= test session starts ====\n"
		"collected 9 items\n\n"
		"tests/test_decorators.py ....                       [ 44%]\n\n"
		"============================== 4 passed in 0.37s =====\n");
	f = analyze(st, run, NULL, false);
	assert_non_null(find(f, "missing_tests", NULL));
	assert_int_equal(find(f, "missing_tests", NULL)->count, 4);
	tg_findings_free(f);
	/* a test that errored in its setup is among the final line's
	 * errors, not its passes or failures: no test is missing (it was
	 * counted as one, a high finding on every such run) */
	run = import_text(
		st, "setup-error", "setup-error.log",
		"============================= test session starts ====\n"
		"collected 3 items\n\n"
		"tests/test_a.py .E.                                 [100%]\n\n"
		"=========================== short test summary info ===\n"
		"ERROR tests/test_a.py::test_b - RuntimeError: setup broke\n"
		"========================= 2 passed, 1 error in 0.37s ==\n");
	f = analyze(st, run, NULL, false);
	assert_null(find(f, "missing_tests", NULL));
	tg_findings_free(f);
	/* -rA without -v names its passes and errors but groups its skips
	 * by line: with as many named as the final line's passes and
	 * skips, the error was left out and the skip taken for missing */
	run = import_text(
		st, "grouped-skip", "grouped-skip.log",
		"============================= test session starts ====\n"
		"collected 3 items\n\n"
		"tests/test_a.py .sE                                 [100%]\n\n"
		"=========================== short test summary info ===\n"
		"PASSED tests/test_a.py::test_a\n"
		"SKIPPED [1] tests/test_a.py:5: needs staging\n"
		"ERROR tests/test_a.py::test_c - RuntimeError: setup broke\n"
		"=============== 1 passed, 1 skipped, 1 error in 0.37s ==\n");
	f = analyze(st, run, NULL, false);
	assert_null(find(f, "missing_tests", NULL));
	tg_findings_free(f);
	tg_store_close(st);
}

/*
 * pytest -x stops after the first failure: the tests it never reached
 * are said to be so, as a medium finding, and not as tests that vanished
 * (a high one, whose message did not say why).  The stop is stored with
 * the session (schema 5).
 */
static void test_analyze__fail_fast_run_says_so(void **state)
{
	tg_store *st = th_store_memory();
	const tg_finding *x;
	tg_findings *f;
	int64_t run;

	(void)state;
	run = import_text(
		st, "x", "x.log",
		"============================= test session starts ====\n"
		"collected 5 items\n\n"
		"tests/test_a.py::test_a PASSED                      [ 20%]\n"
		"tests/test_a.py::test_b FAILED                      [ 40%]\n\n"
		"=========================== short test summary info ===\n"
		"FAILED tests/test_a.py::test_b - AssertionError\n"
		"!!!!!!!!!!!!!!!!!!!!!! stopping after 1 failures !!!!!!!!!!!\n"
		"========================= 1 failed, 1 passed in 0.37s ==\n");
	f = analyze(st, run, NULL, false);
	x = find(f, "missing_tests", NULL);
	assert_non_null(x);
	assert_int_equal(x->severity, TG_SEV_MEDIUM);
	assert_non_null(strstr(x->message, "stopped after 1 failure (-x"));
	assert_non_null(strstr(x->message, "of the 5 items it collected, "
					   "only 2 ran"));
	tg_findings_free(f);
	/* xdist says it its own way */
	run = import_text(
		st, "xdist-x", "xdist-x.log",
		"============================= test session starts ====\n"
		"gw0 [3] / gw1 [3]\n\n"
		"[gw0] [ 33%] FAILED tests/test_a.py::test_b\n"
		"!!!!!!!!!!!!!!!!!!!!!! stopping after 1 failures !!!!!!!!!!!\n"
		"!!!!!! xdist.dsession.Interrupted: stopping after 1 failures "
		"!!!!!!\n"
		"================================ 1 failed in 0.37s ==\n");
	f = analyze(st, run, NULL, false);
	assert_non_null(find(f, "missing_tests", NULL));
	assert_non_null(strstr(find(f, "missing_tests", NULL)->message,
			       "stopped after 1 failure"));
	tg_findings_free(f);
	tg_store_close(st);
}

/*
 * pytest -q names a passing test nowhere but in its warnings summary: an
 * async test that was never awaited is not in the run, and its warning
 * used to go unreported (the incident's own shape, with a quieter log).
 * It is a high finding on that test id, with the warning lines.
 */
static void test_analyze__unawaited_in_a_quiet_log(void **state)
{
	const char *p = FIXTURE("pytest/q.log");
	tg_store *st = th_store_memory();
	const tg_finding *x;
	tg_findings *f;
	int64_t run;

	(void)state;
	run = import_as(st, &p, 1, "quiet");
	f = analyze(st, run, NULL, false);
	x = find(f, "unawaited_coroutine",
		 "tests/test_async_base.py::TestChatE2E::test_send_message");
	assert_non_null(x);
	assert_int_equal(x->severity, TG_SEV_HIGH);
	assert_non_null(strstr(x->message, "progress dots"));
	assert_true(x->nevidence >= 1);
	assert_non_null(find(f, "unawaited_coroutine",
			     "tests/test_async_base.py::TestChatE2E::"
			     "test_receive_message"));
	tg_findings_free(f);
	tg_store_close(st);
}

static void test_analyze__truncated_report(void **state)
{
	static const char cut[] =
		"<testsuite name=\"s\"><testcase classname=\"c\" name=\"a\" "
		"time=\"1\"/><testcase classname=\"c\" name=\"b\" time=\"1\"/>"
		"<testcase classname=\"c\" name=\"c\" ti";
	char x[512];
	tg_store *st = th_store_memory();
	int64_t run = import_text(st, "cut", "cut.xml", cut);
	tg_findings *f = analyze(st, run, NULL, false);

	(void)state;
	assert_non_null(find(f, "truncated_report", NULL));
	/* cut at its end, as a killed job leaves it: medium */
	assert_int_equal(find(f, "truncated_report", NULL)->severity,
			 TG_SEV_MEDIUM);
	tg_findings_free(f);
	run = import_text(st, "whole", "whole.xml",
			  junit(x, sizeof(x),
				"<testcase classname=\"c\" name=\"a\" time=\"1\"/>"));
	f = analyze(st, run, NULL, false);
	assert_null(find(f, "truncated_report", NULL));
	tg_findings_free(f);
	tg_store_close(st);
}

/*
 * A report that breaks in its middle is not a report cut off at its end:
 * megabytes of testcases follow, failures perhaps, unread.  High, not
 * medium: it said "cut off (a killed job?)" and the build passed with a
 * failing test unread.  (A text node past libxml2's 10 MB is read on a
 * second pass now; an attribute value over the guard's limit after it
 * still stops the reader.)
 */
static void test_analyze__report_stopped_in_its_middle(void **state)
{
	static const char head[] =
		"<testsuite name=\"s\"><testcase classname=\"c\" name=\"a\" "
		"time=\"1\"/><testcase classname=\"c\" name=\"big\" "
		"time=\"30\"><failure message=\"boom\"/><system-out>";
	static const char tail[] =
		"</system-out></testcase><testcase classname=\"c\" "
		"name=\"after\" time=\"1\"><failure message=\"x\"/>"
		"</testcase></testsuite>";
	static const char line[] = "DEBUG urllib3 Starting new HTTP connection\n";
	tg_buf doc = TG_BUF_INIT(16u << 20);
	tg_store *st = th_store_memory();
	const tg_finding *t;
	tg_findings *f;
	int64_t run;
	size_t n;

	(void)state;
	tg_buf_adds(&doc, head);
	for (n = 0; n < (11u << 20); n += sizeof(line) - 1)
		tg_buf_adds(&doc, line);
	tg_buf_adds(&doc, "</system-out></testcase><testcase classname=\"c\" "
			  "name=\"wide\" extra=\"");
	for (n = 0; n < (2u << 20); n++)
		tg_buf_addc(&doc, 'w');
	tg_buf_adds(&doc, "\"><system-out>");
	tg_buf_adds(&doc, tail);
	assert_false(doc.failed);
	run = import_as(st, (const char *[]){th_write_tmp("stopped.xml",
							   doc.ptr, doc.len)},
			1, "stopped");
	tg_buf_release(&doc);
	f = analyze(st, run, NULL, false);
	t = find(f, "truncated_report", NULL);
	assert_non_null(t);
	assert_int_equal(t->severity, TG_SEV_HIGH);
	assert_non_null(strstr(t->message, "were not read"));
	tg_findings_free(f);
	tg_store_close(st);
}

/*
 * pytest writes what a passing test logged to its JUnit XML only with
 * junit_logging=all: from the XML alone, a pass's fallback to a mock is
 * unseen, and the report says so.  One pass with output shows the logs
 * are there (and a console log or report-log with the run would show
 * them): no note.
 */
static void test_analyze__unseen_pass_output_is_noted(void **state)
{
	static const char *const docs[] = {
		"<testcase classname=\"t.test_a\" name=\"test_e2e\" "
		"time=\"0.2\"/>",
		"<testcase classname=\"t.test_a\" name=\"test_e2e\" "
		"time=\"0.2\"><system-out>INFO app: sent</system-out>"
		"</testcase>",
	};
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		char x[1024];
		tg_store *st = th_store_memory();
		int64_t run = import_text(st, "r", "out.xml",
					  junit(x, sizeof(x), docs[i]));
		tg_findings *f = analyze(st, run, NULL, false);

		if (i == 0)
			assert_true(noted(f, "what passing tests logged was "
					     "not checked"));
		else
			assert_false(noted(f, "what passing tests logged"));
		tg_findings_free(f);
		tg_store_close(st);
	}
}

/* The same, when what is refused ends within the last 64 KiB of the
 * report: the guard read that far ahead, saw the end, and the stop read
 * as a report cut off at its end (medium). */
static void test_analyze__report_stopped_near_its_end(void **state)
{
	tg_buf doc = TG_BUF_INIT(16u << 20);
	tg_store *st = th_store_memory();
	const tg_finding *t;
	tg_findings *f;
	int64_t run;
	size_t n;

	(void)state;
	tg_buf_adds(&doc, "<testsuite name=\"s\"><testcase classname=\"c\" "
			  "name=\"a\" time=\"1\"/><testcase classname=\"c\" "
			  "name=\"big\" time=\"1\"><system-out>");
	for (n = 0; n < (11u << 20); n++)
		tg_buf_addc(&doc, 'x');
	tg_buf_adds(&doc, "</system-out></testcase><testcase classname=\"c\" "
			  "name=\"b\" time=\"1\"/><testcase classname=\"c\" "
			  "name=\"c\" time=\"1\"/><testcase classname=\"c\" "
			  "name=\"wide\" extra=\"");
	for (n = 0; n < (1u << 20) + 10000; n++)
		tg_buf_addc(&doc, 'w');
	tg_buf_adds(&doc, "\"/></testsuite>");
	assert_false(doc.failed);
	run = import_as(st, (const char *[]){th_write_tmp("near.xml", doc.ptr,
							   doc.len)},
			1, "near");
	tg_buf_release(&doc);
	f = analyze(st, run, NULL, false);
	t = find(f, "truncated_report", NULL);
	assert_non_null(t);
	assert_int_equal(t->severity, TG_SEV_HIGH);
	tg_findings_free(f);
	tg_store_close(st);
}

/* A learnt baseline written out reads back the same. */
static void test_analyze__learnt_baseline_round_trips(void **state)
{
	samples s;
	tg_baseline *again = NULL;
	tg_err err = TG_ERR_INIT;
	const tg_baseline_test *a, *b;
	char *text;

	(void)state;
	load_samples(&s);
	text = tg_baseline_to_json(s.learnt);
	assert_non_null(text);
	assert_int_equal(tg_baseline_parse(&again, "learnt.json", text,
					   strlen(text), &err),
			 0);
	a = tg_baseline_find(s.learnt, e2e[1]);
	b = tg_baseline_find(again, e2e[1]);
	assert_non_null(a);
	assert_non_null(b);
	assert_true(b->expected > 1.4 && b->expected < 1.6);
	assert_true(b->expected - a->expected < 0.001 &&
		    a->expected - b->expected < 0.001);
	assert_int_equal(b->samples, 6);
	assert_int_equal(b->requires_network, 1);
	/* the unit tests never had network: not required, and not "no" */
	assert_int_equal(tg_baseline_find(again,
					  "tests/unit/test_format.py::test_format_message")
				 ->requires_network,
			 -1);
	assert_int_equal(tg_baseline_suite_count(again),
			 tg_baseline_suite_count(s.learnt));
	tg_baseline_text_free(text);
	tg_baseline_free(again);
	tg_baseline_free(s.learnt);
	tg_store_close(s.st);
}

/* A suite per directory, learnt for each of a hundred directories (the
 * directory index grows past its first tables on the way). */
static void test_analyze__learnt_suites_of_many_directories(void **state)
{
	enum { NDIRS = 100, NRUNS = 5 };
	static char xml[64 * 1024];
	tg_store *st = th_store_memory();
	tg_learn_opts lo = TG_LEARN_OPTS_INIT;
	tg_err err = TG_ERR_INIT;
	tg_import_result res;
	tg_baseline *b = NULL;
	size_t used, run, d, k, n, found = 0;

	(void)state;
	for (run = 0; run < NRUNS; run++) {
		/* each run its own bytes: identical content is one run */
		n = (size_t)snprintf(xml, sizeof(xml),
				     "<testsuite name=\"run %zu\">", run);
		for (d = 0; d < NDIRS; d++)
			for (k = 0; k <= d % 3; k++)
				n += (size_t)snprintf(
					xml + n, sizeof(xml) - n,
					"<testcase file=\"d%zu/test_x.py\" "
					"classname=\"d%zu.test_x\" "
					"name=\"test_%zu\" time=\"1\"/>",
					d, d, k);
		n += (size_t)snprintf(xml + n, sizeof(xml) - n, "</testsuite>");
		assert_true(n < sizeof(xml));
		assert_int_equal(th_import1(st, th_write_tmp("dirs.xml", xml, n),
					    &res, &err),
				 0);
	}
	assert_int_equal(tg_baseline_learn(&b, &used, st, &lo, &err), 0);
	assert_int_equal(used, NRUNS);
	assert_int_equal(tg_baseline_suite_count(b), NDIRS);
	for (k = 0; k < tg_baseline_suite_count(b); k++) {
		const tg_baseline_suite *su = tg_baseline_suite_get(b, k);
		unsigned long dir;
		int end = 0;

		assert_int_equal(sscanf(su->match, "d%lu/**%n", &dir, &end), 1);
		assert_int_equal(su->match[end], '\0');
		/* tests: 90% of the usual count; duration: 0.2x the usual */
		assert_int_equal(su->min_tests, (int64_t)((dir % 3 + 1) * 9 / 10));
		assert_true(fabs(su->min_duration - 0.2 * (double)(dir % 3 + 1)) <
			    1e-9);
		assert_int_equal(su->samples, NRUNS);
		found |= dir == NDIRS - 1;
	}
	assert_true(found);
	tg_baseline_free(b);
	tg_store_close(st);
}

/* The kinds reports list (tg_report_kind: SARIF rules, Markdown and
 * health tables) are exactly the kinds the detectors make, each with its
 * help text: a detector added without its kind, or the reverse, fails. */
static void test_analyze__kinds_are_one_list(void **state)
{
	size_t i, k, detectors = 0;

	(void)state;
	for (i = 0; i < tg_detector_count; i++) {
		bool listed = false;
		for (k = 0; k < TG_FINDING_KINDS; k++)
			listed = listed ||
				 strcmp(tg_report_kind(k), tg_detectors[i].kind) == 0;
		if (!listed)
			fail_msg("detector kind %s is not in tg_report_kind",
				 tg_detectors[i].kind);
		detectors++;
	}
	assert_int_equal(detectors, TG_FINDING_KINDS);
	assert_null(tg_report_kind(TG_FINDING_KINDS));
	for (k = 0; k < TG_FINDING_KINDS; k++)
		assert_string_equal(tg_report__help(tg_report_kind(k))->kind,
				    tg_report_kind(k));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_analyze__samples_service_down),
		cmocka_unit_test(test_analyze__samples_broken_import),
		cmocka_unit_test(test_analyze__fast_pass_thresholds),
		cmocka_unit_test(test_analyze__history_needs_samples),
		cmocka_unit_test(test_analyze__history_suite_lost_tests),
		cmocka_unit_test(test_analyze__suite_floor_under_a_second),
		cmocka_unit_test(test_analyze__history_skips_distrusted_passes),
		cmocka_unit_test(test_analyze__passes_on_a_rerun_are_judged),
		cmocka_unit_test(test_analyze__skips_for_an_outage),
		cmocka_unit_test(test_analyze__outages_in_other_languages),
		cmocka_unit_test(test_analyze__fallbacks_said_outside_any_test),
		cmocka_unit_test(test_analyze__history_keeps_passes_with_mocks_on_purpose),
		cmocka_unit_test(test_analyze__distrusted_passes_still_count_as_present),
		cmocka_unit_test(test_analyze__flaky_tests_count_as_present),
		cmocka_unit_test(test_analyze__baseline_precedence),
		cmocka_unit_test(test_analyze__bad_baselines_are_refused),
		cmocka_unit_test(test_analyze__baseline_matching_nothing_is_said),
		cmocka_unit_test(test_analyze__mock_fallback_precision),
		cmocka_unit_test(test_analyze__no_network_evidence),
		cmocka_unit_test(test_analyze__socket_record_proves_absence),
		cmocka_unit_test(test_analyze__unawaited_and_its_lookalike),
		cmocka_unit_test(test_analyze__unawaited_names_whose_coroutine),
		cmocka_unit_test(
			test_analyze__pytest_junit_alone_says_warnings_unseen),
		cmocka_unit_test(test_analyze__import_chain_lookalike),
		cmocka_unit_test(test_analyze__import_chain_from_junit_alone),
		cmocka_unit_test(test_analyze__collection_errors_once_per_module),
		cmocka_unit_test(test_analyze__conftest_import_error),
		cmocka_unit_test(test_analyze__importorskip_module),
		cmocka_unit_test(test_analyze__every_test_deselected),
		cmocka_unit_test(test_analyze__missing_tests_many_ids),
		cmocka_unit_test(test_analyze__missing_tests_and_suite_collapse),
		cmocka_unit_test(test_analyze__findings_cite_their_evidence),
		cmocka_unit_test(test_analyze__every_input_searched_is_cited),
		cmocka_unit_test(test_analyze__collapse_cites_only_what_fell),
		cmocka_unit_test(test_analyze__dots_only_log_misses_nothing),
		cmocka_unit_test(test_analyze__unawaited_in_a_quiet_log),
		cmocka_unit_test(test_analyze__fail_fast_run_says_so),
		cmocka_unit_test(test_analyze__collected_count_drop),
		cmocka_unit_test(test_analyze__truncated_report),
		cmocka_unit_test(test_analyze__report_stopped_in_its_middle),
		cmocka_unit_test(test_analyze__report_stopped_near_its_end),
		cmocka_unit_test(test_analyze__unseen_pass_output_is_noted),
		cmocka_unit_test(test_analyze__learnt_baseline_round_trips),
		cmocka_unit_test(test_analyze__learnt_suites_of_many_directories),
		cmocka_unit_test(test_analyze__kinds_are_one_list),
	};
	tg_err err = TG_ERR_INIT;

	tg_global_init(&err);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
