/*
 * parse_pytest.c - stream pytest console output into results, evidence
 * text, collection errors and the session's own summary.
 *
 * Knows pytest's console grammar from 3.x to 9.x (../shared/signatures.md
 * section 2): the header, -v/-vv/-q progress, xdist and live-log lines,
 * the ERRORS/FAILURES/PASSES sections with their captured output, the
 * warnings summary, --durations, the short summary and the final line.
 * Knows nothing of SQLite or of the signal catalog: lines that may carry
 * evidence go to the sink's text() with the test they belong to.
 *
 * One pass; memory is one line plus one record per test (testtab.h),
 * because a test's outcome, durations and output arrive in different
 * sections.  Results are emitted when the log ends.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "parse_pytest.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "collect.h"
#include "err.h"
#include "limits.h"
#include "lines.h"
#include "testtab.h"

/* ---- the grammar ------------------------------------------------------- */

enum {
	P_FINAL,
	P_BANNER,
	P_PLATFORM,
	P_PLUGINS,
	P_ROOTDIR,
	P_COLLECTED,
	P_XDIST_ITEMS,
	P_PROGRESS,
	P_OUTCOME_ONLY,
	P_XDIST,
	P_START,
	P_TEST_HEADER,
	P_CAPTURED,
	P_DURATION,
	P_HIDDEN,
	P_SUMMARY,
	P_SKIPPED,
	P_INTERRUPTED,
	P_MAXFAIL,
	P_DOTS,
	P_WARN_MSG,
	P_IMPORT_HDR,
	P_EXC,
	P_COUNT
};

#define OUTCOMES "PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS|RERUN"
#define TG_GRAMMAR_MATCH_LIMIT 200000u

/* From signatures.md section 2, widened where real logs differ (pytest 2
 * and 4 write "in 0.01 seconds"; -q drops the = padding). */
static const char *const grammar[P_COUNT] = {
	[P_FINAL] = "^(?:=+ )?((?:\\d+ (?:failed|passed|skipped|deselected|"
		    "xfailed|xpassed|warnings?|errors?|rerun|error)(?:, )?)+|"
		    "no tests ran)(?: in (\\d+(?:\\.\\d+)?)(?:s| seconds)"
		    "(?: \\((\\d+:\\d{2}:\\d{2})\\))?)(?: =+)?$",
	[P_BANNER] = "^=+ (.+?) =+$",
	[P_PLATFORM] = "^platform (\\S+) -- Python ([\\d.]+[^\\s,]*)"
		       "(?:.*?pytest-([\\d.]+[^\\s,]*))?",
	[P_PLUGINS] = "^plugins: (.+)$",
	[P_ROOTDIR] = "^rootdir: ([^,]+)",
	[P_COLLECTED] = "^(?:collecting \\.\\.\\. )?collected (\\d+) items?"
			"(?: / (\\d+) errors?)?(?: / (\\d+) deselected)?"
			"(?: / (\\d+) skipped)?(?: / (\\d+) selected)?",
	[P_XDIST_ITEMS] = "^gw\\d+ \\[(\\d+)\\](?: / gw\\d+ \\[\\d+\\])*$",
	/* the "[ 44%]" is missing under -s (capture=no) and
	 * console_output_style=classic */
	[P_PROGRESS] = "^(\\S.*?) (" OUTCOMES ")(?: \\((.*)\\))?"
		       "(?:\\s+\\[\\s*\\d+(?:%|/\\d+)\\])?$",
	[P_OUTCOME_ONLY] = "^(" OUTCOMES ")(?: \\((.*)\\))?"
			   "(?:\\s+\\[\\s*\\d+(?:%|/\\d+)\\])?$",
	[P_XDIST] = "^\\[gw\\d+\\] (?:\\[\\s*\\d+%\\] )?(" OUTCOMES ") "
		    "(.+?)\\s*$",
	/* a test starting: its id, then a space and what it printed
	 * under -s (nothing, before a live log) */
	[P_START] = "^(\\S+\\.py::[^\\s\\[]+(?:\\[.*?\\])?) (.*)$",
	[P_TEST_HEADER] = "^_+ (.+?) _+$",
	[P_CAPTURED] = "^-+ (Captured (stdout|stderr|log) (setup|call|"
		       "teardown)|live log (\\w+)) -+$",
	[P_DURATION] = "^(\\d+\\.\\d+)s (setup|call|teardown)\\s+(\\S.*)$",
	[P_HIDDEN] = "^\\((\\d+) durations? < [\\d.e-]+s hidden\\.",
	[P_SUMMARY] = "^(PASSED|FAILED|ERROR|XFAIL|XPASS) "
		      "(\\S+?(?:\\[.*\\])?)(?:(?: - | )(.*))?$",
	[P_SKIPPED] = "^SKIPPED \\[(\\d+)\\] (.+?):(\\d+): (.*)$",
	[P_INTERRUPTED] = "^!+ Interrupted: (\\d+) errors? during collection",
	/* -x or --maxfail, also as xdist reports it */
	[P_MAXFAIL] = "^!+ (?:xdist\\.dsession\\.Interrupted: )?stopping after "
		      "(\\d+) failures? !+$",
	[P_DOTS] = "^(?:\\S+\\.py )?[.FEsxXR]+\\s*\\[\\s*\\d+(?:%|/\\d+)\\]$|"
		   "^\\S+\\.py [.FEsxXR]+$",
	[P_WARN_MSG] = "^  (\\S.*?):(\\d+): ([A-Za-z_][\\w.]*): (.*)$",
	[P_IMPORT_HDR] = "^ImportError while (importing test module|loading "
			 "conftest) '([^']+)'\\.?$",
	[P_EXC] = "^E\\s+([A-Za-z_][\\w.]*): (.*)$",
};

typedef enum section {
	SEC_NONE,     /* before a session, after its final line */
	SEC_PROGRESS, /* test session starts: header and progress */
	SEC_BLOCKS,   /* ERRORS, FAILURES, PASSES: per-test blocks */
	SEC_WARNINGS,
	SEC_DURATIONS,
	SEC_SUMMARY,
	SEC_OTHER,    /* a section we do not read */
} section;

typedef struct span {
	size_t off, len;
} span;

typedef struct pp {
	const tg_sink *sink;
	tg_parse_stats *stats;
	tg_err *err;
	tg_lines lines;
	const char *line;
	size_t len;
	pcre2_code *re[P_COUNT];
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	tg_testtab tests;

	bool recognized, in_session, final_seen, had_session;
	/* the log is pytest stopping on a conftest that failed to import
	 * (exit 4): that is its whole output, with no summary line */
	bool conftest_exit;
	section sec;
	uint64_t named_results;   /* progress/summary lines with a node id */
	uint64_t dot_results;     /* results shown as progress characters */

	/* the test a per-test block of ERRORS/FAILURES/PASSES is about */
	tg_buf block_id, block_head;
	bool block_collect;
	const char *capture;      /* "traceback", "log call", ... */
	tg_collect ce;            /* a collection error being read */
	/* the test running in -v/live-log output */
	tg_buf running;
	/* where the lines between progress lines go: a live log, or what
	 * the running test printed under -s; NULL: nowhere */
	const char *live;         /* the section: "live log", "output" */
	bool live_test;           /* the running test's, not the session's */
	/* a warnings-summary block: locations, then message lines */
	tg_buf w_locs, w_text;
	bool w_in_text, w_after_msg;

	tg_buf unresolved;        /* headlines not known when seen, \n-separated */
	size_t nunresolved;

	/* the session */
	tg_buf version, python, platform, plugins, rootdir, summary;
	tg_session sess;
	bool durations_all;       /* "slowest durations": --durations=0 */
	tg_buf scratch, scratch2;
} pp;

/* ---- helpers ----------------------------------------------------------- */

static bool match(pp *p, int which)
{
	return pcre2_match(p->re[which], (PCRE2_SPTR)p->line, p->len, 0,
			   PCRE2_NO_UTF_CHECK, p->md, p->mctx) >= 0;
}

/* Group g of the last match as a span of the line ({0,0} if unset). */
static span group(const pp *p, uint32_t g)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
	span s = {0, 0};

	if (g < pcre2_get_ovector_count(p->md) && ov[2 * g] != PCRE2_UNSET) {
		s.off = ov[2 * g];
		s.len = ov[2 * g + 1] - ov[2 * g];
	}
	return s;
}

static void set_group(tg_buf *b, const pp *p, uint32_t g)
{
	span s = group(p, g);

	tg_buf_reset(b);
	tg_buf_add(b, p->line + s.off, s.len);
}

static int64_t group_int(const pp *p, uint32_t g, int64_t dflt)
{
	span s = group(p, g);
	int64_t v = 0;
	size_t i;

	if (!s.len)
		return dflt;
	for (i = 0; i < s.len && i < 18; i++)
		v = v * 10 + (p->line[s.off + i] - '0');
	return v;
}

static bool starts(const pp *p, const char *prefix)
{
	size_t n = strlen(prefix);

	return p->len >= n && memcmp(p->line, prefix, n) == 0;
}

static int nomem(pp *p)
{
	return tg_err_nomem(p->err);
}

static bool bufs_failed(const tg_buf *const *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i]->failed && !b[i]->toobig)
			return true;
	return false;
}

static void warn(pp *p, uint64_t line, const char *msg)
{
	if (p->sink->warn)
		p->sink->warn(p->sink->payload, line, 0, UINT64_MAX, msg);
}

/* Hand a line to the sink for evidence, attributed to nodeid or, when
 * that is empty, to headline (resolved at the end). */
static int text(pp *p, const char *nodeid, const char *headline,
		const char *sect, const char *s, size_t n)
{
	tg_text t = {nodeid, headline, sect, s, n, p->lines.lineno};

	if (!p->sink->text || n == 0)
		return 0;
	return p->sink->text(p->sink->payload, &t, p->err);
}

static bool outcome_of(const char *w, size_t n, tg_outcome *o,
		       const char **status)
{
	static const struct {
		const char *word;
		tg_outcome o;
		const char *status;
	} map[] = {
		{"PASSED", TG_PASSED, NULL},  {"FAILED", TG_FAILED, NULL},
		{"ERROR", TG_ERROR, NULL},    {"SKIPPED", TG_SKIPPED, NULL},
		{"XFAIL", TG_SKIPPED, "xfail"}, {"XPASS", TG_PASSED, "xpass"},
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strlen(map[i].word) == n && memcmp(map[i].word, w, n) == 0) {
			*o = map[i].o;
			*status = map[i].status;
			return true;
		}
	return false;
}

/* An outcome line of test id: phases of one attempt merge to the worst
 * (a pass with a teardown error is an error); RERUN starts an attempt. */
static int record(pp *p, const char *id, size_t idlen, const char *word,
		  size_t wlen, const char *msg, size_t msglen)
{
	tg_tcase *c;
	tg_outcome o;
	const char *status;
	static const int rank[] = {[TG_SKIPPED] = 0, [TG_PASSED] = 1,
				   [TG_FAILED] = 2, [TG_ERROR] = 3};

	if (tg_testtab_get(&c, &p->tests, id, idlen, true, p->lines.lineno,
			   p->err))
		return p->err->code;
	p->named_results++;
	if (wlen == 5 && memcmp(word, "RERUN", 5) == 0) {
		c->reruns++;
		c->has_outcome = false;
		c->status = NULL;
		return 0;
	}
	if (!outcome_of(word, wlen, &o, &status))
		return 0;
	if (!c->has_outcome || rank[o] > rank[c->outcome]) {
		c->outcome = o;
		c->has_outcome = true;
		if (status || o != TG_PASSED)
			c->status = status;
	}
	if (msglen && tg_testtab_message(c, msg, msglen, false, p->err))
		return p->err->code;
	/* a skip's reason (-v and -rA print it) is the test's own word on
	 * why it did not run, "backend unreachable": the catalog reads it */
	if (msglen && o == TG_SKIPPED && !status &&
	    text(p, tg_testtab_id(&p->tests, c), "", "skip reason", msg,
		 msglen))
		return p->err->code;
	return 0;
}

/* ---- the session header and the final line ---------------------------- */

static void count_word(tg_session *s, const char *w, size_t n, int64_t v)
{
	static const struct {
		const char *w;
		size_t off;
	} map[] = {
		{"passed", offsetof(tg_session, passed)},
		{"failed", offsetof(tg_session, failed)},
		{"error", offsetof(tg_session, errors)},
		{"errors", offsetof(tg_session, errors)},
		{"skipped", offsetof(tg_session, skipped)},
		{"xfailed", offsetof(tg_session, xfailed)},
		{"xpassed", offsetof(tg_session, xpassed)},
		{"warning", offsetof(tg_session, warnings)},
		{"warnings", offsetof(tg_session, warnings)},
		{"rerun", offsetof(tg_session, rerun)},
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strlen(map[i].w) == n && memcmp(map[i].w, w, n) == 0)
			*(int64_t *)((char *)s + map[i].off) = v;
}

static void final_line(pp *p)
{
	span counts = group(p, 1), secs = group(p, 2);
	const char *s = p->line + counts.off, *end = s + counts.len;
	tg_session *ss = &p->sess;

	ss->passed = ss->failed = ss->errors = ss->skipped = 0;
	ss->xfailed = ss->xpassed = ss->warnings = ss->rerun = 0;
	while (s < end) {
		int64_t v = 0;
		const char *w;

		if (*s < '0' || *s > '9')
			break; /* "no tests ran" */
		while (s < end && *s >= '0' && *s <= '9')
			v = v * 10 + (*s++ - '0');
		w = ++s;
		while (s < end && *s != ',')
			s++;
		count_word(ss, w, (size_t)(s - w), v);
		s += 2;
	}
	if (secs.len) {
		ss->has_duration = true;
		ss->duration = strtod(p->line + secs.off, NULL);
	}
	tg_buf_reset(&p->summary);
	tg_buf_add(&p->summary, p->line, p->len);
	ss->line = p->lines.lineno;
	p->final_seen = true;
}

static void header_line(pp *p)
{
	if (match(p, P_PLATFORM)) {
		set_group(&p->platform, p, 1);
		set_group(&p->python, p, 2);
		set_group(&p->version, p, 3);
	} else if (match(p, P_PLUGINS)) {
		set_group(&p->plugins, p, 1);
	} else if (match(p, P_ROOTDIR)) {
		set_group(&p->rootdir, p, 1);
	} else if (match(p, P_COLLECTED)) {
		p->sess.collected = group_int(p, 1, -1);
		p->sess.collect_errors = group_int(p, 2, 0);
		p->sess.deselected = group_int(p, 3, 0);
		p->sess.collect_skipped = group_int(p, 4, 0);
	} else if (match(p, P_XDIST_ITEMS)) {
		p->sess.collected = group_int(p, 1, -1);
	}
}

/* ---- collection errors ------------------------------------------------- */

/* Finish the collection error being read: to the sink, and its exception
 * as the message of the module's result. */
static int ce_close(pp *p)
{
	tg_tcase *c;
	int rc;

	if (!p->ce.open)
		return 0;
	if ((rc = tg_collect_close(&p->ce, p->rootdir.ptr, p->sink, p->err)))
		return rc;
	if (!p->ce.exc.len)
		return 0;
	if (tg_testtab_get(&c, &p->tests, p->ce.path.ptr, p->ce.path.len,
			   false, 0, p->err))
		return p->err->code;
	tg_buf_reset(&p->scratch);
	tg_buf_printf(&p->scratch, "%s: %s", p->ce.exc.ptr, p->ce.msg.ptr);
	if (p->scratch.failed && !p->scratch.toobig)
		return nomem(p);
	if (c && tg_testtab_message(c, p->scratch.ptr, p->scratch.len, false,
				    p->err))
		return p->err->code;
	return 0;
}

/* ---- per-test blocks (ERRORS, FAILURES, PASSES) ------------------------ */

static int note_unresolved(pp *p, const char *h, size_t n)
{
	if (p->nunresolved >= 100000)
		return 0; /* beyond this, such text stays run-level */
	tg_buf_add(&p->unresolved, h, n);
	tg_buf_addc(&p->unresolved, '\n');
	p->nunresolved++;
	return p->unresolved.failed && !p->unresolved.toobig ? nomem(p) : 0;
}

/* "____ title ____" in a per-test section: whose block this is. */
static int block_header(pp *p)
{
	span t = group(p, 1);
	const char *title = p->line + t.off;
	size_t n = t.len;
	static const char *const pre[] = {"ERROR collecting ",
					  "ERROR at setup of ",
					  "ERROR at teardown of "};
	bool ambiguous;
	tg_tcase *c;
	size_t i;
	int rc;

	if ((rc = ce_close(p)) != 0)
		return rc;
	tg_buf_reset(&p->block_id);
	tg_buf_reset(&p->block_head);
	p->block_collect = false;
	p->capture = "traceback";
	for (i = 0; i < 3; i++) {
		size_t k = strlen(pre[i]);
		if (n > k && memcmp(title, pre[i], k) == 0) {
			title += k;
			n -= k;
			break;
		}
	}
	if (i == 0) { /* a module that failed to collect */
		p->block_collect = true;
		tg_buf_add(&p->block_id, title, n);
		if ((rc = record(p, title, n, "ERROR", 5, NULL, 0)) != 0)
			return rc;
		if (tg_testtab_get(&c, &p->tests, title, n, false, 0, p->err))
			return p->err->code;
		c->collection = true;
		c->status = "collection";
		tg_collect_open(&p->ce, title, n, p->lines.lineno);
		return 0;
	}
	c = tg_testtab_by_headline(&p->tests, title, n, &ambiguous);
	if (c) {
		tg_buf_add(&p->block_id, tg_testtab_id(&p->tests, c),
			   c->id_len);
		return 0;
	}
	tg_buf_add(&p->block_head, title, n);
	return ambiguous ? 0 : note_unresolved(p, title, n);
}

/* "Captured log call" -> "log call": a static name for the section. */
static const char *capture_name(const pp *p)
{
	static const char *const names[3][3] = {
		{"stdout setup", "stdout call", "stdout teardown"},
		{"stderr setup", "stderr call", "stderr teardown"},
		{"log setup", "log call", "log teardown"},
	};
	span k = group(p, 2), ph = group(p, 3);
	int kind = k.len == 3 ? 2 : p->line[k.off + 3] == 'o' ? 0 : 1;
	int phase = ph.len == 5 ? 0 : ph.len == 4 ? 1 : 2;

	return names[kind][phase];
}

static int block_line(pp *p)
{
	if (match(p, P_CAPTURED)) {
		if (group(p, 2).len)
			p->capture = capture_name(p);
		return 0;
	}
	if (p->block_collect) {
		tg_collect_line(&p->ce, p->line, p->len);
	} else if (p->block_id.len && strcmp(p->capture, "traceback") == 0 &&
		   match(p, P_EXC)) {
		/* the first "E   Exception: text" is the message, when the
		 * short summary gives none */
		span e = group(p, 1);
		tg_tcase *c;
		if (tg_testtab_get(&c, &p->tests, p->block_id.ptr,
				   p->block_id.len, false, 0, p->err))
			return p->err->code;
		if (c && tg_testtab_message(c, p->line + e.off, p->len - e.off,
					    false, p->err))
			return p->err->code;
	}
	/* Source lines of a traceback are code, not what ran: "    def"
	 * and ">       assert".  Argument values ("client = <MagicMock
	 * ...>") and E lines stay. */
	if (strcmp(p->capture, "traceback") == 0 &&
	    (starts(p, "    ") || starts(p, "> ") || starts(p, ">\t")))
		return 0;
	return text(p, p->block_id.ptr, p->block_head.ptr, p->capture, p->line,
		    p->len);
}

/* ---- warnings summary -------------------------------------------------- */

/* Emit the block's message lines once per distinct location. */
static int warn_flush(pp *p)
{
	const char *loc = p->w_locs.ptr, *end = loc + p->w_locs.len;
	const char *prev = NULL;
	size_t prevn = 0;
	bool runlevel = false;
	int rc = 0;

	while (rc == 0 && loc < end) {
		const char *nl = memchr(loc, '\n', (size_t)(end - loc));
		size_t n = nl ? (size_t)(nl - loc) : (size_t)(end - loc);
		bool is_test = tg_memmem(loc, n, "::", 2) != NULL;

		if (!(prev && prevn == n && memcmp(prev, loc, n) == 0)) {
			if (is_test) {
				tg_buf_reset(&p->scratch2);
				tg_buf_add(&p->scratch2, loc, n);
			}
			if (is_test || !runlevel) {
				const char *t = p->w_text.ptr;
				const char *tend = t + p->w_text.len;
				runlevel = runlevel || !is_test;
				while (rc == 0 && t < tend) {
					const char *tn = memchr(
						t, '\n', (size_t)(tend - t));
					size_t k = tn ? (size_t)(tn - t)
						      : (size_t)(tend - t);
					rc = text(p, is_test ? p->scratch2.ptr
							     : "",
						  "", "warning", t, k);
					t += k + 1;
				}
			}
		}
		prev = loc;
		prevn = n;
		loc += n + 1;
	}
	tg_buf_reset(&p->w_locs);
	tg_buf_reset(&p->w_text);
	p->w_in_text = false;
	return rc;
}

static int warnings_line(pp *p)
{
	if (p->len == 0)
		return warn_flush(p);
	if (starts(p, "-- Docs: ")) {
		p->sec = SEC_OTHER;
		return warn_flush(p);
	}
	if (p->line[0] != ' ') { /* a location: node id, file or file: N */
		int rc = p->w_in_text ? warn_flush(p) : 0;
		tg_buf_add(&p->w_locs, p->line, p->len);
		tg_buf_addc(&p->w_locs, '\n');
		return rc;
	}
	/* the source line under "  file:line: Category: message" is the
	 * code that warned, not the warning */
	if (p->w_after_msg && starts(p, "    ")) {
		p->w_after_msg = false;
		return 0;
	}
	p->w_after_msg = match(p, P_WARN_MSG);
	p->w_in_text = true;
	tg_buf_add(&p->w_text, p->line, p->len);
	tg_buf_addc(&p->w_text, '\n');
	return 0;
}

/* ---- progress ---------------------------------------------------------- */

static int progress_line(pp *p)
{
	span a, b, c;

	if (match(p, P_XDIST)) {
		a = group(p, 2);
		b = group(p, 1);
		p->live = NULL; /* tests run side by side: none is "running" */
		return record(p, p->line + a.off, a.len, p->line + b.off, b.len,
			      NULL, 0);
	}
	if (match(p, P_PROGRESS)) {
		a = group(p, 1);
		b = group(p, 2);
		c = group(p, 3);
		if (tg_memmem(p->line + a.off, a.len, "::", 2) ||
		    (a.len > 3 && memcmp(p->line + a.off + a.len - 3, ".py",
					 3) == 0)) {
			tg_buf_reset(&p->running);
			p->live = NULL;
			return record(p, p->line + a.off, a.len,
				      p->line + b.off, b.len, p->line + c.off,
				      c.len);
		}
	}
	if (match(p, P_OUTCOME_ONLY) && p->running.len) {
		a = group(p, 1);
		c = group(p, 2);
		p->live = NULL;
		return record(p, p->running.ptr, p->running.len,
			      p->line + a.off, a.len, p->line + c.off, c.len);
	}
	if (match(p, P_START)) {
		span out = group(p, 2);
		set_group(&p->running, p, 1);
		p->live = "output";
		p->live_test = true;
		return text(p, p->running.ptr, "", p->live, p->line + out.off,
			    out.len);
	}
	if (match(p, P_CAPTURED) && group(p, 4).len) {
		span w = group(p, 4);
		bool per_test = (w.len == 4 && !memcmp(p->line + w.off, "call", 4)) ||
				(w.len == 5 && !memcmp(p->line + w.off, "setup", 5)) ||
				(w.len == 8 && !memcmp(p->line + w.off, "teardown", 8));
		p->live_test = per_test && p->running.len;
		p->live = p->live_test ? "live log" : "live log session";
		return 0;
	}
	if (match(p, P_DOTS)) {
		/* count the progress characters: the run of them before the
		 * "[ 44%]" (not the dots of the file name before it) */
		size_t i = p->len;
		if (p->line[i - 1] == ']')
			while (i && p->line[i - 1] != '[')
				i--;
		while (i && (p->line[i - 1] == ' ' || p->line[i - 1] == '['))
			i--;
		while (i && strchr(".FEsxXR", p->line[i - 1])) {
			p->dot_results++;
			i--;
		}
		return 0;
	}
	if (p->live)
		return text(p, p->live_test ? p->running.ptr : "", "", p->live,
			    p->line, p->len);
	header_line(p);
	return 0;
}

/* ---- durations and the short summary ----------------------------------- */

static int duration_line(pp *p)
{
	span s, w, id;
	tg_tcase *c;
	int phase;

	if (!match(p, P_DURATION))
		return 0;
	s = group(p, 1);
	w = group(p, 2);
	id = group(p, 3);
	if (tg_testtab_get(&c, &p->tests, p->line + id.off, id.len, true,
			   p->lines.lineno, p->err))
		return p->err->code;
	phase = p->line[w.off] == 's' ? 0 : p->line[w.off] == 'c' ? 1 : 2;
	c->dur[phase] = strtod(p->line + s.off, NULL);
	c->dur_mask |= (unsigned char)(1u << phase);
	return 0;
}

static int summary_line(pp *p)
{
	span a, b, c;

	if (match(p, P_SKIPPED)) /* grouped skips name no test */
		return text(p, "", "", "summary", p->line, p->len);
	if (!match(p, P_SUMMARY))
		return 0;
	a = group(p, 1);
	b = group(p, 2);
	c = group(p, 3);
	return record(p, p->line + b.off, b.len, p->line + a.off, a.len,
		      p->line + c.off, c.len);
}

/* ---- dispatch ---------------------------------------------------------- */

static section section_of(const char *t, size_t n)
{
	static const struct {
		const char *title;
		section sec;
	} map[] = {
		{"test session starts", SEC_PROGRESS},
		{"ERRORS", SEC_BLOCKS},
		{"FAILURES", SEC_BLOCKS},
		{"PASSES", SEC_BLOCKS},
		{"XFAILURES", SEC_BLOCKS},
		{"XPASSES", SEC_BLOCKS},
		{"warnings summary", SEC_WARNINGS},
		{"warnings summary (final)", SEC_WARNINGS},
		{"short test summary info", SEC_SUMMARY},
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strlen(map[i].title) == n && memcmp(map[i].title, t, n) == 0)
			return map[i].sec;
	if (n >= 16 && memcmp(t, "slowest ", 8) == 0 &&
	    memcmp(t + n - 9, "durations", 9) == 0)
		return SEC_DURATIONS;
	return SEC_OTHER;
}

static int next_session(pp *p);

/* A banner line: a new section, or the final line. */
static int banner(pp *p)
{
	span t = group(p, 1);
	section s = section_of(p->line + t.off, t.len);
	int rc = 0;

	if (p->sec == SEC_WARNINGS)
		rc = warn_flush(p);
	if (rc == 0)
		rc = ce_close(p);
	if (s == SEC_PROGRESS) {
		/* a second session in one log (a CI job running pytest
		 * twice): the first one's record goes out as it was */
		if (rc == 0 && p->had_session)
			rc = next_session(p);
		p->had_session = true;
		p->in_session = true;
		p->final_seen = false;
		p->conftest_exit = false;
	}
	if (s == SEC_DURATIONS)
		p->durations_all = t.len == 17; /* "slowest durations" */
	p->recognized = p->recognized || s != SEC_OTHER;
	p->sec = s;
	p->live = NULL;
	tg_buf_reset(&p->block_id);
	tg_buf_reset(&p->block_head);
	p->block_collect = false;
	return rc;
}

static int dispatch(pp *p)
{
	if (match(p, P_FINAL)) {
		int rc = p->sec == SEC_WARNINGS ? warn_flush(p) : 0;
		if (rc == 0)
			rc = ce_close(p);
		final_line(p);
		p->recognized = true;
		p->in_session = false;
		p->sec = SEC_NONE;
		return rc;
	}
	if (p->line[0] == '=' && match(p, P_BANNER))
		return banner(p);
	if (match(p, P_INTERRUPTED)) {
		p->sess.interrupted = true;
		return 0;
	}
	if (p->line[0] == '!' && match(p, P_MAXFAIL)) {
		p->sess.stopped_after = group_int(p, 1, 0);
		return 0;
	}
	switch (p->sec) {
	case SEC_NONE:
		/* before any banner: an excerpt may start anywhere, and
		 * pytest -q prints no header before its progress
		 * characters; a progress line is known here only by its
		 * "[ 44%]" (after a session, other output follows) */
		if ((p->len && p->line[p->len - 1] == ']' &&
		     (match(p, P_PROGRESS) || match(p, P_DOTS))) ||
		    match(p, P_XDIST) || match(p, P_COLLECTED)) {
			p->recognized = true;
			p->in_session = true;
			p->sec = SEC_PROGRESS;
			return progress_line(p);
		}
		if (match(p, P_IMPORT_HDR)) { /* a conftest failed: exit 4 */
			span w = group(p, 1), f = group(p, 2);
			p->recognized = true;
			p->in_session = true;
			p->sec = SEC_BLOCKS;
			if (w.len > 9 && p->line[w.off] == 'l') {
				p->conftest_exit = true;
				p->block_collect = true;
				p->capture = "traceback";
				tg_buf_reset(&p->block_id);
				tg_buf_add(&p->block_id, p->line + f.off, f.len);
				tg_collect_open(&p->ce, p->line + f.off, f.len,
						p->lines.lineno);
				return text(p, "", "", "traceback", p->line,
					    p->len);
			}
		}
		return 0;
	case SEC_PROGRESS:
		return progress_line(p);
	case SEC_BLOCKS:
		if (p->line[0] == '_' && match(p, P_TEST_HEADER))
			return block_header(p);
		return block_line(p);
	case SEC_WARNINGS:
		return warnings_line(p);
	case SEC_DURATIONS:
		return duration_line(p);
	case SEC_SUMMARY:
		return summary_line(p);
	case SEC_OTHER:
		return 0;
	}
	return 0;
}

/* ---- the end: results, aliases, the session ---------------------------- */

static int emit_results(pp *p)
{
	size_t i;
	uint64_t unnamed = 0;

	for (i = 0; i < p->tests.n; i++) {
		tg_tcase *c = &p->tests.v[i];
		const char *id = tg_testtab_id(&p->tests, c);
		const char *sep = strstr(id, "::");
		tg_result r;
		unsigned k;
		int rc = 0;

		if (!c->has_outcome) {
			unnamed++;
			continue;
		}
		memset(&r, 0, sizeof(r));
		r.nodeid = id;
		r.classname = "";
		r.name = "";
		tg_buf_reset(&p->scratch);
		tg_buf_add(&p->scratch, id, sep ? (size_t)(sep - id) : c->id_len);
		if (p->scratch.failed)
			return nomem(p);
		r.file = p->scratch.ptr;
		r.report_line = c->line;
		r.type = "";
		for (k = 0; rc == 0 && k < c->reruns; k++) {
			r.outcome = TG_FAILED;
			r.rerun = true;
			r.status = "rerun";
			r.message = "";
			rc = p->sink->result(p->sink->payload, &r, p->err);
			p->stats->results += rc == 0;
		}
		if (rc)
			return rc;
		r.rerun = false;
		r.outcome = c->outcome;
		r.status = c->status;
		r.message = c->message ? c->message : "";
		if (c->dur_mask || (p->durations_all && !c->collection)) {
			r.has_duration = true;
			r.duration = c->dur[0] + c->dur[1] + c->dur[2];
		}
		if ((rc = p->sink->result(p->sink->payload, &r, p->err)) != 0)
			return rc;
		p->stats->results++;
	}
	if (unnamed) {
		tg_buf_reset(&p->scratch);
		tg_buf_printf(&p->scratch,
			      "%llu test%s named only in --durations, "
			      "with no outcome: not stored",
			      (unsigned long long)unnamed,
			      unnamed == 1 ? " is" : "s are");
		warn(p, 0, p->scratch.ptr);
	}
	return 0;
}

static int emit_aliases(pp *p)
{
	const char *h = p->unresolved.ptr, *end = h + p->unresolved.len;

	while (h < end) {
		const char *nl = memchr(h, '\n', (size_t)(end - h));
		size_t n = (size_t)(nl - h);
		bool ambiguous;
		tg_tcase *c = tg_testtab_by_headline(&p->tests, h, n, &ambiguous);

		if (c && p->sink->alias) {
			int rc;
			tg_buf_reset(&p->scratch);
			tg_buf_add(&p->scratch, h, n);
			if (p->scratch.failed)
				return nomem(p);
			rc = p->sink->alias(p->sink->payload, p->scratch.ptr,
					    tg_testtab_id(&p->tests, c), p->err);
			if (rc)
				return rc;
		}
		h = nl + 1;
	}
	return 0;
}

static int emit_session(pp *p)
{
	tg_session *s = &p->sess;
	s->tool = "pytest";
	s->tool_version = p->version.ptr;
	s->python_version = p->python.ptr;
	s->platform = p->platform.ptr;
	s->plugins = p->plugins.ptr;
	s->summary = p->summary.ptr;
	if (!p->final_seen)
		s->passed = s->failed = s->errors = s->skipped = s->xfailed =
			s->xpassed = s->warnings = s->rerun = -1;
	return p->sink->session ? p->sink->session(p->sink->payload, s, p->err)
				: 0;
}

/* Emit the session read so far and start a new one. */
static int next_session(pp *p)
{
	int rc = emit_session(p);
	tg_session fresh;

	memset(&fresh, 0, sizeof(fresh));
	fresh.collected = fresh.collect_errors = fresh.deselected =
		fresh.collect_skipped = fresh.exit_status = -1;
	p->sess = fresh;
	tg_buf_reset(&p->version);
	tg_buf_reset(&p->python);
	tg_buf_reset(&p->platform);
	tg_buf_reset(&p->plugins);
	tg_buf_reset(&p->summary);
	return rc;
}

/* Warnings about what the log could not say. */
static void conclude(pp *p)
{
	char msg[256];

	if ((p->in_session || !p->final_seen) && !p->conftest_exit) {
		p->stats->truncated = true;
		p->stats->truncated_at = p->lines.src->bytes;
		warn(p, p->lines.lineno,
		     "the log ends before pytest's final summary line: cut "
		     "off, or pytest was killed");
	}
	if (p->dot_results > p->tests.n) {
		snprintf(msg, sizeof(msg),
			 "the log shows %llu results as progress characters "
			 "and names %zu test%s; run pytest with -v or -rA for "
			 "every test by name",
			 (unsigned long long)p->dot_results, p->tests.n,
			 p->tests.n == 1 ? "" : "s");
		warn(p, 0, msg);
	}
	if (p->lines.cut_lines) {
		snprintf(msg, sizeof(msg),
			 "%llu line%s longer than %u bytes %s cut",
			 (unsigned long long)p->lines.cut_lines,
			 p->lines.cut_lines == 1 ? "" : "s", TG_MAX_LINE,
			 p->lines.cut_lines == 1 ? "was" : "were");
		warn(p, 0, msg);
	}
	if (p->lines.repaired) {
		snprintf(msg, sizeof(msg),
			 "%llu line%s held bytes that are not UTF-8 text, "
			 "stored as U+FFFD",
			 (unsigned long long)p->lines.repaired,
			 p->lines.repaired == 1 ? "" : "s");
		warn(p, 0, msg);
	}
}

/* ---- setup ------------------------------------------------------------- */

static int compile_grammar(pp *p)
{
	size_t i;

	for (i = 0; i < P_COUNT; i++) {
		int code;
		PCRE2_SIZE off;
		p->re[i] = pcre2_compile((PCRE2_SPTR)grammar[i],
					 PCRE2_ZERO_TERMINATED, PCRE2_UTF,
					 &code, &off, NULL);
		if (!p->re[i])
			return nomem(p); /* the grammar is ours and tested */
		(void)pcre2_jit_compile(p->re[i], PCRE2_JIT_COMPLETE);
	}
	p->md = pcre2_match_data_create(16, NULL);
	p->mctx = pcre2_match_context_create(NULL);
	if (!p->md || !p->mctx)
		return nomem(p);
	/* a hostile line ("PASSED PASSED ..." 64 KiB long) backtracks; a
	 * line the grammar cannot settle in this budget is no match */
	pcre2_set_match_limit(p->mctx, TG_GRAMMAR_MATCH_LIMIT);
	return 0;
}

/* Whether a buffer ran out of memory (a buffer over its cap only cuts). */
static bool out_of_memory(const pp *p)
{
	const tg_buf *bufs[] = {&p->block_id, &p->block_head, &p->running,
				&p->version,  &p->python,     &p->platform,
				&p->plugins,  &p->rootdir,    &p->summary,
				&p->scratch,  &p->scratch2,   &p->w_locs,
				&p->w_text,   &p->unresolved};

	return bufs_failed(bufs, sizeof(bufs) / sizeof(bufs[0]));
}

static void pp_init(pp *p, tg_source *src, const tg_sink *sink,
		    tg_parse_stats *stats, tg_err *err)
{
	tg_buf *bufs[] = {&p->block_id, &p->block_head, &p->running,
			  &p->version,	&p->python,	&p->platform,
			  &p->plugins,	&p->rootdir,	&p->summary,
			  &p->scratch,	&p->scratch2};
	size_t i;

	memset(p, 0, sizeof(*p));
	p->sink = sink;
	p->stats = stats;
	p->err = err;
	p->capture = "traceback";
	tg_lines_init(&p->lines, src, TG_MAX_LINE, true);
	for (i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		tg_buf_init(bufs[i], TG_MAX_LINE * 2);
	tg_collect_init(&p->ce);
	tg_buf_init(&p->w_locs, TG_MAX_LINE * 4);
	tg_buf_init(&p->w_text, TG_MAX_LINE * 4);
	tg_buf_init(&p->unresolved, 64u * 1024u * 1024u);
	p->sess.collected = p->sess.collect_errors = -1;
	p->sess.deselected = p->sess.collect_skipped = -1;
	p->sess.exit_status = -1;
}

static void pp_release(pp *p)
{
	tg_buf *bufs[] = {&p->block_id, &p->block_head, &p->running,
			  &p->version,	&p->python,	&p->platform,
			  &p->plugins,	&p->rootdir,	&p->summary,
			  &p->scratch,	&p->scratch2,	&p->w_locs,
			  &p->w_text,	&p->unresolved};
	size_t i;

	for (i = 0; i < P_COUNT; i++)
		pcre2_code_free(p->re[i]);
	pcre2_match_data_free(p->md);
	pcre2_match_context_free(p->mctx);
	for (i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		tg_buf_release(bufs[i]);
	tg_testtab_release(&p->tests);
	tg_collect_release(&p->ce);
	tg_lines_release(&p->lines);
}

int tg_pytest_parse(tg_source *src, const tg_parse_opts *opts,
		    const tg_sink *sink, tg_parse_stats *stats, tg_err *err)
{
	pp p;
	int rc;

	(void)opts;
	pp_init(&p, src, sink, stats, err);
	rc = compile_grammar(&p);
	while (rc == 0 &&
	       (rc = tg_lines_next(&p.lines, &p.line, &p.len, err)) == 1) {
		/* a log cut in its last line: only the final summary line is
		 * whole without its newline; any other may be cut inside a
		 * test id ("[gw1] [ 33%] PASSED tests/test_a.py::te") and is
		 * not read (the log's end is warned about) */
		if (p.lines.unterminated && p.in_session &&
		    !match(&p, P_FINAL)) {
			rc = 0;
			break;
		}
		rc = p.len ? dispatch(&p)
			   : p.sec == SEC_WARNINGS ? warn_flush(&p) : 0;
		if (rc == 0 && out_of_memory(&p))
			rc = nomem(&p);
	}
	if (rc == 0)
		rc = p.sec == SEC_WARNINGS ? warn_flush(&p) : 0;
	if (rc == 0)
		rc = ce_close(&p);
	if (rc == 0 && out_of_memory(&p))
		rc = nomem(&p);
	if (rc == 0 && !p.recognized) {
		stats->unrecognized = true;
		rc = tg_err_setloc(err, TG_EINPUT, src->name, 0, 0,
				   "'%s' is not a test report truegreen knows: "
				   "text without a pytest session banner, "
				   "progress line or summary",
				   src->name);
	}
	if (rc == 0) {
		conclude(&p);
		rc = emit_results(&p);
	}
	if (rc == 0)
		rc = emit_aliases(&p);
	if (rc == 0)
		rc = emit_session(&p);
	pp_release(&p);
	return rc;
}

/* ---- sniffing ---------------------------------------------------------- */

static bool has(const unsigned char *h, size_t n, const char *needle)
{
	return tg_memmem(h, n, needle, strlen(needle)) != NULL;
}

int tg_pytest_sniff(const unsigned char *head, size_t n)
{
	size_t i;

	if (has(head, n, "test session starts") ||
	    (has(head, n, "platform ") && has(head, n, "pytest-")))
		return 90;
	if (has(head, n, " passed in ") || has(head, n, " failed in ") ||
	    has(head, n, "short test summary info") ||
	    has(head, n, "collected ") || has(head, n, " PASSED ") ||
	    has(head, n, " FAILED "))
		return 50;
	/* Any other text may still hold a session further on (CI logs put
	 * other tools' output first): the weakest claim, and the parse says
	 * "no pytest output" if there is none. */
	for (i = 0; i < n; i++)
		if (head[i] == 0 || (head[i] < 0x20 && head[i] != '\n' &&
				     head[i] != '\r' && head[i] != '\t' &&
				     head[i] != 0x1b))
			return 0;
	return n && head[0] != '<' && head[0] != '{' ? 5 : 0;
}
