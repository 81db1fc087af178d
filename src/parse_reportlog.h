/*
 * parse_reportlog.h - pytest --report-log JSON lines (parser.h's
 * interface).
 */
#ifndef TG_PARSE_REPORTLOG_H
#define TG_PARSE_REPORTLOG_H

#include "parser.h"

int tg_reportlog_sniff(const unsigned char *head, size_t n);
int tg_reportlog_parse(tg_source *src, const tg_parse_opts *opts,
		       const tg_sink *sink, tg_parse_stats *stats,
		       tg_err *err);

#endif
