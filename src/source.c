/*
 * source.c - open inputs, replay their first bytes, hash what is read,
 * and walk directories.
 *
 * Knows files and descriptors; knows nothing of report formats.
 */
#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "err.h"

static void source_init(tg_source *s)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	tg_sha256_init(&s->sha);
}

int tg_source_open_path(tg_source *s, const char *path, tg_err *err)
{
	bool is_stdin = strcmp(path, "-") == 0;
	struct stat st;
	int fd, flags;

	source_init(s);
	s->name = tg_strdup(is_stdin ? "<stdin>" : path);
	if (!s->name)
		return tg_err_nomem(err);
	if (is_stdin) {
		s->fd = STDIN_FILENO;
		return 0;
	}
	/* O_NONBLOCK: opening a FIFO without a writer must not hang. */
	fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		tg_err_setloc(err, TG_EINPUT, path, 0, 0, "cannot open '%s': %s",
			      path, strerror(errno));
		err->cause = errno;
		return TG_EINPUT;
	}
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode) ||
	    !(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode))) {
		close(fd);
		return tg_err_setloc(err, TG_EINPUT, path, 0, 0,
				     "cannot read '%s': not a regular file",
				     path);
	}
	/* Back to blocking reads: a pipe's writer may still be writing;
	 * with no writer at all, read() sees end of file at once. */
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		(void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	s->fd = fd;
	s->own_fd = true;
	if (S_ISREG(st.st_mode)) {
		s->path = tg_strdup(path);
		if (!s->path)
			return tg_err_nomem(err);
		s->reopenable = true;
		s->size = st.st_size > 0 ? (uint64_t)st.st_size : 0;
	}
	return 0;
}

int tg_source_reopen(tg_source *out, const tg_source *src, tg_err *err)
{
	int rc;

	if (!src->reopenable)
		return tg_err_setloc(err, TG_EINPUT, src->name, 0, 0,
				     "'%s' cannot be read twice", src->name);
	rc = src->path ? tg_source_open_path(out, src->path, err)
		       : tg_source_open_memory(out, src->name, src->mem,
					       src->mem_len, err);
	out->no_digest = true;
	return rc;
}

int tg_source_reopen_at(tg_source *out, const tg_source *src, uint64_t at,
			uint64_t base_line, tg_err *err)
{
	int rc = tg_source_reopen(out, src, err);

	if (rc)
		return rc;
	out->base = at;
	out->base_line = base_line;
	if (out->fd < 0) {
		out->mem_pos = at < out->mem_len ? (size_t)at : out->mem_len;
		return 0;
	}
	if (lseek(out->fd, (off_t)at, SEEK_SET) < 0) {
		tg_source_close(out);
		return tg_err_setloc(err, TG_EIO, src->name, 0, 0,
				     "cannot seek in '%s': %s", src->name,
				     strerror(errno));
	}
	return 0;
}

/* Read n bytes at offset `at` of a reopenable source's content. */
static int read_at(const tg_source *s, unsigned char *buf, size_t n,
		   uint64_t at, size_t *got, tg_err *err)
{
	ssize_t r;

	*got = 0;
	if (s->fd < 0) {
		if (at < s->mem_len) {
			*got = s->mem_len - at < n ? (size_t)(s->mem_len - at) : n;
			memcpy(buf, s->mem + at, *got);
		}
		return 0;
	}
	do {
		r = pread(s->fd, buf, n, (off_t)at);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return tg_err_setloc(err, TG_EIO, s->name, 0, 0,
				     "cannot read '%s': %s", s->name,
				     strerror(errno));
	*got = (size_t)r;
	return 0;
}

int tg_source_tail(const tg_source *s, unsigned char *buf, size_t n,
		   size_t *got, uint64_t *size, tg_err *err)
{
	struct stat st;

	*got = 0;
	if (s->fd < 0) {
		*size = s->mem_len;
	} else if (fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode)) {
		*size = (uint64_t)st.st_size;
	} else {
		return tg_err_setloc(err, TG_EIO, s->name, 0, 0,
				     "cannot read the end of '%s'", s->name);
	}
	if ((uint64_t)n > *size)
		n = (size_t)*size;
	return read_at(s, buf, n, *size - n, got, err);
}

int tg_source_open_memory(tg_source *s, const char *name, const void *data,
			  size_t len, tg_err *err)
{
	source_init(s);
	s->name = tg_strdup(name);
	if (!s->name)
		return tg_err_nomem(err);
	s->mem = data;
	s->mem_len = len;
	s->size = len;
	s->reopenable = true;
	return 0;
}

/* Read from the underlying input, bypassing the head. */
static ptrdiff_t raw_read(tg_source *s, void *buf, size_t n, tg_err *err)
{
	ssize_t got;

	if (s->eof || n == 0)
		return 0;
	if (s->fd < 0) {
		size_t left = s->mem_len - s->mem_pos;
		if (n > left)
			n = left;
		memcpy(buf, s->mem + s->mem_pos, n);
		s->mem_pos += n;
		if (n == 0)
			s->eof = true;
		return (ptrdiff_t)n;
	}
	do {
		got = read(s->fd, buf, n);
	} while (got < 0 && errno == EINTR);
	if (got < 0) {
		tg_err_setloc(err, TG_EIO, s->name, 0, 0,
			      "cannot read '%s': %s", s->name, strerror(errno));
		err->cause = errno;
		return TG_EIO;
	}
	if (got == 0)
		s->eof = true;
	return got;
}

int tg_source_peek(tg_source *s, const unsigned char **head, size_t *n,
		   tg_err *err)
{
	while (!s->head_done && s->head_len < sizeof(s->head)) {
		ptrdiff_t got = raw_read(s, s->head + s->head_len,
					 sizeof(s->head) - s->head_len, err);
		if (got < 0)
			return (int)got;
		if (got == 0)
			break;
		s->head_len += (size_t)got;
	}
	s->head_done = true;
	*head = s->head;
	*n = s->head_len;
	return 0;
}

ptrdiff_t tg_source_read(tg_source *s, void *buf, size_t n, tg_err *err)
{
	ptrdiff_t got;

	if (s->head_pos < s->head_len) {
		size_t left = s->head_len - s->head_pos;
		got = (ptrdiff_t)(n < left ? n : left);
		memcpy(buf, s->head + s->head_pos, (size_t)got);
		s->head_pos += (size_t)got;
	} else {
		got = raw_read(s, buf, n, err);
		if (got <= 0)
			return got;
	}
	if (!s->no_digest)
		tg_sha256_update(&s->sha, buf, (size_t)got);
	s->bytes += (uint64_t)got;
	if (s->on_read && s->bytes >= s->next_report) {
		s->next_report = s->bytes + TG_PROGRESS_STEP;
		s->on_read(s->on_read_ctx, s);
	}
	return got;
}

int tg_source_drain(tg_source *s, tg_err *err)
{
	char buf[16384];
	ptrdiff_t got;

	while ((got = tg_source_read(s, buf, sizeof(buf), err)) > 0)
		;
	return got < 0 ? (int)got : 0;
}

void tg_source_digest(tg_source *s, char hex[TG_SHA256_HEX])
{
	tg_sha256 copy = s->sha;

	tg_sha256_final_hex(&copy, hex);
}

void tg_source_close(tg_source *s)
{
	if (s->own_fd && s->fd >= 0)
		close(s->fd);
	tg_free(s->name);
	tg_free(s->path);
	source_init(s);
}

bool tg_source_is_dir(const char *path)
{
	struct stat st;

	return strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
	       S_ISDIR(st.st_mode);
}

/* ---- directory walk ---------------------------------------------------- */

typedef struct walk {
	tg_walk_fn fn;
	tg_walk_skip_fn skip;
	void *payload;
	size_t files;
	tg_buf path;
} walk;

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tg_free(names[i]);
	tg_free(names);
}

/* The sorted entry names of a directory, without "." and "..". */
static int list_dir(char ***out, size_t *count, const char *path, tg_err *err)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d = opendir(path);

	if (!d) {
		tg_err_setloc(err, TG_EINPUT, path, 0, 0,
			      "cannot open directory '%s': %s", path,
			      strerror(errno));
		err->cause = errno;
		return TG_EINPUT;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (!tg_grow((void **)&names, &cap, n + 1, sizeof(*names)) ||
		    !(names[n] = tg_strdup(de->d_name))) {
			closedir(d);
			free_names(names, n);
			return tg_err_nomem(err);
		}
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	*out = names;
	*count = n;
	return 0;
}

static int walk_dir(walk *w, unsigned depth, tg_err *err)
{
	char **names = NULL;
	size_t n = 0, i, base = w->path.len;
	int rc;

	if (depth > TG_MAX_DIR_DEPTH)
		return tg_err_setloc(err, TG_ELIMIT, w->path.ptr, 0, 0,
				     "directory '%s' is nested more than %u "
				     "levels deep",
				     w->path.ptr, TG_MAX_DIR_DEPTH);
	rc = list_dir(&names, &n, w->path.ptr, err);
	if (rc)
		return rc;
	for (i = 0; i < n && rc == 0; i++) {
		struct stat st;

		tg_buf_truncate(&w->path, base);
		if (base && w->path.ptr[base - 1] != '/')
			tg_buf_addc(&w->path, '/');
		tg_buf_adds(&w->path, names[i]);
		if (w->path.failed) {
			rc = w->path.toobig
				     ? tg_err_setloc(err, TG_ELIMIT, names[i], 0,
						     0, "path too long under '%s'",
						     names[i])
				     : tg_err_nomem(err);
			break;
		}
		/* lstat: never follow links, so no loop and no escape. */
		if (lstat(w->path.ptr, &st) != 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			w->skip(w->path.ptr,
				"skipped: a symbolic link (links under a "
				"directory are not followed; name the target "
				"to import it)",
				w->payload);
		} else if (S_ISDIR(st.st_mode)) {
			rc = walk_dir(w, depth + 1, err);
		} else if (S_ISREG(st.st_mode)) {
			if (++w->files > TG_MAX_DIR_FILES)
				rc = tg_err_setloc(
					err, TG_ELIMIT, w->path.ptr, 0, 0,
					"more than %u files under the "
					"directory",
					TG_MAX_DIR_FILES);
			else
				rc = w->fn(w->path.ptr, w->payload, err);
		} else {
			w->skip(w->path.ptr, "skipped: not a regular file",
				w->payload);
		}
	}
	tg_buf_truncate(&w->path, base);
	free_names(names, n);
	return rc;
}

int tg_source_walk(const char *dir, tg_walk_fn fn, tg_walk_skip_fn skip,
		   void *payload, tg_err *err)
{
	walk w = {fn, skip, payload, 0, TG_BUF_INIT(4096)};
	int rc;

	tg_buf_adds(&w.path, dir);
	if (w.path.failed)
		return tg_err_setloc(err, TG_ELIMIT, dir, 0, 0,
				     "directory path too long");
	rc = walk_dir(&w, 0, err);
	tg_buf_release(&w.path);
	return rc;
}
