/*
 * xmlguard.h - the byte-level guard between a source and libxml2.
 *
 * It decides how libxml2 may read an input, and cleans what real CI
 * reports get wrong:
 *
 *  - ASCII-compatible input (UTF-8, no declaration, or a declared 8-bit
 *    encoding): the guard refuses any <!DOCTYPE with an internal subset
 *    before libxml2 sees it.  With no DTD there can be no entity
 *    declarations, hence no XXE and no entity bombs.  The declared
 *    encoding is forced (XML_PARSE_IGNORE_ENC) so a second encoding
 *    cannot smuggle a DTD past the scan.  libxml2's own limits stay on
 *    as well (no XML_PARSE_HUGE: see parse_junit.c).
 *  - In UTF-8 it replaces, with U+FFFD, what libxml2 would reject
 *    outright: invalid UTF-8, raw C0 control bytes (an ESC in test
 *    output) and illegal character references (Surefire's &#27;), and
 *    counts them so the importer can warn.  Line numbers are unchanged.
 *  - At the end of input it feeds white space first: libxml2's reader
 *    parses its last bytes with "terminate", and when that fails (a
 *    truncated report) it hands out none of the nodes the same push
 *    completed.  White space cannot close an element, so a truncated
 *    report stays truncated, but every complete testcase is delivered
 *    before the final push fails.
 *  - Anything else (UTF-16/32 with or without a BOM, EBCDIC, unknown
 *    encodings) passes through untouched; libxml2's entity-loop and size
 *    guards, and the parser's DOCTYPE check, refuse what needs refusing.
 */
#ifndef TG_XMLGUARD_H
#define TG_XMLGUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "source.h"
#include "truegreen/error.h"

typedef enum tg_xml_mode {
	TG_XML_UTF8,   /* scanned and repaired */
	TG_XML_8BIT,   /* scanned; a declared single-byte encoding */
	TG_XML_NATIVE, /* passed through; libxml2's own guards only */
} tg_xml_mode;

#define TG_XMLGUARD_WINDOW 65536
#define TG_XMLGUARD_ENCODING_MAX 32

typedef struct tg_xmlguard {
	tg_source *src;
	tg_err *err;           /* where a refusal or read error is recorded */
	tg_xml_mode mode;
	/* The 8-bit encoding to force on libxml2; "" in the other modes
	 * (UTF-8 is libxml2's own: named, every byte would go through a
	 * converter, which costs a dry run 4%) */
	char encoding[TG_XMLGUARD_ENCODING_MAX];
	unsigned char in[TG_XMLGUARD_WINDOW];
	size_t in_pos, in_len;
	bool in_eof, failed, bom_checked;
	unsigned char pend[16]; /* replacement bytes not yet handed out */
	size_t pend_pos, pend_len;
	/* prolog scanner */
	int pstate;
	unsigned pcount;
	char pquote;
	/* position of the next input byte, for messages */
	uint64_t offset, line, line_start;
	/* repairs */
	uint64_t replaced, first_line, first_col;
	/* padding after the real end of input (see tg_xmlguard_read) */
	size_t pad_left;
	bool at_eof;
	uint64_t eof_line, eof_col;
	uint64_t root_at;   /* offset of the root element's '<' */
	/* salvage (tg_xmlguard_salvage): end the input at stop_at and put
	 * one empty element there, before the padding */
	uint64_t stop_at;
	bool inject, injected;
	/* huge mode (tg_xmlguard_huge): the output is lexed, CDATA sections
	 * are split, over-long attribute values, comments and PIs refused */
	bool huge;
	int lst;               /* lexer state */
	char lquote;
	unsigned lk;           /* ']', '-' or '?' just seen; "<!" chars */
	char lmark[8];
	uint64_t lrun;         /* bytes in the construct so far */
	unsigned char *hold;   /* guarded bytes not yet handed out */
	size_t hold_pos, hold_len;
	const char *split;     /* a CDATA split not yet handed out */
	size_t split_pos;
} tg_xmlguard;

/* CDATA longer than this is split in huge mode; attribute values,
 * comments and processing instructions longer than it are refused (in
 * libxml2 2.9.14 with XML_PARSE_HUGE they take quadratic time: 12 MB of
 * attribute, 20 s). */
#define TG_XMLGUARD_HUGE_RUN (1024u * 1024u)

/* The element a salvage pass appends: unknown to every JUnit dialect. */
#define TG_XMLGUARD_EOF_ELEMENT "<tg-end-of-input/>"

/* White space fed to libxml2 after the input ends: more than the reader's
 * 512-byte push, so the last real bytes are parsed by an ordinary push. */
#define TG_XMLGUARD_EOF_PAD 8192

/* Look at the source's first bytes and choose the mode. */
int tg_xmlguard_init(tg_xmlguard *g, tg_source *src, tg_err *err);

/*
 * Make g ready for a parse with XML_PARSE_HUGE, which reads a text node
 * of any length in linear time but CDATA sections, attribute values,
 * comments and PIs over a few MB in quadratic time: what g hands out is
 * lexed, each CDATA section is split into sections of at most
 * TG_XMLGUARD_HUGE_RUN bytes (between characters, the text unchanged),
 * and a longer attribute value, comment or PI fails the read.  Only for
 * the UTF-8 and 8-bit modes.  Returns 0 or TG_ENOMEM.
 */
int tg_xmlguard_huge(tg_xmlguard *g, tg_err *err);

/* Release what tg_xmlguard_huge took. */
void tg_xmlguard_release(tg_xmlguard *g);

/*
 * Make g a salvage pass: the input ends at byte stop_at (of the source's
 * content).  For a report known to be truncated (stop_at at the start of
 * its unfinished last tag, or the end), inject puts TG_XMLGUARD_EOF_ELEMENT
 * there.  libxml2's reader pauses
 * only at an element start; without one, the push that fails on the
 * truncated tail takes the testcases it completed down with it.
 */
void tg_xmlguard_salvage(tg_xmlguard *g, uint64_t stop_at, bool inject);

/*
 * Where a salvage pass over a truncated input of `size` bytes should stop,
 * given its last bytes tail[0..n): before a last tag, comment, CDATA
 * opener or processing instruction that never closes, else at the end.
 */
uint64_t tg_xmlguard_stop_point(const unsigned char *tail, size_t n,
				uint64_t size);

/*
 * Where the first document of src ends (*end: after its root element's
 * closing '>', 0 if it never closes) and where a next one starts (*next:
 * the first XML declaration or element after that, as in `cat *.xml`; 0
 * if what follows is not a document).  A small scanner of tags, quotes,
 * comments, CDATA and processing instructions, for this rare path only.
 */
int tg_xmlguard_next_document(tg_source *src, uint64_t *end, uint64_t *next,
			      tg_err *err);

/* libxml2's xmlInputReadCallback: fill buf with up to len bytes; 0 at end
 * of input, -1 on error (g->err says which). */
int tg_xmlguard_read(void *ctx, char *buf, int len);

#endif
