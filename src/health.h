/*
 * health.h - the figures of the test-health report, as one JSON document
 * (the public half is truegreen/health.h).
 */
#ifndef TG_HEALTH_INTERNAL_H
#define TG_HEALTH_INTERNAL_H

#include <cjson/cJSON.h>

#include "truegreen/health.h"
#include "truegreen/truegreen.h"

/* Gather the report of the runs in [since, until) into *out (free with
 * cJSON_Delete).  0, TG_EUSAGE (no run), TG_EDB or TG_ENOMEM. */
int tg_health__build(cJSON **out, tg_store *st, const tg_health_opts *o,
		     const char *since, const char *until, tg_err *err);

#endif
