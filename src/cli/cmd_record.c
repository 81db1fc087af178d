/*
 * cmd_record.c - truegreen record: run a test command with the network
 * recorder preloaded (src/netlog/shim.c), and keep its record file.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
	"usage: truegreen record [--output FILE] -- COMMAND [ARGS...]\n"
	"\n"
	"Run COMMAND with truegreen's network recorder preloaded: every\n"
	"outbound connection attempt (and name lookup) of it and of its\n"
	"children is appended to FILE (default truegreen-netlog.jsonl) with\n"
	"the test running at that moment ($PYTEST_CURRENT_TEST, or\n"
	"$TRUEGREEN_TEST_ID for other runners).  Import FILE with the test\n"
	"reports.  COMMAND's input, output and exit code pass through.\n";

/* The shim next to this binary (the build puts them side by side). */
static int shim_path(char *out, size_t n)
{
	char self[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (len <= 0)
		return -1;
	self[len] = '\0';
	if (!(slash = strrchr(self, '/')))
		return -1;
	*slash = '\0';
	if (snprintf(out, n, "%s/libtruegreen_netlog.so", self) >= (int)n)
		return -1;
	return access(out, R_OK);
}

/* Whether the program at path is dynamically linked (an ELF with an
 * interpreter) or a script; a static binary cannot be observed. */
static int observable(const char *prog)
{
	char path[PATH_MAX];
	unsigned char h[64];
	FILE *f;
	size_t n;

	if (strchr(prog, '/')) {
		snprintf(path, sizeof(path), "%s", prog);
	} else {
		const char *p = getenv("PATH");
		bool found = false;
		while (p && *p && !found) {
			size_t k = strcspn(p, ":");
			snprintf(path, sizeof(path), "%.*s/%s", (int)k, p, prog);
			found = access(path, X_OK) == 0;
			p += k + (p[k] == ':');
		}
		if (!found)
			return -1; /* exec will say it */
	}
	if (!(f = fopen(path, "rb")))
		return -1;
	n = fread(h, 1, sizeof(h), f);
	if (n >= 2 && h[0] == '#' && h[1] == '!') {
		fclose(f);
		return 1;
	}
	if (n < 64 || memcmp(h, "\x7f" "ELF", 4) != 0 || h[4] != 2) {
		fclose(f);
		return -1; /* not a 64-bit ELF: let it run, say nothing */
	}
	{
		uint64_t phoff;
		uint16_t phentsize, phnum, i;
		memcpy(&phoff, h + 32, 8);
		memcpy(&phentsize, h + 54, 2);
		memcpy(&phnum, h + 56, 2);
		for (i = 0; i < phnum && phentsize >= 4; i++) {
			uint32_t type;
			if (fseek(f, (long)(phoff + (uint64_t)i * phentsize),
				  SEEK_SET) != 0 ||
			    fread(&type, 4, 1, f) != 1)
				break;
			if (type == 3) { /* PT_INTERP */
				fclose(f);
				return 1;
			}
		}
	}
	fclose(f);
	return 0;
}

/*
 * Start the record file afresh with its header line.  Afresh: the shim
 * appends (its writers are many processes), and the records a stale file
 * from an earlier job on a reused workspace holds would pass for this
 * run's connections.  With a header: a run that made no connection at
 * all still leaves a record, which says so (import reads it as evidence
 * of absence).  Done before the command starts, so a file that cannot be
 * written stops it instead of losing every record.  0, or -1 with errno.
 */
static int start_record(const char *path, const char *cmd)
{
	cJSON *h = cJSON_CreateObject();
	char now[32], *line = NULL;
	time_t t = time(NULL);
	struct tm tm;
	size_t n;
	int fd, rc = -1;

	if (!gmtime_r(&t, &tm) ||
	    !strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm))
		now[0] = '\0';
	/* "truegreen_netlog" first: import recognises the file by it */
	if (h && cJSON_AddNumberToObject(h, "truegreen_netlog", 1) &&
	    cJSON_AddStringToObject(h, "started", now) &&
	    cJSON_AddStringToObject(h, "command", cmd))
		line = cJSON_PrintUnformatted(h);
	cJSON_Delete(h);
	if (!line) {
		errno = ENOMEM;
		return -1;
	}
	n = strlen(line);
	line[n] = '\n'; /* over the NUL: one write() of the whole line */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0 && write(fd, line, n + 1) == (ssize_t)(n + 1))
		rc = 0;
	if (fd >= 0 && close(fd) != 0)
		rc = -1;
	cJSON_free(line);
	return rc;
}

int cmd_record(cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *output = "truegreen-netlog.jsonl", *pre;
	char shim[PATH_MAX], abs[PATH_MAX], *preload;
	size_t n;
	pid_t pid;
	int opt, status;

	(void)c;
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage, stdout);
			return EXIT_OK;
		} else if (opt == 'o') {
			output = optarg;
		} else {
			return cli_usage("record", "unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage("record", "no command: truegreen record -- "
					   "COMMAND [ARGS...]");
	if (shim_path(shim, sizeof(shim)) != 0) {
		fprintf(stderr, "truegreen: error: cannot find "
				"libtruegreen_netlog.so next to the truegreen "
				"binary\n");
		return EXIT_USAGE;
	}
	if (observable(argv[optind]) == 0)
		fprintf(stderr,
			"truegreen: warning: '%s' is statically linked: its "
			"connections are not observable\n",
			argv[optind]);
	/* an absolute path: the command may change directory */
	if (output[0] != '/' && getcwd(abs, sizeof(abs)) &&
	    strlen(abs) + strlen(output) + 2 < sizeof(abs)) {
		strncat(abs, "/", sizeof(abs) - strlen(abs) - 1);
		strncat(abs, output, sizeof(abs) - strlen(abs) - 1);
		output = abs;
	}
	if (start_record(output, argv[optind]) != 0) {
		fprintf(stderr, "truegreen: error: cannot write '");
		tg_fput_escaped(stderr, output);
		fprintf(stderr, "': %s\n", strerror(errno));
		return EXIT_INPUT;
	}
	pre = getenv("LD_PRELOAD");
	n = strlen(shim) + (pre ? strlen(pre) + 1 : 0) + 1;
	if (!(preload = malloc(n))) {
		fputs("truegreen: error: out of memory\n", stderr);
		return EXIT_INPUT;
	}
	snprintf(preload, n, "%s%s%s", shim, pre && pre[0] ? ":" : "",
		 pre ? pre : "");
	fflush(NULL);
	if ((pid = fork()) < 0) {
		fprintf(stderr, "truegreen: error: cannot fork: %s\n",
			strerror(errno));
		free(preload);
		return EXIT_INPUT;
	}
	if (pid == 0) {
		setenv("LD_PRELOAD", preload, 1);
		setenv("TRUEGREEN_NETLOG", output, 1);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "truegreen: error: cannot run '%s': %s\n",
			argv[optind], strerror(errno));
		_exit(127);
	}
	free(preload);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return EXIT_INPUT;
	/* the command's own exit code passes through */
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
