#!/usr/bin/env python3
"""adm-central's own defences (issue 11, item 14), against a real adm-central on 127.0.0.1
with real SQLite files in a temporary directory. One scenario per run:

    test_central.py ADM_CENTRAL ADM_SYNCD SCENARIO

Scenarios:
  events-scope  printed/print_failed only for documents of the kiosk's feed or fetched
                on demand by it; the others refused per event (and kept by adm-syncd)
  lookup-rate   on-demand citizen lookups limited per kiosk: 429 with Retry-After
  auth-first    the token is checked before a body is read (64 MiB announced, no token)
  per-address   connections at once from one client address are bounded
  tokens        tokens come from a file (not argv) and the database keeps only hashes
  requests      ranges, query arguments, methods and bodies parsed strictly

Every server and daemon started here is stopped in a finally block, also when a check
fails or meson's timeout sends SIGTERM.
"""
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from testlib import check, fail, one  # noqa: E402

CENTRAL, SYNCD, SCENARIO = sys.argv[1], sys.argv[2], sys.argv[3]
procs = []
bad_exits = []


class Central:
    """One adm-central serve process and what it was started with."""

    def __init__(self, tmp, seed=5, citizens=200):
        self.tmp = tmp
        self.db = os.path.join(tmp, "central.db")
        r = subprocess.run([CENTRAL, "generate", "--db", self.db, "--seed", str(seed),
                            "--citizens", str(citizens), "--doc-every", "2", "--cheap-pins",
                            "--tiny-pdf"], capture_output=True, text=True, timeout=120)
        check(r.returncode == 0, "generated %d citizens" % citizens)
        self.port = None
        self.proc = None

    def kiosks_file(self, lines, mode=0o600, name="kiosks"):
        path = os.path.join(self.tmp, name)
        if os.path.exists(path):
            os.unlink(path)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, mode)
        with os.fdopen(fd, "w") as f:
            f.write("".join(line + "\n" for line in lines))
        os.chmod(path, mode)
        return path

    def run(self, *args, timeout=30):
        """adm-central serve that is expected to refuse its arguments."""
        try:
            return subprocess.run([CENTRAL, "serve", "--db", self.db, "--port", "0"] +
                                  list(args), capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            fail("adm-central serve %s was accepted: it served" % " ".join(args))

    def serve(self, *args, kiosks=(("K1", "3171", "k1-token"), ("K2", "3273", "k2-token"))):
        path = self.kiosks_file(["%s %s %s" % k for k in kiosks])
        self.stop()
        self.proc = subprocess.Popen([CENTRAL, "serve", "--db", self.db, "--port", "0",
                                      "--kiosks-file", path] + list(args),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        procs.append(self.proc)
        line = self.proc.stdout.readline()  # the server prints its address when it listens
        m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if not m:
            fail("adm-central did not start: %r %r" % (line, self.proc.stderr.read()))
        self.port = int(m.group(1))
        return self.proc

    def stop(self):
        if self.proc:
            stop(self.proc)
            self.proc = None

    def request(self, method, path, token=None, body=None, headers=None, timeout=20):
        """(status, headers, body as bytes)."""
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        if body is not None and not isinstance(body, bytes):
            body = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            conn.close()

    def sql(self):
        return sqlite3.connect(self.db, timeout=10)

    def raw(self, data, timeout=30):
        """Sends data on a new connection: what comes back until the server closes it or
        timeout passes, (bytes, closed)."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # closed as it was accepted: what recv says next
        try:
            return raw_answer(s, timeout)
        finally:
            s.close()


def stop(p, sig=signal.SIGTERM):
    if p.poll() is None:
        p.send_signal(sig)
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        # a server asked to stop must exit 0: under ASan, errors and leaks make it non-zero
        if sig == signal.SIGTERM and p.args[0] == CENTRAL and p.returncode != 0:
            bad_exits.append(p.returncode)


def error_code(body):
    try:
        return json.loads(body)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


def raw_answer(sock, timeout):
    """What the server sends on sock until it closes or timeout passes: (bytes, closed)."""
    sock.settimeout(timeout)
    data = b""
    try:
        while True:
            d = sock.recv(65536)
            if not d:
                return data, True
            data += d
    except socket.timeout:
        return data, False
    except ConnectionResetError:
        return data, True


# ---------------------------------------------------------------- scenarios

def events_scope(tmp):
    """A kiosk may only report prints of documents it could have printed."""
    c = Central(tmp)
    c.serve()
    db = c.sql()
    mine = one(db, "SELECT id FROM documents WHERE substr(nik, 1, 4) = '3171' ORDER BY id "
               "LIMIT 1")
    theirs = one(db, "SELECT id FROM documents WHERE substr(nik, 1, 4) = '3273' ORDER BY id "
                 "LIMIT 1")
    fetched_nik, fetched = db.execute(
        "SELECT nik, id FROM documents WHERE substr(nik, 1, 4) = '3273' AND id <> ? "
        "ORDER BY id LIMIT 1", (theirs,)).fetchone()
    db.close()

    def post(kiosk, token, events):
        status, _, body = c.request("POST", "/v1/kiosks/%s/events" % kiosk, token,
                                    {"events": events})
        check(status == 200, "%s's events answered 200 (%d)" % (kiosk, status))
        a = json.loads(body)
        return a["accepted"], {r.get("id"): r["code"] for r in a.get("refused", [])}

    def ev(eid, kind, doc=None):
        e = {"id": eid, "kind": kind, "created": 1, "data": {"at": 1, "reason": ""}}
        if doc:
            e["data"]["document"] = doc
        return e

    def collected(doc):
        db = c.sql()
        r = db.execute("SELECT collected, collected_by FROM documents WHERE id = ?",
                       (doc,)).fetchone()
        db.close()
        return r

    accepted, refused = post("K1", "k1-token", [
        ev("e-other-region", "printed", theirs),
        ev("e-no-such-doc", "printed", "D99999999"),
        ev("e-failed-other", "print_failed", theirs),
        ev("e-no-doc", "printed"),
        ev("e-mine", "printed", mine),
        ev("e-audit", "audit"),
    ])
    check(accepted == ["e-mine", "e-audit"],
          "only the kiosk's own document and a non-print event are accepted (%s)" % accepted)
    check(refused == {"e-other-region": "not_in_feed", "e-no-such-doc": "unknown_document",
                      "e-failed-other": "not_in_feed", "e-no-doc": "no_document"},
          "each refused event is reported with its reason (%s)" % refused)
    check(collected(theirs) == (0, None),
          "another region's document is not collected by K1's event")
    check(collected(mine) == (1, "K1"), "K1's own document is collected")
    db = c.sql()
    stored = sorted(r[0] for r in db.execute("SELECT id FROM events"))
    check(stored == ["e-audit", "e-mine"], "refused events are not stored (%s)" % stored)
    check(one(db, "SELECT count(*) FROM changes WHERE key = 'D99999999'") == 0,
          "a document that does not exist leaves no trace in the feed")
    db.close()

    # on demand: K1 fetches a citizen of region 3273, then may report prints of their
    # documents (and only then)
    accepted, refused = post("K1", "k1-token", [ev("e-before-fetch", "printed", fetched)])
    check(accepted == [] and refused == {"e-before-fetch": "not_in_feed"},
          "before K1 fetched the citizen, their document is not K1's to report")
    status, _, _ = c.request("GET", "/v1/kiosks/K1/citizens/" + fetched_nik, "k1-token")
    check(status == 200, "K1 fetches a citizen of another region on demand")
    accepted, refused = post("K1", "k1-token", [ev("e-fetched", "printed", fetched),
                                                ev("e-before-fetch", "print_failed", fetched)])
    check(accepted == ["e-fetched", "e-before-fetch"] and not refused,
          "after the fetch, K1's print events for that citizen are accepted (%s %s)"
          % (accepted, refused))
    check(collected(fetched) == (1, "K1"), "and the fetched document is collected by K1")
    # the other region's kiosk may report its own documents as before
    accepted, refused = post("K2", "k2-token", [ev("e-k2", "printed", theirs)])
    check(accepted == ["e-k2"], "K2 reports a print of its own region's document")
    check(collected(theirs) == (1, "K2"), "collected by K2")
    # idempotency is kept: an id stored before is accepted again, changes nothing
    accepted, _ = post("K1", "k1-token", [ev("e-mine", "printed", mine)])
    check(accepted == ["e-mine"], "a repeated event id is accepted again")

    # adm-syncd keeps a refused event in its outbox and its pass goes on
    kdir = os.path.join(tmp, "kiosk")
    os.mkdir(kdir, 0o700)
    key, token = os.path.join(kdir, "kiosk.key"), os.path.join(kdir, "token")
    with open(key, "wb") as f:
        f.write(os.urandom(32))
    os.chmod(key, 0o600)
    with open(token, "w") as f:
        f.write("k1-token\n")
    cache = os.path.join(kdir, "cache.db")
    args = [SYNCD, "--db", cache, "--key", key, "--url", "http://127.0.0.1:%d" % c.port,
            "--kiosk", "K1", "--token-file", token, "--once",
            # --cheap-pins hashes (m=8 KiB, t=1) are below adm-syncd's default bounds
            "--pin-cost-min", "m=8,t=1"]
    r = subprocess.run(args, capture_output=True, text=True, timeout=120)
    check(r.returncode == 0, "adm-syncd syncs K1")
    db = sqlite3.connect(cache, timeout=10)
    db.execute("INSERT INTO outbox(event_id, kind, body, created) VALUES "
               "('e-forged', 'printed', ?, 1)", ('{"document":"D99999998","at":1,'
                                                  '"reason":""}',))
    db.execute("INSERT INTO outbox(event_id, kind, body, created) VALUES "
               "('e-forged2', 'printed', ?, 1)", ('{"document":"%s","at":1,"reason":""}'
                                                   % theirs,))
    db.commit()
    r = subprocess.run(args, capture_output=True, text=True, timeout=120)
    check(r.returncode == 0, "a pass with refused events still succeeds")
    check(one(db, "SELECT count(*) FROM outbox WHERE acked < 0 AND event_id LIKE 'e-forged%'")
          == 2, "the refused events stay in the kiosk's outbox for a technician, marked")
    db.close()
    db = c.sql()
    check(one(db, "SELECT count(*) FROM events WHERE id LIKE 'e-forged%'") == 0,
          "and the server stored neither")
    db.close()


def lookup_rate(tmp):
    """A kiosk (or whoever has its token) cannot walk the registry NIK by NIK."""
    c = Central(tmp)
    db = c.sql()
    niks = [r[0] for r in db.execute("SELECT nik FROM citizens ORDER BY nik LIMIT 60")]
    db.close()
    c.serve("--lookup-burst", "3", "--lookups-per-minute", "1")
    got = [c.request("GET", "/v1/kiosks/K1/citizens/" + n, "k1-token") for n in niks[:3]]
    check([g[0] for g in got] == [200, 200, 200], "a burst of 3 lookups is served")
    status, headers, body = c.request("GET", "/v1/kiosks/K1/citizens/" + niks[3], "k1-token")
    check(status == 429 and error_code(body) == "rate_limited",
          "the 4th lookup within the minute: 429 rate_limited (%d %s)" % (status, body))
    ra = headers.get("Retry-After", "")
    check(ra.isdigit() and 1 <= int(ra) <= 60, "with a Retry-After in seconds (%r)" % ra)
    status, _, body = c.request("GET", "/v1/kiosks/K1/citizens/0000", "k1-token")
    check(status == 429, "malformed lookups count too (%d)" % status)
    status, _, _ = c.request("GET", "/v1/kiosks/K2/citizens/" + niks[4], "k2-token")
    check(status == 200, "another kiosk's lookups are not limited by K1's")
    status, _, _ = c.request("GET", "/v1/kiosks/K1/changes?limit=1", "k1-token")
    check(status == 200, "K1's feed is not limited")
    db = c.sql()
    check(one(db, "SELECT value FROM stats WHERE name = 'citizen_rate_limited'") == 2,
          "the refusals are counted in stats")
    db.close()

    # the defaults limit too: a kiosk asking for 60 citizens at once is stopped early
    c.serve()
    codes = [c.request("GET", "/v1/kiosks/K1/citizens/" + n, "k1-token")[0] for n in niks]
    served = codes.index(429) if 429 in codes else len(codes)
    check(5 <= served < 30 and codes.count(429) >= 25,
          "default limits: %d lookups served, then mostly 429 (%d of %d)"
          % (served, codes.count(429), len(codes)))


def auth_first(tmp):
    """Credentials before bodies: a client without a token cannot make the server read or
    hold its upload."""
    c = Central(tmp)
    c.serve()
    for what, auth in [("no token", ""), ("a wrong token", "Authorization: Bearer nope\r\n")]:
        t0 = time.monotonic()
        data, closed = c.raw(("POST /v1/kiosks/K1/events HTTP/1.1\r\nHost: x\r\n%s"
                              "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                              % (auth, 64 * 1024 * 1024)).encode() + b"{" * 65536)
        check(data.startswith(b"HTTP/1.1 401") and b'"unauthorized"' in data,
              "%s and a 64 MiB body announced: 401 after %d bytes of it (%.1f s)"
              % (what, 65536, time.monotonic() - t0))
        check(closed, "%s: the server closes the connection instead of reading on" % what)
    # with the right token, a body over the limit is refused as announced, before it comes
    data, closed = c.raw(b"POST /v1/kiosks/K1/heartbeat HTTP/1.1\r\nHost: x\r\nAuthorization: "
                         b"Bearer k1-token\r\nContent-Length: %d\r\n\r\n" % (64 << 20))
    check(data.startswith(b"HTTP/1.1 413") and b'"too_large"' in data and closed,
          "the right token and 64 MiB announced: 413 before any byte of the body")
    # what is allowed still works, on the endpoints that take a body
    status, _, _ = c.request("POST", "/v1/kiosks/K1/heartbeat", "k1-token", {"time": 1})
    check(status == 204, "a heartbeat with the token is stored")
    status, _, body = c.request("POST", "/v1/kiosks/K1/events", None, {"events": []})
    check(status == 401 and error_code(body) == "unauthorized",
          "a small body without a token: 401 as before")
    data, closed = c.raw(b"POST /v1/kiosks/K1/events HTTP/1.1\r\nHost: x\r\nAuthorization: "
                         b"Bearer k1-token\r\nContent-Length: %d\r\n\r\n" % ((1 << 20) + 1))
    check(data.startswith(b"HTTP/1.1 413"), "one byte over 1 MiB announced: 413")
    db = c.sql()
    check(one(db, "SELECT count(*) FROM kiosks WHERE id = 'K1' AND health IS NOT NULL") == 1,
          "only the authenticated heartbeat reached the database")
    db.close()


def per_address(tmp):
    """One client address cannot take every connection thread of the server."""
    c = Central(tmp)
    request = b"GET /v1/kiosks/K1/changes?limit=1 HTTP/1.1\r\nHost: x\r\n\r\n"
    for limit, args in [(4, ["--per-address", "4"]), (16, [])]:
        c.serve(*args)
        held = [socket.create_connection(("127.0.0.1", c.port), timeout=10)
                for _ in range(limit)]
        # each held connection is really being served (an answer on one of them, which
        # stays open: a 401 would close it)
        held[0].sendall(b"GET /v1/kiosks/K1/changes?limit=1 HTTP/1.1\r\nHost: x\r\n"
                        b"Authorization: Bearer k1-token\r\n\r\n")
        held[0].settimeout(20)
        check(held[0].recv(12).startswith(b"HTTP/1.1 200"), "a held connection is served")
        data, closed = c.raw(request, 20)
        check(closed and not data,
              "connection %d from the same address is closed unanswered (limit %d%s; %r)"
              % (limit + 1, limit, " by default" if not args else "", data[:40]))
        for s in held[1:]:
            s.close()
        held[0].close()
        # once they are gone, the address is served again (the server notices the closes
        # in its own time: ask until it does)
        deadline = time.monotonic() + 30
        answered = False
        while not answered and time.monotonic() < deadline:
            data, _ = c.raw(request, 5)
            answered = data.startswith(b"HTTP/1.1 401")
            if not answered:
                time.sleep(0.2)
        check(answered, "after the held connections closed, the address is served again")


def tokens(tmp):
    """Kiosk tokens: from a file, never argv; in the database only as SHA-256."""
    c = Central(tmp)
    r = c.run("--kiosk", "K1:k1-token:3171")
    check(r.returncode == 2 and "--kiosks-file" in r.stderr and "listening" not in r.stdout,
          "--kiosk ID:TOKEN:REGION (a token in argv) is refused, pointing at the file")
    # the file: errors name the line; a file with tokens in clear must be private
    path = c.kiosks_file(["# comment", "", "K1 3171 k1-token", "K2 31 x"])
    r = c.run("--kiosks-file", path)
    check(r.returncode != 0 and path + ":4:" in r.stderr and "region" in r.stderr,
          "a bad region is refused with file:line (%s)" % r.stderr.strip())
    path = c.kiosks_file(["K1 3171 k1-token", "K1 3273 other"])
    r = c.run("--kiosks-file", path)
    check(r.returncode != 0 and path + ":2:" in r.stderr, "a kiosk listed twice is refused")
    path = c.kiosks_file(["K1 3171 k1-token"], mode=0o644)
    r = c.run("--kiosks-file", path)
    check(r.returncode != 0 and "chmod 600" in r.stderr,
          "a kiosks file with tokens in clear that others can read is refused")
    db = c.sql()
    check(one(db, "SELECT count(*) FROM kiosks") == 0, "nothing registered by a refused file")
    db.close()
    # an old database keeps tokens in clear: they are hashed when it is opened
    db = c.sql()
    db.execute("DROP TABLE kiosks")
    db.execute("CREATE TABLE kiosks (id TEXT PRIMARY KEY, token TEXT NOT NULL, "
               "region TEXT NOT NULL, last_heartbeat INTEGER, health TEXT)")
    db.execute("INSERT INTO kiosks(id, token, region) VALUES ('K9', 'old-clear-token-9', "
               "'3171')")
    db.commit()
    db.close()
    # hash-only lines may sit in a file others can read
    k3 = hashlib.sha256(b"k3-secret-token").hexdigest()
    p = c.serve(kiosks=(("K1", "3171", "k1-token"), ("K3", "*", "sha256:" + k3)))
    with open("/proc/%d/cmdline" % p.pid, "rb") as f:
        argv = f.read()
    check(b"k1-token" not in argv, "no token in the server's argv")
    for kiosk, token in [("K1", "k1-token"), ("K3", "k3-secret-token"),
                         ("K9", "old-clear-token-9")]:
        status, _, _ = c.request("GET", "/v1/kiosks/%s/changes?limit=1" % kiosk, token)
        check(status == 200, "%s authenticates with its token" % kiosk)
        status, _, body = c.request("GET", "/v1/kiosks/%s/changes?limit=1" % kiosk,
                                    token[:-1] + "X")
        check(status == 401 and error_code(body) == "unauthorized",
              "%s with a wrong token of the same length: 401" % kiosk)
    status, _, _ = c.request("GET", "/v1/kiosks/K1/changes?limit=1", "k3-secret-token")
    check(status == 401, "another kiosk's token does not open K1")
    status, _, _ = c.request("GET", "/v1/kiosks/K3/changes?limit=1", "sha256:" + k3)
    check(status == 401, "the hash itself is no token")
    db = c.sql()
    blob = one(db, "SELECT sha256 FROM blobs LIMIT 1")
    db.close()
    status, _, _ = c.request("GET", "/v1/blobs/" + blob, "k3-secret-token")
    check(status == 200, "a blob with K3's token (looked up by its hash)")
    db = c.sql()
    cols = [r[1] for r in db.execute("PRAGMA table_info(kiosks)")]
    check("token" not in cols and "token_sha256" in cols, "the clear column is gone (%s)" % cols)
    rows = dict(db.execute("SELECT id, token_sha256 FROM kiosks"))
    want = {"K1": hashlib.sha256(b"k1-token").hexdigest(), "K3": k3,
            "K9": hashlib.sha256(b"old-clear-token-9").hexdigest()}
    check(rows == want, "the database holds each token's SHA-256")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    c.stop()
    raw = b""
    for suffix in ["", "-wal", "-journal"]:
        if os.path.exists(c.db + suffix):
            with open(c.db + suffix, "rb") as f:
                raw += f.read()
    check(b"k1-token" not in raw and b"old-clear-token-9" not in raw,
          "no token in clear anywhere in the database files (%d bytes)" % len(raw))


def requests(tmp):
    """What a request carries, parsed strictly (central/request.c, also fuzzed)."""
    c = Central(tmp)
    c.serve()
    db = c.sql()
    sha, data = db.execute("SELECT sha256, data FROM blobs LIMIT 1").fetchone()
    db.close()
    blob = "/v1/blobs/" + sha
    for rng, want in [("bytes=10-19", (206, data[10:20], "bytes 10-19/%d" % len(data))),
                      ("bytes=10-", (206, data[10:], "bytes 10-%d/%d" % (len(data) - 1,
                                                                       len(data)))),
                      ("bytes=5-99999999999999999999999", (206, data[5:], None))]:
        status, h, body = c.request("GET", blob, "k1-token", headers={"Range": rng})
        check((status, body) == want[:2] and (not want[2] or h.get("Content-Range") == want[2]),
              "Range %s: %d, %d bytes, %s" % (rng, status, len(body), h.get("Content-Range")))
    for rng in ["bytes=-5", "bytes= 5-", "bytes=5-4", "bytes=0-1,3-4", "items=0-",
                "bytes=%d-" % len(data)]:
        status, _, body = c.request("GET", blob, "k1-token", headers={"Range": rng})
        check(status == 416 and error_code(body) == "bad_range", "Range %r: 416" % rng)
    for query, code in [("since=%2B5", "bad_cursor"), ("since=-1", "bad_cursor"),
                        ("since=1x", "bad_cursor"), ("limit=%205", "bad_limit"),
                        ("limit=0", "bad_limit"), ("limit=", "bad_limit")]:
        status, _, body = c.request("GET", "/v1/kiosks/K1/changes?" + query, "k1-token")
        check(status == 400 and error_code(body) == code, "?%s: 400 %s" % (query, code))
    status, _, body = c.request("GET", "/v1/kiosks/K1/changes?limit=99999999999", "k1-token")
    check(status == 200 and len(json.loads(body)["changes"]) <= 1000,
          "a huge limit is clamped to 1000")
    status, _, body = c.request("DELETE", "/v1/kiosks/K1/changes", "k1-token")
    check(status == 405 and error_code(body) == "method", "a wrong method: 405")
    status, _, body = c.request("POST", "/v1/kiosks/K1/heartbeat", "k1-token",
                                {"pad": "x" * 17000})
    check(status == 400 and error_code(body) == "bad_request", "a 17 KB heartbeat: 400")


SCENARIOS = {"events-scope": events_scope, "lookup-rate": lookup_rate,
             "auth-first": auth_first, "per-address": per_address, "tokens": tokens,
             "requests": requests}


def main():
    tmp = tempfile.mkdtemp(prefix="adm-central-")
    try:
        SCENARIOS[SCENARIO](tmp)
        # servers must stop cleanly: under ASan a leak or error makes this non-zero
        for p in procs:
            stop(p)
        check(not bad_exits, "every adm-central exited cleanly %s" % bad_exits)
        print("PASS", SCENARIO)
        return 0
    except AssertionError as e:
        print("FAIL:", e, flush=True)
        return 1
    finally:
        for p in procs:
            stop(p)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
