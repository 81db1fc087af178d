/*
 * strindex.c - a hash index of entry numbers by string key (strindex.h).
 */
#include "strindex.h"

#include <string.h>

#include "alloc.h"
#include "hash.h"

size_t *tg_strindex_slot(const tg_strindex *x, const char *key, size_t len)
{
	size_t mask = x->nslots - 1, i = (size_t)tg_fnv1a(key, len) & mask;

	while (x->slots[i]) {
		size_t n;
		const char *k = x->key(x->owner, x->slots[i] - 1, &n);
		if (n == len && memcmp(k, key, len) == 0)
			break;
		i = (i + 1) & mask;
	}
	return &x->slots[i];
}

bool tg_strindex_reserve(tg_strindex *x, size_t have, size_t n)
{
	tg_strindex grown = *x;
	size_t i, need;

	if (!tg_size_mul(&need, n, 2))
		return false;
	if (need <= x->nslots)
		return true;
	for (grown.nslots = x->nslots ? x->nslots : 64; grown.nslots < need;)
		if (!tg_size_mul(&grown.nslots, grown.nslots, 2))
			return false;
	if (!(grown.slots = tg_calloc(grown.nslots, sizeof(*grown.slots))))
		return false;
	for (i = 0; i < have; i++) {
		size_t len;
		const char *k = x->key(x->owner, i, &len);
		*tg_strindex_slot(&grown, k, len) = i + 1;
	}
	tg_free(x->slots);
	*x = grown;
	return true;
}

void tg_strindex_free(tg_strindex *x)
{
	tg_free(x->slots);
	x->slots = NULL;
	x->nslots = 0;
}
