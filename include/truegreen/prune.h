/*
 * truegreen/prune.h - delete runs: the retention of a history kept in a
 * CI cache, and the way out of a run imported by mistake.
 *
 * A run goes whole: its results with their text and properties, its
 * evidence, collection errors, sessions, suites, inputs, warnings and
 * metadata.  Every run one call deletes goes in one write transaction:
 * on any error nothing is deleted.  Test names go when no run left refers
 * to them (parametrized ids that change every run would otherwise pile
 * up).  Freed pages are reused by later imports; the file shrinks only
 * with tg_store_vacuum().
 */
#ifndef TG_PRUNE_H
#define TG_PRUNE_H

#include <stdbool.h>
#include <stddef.h>
#include "truegreen/error.h"
#include "truegreen/import.h"
#include "truegreen/query.h"
#include "truegreen/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Which runs to delete.  Either runs (names or ids, as tg_run_resolve
 * takes them), or the criteria below; a run is deleted when it meets
 * every criterion given, and at least one must be given: nothing is
 * deleted by default.
 */
typedef struct tg_prune_opts {
	unsigned version;          /* TG_PRUNE_OPTS_VERSION */
	const char *const *runs;   /* these runs, exactly */
	size_t run_count;
	const char *before;        /* imported before: "30d", "YYYY-MM-DD"
				      or "YYYY-MM-DDTHH:MM:SSZ"; NULL: any */
	size_t keep;               /* spare the newest keep runs (of those
				      where matches); 0: spare none */
	const tg_kv *where;        /* only runs whose meta holds every pair */
	size_t where_count;
	bool dry_run;              /* choose and report; delete nothing */
} tg_prune_opts;

#define TG_PRUNE_OPTS_VERSION 1
#define TG_PRUNE_OPTS_INIT                                                    \
	{TG_PRUNE_OPTS_VERSION, NULL, 0, NULL, 0, NULL, 0, false}

typedef struct tg_prune_result {
	size_t deleted;            /* runs deleted (or, dry, to delete) */
	size_t kept;               /* runs left in the store */
	size_t names;              /* test names no run left refers to,
				      deleted with them (0 in a dry run) */
} tg_prune_result;

/*
 * Delete the runs opts chooses, oldest first, calling cb (may be NULL)
 * with each before it goes; a non-zero return from cb stops and deletes
 * nothing.  Returns 0, TG_EUSAGE (no criterion, runs mixed with
 * criteria, an unknown run, a bad bound), TG_EDB, or cb's value.
 */
int tg_prune(tg_store *st, const tg_prune_opts *opts, tg_run_cb cb,
	     void *payload, tg_prune_result *out, tg_err *err);

/*
 * Give the pages deleted runs freed back to the file system: SQLite's
 * VACUUM rewrites the whole file, so it needs as much free disk as the
 * database takes, and waits for other connections' transactions.  A
 * failure leaves the database as it was.  0 or TG_EDB.
 */
int tg_store_vacuum(tg_store *st, tg_err *err);

#ifdef __cplusplus
}
#endif
#endif
