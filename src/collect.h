/*
 * collect.h - read a pytest collection error's traceback into a
 * tg_collect_error: the import chain and what could not be imported.
 *
 * The console log and the report-log carry the same text (pytest's
 * "ImportError while importing test module ..." section); both parsers
 * feed it here line by line.
 *
 *   Traceback:
 *   /usr/lib/python3.11/importlib/__init__.py:126: in import_module  (dropped)
 *   tests/e2e/test_golden_path.py:1: in <module>                     (the test)
 *   tests/e2e/integration/harness.py:1: in <module>      -> tests.e2e.integration.harness
 *   E   ImportError: cannot import name 'X' from 'tests.e2e.config'  -> tests.e2e.config
 *
 * Ownership: everything handed to the sink is borrowed for the call.
 */
#ifndef TG_COLLECT_H
#define TG_COLLECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "limits.h"
#include "model.h"

typedef struct tg_collect {
	bool open;
	uint64_t line;
	tg_buf path, exc, msg, frames, mods, scratch;
	size_t frame_off[TG_MAX_CHAIN], frame_len[TG_MAX_CHAIN], nframes;
	const char *chain[TG_MAX_CHAIN + 1];
} tg_collect;

void tg_collect_init(tg_collect *c);
void tg_collect_release(tg_collect *c);

/* Start the error of test module path[0..n), seen at line. */
void tg_collect_open(tg_collect *c, const char *path, size_t n, uint64_t line);

/* One line of its text (frames and "E   Exception: text" lines count). */
void tg_collect_line(tg_collect *c, const char *s, size_t n);

/*
 * Finish the open error (if any) and hand it to sink->collect_error;
 * rootdir (may be "") is stripped from absolute frame paths.  Returns 0,
 * the sink's code, or TG_ENOMEM.
 */
int tg_collect_close(tg_collect *c, const char *rootdir, const tg_sink *sink,
		     tg_err *err);

#endif
