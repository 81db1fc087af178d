/*
 * truegreen/text.h - make untrusted text safe to print on a terminal.
 *
 * Test names, messages and log lines come from the reports, which anyone
 * who can open a pull request controls.  tg_escape() turns control
 * characters (ESC, BEL, CR, ...), DEL, C1 controls and invalid UTF-8 into
 * visible escapes (an ESC byte becomes the four characters \x1b), so
 * nothing in the data can move the cursor, change colours or retitle a
 * terminal.  Tab is kept; newline is kept only when allow_newline is set.
 */
#ifndef TG_TEXT_H
#define TG_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Escape src[0..n) into dst (of size dstsz, always NUL-terminated when
 * dstsz > 0).  Returns the length the full escaped text needs, not
 * counting the NUL, like snprintf: a return >= dstsz means it was cut
 * (at a character boundary).
 */
size_t tg_escape(char *dst, size_t dstsz, const char *src, size_t n,
		 bool allow_newline);

/* Write s (NULL: nothing) to f escaped as above, newlines too. */
void tg_fput_escaped(FILE *f, const char *s);

#ifdef __cplusplus
}
#endif
#endif
