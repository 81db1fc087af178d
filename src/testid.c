/*
 * testid.c - derive pytest-style node ids from JUnit attributes.
 *
 * See testid.h for the rule.  Pure string work: no I/O, no allocation
 * beyond the caller's buffers.
 */
#include "testid.h"

#include <string.h>

typedef struct span {
	const char *p;
	size_t n;
} span;

static span trim(const char *s)
{
	span t = {s ? s : "", s ? strlen(s) : 0};

	while (t.n && (*t.p == ' ' || *t.p == '\t' || *t.p == '\n' ||
		       *t.p == '\r'))
		t.p++, t.n--;
	while (t.n && (t.p[t.n - 1] == ' ' || t.p[t.n - 1] == '\t' ||
		       t.p[t.n - 1] == '\n' || t.p[t.n - 1] == '\r'))
		t.n--;
	return t;
}

static bool span_eq(span a, span b)
{
	return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

static bool is_ident(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!(c == '_' || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return false;
	}
	return true;
}

/* pytest's default python_files: test_*.py and *_test.py. */
static bool is_test_module(const char *s, size_t n)
{
	return (n > 5 && memcmp(s, "test_", 5) == 0) ||
	       (n > 5 && memcmp(s + n - 5, "_test", 5) == 0);
}

bool tg_testid_is_python_file(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return n > 3 && memcmp(path + n - 3, ".py", 3) == 0;
}

/* Append s with every '.' written as sep. */
static void add_dotted(tg_buf *b, const char *s, size_t n, const char *sep)
{
	size_t i, start = 0;

	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			tg_buf_add(b, s + start, i - start);
			if (i < n)
				tg_buf_adds(b, sep);
			start = i + 1;
		}
	}
}

/*
 * If c is a dotted Python path with a test-module segment, return the
 * length of the module part (through that segment), else 0.
 */
static size_t python_module_prefix(span c)
{
	size_t i, start = 0, module_end = 0;

	for (i = 0; i <= c.n; i++) {
		if (i == c.n || c.p[i] == '.') {
			if (!is_ident(c.p + start, i - start))
				return 0;
			if (is_test_module(c.p + start, i - start))
				module_end = i;
			start = i + 1;
		}
	}
	return module_end;
}

/* Normalise a .py file attribute: backslashes to '/', no leading "./". */
static void add_py_path(tg_buf *b, span f)
{
	size_t i, at = b->len;

	while (f.n >= 2 && f.p[0] == '.' && (f.p[1] == '/' || f.p[1] == '\\'))
		f.p += 2, f.n -= 2;
	tg_buf_add(b, f.p, f.n);
	if (b->failed)
		return;
	for (i = at; i < b->len; i++)
		if (b->ptr[i] == '\\')
			b->ptr[i] = '/';
}

/* The classes in classname after the module of a .py file, if any. */
static span class_tail(span cls, span path)
{
	span base = path, none = {"", 0};
	size_t i;

	/* The module's own name: last path component without ".py". */
	for (i = path.n; i > 0; i--)
		if (path.p[i - 1] == '/' || path.p[i - 1] == '\\')
			break;
	base.p = path.p + i;
	base.n = path.n - i - 3;
	for (i = 0; i + base.n <= cls.n; i++) {
		bool starts = i == 0 || cls.p[i - 1] == '.';
		if (!starts || memcmp(cls.p + i, base.p, base.n) != 0)
			continue;
		if (i + base.n == cls.n)
			return none;
		if (cls.p[i + base.n] == '.') {
			span t = {cls.p + i + base.n + 1,
				  cls.n - i - base.n - 1};
			return t;
		}
	}
	return none;
}

/* Is n a dotted module ("tests.test_x") whose file path ends path? */
static bool names_module(span n, const tg_buf *path)
{
	size_t i, at;

	if (!memchr(n.p, '.', n.n) || python_module_prefix(n) != n.n ||
	    path->len < n.n + 3)
		return false;
	at = path->len - n.n - 3;
	if (at && path->ptr[at - 1] != '/')
		return false;
	for (i = 0; i < n.n; i++)
		if (path->ptr[at + i] != (n.p[i] == '.' ? '/' : n.p[i]))
			return false;
	return true;
}

static void add_node(tg_buf *id, span tail, span name)
{
	if (tail.n) {
		tg_buf_adds(id, "::");
		add_dotted(id, tail.p, tail.n, "::");
	}
	if (name.n) {
		tg_buf_adds(id, "::");
		tg_buf_add(id, name.p, name.n);
	}
}

/* mocha-junit-reporter: name "Chat page sends a message", classname
 * "sends a message" (the test's own title, after the describe path). */
static bool is_title_suffix(span c, span n)
{
	return n.n > c.n + 1 && n.p[n.n - c.n - 1] == ' ' &&
	       memcmp(n.p + n.n - c.n, c.p, c.n) == 0;
}

bool tg_testid_build(tg_buf *id, tg_buf *path, const char *file,
		     const char *classname, const char *name)
{
	span f = trim(file), c = trim(classname), n = trim(name);
	size_t mod;

	tg_buf_reset(id);
	tg_buf_reset(path);
	if (f.n > 3 && memcmp(f.p + f.n - 3, ".py", 3) == 0) {
		add_py_path(path, f);
		tg_buf_add(id, path->ptr, path->len);
		/* xunit1 names a collection error by its dotted module,
		 * with the file: the id is the module's path (rule 3) */
		if (c.n || !names_module(n, path))
			add_node(id, class_tail(c, f), n);
	} else if (span_eq(c, n)) {
		/* jest-junit and CTest repeat the name as classname; checked
		 * before rule 2, since "disabled_test" looks like a module. */
		tg_buf_add(id, n.p, n.n);
	} else if ((mod = python_module_prefix(c)) != 0) {
		span tail = {c.p + mod + 1, mod < c.n ? c.n - mod - 1 : 0};
		add_dotted(path, c.p, mod, "/");
		tg_buf_adds(path, ".py");
		tg_buf_add(id, path->ptr, path->len);
		add_node(id, tail, n);
	} else if (c.n == 0 && (mod = python_module_prefix(n)) == n.n && mod) {
		add_dotted(path, n.p, n.n, "/");
		tg_buf_adds(path, ".py");
		tg_buf_add(id, path->ptr, path->len);
	} else if (c.n == 0 || is_title_suffix(c, n)) {
		tg_buf_add(id, n.p, n.n);
	} else {
		tg_buf_add(id, c.p, c.n);
		tg_buf_adds(id, "::");
		tg_buf_add(id, n.p, n.n);
	}
	return !id->failed && !path->failed;
}

bool tg_testid_nodeid(tg_buf *id, tg_buf *path, const char *nodeid)
{
	span t = trim(nodeid);
	const char *sep = t.n ? tg_memmem(t.p, t.n, "::", 2) : NULL;

	tg_buf_reset(id);
	tg_buf_reset(path);
	tg_buf_add(id, t.p, t.n);
	tg_buf_add(path, t.p, sep ? (size_t)(sep - t.p) : t.n);
	return !id->failed && !path->failed;
}
