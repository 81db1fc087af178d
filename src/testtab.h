/*
 * testtab.h - the tests a log names, by pytest node id.
 *
 * A console log tells a test's outcome, its durations, its message and
 * its captured output in different sections, far apart; a report-log of
 * an xdist run interleaves the phases of tests on different workers.  The
 * log parsers keep one small record per test here until they can emit it.
 * Memory grows with the number of tests (limits.h, TG_MAX_LOG_TESTS), never
 * with the size of the log.
 *
 * Tests are also found by their pytest headline, the title of a FAILURES
 * or PASSES section: "TestGroup.test_method" for
 * "tests/test_x.py::TestGroup::test_method".  Two tests with one headline
 * (same function name in two files) make it ambiguous.
 *
 * Ownership: ids and messages belong to the table; pointers into it are
 * valid until the next tg_testtab_get() that creates an entry.
 */
#ifndef TG_TESTTAB_H
#define TG_TESTTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

typedef struct tg_tcase {
	uint32_t id_off, id_len;  /* the node id, in the table's arena */
	bool has_outcome;
	tg_outcome outcome;
	const char *status;       /* static: "xfail", "xpass", ... or NULL */
	char *message;            /* owned, or NULL */
	double dur[3];            /* setup, call, teardown seconds */
	unsigned char dur_mask;   /* which of dur[] are known */
	unsigned reruns;          /* earlier attempts that failed */
	bool attempt_reran;       /* the attempt under way said "rerun" */
	bool collection;          /* a module that failed to collect */
	bool emitted;
	bool head_ambiguous;      /* another test has its headline */
	uint64_t line;            /* where the log first named it */
} tg_tcase;

typedef struct tg_testtab {
	tg_tcase *v;
	size_t n, cap;
	char *arena;
	size_t alen, acap;
	uint32_t *ids, *heads;    /* open addressing: index + 1; 0 empty */
	size_t nslots;
} tg_testtab;

#define TG_TESTTAB_INIT {NULL, 0, 0, NULL, 0, 0, NULL, NULL, 0}

void tg_testtab_release(tg_testtab *t);

/*
 * The entry of node id[0..len) into *out; created (with line) when absent
 * and create is set, else *out is NULL.  Returns 0, TG_ENOMEM or
 * TG_ELIMIT (more than TG_MAX_LOG_TESTS tests).
 */
int tg_testtab_get(tg_tcase **out, tg_testtab *t, const char *id, size_t len,
		   bool create, uint64_t line, tg_err *err);

/* The node id of an entry (NUL-terminated). */
static inline const char *tg_testtab_id(const tg_testtab *t,
					 const tg_tcase *c)
{
	return t->arena + c->id_off;
}

/* The entry whose headline is h[0..len): NULL if none, and NULL with
 * *ambiguous set if several tests share it. */
tg_tcase *tg_testtab_by_headline(const tg_testtab *t, const char *h,
				 size_t len, bool *ambiguous);

/* Set an entry's message (copied, cut at TG_MAX_MESSAGE) if it has none,
 * or always when replace is set.  Returns 0 or TG_ENOMEM. */
int tg_testtab_message(tg_tcase *c, const char *msg, size_t len, bool replace,
		       tg_err *err);

/* The pytest headline of a node id, into out (reset first). */
void tg_testtab_headline(tg_buf *out, const char *id, size_t len);

#endif
