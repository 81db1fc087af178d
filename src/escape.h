/*
 * escape.h - untrusted text escaped (truegreen/text.h, tg_escape) into a
 * caller's buffer, or onto the heap when it does not fit: what every
 * printer of names and messages needs before its own format's escaping.
 */
#ifndef TG_ESCAPE_H
#define TG_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * s (NULL: "") escaped, newlines kept when allow_newline.  In buf when it
 * fits, else in *heap (tg_free it; NULL when buf was used); cut, in buf,
 * if that allocation fails.
 */
const char *tg_escaped(const char *s, bool allow_newline, char *buf,
		       size_t size, char **heap);

#endif
