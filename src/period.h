/*
 * period.h - bounds of a period of runs as the user writes them: days
 * back ("7d"), a calendar date, or a UTC time.  Runs store imported_at
 * as ISO-8601 UTC text, so a bound is turned into the same form and
 * compared as text; anything that would compare silently wrong
 * ("2026-11-1", "yesterday", "2026-02-30") is refused.
 */
#ifndef TG_PERIOD_H
#define TG_PERIOD_H

#include "truegreen/error.h"

/* "Nd" reaches back at most a century: further is no period of CI runs,
 * and the subtraction stays far from time_t's range. */
#define TG_PERIOD_MAX_DAYS 36500u

/* The text form of a bound: "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DD". */
typedef char tg_period_time[32];

/* Now, as imported_at is written. */
void tg_period_now(tg_period_time out);

/*
 * The bound v ("7d", "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ") into out;
 * v NULL: now.  what names the bound in the error ("the period's start",
 * "--before").  TG_EUSAGE when v is none of the three.
 */
int tg_period_bound(tg_period_time out, const char *v, const char *what,
		    tg_err *err);

#endif
