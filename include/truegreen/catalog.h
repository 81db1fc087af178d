/*
 * truegreen/catalog.h - the signal catalog: named PCRE2 patterns that turn
 * test output into evidence.
 *
 * Every line of what a test printed, logged, warned or raised is matched
 * against each rule; a match becomes an evidence row (signal, rule, the
 * line and the pattern's named groups).  The default catalog is built into
 * the binary; a JSON rule file adds rules, replaces a default rule of the
 * same name, or disables one ("disabled": true).  The format is described
 * in README.md, "Signal catalog".
 *
 * Each rule carries real lines it must match ("match") and must not
 * ("nomatch"); loading checks them, so a rule file cannot silently go
 * wrong.  Patterns are compiled once, with JIT where PCRE2 offers it, and
 * matched under match and depth limits: rule files and logs are both
 * untrusted.
 */
#ifndef TG_CATALOG_H
#define TG_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include "truegreen/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tg_catalog tg_catalog;

/* The signals a rule can belong to. */
#define TG_SIGNALS "network, network_failure, mock, coroutine, import"

/* Whether s is one of TG_SIGNALS. */
bool tg_signal_known(const char *s);

/*
 * Load the default catalog, then the rule file at rules_path if it is not
 * NULL.  Returns 0, TG_EINPUT (unreadable or invalid rule file: a bad
 * pattern names the rule and PCRE2's error offset; an example that does
 * not behave names the rule and the example) or TG_ENOMEM.  Free with
 * tg_catalog_free().
 */
int tg_catalog_load(tg_catalog **out, const char *rules_path, tg_err *err);

void tg_catalog_free(tg_catalog *c);

typedef struct tg_rule_info {
	const char *name;        /* "urllib3.request" */
	const char *signal;      /* one of TG_SIGNALS */
	const char *pattern;     /* PCRE2 syntax */
	const char *description;
	bool caseless;
	bool fallback;           /* matched only where no rule of its signal
				    matched the line */
	bool user;               /* from the rule file, not the defaults */
} tg_rule_info;

/* Call cb for every rule, in catalog order (by signal, then name).
 * cb returns 0 to go on; its non-zero value is returned. */
int tg_catalog_each(const tg_catalog *c,
		    int (*cb)(const tg_rule_info *rule, void *payload),
		    void *payload);

#ifdef __cplusplus
}
#endif
#endif
