/*
 * baseline.c - expectations for tests and suites: read from a baseline
 * file, or learnt from earlier runs (truegreen/baseline.h).
 *
 * Knows the file's JSON shape (cJSON) and robust statistics; reads the
 * store only through store_analyze.c.
 */
#include "truegreen/baseline.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "catalog.h"
#include "err.h"
#include "jsonkeys.h"
#include "store.h"
#include "strindex.h"

/* A baseline file is a few MiB at most (one entry per test of a big
 * suite); beyond this it is not one. */
#define TG_MAX_BASELINE_FILE (64u * 1024u * 1024u)

struct tg_baseline {
	char *origin;
	tg_baseline_test *tests;
	size_t ntests, tests_cap;
	tg_baseline_suite *suites;
	size_t nsuites, suites_cap;
	char **strings;      /* every string the entries point at */
	size_t nstrings, strings_cap;
	const char **kinds;  /* network kinds of all entries, in order */
	size_t nkinds, kinds_cap;
	/* the lookup index of tg_baseline_find, built once the entries are
	 * final (index_entries): a learnt baseline names every test of a
	 * suite, and a scan per test made analyze quadratic in its size */
	const tg_baseline_test **exact; /* ids, by match then order */
	size_t nexact;
	const tg_baseline_test **globs; /* patterns, in order */
	size_t nglobs;
};

void tg_baseline_free(tg_baseline *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->nstrings; i++)
		tg_free(b->strings[i]);
	tg_free(b->strings);
	tg_free(b->tests);
	tg_free(b->suites);
	tg_free(b->kinds);
	tg_free(b->exact);
	tg_free(b->globs);
	tg_free(b->origin);
	tg_free(b);
}

/* A copy owned by b, or NULL when out of memory. */
static const char *keep(tg_baseline *b, const char *s, size_t n)
{
	char *d;

	if (!tg_grow((void **)&b->strings, &b->strings_cap, b->nstrings + 1,
		     sizeof(*b->strings)) ||
	    !(d = tg_malloc(n + 1)))
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	b->strings[b->nstrings++] = d;
	return d;
}

/* Replace b's origin with a copy of origin; false when out of memory
 * (b keeps the one it had). */
static bool set_origin(tg_baseline *b, const char *origin)
{
	size_t n = strlen(origin) + 1;
	char *o = tg_malloc(n);

	if (!o)
		return false;
	memcpy(o, origin, n);
	tg_free(b->origin);
	b->origin = o;
	return true;
}

static tg_baseline *baseline_new(const char *origin)
{
	tg_baseline *b = tg_calloc(1, sizeof(*b));

	if (!b || !set_origin(b, origin)) {
		tg_free(b);
		return NULL;
	}
	return b;
}

const char *tg_baseline_origin(const tg_baseline *b)
{
	return b->origin;
}

size_t tg_baseline_suite_count(const tg_baseline *b)
{
	return b->nsuites;
}

const tg_baseline_suite *tg_baseline_suite_get(const tg_baseline *b, size_t i)
{
	return i < b->nsuites ? &b->suites[i] : NULL;
}

size_t tg_baseline_test_count(const tg_baseline *b)
{
	return b->ntests;
}

const tg_baseline_test *tg_baseline_test_get(const tg_baseline *b, size_t i)
{
	return i < b->ntests ? &b->tests[i] : NULL;
}

/* ---- globs --------------------------------------------------------------- */

bool tg_glob_match(const char *g, const char *s)
{
	const char *star = NULL, *resume = NULL;

	/* the classic two-pointer wildcard match: linear but for '*'
	 * backtracking, which resumes at the last star only */
	while (*s) {
		if (*g == '*') {
			while (*g == '*')
				g++;
			star = g;
			resume = s;
		} else if (*g == '?' || *g == *s) {
			g++;
			s++;
		} else if (star) {
			g = star;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*g == '*')
		g++;
	return *g == '\0';
}

static size_t literal_chars(const char *g)
{
	size_t n = 0;

	for (; *g; g++)
		n += *g != '*' && *g != '?';
	return n;
}

static bool is_glob(const char *g)
{
	return strpbrk(g, "*?") != NULL;
}

/* Exact ids by match, then the earlier entry (entries are one array, so
 * their addresses are their order). */
static int cmp_exact(const void *a, const void *b)
{
	const tg_baseline_test *x = *(const tg_baseline_test *const *)a,
			       *y = *(const tg_baseline_test *const *)b;
	int c = strcmp(x->match, y->match);

	return c ? c : (x > y) - (x < y);
}

/* Split the entries into exact ids (sorted, for a binary search) and
 * patterns (tried in order); called when the entries are final. */
static int index_entries(tg_baseline *b, tg_err *err)
{
	size_t i;

	if (b->ntests &&
	    (!(b->exact = tg_malloc(b->ntests * sizeof(*b->exact))) ||
	     !(b->globs = tg_malloc(b->ntests * sizeof(*b->globs)))))
		return tg_err_nomem(err);
	for (i = 0; i < b->ntests; i++) {
		if (is_glob(b->tests[i].match))
			b->globs[b->nglobs++] = &b->tests[i];
		else
			b->exact[b->nexact++] = &b->tests[i];
	}
	if (b->nexact > 1)
		qsort(b->exact, b->nexact, sizeof(*b->exact), cmp_exact);
	return 0;
}

const tg_baseline_test *tg_baseline_find(const tg_baseline *b,
					 const char *test_id)
{
	const tg_baseline_test *best = NULL;
	size_t best_lit = 0, lo = 0, hi = b->nexact, i;

	/* an exact id wins: the first entry naming it */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(b->exact[mid]->match, test_id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < b->nexact && strcmp(b->exact[lo]->match, test_id) == 0)
		return b->exact[lo];
	/* then the pattern with the most literal characters, the earlier
	 * one of a tie */
	for (i = 0; i < b->nglobs; i++) {
		const tg_baseline_test *t = b->globs[i];
		size_t lit;

		if (!tg_glob_match(t->match, test_id))
			continue;
		lit = literal_chars(t->match);
		if (!best || lit > best_lit) {
			best = t;
			best_lit = lit;
		}
	}
	return best;
}

/* ---- reading a file ------------------------------------------------------ */

typedef struct reader {
	tg_baseline *b;
	const char *name, *text;
	size_t len;
	tg_err *err;
} reader;

/* The line of the first "match": "<m>" in the text, for messages. */
static uint64_t line_of(const reader *r, const char *m)
{
	const char *p = r->text, *end = r->text + r->len;
	size_t n = strlen(m);
	uint64_t line = 1;

	for (; p + n + 2 <= end; p++) {
		if (*p == '\n')
			line++;
		else if (*p == '"' && memcmp(p + 1, m, n) == 0 && p[n + 1] == '"')
			return line;
	}
	return 0;
}

static int bad(const reader *r, const char *match, const char *what)
{
	return tg_err_setloc(r->err, TG_EINPUT, r->name,
			     match ? line_of(r, match) : 0, 0,
			     "'%s': entry '%s': %s", r->name,
			     match ? match : "?", what);
}

/* Refuse an entry with a key not in known: a misspelt
 * "expected_durration" would drop its expectation without a word. */
static int known_keys(const reader *r, const cJSON *o, const char *match,
		      const char *const *known)
{
	const char *k = tg_json_unknown_key(o, known);
	char what[160];

	if (!k)
		return 0;
	snprintf(what, sizeof(what), "unknown key \"%.100s\"", k);
	return bad(r, match, what);
}

/* An optional non-negative number field. */
static int number(const reader *r, const cJSON *o, const char *key,
		  const char *match, bool *has, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	char what[96];

	*has = false;
	if (!v)
		return 0;
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
	    v->valuedouble < 0) {
		snprintf(what, sizeof(what), "\"%s\" must be a number >= 0",
			 key);
		return bad(r, match, what);
	}
	*has = true;
	*out = v->valuedouble;
	return 0;
}

/* An optional count: a whole number >= 0. */
static int count(const reader *r, const cJSON *o, const char *key,
		 const char *match, bool *has, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	char what[96];

	*has = false;
	if (!v)
		return 0;
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) ||
	    v->valuedouble > 1e15 || floor(v->valuedouble) != v->valuedouble) {
		snprintf(what, sizeof(what),
			 "\"%s\" must be a whole number >= 0", key);
		return bad(r, match, what);
	}
	*has = true;
	*out = (int64_t)v->valuedouble;
	return 0;
}

/* The kinds of service "network" may name: those no_network_evidence
 * tells apart (detect_evidence.c, kind_of), README "Expectations". */
static bool known_kind(const char *k)
{
	static const char *const kinds[] = {"http",  "websocket", "grpc",
					    "redis", "postgres",  "socket"};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(k, kinds[i]) == 0)
			return true;
	return false;
}

static int read_network(reader *r, const cJSON *o, tg_baseline_test *t)
{
	const cJSON *kinds = cJSON_GetObjectItemCaseSensitive(o, "network");
	const cJSON *k;
	size_t first = r->b->nkinds;

	if (!kinds)
		return 0;
	if (!cJSON_IsArray(kinds))
		return bad(r, t->match, "\"network\" must be a list of kinds");
	cJSON_ArrayForEach(k, kinds)
	{
		const char *s;
		if (!cJSON_IsString(k))
			return bad(r, t->match,
				   "\"network\" must be a list of kinds");
		if (!known_kind(k->valuestring)) {
			char what[200];
			snprintf(what, sizeof(what),
				 "unknown network kind \"%.60s\" (http, "
				 "websocket, grpc, redis, postgres, socket)",
				 k->valuestring);
			return bad(r, t->match, what);
		}
		if (!(s = keep(r->b, k->valuestring, strlen(k->valuestring))) ||
		    !tg_grow((void **)&r->b->kinds, &r->b->kinds_cap,
			     r->b->nkinds + 1, sizeof(*r->b->kinds)))
			return tg_err_nomem(r->err);
		r->b->kinds[r->b->nkinds++] = s;
	}
	/* kinds stay where they are; the entry points into the list once
	 * every entry is read (the list may move while it grows) */
	t->network = (const char *const *)(uintptr_t)first;
	t->nnetwork = r->b->nkinds - first;
	return 0;
}

static int read_test(reader *r, const cJSON *o)
{
	static const char *const keys[] = {
		"match",  "min_duration", "expected_duration", "spread",
		"requires_network", "network", "network_share", "samples",
		NULL};
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "match");
	const cJSON *net = cJSON_GetObjectItemCaseSensitive(o, "requires_network");
	tg_baseline_test t;
	bool has;
	int rc;

	memset(&t, 0, sizeof(t));
	if (!cJSON_IsObject(o) || !cJSON_IsString(m) || !m->valuestring[0])
		return bad(r, NULL, "every test entry needs a \"match\"");
	if (!(t.match = keep(r->b, m->valuestring, strlen(m->valuestring))))
		return tg_err_nomem(r->err);
	if ((rc = known_keys(r, o, t.match, keys)))
		return rc;
	t.requires_network = net ? (cJSON_IsTrue(net) ? 1 : 0) : -1;
	if (net && !cJSON_IsBool(net))
		return bad(r, t.match, "\"requires_network\" must be true or "
				       "false");
	if ((rc = number(r, o, "min_duration", t.match, &t.has_min_duration,
			 &t.min_duration)) ||
	    (rc = number(r, o, "expected_duration", t.match, &t.has_expected,
			 &t.expected)) ||
	    (rc = number(r, o, "spread", t.match, &has, &t.spread)) ||
	    (rc = number(r, o, "network_share", t.match, &has,
			 &t.network_share)) ||
	    (rc = count(r, o, "samples", t.match, &has, &t.samples)) ||
	    (rc = read_network(r, o, &t)))
		return rc;
	if (!tg_grow((void **)&r->b->tests, &r->b->tests_cap, r->b->ntests + 1,
		     sizeof(*r->b->tests)))
		return tg_err_nomem(r->err);
	r->b->tests[r->b->ntests++] = t;
	return 0;
}

static int read_suite(reader *r, const cJSON *o)
{
	static const char *const keys[] = {"match", "min_tests",
					    "min_duration", "samples", NULL};
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "match");
	tg_baseline_suite su;
	bool has;
	double v;
	int rc;

	if (!cJSON_IsObject(o) || !cJSON_IsString(m) || !m->valuestring[0])
		return bad(r, NULL, "every suite entry needs a \"match\"");
	memset(&su, 0, sizeof(su));
	if (!(su.match = keep(r->b, m->valuestring, strlen(m->valuestring))))
		return tg_err_nomem(r->err);
	if ((rc = known_keys(r, o, su.match, keys)) ||
	    (rc = count(r, o, "min_tests", su.match, &has, &su.min_tests)))
		return rc;
	if (!has)
		su.min_tests = -1;
	if ((rc = number(r, o, "min_duration", su.match, &has, &v)))
		return rc;
	su.min_duration = has ? v : -1;
	if ((rc = count(r, o, "samples", su.match, &has, &su.samples)))
		return rc;
	su.usual_tests = -1;
	su.usual_duration = -1;
	if (!tg_grow((void **)&r->b->suites, &r->b->suites_cap,
		     r->b->nsuites + 1, sizeof(*r->b->suites)))
		return tg_err_nomem(r->err);
	r->b->suites[r->b->nsuites++] = su;
	return 0;
}

/* Point each entry's network list at its kinds, now that they stay. */
static void fix_kinds(tg_baseline *b)
{
	size_t i;

	for (i = 0; i < b->ntests; i++) {
		size_t first = (size_t)(uintptr_t)b->tests[i].network;
		b->tests[i].network =
			b->tests[i].nnetwork ? b->kinds + first : NULL;
	}
}

/* The document's own keys: its format, and nothing unknown. */
static int check_top(const reader *r, const cJSON *doc)
{
	static const char *const keys[] = {"truegreen_baseline", "origin",
					    "tests", "suites", NULL};
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, "truegreen_baseline");
	const char *k = tg_json_unknown_key(doc, keys);

	if (v && cJSON_IsNumber(v) && v->valuedouble > 1)
		return tg_err_setloc(r->err, TG_EINPUT, r->name, 0, 0,
				     "'%s' is a baseline of format %.6g, "
				     "newer than the 1 this truegreen reads",
				     r->name, v->valuedouble);
	if (v && !(cJSON_IsNumber(v) && v->valuedouble == 1))
		return tg_err_setloc(r->err, TG_EINPUT, r->name, 0, 0,
				     "'%s': \"truegreen_baseline\" must be 1",
				     r->name);
	if (k)
		return tg_err_setloc(r->err, TG_EINPUT, r->name, 0, 0,
				     "'%s': unknown key \"%.100s\" "
				     "(truegreen_baseline, origin, tests, "
				     "suites)",
				     r->name, k);
	return 0;
}

int tg_baseline_parse(tg_baseline **out, const char *name, const char *json,
		      size_t len, tg_err *err)
{
	reader r = {NULL, name, json, len, err};
	cJSON *doc, *tests, *suites, *o;
	int rc = 0;

	*out = NULL;
	if (!(r.b = baseline_new(name)))
		return tg_err_nomem(err);
	doc = cJSON_ParseWithLength(json, len);
	if (!cJSON_IsObject(doc)) {
		const char *at = cJSON_GetErrorPtr();
		uint64_t line = 1;
		const char *p;
		for (p = json; at && p < at && p < json + len; p++)
			line += *p == '\n';
		cJSON_Delete(doc);
		tg_baseline_free(r.b);
		return tg_err_setloc(err, TG_EINPUT, name, at ? line : 0, 0,
				     "'%s' is not a baseline: not a JSON "
				     "object",
				     name);
	}
	tests = cJSON_GetObjectItemCaseSensitive(doc, "tests");
	suites = cJSON_GetObjectItemCaseSensitive(doc, "suites");
	rc = check_top(&r, doc);
	if (rc == 0 && ((tests && !cJSON_IsArray(tests)) ||
			(suites && !cJSON_IsArray(suites)) ||
			(!tests && !suites)))
		rc = tg_err_setloc(err, TG_EINPUT, name, 0, 0,
				   "'%s' is not a baseline: it needs a "
				   "\"tests\" or \"suites\" list",
				   name);
	cJSON_ArrayForEach(o, tests)
	{
		if (rc == 0)
			rc = read_test(&r, o);
	}
	cJSON_ArrayForEach(o, suites)
	{
		if (rc == 0)
			rc = read_suite(&r, o);
	}
	cJSON_Delete(doc);
	if (rc) {
		tg_baseline_free(r.b);
		return rc;
	}
	fix_kinds(r.b);
	if ((rc = index_entries(r.b, err))) {
		tg_baseline_free(r.b);
		return rc;
	}
	*out = r.b;
	return 0;
}

int tg_baseline_load(tg_baseline **out, const char *path, tg_err *err)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	int rc;

	*out = NULL;
	if (!f)
		return tg_err_setloc(err, TG_EINPUT, path, 0, 0,
				     "cannot open '%s': %s", path,
				     strerror(errno));
	if (!(buf = tg_malloc(TG_MAX_BASELINE_FILE + 1))) {
		fclose(f);
		return tg_err_nomem(err);
	}
	n = fread(buf, 1, TG_MAX_BASELINE_FILE + 1, f);
	if (ferror(f) || n > TG_MAX_BASELINE_FILE) {
		bool big = !ferror(f);
		fclose(f);
		tg_free(buf);
		return tg_err_setloc(err, TG_EINPUT, path, 0, 0,
				     big ? "'%s' is over 64 MiB: not a baseline"
					 : "cannot read '%s'",
				     path);
	}
	fclose(f);
	rc = tg_baseline_parse(out, path, buf, n, err);
	tg_free(buf);
	return rc;
}

/* ---- learning from history ----------------------------------------------- */

typedef struct stat_entry {
	int64_t test;         /* 0: empty slot */
	const char *test_id;  /* kept by the baseline */
	double *durs;         /* of the passes learnt from */
	size_t n, cap;
	size_t net;           /* passes learnt from with network evidence */
	size_t passes;        /* every green run (also on a rerun, and
				 distrusted): presence */
} stat_entry;

typedef struct dir_entry {
	const char *dir;      /* kept by the baseline */
	size_t len;
	double *counts, *totals; /* one per run */
	size_t n, cap;
	int64_t run;          /* the run the last slot is of */
} dir_entry;

typedef struct learner {
	tg_baseline *b;
	stat_entry *slots;
	size_t nslots, used;
	dir_entry *dirs;
	size_t ndirs, dirs_cap;
	tg_strindex dir_index; /* of dirs, by dir */
	int64_t *net_tests;   /* sorted: tests of this run with network */
	size_t nnet, net_cap;
	int64_t *bad_tests;   /* sorted: tests of this run whose pass is
				 not learnt from (tg_rule_distrusts_pass) */
	size_t nbad, bad_cap;
	size_t left_out;      /* passes not learnt from, over all runs */
	int64_t run;
	tg_err *err;
} learner;

static stat_entry *slot_of(learner *l, int64_t test)
{
	size_t mask = l->nslots - 1,
	       i = (size_t)((uint64_t)test * 0x9E3779B97F4A7C15u) & mask;

	while (l->slots[i].test && l->slots[i].test != test)
		i = (i + 1) & mask;
	return &l->slots[i];
}

static int grow_slots(learner *l)
{
	stat_entry *old = l->slots;
	size_t n = l->nslots, i;

	l->nslots = n ? n * 2 : 1024;
	if (!(l->slots = tg_calloc(l->nslots, sizeof(*l->slots)))) {
		l->slots = old;
		l->nslots = n;
		return tg_err_nomem(l->err);
	}
	for (i = 0; i < n; i++)
		if (old[i].test)
			*slot_of(l, old[i].test) = old[i];
	tg_free(old);
	return 0;
}

/* Append test to a growing list of test numbers. */
static int push_test(int64_t **v, size_t *n, size_t *cap, int64_t test,
		     tg_err *err)
{
	if (!tg_grow((void **)v, cap, *n + 1, sizeof(**v)))
		return tg_err_nomem(err);
	(*v)[(*n)++] = test;
	return 0;
}

/* A (test, signal, rule) of the run's evidence: which tests showed
 * network, and which passes are not to be learnt from. */
static int note_rule(int64_t test, const char *signal, const char *rule,
		     void *payload)
{
	learner *l = payload;

	if (strcmp(signal, "network") == 0)
		return push_test(&l->net_tests, &l->nnet, &l->net_cap, test,
				 l->err);
	if (tg_rule_distrusts_pass(signal, rule))
		return push_test(&l->bad_tests, &l->nbad, &l->bad_cap, test,
				 l->err);
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The directory of a test id's file: "tests/e2e" of
 * "tests/e2e/test_x.py::t"; "" at the top. */
static size_t dir_len(const char *id)
{
	const char *sep = strstr(id, "::"), *slash = NULL, *p;

	for (p = id; *p && (!sep || p < sep); p++)
		if (*p == '/')
			slash = p;
	return slash ? (size_t)(slash - id) : 0;
}

static const char *dir_key(const void *owner, size_t entry, size_t *len)
{
	const dir_entry *d = &((const learner *)owner)->dirs[entry];

	*len = d->len;
	return d->dir;
}

/* Count a test in its directory's figures for this run.  Directories
 * are found through a hash index: a large monorepo has thousands. */
static int note_dir(learner *l, const tg_run_test *t, bool passed)
{
	size_t n = dir_len(t->test_id), *slot;
	dir_entry *d;

	if (!tg_strindex_reserve(&l->dir_index, l->ndirs, l->ndirs + 1))
		return tg_err_nomem(l->err);
	slot = tg_strindex_slot(&l->dir_index, t->test_id, n);
	if (*slot) {
		d = &l->dirs[*slot - 1];
	} else {
		if (!tg_grow((void **)&l->dirs, &l->dirs_cap, l->ndirs + 1,
			     sizeof(*l->dirs)))
			return tg_err_nomem(l->err);
		d = &l->dirs[l->ndirs++];
		memset(d, 0, sizeof(*d));
		if (!(d->dir = keep(l->b, t->test_id, n)))
			return tg_err_nomem(l->err);
		d->len = n;
		*slot = l->ndirs;
	}
	if (d->run != l->run) {
		size_t c1 = d->cap, c2 = d->cap;
		if (!tg_grow((void **)&d->counts, &c1, d->n + 1, sizeof(double)) ||
		    !tg_grow((void **)&d->totals, &c2, d->n + 1, sizeof(double)))
			return tg_err_nomem(l->err);
		d->cap = c1 < c2 ? c1 : c2;
		d->counts[d->n] = d->totals[d->n] = 0;
		d->n++;
		d->run = l->run;
	}
	d->counts[d->n - 1] += 1;
	if (passed && t->has_duration)
		d->totals[d->n - 1] += t->duration;
	return 0;
}

static int note_test(const tg_run_test *t, void *payload)
{
	learner *l = payload;
	bool passed = tg_store__run_test_passed(t), learn,
	     green = passed || tg_store__run_test_rerun_pass(t);
	stat_entry *e;

	/* A pass its own output distrusts (tg_rule_distrusts_pass) taught
	 * history that a mocked test is fast: weeks of staging down would
	 * make 0.15 s the norm of a 30 s test and hide every later fast
	 * pass.  It still counts as the test being there (missing_tests). */
	learn = passed &&
		!(l->nbad && bsearch(&t->test, l->bad_tests, l->nbad,
				     sizeof(int64_t), cmp_i64));
	if (passed && !learn)
		l->left_out++;
	if (t->verdict && strcmp(t->verdict, "skipped") != 0 &&
	    note_dir(l, t, learn))
		return l->err->code;
	if (!green) /* a pass on a rerun is there, but no sample */
		return 0;
	if ((l->used + 1) * 2 > l->nslots && grow_slots(l))
		return l->err->code;
	e = slot_of(l, t->test);
	if (!e->test) {
		e->test = t->test;
		if (!(e->test_id = keep(l->b, t->test_id, strlen(t->test_id))))
			return tg_err_nomem(l->err);
		l->used++;
	}
	e->passes++;
	if (!learn || !t->has_duration)
		return 0;
	if (!tg_grow((void **)&e->durs, &e->cap, e->n + 1, sizeof(double)))
		return tg_err_nomem(l->err);
	e->durs[e->n++] = t->duration;
	if (l->nnet &&
	    bsearch(&t->test, l->net_tests, l->nnet, sizeof(int64_t), cmp_i64))
		e->net++;
	return 0;
}

/* Median of v[0..n) (sorted in place), and the median absolute
 * deviation around it. */
static void robust(double *v, size_t n, double *median, double *mad)
{
	size_t i;

	qsort(v, n, sizeof(*v), cmp_double);
	*median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	for (i = 0; i < n; i++)
		v[i] = fabs(v[i] - *median);
	qsort(v, n, sizeof(*v), cmp_double);
	*mad = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One run: which of its tests showed network and which passes are
 * distrusted (a test listed once per rule: bsearch finds it all the
 * same), then its tests. */
static int read_run(learner *l, tg_store *st, int64_t run)
{
	l->run = run;
	l->nnet = 0;
	l->nbad = 0;
	if (tg_store__run_test_rules(st, run, note_rule, l, l->err))
		return l->err->code;
	/* UBSan: no NULL base, even for none */
	if (l->nnet > 1)
		qsort(l->net_tests, l->nnet, sizeof(*l->net_tests), cmp_i64);
	if (l->nbad > 1)
		qsort(l->bad_tests, l->nbad, sizeof(*l->bad_tests), cmp_i64);
	return tg_store__run_tests(st, run, note_test, l, l->err);
}

/* Turn the gathered figures into entries. */
static int conclude(learner *l, const tg_learn_opts *o, size_t runs)
{
	unsigned min = o->min_samples ? o->min_samples : 5;
	double share = o->network_share > 0 ? o->network_share : 0.8;
	size_t i;

	for (i = 0; i < l->nslots; i++) {
		stat_entry *e = &l->slots[i];
		tg_baseline_test t;

		if (!e->test)
			continue;
		memset(&t, 0, sizeof(t));
		t.match = e->test_id;
		t.samples = (int64_t)e->n;
		t.passes = (int64_t)e->passes;
		t.network_share = e->n ? (double)e->net / (double)e->n : 0;
		/* learnt: needed, or unsaid; never "mocks on purpose", which
		 * only a person can say (history may just lack logs) */
		t.requires_network =
			e->n >= min && t.network_share >= share ? 1 : -1;
		if (e->n >= min) {
			t.has_expected = true;
			robust(e->durs, e->n, &t.expected, &t.spread);
		}
		if (!tg_grow((void **)&l->b->tests, &l->b->tests_cap,
			     l->b->ntests + 1, sizeof(*l->b->tests)))
			return tg_err_nomem(l->err);
		l->b->tests[l->b->ntests++] = t;
	}
	for (i = 0; i < l->ndirs; i++) {
		dir_entry *d = &l->dirs[i];
		tg_baseline_suite su;
		double med, mad;
		char pat[4096];

		if (d->n < min || d->n < runs / 2)
			continue; /* not usual: seen in few of the runs */
		if (d->len + sizeof("/**") > sizeof(pat))
			continue; /* a 4 KiB directory name is no suite */
		memset(&su, 0, sizeof(su));
		snprintf(pat, sizeof(pat), "%s%s**", d->dir, d->dir[0] ? "/" : "");
		if (!(su.match = keep(l->b, pat, strlen(pat))))
			return tg_err_nomem(l->err);
		robust(d->counts, d->n, &med, &mad);
		su.usual_tests = (int64_t)llround(med);
		su.min_tests = (int64_t)floor(med * TG_SUITE_TESTS_SHARE);
		robust(d->totals, d->n, &med, &mad);
		su.usual_duration = med;
		su.min_duration = med * TG_SUITE_DURATION_SHARE;
		su.samples = (int64_t)d->n;
		if (!tg_grow((void **)&l->b->suites, &l->b->suites_cap,
			     l->b->nsuites + 1, sizeof(*l->b->suites)))
			return tg_err_nomem(l->err);
		l->b->suites[l->b->nsuites++] = su;
	}
	return 0;
}

static int cmp_test(const void *a, const void *b)
{
	return strcmp(((const tg_baseline_test *)a)->match,
		      ((const tg_baseline_test *)b)->match);
}

int tg_baseline_learn(tg_baseline **out, size_t *runs_used, tg_store *st,
		      const tg_learn_opts *o, tg_err *err)
{
	tg_learn_opts dflt = TG_LEARN_OPTS_INIT;
	learner l;
	int64_t *runs = NULL;
	size_t nruns = 0, i;
	char origin[160];
	int rc;

	*out = NULL;
	*runs_used = 0;
	if (!o)
		o = &dflt;
	memset(&l, 0, sizeof(l));
	l.err = err;
	l.dir_index = (tg_strindex)TG_STRINDEX_INIT(dir_key, &l);
	rc = tg_store__runs_before(&runs, &nruns, st, o->before_run,
				   o->runs ? o->runs : 20, o->where,
				   o->where_count, err);
	if (rc == 0 && !(l.b = baseline_new("")))
		rc = tg_err_nomem(err);
	for (i = 0; rc == 0 && i < nruns; i++)
		rc = read_run(&l, st, runs[i]);
	/* what the reports print as their basis: say what was left out */
	snprintf(origin, sizeof(origin), "history of %zu run%s", nruns,
		 nruns == 1 ? "" : "s");
	if (l.left_out)
		snprintf(origin + strlen(origin),
			 sizeof(origin) - strlen(origin),
			 " (%zu pass%s left out: a fallback to a mock, a "
			 "failed connection or an unawaited coroutine in %s)",
			 l.left_out, l.left_out == 1 ? "" : "es",
			 l.left_out == 1 ? "its output" : "their output");
	if (rc == 0 && !set_origin(l.b, origin))
		rc = tg_err_nomem(err);
	if (rc == 0)
		rc = conclude(&l, o, nruns);
	for (i = 0; i < l.nslots; i++)
		tg_free(l.slots[i].durs);
	for (i = 0; i < l.ndirs; i++) {
		tg_free(l.dirs[i].counts);
		tg_free(l.dirs[i].totals);
	}
	tg_free(l.slots);
	tg_free(l.dirs);
	tg_strindex_free(&l.dir_index);
	tg_free(l.net_tests);
	tg_free(l.bad_tests);
	tg_free(runs);
	if (rc == 0 && l.b->ntests > 1)
		qsort(l.b->tests, l.b->ntests, sizeof(*l.b->tests), cmp_test);
	if (rc == 0)
		rc = index_entries(l.b, err);
	if (rc) {
		tg_baseline_free(l.b);
		return rc;
	}
	*runs_used = nruns;
	*out = l.b;
	return 0;
}

/* ---- writing --------------------------------------------------------- */

static double round3(double v)
{
	return floor(v * 1000 + 0.5) / 1000;
}

char *tg_baseline_to_json(const tg_baseline *b)
{
	cJSON *doc = cJSON_CreateObject(), *tests, *suites;
	char *text;
	size_t i, k;

	if (!doc)
		return NULL;
	cJSON_AddNumberToObject(doc, "truegreen_baseline", 1);
	cJSON_AddStringToObject(doc, "origin", b->origin);
	tests = cJSON_AddArrayToObject(doc, "tests");
	for (i = 0; i < b->ntests; i++) {
		const tg_baseline_test *t = &b->tests[i];
		cJSON *o = cJSON_CreateObject(), *kinds;
		cJSON_AddItemToArray(tests, o);
		cJSON_AddStringToObject(o, "match", t->match);
		if (t->has_min_duration)
			cJSON_AddNumberToObject(o, "min_duration",
						round3(t->min_duration));
		if (t->has_expected) {
			cJSON_AddNumberToObject(o, "expected_duration",
						round3(t->expected));
			cJSON_AddNumberToObject(o, "spread", round3(t->spread));
		}
		if (t->requires_network >= 0)
			cJSON_AddBoolToObject(o, "requires_network",
					      t->requires_network);
		if (t->nnetwork) {
			kinds = cJSON_AddArrayToObject(o, "network");
			for (k = 0; k < t->nnetwork; k++)
				cJSON_AddItemToArray(
					kinds, cJSON_CreateString(t->network[k]));
		}
		if (t->samples) {
			cJSON_AddNumberToObject(o, "samples", (double)t->samples);
			cJSON_AddNumberToObject(o, "network_share",
						round3(t->network_share));
		}
	}
	suites = cJSON_AddArrayToObject(doc, "suites");
	for (i = 0; i < b->nsuites; i++) {
		const tg_baseline_suite *s = &b->suites[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddItemToArray(suites, o);
		cJSON_AddStringToObject(o, "match", s->match);
		if (s->min_tests >= 0)
			cJSON_AddNumberToObject(o, "min_tests",
						(double)s->min_tests);
		if (s->min_duration >= 0)
			cJSON_AddNumberToObject(o, "min_duration",
						round3(s->min_duration));
		if (s->samples)
			cJSON_AddNumberToObject(o, "samples", (double)s->samples);
	}
	text = cJSON_Print(doc);
	cJSON_Delete(doc);
	return text;
}

void tg_baseline_text_free(char *s)
{
	cJSON_free(s);
}
