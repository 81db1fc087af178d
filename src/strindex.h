/*
 * strindex.h - a hash index, by string key, over entries its owner keeps.
 *
 * The entries stay in the owner's array (which may move as it grows) or
 * list; the index holds only their numbers, and asks the owner for an
 * entry's key when it must compare or rehash.  Open addressing, linear
 * probing, at most half full, FNV-1a (hash.h): fine for keys from test
 * reports, where aimed collisions cost only slower lookups.
 */
#ifndef TG_STRINDEX_H
#define TG_STRINDEX_H

#include <stdbool.h>
#include <stddef.h>

/* The key of entry number entry of owner, *len bytes long. */
typedef const char *tg_strindex_key(const void *owner, size_t entry,
				    size_t *len);

typedef struct tg_strindex {
	size_t *slots; /* entry number + 1; 0: free */
	size_t nslots;
	tg_strindex_key *key;
	const void *owner;
} tg_strindex;

#define TG_STRINDEX_INIT(key, owner) {NULL, 0, (key), (owner)}

/*
 * Make room for n entries (numbers 0..n-1), rehashing the first `have`;
 * call it before adding entry n-1.  False on out of memory, the index
 * unchanged.
 */
bool tg_strindex_reserve(tg_strindex *x, size_t have, size_t n);

/*
 * The slot of key[0..len): *slot is its entry + 1, or 0 where it goes
 * (store the new entry's number + 1 there).  Needs a reserved index.
 */
size_t *tg_strindex_slot(const tg_strindex *x, const char *key, size_t len);

void tg_strindex_free(tg_strindex *x);

#endif
