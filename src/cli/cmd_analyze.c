/*
 * cmd_analyze.c - truegreen analyze (a stored run) and truegreen check
 * (import, then analyze: the one CI post-processing step).
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char analyze_usage[] =
	"usage: truegreen [--db PATH] analyze [--run NAME|ID|latest]\n"
	"                 [--baseline FILE|history] [--where KEY=VALUE]...\n"
	"                 [--format text|json] [--output FILE]\n"
	"                 [--fail-on high|medium|low|none]\n"
	"                 [--fast-ratio R] [--fast-abs SECONDS] [--min-samples N]\n"
	"\n"
	"Say which green results of a run (default: the latest) not to\n"
	"trust, and why.  Expectations come from --baseline FILE, and for\n"
	"tests it does not cover from the history of earlier runs (those\n"
	"whose metadata has every --where pair); '--baseline history' uses\n"
	"history alone.  Exit 1 when a finding is at or above --fail-on\n"
	"(default high).  A pass is too fast below R times its expected\n"
	"duration (default 0.2) and at least SECONDS under it (default 1);\n"
	"history counts for a test from N passing runs (default 5).\n";

static const char check_usage[] =
	"usage: truegreen check [--db PATH] [--run NAME] [--meta KEY=VALUE]...\n"
	"                 [--baseline FILE|history] [--where KEY=VALUE]...\n"
	"                 [--format text|json] [--output FILE]\n"
	"                 [--fail-on high|medium|low|none] [--rules FILE]\n"
	"                 [--fast-ratio R] [--fast-abs SECONDS] [--min-samples N]\n"
	"                 FILE|DIR|-...\n"
	"\n"
	"Import the files as one run and analyze it: the one command for a\n"
	"CI step.  Without --db (here or before the command) the run goes\n"
	"into a temporary database that is removed afterwards, so only the\n"
	"checks that need no history can run.  Exit 0 clean, 1 findings at\n"
	"or above --fail-on, 2 usage, 3 input, 4 database.\n";

typedef struct analysis {
	const char *baseline;   /* a file, "history", or NULL */
	tg_kv *where;
	size_t nwhere;
	bool json;
	const char *output;
	tg_severity fail_on;
	double fast_ratio, fast_abs;
	unsigned min_samples;
} analysis;

/* A number in [lo, hi] for option opt. */
static int parse_number(const char *v, double lo, double hi, double *out,
			const char *cmd, const char *opt)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (errno || end == v || *end || !(d >= lo && d <= hi))
		return cli_usage(cmd, "%s takes a number from %g to %g, not "
				      "'%s'",
				 opt, lo, hi, v);
	*out = d;
	return 0;
}

/* One option shared by analyze and check; 1 if it was not one of them. */
static int analysis_opt(analysis *a, int opt, const char *cmd)
{
	switch (opt) {
	case 'b':
		a->baseline = optarg;
		return 0;
	case 'w':
		return cli_add_pair(&a->where, &a->nwhere, optarg, cmd, "--where");
	case 'f':
		if (!cli_parse_format(optarg, &a->json))
			return cli_usage(cmd, "--format is text or json");
		return 0;
	case 'o':
		a->output = optarg;
		return 0;
	case 'F':
		if (!tg_severity_parse(optarg, &a->fail_on))
			return cli_usage(cmd, "--fail-on is high, medium, low "
					      "or none");
		return 0;
	case 'x':
		return parse_number(optarg, 0, 1, &a->fast_ratio, cmd,
				    "--fast-ratio");
	case 'a':
		return parse_number(optarg, 0, 1e6, &a->fast_abs, cmd,
				    "--fast-abs");
	case 's': {
		double n;
		int rc = parse_number(optarg, 1, 100000, &n, cmd,
				      "--min-samples");
		a->min_samples = (unsigned)n;
		return rc;
	}
	default:
		return 1;
	}
}

/* Analyze run in st and report; the exit code. */
static int analyze_run(tg_store *st, int64_t run, const analysis *a)
{
	tg_analyze_opts o = TG_ANALYZE_OPTS_INIT;
	tg_err err = TG_ERR_INIT;
	tg_baseline *b = NULL;
	tg_findings *f = NULL;
	FILE *out = stdout;
	int rc = EXIT_OK;

	if (a->baseline && strcmp(a->baseline, "history") != 0 &&
	    tg_baseline_load(&b, a->baseline, &err))
		return cli_fail(&err);
	o.baseline = b;
	o.where = a->where;
	o.where_count = a->nwhere;
	o.fast_ratio = a->fast_ratio;
	o.fast_abs = a->fast_abs;
	o.min_samples = a->min_samples;
	/* "--baseline history": history alone, also when it is all there is */
	o.use_history = true;
	if (tg_analyze(&f, st, run, &o, &err)) {
		tg_baseline_free(b);
		return cli_fail(&err);
	}
	if (a->output && !(out = fopen(a->output, "w"))) {
		fprintf(stderr, "truegreen: error: cannot write '%s': %s\n",
			a->output, strerror(errno));
		tg_findings_free(f);
		tg_baseline_free(b);
		return EXIT_INPUT;
	}
	if (a->json) {
		char *s = cli_findings_json(st, run, f, a->fail_on, &err);
		if (s) {
			fputs(s, out);
			fputc('\n', out);
			cJSON_free(s);
		} else {
			rc = cli_fail(&err);
		}
	} else if (cli_findings_text(out, st, run, f, a->fail_on, &err)) {
		rc = cli_fail(&err);
	}
	if (out != stdout && fclose(out) != 0 && rc == EXIT_OK) {
		fprintf(stderr, "truegreen: error: cannot write '%s'\n",
			a->output);
		rc = EXIT_INPUT;
	}
	if (rc == EXIT_OK && a->fail_on != TG_SEV_NONE &&
	    tg_findings_worst(f) >= a->fail_on)
		rc = EXIT_FINDINGS;
	tg_findings_free(f);
	tg_baseline_free(b);
	return rc;
}

int cmd_analyze(cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"run", required_argument, NULL, 'r'},
		{"baseline", required_argument, NULL, 'b'},
		{"where", required_argument, NULL, 'w'},
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"fail-on", required_argument, NULL, 'F'},
		{"fast-ratio", required_argument, NULL, 'x'},
		{"fast-abs", required_argument, NULL, 'a'},
		{"min-samples", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	analysis a = {NULL, NULL, 0, false, NULL, TG_SEV_HIGH, 0, 0, 0};
	tg_err err = TG_ERR_INIT;
	const char *sel = NULL;
	tg_store *st;
	int64_t run;
	int opt, rc = 0;

	while (rc == 0 &&
	       (opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(analyze_usage, stdout);
			free(a.where);
			return EXIT_OK;
		}
		if (opt == 'r')
			sel = optarg;
		else if ((rc = analysis_opt(&a, opt, "analyze")) == 1)
			rc = cli_usage("analyze", "unknown option");
	}
	if (rc == 0 && optind < argc)
		rc = cli_usage("analyze", "unexpected argument '%s'",
			       argv[optind]);
	if (rc == 0 && (rc = cli_open_store(&st, c, true)) == EXIT_OK) {
		if (tg_run_resolve(&run, st, sel, &err))
			rc = cli_fail(&err);
		else
			rc = analyze_run(st, run, &a);
		tg_store_close(st);
	}
	free(a.where);
	return rc;
}

static const char *env_lookup(const char *name, void *payload)
{
	(void)payload;
	return getenv(name);
}

static void quiet_diag(const tg_diag *d, void *payload)
{
	fputs("truegreen: warning: ", stderr);
	if (d->file && d->file[0]) {
		cli_put(stderr, d->file);
		if (d->line)
			fprintf(stderr, ":%llu", (unsigned long long)d->line);
		fputs(": ", stderr);
	}
	cli_put(stderr, d->msg);
	fputc('\n', stderr);
	(void)payload;
}

/* Import paths as one run into st; its id in *run. */
static int import_all(int64_t *run, tg_store *st, tg_import_opts *o,
		      const char *rules, char **paths, int n)
{
	tg_err err = TG_ERR_INIT;
	tg_catalog *cat = NULL;
	tg_import *imp = NULL;
	tg_import_result res;
	int i;

	if (rules && tg_catalog_load(&cat, rules, &err))
		return cli_fail(&err);
	o->catalog = cat;
	o->getenv = env_lookup;
	o->diag = quiet_diag;
	if (tg_import_new(&imp, st, o, &err))
		goto fail;
	for (i = 0; i < n; i++)
		if (tg_import_add_path(imp, paths[i], &err))
			goto fail;
	if (tg_import_finish(imp, &res, &err))
		goto fail;
	tg_import_free(imp);
	tg_catalog_free(cat);
	*run = res.run_id;
	return EXIT_OK;
fail:
	tg_import_free(imp);
	tg_catalog_free(cat);
	return cli_fail(&err);
}

int cmd_check(cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},
		{"run", required_argument, NULL, 'r'},
		{"meta", required_argument, NULL, 'm'},
		{"rules", required_argument, NULL, 'R'},
		{"baseline", required_argument, NULL, 'b'},
		{"where", required_argument, NULL, 'w'},
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"fail-on", required_argument, NULL, 'F'},
		{"fast-ratio", required_argument, NULL, 'x'},
		{"fast-abs", required_argument, NULL, 'a'},
		{"min-samples", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	analysis a = {NULL, NULL, 0, false, NULL, TG_SEV_HIGH, 0, 0, 0};
	tg_import_opts io = TG_IMPORT_OPTS_INIT;
	tg_store_opts so = TG_STORE_OPTS_INIT;
	tg_err err = TG_ERR_INIT;
	tg_kv *meta = NULL;
	size_t nmeta = 0;
	const char *rules = NULL, *db = c->db_explicit ? c->db_path : NULL;
	char tmp[4096] = "";
	tg_store *st = NULL;
	int64_t run = 0;
	int opt, rc = 0;

	while (rc == 0 &&
	       (opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(check_usage, stdout);
			free(a.where);
			free(meta);
			return EXIT_OK;
		case 'd':
			db = optarg;
			break;
		case 'r':
			io.run_name = optarg;
			break;
		case 'm':
			rc = cli_add_pair(&meta, &nmeta, optarg, "check", "--meta");
			break;
		case 'R':
			rules = optarg;
			break;
		default:
			if ((rc = analysis_opt(&a, opt, "check")) == 1)
				rc = cli_usage("check", "unknown option");
		}
	}
	if (rc == 0 && optind >= argc)
		rc = cli_usage("check", "no input: give a FILE, DIR or -");
	if (rc == 0 && !db) {
		/* a database for this check alone */
		int fd;
		snprintf(tmp, sizeof(tmp), "%s/truegreen-check-XXXXXX",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if ((fd = mkstemp(tmp)) < 0) {
			fprintf(stderr, "truegreen: error: cannot create a "
					"temporary database: %s\n",
				strerror(errno));
			rc = EXIT_DB;
		} else {
			close(fd);
			unlink(tmp); /* SQLite creates it afresh */
			db = tmp;
		}
	}
	if (rc == 0 && tg_store_open(&st, db, &so, &err))
		rc = cli_fail(&err);
	if (rc == 0) {
		io.meta = meta;
		io.meta_count = nmeta;
		rc = import_all(&run, st, &io, rules, argv + optind,
				argc - optind);
	}
	if (rc == 0)
		rc = analyze_run(st, run, &a);
	tg_store_close(st);
	if (tmp[0]) {
		char side[4200];
		unlink(tmp);
		snprintf(side, sizeof(side), "%s-wal", tmp);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", tmp);
		unlink(side);
	}
	free(a.where);
	free(meta);
	return rc;
}
