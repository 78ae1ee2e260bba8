"""What the Python tests share (suites sync, content, fleet): assertions that say what
held, SIGTERM turned into an exception (meson's timeout then still runs the tests'
finally blocks, which stop their servers), SQLite one-liners and polling.

A test finds this file through its own path:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    from testlib import check, fail, ...
"""
import signal
import time


def fail(msg):
    raise AssertionError(msg)


def check(cond, msg):
    """Fails with msg unless cond; prints it otherwise, so a log says what was checked."""
    if not cond:
        fail(msg)
    print("ok:", msg, flush=True)


def on_term(signum, frame):
    raise SystemExit("terminated")


signal.signal(signal.SIGTERM, on_term)


def q(db, sql, *args):
    return db.execute(sql, args).fetchall()


def one(db, sql, *args):
    return db.execute(sql, args).fetchone()[0]


def wait_for(cond, what, timeout=60, step=0.1):
    """Polls cond until it returns something true, and returns that; fails after timeout
    seconds (generous: a loaded machine)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = cond()
        if v:
            return v
        time.sleep(step)
    fail("timed out waiting for " + what)
