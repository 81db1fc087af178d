/*
 * report_text.c - findings for a terminal: grouped by kind, worst first,
 * 80 columns, colour only when asked (a terminal without NO_COLOR), and
 * every string from a report escaped.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "report.h"
#include "truegreen/text.h"

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
	if (e->tests > 0) /* a session's count; a suite's least */
		fprintf(out, "%s%lld test%s; ",
			strcmp(e->source, "session") != 0 ? "at least " : "",
			(long long)e->tests, e->tests == 1 ? "" : "s");
	fputs("from ", out);
	tg_fput_escaped(out, e->source);
	if (e->pattern) {
		fputs(" '", out);
		tg_fput_escaped(out, e->pattern);
		fputc('\'', out);
	}
	if (e->samples > 0)
		fprintf(out, ", %lld run%s", (long long)e->samples,
			e->samples == 1 ? "" : "s");
	if (e->samples > 0 && e->tests <= 0)
		fprintf(out, ", %.0f%% with network evidence",
			e->network_share * 100);
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
		tg_fput_escaped(out, text);
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
	tg_fput_escaped(p->out, f->test ? f->test : "(the run)");
	fputc('\n', p->out);
	wrap(p->out, 6, f->message);
	expected_text(p->out, &f->expected);
	if (f->nchain) {
		fputs("      import chain: ", p->out);
		for (i = 0; i < f->nchain; i++) {
			if (i)
				fputs(" -> ", p->out);
			tg_fput_escaped(p->out, f->chain[i]);
		}
		fputc('\n', p->out);
	}
	for (i = 0; i < f->nevidence; i++) {
		const tg_finding_evidence *e = &f->evidence[i];
		fputs("      ", p->out);
		tg_fput_escaped(p->out, e->source);
		if (e->line > 0)
			fprintf(p->out, ":%lld", (long long)e->line);
		if (e->rule) {
			fputs(" [", p->out);
			tg_fput_escaped(p->out, e->rule);
			fputc(']', p->out);
		}
		fputs("\n        ", p->out);
		tg_fput_escaped(p->out, e->text);
		fputc('\n', p->out);
	}
}

int tg_report__text(FILE *out, const tg_report_in *in, tg_err *err)
{
	const tg_findings *f = in->findings;
	pen p = {out, in->colour};
	size_t n = tg_findings_count(f), counts[4], i, k;
	bool *done = n ? calloc(n, sizeof(*done)) : NULL;
	tg_severity fail_on = in->fail_on;
	char verdict[160], outcomes[128];

	if (n && !done)
		return tg_err_nomem(err);
	fputs("run ", out);
	tg_fput_escaped(out, in->run_name);
	fprintf(out, " (id %lld): %llu test%s, %s\n", (long long)in->run_id,
		(unsigned long long)in->counts.tests,
		in->counts.tests == 1 ? "" : "s",
		tg_counts_outcomes(outcomes, sizeof(outcomes), &in->counts));
	fputs("expectations: ", out);
	tg_fput_escaped(out, tg_findings_basis(f));
	fputc('\n', out);
	/* by kind, the kinds in the order of their worst finding */
	for (i = 0; i < n; i++) {
		const tg_finding *g = tg_findings_get(f, i);
		if (done[i])
			continue;
		fputc('\n', out);
		tg_fput_escaped(out, g->kind);
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
			tg_fput_escaped(out, tg_findings_note(f, i));
			fputc('\n', out);
		}
	}
	tg_findings_summary(f, counts);
	fprintf(out, "\n%zu high, %zu medium, %zu low: %s\n",
		counts[TG_SEV_HIGH], counts[TG_SEV_MEDIUM], counts[TG_SEV_LOW],
		n == 0 ? "nothing to distrust"
		: fail_on == TG_SEV_NONE ? "--fail-on none: the build passes"
		: tg_findings_worst(f) >= fail_on
			? tg_report__verdict(in, verdict, sizeof(verdict))
			: "all below --fail-on: the build passes");
	return 0;
}
