/*
 * report.c - print a run's findings as text or JSON (analyze and check).
 *
 * Text is grouped by kind, worst first, readable at 80 columns, coloured
 * only on a terminal and never when NO_COLOR is set; every string from
 * the reports is escaped.  JSON follows schema/findings.schema.json.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "truegreen/text.h"

static int oom(tg_err *err)
{
	err->code = TG_ENOMEM;
	snprintf(err->msg, sizeof(err->msg), "out of memory");
	return TG_ENOMEM;
}

static void add_str(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

static cJSON *expected_json(const tg_expectation *e)
{
	cJSON *o = cJSON_CreateObject();

	add_str(o, "source", e->source);
	add_str(o, "pattern", e->pattern);
	if (e->min_duration > 0)
		cJSON_AddNumberToObject(o, "min_duration", e->min_duration);
	if (e->duration > 0)
		cJSON_AddNumberToObject(o, "duration", e->duration);
	if (e->spread > 0)
		cJSON_AddNumberToObject(o, "spread", e->spread);
	if (e->samples > 0) {
		cJSON_AddNumberToObject(o, "samples", (double)e->samples);
		cJSON_AddNumberToObject(o, "network_share", e->network_share);
	}
	if (e->tests > 0)
		cJSON_AddNumberToObject(o, "tests", (double)e->tests);
	cJSON_AddBoolToObject(o, "requires_network", e->requires_network);
	return o;
}

static cJSON *finding_json(const tg_finding *f)
{
	cJSON *o = cJSON_CreateObject(), *obs, *ev, *chain;
	size_t i;

	cJSON_AddStringToObject(o, "kind", f->kind);
	cJSON_AddStringToObject(o, "severity", tg_severity_str(f->severity));
	add_str(o, "test", f->test);
	cJSON_AddStringToObject(o, "message", f->message);
	obs = cJSON_AddObjectToObject(o, "observed");
	if (f->has_duration)
		cJSON_AddNumberToObject(obs, "duration", f->duration);
	if (f->count >= 0)
		cJSON_AddNumberToObject(obs, "count", (double)f->count);
	cJSON_AddItemToObject(o, "expected", expected_json(&f->expected));
	ev = cJSON_AddArrayToObject(o, "evidence");
	for (i = 0; i < f->nevidence; i++) {
		const tg_finding_evidence *e = &f->evidence[i];
		cJSON *x = cJSON_CreateObject();
		add_str(x, "source", e->source);
		if (e->line > 0)
			cJSON_AddNumberToObject(x, "line", (double)e->line);
		else
			cJSON_AddNullToObject(x, "line");
		add_str(x, "rule", e->rule);
		add_str(x, "text", e->text);
		cJSON_AddItemToArray(ev, x);
	}
	if (f->nchain || f->missing) {
		chain = cJSON_AddArrayToObject(o, "chain");
		for (i = 0; i < f->nchain; i++)
			cJSON_AddItemToArray(chain,
					     cJSON_CreateString(f->chain[i]));
		add_str(o, "missing", f->missing);
	}
	return o;
}

static int run_json(const tg_run_info *r, void *payload)
{
	cJSON *o = payload;

	cJSON_AddNumberToObject(o, "id", (double)r->id);
	cJSON_AddStringToObject(o, "name", r->name);
	cJSON_AddNumberToObject(o, "tests", (double)r->counts.tests);
	cJSON_AddNumberToObject(o, "passed", (double)r->counts.passed);
	cJSON_AddNumberToObject(o, "failed", (double)r->counts.failed);
	cJSON_AddNumberToObject(o, "errors", (double)r->counts.errors);
	cJSON_AddNumberToObject(o, "skipped", (double)r->counts.skipped);
	cJSON_AddNumberToObject(o, "flaky", (double)r->counts.flaky);
	cJSON_AddNumberToObject(o, "duration", r->counts.duration);
	cJSON_AddBoolToObject(o, "truncated", r->truncated);
	return 0;
}

char *cli_findings_json(tg_store *st, int64_t run, const tg_findings *f,
			tg_severity fail_on, tg_err *err)
{
	cJSON *top = cli_json_envelope(), *runo, *list, *notes, *sum;
	size_t counts[4], i;
	char *s;

	runo = cJSON_AddObjectToObject(top, "run");
	if (tg_run_get(st, run, run_json, runo, err)) {
		cJSON_Delete(top);
		return NULL;
	}
	cJSON_AddStringToObject(top, "basis", tg_findings_basis(f));
	list = cJSON_AddArrayToObject(top, "findings");
	for (i = 0; i < tg_findings_count(f); i++)
		cJSON_AddItemToArray(list, finding_json(tg_findings_get(f, i)));
	notes = cJSON_AddArrayToObject(top, "notes");
	for (i = 0; i < tg_findings_notes(f); i++)
		cJSON_AddItemToArray(notes,
				     cJSON_CreateString(tg_findings_note(f, i)));
	tg_findings_summary(f, counts);
	sum = cJSON_AddObjectToObject(top, "summary");
	cJSON_AddNumberToObject(sum, "high", (double)counts[TG_SEV_HIGH]);
	cJSON_AddNumberToObject(sum, "medium", (double)counts[TG_SEV_MEDIUM]);
	cJSON_AddNumberToObject(sum, "low", (double)counts[TG_SEV_LOW]);
	cJSON_AddStringToObject(sum, "fail_on", tg_severity_str(fail_on));
	cJSON_AddBoolToObject(sum, "failed",
			      fail_on != TG_SEV_NONE &&
				      tg_findings_worst(f) >= fail_on);
	s = cJSON_PrintUnformatted(top);
	cJSON_Delete(top);
	if (!s)
		oom(err);
	return s;
}

/* ---- text ------------------------------------------------------------ */

typedef struct pen {
	FILE *out;
	bool colour;
} pen;

static void label(const pen *p, tg_severity s)
{
	static const char *const colours[] = {"", "\x1b[36m", "\x1b[33m",
					      "\x1b[1;31m"};
	static const char *const names[] = {"", "LOW ", "MED ", "HIGH"};

	if (p->colour)
		fputs(colours[s], p->out);
	fputs(names[s], p->out);
	if (p->colour)
		fputs("\x1b[0m", p->out);
}

static void expected_text(FILE *out, const tg_expectation *e)
{
	if (!e->source)
		return;
	fputs("      expected: ", out);
	if (e->min_duration > 0)
		fprintf(out, "at least %.3f s; ", e->min_duration);
	else if (e->duration > 0)
		fprintf(out, "about %.3f s (spread %.3f s); ", e->duration,
			e->spread);
	if (e->requires_network)
		fputs("real services; ", out);
	if (e->tests > 0)
		fprintf(out, "%lld tests; ", (long long)e->tests);
	fputs("from ", out);
	cli_put(out, e->source);
	if (e->pattern) {
		fputs(" '", out);
		cli_put(out, e->pattern);
		fputc('\'', out);
	}
	if (e->samples > 0 && e->tests > 0)
		fprintf(out, ", %lld runs", (long long)e->samples);
	else if (e->samples > 0)
		fprintf(out, ", %lld runs, %.0f%% with network evidence",
			(long long)e->samples, e->network_share * 100);
	fputc('\n', out);
}

/* Text escaped and wrapped at 80 columns, each line indented by indent
 * spaces.  Words longer than a line (a test id) stay whole. */
static void wrap(FILE *out, size_t indent, const char *text)
{
	size_t n = strlen(text), need, col = indent, i = 0;
	char *esc;

	need = tg_escape(NULL, 0, text, n, false) + 1;
	if (!(esc = malloc(need))) {
		cli_put(out, text);
		fputc('\n', out);
		return;
	}
	tg_escape(esc, need, text, n, false);
	fprintf(out, "%*s", (int)indent, "");
	while (esc[i]) {
		size_t w = strcspn(esc + i, " ");
		if (col > indent && col + 1 + w > 80) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', out);
			col++;
		}
		fwrite(esc + i, 1, w, out);
		col += w;
		i += w;
		while (esc[i] == ' ')
			i++;
	}
	fputc('\n', out);
	free(esc);
}

static void finding_text(const pen *p, const tg_finding *f)
{
	size_t i;

	fputs("  ", p->out);
	label(p, f->severity);
	fputs("  ", p->out);
	cli_put(p->out, f->test ? f->test : "(the run)");
	fputc('\n', p->out);
	wrap(p->out, 6, f->message);
	expected_text(p->out, &f->expected);
	if (f->nchain) {
		fputs("      import chain: ", p->out);
		for (i = 0; i < f->nchain; i++) {
			if (i)
				fputs(" -> ", p->out);
			cli_put(p->out, f->chain[i]);
		}
		fputc('\n', p->out);
	}
	for (i = 0; i < f->nevidence; i++) {
		const tg_finding_evidence *e = &f->evidence[i];
		fputs("      ", p->out);
		cli_put(p->out, e->source);
		if (e->line > 0)
			fprintf(p->out, ":%lld", (long long)e->line);
		if (e->rule) {
			fputs(" [", p->out);
			cli_put(p->out, e->rule);
			fputc(']', p->out);
		}
		fputs("\n        ", p->out);
		cli_put(p->out, e->text);
		fputc('\n', p->out);
	}
}

static int run_text(const tg_run_info *r, void *payload)
{
	FILE *out = payload;

	fputs("run ", out);
	cli_put(out, r->name);
	fprintf(out,
		" (id %lld): %llu tests, %llu passed, %llu failed, %llu "
		"errors, %llu skipped, %llu flaky\n",
		(long long)r->id, (unsigned long long)r->counts.tests,
		(unsigned long long)r->counts.passed,
		(unsigned long long)r->counts.failed,
		(unsigned long long)r->counts.errors,
		(unsigned long long)r->counts.skipped,
		(unsigned long long)r->counts.flaky);
	return 0;
}

int cli_findings_text(FILE *out, tg_store *st, int64_t run,
		      const tg_findings *f, tg_severity fail_on, tg_err *err)
{
	pen p = {out, out == stdout && isatty(1) && !getenv("NO_COLOR")};
	size_t n = tg_findings_count(f), counts[4], i, k;
	bool *done = n ? calloc(n, sizeof(*done)) : NULL;

	if (n && !done)
		return oom(err);
	if (tg_run_get(st, run, run_text, out, err)) {
		free(done);
		return err->code;
	}
	fputs("expectations: ", out);
	cli_put(out, tg_findings_basis(f));
	fputc('\n', out);
	/* by kind, the kinds in the order of their worst finding */
	for (i = 0; i < n; i++) {
		const tg_finding *g = tg_findings_get(f, i);
		if (done[i])
			continue;
		fputc('\n', out);
		cli_put(out, g->kind);
		fputc('\n', out);
		for (k = i; k < n; k++) {
			const tg_finding *h = tg_findings_get(f, k);
			if (!done[k] && strcmp(h->kind, g->kind) == 0) {
				finding_text(&p, h);
				done[k] = true;
			}
		}
	}
	free(done);
	if (tg_findings_notes(f)) {
		fputs("\nnot checked:\n", out);
		for (i = 0; i < tg_findings_notes(f); i++) {
			fputs("  - ", out);
			cli_put(out, tg_findings_note(f, i));
			fputc('\n', out);
		}
	}
	tg_findings_summary(f, counts);
	fprintf(out, "\n%zu high, %zu medium, %zu low: %s\n",
		counts[TG_SEV_HIGH], counts[TG_SEV_MEDIUM], counts[TG_SEV_LOW],
		n == 0 ? "nothing to distrust"
		: fail_on == TG_SEV_NONE ? "--fail-on none: the build passes"
		: tg_findings_worst(f) >= fail_on
			? "this green is not to be trusted"
			: "all below --fail-on: the build passes");
	return 0;
}
