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
	"                 [--format FORMAT] [--output FILE|FORMAT=FILE]...\n"
	"                 [--step-summary] [--fail-on high|medium|low|none]\n"
	"                 [--fast-ratio R] [--fast-abs SECONDS] [--min-samples N]\n"
	"                 [--source-root DIR]\n"
	"\n"
	"Say which green results of a run (default: the latest) not to\n"
	"trust, and why.  Expectations come from --baseline FILE, and for\n"
	"tests it does not cover from the history of earlier runs (those\n"
	"whose metadata has every --where pair); '--baseline history' uses\n"
	"history alone.  Exit 1 when a finding is at or above --fail-on\n"
	"(default high).  FORMAT is one of text, json, sarif, github, gitlab,\n"
	"markdown, junit; --output FORMAT=FILE writes one more report (repeat\n"
	"it); --step-summary appends Markdown to $GITHUB_STEP_SUMMARY.  A\n"
	"pass is too fast below R times its expected duration (default 0.2)\n"
	"and at least SECONDS under it (default 1); history counts for a\n"
	"test from N passing runs (default 5).  The sarif, github and gitlab\n"
	"reports give file paths under DIR relative to it (default: the\n"
	"checkout, $GITHUB_WORKSPACE or $CI_PROJECT_DIR).\n";

static const char check_usage[] =
	"usage: truegreen check [--db PATH] [--run NAME] [--meta KEY=VALUE]...\n"
	"                 [--baseline FILE|history] [--where KEY=VALUE]...\n"
	"                 [--format FORMAT] [--output FILE|FORMAT=FILE]...\n"
	"                 [--step-summary] [--fail-on high|medium|low|none]\n"
	"                 [--rules FILE]\n"
	"                 [--fast-ratio R] [--fast-abs SECONDS] [--min-samples N]\n"
	"                 [--source-root DIR] FILE|DIR|-...\n"
	"\n"
	"Import the files as one run and analyze it: the one command for a\n"
	"CI step.  Without --db (here or before the command) the run goes\n"
	"into a temporary database that is removed afterwards, so only the\n"
	"checks that need no history can run.  The other options are\n"
	"analyze's (truegreen analyze --help).  Exit 0 clean, 1 findings at\n"
	"or above --fail-on, 2 usage, 3 input, 4 database.\n";

/* One report to write: a format and a file ("-": standard output). */
typedef struct output {
	const char *format, *file;
} output;

#define MAX_OUTPUTS 8

typedef struct analysis {
	const char *baseline;   /* a file, "history", or NULL */
	tg_kv *where;
	size_t nwhere;
	const char *format;     /* --format: of stdout and plain --output */
	const char *output;     /* --output FILE */
	output outs[MAX_OUTPUTS]; /* --output FORMAT=FILE */
	size_t nouts;
	const char *summary;    /* --step-summary: $GITHUB_STEP_SUMMARY */
	tg_severity fail_on;
	double fast_ratio, fast_abs;
	unsigned min_samples;
	const char *source_root; /* --source-root; NULL: the CI's checkout */
} analysis;

static void analysis_init(analysis *a)
{
	memset(a, 0, sizeof(*a));
	a->fail_on = TG_SEV_HIGH;
}

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

/* The options analyze and check share; analysis_opt reads them. */
#define ANALYSIS_OPTIONS                                  \
	{"baseline", required_argument, NULL, 'b'},       \
	{"where", required_argument, NULL, 'w'},          \
	{"format", required_argument, NULL, 'f'},         \
	{"output", required_argument, NULL, 'o'},         \
	{"fail-on", required_argument, NULL, 'F'},        \
	{"fast-ratio", required_argument, NULL, 'x'},     \
	{"fast-abs", required_argument, NULL, 'a'},       \
	{"min-samples", required_argument, NULL, 's'},    \
	{"step-summary", no_argument, NULL, 'S'},        \
	{"source-root", required_argument, NULL, 'P'}

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
		if (!tg_report_known(optarg))
			return cli_usage(cmd, "--format is one of %s",
					 tg_report_formats);
		a->format = optarg;
		return 0;
	case 'o': {
		char *eq = strchr(optarg, '=');
		if (eq) {
			*eq = '\0';
			if (!tg_report_known(optarg)) {
				/* "sarfi=x.sarif" is a misspelt format, not
				 * a file: a name before '=' is letters only */
				bool word = eq > optarg &&
					    strspn(optarg, "abcdefghijklmnopqrstuvwxyz"
							   "ABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
						    (size_t)(eq - optarg);
				*eq = '=';
				if (word)
					return cli_usage(
						cmd,
						"unknown format '%.*s' in --output "
						"FORMAT=FILE (one of %s; a file "
						"whose name has '=' can be written "
						"./%s)",
						(int)(eq - optarg), optarg,
						tg_report_formats, optarg);
				a->output = optarg; /* a file name with '=' */
				return 0;
			}
			if (!eq[1]) {
				*eq = '=';
				return cli_usage(cmd, "--output %s needs a file",
						 optarg);
			}
			if (a->nouts == MAX_OUTPUTS)
				return cli_usage(cmd, "at most %d --output "
						      "FORMAT=FILE",
						 MAX_OUTPUTS);
			a->outs[a->nouts].format = optarg;
			a->outs[a->nouts++].file = eq + 1;
			return 0;
		}
		a->output = optarg;
		return 0;
	}
	case 'S':
		a->summary = "markdown";
		return 0;
	case 'P':
		a->source_root = optarg;
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
		double n = 0;
		int rc = parse_number(optarg, 1, 100000, &n, cmd,
				      "--min-samples");
		a->min_samples = (unsigned)n;
		return rc;
	}
	default:
		return 1;
	}
}

typedef struct run_name {
	char name[TG_RUN_NAME_MAX];
	tg_counts counts;
	bool truncated;
} run_name;

static int copy_run(const tg_run_info *r, void *payload)
{
	run_name *n = payload;

	snprintf(n->name, sizeof(n->name), "%s", r->name);
	n->counts = r->counts;
	n->truncated = r->truncated;
	return 0;
}

/* Write one report to file ("-" or NULL: standard output, appended to
 * when append is set); an exit code. */
static int write_report(const char *format, const char *file, bool append,
			const tg_report_in *in)
{
	tg_err err = TG_ERR_INIT;
	bool std = !file || strcmp(file, "-") == 0;
	FILE *out = std ? stdout : fopen(file, append ? "a" : "w");
	int rc;

	if (!out) {
		fprintf(stderr, "truegreen: error: cannot write '%s': %s\n",
			file, strerror(errno));
		return EXIT_INPUT;
	}
	rc = tg_report_write(out, format, in, &err);
	if (!std && fclose(out) != 0 && rc == 0) {
		fprintf(stderr, "truegreen: error: cannot write '%s'\n", file);
		return EXIT_INPUT;
	}
	return rc ? cli_fail(&err) : EXIT_OK;
}

/* The directory the CI checked the repository out into, where it says:
 * the default of --source-root. */
static const char *ci_checkout(void)
{
	static const char *const vars[] = {"GITHUB_WORKSPACE",
					   "CI_PROJECT_DIR"};
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		if (v && v[0])
			return v;
	}
	return NULL;
}

/* Analyze run in st and write every report asked for; the exit code. */
static int analyze_run(tg_store *st, int64_t run, const analysis *a)
{
	tg_analyze_opts o = TG_ANALYZE_OPTS_INIT;
	tg_err err = TG_ERR_INIT;
	tg_baseline *b = NULL;
	tg_findings *f = NULL;
	tg_report_in in;
	run_name rn;
	const char *fmt = a->format ? a->format : "text";
	const char *gh;
	size_t i;
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
	if (tg_analyze(&f, st, run, &o, &err) ||
	    tg_run_get(st, run, copy_run, &rn, &err)) {
		tg_findings_free(f);
		tg_baseline_free(b);
		return cli_fail(&err);
	}
	memset(&in, 0, sizeof(in));
	in.run_id = run;
	in.run_name = rn.name;
	in.counts = rn.counts;
	in.truncated = rn.truncated;
	in.findings = f;
	in.fail_on = a->fail_on;
	in.source_root = a->source_root ? a->source_root : ci_checkout();
	/* the main report: stdout or --output FILE, unless only
	 * --output FORMAT=FILE pairs were asked for */
	if (a->output || a->nouts == 0 || a->format) {
		in.colour = !a->output && strcmp(fmt, "text") == 0 &&
			    isatty(1) && !getenv("NO_COLOR");
		rc = write_report(fmt, a->output, false, &in);
	}
	in.colour = false;
	for (i = 0; rc == EXIT_OK && i < a->nouts; i++)
		rc = write_report(a->outs[i].format, a->outs[i].file, false,
				  &in);
	/* GitHub's job summary: Markdown appended to the file it names */
	if (rc == EXIT_OK && a->summary && (gh = getenv("GITHUB_STEP_SUMMARY")) &&
	    gh[0])
		rc = write_report("markdown", gh, true, &in);
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
		ANALYSIS_OPTIONS,
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	analysis a;
	tg_err err = TG_ERR_INIT;
	const char *sel = NULL;
	tg_store *st;
	int64_t run;
	int opt, rc = 0;

	analysis_init(&a);
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

int cmd_check(cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},
		{"run", required_argument, NULL, 'r'},
		{"meta", required_argument, NULL, 'm'},
		{"rules", required_argument, NULL, 'R'},
		ANALYSIS_OPTIONS,
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	analysis a;
	tg_import_opts io = TG_IMPORT_OPTS_INIT;
	tg_store_opts so = TG_STORE_OPTS_INIT;
	tg_err err = TG_ERR_INIT;
	tg_catalog *cat = NULL;
	tg_import_result res;
	tg_kv *meta = NULL;
	size_t nmeta = 0;
	const char *rules = NULL, *db = c->db_explicit ? c->db_path : NULL;
	char tmp[4096] = "";
	tg_store *st = NULL;
	int opt, rc = 0;

	analysis_init(&a);
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
	/* the rule file first: a bad one fails before the database opens */
	if (rc == 0 && rules && tg_catalog_load(&cat, rules, &err))
		rc = cli_fail(&err);
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
		rc = cli_import(c, st, &io, cat, argv + optind, argc - optind,
				&res);
	}
	if (rc == 0)
		rc = analyze_run(st, res.run_id, &a);
	tg_store_close(st);
	tg_catalog_free(cat);
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
