/*
 * report_markdown.c - a compact summary for a pull-request comment or a
 * CI job summary: counts by kind and severity, the worst findings with
 * their evidence, the rest folded in <details>.  Stays under 65,000
 * characters (GitHub's comment limit) however many findings, and says
 * when it left some out.
 */
#include <string.h>

#include "report.h"

#define TG_MARKDOWN_MAX 60000u /* bytes of findings, leaving room */
#define TG_MARKDOWN_OPEN 10u   /* findings shown before <details> */

static const char *sev_word(tg_severity s)
{
	return s == TG_SEV_HIGH ? "**high**" : s == TG_SEV_MEDIUM ? "medium"
								  : "low";
}

static size_t finding(FILE *out, const tg_finding *f)
{
	size_t n = 0, i;

	n += (size_t)fprintf(out, "- %s `%s` ", sev_word(f->severity),
			     f->kind);
	n += tg_report__md(out, f->test ? f->test : "(the run)");
	n += (size_t)fprintf(out, "  \n  ");
	n += tg_report__md(out, f->message);
	fputc('\n', out);
	n++;
	for (i = 0; i < f->nevidence && i < 3; i++) {
		char at[32];
		n += (size_t)fprintf(out, "  - ");
		n += tg_report__md(out, f->evidence[i].source);
		n += (size_t)fprintf(out, "%s",
				     tg_report__at(f->evidence[i].line, at));
		n += tg_report__md(out, f->evidence[i].text);
		fputc('\n', out);
		n++;
	}
	return n;
}

int tg_report__markdown(FILE *out, const tg_report_in *in, tg_err *err)
{
	const tg_findings *f = in->findings;
	size_t n = tg_findings_count(f), i, k, used = 0, shown = 0;
	size_t counts[4];
	char buf[160];
	const char *verdict;

	(void)err;
	tg_findings_summary(f, counts);
	fputs("## truegreen: ", out);
	tg_report__md(out, in->run_name);
	fprintf(out, "\n\n%llu test%s: %s.  ",
		(unsigned long long)in->counts.tests,
		in->counts.tests == 1 ? "" : "s",
		tg_counts_outcomes(buf, sizeof(buf), &in->counts));
	if (n == 0) {
		fputs("**Nothing to distrust.**\n", out);
		return 0;
	}
	verdict = in->fail_on != TG_SEV_NONE &&
				  tg_findings_worst(f) >= in->fail_on
			  ? tg_report__verdict(in, buf, sizeof(buf))
			  : NULL;
	fprintf(out, "**%zu finding%s** (%zu high, %zu medium, %zu low)%s%s.\n\n",
		n, n == 1 ? "" : "s", counts[TG_SEV_HIGH], counts[TG_SEV_MEDIUM],
		counts[TG_SEV_LOW], verdict ? ": " : "", verdict ? verdict : "");
	fputs("| kind | high | medium | low |\n|---|---:|---:|---:|\n", out);
	for (k = 0; k < TG_FINDING_KINDS; k++) {
		size_t c[4] = {0, 0, 0, 0};
		for (i = 0; i < n; i++) {
			const tg_finding *x = tg_findings_get(f, i);
			if (strcmp(x->kind, tg_report_kind(k)) == 0)
				c[x->severity]++;
		}
		if (c[1] + c[2] + c[3])
			fprintf(out, "| `%s` | %zu | %zu | %zu |\n",
				tg_report_kind(k), c[TG_SEV_HIGH],
				c[TG_SEV_MEDIUM], c[TG_SEV_LOW]);
	}
	fputs("\n", out);
	for (i = 0; i < n && used < TG_MARKDOWN_MAX; i++, shown++) {
		if (i == TG_MARKDOWN_OPEN)
			fprintf(out, "\n<details><summary>%zu more "
				     "findings</summary>\n\n",
				n - TG_MARKDOWN_OPEN);
		used += finding(out, tg_findings_get(f, i));
	}
	if (n > TG_MARKDOWN_OPEN)
		fputs("\n</details>\n", out);
	if (shown < n)
		fprintf(out, "\n*%zu more findings left out to stay under "
			     "GitHub's size limit: see the full report "
			     "(`--format text` or `json`).*\n",
			n - shown);
	return 0;
}
