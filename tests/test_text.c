/* test_text.c - escaping untrusted text, paths as URIs, and SHA-256
 * vectors. */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "report.h"
#include "sha256.h"
#include "truegreen/text.h"

static void check(const char *in, size_t n, bool nl, const char *want)
{
	char out[256];
	size_t need = tg_escape(out, sizeof(out), in, n, nl);

	assert_string_equal(out, want);
	assert_int_equal(need, strlen(want));
}

static void test_text__controls_become_visible(void **state)
{
	(void)state;
	check("a\x1b[31mred", 9, false, "a\\x1b[31mred");
	check("bell\x07", 5, false, "bell\\x07");
	check("cr\rlf\n", 6, false, "cr\\x0dlf\\x0a");
	check("lf\n", 3, true, "lf\n");
	check("tab\tok", 6, false, "tab\tok");
	check("del\x7f", 4, false, "del\\x7f");
	check("nul\0x", 5, false, "nul\\x00x");
}

/* To a stream: short text and text past the stack buffer both come out
 * whole and escaped. */
static void test_text__fput_escaped(void **state)
{
	char long_in[2000], got[8192];
	FILE *f = tmpfile();
	size_t n;

	(void)state;
	assert_non_null(f);
	memset(long_in, 'x', sizeof(long_in) - 2);
	long_in[sizeof(long_in) - 2] = '\x1b';
	long_in[sizeof(long_in) - 1] = '\0';
	tg_fput_escaped(f, "a\x1b[2Jb\n");
	tg_fput_escaped(f, NULL);
	tg_fput_escaped(f, long_in);
	rewind(f);
	n = fread(got, 1, sizeof(got) - 1, f);
	got[n] = '\0';
	fclose(f);
	assert_int_equal(n, strlen("a\\x1b[2Jb\\x0a") + sizeof(long_in) - 2 + 4);
	assert_memory_equal(got, "a\\x1b[2Jb\\x0a", 13);
	assert_string_equal(got + n - 5, "x\\x1b");
}

static void test_text__utf8_kept_invalid_escaped(void **state)
{
	(void)state;
	check("caf\xc3\xa9 \xe2\x80\xba", 9, false, "caf\xc3\xa9 \xe2\x80\xba");
	check("bad\xff\xfe", 5, false, "bad\\xff\\xfe");
	check("overlong\xc0\xaf", 10, false, "overlong\\xc0\\xaf");
	/* C1 control U+009B (CSI) is an escape introducer on some terminals */
	check("csi\xc2\x9b" "2J", 7, false, "csi\\xc2\\x9b2J");
	check("cut\xe2\x82", 5, false, "cut\\xe2\\x82");
}

static void test_text__cut_reports_full_length(void **state)
{
	char out[8];
	size_t need = tg_escape(out, sizeof(out), "\x1b\x1b\x1b", 3, false);

	(void)state;
	assert_int_equal(need, 12);
	assert_string_equal(out, "\\x1b"); /* only whole escapes */
}

static void sha(const char *in, const char *want)
{
	tg_sha256 h;
	char hex[65];

	tg_sha256_init(&h);
	tg_sha256_update(&h, in, strlen(in));
	tg_sha256_final_hex(&h, hex);
	assert_string_equal(hex, want);
}

static void test_text__sha256_vectors(void **state)
{
	char chunk[1001];
	tg_sha256 h;
	char hex[65];
	int i;

	(void)state;
	sha("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha("abc",
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* a million 'a', fed in odd-sized chunks to cross block edges */
	memset(chunk, 'a', sizeof(chunk));
	tg_sha256_init(&h);
	for (i = 0; i < 1000; i++)
		tg_sha256_update(&h, chunk, i % 2 ? 999 : 1001);
	tg_sha256_final_hex(&h, hex);
	assert_string_equal(
		hex,
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* The accelerated compression (x86 SHA extensions, where the CPU has
 * them) computes exactly what the portable one does, block after block. */
static void test_text__sha256_paths_agree(void **state)
{
	uint32_t a[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	uint32_t b[8];
	unsigned char block[64];
	uint32_t x = 2463534242u;
	int i, j;

	(void)state;
	memcpy(b, a, sizeof(a));
	for (i = 0; i < 2000; i++) {
		for (j = 0; j < 64; j++) { /* xorshift: deterministic noise */
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			block[j] = (unsigned char)x;
		}
		tg_sha256__compress(a, block, true);
		tg_sha256__compress(b, block, false);
		assert_memory_equal(a, b, sizeof(a));
	}
}

static void uri(const char *path, const char *want)
{
	char *got = tg_report__uri(path);

	assert_non_null(got);
	assert_string_equal(got, want);
	tg_free(got);
}

/* SARIF's artifactLocation.uri: a URI reference, never a raw path. */
static void test_text__paths_as_uris(void **state)
{
	(void)state;
	uri("tests/test_a.py", "tests/test_a.py");
	uri("t/my tests/100%.py", "t/my%20tests/100%25.py");
	uri("t/#1?[x].py", "t/%231%3F%5Bx%5D.py");
	/* a colon in a relative path would read as a scheme */
	uri("c:lib/x.py", "c%3Alib/x.py");
	uri("t/caf\xc3\xa9.py", "t/caf%C3%A9.py");
	uri("t/a+b=c,d@e.py", "t/a+b=c,d@e.py");
	uri("/ci/build/junit.xml", "file:///ci/build/junit.xml");
	uri("C:\\ci\\t\\x.py", "file:///C:/ci/t/x.py");
	uri("d:/ci/x.py", "file:///d:/ci/x.py");
	uri("tests\\unit\\x.py", "tests/unit/x.py");
	uri("", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text__controls_become_visible),
		cmocka_unit_test(test_text__fput_escaped),
		cmocka_unit_test(test_text__paths_as_uris),
		cmocka_unit_test(test_text__utf8_kept_invalid_escaped),
		cmocka_unit_test(test_text__cut_reports_full_length),
		cmocka_unit_test(test_text__sha256_vectors),
		cmocka_unit_test(test_text__sha256_paths_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
