/*
 * jsonkeys.h - the first unknown key of a JSON object, for the files
 * people write by hand (baselines, signal rules): a misspelt key would
 * otherwise be ignored, and what it meant to set silently not apply.
 */
#ifndef TG_JSONKEYS_H
#define TG_JSONKEYS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* The first key of o not in known (NULL-terminated) and not "comment"
 * (allowed everywhere, for the people who edit the files), or NULL; NULL
 * too when o is no object (an array's items have no keys). */
static inline const char *tg_json_unknown_key(const cJSON *o,
					      const char *const *known)
{
	const cJSON *k;

	if (!cJSON_IsObject(o))
		return NULL;
	cJSON_ArrayForEach(k, o)
	{
		size_t i;
		bool ok = strcmp(k->string, "comment") == 0;
		for (i = 0; known[i] && !ok; i++)
			ok = strcmp(k->string, known[i]) == 0;
		if (!ok)
			return k->string;
	}
	return NULL;
}

#endif
