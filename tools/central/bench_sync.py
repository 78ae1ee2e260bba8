#!/usr/bin/env python3
"""Benchmark of the initial sync (run on demand; figures in docs/benchmarks-sync.md).

    bench_sync.py BUILD_DIR [--citizens 50000] [--doc-every 50]

Generates the central data (by default 50k citizens: 50k holders + 49k applications + 1k
documents = 100k records, and 1k PDF blobs), serves it with adm-central on 127.0.0.1 and
measures an initial adm-syncd --once pass:
  * records applied per second, vs the sqlite3 CLI importing the same rows (a .dump of
    the synced tables) into the same schema in one transaction;
  * blob throughput, vs one curl process fetching the same blobs over one connection, and
    over three at once (as many as adm-syncd uses);
  * bytes on the wire per record (gzip'd page bodies, as adm-syncd receives them);
  * peak RSS of adm-syncd (wait4 rusage).
Each measurement is repeated (--runs, default 3) and the median reported.
"""
import argparse
import os
import re
import shutil
import signal
import statistics
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("build")
ap.add_argument("--citizens", type=int, default=50000)
ap.add_argument("--doc-every", type=int, default=50)
ap.add_argument("--page-limit", type=int, default=1000)
ap.add_argument("--runs", type=int, default=3)
a = ap.parse_args()
central_bin = os.path.join(a.build, "central/adm-central")
syncd_bin = os.path.join(a.build, "syncd/adm-syncd")
tmp = tempfile.mkdtemp(prefix="adm-bench-")
TOKEN = "bench-token"
server = None
try:
    cdb = os.path.join(tmp, "central.db")
    t0 = time.monotonic()
    subprocess.run([central_bin, "generate", "--db", cdb, "--citizens", str(a.citizens),
                    "--doc-every", str(a.doc_every), "--cheap-pins"], check=True)
    print("generate: %.1f s" % (time.monotonic() - t0))
    kiosks = os.path.join(tmp, "kiosks")  # tokens stay out of argv
    with os.fdopen(os.open(kiosks, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
        f.write("K1 * %s\n" % TOKEN)
    server = subprocess.Popen([central_bin, "serve", "--db", cdb, "--port", "0",
                               "--kiosks-file", kiosks], stdout=subprocess.PIPE,
                              text=True)
    url = re.search(r"(http://127\.0\.0\.1:\d+)", server.stdout.readline()).group(1)

    key = os.path.join(tmp, "kiosk.key")
    with open(key, "wb") as f:
        f.write(os.urandom(32))
    os.chmod(key, 0o600)
    tok = os.path.join(tmp, "token")
    with open(tok, "w") as f:
        f.write(TOKEN)
    # curl: the same blobs, one process, written to /dev/null, over one connection and
    # over three at once (as many as adm-syncd downloads blobs on, ENGINE_POOL); run
    # between adm-syncd's runs so that both see the same machine (it is shared and noisy)
    shas = [r[0] for r in sqlite3.connect(cdb).execute("SELECT sha256 FROM blobs")]
    cfg = os.path.join(tmp, "curl.cfg")
    with open(cfg, "w") as f:
        f.write('header = "Authorization: Bearer %s"\n' % TOKEN)
        for s in shas:
            f.write('url = "%s/v1/blobs/%s"\noutput = "/dev/null"\n' % (url, s))

    def curl(*extra):
        t0 = time.monotonic()
        subprocess.run(["curl", "-s", *extra, "-K", cfg], check=True, stderr=subprocess.DEVNULL)
        return time.monotonic() - t0

    runs, cts, cps = [], [], []
    for run in range(a.runs):
        cts.append(curl())
        cps.append(curl("--parallel", "--parallel-max", "3"))
        # a fresh cache each run: an initial sync, measured a.runs times (median kept,
        # since the machine is shared and noisy)
        cache = os.path.join(tmp, "cache%d.db" % run)
        t0 = time.monotonic()
        p = subprocess.Popen([syncd_bin, "--db", cache, "--key", key, "--url", url,
                              "--kiosk", "K1", "--token-file", tok, "--once", "--page-limit",
                              str(a.page_limit), "--pin-cost-min", "m=8,t=1"],  # --cheap-pins
                             stderr=subprocess.PIPE, text=True)
        err = p.stderr.read()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit("adm-syncd failed:\n" + err)
        m = re.search(r"timing: (\d+) records in (\d+) ms, (\d+) blobs \((\d+) bytes\) "
                      r"in (\d+) ms", err)
        runs.append((wall, ru.ru_maxrss) + tuple(map(int, m.groups())) +
                    (ru.ru_utime + ru.ru_stime,))
    by_wall = sorted(runs, key=lambda r: r[0])  # runs stays in order, paired with curl's
    wall, rss, records, rec_ms, blobs, blob_bytes, blob_ms, cpu = by_wall[len(runs) // 2]
    rec_rate = statistics.median(r[2] / (r[3] / 1000) for r in runs)
    blob_rate = statistics.median(r[5] / (r[6] / 1000) for r in runs)
    print("adm-syncd: %.2f s wall (median of %d), %.2f s CPU, peak RSS %.1f MiB (max %.1f)"
          % (wall, len(runs), cpu, rss / 1024, max(r[1] for r in runs) / 1024))
    print("records: %d, median %.0f records/s" % (records, rec_rate))
    print("blobs: %d, %.1f MiB, median %.1f MiB/s" % (blobs, blob_bytes / 1048576,
                                                     blob_rate / 1048576))

    # sqlite3 CLI: the same rows into the same (empty) schema, in one transaction
    dump = subprocess.run(["sqlite3", cache, ".dump documents holders applications"],
                          capture_output=True, text=True, check=True).stdout
    schema = subprocess.run(["sqlite3", cache, ".schema"], capture_output=True, text=True,
                            check=True).stdout
    ref = os.path.join(tmp, "ref.db")
    # .dump writes CREATE statements too: drop them, keep BEGIN/INSERTs/COMMIT
    inserts = "\n".join(line for line in dump.splitlines()
                        if not line.startswith(("CREATE ", "PRAGMA")))
    clis = []
    for run in range(a.runs):
        if os.path.exists(ref):
            os.unlink(ref)
        subprocess.run(["sqlite3", ref], input=schema, text=True, check=True)
        t0 = time.monotonic()
        subprocess.run(["sqlite3", ref], input=inserts, text=True, check=True)
        clis.append(time.monotonic() - t0)
    cli = statistics.median(clis)
    rows = sum(sqlite3.connect(ref).execute("SELECT (SELECT count(*) FROM documents) + "
                                            "(SELECT count(*) FROM holders) + "
                                            "(SELECT count(*) FROM applications)").fetchone())
    print("sqlite3 CLI: %d rows, median %.2f s = %.0f rows/s; adm-syncd/CLI = %.2fx" % (
        rows, cli, rows / cli, rec_rate / (rows / cli)))

    total = sum(r[0] for r in sqlite3.connect(cdb).execute("SELECT length(data) FROM blobs"))
    for what, ts in (("curl, 1 connection", cts), ("curl, 3 connections", cps)):
        ct = statistics.median(ts)
        # the ratio of each run's pair, then their median: robust to a noisy neighbour
        ratio = statistics.median((r[5] / (r[6] / 1000)) / (total / t) for r, t in zip(runs, ts))
        print("%s: %.1f MiB, median %.2f s = %.1f MiB/s; adm-syncd/curl = %.2fx "
              "(median of the runs' ratios; range %.2f-%.2fx)" % (
                  what, total / 1048576, ct, total / 1048576 / ct, ratio,
                  min((r[5] / (r[6] / 1000)) / (total / t) for r, t in zip(runs, ts)),
                  max((r[5] / (r[6] / 1000)) / (total / t) for r, t in zip(runs, ts))))

    # bytes on the wire per record: gzip'd page bodies as adm-syncd asks for them
    cursor, wire, raw_json, n = "", 0, 0, 0
    while True:
        req = urllib.request.Request("%s/v1/kiosks/K1/changes?since=%s&limit=%d" % (
            url, cursor, a.page_limit), headers={"Authorization": "Bearer " + TOKEN,
                                                 "Accept-Encoding": "gzip"})
        body = urllib.request.urlopen(req).read()
        wire += len(body)
        import gzip
        import json
        page = json.loads(gzip.decompress(body))
        raw_json += len(json.dumps(page, separators=(",", ":")))
        n += len(page["changes"])
        cursor = page["next_cursor"]
        if not page["more"]:
            break
    print("wire: %d records, %.1f bytes/record gzip'd (%.1f uncompressed JSON)" % (
        n, wire / n, raw_json / n))
    st = os.stat(os.path.join(tmp, "cache0.db"))
    print("cache file: %.1f MiB" % (st.st_size / 1048576))
finally:
    if server:
        server.send_signal(signal.SIGTERM)
        server.wait()
    shutil.rmtree(tmp, ignore_errors=True)
