/*
 * lines.h - read a text source one line at a time, cleaned of CI noise.
 *
 * The log parsers (pytest console output, report-log JSON lines) read
 * through this.  Each line comes without its newline and, for console
 * logs, without what CI runners add around the program's own output:
 *   - a trailing CR (CRLF logs), and text before a lone CR (a progress
 *     line redrawn in place: what a terminal would show is what is kept);
 *   - ANSI escape sequences (--color=yes, GitLab's section markers);
 *   - a leading runner timestamp, "2025-09-15T18:46:01.123Z " or
 *     "[2025-09-15T18:46:01.123Z] " (GitHub Actions, Jenkins timestamper).
 * Every line handed out is valid UTF-8 without NUL bytes: anything else
 * becomes U+FFFD (counted in `repaired`), so it can be stored, matched
 * and printed as text.
 * A line longer than the reader's maximum is cut there and the rest
 * skipped, with `cut` set, so memory is bounded whatever the input.
 *
 * Ownership: the line handed out is borrowed from the reader and valid
 * until the next tg_lines_next() or tg_lines_release().
 */
#ifndef TG_LINES_H
#define TG_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "source.h"

typedef struct tg_lines {
	tg_source *src;
	bool clean;            /* strip CI noise (console logs) */
	unsigned char *in;     /* read buffer */
	size_t in_len, in_pos;
	bool eof;
	tg_buf line, fixed;
	uint64_t lineno;       /* of the line last handed out, 1-based */
	bool cut;              /* that line was longer than the maximum */
	uint64_t cut_lines;    /* lines cut so far */
	bool unterminated;     /* that line ended the input without a newline */
	uint64_t repaired;     /* lines that needed U+FFFD (binary input?) */
} tg_lines;

/* Start reading src, lines of up to max bytes; clean: strip CI noise as
 * above. */
void tg_lines_init(tg_lines *l, tg_source *src, size_t max, bool clean);
void tg_lines_release(tg_lines *l);

/*
 * The next line into *line / *len (NUL-terminated).  Returns 1 with a
 * line, 0 at the end of the input, or a negative tg_code (read error or
 * out of memory) with err set.
 */
int tg_lines_next(tg_lines *l, const char **line, size_t *len, tg_err *err);

/*
 * Clean one line in place as tg_lines does for console logs; returns the
 * new length.  Exposed for the parsers that get text some other way.
 */
size_t tg_lines_clean(char *s, size_t n);

#endif
