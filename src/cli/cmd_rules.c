/*
 * cmd_rules.c - truegreen rules: the signal catalog in use, built in or
 * merged with a rule file, which this also checks.
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

static const char usage[] =
	"usage: truegreen rules [--rules FILE] [--format text|json]\n"
	"\n"
	"List the signal catalog: every rule's name, signal and pattern.\n"
	"With --rules, FILE is loaded on top of the built-in rules as\n"
	"'import --rules' would, and checked: a bad pattern, or an example\n"
	"line a rule does not handle as its file says, exits 3 naming it.\n";

static int rule_json(const tg_rule_info *r, void *payload)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", r->name);
	cJSON_AddStringToObject(o, "signal", r->signal);
	cJSON_AddStringToObject(o, "pattern", r->pattern);
	cJSON_AddStringToObject(o, "description", r->description);
	cJSON_AddBoolToObject(o, "caseless", r->caseless);
	cJSON_AddBoolToObject(o, "fallback", r->fallback);
	cJSON_AddStringToObject(o, "origin", r->user ? "file" : "built-in");
	cJSON_AddItemToArray(payload, o);
	return 0;
}

static int rule_text(const tg_rule_info *r, void *payload)
{
	(void)payload;
	printf("%-15s ", r->signal);
	tg_fput_escaped(stdout, r->name);
	if (r->fallback)
		fputs("  (fallback)", stdout);
	fputs(r->user ? "  (from the rule file)\n    " : "\n    ", stdout);
	tg_fput_escaped(stdout, r->description);
	fputs("\n    ", stdout);
	tg_fput_escaped(stdout, r->pattern);
	fputc('\n', stdout);
	return 0;
}

int cmd_rules(cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"rules", required_argument, NULL, 'R'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	tg_err err = TG_ERR_INIT;
	const char *rules = NULL;
	tg_catalog *cat;
	bool json = false;
	cJSON *list;
	int opt;

	(void)c;
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return EXIT_OK;
		} else if (opt == 'R') {
			rules = optarg;
		} else if (opt != 'f' || !cli_parse_format(optarg, &json)) {
			return cli_usage("rules", "--format is text or json");
		}
	}
	if (optind < argc)
		return cli_usage("rules", "unexpected argument '%s'",
				 argv[optind]);
	if (tg_catalog_load(&cat, rules, &err))
		return cli_fail(&err);
	list = json ? cJSON_CreateArray() : NULL;
	tg_catalog_each(cat, json ? rule_json : rule_text, list);
	tg_catalog_free(cat);
	if (json) {
		cJSON *top = cli_json_envelope();
		cJSON_AddItemToObject(top, "rules", list);
		return cli_print_json(top);
	}
	return EXIT_OK;
}
