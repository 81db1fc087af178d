/*
 * out.c - what the commands share: escaped text, JSON, opening the
 * store, running an import.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

bool cli_parse_format(const char *v, bool *json)
{
	if (strcmp(v, "text") == 0)
		*json = false;
	else if (strcmp(v, "json") == 0)
		*json = true;
	else
		return false;
	return true;
}

int cli_open_store(tg_store **out, const cli *c, bool readonly)
{
	tg_store_opts o = TG_STORE_OPTS_INIT;
	tg_err err = TG_ERR_INIT;

	o.readonly = readonly;
	if (tg_store_open(out, c->db_path, &o, &err))
		return cli_fail(&err);
	return EXIT_OK;
}

int cli_print_json(cJSON *doc)
{
	char *s = doc ? cJSON_PrintUnformatted(doc) : NULL;

	cJSON_Delete(doc);
	if (!s) {
		fputs("truegreen: error: out of memory\n", stderr);
		return EXIT_INPUT;
	}
	fputs(s, stdout);
	fputc('\n', stdout);
	cJSON_free(s);
	return EXIT_OK;
}

cJSON *cli_json_envelope(void)
{
	cJSON *top = cJSON_CreateObject();

	cJSON_AddStringToObject(top, "truegreen", TG_VERSION);
	return top;
}

int cli_add_pair(tg_kv **kv, size_t *n, char *arg, const char *cmd,
		    const char *opt)
{
	char *eq = strchr(arg, '=');
	tg_kv *grown;

	if (!eq || eq == arg)
		return cli_usage(cmd, "%s takes KEY=VALUE, not '%s'", opt, arg);
	if (!(grown = realloc(*kv, (*n + 1) * sizeof(**kv)))) {
		fputs("truegreen: error: out of memory\n", stderr);
		return EXIT_INPUT;
	}
	*eq = '\0';
	grown[*n].key = arg;
	grown[*n].value = eq + 1;
	*kv = grown;
	(*n)++;
	return 0;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

void cli_bar_init(cli_bar *b, const cli *c)
{
	memset(b, 0, sizeof(*b));
	b->on = !c->quiet && isatty(2);
	clock_gettime(CLOCK_MONOTONIC, &b->start);
}

void cli_bar_draw(const tg_progress *p, void *payload)
{
	cli_bar *b = payload;
	double el = seconds_since(&b->start), mb = (double)p->done / 1048576;
	const char *name = strrchr(p->file, '/') ? strrchr(p->file, '/') + 1
						 : p->file;

	if (!b->on)
		return;
	fputs("\r\033[K", stderr);
	fputs("truegreen: ", stderr);
	tg_fput_escaped(stderr, name);
	if (p->total) {
		double frac = (double)p->done / (double)p->total;
		fprintf(stderr, " %3.0f%%", frac * 100);
		if (el > 0 && frac > 0 && frac < 1)
			fprintf(stderr, "  %.1f MB/s  ETA %.0f s", mb / el,
				el / frac - el);
	} else {
		fprintf(stderr, " %.1f MB", mb);
	}
	fprintf(stderr, "  (%zu done)", p->files_done);
	b->drawn = true;
}

void cli_bar_end(cli_bar *b)
{
	if (b->drawn)
		fputs("\r\033[K", stderr);
	b->drawn = false;
}

static const char *env_lookup(const char *name, void *payload)
{
	(void)payload;
	return getenv(name);
}

static void print_diag(const tg_diag *d, void *payload)
{
	cli *c = payload;

	if (c->quiet)
		return;
	cli_bar_end(&c->bar); /* a warning gets its own line */
	fputs("truegreen: warning: ", stderr);
	if (d->file && d->file[0]) {
		tg_fput_escaped(stderr, d->file);
		if (d->line)
			fprintf(stderr, ":%llu", (unsigned long long)d->line);
		if (d->line && d->col)
			fprintf(stderr, ":%llu", (unsigned long long)d->col);
		fputs(": ", stderr);
	}
	tg_fput_escaped(stderr, d->msg);
	fputc('\n', stderr);
}

int cli_import(cli *c, tg_store *st, tg_import_opts *o, tg_catalog *cat,
	       char **paths, int n, tg_import_result *res)
{
	tg_err err = TG_ERR_INIT;
	tg_import *imp = NULL;
	int i, stdins = 0, rc = EXIT_OK;

	for (i = 0; i < n; i++)
		stdins += strcmp(paths[i], "-") == 0;
	if (stdins > 1) /* the second would read an empty stream */
		return cli_usage(NULL, "'-' given %d times: standard input "
				       "can be read once",
				 stdins);
	o->catalog = cat;
	o->getenv = env_lookup;
	o->diag = print_diag;
	o->diag_payload = c;
	cli_bar_init(&c->bar, c);
	o->progress = cli_bar_draw;
	o->progress_payload = &c->bar;
	if (tg_import_new(&imp, st, o, &err))
		rc = cli_fail(&err);
	for (i = 0; rc == EXIT_OK && i < n; i++)
		if (tg_import_add_path(imp, paths[i], &err))
			rc = cli_fail(&err);
	if (rc == EXIT_OK && tg_import_finish(imp, res, &err))
		rc = cli_fail(&err);
	cli_bar_end(&c->bar);
	tg_import_free(imp);
	return rc;
}
