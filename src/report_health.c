/*
 * report_health.c - draw the test-health report (health.c's document)
 * as HTML or Markdown, or print it as JSON.
 *
 * The HTML page is self-contained: inline CSS and SVG drawn here, no
 * script, no URL fetched; every chart has a title and its numbers in a
 * real table beside it, and no information is carried by colour alone
 * (series differ in dash and marker too).  Everything from a report is
 * HTML-escaped.  Markdown draws durations as Unicode sparklines.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "health.h"
#include "period.h"
#include "report.h"

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static double num(const cJSON *o, const char *k)
{
	const cJSON *v = get(o, k);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *v = get(o, k);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/* ---- HTML ------------------------------------------------------------- */

static const char css[] =
	"body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;"
	"max-width:62rem;padding:1rem;color:#111;background:#fff}"
	"h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;"
	"border-bottom:1px solid #999}table{border-collapse:collapse;"
	"margin:.5rem 0;width:100%}th,td{border:1px solid #888;"
	"padding:.2rem .4rem;text-align:left;vertical-align:top}"
	"td.n{text-align:right}code{font-size:.9em;word-break:break-all}"
	"svg{max-width:100%;height:auto}.wide{overflow-x:auto}.sev-high{font-weight:bold}"
	".ev{font-family:monospace;font-size:.85em;white-space:pre-wrap;"
	"word-break:break-all}"
	"@media print{body{max-width:none}h2{break-after:avoid}}";

/* Outcome mix per day: stacked bars, each part with its count in a
 * title; the table after it holds the same numbers. */
static void svg_outcomes(FILE *out, const cJSON *days)
{
	static const struct {
		const char *key, *fill, *label;
	} parts[] = {{"passed", "#2e7d32", "passed"},
		     {"flaky", "#f9a825", "flaky"},
		     {"skipped", "#9e9e9e", "skipped"},
		     {"failed", "#c62828", "failed"},
		     {"errors", "#6a1b9a", "errors"}};
	int n = cJSON_GetArraySize(days), i = 0;
	double most = 1;
	const cJSON *d;
	size_t k;

	cJSON_ArrayForEach(d, days)
	{
		if (num(d, "tests") > most)
			most = num(d, "tests");
	}
	fprintf(out,
		"<svg role=\"img\" aria-labelledby=\"oc-t\" viewBox=\"0 0 %d 200\" "
		"width=\"%d\" height=\"200\"><title id=\"oc-t\">Test outcomes "
		"per day (numbers in the table below)</title>",
		60 + n * 50, 60 + n * 50);
	cJSON_ArrayForEach(d, days)
	{
		double y = 170;
		int x = 50 + i * 50;
		for (k = 0; k < sizeof(parts) / sizeof(parts[0]); k++) {
			double v = num(d, parts[k].key), hgt = v / most * 150;
			if (v <= 0)
				continue;
			y -= hgt;
			fprintf(out,
				"<rect x=\"%d\" y=\"%.1f\" width=\"30\" "
				"height=\"%.1f\" fill=\"%s\"><title>",
				x, y, hgt, parts[k].fill);
			tg_report__xml(out, str(d, "date"));
			fprintf(out, ": %.0f %s</title></rect>", v,
				parts[k].label);
		}
		fprintf(out, "<text x=\"%d\" y=\"188\" font-size=\"9\">", x);
		tg_report__xml(out, str(d, "date") + 5);
		fputs("</text>", out);
		i++;
	}
	fprintf(out, "<text x=\"0\" y=\"24\" font-size=\"10\">%.0f</text>"
		     "<text x=\"0\" y=\"170\" font-size=\"10\">0</text></svg>\n",
		most);
	fputs("<p>Bottom to top: passed, flaky, skipped, failed, errors.</p>\n",
	      out);
}

/* Untrustworthy passes by kind per day: one line per kind with its own
 * dash pattern and a labelled end point. */
static void svg_findings(FILE *out, const cJSON *days)
{
	/* one pattern per kind, so lines are told apart without colour */
	static const char *const dash[] = {
		"", "6 3", "2 2", "8 2 2 2", "1 3", "10 4", "4 4", "3 1",
		"12 2 2 2 2 2",
	};
	_Static_assert(sizeof(dash) / sizeof(dash[0]) == TG_FINDING_KINDS,
		       "a dash pattern per finding kind: add one with a kind");
	int n = cJSON_GetArraySize(days), i;
	double most = 1;
	const cJSON *d;
	size_t k;

	cJSON_ArrayForEach(d, days)
	{
		for (k = 0; k < TG_FINDING_KINDS; k++) {
			double c = num(get(d, "findings"), tg_report_kind(k));
			if (c > most)
				most = c;
		}
	}
	fprintf(out,
		"<svg role=\"img\" aria-labelledby=\"fk-t\" viewBox=\"0 0 %d 200\" "
		"width=\"%d\" height=\"200\"><title id=\"fk-t\">Untrustworthy "
		"results per day, by kind (numbers in the table below)</title>",
		260 + n * 50, 260 + n * 50);
	for (k = 0; k < TG_FINDING_KINDS; k++) {
		const char *kind = tg_report_kind(k);
		double last = 0;
		bool any = false;
		i = 0;
		cJSON_ArrayForEach(d, days)
		{
			any = any || num(get(d, "findings"), kind) > 0;
		}
		if (!any)
			continue;
		fprintf(out, "<polyline fill=\"none\" stroke=\"#333\" "
			     "stroke-width=\"2\" stroke-dasharray=\"%s\" "
			     "points=\"",
			dash[k]);
		cJSON_ArrayForEach(d, days)
		{
			last = num(get(d, "findings"), kind);
			fprintf(out, "%d,%.1f ", 60 + i * 50,
				170 - last / most * 150);
			i++;
		}
		fprintf(out, "\"><title>%s</title></polyline>", kind);
		/* a marker per point: one day is a point, not a line */
		i = 0;
		cJSON_ArrayForEach(d, days)
		{
			double val = num(get(d, "findings"), kind);
			fprintf(out,
				"<circle cx=\"%d\" cy=\"%.1f\" r=\"3\" "
				"fill=\"#333\"><title>",
				60 + i * 50, 170 - val / most * 150);
			tg_report__xml(out, str(d, "date"));
			fprintf(out, ": %.0f %s</title></circle>", val, kind);
			i++;
		}
		fprintf(out,
			"<text x=\"%d\" y=\"%.1f\" font-size=\"10\">%s "
			"(%.0f)</text>",
			66 + (i - 1) * 50, 172 - last / most * 150, kind,
			last);
	}
	fprintf(out, "<text x=\"0\" y=\"24\" font-size=\"10\">%.0f</text>"
		     "<text x=\"0\" y=\"170\" font-size=\"10\">0</text></svg>\n",
		most);
}

/* A duration history as a small line. */
static void svg_spark(FILE *out, const cJSON *durations, const char *test)
{
	int n = cJSON_GetArraySize(durations), i = 0;
	double most = 0;
	const cJSON *v;

	cJSON_ArrayForEach(v, durations)
	{
		if (v->valuedouble > most)
			most = v->valuedouble;
	}
	if (most <= 0)
		most = 1;
	fprintf(out, "<svg role=\"img\" viewBox=\"0 0 %d 24\" width=\"%d\" "
		     "height=\"24\"><title>",
		n * 6 + 4, n * 6 + 4);
	fputs("durations of ", out);
	tg_report__xml(out, test);
	fputs(", oldest first:", out);
	cJSON_ArrayForEach(v, durations)
	{
		fprintf(out, " %.3g s", v->valuedouble);
	}
	fputs("</title><polyline fill=\"none\" stroke=\"#333\" points=\"", out);
	cJSON_ArrayForEach(v, durations)
	{
		fprintf(out, "%d,%.1f ", 2 + i * 6,
			22 - v->valuedouble / most * 20);
		i++;
	}
	fputs("\"/></svg>", out);
}

/* A table up to its body: the caption and the column headers (our own
 * text, not escaped). */
static void table_open(FILE *out, const char *caption,
		       const char *const *cols, size_t ncols)
{
	size_t i;

	fprintf(out, "<table><caption>%s</caption><thead><tr>", caption);
	for (i = 0; i < ncols; i++)
		fprintf(out, "<th scope=\"col\">%s</th>", cols[i]);
	fputs("</tr></thead><tbody>\n", out);
}

static void html_days(FILE *out, const cJSON *days)
{
	const char *cols[8 + TG_FINDING_KINDS] = {
		"day",	  "runs",   "tests",   "passed",
		"failed", "errors", "skipped", "flaky"};
	const cJSON *d;
	size_t k;

	for (k = 0; k < TG_FINDING_KINDS; k++)
		cols[8 + k] = tg_report_kind(k);
	fputs("<div class=\"wide\">", out);
	table_open(out, "Per day", cols, 8 + TG_FINDING_KINDS);
	cJSON_ArrayForEach(d, days)
	{
		static const char *const c[] = {"runs",	  "tests",   "passed",
						"failed", "errors",  "skipped",
						"flaky"};
		fputs("<tr><th scope=\"row\">", out);
		tg_report__xml(out, str(d, "date"));
		fputs("</th>", out);
		for (k = 0; k < 7; k++)
			fprintf(out, "<td class=\"n\">%.0f</td>", num(d, c[k]));
		for (k = 0; k < TG_FINDING_KINDS; k++)
			fprintf(out, "<td class=\"n\">%.0f</td>",
				num(get(d, "findings"), tg_report_kind(k)));
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table></div>\n", out);
}

/* A table of tests with the number under key, headed title, and the
 * history of their durations. */
static void html_tests(FILE *out, const cJSON *list, const char *caption,
		       const char *key, const char *title, const char *unit)
{
	const cJSON *t;

	if (cJSON_GetArraySize(list) == 0) {
		fprintf(out, "<p>%s: none.</p>\n", caption);
		return;
	}
	{
		const char *cols[] = {"test", title, "runs", "durations"};
		table_open(out, caption, cols, 4);
	}
	cJSON_ArrayForEach(t, list)
	{
		fputs("<tr><td><code>", out);
		tg_report__xml(out, str(t, "test"));
		fprintf(out, "</code></td><td class=\"n\">%g%s</td><td "
			     "class=\"n\">%.0f</td><td>",
			num(t, key), unit, num(t, "runs"));
		svg_spark(out, get(t, "durations"), str(t, "test"));
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
}

static void html_collapsed(FILE *out, const cJSON *list)
{
	const cJSON *t;

	if (cJSON_GetArraySize(list) == 0) {
		fputs("<p>No test's duration collapsed.</p>\n", out);
		return;
	}
	{
		static const char *const cols[] = {"test", "median before",
						   "last", "history"};
		table_open(out,
			   "Durations that collapsed (last pass below 0.2x the "
			   "median before)",
			   cols, 4);
	}
	cJSON_ArrayForEach(t, list)
	{
		fputs("<tr><td><code>", out);
		tg_report__xml(out, str(t, "test"));
		fprintf(out, "</code></td><td class=\"n\">%.3f s</td><td "
			     "class=\"n\">%.3f s</td><td>",
			num(t, "median_before"), num(t, "last"));
		svg_spark(out, get(t, "durations"), str(t, "test"));
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
}

static void html_imports(FILE *out, const cJSON *list)
{
	const cJSON *t, *m;

	if (cJSON_GetArraySize(list) == 0) {
		fputs("<p>No import-chain failure.</p>\n", out);
		return;
	}
	{
		static const char *const cols[] = {"module", "chain", "since",
						   "last seen", "still open"};
		table_open(out, "Import-chain failures", cols, 5);
	}
	cJSON_ArrayForEach(t, list)
	{
		bool first = true;
		fputs("<tr><td><code>", out);
		tg_report__xml(out, str(t, "module"));
		fputs("</code></td><td>", out);
		cJSON_ArrayForEach(m, get(t, "chain"))
		{
			if (!first)
				fputs(" &rarr; ", out);
			fputs("<code>", out);
			tg_report__xml(out, cJSON_IsString(m) ? m->valuestring : "");
			fputs("</code>", out);
			first = false;
		}
		fputs("</td><td>", out);
		tg_report__xml(out, str(t, "first_seen"));
		fputs("</td><td>", out);
		tg_report__xml(out, str(t, "last_seen"));
		fprintf(out, "</td><td>%s</td></tr>\n",
			cJSON_IsTrue(get(t, "open")) ? "yes" : "no");
	}
	fputs("</tbody></table>\n", out);
}

static void html_findings(FILE *out, const cJSON *list)
{
	const cJSON *f, *e;
	int i = 0;

	if (cJSON_GetArraySize(list) == 0) {
		fputs("<p>Nothing to distrust in the last run.</p>\n", out);
		return;
	}
	{
		static const char *const cols[] = {"severity", "kind", "test",
						   "why"};
		table_open(out, "Findings of the last run", cols, 4);
	}
	cJSON_ArrayForEach(f, list)
	{
		fprintf(out, "<tr><td class=\"sev-%s\">%s</td><td>%s</td><td>"
			     "<a href=\"#f%d\"><code>",
			str(f, "severity"), str(f, "severity"), str(f, "kind"),
			i);
		tg_report__xml(out, cJSON_IsString(get(f, "test")) ? str(f, "test")
						       : "(the run)");
		fputs("</code></a></td><td>", out);
		tg_report__xml(out, str(f, "message"));
		fputs("</td></tr>\n", out);
		i++;
	}
	fputs("</tbody></table>\n<h3>Evidence</h3>\n", out);
	i = 0;
	cJSON_ArrayForEach(f, list)
	{
		fprintf(out, "<section id=\"f%d\"><h4>%s: <code>", i++,
			str(f, "kind"));
		tg_report__xml(out, cJSON_IsString(get(f, "test")) ? str(f, "test")
						       : "(the run)");
		fputs("</code></h4>", out);
		cJSON_ArrayForEach(e, get(f, "evidence"))
		{
			char at[32];
			fputs("<div class=\"ev\">", out);
			tg_report__xml(out, str(e, "source"));
			fputs(tg_report__at((int64_t)num(e, "line"), at), out);
			tg_report__xml(out, str(e, "text"));
			fputs("</div>", out);
		}
		fputs("</section>\n", out);
	}
}

static int html(FILE *out, const cJSON *doc)
{
	const cJSON *v;
	double runs = cJSON_GetArraySize(get(doc, "runs"));

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\"><title>truegreen test health</title><style>",
	      out);
	fputs(css, out);
	fputs("</style></head><body>\n<h1>Test health ", out);
	tg_report__xml(out, str(doc, "since"));
	fputs(" to ", out);
	tg_report__xml(out, str(doc, "until"));
	fprintf(out, "</h1>\n<p>%.0f run%s.  Generated by truegreen ", runs,
		runs == 1 ? "" : "s");
	tg_report__xml(out, str(doc, "truegreen"));
	fputs(" at ", out);
	tg_report__xml(out, str(doc, "generated_at"));
	fputs("; the last run was judged against ", out);
	tg_report__xml(out, str(doc, "last_run_basis"));
	fputs(".</p>\n<h2>Runs and outcomes</h2>\n", out);
	svg_outcomes(out, get(doc, "days"));
	fputs("<h2>Untrustworthy results by kind</h2>\n", out);
	svg_findings(out, get(doc, "days"));
	html_days(out, get(doc, "days"));
	fputs("<h2>Durations</h2>\n", out);
	html_collapsed(out, get(doc, "collapsed"));
	html_tests(out, get(doc, "slowest"), "Slowest tests (median)", "median",
		   "median", " s");
	fputs("<h2>Flaky and most-flagged tests</h2>\n", out);
	html_tests(out, get(doc, "flaky"),
		   "Flaky tests (outcome flips and passes on rerun per run)",
		   "flip_rate", "flip rate", "");
	html_tests(out, get(doc, "most_flagged"), "Most often flagged",
		   "flagged_runs", "runs flagged", "");
	fputs("<h2>Vanishing tests</h2>\n", out);
	html_imports(out, get(doc, "import_failures"));
	v = get(doc, "vanished");
	if (cJSON_GetArraySize(v)) {
		const cJSON *t;
		fputs("<p>In the first run of the period, not in the last:</p>"
		      "<ul>",
		      out);
		cJSON_ArrayForEach(t, v)
		{
			fputs("<li><code>", out);
			tg_report__xml(out, t->valuestring);
			fputs("</code></li>", out);
		}
		fputs("</ul>\n", out);
	} else {
		fputs("<p>No test vanished between the first and the last run."
		      "</p>\n",
		      out);
	}
	v = get(doc, "collected");
	if (get(v, "first"))
		fprintf(out, "<p>pytest collected %.0f items in the first "
			     "session of the period and %.0f in the last%s.</p>\n",
			num(v, "first"), num(v, "last"),
			num(v, "last") < num(v, "first") ? ": it dropped" : "");
	fputs("<h2>The last run</h2>\n", out);
	html_findings(out, get(doc, "last_run_findings"));
	fputs("</body></html>\n", out);
	return 0;
}

/* ---- Markdown ------------------------------------------------------------ */

static void spark(FILE *out, const cJSON *durations)
{
	static const char *const bars[] = {"\u2581", "\u2582", "\u2583",
					   "\u2584", "\u2585", "\u2586",
					   "\u2587", "\u2588"};
	double most = 0;
	const cJSON *v;

	cJSON_ArrayForEach(v, durations)
	{
		if (v->valuedouble > most)
			most = v->valuedouble;
	}
	cJSON_ArrayForEach(v, durations)
	{
		int i = most > 0 ? (int)(v->valuedouble / most * 7 + 0.5) : 0;
		fputs(bars[i < 0 ? 0 : i > 7 ? 7 : i], out);
	}
}

static void md_tests(FILE *out, const cJSON *list, const char *title,
		     const char *key)
{
	const cJSON *t;

	fprintf(out, "\n### %s\n\n", title);
	if (!cJSON_GetArraySize(list)) {
		fputs("None.\n", out);
		return;
	}
	fprintf(out, "| test | %s | runs | durations |\n|---|---:|---:|---|\n",
		key);
	cJSON_ArrayForEach(t, list)
	{
		fputs("| ", out);
		tg_report__md(out, str(t, "test"));
		fprintf(out, " | %g | %.0f | ", num(t, key), num(t, "runs"));
		spark(out, get(t, "durations"));
		fputs(" |\n", out);
	}
}

static int markdown(FILE *out, const cJSON *doc)
{
	const cJSON *d, *t;
	size_t k;
	int n;

	fputs("# Test health ", out);
	tg_report__md(out, str(doc, "since"));
	fputs(" to ", out);
	tg_report__md(out, str(doc, "until"));
	n = cJSON_GetArraySize(get(doc, "runs"));
	fprintf(out, "\n\n%d run%s; the last judged against ", n,
		n == 1 ? "" : "s");
	tg_report__md(out, str(doc, "last_run_basis"));
	fputs(".\n\n| day | runs | tests | passed | failed | errors | "
	      "skipped | flaky | untrustworthy |\n|---|---:|---:|---:|---:|"
	      "---:|---:|---:|---:|\n",
	      out);
	cJSON_ArrayForEach(d, get(doc, "days"))
	{
		double bad = 0;
		for (k = 0; k < TG_FINDING_KINDS; k++)
			bad += num(get(d, "findings"), tg_report_kind(k));
		fprintf(out, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | "
			     "%.0f | %.0f |\n",
			str(d, "date"), num(d, "runs"), num(d, "tests"),
			num(d, "passed"), num(d, "failed"), num(d, "errors"),
			num(d, "skipped"), num(d, "flaky"), bad);
	}
	fputs("\n### Durations that collapsed\n\n", out);
	if (!cJSON_GetArraySize(get(doc, "collapsed")))
		fputs("None.\n", out);
	cJSON_ArrayForEach(t, get(doc, "collapsed"))
	{
		fputs("- ", out);
		tg_report__md(out, str(t, "test"));
		fprintf(out, ": %.3f s, median before %.3f s ", num(t, "last"),
			num(t, "median_before"));
		spark(out, get(t, "durations"));
		fputc('\n', out);
	}
	md_tests(out, get(doc, "slowest"), "Slowest tests", "median");
	md_tests(out, get(doc, "flaky"), "Flaky tests", "flip_rate");
	md_tests(out, get(doc, "most_flagged"), "Most often flagged",
		 "flagged_runs");
	fputs("\n### Import-chain failures\n\n", out);
	if (!cJSON_GetArraySize(get(doc, "import_failures")))
		fputs("None.\n", out);
	cJSON_ArrayForEach(t, get(doc, "import_failures"))
	{
		fputs("- ", out);
		tg_report__md(out, str(t, "module"));
		fputs(" (missing ", out);
		tg_report__md(out, str(t, "missing"));
		fputs(") since ", out);
		tg_report__md(out, str(t, "first_seen"));
		fputs(cJSON_IsTrue(get(t, "open")) ? ", still open\n"
						    : ", fixed\n",
		      out);
	}
	fputs("\n### Vanished tests\n\n", out);
	if (!cJSON_GetArraySize(get(doc, "vanished")))
		fputs("None.\n", out);
	cJSON_ArrayForEach(t, get(doc, "vanished"))
	{
		fputs("- ", out);
		tg_report__md(out, t->valuestring);
		fputc('\n', out);
	}
	n = cJSON_GetArraySize(get(doc, "last_run_findings"));
	fprintf(out, "\n### The last run\n\n%d finding%s.\n", n,
		n == 1 ? "" : "s");
	cJSON_ArrayForEach(t, get(doc, "last_run_findings"))
	{
		fprintf(out, "- %s `%s` ", str(t, "severity"), str(t, "kind"));
		tg_report__md(out, str(t, "message"));
		fputc('\n', out);
	}
	return 0;
}

/* ---- the entry point ------------------------------------------------------- */

int tg_health_report(FILE *out, tg_store *st, const tg_health_opts *opts,
		     const char *format, tg_err *err)
{
	tg_health_opts dflt = TG_HEALTH_OPTS_INIT;
	tg_period_time now, since, until;
	cJSON *doc = NULL;
	int rc;

	if (!opts)
		opts = &dflt;
	if (strcmp(format, "html") && strcmp(format, "markdown") &&
	    strcmp(format, "json"))
		return tg_err_set(err, TG_EUSAGE,
				  "unknown report format '%s' (html, "
				  "markdown, json)",
				  format);
	tg_period_now(now);
	if (tg_period_bound(since, opts->since ? opts->since : "7d",
			    "the period's start", err) ||
	    tg_period_bound(until, opts->until, "the period's end", err))
		return err->code;
	/* "until" is exclusive; a bare date means up to its end */
	if (opts->until && strlen(until) == 10)
		snprintf(until + 10, sizeof(until) - 10, "T99");
	else if (!opts->until)
		snprintf(until, sizeof(until), "9999-12-31T23:59:59Z");
	if ((rc = tg_health__build(&doc, st, opts, since, until, err)))
		return rc;
	/* the page shows the period as asked, not the bounds of the query */
	cJSON_ReplaceItemInObjectCaseSensitive(
		doc, "until", cJSON_CreateString(opts->until ? opts->until : now));
	if (strcmp(format, "html") == 0)
		rc = html(out, doc);
	else if (strcmp(format, "markdown") == 0)
		rc = markdown(out, doc);
	else {
		char *s = cJSON_Print(doc);
		if (!s)
			rc = tg_err_nomem(err);
		else {
			fputs(s, out);
			fputc('\n', out);
			cJSON_free(s);
		}
	}
	cJSON_Delete(doc);
	if (rc == 0 && (fflush(out) != 0 || ferror(out)))
		rc = tg_err_set(err, TG_EIO, "cannot write the report");
	return rc;
}
