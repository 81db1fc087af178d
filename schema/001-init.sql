-- truegreen schema version 1.
--
-- A run is one import: every input file of one CI job, stored whole or
-- not at all.  Each input is a source; each <testcase> (or earlier
-- attempt inside one) a result; results with the same test id merge into
-- one row of tests at the end of the import, which is what reports and
-- detectors read.  Values are never built into SQL: every one is bound.

PRAGMA application_id = 1414878769; -- 'TGR1': marks a truegreen database

CREATE TABLE runs (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE,
	imported_at TEXT NOT NULL,            -- ISO-8601, UTC
	digest      TEXT NOT NULL UNIQUE,     -- SHA-256 over its sources' digests
	truncated   INTEGER NOT NULL DEFAULT 0, -- 1: an input ended early
	tests       INTEGER NOT NULL DEFAULT 0,
	passed      INTEGER NOT NULL DEFAULT 0,
	failed      INTEGER NOT NULL DEFAULT 0,
	errors      INTEGER NOT NULL DEFAULT 0,
	skipped     INTEGER NOT NULL DEFAULT 0,
	flaky       INTEGER NOT NULL DEFAULT 0,
	results     INTEGER NOT NULL DEFAULT 0, -- observations before merging
	duration    REAL,                      -- seconds over tests; NULL if unknown
	-- a run's results are one contiguous range of results.id (one
	-- import is one transaction), so per-run reads need no index
	first_result INTEGER,
	last_result  INTEGER
) STRICT;

-- CI context (origin 'ci') and --meta pairs (origin 'user').
CREATE TABLE run_meta (
	run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	key    TEXT NOT NULL,
	value  TEXT NOT NULL,
	origin TEXT NOT NULL CHECK (origin IN ('ci', 'user')),
	PRIMARY KEY (run_id, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX run_meta_key_value ON run_meta(key, value);

CREATE TABLE sources (
	id           INTEGER PRIMARY KEY,
	run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	path         TEXT NOT NULL,           -- as given, or "<stdin>"
	format       TEXT NOT NULL,           -- the parser: junit, ...
	bytes        INTEGER NOT NULL DEFAULT 0,
	digest       TEXT,                    -- SHA-256 of its bytes
	results      INTEGER NOT NULL DEFAULT 0,
	truncated_at INTEGER                  -- byte offset after the last
					      -- complete case; NULL: complete
) STRICT;
CREATE INDEX sources_run ON sources(run_id);

-- Warnings raised while importing (ambiguous times, repairs, truncation).
CREATE TABLE diagnostics (
	id        INTEGER PRIMARY KEY,
	run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,
	line      INTEGER,
	col       INTEGER,
	offset    INTEGER,
	message   TEXT NOT NULL
) STRICT;
CREATE INDEX diagnostics_run ON diagnostics(run_id);

CREATE TABLE suites (
	id           INTEGER PRIMARY KEY,
	run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	source_id    INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
	parent_id    INTEGER REFERENCES suites(id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	timestamp    TEXT,
	hostname     TEXT,
	file         TEXT,
	duration     REAL,
	report_line  INTEGER,
	stdout       TEXT,
	stdout_bytes INTEGER,                 -- original length; > length(stdout)
	stderr       TEXT,                    -- means the text was cut
	stderr_bytes INTEGER
) STRICT;
CREATE INDEX suites_run ON suites(run_id);

-- Every distinct test id, once, with the file it was first seen in.
-- Results refer to it by number, so ten thousand runs of one suite store
-- its names once and every per-test index is on integers.  (Found by its
-- text through the unique index: keyed by a hash instead, the text would
-- be stored once, but random inserts made a 1M-test import 35% slower.)
CREATE TABLE test_names (
	id      INTEGER PRIMARY KEY,
	test_id TEXT NOT NULL UNIQUE,
	file    TEXT
) STRICT;

-- One row per observation of a test: a testcase, or an earlier attempt
-- inside one.  Narrow on purpose (counts and history scan these rows);
-- the bulky text of a result lives in result_text.
--
-- verdict and attempts are set on exactly one result per test and run,
-- the deciding one, and hold the merged outcome of all its attempts:
-- flaky = passed after a failed attempt.  NULL on the other attempts.
CREATE TABLE results (
	id          INTEGER PRIMARY KEY,
	run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
	suite_id    INTEGER REFERENCES suites(id) ON DELETE CASCADE,
	test        INTEGER NOT NULL REFERENCES test_names(id),
	line        INTEGER,                -- 1-based line in the test source
	-- Checks on results spell out comparisons: an IN list of five makes
	-- SQLite 3.40 build an ephemeral index on every insert, which made
	-- the import three times slower (bench/run.sh).
	outcome     TEXT NOT NULL
		    CHECK (outcome = 'passed' OR outcome = 'failed' OR
			   outcome = 'error' OR outcome = 'skipped'),
	status      TEXT,                   -- xfail, disabled, rerun, ...
	rerun       INTEGER NOT NULL DEFAULT 0, -- an earlier attempt
	duration    REAL,                   -- seconds; NULL: unknown
	message     TEXT,
	type        TEXT,
	report_line INTEGER,
	verdict     TEXT
		    CHECK (verdict = 'passed' OR verdict = 'failed' OR
			   verdict = 'error' OR verdict = 'skipped' OR
			   verdict = 'flaky'),
	attempts    INTEGER
) STRICT;
-- A test's history across runs.
CREATE INDEX results_history ON results(test, run_id)
	WHERE verdict IS NOT NULL;

-- The body of a failure or skip and the captured output of a result,
-- when it has any.  *_bytes is the original length: more than the stored
-- text means it was cut at the output cap.
CREATE TABLE result_text (
	result_id     INTEGER PRIMARY KEY REFERENCES results(id) ON DELETE CASCADE,
	details       TEXT,
	details_bytes INTEGER,
	stdout        TEXT,
	stdout_bytes  INTEGER,
	stderr        TEXT,
	stderr_bytes  INTEGER
) STRICT;

CREATE TABLE properties (
	suite_id  INTEGER REFERENCES suites(id) ON DELETE CASCADE,
	result_id INTEGER REFERENCES results(id) ON DELETE CASCADE,
	name      TEXT NOT NULL,
	value     TEXT NOT NULL,
	CHECK ((suite_id IS NULL) <> (result_id IS NULL))
) STRICT;
CREATE INDEX properties_suite ON properties(suite_id) WHERE suite_id IS NOT NULL;
CREATE INDEX properties_result ON properties(result_id) WHERE result_id IS NOT NULL;

-- One row per test and run, for ad-hoc SQL: the deciding results.
CREATE VIEW tests AS
	SELECT r.run_id, r.test, n.test_id, r.verdict AS outcome, r.duration,
	       r.attempts, r.id AS result_id, n.file, r.line
	FROM results r JOIN test_names n ON n.id = r.test
	WHERE r.verdict IS NOT NULL;
