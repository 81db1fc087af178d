/*
 * cmd_runs.c - truegreen runs: the stored runs with their counts.
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"usage: truegreen [--db PATH] runs [--format text|json]\n"
	"\n"
	"List the stored runs, oldest first, with their counts.\n";

static cJSON *counts_json(const tg_counts *c)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "tests", (double)c->tests);
	cJSON_AddNumberToObject(o, "passed", (double)c->passed);
	cJSON_AddNumberToObject(o, "failed", (double)c->failed);
	cJSON_AddNumberToObject(o, "errors", (double)c->errors);
	cJSON_AddNumberToObject(o, "skipped", (double)c->skipped);
	cJSON_AddNumberToObject(o, "flaky", (double)c->flaky);
	cJSON_AddNumberToObject(o, "results", (double)c->results);
	cJSON_AddNumberToObject(o, "duration", c->duration);
	return o;
}

static cJSON *run_json(const tg_run_info *r)
{
	cJSON *o = cJSON_CreateObject(), *meta = cJSON_CreateObject();
	size_t i;

	cJSON_AddNumberToObject(o, "id", (double)r->id);
	cJSON_AddStringToObject(o, "name", r->name ? r->name : "");
	cJSON_AddStringToObject(o, "imported_at",
				r->imported_at ? r->imported_at : "");
	cJSON_AddStringToObject(o, "digest", r->digest ? r->digest : "");
	cJSON_AddBoolToObject(o, "truncated", r->truncated);
	cJSON_AddItemToObject(o, "counts", counts_json(&r->counts));
	for (i = 0; i < r->meta_count; i++)
		cJSON_AddStringToObject(meta, r->meta[i].key, r->meta[i].value);
	cJSON_AddItemToObject(o, "meta", meta);
	return o;
}

static int add_json(const tg_run_info *r, void *payload)
{
	cJSON_AddItemToArray(payload, run_json(r));
	return 0;
}

static int print_text(const tg_run_info *r, void *payload)
{
	const tg_counts *c = &r->counts;
	char outcomes[128];
	size_t i;

	(void)payload;
	printf("%-5lld ", (long long)r->id);
	tg_fput_escaped(stdout, r->name);
	printf("  %s  tests %llu: %s; %.3f s%s\n",
	       r->imported_at ? r->imported_at : "",
	       (unsigned long long)c->tests,
	       tg_counts_outcomes(outcomes, sizeof(outcomes), c), c->duration,
	       r->truncated ? "  [truncated]" : "");
	for (i = 0; i < r->meta_count; i++) {
		fputs("      ", stdout);
		tg_fput_escaped(stdout, r->meta[i].key);
		fputs("=", stdout);
		tg_fput_escaped(stdout, r->meta[i].value);
		fputc('\n', stdout);
	}
	return 0;
}

int cmd_runs(cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	tg_err err = TG_ERR_INIT;
	tg_store *st;
	bool json = false;
	cJSON *doc;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return EXIT_OK;
		}
		if (opt != 'f' || !cli_parse_format(optarg, &json))
			return cli_usage("runs", "--format is text or json");
	}
	if (optind < argc)
		return cli_usage("runs", "unexpected argument '%s'",
				 argv[optind]);
	if ((rc = cli_open_store(&st, c, true)) != EXIT_OK)
		return rc;
	doc = json ? cJSON_CreateArray() : NULL;
	rc = tg_runs_each(st, json ? add_json : print_text, doc, &err);
	tg_store_close(st);
	if (rc) {
		cJSON_Delete(doc);
		return cli_fail(&err);
	}
	if (json) {
		cJSON *top = cli_json_envelope();
		cJSON_AddItemToObject(top, "runs", doc);
		return cli_print_json(top);
	}
	return EXIT_OK;
}
