#!/usr/bin/env python3
"""bench/gen_history.py DB RUNS TESTS - a store holding RUNS runs of TESTS
tests each, spread over a year, for timing `truegreen report`.

The database is created by truegreen itself (so it has the real schema,
migrations included); the rows are then written by SQLite's own
recursive SQL, which is far faster than importing reports one by one.
About one test in 200 fails, one in 1,000 is flaky, and the tests of
one module lose their duration in the last week (a collapse to find).
Python's sqlite3 module is only the driver: every row is made in SQL.
"""
import sqlite3
import subprocess
import sys

db, runs, tests, tg = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
seed = db + ".seed.xml"
with open(seed, "w") as f:
    f.write('<testsuite name="s"><testcase classname="c" name="t" time="1"/></testsuite>')
subprocess.run([tg, "--db", db, "import", "-q", seed], check=True,
               stdout=subprocess.DEVNULL)
c = sqlite3.connect(db)
c.execute("PRAGMA foreign_keys=ON")
c.execute("DELETE FROM runs")  # the seed run, and everything of it
c.execute("DELETE FROM test_names")
c.commit()
c.execute("PRAGMA journal_mode=WAL")
c.execute("PRAGMA synchronous=OFF")
c.execute("BEGIN")
c.execute("""WITH RECURSIVE t(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM t WHERE i < ?)
             INSERT INTO test_names (id, test_id, file)
             SELECT i, printf('tests/mod%03d/test_m%d.py::test_case_%d', i % 100, i % 250, i),
                    printf('tests/mod%03d/test_m%d.py', i % 100, i % 250) FROM t""", (tests,))
c.execute("""WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < ?)
             INSERT INTO runs (id, name, imported_at, digest, tests, passed, failed,
                               errors, skipped, flaky, results, duration,
                               first_result, last_result)
             SELECT i, 'run-' || i,
                    strftime('%Y-%m-%dT%H:%M:%SZ', '2026-11-23T12:00:00',
                             printf('-%d minutes', (? - i) * 525600 / ?)),
                    'digest-' || i, ?, ?, 0, 0, 0, 0, ?, 0,
                    (i - 1) * ? + 1, i * ? FROM r""",
          (runs, runs, runs, tests, tests, tests, tests, tests))
c.execute("INSERT INTO sources (id, run_id, path, format) SELECT id, id, 'junit.xml', 'junit' FROM runs")
c.execute("""WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < ?),
                  t(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM t WHERE j < ?)
             INSERT INTO results (id, run_id, source_id, test, outcome, rerun, duration,
                                  verdict, attempts)
             SELECT (r.i - 1) * ? + t.j, r.i, r.i, t.j,
                    CASE WHEN (r.i * 7 + t.j) % 200 = 0 THEN 'failed' ELSE 'passed' END, 0,
                    CASE WHEN t.j % 100 = 7 AND r.i > ? - ? / 52 THEN 0.01
                         ELSE 0.5 + (t.j % 50) / 10.0 + (r.i % 3) / 100.0 END,
                    CASE WHEN (r.i * 7 + t.j) % 200 = 0 THEN 'failed'
                         WHEN (r.i * 13 + t.j) % 1000 = 0 THEN 'flaky' ELSE 'passed' END, 1
             FROM r, t""", (runs, tests, tests, runs, runs))
c.execute("COMMIT")
c.close()
