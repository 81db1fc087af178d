/*
 * report_junit.c - findings as a JUnit XML report, for CI systems that
 * only display JUnit: one testcase per finding, failing for high and
 * medium ones.
 */
#include <string.h>

#include "report.h"
#include "utf8.h"

/* Text as XML character data or attribute value: markup escaped, and
 * what XML 1.0 cannot hold (control characters, bytes that are not
 * UTF-8) as U+FFFD. */
static void xml(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = s ? strlen(s) : 0, i = 0;

	while (i < n) {
		unsigned char c = p[i];
		uint32_t cp;
		size_t k;

		if (c >= 0x80) {
			k = tg_utf8_decode(p + i, n - i, &cp);
			if (k && cp != 0xFFFE && cp != 0xFFFF) {
				fwrite(p + i, 1, k, out);
				i += k;
			} else {
				fputs("\xEF\xBF\xBD", out);
				i++;
			}
			continue;
		}
		i++;
		switch (c) {
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '&':
			fputs("&amp;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&apos;", out);
			break;
		case '\n':
			fputs("&#10;", out);
			break;
		case '\t':
			fputs("&#9;", out);
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				fputs("\xEF\xBF\xBD", out);
			else
				fputc(c, out);
		}
	}
}

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
	xml(out, in->run_name);
	fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
		     "skipped=\"0\">\n",
		n, failing);
	for (i = 0; i < n; i++) {
		const tg_finding *x = tg_findings_get(f, i);
		fputs("<testcase classname=\"truegreen.", out);
		xml(out, x->kind);
		fputs("\" name=\"", out);
		xml(out, x->test ? x->test : "(the run)");
		fputs("\"", out);
		if (x->file) {
			fputs(" file=\"", out);
			xml(out, x->file);
			fputs("\"", out);
		}
		fputs(">", out);
		if (x->severity >= TG_SEV_MEDIUM) {
			fputs("<failure type=\"", out);
			xml(out, tg_severity_str(x->severity));
			fputs("\" message=\"", out);
			xml(out, x->message);
			fputs("\">", out);
			for (k = 0; k < x->nevidence; k++) {
				xml(out, x->evidence[k].source);
				fprintf(out, ":%lld: ",
					(long long)x->evidence[k].line);
				xml(out, x->evidence[k].text);
				fputs("&#10;", out);
			}
			fputs("</failure>", out);
		} else {
			fputs("<system-out>", out);
			xml(out, x->message);
			fputs("</system-out>", out);
		}
		fputs("</testcase>\n", out);
	}
	fputs("</testsuite>\n</testsuites>\n", out);
	return 0;
}
