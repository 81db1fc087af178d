/*
 * detect_evidence.c - the detectors that read evidence: unawaited
 * coroutines, import-chain failures, mock fallbacks and passes without
 * the network they need.
 *
 * Precision first: a unit test that mocks on purpose shows mock objects
 * too, so mock-library markers alone accuse no one; only an explicit
 * fallback message, a failed real connection inside a pass, or a test
 * known to need real services turns them into a finding.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "catalog.h"
#include "detect.h"
#include "err.h"
#include "utf8.h"

/* Attach up to a few evidence rows of signal (and rule prefix) of t. */
static int attach(tg_view *v, tg_draft *d, const tg_vtest *t,
		  const char *signal, const char *rule_prefix)
{
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < t->nev; i++) {
		const tg_vevidence *e = &v->ev[t->ev[i]];
		if (signal && strcmp(e->signal, signal) != 0)
			continue;
		if (rule_prefix &&
		    strncmp(e->rule, rule_prefix, strlen(rule_prefix)) != 0)
			continue;
		rc = tg_draft_evidence(v, d, e->source, e->line, e->rule,
					 e->text);
	}
	return rc;
}

/* ---- unawaited_coroutine ------------------------------------------------ */

/*
 * The coroutine a line names ("coroutine 'Q' was never awaited", or at
 * garbage collection "<coroutine object Q at 0x...>") when it is not
 * test id's own function: Q's last dotted part differs from the id's
 * last "::" part, less its parameters.  *n is its length; NULL when it
 * is the test's own, or the line names none.
 */
static const char *other_coroutine(const char *text, const char *id,
				   size_t *n)
{
	const char *q, *end = NULL, *last, *fn;
	size_t fnlen;

	if ((q = strstr(text, "coroutine '")))
		end = strstr(q += 11, "' was never awaited");
	else if ((q = strstr(text, "<coroutine object ")))
		end = strstr(q += 18, " at 0x");
	if (!end || end == q)
		return NULL;
	for (last = end; last > q && last[-1] != '.'; last--)
		;
	for (fn = id + strlen(id); fn > id && !(fn[-1] == ':' && fn - 1 > id &&
						 fn[-2] == ':');
	     fn--)
		;
	fnlen = strcspn(fn, "[");
	if ((size_t)(end - last) == fnlen && memcmp(last, fn, fnlen) == 0)
		return NULL;
	*n = (size_t)(end - q);
	return q;
}

/*
 * Python tests known from JUnit XML only: pytest (and unittest's XML
 * runners) write "coroutine ... was never awaited", and warnings like
 * "backend unavailable, using mock transport", to the warnings summary
 * or stderr, never to the XML.
 */
static bool python_junit_alone(const tg_view *v, bool passes)
{
	size_t i;

	if (v->pytest_warnings)
		return false;
	for (i = 0; i < v->ntests; i++) {
		const tg_vsource *s;
		if (!strstr(v->tests[i].id, ".py::") ||
		    (passes && !tg_vtest_green(&v->tests[i])))
			continue;
		s = tg_view_source(v, v->tests[i].source);
		if (s && s->junit)
			return true;
	}
	return false;
}

/* An evidence row by its test, then input order. */
typedef struct ev_ref {
	int64_t test;
	size_t i;
} ev_ref;

static int cmp_ev_ref(const void *a, const void *b)
{
	const ev_ref *x = a, *y = b;

	if (x->test != y->test)
		return x->test < y->test ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/*
 * Coroutine evidence on a test the run does not hold.  A log that shows
 * its passes as progress dots (pytest -q) names a passing test nowhere
 * but in its warnings summary, and the failures it names are in the run:
 * such a test most likely passed, without its body having run.  High
 * when the log hid results so, else medium; one finding per test.
 */
static int unawaited_unnamed(tg_view *v)
{
	bool dots = tg_view_ran(v) > (int64_t)v->ntests;
	ev_ref *idx = NULL;
	size_t cap = 0, n = 0, i, k;
	int rc = 0;

	for (i = 0; i < v->nev; i++) {
		const tg_vevidence *e = &v->ev[i];
		if (!e->test_id || tg_view_test(v, e->test))
			continue;
		if (!tg_grow((void **)&idx, &cap, n + 1, sizeof(*idx))) {
			tg_free(idx);
			return tg_err_nomem(v->err);
		}
		idx[n].test = e->test;
		idx[n++].i = i;
	}
	if (n > 1)
		qsort(idx, n, sizeof(*idx), cmp_ev_ref);
	for (i = 0; rc == 0 && i < n; i = k) {
		const tg_vevidence *e = &v->ev[idx[i].i];
		bool body = false;
		tg_draft *d;
		for (k = i; k < n && idx[k].test == e->test; k++)
			body = body ||
			       tg_rule_body_never_ran(v->ev[idx[k].i].rule);
		d = tg_draft_new(
			v, "unawaited_coroutine",
			body && dots ? TG_SEV_HIGH : TG_SEV_MEDIUM, e->test_id,
			"'%s' is not among the run's results (%s), but a "
			"coroutine of it was never awaited: %s",
			e->test_id,
			dots ? "the log showed its passes as progress dots, "
			       "and it is not among the failures it names"
			     : "no input gave its outcome",
			body ? "if it passed, its async body did not run"
			     : "a task it left was never finished");
		for (; rc == 0 && d && i < k; i++) {
			const tg_vevidence *x = &v->ev[idx[i].i];
			rc = tg_draft_evidence(v, d, x->source, x->line, x->rule,
					       x->text);
		}
		if (!d)
			rc = v->err->code;
	}
	tg_free(idx);
	return rc;
}

int tg_detect_unawaited(tg_view *v)
{
	size_t i, k;

	for (i = 0; i < v->ntests; i++) {
		const tg_vtest *t = &v->tests[i];
		bool body = false, leftover = false, own = false;
		const char *other = NULL, *how;
		size_t other_len = 0;
		tg_draft *d;

		for (k = 0; k < t->nev; k++) {
			const tg_vevidence *e = &v->ev[t->ev[k]];
			const char *q;
			size_t n;
			if (strcmp(e->signal, "coroutine") != 0)
				continue;
			if (!tg_rule_body_never_ran(e->rule)) {
				leftover = true;
				continue;
			}
			body = true;
			q = strcmp(e->rule, "coroutine.never-awaited") == 0 ||
					    strcmp(e->rule,
						   "coroutine.unraisable") == 0
				    ? other_coroutine(e->text, t->id, &n)
				    : NULL;
			if (!q)
				own = true;
			else if (!other)
				other = q, other_len = n;
		}
		if (!body && !leftover)
			continue;
		how = t->passed	 ? "passed"
		      : t->flaky ? "passed on a rerun"
				 : t->verdict;
		/* a pass whose body never ran is the lie, and one that never
		 * awaited a call it made did not test it; the rest (a
		 * failing test, a task left pending) is worth a look */
		d = body && !own
			    ? tg_draft_new(
				      v, "unawaited_coroutine",
				      t->passed ? TG_SEV_HIGH : TG_SEV_MEDIUM,
				      t->id,
				      "'%s' %s, but a coroutine it created, "
				      "'%.*s', was never awaited: that call "
				      "did not run",
				      t->id, how,
				      (int)(other_len > 200 ? 200 : other_len),
				      other)
			    : tg_draft_new(
				      v, "unawaited_coroutine",
				      body && t->passed ? TG_SEV_HIGH
				      : body		? TG_SEV_MEDIUM
							: TG_SEV_LOW,
				      t->id,
				      body ? "'%s' %s, but a coroutine of it "
					     "was never awaited: its async "
					     "body did not run"
					   : "'%s' %s and left an asyncio task "
					     "unfinished or unretrieved (it "
					     "may belong to a test that ran "
					     "before it)",
				      t->id, how);
		if (!d)
			return v->err->code;
		tg_draft_observed(d, t->has_duration, t->duration, -1);
		if (attach(v, d, t, "coroutine", NULL))
			return v->err->code;
	}
	if (python_junit_alone(v, false) &&
	    tg_view_note(v,
			 "Python's warnings were not checked: JUnit XML "
			 "leaves them out, and a test's 'coroutine ... was "
			 "never awaited' is one; import pytest's console "
			 "output or --report-log with it, as one run"))
		return v->err->code;
	/* pytest writes a pass's captured log to its JUnit XML only with
	 * junit_logging=all: a fallback a passing test logged is unseen
	 * (unless a socket record that saw the tests connect tells) */
	if (!v->junit_pass_output && !v->socket_saw_tests &&
	    python_junit_alone(v, true) &&
	    tg_view_note(v,
			 "what passing tests logged was not checked: no pass "
			 "in the JUnit XML carries output (pytest writes it "
			 "only with -o junit_logging=all), so a fallback to a "
			 "mock that a passing test logged could not be seen; "
			 "set junit_logging=all, or import the console output "
			 "of pytest -rA or --report-log with it"))
		return v->err->code;
	/* warnings no test could be given */
	for (i = 0; i < v->nev; i++) {
		const tg_vevidence *e = &v->ev[i];
		tg_draft *d;
		if (e->test || strcmp(e->signal, "coroutine") != 0)
			continue;
		d = tg_draft_new(v, "unawaited_coroutine", TG_SEV_MEDIUM, NULL,
				   "a coroutine was never awaited during the "
				   "run, in a test the output does not name");
		if (!d || tg_draft_evidence(v, d, e->source, e->line, e->rule,
					      e->text))
			return v->err->code;
	}
	return unawaited_unnamed(v);
}

/* ---- import_chain_failure ----------------------------------------------- */

/* Whether a collection error's module is a conftest.py, which takes
 * every test under its directory with it, not one module's. */
static bool is_conftest(const char *path)
{
	size_t n = strlen(path);

	return n >= 11 && strcmp(path + n - 11, "conftest.py") == 0 &&
	       (n == 11 || path[n - 12] == '/' || path[n - 12] == '\\');
}

/* The module of a console log's short-summary skip line, "SKIPPED [1]
 * tests/test_x.py:2: could not import 'y': ...": its length from
 * *start, or 0 when text is not of that form. */
static size_t skip_line_module(const char *text, const char **start)
{
	const char *p = strstr(text, "SKIPPED ["), *end;

	if (!p || !(p = strchr(p, ']')) || p[1] != ' ')
		return 0;
	*start = p + 2;
	if (!(end = strstr(*start, ".py:")) ||
	    !isdigit((unsigned char)end[4]))
		return 0;
	return (size_t)(end + 3 - *start);
}

/* Whether the run names a test of module m[0..n): the module itself (a
 * JUnit collection error) or one of its tests, "m::...". */
static bool names_module(const tg_view *v, const char *m, size_t n)
{
	size_t lo, hi;

	for (tg_view_prefix(v, m, n, &lo, &hi); lo < hi; lo++)
		if (v->by_id[lo]->id[n] == '\0' ||
		    strncmp(v->by_id[lo]->id + n, "::", 2) == 0)
			return true;
	return false;
}

typedef struct skip_entry {
	const char *name;       /* into its evidence's text */
	size_t len;
	const tg_vevidence *e;
} skip_entry;

static int cmp_skipped(const void *a, const void *b)
{
	const skip_entry *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->name, y->name, n);

	if (c || x->len != y->len)
		return c ? c : (x->len > y->len) - (x->len < y->len);
	return (x->e > y->e) - (x->e < y->e); /* the first line first */
}

/* A console log names a module that importorskip skipped at collection
 * only in its short summary ("SKIPPED [1] tests/test_x.py:2: could not
 * import ..."), a line of the run.  When pytest counted modules skipped
 * at collection ("collected 3 items / 1 skipped"), each such module the
 * run names no test of vanished the quiet way.  (A skip inside a test
 * leaves the test in the run, and is not one of these.) */
static int skipped_modules(tg_view *v)
{
	skip_entry *m;
	size_t i, n = 0;
	bool counted = false;
	int rc = 0;

	for (i = 0; i < v->nsessions; i++)
		counted = counted || v->sessions[i].collect_skipped > 0;
	if (!counted || !v->nev)
		return 0;
	if (!(m = tg_malloc(v->nev * sizeof(*m))))
		return tg_err_nomem(v->err);
	for (i = 0; i < v->nev; i++) {
		const tg_vevidence *e = &v->ev[i];
		if (e->test || strcmp(e->rule, "import.importorskip") != 0)
			continue;
		m[n].len = skip_line_module(e->text, &m[n].name);
		m[n].e = e;
		n += m[n].len > 0;
	}
	if (n > 1)
		qsort(m, n, sizeof(*m), cmp_skipped);
	for (i = 0; rc == 0 && i < n; i++) {
		tg_draft *d;
		char id[512];

		if ((i > 0 && m[i].len == m[i - 1].len &&
		     memcmp(m[i].name, m[i - 1].name, m[i].len) == 0) ||
		    m[i].len >= sizeof(id) ||
		    names_module(v, m[i].name, m[i].len))
			continue;
		memcpy(id, m[i].name, m[i].len);
		id[m[i].len] = '\0';
		if (tg_view_collect(v, id))
			continue;
		d = tg_draft_new(v, "import_chain_failure", TG_SEV_MEDIUM, id,
				   "'%s' was skipped because an import failed "
				   "(importorskip): its tests did not run",
				   id);
		rc = d ? tg_draft_evidence(v, d, m[i].e->source, m[i].e->line,
					     m[i].e->rule, m[i].e->text)
		       : v->err->code;
	}
	tg_free(m);
	return rc;
}

int tg_detect_import_chain(tg_view *v)
{
	size_t i;

	for (i = 0; i < v->ncollect; i++) {
		const tg_vcollect *c = &v->collect[i];
		char what[600];
		tg_draft *d;

		if (c->missing && c->exc_type &&
		    strcmp(c->exc_type, "ModuleNotFoundError") == 0)
			snprintf(what, sizeof(what), "module '%s' does not exist",
				 c->missing);
		else if (c->missing && c->missing[0])
			snprintf(what, sizeof(what), "'%s' cannot be imported",
				 c->missing);
		else
			snprintf(what, sizeof(what), "%s",
				 c->exc_type ? c->exc_type : "it failed");
		tg_utf8_trim(what); /* a long name is cut, never a character */
		d = tg_draft_new(v, "import_chain_failure", TG_SEV_HIGH,
				   c->test_id,
				   is_conftest(c->test_id)
					   ? "conftest '%s' failed to import, "
					     "so pytest stopped before running "
					     "the tests under it: %s"
					   : "test module '%s' was never "
					     "collected, so none of its tests "
					     "ran: %s",
				   c->test_id, what);
		if (!d ||
		    tg_draft_chain(v, d, (const char *const *)c->chain,
				     c->nchain, c->missing) ||
		    tg_draft_evidence(v, d, c->source, c->line, NULL,
					c->message ? c->message : ""))
			return v->err->code;
	}
	/* a JUnit-only run: the collection error is a test, its evidence
	 * the import lines of its text; importorskip skips are the same
	 * vanishing, quieter */
	for (i = 0; i < v->ntests; i++) {
		const tg_vtest *t = &v->tests[i];
		bool skipped_module = strstr(t->id, "::") == NULL &&
				      tg_view_has(v, t, "import",
						  "import.importorskip");
		/* only a module (a test id without "::") is a collection
		 * error; a test that fails on an import is just failing */
		bool is_module = strstr(t->id, "::") == NULL;
		bool failed_module = is_module && !t->passed &&
				     (tg_view_has(v, t, "import",
						  "import.module-not-found") ||
				      tg_view_has(v, t, "import",
						  "import.cannot-import-name"));
		tg_draft *d;

		if ((!skipped_module && !failed_module) ||
		    tg_view_collect(v, t->id))
			continue;
		d = tg_draft_new(
			v, "import_chain_failure",
			failed_module ? TG_SEV_HIGH : TG_SEV_MEDIUM, t->id,
			failed_module
				? "test module '%s' failed on an import: none "
				  "of its tests ran"
				: "'%s' was skipped because an import failed "
				  "(importorskip): its tests did not run",
			t->id);
		if (!d || attach(v, d, t, "import", NULL))
			return v->err->code;
	}
	return skipped_modules(v);
}

/* ---- mock_fallback ------------------------------------------------------ */

/* What a test's expectation says about its need for real services:
 * 1 needs them, 0 mocks on purpose (a person said so), -1 unknown. */
static int needs_network(const tg_vtest *t)
{
	return t->expect ? t->expect->requires_network : -1;
}

/* Give a test's finding the expectation that applied and what was
 * observed (its duration; no count). */
static void expected_and_observed(tg_view *v, tg_draft *d, const tg_vtest *t)
{
	tg_expectation e;

	tg_view_expectation(v, t, &e);
	tg_draft_expected(d, &e);
	tg_draft_observed(d, t->has_duration, t->duration, -1);
}

/* A pass on a rerun whose attempts' evidence says a mock answered: the
 * evidence of every attempt is the test's, so which attempt fell back is
 * unknown (the failed one may have, and the rerun reached the service).
 * Worth a look, not an accusation; a connection that failed alone is
 * what made it rerun, and says nothing about the pass. */
static int rerun_fallback(tg_view *v, const tg_vtest *t, bool said,
			  bool mocks, tg_draft **d)
{
	*d = NULL;
	if (!said && !(mocks && needs_network(t) == 1))
		return 0;
	*d = tg_draft_new(v, "mock_fallback", TG_SEV_MEDIUM, t->id,
			  said ? "'%s' passed on a rerun, and an attempt of it "
				 "said it fell back to a mock or fake (the "
				 "output does not tell which attempt)"
			       : "'%s' needs real services and passed on a "
				 "rerun, with a mock answering in an attempt "
				 "of it (the output does not tell which)",
			  t->id);
	return *d ? 0 : v->err->code;
}

/*
 * The run's own output said it fell back to a mock, in no test's output:
 * pytest groups the warnings of ten or more tests by file ("tests/x.py:
 * 12 warnings"), and jest-junit, Surefire and Ant keep console output at
 * the suite.  Which passes it touched is unknown, but a pass to distrust
 * is there unless every one of them mocks on purpose (a baseline says
 * so), or nothing passed.  One finding for the run, citing each line.
 */
static int run_fallback(tg_view *v)
{
	bool passes = false, on_purpose = true;
	tg_draft *d = NULL;
	size_t i;

	for (i = 0; i < v->ntests; i++) {
		const tg_vtest *t = &v->tests[i];
		if (!tg_vtest_green(t))
			continue;
		passes = true;
		on_purpose = on_purpose && needs_network(t) == 0;
	}
	/* a log of progress dots names no test; its final line counts */
	passes = passes || (v->ntests == 0 && tg_view_ran(v) > 0);
	if (!passes || (v->ntests && on_purpose))
		return 0;
	for (i = 0; i < v->nev; i++) {
		const tg_vevidence *e = &v->ev[i];
		if (e->test || strcmp(e->signal, "mock") != 0 ||
		    !tg_rule_distrusts_pass(e->signal, e->rule))
			continue;
		if (!d && !(d = tg_draft_new(
				    v, "mock_fallback", TG_SEV_HIGH, NULL,
				    "the run's output says it fell back to a "
				    "mock or fake, but not in which test (a "
				    "warnings summary grouped by file, or a "
				    "suite's output): any test that passed "
				    "may have run against it")))
			return v->err->code;
		if (tg_draft_evidence(v, d, e->source, e->line, e->rule,
				      e->text))
			return v->err->code;
	}
	return 0;
}

int tg_detect_mock_fallback(tg_view *v)
{
	size_t i;

	for (i = 0; i < v->ntests; i++) {
		const tg_vtest *t = &v->tests[i];
		int need = needs_network(t);
		bool said = tg_view_has(v, t, "mock", "app.mock-fallback");
		bool failed_conn = tg_view_has(v, t, "network_failure", NULL);
		bool mocks = tg_view_has(v, t, "mock", NULL);
		tg_severity sev;
		tg_draft *d;

		if (!tg_vtest_green(t) || need == 0)
			continue;
		if (t->flaky) {
			if (rerun_fallback(v, t, said, mocks, &d))
				return v->err->code;
			if (!d)
				continue;
		} else {
			if (said || (failed_conn && need == 1) ||
			    (mocks && need == 1))
				sev = TG_SEV_HIGH;
			else if (failed_conn)
				sev = TG_SEV_MEDIUM; /* unknown need: a look */
			else
				continue;
			d = tg_draft_new(
				v, "mock_fallback", sev, t->id,
				said ? "'%s' passed after its code said it "
				       "fell back to a mock or fake"
				: failed_conn
					? "'%s' passed although a real "
					  "connection it made failed: "
					  "something else answered"
					: "'%s' needs real services but "
					  "passed with a mock answering",
				t->id);
			if (!d)
				return v->err->code;
		}
		expected_and_observed(v, d, t);
		if (attach(v, d, t, "mock", NULL) ||
		    attach(v, d, t, "network_failure", NULL))
			return v->err->code;
	}
	return run_fallback(v);
}

/* ---- outage_skip -------------------------------------------------------- */

/*
 * A test that skipped itself because a service it needs did not answer
 * (a fixture's pytest.skip("backend unreachable"), a refused connection
 * in the skip's message): CI counts the run green although the test
 * never ran.  Only where the skip's own text shows the failed connection,
 * and not for an xfail (an expected failure that failed on a connection
 * says nothing of the run), nor for a test a person said mocks on
 * purpose.
 */
int tg_detect_outage_skip(tg_view *v)
{
	size_t i, named = 0;

	for (i = 0; i < v->ntests; i++) {
		const tg_vtest *t = &v->tests[i];
		int need = needs_network(t);
		tg_draft *d;

		if (strcmp(t->verdict, "skipped") != 0 || need == 0 ||
		    (t->status && strcmp(t->status, "xfail") == 0) ||
		    !tg_view_has(v, t, "network_failure", NULL))
			continue;
		d = tg_draft_new(v, "outage_skip",
				 need == 1 ? TG_SEV_HIGH : TG_SEV_MEDIUM, t->id,
				 "'%s' was skipped because a service it needs "
				 "did not answer: the build is green without "
				 "having run it",
				 t->id);
		if (!d)
			return v->err->code;
		expected_and_observed(v, d, t);
		if (attach(v, d, t, "network_failure", NULL))
			return v->err->code;
		named++;
	}
	/* a log that names no skipped test (no -v) still has pytest's
	 * grouped "SKIPPED [12] tests/e2e/conftest.py:20: backend
	 * unreachable" lines: one finding each, for the run */
	for (i = 0; named == 0 && i < v->nev; i++) {
		const tg_vevidence *e = &v->ev[i];
		unsigned long n;
		tg_draft *d;

		if (e->test || strcmp(e->signal, "network_failure") != 0 ||
		    strncmp(e->text, "SKIPPED [", 9) != 0 ||
		    (n = strtoul(e->text + 9, NULL, 10)) == 0)
			continue;
		d = tg_draft_new(v, "outage_skip", TG_SEV_MEDIUM, NULL,
				 "%lu test%s skipped because a service %s "
				 "did not answer (the log does not name %s): "
				 "the build is green without having run %s",
				 n, n == 1 ? " was" : "s were",
				 n == 1 ? "it needs" : "they need",
				 n == 1 ? "it" : "them", n == 1 ? "it" : "them");
		if (!d || tg_draft_evidence(v, d, e->source, e->line, e->rule,
					      e->text))
			return v->err->code;
	}
	return 0;
}

/* ---- no_network_evidence ------------------------------------------------ */

/* The kind of service a network evidence rule shows: what a baseline's
 * "network": [...] names. */
static const char *kind_of(const char *rule)
{
	static const struct {
		const char *prefix, *kind;
	} map[] = {
		{"urllib3.", "http"},	     {"httpx.", "http"},
		{"httpcore.", "http"},	     {"aiohttp.", "http"},
		{"http.", "http"},	     {"vcr.", "http"},
		{"websockets.", "websocket"}, {"grpc.", "grpc"},
		{"redis.", "redis"},	     {"psycopg", "postgres"},
		{"asyncpg.", "postgres"},    {"truegreen.netlog", "socket"},
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strncmp(rule, map[i].prefix, strlen(map[i].prefix)) == 0)
			return map[i].kind;
	return "other";
}

/* The first kind the baseline requires that t shows no evidence of (a
 * socket record counts for every kind), or NULL. */
static const char *missing_kind(const tg_view *v, const tg_vtest *t)
{
	const tg_baseline_test *b = t->expect;
	size_t k, i;

	for (k = 0; b && k < b->nnetwork; k++) {
		bool seen = false;
		for (i = 0; i < t->nev && !seen; i++) {
			const tg_vevidence *e = &v->ev[t->ev[i]];
			const char *kind;
			if (strcmp(e->signal, "network") != 0)
				continue;
			kind = kind_of(e->rule);
			seen = strcmp(kind, b->network[k]) == 0 ||
			       strcmp(kind, "socket") == 0;
		}
		if (!seen)
			return b->network[k];
	}
	return NULL;
}

int tg_detect_no_network(tg_view *v)
{
	size_t i, needing = 0;
	bool proof;

	for (i = 0; i < v->ntests; i++)
		needing += tg_vtest_green(&v->tests[i]) &&
			   needs_network(&v->tests[i]) == 1;
	if (needing == 0)
		return 0;
	/* Absence proves nothing where the inputs carry no network lines
	 * at all (a default JUnit XML, a log without DEBUG), unless a
	 * socket-level record shows the recorder saw the tests connect. */
	proof = v->socket_record && v->socket_saw_tests;
	if (!v->any_network && !proof && v->socket_record)
		/* none of the tests connected, or the recorder could not see
		 * them (a static or containerized runner): it cannot tell */
		return tg_view_note(
			v,
			"%zu passing test%s real services, and the "
			"socket-level record '%s' holds no connection of any "
			"test: either none connected (every one on a mock?) "
			"or the recorder could not see the test processes (a "
			"statically linked or containerized runner)",
			needing, needing == 1 ? " needs" : "s need",
			v->socket_record);
	if (!v->any_network && !proof)
		return tg_view_note(
			v,
			"%zu passing test%s real services, but no input of "
			"this run carries network evidence: import the "
			"console log with log_level=DEBUG (or a report-log), "
			"or record the run with 'truegreen record', to check "
			"them",
			needing, needing == 1 ? " needs" : "s need");
	for (i = 0; i < v->ntests; i++) {
		const tg_vtest *t = &v->tests[i];
		tg_expectation e;
		tg_draft *d;

		const char *kind = NULL;
		bool failed_conn;

		if (!tg_vtest_green(t) || needs_network(t) != 1)
			continue;
		if (tg_view_has(v, t, "network", NULL)) {
			/* it reached something; was it what it needs? */
			if (!(kind = missing_kind(v, t)))
				continue;
			tg_view_expectation(v, t, &e);
			d = tg_draft_new(
				v, "no_network_evidence", TG_SEV_MEDIUM, t->id,
				"'%s' needs a %s service but passed with network "
				"evidence of other kinds only",
				t->id, kind);
			if (!d)
				return v->err->code;
			tg_draft_expected(d, &e);
			tg_draft_observed(d, t->has_duration, t->duration, 0);
			continue;
		}
		failed_conn = tg_view_has(v, t, "network_failure", NULL);
		/* mock_fallback says it better (for a rerun: when it said
		 * anything, rerun_fallback) */
		if (tg_view_has(v, t, "mock", "app.mock-fallback") ||
		    (failed_conn && !t->flaky) ||
		    (t->flaky && tg_view_has(v, t, "mock", NULL)))
			continue;
		tg_view_expectation(v, t, &e);
		d = tg_draft_new(
			v, "no_network_evidence",
			failed_conn ? TG_SEV_MEDIUM : TG_SEV_HIGH, t->id,
			failed_conn
				? "'%s' needs real services (%s) and passed%s, "
				  "but its only connection failed: what "
				  "answered the rerun?"
				: "'%s' needs real services (%s) but passed%s "
				  "without any sign of a network connection",
			t->id,
			e.source && strcmp(e.source, "history") == 0
				? "it had network evidence in most earlier "
				  "runs"
				: "the baseline says so",
			t->flaky ? " on a rerun" : "");
		if (!d || (proof &&
			   tg_draft_evidence(v, d, v->socket_record, 0, NULL,
					     "the socket-level record of the "
					     "run holds no connection attempt "
					     "of this test")))
			return v->err->code;
		tg_draft_expected(d, &e);
		tg_draft_observed(d, t->has_duration, t->duration, 0);
	}
	return 0;
}
