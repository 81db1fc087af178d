/*
 * hash.h - FNV-1a over bytes, for the open-addressing tables (testtab.c,
 * strindex.c).
 * Not for anything an attacker could aim collisions at to more than a
 * slower lookup: the tables probe linearly and stay at most half full.
 */
#ifndef TG_HASH_H
#define TG_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t tg_fnv1a(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325u;

	while (n--)
		h = (h ^ *s++) * 0x100000001b3u;
	return h;
}

#endif
