/*
 * health.c - gather the figures of the test-health report into one JSON
 * document (the json format prints it; report_health.c draws the others
 * from it).
 *
 * The trends are SQL over the store (store_analyze.c): per test, its
 * results, flaky verdicts and outcome flips over the period (window
 * functions), its passing durations in order, and the runs' counts by
 * day.  What SQL cannot say comes from tg_analyze(): each run of the
 * period is analyzed with the checks that need no baseline, the last one
 * with history too.  C keeps the medians (SQLite has none) and the
 * rankings.  Memory follows the tests x passing runs of the period.
 */
#include "health.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "err.h"
#include "period.h"
#include "store.h"
#include "strindex.h"
#include "truegreen/analyze.h"
#include "truegreen/query.h"
#include "truegreen/report.h"

/* The period's runs: more than this in one report is a year, not a week. */
#define TG_HEALTH_MAX_RUNS 20000u

typedef struct series {
	char *test_id;
	double *dur;          /* passing durations, per run it passed in */
	size_t ndur, dur_cap;
	size_t runs, flips, flaky, flagged;
	bool in_first, in_last;
} series;

typedef struct gather {
	tg_store *st;
	const tg_health_opts *opts;
	tg_err *err;
	series *tests;        /* open addressing by test number */
	int64_t *keys;
	size_t nslots, used;
	size_t run_index, nruns;
	int64_t last_run;
} gather;

static series *slot(gather *g, int64_t test, bool create)
{
	size_t mask = g->nslots - 1, i;

	if (!g->nslots)
		return NULL;
	i = (size_t)((uint64_t)test * 0x9E3779B97F4A7C15u) & mask;
	while (g->keys[i] && g->keys[i] != test)
		i = (i + 1) & mask;
	if (!g->keys[i] && !create)
		return NULL;
	g->keys[i] = test;
	return &g->tests[i];
}

static int grow(gather *g)
{
	series *old = g->tests;
	int64_t *oldk = g->keys;
	size_t n = g->nslots, i;

	g->nslots = n ? n * 2 : 1024;
	g->tests = tg_calloc(g->nslots, sizeof(*g->tests));
	g->keys = tg_calloc(g->nslots, sizeof(*g->keys));
	if (!g->tests || !g->keys) {
		tg_free(g->tests);
		tg_free(g->keys);
		g->tests = old;
		g->keys = oldk;
		g->nslots = n;
		return tg_err_nomem(g->err);
	}
	for (i = 0; i < n; i++)
		if (oldk[i])
			*slot(g, oldk[i], true) = old[i];
	tg_free(old);
	tg_free(oldk);
	return 0;
}

/* A test's figures over the period (tg_store__trend_tests). */
static int on_trend(const tg_trend_test *t, void *payload)
{
	gather *g = payload;
	series *s;
	size_t n;

	if ((g->used + 1) * 2 > g->nslots && grow(g))
		return g->err->code;
	s = slot(g, t->test, true);
	n = strlen(t->test_id) + 1;
	if (!(s->test_id = tg_malloc(n)))
		return tg_err_nomem(g->err);
	memcpy(s->test_id, t->test_id, n);
	g->used++;
	s->runs = (size_t)t->runs;
	s->flaky = (size_t)t->flaky;
	s->flips = (size_t)t->flips;
	s->in_first = t->in_first;
	s->in_last = t->in_last;
	return 0;
}

static int on_duration(int64_t test, double seconds, void *payload)
{
	gather *g = payload;
	series *s = slot(g, test, false);

	if (!s) /* not a test of the period: cannot be, stored runs never change */
		return 0;
	if (!tg_grow((void **)&s->dur, &s->dur_cap, s->ndur + 1,
		     sizeof(*s->dur)))
		return tg_err_nomem(g->err);
	s->dur[s->ndur++] = seconds;
	return 0;
}

static void free_gather(gather *g)
{
	size_t i;

	for (i = 0; i < g->nslots; i++) {
		tg_free(g->tests[i].test_id);
		tg_free(g->tests[i].dur);
	}
	tg_free(g->tests);
	tg_free(g->keys);
}

/* ---- per run ------------------------------------------------------------ */

/* The outcome mix of a run or a day. */
static void add_counts(cJSON *o, const tg_counts *c)
{
	cJSON_AddNumberToObject(o, "tests", (double)c->tests);
	cJSON_AddNumberToObject(o, "passed", (double)c->passed);
	cJSON_AddNumberToObject(o, "failed", (double)c->failed);
	cJSON_AddNumberToObject(o, "errors", (double)c->errors);
	cJSON_AddNumberToObject(o, "skipped", (double)c->skipped);
	cJSON_AddNumberToObject(o, "flaky", (double)c->flaky);
}

typedef struct run_ctx {
	cJSON *o;
	gather *g;
} run_ctx;

static int run_info(const tg_run_info *r, void *payload)
{
	run_ctx *x = payload;
	cJSON *o = x->o;
	const char *commit = NULL;
	size_t i;

	/* the commit the trends compare by (store.c, S_TREND_TESTS): the
	 * user's 'commit' pair before the one CI detection found */
	for (i = 0; i < r->meta_count; i++)
		if (strcmp(r->meta[i].key, "commit") == 0 ||
		    (!commit && strcmp(r->meta[i].key, "ci.commit") == 0))
			commit = r->meta[i].value;
	if (commit)
		cJSON_AddStringToObject(o, "commit", commit);
	cJSON_AddNumberToObject(o, "id", (double)r->id);
	cJSON_AddStringToObject(o, "name", r->name);
	cJSON_AddStringToObject(o, "imported_at", r->imported_at);
	add_counts(o, &r->counts);
	cJSON_AddNumberToObject(o, "duration", r->counts.duration);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Count a run's findings by kind; note which tests were flagged, once
 * per run however many findings a test has.  The flagged names are
 * sorted and each tracked test looked up among them: O(tests log
 * findings), where matching every finding against every test was
 * O(tests x findings) and slow on a week when a service was down. */
static int analyze_run(gather *g, int64_t run, cJSON *o)
{
	tg_analyze_opts ao = TG_ANALYZE_OPTS_INIT;
	tg_findings *f = NULL;
	cJSON *by = cJSON_AddObjectToObject(o, "findings");
	const char **names = NULL;
	size_t i, k, n = 0;

	ao.use_history = false; /* the checks that need nothing else */
	if (tg_analyze(&f, g->st, run, &ao, g->err))
		return g->err->code;
	for (k = 0; k < TG_FINDING_KINDS; k++) {
		size_t c = 0;
		for (i = 0; i < tg_findings_count(f); i++)
			c += strcmp(tg_findings_get(f, i)->kind,
				    tg_report_kind(k)) == 0;
		cJSON_AddNumberToObject(by, tg_report_kind(k), (double)c);
	}
	if (tg_findings_count(f) &&
	    !(names = tg_malloc(tg_findings_count(f) * sizeof(*names)))) {
		tg_findings_free(f);
		return tg_err_nomem(g->err);
	}
	for (i = 0; i < tg_findings_count(f); i++)
		if (tg_findings_get(f, i)->test)
			names[n++] = tg_findings_get(f, i)->test;
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_str);
	for (k = 0; n && k < g->nslots; k++)
		if (g->keys[k] && bsearch(&g->tests[k].test_id, names, n,
					  sizeof(*names), cmp_str))
			g->tests[k].flagged++;
	tg_free(names);
	tg_findings_free(f);
	return 0;
}

typedef struct imports {
	cJSON *list;          /* {module, missing, chain, first_seen, last_seen,
				 open} */
	cJSON **entries;      /* list's items, in order */
	size_t n, cap;
	tg_strindex index;    /* by module: a period can name thousands */
	const char *date;     /* of the run being read */
	bool last;            /* it is the last of the period */
	tg_err *err;
} imports;

static const char *import_key(const void *owner, size_t entry, size_t *len)
{
	const char *m = cJSON_GetObjectItemCaseSensitive(
				((const imports *)owner)->entries[entry], "module")
				->valuestring;

	*len = strlen(m);
	return m;
}

static int on_collect(const tg_collect_info *c, void *payload)
{
	imports *im = payload;
	cJSON *e;
	size_t *slot;

	if (!tg_strindex_reserve(&im->index, im->n, im->n + 1) ||
	    !tg_grow((void **)&im->entries, &im->cap, im->n + 1,
		     sizeof(*im->entries)))
		return tg_err_nomem(im->err);
	slot = tg_strindex_slot(&im->index, c->test_id, strlen(c->test_id));
	if (*slot) {
		e = im->entries[*slot - 1];
		cJSON_ReplaceItemInObjectCaseSensitive(
			e, "last_seen", cJSON_CreateString(im->date));
		if (im->last)
			cJSON_ReplaceItemInObjectCaseSensitive(
				e, "open", cJSON_CreateTrue());
		return 0;
	}
	e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "module", c->test_id);
	cJSON_AddStringToObject(e, "missing", c->missing ? c->missing : "");
	cJSON_AddItemToObject(e, "chain",
			      c->chain ? cJSON_Parse(c->chain)
				       : cJSON_CreateArray());
	cJSON_AddStringToObject(e, "first_seen", im->date);
	cJSON_AddStringToObject(e, "last_seen", im->date);
	cJSON_AddBoolToObject(e, "open", im->last);
	cJSON_AddItemToArray(im->list, e);
	im->entries[im->n++] = e;
	*slot = im->n;
	return 0;
}

typedef struct collected {
	int64_t first, last;
	bool seen;
} collected;

static int on_session(const tg_run_session *s, void *payload)
{
	collected *c = payload;

	if (s->collected < 0)
		return 0;
	if (!c->seen)
		c->first = s->collected;
	c->last = s->collected;
	c->seen = true;
	return 0;
}

/* ---- statistics ---------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(const double *v, size_t n)
{
	double *c = tg_malloc(n * sizeof(*c)), m;

	if (!c || !n) {
		tg_free(c);
		return 0;
	}
	memcpy(c, v, n * sizeof(*c));
	qsort(c, n, sizeof(*c), cmp_double);
	m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
	tg_free(c);
	return m;
}

static cJSON *numbers(const double *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	size_t i = n > 30 ? n - 30 : 0; /* the last 30 points */

	for (; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber(
						floor(v[i] * 1000 + 0.5) / 1000));
	return a;
}

typedef struct ranked {
	const series *s;
	double key;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
	double x = ((const ranked *)a)->key, y = ((const ranked *)b)->key;

	if (x != y)
		return x > y ? -1 : 1;
	return strcmp(((const ranked *)a)->s->test_id,
		      ((const ranked *)b)->s->test_id);
}

/* The top ten tests by key (positive keys only) as {test_id, value}. */
static cJSON *top(gather *g, double (*key)(const series *s), const char *name)
{
	ranked *r = tg_calloc(g->used ? g->used : 1, sizeof(*r));
	cJSON *list = cJSON_CreateArray();
	size_t i, n = 0;

	if (!r)
		return list;
	for (i = 0; i < g->nslots; i++) {
		double k = g->keys[i] ? key(&g->tests[i]) : 0;
		if (k > 0) {
			r[n].s = &g->tests[i];
			r[n++].key = k;
		}
	}
	if (n > 1)
		qsort(r, n, sizeof(*r), cmp_ranked);
	for (i = 0; i < n && i < 10; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "test", r[i].s->test_id);
		cJSON_AddNumberToObject(o, name,
					floor(r[i].key * 1000 + 0.5) / 1000);
		cJSON_AddNumberToObject(o, "runs", (double)r[i].s->runs);
		cJSON_AddItemToObject(o, "durations",
				      numbers(r[i].s->dur, r[i].s->ndur));
		cJSON_AddItemToArray(list, o);
	}
	tg_free(r);
	return list;
}

static double key_median(const series *s)
{
	return median(s->dur, s->ndur);
}

static double key_flagged(const series *s)
{
	return (double)s->flagged;
}

/* Outcome flips between consecutive runs, and passes only on a rerun
 * (flaky verdicts), per chance to flip. */
static double key_flip_rate(const series *s)
{
	size_t chances = (s->runs ? s->runs - 1 : 0) + s->flaky;

	return chances ? (double)(s->flips + s->flaky) / (double)chances : 0;
}

/* Tests whose last passing duration fell below 0.2x their median
 * before, by at least a second. */
static cJSON *collapsed(gather *g)
{
	cJSON *list = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < g->nslots; i++) {
		const series *s = &g->tests[i];
		double before, last;
		cJSON *o;

		if (!g->keys[i] || s->ndur < 3)
			continue;
		before = median(s->dur, s->ndur - 1);
		last = s->dur[s->ndur - 1];
		if (!(last < before * 0.2 && before - last >= 1.0))
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "test", s->test_id);
		cJSON_AddNumberToObject(o, "median_before",
					floor(before * 1000 + 0.5) / 1000);
		cJSON_AddNumberToObject(o, "last", floor(last * 1000 + 0.5) / 1000);
		cJSON_AddItemToObject(o, "durations", numbers(s->dur, s->ndur));
		cJSON_AddItemToArray(list, o);
	}
	return list;
}

static cJSON *vanished(gather *g)
{
	cJSON *list = cJSON_CreateArray();
	size_t i;

	if (g->nruns < 2)
		return list;
	for (i = 0; i < g->nslots; i++)
		if (g->keys[i] && g->tests[i].in_first && !g->tests[i].in_last)
			cJSON_AddItemToArray(list, cJSON_CreateString(
							   g->tests[i].test_id));
	return list;
}

/* ---- the document -------------------------------------------------------- */

/* The latest run's full analysis, with history: the findings table. */
static int last_findings(gather *g, cJSON *doc)
{
	tg_analyze_opts ao = TG_ANALYZE_OPTS_INIT;
	tg_findings *f = NULL;
	cJSON *list = cJSON_AddArrayToObject(doc, "last_run_findings");
	size_t i, k;

	if (tg_analyze(&f, g->st, g->last_run, &ao, g->err))
		return g->err->code;
	cJSON_AddStringToObject(doc, "last_run_basis", tg_findings_basis(f));
	for (i = 0; i < tg_findings_count(f); i++) {
		const tg_finding *x = tg_findings_get(f, i);
		cJSON *o = cJSON_CreateObject(), *ev;
		cJSON_AddStringToObject(o, "kind", x->kind);
		cJSON_AddStringToObject(o, "severity",
					tg_severity_str(x->severity));
		if (x->test)
			cJSON_AddStringToObject(o, "test", x->test);
		else
			cJSON_AddNullToObject(o, "test");
		cJSON_AddStringToObject(o, "message", x->message);
		ev = cJSON_AddArrayToObject(o, "evidence");
		for (k = 0; k < x->nevidence; k++) {
			cJSON *e = cJSON_CreateObject();
			cJSON_AddStringToObject(e, "source",
						x->evidence[k].source);
			cJSON_AddNumberToObject(e, "line",
						(double)x->evidence[k].line);
			cJSON_AddStringToObject(e, "text", x->evidence[k].text);
			cJSON_AddItemToArray(ev, e);
		}
		cJSON_AddItemToArray(list, o);
	}
	tg_findings_free(f);
	return 0;
}

/* Add one run's row, and its collection errors to im. */
static int add_run(gather *g, int64_t run, cJSON *runs, imports *im,
		   collected *col)
{
	cJSON *o = cJSON_CreateObject();
	run_ctx x = {o, g};
	const cJSON *at;

	cJSON_AddItemToArray(runs, o);
	if (g->opts->progress) {
		tg_progress p = {"runs", g->run_index, g->nruns, g->run_index};
		g->opts->progress(&p, g->opts->progress_payload);
	}
	if (tg_run_get(g->st, run, run_info, &x, g->err) ||
	    analyze_run(g, run, o) ||
	    tg_store__run_sessions(g->st, run, on_session, col, g->err))
		return g->err->code ? g->err->code : TG_EDB;
	at = cJSON_GetObjectItemCaseSensitive(o, "imported_at");
	im->date = cJSON_IsString(at) ? at->valuestring : "";
	im->last = g->run_index + 1 == g->nruns;
	return tg_collection_errors_each(g->st, run, on_collect, im, g->err);
}

typedef struct day_ctx {
	cJSON *list;
	const cJSON *runs;
} day_ctx;

/* One day of the period (tg_store__trend_days), with the findings of its
 * runs added up from their rows. */
static int on_day(const char *day, int64_t nruns, const tg_counts *c,
		  void *payload)
{
	day_ctx *x = payload;
	cJSON *o = cJSON_CreateObject(), *fk;
	double by[TG_FINDING_KINDS] = {0};
	const cJSON *r;
	size_t i;

	cJSON_AddItemToArray(x->list, o);
	cJSON_AddStringToObject(o, "date", day);
	cJSON_AddNumberToObject(o, "runs", (double)nruns);
	add_counts(o, c);
	cJSON_ArrayForEach(r, x->runs)
	{
		const cJSON *at = cJSON_GetObjectItemCaseSensitive(r, "imported_at");
		const cJSON *fs = cJSON_GetObjectItemCaseSensitive(r, "findings");
		if (!cJSON_IsString(at) || strncmp(at->valuestring, day, 10) != 0)
			continue;
		for (i = 0; i < TG_FINDING_KINDS; i++)
			by[i] += cJSON_GetNumberValue(
				cJSON_GetObjectItemCaseSensitive(
					fs, tg_report_kind(i)));
	}
	fk = cJSON_AddObjectToObject(o, "findings");
	for (i = 0; i < TG_FINDING_KINDS; i++)
		cJSON_AddNumberToObject(fk, tg_report_kind(i), by[i]);
	return 0;
}

/* The period as the trend queries take it: "[id,id,...]". */
static char *period_json(const int64_t *runs, size_t n)
{
	/* 20 digits and a comma per run */
	tg_buf b = TG_BUF_INIT((size_t)TG_HEALTH_MAX_RUNS * 21 + 2);
	size_t i;

	tg_buf_addc(&b, '[');
	for (i = 0; i < n; i++)
		tg_buf_printf(&b, "%s%lld", i ? "," : "", (long long)runs[i]);
	tg_buf_addc(&b, ']');
	return tg_buf_detach(&b);
}

int tg_health__build(cJSON **out, tg_store *st, const tg_health_opts *o,
		     const char *since, const char *until, tg_err *err)
{
	gather g;
	int64_t *runs = NULL;
	size_t n = 0, i;
	cJSON *doc, *runs_json, *drop;
	imports im;
	collected col = {0, 0, false};
	day_ctx dc;
	char now[32], *period;
	int rc;

	*out = NULL;
	memset(&g, 0, sizeof(g));
	g.st = st;
	g.opts = o;
	g.err = err;
	if ((rc = tg_store__runs_between(&runs, &n, st, since, until,
					 TG_HEALTH_MAX_RUNS, o->where,
					 o->where_count, err)))
		return rc;
	if (n == 0) {
		tg_buf w = TG_BUF_INIT(SIZE_MAX);
		tg_free(runs);
		tg_store__where_text(&w, o->where, o->where_count);
		/* the period as asked: until is the query's exclusive bound */
		tg_err_set(err, TG_EUSAGE,
			   "no run was imported between %s and %s%s", since,
			   o->until ? o->until : "now", w.failed ? "" : w.ptr);
		tg_buf_release(&w);
		return err->code;
	}
	if (!(period = period_json(runs, n))) {
		tg_free(runs);
		return tg_err_nomem(err);
	}
	doc = cJSON_CreateObject();
	if (o->now)
		snprintf(now, sizeof(now), "%s", o->now);
	else
		tg_period_now(now);
	cJSON_AddStringToObject(doc, "truegreen", TG_VERSION);
	cJSON_AddStringToObject(doc, "generated_at", now);
	cJSON_AddStringToObject(doc, "since", since);
	cJSON_AddStringToObject(doc, "until", until);
	runs_json = cJSON_AddArrayToObject(doc, "runs");
	memset(&im, 0, sizeof(im));
	im.list = cJSON_CreateArray();
	im.index = (tg_strindex)TG_STRINDEX_INIT(import_key, &im);
	im.err = err;
	g.nruns = n;
	g.last_run = runs[n - 1];
	rc = tg_store__trend_tests(st, period, n, on_trend, &g, err);
	if (rc == 0)
		rc = tg_store__trend_durations(st, period, on_duration, &g, err);
	for (i = 0; rc == 0 && i < n; i++) {
		g.run_index = i;
		rc = add_run(&g, runs[i], runs_json, &im, &col);
	}
	tg_free(runs);
	if (rc == 0)
		rc = last_findings(&g, doc);
	dc.list = cJSON_AddArrayToObject(doc, "days");
	dc.runs = runs_json;
	if (rc == 0)
		rc = tg_store__trend_days(st, period, on_day, &dc, err);
	tg_free(period);
	tg_strindex_free(&im.index);
	tg_free(im.entries);
	if (rc) {
		cJSON_Delete(im.list);
		cJSON_Delete(doc);
		free_gather(&g);
		return rc;
	}
	cJSON_AddItemToObject(doc, "collapsed", collapsed(&g));
	cJSON_AddItemToObject(doc, "slowest", top(&g, key_median, "median"));
	cJSON_AddItemToObject(doc, "flaky", top(&g, key_flip_rate, "flip_rate"));
	cJSON_AddItemToObject(doc, "most_flagged",
			      top(&g, key_flagged, "flagged_runs"));
	cJSON_AddItemToObject(doc, "import_failures", im.list);
	cJSON_AddItemToObject(doc, "vanished", vanished(&g));
	drop = cJSON_AddObjectToObject(doc, "collected");
	if (col.seen) {
		cJSON_AddNumberToObject(drop, "first", (double)col.first);
		cJSON_AddNumberToObject(drop, "last", (double)col.last);
	}
	free_gather(&g);
	*out = doc;
	return 0;
}
