/*
 * report_json.c - findings as one JSON object, the shape documented by
 * schema/findings.schema.json.
 */
#include <cjson/cJSON.h>

#include "report.h"
#include "truegreen/truegreen.h"

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
	add_str(o, "file", f->file);
	if (f->line > 0)
		cJSON_AddNumberToObject(o, "line", (double)f->line);
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

int tg_report__json(FILE *out, const tg_report_in *in, tg_err *err)
{
	const tg_findings *f = in->findings;
	cJSON *top = cJSON_CreateObject(), *runo, *list, *notes, *sum;
	size_t counts[4], i;

	cJSON_AddStringToObject(top, "truegreen", TG_VERSION);
	runo = cJSON_AddObjectToObject(top, "run");
	cJSON_AddNumberToObject(runo, "id", (double)in->run_id);
	cJSON_AddStringToObject(runo, "name", in->run_name);
	cJSON_AddNumberToObject(runo, "tests", (double)in->counts.tests);
	cJSON_AddNumberToObject(runo, "passed", (double)in->counts.passed);
	cJSON_AddNumberToObject(runo, "failed", (double)in->counts.failed);
	cJSON_AddNumberToObject(runo, "errors", (double)in->counts.errors);
	cJSON_AddNumberToObject(runo, "skipped", (double)in->counts.skipped);
	cJSON_AddNumberToObject(runo, "flaky", (double)in->counts.flaky);
	cJSON_AddNumberToObject(runo, "duration", in->counts.duration);
	cJSON_AddBoolToObject(runo, "truncated", in->truncated);
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
	cJSON_AddStringToObject(sum, "fail_on", tg_severity_str(in->fail_on));
	cJSON_AddBoolToObject(sum, "failed",
			      in->fail_on != TG_SEV_NONE &&
				      tg_findings_worst(f) >= in->fail_on);
	return tg_report__print_json(out, top, false, err);
}
