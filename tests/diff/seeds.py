"""seeds.py - what the differential tests share: run check(tg, work, seed)
over a range of seeds given on the command line as TRUEGREEN [FIRST_SEED
[COUNT]], print each seed whose check found differences, and exit 1 if
any did.  The work directory is kept when one did, for its inputs."""
import os
import shutil
import sys
import tempfile


def run(name, check, count):
    tg = os.path.realpath(sys.argv[1])
    first = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    count = int(sys.argv[3]) if len(sys.argv) > 3 else count
    work = tempfile.mkdtemp(prefix='tg-%s.' % name, dir=os.environ.get('TMPDIR'))
    bad = 0
    for seed in range(first, first + count):
        probs = check(tg, work, seed)
        if probs:
            bad += 1
            print('seed %d (replay: %s %s %d 1; inputs in %s):'
                  % (seed, sys.argv[0], tg, seed, work))
            for p in probs[:8]:
                print('   ', p)
    print('%s: %d seeds, %d differ' % (name, count, bad))
    if not bad:
        shutil.rmtree(work)
    return 1 if bad else 0
