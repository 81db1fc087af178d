/*
 * text.c - escaping of untrusted text for terminals and messages.
 *
 * Knows UTF-8; knows nothing of where the text goes.  Format-specific
 * escaping (JSON, XML, Markdown) lives with each reporter.
 */
#include "truegreen/text.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"
#include "escape.h"
#include "utf8.h"

/* Length of the printable UTF-8 character at s, or 0: besides invalid
 * UTF-8, C1 controls (U+0080..U+009F) count as unprintable, since some
 * terminals obey them as escape introducers. */
static size_t utf8_valid_seq(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len = tg_utf8_decode(s, n, &cp);

	return len && !(cp >= 0x80 && cp <= 0x9F) ? len : 0;
}

static bool needs_escape(unsigned char c, bool allow_newline)
{
	if (c == '\t' || (c == '\n' && allow_newline))
		return false;
	return c < 0x20 || c == 0x7F;
}

size_t tg_escape(char *dst, size_t dstsz, const char *src, size_t n,
		 bool allow_newline)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)src;
	size_t need = 0, i = 0, out = 0;
	bool full = false;

	while (i < n) {
		char esc[4];
		const char *piece = (const char *)s + i;
		size_t plen = 1;
		unsigned char c = s[i];

		if (c >= 0x80)
			plen = utf8_valid_seq(s + i, n - i);
		if (plen == 0 || (c < 0x80 && needs_escape(c, allow_newline))) {
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hex[c >> 4];
			esc[3] = hex[c & 15];
			piece = esc;
			i += 1;
			plen = 4;
		} else {
			i += plen;
		}
		need += plen;
		if (!full && dstsz && out + plen < dstsz) {
			memcpy(dst + out, piece, plen);
			out += plen;
		} else {
			full = true;
		}
	}
	if (dstsz)
		dst[out] = '\0';
	return need;
}

const char *tg_escaped(const char *s, bool allow_newline, char *buf,
		       size_t size, char **heap)
{
	size_t n = s ? strlen(s) : 0,
	       need = tg_escape(buf, size, s ? s : "", n, allow_newline);

	*heap = NULL;
	if (need < size || !(*heap = tg_malloc(need + 1)))
		return buf; /* whole, or cut but still escaped */
	tg_escape(*heap, need + 1, s, n, allow_newline);
	return *heap;
}

void tg_fput_escaped(FILE *f, const char *s)
{
	char small[512], *heap;

	if (!s)
		return;
	fputs(tg_escaped(s, false, small, sizeof(small), &heap), f);
	tg_free(heap);
}
