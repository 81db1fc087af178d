/*
 * helpers.c - shared test helpers (see helpers.h).
 */
#include "helpers.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sha256.h"

tg_store *th_store_memory(void)
{
	tg_err err = TG_ERR_INIT;
	tg_store *st = NULL;

	assert_int_equal(tg_store_open(&st, ":memory:", NULL, &err), 0);
	assert_non_null(st);
	return st;
}

int th_import(tg_store *st, const char *const *paths, size_t n,
	      tg_import_result *res, tg_err *err)
{
	tg_import_opts o = TG_IMPORT_OPTS_INIT;
	tg_import *imp = NULL;
	size_t i;
	int rc;

	o.dry_run = st == NULL;
	rc = tg_import_new(&imp, st, &o, err);
	for (i = 0; rc == 0 && i < n; i++)
		rc = tg_import_add_path(imp, paths[i], err);
	if (rc == 0)
		rc = tg_import_finish(imp, res, err);
	tg_import_free(imp);
	return rc;
}

int th_import1(tg_store *st, const char *path, tg_import_result *res,
	       tg_err *err)
{
	return th_import(st, &path, 1, res, err);
}

static char *dup_or_null(const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	assert_non_null(d);
	return d;
}

static int collect_one(const tg_test_info *t, void *payload)
{
	th_tests *out = payload;
	th_test *v = realloc(out->v, (out->n + 1) * sizeof(*v));

	assert_non_null(v);
	out->v = v;
	v = &out->v[out->n++];
	v->id = dup_or_null(t->test_id);
	v->outcome = dup_or_null(t->outcome);
	v->file = dup_or_null(t->file);
	v->status = dup_or_null(t->status);
	v->message = dup_or_null(t->message);
	v->line = t->line;
	v->has_duration = t->has_duration;
	v->duration = t->duration;
	v->attempts = t->attempts;
	return 0;
}

void th_collect(tg_store *st, int64_t run, th_tests *out)
{
	tg_err err = TG_ERR_INIT;

	out->v = NULL;
	out->n = 0;
	assert_int_equal(tg_tests_each(st, run, collect_one, out, &err), 0);
}

const th_test *th_find(const th_tests *t, const char *id)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i].id, id) == 0)
			return &t->v[i];
	return NULL;
}

void th_tests_free(th_tests *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].id);
		free(t->v[i].outcome);
		free(t->v[i].file);
		free(t->v[i].status);
		free(t->v[i].message);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

static int cmp_hex(const void *a, const void *b)
{
	return memcmp(a, b, 65);
}

/* Hash one table's rows, order-independently. */
static void hash_table(sqlite3 *db, const char *table, tg_sha256 *all)
{
	char sql[256], (*rows)[65] = NULL;
	size_t n = 0, i;
	sqlite3_stmt *s;

	snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"", table);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		tg_sha256 h;
		int c;

		tg_sha256_init(&h);
		for (c = 0; c < sqlite3_column_count(s); c++) {
			int type = sqlite3_column_type(s, c);
			const void *b = sqlite3_column_blob(s, c);
			tg_sha256_update(&h, &type, sizeof(type));
			if (b)
				tg_sha256_update(&h, b,
						 (size_t)sqlite3_column_bytes(s, c));
		}
		rows = realloc(rows, (n + 1) * sizeof(*rows));
		assert_non_null(rows);
		tg_sha256_final_hex(&h, rows[n++]);
	}
	sqlite3_finalize(s);
	if (n)
		qsort(rows, n, sizeof(*rows), cmp_hex);
	tg_sha256_update(all, table, strlen(table));
	for (i = 0; i < n; i++)
		tg_sha256_update(all, rows[i], 64);
	free(rows);
}

void th_db_checksum(const char *path, char hex[65])
{
	sqlite3 *db;
	sqlite3_stmt *s;
	tg_sha256 all;

	tg_sha256_init(&all);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT name FROM sqlite_schema "
					    "WHERE type = 'table' ORDER BY name",
					    -1, &s, NULL),
			 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		hash_table(db, (const char *)sqlite3_column_text(s, 0), &all);
	sqlite3_finalize(s);
	sqlite3_close(db);
	tg_sha256_final_hex(&all, hex);
}

void th_tmp_db(char *out, size_t n)
{
	static unsigned counter;

	snprintf(out, n, "%s/tg-test-%ld-%u.db",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid(),
		 counter++);
	th_rm_db(out);
}

void th_rm_db(const char *path)
{
	char p[4096];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

const char *th_write_tmp(const char *name, const void *data, size_t n)
{
	static char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/tg-test-%ld-%s",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid(),
		 name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	return path;
}
