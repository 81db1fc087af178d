/*
 * cmd_prune.c - truegreen prune: delete old runs, or runs imported by
 * mistake.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"usage: truegreen [--db PATH] prune [--before 90d|DATE] [--keep N]\n"
	"                 [--where KEY=VALUE]... [--dry-run] [--vacuum]\n"
	"       truegreen [--db PATH] prune --run NAME|ID... [--dry-run]\n"
	"\n"
	"Delete runs with everything stored of them, in one transaction.\n"
	"A run is deleted when it meets every criterion given; nothing is\n"
	"deleted without one.\n"
	"\n"
	"  --before BOUND    imported before it: days back (90d), a date\n"
	"                    (YYYY-MM-DD) or a UTC time\n"
	"                    (YYYY-MM-DDTHH:MM:SSZ)\n"
	"  --keep N          spare the newest N runs (of those --where picks)\n"
	"  --where KEY=VALUE only runs whose metadata holds the pair\n"
	"  --run NAME|ID     exactly this run (repeatable; no other\n"
	"                    criterion)\n"
	"  --dry-run         list what would be deleted, delete nothing\n"
	"  --vacuum          then shrink the file (rewrites it: needs as much\n"
	"                    free disk as the database takes)\n"
	"  -h, --help        this help\n";

/* tg_run_cb: one line per run deleted. */
static int print_run(const tg_run_info *r, void *payload)
{
	const bool *dry_run = payload; /* run()'s */

	printf("%s run ", *dry_run ? "would delete" : "deleting");
	tg_fput_escaped(stdout, r->name);
	printf(" (id %lld), imported %s: %llu test%s\n", (long long)r->id,
	       r->imported_at ? r->imported_at : "?",
	       (unsigned long long)r->counts.tests,
	       r->counts.tests == 1 ? "" : "s");
	return 0;
}

/* --keep N: a whole number of runs, at least 1. */
static bool parse_keep(const char *v, size_t *out)
{
	char *end;
	unsigned long long n;

	if (!v[0] || v[0] < '0' || v[0] > '9')
		return false;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || *end || n == 0 || n > SIZE_MAX)
		return false;
	*out = (size_t)n;
	return true;
}

static int run(cli *c, const tg_prune_opts *o, bool vacuum)
{
	tg_store_opts so = TG_STORE_OPTS_INIT;
	tg_prune_result res;
	tg_err err = TG_ERR_INIT;
	tg_store *st;
	bool dry_run = o->dry_run;
	int rc;

	so.readonly = o->dry_run;
	so.existing = true; /* pruning a database that is not there */
	if (tg_store_open(&st, c->db_path, &so, &err))
		return cli_fail(&err);
	rc = tg_prune(st, o, print_run, &dry_run, &res, &err);
	if (rc) {
		tg_store_close(st);
		rc = cli_fail(&err);
		if (!o->dry_run) /* after "deleting run ..." lines, say so */
			fputs("truegreen: nothing was deleted\n", stderr);
		return rc;
	}
	printf("%s %zu run%s", o->dry_run ? "would delete" : "deleted",
	       res.deleted, res.deleted == 1 ? "" : "s");
	if (res.names)
		printf(" and %zu test name%s no run left has", res.names,
		       res.names == 1 ? "" : "s");
	printf("; %zu run%s kept\n", res.kept, res.kept == 1 ? "" : "s");
	fflush(stdout); /* said before a long vacuum, or its failure */
	if (vacuum && !o->dry_run)
		rc = tg_store_vacuum(st, &err);
	else if (res.deleted && !o->dry_run)
		puts("(later imports reuse the space; --vacuum shrinks the "
		     "file)");
	tg_store_close(st);
	return rc ? cli_fail(&err) : EXIT_OK;
}

int cmd_prune(cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"before", required_argument, NULL, 'b'},
		{"keep", required_argument, NULL, 'k'},
		{"where", required_argument, NULL, 'w'},
		{"run", required_argument, NULL, 'r'},
		{"dry-run", no_argument, NULL, 'n'},
		{"vacuum", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	tg_prune_opts o = TG_PRUNE_OPTS_INIT;
	bool vacuum = false;
	tg_kv *where = NULL;
	const char **runs = NULL;
	size_t nwhere = 0, nruns = 0;
	int opt, rc = 0;

	while (rc == 0 &&
	       (opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(usage, stdout);
			free(where);
			free(runs);
			return EXIT_OK;
		case 'b':
			o.before = optarg;
			break;
		case 'k':
			if (!parse_keep(optarg, &o.keep))
				rc = cli_usage("prune",
					       "--keep is a number of runs, at "
					       "least 1, not '%s'",
					       optarg);
			break;
		case 'w':
			rc = cli_add_pair(&where, &nwhere, optarg, "prune",
					  "--where");
			break;
		case 'r': {
			const char **grown =
				realloc(runs, (nruns + 1) * sizeof(*runs));
			if (!grown) {
				fputs("truegreen: error: out of memory\n",
				      stderr);
				rc = EXIT_INPUT;
				break;
			}
			runs = grown;
			runs[nruns++] = optarg;
			break;
		}
		case 'n':
			o.dry_run = true;
			break;
		case 'V':
			vacuum = true;
			break;
		default:
			rc = cli_usage("prune", "unknown option");
		}
	}
	if (rc == 0 && optind < argc)
		rc = cli_usage("prune", "unexpected argument '%s'",
			       argv[optind]);
	if (rc == 0) {
		o.where = where;
		o.where_count = nwhere;
		o.runs = runs;
		o.run_count = nruns;
		rc = run(c, &o, vacuum);
	}
	free(where);
	free(runs);
	return rc;
}
