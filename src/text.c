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

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 if the
 * bytes there are not one: overlong forms, surrogates and code points
 * above U+10FFFF are invalid, as are C1 controls (U+0080..U+009F), which
 * some terminals obey as escape introducers. */
static size_t utf8_valid_seq(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] < 0xC2 || s[0] > 0xF4)
		return 0;
	len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
	if (n < len)
		return 0;
	cp = s[0] & (0x7F >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF ||
	    (cp >= 0x80 && cp <= 0x9F))
		return 0;
	return len;
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
