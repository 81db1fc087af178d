/*
 * fuzz_cli.c - the command line: the input, split at NUL bytes, is the
 * argument vector after `truegreen --db fuzz.db`, handed to cli_main
 * exactly as the binary's main() hands it over.
 *
 * The commands read and write files, so each input runs in a scratch
 * directory that holds one report of each kind, a baseline and a rules
 * file (named below, for the seeds to use); whatever an input creates
 * there is removed afterwards.  The database is not ":memory:", where
 * every command but import and check would stop at "no schema": it is a
 * fresh copy, for each input, of one into which setup() imported those
 * reports twice (so `tests`, `analyze`, `report` and `baseline learn`
 * have runs and history to work on).  Inputs that could reach outside it are
 * skipped: an argument with a '/' or starting with "..", and `record`,
 * which runs a program.  Standard input is /dev/null, standard output is
 * discarded and the environment names no database or step summary.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_ARGS = 32 };

static const struct {
	const char *name, *text;
} seeds[] = {
	{"r.xml",
	 "<testsuite name=\"s\" tests=\"3\">"
	 "<testcase classname=\"tests.e2e.test_chat\" name=\"test_send\" "
	 "file=\"tests/e2e/test_chat.py\" line=\"3\" time=\"0.15\">"
	 "<system-err>WARNING falling back to MockClient</system-err>"
	 "</testcase>"
	 "<testcase classname=\"tests.unit.test_a\" name=\"test_b\" "
	 "time=\"0.002\"/>"
	 "<testcase classname=\"c\" name=\"d\"><failure message=\"m\">"
	 "E   ModuleNotFoundError: No module named 'x'</failure></testcase>"
	 "</testsuite>\n"},
	{"p.log",
	 "============================= test session starts "
	 "==============================\n"
	 "collected 3 items / 1 error\n\n"
	 "tests/e2e/test_chat.py::test_send PASSED                  [ 50%]\n"
	 "tests/e2e/test_ws.py::T::test_ws PASSED                   [100%]\n"
	 "=============================== warnings summary "
	 "===============================\n"
	 "tests/e2e/test_ws.py::T::test_ws\n"
	 "  RuntimeWarning: coroutine 'T.test_ws' was never awaited\n"
	 "=========================== short test summary info "
	 "============================\n"
	 "ERROR tests/e2e/test_x.py\n"
	 "==================== 2 passed, 1 error in 0.31s "
	 "=====================\n"},
	{"l.jsonl",
	 "{\"pytest_version\": \"7.2.1\", \"$report_type\": "
	 "\"SessionStart\"}\n"
	 "{\"nodeid\": \"t.py::a\", \"when\": \"call\", \"outcome\": "
	 "\"passed\", \"duration\": 0.1, \"$report_type\": "
	 "\"TestReport\", \"location\": [\"t.py\", 1, \"a\"], "
	 "\"keywords\": {}, \"longrepr\": null, \"sections\": []}\n"
	 "{\"nodeid\": \"t.py::a\", \"when\": \"teardown\", \"outcome\": "
	 "\"passed\", \"duration\": 0.01, \"$report_type\": "
	 "\"TestReport\", \"location\": [\"t.py\", 1, \"a\"], "
	 "\"keywords\": {}, \"longrepr\": null, \"sections\": []}\n"
	 "{\"exitstatus\": 0, \"$report_type\": \"SessionFinish\"}\n"},
	{"n.jsonl",
	 "{\"truegreen_netlog\":1,\"wall_ms\":1,\"mono_us\":2,\"pid\":3,"
	 "\"tid\":3,\"test\":\"t.py::a\",\"phase\":\"call\","
	 "\"op\":\"connect\",\"fd\":5,\"family\":\"inet\","
	 "\"addr\":\"10.0.0.1\",\"port\":443,\"loopback\":false,"
	 "\"result\":\"ok\"}\n"},
	{"b.json",
	 "{\"truegreen_baseline\": 1, \"tests\": [{\"match\": "
	 "\"tests/e2e/**\", \"min_duration\": 1.0, \"requires_network\": "
	 "true}], \"suites\": [{\"match\": \"tests/e2e/**\", "
	 "\"min_tests\": 5}]}\n"},
	{"rules.json",
	 "{\"rules\": [{\"name\": \"acme.fake\", \"signal\": \"mock\", "
	 "\"pattern\": \"FAKE=1\", \"match\": [\"FAKE=1\"], "
	 "\"nomatch\": [\"FAKE=0\"]}]}\n"},
};

static char scratch[64];
static char *template_db; /* the populated database, in memory */
static size_t template_size;

static bool is_seed(const char *name)
{
	size_t i;

	if (strcmp(name, "fuzz.db") == 0)
		return true;
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
		if (strcmp(name, seeds[i].name) == 0)
			return true;
	return false;
}

/* Remove what the last input created (files only: no command makes a
 * directory). */
static void sweep(void)
{
	DIR *d = opendir(".");
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && !is_seed(e->d_name))
			unlink(e->d_name);
	closedir(d);
}

static void remove_scratch(void)
{
	size_t i;

	sweep();
	unlink("fuzz.db");
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
		unlink(seeds[i].name);
	free(template_db);
	if (chdir("/") == 0)
		rmdir(scratch);
}

/* Write the template over fuzz.db (which an input may have changed or
 * replaced). */
static bool reset_db(void)
{
	FILE *f = fopen("fuzz.db", "wb");

	if (!f)
		return false;
	fwrite(template_db, 1, template_size, f);
	return fclose(f) == 0;
}

/* Import the seed reports into fuzz.db as two runs, then keep its bytes
 * as the template every input starts from. */
static bool make_template(void)
{
	/* argv strings are writable (--meta splits its pair in place) */
	static char meta[] = "branch=main";
	char *run1[] = {"truegreen", "--db", "fuzz.db", "import", "-q",
			"--run", "one", "r.xml", "p.log", "n.jsonl", NULL};
	char *run2[] = {"truegreen", "--db", "fuzz.db", "import", "-q",
			"--run", "two", "--meta", meta, "r.xml",
			"l.jsonl", NULL};
	FILE *f;
	long n;

	if (cli_main(10, run1) != 0 || cli_main(11, run2) != 0 ||
	    !(f = fopen("fuzz.db", "rb")))
		return false;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 ||
	    !(template_db = malloc((size_t)n))) {
		fclose(f);
		return false;
	}
	rewind(f);
	template_size = fread(template_db, 1, (size_t)n, f);
	fclose(f);
	return template_size == (size_t)n;
}

static bool setup(void)
{
	size_t i;
	int fd;

	snprintf(scratch, sizeof(scratch), "%s",
		 "/tmp/truegreen-fuzz-cli-XXXXXX");
	if (!mkdtemp(scratch) || chdir(scratch) != 0)
		return false;
	atexit(remove_scratch);
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		FILE *f = fopen(seeds[i].name, "w");
		if (!f)
			return false;
		fputs(seeds[i].text, f);
		if (fclose(f) != 0)
			return false;
	}
	if ((fd = open("/dev/null", O_RDWR)) < 0 || dup2(fd, 0) < 0 ||
	    dup2(fd, 1) < 0)
		return false;
	close(fd);
	setenv("TMPDIR", scratch, 1);
	unsetenv("TRUEGREEN_DB");
	unsetenv("GITHUB_STEP_SUMMARY");
	setenv("NO_COLOR", "1", 1);
	return make_template();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	char *buf, *argv[MAX_ARGS + 4];
	int argc = 0;
	size_t i, start = 0;

	if (!ready) {
		/* a target that silently ran nothing would report clean
		 * fuzzing: a broken setup stops it loudly instead */
		if (!setup()) {
			fprintf(stderr, "fuzz_cli: cannot set up %s\n",
				scratch);
			abort();
		}
		ready = true;
	}
	if (!(buf = malloc(size + 1)))
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = "truegreen";
	argv[argc++] = "--db";
	argv[argc++] = "fuzz.db";
	for (i = 0; i <= size && argc < MAX_ARGS + 3; i++) {
		if (i < size && buf[i] != '\0')
			continue;
		argv[argc] = buf + start;
		if (strchr(argv[argc], '/') ||
		    strncmp(argv[argc], "..", 2) == 0 ||
		    strcmp(argv[argc], "record") == 0)
			goto out;
		argc++;
		start = i + 1;
	}
	argv[argc] = NULL;
	if (reset_db())
		cli_main(argc, argv);
	fflush(stdout);
	sweep();
out:
	free(buf);
	return 0;
}
