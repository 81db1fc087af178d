/*
 * store_query.c - the public read API (truegreen/query.h).
 *
 * Every function reads inside one transaction, so it sees a run either
 * whole or not at all.  Rows go to the caller's callback with borrowed
 * pointers, valid only during the call.
 */
#include "store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "err.h"
#include "limits.h"
#include "truegreen/query.h"

static const char *col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

/* Begin a read unless a transaction is already open (nested use). */
static int read_begin(tg_store *st, bool *began, tg_err *err)
{
	*began = false;
	if (st->in_txn)
		return 0;
	if (tg_store__begin_read(st, err))
		return TG_EDB;
	*began = true;
	return 0;
}

static void read_end(tg_store *st, bool began)
{
	if (began)
		tg_store__rollback(st); /* a read: nothing to keep */
}

/* The meta pairs of a run, copied (their strings live until freed). */
typedef struct meta_list {
	tg_kv *kv;
	size_t n, cap;
} meta_list;

static void meta_release(meta_list *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		tg_free((void *)m->kv[i].key);
		tg_free((void *)m->kv[i].value);
	}
	tg_free(m->kv);
	memset(m, 0, sizeof(*m));
}

static int meta_load(meta_list *m, tg_store *st, int64_t run, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_META_LIST, err);
	int rc;

	if (!s)
		return TG_EDB;
	sqlite3_bind_int64(s, 1, run);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *k = col_text(s, 0), *v = col_text(s, 1);
		if (!tg_grow((void **)&m->kv, &m->cap, m->n + 1,
			     sizeof(*m->kv))) {
			sqlite3_reset(s);
			return tg_err_nomem(err);
		}
		m->kv[m->n].key = tg_strdup(k ? k : "");
		m->kv[m->n].value = tg_strdup(v ? v : "");
		m->n++;
		if (!m->kv[m->n - 1].key || !m->kv[m->n - 1].value) {
			sqlite3_reset(s);
			return tg_err_nomem(err);
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : tg_store__fail(st, err, "cannot read run metadata");
}

static void run_from_row(tg_run_info *r, sqlite3_stmt *s)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(s, 0);
	r->name = col_text(s, 1);
	r->imported_at = col_text(s, 2);
	r->digest = col_text(s, 3);
	r->truncated = sqlite3_column_int(s, 4) != 0;
	tg_store__counts(&r->counts, s, 5);
}

/*
 * Step s, a runs query, calling cb per row with the run's meta.  The meta
 * query needs its own statement, so rows are read one at a time and the
 * meta loaded between steps (S_META_LIST is a different statement).
 */
static int each_run(tg_store *st, sqlite3_stmt *s, tg_run_cb cb,
		    void *payload, tg_err *err)
{
	int rc, cbrc = 0;

	while (cbrc == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		meta_list m = {0};
		tg_run_info r;

		run_from_row(&r, s);
		if (meta_load(&m, st, r.id, err)) {
			meta_release(&m);
			sqlite3_reset(s);
			return TG_EDB;
		}
		r.meta = m.kv;
		r.meta_count = m.n;
		cbrc = cb(&r, payload);
		meta_release(&m);
	}
	if (cbrc == 0 && rc != SQLITE_DONE)
		cbrc = tg_store__fail(st, err, "cannot read runs");
	sqlite3_reset(s);
	return cbrc;
}

/* Runs through cb, in one read: all of them (run_id 0) or one. */
static int runs_query(tg_store *st, int64_t run_id, tg_run_cb cb,
		      void *payload, tg_err *err)
{
	sqlite3_stmt *s;
	bool began;
	int rc;

	if (read_begin(st, &began, err))
		return TG_EDB;
	s = tg_store__stmt(st, run_id ? S_RUN_GET : S_RUNS_LIST, err);
	if (s && run_id)
		sqlite3_bind_int64(s, 1, run_id);
	rc = s ? each_run(st, s, cb, payload, err) : TG_EDB;
	read_end(st, began);
	return rc;
}

int tg_runs_each(tg_store *st, tg_run_cb cb, void *payload, tg_err *err)
{
	return runs_query(st, 0, cb, payload, err);
}

int tg_run_get(tg_store *st, int64_t run_id, tg_run_cb cb, void *payload,
	       tg_err *err)
{
	return runs_query(st, run_id > 0 ? run_id : -1, cb, payload, err);
}

static bool parse_id(const char *sel, int64_t *out)
{
	char *end;
	long long v;

	if (!sel[0] || sel[0] < '0' || sel[0] > '9')
		return false;
	errno = 0;
	v = strtoll(sel, &end, 10);
	if (errno || *end || v <= 0)
		return false;
	*out = v;
	return true;
}

int tg_run_resolve(int64_t *out, tg_store *st, const char *sel, tg_err *err)
{
	sqlite3_stmt *s;
	int64_t id;
	int rc;

	*out = 0;
	if (!sel || strcmp(sel, "latest") == 0) {
		s = tg_store__stmt(st, S_RUN_LATEST, err);
	} else {
		/* A name first: "42" may be a run's name as well as an id. */
		if (tg_store__run_find(out, st, false, sel, NULL, 0, err))
			return TG_EDB;
		if (*out)
			return 0;
		if (!parse_id(sel, &id))
			return tg_err_set(err, TG_EUSAGE,
					  "no run named '%s'", sel);
		s = tg_store__stmt(st, S_RUN_BY_ID, err);
		if (s)
			sqlite3_bind_int64(s, 1, id);
	}
	if (!s)
		return TG_EDB;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return tg_store__fail(st, err, "cannot look up a run");
	if (!*out)
		return sel && strcmp(sel, "latest") != 0
			       ? tg_err_set(err, TG_EUSAGE, "no run '%s'", sel)
			       : tg_err_set(err, TG_EUSAGE,
					    "the database holds no run yet; "
					    "import one first");
	return 0;
}

/*
 * Step a listing statement in one read snapshot: bind fills its
 * parameters, row hands each row to the caller's callback and returns
 * that callback's value (non-zero stops).
 */
static int each_row(tg_store *st, tg_stmt_id id, const char *what,
		    void (*bind)(sqlite3_stmt *s, const void *args),
		    const void *args, int (*row)(sqlite3_stmt *s, void *ctx),
		    void *ctx, tg_err *err)
{
	sqlite3_stmt *s;
	bool began;
	int rc = SQLITE_DONE, cbrc = 0;

	if (read_begin(st, &began, err))
		return TG_EDB;
	s = tg_store__stmt(st, id, err);
	if (!s) {
		read_end(st, began);
		return TG_EDB;
	}
	bind(s, args);
	while (cbrc == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW)
		cbrc = row(s, ctx);
	if (cbrc == 0 && rc != SQLITE_DONE)
		cbrc = tg_store__fail(st, err, what);
	sqlite3_reset(s);
	read_end(st, began);
	return cbrc;
}

typedef struct listing {
	int64_t run;
	const char *test_id, *signal;
	/* the caller's callback: the one of the listing's type */
	tg_test_cb on_test;
	tg_evidence_cb on_evidence;
	tg_collect_cb on_collect;
	void *payload;
} listing;

static void bind_listing(sqlite3_stmt *s, const void *args)
{
	const listing *l = args;

	sqlite3_bind_int64(s, 1, l->run);
	if (sqlite3_bind_parameter_count(s) >= 3) {
		tg_store__bind_text(s, 2, l->test_id,
				    l->test_id ? strlen(l->test_id) : 0, true);
		tg_store__bind_text(s, 3, l->signal,
				    l->signal ? strlen(l->signal) : 0, true);
	}
}

static int test_row(sqlite3_stmt *s, void *ctx)
{
	const listing *l = ctx;
	tg_test_info t;

	memset(&t, 0, sizeof(t));
	t.test_id = col_text(s, 0);
	t.outcome = col_text(s, 1);
	t.has_duration = sqlite3_column_type(s, 2) != SQLITE_NULL;
	t.duration = sqlite3_column_double(s, 2);
	t.attempts = (unsigned)sqlite3_column_int(s, 3);
	t.file = col_text(s, 4);
	t.line = sqlite3_column_int64(s, 5);
	t.status = col_text(s, 6);
	t.message = col_text(s, 7);
	return l->on_test(&t, l->payload);
}

int tg_tests_each(tg_store *st, int64_t run_id, tg_test_cb cb, void *payload,
		  tg_err *err)
{
	listing l = {run_id, NULL, NULL, cb, NULL, NULL, payload};

	return each_row(st, S_TESTS_LIST, "cannot read tests", bind_listing,
			&l, test_row, &l, err);
}

static int evidence_row(sqlite3_stmt *s, void *ctx)
{
	const listing *l = ctx;
	tg_evidence_info e;

	e.id = sqlite3_column_int64(s, 0);
	e.test_id = col_text(s, 1);
	e.signal = col_text(s, 2);
	e.rule = col_text(s, 3);
	e.source = col_text(s, 4);
	e.line = sqlite3_column_int64(s, 5);
	e.section = col_text(s, 6);
	e.text = col_text(s, 7);
	e.fields = col_text(s, 8);
	e.headline = col_text(s, 9);
	return l->on_evidence(&e, l->payload);
}

int tg_evidence_each(tg_store *st, int64_t run_id, const char *test_id,
		     const char *signal, tg_evidence_cb cb, void *payload,
		     tg_err *err)
{
	listing l = {run_id, test_id, signal, NULL, cb, NULL, payload};

	return each_row(st, S_EVIDENCE_LIST, "cannot read evidence",
			bind_listing, &l, evidence_row, &l, err);
}

static int collect_row(sqlite3_stmt *s, void *ctx)
{
	const listing *l = ctx;
	tg_collect_info c;

	c.test_id = col_text(s, 0);
	c.exc_type = col_text(s, 1);
	c.missing = col_text(s, 2);
	c.message = col_text(s, 3);
	c.chain = col_text(s, 4);
	c.source = col_text(s, 5);
	c.line = sqlite3_column_int64(s, 6);
	return l->on_collect(&c, l->payload);
}

int tg_collection_errors_each(tg_store *st, int64_t run_id, tg_collect_cb cb,
			      void *payload, tg_err *err)
{
	listing l = {run_id, NULL, NULL, NULL, NULL, cb, payload};

	return each_row(st, S_COLLECT_LIST, "cannot read collection errors",
			bind_listing, &l, collect_row, &l, err);
}
