/*
 * model.h - the records parsers emit and the importer stores.
 *
 * Plain structs; every stage depends on them and they depend on nothing
 * but buf.h.  All strings in a record are borrowed from the parser and
 * valid only during the sink call that hands the record out: a sink that
 * keeps anything copies it.
 */
#ifndef TG_MODEL_H
#define TG_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "truegreen/error.h"

typedef enum tg_outcome {
	TG_PASSED,
	TG_FAILED,  /* an assertion the test made failed */
	TG_ERROR,   /* an unexpected exception, or setup/teardown failed */
	TG_SKIPPED, /* skipped, xfail, disabled, not run */
} tg_outcome;

/* "passed", "failed", "error", "skipped". */
const char *tg_outcome_str(tg_outcome o);

typedef struct tg_property {
	const char *name, *value;
} tg_property;

/*
 * One observation of a test: a JUnit <testcase>, or one earlier attempt
 * inside it (Surefire's flakyFailure/rerunFailure...).  The importer
 * merges observations with the same test id into one test.
 */
typedef struct tg_result {
	const char *classname, *name, *file; /* "" when absent */
	uint64_t line;        /* 1-based line in the test source, 0 unknown */
	bool has_duration;
	double duration;      /* seconds */
	tg_outcome outcome;
	const char *status;   /* finer outcome: "xfail", "disabled", ...; or NULL */
	bool rerun;           /* an earlier attempt, not the final one */
	const char *message, *type;   /* of the failure/error/skip, or "" */
	const tg_capture *details;    /* its body: traceback, skip text */
	const tg_capture *out, *err;  /* system-out / system-err */
	const tg_property *props;
	size_t nprops;
	uint64_t report_line; /* where it starts in the report, 0 unknown */
} tg_result;

typedef struct tg_suite {
	const char *name, *timestamp, *hostname, *file; /* "" when absent */
	bool has_duration;
	double duration;
	uint64_t report_line;
} tg_suite;

/*
 * Where a parser sends what it reads.  Each callback returns 0 or a
 * negative tg_code (with err set), which stops the parse.
 */
typedef struct tg_sink {
	int (*suite_begin)(void *payload, const tg_suite *s, tg_err *err);
	int (*suite_end)(void *payload, tg_err *err);
	/* Output or a property of the innermost open suite. */
	int (*suite_output)(void *payload, bool is_err, const tg_capture *text,
			    tg_err *err);
	int (*suite_property)(void *payload, const tg_property *p,
			      tg_err *err);
	int (*result)(void *payload, const tg_result *r, tg_err *err);
	/* A warning at a place in the report; never stops the parse. */
	void (*warn)(void *payload, uint64_t line, uint64_t col,
		     uint64_t offset, const char *msg);
	void *payload;
} tg_sink;

#endif
