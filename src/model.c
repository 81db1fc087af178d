/*
 * model.c - names of the model's enumerations.
 */
#include "model.h"

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
