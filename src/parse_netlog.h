/*
 * parse_netlog.h - truegreen's network record (parser.h's interface).
 */
#ifndef TG_PARSE_NETLOG_H
#define TG_PARSE_NETLOG_H

#include "parser.h"

int tg_netlog_sniff(const unsigned char *head, size_t n);
int tg_netlog_parse(tg_source *src, const tg_parse_opts *opts,
		    const tg_sink *sink, tg_parse_stats *stats, tg_err *err);

#endif
