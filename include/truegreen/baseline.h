/*
 * truegreen/baseline.h - what "real" looks like: expected durations,
 * network needs and suite sizes, from a file or learnt from history.
 *
 * A baseline file is JSON (format and an example in
 * schema/baseline.example.json):
 *   {"truegreen_baseline": 1,
 *    "tests":  [{"match": "tests/e2e*", "min_duration": 5,
 *                "requires_network": true, "network": ["http"]}, ...],
 *    "suites": [{"match": "tests/e2e*", "min_tests": 40,
 *                "min_duration": 600}, ...]}
 * "match" is a test id or a glob: '*' and '**' match any run of
 * characters (including '/' and '::'), '?' one character.  Of the entries
 * that match a test, an exact id wins, then the pattern with the most
 * literal characters, then the earlier entry.
 *
 * Ownership: a tg_baseline owns its entries; pointers into it live until
 * tg_baseline_free().
 */
#ifndef TG_BASELINE_H
#define TG_BASELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "truegreen/error.h"
#include "truegreen/import.h"
#include "truegreen/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tg_baseline tg_baseline;

typedef struct tg_baseline_test {
	const char *match;
	bool has_min_duration;
	double min_duration;     /* seconds */
	bool has_expected;
	double expected;         /* expected_duration, seconds (median) */
	double spread;           /* its spread: MAD for learnt entries */
	int requires_network;    /* 1 yes, 0 no (mocks on purpose), -1 unsaid */
	const char *const *network; /* kinds: "http", "websocket", ... */
	size_t nnetwork;
	int64_t samples;         /* learnt: passing runs behind the figures */
	double network_share;    /* learnt: share of them with network evidence */
	int64_t passes;          /* learnt: runs it passed in, also on a
				    rerun or distrusted (not samples) */
} tg_baseline_test;

typedef struct tg_baseline_suite {
	const char *match;
	int64_t min_tests;       /* -1: unsaid */
	double min_duration;     /* seconds; < 0: unsaid */
	int64_t samples;         /* learnt: runs behind the figures */
	/* learnt: what the runs behind the figures usually held (median),
	 * which the minimums are a share of; -1 in a baseline file */
	int64_t usual_tests;
	double usual_duration;   /* seconds */
} tg_baseline_suite;

/* A learnt suite's minimums, as shares of what its runs usually held:
 * a tenth of its tests gone, or four fifths of its time, is a collapse. */
#define TG_SUITE_TESTS_SHARE 0.9
#define TG_SUITE_DURATION_SHARE 0.2

/*
 * Read a baseline file.  Returns 0, TG_EINPUT (unreadable, not JSON, or a
 * bad entry: the message names the file, line and entry) or TG_ENOMEM.
 */
int tg_baseline_load(tg_baseline **out, const char *path, tg_err *err);

/* Parse a baseline from memory; name is used in messages. */
int tg_baseline_parse(tg_baseline **out, const char *name, const char *json,
		      size_t len, tg_err *err);

void tg_baseline_free(tg_baseline *b);

/* Where it came from: the file name, or "history of N runs". */
const char *tg_baseline_origin(const tg_baseline *b);

/* The entry that applies to test_id (precedence above), or NULL. */
const tg_baseline_test *tg_baseline_find(const tg_baseline *b,
					 const char *test_id);

size_t tg_baseline_suite_count(const tg_baseline *b);
const tg_baseline_suite *tg_baseline_suite_get(const tg_baseline *b,
						size_t i);
size_t tg_baseline_test_count(const tg_baseline *b);
const tg_baseline_test *tg_baseline_test_get(const tg_baseline *b, size_t i);

/* Whether glob matches s ('*', '**' and '?' as above). */
bool tg_glob_match(const char *glob, const char *s);

typedef struct tg_learn_opts {
	unsigned version;        /* TG_LEARN_OPTS_VERSION */
	int64_t before_run;      /* learn from runs older than this; 0: all */
	unsigned runs;           /* the newest N matching runs; 0: 20 */
	const tg_kv *where;      /* runs whose meta has every pair */
	size_t where_count;
	unsigned min_samples;    /* passing runs needed per test; 0: 5 */
	double network_share;    /* requires_network at this share; 0: 0.8 */
} tg_learn_opts;

#define TG_LEARN_OPTS_VERSION 1
#define TG_LEARN_OPTS_INIT {TG_LEARN_OPTS_VERSION, 0, 0, NULL, 0, 0, 0}

/*
 * Learn a baseline from earlier runs: per test, the median and MAD of its
 * passing durations, its sample count and the share of those runs with
 * network evidence; per test directory, the usual number of tests and
 * total duration.  Tests with fewer than min_samples passing runs get no
 * duration expectation.  *runs_used says how many runs were read.
 * Returns 0, TG_EDB or TG_ENOMEM.
 */
int tg_baseline_learn(tg_baseline **out, size_t *runs_used, tg_store *st,
		      const tg_learn_opts *opts, tg_err *err);

/* The baseline as a file's JSON text; free with tg_baseline_text_free.
 * NULL on out of memory. */
char *tg_baseline_to_json(const tg_baseline *b);
void tg_baseline_text_free(char *s);

#ifdef __cplusplus
}
#endif
#endif
