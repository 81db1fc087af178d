/*
 * limits.h - every limit truegreen applies to its inputs, with the reason.
 *
 * Each number bounds memory or time against untrusted input.  A value
 * over a limit is either truncated and recorded (output text) or refused
 * with TG_ELIMIT naming the limit; never silently dropped.
 */
#ifndef TG_LIMITS_H
#define TG_LIMITS_H

/* Test names and class names: real ones are under 1 KiB; parametrised ids
 * with long repr()s reach a few KiB.  Longer is cut, with a warning. */
#define TG_MAX_NAME (16u * 1024u)

/* Failure/skip messages and their bodies (tracebacks).  A traceback of a
 * deep recursion runs to a few hundred KiB; beyond 1 MiB is noise. */
#define TG_MAX_MESSAGE (64u * 1024u)
#define TG_MAX_DETAILS (1024u * 1024u)

/* Default per-test cap on stored system-out and system-err each.  Enough
 * for DEBUG network logs of an e2e test; configurable with --output-cap.
 * Truncation stores the original length, so it is never silent. */
#define TG_DEFAULT_OUTPUT_CAP (1024u * 1024u)
/* The largest --output-cap accepted: SQLite's default blob limit is
 * 1 GB, and one test's output beyond 256 MiB is not evidence anyone reads. */
#define TG_MAX_OUTPUT_CAP (256u * 1024u * 1024u)

/* Properties: Surefire writes every JVM system property (a few hundred);
 * more than this per suite or case is a generator gone wrong. */
#define TG_MAX_PROPERTIES 4096u
#define TG_MAX_PROPERTY_VALUE (64u * 1024u)

/* Earlier attempts kept per testcase (Surefire's flakyFailure and
 * rerunFailure): rerunFailingTestsCount is a handful in practice.  They
 * are held until their testcase ends, so a cut-off testcase adds none. */
#define TG_MAX_ATTEMPTS 16u

/* The filter an import uses to notice a test seen twice in one run
 * (reruns): a fixed 1 MiB Bloom filter, so memory does not grow with the
 * run; at a million tests about 3% of rows need an exact index check. */
#define TG_SEEN_FILTER_BYTES (1024u * 1024u)

/* Nested <testsuite> depth.  PHPUnit nests three deep; 64 leaves room
 * for any real producer and keeps the suite stack tiny. */
#define TG_MAX_SUITE_DEPTH 64u

/* Tests whose inputs disagree on the outcome that an import prints
 * (every one is stored): the first ones show what happened, a thousand
 * would bury the other warnings. */
#define TG_MAX_TOLD_DISAGREEMENTS 10u

/* Distinct testcase names a JUnit suite is tallied by (jest-junit's
 * todos, junit_reader.c end_suite()): a jest suite is one test file,
 * hundreds of tests; past this, the suite's todos are not looked for.
 * Bounds the table at 128 KiB. */
#define TG_MAX_SUITE_NAMES 8192u

/* Element nesting in the XML as a whole.  Below libxml2's own 256, so
 * the message is ours and names the limit. */
#define TG_MAX_XML_DEPTH 128u

/* Documents read from one file that holds several (`cat *.xml`): CI
 * scripts merge a job's reports, hundreds at most. */
#define TG_MAX_DOCUMENTS 10000u

/* Files taken from one directory import, and directory depth.  A CI
 * artefacts folder holds hundreds of reports; 100k means a wrong path. */
#define TG_MAX_DIR_FILES 100000u
#define TG_MAX_DIR_DEPTH 32u

/* Inputs in one run (files given on the command line, after expansion). */
#define TG_MAX_SOURCES TG_MAX_DIR_FILES

/* Bytes of an input shown to the parsers' sniff() to recognise it. */
#define TG_SNIFF_BYTES 4096u

/* A line of a console log.  pytest wraps at the terminal width; the
 * longest real lines are one-line reprs in assertion messages, a few KiB.
 * Longer lines are cut (and the cut recorded), never held whole. */
#define TG_MAX_LINE (64u * 1024u)

/* A line of a pytest report-log: one JSON record holding a test's
 * traceback and captured sections, so far longer than a console line.
 * A record over this is skipped with a warning, never parsed in part. */
#define TG_MAX_JSON_LINE (16u * 1024u * 1024u)

/* Tests one console log may name.  The console parser keeps one small
 * record per test until the log ends (outcomes, durations and messages
 * arrive in different sections), so memory grows with the tests, not the
 * log's size: about 100 bytes plus the node id per test. */
#define TG_MAX_LOG_TESTS (4u * 1024u * 1024u)

/* Modules in one import chain (the frames of a collection error). */
#define TG_MAX_CHAIN 64u

/* Run meta pairs (--meta and CI context) and their sizes. */
#define TG_MAX_META 256u
#define TG_MAX_META_KEY 128u
#define TG_MAX_META_VALUE 4096u

#endif
