/*
 * store_prune.c - delete runs, every row of them, and the test names
 * nothing refers to any more; nothing else.
 *
 * Knows the schema: the statements S_PRUNE_FIRST..S_PRUNE_LAST in
 * store.c name every table that holds rows of a run, children first, and
 * S_NAMES_ORPHANED every table that refers to a test name.  test_prune
 * (tests/test_prune.c) checks that pruning every run empties every table
 * and leaves no reference dangling, so a table added later without its
 * delete here fails the suite.
 */
#include "store.h"

#include "err.h"
#include "truegreen/prune.h"

int tg_store__run_delete(tg_store *st, int64_t run, tg_err *err)
{
	int id;

	for (id = S_PRUNE_FIRST; id <= S_PRUNE_LAST; id++) {
		sqlite3_stmt *s = tg_store__stmt(st, (tg_stmt_id)id, err);
		if (!s)
			return TG_EDB;
		if (sqlite3_bind_int64(s, 1, run) != SQLITE_OK)
			return tg_store__fail(st, err, "cannot delete a run");
		if (tg_store__exec(st, s, "cannot delete a run", err))
			return TG_EDB;
	}
	return 0;
}

int tg_store__run_total(size_t *out, tg_store *st, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_RUN_TOTAL, err);
	int64_t n = 0;
	int rc;

	*out = 0;
	if (!s)
		return TG_EDB;
	rc = tg_store__scalar(&n, st, s, "cannot count runs", err);
	*out = (size_t)n;
	return rc;
}

int tg_store_vacuum(tg_store *st, tg_err *err)
{
	if (sqlite3_exec(st->db, "VACUUM", NULL, NULL, NULL) != SQLITE_OK)
		return tg_store__fail(st, err, "cannot vacuum the database");
	return 0;
}

int tg_store__names_orphaned(size_t *out, tg_store *st, tg_err *err)
{
	sqlite3_stmt *s = tg_store__stmt(st, S_NAMES_ORPHANED, err);

	*out = 0;
	if (!s || tg_store__exec(st, s, "cannot delete test names", err))
		return TG_EDB;
	*out = (size_t)sqlite3_changes(st->db);
	return 0;
}
