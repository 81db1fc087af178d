/*
 * buf.c - tg_buf and tg_capture (see buf.h for the invariants).
 */
#include "buf.h"

#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "utf8.h"

char tg_buf__empty[1];

void tg_buf_init(tg_buf *b, size_t max)
{
	b->ptr = tg_buf__empty;
	b->len = b->cap = 0;
	b->max = max;
	b->failed = b->toobig = false;
}

void tg_buf_release(tg_buf *b)
{
	if (b->cap)
		tg_free(b->ptr);
	tg_buf_init(b, b->max);
}

void tg_buf_reset(tg_buf *b)
{
	b->len = 0;
	b->failed = b->toobig = false;
	if (b->cap)
		b->ptr[0] = '\0';
}

bool tg_buf_grow(tg_buf *b, size_t n)
{
	size_t need, ncap;
	char *p;

	if (b->failed)
		return false;
	if (!tg_size_add(&need, b->len, n) || need > b->max ||
	    !tg_size_add(&need, need, 1)) {
		b->failed = b->toobig = true;
		return false;
	}
	if (need <= b->cap)
		return true;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need) {
		if (!tg_size_mul(&ncap, ncap, 2)) {
			ncap = need;
			break;
		}
	}
	p = tg_realloc(b->cap ? b->ptr : NULL, ncap);
	if (!p) {
		b->failed = true;
		return false;
	}
	if (!b->cap)
		p[0] = '\0';
	b->ptr = p;
	b->cap = ncap;
	return true;
}

void tg_buf_add(tg_buf *b, const void *data, size_t n)
{
	if (n == 0 || !tg_buf_grow(b, n))
		return;
	memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void tg_buf_adds(tg_buf *b, const char *s)
{
	tg_buf_add(b, s, strlen(s));
}

void tg_buf_addc(tg_buf *b, char c)
{
	tg_buf_add(b, &c, 1);
}

void tg_buf_vprintf(tg_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	if (b->failed)
		return;
	va_copy(cp, ap);
	n = vsnprintf(b->cap ? b->ptr + b->len : NULL,
		      b->cap ? b->cap - b->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if (b->cap && (size_t)n < b->cap - b->len) {
		b->len += (size_t)n;
		return;
	}
	if (!tg_buf_grow(b, (size_t)n))
		return;
	n = vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, ap);
	if (n < 0) {
		b->failed = true;
		return;
	}
	b->len += (size_t)n;
}

void tg_buf_printf(tg_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tg_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void tg_buf_truncate(tg_buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->ptr[len] = '\0';
}

char *tg_buf_detach(tg_buf *b)
{
	char *s;

	if (b->failed)
		return NULL;
	if (!b->cap) {
		s = tg_malloc(1);
		if (s)
			s[0] = '\0';
		return s;
	}
	s = b->ptr;
	tg_buf_init(b, b->max);
	return s;
}

void tg_capture_add(tg_capture *c, const char *data, size_t n)
{
	uint64_t before = c->total;
	size_t room;

	c->total += n;
	/* Once cut, stay cut: keep the first bytes, never a later piece. */
	if (c->buf.failed || before > c->buf.len || c->buf.len >= c->buf.max)
		return;
	room = c->buf.max - c->buf.len;
	if (n > room)
		n = tg_utf8_floor(data, room); /* never half a character */
	tg_buf_add(&c->buf, data, n);
}

void tg_capture_reset(tg_capture *c)
{
	tg_buf_reset(&c->buf);
	c->total = 0;
}
