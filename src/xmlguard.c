/*
 * xmlguard.c - DTD refusal, encoding choice and byte repair for XML
 * inputs (see xmlguard.h for what and why).
 *
 * Knows XML's lexical rules for the prolog, UTF-8 and character
 * references; knows nothing of JUnit.
 */
#include "xmlguard.h"

#include <stdint.h>
#include <string.h>

#include "alloc.h"
#include "err.h"
#include "utf8.h"

enum {
	P_TOP,      /* between prolog items: white space or '<' */
	P_LT,       /* after '<' */
	P_PI,       /* inside <? ... ?> */
	P_BANG,     /* after "<!": deciding comment or DOCTYPE */
	P_COMMENT,  /* inside <!-- ... --> */
	P_DOCTYPE,  /* inside <!DOCTYPE ... > */
	P_DONE,     /* the root element started: the prolog is over */
};

static const unsigned char REPLACEMENT[] = {0xEF, 0xBF, 0xBD};
static const char REPLACEMENT_REF[] = "&#xFFFD;";

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool eq_nocase(const char *a, const char *b)
{
	while (*a && *b && lower(*a) == lower(*b))
		a++, b++;
	return *a == '\0' && *b == '\0';
}

/* Read the encoding="..." of an XML declaration at the start of head. */
static bool declared_encoding(const unsigned char *h, size_t n, char *out,
			      size_t outsz)
{
	const char *p = (const char *)h, *end, *e;
	size_t len;

	if (n < 5 || memcmp(h, "<?xml", 5) != 0)
		return false;
	end = memchr(p, '>', n);
	if (!end)
		return false;
	for (e = p; e + 8 < end; e++)
		if (memcmp(e, "encoding", 8) == 0)
			break;
	if (e + 8 >= end)
		return false;
	e += 8;
	while (e < end && (*e == ' ' || *e == '=' || *e == '\t'))
		e++;
	if (e >= end || (*e != '"' && *e != '\''))
		return false;
	p = memchr(e + 1, *e, (size_t)(end - e - 1));
	if (!p)
		return false;
	len = (size_t)(p - e - 1);
	if (len == 0 || len >= outsz)
		return false;
	memcpy(out, e + 1, len);
	out[len] = '\0';
	return true;
}

static tg_xml_mode mode_for_encoding(const char *enc)
{
	static const char *const utf8[] = {"utf-8", "utf8", "us-ascii",
					   "ascii"};
	static const char *const eight_bit[] = {
		"iso-8859-1", "iso-8859-2", "iso-8859-15", "latin1",
		"latin-1",    "windows-1250", "windows-1252", "cp1252"};
	size_t i;

	for (i = 0; i < sizeof(utf8) / sizeof(utf8[0]); i++)
		if (eq_nocase(enc, utf8[i]))
			return TG_XML_UTF8;
	for (i = 0; i < sizeof(eight_bit) / sizeof(eight_bit[0]); i++)
		if (eq_nocase(enc, eight_bit[i]))
			return TG_XML_8BIT;
	return TG_XML_NATIVE;
}

int tg_xmlguard_init(tg_xmlguard *g, tg_source *src, tg_err *err)
{
	const unsigned char *h;
	size_t n;
	char enc[TG_XMLGUARD_ENCODING_MAX];
	int rc;

	memset(g, 0, sizeof(*g));
	g->src = src;
	g->err = err;
	g->line = 1 + src->base_line;
	g->offset = g->line_start = src->base;
	g->pad_left = TG_XMLGUARD_EOF_PAD;
	rc = tg_source_peek(src, &h, &n, err);
	if (rc)
		return rc;
	if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF) {
		h += 3;
		n -= 3;
	} else if (n >= 2 && ((h[0] == 0xFE && h[1] == 0xFF) ||
			      (h[0] == 0xFF && h[1] == 0xFE) ||
			      h[0] == 0 || h[1] == 0)) {
		g->mode = TG_XML_NATIVE; /* UTF-16/32: libxml2 decodes */
		return 0;
	}
	if (!declared_encoding(h, n, enc, sizeof(enc))) {
		g->mode = TG_XML_UTF8;
	} else {
		g->mode = mode_for_encoding(enc);
		if (g->mode == TG_XML_NATIVE)
			return 0;
	}
	if (g->mode == TG_XML_8BIT)
		memcpy(g->encoding, enc, strlen(enc) + 1);
	return 0;
}

/* Make at least `need` bytes available at in_pos if the input has them. */
static int fill(tg_xmlguard *g, size_t need)
{
	while (!g->in_eof && g->in_len - g->in_pos < need) {
		ptrdiff_t got;

		if (g->in_pos) {
			memmove(g->in, g->in + g->in_pos, g->in_len - g->in_pos);
			g->in_len -= g->in_pos;
			g->in_pos = 0;
		}
		got = tg_source_read(g->src, g->in + g->in_len,
				     sizeof(g->in) - g->in_len, g->err);
		if (got < 0) {
			g->failed = true;
			return -1;
		}
		if (got == 0)
			g->in_eof = true;
		g->in_len += (size_t)got;
	}
	return 0;
}

static void note_repair(tg_xmlguard *g)
{
	if (g->replaced++ == 0) {
		g->first_line = g->line;
		g->first_col = g->offset - g->line_start + 1;
	}
}

static int refuse_dtd(tg_xmlguard *g)
{
	tg_err_setloc(g->err, TG_EINPUT, g->src->name, g->line,
		      g->offset - g->line_start + 1,
		      "'%s' has a DOCTYPE with an internal subset; truegreen "
		      "never reads DTDs or entity declarations",
		      g->src->name);
	g->err->offset = g->offset;
	g->failed = true;
	return -1;
}

/* Advance the prolog scanner over byte c; -1 if the input is refused. */
static int scan_prolog(tg_xmlguard *g, unsigned char c)
{
	static const char doctype[] = "DOCTYPE";

	switch (g->pstate) {
	case P_TOP:
		if (c == '<')
			g->pstate = P_LT;
		break;
	case P_LT:
		g->pcount = 0;
		g->pstate = c == '?' ? P_PI : c == '!' ? P_BANG : P_DONE;
		if (g->pstate == P_DONE)
			g->root_at = g->offset - 1; /* the '<' before c */
		break;
	case P_PI:
		if (c == '>' && g->pcount)
			g->pstate = P_TOP;
		g->pcount = c == '?';
		break;
	case P_BANG:
		if (g->pcount == 0 && c == '-') {
			g->pcount = 100; /* "<!-" seen */
		} else if (g->pcount == 100) {
			g->pstate = c == '-' ? P_COMMENT : P_DONE;
			g->pcount = 0;
		} else if (g->pcount < 7 && c == (unsigned char)doctype[g->pcount]) {
			if (++g->pcount == 7) {
				g->pstate = P_DOCTYPE;
				g->pquote = 0;
			}
		} else {
			g->pstate = P_DONE; /* not for us: libxml2 complains */
		}
		break;
	case P_COMMENT:
		if (c == '>' && g->pcount >= 2)
			g->pstate = P_TOP;
		g->pcount = c == '-' ? g->pcount + 1 : 0;
		break;
	case P_DOCTYPE:
		if (g->pquote) {
			if (c == (unsigned char)g->pquote)
				g->pquote = 0;
		} else if (c == '"' || c == '\'') {
			g->pquote = (char)c;
		} else if (c == '[') {
			return refuse_dtd(g);
		} else if (c == '>') {
			g->pstate = P_TOP;
		}
		break;
	}
	return 0;
}

/* Length of the valid XML character in UTF-8 at p (n bytes available),
 * or 0.  Besides UTF-8 validity, U+FFFE and U+FFFF are not XML chars. */
static size_t utf8_xml_char(const unsigned char *p, size_t n)
{
	uint32_t cp;
	size_t len = tg_utf8_decode(p, n, &cp);

	return len && cp != 0xFFFE && cp != 0xFFFF ? len : 0;
}

static bool xml_char_ok(unsigned long cp)
{
	return cp == 0x9 || cp == 0xA || cp == 0xD ||
	       (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
	       (cp >= 0x10000 && cp <= 0x10FFFF);
}

/*
 * If p starts a character reference to a character XML forbids, return
 * its length, else 0.  Too long to judge (leading zeros): 0, and libxml2
 * decides.
 */
static size_t bad_charref(const unsigned char *p, size_t n)
{
	unsigned long cp = 0;
	size_t i = 2;
	bool hex, digits = false;

	if (n < 4 || p[1] != '#')
		return 0;
	hex = p[2] == 'x';
	if (hex)
		i++;
	for (; i < n && i < 24; i++) {
		unsigned char c = p[i];
		unsigned v;
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (hex && lower((char)c) >= 'a' && lower((char)c) <= 'f')
			v = (unsigned)(lower((char)c) - 'a' + 10);
		else
			break;
		cp = cp * (hex ? 16 : 10) + v;
		if (cp > 0x10FFFF)
			cp = 0x110000; /* stays out of range */
		digits = true;
	}
	if (!digits || i >= n || p[i] != ';')
		return 0;
	return xml_char_ok(cp) ? 0 : i + 1;
}

static void set_pending(tg_xmlguard *g, const void *bytes, size_t n)
{
	memcpy(g->pend, bytes, n);
	g->pend_pos = 0;
	g->pend_len = n;
}

/* Handle the one special byte at in_pos (control, '&', non-ASCII). */
static void repair_one(tg_xmlguard *g)
{
	const unsigned char *p = g->in + g->in_pos;
	size_t avail = g->in_len - g->in_pos, len;
	unsigned char c = p[0];

	if (c == '&') {
		len = bad_charref(p, avail);
		if (len) {
			note_repair(g);
			set_pending(g, REPLACEMENT_REF, sizeof(REPLACEMENT_REF) - 1);
		} else {
			len = 1;
			set_pending(g, p, 1);
		}
	} else if (c < 0x80) { /* a C0 control other than tab, LF, CR */
		len = 1;
		note_repair(g);
		if (g->mode == TG_XML_UTF8)
			set_pending(g, REPLACEMENT, sizeof(REPLACEMENT));
		else
			set_pending(g, "?", 1);
	} else if (g->mode == TG_XML_8BIT) {
		len = 1;
		set_pending(g, p, 1);
	} else if ((len = utf8_xml_char(p, avail)) != 0) {
		set_pending(g, p, len);
	} else {
		len = 1;
		note_repair(g);
		set_pending(g, REPLACEMENT, sizeof(REPLACEMENT));
	}
	g->in_pos += len;
	g->offset += len;
}

static bool is_plain(unsigned char c)
{
	return (c >= 0x20 && c < 0x80 && c != '&') || c == '\t' || c == '\r';
}

/*
 * Length of the prefix of p[0..n) that needs no look at all: printable
 * ASCII other than '&', and tab, CR, LF (LF counted as a line; p starts
 * at g->offset).  Eight bytes at a time (the SWAR tests of "Bit Twiddling
 * Hacks"); a word with a byte below 0x20 is checked byte by byte, since
 * in real reports that is almost always a line end.
 */
static size_t plain_run(tg_xmlguard *g, const unsigned char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	size_t i = 0, k;

	for (; i + 8 <= n; i += 8) {
		uint64_t w, amp;
		memcpy(&w, p + i, 8);
		amp = w ^ (ones * '&');
		if ((w & highs) || ((amp - ones) & ~amp & highs))
			break;
		if (!((w - ones * 0x20) & ~w & highs))
			continue;
		for (k = 0; k < 8; k++) {
			unsigned char c = p[i + k];
			if (c == '\n') {
				g->line++;
				g->line_start = g->offset + i + k + 1;
			} else if (c < 0x20 && c != '\t' && c != '\r') {
				return i + k; /* before it: all plain */
			}
		}
	}
	return i;
}

/*
 * How many of the next `run` input bytes pass as they are, counting the
 * lines they end.  An '&' that does not start a character reference
 * passes too (&gt; and friends are common); one that does is left for
 * repair_one() to judge.
 */
static size_t copyable(tg_xmlguard *g, size_t run)
{
	const unsigned char *p = g->in + g->in_pos;
	size_t avail = g->in_len - g->in_pos, i = 0;

	while (i < run) {
		unsigned char c;

		if (g->pstate == P_DONE)
			i += plain_run(g, p + i, run - i);
		if (i >= run)
			break;
		c = p[i];
		if (c == '\n') {
			g->line++;
			g->line_start = g->offset + i + 1;
		} else if (c == '&') {
			if (i + 1 >= avail || p[i + 1] == '#')
				break;
		} else if (!is_plain(c)) {
			break;
		}
		i++;
	}
	return i;
}

/* At the end of input: note where it was, then hand out white space
 * (see xmlguard.h) until the pad is used up. */
static size_t pad(tg_xmlguard *g, char *buf, size_t room)
{
	size_t n;

	if (!g->at_eof) {
		g->at_eof = true;
		g->eof_line = g->line;
		g->eof_col = g->offset - g->line_start + 1;
	}
	/* Only after the root's start tag began: before it, the injected
	 * element would become the root. */
	if (g->inject && !g->injected && g->pstate == P_DONE &&
	    g->offset > g->root_at + 1) {
		g->injected = true;
		set_pending(g, TG_XMLGUARD_EOF_ELEMENT,
			    sizeof(TG_XMLGUARD_EOF_ELEMENT) - 1);
		return 0; /* the caller hands out the pending bytes */
	}
	n = g->pad_left < room ? g->pad_left : room;
	memset(buf, ' ', n);
	g->pad_left -= n;
	return n;
}

void tg_xmlguard_salvage(tg_xmlguard *g, uint64_t stop_at, bool inject)
{
	g->stop_at = stop_at;
	g->inject = inject;
}

/* Whether the construct starting at t[0] == '<' closes within t[0..n). */
static bool construct_closes(const unsigned char *t, size_t n)
{
	static const struct {
		const char *open, *close;
	} kinds[] = {{"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"}};
	size_t i, k;
	char quote = 0;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t ol = strlen(kinds[k].open), cl = strlen(kinds[k].close);
		if (n < ol || memcmp(t, kinds[k].open, ol) != 0)
			continue;
		for (i = ol; i + cl <= n; i++)
			if (memcmp(t + i, kinds[k].close, cl) == 0)
				return true;
		return false;
	}
	for (i = 1; i < n; i++) { /* a tag: '>' outside quotes */
		if (quote) {
			if (t[i] == (unsigned char)quote)
				quote = 0;
		} else if (t[i] == '"' || t[i] == '\'') {
			quote = (char)t[i];
		} else if (t[i] == '>') {
			return true;
		}
	}
	return false;
}

uint64_t tg_xmlguard_stop_point(const unsigned char *tail, size_t n,
				uint64_t size)
{
	size_t j = n;

	while (j > 0 && tail[j - 1] != '<')
		j--;
	if (j == 0 || construct_closes(tail + j - 1, n - j + 1))
		return size;
	return size - (n - j + 1);
}

static int guard_read(tg_xmlguard *g, char *buf, size_t want)
{
	size_t out = 0;

	if (g->failed)
		return -1;
	if (g->mode == TG_XML_NATIVE) {
		ptrdiff_t got = tg_source_read(g->src, buf, want, g->err);
		if (got < 0)
			g->failed = true;
		return got < 0 ? -1 : (int)got;
	}
	while (out < want) {
		size_t run, i;

		if (g->pend_pos < g->pend_len) {
			size_t k = g->pend_len - g->pend_pos;
			if (k > want - out)
				k = want - out;
			memcpy(buf + out, g->pend + g->pend_pos, k);
			g->pend_pos += k;
			out += k;
			continue;
		}
		if (fill(g, 32) < 0)
			return -1;
		if (g->in_pos == g->in_len ||
		    (g->stop_at && g->offset >= g->stop_at)) {
			size_t n = pad(g, buf + out, want - out);
			if (n == 0 && g->pend_pos < g->pend_len)
				continue; /* the injected element */
			out += n;
			break;
		}
		if (!g->bom_checked) {
			g->bom_checked = true;
			if (g->in_len - g->in_pos >= 3 &&
			    memcmp(g->in + g->in_pos, "\xEF\xBB\xBF", 3) == 0) {
				g->in_pos += 3;
				g->offset += 3;
				continue;
			}
		}
		if (g->pstate != P_DONE) {
			unsigned char c = g->in[g->in_pos];
			if (scan_prolog(g, c) < 0)
				return -1;
		}
		/* Copy the longest run of bytes that need nothing. */
		run = g->in_len - g->in_pos;
		if (run > want - out)
			run = want - out;
		if (g->stop_at && run > g->stop_at - g->offset)
			run = (size_t)(g->stop_at - g->offset);
		if (g->pstate != P_DONE && run > 1)
			run = 1; /* the prolog is scanned byte by byte */
		i = copyable(g, run);
		if (i) {
			memcpy(buf + out, g->in + g->in_pos, i);
			g->in_pos += i;
			g->offset += i;
			out += i;
		} else {
			repair_one(g);
		}
	}
	return (int)out;
}

/* ---- huge mode: a lexer over what is handed out ------------------------- */

enum {
	L_TEXT, L_LT, L_BANG, L_COMMENT, L_CDATA, L_PI, L_DECL, L_TAG, L_QUOTE
};

static const char CDATA_SPLIT[] = "]]><![CDATA[";

int tg_xmlguard_huge(tg_xmlguard *g, tg_err *err)
{
	g->huge = true;
	g->lst = L_TEXT;
	if (!(g->hold = tg_malloc(TG_XMLGUARD_WINDOW)))
		return tg_err_nomem(err);
	return 0;
}

void tg_xmlguard_release(tg_xmlguard *g)
{
	tg_free(g->hold);
	g->hold = NULL;
}

static int refuse_run(tg_xmlguard *g, const char *what)
{
	/* a break in the report, not an error (junit_reader.c) */
	tg_err_setloc(g->err, TG_ELIMIT, g->src->name, g->line, 0,
		      "%s over %u bytes", what, TG_XMLGUARD_HUGE_RUN);
	g->failed = true;
	return -1;
}

/*
 * Lex p[0..n) from the state in g: how many bytes may go out before a
 * CDATA split is due (then g->split is set), or -1 when a construct is
 * over the limit.  A split goes only before a byte that starts a
 * character and after no ']', so it never cuts a character or a "]]>".
 */
static ptrdiff_t lex(tg_xmlguard *g, const unsigned char *p, size_t n)
{
	static const char cdata[] = "[CDATA[";
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = p[i];

		switch (g->lst) {
		case L_TEXT:
			if (c == '<')
				g->lst = L_LT;
			break;
		case L_LT:
			g->lk = 0;
			g->lrun = 0;
			g->lst = c == '!' ? L_BANG : c == '?' ? L_PI : L_TAG;
			if (c == '>')
				g->lst = L_TEXT;
			break;
		case L_BANG:
			g->lmark[g->lk++] = (char)c;
			if (g->lk == 2 && memcmp(g->lmark, "--", 2) == 0) {
				g->lst = L_COMMENT;
				g->lk = 0;
			} else if (g->lk <= 7 &&
				   memcmp(g->lmark, cdata, g->lk) == 0) {
				if (g->lk == 7) {
					g->lst = L_CDATA;
					g->lk = 0;
					g->lrun = 0;
				}
			} else if (!(g->lk == 1 && c == '-')) {
				g->lst = c == '>' ? L_TEXT : L_DECL;
			}
			break;
		case L_COMMENT:
			if (c == '>' && g->lk >= 2)
				g->lst = L_TEXT;
			g->lk = c == '-' ? g->lk + 1 : 0;
			if (++g->lrun > TG_XMLGUARD_HUGE_RUN)
				return refuse_run(g, "a comment");
			break;
		case L_PI:
			if (c == '>' && g->lk)
				g->lst = L_TEXT;
			g->lk = c == '?';
			if (++g->lrun > TG_XMLGUARD_HUGE_RUN)
				return refuse_run(g, "a processing instruction");
			break;
		case L_DECL:
			if (c == '>')
				g->lst = L_TEXT;
			break;
		case L_TAG:
			if (c == '"' || c == '\'') {
				g->lquote = (char)c;
				g->lst = L_QUOTE;
				g->lrun = 0;
			} else if (c == '>') {
				g->lst = L_TEXT;
			}
			break;
		case L_QUOTE:
			if (c == (unsigned char)g->lquote)
				g->lst = L_TAG;
			else if (++g->lrun > TG_XMLGUARD_HUGE_RUN)
				return refuse_run(g, "an attribute value");
			break;
		case L_CDATA:
			if (g->lrun >= TG_XMLGUARD_HUGE_RUN && g->lk == 0 &&
			    (c & 0xC0) != 0x80) {
				g->split = CDATA_SPLIT;
				g->split_pos = 0;
				g->lrun = 0;
				return (ptrdiff_t)i;
			}
			if (c == '>' && g->lk >= 2)
				g->lst = L_TEXT;
			g->lk = c == ']' ? g->lk + 1 : 0;
			g->lrun++;
			break;
		}
	}
	return (ptrdiff_t)n;
}

int tg_xmlguard_read(void *ctx, char *buf, int len)
{
	tg_xmlguard *g = ctx;
	size_t out = 0, want = len > 0 ? (size_t)len : 0;

	if (!g->huge)
		return guard_read(g, buf, want);
	while (out < want) {
		size_t n;
		ptrdiff_t k;

		if (g->split && g->split[g->split_pos]) {
			buf[out++] = g->split[g->split_pos++];
			continue;
		}
		g->split = NULL;
		if (g->hold_pos == g->hold_len) {
			/* no more than asked for, so the guard's place in
			 * the input (messages, the end) stays libxml2's */
			int got = guard_read(g, (char *)g->hold,
					     want < TG_XMLGUARD_WINDOW
						     ? want
						     : TG_XMLGUARD_WINDOW);
			if (got < 0)
				return -1;
			if (got == 0)
				break;
			g->hold_pos = 0;
			g->hold_len = (size_t)got;
		}
		n = g->hold_len - g->hold_pos;
		if (n > want - out)
			n = want - out;
		if ((k = lex(g, g->hold + g->hold_pos, n)) < 0)
			return -1;
		memcpy(buf + out, g->hold + g->hold_pos, (size_t)k);
		out += (size_t)k;
		g->hold_pos += (size_t)k;
	}
	return (int)out;
}

/* ---- document boundaries ------------------------------------------------ */

enum {
	D_TEXT,     /* content, or between documents */
	D_LT,       /* after '<' */
	D_MARKUP,   /* after "<!": comment, CDATA or declaration */
	D_COMMENT,  /* inside <!-- --> */
	D_CDATA,    /* inside <![CDATA[ ]]> */
	D_DECL,     /* inside <!DOCTYPE ...> and the like */
	D_PI,       /* inside <? ?> */
	D_ETAG,     /* inside </name> */
	D_STAG,     /* inside <name ...> */
	D_QUOTE,    /* inside a quoted attribute value */
};

typedef struct dscan {
	int state;
	char quote;
	unsigned run;      /* dashes, brackets or the '/' seen last */
	char mark[10];     /* the first bytes after "<!" */
	size_t nmark;
	uint64_t depth;
	bool closed;       /* the root element closed */
} dscan;

/* Advance over byte c; true when, with the root closed, c is the '<' of
 * something that starts a new document (an element or <?xml). */
static bool dscan_step(dscan *d, unsigned char c, const unsigned char *next,
		       size_t nnext)
{
	switch (d->state) {
	case D_TEXT:
		if (c == '<') {
			d->state = D_LT;
			if (d->closed && nnext >= 1 &&
			    (next[0] != '!' && next[0] != '/' &&
			     (next[0] != '?' ||
			      (nnext >= 4 && memcmp(next, "?xml", 4) == 0))))
				return true;
		}
		break;
	case D_LT:
		d->run = 0;
		d->nmark = 0;
		d->state = c == '!' ? D_MARKUP : c == '?' ? D_PI
			 : c == '/' ? D_ETAG : D_STAG;
		break;
	case D_MARKUP:
		d->mark[d->nmark++] = (char)c;
		if (d->nmark == 2 && memcmp(d->mark, "--", 2) == 0)
			d->state = D_COMMENT;
		else if (d->nmark == 7 && memcmp(d->mark, "[CDATA[", 7) == 0)
			d->state = D_CDATA;
		else if (d->nmark >= 7 || (d->mark[0] != '-' && d->mark[0] != '['))
			d->state = c == '>' ? D_TEXT : D_DECL;
		break;
	case D_COMMENT:
		if (c == '>' && d->run >= 2)
			d->state = D_TEXT;
		d->run = c == '-' ? d->run + 1 : 0;
		break;
	case D_CDATA:
		if (c == '>' && d->run >= 2)
			d->state = D_TEXT;
		d->run = c == ']' ? d->run + 1 : 0;
		break;
	case D_DECL:
		if (c == '>')
			d->state = D_TEXT;
		break;
	case D_PI:
		if (c == '>' && d->run)
			d->state = D_TEXT;
		d->run = c == '?';
		break;
	case D_ETAG:
		if (c == '>') {
			d->state = D_TEXT;
			if (d->depth && --d->depth == 0)
				d->closed = true;
		}
		break;
	case D_STAG:
		if (c == '"' || c == '\'') {
			d->quote = (char)c;
			d->state = D_QUOTE;
		} else if (c == '>') {
			d->state = D_TEXT;
			if (!d->run)
				d->depth++;
			else if (d->depth == 0)
				d->closed = true; /* a self-closed root */
		}
		d->run = c == '/';
		break;
	case D_QUOTE:
		if (c == (unsigned char)d->quote)
			d->state = D_STAG;
		break;
	}
	return false;
}

int tg_xmlguard_next_document(tg_source *src, uint64_t *end, uint64_t *next,
			      tg_err *err)
{
	unsigned char buf[16384 + 8];
	size_t keep = 0;
	uint64_t at = src->base;
	dscan d = {D_TEXT, 0, 0, "", 0, 0, false};
	tg_source r;
	ptrdiff_t got;
	int rc = tg_source_reopen_at(&r, src, src->base, src->base_line, err);

	*next = *end = 0;
	if (rc)
		return rc;
	/* keep the last bytes of a chunk to look ahead across chunks */
	while ((got = tg_source_read(&r, buf + keep, sizeof(buf) - 8 - keep,
				     err)) > 0 || keep) {
		size_t n = keep + (got > 0 ? (size_t)got : 0), i;
		size_t scan = got > 0 && n > 8 ? n - 8 : n;

		for (i = 0; i < scan; i++, at++) {
			bool was_closed = d.closed;
			if (dscan_step(&d, buf[i], buf + i + 1, n - i - 1)) {
				*next = at;
				goto out;
			}
			if (d.closed && !was_closed)
				*end = at + 1;
			if (d.closed && d.state == D_TEXT && buf[i] != '<' &&
			    buf[i] != ' ' && buf[i] != '\n' && buf[i] != '\r' &&
			    buf[i] != '\t' && buf[i] != '>')
				goto out; /* text after the root: not a document */
		}
		keep = n - scan;
		memmove(buf, buf + scan, keep);
		if (got <= 0)
			break;
	}
	if (got < 0)
		rc = (int)got;
out:
	tg_source_close(&r);
	return rc;
}
