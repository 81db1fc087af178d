/*
 * duration.c - locale-independent parsing of report durations.
 *
 * Knows the number formats of JUnit producers (see duration.h); knows
 * nothing about XML.
 */
#include "duration.h"

#include <math.h>
#include <string.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Scale of a unit suffix at s[0..n), 0 if it is none we know. */
static double unit_scale(const char *s, size_t n)
{
	static const struct {
		const char *name;
		double scale;
	} units[] = {
		{"ns", 1e-9}, {"us", 1e-6}, {"\xc2\xb5s", 1e-6}, {"ms", 1e-3},
		{"s", 1.0},   {"m", 60.0},  {"h", 3600.0},       {"d", 86400.0},
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].name) == n && memcmp(units[i].name, s, n) == 0)
			return units[i].scale;
	return 0;
}

/*
 * Decide what the commas in a number mean.  Returns the decimal separator
 * to use (',' or '.'), and drops grouping commas by telling the caller
 * to skip them (skip_comma).
 */
static char comma_role(const char *s, size_t n, bool prefer_grouping,
		       bool *skip_comma, bool *ambiguous)
{
	size_t i, commas = 0, last = 0, dot = 0, first_group = 0;
	bool has_dot = false, grouping_shape = true;

	for (i = 0; i < n; i++) {
		if (s[i] == ',') {
			if (commas == 0)
				first_group = i;
			else if (i - last != 4)
				grouping_shape = false;
			commas++;
			last = i;
		} else if (s[i] == '.') {
			has_dot = true;
			dot = i;
		}
	}
	*skip_comma = false;
	*ambiguous = false;
	if (commas == 0)
		return '.';
	if (has_dot) {
		/* "1,234.5": grouping; "1.234,5" is not a form any
		 * producer writes, so the comma is grouping either way. */
		*skip_comma = dot > last;
		return '.';
	}
	grouping_shape = grouping_shape && first_group >= 1 &&
			 first_group <= 3 && n - last - 1 == 3;
	if (!grouping_shape)
		return ',';
	if (commas > 1) {
		*skip_comma = true; /* "1,234,567": only grouping */
		return '.';
	}
	if (s[0] == '0') /* "0,160": a grouping writer never pads */
		return ',';
	*ambiguous = true;
	*skip_comma = prefer_grouping;
	return prefer_grouping ? '.' : ',';
}

/* Exact powers of ten for the usual few decimals. */
static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4,
			     1e5, 1e6, 1e7, 1e8, 1e9};

/*
 * "0.037", "12": the form nearly every testcase has, without the comma
 * and unit passes (a million testcases: bench/run.sh).  The arithmetic
 * is parse_number()'s, step for step, so the double is the same.  False:
 * not that form, for the general parser.
 */
static bool parse_plain(const char *s, size_t n, double *out)
{
	double mant = 0;
	size_t i, dot = n;
	bool digits = false;

	for (i = 0; i < n; i++) {
		if (is_digit(s[i])) {
			mant = mant * 10 + (s[i] - '0');
			digits = true;
		} else if (s[i] != '.' || dot != n) {
			return false;
		} else {
			dot = i;
		}
	}
	if (!digits ||
	    (dot != n && n - dot - 1 >= sizeof(p10) / sizeof(p10[0])))
		return false;
	*out = mant / p10[dot == n ? 0 : n - dot - 1];
	return isfinite(*out);
}

/* Parse one unsigned decimal number (digits, one separator, exponent). */
static bool parse_number(const char *s, size_t n, bool prefer_grouping,
			 double *out, bool *ambiguous)
{
	double mant = 0;
	long exp10 = 0, e = 0;
	bool skip_comma, digits = false, frac = false, eneg = false;
	char dec = comma_role(s, n, prefer_grouping, &skip_comma, ambiguous);
	size_t i = 0;

	if (i < n && s[i] == '+')
		i++;
	for (; i < n; i++) {
		char c = s[i];
		if (is_digit(c)) {
			mant = mant * 10 + (c - '0');
			if (frac)
				exp10--;
			digits = true;
		} else if (c == dec && !frac) {
			frac = true;
		} else if (c == ',' && skip_comma && !frac) {
			continue;
		} else {
			break;
		}
	}
	if (!digits)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		bool edigits = false;
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		for (; i < n && is_digit(s[i]); i++) {
			if (e < 10000)
				e = e * 10 + (s[i] - '0');
			edigits = true;
		}
		if (!edigits)
			return false;
		exp10 += eneg ? -e : e;
	}
	if (i != n)
		return false;
	/* Exact powers for the usual few decimals; pow() for the rest. */
	if (exp10 >= -9 && exp10 <= 0) {
		*out = mant / p10[-exp10];
	} else {
		*out = mant * pow(10.0, (double)exp10);
	}
	return isfinite(*out);
}

tg_dur tg_duration_parse(const char *s, size_t n, bool prefer_grouping)
{
	tg_dur d = {TG_DUR_EMPTY, 0, false};
	double total = 0;
	bool any = false;

	while (n && is_space(*s))
		s++, n--;
	while (n && is_space(s[n - 1]))
		n--;
	if (n == 0)
		return d;
	if (parse_plain(s, n, &d.seconds)) {
		d.status = TG_DUR_OK;
		return d;
	}
	d.status = TG_DUR_INVALID;
	/* One or more "<number><unit?>" parts: "1.5", "80.803us", "1h 2m". */
	while (n) {
		size_t num = 0, unit = 0;
		double v, scale = 1.0;
		bool amb = false;

		while (num < n && (is_digit(s[num]) || s[num] == '.' ||
				   s[num] == ',' || s[num] == '+' ||
				   ((s[num] == 'e' || s[num] == 'E' ||
				     s[num] == '-') && num > 0)))
			num++;
		/* "1e" followed by no digit is a unit-less 1 and bad unit. */
		while (num + unit < n && !is_space(s[num + unit]))
			unit++;
		if (unit) {
			scale = unit_scale(s + num, unit);
			if (scale == 0)
				return d;
		} else if (any) {
			return d; /* "1h 30": a bare number after a unit */
		}
		if (!parse_number(s, num, prefer_grouping, &v, &amb))
			return d;
		d.ambiguous = d.ambiguous || amb;
		total += v * scale;
		any = true;
		s += num + unit;
		n -= num + unit;
		while (n && is_space(*s))
			s++, n--;
		if (n && !unit)
			return d; /* "1 2": two bare numbers */
	}
	if (!isfinite(total))
		return d;
	d.status = TG_DUR_OK;
	d.seconds = total;
	return d;
}
