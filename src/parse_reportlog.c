/*
 * parse_reportlog.c - stream a pytest --report-log (JSON lines) into
 * results, evidence text, collection errors and the session.
 *
 * Knows the record shapes of pytest-reportlog (pytest's own
 * pytest_report_to_serializable for TestReport and CollectReport, the
 * plugin's dict for WarningMessage; ../shared/signatures.md 2.12).
 * Knows nothing of SQLite or of the catalog.
 *
 * Each line is one record, parsed alone with cJSON after the line-length
 * cap.  A test's setup, call and teardown reports (interleaved between
 * workers under xdist) meet in a testtab entry; the test is emitted at
 * its teardown, so a killed run's prefix keeps every finished test.
 * Warnings carry no node id: they follow the teardown of the test that
 * raised them and are given to it.
 */
#include "parse_reportlog.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "collect.h"
#include "err.h"
#include "limits.h"
#include "lines.h"
#include "testtab.h"

typedef struct rl {
	const tg_sink *sink;
	tg_parse_stats *stats;
	tg_err *err;
	tg_lines lines;
	tg_testtab tests;
	tg_collect ce;
	tg_buf last_test;   /* the test whose teardown came last */
	tg_buf version, scratch;
	tg_session sess;
	bool recognized, finished;
	uint64_t bad_lines, first_bad;
	uint64_t cut_records, first_cut; /* read from their prefix */
} rl;

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int text(rl *p, const char *nodeid, const char *section,
		const char *s, size_t n)
{
	tg_text t = {nodeid, "", section, s, n, p->lines.lineno};

	if (!p->sink->text || n == 0)
		return 0;
	return p->sink->text(p->sink->payload, &t, p->err);
}

/* Every line of a multi-line string as text. */
static int text_lines(rl *p, const char *nodeid, const char *section,
		      const char *s)
{
	int rc = 0;

	bool tb = strcmp(section, "traceback") == 0;

	while (rc == 0 && s && *s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		/* code lines of a traceback are not what ran */
		if (!(tb && (strncmp(s, "    ", 4) == 0 || s[0] == '>')))
			rc = text(p, nodeid, section, s, n);
		s += n + (nl != NULL);
	}
	return rc;
}

/* "Captured log call" -> "log call"; other titles as they are. */
static const char *section_name(const char *title)
{
	return strncmp(title, "Captured ", 9) == 0 ? title + 9 : title;
}

/* Whether a section title ("Captured log setup") is of phase when. */
static bool of_phase(const char *title, const char *when)
{
	size_t n = strlen(title), k = strlen(when);

	return n > k && title[n - k - 1] == ' ' &&
	       strcmp(title + n - k, when) == 0;
}

/*
 * The captured sections of a report: [[title, text], ...].  A report
 * repeats the sections of the phases before it (the call report holds
 * "Captured log setup" again), so only its own phase's are read.
 */
static int sections(rl *p, const char *nodeid, const char *when,
		    const cJSON *rep)
{
	const cJSON *secs = cJSON_GetObjectItemCaseSensitive(rep, "sections");
	const cJSON *sec;
	int rc = 0;

	cJSON_ArrayForEach(sec, secs)
	{
		const cJSON *t = cJSON_GetArrayItem(sec, 0);
		const cJSON *body = cJSON_GetArrayItem(sec, 1);
		if (rc || !cJSON_IsString(t) || !cJSON_IsString(body) ||
		    (when && !of_phase(t->valuestring, when)))
			continue;
		rc = text_lines(p, nodeid, section_name(t->valuestring),
				body->valuestring);
	}
	return rc;
}

/*
 * A failure's long representation: a string (collection errors), a
 * [path, line, message] skip, or pytest's serialised traceback whose
 * entries hold the printed lines and the arguments' reprs.  Code lines
 * are left out as on the console: they are not what ran.
 */
static int longrepr(rl *p, const char *nodeid, const cJSON *lr)
{
	const cJSON *tb, *entries, *e;
	int rc = 0;

	if (cJSON_IsString(lr))
		return text_lines(p, nodeid, "traceback", lr->valuestring);
	if (cJSON_IsArray(lr)) {
		const cJSON *m = cJSON_GetArrayItem(lr, 2);
		return cJSON_IsString(m) ? text_lines(p, nodeid, "skip",
						      m->valuestring)
					 : 0;
	}
	tb = cJSON_GetObjectItemCaseSensitive(lr, "reprtraceback");
	entries = cJSON_GetObjectItemCaseSensitive(tb, "reprentries");
	cJSON_ArrayForEach(e, entries)
	{
		const cJSON *data = cJSON_GetObjectItemCaseSensitive(e, "data");
		const cJSON *lines =
			cJSON_GetObjectItemCaseSensitive(data, "lines");
		const cJSON *args = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(data, "reprfuncargs"),
			"args");
		const cJSON *l;

		cJSON_ArrayForEach(l, args)
		{
			const cJSON *k = cJSON_GetArrayItem(l, 0);
			const cJSON *v = cJSON_GetArrayItem(l, 1);
			if (rc || !cJSON_IsString(k) || !cJSON_IsString(v))
				continue;
			tg_buf_reset(&p->scratch);
			tg_buf_printf(&p->scratch, "%s = %s", k->valuestring,
				      v->valuestring);
			rc = p->scratch.failed && !p->scratch.toobig
				     ? tg_err_nomem(p->err)
				     : text(p, nodeid, "traceback",
					    p->scratch.ptr, p->scratch.len);
		}
		cJSON_ArrayForEach(l, lines)
		{
			const char *s = cJSON_IsString(l) ? l->valuestring : "";
			if (rc || strncmp(s, "    ", 4) == 0 || s[0] == '>')
				continue;
			rc = text(p, nodeid, "traceback", s, strlen(s));
		}
	}
	return rc;
}

/* The one-line message of a failure or skip. */
static const char *message_of(const cJSON *lr)
{
	const cJSON *crash;

	if (cJSON_IsArray(lr)) {
		const cJSON *m = cJSON_GetArrayItem(lr, 2);
		return cJSON_IsString(m) ? m->valuestring : NULL;
	}
	crash = cJSON_GetObjectItemCaseSensitive(lr, "reprcrash");
	return str(crash, "message");
}

static int set_message(rl *p, tg_tcase *c, const char *m)
{
	const char *nl;

	if (!m)
		return 0;
	if (strncmp(m, "Skipped: ", 9) == 0)
		m += 9;
	nl = strchr(m, '\n');
	return tg_testtab_message(c, m, nl ? (size_t)(nl - m) : strlen(m),
				  false, p->err);
}

static int emit(rl *p, tg_tcase *c, bool rerun)
{
	const char *id = tg_testtab_id(&p->tests, c);
	const char *sep = strstr(id, "::");
	tg_result r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.nodeid = id;
	r.classname = r.name = r.type = "";
	tg_buf_reset(&p->scratch);
	tg_buf_add(&p->scratch, id, sep ? (size_t)(sep - id) : c->id_len);
	if (p->scratch.failed)
		return tg_err_nomem(p->err);
	r.file = p->scratch.ptr;
	r.report_line = c->line;
	r.outcome = rerun ? TG_FAILED : c->outcome;
	r.rerun = rerun;
	r.status = rerun ? "rerun" : c->status;
	r.message = c->message ? c->message : "";
	/* an earlier attempt's own time was not kept */
	r.has_duration = !rerun && c->dur_mask != 0;
	r.duration = c->dur[0] + c->dur[1] + c->dur[2];
	if ((rc = p->sink->result(p->sink->payload, &r, p->err)) == 0)
		p->stats->results++;
	return rc;
}

static int test_report(rl *p, const cJSON *rep)
{
	const char *id = str(rep, "nodeid"), *when = str(rep, "when");
	const char *outcome = str(rep, "outcome");
	const cJSON *dur = cJSON_GetObjectItemCaseSensitive(rep, "duration");
	const cJSON *lr = cJSON_GetObjectItemCaseSensitive(rep, "longrepr");
	bool xfail = cJSON_GetObjectItemCaseSensitive(rep, "wasxfail") != NULL;
	int phase, rc;
	tg_tcase *c;

	if (!id || !when || !outcome)
		return 0;
	phase = strcmp(when, "setup") == 0 ? 0 : strcmp(when, "call") == 0 ? 1 : 2;
	if (tg_testtab_get(&c, &p->tests, id, strlen(id), true,
			   p->lines.lineno, p->err))
		return p->err->code;
	if (cJSON_IsNumber(dur)) {
		c->dur[phase] = dur->valuedouble;
		c->dur_mask |= (unsigned char)(1u << phase);
	}
	if ((rc = sections(p, id, when, rep)) || (rc = longrepr(p, id, lr)))
		return rc;
	if (phase == 0)
		c->attempt_reran = false; /* an attempt starts */
	if (strcmp(outcome, "rerun") == 0) {
		/* pytest-rerunfailures: this attempt failed, and its report
		 * is its last (10.2 logs no teardown after it); the next
		 * attempt starts afresh, held until the test ends (a log
		 * cut before then stores nothing of the test, as the
		 * warning says) */
		c->reruns++;
		c->attempt_reran = true;
		c->dur_mask = 0;
		c->has_outcome = false;
		c->outcome = TG_PASSED;
		c->status = NULL;
		return 0;
	}
	if (strcmp(outcome, "failed") == 0) {
		tg_outcome o = phase == 1 ? TG_FAILED : TG_ERROR;
		if (!c->has_outcome || c->outcome != TG_ERROR)
			c->outcome = o;
		c->has_outcome = true;
		c->status = phase == 1 ? NULL : phase == 0 ? "setup" : "teardown";
		if ((rc = set_message(p, c, message_of(lr))))
			return rc;
	} else if (strcmp(outcome, "skipped") == 0) {
		c->outcome = TG_SKIPPED;
		c->has_outcome = true;
		c->status = xfail ? "xfail" : NULL;
		if ((rc = set_message(p, c, xfail ? str(rep, "wasxfail")
						  : message_of(lr))))
			return rc;
	} else if (!c->has_outcome) { /* passed */
		c->outcome = TG_PASSED;
		c->has_outcome = true;
		c->status = xfail ? "xpass" : NULL;
	}
	if (phase != 2)
		return 0;
	/* The teardown ends the test, unless it is the teardown of an
	 * attempt that was rerun (a rerunfailures that logs one): that
	 * must not end the test here, with an extra "passed" result and
	 * one attempt too many. */
	tg_buf_reset(&p->last_test);
	tg_buf_adds(&p->last_test, id);
	if (c->attempt_reran) {
		c->attempt_reran = false;
		c->dur_mask = 0;
		c->has_outcome = false;
		c->outcome = TG_PASSED;
		c->status = NULL;
		return 0;
	}
	for (; c->reruns; c->reruns--)
		if ((rc = emit(p, c, true)))
			return rc;
	c->emitted = true;
	return emit(p, c, false);
}

static int collect_report(rl *p, const cJSON *rep)
{
	const char *id = str(rep, "nodeid"), *outcome = str(rep, "outcome");
	const cJSON *lr = cJSON_GetObjectItemCaseSensitive(rep, "longrepr");
	tg_tcase *c;
	int rc;

	/* a module that failed or was skipped as a whole (importorskip) */
	if (!id || !id[0] || !outcome || strcmp(outcome, "passed") == 0)
		return 0;
	if (tg_testtab_get(&c, &p->tests, id, strlen(id), true,
			   p->lines.lineno, p->err))
		return p->err->code;
	c->has_outcome = true;
	c->collection = true;
	c->status = "collection";
	c->outcome = strcmp(outcome, "skipped") == 0 ? TG_SKIPPED : TG_ERROR;
	if ((rc = longrepr(p, id, lr)))
		return rc;
	if (c->outcome == TG_ERROR && cJSON_IsString(lr)) {
		const char *s = lr->valuestring;
		tg_collect_open(&p->ce, id, strlen(id), p->lines.lineno);
		while (*s) {
			const char *nl = strchr(s, '\n');
			size_t n = nl ? (size_t)(nl - s) : strlen(s);
			tg_collect_line(&p->ce, s, n);
			s += n + (nl != NULL);
		}
		if ((rc = tg_collect_close(&p->ce, "", p->sink, p->err)))
			return rc;
		if (p->ce.exc.len) {
			tg_buf_reset(&p->scratch);
			tg_buf_printf(&p->scratch, "%s: %s", p->ce.exc.ptr,
				      p->ce.msg.ptr);
			if (p->scratch.failed && !p->scratch.toobig)
				return tg_err_nomem(p->err);
			if (tg_testtab_message(c, p->scratch.ptr,
					       p->scratch.len, false, p->err))
				return p->err->code;
		}
	} else if ((rc = set_message(p, c, message_of(lr)))) {
		return rc;
	}
	c->emitted = true;
	return emit(p, c, false);
}

/* "category: message" of a warning, given to the test that raised it
 * (the last to finish) or to the run. */
static int warning(rl *p, const cJSON *rep)
{
	const char *cat = str(rep, "category"), *msg = str(rep, "message");
	const char *when = str(rep, "when");
	bool runtest = when && strcmp(when, "runtest") == 0;

	if (!msg)
		return 0;
	tg_buf_reset(&p->scratch);
	tg_buf_printf(&p->scratch, "%s: %s", cat ? cat : "Warning", msg);
	if (p->scratch.failed && !p->scratch.toobig)
		return tg_err_nomem(p->err);
	return text_lines(p, runtest ? p->last_test.ptr : "", "warning",
			  p->scratch.ptr);
}

static int record(rl *p, const cJSON *rep)
{
	const char *type = str(rep, "$report_type");
	const cJSON *v;

	if (!type)
		return 0;
	p->recognized = true;
	if (strcmp(type, "TestReport") == 0)
		return test_report(p, rep);
	if (strcmp(type, "CollectReport") == 0)
		return collect_report(p, rep);
	if (strcmp(type, "WarningMessage") == 0)
		return warning(p, rep);
	if (strcmp(type, "SessionStart") == 0) {
		const char *ver = str(rep, "pytest_version");
		tg_buf_reset(&p->version);
		tg_buf_adds(&p->version, ver ? ver : "");
	} else if (strcmp(type, "SessionFinish") == 0) {
		v = cJSON_GetObjectItemCaseSensitive(rep, "exitstatus");
		p->sess.exit_status = cJSON_IsNumber(v) ? (int64_t)v->valuedouble
							: -1;
		p->finished = true;
	}
	return 0;
}

/*
 * The string value of "key" in the prefix of a JSON record (the record
 * was too long to parse whole): a new cJSON string, or NULL when the key
 * is not there or its value is cut.  Only for keys pytest writes before
 * its long values, at the top level of a record.
 */
static cJSON *prefix_string(const char *line, size_t len, const char *key)
{
	char pat[32];
	const char *at, *end = line + len, *q;
	int n = snprintf(pat, sizeof(pat), "\"%s\": \"", key);

	/* inside a string value every quote is escaped: the pattern is a
	 * key, not text of a traceback */
	if (n <= 0 || (size_t)n >= sizeof(pat) ||
	    !(at = tg_memmem(line, len, pat, (size_t)n)))
		return NULL;
	for (q = at + n; q < end && *q != '"'; q++)
		if (*q == '\\')
			q++;
	if (q >= end)
		return NULL;
	at += n - 1; /* the opening quote */
	return cJSON_ParseWithLength(at, (size_t)(q - at) + 1);
}

/*
 * A record longer than TG_MAX_JSON_LINE (a huge traceback or captured
 * log) cannot be parsed whole, and skipping it lost what it said: a test
 * whose call failed with such a traceback read as passed.  pytest writes
 * "nodeid" and "location" first and "outcome" before "longrepr", "when"
 * and "sections", so the kept prefix names the test and its outcome; the
 * record is rebuilt from them, with a message that says it was cut.  An
 * outcome that cannot be read is a failure: the test is not a pass no
 * one could check.  *used is false when the prefix is not a test
 * report's (the line then counts as skipped).
 */
static int cut_record(rl *p, const char *line, size_t len, bool *used)
{
	cJSON *id = prefix_string(line, len, "nodeid");
	cJSON *outcome = prefix_string(line, len, "outcome");
	cJSON *when = prefix_string(line, len, "when");
	cJSON *rep = NULL, *lr, *crash;
	char msg[160];
	int rc = 0;

	*used = false;
	if (!cJSON_IsString(id) || !tg_memmem(line, len, "\"location\": ", 12))
		goto out;
	snprintf(msg, sizeof(msg),
		 "its report-log record is longer than %u bytes and was not "
		 "read whole%s",
		 TG_MAX_JSON_LINE,
		 cJSON_IsString(outcome) ? "" : ": its outcome is unknown");
	rep = cJSON_CreateObject();
	lr = cJSON_AddObjectToObject(rep, "longrepr");
	crash = lr ? cJSON_AddObjectToObject(lr, "reprcrash") : NULL;
	if (!crash || !cJSON_AddStringToObject(crash, "message", msg) ||
	    !cJSON_AddStringToObject(rep, "nodeid", id->valuestring) ||
	    !cJSON_AddStringToObject(rep, "outcome",
				     cJSON_IsString(outcome)
					     ? outcome->valuestring
					     : "failed") ||
	    !cJSON_AddStringToObject(rep, "when",
				     cJSON_IsString(when) ? when->valuestring
							  : "call")) {
		rc = tg_err_nomem(p->err);
		goto out;
	}
	*used = true;
	p->recognized = true;
	rc = test_report(p, rep);
out:
	cJSON_Delete(id);
	cJSON_Delete(outcome);
	cJSON_Delete(when);
	cJSON_Delete(rep);
	return rc;
}

/* Tests whose teardown never came (a killed run): not complete, so not
 * stored (a teardown error may be what is missing); counted. */
static size_t unfinished(const rl *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->tests.n; i++)
		n += !p->tests.v[i].emitted;
	return n;
}

static void warn(rl *p, uint64_t line, const char *msg)
{
	if (p->sink->warn)
		p->sink->warn(p->sink->payload, line, 0, UINT64_MAX, msg);
}

static int finish(rl *p, tg_source *src)
{
	char msg[200];

	if (!p->recognized) {
		p->stats->unrecognized = true;
		return tg_err_setloc(p->err, TG_EINPUT, src->name,
				     p->first_bad, 0,
				     "'%s' is not a pytest report-log: no "
				     "record with a \"$report_type\"",
				     src->name);
	}
	if (p->cut_records) {
		snprintf(msg, sizeof(msg),
			 "%llu test record%s longer than %u bytes: read from "
			 "%s first part (the test and its outcome); the first "
			 "is line %llu",
			 (unsigned long long)p->cut_records,
			 p->cut_records == 1 ? " was" : "s were",
			 TG_MAX_JSON_LINE,
			 p->cut_records == 1 ? "its" : "their",
			 (unsigned long long)p->first_cut);
		warn(p, p->first_cut, msg);
	}
	if (p->bad_lines) {
		snprintf(msg, sizeof(msg),
			 "%llu line%s skipped (not %s, or longer than %u "
			 "bytes); the first is line %llu",
			 (unsigned long long)p->bad_lines,
			 p->bad_lines == 1 ? " was" : "s were",
			 p->bad_lines == 1 ? "a JSON record" : "JSON records",
			 TG_MAX_JSON_LINE,
			 (unsigned long long)p->first_bad);
		warn(p, p->first_bad, msg);
	}
	if (!p->finished) {
		size_t n = unfinished(p);
		p->stats->truncated = true;
		p->stats->truncated_at = src->bytes;
		snprintf(msg, sizeof(msg),
			 "the report-log ends without its SessionFinish "
			 "record (cut off, or pytest was killed); %zu test%s "
			 "had not finished and %s not stored",
			 n, n == 1 ? "" : "s", n == 1 ? "is" : "are");
		warn(p, p->lines.lineno, msg);
	}
	p->sess.tool = "pytest";
	p->sess.tool_version = p->version.ptr;
	p->sess.python_version = p->sess.platform = p->sess.plugins = "";
	p->sess.summary = "";
	return p->sink->session ? p->sink->session(p->sink->payload, &p->sess,
						   p->err)
				: 0;
}

int tg_reportlog_parse(tg_source *src, const tg_parse_opts *opts,
		       const tg_sink *sink, tg_parse_stats *stats, tg_err *err)
{
	const int64_t unknown = -1;
	const char *line;
	size_t len;
	rl p;
	int rc;

	(void)opts;
	memset(&p, 0, sizeof(p));
	p.sink = sink;
	p.stats = stats;
	p.err = err;
	tg_lines_init(&p.lines, src, TG_MAX_JSON_LINE, false);
	tg_collect_init(&p.ce);
	tg_buf_init(&p.last_test, TG_MAX_NAME);
	tg_buf_init(&p.version, 256);
	tg_buf_init(&p.scratch, TG_MAX_MESSAGE);
	p.sess.collected = p.sess.collect_errors = p.sess.deselected =
		p.sess.collect_skipped = unknown;
	p.sess.passed = p.sess.failed = p.sess.errors = p.sess.skipped =
		unknown;
	p.sess.xfailed = p.sess.xpassed = p.sess.warnings = p.sess.rerun =
		unknown;
	p.sess.exit_status = unknown;
	while ((rc = tg_lines_next(&p.lines, &line, &len, err)) == 1) {
		cJSON *rep;

		if (len == 0 || (len == 1 && line[0] == '\r'))
			continue;
		if (p.lines.cut) {
			bool used;
			if ((rc = cut_record(&p, line, len, &used)) != 0)
				break;
			if (used) {
				if (!p.cut_records++)
					p.first_cut = p.lines.lineno;
				continue;
			}
		}
		rep = p.lines.cut ? NULL : cJSON_ParseWithLength(line, len);
		if (!cJSON_IsObject(rep)) {
			if (!p.bad_lines++)
				p.first_bad = p.lines.lineno;
			cJSON_Delete(rep);
			continue;
		}
		rc = record(&p, rep);
		cJSON_Delete(rep);
		if (rc)
			break;
		if ((p.scratch.failed && !p.scratch.toobig) ||
		    p.last_test.failed || p.version.failed) {
			rc = tg_err_nomem(err);
			break;
		}
	}
	if (rc == 0)
		rc = finish(&p, src);
	tg_testtab_release(&p.tests);
	tg_collect_release(&p.ce);
	tg_buf_release(&p.last_test);
	tg_buf_release(&p.version);
	tg_buf_release(&p.scratch);
	tg_lines_release(&p.lines);
	return rc;
}

int tg_reportlog_sniff(const unsigned char *head, size_t n)
{
	size_t i = 0;

	while (i < n && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r'))
		i++;
	if (i >= n || head[i] != '{')
		return 0;
	return tg_memmem(head, n, "\"$report_type\"", 14) ? 95 : 0;
}
