/*
 * report.h - what the reporters share (the public half is
 * truegreen/report.h): the table, the help text of each finding kind,
 * stable fingerprints.
 */
#ifndef TG_REPORT_INTERNAL_H
#define TG_REPORT_INTERNAL_H

#include <stdio.h>

#include "escape.h"
#include "truegreen/report.h"

typedef struct tg_reporter {
	const char *name;
	int (*write)(FILE *out, const tg_report_in *in, tg_err *err);
} tg_reporter;

/* What a finding kind means and how to act on it. */
typedef struct tg_kind_help {
	const char *kind;
	const char *title;     /* "Mock fallback" */
	const char *meaning;   /* one sentence */
	const char *fix;       /* what to do about it */
} tg_kind_help;

/* The help of kind (a generic entry for an unknown kind). */
const tg_kind_help *tg_report__help(const char *kind);

/* A fingerprint that stays the same for the same kind and test across
 * runs, so dashboards track a finding instead of reopening it: 32 hex
 * characters and a NUL. */
void tg_report__fingerprint(const tg_finding *f, char out[33]);

/* Where a finding points, for formats that need a file (SARIF, GitLab
 * Code Quality): its test's source file and line when known, else the
 * input and line of its first evidence (analyze gives every finding
 * evidence).  *line is 0 when unknown.  Returns whether the place is the
 * evidence's rather than the test's; *path is NULL when there is none.
 * The path is relative to in->source_root when it lies under it. */
bool tg_report__place(const tg_report_in *in, const tg_finding *f,
		      const char **path, int64_t *line);

/* path relative to in->source_root when it lies under it (and is not the
 * root itself), else path. */
const char *tg_report__relative(const tg_report_in *in, const char *path);

/* What comes between an evidence line's input and its text: ":LINE: ",
 * or ": " for evidence about a whole input (line 0), into buf. */
const char *tg_report__at(int64_t line, char buf[32]);

/* A file path as a URI reference (SARIF's artifactLocation.uri): a
 * relative path stays relative, an absolute one ("/ci/x.py", "C:\ci\x.py")
 * becomes a file: URI; backslashes become slashes, and every byte but
 * the unreserved ones and "/!$&'()*+,;=@" is percent-encoded (a space,
 * '%', '#', '?', ':', non-ASCII).  tg_malloc'd; NULL when out of memory. */
char *tg_report__uri(const char *path);

/* The closing verdict when findings reach fail_on, into buf: a green
 * run "is not to be trusted"; a run with failures or errors, or without
 * a single test (a conftest that failed to import), is not green in the
 * first place, and the verdict says so. */
const char *tg_report__verdict(const tg_report_in *in, char *buf,
			       size_t size);

/* Untrusted text as XML (or HTML) character data or attribute value:
 * markup escaped, what XML 1.0 cannot hold (control characters, bytes
 * that are not UTF-8) as U+FFFD. */
void tg_report__xml(FILE *out, const char *s);

/* Untrusted text inert in Markdown and in the HTML it becomes: markup
 * characters escaped, <>& as entities, newlines as spaces.  Returns the
 * bytes written. */
size_t tg_report__md(FILE *out, const char *s);

int tg_report__text(FILE *out, const tg_report_in *in, tg_err *err);
int tg_report__json(FILE *out, const tg_report_in *in, tg_err *err);
int tg_report__sarif(FILE *out, const tg_report_in *in, tg_err *err);
int tg_report__github(FILE *out, const tg_report_in *in, tg_err *err);
int tg_report__gitlab(FILE *out, const tg_report_in *in, tg_err *err);
int tg_report__markdown(FILE *out, const tg_report_in *in, tg_err *err);
int tg_report__junit(FILE *out, const tg_report_in *in, tg_err *err);

/* Print a cJSON document and free it; TG_ENOMEM or TG_EIO on failure. */
struct cJSON;
int tg_report__print_json(FILE *out, struct cJSON *doc, bool pretty,
			  tg_err *err);

#endif
