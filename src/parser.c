/*
 * parser.c - the registration table of report parsers.
 */
#include "parser.h"

#include <string.h>

#include "parse_junit.h"
#include "parse_netlog.h"
#include "parse_pytest.h"
#include "parse_reportlog.h"

const tg_parser tg_parsers[] = {
	{"junit", tg_junit_sniff, tg_junit_parse},
	{"pytest", tg_pytest_sniff, tg_pytest_parse},
	{"reportlog", tg_reportlog_sniff, tg_reportlog_parse},
	{"netlog", tg_netlog_sniff, tg_netlog_parse},
};

const size_t tg_parser_count = sizeof(tg_parsers) / sizeof(tg_parsers[0]);

const tg_parser *tg_parser_find(const char *name)
{
	size_t i;

	for (i = 0; i < tg_parser_count; i++)
		if (strcmp(tg_parsers[i].name, name) == 0)
			return &tg_parsers[i];
	return NULL;
}

const tg_parser *tg_parser_sniff(const unsigned char *head, size_t n)
{
	const tg_parser *best = NULL;
	int best_score = 0;
	size_t i;

	for (i = 0; i < tg_parser_count; i++) {
		int score = tg_parsers[i].sniff(head, n);
		if (score > best_score) {
			best = &tg_parsers[i];
			best_score = score;
		}
	}
	return best;
}
