/*
 * main.c - the command line: global options and the command table.
 * cli_main is main() without the process around it, so a fuzz target
 * can call it as the binary would (tests/fuzz/fuzz_cli.c); entry.c is
 * the real main().
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const command commands[] = {
	{"import", cmd_import, "import test reports as one run"},
	{"runs", cmd_runs, "list the stored runs"},
	{"tests", cmd_tests, "list the tests of a run"},
	{"evidence", cmd_evidence, "show what the signal catalog found in a run"},
	{"rules", cmd_rules, "list (and check) the signal catalog"},
	{"analyze", cmd_analyze, "say which green results of a run not to trust"},
	{"check", cmd_check, "import reports and analyze them: the CI step"},
	{"baseline", cmd_baseline, "learn expected durations from history"},
	{"report", cmd_report, "the test-health report of a period (HTML)"},
	{"prune", cmd_prune, "delete old runs, or a run imported by mistake"},
	{"record", cmd_record, "run tests with the network recorder"},
};

static void print_help(FILE *f)
{
	size_t i;

	fputs("usage: truegreen [--db PATH] COMMAND [ARGS]\n"
	      "\n"
	      "Is this green build really green?  truegreen stores test\n"
	      "reports in SQLite and finds the passes not to trust.\n"
	      "\n"
	      "  --db PATH     database (default: $TRUEGREEN_DB, else "
	      "./truegreen.db)\n"
	      "  --version     print the version\n"
	      "  -h, --help    this help; COMMAND --help for a command's\n"
	      "\n"
	      "Commands:\n",
	      f);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	fputs("\nExit codes: 0 ok, 1 findings, 2 usage, 3 input, "
	      "4 database.\n",
	      f);
}

int cli_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	cli c;

	memset(&c, 0, sizeof(c));
	tg_err err = TG_ERR_INIT;
	const char *env;
	size_t i;
	int opt;

	optind = 0; /* a fresh getopt scan, however often we are called */
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			c.db_path = optarg;
			c.db_explicit = true;
			break;
		case 'V':
			printf("truegreen %s (schema %d)\n", tg_version(),
			       tg_store_schema_version());
			return EXIT_OK;
		case 'h':
			print_help(stdout);
			return EXIT_OK;
		default:
			return cli_usage(NULL, "unknown option");
		}
	}
	if (!c.db_path) {
		env = getenv("TRUEGREEN_DB");
		c.db_explicit = env && env[0];
		c.db_path = env && env[0] ? env : "truegreen.db";
	}
	if (optind >= argc) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	if (tg_global_init(&err))
		return cli_fail(&err);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[optind], commands[i].name) == 0) {
			char **args = argv + optind;
			int nargs = argc - optind;
			optind = 0; /* reset getopt for the command's options */
			return commands[i].run(&c, nargs, args);
		}
	}
	return cli_usage(NULL, "unknown command '%s'", argv[optind]);
}
