/*
 * fuzz_rules.c - signal rule files, loaded on top of the built-in
 * catalog as --rules would load them, then matched against a line.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int ignore(const tg_signal_match *m, void *payload, tg_err *err)
{
	(void)m;
	(void)payload;
	(void)err;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char line[] =
		"WARNING  harness.client:conftest.py:59 Backend unreachable "
		"([Errno 111] Connection refused); falling back to MockClient";
	tg_catalog *c = NULL;
	tg_err err = TG_ERR_INIT;

	if (tg_catalog__load_text(&c, "fuzz", (const char *)data, size, &err))
		return 0;
	tg_catalog_match(c, line, strlen(line), ignore, NULL, NULL, &err);
	tg_catalog_free(c);
	return 0;
}
