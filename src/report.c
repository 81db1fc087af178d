/*
 * report.c - the table of reporters and what they share.
 */
#include "report.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "alloc.h"
#include "err.h"
#include "sha256.h"
#include "truegreen/text.h"
#include "utf8.h"

static const tg_reporter reporters[] = {
	{"text", tg_report__text},	   {"json", tg_report__json},
	{"sarif", tg_report__sarif},	   {"github", tg_report__github},
	{"gitlab", tg_report__gitlab},	   {"markdown", tg_report__markdown},
	{"junit", tg_report__junit},
};

const char tg_report_formats[] =
	"text, json, sarif, github, gitlab, markdown, junit";

static const tg_reporter *find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(reporters) / sizeof(reporters[0]); i++)
		if (strcmp(reporters[i].name, name) == 0)
			return &reporters[i];
	return NULL;
}

bool tg_report_known(const char *format)
{
	return find(format) != NULL;
}

int tg_report_write(FILE *out, const char *format, const tg_report_in *in,
		    tg_err *err)
{
	const tg_reporter *r = find(format);
	int rc;

	if (!r)
		return tg_err_set(err, TG_EUSAGE,
				  "unknown report format '%s' (%s)", format,
				  tg_report_formats);
	rc = r->write(out, in, err);
	if (rc == 0 && (fflush(out) != 0 || ferror(out)))
		rc = tg_err_set(err, TG_EIO, "cannot write the %s report",
				format);
	return rc;
}

static const tg_kind_help help[] = {
	{"mock_fallback", "Mock fallback",
	 "A test passed although its code fell back to a mock or fake, a "
	 "real connection it made failed, or a mock answered a test that "
	 "needs real services.",
	 "Make the fixture fail instead of falling back when the service is "
	 "down, then fix or restore the service; the evidence shows the "
	 "fallback message or the failed connection."},
	{"fast_pass", "Suspiciously fast pass",
	 "A test passed far below its expected duration: too fast to have "
	 "talked to the services it tests.",
	 "Check whether the test ran against a mock or skipped its work; if "
	 "it is legitimately faster now, learn a new baseline."},
	{"no_network_evidence", "No network evidence",
	 "A test that needs real services passed without any sign of a "
	 "network connection.",
	 "Run with log_level=DEBUG (or truegreen's network recorder) and "
	 "check the test reached the service."},
	{"outage_skip", "Skipped for an outage",
	 "A test skipped itself because a service it needs did not answer: "
	 "the build is green without having run it.",
	 "Make the fixture fail when the service is down instead of "
	 "skipping, then fix or restore the service; the evidence shows the "
	 "failed connection in the skip's reason."},
	{"unawaited_coroutine", "Unawaited coroutine",
	 "A coroutine of the test was never awaited, yet it passed: its async "
	 "body did not run, or an async call it made (an AsyncMock's, a "
	 "helper's) never happened.",
	 "Use unittest.IsolatedAsyncioTestCase or an async plugin "
	 "(pytest-asyncio, anyio) so the test body is awaited, and await "
	 "the call the warning names."},
	{"import_chain_failure", "Import chain failure",
	 "A test module failed to import while pytest collected it, so none "
	 "of its tests ran.",
	 "Fix the import along the chain shown (a renamed module or class); "
	 "consider -p no:... or --strict collection so this fails the job."},
	{"missing_tests", "Missing tests",
	 "Tests expected from the baseline, history or pytest's own count "
	 "are absent from this run.",
	 "Find why they were not collected or run (deleted, renamed, "
	 "skipped at import) and restore them or update the baseline."},
	{"suite_collapse", "Suite collapse",
	 "A suite's total duration or test count collapsed against its "
	 "baseline.",
	 "Look for a shared fixture or service that stopped doing real "
	 "work for the whole suite."},
	{"truncated_report", "Truncated report",
	 "An input report was cut off (a killed job): what came after is "
	 "unknown.",
	 "Find why the job was killed (timeout, out of memory) before "
	 "trusting its results."},
};

_Static_assert(sizeof(help) / sizeof(help[0]) == TG_FINDING_KINDS,
	       "TG_FINDING_KINDS counts the kinds of help[]");

const char *tg_report_kind(size_t i)
{
	return i < TG_FINDING_KINDS ? help[i].kind : NULL;
}

const tg_kind_help *tg_report__help(const char *kind)
{
	static const tg_kind_help unknown = {"", "Finding",
					     "truegreen distrusts this result.",
					     "See the evidence."};
	size_t i;

	for (i = 0; i < sizeof(help) / sizeof(help[0]); i++)
		if (strcmp(help[i].kind, kind) == 0)
			return &help[i];
	return &unknown;
}

const char *tg_report__verdict(const tg_report_in *in, char *buf,
			       size_t size)
{
	int64_t ran = in->findings ? tg_findings_ran(in->findings) : -1;

	if (in->counts.tests == 0 && ran > 0) {
		snprintf(buf, size,
			 "pytest ran %lld test%s and its log names none of "
			 "them (progress dots only): what passed is not to be "
			 "trusted",
			 (long long)ran, ran == 1 ? "" : "s");
		return buf;
	}
	if (in->counts.tests == 0)
		return "no test ran at all: there is no green to trust";
	if (in->counts.failed == 0 && in->counts.errors == 0)
		return "this green is not to be trusted";
	snprintf(buf, size,
		 "the run failed already (%llu failed, %llu error%s), and its "
		 "passes are not to be trusted either",
		 (unsigned long long)in->counts.failed,
		 (unsigned long long)in->counts.errors,
		 in->counts.errors == 1 ? "" : "s");
	return buf;
}

const char *tg_report__relative(const tg_report_in *in, const char *path)
{
	const char *root = in->source_root;
	size_t n = root ? strlen(root) : 0;

	while (n > 1 && root[n - 1] == '/')
		n--;
	if (!path || n == 0 || strncmp(path, root, n) != 0)
		return path;
	if (n == 1 && root[0] == '/') /* the root directory itself */
		return path[1] ? path + 1 : path;
	return path[n] == '/' && path[n + 1] ? path + n + 1 : path;
}

bool tg_report__place(const tg_report_in *in, const tg_finding *f,
		      const char **path, int64_t *line)
{
	size_t i;

	*path = tg_report__relative(in, f->file);
	*line = f->line > 0 ? f->line : 0;
	if (f->file)
		return false;
	for (i = 0; i < f->nevidence; i++)
		if (f->evidence[i].source[0]) {
			*path = tg_report__relative(in, f->evidence[i].source);
			*line = f->evidence[i].line > 0 ? f->evidence[i].line
							: 0;
			return true;
		}
	return false;
}

const char *tg_report__at(int64_t line, char buf[32])
{
	if (line > 0)
		snprintf(buf, 32, ":%lld: ", (long long)line);
	else
		snprintf(buf, 32, ": ");
	return buf;
}

char *tg_report__uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	static const char keep[] = "-._~/!$&'()*+,;=@";
	bool drive = ((path[0] | 0x20) >= 'a' && (path[0] | 0x20) <= 'z') &&
		     path[1] == ':' && (path[2] == '\\' || path[2] == '/');
	size_t n = strlen(path);
	char *out = tg_malloc(3 * n + sizeof("file:///")), *p = out;
	const unsigned char *s = (const unsigned char *)path;

	if (!out)
		return NULL;
	if (drive || path[0] == '/') {
		/* file:///C:/ci/x.py; file:///ci/x.py (the path's own slash) */
		memcpy(p, "file:///", drive ? 8 : 7);
		p += drive ? 8 : 7;
	}
	for (; *s; s++) {
		if (*s == '\\' || ((s - (const unsigned char *)path) == 1 &&
				    drive)) {
			*p++ = *s == '\\' ? '/' : ':';
		} else if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			   (*s >= '0' && *s <= '9') || strchr(keep, *s)) {
			*p++ = (char)*s;
		} else {
			*p++ = '%';
			*p++ = hex[*s >> 4];
			*p++ = hex[*s & 15];
		}
	}
	*p = '\0';
	return out;
}

void tg_report__fingerprint(const tg_finding *f, char out[33])
{
	char hex[TG_SHA256_HEX];
	tg_sha256 h;

	tg_sha256_init(&h);
	tg_sha256_update(&h, f->kind, strlen(f->kind) + 1);
	if (f->test)
		tg_sha256_update(&h, f->test, strlen(f->test));
	tg_sha256_final_hex(&h, hex);
	memcpy(out, hex, 32);
	out[32] = '\0';
}

int tg_report__print_json(FILE *out, cJSON *doc, bool pretty, tg_err *err)
{
	char *s = doc ? (pretty ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc))
		      : NULL;

	cJSON_Delete(doc);
	if (!s)
		return tg_err_nomem(err);
	fputs(s, out);
	fputc('\n', out);
	cJSON_free(s);
	return 0;
}

/* Text as XML character data or attribute value: markup escaped, and
 * what XML 1.0 cannot hold (control characters, bytes that are not
 * UTF-8) as U+FFFD. */
void tg_report__xml(FILE *out, const char *s)
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
			fputs("&#39;", out); /* XML's &apos; is not HTML 4's */
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

/* Text from a report, inert in Markdown and in the HTML it becomes:
 * controls made visible, markup characters escaped, <>& as entities,
 * newlines as spaces. */
size_t tg_report__md(FILE *out, const char *s)
{
	char small[512], *heap;
	size_t n = 0;

	for (s = tg_escaped(s, true, small, sizeof(small), &heap); *s; s++) {
		switch (*s) {
		case '<':
			n += (size_t)fprintf(out, "&lt;");
			break;
		case '>':
			n += (size_t)fprintf(out, "&gt;");
			break;
		case '&':
			n += (size_t)fprintf(out, "&amp;");
			break;
		case '\n':
		case '\r':
			fputc(' ', out);
			n++;
			break;
		default:
			if (strchr("\\`*_[]|~", *s)) {
				fputc('\\', out);
				n++;
			}
			fputc(*s, out);
			n++;
		}
	}
	tg_free(heap);
	return n;
}
