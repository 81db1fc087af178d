/*
 * detect.c - the table of detectors, in the order they run (the order of
 * findings is set afterwards: worst first).
 */
#include "detect.h"

const tg_detector tg_detectors[] = {
	{"unawaited_coroutine", tg_detect_unawaited},
	{"import_chain_failure", tg_detect_import_chain},
	{"mock_fallback", tg_detect_mock_fallback},
	{"no_network_evidence", tg_detect_no_network},
	{"outage_skip", tg_detect_outage_skip},
	{"fast_pass", tg_detect_fast_pass},
	{"missing_tests", tg_detect_missing_tests},
	{"suite_collapse", tg_detect_suite_collapse},
	{"truncated_report", tg_detect_truncated},
};

const size_t tg_detector_count = sizeof(tg_detectors) / sizeof(tg_detectors[0]);
