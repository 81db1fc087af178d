/*
 * truegreen/report.h - findings written where people look: a terminal,
 * JSON, SARIF for code scanning, GitHub workflow commands, GitLab Code
 * Quality, Markdown for a step summary or PR comment, JUnit XML.
 *
 * Reporters read a tg_findings and the run's counts and write bytes;
 * they query nothing.  Every string from a report is escaped for the
 * format it lands in (README, "Reports").
 */
#ifndef TG_REPORT_H
#define TG_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "truegreen/analyze.h"
#include "truegreen/error.h"
#include "truegreen/import.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tg_report_in {
	int64_t run_id;
	const char *run_name;
	tg_counts counts;
	bool truncated;
	const tg_findings *findings;
	tg_severity fail_on;       /* what fails the build */
	bool colour;               /* text: ANSI colours (a terminal) */
	/* sarif, github, gitlab: file locations under this directory (the
	 * CI's checkout) are given relative to it, as code scanning and
	 * Code Quality match them to the repository; NULL: as stored */
	const char *source_root;
} tg_report_in;

/* The formats, as --format takes them: "text, json, sarif, github,
 * gitlab, markdown, junit". */
extern const char tg_report_formats[];

/* How many kinds of finding there are (truegreen/analyze.h lists them). */
#define TG_FINDING_KINDS 9

/* The kinds of finding in the order reports list them, i from 0 to
 * TG_FINDING_KINDS - 1 ("mock_fallback", "fast_pass", ...); NULL past
 * the last. */
const char *tg_report_kind(size_t i);

/* Whether format is one of them. */
bool tg_report_known(const char *format);

/*
 * Write the report in format to out.  Returns 0, TG_EUSAGE (unknown
 * format), TG_EIO (a write failed) or TG_ENOMEM.
 */
int tg_report_write(FILE *out, const char *format, const tg_report_in *in,
		    tg_err *err);

#ifdef __cplusplus
}
#endif
#endif
