#!/usr/bin/env python3
"""adm-syncd against a hostile or broken central server (issue 11, items 8, 10-13), with
the machinery of test_sync.py (a real adm-central on loopback, real SQLite files):

    test_sync_hostile.py ADM_CENTRAL ADM_SYNCD SCENARIO

bad-blob      one corrupt blob among many fails alone; the others are stored in one pass
trickle       a blob below the minimum speed, one past its deadline, and a daemon whose
              every blob trickles still applies a revocation and sends heartbeats
endless       a server answering "more" for ever: the pass stops at its page cap and
              does the rest (blobs, heartbeat)
busy          429/503 with Retry-After: the next pass waits as asked, up to the cap
hostile-feed  bidi overrides and C1 controls in titles/names, argon2 costs out of bounds,
              and a server URL with a user name in front of another host
spool-private partial downloads are 0600 and overwritten before they go
"""
import hashlib
import os
import socket
import subprocess
import threading
import time

import test_sync as t
from test_sync import check, one, q


def add_document(env, doc_id, size, title_en="Resident biodata"):
    """A document of the kiosk's region with a random blob of size bytes, added to the
    central server's data as the registry would (row, blob, change). Returns its blob."""
    data = b"%PDF-1.4\n" + os.urandom(size - 9)
    sha = hashlib.sha256(data).hexdigest()
    c = env.central()
    nik, kk = c.execute("SELECT nik, kk FROM citizens WHERE substr(nik, 1, 4) = '3171' "
                        "ORDER BY nik LIMIT 1").fetchone()
    c.execute("INSERT INTO blobs VALUES (?, ?)", (sha, data))
    c.execute("INSERT INTO documents(id, nik, kk, type, title_id, title_en, pages, media, "
              "created, expires, sha256, size) VALUES (?, ?, ?, 'BIODATA', 'BIODATA PENDUDUK', "
              "?, 1, 'a4', 1766084644, 0, ?, ?)", (doc_id, nik, kk, title_en, sha, size))
    c.execute("INSERT INTO changes(kind, key, region, nik) VALUES ('document', ?, '3171', ?)",
              (doc_id, nik))
    c.commit()
    c.close()
    return data


def counts(env):
    """(blobs stored, distinct blobs the cached documents need)"""
    db = env.cache()
    r = one(db, "SELECT count(*) FROM blobs"), one(
        db, "SELECT count(DISTINCT blob_sha256) FROM documents")
    db.close()
    return r


def stat(env, name):
    c = env.central()
    r = q(c, "SELECT value FROM stats WHERE name = ?", name)
    c.close()
    return r[0][0] if r else 0


def heartbeat(env):
    c = env.central()
    r = one(c, "SELECT last_heartbeat FROM kiosks WHERE id = 'K1'")
    c.close()
    return r


def parts(env, spool=None):
    d = spool or env.cache_db + ".spool"
    return [os.path.join(d, f) for f in os.listdir(d) if f.endswith(".part")]


def wait_for(cond, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.1)
    return cond()


# ---------------------------------------------------------------- item 10

def bad_blob(env):
    """CACHE_ERR_INTEGRITY equalled NET_IO: a hash mismatch was taken for a disk fault and
    ended the blob phase, so one corrupt blob (large ones go first) stopped every blob."""
    env.generate(600, 2)
    big = add_document(env, "DBIG1", 2 * 1024 * 1024)
    big_sha = hashlib.sha256(big).hexdigest()
    env.serve("--fault", "bad-hash", "--fault-count", "1")
    rc = env.once()
    stored, want = counts(env)
    print(env.last_log[-1500:])
    check(rc == 1, "the pass reports the bad blob (exit %s)" % rc)
    check("mismatch" in env.last_log, "the log names the mismatch")
    check(want > 40 and stored == want - 1,
          "every other blob is stored in the same pass (%d of %d)" % (stored, want))
    db = env.cache()
    check(one(db, "SELECT count(*) FROM blobs WHERE sha256 = ?", big_sha) == 0,
          "the corrupt one (the 2 MiB blob, asked for first) is not stored")
    db.close()
    check(stat(env, "blob_requests") == want,
          "each blob asked for once in that pass (%d requests)" % stat(env, "blob_requests"))
    check(not parts(env), "the corrupt download left no partial file")
    check(heartbeat(env) is not None, "the pass still sent its heartbeat")
    check(env.once() == 0, "the next pass fetches it")
    t.check_consistent(env, "3171", full=True)


# ---------------------------------------------------------------- item 11

def trickle(env):
    """A blob at a few bytes a second held every other blob, the pages, the purge and the
    heartbeat for as long as it lasted (1 B/s minimum, no deadline)."""
    env.generate(300, 2)
    # 1. 64 B/s, under the minimum speed (1024 B/s over 3 s here): given up after the
    # stall time, the others stored, the part kept for the next pass
    p = env.serve("--fault", "trickle", "--fault-count", "1", "--fault-delay-ms", "1000")
    rc = env.once("--blob-min-speed", "1024", "--blob-stall", "3", "--blob-deadline-rate", "16",
                  timeout=170)  # (a deadline far off: the minimum speed ends it)
    stored, want = counts(env)
    print(env.last_log[-1200:])
    check(rc == 1, "a trickling blob: the pass reports it (exit %s, %.1f s)"
          % (rc, env.last_time))
    check("less than 1024 bytes/sec" in env.last_log.lower(), "the log says it was too slow")
    check(env.last_time < 90, "the pass did not wait for it (%.1f s; it needs ~400 s)"
          % env.last_time)
    check(want > 20 and stored == want - 1, "every other blob stored (%d of %d)"
          % (stored, want))
    check(heartbeat(env) is not None, "the heartbeat was sent")
    check(len(parts(env)) == 1, "what arrived is kept for the next pass")
    check(env.once() == 0, "the next pass resumes and completes")
    check(stat(env, "range_requests") >= 1, "with a Range request")
    t.check_consistent(env, "3171", full=True)
    t.stop(p)

    # 2. 256 B/s: above the minimum (16 B/s here), but past the blob's deadline (3 s + its
    # size at 1 MiB/s); at that speed it would take ~100 s
    env.reset_cache()
    p = env.serve("--fault", "trickle", "--fault-count", "1", "--fault-delay-ms", "250")
    rc = env.once("--blob-min-speed", "16", "--blob-stall", "3", "--blob-deadline-rate",
                  "1048576", timeout=170)
    stored, want = counts(env)
    check(rc == 1, "a blob past its deadline: the pass reports it (exit %s, %.1f s)"
          % (rc, env.last_time))
    check("timed out" in env.last_log.lower(), "the log says it ran out of time")
    check(env.last_time < 60, "the pass did not wait for it (%.1f s)" % env.last_time)
    check(stored == want - 1, "every other blob stored (%d of %d)" % (stored, want))
    t.stop(p)

    # 3. A daemon whose every blob trickles for ever: its passes still end (blob budget),
    # so a revocation arrives and heartbeats go on
    env.reset_cache()
    p = env.serve("--fault", "trickle", "--fault-delay-ms", "1000")
    log = os.path.join(env.tmp, "syncd-trickle.log")
    with open(log, "w") as f:
        d = subprocess.Popen(env.syncd_args("--interval", "5", "--backoff-max", "2",
                                            "--blob-min-speed", "1024", "--blob-stall", "2",
                                            "--blob-budget", "4", "--heartbeat", "10",
                                            "--no-requests"), stderr=f)
    t.procs.append(d)
    db = env.cache_db
    check(wait_for(lambda: os.path.exists(db) and t.wait_log(log, "pass failed", timeout=0.1),
                   90), "the first pass ends although every blob trickles")
    first_hb = heartbeat(env)
    check(first_hb is not None, "and sends a heartbeat")
    c = env.central()
    doc, nik = c.execute("SELECT id, nik FROM documents WHERE substr(nik, 1, 4) = '3171' "
                         "ORDER BY id LIMIT 1").fetchone()
    c.execute("UPDATE documents SET status = 'revoked' WHERE id = ?", (doc,))
    c.execute("INSERT INTO changes(kind, key, region, nik) VALUES ('document', ?, '3171', ?)",
              (doc, nik))
    c.commit()
    c.close()

    def revoked():
        cdb = env.cache()
        r = q(cdb, "SELECT status FROM documents WHERE id = ?", doc)
        cdb.close()
        return not r or r[0][0] == "revoked"
    check(wait_for(revoked, 90), "a revocation reaches the cache while the blobs trickle")
    check(wait_for(lambda: (heartbeat(env) or 0) > first_hb, 60), "heartbeats go on")
    t0 = time.monotonic()
    t.stop(d)
    # (exit 1: its last pass failed, as every blob trickles)
    check(d.returncode in (0, 1) and time.monotonic() - t0 < 5,
          "SIGTERM stops adm-syncd mid-trickle at once (exit %s)" % d.returncode)
    t.stop(p)

    # 4. systemd's watchdog (WatchdogSec=120) is fed while one blob takes its time: the
    # transfer pings it, not only the steps between blobs
    env.reset_cache()
    p = env.serve("--fault", "trickle", "--fault-count", "1", "--fault-delay-ms", "1000")
    sock_path = os.path.join(env.tmp, "notify.sock")
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(sock_path)
    notify.settimeout(0.2)
    pings, done = [], threading.Event()

    def receive():
        while not done.is_set():
            try:
                if b"WATCHDOG=1" in notify.recv(4096):
                    pings.append(time.monotonic())
            except socket.timeout:
                pass
    th = threading.Thread(target=receive)
    th.start()
    try:
        r = subprocess.run(env.syncd_args("--once", "--blob-min-speed", "1024", "--blob-stall",
                                          "8", "--blob-deadline-rate", "16"),
                           capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, NOTIFY_SOCKET=sock_path))
    finally:
        done.set()
        th.join()
        notify.close()
    gaps = [b - a for a, b in zip(pings, pings[1:])]
    check(r.returncode == 1 and "less than 1024 bytes/sec" in r.stderr.lower(),
          "a pass with an 8 s trickle")
    check(len(pings) >= 6 and max(gaps) < 4,
          "the watchdog was fed throughout (%d pings, longest gap %.1f s)"
          % (len(pings), max(gaps or [0])))
    t.stop(p)


# ---------------------------------------------------------------- item 12

def endless(env):
    """A server that answers "more: true" for ever kept one pass going for ever."""
    env.generate(200, 3)
    env.serve("--fault", "endless")
    rc = env.once("--page-limit", "50", "--max-pages", "6", timeout=90)
    print(env.last_log[-800:])
    check(rc == 1, "the pass ends, not up to date (exit %s)" % rc)
    check(stat(env, "changes_requests") == 6, "after its 6 pages (%d requests)"
          % stat(env, "changes_requests"))
    check("pages in this pass" in env.last_log, "and says why")
    stored, want = counts(env)
    check(want > 10 and stored == want, "the blobs of what arrived are fetched (%d)" % stored)
    check(heartbeat(env) is not None, "the heartbeat is sent")
    # a daemon goes on at once with the next pass (no backoff): the feed is not finished
    log = os.path.join(env.tmp, "syncd-endless.log")
    with open(log, "w") as f:
        d = subprocess.Popen(env.syncd_args("--page-limit", "50", "--max-pages", "3",
                                            "--interval", "3600", "--no-requests"), stderr=f)
    t.procs.append(d)
    check(t.wait_log(log, "cut short (more to do)", count=3, timeout=60),
          "a daemon runs capped passes one after another")
    t.stop(d)


def busy(env):
    """429/503 with Retry-After: the kiosk backed off 2 s as for any failure."""
    env.generate(100, 3)
    for mode in ("busy-429", "busy-503"):
        env.reset_cache()
        p = env.serve("--fault", mode, "--fault-count", "1", "--fault-delay-ms", "8000")
        log = os.path.join(env.tmp, "syncd-%s.log" % mode)
        with open(log, "w") as f:
            d = subprocess.Popen(env.syncd_args("--interval", "3600", "--backoff-max", "60",
                                                "--no-requests"), stderr=f)
        t.procs.append(d)
        check(t.wait_log(log, "pass failed", timeout=30), "%s: the first pass fails" % mode)
        t0 = time.monotonic()
        check(t.wait_log(log, "pass ok", timeout=60), "%s: a later pass succeeds" % mode)
        waited = time.monotonic() - t0
        check(waited >= 7, "%s: it waited as the server asked (8 s; %.1f s)" % (mode, waited))
        check(t.wait_log(log, "retry after 8 s", timeout=1), "%s: and said so" % mode)
        t.stop(d)
        t.stop(p)
    # a Retry-After of a day is capped at --backoff-max
    env.reset_cache()
    p = env.serve("--fault", "busy-503", "--fault-count", "1", "--fault-delay-ms", "86400000")
    log = os.path.join(env.tmp, "syncd-capped.log")
    with open(log, "w") as f:
        d = subprocess.Popen(env.syncd_args("--interval", "3600", "--backoff-max", "3",
                                            "--no-requests"), stderr=f)
    t.procs.append(d)
    check(t.wait_log(log, "pass ok", timeout=60), "Retry-After: 86400 is capped by the backoff")
    check(t.wait_log(log, "retry after 86400 s; next pass in 3 s", timeout=1), "to 3 s")
    t.stop(d)
    t.stop(p)


# ---------------------------------------------------------------- item 13

def hostile_feed(env):
    env.generate(100, 3)
    env.serve()
    check(env.once() == 0, "initial sync")
    c = env.central()
    doc, nik, title = c.execute("SELECT id, nik, title_en FROM documents WHERE "
                                "substr(nik, 1, 4) = '3171' ORDER BY id LIMIT 1").fetchone()
    c.close()

    def change(sql, args, kind, key):
        c = env.central()
        c.execute(sql, args)
        c.execute("INSERT INTO changes(kind, key, region, nik) VALUES (?, ?, '3171', ?)",
                  (kind, key, nik))
        c.commit()
        c.close()

    def cached(sql, *args):
        db = env.cache()
        r = one(db, sql, *args)
        db.close()
        return r

    cursor = cached("SELECT value FROM sync_state WHERE key = 'cursor'")
    for bad in ("\u202eKARTU KELUARGA", "x \u2066y\u2069", "a\u202ab", "a\u0085b", "a\u009fb"):
        change("UPDATE documents SET title_en = ? WHERE id = ?", (bad, doc), "document", doc)
        rc = env.once()
        check(rc == 1 and "bad title" in env.last_log,
              "title %r: the page is refused (exit %s)" % (bad, rc))
        check(cached("SELECT title_en FROM documents WHERE id = ?", doc) == title and
              cached("SELECT value FROM sync_state WHERE key = 'cursor'") == cursor,
              "the cache and its cursor stay as they were")
        # the registry corrects it; the next page goes through
        change("UPDATE documents SET title_en = ? WHERE id = ?", (title, doc), "document", doc)
        check(env.once() == 0, "the corrected record is accepted")
        cursor = cached("SELECT value FROM sync_state WHERE key = 'cursor'")

    salt = "$bi2srdRxKvhL8p9nWDpJEA$S5UH2sDqflwfrzPA39yzoQOlZWXvZ1b5ZS3E5kuJsPk"
    endless_t = "$argon2id$v=19$m=65536,t=4294967295,p=1" + salt
    cheap = "$argon2id$v=19$m=8,t=1,p=1" + salt
    production = "$argon2id$v=19$m=65536,t=2,p=1" + salt  # libsodium's interactive limits
    before = cached("SELECT pin_hash FROM holders WHERE nik = ?", nik)
    change("UPDATE citizens SET pin_hash = ? WHERE nik = ?", (endless_t, nik), "holder", nik)
    rc = env.once()
    check(rc == 1 and "argon2" in env.last_log, "a PIN hash with t=2^32-1 is refused")
    check(cached("SELECT pin_hash FROM holders WHERE nik = ?", nik) == before, "nothing applied")
    change("UPDATE citizens SET pin_hash = ? WHERE nik = ?", (cheap, nik), "holder", nik)
    rc = env.once(pins=[])
    check(rc == 1 and "argon2" in env.last_log,
          "m=8 KiB t=1 is refused by the default bounds")
    check(env.once() == 0 and cached("SELECT pin_hash FROM holders WHERE nik = ?", nik) == cheap,
          "and accepted where the bounds allow it (--pin-cost-min m=8,t=1)")
    change("UPDATE citizens SET pin_hash = ? WHERE nik = ?", (production, nik), "holder", nik)
    check(env.once(pins=[]) == 0 and
          cached("SELECT pin_hash FROM holders WHERE nik = ?", nik) == production,
          "adm-central's production costs pass the default bounds")

    # a server URL whose prefix looks like loopback: a user name "127.0.0.1" and password
    # in front of another host (here 127.0.0.2, a loopback address that is not allowed for
    # plain http, standing in for 10.20.30.40: nothing leaves the machine)
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.2", 0))
    lsock.listen(8)
    lsock.settimeout(0.2)
    port = lsock.getsockname()[1]
    heard = []
    done = threading.Event()

    def listen():
        while not done.is_set():
            try:
                conn, _ = lsock.accept()
            except socket.timeout:
                continue
            conn.settimeout(2)
            try:
                heard.append(conn.recv(4096))
            except OSError:
                heard.append(b"")
            conn.close()
    th = threading.Thread(target=listen)
    th.start()
    try:
        for url in ("http://127.0.0.1:x@127.0.0.2:%d" % port,
                    "http://localhost:1@127.0.0.2:%d" % port,
                    "http://[::1]:1@127.0.0.2:%d" % port,
                    "http://127.0.0.2:%d" % port,
                    "http://127.0.0.1:%d?x" % port):
            rc = env.once("--timeout", "3", url=url)
            check(rc == 2 and "server URL" in env.last_log, "%s refused (exit %s)" % (url, rc))
        time.sleep(0.5)
    finally:
        done.set()
        th.join()
        lsock.close()
    check(not heard, "no connection was made, the token never sent (%r)"
          % [h[:60] for h in heard])
    check(env.once(url=env.url.replace("127.0.0.1", "localhost")) == 0,
          "plain http to localhost still works")


# ---------------------------------------------------------------- item 8

def spool_private(env):
    """Partial downloads are a document's content in clear: 0600 while they exist, and
    overwritten before they are unlinked."""
    os.umask(0o022)  # a usual umask: without care a part file would be world-readable
    env.generate(100, 3)
    big = add_document(env, "DBIG1", 2 * 1024 * 1024)
    p = env.serve("--fault", "cut-blob", "--fault-count", "1")
    check(env.once() == 1, "a download cut half way")
    spool = env.cache_db + ".spool"
    check(os.stat(spool).st_mode & 0o077 == 0, "the spool folder is private")
    ps = parts(env)
    check(len(ps) == 1, "its partial download is kept")
    mode = os.stat(ps[0]).st_mode & 0o777
    check(mode == 0o600, "as a private file (mode %03o)" % mode)
    with open(ps[0], "rb") as f:
        got = f.read()
    check(len(got) > 0 and big.startswith(got), "holding the start of the document (%d bytes)"
          % len(got))
    # a second name for the same file shows what becomes of its bytes
    held = os.path.join(env.tmp, "held.part")
    os.link(ps[0], held)
    t.stop(p)
    env.serve()
    check(env.once() == 0, "the next pass resumes and stores it")
    check(not parts(env), "the partial file is gone")
    with open(held, "rb") as f:
        after = f.read()
    check(len(after) >= len(got) and after.count(0) == len(after),
          "its bytes were overwritten before it went (%d zero bytes of %d)"
          % (after.count(0), len(after)))
    db = env.cache()
    check(one(db, "SELECT count(*) FROM blobs WHERE instr(data, CAST('%PDF' AS BLOB)) > 0")
          == 0, "the stored blob is encrypted")
    db.close()
    # a leftover of a blob no document wants any more is overwritten too
    stale = os.path.join(spool, "cd" * 32 + ".part")
    with open(stale, "wb") as f:
        f.write(b"%PDF secret" * 100)
    held2 = os.path.join(env.tmp, "held2.part")
    os.link(stale, held2)
    check(env.once() == 0 and not os.path.exists(stale), "a stale partial file is removed")
    with open(held2, "rb") as f:
        after = f.read()
    check(after.count(0) == len(after) == 1100, "after being overwritten")


t.SCENARIOS.update({"bad-blob": bad_blob, "trickle": trickle, "endless": endless, "busy": busy,
                    "hostile-feed": hostile_feed, "spool-private": spool_private})

if __name__ == "__main__":
    t.SCENARIO = t.sys.argv[3]
    t.sys.exit(t.main())
