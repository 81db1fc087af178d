/*
 * report_sarif.c - findings as SARIF 2.1.0 for code-scanning dashboards:
 * one rule per finding kind with its help, one result per finding with
 * its level, location (the test's file and line when known), a
 * fingerprint stable across runs, and the evidence in its message.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "report.h"
#include "truegreen/truegreen.h"

static int kind_index(const char *kind)
{
	size_t i;

	for (i = 0; i < TG_FINDING_KINDS; i++)
		if (strcmp(tg_report_kind(i), kind) == 0)
			return (int)i;
	return -1;
}

static const char *level(tg_severity s)
{
	return s == TG_SEV_HIGH ? "error" : s == TG_SEV_MEDIUM ? "warning"
							       : "note";
}

static cJSON *text_obj(const char *s)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "text", s);
	return o;
}

static cJSON *rules(void)
{
	cJSON *list = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < TG_FINDING_KINDS; i++) {
		const tg_kind_help *h = tg_report__help(tg_report_kind(i));
		cJSON *r = cJSON_CreateObject(), *cfg, *help;
		char text[1024];

		cJSON_AddStringToObject(r, "id", h->kind);
		cJSON_AddStringToObject(r, "name", h->title);
		cJSON_AddItemToObject(r, "shortDescription",
				      text_obj(h->title));
		cJSON_AddItemToObject(r, "fullDescription",
				      text_obj(h->meaning));
		snprintf(text, sizeof(text), "%s %s", h->meaning, h->fix);
		help = text_obj(text);
		cJSON_AddItemToObject(r, "help", help);
		cfg = cJSON_AddObjectToObject(r, "defaultConfiguration");
		cJSON_AddStringToObject(cfg, "level", "error");
		cJSON_AddItemToArray(list, r);
	}
	return list;
}

/* The message: the sentence, then each evidence line with its place. */
static char *message(const tg_finding *f)
{
	size_t need = strlen(f->message) + 1, i;
	char *m, *p;

	for (i = 0; i < f->nevidence; i++)
		need += strlen(f->evidence[i].source) +
			strlen(f->evidence[i].text) + 40;
	if (!(m = tg_malloc(need)))
		return NULL;
	p = m + snprintf(m, need, "%s", f->message);
	for (i = 0; i < f->nevidence; i++) {
		char at[32];
		p += snprintf(p, need - (size_t)(p - m), "\n%s%s%s",
			      f->evidence[i].source,
			      tg_report__at(f->evidence[i].line, at),
			      f->evidence[i].text);
	}
	return m;
}

static cJSON *result(const tg_report_in *in, const tg_finding *f)
{
	cJSON *r = cJSON_CreateObject(), *fp, *props;
	char print[33], *m = message(f);
	int idx = kind_index(f->kind);
	const char *path;
	int64_t line;
	bool at_evidence = tg_report__place(in, f, &path, &line);

	cJSON_AddStringToObject(r, "ruleId", f->kind);
	if (idx >= 0)
		cJSON_AddNumberToObject(r, "ruleIndex", idx);
	cJSON_AddStringToObject(r, "level", level(f->severity));
	cJSON_AddItemToObject(r, "message", text_obj(m ? m : f->message));
	tg_free(m);
	/* GitHub refuses the whole file when one result has no location:
	 * a finding with no test file of its own points at its evidence */
	if (path) {
		cJSON *loc = cJSON_CreateObject(), *phys, *art;
		cJSON *locs = cJSON_AddArrayToObject(r, "locations");
		char *uri = tg_report__uri(path);
		phys = cJSON_AddObjectToObject(loc, "physicalLocation");
		art = cJSON_AddObjectToObject(phys, "artifactLocation");
		cJSON_AddStringToObject(art, "uri", uri ? uri : "");
		tg_free(uri);
		if (line > 0) {
			cJSON *reg = cJSON_AddObjectToObject(phys, "region");
			cJSON_AddNumberToObject(reg, "startLine", (double)line);
		}
		if (at_evidence)
			cJSON_AddItemToObject(
				loc, "message",
				text_obj("the run's input that holds the "
					 "evidence"));
		cJSON_AddItemToArray(locs, loc);
	}
	tg_report__fingerprint(f, print);
	fp = cJSON_AddObjectToObject(r, "partialFingerprints");
	cJSON_AddStringToObject(fp, "truegreenFinding/v1", print);
	props = cJSON_AddObjectToObject(r, "properties");
	if (f->test)
		cJSON_AddStringToObject(props, "test", f->test);
	cJSON_AddStringToObject(props, "severity",
				tg_severity_str(f->severity));
	return r;
}

int tg_report__sarif(FILE *out, const tg_report_in *in, tg_err *err)
{
	cJSON *top = cJSON_CreateObject(), *runs, *run, *tool, *driver, *res;
	size_t i;

	cJSON_AddStringToObject(top, "$schema",
				"https://json.schemastore.org/sarif-2.1.0.json");
	cJSON_AddStringToObject(top, "version", "2.1.0");
	runs = cJSON_AddArrayToObject(top, "runs");
	run = cJSON_CreateObject();
	cJSON_AddItemToArray(runs, run);
	tool = cJSON_AddObjectToObject(run, "tool");
	driver = cJSON_AddObjectToObject(tool, "driver");
	cJSON_AddStringToObject(driver, "name", "truegreen");
	cJSON_AddStringToObject(driver, "version", TG_VERSION);
	cJSON_AddStringToObject(driver, "informationUri",
				"https://github.com/truegreen/truegreen");
	cJSON_AddItemToObject(driver, "rules", rules());
	res = cJSON_AddArrayToObject(run, "results");
	for (i = 0; i < tg_findings_count(in->findings); i++)
		cJSON_AddItemToArray(res,
				     result(in, tg_findings_get(in->findings, i)));
	return tg_report__print_json(out, top, true, err);
}
