/*
 * junit_reader.h - one streaming pass over a JUnit report (junit_reader.c),
 * for parse_junit.c, which decides how many passes an input needs.
 */
#ifndef TG_JUNIT_READER_H
#define TG_JUNIT_READER_H

#include <stdbool.h>
#include <stdint.h>

#include "parser.h"

/* How a pass ended, for the caller to report once. */
typedef struct tg_junit_end {
	bool broke;    /* the XML failed before the root element closed */
	bool trailing; /* content after the root element was ignored */
	bool another;  /* the failure is a second document starting */
	bool input_ended; /* the input had been read to its end (or to
			     the pass's stop point) when the pass ended */
	char why[256]; /* libxml2's message */
	uint64_t line, col, offset; /* where it failed */
	uint64_t good_offset;       /* byte after the last complete case */
	uint64_t replaced, replaced_line, replaced_col; /* guard repairs */
} tg_junit_end;

/*
 * Stream src into sink, counting results in stats.  stop_at > 0 ends the
 * input at that byte, and inject then puts one empty element there (see
 * tg_xmlguard_salvage).  huge lifts libxml2's 10 MB limit on a text node
 * (XML_PARSE_HUGE), with the guard keeping CDATA sections, attribute
 * values and comments short (tg_xmlguard_huge).  Returns 0, with *end
 * telling whether and where the XML broke, or a negative tg_code (input
 * refused, or the sink failed).
 */
int tg_junit__pass(tg_source *src, const tg_parse_opts *opts,
		   const tg_sink *sink, tg_parse_stats *stats, uint64_t stop_at,
		   bool inject, bool huge, tg_junit_end *end, tg_err *err);

#endif
