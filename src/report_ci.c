/*
 * report_ci.c - findings for CI systems: GitHub workflow commands
 * (annotations on the pull request) and GitLab Code Quality JSON.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "report.h"

/* GitHub's escaping: the message escapes %, CR and LF; a property
 * value (file, title) also ':' and ','.  Control characters are made
 * visible first: the commands are printed into the job's log. */
static void gh_escape(FILE *out, const char *s, bool property)
{
	char small[512], *heap;

	for (s = tg_escaped(s, true, small, sizeof(small), &heap); *s; s++) {
		switch (*s) {
		case '%':
			fputs("%25", out);
			break;
		case '\r':
			fputs("%0D", out);
			break;
		case '\n':
			fputs("%0A", out);
			break;
		case ':':
			fputs(property ? "%3A" : ":", out);
			break;
		case ',':
			fputs(property ? "%2C" : ",", out);
			break;
		default:
			fputc(*s, out);
		}
	}
	tg_free(heap);
}

/* GitHub shows this many annotations of each level (error, warning,
 * notice) per step and drops the rest without a word; the commands stay
 * in the log. */
#define TG_GITHUB_SHOWN 10u

/* Before the findings (so that it is itself among the notices shown):
 * how many findings GitHub will not show as annotations, if any. */
static void gh_overflow(FILE *out, const tg_findings *f)
{
	size_t counts[4], hidden = 0, i;
	char msg[256];

	tg_findings_summary(f, counts);
	for (i = TG_SEV_LOW; i <= TG_SEV_HIGH; i++)
		if (counts[i] > TG_GITHUB_SHOWN)
			hidden += counts[i] - TG_GITHUB_SHOWN;
	/* the notice takes a notice's place: one low finding more hidden */
	if (hidden && counts[TG_SEV_LOW] >= TG_GITHUB_SHOWN)
		hidden++;
	if (!hidden)
		return;
	snprintf(msg, sizeof(msg),
		 "GitHub shows %u annotations of each level per step: %zu of "
		 "the %zu findings are only in this log (and in the step "
		 "summary, SARIF or JSON output)",
		 TG_GITHUB_SHOWN, hidden, tg_findings_count(f));
	fputs("::notice title=", out);
	gh_escape(out, "truegreen: more findings than annotations", true);
	fputs("::", out);
	gh_escape(out, msg, false);
	fputc('\n', out);
}

int tg_report__github(FILE *out, const tg_report_in *in, tg_err *err)
{
	size_t i, k;

	(void)err;
	gh_overflow(out, in->findings);
	for (i = 0; i < tg_findings_count(in->findings); i++) {
		const tg_finding *f = tg_findings_get(in->findings, i);
		const tg_kind_help *h = tg_report__help(f->kind);
		const char *cmd = f->severity == TG_SEV_HIGH     ? "error"
				  : f->severity == TG_SEV_MEDIUM ? "warning"
								 : "notice";

		fprintf(out, "::%s ", cmd);
		if (f->file) {
			fputs("file=", out);
			gh_escape(out, tg_report__relative(in, f->file), true);
			if (f->line > 0)
				fprintf(out, ",line=%lld", (long long)f->line);
			fputc(',', out);
		}
		fputs("title=", out);
		gh_escape(out, "truegreen: ", true);
		gh_escape(out, h->title, true);
		fputs("::", out);
		gh_escape(out, f->message, false);
		for (k = 0; k < f->nevidence; k++) {
			char at[32];
			gh_escape(out, "\n", false);
			gh_escape(out, f->evidence[k].source, false);
			gh_escape(out, tg_report__at(f->evidence[k].line, at),
				  false);
			gh_escape(out, f->evidence[k].text, false);
		}
		fputc('\n', out);
	}
	return 0;
}

static const char *gl_severity(tg_severity s)
{
	return s == TG_SEV_HIGH ? "critical" : s == TG_SEV_MEDIUM ? "major"
								  : "minor";
}

int tg_report__gitlab(FILE *out, const tg_report_in *in, tg_err *err)
{
	cJSON *list = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < tg_findings_count(in->findings); i++) {
		const tg_finding *f = tg_findings_get(in->findings, i);
		cJSON *o = cJSON_CreateObject(), *loc, *lines;
		char print[33];
		const char *path;
		int64_t line;

		tg_report__fingerprint(f, print);
		cJSON_AddStringToObject(o, "description", f->message);
		cJSON_AddStringToObject(o, "check_name", f->kind);
		cJSON_AddStringToObject(o, "fingerprint", print);
		cJSON_AddStringToObject(o, "severity", gl_severity(f->severity));
		loc = cJSON_AddObjectToObject(o, "location");
		/* Code Quality needs a path: the input holding the evidence
		 * when the finding has no file of its own */
		tg_report__place(in, f, &path, &line);
		cJSON_AddStringToObject(loc, "path", path ? path : "");
		lines = cJSON_AddObjectToObject(loc, "lines");
		cJSON_AddNumberToObject(lines, "begin",
					line > 0 ? (double)line : 1);
		cJSON_AddItemToArray(list, o);
	}
	return tg_report__print_json(out, list, true, err);
}
