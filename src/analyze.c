/*
 * analyze.c - load one run into a view, choose each test's expectation,
 * run the detectors, and hold their findings (truegreen/analyze.h).
 *
 * Knows what detectors need and how findings are kept; the detectors
 * themselves are in detect_*.c, the SQL in store_analyze.c.  The whole
 * analysis reads one snapshot of the store.
 */
#include "truegreen/analyze.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "detect.h"
#include "err.h"
#include "store.h"
#include "truegreen/query.h"

/* ---- findings -------------------------------------------------------- */

struct tg_draft {
	tg_finding f;         /* strings below are owned */
	char *kind_s, *test_s, *message_s, *missing_s, *source_s, *pattern_s;
	char *file_s;
	tg_finding_evidence *ev;
	size_t nev, ev_cap;
	char **chain;
	size_t nchain;
};

struct tg_findings {
	tg_draft **v;
	size_t n, cap;
	tg_finding *flat;     /* the public view, built at the end */
	char **notes;
	size_t nnotes, notes_cap;
	char *basis;
	int64_t ran;          /* tg_findings_ran() */
};

/* At most this many lines of evidence per finding: enough to verify it,
 * not a copy of the log. */
#define TG_FINDING_EVIDENCE 5u

static char *dup_s(const char *s)
{
	size_t n;
	char *d;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	if ((d = tg_malloc(n)))
		memcpy(d, s, n);
	return d;
}

static void draft_free(tg_draft *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->nev; i++) {
		tg_free((char *)d->ev[i].source);
		tg_free((char *)d->ev[i].rule);
		tg_free((char *)d->ev[i].text);
	}
	for (i = 0; i < d->nchain; i++)
		tg_free(d->chain[i]);
	tg_free(d->chain);
	tg_free(d->ev);
	tg_free(d->kind_s);
	tg_free(d->test_s);
	tg_free(d->message_s);
	tg_free(d->missing_s);
	tg_free(d->source_s);
	tg_free(d->pattern_s);
	tg_free(d->file_s);
	tg_free(d);
}

void tg_findings_free(tg_findings *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++)
		draft_free(f->v[i]);
	for (i = 0; i < f->nnotes; i++)
		tg_free(f->notes[i]);
	tg_free(f->notes);
	tg_free(f->v);
	tg_free(f->flat);
	tg_free(f->basis);
	tg_free(f);
}

tg_draft *tg_draft_new(tg_view *v, const char *kind, tg_severity sev,
			 const char *test, const char *fmt, ...)
{
	tg_findings *f = v->out;
	tg_draft *d;
	tg_buf msg = TG_BUF_INIT(SIZE_MAX); /* whole: ids run to 16 KiB */
	va_list ap;

	va_start(ap, fmt);
	tg_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (!tg_grow((void **)&f->v, &f->cap, f->n + 1, sizeof(*f->v)) ||
	    !(d = tg_calloc(1, sizeof(*d)))) {
		tg_buf_release(&msg);
		tg_err_nomem(v->err);
		return NULL;
	}
	d->kind_s = dup_s(kind);
	d->test_s = dup_s(test);
	d->message_s = tg_buf_detach(&msg);
	tg_buf_release(&msg); /* what a failed format left */
	if (!d->kind_s || !d->message_s || (test && !d->test_s)) {
		draft_free(d);
		tg_err_nomem(v->err);
		return NULL;
	}
	d->f.severity = sev;
	d->f.count = -1;
	f->v[f->n++] = d;
	return d;
}

void tg_draft_observed(tg_draft *d, bool has_duration, double duration,
			 int64_t count)
{
	d->f.has_duration = has_duration;
	d->f.duration = duration;
	d->f.count = count;
}

void tg_draft_expected(tg_draft *d, const tg_expectation *e)
{
	d->f.expected = *e;
	tg_free(d->source_s);
	tg_free(d->pattern_s);
	d->source_s = dup_s(e->source);
	d->pattern_s = dup_s(e->pattern);
}

int tg_draft_evidence(tg_view *v, tg_draft *d, const char *source,
			int64_t line, const char *rule, const char *text)
{
	tg_finding_evidence *e;
	size_t i;

	if (d->nev >= TG_FINDING_EVIDENCE)
		return 0;
	/* the same line from another input of the run (log and XML) shows
	 * nothing new: once is enough */
	for (i = 0; i < d->nev; i++)
		if (strcmp(d->ev[i].text, text ? text : "") == 0)
			return 0;
	if (!tg_grow((void **)&d->ev, &d->ev_cap, d->nev + 1, sizeof(*d->ev)))
		return tg_err_nomem(v->err);
	e = &d->ev[d->nev];
	e->source = dup_s(source ? source : "");
	e->line = line;
	e->rule = dup_s(rule);
	e->text = dup_s(text ? text : "");
	d->nev++;
	if (!e->source || !e->text || (rule && !e->rule))
		return tg_err_nomem(v->err);
	return 0;
}

int tg_draft_evidencef(tg_view *v, tg_draft *d, const char *source,
			 int64_t line, const char *rule, const char *fmt, ...)
{
	tg_buf text = TG_BUF_INIT(SIZE_MAX); /* whole: ids run to 16 KiB */
	va_list ap;
	int rc;

	va_start(ap, fmt);
	tg_buf_vprintf(&text, fmt, ap);
	va_end(ap);
	rc = text.failed ? tg_err_nomem(v->err)
			 : tg_draft_evidence(v, d, source, line, rule, text.ptr);
	tg_buf_release(&text);
	return rc;
}

int tg_draft_chain(tg_view *v, tg_draft *d, const char *const *chain,
		     size_t n, const char *missing)
{
	size_t i;

	if (n && !(d->chain = tg_calloc(n, sizeof(*d->chain))))
		return tg_err_nomem(v->err);
	for (i = 0; i < n; i++) {
		if (!(d->chain[i] = dup_s(chain[i])))
			return tg_err_nomem(v->err);
		d->nchain++;
	}
	d->missing_s = dup_s(missing);
	return missing && !d->missing_s ? tg_err_nomem(v->err) : 0;
}

int tg_view_note(tg_view *v, const char *fmt, ...)
{
	tg_findings *f = v->out;
	tg_buf msg = TG_BUF_INIT(SIZE_MAX);
	va_list ap;
	char *s;

	va_start(ap, fmt);
	tg_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	s = tg_buf_detach(&msg);
	tg_buf_release(&msg); /* what a failed format left */
	if (!s || !tg_grow((void **)&f->notes, &f->notes_cap, f->nnotes + 1,
			   sizeof(*f->notes))) {
		tg_free(s);
		return tg_err_nomem(v->err);
	}
	f->notes[f->nnotes++] = s;
	return 0;
}

const char *tg_severity_str(tg_severity s)
{
	static const char *const names[] = {"none", "low", "medium", "high"};

	return s <= TG_SEV_HIGH ? names[s] : "?";
}

bool tg_severity_parse(const char *s, tg_severity *out)
{
	int i;

	for (i = TG_SEV_NONE; i <= TG_SEV_HIGH; i++)
		if (strcmp(s, tg_severity_str((tg_severity)i)) == 0) {
			*out = (tg_severity)i;
			return true;
		}
	return false;
}

size_t tg_findings_count(const tg_findings *f)
{
	return f->n;
}

const tg_finding *tg_findings_get(const tg_findings *f, size_t i)
{
	return i < f->n ? &f->flat[i] : NULL;
}

void tg_findings_summary(const tg_findings *f, size_t out[4])
{
	size_t i;

	memset(out, 0, 4 * sizeof(*out));
	for (i = 0; i < f->n; i++)
		out[f->flat[i].severity]++;
}

tg_severity tg_findings_worst(const tg_findings *f)
{
	return f->n ? f->flat[0].severity : TG_SEV_NONE;
}

size_t tg_findings_notes(const tg_findings *f)
{
	return f->nnotes;
}

const char *tg_findings_note(const tg_findings *f, size_t i)
{
	return i < f->nnotes ? f->notes[i] : NULL;
}

int64_t tg_findings_ran(const tg_findings *f)
{
	return f->ran;
}

const char *tg_findings_basis(const tg_findings *f)
{
	return f->basis ? f->basis : "none";
}

static int cmp_draft(const void *a, const void *b)
{
	const tg_draft *x = *(tg_draft *const *)a, *y = *(tg_draft *const *)b;
	int c;

	if (x->f.severity != y->f.severity)
		return x->f.severity > y->f.severity ? -1 : 1;
	if ((c = strcmp(x->kind_s, y->kind_s)) != 0)
		return c;
	return strcmp(x->test_s ? x->test_s : "", y->test_s ? y->test_s : "");
}

static int cmp_vtest_id(const void *a, const void *b)
{
	return strcmp((*(tg_vtest *const *)a)->id, (*(tg_vtest *const *)b)->id);
}

/* The length of the Python module a test id or module names
 * ("t/test_a.py::test_x", "t/test_a.py"), or 0. */
static size_t py_module(const char *id)
{
	const char *sep = strstr(id, "::");
	size_t n = sep ? (size_t)(sep - id) : strlen(id);

	if (strpbrk(id, "*?") || n <= 3 || memcmp(id + n - 3, ".py", 3) != 0)
		return 0;
	return n;
}

/* A finding with nothing else to show cites its test's result where the
 * run's input holds it, or, for a test that is not there, the inputs
 * that were searched: every finding can be checked, and every report
 * has a place to point at (GitHub refuses SARIF with a result that has
 * none). */
static int cite(tg_view *v, tg_draft *d, const tg_vtest *hit)
{
	const tg_vsource *in[TG_FINDING_EVIDENCE];
	size_t n, i;

	if (hit && hit->has_duration)
		return tg_draft_evidencef(v, d,
					  tg_view_source_path(v, hit->source),
					  hit->report_line, NULL,
					  "'%s' %s in %.3f s", hit->id,
					  hit->verdict, hit->duration);
	if (hit)
		return tg_draft_evidencef(v, d,
					  tg_view_source_path(v, hit->source),
					  hit->report_line, NULL, "'%s' %s",
					  hit->id, hit->verdict);
	/* each input by its number: two that hold as many tests (a JUnit
	 * report and its console log) are two lines, not one repeated */
	n = tg_view_inputs(v, in, TG_FINDING_EVIDENCE);
	for (i = 0; i < n; i++)
		if (tg_draft_evidencef(
			    v, d, in[i]->path, 0, NULL,
			    "input %zu of %zu holds %zu test%s%s%s%s",
			    (size_t)(in[i] - v->sources) + 1, v->nsources,
			    in[i]->ntests, in[i]->ntests == 1 ? "" : "s",
			    d->test_s ? ", and '" : "",
			    d->test_s ? d->test_s : "",
			    d->test_s ? "' is not among them" : ""))
			return v->err->code;
	return 0;
}

/* Give each finding about a test its source file and line (reports
 * point at them; a module's finding points at the module), and evidence
 * to every finding that has none. */
static int locate(tg_view *v)
{
	tg_findings *f = v->out;
	size_t i;

	for (i = 0; i < f->n; i++) {
		tg_draft *d = f->v[i];
		tg_vtest *hit = d->test_s ? tg_view_find(v, d->test_s) : NULL;
		size_t n = d->test_s ? py_module(d->test_s) : 0;

		if (hit && hit->file) {
			if (!(d->file_s = dup_s(hit->file)))
				return tg_err_nomem(v->err);
			d->f.line = hit->line;
		} else if (n) {
			if (!(d->file_s = tg_malloc(n + 1)))
				return tg_err_nomem(v->err);
			memcpy(d->file_s, d->test_s, n);
			d->file_s[n] = '\0';
		}
		if (d->nev == 0 && cite(v, d, hit))
			return v->err->code;
	}
	return 0;
}

/* Order worst first and build the public array over the drafts. */
static int flatten(tg_findings *f, tg_err *err)
{
	size_t i;

	if (f->n > 1)
		qsort(f->v, f->n, sizeof(*f->v), cmp_draft);
	if (f->n && !(f->flat = tg_calloc(f->n, sizeof(*f->flat))))
		return tg_err_nomem(err);
	for (i = 0; i < f->n; i++) {
		tg_draft *d = f->v[i];
		tg_finding *o = &f->flat[i];
		*o = d->f;
		o->kind = d->kind_s;
		o->test = d->test_s;
		o->message = d->message_s;
		o->missing = d->missing_s;
		o->file = d->file_s;
		o->expected.source = d->source_s;
		o->expected.pattern = d->pattern_s;
		o->evidence = d->ev;
		o->nevidence = d->nev;
		o->chain = (const char *const *)d->chain;
		o->nchain = d->nchain;
	}
	return 0;
}

/* ---- the view ---------------------------------------------------------- */

static int cmp_vtest(const void *a, const void *b)
{
	int64_t x = ((const tg_vtest *)a)->test, y = ((const tg_vtest *)b)->test;

	return (x > y) - (x < y);
}

tg_vtest *tg_view_test(const tg_view *v, int64_t test)
{
	tg_vtest key;

	memset(&key, 0, sizeof(key));
	key.test = test;
	if (!v->ntests)
		return NULL;
	return bsearch(&key, v->tests, v->ntests, sizeof(*v->tests), cmp_vtest);
}

tg_vtest *tg_view_find(const tg_view *v, const char *test_id)
{
	size_t lo = 0, hi = v->ntests;

	while (lo < hi) { /* test ids are unique: any hit is the one */
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v->by_id[mid]->id, test_id);
		if (c == 0)
			return v->by_id[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool tg_view_has(const tg_view *v, const tg_vtest *t, const char *signal,
		 const char *rule)
{
	size_t i;

	for (i = 0; i < t->nev; i++) {
		const tg_vevidence *e = &v->ev[t->ev[i]];
		if (strcmp(e->signal, signal) == 0 &&
		    (!rule || strcmp(e->rule, rule) == 0))
			return true;
	}
	return false;
}

void tg_view_expectation(const tg_view *v, const tg_vtest *t,
			 tg_expectation *out)
{
	const tg_baseline_test *b = t->expect;

	memset(out, 0, sizeof(*out));
	if (!b)
		return;
	out->source = t->expect_source;
	out->pattern = b->match;
	out->has_duration = b->has_expected || b->has_min_duration;
	out->min_duration = b->has_min_duration ? b->min_duration : 0;
	out->duration = b->has_expected ? b->expected : 0;
	out->spread = b->spread;
	out->samples = b->samples;
	out->requires_network = b->requires_network == 1;
	out->network_share = b->network_share;
	(void)v;
}

static void collect_release(tg_vcollect *c)
{
	size_t k;

	for (k = 0; k < c->nchain; k++)
		tg_free(c->chain[k]);
	tg_free(c->chain);
	tg_free(c->test_id);
	tg_free(c->exc_type);
	tg_free(c->missing);
	tg_free(c->message);
	tg_free(c->source);
	memset(c, 0, sizeof(*c));
}

static void view_release(tg_view *v)
{
	size_t i;

	for (i = 0; i < v->ntests; i++) {
		tg_free(v->tests[i].id);
		tg_free(v->tests[i].verdict);
		tg_free(v->tests[i].status);
		tg_free(v->tests[i].file);
		tg_free(v->tests[i].ev);
	}
	tg_free(v->by_id);
	for (i = 0; i < v->nev; i++) {
		tg_free(v->ev[i].signal);
		tg_free(v->ev[i].rule);
		tg_free(v->ev[i].source);
		tg_free(v->ev[i].text);
		tg_free(v->ev[i].test_id);
	}
	for (i = 0; i < v->ncollect; i++)
		collect_release(&v->collect[i]);
	tg_free(v->collect_by_id);
	for (i = 0; i < v->nsessions; i++)
		tg_free(v->sessions[i].source);
	for (i = 0; i < v->nsources; i++)
		tg_free(v->sources[i].path);
	tg_free(v->tests);
	tg_free(v->ev);
	tg_free(v->collect);
	tg_free(v->sessions);
	tg_free(v->sources);
	tg_free(v->held);
	tg_baseline_free(v->history);
}

static int load_test(const tg_run_test *t, void *payload)
{
	tg_view *v = payload;
	tg_vtest *o;

	if (!tg_grow((void **)&v->tests, &v->tests_cap, v->ntests + 1,
		     sizeof(*v->tests)))
		return tg_err_nomem(v->err);
	o = &v->tests[v->ntests++];
	memset(o, 0, sizeof(*o));
	o->test = t->test;
	o->id = dup_s(t->test_id ? t->test_id : "");
	o->verdict = dup_s(t->verdict ? t->verdict : "");
	o->status = dup_s(t->status);
	o->passed = tg_store__run_test_passed(t);
	o->flaky = tg_store__run_test_rerun_pass(t);
	o->has_duration = t->has_duration;
	o->duration = t->duration;
	o->file = dup_s(t->file);
	o->line = t->line;
	o->source = t->source;
	o->report_line = t->report_line;
	if (!o->id || !o->verdict || (t->status && !o->status) ||
	    (t->file && !o->file))
		return tg_err_nomem(v->err);
	return 0;
}

static int load_evidence(const tg_run_evidence *e, void *payload)
{
	tg_view *v = payload;
	tg_vevidence *o;

	if (!tg_grow((void **)&v->ev, &v->ev_cap, v->nev + 1, sizeof(*v->ev)))
		return tg_err_nomem(v->err);
	o = &v->ev[v->nev++];
	o->test = e->test;
	o->line = e->line;
	o->signal = dup_s(e->signal ? e->signal : "");
	o->rule = dup_s(e->rule ? e->rule : "");
	o->source = dup_s(e->source ? e->source : "");
	o->text = dup_s(e->text ? e->text : "");
	o->test_id = NULL;
	if (!o->signal || !o->rule || !o->source || !o->text)
		return tg_err_nomem(v->err);
	if (e->test_id && strcmp(o->signal, "coroutine") == 0 &&
	    !(o->test_id = dup_s(e->test_id)))
		return tg_err_nomem(v->err);
	if (strcmp(o->signal, "network") == 0 && o->test)
		v->any_network = true;
	/* a connection (made or refused) the recorder gave to a test */
	if (strncmp(o->rule, "truegreen.netlog", 16) == 0 && o->test)
		v->socket_saw_tests = true;
	return 0;
}

/* "["a","b"]" into an array of strings. */
static int parse_chain(tg_view *v, tg_vcollect *c, const char *json)
{
	cJSON *doc = json ? cJSON_Parse(json) : NULL;
	const cJSON *m;
	int n = cJSON_GetArraySize(doc);

	if (n > 0 && !(c->chain = tg_calloc((size_t)n, sizeof(*c->chain)))) {
		cJSON_Delete(doc);
		return tg_err_nomem(v->err);
	}
	cJSON_ArrayForEach(m, doc)
	{
		if (!cJSON_IsString(m))
			continue;
		if (!(c->chain[c->nchain] = dup_s(m->valuestring))) {
			cJSON_Delete(doc);
			return tg_err_nomem(v->err);
		}
		c->nchain++;
	}
	cJSON_Delete(doc);
	return 0;
}

static int load_collect(const tg_collect_info *ci, void *payload)
{
	tg_view *v = payload;
	tg_vcollect *c;

	if (!tg_grow((void **)&v->collect, &v->collect_cap, v->ncollect + 1,
		     sizeof(*v->collect)))
		return tg_err_nomem(v->err);
	c = &v->collect[v->ncollect++];
	memset(c, 0, sizeof(*c));
	c->test_id = dup_s(ci->test_id);
	c->exc_type = dup_s(ci->exc_type);
	c->missing = dup_s(ci->missing);
	c->message = dup_s(ci->message);
	c->source = dup_s(ci->source);
	c->line = ci->line;
	if (!c->test_id || !c->source)
		return tg_err_nomem(v->err);
	return parse_chain(v, c, ci->chain);
}

static int load_session(const tg_run_session *s, void *payload)
{
	tg_view *v = payload;
	tg_vsession *o;

	if (!tg_grow((void **)&v->sessions, &v->sessions_cap, v->nsessions + 1,
		     sizeof(*v->sessions)))
		return tg_err_nomem(v->err);
	o = &v->sessions[v->nsessions++];
	o->source = dup_s(s->source ? s->source : "");
	o->collected = s->collected;
	o->collect_errors = s->collect_errors;
	o->deselected = s->deselected;
	o->interrupted = s->interrupted;
	o->line = s->line;
	o->ran = s->ran;
	o->errors = s->errors;
	o->stopped_after = s->stopped_after;
	o->collect_skipped = s->collect_skipped;
	return o->source ? 0 : tg_err_nomem(v->err);
}

static int load_held(int64_t test, int64_t source, void *payload)
{
	tg_view *v = payload;

	if (!tg_grow((void **)&v->held, &v->held_cap, v->nheld + 1,
		     sizeof(*v->held)))
		return tg_err_nomem(v->err);
	v->held[v->nheld].test = test;
	v->held[v->nheld].source = source;
	v->nheld++;
	return 0;
}

/* The run's inputs come in id order: tg_view_source searches them. */
static int load_source(const tg_run_source *s, void *payload)
{
	tg_view *v = payload;
	tg_vsource *o;

	if (!tg_grow((void **)&v->sources, &v->sources_cap, v->nsources + 1,
		     sizeof(*v->sources)))
		return tg_err_nomem(v->err);
	o = &v->sources[v->nsources++];
	o->id = s->id;
	o->path = dup_s(s->path ? s->path : "");
	o->cut_at = s->truncated_at;
	o->stopped_at = s->stopped_at;
	o->ntests = 0;
	if (!o->path)
		return tg_err_nomem(v->err);
	if (!v->socket_record && s->format && strcmp(s->format, "netlog") == 0)
		v->socket_record = o->path;
	o->junit = s->format && strcmp(s->format, "junit") == 0;
	v->pytest_warnings = v->pytest_warnings ||
			     (s->format && (strcmp(s->format, "pytest") == 0 ||
					    strcmp(s->format, "reportlog") == 0));
	return 0;
}

int64_t tg_view_ran(const tg_view *v)
{
	int64_t ran = -1;
	size_t i;

	for (i = 0; i < v->nsessions; i++)
		if (v->sessions[i].ran >= 0)
			ran = (ran < 0 ? 0 : ran) + v->sessions[i].ran;
	return ran;
}

void tg_view_prefix(const tg_view *v, const char *prefix, size_t n,
		    size_t *lo, size_t *hi)
{
	size_t a = 0, b = v->ntests;

	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (strncmp(v->by_id[mid]->id, prefix, n) < 0)
			a = mid + 1;
		else
			b = mid;
	}
	for (b = a; b < v->ntests && strncmp(v->by_id[b]->id, prefix, n) == 0;
	     b++)
		;
	*lo = a;
	*hi = b;
}

static int cmp_vsource(const void *a, const void *b)
{
	int64_t x = ((const tg_vsource *)a)->id, y = ((const tg_vsource *)b)->id;

	return (x > y) - (x < y);
}

tg_vsource *tg_view_source(const tg_view *v, int64_t source)
{
	tg_vsource key;

	memset(&key, 0, sizeof(key));
	key.id = source;
	if (!v->nsources)
		return NULL;
	return bsearch(&key, v->sources, v->nsources, sizeof(*v->sources),
		       cmp_vsource);
}

const char *tg_view_source_path(const tg_view *v, int64_t source)
{
	const tg_vsource *s = tg_view_source(v, source);

	return s ? s->path : "";
}

size_t tg_view_inputs(const tg_view *v, const tg_vsource **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < v->nsources && n < max; i++)
		if (v->sources[i].ntests > 0 ||
		    (n == 0 && i + 1 == v->nsources))
			out[n++] = &v->sources[i];
	return n;
}

static int run_totals(const tg_run_info *r, void *payload)
{
	tg_view *v = payload;

	v->run_tests = (int64_t)r->counts.tests;
	v->run_duration = r->counts.duration;
	return 0;
}

static int cmp_held(const void *a, const void *b)
{
	const tg_vheld *x = a, *y = b;

	if (x->test != y->test)
		return (x->test > y->test) - (x->test < y->test);
	return (x->source > y->source) - (x->source < y->source);
}

static void count_in(tg_view *v, int64_t source)
{
	tg_vsource *s = tg_view_source(v, source);

	if (s)
		s->ntests++;
}

/* How many of the run's tests each input holds a result of: the
 * deciding results' inputs, and the others', each (test, input) once
 * (a JUnit report and the console log of the same tests both hold all
 * of them; a rerun in one file is one test). */
static void count_held(tg_view *v)
{
	size_t i, n = 0;

	if (v->nheld > 1)
		qsort(v->held, v->nheld, sizeof(*v->held), cmp_held);
	for (i = 0; i < v->nheld; i++) {
		const tg_vheld *h = &v->held[i];
		const tg_vtest *t = tg_view_test(v, h->test);
		if ((n && h->test == v->held[n - 1].test &&
		     h->source == v->held[n - 1].source) ||
		    (t && t->source == h->source))
			continue;
		v->held[n++] = *h;
	}
	v->nheld = n;
	for (i = 0; i < v->ntests; i++)
		count_in(v, v->tests[i].source);
	for (i = 0; i < v->nheld; i++)
		count_in(v, v->held[i].source);
}

/* Order the tests by number and by id, give each evidence row to its
 * test, and count the tests each input holds. */
static int index_tests(tg_view *v)
{
	size_t i;

	if (v->ntests > 1)
		qsort(v->tests, v->ntests, sizeof(*v->tests), cmp_vtest);
	if (v->ntests &&
	    !(v->by_id = tg_malloc(v->ntests * sizeof(*v->by_id))))
		return tg_err_nomem(v->err);
	for (i = 0; i < v->ntests; i++)
		v->by_id[i] = &v->tests[i];
	if (v->ntests > 1)
		qsort(v->by_id, v->ntests, sizeof(*v->by_id), cmp_vtest_id);
	for (i = 0; i < v->nev; i++) {
		tg_vtest *t = v->ev[i].test ? tg_view_test(v, v->ev[i].test)
					    : NULL;
		if (!t)
			continue;
		if (!tg_grow((void **)&t->ev, &t->ev_cap, t->nev + 1,
			     sizeof(*t->ev)))
			return tg_err_nomem(v->err);
		t->ev[t->nev++] = i;
	}
	count_held(v);
	return 0;
}

/* Collection errors by module, then input order (entries are one array,
 * so their addresses are their order). */
static int cmp_collect(const void *a, const void *b)
{
	const tg_vcollect *x = *(tg_vcollect *const *)a,
			  *y = *(tg_vcollect *const *)b;
	int c = strcmp(x->test_id, y->test_id);

	return c ? c : (x > y) - (x < y);
}

static void sort_collect(tg_view *v)
{
	size_t i;

	for (i = 0; i < v->ncollect; i++)
		v->collect_by_id[i] = &v->collect[i];
	if (v->ncollect > 1)
		qsort(v->collect_by_id, v->ncollect, sizeof(*v->collect_by_id),
		      cmp_collect);
}

/* The same module from several inputs (log and report-log) is one
 * collection error, its first; then index them by module.  Sorting, not
 * a scan per row: a log can hold tens of thousands of them. */
static int index_collect(tg_view *v)
{
	size_t i, n = 0;

	if (!v->ncollect)
		return 0;
	if (!(v->collect_by_id =
		      tg_malloc(v->ncollect * sizeof(*v->collect_by_id))))
		return tg_err_nomem(v->err);
	sort_collect(v);
	for (i = v->ncollect - 1; i > 0; i--)
		if (strcmp(v->collect_by_id[i]->test_id,
			   v->collect_by_id[i - 1]->test_id) == 0)
			collect_release(v->collect_by_id[i]); /* test_id NULL */
	for (i = 0; i < v->ncollect; i++)
		if (v->collect[i].test_id)
			v->collect[n++] = v->collect[i];
	v->ncollect = n;
	sort_collect(v);
	return 0;
}

tg_vcollect *tg_view_collect(const tg_view *v, const char *test_id)
{
	size_t lo = 0, hi = v->ncollect;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v->collect_by_id[mid]->test_id, test_id);
		if (c == 0)
			return v->collect_by_id[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int load(tg_view *v, tg_store *st)
{
	if (tg_store__run_tests(st, v->run, load_test, v, v->err) ||
	    tg_store__run_evidence(st, v->run, load_evidence, v, v->err) ||
	    tg_collection_errors_each(st, v->run, load_collect, v, v->err) ||
	    tg_store__run_sessions(st, v->run, load_session, v, v->err) ||
	    tg_store__run_sources(st, v->run, load_source, v, v->err) ||
	    tg_store__run_pass_output(&v->junit_pass_output, st, v->run,
				      v->err) ||
	    tg_store__run_other_results(st, v->run, load_held, v, v->err) ||
	    tg_run_get(st, v->run, run_totals, v, v->err))
		return v->err->code ? v->err->code : TG_EDB;
	return index_tests(v) ? v->err->code : index_collect(v);
}

/* Give each test its expectation: the file's entry, else history's (when
 * it has enough samples to say anything).  Returns how many the baseline
 * file gave. */
static size_t choose_expectations(tg_view *v)
{
	size_t i, from_file = 0;

	for (i = 0; i < v->ntests; i++) {
		tg_vtest *t = &v->tests[i];
		const tg_baseline_test *b =
			v->file ? tg_baseline_find(v->file, t->id) : NULL;

		if (b) {
			t->expect = b;
			t->expect_source = "baseline";
			from_file++;
		} else if (v->history &&
			   (b = tg_baseline_find(v->history, t->id)) &&
			   (b->has_expected || b->requires_network == 1)) {
			t->expect = b;
			t->expect_source = "history";
		}
	}
	return from_file;
}

/* A baseline file whose test entries match none of the run's tests was
 * written for other ids (another layout, a JUnit classname form): it
 * checks nothing, which must not pass for a clean bill. */
static int note_unmatched(tg_view *v, size_t from_file)
{
	size_t n = v->file ? tg_baseline_test_count(v->file) : 0;

	if (n == 0 || from_file > 0 || v->ntests == 0)
		return 0;
	return tg_view_note(v,
			    "the baseline '%s' checked nothing: none of its "
			    "%zu test entr%s matches any of the run's %zu "
			    "test%s (compare its patterns with the ids "
			    "'truegreen tests' lists)",
			    tg_baseline_origin(v->file), n,
			    n == 1 ? "y" : "ies", v->ntests,
			    v->ntests == 1 ? "" : "s");
}

static int learn_history(tg_view *v, tg_store *st, const tg_analyze_opts *o)
{
	tg_learn_opts lo = TG_LEARN_OPTS_INIT;
	unsigned min = o->min_samples ? o->min_samples : 5;
	int rc;

	lo.before_run = v->run;
	lo.runs = o->history_runs;
	lo.where = o->where;
	lo.where_count = o->where_count;
	lo.min_samples = o->min_samples;
	lo.network_share = o->network_share;
	if ((rc = tg_baseline_learn(&v->history, &v->history_runs, st, &lo,
				    v->err)))
		return rc;
	if (v->history_runs >= min)
		return 0;
	tg_baseline_free(v->history);
	v->history = NULL;
	if (!v->file) {
		tg_buf w = TG_BUF_INIT(SIZE_MAX);
		tg_store__where_text(&w, o->where, o->where_count);
		rc = tg_view_note(v,
				  "no baseline and %zu earlier run%s%s (%u "
				  "needed): durations and network needs were "
				  "not checked; give --baseline FILE or import "
				  "more runs",
				  v->history_runs,
				  v->history_runs == 1 ? "" : "s",
				  w.failed ? "" : w.ptr, min);
		tg_buf_release(&w);
		return rc;
	}
	return 0;
}

int tg_analyze(tg_findings **out, tg_store *st, int64_t run_id,
	       const tg_analyze_opts *opts, tg_err *err)
{
	tg_analyze_opts dflt = TG_ANALYZE_OPTS_INIT;
	tg_view v;
	tg_findings *f;
	size_t i;
	int rc;

	*out = NULL;
	if (!opts)
		opts = &dflt;
	if (!(f = tg_calloc(1, sizeof(*f))))
		return tg_err_nomem(err);
	memset(&v, 0, sizeof(v));
	v.run = run_id;
	v.opts = opts;
	v.out = f;
	v.err = err;
	v.file = opts->baseline;
	rc = tg_store__begin_read(st, err);
	if (rc == 0)
		rc = load(&v, st);
	if (rc == 0 && opts->use_history)
		rc = learn_history(&v, st, opts);
	tg_store__rollback(st); /* ends the read snapshot */
	if (rc == 0)
		rc = note_unmatched(&v, choose_expectations(&v));
	if (rc == 0) {
		for (i = 0; rc == 0 && i < tg_detector_count; i++)
			rc = tg_detectors[i].run(&v);
	}
	f->ran = tg_view_ran(&v);
	if (rc == 0) {
		/* whole: a baseline's origin is its file name */
		tg_buf basis = TG_BUF_INIT(SIZE_MAX);
		tg_buf_printf(&basis, "%s%s%s",
			      v.file ? tg_baseline_origin(v.file) : "",
			      v.file && v.history ? ", then " : "",
			      v.history ? tg_baseline_origin(v.history)
					: v.file ? "" : "none");
		if (!(f->basis = tg_buf_detach(&basis)))
			rc = tg_err_nomem(err);
		tg_buf_release(&basis);
	}
	if (rc == 0)
		rc = locate(&v);
	if (rc == 0)
		rc = flatten(f, err);
	view_release(&v);
	if (rc) {
		tg_findings_free(f);
		return rc;
	}
	*out = f;
	return 0;
}
