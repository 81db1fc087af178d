/*
 * helpers.h - what the cmocka tests share: fixture paths, an in-memory or
 * temporary store, importing through the public API, collecting a run's
 * tests, and a checksum of every row of a database.
 */
#ifndef TG_TEST_HELPERS_H
#define TG_TEST_HELPERS_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "truegreen/truegreen.h"

#ifndef TG_TEST_FIXTURES
#error "TG_TEST_FIXTURES must name tests/fixtures"
#endif
#define FIXTURE(rel) TG_TEST_FIXTURES "/" rel

/* |a - b| <= eps in double precision (cmocka's assert_float_equal
 * compares floats, which hides differences below about 1e-7). */
#define assert_near(a, b, eps) \
	assert_true(fabs((double)(a) - (double)(b)) <= (double)(eps))

typedef struct th_test {
	char *id, *outcome, *file, *status, *message;
	int64_t line;
	bool has_duration;
	double duration;
	unsigned attempts;
} th_test;

typedef struct th_tests {
	th_test *v;
	size_t n;
} th_tests;

/* A store in memory (asserts it opens). */
tg_store *th_store_memory(void);

/* Import paths as one run; returns the library's code. */
int th_import(tg_store *st, const char *const *paths, size_t n,
	      tg_import_result *res, tg_err *err);
int th_import1(tg_store *st, const char *path, tg_import_result *res,
	       tg_err *err);

/* Collect the tests of a run (asserts the query works). */
void th_collect(tg_store *st, int64_t run, th_tests *out);
const th_test *th_find(const th_tests *t, const char *id);
void th_tests_free(th_tests *t);

/* SHA-256 over every row of every table of the database at path. */
void th_db_checksum(const char *path, char hex[65]);

/* A fresh temporary path (removed with its -wal/-shm by th_rm_db). */
void th_tmp_db(char *out, size_t n);
void th_rm_db(const char *path);

/* Write n bytes to a new temporary file; returns its path (static). */
const char *th_write_tmp(const char *name, const void *data, size_t n);

#endif
