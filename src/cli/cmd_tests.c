/*
 * cmd_tests.c - truegreen tests: one run's tests with outcome, duration
 * and source location.
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

static const char usage[] =
	"usage: truegreen [--db PATH] tests [--run NAME|ID|latest] "
	"[--format text|json]\n"
	"\n"
	"List the tests of a run (default: the latest): id, outcome,\n"
	"duration, and source file:line where known.\n";

static int add_json(const tg_test_info *t, void *payload)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "id", t->test_id ? t->test_id : "");
	cJSON_AddStringToObject(o, "outcome", t->outcome ? t->outcome : "");
	if (t->has_duration)
		cJSON_AddNumberToObject(o, "duration", t->duration);
	else
		cJSON_AddNullToObject(o, "duration");
	cJSON_AddNumberToObject(o, "attempts", t->attempts);
	if (t->file)
		cJSON_AddStringToObject(o, "file", t->file);
	else
		cJSON_AddNullToObject(o, "file");
	if (t->line > 0)
		cJSON_AddNumberToObject(o, "line", (double)t->line);
	else
		cJSON_AddNullToObject(o, "line");
	if (t->status)
		cJSON_AddStringToObject(o, "status", t->status);
	if (t->message)
		cJSON_AddStringToObject(o, "message", t->message);
	cJSON_AddItemToArray(payload, o);
	return 0;
}

static int print_text(const tg_test_info *t, void *payload)
{
	(void)payload;
	printf("%-7s ", t->outcome ? t->outcome : "?");
	if (t->has_duration)
		printf("%10.3fs ", t->duration);
	else
		printf("%11s ", "-");
	tg_fput_escaped(stdout, t->test_id);
	if (t->file) {
		fputs("  (", stdout);
		tg_fput_escaped(stdout, t->file);
		if (t->line > 0)
			printf(":%lld", (long long)t->line);
		fputc(')', stdout);
	}
	if (t->attempts > 1)
		printf("  [%u attempts]", t->attempts);
	if (t->status) { /* why a skip: xfail, disabled, todo... */
		fputs("  [", stdout);
		tg_fput_escaped(stdout, t->status);
		fputc(']', stdout);
	}
	fputc('\n', stdout);
	return 0;
}

int cmd_tests(cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"run", required_argument, NULL, 'r'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	tg_err err = TG_ERR_INIT;
	const char *sel = NULL;
	tg_store *st;
	int64_t run;
	bool json = false;
	cJSON *list;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return EXIT_OK;
		} else if (opt == 'r') {
			sel = optarg;
		} else if (opt != 'f' || !cli_parse_format(optarg, &json)) {
			return cli_usage("tests", "--format is text or json");
		}
	}
	if (optind < argc)
		return cli_usage("tests", "unexpected argument '%s'",
				 argv[optind]);
	if ((rc = cli_open_store(&st, c, true)) != EXIT_OK)
		return rc;
	list = json ? cJSON_CreateArray() : NULL;
	rc = tg_run_resolve(&run, st, sel, &err);
	if (rc == 0)
		rc = tg_tests_each(st, run, json ? add_json : print_text, list,
				   &err);
	tg_store_close(st);
	if (rc) {
		cJSON_Delete(list);
		return cli_fail(&err);
	}
	if (json) {
		cJSON *top = cli_json_envelope();
		cJSON_AddNumberToObject(top, "run", (double)run);
		cJSON_AddItemToObject(top, "tests", list);
		return cli_print_json(top);
	}
	return EXIT_OK;
}
