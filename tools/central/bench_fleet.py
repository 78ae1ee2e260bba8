#!/usr/bin/env python3
"""Benchmark of the fleet page (run on demand; figures in docs/benchmarks.md, "Fleet page").

    bench_fleet.py BUILD_DIR [--kiosks 1000] [--requests 200]

Registers --kiosks kiosks in one region (3273) plus as many in another, has each send a
heartbeat of the size adm-syncd sends (printers, supplies, the content object) through the
sync protocol, logs an office of that region in, and times --requests sequential GETs of
the fleet page as HTML (/office/) and as JSON (/office/api/kiosks), each on a fresh
connection, as a browser's reload would. Prints p50, p95 and max, and the page sizes.
"""
import argparse
import http.client
import json
import os
import re
import select
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.parse

ap = argparse.ArgumentParser()
ap.add_argument("build")
ap.add_argument("--kiosks", type=int, default=1000)
ap.add_argument("--requests", type=int, default=200)
a = ap.parse_args()
CENTRAL = os.path.join(a.build, "central", "adm-central")


def request(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r, data


def heartbeat(i):
    return json.dumps({
        "version": "adm-syncd/0.1.0", "cursor": str(5000 + i), "documents": 50 + i % 40,
        "outbox_pending": i % 3, "blobs_missing": 0, "time": int(time.time()) - i % 600,
        "kiosk": {"reader": "ok" if i % 17 else "lost", "scanner": "ok",
                  "service_faults": [] if i % 17 else ["reader-lost"],
                  "printers": [{"queue": q, "media": m, "available": i % 11 != 0,
                                "fault": "paper-low" if i % 5 == 0 else "",
                                "detail": "%s: state=idle; reasons=none" % q,
                                "supplies": {"sheets": {"level": 40 + i % 400,
                                                        "capacity": 500,
                                                        "low": i % 5 == 0},
                                             "toner": {"level": 70, "capacity": 100,
                                                       "low": False}}}
                               for q, m in (("A4", "a4"), ("CARD", "cr80"))],
                  "updated": int(time.time()) - 60},
        "content": {"active": {"publisher": "dukcapil-3273", "version": 12},
                    "rejected": {"version": 13, "reason": "expired at 2026-11-30T00:00:00Z"}
                    if i % 9 == 0 else None}})


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


tmp = tempfile.mkdtemp(prefix="adm-bench-fleet-")
proc = None
try:
    db = os.path.join(tmp, "central.db")
    subprocess.run([CENTRAL, "generate", "--db", db, "--citizens", "10", "--cheap-pins",
                    "--tiny-pdf"], check=True, capture_output=True)
    kf = os.path.join(tmp, "kiosks")
    fd = os.open(kf, os.O_WRONLY | os.O_CREAT, 0o600)
    with os.fdopen(fd, "w") as f:
        for i in range(a.kiosks):
            f.write("BDG-%05d 3273 tok-bdg-%d\n" % (i, i))
            f.write("BGR-%05d 3201 tok-bgr-%d\n" % (i, i))
    pw = os.path.join(tmp, "pw")
    with open(pw, "w") as f:
        f.write("bench-password-1\n")
    subprocess.run([CENTRAL, "office", "add", "--db", db, "--id", "bandung", "--name",
                    "Disdukcapil Kota Bandung", "--region", "32.73", "--password-file", pw],
                   check=True, capture_output=True)
    proc = subprocess.Popen([CENTRAL, "serve", "--db", db, "--port", "0", "--kiosks-file", kf],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    select.select([proc.stdout], [], [], 60)
    port = int(re.search(r":(\d+) ", proc.stdout.readline()).group(1))
    t0 = time.time()
    for i in range(a.kiosks):
        for k, tok in (("BDG-%05d" % i, "tok-bdg-%d" % i), ("BGR-%05d" % i, "tok-bgr-%d" % i)):
            r, _ = request(port, "POST", "/v1/kiosks/%s/heartbeat" % k, heartbeat(i),
                           {"Authorization": "Bearer " + tok,
                            "Content-Type": "application/json"})
            assert r.status == 204, r.status
    hb_s = time.time() - t0
    r, page = request(port, "GET", "/office/login")
    pre = re.search(r"adm_login=([0-9a-f]+)", r.getheader("Set-Cookie")).group(1)
    r, _ = request(port, "POST", "/office/login",
                   urllib.parse.urlencode({"csrf": pre, "id": "bandung",
                                           "password": "bench-password-1"}),
                   {"Cookie": "adm_login=" + pre,
                    "Content-Type": "application/x-www-form-urlencoded"})
    session = re.search(r"adm_session=([0-9a-f]+)", r.getheader("Set-Cookie")).group(1)
    cookie = {"Cookie": "adm_session=" + session}
    print("%d kiosks of the region (and %d of another) with heartbeats; %d heartbeats "
          "stored in %.1f s" % (a.kiosks, a.kiosks, 2 * a.kiosks, hb_s))
    for name, path in (("HTML /office/", "/office/"), ("JSON /office/api/kiosks",
                                                       "/office/api/kiosks")):
        times = []
        size = 0
        for _ in range(a.requests):
            t = time.perf_counter()
            r, data = request(port, "GET", path, headers=cookie)
            times.append((time.perf_counter() - t) * 1000)
            assert r.status == 200 and data.count(b"BDG-") >= a.kiosks, r.status
            size = len(data)
        print("%-24s p50 %6.1f ms  p95 %6.1f ms  max %6.1f ms  (%d requests, %d KiB)" %
              (name, statistics.median(times), pct(times, 95), max(times), a.requests,
               size // 1024))
finally:
    if proc:
        proc.terminate()
        proc.wait()
    shutil.rmtree(tmp, ignore_errors=True)
