/*
 * fuzz_import.c - one fuzz target per input format: the bytes are
 * imported exactly as `truegreen import --format FORMAT` would, into an
 * in-memory database, then analyzed.  Built once per format with
 * -DTG_FUZZ_FORMAT="junit" (pytest, reportlog, netlog).
 */
#include <stddef.h>
#include <stdint.h>

#include "truegreen/truegreen.h"

#ifndef TG_FUZZ_FORMAT
#error "TG_FUZZ_FORMAT names the format"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tg_import_opts o = TG_IMPORT_OPTS_INIT;
	tg_err err = TG_ERR_INIT;
	tg_store *st = NULL;
	tg_import *imp = NULL;
	tg_import_result res;
	tg_findings *f = NULL;
	/* loaded once: compiling the catalog costs more than an import of
	 * a small input, and it does not change between inputs */
	static tg_catalog *catalog;

	if (!catalog && (tg_global_init(&err) ||
			 tg_catalog_load(&catalog, NULL, &err)))
		return 0;
	o.format = TG_FUZZ_FORMAT;
	o.catalog = catalog;
	if (tg_store_open(&st, ":memory:", NULL, &err))
		return 0;
	if (tg_import_new(&imp, st, &o, &err) == 0 &&
	    tg_import_add_memory(imp, "fuzz", data, size, &err) == 0 &&
	    tg_import_finish(imp, &res, &err) == 0 && !res.duplicate &&
	    tg_analyze(&f, st, res.run_id, NULL, &err) == 0)
		tg_findings_free(f);
	tg_import_free(imp);
	tg_store_close(st);
	return 0;
}
