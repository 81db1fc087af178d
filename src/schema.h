/*
 * schema.h - the SQL migrations of schema/, embedded at build time.
 *
 * tg_migrations[i] takes a database from version i to i + 1; the store
 * applies the missing ones, and sets PRAGMA user_version, in one
 * transaction.  Migrations only go forward.
 */
#ifndef TG_SCHEMA_H
#define TG_SCHEMA_H

typedef struct tg_migration {
	int version;        /* user_version after it ran */
	const char *name;   /* file name, for messages */
	const char *sql;
} tg_migration;

extern const tg_migration tg_migrations[];
extern const int tg_schema_latest;

/* The oldest schema every read works on: a read-only open of an older
 * database is refused until a write migrates it.  Raise it with a
 * migration that changes what reads see (003 only added an index; 004
 * added sources.stopped_at and 005 sessions.stopped_after, which analyze
 * reads). */
#define TG_SCHEMA_READ_MIN 5

/* PRAGMA application_id of a truegreen database ('TGR1'). */
#define TG_APPLICATION_ID 1414878769

#endif
