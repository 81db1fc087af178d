/*
 * test_strindex.c - the hash index by string key: entries found by their
 * key however the owner's array moved, keys that differ only in length or
 * share a hash, growth far past the first table, and a refused allocation
 * that leaves the index as it was.
 */
#include "helpers.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "strindex.h"

typedef struct owner {
	char (*keys)[16];
	size_t n, cap;
} owner;

static const char *key_of(const void *o, size_t entry, size_t *len)
{
	const char *k = ((const owner *)o)->keys[entry];

	*len = strlen(k);
	return k;
}

/* Add key (or find it): its entry number. */
static size_t add(tg_strindex *x, owner *o, const char *key)
{
	size_t *slot;

	assert_true(tg_strindex_reserve(x, o->n, o->n + 1));
	slot = tg_strindex_slot(x, key, strlen(key));
	if (*slot)
		return *slot - 1;
	assert_true(tg_grow((void **)&o->keys, &o->cap, o->n + 1,
			    sizeof(*o->keys)));
	snprintf(o->keys[o->n], sizeof(o->keys[o->n]), "%s", key);
	*slot = ++o->n;
	return o->n - 1;
}

static void test_strindex__finds_every_key_after_growth(void **state)
{
	owner o = {NULL, 0, 0};
	tg_strindex x = TG_STRINDEX_INIT(key_of, &o);
	char key[16];
	size_t i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		assert_int_equal(add(&x, &o, key), i);
	}
	assert_int_equal(o.n, 5000);
	assert_true(x.nslots >= 2 * o.n); /* at most half full */
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		assert_int_equal(*tg_strindex_slot(&x, key, strlen(key)), i + 1);
	}
	/* a prefix of a key is another key; an absent one finds a free slot */
	assert_int_equal(*tg_strindex_slot(&x, "k1", 2), 2);
	assert_int_equal(*tg_strindex_slot(&x, "k12", 2), 2);
	assert_int_equal(*tg_strindex_slot(&x, "k", 1), 0);
	assert_int_equal(*tg_strindex_slot(&x, "k50000", 6), 0);
	/* adding a key again finds it */
	assert_int_equal(add(&x, &o, "k4999"), 4999);
	assert_int_equal(o.n, 5000);
	tg_strindex_free(&x);
	tg_free(o.keys);
}

/* The empty key and keys with NUL-free binary bytes are keys too. */
static void test_strindex__odd_keys(void **state)
{
	owner o = {NULL, 0, 0};
	tg_strindex x = TG_STRINDEX_INIT(key_of, &o);

	(void)state;
	assert_int_equal(add(&x, &o, ""), 0);
	assert_int_equal(add(&x, &o, "\xff\xfe"), 1);
	assert_int_equal(add(&x, &o, ""), 0);
	assert_int_equal(add(&x, &o, "\xff"), 2);
	assert_int_equal(*tg_strindex_slot(&x, "\xff\xfe", 2), 2);
	tg_strindex_free(&x);
	tg_free(o.keys);
}

static void test_strindex__refused_growth_keeps_the_index(void **state)
{
	owner o = {NULL, 0, 0};
	tg_strindex x = TG_STRINDEX_INIT(key_of, &o);
	size_t *slots, nslots;
	char key[16];
	size_t i;

	(void)state;
	for (i = 0; i < 32; i++) {
		snprintf(key, sizeof(key), "t%zu", i);
		add(&x, &o, key);
	}
	slots = x.slots;
	nslots = x.nslots;
	tg_alloc_fail_at(1);
	assert_false(tg_strindex_reserve(&x, o.n, 10 * o.n));
	tg_alloc_fail_at(0);
	assert_ptr_equal(x.slots, slots);
	assert_int_equal(x.nslots, nslots);
	assert_int_equal(*tg_strindex_slot(&x, "t31", 3), 32);
	/* a size whose table would overflow is refused, not wrapped */
	assert_false(tg_strindex_reserve(&x, o.n, SIZE_MAX / 2 + 1));
	assert_int_equal(x.nslots, nslots);
	tg_strindex_free(&x);
	tg_free(o.keys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strindex__finds_every_key_after_growth),
		cmocka_unit_test(test_strindex__odd_keys),
		cmocka_unit_test(test_strindex__refused_growth_keeps_the_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
