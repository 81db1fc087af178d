/*
 * cmd_report.c - truegreen report: the weekly test-health report.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"usage: truegreen [--db PATH] report [--since 7d|DATE] [--until DATE]\n"
	"                 [--where KEY=VALUE]... [--format html|markdown|json]\n"
	"                 [--output FILE]\n"
	"\n"
	"The test-health report of the runs imported in a period (default:\n"
	"the last 7 days): outcomes and untrustworthy results per day,\n"
	"collapsed durations, slowest, flaky and most-flagged tests,\n"
	"import-chain failures, vanished tests, and the last run's findings\n"
	"with their evidence.  HTML (default) is one self-contained page.\n";

/* "truegreen: reading run 12 of 206" on a terminal. */
static void progress(const tg_progress *p, void *payload)
{
	cli_bar *b = payload;

	if (!b->on)
		return;
	fprintf(stderr, "\r\033[Ktruegreen: reading run %llu of %llu",
		(unsigned long long)p->done + 1, (unsigned long long)p->total);
	b->drawn = true;
}

int cmd_report(cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"since", required_argument, NULL, 's'},
		{"until", required_argument, NULL, 'u'},
		{"where", required_argument, NULL, 'w'},
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	tg_health_opts o = TG_HEALTH_OPTS_INIT;
	tg_err err = TG_ERR_INIT;
	const char *format = "html", *output = NULL;
	tg_kv *where = NULL;
	size_t nwhere = 0;
	tg_store *st;
	FILE *out;
	int opt, rc = 0;

	while (rc == 0 &&
	       (opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(usage, stdout);
			free(where);
			return EXIT_OK;
		case 's':
			o.since = optarg;
			break;
		case 'u':
			o.until = optarg;
			break;
		case 'w':
			rc = cli_add_pair(&where, &nwhere, optarg, "report",
					  "--where");
			break;
		case 'f':
			format = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		default:
			rc = cli_usage("report", "unknown option");
		}
	}
	if (rc == 0 && optind < argc)
		rc = cli_usage("report", "unexpected argument '%s'",
			       argv[optind]);
	if (rc == 0 && strcmp(format, "html") && strcmp(format, "markdown") &&
	    strcmp(format, "json"))
		rc = cli_usage("report", "--format is html, markdown or json");
	if (rc == 0 && (rc = cli_open_store(&st, c, true)) == EXIT_OK) {
		o.where = where;
		o.where_count = nwhere;
		cli_bar_init(&c->bar, c);
		o.progress = progress;
		o.progress_payload = &c->bar;
		out = output ? fopen(output, "w") : stdout;
		if (!out) {
			fprintf(stderr,
				"truegreen: error: cannot write '%s': %s\n",
				output, strerror(errno));
			rc = EXIT_INPUT;
		} else {
			rc = tg_health_report(out, st, &o, format, &err);
			cli_bar_end(&c->bar);
			if (rc)
				rc = cli_fail(&err);
			if (out != stdout && fclose(out) != 0 && rc == 0)
				rc = EXIT_INPUT;
		}
		tg_store_close(st);
	}
	free(where);
	return rc;
}
