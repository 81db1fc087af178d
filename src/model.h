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
	/* A pytest node id, when the input names tests that way (console
	 * logs, report-logs): it is the test id.  Else "" and the id is
	 * derived from classname, name and file (testid.h). */
	const char *nodeid;
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
 * A line of text an input attributes to a test, or to the run: a captured
 * log line, a warning, a traceback line.  The importer matches it against
 * the signal catalog and stores what matches as evidence.
 */
typedef struct tg_text {
	const char *nodeid;   /* the test's node id, or "" */
	/* When the input names the test only by its pytest headline
	 * ("TestGroup.test_method", a FAILURES section title) and the node
	 * id is not known yet: the headline; the parser resolves it later
	 * with an alias(). */
	const char *headline;
	const char *section;  /* "log call", "warning", "traceback", ... */
	const char *text;     /* one line, UTF-8, no newline */
	size_t len;
	uint64_t line;        /* in the input, 1-based; 0 unknown */
} tg_text;

/* A test module that failed to import while pytest collected it. */
typedef struct tg_collect_error {
	const char *path;     /* the test module (or conftest) as pytest shows it */
	const char *exc_type; /* "ModuleNotFoundError", "ImportError", ... */
	const char *missing;  /* the module or name that could not be imported */
	const char *message;  /* the exception's text */
	/* The import chain: the test module, then each module it imported
	 * on the way to the failure (from the traceback's <module> frames),
	 * then the module that failed. */
	const char *const *chain;
	size_t nchain;
	uint64_t line;        /* of the error's header in the input */
} tg_collect_error;

/* What a test session said about itself (pytest's header and summary).
 * Counts are -1 when the input did not say. */
typedef struct tg_session {
	const char *tool, *tool_version, *python_version, *platform;
	const char *plugins;  /* as listed: "xdist-3.1.0, asyncio-0.20.3" */
	int64_t collected, collect_errors, deselected, collect_skipped;
	bool interrupted;     /* stopped by collection errors */
	int64_t stopped_after; /* -x/--maxfail: stopped after this many
				* failures; 0: it did not */
	int64_t passed, failed, errors, skipped, xfailed, xpassed, warnings,
		rerun;
	bool has_duration;
	double duration;      /* the session's wall time, seconds */
	int64_t exit_status;  /* pytest's exit status, -1 when not told */
	const char *summary;  /* the final line, or "" */
	uint64_t line;        /* of the final line; 0 if there was none */
} tg_session;

/*
 * Where a parser sends what it reads.  Each callback returns 0 or a
 * negative tg_code (with err set), which stops the parse.
 */
typedef struct tg_sink {
	int (*suite_begin)(void *payload, const tg_suite *s, tg_err *err);
	int (*suite_end)(void *payload, tg_err *err);
	/* Just before suite_end: the innermost suite's n passes with nothing
	 * in them and a time of 0 did not run, for the reason status says
	 * ("todo"); store them as skipped.  NULL-safe. */
	int (*suite_not_run)(void *payload, uint64_t n, const char *status,
			     tg_err *err);
	/* Output or a property of the innermost open suite. */
	int (*suite_output)(void *payload, bool is_err, const tg_capture *text,
			    tg_err *err);
	int (*suite_property)(void *payload, const tg_property *p,
			      tg_err *err);
	int (*result)(void *payload, const tg_result *r, tg_err *err);
	/* Text to search for evidence; NULL-safe for parsers that have none.
	 * Each returns 0 or a negative tg_code, like result. */
	int (*text)(void *payload, const tg_text *t, tg_err *err);
	int (*collect_error)(void *payload, const tg_collect_error *ce,
			     tg_err *err);
	int (*session)(void *payload, const tg_session *s, tg_err *err);
	/* The node id behind a headline given to text() earlier. */
	int (*alias)(void *payload, const char *headline, const char *nodeid,
		     tg_err *err);
	/* A warning at a place in the report; never stops the parse. */
	void (*warn)(void *payload, uint64_t line, uint64_t col,
		     uint64_t offset, const char *msg);
	void *payload;
} tg_sink;

#endif
