/*
 * catalog.c - load, check and match the signal catalog.
 *
 * Knows PCRE2 and the catalog's JSON shape (cJSON); knows nothing of where
 * lines come from or where matches go.  The default catalog is
 * src/signals.json, embedded at build time; a user rule file is read the
 * same way and merged by rule name.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "catalog.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "err.h"
#include "jsonkeys.h"

/* A rule file is a handful of KiB; a bigger one is not a rule file. */
#define TG_MAX_RULE_FILE (4u * 1024u * 1024u)
#define TG_MAX_RULES 4096u
#define TG_MAX_PATTERN 4096u
#define TG_MAX_RULE_NAME 64u
/* Backtracking budget per rule and line: a pathological pattern on a
 * long line gives up (counted) instead of hanging the import. */
#define TG_MATCH_LIMIT 200000u
#define TG_DEPTH_LIMIT 2000u

static const char *const signals[] = {
	"network", "network_failure", "mock", "coroutine", "import",
};

/*
 * The prefilter.  Most lines match no rule, and a PCRE2 call costs about
 * the same whether it matches or not, so calling every rule on every
 * line made a 1 GB log take 25 s.  Each rule instead carries the literal
 * text its pattern requires (the longest literal run of each top-level
 * alternative); a line gets a small hashed set of its lowercased byte
 * pairs, and a rule runs only if some alternative's needle has all its
 * pairs in the line.  A pair missing means the literal is absent, so the
 * filter never drops a match; an alternative without a literal of two
 * bytes or more makes its rule always run.
 */
#define TG_BIGRAM_BITS 4096u
#define TG_MAX_ALTS 8u
#define TG_NEEDLE_PAIRS 6u

typedef struct needle {
	uint16_t pair[TG_NEEDLE_PAIRS]; /* bigram hashes */
	unsigned npairs;
} needle;

typedef struct rule {
	char *name, *signal, *pattern, *description;
	bool caseless, user, disabled;
	bool fallback;        /* only for lines no rule of its signal matched */
	unsigned sig;         /* index in signals[] */
	needle alts[TG_MAX_ALTS];
	unsigned nalts;       /* 0: always run */
	pcre2_code *re;
	uint32_t namecount, entrysize;
	PCRE2_SPTR nametable;
} rule;

struct tg_catalog {
	rule *rules;
	size_t n, cap;
	/* the bigrams of the line being matched (see prefilter): pair h is
	 * in it when seen[h] is the line's generation, so a new line costs
	 * no clearing (a log of captured DEBUG lines spent a fifth of its
	 * import clearing and setting bits) */
	uint16_t seen[TG_BIGRAM_BITS];
	uint16_t gen;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	tg_buf fields;
};

/* ---- building ---------------------------------------------------------- */

static void rule_release(rule *r)
{
	tg_free(r->name);
	tg_free(r->signal);
	tg_free(r->pattern);
	tg_free(r->description);
	pcre2_code_free(r->re);
	memset(r, 0, sizeof(*r));
}

void tg_catalog_free(tg_catalog *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++)
		rule_release(&c->rules[i]);
	tg_free(c->rules);
	pcre2_match_data_free(c->md);
	pcre2_match_context_free(c->mctx);
	tg_buf_release(&c->fields);
	tg_free(c);
}

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = tg_malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* Where a rule file complains: its name and, when the rule's name can be
 * found in the text, that line. */
typedef struct origin {
	const char *file; /* display name */
	const char *text;
	size_t len;
} origin;

static uint64_t line_of(const origin *o, const char *name)
{
	const char *p = o->text, *end = o->text + o->len;
	size_t n = strlen(name);
	uint64_t line = 1;

	for (; p + n + 2 <= end; p++) {
		if (*p == '\n')
			line++;
		else if (*p == '"' && memcmp(p + 1, name, n) == 0 &&
			 p[n + 1] == '"')
			return line;
	}
	return 0;
}

static int rule_error(tg_err *err, const origin *o, const char *name,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* "rule 'name': <message>", located in the rule file. */
static int rule_error(tg_err *err, const origin *o, const char *name,
		      const char *fmt, ...)
{
	char msg[TG_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (name[0])
		tg_err_set(err, TG_EINPUT, "rule '%s': %s", name, msg);
	else
		tg_err_set(err, TG_EINPUT, "%s", msg);
	if (o->file)
		tg_err_locate(err, o->file, name[0] ? line_of(o, name) : 0, 0,
			      UINT64_MAX);
	return TG_EINPUT;
}

static bool name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > TG_MAX_RULE_NAME)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		      s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

#define NSIGNALS (sizeof(signals) / sizeof(signals[0]))
/* tg_catalog_match() keeps a bit per signal */
_Static_assert(NSIGNALS <= 32, "one bit per signal in an unsigned");

/* The index of signal s in signals[], or NSIGNALS. */
static size_t signal_index(const char *s)
{
	size_t i;

	for (i = 0; i < NSIGNALS; i++)
		if (strcmp(s, signals[i]) == 0)
			break;
	return i;
}

static const char *signal_of(const char *s)
{
	size_t i = signal_index(s);

	return i < NSIGNALS ? signals[i] : NULL;
}

bool tg_signal_known(const char *s)
{
	return s && signal_of(s);
}

bool tg_rule_body_never_ran(const char *name)
{
	static const char *const rules[] = {
		"coroutine.never-awaited",
		"coroutine.return-not-none",
		"coroutine.pytest-return-not-none",
		"coroutine.unhandled",
		"coroutine.unraisable",
		"coroutine.asyncio-mark-not-async",
	};
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (strcmp(name, rules[i]) == 0)
			return true;
	return false;
}

bool tg_rule_distrusts_pass(const char *signal, const char *name)
{
	return strcmp(signal, "network_failure") == 0 ||
	       (strcmp(signal, "mock") == 0 &&
		strcmp(name, "app.mock-fallback") == 0) ||
	       (strcmp(signal, "coroutine") == 0 &&
		tg_rule_body_never_ran(name));
}

static rule *find(tg_catalog *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->rules[i].name, name) == 0)
			return &c->rules[i];
	return NULL;
}

static int compile(rule *r, const origin *o, tg_err *err)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	int code;
	char detail[320];

	r->re = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED,
			      PCRE2_UTF | (r->caseless ? PCRE2_CASELESS : 0),
			      &code, &off, NULL);
	if (!r->re) {
		if (code == PCRE2_ERROR_NOMEMORY)
			return tg_err_nomem(err);
		pcre2_get_error_message(code, msg, sizeof(msg));
		snprintf(detail, sizeof(detail), "at offset %zu: %s",
			 (size_t)off, (const char *)msg);
		err->cause = code;
		return rule_error(err, o, r->name, "bad pattern %s", detail);
	}
	/* JIT is an optimisation: without it the interpreter matches the
	 * same lines, under the same limits. */
	(void)pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE);
	pcre2_pattern_info(r->re, PCRE2_INFO_NAMECOUNT, &r->namecount);
	pcre2_pattern_info(r->re, PCRE2_INFO_NAMEENTRYSIZE, &r->entrysize);
	pcre2_pattern_info(r->re, PCRE2_INFO_NAMETABLE, &r->nametable);
	return 0;
}

static int match_one(tg_catalog *c, rule *r, const char *s, size_t n,
		     uint32_t opts);

/* Check a rule's examples: each of "match" must match, none of
 * "nomatch" may. */
static int check_examples(tg_catalog *c, rule *r, const cJSON *item,
			  const origin *o, tg_err *err)
{
	static const char *const keys[] = {"match", "nomatch"};
	int k;

	for (k = 0; k < 2; k++) {
		const cJSON *arr = cJSON_GetObjectItemCaseSensitive(item,
								    keys[k]);
		const cJSON *ex;

		if (!arr)
			continue;
		if (!cJSON_IsArray(arr))
			return rule_error(err, o, r->name,
					  "'%s' must be a list of lines",
					  keys[k]);
		cJSON_ArrayForEach(ex, arr)
		{
			int rc;

			if (!cJSON_IsString(ex))
				return rule_error(err, o, r->name,
						  "'%s' must be a list of "
						  "lines",
						  keys[k]);
			rc = match_one(c, r, ex->valuestring,
				       strlen(ex->valuestring), 0);
			if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
				return rule_error(err, o, r->name,
						  "cannot match example '%s'",
						  ex->valuestring);
			if ((rc >= 0) != (k == 0))
				return rule_error(
					err, o, r->name,
					k == 0 ? "does not match its example "
						 "'%s'"
					       : "matches its counter-example "
						 "'%s'",
					ex->valuestring);
		}
	}
	return 0;
}

static const char *get_str(const cJSON *item, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A rule of the file, added or replacing the rule of that name. */
static int add_rule(tg_catalog *c, const cJSON *item, bool user,
		    const origin *o, tg_err *err)
{
	static const char *const keys[] = {
		"name",	    "signal",	"pattern", "description", "disabled",
		"caseless", "fallback", "match",   "nomatch",	  NULL};
	const char *key;
	const char *name = get_str(item, "name");
	const char *sig = get_str(item, "signal");
	const char *pat = get_str(item, "pattern");
	const char *desc = get_str(item, "description");
	const cJSON *dis = cJSON_GetObjectItemCaseSensitive(item, "disabled");
	const cJSON *cl = cJSON_GetObjectItemCaseSensitive(item, "caseless");
	const cJSON *fb = cJSON_GetObjectItemCaseSensitive(item, "fallback");
	rule nr = {0}, *slot;
	int rc;

	if (!cJSON_IsObject(item) || !name)
		return rule_error(err, o, "", "every rule needs a \"name\"");
	if (!name_ok(name))
		return rule_error(err, o, "",
				  "rule name '%s' is not 1 to 64 of "
				  "a-z 0-9 . _ -",
				  name);
	/* a misspelt "nomtch" or "caseles" would drop its check silently */
	if ((key = tg_json_unknown_key(item, keys)))
		return rule_error(err, o, name,
				  "unknown key \"%.100s\" (name, signal, "
				  "pattern, description, caseless, fallback, "
				  "disabled, match, nomatch)",
				  key);
	slot = find(c, name);
	if (cJSON_IsTrue(dis)) {
		if (!slot)
			return rule_error(err, o, name,
					  "disables no rule of that name");
		slot->disabled = true;
		return 0;
	}
	if (!sig || !signal_of(sig))
		return rule_error(err, o, name, "\"signal\" must be one of %s",
				  TG_SIGNALS);
	if ((cl && !cJSON_IsBool(cl)) || (fb && !cJSON_IsBool(fb)))
		return rule_error(err, o, name,
				  "\"%s\" must be true or false",
				  cl && !cJSON_IsBool(cl) ? "caseless"
							  : "fallback");
	if (!pat || !pat[0] || strlen(pat) > TG_MAX_PATTERN)
		return rule_error(err, o, name,
				  "\"pattern\" must be 1 to %u bytes",
				  TG_MAX_PATTERN);
	nr.caseless = cJSON_IsTrue(cl);
	nr.fallback = cJSON_IsTrue(fb);
	nr.sig = (unsigned)signal_index(sig);
	nr.user = user;
	nr.name = dup_str(name);
	nr.signal = dup_str(signal_of(sig));
	nr.pattern = dup_str(pat);
	nr.description = dup_str(desc ? desc : "");
	if (!nr.name || !nr.signal || !nr.pattern || !nr.description) {
		rule_release(&nr);
		return tg_err_nomem(err);
	}
	if ((rc = compile(&nr, o, err)) != 0 ||
	    (rc = check_examples(c, &nr, item, o, err)) != 0) {
		rule_release(&nr);
		return rc;
	}
	if (!slot) {
		if (c->n >= TG_MAX_RULES) {
			rule_release(&nr);
			return rule_error(err, o, name,
					  "more than %u rules", TG_MAX_RULES);
		}
		if (!tg_grow((void **)&c->rules, &c->cap, c->n + 1,
			     sizeof(*c->rules))) {
			rule_release(&nr);
			return tg_err_nomem(err);
		}
		slot = &c->rules[c->n++];
	} else {
		rule_release(slot);
	}
	*slot = nr;
	return 0;
}

static int add_json(tg_catalog *c, const origin *o, bool user, tg_err *err)
{
	static const char *const keys[] = {"truegreen_catalog", "about",
					    "rules", NULL};
	cJSON *doc = cJSON_ParseWithLength(o->text, o->len);
	const cJSON *rules, *item, *version;
	const char *key;
	int rc = 0;

	if (!doc) {
		const char *at = cJSON_GetErrorPtr();
		uint64_t line = 1;
		const char *p;

		if (at && at >= o->text && at <= o->text + o->len) {
			for (p = o->text; p < at; p++)
				line += *p == '\n';
		} else {
			line = 0;
		}
		tg_err_setloc(err, TG_EINPUT, o->file, line, 0,
			      "'%s' is not valid JSON", o->file);
		return TG_EINPUT;
	}
	rules = cJSON_GetObjectItemCaseSensitive(doc, "rules");
	version = cJSON_GetObjectItemCaseSensitive(doc, "truegreen_catalog");
	if (version && !(cJSON_IsNumber(version) && version->valuedouble == 1))
		rc = tg_err_setloc(err, TG_EINPUT, o->file, 0, 0,
				   "'%s': \"truegreen_catalog\" must be 1 "
				   "(the format this truegreen reads)",
				   o->file);
	else if ((key = tg_json_unknown_key(doc, keys)))
		rc = tg_err_setloc(err, TG_EINPUT, o->file, 0, 0,
				   "'%s': unknown key \"%.100s\" "
				   "(truegreen_catalog, about, rules)",
				   o->file, key);
	else if (!cJSON_IsArray(rules))
		rc = tg_err_setloc(err, TG_EINPUT, o->file, 0, 0,
				   "'%s' has no \"rules\" list", o->file);
	if (rc) {
		cJSON_Delete(doc);
		return rc;
	}
	cJSON_ArrayForEach(item, rules)
	{
		if ((rc = add_rule(c, item, user, o, err)) != 0)
			break;
	}
	cJSON_Delete(doc);
	return rc;
}

static int read_file(char **out, size_t *len, const char *path, tg_err *err)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	*out = NULL;
	if (!f)
		return tg_err_setloc(err, TG_EINPUT, path, 0, 0,
				     "cannot open '%s': %s", path,
				     strerror(errno));
	buf = tg_malloc(TG_MAX_RULE_FILE + 1);
	if (!buf) {
		fclose(f);
		return tg_err_nomem(err);
	}
	n = fread(buf, 1, TG_MAX_RULE_FILE + 1, f);
	if (ferror(f) || n > TG_MAX_RULE_FILE) {
		bool big = !ferror(f);
		fclose(f);
		tg_free(buf);
		return tg_err_setloc(err, TG_EINPUT, path, 0, 0,
				     big ? "'%s' is over 4 MiB: not a rule file"
					 : "cannot read '%s'",
				     path);
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

static int cmp_rule(const void *a, const void *b)
{
	const rule *x = a, *y = b;
	int c = strcmp(x->signal, y->signal);

	return c ? c : strcmp(x->name, y->name);
}

/* ---- the prefilter (see the comment on rule) ----------------------- */

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static uint16_t pair_hash(unsigned char a, unsigned char b)
{
	return (uint16_t)(((unsigned)lower(a) * 31u ^ lower(b)) &
			  (TG_BIGRAM_BITS - 1));
}

static void line_bigrams(tg_catalog *c, const char *s, size_t n)
{
	size_t i;

	if (++c->gen == 0) { /* wrapped: old marks would read as new */
		memset(c->seen, 0, sizeof(c->seen));
		c->gen = 1;
	}
	for (i = 1; i < n; i++)
		c->seen[pair_hash((unsigned char)s[i - 1],
				  (unsigned char)s[i])] = c->gen;
}

static bool may_match(const tg_catalog *c, const rule *r)
{
	unsigned a, k;

	if (r->nalts == 0)
		return true;
	for (a = 0; a < r->nalts; a++) {
		const needle *nd = &r->alts[a];
		for (k = 0; k < nd->npairs; k++) {
			uint16_t h = nd->pair[k];
			if (c->seen[h] != c->gen)
				break;
		}
		if (k == nd->npairs)
			return true;
	}
	return false;
}

/* Length of the escape at p[0] == '\\' and whether it stands for one
 * literal character (*lit, in *ch). */
static size_t escape_at(const char *p, bool *lit, char *ch)
{
	*lit = false;
	if (!p[1])
		return 1;
	if (!((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z') ||
	      (p[1] >= '0' && p[1] <= '9'))) {
		*lit = true; /* \( \. \' ... */
		*ch = p[1];
	}
	return 2;
}

/* Skip a character class starting at p[0] == '['; returns past its ']'. */
static const char *skip_class(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p && *p != ']')
		p += *p == '\\' && p[1] ? 2 : 1;
	return *p ? p + 1 : p;
}

/* Record the needle of one alternative: the longest literal run. */
static void add_needle(rule *r, const char *run, size_t n, bool *any_bad)
{
	needle *nd;
	size_t k, step;

	if (n < 2 || r->nalts >= TG_MAX_ALTS) {
		*any_bad = true;
		return;
	}
	nd = &r->alts[r->nalts++];
	nd->npairs = 0;
	step = (n - 1) / TG_NEEDLE_PAIRS + 1; /* spread over the needle */
	for (k = 0; k + 1 < n && nd->npairs < TG_NEEDLE_PAIRS; k += step)
		nd->pair[nd->npairs++] = pair_hash((unsigned char)run[k],
						   (unsigned char)run[k + 1]);
}

/*
 * Find each top-level alternative's longest literal run.  Conservative:
 * anything not plainly literal (groups, classes, escapes like \d, dots,
 * anchors) ends a run; a quantifier that allows zero takes back the
 * character before it.  Inline options like (?i) make the rule always
 * run.
 */
/* The position of the ')' closing the group opened at p[0] == '(', or
 * NULL. */
static const char *group_end(const char *p)
{
	int depth = 0;

	for (; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '[')
			p = skip_class(p) - 1;
		else if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p;
	}
	return NULL;
}

static void needles_of(rule *r)
{
	char cur[256], best[256], inner[TG_MAX_PATTERN + 1];
	size_t ncur = 0, nbest = 0;
	const char *p = r->pattern, *end;
	int depth = 0;
	bool bad = false;

	r->nalts = 0;
	/* inline options and escapes that span several characters (\\x41,
	 * \\p{L}, \\Q...\\E, back references): always run, rather than
	 * parse them */
	{
		static const char *const opaque[] = {
			"(?i", "(?x", "\\x", "\\p", "\\P", "\\g", "\\k",
			"\\N", "\\o", "\\c", "\\Q", "\\E", "\\1", "\\2",
			"\\3", "\\4", "\\5", "\\6", "\\7", "\\8", "\\9",
			"\\0"};
		size_t k;
		for (k = 0; k < sizeof(opaque) / sizeof(opaque[0]); k++)
			if (strstr(p, opaque[k]))
				return;
	}
	/* \b(?:a|b|c)\b is the alternatives a, b, c */
	if (strncmp(p, "\\b", 2) == 0)
		p += 2;
	if (strncmp(p, "(?:", 3) == 0 && (end = group_end(p)) &&
	    (!end[1] || strcmp(end + 1, "\\b") == 0) &&
	    (size_t)(end - p - 3) < sizeof(inner)) {
		memcpy(inner, p + 3, (size_t)(end - p - 3));
		inner[end - p - 3] = '\0';
		p = inner;
	} else {
		p = r->pattern;
	}
	for (;;) {
		char c = *p, ch = 0;
		bool lit = false;
		size_t adv = 1;

		if (c == '\\') {
			adv = escape_at(p, &lit, &ch);
		} else if (c == '[') {
			adv = (size_t)(skip_class(p) - p);
		} else if (c == '{' && strchr(p, '}')) {
			/* a counted repetition: its digits are not text */
			adv = (size_t)(strchr(p, '}') - p) + 1;
		} else if (c == '(') {
			depth++;
		} else if (c == ')') {
			depth--;
		} else if (c && !strchr(".^$|?*+{", c)) {
			lit = depth == 0;
			ch = c;
		}
		if (lit && ncur < sizeof(cur)) {
			cur[ncur++] = ch;
		} else if ((c == '?' || c == '*' || c == '{') && ncur) {
			ncur--; /* the last character may be absent */
		}
		if (!lit && !(c == '+' && ncur)) {
			if (ncur > nbest) {
				memcpy(best, cur, ncur);
				nbest = ncur;
			}
			ncur = 0;
		}
		if (!c || (c == '|' && depth == 0)) {
			add_needle(r, best, nbest, &bad);
			nbest = 0;
			if (!c)
				break;
		}
		p += adv;
	}
	if (bad)
		r->nalts = 0; /* an alternative with no needle: always run */
}

/* Drop disabled rules, order by signal and name, size the match data. */
static int finish(tg_catalog *c, tg_err *err)
{
	uint32_t most = 0;
	size_t i, o = 0;

	for (i = 0; i < c->n; i++) {
		if (c->rules[i].disabled) {
			rule_release(&c->rules[i]);
			continue;
		}
		c->rules[o++] = c->rules[i];
	}
	c->n = o;
	qsort(c->rules, c->n, sizeof(*c->rules), cmp_rule);
	for (i = 0; i < c->n; i++) {
		uint32_t caps = 0;
		pcre2_pattern_info(c->rules[i].re, PCRE2_INFO_CAPTURECOUNT,
				   &caps);
		if (caps > most)
			most = caps;
	}
	pcre2_match_data_free(c->md);
	c->md = pcre2_match_data_create(most + 1, NULL);
	if (!c->md)
		return tg_err_nomem(err);
	for (i = 0; i < c->n; i++)
		needles_of(&c->rules[i]);
	return 0;
}

int tg_catalog_load(tg_catalog **out, const char *rules_path, tg_err *err)
{
	tg_catalog *c = tg_calloc(1, sizeof(*c));
	origin o = {NULL, tg_default_catalog, tg_default_catalog_len};
	char *text = NULL;
	int rc;

	*out = NULL;
	if (!c)
		return tg_err_nomem(err);
	tg_buf_init(&c->fields, 64u * 1024u);
	c->mctx = pcre2_match_context_create(NULL);
	c->md = pcre2_match_data_create(64, NULL);
	if (!c->mctx || !c->md) {
		tg_catalog_free(c);
		return tg_err_nomem(err);
	}
	pcre2_set_match_limit(c->mctx, TG_MATCH_LIMIT);
	pcre2_set_depth_limit(c->mctx, TG_DEPTH_LIMIT);
	o.file = "built-in catalog";
	rc = add_json(c, &o, false, err);
	if (rc == 0 && rules_path) {
		rc = read_file(&text, &o.len, rules_path, err);
		if (rc == 0) {
			o.file = rules_path;
			o.text = text;
			rc = add_json(c, &o, true, err);
		}
	}
	tg_free(text);
	if (rc == 0)
		rc = finish(c, err);
	if (rc) {
		tg_catalog_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

int tg_catalog__load_text(tg_catalog **out, const char *name,
			  const char *text, size_t len, tg_err *err)
{
	tg_catalog *c = NULL;
	origin o = {name, text, len};
	int rc;

	*out = NULL;
	if ((rc = tg_catalog_load(&c, NULL, err)))
		return rc;
	if ((rc = add_json(c, &o, true, err)) == 0)
		rc = finish(c, err);
	if (rc) {
		tg_catalog_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

int tg_catalog_each(const tg_catalog *c,
		    int (*cb)(const tg_rule_info *rule, void *payload),
		    void *payload)
{
	size_t i;
	int rc;

	for (i = 0; i < c->n; i++) {
		const rule *r = &c->rules[i];
		tg_rule_info info = {r->name,	     r->signal,	  r->pattern,
				     r->description, r->caseless, r->fallback,
				     r->user};
		if ((rc = cb(&info, payload)) != 0)
			return rc;
	}
	return 0;
}

/* ---- matching ---------------------------------------------------------- */

static int match_one(tg_catalog *c, rule *r, const char *s, size_t n,
		     uint32_t opts)
{
	return pcre2_match(r->re, (PCRE2_SPTR)s, n, 0, opts, c->md, c->mctx);
}

/* JSON string body of s[0..n) into b (UTF-8 passes through). */
static void json_str(tg_buf *b, const char *s, size_t n)
{
	size_t i;

	tg_buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\') {
			tg_buf_addc(b, '\\');
			tg_buf_addc(b, (char)ch);
		} else if (ch < 0x20 || ch == 0x7f) {
			tg_buf_printf(b, "\\u%04x", ch);
		} else {
			tg_buf_addc(b, (char)ch);
		}
	}
	tg_buf_addc(b, '"');
}

/* The named groups that took part in the match, as a JSON object. */
static const char *fields_json(tg_catalog *c, const rule *r, const char *s)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
	uint32_t i, count = pcre2_get_ovector_count(c->md);
	bool first = true;

	tg_buf_reset(&c->fields);
	tg_buf_addc(&c->fields, '{');
	for (i = 0; i < r->namecount; i++) {
		PCRE2_SPTR e = r->nametable + (size_t)i * r->entrysize;
		uint32_t g = ((uint32_t)e[0] << 8) | e[1];
		const char *name = (const char *)e + 2;

		if (g >= count || ov[2 * g] == PCRE2_UNSET)
			continue;
		if (!first)
			tg_buf_addc(&c->fields, ',');
		first = false;
		json_str(&c->fields, name, strlen(name));
		tg_buf_addc(&c->fields, ':');
		json_str(&c->fields, s + ov[2 * g],
			 ov[2 * g + 1] - ov[2 * g]);
	}
	tg_buf_addc(&c->fields, '}');
	if (c->fields.failed && !c->fields.toobig)
		return NULL; /* out of memory */
	/* A field list over 64 KiB (a huge line) is stored as none rather
	 * than as broken JSON. */
	return c->fields.failed ? "{}" : c->fields.ptr;
}

/* Hand the match in c's match data of rule r on line to cb. */
static int report(tg_catalog *c, const rule *r, const char *line,
		  tg_signal_cb cb, void *payload, tg_err *err)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
	tg_signal_match m = {r->name, r->signal, fields_json(c, r, line),
			     ov[0], ov[1]};

	if (!m.fields)
		return tg_err_nomem(err);
	return cb(&m, payload, err);
}

int tg_catalog_match(tg_catalog *c, const char *line, size_t len,
		     tg_signal_cb cb, void *payload, unsigned *limited,
		     tg_err *err)
{
	uint32_t opts = 0;
	unsigned matched = 0; /* bit per signal a rule found on the line */
	int pass;
	size_t i;

	line_bigrams(c, line, len);
	/* the fallback rules last, for lines the others left unexplained */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < c->n; i++) {
			rule *r = &c->rules[i];
			int rc;

			if (r->fallback != (pass == 1) ||
			    (r->fallback && (matched & (1u << r->sig))) ||
			    !may_match(c, r))
				continue;
			rc = match_one(c, r, line, len, opts);
			opts = PCRE2_NO_UTF_CHECK;
			if (rc == PCRE2_ERROR_NOMATCH)
				continue;
			if (rc == PCRE2_ERROR_NOMEMORY)
				return tg_err_nomem(err);
			if (rc < 0) {
				/* Not UTF-8 (checked on the first rule
				 * only): no rule can match it; a limit:
				 * this rule gives up. */
				if (rc <= PCRE2_ERROR_UTF8_ERR1 &&
				    rc >= PCRE2_ERROR_UTF8_ERR21)
					return 0;
				if (limited)
					(*limited)++;
				continue;
			}
			matched |= 1u << r->sig;
			if ((rc = report(c, r, line, cb, payload, err)) != 0)
				return rc;
		}
	return 0;
}
