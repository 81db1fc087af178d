/*
 * import.c - one run from many inputs: sources -> parsers -> store.
 *
 * An import holds the write transaction from tg_import_new() to
 * tg_import_finish(); the only way out that keeps anything is the commit
 * at the end of finish, every other path rolls back.  This file is the
 * parsers' sink: it turns records into store rows (or only counts them,
 * in a dry run) and knows neither XML nor SQL.
 */
#include "truegreen/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "alloc.h"
#include "catalog.h"
#include "ci_env.h"
#include "collect.h"
#include "err.h"
#include "limits.h"
#include "parser.h"
#include "period.h"
#include "sha256.h"
#include "store.h"
#include "testid.h"
#include "utf8.h"

struct tg_import {
	tg_store *st;
	tg_import_opts opts;
	int64_t run;
	bool failed, finished;
	char now[32];

	char (*digests)[TG_SHA256_HEX];
	size_t ndigests, digests_cap;
	bool truncated;
	tg_counts dry;          /* counts of a dry run */
	bool dry_failed_attempt; /* the results just before failed */
	int64_t first_result, last_result; /* the run's result id range */

	tg_catalog *catalog;
	bool own_catalog;
	uint64_t evidence, collection_errors, disagreements;
	size_t files_done;

	/* the source being parsed */
	tg_source *src;
	int64_t source;
	uint64_t unnamed; /* results without a name in this input */
	/* the test and section of the text being matched */
	int64_t ev_test;
	const char *ev_headline, *ev_section, *ev_text;
	size_t ev_len;
	uint64_t ev_line;
	int64_t suites[TG_MAX_SUITE_DEPTH];
	uint64_t suite_lines[TG_MAX_SUITE_DEPTH]; /* where each starts */
	/* the run's last result when each began: its results come after */
	int64_t suite_after[TG_MAX_SUITE_DEPTH];
	/* bytes of suite-level system-out and -err stored so far */
	uint64_t suite_kept[TG_MAX_SUITE_DEPTH][2];
	unsigned nsuites;
	tg_buf id, path;
};

/* ---- the sink ---------------------------------------------------------- */

static int sink_suite_begin(void *payload, const tg_suite *s, tg_err *err)
{
	tg_import *imp = payload;
	int64_t id = 0;

	if (imp->nsuites >= TG_MAX_SUITE_DEPTH)
		return tg_err_set(err, TG_ELIMIT, "testsuites nested too deep");
	if (!imp->opts.dry_run &&
	    tg_store__suite_insert(&id, imp->st, imp->run, imp->source,
				   imp->nsuites ? imp->suites[imp->nsuites - 1]
						: 0,
				   s, err))
		return TG_EDB;
	imp->suite_lines[imp->nsuites] = s->report_line;
	imp->suite_after[imp->nsuites] = imp->last_result;
	imp->suite_kept[imp->nsuites][0] = imp->suite_kept[imp->nsuites][1] = 0;
	imp->suites[imp->nsuites++] = id;
	return 0;
}

static int sink_suite_end(void *payload, tg_err *err)
{
	tg_import *imp = payload;

	(void)err;
	if (imp->nsuites)
		imp->nsuites--;
	return 0;
}

static int64_t current_suite(const tg_import *imp)
{
	return imp->nsuites ? imp->suites[imp->nsuites - 1] : 0;
}

static void sink_warn(void *payload, uint64_t line, uint64_t col,
		      uint64_t offset, const char *msg);

static int sink_suite_not_run(void *payload, uint64_t n, const char *status,
			      tg_err *err)
{
	tg_import *imp = payload;
	int64_t after;
	bool marked;

	if (!imp->nsuites || n == 0)
		return 0;
	if (imp->opts.dry_run) {
		imp->dry.passed -= n;
		imp->dry.skipped += n;
		return 0;
	}
	after = imp->suite_after[imp->nsuites - 1];
	if (tg_store__results_not_run(&marked, imp->st, current_suite(imp),
				      after ? after + 1 : imp->first_result,
				      imp->last_result, n, status, err))
		return err->code;
	if (!marked)
		sink_warn(imp, imp->suite_lines[imp->nsuites - 1], 0,
			  UINT64_MAX,
			  "a testsuite's empty testcases that did not run "
			  "could not be told from its other results; all are "
			  "stored as they read");
	return 0;
}

static int match_text(tg_import *imp, int64_t test, const char *headline,
		      const char *section, uint64_t line, const char *text,
		      size_t n, tg_err *err);

/* A suite's output (jest-junit puts a file's console output there,
 * Surefire and Ant a class's) is the run's evidence: which of the
 * suite's tests wrote a line, the report does not say. */
static int sink_suite_output(void *payload, bool is_err, const tg_capture *t,
			     tg_err *err)
{
	tg_import *imp = payload;
	uint64_t *kept;
	size_t n;

	if (imp->opts.dry_run || !current_suite(imp) || t->total == 0)
		return 0;
	/* A suite may hold any number of <system-out> elements: what is
	 * stored of them all is capped like a test's output (appending
	 * without a cap made 2,000 of 100 KB take longer than minutes),
	 * and their full length is counted, so the cut shows. */
	kept = &imp->suite_kept[imp->nsuites - 1][is_err];
	n = t->buf.len;
	if (n > imp->opts.output_cap - *kept)
		n = tg_utf8_floor(t->buf.ptr,
				  (size_t)(imp->opts.output_cap - *kept));
	/* after a cut nothing more is kept, so the stored text has no gap
	 * in its middle */
	*kept = n < t->total ? imp->opts.output_cap : *kept + n;
	if (tg_store__suite_output(imp->st, current_suite(imp), is_err,
				   t->buf.ptr, n, t->total, err))
		return err->code;
	return match_text(imp, 0, NULL,
			  is_err ? "suite system-err" : "suite system-out",
			  imp->suite_lines[imp->nsuites - 1], t->buf.ptr,
			  t->buf.len, err);
}

static int sink_suite_property(void *payload, const tg_property *p,
			       tg_err *err)
{
	tg_import *imp = payload;

	if (imp->opts.dry_run || !current_suite(imp))
		return 0;
	return tg_store__property(imp->st, current_suite(imp), 0, p, err);
}

/*
 * Count a result in a dry run.  Earlier attempts come right before the
 * result they belong to (a Surefire flakyFailure, a pytest RERUN), so a
 * pass after a failed one is flaky, as the store's merge would say.  A
 * test written as two testcases (gotestsum's reruns) or in two inputs
 * is merged only by the store, by its id: a dry run counts testcases.
 */
static void count_result(tg_import *imp, const tg_result *r)
{
	tg_counts *c = &imp->dry;
	bool after_failure = imp->dry_failed_attempt;

	c->results++;
	if (r->rerun) {
		imp->dry_failed_attempt = after_failure ||
					  r->outcome == TG_FAILED ||
					  r->outcome == TG_ERROR;
		return;
	}
	imp->dry_failed_attempt = false;
	c->tests++;
	if (r->has_duration)
		c->duration += r->duration;
	switch (r->outcome) {
	case TG_PASSED:
		if (after_failure)
			c->flaky++;
		else
			c->passed++;
		break;
	case TG_FAILED:
		c->failed++;
		break;
	case TG_ERROR:
		c->errors++;
		break;
	case TG_SKIPPED:
		c->skipped++;
		break;
	}
}

/* ---- evidence ------------------------------------------------------------ */

static int on_match(const tg_signal_match *m, void *payload, tg_err *err)
{
	tg_import *imp = payload;
	const char *line = imp->ev_text;
	tg_evidence_row e = {imp->run,
			     imp->source,
			     imp->ev_test,
			     imp->ev_headline,
			     m->signal,
			     m->rule,
			     imp->ev_section,
			     imp->ev_line,
			     line,
			     imp->ev_len,
			     m->fields};

	imp->evidence++;
	return tg_store__evidence_insert(imp->st, &e, err);
}

/* Match every line of text[0..n) against the catalog, as evidence of
 * test (0: the run) from section. */
static int match_text(tg_import *imp, int64_t test, const char *headline,
		      const char *section, uint64_t line, const char *text,
		      size_t n, tg_err *err)
{
	const char *end = text + n;

	imp->ev_test = test;
	imp->ev_headline = headline && headline[0] ? headline : NULL;
	imp->ev_section = section;
	imp->ev_line = line;
	while (text < end) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		size_t k = nl ? (size_t)(nl - text) : (size_t)(end - text);
		size_t len = k && text[k - 1] == '\r' ? k - 1 : k;
		int rc;

		imp->ev_text = text;
		imp->ev_len = len;
		if (len && (rc = tg_catalog_match(imp->catalog, text, len,
						   on_match, imp, NULL, err)))
			return rc;
		text += k + 1;
	}
	return 0;
}

/* The evidence a JUnit result carries in its message, body and output. */
static int result_evidence(tg_import *imp, int64_t test, const tg_result *r,
			   tg_err *err)
{
	const struct {
		const char *section;
		const tg_capture *c;
	} parts[] = {{"details", r->details},
		     {"system-out", r->out},
		     {"system-err", r->err}};
	size_t i;
	int rc = 0;

	if (r->message && r->message[0] &&
	    (!r->details || !strstr(r->details->buf.ptr, r->message)))
		rc = match_text(imp, test, NULL, "message", r->report_line,
				r->message, strlen(r->message), err);
	for (i = 0; rc == 0 && i < sizeof(parts) / sizeof(parts[0]); i++)
		if (parts[i].c && parts[i].c->buf.len)
			rc = match_text(imp, test, NULL, parts[i].section,
					r->report_line, parts[i].c->buf.ptr,
					parts[i].c->buf.len, err);
	return rc;
}

/* The number of the test with node id nodeid (0 for ""). */
static int nodeid_test(int64_t *out, tg_import *imp, const char *nodeid,
		       tg_err *err)
{
	*out = 0;
	if (!nodeid || !nodeid[0])
		return 0;
	if (!tg_testid_nodeid(&imp->id, &imp->path, nodeid))
		return imp->id.toobig ? tg_err_set(err, TG_ELIMIT,
						   "test id longer than %u "
						   "bytes",
						   TG_MAX_NAME)
				      : tg_err_nomem(err);
	return tg_store__test_intern(out, NULL, imp->st, imp->id.ptr,
				     imp->id.len,
				     imp->path.len ? imp->path.ptr : NULL, err);
}

static int sink_text(void *payload, const tg_text *t, tg_err *err)
{
	tg_import *imp = payload;
	int64_t test;

	if (imp->opts.dry_run)
		return 0;
	if (nodeid_test(&test, imp, t->nodeid, err))
		return err->code;
	return match_text(imp, test, test ? NULL : t->headline, t->section,
			  t->line, t->text, t->len, err);
}

static int sink_alias(void *payload, const char *headline, const char *nodeid,
		      tg_err *err)
{
	tg_import *imp = payload;
	int64_t test;

	if (imp->opts.dry_run)
		return 0;
	if (nodeid_test(&test, imp, nodeid, err))
		return err->code;
	return tg_store__evidence_alias(imp->st, imp->source, headline, test,
					err);
}

static int sink_collect_error(void *payload, const tg_collect_error *ce,
			      tg_err *err)
{
	tg_import *imp = payload;
	cJSON *chain;
	char *json;
	int64_t test;
	size_t i;
	int rc;

	imp->collection_errors++;
	if (imp->opts.dry_run)
		return 0;
	if (nodeid_test(&test, imp, ce->path, err))
		return err->code;
	if (!(chain = cJSON_CreateArray()))
		return tg_err_nomem(err);
	for (i = 0; i < ce->nchain; i++) {
		cJSON *m = cJSON_CreateString(ce->chain[i]);
		if (!m || !cJSON_AddItemToArray(chain, m)) {
			cJSON_Delete(m);
			cJSON_Delete(chain);
			return tg_err_nomem(err);
		}
	}
	json = cJSON_PrintUnformatted(chain);
	cJSON_Delete(chain);
	if (!json)
		return tg_err_nomem(err);
	rc = tg_store__collect_error_insert(imp->st, imp->run, imp->source,
					    test, ce, json, err);
	cJSON_free(json);
	return rc;
}

static int sink_session(void *payload, const tg_session *s, tg_err *err)
{
	tg_import *imp = payload;

	if (imp->opts.dry_run)
		return 0;
	return tg_store__session_insert(imp->st, imp->run, imp->source, s,
					s->exit_status, err);
}

/*
 * A pytest collection error in a JUnit report (a testcase named after its
 * module, error "collection failure", the import traceback as its body):
 * read the import chain out of the body as the console parser does, so a
 * JUnit-only run has it too.
 */
static int junit_collect_error(tg_import *imp, const tg_result *r,
			       tg_err *err)
{
	static const tg_sink collect_sink = {.collect_error =
						     sink_collect_error};
	tg_sink sink = collect_sink;
	const char *text, *end;
	tg_collect c;
	int rc;

	if (r->outcome != TG_ERROR || !r->details || !r->details->buf.len ||
	    strcmp(r->message ? r->message : "", "collection failure") != 0 ||
	    strstr(imp->id.ptr, "::") || imp->path.len == 0)
		return 0;
	sink.payload = imp;
	tg_collect_init(&c);
	tg_collect_open(&c, imp->id.ptr, imp->id.len, r->report_line);
	text = r->details->buf.ptr;
	end = text + r->details->buf.len;
	while (text < end) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		size_t k = nl ? (size_t)(nl - text) : (size_t)(end - text);
		tg_collect_line(&c, text, k);
		text += k + 1;
	}
	rc = c.exc.len ? tg_collect_close(&c, "", &sink, err) : 0;
	tg_collect_release(&c);
	return rc;
}

/*
 * The test id and file of a result: its node id when it has one.  A
 * result with no name at all (pytest's JUnit under xdist -x writes a
 * bare <testcase time="0.001"/>) is a test of its own, named by its
 * place, not one nameless test that every such result would merge into.
 */
static bool result_id(tg_import *imp, const tg_result *r)
{
	bool ok = r->nodeid && r->nodeid[0]
			  ? tg_testid_nodeid(&imp->id, &imp->path, r->nodeid)
			  : tg_testid_build(&imp->id, &imp->path, r->file,
					    r->classname, r->name);

	if (!ok || imp->id.len)
		return ok;
	tg_buf_printf(&imp->id, "(unnamed %llu, line %llu)",
		      (unsigned long long)++imp->unnamed,
		      (unsigned long long)r->report_line);
	if (imp->unnamed == 1) {
		char msg[160];
		snprintf(msg, sizeof(msg),
			 "a testcase with no name: stored as '%s' (and any "
			 "other in this input by its number)",
			 imp->id.ptr);
		sink_warn(imp, r->report_line, 0, UINT64_MAX, msg);
	}
	return !imp->id.failed;
}

static int sink_result(void *payload, const tg_result *r, tg_err *err)
{
	tg_import *imp = payload;
	int64_t rid, test;
	size_t i;

	if (imp->opts.dry_run) { /* counting needs no test id */
		count_result(imp, r);
		return 0;
	}
	if (!result_id(imp, r)) {
		if (!imp->id.toobig && !imp->path.toobig)
			return tg_err_nomem(err);
		return tg_err_setloc(err, TG_ELIMIT, imp->src->name,
				     r->report_line, 0,
				     "'%s': test id longer than %u bytes",
				     imp->src->name, TG_MAX_NAME);
	}
	if (tg_store__result_insert(&rid, &test, imp->st, imp->run,
				    imp->source, current_suite(imp),
				    imp->id.ptr, imp->id.len, imp->path.ptr, r,
				    err))
		return err->code;
	if (!imp->first_result)
		imp->first_result = rid;
	imp->last_result = rid;
	for (i = 0; i < r->nprops; i++)
		if (tg_store__property(imp->st, 0, rid, &r->props[i], err))
			return TG_EDB;
	/* parsers that name tests by node id hand their text over as
	 * text() lines, with better places; JUnit has only its results */
	if (r->nodeid && r->nodeid[0])
		return 0;
	if (result_evidence(imp, test, r, err))
		return err->code;
	return junit_collect_error(imp, r, err);
}

static void diag(tg_import *imp, const char *file, uint64_t line,
		 uint64_t col, uint64_t offset, const char *msg)
{
	tg_diag d = {file, line, col, offset, msg};

	if (imp->opts.diag)
		imp->opts.diag(&d, imp->opts.diag_payload);
}

static void sink_warn(void *payload, uint64_t line, uint64_t col,
		      uint64_t offset, const char *msg)
{
	tg_import *imp = payload;
	tg_err ignored = TG_ERR_INIT;

	diag(imp, imp->src->name, line, col, offset, msg);
	/* A warning that cannot be stored is not worth failing the import
	 * for; the caller has seen it through the callback. */
	if (!imp->opts.dry_run)
		(void)tg_store__diag_insert(imp->st, imp->run, imp->source, line,
					    col, offset, msg, &ignored);
}

/* ---- lifecycle ----------------------------------------------------------- */

int tg_import_new(tg_import **out, tg_store *st, const tg_import_opts *opts,
		  tg_err *err)
{
	tg_import_opts defaults = TG_IMPORT_OPTS_INIT;
	tg_import *imp;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!st && !opts->dry_run)
		return tg_err_set(err, TG_EUSAGE, "an import needs a store");
	if (opts->output_cap > TG_MAX_OUTPUT_CAP)
		return tg_err_set(err, TG_EUSAGE,
				  "output cap over %u bytes",
				  TG_MAX_OUTPUT_CAP);
	if (opts->run_name && (!opts->run_name[0] ||
			       strlen(opts->run_name) >= TG_RUN_NAME_MAX))
		return tg_err_set(err, TG_EUSAGE,
				  "a run name has 1 to %d bytes",
				  TG_RUN_NAME_MAX - 1);
	imp = tg_calloc(1, sizeof(*imp));
	if (!imp)
		return tg_err_nomem(err);
	imp->st = st;
	imp->opts = *opts;
	if (!imp->opts.output_cap)
		imp->opts.output_cap = TG_DEFAULT_OUTPUT_CAP;
	tg_buf_init(&imp->id, TG_MAX_NAME * 3);
	tg_buf_init(&imp->path, TG_MAX_NAME);
	if (opts->format && !tg_parser_find(opts->format)) {
		tg_import_free(imp);
		return tg_err_set(err, TG_EUSAGE,
				  "unknown format '%s' (junit, pytest, "
				  "reportlog, netlog)",
				  opts->format);
	}
	imp->catalog = opts->catalog;
	if (!imp->catalog && !opts->dry_run) {
		if (tg_catalog_load(&imp->catalog, NULL, err)) {
			tg_import_free(imp);
			return err->code;
		}
		imp->own_catalog = true;
	}
	if (opts->now)
		snprintf(imp->now, sizeof(imp->now), "%s", opts->now);
	else
		tg_period_now(imp->now);
	/* bulk: every row the import refers to, it wrote itself */
	if (!opts->dry_run && (tg_store__begin_bulk(st, err) ||
			       tg_store__run_insert(&imp->run, st, imp->now,
						    err))) {
		tg_import_free(imp);
		return err->code;
	}
	*out = imp;
	return 0;
}

void tg_import_free(tg_import *imp)
{
	if (!imp)
		return;
	if (imp->st && !imp->finished)
		tg_store__rollback(imp->st);
	if (imp->own_catalog)
		tg_catalog_free(imp->catalog);
	tg_free(imp->digests);
	tg_buf_release(&imp->id);
	tg_buf_release(&imp->path);
	tg_free(imp);
}

/* ---- inputs -------------------------------------------------------------- */

static const tg_sink sink_template = {
	.suite_begin = sink_suite_begin,
	.suite_end = sink_suite_end,
	.suite_not_run = sink_suite_not_run,
	.suite_output = sink_suite_output,
	.suite_property = sink_suite_property,
	.result = sink_result,
	.text = sink_text,
	.collect_error = sink_collect_error,
	.session = sink_session,
	.alias = sink_alias,
	.warn = sink_warn,
};

static int record_digest(tg_import *imp, tg_source *src, tg_err *err)
{
	if (imp->ndigests >= TG_MAX_SOURCES)
		return tg_err_set(err, TG_ELIMIT, "more than %u inputs",
				  TG_MAX_SOURCES);
	if (!tg_grow((void **)&imp->digests, &imp->digests_cap,
		     imp->ndigests + 1, sizeof(*imp->digests)))
		return tg_err_nomem(err);
	tg_source_digest(src, imp->digests[imp->ndigests++]);
	return 0;
}

static void report(tg_import *imp, const tg_source *src)
{
	tg_progress p = {src->name, src->bytes, src->size, imp->files_done};

	imp->opts.progress(&p, imp->opts.progress_payload);
}

static void on_read(void *ctx, const tg_source *src)
{
	report(ctx, src);
}

/*
 * Parse one opened source.  explicit: the user named this file, so an
 * unrecognised one is an error; found in a directory, it is skipped.
 */
static int import_source(tg_import *imp, tg_source *src, bool explicit,
			 tg_err *err)
{
	tg_parse_opts popts = {imp->opts.output_cap};
	tg_parse_stats stats = {0};
	tg_sink sink = sink_template;
	const unsigned char *head;
	const tg_parser *parser;
	char digest[TG_SHA256_HEX];
	int64_t first, last;
	size_t n;
	int rc;

	src->no_digest = imp->opts.dry_run; /* a dry run stores no digest */
	imp->dry_failed_attempt = false; /* attempts precede their result
					    in the same input */
	if (imp->opts.progress) {
		src->on_read = on_read;
		src->on_read_ctx = imp;
		src->next_report = TG_PROGRESS_STEP;
	}
	if (tg_source_peek(src, &head, &n, err))
		return err->code;
	parser = imp->opts.format ? tg_parser_find(imp->opts.format)
				  : tg_parser_sniff(head, n);
	if (!parser) {
		if (!explicit) {
			diag(imp, src->name, 0, 0, UINT64_MAX,
			     "skipped: not a test report");
			return 0;
		}
		return tg_err_setloc(err, TG_EINPUT, src->name, 0, 0,
				     n ? "'%s' is not a test report truegreen "
					 "knows (JUnit XML, pytest console "
					 "output, pytest report-log)"
				       : "'%s' is empty",
				     src->name);
	}
	sink.payload = imp;
	imp->src = src;
	imp->nsuites = 0;
	imp->unnamed = 0;
	/* an input's rows can be undone whole, to the result id range */
	first = imp->first_result;
	last = imp->last_result;
	if (!imp->opts.dry_run &&
	    (tg_store__savepoint(imp->st, err) ||
	     tg_store__source_insert(&imp->source, imp->st, imp->run,
				     src->name, parser->name, err)))
		return TG_EDB;
	rc = parser->parse(src, &popts, &sink, &stats, err);
	if (rc == 0)
		rc = tg_source_drain(src, err);
	if (rc && stats.unrecognized && !explicit) {
		/* a text file in a directory that held no report after all */
		tg_err skipped = TG_ERR_INIT;
		diag(imp, src->name, 0, 0, UINT64_MAX,
		     "skipped: not a test report");
		*err = skipped;
		imp->first_result = first;
		imp->last_result = last;
		return imp->opts.dry_run ? 0
					 : tg_store__savepoint_undo(imp->st,
								    err);
	}
	if (rc) {
		/* an input's location, for input errors only: a full disk is
		 * not the report's fault */
		if (err->code == TG_EINPUT || err->code == TG_ELIMIT ||
		    err->code == TG_EIO)
			tg_err_locate(err, src->name, 0, 0, UINT64_MAX);
		return rc;
	}
	/* a network record holds no tests by design */
	if (stats.results == 0 && strcmp(parser->name, "netlog") != 0)
		diag(imp, src->name, 0, 0, UINT64_MAX,
		     "the report holds no testcase");
	imp->truncated = imp->truncated || stats.truncated;
	if (imp->opts.progress) {
		imp->files_done++;
		report(imp, src);
	}
	if (imp->opts.dry_run)
		return record_digest(imp, src, err);
	tg_source_digest(src, digest);
	if (tg_store__source_finish(imp->st, imp->source, src->bytes, digest,
				    stats.results, stats.truncated,
				    stats.truncated_at,
				    stats.stopped ? (int64_t)stats.stopped_at : -1,
				    err) ||
	    tg_store__savepoint_release(imp->st, err))
		return TG_EDB;
	return record_digest(imp, src, err);
}

static int add_file(tg_import *imp, const char *path, bool explicit,
		    tg_err *err)
{
	tg_source src;
	int rc = tg_source_open_path(&src, path, err);

	if (rc == 0)
		rc = import_source(imp, &src, explicit, err);
	tg_source_close(&src);
	return rc;
}

static int walk_file(const char *path, void *payload, tg_err *err)
{
	return add_file(payload, path, false, err);
}

static void walk_skip(const char *path, const char *why, void *payload)
{
	diag(payload, path, 0, 0, UINT64_MAX, why);
}

static int guard(tg_import *imp, tg_err *err)
{
	if (imp->failed || imp->finished)
		return tg_err_set(err, TG_EUSAGE,
				  "the import already failed or finished");
	return 0;
}

int tg_import_add_path(tg_import *imp, const char *path, tg_err *err)
{
	int rc = guard(imp, err);

	if (rc)
		return rc;
	if (tg_source_is_dir(path))
		rc = tg_source_walk(path, walk_file, walk_skip, imp, err);
	else
		rc = add_file(imp, path, true, err);
	imp->failed = rc != 0;
	return rc;
}

int tg_import_add_memory(tg_import *imp, const char *name, const void *data,
			 size_t len, tg_err *err)
{
	tg_source src;
	int rc = guard(imp, err);

	if (rc)
		return rc;
	rc = tg_source_open_memory(&src, name, data, len, err);
	if (rc == 0)
		rc = import_source(imp, &src, true, err);
	tg_source_close(&src);
	imp->failed = rc != 0;
	return rc;
}

/* ---- finish -------------------------------------------------------------- */

static int cmp_digest(const void *a, const void *b)
{
	return memcmp(a, b, TG_SHA256_HEX);
}

/* The run's digest: over its sources' digests, sorted, so the same files
 * in another order are the same run. */
static void run_digest(tg_import *imp, char out[TG_SHA256_HEX])
{
	tg_sha256 h;
	size_t i;

	qsort(imp->digests, imp->ndigests, sizeof(*imp->digests), cmp_digest);
	tg_sha256_init(&h);
	for (i = 0; i < imp->ndigests; i++) {
		tg_sha256_update(&h, imp->digests[i], TG_SHA256_HEX - 1);
		tg_sha256_update(&h, "\n", 1);
	}
	tg_sha256_final_hex(&h, out);
}

static int store_meta(void *payload, const char *key, const char *value,
		      tg_err *err)
{
	tg_import *imp = payload;

	return tg_store__meta_insert(imp->st, imp->run, key, value, true, err);
}

static bool meta_key_ok(const char *k)
{
	size_t i, n = strlen(k);

	if (n == 0 || n > TG_MAX_META_KEY)
		return false;
	for (i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' && k[i] <= 'Z') ||
		      (k[i] >= '0' && k[i] <= '9') || k[i] == '_' ||
		      k[i] == '.' || k[i] == '-'))
			return false;
	return true;
}

static int write_meta(tg_import *imp, tg_err *err)
{
	size_t i;

	if (imp->opts.meta_count > TG_MAX_META)
		return tg_err_set(err, TG_EUSAGE, "more than %u --meta pairs",
				  TG_MAX_META);
	if (tg_ci_detect(imp->opts.getenv, imp->opts.getenv_payload,
			 store_meta, imp, err))
		return err->code;
	/* User pairs after CI ones: --meta overrides a detected value. */
	for (i = 0; i < imp->opts.meta_count; i++) {
		const tg_kv *kv = &imp->opts.meta[i];
		if (!meta_key_ok(kv->key))
			return tg_err_set(err, TG_EUSAGE,
					  "meta key '%s' must be 1 to %u of "
					  "A-Z a-z 0-9 _ . -",
					  kv->key, TG_MAX_META_KEY);
		if (strlen(kv->value) > TG_MAX_META_VALUE)
			return tg_err_set(err, TG_EUSAGE,
					  "meta value of '%s' over %u bytes",
					  kv->key, TG_MAX_META_VALUE);
		if (tg_store__meta_insert(imp->st, imp->run, kv->key, kv->value,
					  false, err))
			return err->code;
	}
	return 0;
}

/* The same content was imported before: report that run, write nothing. */
static int finish_duplicate(tg_import *imp, int64_t existing,
			    tg_import_result *out, tg_err *err)
{
	bool truncated = false;

	tg_store__rollback(imp->st);
	imp->finished = true;
	out->duplicate = true;
	out->run_id = existing;
	if (tg_store__run_counts(&out->counts, imp->st, existing, &truncated,
				 err))
		return TG_EDB;
	out->truncated = truncated;
	return 0;
}

static int finish_store(tg_import *imp, tg_import_result *out, tg_err *err)
{
	char digest[TG_SHA256_HEX];
	int64_t existing;

	run_digest(imp, digest);
	if (tg_store__run_find(&existing, imp->st, true, digest, out->run_name,
			       sizeof(out->run_name), err))
		return TG_EDB;
	if (existing)
		return finish_duplicate(imp, existing, out, err);
	if (imp->opts.run_name)
		snprintf(out->run_name, sizeof(out->run_name), "%s",
			 imp->opts.run_name);
	else
		snprintf(out->run_name, sizeof(out->run_name), "run-%.12s",
			 digest);
	if (tg_store__run_find(&existing, imp->st, false, out->run_name, NULL,
			       0, err))
		return TG_EDB;
	if (existing)
		return tg_err_set(err, TG_EEXISTS,
				  "a run named '%s' already exists with "
				  "other content; choose another --run name",
				  out->run_name);
	if (write_meta(imp, err) ||
	    tg_store__run_finish(imp->st, imp->run, imp->first_result,
				 imp->last_result, out->run_name, digest,
				 imp->truncated, &out->counts, imp->opts.diag,
				 imp->opts.diag_payload, err) ||
	    tg_store__run_disagreements(imp->st, imp->run, imp->first_result,
					imp->last_result, imp->opts.diag,
					imp->opts.diag_payload, err) ||
	    tg_store__commit(imp->st, err))
		return err->code;
	out->evidence = imp->evidence;
	out->collection_errors = imp->collection_errors;
	imp->finished = true;
	out->run_id = imp->run;
	return 0;
}

int tg_import_finish(tg_import *imp, tg_import_result *out, tg_err *err)
{
	int rc = guard(imp, err);

	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	if (imp->ndigests == 0) {
		imp->failed = true;
		return tg_err_set(err, TG_EINPUT,
				  "nothing to import: no test report among "
				  "the inputs");
	}
	out->sources = imp->ndigests;
	out->truncated = imp->truncated;
	if (imp->opts.dry_run) {
		imp->finished = true;
		out->counts = imp->dry;
		snprintf(out->run_name, sizeof(out->run_name), "(dry run)");
		return 0;
	}
	rc = finish_store(imp, out, err);
	imp->failed = rc != 0;
	if (rc)
		tg_store__rollback(imp->st);
	return rc;
}
