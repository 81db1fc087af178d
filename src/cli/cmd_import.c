/*
 * cmd_import.c - truegreen import: files, directories or stdin as one run.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"usage: truegreen [--db PATH] import [options] FILE|DIR|-...\n"
	"\n"
	"Import test reports as one run.  A directory contributes every\n"
	"report under it, recognised by content; '-' reads standard input.\n"
	"Importing the same content again changes nothing and says so.\n"
	"\n"
	"  --run NAME         name the run (default: run-<digest prefix>)\n"
	"  --meta KEY=VALUE   store a pair with the run (repeatable)\n"
	"  --output-cap BYTES system-out/-err kept per test (default 1 MiB)\n"
	"  --format FORMAT    read every input as junit, pytest (console\n"
	"                     output), reportlog or netlog (a record from\n"
	"                     'truegreen record'; default: by content)\n"
	"  --rules FILE       signal rules to add to or override the\n"
	"                     built-in catalog (see 'truegreen rules')\n"
	"  --dry-run          parse and count, store nothing\n"
	"  -q, --quiet        no warnings\n"
	"  -h, --help         this help\n";

static void print_result(const tg_import_result *r, bool dry_run)
{
	const tg_counts *c = &r->counts;
	char outcomes[128];

	if (r->duplicate) {
		printf("already imported as run ");
		tg_fput_escaped(stdout, r->run_name);
		printf(" (id %lld): nothing changed\n", (long long)r->run_id);
	} else if (dry_run) {
		printf("dry run: %zu report%s parsed, nothing stored\n",
		       r->sources, r->sources == 1 ? "" : "s");
	} else {
		printf("imported run ");
		tg_fput_escaped(stdout, r->run_name);
		printf(" (id %lld) from %zu report%s\n", (long long)r->run_id,
		       r->sources, r->sources == 1 ? "" : "s");
	}
	printf("tests %llu: %s; %.3f s in total\n",
	       (unsigned long long)c->tests,
	       tg_counts_outcomes(outcomes, sizeof(outcomes), c), c->duration);
	if (!dry_run && !r->duplicate)
		printf("evidence: %llu line%s matched the signal catalog; "
		       "%llu collection error%s\n",
		       (unsigned long long)r->evidence,
		       r->evidence == 1 ? "" : "s",
		       (unsigned long long)r->collection_errors,
		       r->collection_errors == 1 ? "" : "s");
	if (r->truncated)
		printf("truncated: an input ended early; its complete "
		       "testcases were kept\n");
}

static int parse_cap(const char *v, uint64_t *out)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-')
		return cli_usage("import", "--output-cap takes bytes, not '%s'",
				 v);
	*out = n;
	return 0;
}

static int run_import(cli *c, tg_import_opts *o, const char *rules,
		      char **paths, int n)
{
	tg_err err = TG_ERR_INIT;
	tg_store *st = NULL;
	tg_catalog *cat = NULL;
	tg_import_result res;
	int rc;

	/* the rule file first: a bad one fails before the database opens */
	if (rules && tg_catalog_load(&cat, rules, &err))
		return cli_fail(&err);
	if (o->dry_run || (rc = cli_open_store(&st, c, false)) == EXIT_OK)
		rc = cli_import(c, st, o, cat, paths, n, &res);
	tg_store_close(st);
	tg_catalog_free(cat);
	if (rc == EXIT_OK)
		print_result(&res, o->dry_run);
	return rc;
}

int cmd_import(cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"run", required_argument, NULL, 'r'},
		{"meta", required_argument, NULL, 'm'},
		{"output-cap", required_argument, NULL, 'c'},
		{"dry-run", no_argument, NULL, 'n'},
		{"format", required_argument, NULL, 'f'},
		{"rules", required_argument, NULL, 'R'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	tg_import_opts o = TG_IMPORT_OPTS_INIT;
	tg_kv *meta = NULL;
	size_t nmeta = 0;
	const char *rules = NULL;
	int opt, rc = 0;

	while (rc == 0 &&
	       (opt = getopt_long(argc, argv, "+qh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			o.run_name = optarg;
			break;
		case 'm':
			rc = cli_add_pair(&meta, &nmeta, optarg, "import", "--meta");
			break;
		case 'c':
			rc = parse_cap(optarg, &o.output_cap);
			break;
		case 'n':
			o.dry_run = true;
			break;
		case 'f':
			o.format = optarg;
			break;
		case 'R':
			rules = optarg;
			break;
		case 'q':
			c->quiet = true;
			break;
		case 'h':
			fputs(usage, stdout);
			free(meta);
			return EXIT_OK;
		default:
			rc = cli_usage("import", "unknown option");
		}
	}
	if (rc == 0 && optind >= argc)
		rc = cli_usage("import", "no input: give a FILE, DIR or -");
	if (rc == 0) {
		o.meta = meta;
		o.meta_count = nmeta;
		rc = run_import(c, &o, rules, argv + optind, argc - optind);
	}
	free(meta);
	return rc;
}
