/*
 * alloc.h - the only allocator calls of libtruegreen.
 *
 * tg_malloc/tg_realloc return NULL on failure (never abort); size
 * arithmetic goes through tg_size_add/tg_size_mul, which report overflow.
 * A test hook makes the Nth allocation fail, for fault-injection tests.
 */
#ifndef TG_ALLOC_H
#define TG_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

void *tg_malloc(size_t n);
void *tg_calloc(size_t count, size_t size);
void *tg_realloc(void *p, size_t n);
void tg_free(void *p);
char *tg_strdup(const char *s);
char *tg_strndup(const char *s, size_t n);

/* *out = a + b; false on overflow. */
static inline bool tg_size_add(size_t *out, size_t a, size_t b)
{
	return !__builtin_add_overflow(a, b, out);
}

/* *out = a * b; false on overflow. */
static inline bool tg_size_mul(size_t *out, size_t a, size_t b)
{
	return !__builtin_mul_overflow(a, b, out);
}

/*
 * Grow *ptr (an array of elem-sized items with capacity *cap) so that it
 * holds at least need items.  Geometric growth.  Returns false, leaving
 * *ptr and *cap untouched, on overflow or allocation failure.
 */
bool tg_grow(void **ptr, size_t *cap, size_t need, size_t elem);

/*
 * Test hook: make the nth allocation from now fail (1 = the next one);
 * 0 turns it off.  tg_alloc_fail_count() says how many were refused.
 * Process-wide (documented in docs/ARCHITECTURE.md); tests only.
 */
void tg_alloc_fail_at(unsigned long nth);
unsigned long tg_alloc_failed(void);

#endif
