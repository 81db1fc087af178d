/*
 * model.c - names of the model's enumerations, and the outcome counts as
 * text.
 */
#include "model.h"

#include <stdio.h>

#include "truegreen/import.h"

const char *tg_outcome_str(tg_outcome o)
{
	switch (o) {
	case TG_PASSED:
		return "passed";
	case TG_FAILED:
		return "failed";
	case TG_ERROR:
		return "error";
	case TG_SKIPPED:
		return "skipped";
	}
	return "unknown";
}

const char *tg_counts_outcomes(char *buf, size_t cap, const tg_counts *c)
{
	snprintf(buf, cap,
		 "%llu passed, %llu failed, %llu error%s, %llu skipped, "
		 "%llu flaky",
		 (unsigned long long)c->passed, (unsigned long long)c->failed,
		 (unsigned long long)c->errors, c->errors == 1 ? "" : "s",
		 (unsigned long long)c->skipped, (unsigned long long)c->flaky);
	return buf;
}
