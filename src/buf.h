/*
 * buf.h - tg_buf, the one growable string buffer of truegreen.
 *
 * Invariants (as git's strbuf and curl's dynbuf):
 *  - ptr is never NULL and always NUL-terminated, so it can be printed at
 *    any time; while cap == 0 it points at the shared, never-written
 *    tg_buf__empty.
 *  - len < cap whenever cap > 0; the text may contain NUL bytes.
 *  - every buffer has a maximum length `max`.  An append past it, or a
 *    failed allocation, sets `failed` and turns later appends into no-ops,
 *    so a sequence of appends needs one check at the end; `toobig` tells
 *    the first cause (over max) from the second (out of memory).
 *
 * tg_buf_release() frees the memory and leaves an empty buffer with the
 * same max; tg_buf_reset() empties it but keeps the memory for reuse.
 */
#ifndef TG_BUF_H
#define TG_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct tg_buf {
	char *ptr;
	size_t len, cap, max;
	bool failed, toobig;
} tg_buf;

extern char tg_buf__empty[1];

#define TG_BUF_INIT(limit) {tg_buf__empty, 0, 0, (limit), false, false}

void tg_buf_init(tg_buf *b, size_t max);
void tg_buf_release(tg_buf *b);
void tg_buf_reset(tg_buf *b);

/* Make room for n more bytes; false (and failed set) if it cannot. */
bool tg_buf_grow(tg_buf *b, size_t n);

void tg_buf_add(tg_buf *b, const void *data, size_t n);
void tg_buf_adds(tg_buf *b, const char *s);
void tg_buf_addc(tg_buf *b, char c);
void tg_buf_printf(tg_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void tg_buf_vprintf(tg_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void tg_buf_truncate(tg_buf *b, size_t len);

/* Hand the string to the caller (free with tg_free) and reset b.  Returns
 * NULL if the buffer failed or the allocation fails. */
char *tg_buf_detach(tg_buf *b);

/* The first n2 bytes of needle in hay[0..n), or NULL (memmem without
 * _GNU_SOURCE). */
static inline const char *tg_memmem(const void *hay, size_t n,
				    const void *needle, size_t n2)
{
	const char *h = hay, *end;

	if (n2 == 0)
		return h;
	if (n < n2)
		return NULL;
	for (end = h + n - n2 + 1; h < end; h++) {
		const char *p = memchr(h, *(const char *)needle,
				       (size_t)(end - h));
		if (!p)
			return NULL;
		if (memcmp(p, needle, n2) == 0)
			return p;
		h = p;
	}
	return NULL;
}

/*
 * A capture keeps the first `max` bytes of a text that may be far longer,
 * cut at a UTF-8 character boundary, and counts every byte offered, so a
 * truncation is always visible (total > buf.len).  Allocation failure sets
 * buf.failed as usual.
 */
typedef struct tg_capture {
	tg_buf buf;
	uint64_t total;
} tg_capture;

#define TG_CAPTURE_INIT(limit) {TG_BUF_INIT(limit), 0}

void tg_capture_add(tg_capture *c, const char *data, size_t n);
void tg_capture_reset(tg_capture *c);
static inline bool tg_capture_truncated(const tg_capture *c)
{
	return c->total > c->buf.len;
}

#endif
