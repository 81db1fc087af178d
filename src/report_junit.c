/*
 * report_junit.c - findings as a JUnit XML report, for CI systems that
 * only display JUnit: one testcase per finding, failing for high and
 * medium ones.
 */
#include <string.h>

#include "report.h"

int tg_report__junit(FILE *out, const tg_report_in *in, tg_err *err)
{
	const tg_findings *f = in->findings;
	size_t n = tg_findings_count(f), failing = 0, i, k;

	(void)err;
	for (i = 0; i < n; i++)
		failing += tg_findings_get(f, i)->severity >= TG_SEV_MEDIUM;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<testsuites name=\"truegreen\" tests=\"%zu\" "
		     "failures=\"%zu\">\n",
		n, failing);
	fputs("<testsuite name=\"truegreen: ", out);
	tg_report__xml(out, in->run_name);
	fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
		     "skipped=\"0\">\n",
		n, failing);
	for (i = 0; i < n; i++) {
		const tg_finding *x = tg_findings_get(f, i);
		fputs("<testcase classname=\"truegreen.", out);
		tg_report__xml(out, x->kind);
		fputs("\" name=\"", out);
		tg_report__xml(out, x->test ? x->test : "(the run)");
		fputs("\"", out);
		if (x->file) {
			fputs(" file=\"", out);
			tg_report__xml(out, x->file);
			fputs("\"", out);
		}
		fputs(">", out);
		if (x->severity >= TG_SEV_MEDIUM) {
			fputs("<failure type=\"", out);
			tg_report__xml(out, tg_severity_str(x->severity));
			fputs("\" message=\"", out);
			tg_report__xml(out, x->message);
			fputs("\">", out);
			for (k = 0; k < x->nevidence; k++) {
				char at[32];
				tg_report__xml(out, x->evidence[k].source);
				fputs(tg_report__at(x->evidence[k].line, at), out);
				tg_report__xml(out, x->evidence[k].text);
				fputs("&#10;", out);
			}
			fputs("</failure>", out);
		} else {
			fputs("<system-out>", out);
			tg_report__xml(out, x->message);
			fputs("</system-out>", out);
		}
		fputs("</testcase>\n", out);
	}
	fputs("</testsuite>\n</testsuites>\n", out);
	return 0;
}
