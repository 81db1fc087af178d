/*
 * replay.c - run a fuzz target over files without libFuzzer: every file
 * named, and every file in a directory named.  CTest replays the seed
 * corpus and every input that once crashed (tests/fuzz/corpus/TARGET/)
 * this way in every build, with or without clang.
 */
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		if (f)
			fclose(f);
		return 1;
	}
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return 1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int i, bad = 0, files = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *e;
		/* absolute: a target may change directory (fuzz_cli.c) */
		char dir[PATH_MAX];

		if (!realpath(argv[i], dir) || stat(dir, &st) != 0) {
			fprintf(stderr, "replay: no %s\n", argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			bad |= run_file(dir);
			files++;
			continue;
		}
		if (!(d = opendir(dir)))
			return 1;
		while ((e = readdir(d))) {
			char path[PATH_MAX + 256];
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
				bad |= run_file(path);
				files++;
			}
		}
		closedir(d);
	}
	/* stderr: a target may have sent stdout to /dev/null */
	fprintf(stderr, "replay: %d inputs\n", files);
	return bad || files == 0;
}
