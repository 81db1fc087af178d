/*
 * parse_junit.h - JUnit XML of every common dialect, streamed.
 */
#ifndef TG_PARSE_JUNIT_H
#define TG_PARSE_JUNIT_H

#include "parser.h"

int tg_junit_sniff(const unsigned char *head, size_t n);
int tg_junit_parse(tg_source *src, const tg_parse_opts *opts,
		   const tg_sink *sink, tg_parse_stats *stats, tg_err *err);

#endif
