/*
 * exit.c - library error codes to exit codes, and error printing.  The
 * one place the mapping lives.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_exit_code(int code)
{
	switch (code) {
	case TG_OK:
		return EXIT_OK;
	case TG_EUSAGE:
	case TG_EEXISTS:
		return EXIT_USAGE;
	case TG_EDB:
		return EXIT_DB;
	case TG_EINPUT:
	case TG_ELIMIT:
	case TG_EIO:
	case TG_ENOMEM:
	default:
		return EXIT_INPUT;
	}
}

int cli_fail(const tg_err *err)
{
	/* err->msg and err->file were escaped by the library. */
	fputs("truegreen: error: ", stderr);
	if (err->file[0] && !strstr(err->msg, err->file)) {
		fputs(err->file, stderr);
		if (err->line)
			fprintf(stderr, ":%llu", (unsigned long long)err->line);
		if (err->line && err->col)
			fprintf(stderr, ":%llu", (unsigned long long)err->col);
		fputs(": ", stderr);
	}
	fputs(err->msg, stderr);
	if (err->file[0] && strstr(err->msg, err->file) && err->line) {
		fprintf(stderr, " (line %llu", (unsigned long long)err->line);
		if (err->col)
			fprintf(stderr, ", column %llu",
				(unsigned long long)err->col);
		fputc(')', stderr);
	}
	fputc('\n', stderr);
	return cli_exit_code(err->code);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "truegreen%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'truegreen %s%s--help'.\n", cmd ? cmd : "",
		cmd ? " " : "");
	return EXIT_USAGE;
}
