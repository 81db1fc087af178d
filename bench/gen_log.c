/*
 * gen_log.c - write a large, realistic pytest console log for bench/run.sh.
 *
 * usage: gen_log N OUT [EXTRA [q]]
 *
 * What `pytest -v -rA --durations=0` prints for N tests: a progress line
 * each, 10% failures with a traceback in FAILURES, 20% of tests with
 * captured DEBUG network logs in PASSES, 2% never-awaited coroutine
 * warnings, the durations table, the short summary and the final line.
 * EXTRA more captured log lines for each of those tests make a log large
 * for its number of tests (the 1 GB case).  "q" writes what `pytest -q
 * -rA` prints instead: progress dots that name no test, so every FAILURES
 * and PASSES title is resolved only by the short summary at the end.
 * Deterministic, so runs compare.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void nodeid(FILE *f, long i)
{
	fprintf(f, "tests/e2e/test_mod%ld.py::TestGroup%ld::test_case_%ld",
		i / 50, (i / 10) % 5, i);
}

static void headline(FILE *f, long i)
{
	fprintf(f, "TestGroup%ld.test_case_%ld", (i / 10) % 5, i);
}

static void banner(FILE *f, const char *title, char fill)
{
	int w = 80 - (int)strlen(title) - 2, l = w / 2, r = w - l, k;

	for (k = 0; k < l; k++)
		fputc(fill, f);
	fprintf(f, " %s ", title);
	for (k = 0; k < r; k++)
		fputc(fill, f);
	fputc('\n', f);
}

static const char traceback[] =
	"\n"
	"client = <tests.e2e.conftest.Client object at 0x7f2763215220>\n"
	"\n"
	"    def test_roundtrip(client):\n"
	"        resp = client.post(\"/api/v1/messages\", json={\"text\": \"hi\"})\n"
	">       assert resp.status_code == 200, f\"staging returned {resp.status_code}\"\n"
	"E       AssertionError: staging returned 503\n"
	"E       assert 503 == 200\n"
	"E        +  where 503 = <Response [503]>.status_code\n"
	"\n"
	"tests/e2e/test_chat.py:42: AssertionError\n";

static const char captured[] =
	"------------------------------ Captured log call -------------------------------\n"
	"DEBUG    urllib3.connectionpool:connectionpool.py:228 Starting new HTTP connection (1): 127.0.0.1:8080\n"
	"DEBUG    urllib3.connectionpool:connectionpool.py:456 http://127.0.0.1:8080 \"POST /api/v1/messages HTTP/1.1\" 200 57\n"
	"INFO     app.e2e:test_chat.py:31 message accepted in 31.4 ms\n";

int main(int argc, char **argv)
{
	long n, i, k, extra = 0, failed = 0;
	bool quiet;
	FILE *f;

	if (argc < 3 || argc > 5 || (n = strtol(argv[1], NULL, 10)) <= 0) {
		fputs("usage: gen_log N OUT [EXTRA [q]]\n", stderr);
		return 2;
	}
	if (argc >= 4)
		extra = strtol(argv[3], NULL, 10);
	quiet = argc == 5 && strcmp(argv[4], "q") == 0;
	if (!(f = fopen(argv[2], "w")))
		return 1;
	if (!quiet) { /* -q prints no header */
		banner(f, "test session starts", '=');
		fputs("platform linux -- Python 3.11.2, pytest-7.2.1, "
		      "pluggy-1.0.0\n"
		      "rootdir: /src, configfile: pytest.ini\n",
		      f);
		fprintf(f, "collecting ... collected %ld items\n\n", n);
	}
	for (i = 0; i < n; i++) {
		if (quiet) {
			fputc(i % 10 == 3 ? 'F' : '.', f);
			if ((i + 1) % 80 == 0 || i + 1 == n)
				fprintf(f, " [%3ld%%]\n", (i + 1) * 100 / n);
			continue;
		}
		nodeid(f, i);
		fprintf(f, " %s [%3ld%%]\n", i % 10 == 3 ? "FAILED" : "PASSED",
			(i + 1) * 100 / n);
	}
	banner(f, "FAILURES", '=');
	for (i = 3; i < n; i += 10) {
		char title[128];
		snprintf(title, sizeof(title), "TestGroup%ld.test_case_%ld",
			 (i / 10) % 5, i);
		banner(f, title, '_');
		fputs(traceback, f);
		failed++;
	}
	banner(f, "warnings summary", '=');
	for (i = 7; i < n; i += 50) {
		nodeid(f, i);
		fputs("\n  /usr/lib/python3.11/unittest/case.py:579: "
		      "RuntimeWarning: coroutine '",
		      f);
		headline(f, i);
		fputs("' was never awaited\n    if method() is not None:\n\n", f);
	}
	fputs("-- Docs: https://docs.pytest.org/en/stable/how-to/"
	      "capture-warnings.html\n",
	      f);
	banner(f, "PASSES", '=');
	for (i = 0; i < n; i += 5) {
		char title[128];
		if (i % 10 == 3)
			continue;
		snprintf(title, sizeof(title), "TestGroup%ld.test_case_%ld",
			 (i / 10) % 5, i);
		banner(f, title, '_');
		fputs(captured, f);
		for (k = 0; k < extra; k++)
			fprintf(f, "DEBUG    app.e2e:test_chat.py:%ld frame %ld "
				   "of the chat stream received, 512 bytes, "
				   "sequence number %ld acknowledged\n",
				k % 500, k, i * 1000 + k);
	}
	banner(f, "slowest durations", '=');
	for (i = 0; i < n; i++) {
		fprintf(f, "%ld.%02lds call     ", 30 + i % 7, i % 100);
		nodeid(f, i);
		fputc('\n', f);
	}
	banner(f, "short test summary info", '=');
	for (i = 0; i < n; i++) {
		fputs(i % 10 == 3 ? "FAILED " : "PASSED ", f);
		nodeid(f, i);
		fputs(i % 10 == 3 ? " - AssertionError: staging returned 503\n"
				  : "\n",
		      f);
	}
	fprintf(f, "%s%ld failed, %ld passed, %ld warnings in 4242.00s "
		   "(1:10:42)%s\n",
		quiet ? "" : "=== ", failed, n - failed, (n + 42) / 50,
		quiet ? "" : " ===");
	return fclose(f) == 0 ? 0 : 1;
}
