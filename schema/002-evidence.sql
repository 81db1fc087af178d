-- truegreen schema version 2: what logs say beyond outcomes.
--
-- A run may now join several inputs of one test invocation (a JUnit XML,
-- a pytest console log, a report-log): results of one test from each
-- still share its test number; the import's merge picks the deciding
-- result from the most precise source (report-log, then JUnit, then the
-- console log) and records where the sources disagree in diagnostics.

-- A line of a test's output, warnings or traceback (or of the run's)
-- that matched a rule of the signal catalog.
CREATE TABLE evidence (
	id        INTEGER PRIMARY KEY,
	run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
	test      INTEGER REFERENCES test_names(id), -- NULL: about the run
	signal    TEXT NOT NULL,    -- network, network_failure, mock, ...
	rule      TEXT NOT NULL,    -- the catalog rule that matched
	section   TEXT NOT NULL,    -- log call, warning, traceback, system-out...
	line      INTEGER,          -- in the source, 1-based
	text      TEXT NOT NULL,    -- the line (cut at 4 KiB)
	fields    TEXT NOT NULL DEFAULT '{}', -- JSON: the rule's named groups
	headline  TEXT              -- set while the test is known only by
				    -- its pytest headline (resolved at the
				    -- end of the import, else kept)
) STRICT;
CREATE INDEX evidence_run ON evidence(run_id, test);

-- A test module pytest could not import: its tests were never collected.
CREATE TABLE collection_errors (
	id        INTEGER PRIMARY KEY,
	run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
	test      INTEGER NOT NULL REFERENCES test_names(id), -- the module
	exc_type  TEXT,             -- ModuleNotFoundError, ImportError, ...
	missing   TEXT,             -- the module or name not found
	message   TEXT,
	-- JSON array: the test module, each module imported on the way,
	-- and the module that failed
	chain     TEXT NOT NULL,
	line      INTEGER
) STRICT;
CREATE INDEX collection_errors_run ON collection_errors(run_id);

-- What a test session said about itself: pytest's header, its
-- "collected N items / M errors" line and its final summary line (one
-- input may hold several sessions: a CI log running pytest twice).  The
-- vanished-tests check compares these with the tests stored.
CREATE TABLE sessions (
	id              INTEGER PRIMARY KEY,
	source_id       INTEGER NOT NULL REFERENCES sources(id)
				ON DELETE CASCADE,
	run_id          INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	tool            TEXT NOT NULL,
	tool_version    TEXT,
	python_version  TEXT,
	platform        TEXT,
	plugins         TEXT,
	collected       INTEGER,    -- NULL: the input did not say
	collect_errors  INTEGER,
	deselected      INTEGER,
	collect_skipped INTEGER,
	interrupted     INTEGER NOT NULL DEFAULT 0,
	passed INTEGER, failed INTEGER, errors INTEGER, skipped INTEGER,
	xfailed INTEGER, xpassed INTEGER, warnings INTEGER, rerun INTEGER,
	duration        REAL,       -- wall time of the session, seconds
	exit_status     INTEGER,    -- when the input tells it (report-log)
	summary         TEXT,       -- the final line as printed
	line            INTEGER
) STRICT;
CREATE INDEX sessions_run ON sessions(run_id);
CREATE INDEX sessions_source ON sessions(source_id);
