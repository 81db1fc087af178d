/*
 * sha256.h - SHA-256 (FIPS 180-4), for content digests of imported runs.
 *
 * A cryptographic hash, not a fast one: the digest decides whether a
 * report "was already imported", and a crafted report must not be able to
 * collide with an earlier one and be silently dropped.
 */
#ifndef TG_SHA256_H
#define TG_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tg_sha256 {
	uint32_t h[8];
	uint64_t bytes;
	unsigned char block[64];
	size_t fill;
} tg_sha256;

#define TG_SHA256_HEX 65 /* 64 hex digits and a NUL */

void tg_sha256_init(tg_sha256 *s);
void tg_sha256_update(tg_sha256 *s, const void *data, size_t n);
void tg_sha256_final(tg_sha256 *s, unsigned char out[32]);
/* Finish and write the digest as lowercase hex into hex[TG_SHA256_HEX]. */
void tg_sha256_final_hex(tg_sha256 *s, char hex[TG_SHA256_HEX]);

/* Test hook: one compression of the 64-byte block p into h, with the
 * portable code, or with whatever this CPU runs (SHA extensions when it
 * has them). */
void tg_sha256__compress(uint32_t h[8], const unsigned char *p, bool portable);

#endif
