/*
 * parse_junit.c - the JUnit XML parser: how many streaming passes an input
 * needs (junit_reader.c does one), and recognising JUnit by its first
 * bytes.
 *
 * libxml2's reader hands out nothing of a parse push that fails, so when
 * a report breaks off, or a second document follows the first (`cat
 * *.xml`), the first pass may miss complete testcases.  An input that can
 * be read again is then parsed a second time, ended where it must end,
 * and a replay sink forwards only the events the first pass did not
 * deliver.  Concatenated documents are parsed one after the other.
 */
#include "parse_junit.h"

#include <stdio.h>
#include <string.h>

#include "err.h"
#include "junit_reader.h"
#include "limits.h"
#include "xmlguard.h"

/* ---- replay: a second pass forwards only what the first did not ------- */

/*
 * The parse is deterministic, so a second pass over the same bytes emits
 * the first pass's events again, in order, before anything new: a replay
 * sink counts events and forwards only those past `skip`.
 */
typedef struct replay {
	const tg_sink *inner;
	uint64_t skip, seen;
	uint64_t results; /* results forwarded */
} replay;

static bool replay_forward(replay *r)
{
	return ++r->seen > r->skip;
}

static int replay_suite_begin(void *pl, const tg_suite *s, tg_err *err)
{
	replay *r = pl;

	return replay_forward(r)
		       ? r->inner->suite_begin(r->inner->payload, s, err)
		       : 0;
}

static int replay_suite_end(void *pl, tg_err *err)
{
	replay *r = pl;

	return replay_forward(r) ? r->inner->suite_end(r->inner->payload, err)
				 : 0;
}

static int replay_suite_not_run(void *pl, uint64_t n, const char *status,
				tg_err *err)
{
	replay *r = pl;

	return replay_forward(r) && r->inner->suite_not_run
		       ? r->inner->suite_not_run(r->inner->payload, n, status,
						 err)
		       : 0;
}

static int replay_suite_output(void *pl, bool is_err, const tg_capture *text,
			       tg_err *err)
{
	replay *r = pl;

	return replay_forward(r) ? r->inner->suite_output(r->inner->payload,
							  is_err, text, err)
				 : 0;
}

static int replay_suite_property(void *pl, const tg_property *prop,
				 tg_err *err)
{
	replay *r = pl;

	return replay_forward(r) ? r->inner->suite_property(r->inner->payload,
							    prop, err)
				 : 0;
}

static int replay_result(void *pl, const tg_result *res, tg_err *err)
{
	replay *r = pl;

	if (!replay_forward(r))
		return 0;
	r->results++;
	return r->inner->result(r->inner->payload, res, err);
}

static void replay_warn(void *pl, uint64_t line, uint64_t col,
			uint64_t offset, const char *msg)
{
	replay *r = pl;

	if (replay_forward(r) && r->inner->warn)
		r->inner->warn(r->inner->payload, line, col, offset, msg);
}

static tg_sink replay_sink(replay *r)
{
	tg_sink s = {
		.suite_begin = replay_suite_begin,
		.suite_end = replay_suite_end,
		.suite_not_run = replay_suite_not_run,
		.suite_output = replay_suite_output,
		.suite_property = replay_suite_property,
		.result = replay_result,
		.warn = replay_warn,
		.payload = r,
	};

	return s;
}

/*
 * A second pass over a document whose first pass broke, forwarding through
 * a replay sink only the events the first did not deliver (libxml2's
 * reader hands out nothing of the push that fails):
 *  - a truncated report ends before its unfinished last tag, with one
 *    injected element there (tg_xmlguard_salvage), which makes the reader
 *    hand out every complete testcase before it;
 *  - a document followed by another (`cat *.xml`) ends where the next one
 *    starts, and is then complete.
 * Inputs that cannot be read twice (pipes) keep the first pass's result.
 * Updates p1's ending to the second pass's, which saw more.
 */
static int second_pass(tg_junit_end *end1, tg_source *src,
		       const tg_parse_opts *opts, const tg_sink *sink,
		       const replay *r1, tg_parse_stats *stats,
		       uint64_t stop_at, bool inject, bool huge, tg_err *err)
{
	replay r2 = {sink, r1->seen, 0, 0};
	tg_sink s2 = replay_sink(&r2);
	tg_parse_stats st2 = {0};
	tg_err e2 = TG_ERR_INIT;
	tg_junit_end end2;
	tg_source again;
	int rc;

	if (tg_source_reopen_at(&again, src, src->base, src->base_line, &e2))
		return 0;
	rc = tg_junit__pass(&again, opts, &s2, &st2, stop_at, inject, huge,
			    &end2, &e2);
	tg_source_close(&again);
	/* A failure of the sink on a forwarded event (the database, memory,
	 * a limit) is real; a parse error is the break itself. */
	if (rc && e2.code != TG_EINPUT && e2.code != TG_EIO) {
		*err = e2;
		return rc;
	}
	stats->results += r2.results; /* stored: always counted */
	if (rc == 0 && (r2.results > 0 || !end2.broke))
		*end1 = end2;
	return 0;
}

/* Where a salvage pass over a truncated src should stop (see
 * tg_xmlguard_stop_point); 0 when the end cannot be read. */
static uint64_t truncation_stop(tg_source *src)
{
	unsigned char tail[16384];
	tg_err ignored = TG_ERR_INIT;
	uint64_t size;
	size_t got;

	if (tg_source_tail(src, tail, sizeof(tail), &got, &size, &ignored))
		return 0;
	return tg_xmlguard_stop_point(tail, got, size);
}

/* The warnings and the verdict of a document's last pass, issued once. */
static int conclude(const tg_junit_end *end, const tg_source *src,
		    const tg_sink *sink, tg_parse_stats *stats, tg_err *err)
{
	char msg[TG_ERR_MSG_MAX];

	if (end->trailing && sink->warn) {
		snprintf(msg, sizeof(msg),
			 "ignored what follows the end of the report: %s",
			 end->why);
		sink->warn(sink->payload, end->line, end->col, UINT64_MAX, msg);
	}
	if (end->broke) {
		if (stats->results == 0) {
			tg_err_setloc(err, TG_EINPUT, src->name, end->line,
				      end->col,
				      "'%s' is not well-formed XML: %s", src->name,
				      end->why);
			err->offset = end->offset;
			return TG_EINPUT;
		}
		stats->truncated = true;
		stats->truncated_at = end->good_offset;
		/* broken in its middle (a text node past libxml2's 10 MB,
		 * say): what follows exists, it was not read */
		stats->stopped = !end->input_ended;
		stats->stopped_at = end->offset;
		if (stats->stopped)
			snprintf(msg, sizeof(msg),
				 "stopped reading the report here (%s); kept "
				 "the %llu complete testcases before byte "
				 "%llu, and the rest of the report, past byte "
				 "%llu, was not read",
				 end->why, (unsigned long long)stats->results,
				 (unsigned long long)end->good_offset,
				 (unsigned long long)end->offset);
		else
			snprintf(msg, sizeof(msg),
				 "report ends early (%s); kept the %llu "
				 "complete testcases before byte %llu",
				 end->why, (unsigned long long)stats->results,
				 (unsigned long long)end->good_offset);
		if (sink->warn)
			sink->warn(sink->payload, end->line, end->col,
				   end->good_offset, msg);
	}
	if (end->replaced && sink->warn)
		sink->warn(sink->payload, end->replaced_line,
			   end->replaced_col, UINT64_MAX,
			   "replaced invalid bytes or characters with U+FFFD "
			   "(first here)");
	return 0;
}

/* Where src's first document ends (0: cannot tell), and in *next where
 * another starts (0: none). */
static uint64_t document_end(tg_source *src, uint64_t *next)
{
	tg_err ignored = TG_ERR_INIT;
	uint64_t end;

	if (tg_xmlguard_next_document(src, &end, next, &ignored) ||
	    end <= src->base || (*next && *next <= src->base)) {
		*next = 0;
		return 0;
	}
	return end;
}

/*
 * Parse one document of src (the whole content, or from a later offset).
 * *next gets the offset of a following document (`cat *.xml`), or 0.
 */
static int parse_document(tg_source *src, const tg_parse_opts *opts,
			  const tg_sink *sink, tg_parse_stats *stats,
			  uint64_t *next, tg_err *err)
{
	replay r = {sink, 0, 0, 0};
	tg_sink s = replay_sink(&r);
	tg_junit_end end;
	uint64_t stop;
	int rc;

	*next = 0;
	rc = tg_junit__pass(src, opts, &s, stats, 0, false, false, &end, err);
	if (rc == 0 && end.another && src->reopenable &&
	    (stop = document_end(src, next)) > 0) {
		/* the first document is complete: finish it there */
		char why[sizeof(end.why)];
		memcpy(why, end.why, sizeof(why));
		rc = second_pass(&end, src, opts, sink, &r, stats, stop, false,
				 false, err);
		if (rc == 0 && *next == 0 && !end.broke) {
			end.trailing = true; /* garbage, not a report */
			memcpy(end.why, why, sizeof(why));
		}
	} else if (rc == 0 && end.broke && !end.input_ended &&
		   src->reopenable) {
		/* broken in its middle, the input going on: a text node past
		 * libxml2's 10 MB, say; read it again without that limit */
		rc = second_pass(&end, src, opts, sink, &r, stats, 0, false,
				 true, err);
	} else if (rc == 0 && end.broke && src->reopenable &&
		   (stop = truncation_stop(src)) > 0) {
		rc = second_pass(&end, src, opts, sink, &r, stats, stop, true,
				 false, err);
	}
	if (rc == 0)
		rc = conclude(&end, src, sink, stats, err);
	if (rc && err->code == TG_OK)
		rc = tg_err_setloc(err, TG_EINPUT, src->name, 0, 0,
				   "'%s': cannot parse", src->name);
	return rc;
}

/* The number of lines before byte `at` of src's content. */
static uint64_t lines_before(tg_source *src, uint64_t at)
{
	unsigned char buf[16384];
	tg_err ignored = TG_ERR_INIT;
	uint64_t lines = 0, pos = 0;
	tg_source r;
	ptrdiff_t got;

	if (tg_source_reopen(&r, src, &ignored))
		return 0;
	while (pos < at &&
	       (got = tg_source_read(&r, buf, sizeof(buf), &ignored)) > 0) {
		ptrdiff_t i;
		for (i = 0; i < got && pos < at; i++, pos++)
			lines += buf[i] == '\n';
	}
	tg_source_close(&r);
	return lines;
}

int tg_junit_parse(tg_source *src, const tg_parse_opts *opts,
		   const tg_sink *sink, tg_parse_stats *stats, tg_err *err)
{
	uint64_t next = 0;
	unsigned docs = 1;
	tg_source view;
	int rc = parse_document(src, opts, sink, stats, &next, err);

	/* Further concatenated documents, each a view of the same content.
	 * One that is not a report ends the list with a warning. */
	while (rc == 0 && next > 0) {
		tg_err e2 = TG_ERR_INIT;

		if (++docs > TG_MAX_DOCUMENTS) {
			char msg[96];
			snprintf(msg, sizeof(msg),
				 "more than %u concatenated documents; ignored "
				 "the rest",
				 TG_MAX_DOCUMENTS);
			sink->warn(sink->payload, 0, 0, next, msg);
			break;
		}
		if (tg_source_reopen_at(&view, src, next,
					lines_before(src, next), &e2))
			break;
		rc = parse_document(&view, opts, sink, stats, &next, &e2);
		tg_source_close(&view);
		if (rc && e2.code == TG_EINPUT) {
			sink->warn(sink->payload, e2.line, e2.col, e2.offset,
				   "ignored what follows the end of the report: "
				   "it is not another JUnit report");
			rc = 0;
			break;
		}
		if (rc)
			*err = e2;
	}
	return rc;
}

/* ---- sniff ------------------------------------------------------------- */

/* Skip the prolog of head; return the root element's local name via
 * name and len, or false when head ends first or it is not XML. */
static bool root_name(const unsigned char *h, size_t n, const char **name,
		      size_t *len, bool *in_prolog)
{
	size_t i = 0;

	*in_prolog = false;
	if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF)
		i = 3;
	for (;;) {
		const unsigned char *end;
		size_t j;

		while (i < n && (h[i] == ' ' || h[i] == '\t' || h[i] == '\n' ||
				 h[i] == '\r'))
			i++;
		if (i >= n) {
			*in_prolog = i > 0;
			return false;
		}
		if (h[i] != '<')
			return false;
		if (i + 1 < n && (h[i + 1] == '?' || h[i + 1] == '!')) {
			const char *close = (i + 3 < n && h[i + 2] == '-' &&
					     h[i + 3] == '-') ? "-->" : ">";
			/* A DOCTYPE's internal subset holds '>' of its own. */
			if (close[0] == '>' && h[i + 1] == '!')
				for (j = i + 2; j < n && h[j] != '>'; j++)
					if (h[j] == '[') {
						close = "]>";
						break;
					}
			end = NULL;
			for (j = i + 2; j + strlen(close) <= n; j++)
				if (memcmp(h + j, close, strlen(close)) == 0) {
					end = h + j;
					break;
				}
			if (!end) {
				*in_prolog = true;
				return false;
			}
			i = (size_t)(end - h) + strlen(close);
			continue;
		}
		i++;
		j = i;
		while (j < n && h[j] != ' ' && h[j] != '>' && h[j] != '/' &&
		       h[j] != '\t' && h[j] != '\n' && h[j] != '\r')
			j++;
		*name = (const char *)h + i;
		*len = j - i;
		/* drop a namespace prefix */
		for (; i < j; i++)
			if (h[i] == ':') {
				*name = (const char *)h + i + 1;
				*len = j - i - 1;
			}
		return true;
	}
}

static bool name_is(const char *name, size_t len, const char *want)
{
	return len == strlen(want) && memcmp(name, want, len) == 0;
}

int tg_junit_sniff(const unsigned char *head, size_t n)
{
	unsigned char narrow[TG_SNIFF_BYTES];
	const char *name;
	size_t len, i, m = 0;
	bool in_prolog;

	/* UTF-16/32: look at the ASCII bytes only. */
	if (n >= 2 && (head[0] == 0 || head[1] == 0 ||
		       (head[0] == 0xFF && head[1] == 0xFE) ||
		       (head[0] == 0xFE && head[1] == 0xFF))) {
		for (i = 0; i < n && m < sizeof(narrow); i++)
			if (head[i] && head[i] < 0x80)
				narrow[m++] = head[i];
		head = narrow;
		n = m;
	}
	if (!root_name(head, n, &name, &len, &in_prolog))
		return in_prolog ? 30 : 0; /* XML whose root is past the head */
	if (name_is(name, len, "testsuites") || name_is(name, len, "testsuite"))
		return 100;
	if (name_is(name, len, "testcase"))
		return 60;
	return 0;
}
