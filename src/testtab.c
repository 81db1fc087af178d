/*
 * testtab.c - a hash table of the tests a log names (see testtab.h).
 *
 * Node ids live in one arena; two open-addressing indexes over the entry
 * array find a test by id and by headline.
 */
#include "testtab.h"

#include <string.h>

#include "alloc.h"
#include "err.h"
#include "hash.h"
#include "limits.h"

void tg_testtab_release(tg_testtab *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		tg_free(t->v[i].message);
	tg_free(t->v);
	tg_free(t->arena);
	tg_free(t->ids);
	tg_free(t->heads);
	memset(t, 0, sizeof(*t));
}

/* The headline's span inside a node id: everything after the file part,
 * where "::" outside brackets reads as ".". */
static size_t head_start(const char *id, size_t len)
{
	const char *p = memchr(id, ':', len);

	while (p && (size_t)(p - id) + 1 < len && p[1] != ':')
		p = memchr(p + 1, ':', len - (size_t)(p + 1 - id));
	return p && (size_t)(p - id) + 1 < len ? (size_t)(p - id) + 2 : 0;
}

/* The characters of a node id's headline, one at a time. */
typedef struct head_iter {
	const char *id;
	size_t len, i;
	int depth;
} head_iter;

static void head_iter_init(head_iter *h, const char *id, size_t len)
{
	h->id = id;
	h->len = len;
	h->i = head_start(id, len);
	h->depth = 0;
}

/* The next character, or -1 at the end. */
static int head_next(head_iter *h)
{
	char c;

	if (h->i >= h->len)
		return -1;
	c = h->id[h->i++];
	if (c == '[')
		h->depth++;
	else if (c == ']' && h->depth)
		h->depth--;
	else if (c == ':' && !h->depth && h->i < h->len && h->id[h->i] == ':') {
		c = '.';
		h->i++;
	}
	return (unsigned char)c;
}

/* Hash of the headline of id, computed without building it. */
static uint64_t head_hash(const char *id, size_t len)
{
	uint64_t h = 0xcbf29ce484222325u;
	head_iter it;
	int c;

	head_iter_init(&it, id, len);
	while ((c = head_next(&it)) >= 0)
		h = (h ^ (unsigned)c) * 0x100000001b3u;
	return h;
}

void tg_testtab_headline(tg_buf *out, const char *id, size_t len)
{
	head_iter it;
	int c;

	tg_buf_reset(out);
	head_iter_init(&it, id, len);
	while ((c = head_next(&it)) >= 0)
		tg_buf_addc(out, (char)c);
}

static bool head_equal(const tg_testtab *t, const tg_tcase *c, const char *h,
		       size_t n)
{
	head_iter it;
	size_t k = 0;
	int ch;

	head_iter_init(&it, tg_testtab_id(t, c), c->id_len);
	while ((ch = head_next(&it)) >= 0)
		if (k >= n || (unsigned char)h[k++] != ch)
			return false;
	return k == n;
}

/* Whether two entries have the same headline. */
static bool heads_equal(const tg_testtab *t, const tg_tcase *a,
			const tg_tcase *b)
{
	head_iter x, y;
	int cx, cy;

	head_iter_init(&x, tg_testtab_id(t, a), a->id_len);
	head_iter_init(&y, tg_testtab_id(t, b), b->id_len);
	do {
		cx = head_next(&x);
		cy = head_next(&y);
	} while (cx == cy && cx >= 0);
	return cx == cy;
}

static void head_insert(tg_testtab *t, uint32_t idx)
{
	const tg_tcase *c = &t->v[idx];
	size_t mask = t->nslots - 1;
	size_t s = head_hash(tg_testtab_id(t, c), c->id_len) & mask;

	for (; t->heads[s]; s = (s + 1) & mask) {
		tg_tcase *o = &t->v[t->heads[s] - 1];
		if (heads_equal(t, o, c)) {
			o->head_ambiguous = true; /* the first keeps the slot */
			return;
		}
	}
	t->heads[s] = idx + 1;
}

/* Double both indexes and insert every entry again. */
static int rehash(tg_testtab *t, tg_err *err)
{
	size_t n = t->nslots ? t->nslots * 2 : 1024, i;
	uint32_t *ids = tg_calloc(n, sizeof(*ids));
	uint32_t *heads = tg_calloc(n, sizeof(*heads));

	if (!ids || !heads) {
		tg_free(ids);
		tg_free(heads);
		return tg_err_nomem(err);
	}
	tg_free(t->ids);
	tg_free(t->heads);
	t->ids = ids;
	t->heads = heads;
	t->nslots = n;
	for (i = 0; i < t->n; i++) {
		const tg_tcase *c = &t->v[i];
		size_t s = (size_t)tg_fnv1a(tg_testtab_id(t, c), c->id_len) &
			   (n - 1);
		while (t->ids[s])
			s = (s + 1) & (n - 1);
		t->ids[s] = (uint32_t)i + 1;
		head_insert(t, (uint32_t)i);
	}
	return 0;
}

int tg_testtab_get(tg_tcase **out, tg_testtab *t, const char *id, size_t len,
		   bool create, uint64_t line, tg_err *err)
{
	size_t s, need;
	tg_tcase *c;

	*out = NULL;
	if (len > TG_MAX_NAME)
		len = TG_MAX_NAME;
	if (t->nslots) {
		s = (size_t)tg_fnv1a(id, len) & (t->nslots - 1);
		for (; t->ids[s]; s = (s + 1) & (t->nslots - 1)) {
			c = &t->v[t->ids[s] - 1];
			if (c->id_len == len &&
			    memcmp(tg_testtab_id(t, c), id, len) == 0) {
				*out = c;
				return 0;
			}
		}
	}
	if (!create)
		return 0;
	if (t->n >= TG_MAX_LOG_TESTS)
		return tg_err_set(err, TG_ELIMIT,
				  "more than %u tests in one log",
				  TG_MAX_LOG_TESTS);
	if (!tg_grow((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v)) ||
	    !tg_size_add(&need, t->alen, len + 1) ||
	    !tg_grow((void **)&t->arena, &t->acap, need, 1))
		return tg_err_nomem(err);
	c = &t->v[t->n];
	memset(c, 0, sizeof(*c));
	c->id_off = (uint32_t)t->alen;
	c->id_len = (uint32_t)len;
	c->line = line;
	memcpy(t->arena + t->alen, id, len);
	t->arena[t->alen + len] = '\0';
	t->alen = need;
	t->n++;
	/* keep the load under one half */
	if (t->n * 2 > t->nslots) {
		if (rehash(t, err))
			return err->code;
	} else {
		s = (size_t)tg_fnv1a(id, len) & (t->nslots - 1);
		while (t->ids[s])
			s = (s + 1) & (t->nslots - 1);
		t->ids[s] = (uint32_t)t->n;
		head_insert(t, (uint32_t)t->n - 1);
	}
	*out = c;
	return 0;
}

tg_tcase *tg_testtab_by_headline(const tg_testtab *t, const char *h,
				 size_t len, bool *ambiguous)
{
	uint64_t hh = 0xcbf29ce484222325u;
	size_t i, s;

	*ambiguous = false;
	if (!t->nslots)
		return NULL;
	for (i = 0; i < len; i++)
		hh = (hh ^ (unsigned char)h[i]) * 0x100000001b3u;
	for (s = hh & (t->nslots - 1); t->heads[s];
	     s = (s + 1) & (t->nslots - 1)) {
		tg_tcase *c = &t->v[t->heads[s] - 1];
		if (head_equal(t, c, h, len)) {
			*ambiguous = c->head_ambiguous;
			return c->head_ambiguous ? NULL : c;
		}
	}
	return NULL;
}

int tg_testtab_message(tg_tcase *c, const char *msg, size_t len, bool replace,
		       tg_err *err)
{
	char *m;

	if (c->message && !replace)
		return 0;
	if (len > TG_MAX_MESSAGE)
		len = TG_MAX_MESSAGE;
	if (!(m = tg_malloc(len + 1)))
		return tg_err_nomem(err);
	memcpy(m, msg, len);
	m[len] = '\0';
	tg_free(c->message);
	c->message = m;
	return 0;
}
