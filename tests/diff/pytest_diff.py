#!/usr/bin/env python3
"""pytest_diff.py TRUEGREEN [FIRST_SEED [COUNT]] - pytest's outputs against
what pytest itself reported.

For each seed: writes a small random pytest project (passes, failures,
errors in setup and teardown, skips, xfail and xpass, parametrized ids
with spaces, brackets, '::' and non-ASCII, classes nested in classes,
unittest async methods never awaited, a module that fails to import, a
test that fails once and passes on rerun, output on stdout, stderr,
logging and warnings), runs Debian's pytest on it with random options
(-v, -q, -rA, -ra, -s, xdist, --reruns, xunit1, junit_logging,
--color, --tb, --durations, -x), and records every report pytest made
through a conftest hook: that is the truth.  Then imports the console
log, the JUnit XML, the report-log (the fixtures' stand-in plugin, not
under xdist), and all together, and compares each test's outcome.

Allowed to differ, because the input cannot tell: a console log names
only some tests unless -v (-rA names all but grouped skips); JUnit from
pytest-rerunfailures 10.2 holds only a test's last attempt (passed, not
flaky); pytest's JUnit under xdist -x can drop a test's name.

Seeds are fixed: a failure replays, and its project is kept.  Exit 1 on
any difference.
"""
import json
import os
import random
import shutil
import subprocess
import sys

import seeds

PY = '/usr/bin/python3'
HERE = os.path.dirname(os.path.realpath(__file__))
STANDIN = os.path.join(HERE, '..', 'fixtures', 'pytest', 'suite', 'reportlog_standin.py')

CONFTEST = r'''
import json, pytest
_reports = []
def pytest_runtest_logreport(report):
    _reports.append({"nodeid": report.nodeid, "when": report.when,
                     "outcome": report.outcome})
def pytest_sessionfinish(session):
    with open(session.config.rootpath / "truth.json", "w") as f:
        json.dump(_reports, f)

@pytest.fixture
def broken():
    raise RuntimeError("setup broke")

@pytest.fixture
def bad_teardown():
    yield 1
    raise RuntimeError("teardown broke")
'''
IDS = ['a', 'b c', 'ü', 'x-y', '1.5', 'p::q', 'br[k]', 'long' * 12, 'q"t', 'n\\nl']
KINDS = ['pass'] * 4 + ['fail', 'skip', 'xfail', 'raise', 'broken', 'teardown',
                        'param', 'xmark', 'class', 'flaky', 'async', 'nested']
OPTIONS = [['-v'], ['-q'], ['-rA'], ['-v', '-rA'], ['-q', '-rA'], ['-n', '2'],
           ['-v', '-n', '2'], ['--reruns', '1', '-v'], ['-ra']]
EXTRA = [[], [], ['--tb=line'], ['--tb=no'], ['--tb=short'],
         ['-o', 'junit_family=xunit1'], ['-o', 'junit_logging=all'],
         ['--color=yes'], ['-s'], ['--capture=tee-sys'], ['-o', 'log_cli=true'],
         ['--durations=0'], ['-x'], ['-vv']]


def body(r, kind, indent):
    p = ' ' * indent
    out = []
    if r.random() < 0.3:
        out.append(p + 'print("out %s")' % kind)
    if r.random() < 0.1:
        out.append(p + 'sys.stderr.write("err\\n")')
    if r.random() < 0.1:
        out.append(p + 'logging.getLogger("x").warning("logged")')
    if r.random() < 0.1:
        out.append(p + 'warnings.warn("careful")')
    out.append(p + {'pass': 'assert True', 'fail': 'assert 1 == 2, "nope"',
                    'skip': 'pytest.skip("because")', 'xfail': 'pytest.xfail("known")',
                    'raise': 'raise ValueError("bad")'}[kind])
    return out


def module(r, m):
    lines = ['import pytest, sys, logging, warnings', '']
    if r.random() < 0.08:
        lines.insert(0, 'import no_such_module_%d' % m)
    for n in range(1, r.randint(1, 6) + 1):
        kind = r.choice(KINDS)
        f = 'def test_f%d' % n
        if kind == 'broken':
            lines += [f + '(broken):', '    assert True']
        elif kind == 'teardown':
            lines += [f + '(bad_teardown):'] + body(r, r.choice(['pass', 'fail']), 4)
        elif kind == 'param':
            ids = r.sample(IDS, r.randint(1, 3))
            lines += ['@pytest.mark.parametrize("v", %r)' % ids, f + '(v):',
                      '    assert v != %r' % r.choice(ids + ['zz'])]
        elif kind == 'xmark':
            lines += ['@pytest.mark.xfail(strict=%s)' % (r.random() < 0.3), f + '():']
            lines += body(r, r.choice(['pass', 'fail']), 4)
        elif kind == 'flaky':  # fails once: a rerun passes
            lines += [f + '():', '    import os',
                      '    p = os.path.join(os.path.dirname(__file__), ".flag_%d_%d")' % (m, n),
                      '    if not os.path.exists(p):', '        open(p, "w").close()',
                      '        assert False, "first attempt"']
        elif kind == 'async':  # never awaited: passes without running
            lines += ['import unittest', 'class TestA%d(unittest.TestCase):' % n,
                      '    async def test_coro(self):', '        assert False']
        elif kind == 'nested':
            lines += ['class TestOuter%d:' % n, '    class TestInner:',
                      '        def test_in(self):'] + body(r, r.choice(['pass', 'fail']), 12)
        elif kind == 'class':
            lines += ['class TestK%d:' % n]
            for k in range(r.randint(1, 3)):
                lines += ['    def test_m%d(self):' % k]
                lines += body(r, r.choice(['pass', 'pass', 'fail', 'skip']), 8)
        else:
            lines += [f + '():'] + body(r, kind, 4)
        lines.append('')
    return '\n'.join(lines) + '\n'


def truth(path):
    """Each test's outcome from pytest's own reports."""
    tests = {}
    for rep in json.load(open(path)):
        t = tests.setdefault(rep['nodeid'], {'reruns': 0})
        if rep['outcome'] == 'rerun':
            t['reruns'] += 1
        else:
            t[rep['when']] = rep['outcome']
    out = {}
    for nodeid, t in tests.items():
        if 'failed' in (t.get('setup'), t.get('teardown')):
            o = 'error'
        elif t.get('call') == 'failed':
            o = 'failed'
        elif 'skipped' in (t.get('setup'), t.get('call')):
            o = 'skipped'
        else:
            o = 'passed'
        out[nodeid] = 'flaky' if o == 'passed' and t['reruns'] else o
    return out


def tg_tests(tg, db, files):
    for suffix in ('', '-wal', '-shm'):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    p = subprocess.run([tg, '--db', db, 'import', '-q'] + files,
                       capture_output=True, text=True)
    if p.returncode != 0:
        return None, p.stderr
    out = subprocess.run([tg, '--db', db, 'tests', '--format', 'json'],
                         capture_output=True, text=True).stdout
    return {t['id']: t['outcome'] for t in json.loads(out)['tests']}, ''


def check(tg, work, seed):
    r = random.Random(seed)
    d = os.path.join(work, 'p%d' % seed)
    os.makedirs(os.path.join(d, 'tests'))
    open(os.path.join(d, 'conftest.py'), 'w').write(CONFTEST)
    open(os.path.join(d, 'tests', '__init__.py'), 'w').write('')
    shutil.copy(STANDIN, d)
    for m in range(r.randint(1, 4)):
        open(os.path.join(d, 'tests', 'test_m%d.py' % m), 'w').write(module(r, m))
    extra = r.choice(EXTRA)
    opts = list(r.choice(OPTIONS))
    if r.random() < 0.5:
        opts.append('--continue-on-collection-errors')
    opts += extra
    xdist = '-n' in opts
    args = [PY, '-m', 'pytest', '-p', 'no:cacheprovider', '--junitxml=junit.xml']
    if not xdist:  # the stand-in serialises no xdist node
        args += ['-p', 'reportlog_standin', '--report-log=rl.jsonl']
    env = dict(os.environ, COLUMNS=str(r.choice([80, 120, 200])), PYTHONPATH=d,
               PYTHONDONTWRITEBYTECODE='1')
    env.pop('PYTEST_ADDOPTS', None)
    p = subprocess.run(args + opts, cwd=d, capture_output=True, text=True, env=env)
    open(os.path.join(d, 'console.log'), 'w').write(p.stdout)
    if not os.path.exists(os.path.join(d, 'truth.json')):
        return ['pytest wrote no truth (exit %d): %s' % (p.returncode, p.stderr[-300:])]
    want = truth(os.path.join(d, 'truth.json'))
    probs = []
    for label, files in (('console', ['console.log']), ('junit', ['junit.xml']),
                         ('reportlog', ['rl.jsonl']),
                         ('joined', ['junit.xml', 'console.log', 'rl.jsonl'])):
        files = [os.path.join(d, f) for f in files if os.path.exists(os.path.join(d, f))]
        if not files:
            continue
        got, err = tg_tests(tg, os.path.join(d, 'db'), files)
        if got is None:
            probs.append('%s: import failed: %s' % (label, err.strip()[:300]))
            continue
        named_all = label != 'console' or '-v' in opts or '-vv' in opts
        for nodeid, o in want.items():
            g = got.get(nodeid)
            if g is None:
                if (named_all or ('-rA' in opts and o != 'skipped')) and \
                        not ('-x' in opts and xdist):
                    probs.append('%s: %r (%s) is missing' % (label, nodeid, o))
            elif g != o and not (label == 'junit' and o == 'flaky' and g == 'passed'):
                probs.append('%s: %r is %s, pytest says %s' % (label, nodeid, g, o))
        for nodeid in got:
            if nodeid not in want and not nodeid.endswith('.py') and \
                    not ('-x' in opts and xdist and nodeid.startswith('(unnamed')) and \
                    nodeid != 'pytest::internal':
                probs.append('%s: %r is not a test pytest ran' % (label, nodeid))
    if probs:
        probs.insert(0, 'pytest %s' % ' '.join(opts))
    else:
        shutil.rmtree(d)
    return probs


if __name__ == '__main__':
    sys.exit(seeds.run('pytest_diff', check, 40))
