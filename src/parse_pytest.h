/*
 * parse_pytest.h - pytest console output (parser.h's interface).
 */
#ifndef TG_PARSE_PYTEST_H
#define TG_PARSE_PYTEST_H

#include "parser.h"

int tg_pytest_sniff(const unsigned char *head, size_t n);
int tg_pytest_parse(tg_source *src, const tg_parse_opts *opts,
		    const tg_sink *sink, tg_parse_stats *stats, tg_err *err);

#endif
