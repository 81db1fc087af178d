/*
 * alloc.c - checked allocation with a fault-injection hook for tests.
 *
 * Everything in libtruegreen allocates through here, so a test can fail
 * the Nth allocation and check that the caller cleans up and reports
 * TG_ENOMEM.  It does not wrap libxml2's or SQLite's own allocations.
 */
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

/* The fault-injection counters: the one piece of mutable global state of
 * the library besides libxml2's setup (listed in docs/ARCHITECTURE.md).
 * Only tests set them; 0 means off. */
static unsigned long fail_countdown;
static unsigned long fail_total;

void tg_alloc_fail_at(unsigned long nth)
{
	fail_countdown = nth;
	fail_total = 0;
}

unsigned long tg_alloc_failed(void)
{
	return fail_total;
}

static bool should_fail(void)
{
	if (fail_countdown == 0)
		return false;
	if (--fail_countdown == 0) {
		fail_total++;
		return true;
	}
	return false;
}

void *tg_malloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *tg_calloc(size_t count, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(count ? count : 1, size ? size : 1);
}

void *tg_realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

void tg_free(void *p)
{
	free(p);
}

char *tg_strndup(const char *s, size_t n)
{
	size_t sz;
	char *d;

	if (!tg_size_add(&sz, n, 1))
		return NULL;
	d = tg_malloc(sz);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *tg_strdup(const char *s)
{
	return tg_strndup(s, strlen(s));
}

bool tg_grow(void **ptr, size_t *cap, size_t need, size_t elem)
{
	size_t ncap, bytes;
	void *p;

	if (need <= *cap)
		return true;
	ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (!tg_size_mul(&ncap, ncap, 2))
			return false;
	}
	if (!tg_size_mul(&bytes, ncap, elem))
		return false;
	p = tg_realloc(*ptr, bytes);
	if (!p)
		return false;
	*ptr = p;
	*cap = ncap;
	return true;
}
