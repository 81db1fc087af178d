/*
 * prune.c - choose the runs to delete and delete them in one transaction
 * (truegreen/prune.h).  The SQL is in store_prune.c.
 */
#include "truegreen/prune.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "err.h"
#include "period.h"
#include "store.h"

/* The ids chosen so far, newest first, and what chooses them. */
typedef struct choice {
	const tg_prune_opts *o;
	int64_t *ids;
	size_t n, cap;
} choice;

static int add(choice *c, int64_t id, tg_err *err)
{
	if (!tg_grow((void **)&c->ids, &c->cap, c->n + 1, sizeof(*c->ids)))
		return tg_err_nomem(err);
	c->ids[c->n++] = id;
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int cmp_id_desc(const void *a, const void *b)
{
	return cmp_id(b, a);
}

/* The runs named, in any order and perhaps twice (--run x --run x):
 * newest first, once each, as the criteria give them. */
static int named(choice *c, tg_store *st, tg_err *err)
{
	size_t i, n = 0;

	for (i = 0; i < c->o->run_count; i++) {
		int64_t id;
		if (tg_run_resolve(&id, st, c->o->runs[i], err) ||
		    add(c, id, err))
			return err->code;
	}
	if (c->n > 1)
		qsort(c->ids, c->n, sizeof(*c->ids), cmp_id_desc);
	for (i = 0; i < c->n; i++)
		if (n == 0 || c->ids[n - 1] != c->ids[i])
			c->ids[n++] = c->ids[i];
	c->n = n;
	return 0;
}

/* The runs --where picks, newest first, less the newest keep of them,
 * and only those imported before the bound (before: NULL, any). */
static int by_criteria(choice *c, tg_store *st, const char *before,
		       tg_err *err)
{
	int64_t *ids = NULL, *old = NULL;
	size_t n = 0, nold = 0, i;
	int rc;

	rc = tg_store__runs_before(&ids, &n, st, 0, SIZE_MAX, c->o->where,
				   c->o->where_count, err);
	/* ascending ids, as the query returns them; every imported_at
	 * is after the year 0 */
	if (rc == 0 && before)
		rc = tg_store__runs_between(&old, &nold, st, "0000-01-01",
					    before, SIZE_MAX, c->o->where,
					    c->o->where_count, err);
	for (i = c->o->keep; rc == 0 && i < n; i++)
		if (!before || (nold && bsearch(&ids[i], old, nold,
						sizeof(*old), cmp_id)))
			rc = add(c, ids[i], err);
	tg_free(ids);
	tg_free(old);
	return rc;
}

static int check_opts(const tg_prune_opts *o, tg_err *err)
{
	bool criteria = o->before || o->keep || o->where_count;

	if (o->run_count && criteria)
		return tg_err_set(err, TG_EUSAGE,
				  "runs named to delete cannot be combined "
				  "with --before, --keep or --where");
	if (!o->run_count && !criteria)
		return tg_err_set(err, TG_EUSAGE,
				  "name the runs to delete: --run, --before, "
				  "--keep or --where (nothing is deleted by "
				  "default)");
	return 0;
}

/* Report and delete the chosen runs, oldest first. */
static int delete_chosen(const choice *c, tg_store *st, tg_run_cb cb,
			 void *payload, tg_err *err)
{
	size_t i = c->n;
	int rc;

	while (i-- > 0) {
		if (cb && (rc = tg_run_get(st, c->ids[i], cb, payload, err)))
			return rc;
		if (!c->o->dry_run && tg_store__run_delete(st, c->ids[i], err))
			return TG_EDB;
	}
	return 0;
}

int tg_prune(tg_store *st, const tg_prune_opts *opts, tg_run_cb cb,
	     void *payload, tg_prune_result *out, tg_err *err)
{
	tg_prune_opts none = TG_PRUNE_OPTS_INIT;
	tg_period_time before;
	choice c = {NULL, NULL, 0, 0};
	size_t total = 0, names = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!opts)
		opts = &none; /* which names nothing to delete: refused */
	c.o = opts;
	if (check_opts(opts, err))
		return err->code;
	if (opts->before &&
	    tg_period_bound(before, opts->before, "--before", err))
		return err->code;
	rc = opts->dry_run ? tg_store__begin_read(st, err)
			   : tg_store__begin_bulk(st, err);
	if (rc == 0)
		rc = opts->run_count
			     ? named(&c, st, err)
			     : by_criteria(&c, st, opts->before ? before : NULL,
					   err);
	if (rc == 0)
		rc = delete_chosen(&c, st, cb, payload, err);
	if (rc == 0 && !opts->dry_run && c.n)
		rc = tg_store__names_orphaned(&names, st, err);
	if (rc == 0)
		rc = tg_store__run_total(&total, st, err);
	if (rc == 0 && !opts->dry_run)
		rc = tg_store__commit(st, err);
	tg_store__rollback(st); /* a read, or a failed write: nothing kept */
	tg_free(c.ids);
	if (rc == 0) {
		out->deleted = c.n;
		out->kept = opts->dry_run ? total - c.n : total;
		out->names = names;
	}
	return rc;
}
