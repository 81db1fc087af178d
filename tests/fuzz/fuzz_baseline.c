/*
 * fuzz_baseline.c - baseline files as tg_baseline_parse reads them, and
 * written back out.
 */
#include <stddef.h>
#include <stdint.h>

#include "truegreen/truegreen.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tg_baseline *b = NULL;
	tg_err err = TG_ERR_INIT;
	char *text;

	if (tg_baseline_parse(&b, "fuzz", (const char *)data, size, &err))
		return 0;
	tg_baseline_find(b, "tests/e2e/test_chat.py::test_send");
	if ((text = tg_baseline_to_json(b)))
		tg_baseline_text_free(text);
	tg_baseline_free(b);
	return 0;
}
