/*
 * gen_report.c - write a large, realistic JUnit report for bench/run.sh.
 *
 * usage: gen_report pytest|surefire N OUT [RUN]
 *
 * pytest style: one <testsuite>, node-id-like classnames, 10% failures
 * with a traceback, 5% skips, 20% of tests with captured system-out.
 * Surefire style: one suite per 200 tests with a JVM <properties> block,
 * stack traces, 3% flaky tests with flakyFailure, system-out likewise.
 * Deterministic (no randomness), so runs compare.  RUN (default 0) makes
 * another run of the same suite: same tests, another timestamp, so it
 * is not a duplicate of run 0 (bench/run.sh's "steady" import).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char traceback[] =
	"def test_roundtrip(client):\n"
	"        resp = client.post(\"/api/v1/messages\", json={\"text\": \"hi\"})\n"
	"&gt;       assert resp.status_code == 200, f\"staging returned {resp.status_code}\"\n"
	"E       AssertionError: staging returned 503\n"
	"E       assert 503 == 200\n"
	"E        +  where 503 = &lt;Response [503]&gt;.status_code\n"
	"\n"
	"tests/e2e/test_chat.py:42: AssertionError";

static const char stack[] =
	"org.opentest4j.AssertionFailedError: expected: &lt;200&gt; but was: &lt;503&gt;\n"
	"\tat org.junit.jupiter.api.AssertionUtils.fail(AssertionUtils.java:55)\n"
	"\tat org.junit.jupiter.api.AssertEquals.assertEquals(AssertEquals.java:150)\n"
	"\tat com.example.chat.ChatIT.roundtrip(ChatIT.java:42)\n"
	"\tat java.base/java.lang.reflect.Method.invoke(Method.java:568)\n";

static const char output[] =
	"DEBUG    urllib3.connectionpool:connectionpool.py:228 Starting new HTTP connection (1): 127.0.0.1:8080\n"
	"DEBUG    urllib3.connectionpool:connectionpool.py:456 http://127.0.0.1:8080 \"POST /api/v1/messages HTTP/1.1\" 200 57\n"
	"INFO     app.e2e:test_chat.py:31 message accepted in 31.4 ms\n";

static void pytest(FILE *f, long n, long run)
{
	long i;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"utf-8\"?><testsuites>"
		   "<testsuite name=\"pytest\" errors=\"0\" failures=\"0\" "
		   "skipped=\"0\" tests=\"0\" time=\"0\" "
		   "timestamp=\"2026-11-23T03:37:19.%06ld\" hostname=\"ci\">",
		run % 1000000);
	for (i = 0; i < n; i++) {
		long mod = i / 50, cls = (i / 10) % 5;
		fprintf(f,
			"<testcase classname=\"tests.e2e.test_mod%ld.TestGroup%ld\" "
			"name=\"test_case_%ld[param-%ld]\" time=\"%ld.%03ld\"",
			mod, cls, i, i % 7, (i % 13) / 4, (i * 37) % 1000);
		if (i % 10 == 3)
			fprintf(f, "><failure message=\"AssertionError: staging "
				   "returned 503&#10;assert 503 == 200\">%s"
				   "</failure></testcase>",
				traceback);
		else if (i % 20 == 7)
			fputs("><skipped type=\"pytest.skip\" message=\"needs "
			      "staging\">tests/e2e/test_chat.py:21: needs "
			      "staging</skipped></testcase>",
			      f);
		else if (i % 5 == 1)
			fprintf(f, "><system-out>--------------------------------- "
				   "Captured Log ---------------------------------\n%s"
				   "</system-out></testcase>",
				output);
		else
			fputs(" />", f);
	}
	fputs("</testsuite></testsuites>", f);
}

static void surefire(FILE *f, long n, long run)
{
	long i;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n", f);
	for (i = 0; i < n; i++) {
		long cls = i / 200;
		if (i % 200 == 0) {
			int k;
			if (i)
				fputs("</testsuite>\n", f);
			fprintf(f, "<testsuite xmlns:xsi=\"http://www.w3.org/2001/"
				   "XMLSchema-instance\" version=\"3.0.2\" "
				   "name=\"com.example.chat.ChatIT%ld\" time=\"1.%ld\" "
				   "tests=\"200\" errors=\"0\" skipped=\"0\" "
				   "failures=\"0\">\n  <properties>\n",
				cls, 5 + run);
			for (k = 0; k < 20; k++)
				fprintf(f, "    <property name=\"java.prop%d\" "
					   "value=\"/usr/lib/jvm/java-17/lib/%d\"/>\n",
					k, k);
			fputs("  </properties>\n", f);
		}
		fprintf(f,
			"  <testcase name=\"roundtrip%ld\" "
			"classname=\"com.example.chat.ChatIT%ld\" time=\"%ld.%03ld\"",
			i, cls, (i % 13) / 4, (i * 37) % 1000);
		if (i % 10 == 3)
			fprintf(f, ">\n    <failure message=\"expected: &lt;200&gt; but "
				   "was: &lt;503&gt;\" type=\"org.opentest4j."
				   "AssertionFailedError\"><![CDATA[%s]]></failure>\n"
				   "  </testcase>\n",
				stack);
		else if (i % 33 == 5)
			fprintf(f, ">\n    <flakyFailure message=\"timeout\" "
				   "type=\"java.net.SocketTimeoutException\">\n"
				   "      <stackTrace><![CDATA[%s]]></stackTrace>\n"
				   "    </flakyFailure>\n  </testcase>\n",
				stack);
		else if (i % 20 == 7)
			fputs(">\n    <skipped message=\"needs staging\"/>\n"
			      "  </testcase>\n",
			      f);
		else if (i % 5 == 1)
			fprintf(f, ">\n    <system-out><![CDATA[%s]]></system-out>\n"
				   "  </testcase>\n",
				output);
		else
			fputs("/>\n", f);
	}
	fputs(n ? "</testsuite>\n</testsuites>\n" : "</testsuites>\n", f);
}

int main(int argc, char **argv)
{
	FILE *f;
	long n, run;

	if ((argc != 4 && argc != 5) ||
	    (strcmp(argv[1], "pytest") && strcmp(argv[1], "surefire"))) {
		fprintf(stderr, "usage: gen_report pytest|surefire N OUT [RUN]\n");
		return 2;
	}
	n = strtol(argv[2], NULL, 10);
	run = argc == 5 ? strtol(argv[4], NULL, 10) : 0;
	if (run < 0) {
		fprintf(stderr, "gen_report: RUN must be 0 or more\n");
		return 2;
	}
	f = fopen(argv[3], "w");
	if (!f || n < 0) {
		perror(argv[3]);
		return 2;
	}
	if (strcmp(argv[1], "pytest") == 0)
		pytest(f, n, run);
	else
		surefire(f, n, run);
	return fclose(f) == 0 ? 0 : 1;
}
