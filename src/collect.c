/*
 * collect.c - the import chain of a pytest collection error (collect.h).
 *
 * Plain string work on traceback lines; no I/O, no PCRE2 (the frame and
 * exception lines have a fixed shape).
 */
#include "collect.h"

#include <string.h>

#include "err.h"

void tg_collect_init(tg_collect *c)
{
	memset(c, 0, sizeof(*c));
	tg_buf_init(&c->path, TG_MAX_NAME);
	tg_buf_init(&c->exc, TG_MAX_NAME);
	tg_buf_init(&c->msg, TG_MAX_MESSAGE);
	tg_buf_init(&c->frames, (size_t)TG_MAX_CHAIN * TG_MAX_NAME);
	tg_buf_init(&c->mods, (size_t)(TG_MAX_CHAIN + 2) * TG_MAX_NAME);
	tg_buf_init(&c->scratch, TG_MAX_NAME);
}

void tg_collect_release(tg_collect *c)
{
	tg_buf_release(&c->path);
	tg_buf_release(&c->exc);
	tg_buf_release(&c->msg);
	tg_buf_release(&c->frames);
	tg_buf_release(&c->mods);
	tg_buf_release(&c->scratch);
}

void tg_collect_open(tg_collect *c, const char *path, size_t n, uint64_t line)
{
	tg_buf_reset(&c->path);
	tg_buf_reset(&c->exc);
	tg_buf_reset(&c->msg);
	tg_buf_reset(&c->frames);
	tg_buf_add(&c->path, path, n);
	c->nframes = 0;
	c->line = line;
	c->open = true;
}

/* A frame of pytest's, importlib's or pluggy's, not the user's. */
static bool internal_frame(const char *f, size_t n)
{
	static const char *const skip[] = {"importlib/", "importlib\\",
					   "_pytest/",	 "_pytest\\",
					   "<frozen",	 "pluggy/",
					   "pluggy\\"};
	size_t i;

	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (tg_memmem(f, n, skip[i], strlen(skip[i])))
			return true;
	return false;
}

/* "file.py:12: in <module>": the file's length, 0 if not such a line. */
static size_t module_frame(const char *s, size_t n)
{
	static const char tail[] = ": in <module>";
	size_t k = sizeof(tail) - 1, i;

	if (n <= k || s[0] == ' ' || memcmp(s + n - k, tail, k) != 0)
		return 0;
	i = n - k;
	while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')
		i--;
	if (i == n - k || i < 2 || s[i - 1] != ':')
		return 0;
	return i - 1;
}

void tg_collect_line(tg_collect *c, const char *s, size_t n)
{
	size_t f = module_frame(s, n), i;

	if (!c->open)
		return;
	if (f) {
		if (!internal_frame(s, f) && c->nframes < TG_MAX_CHAIN) {
			c->frame_off[c->nframes] = c->frames.len;
			c->frame_len[c->nframes++] = f;
			tg_buf_add(&c->frames, s, f);
		}
		return;
	}
	/* "E   ModuleNotFoundError: No module named 'x'": the first one */
	if (c->exc.len || n < 4 || s[0] != 'E' || (s[1] != ' ' && s[1] != '\t'))
		return;
	for (i = 1; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	f = i;
	while (i < n && (s[i] == '_' || s[i] == '.' ||
			 (s[i] >= 'a' && s[i] <= 'z') ||
			 (s[i] >= 'A' && s[i] <= 'Z') ||
			 (s[i] >= '0' && s[i] <= '9')))
		i++;
	if (i == f || i + 2 > n || s[i] != ':' || s[i + 1] != ' ')
		return;
	tg_buf_add(&c->exc, s + f, i - f);
	tg_buf_add(&c->msg, s + i + 2, n - i - 2);
}

/* The dotted module of a frame's file: rootdir and site-packages
 * stripped, ".py" and "/__init__" dropped, separators as dots. */
static void module_of(tg_buf *out, const char *root, const char *f, size_t n)
{
	static const char *const roots[] = {"site-packages/", "dist-packages/"};
	size_t i, r = strlen(root);
	const char *p;

	tg_buf_reset(out);
	if (r && n > r && memcmp(f, root, r) == 0 &&
	    (f[r] == '/' || f[r] == '\\')) {
		f += r + 1;
		n -= r + 1;
	}
	for (i = 0; i < 2; i++)
		if ((p = tg_memmem(f, n, roots[i], strlen(roots[i])))) {
			n -= (size_t)(p - f) + strlen(roots[i]);
			f = p + strlen(roots[i]);
		}
	if (n > 3 && memcmp(f + n - 3, ".py", 3) == 0)
		n -= 3;
	if (n > 9 && (memcmp(f + n - 9, "/__init__", 9) == 0 ||
		      memcmp(f + n - 9, "\\__init__", 9) == 0))
		n -= 9;
	for (i = 0; i < n; i++)
		tg_buf_addc(out, f[i] == '/' || f[i] == '\\' ? '.' : f[i]);
}

/* The quoted name after key in msg, as a span; false if absent. */
static bool quoted_after(const char *msg, const char *key, size_t *off,
			 size_t *len)
{
	const char *q = strstr(msg, key), *e;

	if (!q)
		return false;
	q += strlen(key);
	if (!(e = strchr(q, '\'')))
		return false;
	*off = (size_t)(q - msg);
	*len = (size_t)(e - q);
	return true;
}

/*
 * What could not be imported, and from which module: "No module named
 * 'a.b'" -> a.b, from a.b; "cannot import name 'X' from 'm' (...)" -> X,
 * from m (also "from partially initialized module 'm'").
 */
static void missing_of(const char *msg, size_t *moff, size_t *mlen,
		       size_t *foff, size_t *flen)
{
	*moff = *mlen = *foff = *flen = 0;
	if (quoted_after(msg, "No module named '", moff, mlen)) {
		*foff = *moff;
		*flen = *mlen;
	} else if (quoted_after(msg, "cannot import name '", moff, mlen)) {
		if (!quoted_after(msg + *moff, " module '", foff, flen) &&
		    !quoted_after(msg + *moff, " from '", foff, flen))
			return;
		*foff += *moff;
	}
}

int tg_collect_close(tg_collect *c, const char *rootdir, const tg_sink *sink,
		     tg_err *err)
{
	tg_collect_error ce;
	size_t off[TG_MAX_CHAIN + 1], n = 0, i, moff, mlen, foff, flen;

	if (!c->open)
		return 0;
	c->open = false;
	missing_of(c->msg.ptr, &moff, &mlen, &foff, &flen);
	/* the chain: the test module as pytest names it, each module of the
	 * frames after it, then the module that failed if not already last */
	tg_buf_reset(&c->mods);
	off[n++] = 0;
	tg_buf_add(&c->mods, c->path.ptr, c->path.len + 1);
	for (i = 1; i < c->nframes; i++) {
		off[n++] = c->mods.len;
		module_of(&c->scratch, rootdir,
			  c->frames.ptr + c->frame_off[i], c->frame_len[i]);
		tg_buf_add(&c->mods, c->scratch.ptr, c->scratch.len + 1);
	}
	if (flen && n <= TG_MAX_CHAIN) {
		const char *last = c->mods.ptr + off[n - 1];
		if (strlen(last) != flen ||
		    memcmp(last, c->msg.ptr + foff, flen) != 0) {
			off[n++] = c->mods.len;
			tg_buf_add(&c->mods, c->msg.ptr + foff, flen);
			tg_buf_addc(&c->mods, '\0');
		}
	}
	tg_buf_reset(&c->scratch);
	tg_buf_add(&c->scratch, c->msg.ptr + moff, mlen);
	{
		const tg_buf *b[] = {&c->path,	 &c->exc,  &c->msg,
				     &c->frames, &c->mods, &c->scratch};
		for (i = 0; i < sizeof(b) / sizeof(b[0]); i++)
			if (b[i]->failed && !b[i]->toobig)
				return tg_err_nomem(err);
	}
	for (i = 0; i < n; i++)
		c->chain[i] = c->mods.ptr + off[i];
	ce.path = c->path.ptr;
	ce.exc_type = c->exc.ptr;
	ce.missing = c->scratch.ptr;
	ce.message = c->msg.ptr;
	ce.chain = c->chain;
	ce.nchain = n;
	ce.line = c->line;
	return sink->collect_error
		       ? sink->collect_error(sink->payload, &ce, err)
		       : 0;
}
