/*
 * err.c - tg_err: first error wins, messages escaped, locations kept.
 */
#include "err.h"

#include <stdio.h>
#include <string.h>

#include "truegreen/text.h"
#include "utf8.h"

void tg_err_clear(tg_err *err)
{
	tg_err e = TG_ERR_INIT;

	*err = e;
}

const char *tg_code_str(int code)
{
	switch (code) {
	case TG_OK:
		return "success";
	case TG_EUSAGE:
		return "usage error";
	case TG_EINPUT:
		return "input error";
	case TG_EDB:
		return "database error";
	case TG_ENOMEM:
		return "out of memory";
	case TG_ELIMIT:
		return "input over a limit";
	case TG_EIO:
		return "i/o error";
	case TG_EEXISTS:
		return "already exists";
	}
	return "unknown error";
}

static void set_msg(tg_err *err, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void set_msg(tg_err *err, const char *fmt, va_list ap)
{
	char raw[TG_ERR_MSG_MAX];
	int n = vsnprintf(raw, sizeof(raw), fmt, ap);

	if (n < 0) {
		snprintf(err->msg, sizeof(err->msg), "%s", "(unprintable error)");
		return;
	}
	tg_escape(err->msg, sizeof(err->msg), raw, strnlen(raw, sizeof(raw)),
		  false);
}

static void set_file(tg_err *err, const char *file)
{
	if (file)
		tg_escape(err->file, sizeof(err->file), file, strlen(file),
			  false);
}

static int vset(tg_err *err, tg_code code, const char *file, uint64_t line,
		uint64_t col, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));

static int vset(tg_err *err, tg_code code, const char *file, uint64_t line,
		uint64_t col, const char *fmt, va_list ap)
{
	if (!err || err->code != TG_OK)
		return err ? (int)err->code : (int)code;
	err->code = code;
	set_msg(err, fmt, ap);
	set_file(err, file);
	err->line = line;
	err->col = col;
	return code;
}

int tg_err_set(tg_err *err, tg_code code, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vset(err, code, NULL, 0, 0, fmt, ap);
	va_end(ap);
	return rc;
}

int tg_err_setloc(tg_err *err, tg_code code, const char *file, uint64_t line,
		  uint64_t col, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vset(err, code, file, line, col, fmt, ap);
	va_end(ap);
	return rc;
}

void tg_err_locate(tg_err *err, const char *file, uint64_t line, uint64_t col,
		   uint64_t offset)
{
	if (!err->file[0])
		set_file(err, file);
	if (!err->line) {
		err->line = line;
		err->col = col;
	}
	if (err->offset == UINT64_MAX)
		err->offset = offset;
}

void tg_err_prefix(tg_err *err, const char *fmt, ...)
{
	char pre[TG_ERR_MSG_MAX], raw[TG_ERR_MSG_MAX], esc[TG_ERR_MSG_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	tg_escape(esc, sizeof(esc), raw, strnlen(raw, sizeof(raw)), false);
	n = snprintf(pre, sizeof(pre), "%s: %s", esc, err->msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(pre))
		tg_utf8_trim(pre); /* the cut may split a character */
	memcpy(err->msg, pre, sizeof(err->msg));
	err->msg[sizeof(err->msg) - 1] = '\0';
}

int tg_err_nomem(tg_err *err)
{
	return tg_err_set(err, TG_ENOMEM, "out of memory");
}
