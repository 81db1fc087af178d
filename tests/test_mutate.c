/*
 * test_mutate.c - the log parsers on thousands of damaged inputs: bytes
 * flipped, spans dropped, duplicated and swapped, cuts, NULs, CRs and
 * over-long lines.  Each import must end with success or a clean input
 * error with a message, never a crash, a hang or a sanitizer report (CI
 * runs this under ASan and UBSan).  (That a failed import leaves the
 * database untouched is test_hostile's and test_store's.)
 * Deterministic: a fixed xorshift seed, so a failure replays.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rng {
	uint64_t s;
} rng;

static uint64_t next(rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	*n = (size_t)ftell(f);
	rewind(f);
	buf = malloc(*n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, *n, f), *n);
	fclose(f);
	return buf;
}

/* One damage of src[0..n) into out (capacity cap); the new length. */
static size_t mutate(rng *r, const char *src, size_t n, char *out, size_t cap)
{
	size_t i, a = next(r) % n, b = next(r) % n, len;
	static const char bytes[] = {'\0', '\r', '\n', '\x1b', '\xff', '\xc3',
				     '{', '}', '"', '[', ':', '_', '='};

	memcpy(out, src, n);
	len = n;
	switch (next(r) % 6) {
	case 0: /* flip bytes */
		for (i = 0; i < 1 + next(r) % 16; i++)
			out[next(r) % len] = bytes[next(r) % sizeof(bytes)];
		break;
	case 1: /* cut */
		len = a;
		break;
	case 2: /* drop a span */
		if (a > b) {
			size_t t = a;
			a = b;
			b = t;
		}
		memmove(out + a, out + b, len - b);
		len -= b - a;
		break;
	case 3: /* duplicate a span (bounded) */
		if (a > b) {
			size_t t = a;
			a = b;
			b = t;
		}
		if (b - a > cap - len)
			b = a + (cap - len);
		memmove(out + b + (b - a), out + b, len - b);
		memcpy(out + b, src + a, b - a);
		len += b - a;
		break;
	case 4: /* swap two spans of equal length */
		for (i = 0; i < 64 && a + i < len && b + i < len; i++) {
			char t = out[a + i];
			out[a + i] = out[b + i];
			out[b + i] = t;
		}
		break;
	default: /* a very long line */
		for (i = a; i < len && i < a + 4096; i++)
			out[i] = 'x';
		break;
	}
	return len;
}

static void damage(const char *fixture, unsigned rounds, uint64_t seed)
{
	size_t n, cap, len;
	char *src = slurp(fixture, &n), *buf;
	rng r = {seed};
	unsigned i, ok = 0, refused = 0;

	cap = n * 2 + 1;
	buf = malloc(cap);
	assert_non_null(buf);
	for (i = 0; i < rounds; i++) {
		tg_store *st = th_store_memory();
		tg_import_result res;
		tg_err err = TG_ERR_INIT;
		const char *p;
		int rc;

		len = mutate(&r, src, n, buf, cap);
		p = th_write_tmp("mutant", buf, len);
		rc = th_import1(st, p, &res, &err);
		if (rc == 0)
			ok++;
		else if (rc == TG_EINPUT || rc == TG_ELIMIT)
			refused++;
		else
			fail_msg("round %u: code %d: %s", i, rc, err.msg);
		if (rc)
			assert_true(err.msg[0] != '\0');
		tg_store_close(st);
	}
	print_message("%s: %u imported, %u refused\n", fixture, ok, refused);
	assert_int_equal(ok + refused, rounds);
	free(buf);
	free(src);
}

static void test_mutate__console_logs(void **state)
{
	(void)state;
	damage(FIXTURE("pytest/v_rA.log"), 400, 0x9E3779B97F4A7C15u);
	damage(FIXTURE("pytest/xdist.log"), 200, 0x2545F4914F6CDD1Du);
	damage(FIXTURE("pytest/ci_noise.log"), 200, 0x61C8864680B583EBu);
}

static void test_mutate__report_logs(void **state)
{
	(void)state;
	damage(FIXTURE("pytest/v_rA.jsonl"), 400, 0xD1B54A32D192ED03u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mutate__console_logs),
		cmocka_unit_test(test_mutate__report_logs),
	};
	tg_err err = TG_ERR_INIT;

	tg_global_init(&err);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
