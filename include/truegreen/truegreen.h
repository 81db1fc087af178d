/*
 * truegreen/truegreen.h - the whole public API of libtruegreen.
 *
 * Ownership, in one sentence: every pointer the library hands to a
 * callback is borrowed and valid only during that call; every handle it
 * creates (tg_store, tg_import) is freed by its own _close/_free function.
 */
#ifndef TG_TRUEGREEN_H
#define TG_TRUEGREEN_H

#include "truegreen/analyze.h"
#include "truegreen/baseline.h"
#include "truegreen/error.h"
#include "truegreen/health.h"
#include "truegreen/import.h"
#include "truegreen/prune.h"
#include "truegreen/query.h"
#include "truegreen/report.h"
#include "truegreen/catalog.h"
#include "truegreen/store.h"
#include "truegreen/text.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TG_VERSION "0.1.0"

/*
 * Process-wide setup: initialise libxml2 and install an external-entity
 * loader that refuses every URI.  Call once before anything else, from
 * one thread.  Returns 0 or TG_ENOMEM.
 */
int tg_global_init(tg_err *err);

/* The library's version string, TG_VERSION of the build. */
const char *tg_version(void);

#ifdef __cplusplus
}
#endif
#endif
