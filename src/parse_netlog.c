/*
 * parse_netlog.c - read truegreen's own network record (the JSON lines
 * `truegreen record` writes, src/netlog/shim.c) into evidence text.
 *
 * Each connection attempt becomes one line for the signal catalog,
 *   truegreen-netlog connect 127.0.0.1:8080 ok loopback
 * attributed to the test that was running, which the catalog's
 * truegreen.netlog rules turn into network or network_failure evidence
 * (section "socket").  A non-blocking connect is reported when its
 * outcome is known (the shim's connect-done, matched by process and
 * descriptor); one whose outcome never came counts as an attempt.
 * Knows nothing of SQLite; emits no test results.
 */
#include "parse_netlog.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "err.h"
#include "limits.h"
#include "lines.h"

/* Non-blocking connects waiting for their outcome. */
#define TG_NETLOG_PENDING 1024u

typedef struct pending {
	long long pid, fd;
	char test[1024];
	char peer[300];
	bool loopback, used;
	uint64_t line;
} pending;

typedef struct nl {
	const tg_sink *sink;
	tg_err *err;
	tg_lines lines;
	pending wait[TG_NETLOG_PENDING];
	size_t next;
	bool recognized;
	uint64_t bad, events;
} nl;

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static long long num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(v) ? (long long)v->valuedouble : -1;
}

/* "127.0.0.1:8080", "[::1]:443", "unix:/run/x.sock", "?" */
static void peer_of(const cJSON *r, char *out, size_t n)
{
	const char *fam = str(r, "family"), *addr = str(r, "addr");

	if (fam && strcmp(fam, "unix") == 0)
		snprintf(out, n, "unix:%s", str(r, "path") ? str(r, "path") : "");
	else if (fam && strcmp(fam, "inet6") == 0 && addr)
		snprintf(out, n, "[%s]:%lld", addr, num(r, "port"));
	else if (addr)
		snprintf(out, n, "%s:%lld", addr, num(r, "port"));
	else
		snprintf(out, n, "?");
}

static int emit(nl *p, const char *test, const char *op, const char *peer,
		const char *result, bool loopback, uint64_t line)
{
	char text[1600];
	tg_text t;
	int n = snprintf(text, sizeof(text), "truegreen-netlog %s %s %s %s",
			 op, peer, result, loopback ? "loopback" : "remote");

	if (n < 0 || !p->sink->text)
		return 0;
	t.nodeid = test ? test : "";
	t.headline = "";
	t.section = "socket";
	t.text = text;
	t.len = (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1;
	t.line = line;
	p->events++;
	return p->sink->text(p->sink->payload, &t, p->err);
}

/* The connect an outcome is of: the newest one waiting on that process
 * and descriptor.  A descriptor is reused once closed, so an older
 * connect on it whose outcome never came is another connection, maybe
 * of another test.  Newest first also finds the usual case, an outcome
 * right after its connect, in a step or two. */
static pending *find(nl *p, long long pid, long long fd)
{
	size_t k;

	for (k = 1; k <= TG_NETLOG_PENDING; k++) {
		pending *w = &p->wait[(p->next + TG_NETLOG_PENDING - k) %
				      TG_NETLOG_PENDING];
		if (w->used && w->pid == pid && w->fd == fd)
			return w;
	}
	return NULL;
}

static int record(nl *p, const cJSON *r)
{
	const char *op = str(r, "op"), *result = str(r, "result");
	const char *test = str(r, "test");
	const cJSON *lo = cJSON_GetObjectItemCaseSensitive(r, "loopback");
	bool loopback = cJSON_IsTrue(lo);
	char peer[300];

	if (!op || !result)
		return 0;
	peer_of(r, peer, sizeof(peer));
	if (strcmp(op, "connect") == 0 && strcmp(result, "EINPROGRESS") == 0) {
		/* wait for the outcome; a full table reports the oldest */
		pending *w = &p->wait[p->next];
		int rc = 0;
		if (w->used)
			rc = emit(p, w->test, "connect", w->peer, "inprogress",
				  w->loopback, w->line);
		p->next = (p->next + 1) % TG_NETLOG_PENDING;
		w->used = true;
		w->pid = num(r, "pid");
		w->fd = num(r, "fd");
		snprintf(w->test, sizeof(w->test), "%s", test ? test : "");
		snprintf(w->peer, sizeof(w->peer), "%s", peer);
		w->loopback = loopback;
		w->line = p->lines.lineno;
		return rc;
	}
	if (strcmp(op, "connect-done") == 0) {
		pending *w = find(p, num(r, "pid"), num(r, "fd"));
		if (!w)
			return 0;
		w->used = false;
		return emit(p, w->test, "connect", w->peer, result,
			    w->loopback, p->lines.lineno);
	}
	if (strcmp(op, "resolve") == 0) {
		const char *host = str(r, "host");
		return emit(p, test, "resolve", host ? host : "?", result,
			    false, p->lines.lineno);
	}
	return emit(p, test, strcmp(op, "connect-udp") == 0 ? "sendto" : op,
		    peer, result, loopback, p->lines.lineno);
}

int tg_netlog_parse(tg_source *src, const tg_parse_opts *opts,
		    const tg_sink *sink, tg_parse_stats *stats, tg_err *err)
{
	nl *p = tg_calloc(1, sizeof(*p));
	const char *line;
	size_t len, i;
	int rc;

	(void)opts;
	if (!p)
		return tg_err_nomem(err);
	p->sink = sink;
	p->err = err;
	tg_lines_init(&p->lines, src, TG_MAX_LINE, false);
	while ((rc = tg_lines_next(&p->lines, &line, &len, err)) == 1) {
		cJSON *r = p->lines.cut ? NULL : cJSON_ParseWithLength(line, len);
		if (!cJSON_IsObject(r) ||
		    !cJSON_GetObjectItemCaseSensitive(r, "truegreen_netlog")) {
			p->bad += len > 0;
			cJSON_Delete(r);
			continue;
		}
		p->recognized = true;
		rc = record(p, r);
		cJSON_Delete(r);
		if (rc)
			break;
	}
	/* connects whose outcome never came: attempts all the same */
	for (i = 0; rc == 0 && i < TG_NETLOG_PENDING; i++)
		if (p->wait[i].used)
			rc = emit(p, p->wait[i].test, "connect",
				  p->wait[i].peer, "inprogress",
				  p->wait[i].loopback, p->wait[i].line);
	if (rc == 0 && !p->recognized) {
		stats->unrecognized = true;
		rc = tg_err_setloc(err, TG_EINPUT, src->name, 0, 0,
				   "'%s' is not a truegreen network record",
				   src->name);
	}
	if (rc == 0 && p->bad && sink->warn) {
		char msg[128];
		snprintf(msg, sizeof(msg),
			 "%llu line%s not %s and %s skipped",
			 (unsigned long long)p->bad,
			 p->bad == 1 ? " is" : "s are",
			 p->bad == 1 ? "a network record" : "network records",
			 p->bad == 1 ? "was" : "were");
		sink->warn(sink->payload, 0, 0, UINT64_MAX, msg);
	}
	tg_lines_release(&p->lines);
	tg_free(p);
	return rc;
}

int tg_netlog_sniff(const unsigned char *head, size_t n)
{
	return n > 20 && memcmp(head, "{\"truegreen_netlog\":", 20) == 0 ? 98
									 : 0;
}
