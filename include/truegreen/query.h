/*
 * truegreen/query.h - read runs and tests back from the store.
 *
 * Iteration functions call a callback once per row inside one read
 * transaction, so a concurrent import is either fully visible or not at
 * all.  Pointers handed to a callback are borrowed: valid only during that
 * call.  A callback returns 0 to continue or non-zero to stop; that value
 * is then returned by the iteration function.
 */
#ifndef TG_QUERY_H
#define TG_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "truegreen/error.h"
#include "truegreen/import.h"
#include "truegreen/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tg_run_info {
	int64_t id;
	const char *name;
	const char *imported_at;   /* ISO-8601 UTC */
	const char *digest;        /* SHA-256 of the run's content, hex */
	bool truncated;
	tg_counts counts;
	const tg_kv *meta;         /* CI context and --meta pairs */
	size_t meta_count;
} tg_run_info;

typedef struct tg_test_info {
	const char *test_id;
	const char *outcome;       /* passed|failed|error|skipped|flaky */
	bool has_duration;
	double duration;           /* seconds, of the deciding attempt */
	unsigned attempts;         /* observations merged into this test */
	const char *file;          /* NULL when unknown */
	int64_t line;              /* 1-based, 0 = unknown */
	const char *status;        /* "disabled", "xfail", ... or NULL */
	const char *message;       /* failure/error/skip message or NULL */
} tg_test_info;

typedef int (*tg_run_cb)(const tg_run_info *run, void *payload);
typedef int (*tg_test_cb)(const tg_test_info *test, void *payload);

/* Every run, oldest first. */
int tg_runs_each(tg_store *st, tg_run_cb cb, void *payload, tg_err *err);

/*
 * Resolve a run selector to an id: NULL or "latest" (the newest run), a
 * run name, or a numeric id.  Returns 0, TG_EUSAGE (no such run) or TG_EDB.
 */
int tg_run_resolve(int64_t *out, tg_store *st, const char *selector,
		   tg_err *err);

/* One run's summary through cb (called once). */
int tg_run_get(tg_store *st, int64_t run_id, tg_run_cb cb, void *payload,
	       tg_err *err);

/* The tests of one run, ordered by test id. */
int tg_tests_each(tg_store *st, int64_t run_id, tg_test_cb cb, void *payload,
		  tg_err *err);

/* A line of output that matched the signal catalog (truegreen/catalog.h). */
typedef struct tg_evidence_info {
	int64_t id;
	const char *test_id;       /* NULL: about the run, not one test */
	const char *headline;      /* the test's pytest headline when its
				      node id was never learnt, or NULL */
	const char *signal;        /* network, network_failure, mock, ... */
	const char *rule;          /* the catalog rule */
	const char *source;        /* the input it was read from */
	int64_t line;              /* in that input, 0 = unknown */
	const char *section;       /* "log call", "warning", "system-out"... */
	const char *text;          /* the line, as stored (untrusted) */
	const char *fields;        /* JSON object: the rule's named groups */
} tg_evidence_info;

typedef int (*tg_evidence_cb)(const tg_evidence_info *e, void *payload);

/*
 * The evidence of one run in input order; test_id and signal, when not
 * NULL, keep only that test's or that signal's.
 */
int tg_evidence_each(tg_store *st, int64_t run_id, const char *test_id,
		     const char *signal, tg_evidence_cb cb, void *payload,
		     tg_err *err);

/* A test module that could not be imported at collection. */
typedef struct tg_collect_info {
	const char *test_id;       /* the module, as a test id */
	const char *exc_type;      /* "ModuleNotFoundError", ... or NULL */
	const char *missing;       /* what could not be imported, or NULL */
	const char *message;       /* the exception's text, or NULL */
	const char *chain;         /* JSON array: test module -> ... -> failing */
	const char *source;
	int64_t line;
} tg_collect_info;

typedef int (*tg_collect_cb)(const tg_collect_info *c, void *payload);

/* The collection errors of one run, in input order. */
int tg_collection_errors_each(tg_store *st, int64_t run_id, tg_collect_cb cb,
			      void *payload, tg_err *err);

#ifdef __cplusplus
}
#endif
#endif
