/*
 * source.h - where report bytes come from: a file, standard input, a
 * descriptor or memory, all behind one read interface.
 *
 * A source keeps the first TG_SNIFF_BYTES for the parsers' sniff(),
 * replays them to the parser, and hashes every byte it hands out, so the
 * run's content digest covers exactly what was read.  Opening never
 * blocks on a FIFO with no writer, and a directory or device is refused.
 */
#ifndef TG_SOURCE_H
#define TG_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "limits.h"
#include "sha256.h"
#include "truegreen/error.h"

typedef struct tg_source {
	char *name;          /* display name: the path, or "<stdin>" */
	int fd;              /* -1 for memory sources */
	bool own_fd;
	const unsigned char *mem;
	size_t mem_len, mem_pos;
	unsigned char head[TG_SNIFF_BYTES];
	size_t head_len, head_pos;
	bool head_done;      /* head was filled */
	bool eof;
	bool no_digest;      /* set before reading: skip hashing (dry runs) */
	bool reopenable;     /* a regular file or memory: can be read again */
	char *path;          /* the path of a file source, else NULL */
	uint64_t base;       /* offset of the first byte in the content */
	uint64_t base_line;  /* lines of the content before that byte */
	uint64_t bytes;      /* bytes handed out so far */
	uint64_t size;       /* the content's size when known (a regular
				file, memory), else 0 */
	/* Called as reading passes every TG_PROGRESS_STEP bytes (import's
	 * progress report); NULL: nobody asked. */
	void (*on_read)(void *ctx, const struct tg_source *s);
	void *on_read_ctx;
	uint64_t next_report;
	tg_sha256 sha;
} tg_source;

/* How often a source says how far it got. */
#define TG_PROGRESS_STEP (4u * 1024u * 1024u)

/* Open a path ("-" is standard input).  Refuses directories and devices
 * other than pipes.  Returns 0, TG_EINPUT or TG_ENOMEM. */
int tg_source_open_path(tg_source *s, const char *path, tg_err *err);

/* A source over memory; data must outlive the source. */
int tg_source_open_memory(tg_source *s, const char *name, const void *data,
			  size_t len, tg_err *err);

/*
 * Open a second, independent source over the same content (a regular
 * file opened again, or the same memory), for a parser that must read an
 * input twice; it computes no digest.  TG_EINPUT if src is a pipe or
 * standard input.
 */
int tg_source_reopen(tg_source *out, const tg_source *src, tg_err *err);

/*
 * As tg_source_reopen, reading from byte offset `at` of the content (a
 * later document of several concatenated ones); its line numbers
 * continue the content's: base_line lines precede `at`.
 */
int tg_source_reopen_at(tg_source *out, const tg_source *src, uint64_t at,
			uint64_t base_line, tg_err *err);

/*
 * Copy up to n bytes of the content's end into buf, without moving the
 * read position, and the content's total size into *size.  Only for a
 * reopenable source.
 */
int tg_source_tail(const tg_source *s, unsigned char *buf, size_t n,
		   size_t *got, uint64_t *size, tg_err *err);

/* The first bytes (up to TG_SNIFF_BYTES) without consuming them. */
int tg_source_peek(tg_source *s, const unsigned char **head, size_t *n,
		   tg_err *err);

/*
 * Read up to n bytes.  Returns the count (0 at end of input) or a negative
 * tg_code, with err naming the file.
 */
ptrdiff_t tg_source_read(tg_source *s, void *buf, size_t n, tg_err *err);

/* Read and hash whatever the parser left, so the digest covers it all. */
int tg_source_drain(tg_source *s, tg_err *err);

/* Digest of every byte read, as hex; call after tg_source_drain. */
void tg_source_digest(tg_source *s, char hex[TG_SHA256_HEX]);

void tg_source_close(tg_source *s);

/*
 * Walk a directory: call fn for every regular file below it, in sorted
 * order, without following symbolic links (no loops, nothing outside the
 * tree).  Refuses more than TG_MAX_DIR_FILES files.  fn returns 0 to go on.
 * skip hears of every entry not walked (a link, a FIFO, a device...) and
 * why, so the caller can say so: a report behind a link must not vanish
 * silently.
 */
typedef int (*tg_walk_fn)(const char *path, void *payload, tg_err *err);
typedef void (*tg_walk_skip_fn)(const char *path, const char *why,
				void *payload);
int tg_source_walk(const char *dir, tg_walk_fn fn, tg_walk_skip_fn skip,
		   void *payload, tg_err *err);

/* Whether path names a directory (following links); false on error. */
bool tg_source_is_dir(const char *path);

#endif
