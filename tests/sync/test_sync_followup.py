#!/usr/bin/env python3
"""Follow-ups of issue 11 for adm-syncd, with the machinery of test_sync.py (a real
adm-central on loopback, real SQLite files):

    test_sync_followup.py ADM_CENTRAL ADM_SYNCD SCENARIO

refused      events adm-central refuses for good (not this kiosk's document, no such
             document) are marked refused with the server's code, never sent again,
             logged once and counted in the heartbeat; accepted ones are acknowledged
lookup-busy  a 429 with Retry-After to an on-demand lookup: the kiosk is told "needs the
             network" (it has no "busy" answer), the next lookups wait as the server
             asked, at most --backoff-max
"""
import json
import os
import subprocess
import time

import test_sync as t
from test_sync import check, one


def outbox(env, eid):
    db = env.cache()
    r = db.execute("SELECT acked FROM outbox WHERE event_id = ?", (eid,)).fetchone()
    db.close()
    return r[0] if r else None


def central_events(env, eid):
    c = env.central()
    n = one(c, "SELECT count(*) FROM events WHERE id = ?", eid)
    c.close()
    return n


def refused(env):
    env.generate(300, 3)
    env.serve()
    check(env.once() == 0, "initial sync")
    c = env.central()
    mine = one(c, "SELECT id FROM documents WHERE substr(nik, 1, 4) = '3171' ORDER BY id "
               "LIMIT 1")
    theirs, their_nik = c.execute("SELECT id, nik FROM documents WHERE substr(nik, 1, 4) = "
                                  "'3273' ORDER BY id LIMIT 1").fetchone()
    c.close()
    db = env.cache()
    for eid, doc in (("ev-mine", mine), ("ev-theirs", theirs), ("ev-nodoc", "D99999998")):
        db.execute("INSERT INTO outbox(event_id, kind, body, created) VALUES (?, 'printed', ?, "
                   "1)", (eid, '{"document":"%s","at":1,"reason":""}' % doc))
    db.commit()
    db.close()
    check(env.once() == 0, "a pass with refused events succeeds")
    log1 = env.last_log
    check(outbox(env, "ev-mine") in (1, None) and central_events(env, "ev-mine") == 1,
          "the accepted event is stored and acknowledged (then purged)")
    # acked < 0 is a refusal; -(1 + its place in invalid, no_document, unknown_document,
    # not_in_feed) its code (cache_queue.c)
    check(outbox(env, "ev-theirs") == -4, "another region's document: refused, not_in_feed "
          "(acked %s)" % outbox(env, "ev-theirs"))
    check(outbox(env, "ev-nodoc") == -3, "no such document: refused, unknown_document "
          "(acked %s)" % outbox(env, "ev-nodoc"))
    check(log1.count("refused by the server") == 2 and
          "event ev-theirs (printed) refused by the server: not_in_feed" in log1 and
          "event ev-nodoc (printed) refused by the server: unknown_document" in log1,
          "each refusal logged for the technician: %r" % [
              l for l in log1.splitlines() if "refused" in l])
    check(their_nik not in log1 and theirs not in log1, "with no personal data")
    c = env.central()
    hb = json.loads(one(c, "SELECT health FROM kiosks WHERE id = 'K1'"))
    c.close()
    check(hb.get("outbox_refused") == 2 and hb.get("outbox_pending") == 0,
          "the heartbeat counts them (%s refused, %s pending)"
          % (hb.get("outbox_refused"), hb.get("outbox_pending")))

    # Not sent again: were it sent, the server would now store it (its document exists).
    c = env.central()
    c.execute("INSERT INTO documents(id, nik, kk, type, title_id, title_en, pages, media, "
              "created, expires, sha256, size) SELECT 'D99999998', nik, kk, type, title_id, "
              "title_en, pages, media, created, expires, sha256, size FROM documents "
              "WHERE id = ?", (mine,))
    c.commit()
    c.close()
    check(env.once() == 0, "a second pass")
    check(central_events(env, "ev-nodoc") == 0,
          "the refused event was not sent again (the server would have stored it now)")
    check("refused by the server" not in env.last_log, "nor logged again")
    check(outbox(env, "ev-nodoc") == -3 and outbox(env, "ev-theirs") == -4,
          "both stay in the outbox for a technician")
    check(central_events(env, "ev-mine") == 1, "the accepted one is at the server once")


def lookup_busy(env):
    env.generate(300, 3)
    central = env.serve("--lookup-burst", "1", "--lookups-per-minute", "1")
    c = env.central()
    others = [r[0] for r in c.execute(
        "SELECT DISTINCT nik FROM documents WHERE substr(nik, 1, 4) = '3273' ORDER BY nik "
        "LIMIT 4")]
    c.close()
    check(len(others) == 4, "citizens of another region")
    check(env.once() == 0, "initial sync")
    log = os.path.join(env.tmp, "syncd.log")
    with open(log, "w") as f:
        d = subprocess.Popen(env.syncd_args("--interval", "600", "--request-timeout", "5",
                                            "--backoff-max", "8"), stderr=f)
    t.procs.append(d)
    db = env.cache()

    def ask(nik):
        return t.ask_fetch(db, nik, timeout=30)[0]

    def limited():
        return stat(env, "citizen_rate_limited")

    try:
        check(ask(others[0]) == "done", "the first lookup is answered")
        st = ask(others[1])
        t429 = time.monotonic()
        check(st == "offline", "a 429: 'offline', i.e. \"needs the network\" (was %r)" % st)
        check(limited() == 1, "the server limited one lookup")
        st = ask(others[2])
        check(st == "offline" and time.monotonic() - t429 < 8,
              "the next lookup within the wait: 'offline' at once (%r)" % st)
        check(limited() == 1 and stat(env, "citizen_requests") == 1,
              "without asking the server (%d limited)" % limited())
        # the server asked for ~60 s; the wait is capped at --backoff-max (8 s)
        time.sleep(max(0.0, 9.0 - (time.monotonic() - t429)))
        st = ask(others[3])
        check(st == "offline" and limited() == 2,
              "after the cap the server is asked again (%r, %d limited)" % (st, limited()))
    finally:
        db.close()
        t.stop(d)
        t.stop(central)
    with open(log) as f:
        text = f.read()
    check("the server is busy, next one in 8 s" in text, "the wait is logged, capped")
    check(not any(n in text for n in others), "no NIK in the log in clear")


def stat(env, name):
    c = env.central()
    r = c.execute("SELECT value FROM stats WHERE name = ?", (name,)).fetchone()
    c.close()
    return r[0] if r else 0


t.SCENARIOS.update({"refused": refused, "lookup-busy": lookup_busy})

if __name__ == "__main__":
    t.SCENARIO = t.sys.argv[3]
    t.sys.exit(t.main())
