/*
 * truegreen/store.h - open and close the SQLite store.
 *
 * A tg_store owns one SQLite connection.  Opening it applies any missing
 * schema migration (in one transaction) and refuses a database written by
 * a newer truegreen.  A tg_store is not thread-safe: use one per thread.
 */
#ifndef TG_STORE_H
#define TG_STORE_H

#include <stdbool.h>
#include "truegreen/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tg_store tg_store;

typedef struct tg_store_opts {
	unsigned version;     /* TG_STORE_OPTS_VERSION */
	bool readonly;        /* open without writing (no migration) */
	unsigned lock_wait_ms; /* how long a writer waits for the lock */
	bool existing;        /* never create one: a missing database is
				 an error (readonly implies it) */
} tg_store_opts;

#define TG_STORE_OPTS_VERSION 1
#define TG_STORE_OPTS_INIT {TG_STORE_OPTS_VERSION, false, 120000, false}

/*
 * Open (creating if needed) the database at path; ":memory:" works.
 * opts may be NULL for the defaults.  On success *out is a new store the
 * caller frees with tg_store_close().  Returns 0, TG_EUSAGE (an empty
 * path: SQLite's temporary database, gone at close), TG_EDB (cannot open,
 * not a truegreen database, newer schema, locked) or TG_ENOMEM.
 */
int tg_store_open(tg_store **out, const char *path, const tg_store_opts *opts,
		  tg_err *err);

/* Close the store and free it; NULL is a no-op. */
void tg_store_close(tg_store *st);

/* The schema version this build writes (PRAGMA user_version). */
int tg_store_schema_version(void);

#ifdef __cplusplus
}
#endif
#endif
