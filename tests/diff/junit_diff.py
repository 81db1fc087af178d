#!/usr/bin/env python3
"""junit_diff.py TRUEGREEN [FIRST_SEED [COUNT]] - JUnit import against an
independent reading.

Generates random JUnit documents (nested suites, a bare testsuite or
testcase as the root, every outcome element, Surefire's flaky and rerun
elements, googletest's and CTest's tests that did not run, a test written
more than once, names with markup, tabs and non-ASCII, times in several
encodings, pytest xunit1 file/line attributes, namespace prefixes,
comments, CDATA and processing instructions), works out what each document says with this
file's own rules (the README's "Outcomes" and "Test ids"), imports it and
compares the run's tests, outcomes, durations, lines and counts.  Seeds are
fixed, so a failure replays: run again with the seed it prints.  Exit 1 on
any difference.
"""
import html
import json
import os
import random
import subprocess
import sys

import seeds

RANK = {'skipped': 0, 'passed': 1, 'failed': 2, 'error': 3}
NAMES = ['test_a', 'test_b', 't', 'should do x', 'it works', 'Test Ümlaut',
         'a<b', 'x&y', 'q"t', "ap'os", 'sp  ace', 'tab\there', 'emoji😀',
         '[p-1]', 'lead ']
CLASSES = ['com.x.A', 'com.x.B', 'pkg.Klass', 'Suite One',
           'tests.e2e.test_chat.TestChat', 'tests.test_mod',
           'app.tests.test_api.TestApi.Inner']
TEXTS = ['', html.escape('line1\nline <2> & "3"'), '<![CDATA[cdata <x> & ]]>',
         '<!-- c -->txt<?pi x?>more']


def rtime(r):
    """A time attribute as written, and the seconds it means (None: none)."""
    k = r.random()
    if k < 0.6:
        v = round(r.uniform(0, 50), 3)
        return '%.3f' % v, v
    if k < 0.7:
        return None, None
    if k < 0.8:
        return '', None
    if k < 0.85:
        v = r.randint(0, 20)
        return str(v), float(v)
    if k < 0.88:
        v = r.randint(1000, 99999) + 0.5
        return '{:,}'.format(v), v
    if k < 0.9:
        v = r.randint(1, 9)
        return '%dE-3' % v, v / 1000.0
    v = round(r.uniform(0, 1e-3), 6)
    return repr(v), v


class Doc:
    """One random report and what it says: for each test id, its attempts
    as (outcome, rerun) in order; for a test written once, its duration
    and line."""

    def __init__(self, r):
        self.r = r
        self.attempts = {}
        self.once = {}
        self.results = 0
        k = r.random()
        if k < 0.1:  # a bare testsuite
            body = self.suite(1)
            root = body + '\n'
        elif k < 0.15:  # a bare testcase
            body = self.case()
            root = body + '\n'
        else:
            body = ''.join(self.suite(1) for _ in range(r.randint(1, 3)))
            root = '<testsuites>%s</testsuites>\n' % body
        if r.random() < 0.15:
            body = body.replace('<test', '<j:test').replace('</test', '</j:test')
            root = '<j:testsuites xmlns:j="urn:x">%s</j:testsuites>\n' % body
        head = '<?xml version="1.0" encoding="UTF-8"?>\n' if r.random() < 0.7 else ''
        self.xml = head + root

    def case(self):
        r = self.r
        cls = r.choice(CLASSES)
        name = r.choice(NAMES) + str(r.randint(0, 3))
        t, secs = rtime(r)
        attrs = [('classname', cls), ('name', name)]
        line = None
        pyfile = None
        if cls.startswith(('tests.', 'app.')):
            mods = cls.split('.')
            k = max(i for i, m in enumerate(mods) if m.startswith('test_'))
            pyfile = '/'.join(mods[:k + 1]) + '.py'
            if r.random() < 0.5:
                attrs.append(('file', pyfile))
                if r.random() < 0.5:
                    line = r.randint(0, 500)
                    attrs.append(('line', str(line)))
        if t is not None:
            attrs.append(('time', t))
        r.shuffle(attrs)
        q = r.choice(['"', "'"])
        a = ''.join(' %s=%s%s%s' % (k, q, html.escape(v), q) for k, v in attrs)
        kids, seq = [], None
        k = r.random()
        if k < 0.15:
            kids.append('<failure message="m" type="T">%s</failure>' % r.choice(TEXTS))
            seq = [('failed', False)]
        elif k < 0.25:
            kids.append('<error message="e">%s</error>' % r.choice(TEXTS))
            seq = [('error', False)]
        elif k < 0.35:
            kids.append(r.choice(['<skipped message="s"/>', '<skipped/>']))
            seq = [('skipped', False)]
        elif k < 0.42:
            kids.append('<flakyFailure message="f" type="T"><stackTrace>st'
                        '</stackTrace></flakyFailure>')
            seq = [('failed', True), ('passed', False)]
        elif k < 0.47:
            kids += ['<failure message="m"/>', '<rerunFailure message="f" type="T"/>']
            seq = [('failed', True), ('failed', False)]
        elif k < 0.50:
            kids.append('<flakyError message="e" type="T"/>')
            seq = [('error', True), ('passed', False)]
        elif k < 0.52:
            kids += ['<error message="e"/>', '<rerunError message="e"/>',
                     '<rerunFailure message="f"/>']
            seq = [('error', True), ('failed', True), ('error', False)]
        elif k < 0.55:
            # googletest's DISABLED_ tests and CTest's: not run
            attrs.append(r.choice([('status', 'notrun'), ('status', 'disabled')]))
            a = ''.join(' %s=%s%s%s' % (k, q, html.escape(v), q) for k, v in attrs)
            seq = [('skipped', False)]
        else:
            seq = [('passed', False)]
        if r.random() < 0.3:
            kids.append('<system-out>%s</system-out>' % r.choice(TEXTS))
        if r.random() < 0.2:
            kids.append('<properties><property name="p" value="v"/></properties>')
        r.shuffle(kids)
        # attribute values are normalised: a tab is a space
        name = name.replace('\t', ' ').strip()
        if pyfile:  # rule 1 with a file attribute, rule 2 without
            mods = cls.split('.')
            k = max(i for i, m in enumerate(mods) if m.startswith('test_'))
            tid = '::'.join([pyfile] + mods[k + 1:] + [name])
        elif cls == name:
            tid = name
        else:
            tid = '%s::%s' % (cls, name)
        self.attempts.setdefault(tid, []).extend(seq)
        self.results += len(seq)
        self.once.setdefault(tid, []).append((secs, None if line is None else line + 1))
        if kids:
            return '<testcase%s>%s</testcase>' % (a, ''.join(kids))
        return r.choice(['<testcase%s/>', '<testcase%s></testcase>']) % a

    def suite(self, depth):
        r = self.r
        parts = []
        for _ in range(r.randint(0, 4)):
            parts.append(self.suite(depth + 1) if depth < 3 and r.random() < 0.25
                         else self.case())
            if r.random() < 0.2:
                parts.append('\n  ')
        if r.random() < 0.2:
            parts.append('<system-out>suite out</system-out>')
        # never fewer tests= than testcases: a surplus of empty zero-time
        # passes would be jest-junit's todos (test_junit.c tests those)
        return '<testsuite name="S%d" tests="%d">%s</testsuite>' % (
            depth, 1000, ''.join(parts))


def verdict(seq):
    """README "Outcomes": the last final attempt decides when it passed;
    otherwise the worst final failure, then a pass, then the skip."""
    finals = [o for o, rerun in seq if not rerun]
    if finals and finals[-1] == 'passed':
        return 'flaky' if any(o in ('failed', 'error') for o, _ in seq) else 'passed'
    for o in ('error', 'failed', 'passed'):
        if o in finals:
            return o
    if finals:
        return finals[-1]
    return max((o for o, _ in seq), key=RANK.get)


def run(tg, args):
    p = subprocess.run([tg] + args, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def check(tg, work, seed):
    doc = Doc(random.Random(seed))
    if not doc.attempts:
        return []
    path = os.path.join(work, 'report-%d.xml' % seed)
    db = os.path.join(work, 'db-%d' % seed)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(doc.xml)
    rc, _, err = run(tg, ['--db', db, 'import', '-q', path])
    if rc != 0:
        return ['import failed (%d): %s' % (rc, err.strip()[:300])]
    got = {t['id']: t for t in json.loads(run(tg, ['--db', db, 'tests', '--format', 'json'])[1])['tests']}
    counts = json.loads(run(tg, ['--db', db, 'runs', '--format', 'json'])[1])['runs'][0]['counts']
    probs = []
    if set(got) != set(doc.attempts):
        probs.append('ids: missing %r, extra %r' % (sorted(set(doc.attempts) - set(got))[:3],
                                                    sorted(set(got) - set(doc.attempts))[:3]))
    want = {}
    for tid, seq in doc.attempts.items():
        want[tid] = verdict(seq)
        g = got.get(tid)
        if not g:
            continue
        if g['outcome'] != want[tid]:
            probs.append('%r: %s, want %s from %r' % (tid, g['outcome'], want[tid], seq))
        if len(doc.once[tid]) == 1 and len(seq) == 1:
            secs, line = doc.once[tid][0]
            if (secs is None) != (g['duration'] is None) or \
                    (secs is not None and abs(secs - g['duration']) > 1e-9):
                probs.append('%r: duration %r, want %r' % (tid, g['duration'], secs))
            if g['line'] != line:
                probs.append('%r: line %r, want %r' % (tid, g['line'], line))
    for key, o in (('passed', 'passed'), ('failed', 'failed'), ('errors', 'error'),
                   ('skipped', 'skipped'), ('flaky', 'flaky')):
        n = sum(1 for v in want.values() if v == o)
        if counts[key] != n:
            probs.append('%s: %d, want %d' % (key, counts[key], n))
    if counts['tests'] != len(want) or counts['results'] != doc.results:
        probs.append('tests %d, results %d; want %d, %d' % (
            counts['tests'], counts['results'], len(want), doc.results))
    total = sum(g['duration'] or 0 for g in got.values())
    if abs((counts['duration'] or 0) - total) > 1e-6:
        probs.append('total duration %r, the tests add up to %r' % (counts['duration'], total))
    for f in (db, db + '-wal', db + '-shm') + (() if probs else (path,)):
        if os.path.exists(f):
            os.remove(f)
    return probs


if __name__ == '__main__':
    sys.exit(seeds.run('junit_diff', check, 300))
