/*
 * cmd_baseline.c - truegreen baseline learn: expectations from history,
 * written as a baseline file a person can read, edit and commit.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"usage: truegreen [--db PATH] baseline learn [--runs N] "
	"[--where KEY=VALUE]...\n"
	"                 [--min-samples N] [--output FILE]\n"
	"\n"
	"Learn a baseline from the newest N runs (default 20) whose\n"
	"metadata has every --where pair: per test the median and MAD of\n"
	"its passing durations, how many runs they come from and the share\n"
	"with network evidence; per test directory the usual number of\n"
	"tests and total duration.  Tests with fewer than --min-samples\n"
	"(default 5) passing runs get no duration.  Written as JSON to\n"
	"--output, or standard output.\n";

static int parse_count(const char *v, unsigned *out)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-' || n == 0 || n > 100000)
		return cli_usage("baseline", "expected a count, not '%s'", v);
	*out = (unsigned)n;
	return 0;
}

int cmd_baseline(cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"runs", required_argument, NULL, 'n'},
		{"where", required_argument, NULL, 'w'},
		{"min-samples", required_argument, NULL, 'm'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	tg_learn_opts o = TG_LEARN_OPTS_INIT;
	tg_err err = TG_ERR_INIT;
	const char *output = NULL;
	tg_kv *where = NULL;
	size_t nwhere = 0, used;
	tg_baseline *b = NULL;
	tg_store *st;
	char *text;
	FILE *out;
	int opt, rc = 0;

	if (argc < 2 || strcmp(argv[1], "learn") != 0) {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
				  strcmp(argv[1], "-h") == 0)) {
			fputs(usage, stdout);
			return EXIT_OK;
		}
		return cli_usage("baseline", "the subcommand is 'learn'");
	}
	argc--;
	argv++;
	while (rc == 0 &&
	       (opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(usage, stdout);
			free(where);
			return EXIT_OK;
		case 'n':
			rc = parse_count(optarg, &o.runs);
			break;
		case 'm':
			rc = parse_count(optarg, &o.min_samples);
			break;
		case 'o':
			output = optarg;
			break;
		case 'w':
			rc = cli_add_pair(&where, &nwhere, optarg, "baseline",
					  "--where");
			break;
		default:
			rc = cli_usage("baseline", "unknown option");
		}
	}
	if (rc == 0 && optind < argc)
		rc = cli_usage("baseline", "unexpected argument '%s'",
			       argv[optind]);
	if (rc == 0 && (rc = cli_open_store(&st, c, true)) == EXIT_OK) {
		o.where = where;
		o.where_count = nwhere;
		if (tg_baseline_learn(&b, &used, st, &o, &err))
			rc = cli_fail(&err);
		tg_store_close(st);
	}
	if (rc == 0 && used == 0) {
		/* an empty baseline would check nothing and pass everything */
		size_t i;
		fputs("truegreen: error: no run to learn from", stderr);
		for (i = 0; i < nwhere; i++) {
			fputs(i ? ", " : " matching ", stderr);
			tg_fput_escaped(stderr, where[i].key);
			fputc('=', stderr);
			tg_fput_escaped(stderr, where[i].value);
		}
		fputs("; nothing written\n", stderr);
		tg_baseline_free(b);
		rc = EXIT_USAGE;
	}
	free(where);
	if (rc)
		return rc;
	if (!(text = tg_baseline_to_json(b))) {
		tg_baseline_free(b);
		fputs("truegreen: error: out of memory\n", stderr);
		return EXIT_INPUT;
	}
	out = output ? fopen(output, "w") : stdout;
	if (!out) {
		fprintf(stderr, "truegreen: error: cannot write '%s': %s\n",
			output, strerror(errno));
		rc = EXIT_INPUT;
	} else {
		fputs(text, out);
		fputc('\n', out);
		if (out != stdout && fclose(out) != 0) {
			fprintf(stderr, "truegreen: error: cannot write '%s'\n",
				output);
			rc = EXIT_INPUT;
		}
	}
	if (rc == 0)
		/* the origin names the runs, and the passes left out */
		fprintf(stderr, "truegreen: learnt %zu test%s and %zu suite%s "
				"from %s\n",
			tg_baseline_test_count(b),
			tg_baseline_test_count(b) == 1 ? "" : "s",
			tg_baseline_suite_count(b),
			tg_baseline_suite_count(b) == 1 ? "" : "s",
			tg_baseline_origin(b));
	tg_baseline_text_free(text);
	tg_baseline_free(b);
	return rc;
}
