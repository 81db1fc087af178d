/*
 * utf8.h - decode one UTF-8 character, strictly.
 *
 * Shared by the escaping of untrusted text (text.c) and the XML byte
 * guard (xmlguard.c); each applies its own rule on top (C1 controls,
 * XML's forbidden U+FFFE/U+FFFF).
 */
#ifndef TG_UTF8_H
#define TG_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Length of the multi-byte UTF-8 sequence at s (n bytes available), with
 * its code point in *cp; 0 if the bytes are not one: ASCII, a stray or
 * missing continuation byte, an overlong form, a surrogate or a code
 * point above U+10FFFF.
 */
static inline size_t tg_utf8_decode(const unsigned char *s, size_t n,
				    uint32_t *cp)
{
	size_t len, i;
	uint32_t c;

	if (n == 0 || s[0] < 0xC2 || s[0] > 0xF4)
		return 0;
	len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
	if (n < len)
		return 0;
	c = s[0] & (0x7Fu >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3Fu);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
		return 0;
	*cp = c;
	return len;
}

/*
 * Length of the longest prefix of s[0..n) that does not end inside a
 * UTF-8 sequence: where to cut text so that no character is split (the
 * bytes after n are unknown, or are being dropped).
 */
static inline size_t tg_utf8_floor(const char *s, size_t n)
{
	size_t i = n, back = 0;

	while (i > 0 && back < 4) {
		unsigned char c = (unsigned char)s[i - 1];
		if ((c & 0xC0) != 0x80) {
			size_t want = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3
							      : c >= 0xC0 ? 2 : 1;
			return (back + 1 >= want) ? n : i - 1;
		}
		i--;
		back++;
	}
	return n;
}

/* Cut s, a string snprintf() may have cut, before a split character. */
static inline void tg_utf8_trim(char *s)
{
	s[tg_utf8_floor(s, strlen(s))] = '\0';
}

#endif
