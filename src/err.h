/*
 * err.h - setting a tg_err (internal; the type is in truegreen/error.h).
 */
#ifndef TG_ERR_H
#define TG_ERR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "truegreen/error.h"

/*
 * Set err (unless already set: the first error wins) and return code, so
 * `return tg_err_set(err, TG_EINPUT, "...")` reads naturally.  The
 * formatted message is escaped: control characters in it become \xNN.
 */
int tg_err_set(tg_err *err, tg_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* As tg_err_set, also recording the input file, line and column. */
int tg_err_setloc(tg_err *err, tg_code code, const char *file, uint64_t line,
		  uint64_t col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Set the location fields of an error already set, where still unknown. */
void tg_err_locate(tg_err *err, const char *file, uint64_t line, uint64_t col,
		   uint64_t offset);

/* Prepend "context: " to the message of an error already set. */
void tg_err_prefix(tg_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Shorthand for the out-of-memory error. */
int tg_err_nomem(tg_err *err);

#endif
