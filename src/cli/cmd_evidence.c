/*
 * cmd_evidence.c - truegreen evidence: what the signal catalog found in a
 * run's output, and the test modules that failed to import, so a reviewer
 * can see why truegreen distrusts a test.
 */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"usage: truegreen [--db PATH] evidence [--run NAME|ID|latest] "
	"[--test ID]\n"
	"                 [--signal SIGNAL] [--format text|json]\n"
	"\n"
	"Show the evidence extracted from a run (default: the latest): each\n"
	"line of output that matched a rule of the signal catalog, with its\n"
	"test, input file and line, and every test module that failed to\n"
	"import, with its import chain.\n"
	"\n"
	"  --test ID        only this test's evidence\n"
	"  --signal SIGNAL  only " TG_SIGNALS "\n";

typedef struct state {
	cJSON *list;
	const char *last_test; /* text output groups by test */
	bool first;
	size_t n;
	char last[4096];
} state;

/* A JSON text column as a value (its text if it does not parse). */
static cJSON *json_value(const char *s)
{
	cJSON *v = s ? cJSON_Parse(s) : NULL;

	return v ? v : cJSON_CreateString(s ? s : "");
}

static void add_str(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

static int evidence_json(const tg_evidence_info *e, void *payload)
{
	state *s = payload;
	cJSON *o = cJSON_CreateObject();

	add_str(o, "test", e->test_id);
	if (e->headline)
		add_str(o, "headline", e->headline);
	add_str(o, "signal", e->signal);
	add_str(o, "rule", e->rule);
	add_str(o, "source", e->source);
	if (e->line > 0)
		cJSON_AddNumberToObject(o, "line", (double)e->line);
	else
		cJSON_AddNullToObject(o, "line");
	add_str(o, "section", e->section);
	add_str(o, "text", e->text);
	cJSON_AddItemToObject(o, "fields", json_value(e->fields));
	cJSON_AddItemToArray(s->list, o);
	s->n++;
	return 0;
}

static int evidence_text(const tg_evidence_info *e, void *payload)
{
	state *s = payload;
	const char *t = e->test_id ? e->test_id
			: e->headline ? e->headline
				      : "(the run)";

	if (s->first || strcmp(s->last, t) != 0) {
		fputs("  ", stdout);
		tg_fput_escaped(stdout, t);
		fputc('\n', stdout);
		snprintf(s->last, sizeof(s->last), "%s", t);
		s->first = false;
	}
	printf("    %-15s ", e->signal ? e->signal : "");
	tg_fput_escaped(stdout, e->rule);
	fputs("  ", stdout);
	tg_fput_escaped(stdout, e->source);
	if (e->line > 0)
		printf(":%lld", (long long)e->line);
	fputs(" (", stdout);
	tg_fput_escaped(stdout, e->section);
	fputs(")\n      ", stdout);
	tg_fput_escaped(stdout, e->text);
	fputc('\n', stdout);
	s->n++;
	return 0;
}

static int collect_json(const tg_collect_info *c, void *payload)
{
	state *s = payload;
	cJSON *o = cJSON_CreateObject();

	add_str(o, "test", c->test_id);
	add_str(o, "exception", c->exc_type);
	add_str(o, "missing", c->missing);
	add_str(o, "message", c->message);
	cJSON_AddItemToObject(o, "chain", json_value(c->chain));
	add_str(o, "source", c->source);
	if (c->line > 0)
		cJSON_AddNumberToObject(o, "line", (double)c->line);
	else
		cJSON_AddNullToObject(o, "line");
	cJSON_AddItemToArray(s->list, o);
	s->n++;
	return 0;
}

static int collect_text(const tg_collect_info *c, void *payload)
{
	state *s = payload;
	cJSON *chain = c->chain ? cJSON_Parse(c->chain) : NULL;
	const cJSON *m;
	bool first = true;

	fputs("  ", stdout);
	tg_fput_escaped(stdout, c->test_id);
	fputs(": ", stdout);
	tg_fput_escaped(stdout, c->exc_type);
	fputs(": ", stdout);
	tg_fput_escaped(stdout, c->message);
	fputs("\n    import chain: ", stdout);
	cJSON_ArrayForEach(m, chain)
	{
		if (!first)
			fputs(" -> ", stdout);
		tg_fput_escaped(stdout, cJSON_IsString(m) ? m->valuestring : "?");
		first = false;
	}
	fputs("\n    (", stdout);
	tg_fput_escaped(stdout, c->source);
	if (c->line > 0)
		printf(":%lld", (long long)c->line);
	fputs(")\n", stdout);
	cJSON_Delete(chain);
	s->n++;
	return 0;
}

static int find_test(const tg_test_info *t, void *payload)
{
	const char **want = payload;

	if (*want && strcmp(t->test_id, *want) == 0)
		*want = NULL; /* found */
	return 0;
}

/* Whether run has a test (or a collection error) named test_id: a --test
 * the run lacks, a typo most likely, is said, not shown as "none". */
static int has_test(tg_store *st, int64_t run, const char *test_id,
		    bool *found, tg_err *err)
{
	const char *want = test_id;
	int rc = tg_tests_each(st, run, find_test, &want, err);

	*found = want == NULL;
	return rc;
}

static int show(tg_store *st, int64_t run, const char *test,
		const char *signal, bool json, tg_err *err)
{
	state ce = {json ? cJSON_CreateArray() : NULL, NULL, true, 0, ""};
	state ev = {json ? cJSON_CreateArray() : NULL, NULL, true, 0, ""};
	int rc = 0;

	if (!json)
		printf("run %lld\n", (long long)run);
	if (!test && (!signal || strcmp(signal, "import") == 0)) {
		if (!json)
			puts("collection errors:");
		rc = tg_collection_errors_each(st, run,
					       json ? collect_json : collect_text,
					       &ce, err);
		if (!json && rc == 0 && ce.n == 0)
			puts("  none");
	}
	if (rc == 0) {
		if (!json)
			puts("evidence:");
		rc = tg_evidence_each(st, run, test, signal,
				      json ? evidence_json : evidence_text, &ev,
				      err);
		if (!json && rc == 0 && ev.n == 0)
			puts("  none");
	}
	if (rc == 0 && json) {
		cJSON *top = cli_json_envelope();
		cJSON_AddNumberToObject(top, "run", (double)run);
		cJSON_AddItemToObject(top, "collection_errors", ce.list);
		cJSON_AddItemToObject(top, "evidence", ev.list);
		return cli_print_json(top);
	}
	cJSON_Delete(ce.list);
	cJSON_Delete(ev.list);
	return rc;
}

int cmd_evidence(cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"run", required_argument, NULL, 'r'},
		{"test", required_argument, NULL, 't'},
		{"signal", required_argument, NULL, 's'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	tg_err err = TG_ERR_INIT;
	const char *sel = NULL, *test = NULL, *signal = NULL;
	tg_store *st;
	int64_t run;
	bool json = false;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(usage, stdout);
			return EXIT_OK;
		case 'r':
			sel = optarg;
			break;
		case 't':
			test = optarg;
			break;
		case 's':
			if (!tg_signal_known(optarg))
				return cli_usage("evidence",
						 "--signal is one of %s",
						 TG_SIGNALS);
			signal = optarg;
			break;
		case 'f':
			if (cli_parse_format(optarg, &json))
				break;
			return cli_usage("evidence", "--format is text or json");
		default:
			return cli_usage("evidence", "unknown option");
		}
	}
	if (optind < argc)
		return cli_usage("evidence", "unexpected argument '%s'",
				 argv[optind]);
	if ((rc = cli_open_store(&st, c, true)) != EXIT_OK)
		return rc;
	rc = tg_run_resolve(&run, st, sel, &err);
	if (rc == 0 && test) {
		bool found = false;
		if ((rc = has_test(st, run, test, &found, &err)) == 0 &&
		    !found) {
			fprintf(stderr, "truegreen: error: run %lld has no test '",
				(long long)run);
			tg_fput_escaped(stderr, test);
			fputs("' ('truegreen tests' lists its ids)\n", stderr);
			tg_store_close(st);
			return EXIT_USAGE;
		}
	}
	if (rc == 0)
		rc = show(st, run, test, signal, json, &err);
	tg_store_close(st);
	return rc > 0 ? rc : rc < 0 ? cli_fail(&err) : EXIT_OK;
}
