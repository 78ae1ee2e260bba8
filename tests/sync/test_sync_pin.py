#!/usr/bin/env python3
"""Account PIN tries over every kiosk (issue 13, item 4), with the machinery of
test_sync.py (a real adm-central on loopback, real SQLite files):

    test_sync_pin.py ADM_CENTRAL ADM_SYNCD pin-lock

Two kiosks of one region. Wrong account PINs at kiosk A (3) and B (2) reach the central as
pin_failed events (the rows the kiosk's cache_pin_verify queues: the NIK and the time,
never the PIN); the fifth locks the holder there, and the lock comes back to every kiosk
in the holder's feed record: B's cache holds the holder locked with minutes left. The
lock expires at its time everywhere. A kiosk's own lock (pin_locked) is capped at the
central's lock time; events without a valid NIK, or about another region's holder, are
refused.
"""
import os
import time

import test_sync as t
from test_sync import check, one

TOKEN_B = "t0k3n-for-kiosk-b"
LOCK_S = 6


class KioskB(t.Env):
    """A second kiosk of the same region, on the same central."""

    def __init__(self, tmp, a):
        os.mkdir(tmp)
        super().__init__(tmp)
        with open(self.token_file, "w") as f:
            f.write(TOKEN_B + "\n")
        self.central_db, self.url = a.central_db, a.url

    def syncd_args(self, *extra, url=None, pins=t.CHEAP_PINS):
        args = super().syncd_args(*extra, url=url, pins=pins)
        args[args.index("K1")] = "K2"
        return args


def queue(env, eid, kind, body):
    """An event in the kiosk's outbox, as its cache queues it."""
    db = env.cache()
    db.execute("INSERT INTO outbox(event_id, kind, body, created) VALUES (?, ?, ?, 1)",
               (eid, kind, body))
    db.commit()
    db.close()


def tried(env, nik, kind, n, until=None):
    """n account PIN outcomes of kind at env's kiosk: the NIK and the time, never the PIN."""
    for i in range(n):
        body = '{"nik":"%s","at":%d%s}' % (nik, int(time.time()),
                                           ',"locked_until":%d' % until if until else "")
        queue(env, "%s-%s-%d-%d" % (kind, nik[-4:], n, i), kind, body)


def failures(a, nik):
    c = a.central()
    n = one(c, "SELECT failures FROM pin_locks WHERE nik = ?", nik)
    c.close()
    return n


def locked_until(env, nik):
    db = env.cache()
    v = one(db, "SELECT locked_until FROM holders WHERE nik = ?", nik)
    db.close()
    return v


def refusal(env, eid):
    db = env.cache()
    r = db.execute("SELECT acked FROM outbox WHERE event_id = ?", (eid,)).fetchone()
    db.close()
    return r[0] if r else None


def pin_lock(a):
    a.generate(300, 3)
    a.serve("--pin-tries", "5", "--pin-lock", str(LOCK_S),
            kiosks=[("K2", TOKEN_B, "3171")])
    b = KioskB(os.path.join(a.tmp, "b"), a)
    check(a.once() == 0 and b.once() == 0, "both kiosks synced")
    c = a.central()
    nik, other = [r[0] for r in c.execute(
        "SELECT nik FROM citizens WHERE substr(nik, 1, 4) = '3171' AND pin_hash IS NOT NULL "
        "ORDER BY nik LIMIT 2")]
    theirs = one(c, "SELECT nik FROM citizens WHERE substr(nik, 1, 4) = '3273' LIMIT 1")
    c.close()
    check(locked_until(b, nik) == 0, "not locked anywhere to begin with")

    # three wrong PINs at A, two at B: five at the registry
    tried(a, nik, "pin_failed", 3)
    check(a.once() == 0, "A sends its three tries")
    check(failures(a, nik) == 3, "the central counts A's tries")
    check(b.once() == 0 and locked_until(b, nik) == 0, "three tries lock nobody")
    tried(b, nik, "pin_failed", 2)
    t0 = time.time()
    check(b.once() == 0, "B sends its two tries")
    c = a.central()
    until = one(c, "SELECT locked_until FROM pin_locks WHERE nik = ?", nik)
    check(until >= int(t0) + LOCK_S - 1 and until <= int(time.time()) + LOCK_S,
          "the fifth try over both kiosks locks the holder at the central (%s)" % until)
    check(one(c, "SELECT count(*) FROM events WHERE kind = 'pin_failed' AND "
              "body LIKE '%pin\"%'") == 0, "no PIN in what the central keeps")
    c.close()
    # B's pass that sent the tries read the feed after them; A hears of it next
    lb = locked_until(b, nik)
    check(lb == until, "B's cache has the central's lock (%s vs %s)" % (lb, until))
    check(a.once() == 0 and locked_until(a, nik) == until, "and A's, through the feed")
    left = lb - int(time.time())
    minutes = (left + 59) // 60
    check(left > 0 and minutes >= 1,
          "the holder is refused as locked, %d minute(s) left (%d s)" % (minutes, left))
    check(locked_until(b, other) == 0, "another holder is not locked")

    # the lock expires at its time everywhere: nothing to sync for that
    time.sleep(max(0, until - time.time()) + 1)
    check(locked_until(b, nik) < time.time(), "the lock has expired at B")
    # the count started afresh at the lock: one more wrong try locks nobody
    tried(a, nik, "pin_failed", 1)
    check(a.once() == 0 and b.once() == 0, "a try after the lock")
    check(failures(a, nik) == 1, "counted afresh after the lock")
    check(locked_until(b, nik) < time.time(), "still unlocked")

    # a kiosk's own lock reaches the others, no longer than the central's lock time
    tried(a, other, "pin_locked", 1, until=int(time.time()) + 100000)
    check(a.once() == 0 and b.once() == 0, "A's own lock sent and the feed read")
    lo = locked_until(b, other)
    check(time.time() < lo <= time.time() + LOCK_S + 1,
          "B holds A's lock, capped at the central's %d s (%s)" % (LOCK_S, lo))
    # a successful PIN clears the count
    tried(a, nik, "pin_ok", 1)
    check(a.once() == 0, "a right PIN")
    check(failures(a, nik) == 0, "the count is cleared")

    # no valid NIK: invalid; another region's holder: not in this kiosk's feed
    queue(a, "bad-nik", "pin_failed", '{"nik":"1234"}')
    queue(a, "no-until", "pin_locked", '{"nik":"%s"}' % nik)
    tried(a, theirs, "pin_failed", 1)
    check(a.once() == 0, "a pass with refused PIN events")
    check(refusal(a, "bad-nik") == -1 and refusal(a, "no-until") == -1,
          "an event without a valid NIK or lock end is refused as invalid")
    check(refusal(a, "pin_failed-%s-1-0" % theirs[-4:]) == -4,
          "another region's holder: not_in_feed")


t.SCENARIOS.update({"pin-lock": pin_lock})

if __name__ == "__main__":
    t.sys.exit(t.main())
