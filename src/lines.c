/*
 * lines.c - split a source into lines and clean them of CI noise.
 *
 * Knows bytes and line endings, nothing of any log format.  Memory is one
 * read buffer and two lines of at most the reader's maximum.
 */
#include "lines.h"

#include <string.h>

#include "alloc.h"
#include "err.h"
#include "utf8.h"

#define TG_LINES_CHUNK (64u * 1024u)

void tg_lines_init(tg_lines *l, tg_source *src, size_t max, bool clean)
{
	memset(l, 0, sizeof(*l));
	l->src = src;
	l->clean = clean;
	tg_buf_init(&l->line, max);
	tg_buf_init(&l->fixed, (size_t)max * 3); /* one byte -> U+FFFD */
}

void tg_lines_release(tg_lines *l)
{
	tg_free(l->in);
	l->in = NULL;
	tg_buf_release(&l->line);
	tg_buf_release(&l->fixed);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Length of a runner timestamp at s ("2025-09-15T18:46:01.123Z " or in
 * brackets), including the space after it; 0 if there is none. */
static size_t timestamp_len(const char *s, size_t n)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	size_t i = 0, k;
	bool bracket = n > 0 && s[0] == '[';

	if (bracket)
		i++;
	if (n < i + sizeof(shape) - 1)
		return 0;
	for (k = 0; shape[k]; k++, i++)
		if (shape[k] == 'd' ? !is_digit(s[i]) : s[i] != shape[k])
			return 0;
	if (i < n && (s[i] == '.' || s[i] == ',')) {
		i++;
		while (i < n && is_digit(s[i]))
			i++;
	}
	if (i < n && s[i] == 'Z')
		i++;
	else if (i + 6 <= n && (s[i] == '+' || s[i] == '-') &&
		 is_digit(s[i + 1]) && s[i + 3] == ':')
		i += 6;
	if (bracket) {
		if (i >= n || s[i] != ']')
			return 0;
		i++;
	}
	if (i >= n || s[i] != ' ')
		return i == n ? i : 0;
	return i + 1;
}

/* Length of the escape sequence at s[0] == ESC. */
static size_t escape_len(const char *s, size_t n)
{
	size_t i;

	if (n < 2)
		return n;
	if (s[1] == '[') { /* CSI: parameters, then one final byte */
		for (i = 2; i < n; i++)
			if ((unsigned char)s[i] >= 0x40 &&
			    (unsigned char)s[i] <= 0x7e)
				return i + 1;
		return n;
	}
	if (s[1] == ']') { /* OSC: up to BEL or ESC \ */
		for (i = 2; i < n; i++) {
			if (s[i] == '\a')
				return i + 1;
			if (s[i] == '\x1b' && i + 1 < n && s[i + 1] == '\\')
				return i + 2;
		}
		return n;
	}
	return 2;
}

size_t tg_lines_clean(char *s, size_t n)
{
	size_t i, o = 0, ts;

	while (n && s[n - 1] == '\r')
		n--;
	for (i = 0; i < n; i++) {
		if (s[i] == '\x1b') {
			i += escape_len(s + i, n - i) - 1;
			continue;
		}
		if (s[i] == '\r') { /* redrawn: keep what comes after */
			o = 0;
			continue;
		}
		s[o++] = s[i];
	}
	ts = timestamp_len(s, o);
	if (ts) {
		memmove(s, s + ts, o - ts);
		o -= ts;
	}
	s[o] = '\0';
	return o;
}

static bool needs_repair(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80 || s[i] == '\0')
			break;
	while (i < n) {
		uint32_t cp;
		size_t k = tg_utf8_decode((const unsigned char *)s + i, n - i,
					  &cp);
		if (k == 0 && ((unsigned char)s[i] >= 0x80 || s[i] == '\0'))
			return true;
		i += k ? k : 1;
	}
	return false;
}

/* s with each NUL and each byte that is not UTF-8 as U+FFFD, into out. */
static int repair(tg_buf *out, const char *s, size_t n)
{
	size_t i = 0;

	tg_buf_reset(out);
	while (i < n) {
		uint32_t cp;
		size_t k = tg_utf8_decode((const unsigned char *)s + i, n - i,
					  &cp);
		if (k) {
			tg_buf_add(out, s + i, k);
			i += k;
		} else if ((unsigned char)s[i] >= 0x80 || s[i] == '\0') {
			tg_buf_add(out, "\xEF\xBF\xBD", 3);
			i++;
		} else {
			tg_buf_addc(out, s[i++]);
		}
	}
	return out->failed && !out->toobig ? -1 : 0;
}

static int fill(tg_lines *l, tg_err *err)
{
	ptrdiff_t got;

	if (!l->in && !(l->in = tg_malloc(TG_LINES_CHUNK)))
		return tg_err_nomem(err);
	got = tg_source_read(l->src, l->in, TG_LINES_CHUNK, err);
	if (got < 0)
		return (int)got;
	l->in_len = (size_t)got;
	l->in_pos = 0;
	l->eof = got == 0;
	return 0;
}

int tg_lines_next(tg_lines *l, const char **line, size_t *len, tg_err *err)
{
	tg_buf *b = &l->line;
	bool any = false, newline = false;

	tg_buf_reset(b);
	l->cut = false;
	l->unterminated = false;
	while (!newline) {
		const unsigned char *start, *nl;
		size_t avail, take;

		if (l->in_pos == l->in_len) {
			int rc = l->eof ? 0 : fill(l, err);
			if (rc)
				return rc;
			if (l->eof)
				break;
		}
		start = l->in + l->in_pos;
		avail = l->in_len - l->in_pos;
		nl = memchr(start, '\n', avail);
		take = nl ? (size_t)(nl - start) : avail;
		any = true;
		newline = nl != NULL;
		l->in_pos += take + newline;
		if (b->len + take > b->max) {
			take = b->max - b->len;
			l->cut = true;
		}
		tg_buf_add(b, start, take);
		if (b->failed)
			return tg_err_nomem(err);
	}
	if (!any)
		return 0;
	l->lineno++;
	l->unterminated = !newline;
	l->cut_lines += l->cut;
	if (l->clean)
		b->len = tg_lines_clean(b->ptr, b->len);
	if (needs_repair(b->ptr, b->len)) {
		l->repaired++;
		if (repair(&l->fixed, b->ptr, b->len))
			return tg_err_nomem(err);
		b = &l->fixed;
	}
	*line = b->ptr;
	*len = b->len;
	return 1;
}
