/*
 * truegreen/error.h - the one error type of the truegreen library.
 *
 * Every fallible function returns 0 on success or a negative tg_code, and
 * fills a caller-owned tg_err.  The struct is fixed-size and never
 * allocates, so even an out-of-memory error can be described.
 *
 * The first error wins: once err->code is set, later tg_err_set() calls
 * are ignored, so the innermost function (the one that knows the line and
 * column) describes the problem and callers only add context with
 * tg_err_prefix().
 */
#ifndef TG_ERROR_H
#define TG_ERROR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tg_code {
	TG_OK = 0,
	TG_EUSAGE = -1,  /* bad argument or option */
	TG_EINPUT = -2,  /* unreadable, not a report, malformed */
	TG_EDB = -3,     /* database cannot be opened, read or written */
	TG_ENOMEM = -4,  /* out of memory or size overflow */
	TG_ELIMIT = -5,  /* input over a limit of limits.h */
	TG_EIO = -6,     /* I/O error on an input */
	TG_EEXISTS = -7, /* a run of that name already exists */
} tg_code;

#define TG_ERR_FILE_MAX 256
#define TG_ERR_MSG_MAX 512

/*
 * Invariants: msg and file are always NUL-terminated; line, col are
 * 1-based with 0 meaning unknown; offset is UINT64_MAX when unknown.
 * msg is lowercase, has no final full stop, and holds no control
 * characters (untrusted text is escaped before it is stored here).
 */
typedef struct tg_err {
	tg_code code;  /* TG_OK while no error was set */
	int cause;     /* errno, SQLite extended code or PCRE2 code; 0 if none */
	char file[TG_ERR_FILE_MAX]; /* the input it is about, "" if none */
	uint64_t line, col;
	uint64_t offset;
	char msg[TG_ERR_MSG_MAX];
} tg_err;

#define TG_ERR_INIT {TG_OK, 0, "", 0, 0, UINT64_MAX, ""}

/* Reset err to TG_ERR_INIT. */
void tg_err_clear(tg_err *err);

/* A short constant name for a code: "usage error", "input error", ... */
const char *tg_code_str(int code);

#ifdef __cplusplus
}
#endif
#endif
