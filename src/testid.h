/*
 * testid.h - the rule that names a test across every source.
 *
 * A test id is what joins a JUnit testcase, a pytest console line and a
 * report-log record of the same test, and what baselines match.  The rule
 * (documented in README.md, "Test ids"):
 *
 *  1. A `file` ending in .py gives the pytest node id:
 *     file :: classes after the module in classname :: name
 *     (tests/e2e/test_chat.py::TestChat::test_events[param]).
 *  2. Otherwise a Python-looking classname with a test module segment
 *     (test_*.py or *_test.py, pytest's defaults) is turned into a path:
 *     tests.e2e.test_chat.TestChat -> tests/e2e/test_chat.py::TestChat.
 *  3. An empty classname with a dotted module as name is a pytest
 *     collection error: tests.test_x -> tests/test_x.py.
 *  4. Otherwise classname::name, or just name when classname is empty,
 *     equal to it (jest-junit repeats the title in both) or its last
 *     words (mocha-junit-reporter: name "Chat page sends a message",
 *     classname "sends a message").
 * A classname equal to the name gives just the name, before rule 2 (CTest
 * writes "disabled_test" for both).  Names and classnames are trimmed of
 * surrounding white space; nothing else is changed.
 */
#ifndef TG_TESTID_H
#define TG_TESTID_H

#include <stdbool.h>

#include "buf.h"

/*
 * Build the id of a testcase into id (reset first).  When the source file
 * can be derived (rules 1-3) it is written to path (reset first), else
 * path is left empty.  file, classname and name may be NULL.  Returns
 * false if a buffer failed (too long or out of memory).
 */
bool tg_testid_build(tg_buf *id, tg_buf *path, const char *file,
		     const char *classname, const char *name);

/*
 * The id of a test named by a pytest node id: the node id, trimmed; path
 * gets its file part (before the first "::").  False if a buffer failed.
 */
bool tg_testid_nodeid(tg_buf *id, tg_buf *path, const char *nodeid);

/* Whether a path names a Python file (ends in ".py"). */
bool tg_testid_is_python_file(const char *path);

#endif
