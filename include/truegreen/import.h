/*
 * truegreen/import.h - import test reports into the store as one run.
 *
 * An import is a session: tg_import_new() opens a write transaction,
 * tg_import_add_*() stream inputs through the parser chosen by their
 * content, and tg_import_finish() merges reruns, records counts and
 * commits.  Anything that fails before the commit rolls back: the
 * database is exactly as before.  tg_import_free() on an unfinished
 * import rolls it back too.
 */
#ifndef TG_IMPORT_H
#define TG_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "truegreen/catalog.h"
#include "truegreen/error.h"
#include "truegreen/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tg_import tg_import;

/* Per-run outcome counts.  tests = passed+failed+errors+skipped+flaky. */
typedef struct tg_counts {
	uint64_t tests;
	uint64_t passed, failed, errors, skipped, flaky;
	uint64_t results;  /* observations before reruns were merged */
	double duration;   /* sum of the tests' durations, seconds */
} tg_counts;

/*
 * The outcome counts as every report prints them, "3 passed, 1 failed,
 * 1 error, 0 skipped, 0 flaky", into buf (always NUL-terminated when
 * cap > 0; 128 bytes always suffice).  Returns buf.
 */
const char *tg_counts_outcomes(char *buf, size_t cap, const tg_counts *c);

/* A warning about an input that did not stop the import. */
typedef struct tg_diag {
	const char *file;      /* display name of the input */
	uint64_t line, col;    /* 1-based, 0 = unknown */
	uint64_t offset;       /* byte offset, UINT64_MAX = unknown */
	const char *msg;       /* lowercase, no control characters */
} tg_diag;

typedef void (*tg_diag_fn)(const tg_diag *d, void *payload);
typedef const char *(*tg_getenv_fn)(const char *name, void *payload);

/* How far an import got: reported every few MiB of an input and when
 * an input is done, for a progress bar. */
typedef struct tg_progress {
	const char *file;      /* the input being read */
	uint64_t done;         /* its bytes read so far */
	uint64_t total;        /* its size; 0 when unknown (a pipe) */
	size_t files_done;     /* inputs finished, this one included when
				  done == total */
} tg_progress;

typedef void (*tg_progress_fn)(const tg_progress *p, void *payload);

typedef struct tg_kv {
	const char *key;
	const char *value;
} tg_kv;

typedef struct tg_import_opts {
	unsigned version;      /* TG_IMPORT_OPTS_VERSION */
	const char *run_name;  /* NULL: "run-" + the content digest's prefix */
	const tg_kv *meta;     /* user KEY=VALUE pairs stored with the run */
	size_t meta_count;
	/* CI context lookup (GitHub, GitLab, Jenkins, ...); NULL: none. */
	tg_getenv_fn getenv;
	void *getenv_payload;
	uint64_t output_cap;   /* bytes of system-out/-err kept per test;
				  0: TG_DEFAULT_OUTPUT_CAP */
	bool dry_run;          /* parse and count only; store may be NULL */
	tg_diag_fn diag;       /* warnings; NULL: dropped */
	void *diag_payload;
	const char *now;       /* ISO-8601 import time; NULL: the clock */
	/* The parser of every input: "junit", "pytest" or "reportlog";
	 * NULL: recognised by content. */
	const char *format;
	/* The signal catalog that turns output into evidence; NULL: the
	 * built-in one (loaded by the import). */
	tg_catalog *catalog;
	tg_progress_fn progress; /* NULL: not reported */
	void *progress_payload;
} tg_import_opts;

#define TG_IMPORT_OPTS_VERSION 1
#define TG_IMPORT_OPTS_INIT                                                    \
	{TG_IMPORT_OPTS_VERSION, NULL, NULL, 0, NULL, NULL, 0,                 \
	 false, NULL, NULL, NULL, NULL, NULL, NULL, NULL}

#define TG_RUN_NAME_MAX 128

typedef struct tg_import_result {
	int64_t run_id;        /* 0 for a dry run */
	char run_name[TG_RUN_NAME_MAX];
	bool duplicate;        /* identical content already stored as run_id */
	bool truncated;        /* an input ended early; complete cases kept */
	size_t sources;        /* inputs read */
	tg_counts counts;
	uint64_t evidence;     /* lines that matched the signal catalog */
	uint64_t collection_errors; /* test modules that failed to import */
	uint64_t disagreements; /* where the inputs disagree (diagnostics) */
} tg_import_result;

/*
 * Start an import into st (NULL allowed only with opts->dry_run).  Takes
 * the database write lock, waiting as tg_store_opts.lock_wait_ms says.
 * Returns 0, TG_EDB, TG_EUSAGE (bad option) or TG_ENOMEM.
 */
int tg_import_new(tg_import **out, tg_store *st, const tg_import_opts *opts,
		  tg_err *err);

/*
 * Add a file, a directory (every report under it, recognised by content;
 * files that are not reports are skipped with a warning) or "-" for
 * standard input.  Returns 0, TG_EINPUT, TG_EIO, TG_ELIMIT, TG_EDB or
 * TG_ENOMEM; after an error the import can only be freed.
 */
int tg_import_add_path(tg_import *imp, const char *path, tg_err *err);

/* Add an input held in memory; name is how messages refer to it. */
int tg_import_add_memory(tg_import *imp, const char *name, const void *data,
			 size_t len, tg_err *err);

/*
 * Merge reruns, count, and commit.  When the same content was imported
 * before, nothing is written and out->duplicate is set.  Returns 0,
 * TG_EINPUT (no input, or nothing importable), TG_EEXISTS (run name taken
 * by other content), TG_EDB or TG_ENOMEM.
 */
int tg_import_finish(tg_import *imp, tg_import_result *out, tg_err *err);

/* Free the import, rolling back anything not committed; NULL is a no-op. */
void tg_import_free(tg_import *imp);

#ifdef __cplusplus
}
#endif
#endif
