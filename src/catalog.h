/*
 * catalog.h - matching lines against the signal catalog (the public half
 * is truegreen/catalog.h).
 */
#ifndef TG_CATALOG_INTERNAL_H
#define TG_CATALOG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "truegreen/catalog.h"

/* One rule's match in a line.  Borrowed: valid during the callback. */
typedef struct tg_signal_match {
	const char *rule, *signal;
	const char *fields;  /* JSON object of the named groups that took part */
	size_t start, end;   /* the matched span of the line */
} tg_signal_match;

typedef int (*tg_signal_cb)(const tg_signal_match *m, void *payload,
			    tg_err *err);

/*
 * Match one line (UTF-8, no newline) against every rule; cb gets each
 * rule's first match, in catalog order.  A rule that runs into its match
 * limit counts as no match (in *limited, when not NULL).  Returns 0, cb's
 * non-zero value, or TG_ENOMEM.
 */
int tg_catalog_match(tg_catalog *c, const char *line, size_t len,
		     tg_signal_cb cb, void *payload, unsigned *limited,
		     tg_err *err);

/* Whether evidence of the default rule says a test's own async body
 * never ran (the unawaited_coroutine detector's high case for a pass). */
bool tg_rule_body_never_ran(const char *name);

/*
 * Whether evidence of (signal, rule) makes a test's pass no sample of
 * what the test really does: its code said it fell back to a mock
 * (app.mock-fallback), a real connection in it failed (network_failure),
 * or its async body never ran.  What the detectors flag on any test,
 * whatever its expectation; history leaves such passes out.
 */
bool tg_rule_distrusts_pass(const char *signal, const char *name);

/* Load the default catalog, then the rules of text[0..len) (a rule
 * file's content; name is how messages refer to it): tg_catalog_load
 * without a file, for the fuzz target. */
int tg_catalog__load_text(tg_catalog **out, const char *name,
			  const char *text, size_t len, tg_err *err);

/* The default catalog's JSON text (generated from src/signals.json). */
extern const char tg_default_catalog[];
extern const size_t tg_default_catalog_len;

#endif
