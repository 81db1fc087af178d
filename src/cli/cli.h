/*
 * cli.h - what the truegreen commands share.  The CLI uses only the
 * public API (include/truegreen/) and cJSON; it prints, the library
 * never does.
 */
#ifndef TG_CLI_H
#define TG_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "truegreen/truegreen.h"

/* Exit codes (README, "Exit codes"). */
enum {
	EXIT_OK = 0,
	EXIT_FINDINGS = 1,
	EXIT_USAGE = 2,
	EXIT_INPUT = 3,
	EXIT_DB = 4,
};

/* A progress line on stderr for long imports: only when stderr is a
 * terminal and --quiet was not given. */
typedef struct cli_bar {
	bool on, drawn;
	struct timespec start;
} cli_bar;

typedef struct cli {
	const char *db_path;  /* --db, $TRUEGREEN_DB or ./truegreen.db */
	bool db_explicit;     /* given by --db or $TRUEGREEN_DB */
	bool quiet;
	cli_bar bar;          /* the progress line of an import */
} cli;

typedef struct command {
	const char *name;
	int (*run)(cli *c, int argc, char **argv);
	const char *summary;
} command;

/* The whole command line, as main() (main.c). */
int cli_main(int argc, char **argv);

int cmd_import(cli *c, int argc, char **argv);
int cmd_runs(cli *c, int argc, char **argv);
int cmd_tests(cli *c, int argc, char **argv);
int cmd_evidence(cli *c, int argc, char **argv);
int cmd_analyze(cli *c, int argc, char **argv);
int cmd_check(cli *c, int argc, char **argv);
int cmd_baseline(cli *c, int argc, char **argv);
int cmd_report(cli *c, int argc, char **argv);
int cmd_record(cli *c, int argc, char **argv);
int cmd_prune(cli *c, int argc, char **argv);

int cmd_rules(cli *c, int argc, char **argv);

/* The exit code for a library error code (exit.c). */
int cli_exit_code(int code);

/* Print err as "truegreen: error: file:line:col: msg" and return its exit
 * code. */
int cli_fail(const tg_err *err);

/* Print a usage error and return EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));


/* Append KEY=VALUE (split in place at '=') to a realloc'd array; 0, or
 * an exit code after saying what was wrong with opt of cmd. */
int cli_add_pair(tg_kv **kv, size_t *n, char *arg, const char *cmd,
		 const char *opt);

void cli_bar_init(cli_bar *b, const cli *c);
/* A tg_progress_fn; payload is the cli_bar. */
void cli_bar_draw(const tg_progress *p, void *payload);
/* Clear the line, before anything else is printed. */
void cli_bar_end(cli_bar *b);

/* Parse --format text|json; false on anything else. */
bool cli_parse_format(const char *v, bool *json);

/* Open the store for a command. */
int cli_open_store(tg_store **out, const cli *c, bool readonly);

/* Import paths as one run into st (NULL for a dry run) with the rules of
 * cat (NULL: the built-in catalog), as 'import' and 'check' do: the CI
 * context from the environment, warnings on stderr (none with --quiet),
 * a progress line on a terminal.  EXIT_OK with the outcome in *res, or
 * the exit code after printing the error. */
int cli_import(cli *c, tg_store *st, tg_import_opts *o, tg_catalog *cat,
	       char **paths, int n, tg_import_result *res);

/* Print a cJSON document (then free it) on stdout. */
struct cJSON;
int cli_print_json(struct cJSON *doc);

/* A new JSON object {"truegreen": VERSION}: every JSON output starts so. */
struct cJSON *cli_json_envelope(void);

#endif
