/*
 * parser.h - the table of report parsers.
 *
 * Adding a format is one new parse_<name>.c with a sniff() and a parse(),
 * one row in tg_parsers[] (parser.c) and one test file.
 */
#ifndef TG_PARSER_H
#define TG_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "source.h"

typedef struct tg_parse_opts {
	size_t output_cap;  /* per-test system-out/-err bytes kept */
} tg_parse_opts;

typedef struct tg_parse_stats {
	uint64_t results;       /* results emitted */
	bool truncated;         /* input ended before the report did */
	uint64_t truncated_at;  /* byte offset after the last complete case */
	/* truncated, but not at the input's end: reading stopped at this
	 * byte (a construct over a limit) with the input going on */
	bool stopped;
	uint64_t stopped_at;
	bool unrecognized;      /* failed because nothing was of this format */
} tg_parse_stats;

typedef struct tg_parser {
	const char *name;  /* "junit"; stable, stored with each source */
	/* Confidence 0..100 that head[0..n) starts an input of this format. */
	int (*sniff)(const unsigned char *head, size_t n);
	/* Stream the source into the sink.  Returns 0 or a negative tg_code;
	 * a truncated input that yielded complete cases is a success with
	 * stats->truncated set. */
	int (*parse)(tg_source *src, const tg_parse_opts *opts,
		     const tg_sink *sink, tg_parse_stats *stats, tg_err *err);
} tg_parser;

extern const tg_parser tg_parsers[];
extern const size_t tg_parser_count;

/* The parser named name, or NULL. */
const tg_parser *tg_parser_find(const char *name);

/* The parser most confident about head, or NULL if none is. */
const tg_parser *tg_parser_sniff(const unsigned char *head, size_t n);

#endif
