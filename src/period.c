/*
 * period.c - bounds of a period of runs (period.h).
 */
#include "period.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "err.h"

/* The n digits at s as a number, or -1. */
static int digits(const char *s, int n)
{
	int v = 0;

	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* Whether v is a calendar date, YYYY-MM-DD, optionally followed by a
 * UTC time THH:MM:SSZ: the forms imported_at is compared with as text,
 * where "2026-11-1" would compare silently wrong. */
static bool iso_time(const char *v)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	size_t n = strlen(v);
	int y, m, d;

	if ((n != 10 && n != 20) || v[4] != '-' || v[7] != '-')
		return false;
	y = digits(v, 4);
	m = digits(v + 5, 2);
	d = digits(v + 8, 2);
	if (y < 0 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400))))
		return false;
	return n == 10 ||
	       (v[10] == 'T' && v[13] == ':' && v[16] == ':' && v[19] == 'Z' &&
		digits(v + 11, 2) >= 0 && digits(v + 11, 2) < 24 &&
		digits(v + 14, 2) >= 0 && digits(v + 14, 2) < 60 &&
		digits(v + 17, 2) >= 0 && digits(v + 17, 2) < 61);
}

static bool format_time(tg_period_time out, time_t t)
{
	struct tm tm;

	return gmtime_r(&t, &tm) &&
	       strftime(out, sizeof(tg_period_time), "%Y-%m-%dT%H:%M:%SZ",
			&tm) != 0;
}

void tg_period_now(tg_period_time out)
{
	if (!format_time(out, time(NULL)))
		snprintf(out, sizeof(tg_period_time), "1970-01-01T00:00:00Z");
}

int tg_period_bound(tg_period_time out, const char *v, const char *what,
		    tg_err *err)
{
	const char *p = v;
	long days = 0;

	if (!v) {
		tg_period_now(out);
		return 0;
	}
	while (*p >= '0' && *p <= '9' && days <= TG_PERIOD_MAX_DAYS)
		days = days * 10 + (*p++ - '0');
	if (p != v && p[0] == 'd' && !p[1] && days <= TG_PERIOD_MAX_DAYS &&
	    format_time(out, time(NULL) - (time_t)days * 86400))
		return 0;
	if (iso_time(v)) {
		snprintf(out, sizeof(tg_period_time), "%s", v);
		return 0;
	}
	return tg_err_set(err, TG_EUSAGE,
			  "%s '%s' is not a number of days back (7d, at most "
			  "%ud), a date (YYYY-MM-DD) or a UTC time "
			  "(YYYY-MM-DDTHH:MM:SSZ)",
			  what, v, TG_PERIOD_MAX_DAYS);
}
