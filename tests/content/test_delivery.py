#!/usr/bin/env python3
"""Delivery of content bundles (issue 12, item 4), end to end with real processes on
127.0.0.1 and real files in a temporary directory: adm-bundle makes keys, a keyring and
bundles and publishes them to a real adm-central; a real adm-syncd downloads the newest
bundle of its kiosk's scope and installs it into a real store, which admctl reads.

    test_delivery.py ADM_BUNDLE ADM_CENTRAL ADM_SYNCD ADMCTL SCENARIO
                     [ADM_KIOSK SHOT_COLOR SRC_ROOT]   (chain only)

Scenarios:
  deliver          init -> build -> sign -> publish -> adm-central -> adm-syncd -> store;
                   the heartbeat names the version; nothing is downloaded twice
  other-region     a bundle for another region is not offered, not downloaded, not
                   installed; one the server wrongly offers is refused by the store
  tampered         a bundle changed on the server (database edit; fault bundle-bad) is
                   refused with its reason in the heartbeat, the old one stays active,
                   and it is not downloaded again and again
  cut              the bundle's answer cut half way: kept, resumed, installed
  slow             a trickling bundle given up by the blobs' watchdog, then resumed
  kill-download    SIGKILL during a trickling download, several times: the old bundle
                   stays active and the download resumes where it stopped
  kill-install     SIGKILL at random moments of fetching and installing, several
                   versions: exactly the old or the new bundle is active each time
  publish-refused  a wrong office token, another office's publisher, a key that may not
                   publish to the region, an unknown key, a replayed version: refused by
                   adm-central, nothing stored
  keyring          a keyring rotation served by adm-central reaches the store through
                   adm-syncd; one signed by one root key only, a tampered one and an older
                   one are refused (in the heartbeat, not fetched again); a bundle signed
                   by the key the rotation revoked is refused, one by the new key installed
  chain            the whole chain onto a running adm-kiosk's attract screen: adm-bundle
                   init, build, sign, publish -> adm-central -> adm-syncd -> the store ->
                   the new banner and announcement in the kiosk's screenshots, then again
                   across a keyring rotation (the office's key replaced)
Every process started here is stopped in a finally block, also when a check fails.
"""
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from testlib import check, fail, wait_for  # noqa: E402

BUNDLE, CENTRAL, SYNCD, ADMCTL = (os.path.abspath(a) for a in sys.argv[1:5])
SCENARIO = sys.argv[5]
KIOSK, SHOT_COLOR, SRC = (os.path.abspath(a) for a in (sys.argv[6:9] or ["", "", ""]))
KIOSK_TOKEN = "kiosk-token-for-tests"
OFFICE_TOKEN = "office-token-3273"
OFFICE2_TOKEN = "office-token-3171"
procs = []


def run(*args, code=0, timeout=120):
    r = subprocess.run(list(args), capture_output=True, text=True, timeout=timeout)
    if code is not None and r.returncode != code:
        fail("%s exited %d (wanted %d): %s%s" % (" ".join(args), r.returncode, code,
                                                  r.stdout, r.stderr))
    return r


def private_file(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)


class Env:
    def __init__(self, tmp):
        self.tmp = tmp
        os.chdir(tmp)
        for k in ("root-a", "root-b", "root-c", "office", "office2", "stranger"):
            run(BUNDLE, "keygen", k)
        run(BUNDLE, "keyring", "init", "kr1", "--root", "root-a.pub", "--root", "root-b.pub",
            "--root", "root-c.pub", "--threshold", "2")
        run(BUNDLE, "keyring", "add", "kr1", "--publisher", "dukcapil-3273", "--name",
            "Disdukcapil Kota Bandung", "--key", "office.pub", "--region", "32.73")
        run(BUNDLE, "keyring", "add", "kr1", "--publisher", "dukcapil-3171", "--name",
            "Disdukcapil Jakarta Pusat", "--key", "office2.pub", "--region", "31.71")
        run(BUNDLE, "keyring", "sign", "kr1", "--key", "root-a.key")
        run(BUNDLE, "keyring", "sign", "kr1", "--key", "root-b.key")
        run(BUNDLE, "init", "b")
        self.db = os.path.join(tmp, "central.db")
        self.kiosks = os.path.join(tmp, "kiosks")
        # a region as the NIK's digits and as its code: one region either way
        private_file(self.kiosks, "K1 3273 %s\nK2 31.71 %s-2\n" % (KIOSK_TOKEN, KIOSK_TOKEN))
        self.offices = os.path.join(tmp, "offices")
        private_file(self.offices, "dukcapil-3273 %s\ndukcapil-3171 %s\n" %
                     (OFFICE_TOKEN, OFFICE2_TOKEN))
        private_file("office.token", OFFICE_TOKEN + "\n")
        private_file("office2.token", OFFICE2_TOKEN + "\n")
        private_file("wrong.token", "not-the-token\n")
        private_file("kiosk.token", KIOSK_TOKEN + "\n")
        with open("kiosk.key", "wb") as f:
            f.write(os.urandom(32))
        os.chmod("kiosk.key", 0o600)
        self.store = os.path.join(tmp, "store")
        self.spool = os.path.join(tmp, "spool")
        self.url = None
        self.server = None
        self.keyrings = ["kr1"]

    # ---- the root holders ----
    def rotate(self, out, base, revoke=None, add=None, sign=("root-a", "root-b")):
        """The next keyring after base: revoke a publisher key, add one (publisher, key),
        signed by the root keys named (the same root: they count for both thresholds)."""
        if revoke:
            run(BUNDLE, "keyring", "revoke", base, "--key", revoke, "-o", out)
        if add:
            run(BUNDLE, "keyring", "add", out if revoke else base, "--publisher", add[0],
                "--name", "Disdukcapil Kota Bandung", "--key", add[1], "--region", "32.73",
                "-o", out)
        for k in sign:
            run(BUNDLE, "keyring", "sign", out, "--key", k + ".key")
        return out

    # ---- the office ----
    def bundle(self, version, key="office.key", publisher=None, regions=None, out=None,
               folder="b", expires=None, kiosks=None):
        """Builds and signs a bundle of the template folder (its publisher and scope
        changed if asked) and returns its file name."""
        if publisher or regions or expires or kiosks:
            src = folder
            folder = "b-%s-%d" % (publisher or "x", version)
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(src, folder)
            with open(os.path.join(folder, "bundle.json")) as f:
                m = json.load(f)
            if publisher:
                m["publisher"] = publisher
            if regions or kiosks:
                m["scope"] = {"regions": regions or [], "kiosks": kiosks or []}
            if expires:
                m["expires"] = expires
            with open(os.path.join(folder, "bundle.json"), "w") as f:
                json.dump(m, f)
        out = out or "v%d-%s.admb" % (version, os.path.basename(key).split(".")[0])
        run(BUNDLE, "build", folder, "-o", out, "--version", str(version))
        run(BUNDLE, "sign", out, "--key", key)
        return out

    def publish(self, path, office="dukcapil-3273", token="office.token", code=0):
        return run(BUNDLE, "publish", path, "--url", self.url, "--office", office,
                   "--token-file", token, code=code)

    # ---- the server ----
    def serve(self, *extra):
        self.stop_server()
        args = [CENTRAL, "serve", "--db", self.db, "--kiosks-file", self.kiosks,
                "--office-tokens", self.offices, "--port", "0"] + list(extra)
        for k in self.keyrings:
            args += ["--content-keyring", k]
        self.server_log = open(os.path.join(self.tmp, "central.log"), "w+")
        p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.server_log,
                             text=True)
        procs.append(p)
        line = p.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if not m:
            fail("adm-central did not start: %r" % line)
        self.url = "http://127.0.0.1:%s" % m.group(1)
        self.server = p

    def stop_server(self):
        if self.server:
            self.server.terminate()
            rc = self.server.wait(timeout=30)
            self.server = None
            self.server_log.seek(0)
            # a sanitizer build reports a leak or an error in its exit status
            check(rc == 0, "adm-central stopped cleanly (%d) %s" %
                  (rc, self.server_log.read()[-3000:]))

    def sql(self, q, *args):
        c = sqlite3.connect(self.db, timeout=30)
        try:
            rows = c.execute(q, args).fetchall()
            c.commit()
            return rows
        finally:
            c.close()

    def stat(self, name):
        rows = self.sql("SELECT value FROM stats WHERE name = ?", name)
        return rows[0][0] if rows else 0

    def heartbeat(self, kiosk="K1"):
        rows = self.sql("SELECT health FROM kiosks WHERE id = ?", kiosk)
        if not rows or not rows[0][0]:
            fail("no heartbeat of %s stored" % kiosk)
        return json.loads(rows[0][0])

    def offer(self, kiosk, token):
        req = urllib.request.Request("%s/v1/kiosks/%s/content" % (self.url, kiosk),
                                     headers={"Authorization": "Bearer " + token})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.load(r)["bundle"]

    # ---- the kiosk ----
    def usb_install(self, path):
        run(ADMCTL, "bundle", "install", path, "--store", self.store, "--region", "32.73",
            "--kiosk", "K1", "--anchor", "kr1")

    def active(self):
        r = run(ADMCTL, "bundle", "status", "--store", self.store, "--json", code=None)
        d = json.loads(r.stdout)
        a = d.get("active") or {}
        return a.get("version") if a.get("present", True) else None

    def syncd_args(self, region="32.73"):
        return [SYNCD, "--db", "cache.db", "--key", "kiosk.key", "--url", self.url,
                "--kiosk", "K1", "--token-file", "kiosk.token", "--spool", self.spool,
                "--content", self.store, "--region", region, "--interval", "5",
                "--heartbeat", "5"]

    def once(self, *extra, code=0, timeout=180):
        r = subprocess.run(self.syncd_args() + ["--once"] + list(extra), capture_output=True,
                           text=True, timeout=timeout)
        self.log = r.stderr
        if code is not None and r.returncode != code:
            fail("adm-syncd --once exited %d (wanted %d): %s" % (r.returncode, code,
                                                                r.stderr[-3000:]))
        return r

    def part(self):
        parts = [f for f in os.listdir(self.spool) if f.startswith("bundle-")] \
            if os.path.isdir(self.spool) else []
        return os.path.join(self.spool, parts[0]) if parts else None


def sha256_file(path):
    import hashlib
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def start_syncd(env):
    p = subprocess.Popen(env.syncd_args() + ["--once"], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    procs.append(p)
    return p


def kill(p):
    p.kill()
    p.wait(timeout=30)


# ---- scenarios ----

def deliver(env):
    env.serve()
    check(dict(env.sql("SELECT id, region FROM kiosks")) == {"K1": "32.73", "K2": "31.71"},
          "the kiosks file's 3273 and 31.71 are kept as 32.73 and 31.71")
    env.usb_install(env.bundle(1))
    check(env.active() == 1, "the USB bundle, version 1, is active")
    v2 = env.bundle(2)
    r = env.publish(v2)
    check("published dukcapil-3273 version 2" in r.stdout, "adm-bundle publish: " +
          r.stdout.strip())
    rows = env.sql("SELECT sha256, publisher, version, regions, office, size FROM bundles")
    check(len(rows) == 1 and rows[0][0] == sha256_file(v2) and rows[0][2] == 2 and
          rows[0][3] == '["32.73"]' and rows[0][4] == "dukcapil-3273" and
          rows[0][5] == os.path.getsize(v2), "adm-central stored it with its scope")
    r = env.publish(v2)
    check("already published" in r.stdout, "the same bytes again: already published")
    env.once()
    check(env.active() == 2, "adm-syncd installed version 2 (admctl bundle status)")
    hb = env.heartbeat()["content"]
    check(hb["active"]["version"] == 2 and hb["active"]["publisher"] == "dukcapil-3273" and
          hb["rejected"] is None, "the heartbeat says version 2 runs, nothing rejected")
    check(env.part() is None, "no part file left in the spool")
    n = env.stat("bundle_requests")
    env.once()
    check(env.stat("bundle_requests") == n and env.active() == 2,
          "the next pass does not download it again")
    # a newer version moves forward, the store and region from [content] of --config,
    # the region written as the NIK's digits
    env.publish(env.bundle(3))
    with open("sync.conf", "w") as f:
        f.write("[kiosk]\nid = K1\n[content]\nstore = %s\nregion = 3273\n" % env.store)
    args = env.syncd_args()
    i = args.index("--content")
    del args[i:i + 4]
    r = subprocess.run(args + ["--config", "sync.conf", "--once"], capture_output=True,
                       text=True, timeout=180)
    check(r.returncode == 0 and env.active() == 3,
          "version 3 installed by adm-syncd configured in its file: %s" % r.stderr[-500:])
    # its newest bundle expired (edited in the database: adm-central refuses an expired
    # upload): not offered, and neither is the older version 2 (a replay to the kiosk)
    env.sql("UPDATE bundles SET expires = 1 WHERE version = 3")
    check(env.offer("K1", KIOSK_TOKEN) is None,
          "the newest bundle expired: nothing offered, not version 2")


def other_region(env):
    env.serve()
    env.usb_install(env.bundle(1))
    other = env.bundle(1, key="office2.key", publisher="dukcapil-3171", regions=["31.71"])
    env.publish(other, office="dukcapil-3171", token="office2.token")
    check(env.offer("K2", KIOSK_TOKEN + "-2")["sha256"] == sha256_file(other),
          "a kiosk of region 31.71 is offered the 31.71 bundle")
    check(env.offer("K1", KIOSK_TOKEN) is None, "the kiosk of 32.73 is offered nothing")
    env.once()
    check(env.stat("bundle_requests") == 0, "adm-syncd of 32.73 downloaded nothing")
    check(env.active() == 1, "version 1 stays active")
    # a server that wrongly offers it (its scope changed in the database): the store
    # refuses it for the kiosk's region, whatever the server said
    env.sql("UPDATE bundles SET regions = '[\"32.73\"]'")
    check(env.offer("K1", KIOSK_TOKEN) is not None, "the edited scope offers it to K1")
    env.once()
    hb = env.heartbeat()["content"]
    check(hb["rejected"] and hb["rejected"]["sha256"] == sha256_file(other) and
          "region" in hb["rejected"]["reason"],
          "refused by the store for its region: %s" % (hb["rejected"] or {}).get("reason"))
    check(env.active() == 1 and hb["active"]["version"] == 1, "version 1 stays active")
    # a bundle addressed to kiosk ids: K1 gets it, K2 does not; one for a kiosk of a
    # region the publisher may not publish to is refused at publishing
    env.sql("UPDATE bundles SET regions = '[\"31.71\"]'")
    r = env.publish(env.bundle(2, kiosks=["K2"], out="for-k2.admb"), code=1)
    check("403" in r.stderr and "kiosk K2" in r.stderr,
          "a bundle for kiosk K2 (31.71) by the 32.73 office: " + r.stderr.strip())
    for_k1 = env.bundle(2, kiosks=["K1"], out="for-k1.admb")
    env.publish(for_k1)
    check(env.offer("K1", KIOSK_TOKEN)["sha256"] == sha256_file(for_k1),
          "the bundle for kiosk K1 is offered to K1")
    check(env.offer("K2", KIOSK_TOKEN + "-2")["sha256"] == sha256_file(other),
          "K2 is still offered its region's bundle")
    env.once()
    check(env.active() == 2, "K1 installed the bundle addressed to it")


def tampered(env):
    env.serve()
    env.usb_install(env.bundle(1))
    v2 = env.bundle(2)
    env.publish(v2)
    # the bytes changed on the server after publishing, and their announced hash with them:
    # only the signed manifest can tell
    data = bytearray(open(v2, "rb").read())
    data[-1] ^= 0x55
    import hashlib
    sha = hashlib.sha256(data).hexdigest()
    env.sql("UPDATE bundles SET data = ?, sha256 = ?", bytes(data), sha)
    env.once()
    hb = env.heartbeat()["content"]
    rej = hb["rejected"] or {}
    check(rej.get("sha256") == sha and rej.get("reason"),
          "the changed bundle is refused: %s: %s" % (rej.get("code"), rej.get("reason")))
    check(env.active() == 1 and hb["active"]["version"] == 1, "version 1 stays active")
    n = env.stat("bundle_requests")
    env.once()
    env.once()
    check(env.stat("bundle_requests") == n, "a refused bundle is not downloaded again")
    check(env.heartbeat()["content"]["rejected"]["sha256"] == sha,
          "the heartbeat still names the refusal")
    # a transfer that flips a byte (fault mode bundle-bad): not the bytes announced
    env.serve("--fault", "bundle-bad")
    v3 = env.bundle(3)
    env.publish(v3)
    env.once()
    rej = env.heartbeat()["content"]["rejected"] or {}
    check(rej.get("sha256") == sha256_file(v3) and rej.get("code") == "download",
          "a bundle damaged in transit is refused: %s" % rej.get("reason"))
    check(env.active() == 1, "version 1 stays active")
    # once the server serves it right, a new offer (version 4) goes through
    env.serve()
    env.publish(env.bundle(4))
    env.once()
    check(env.active() == 4 and env.heartbeat()["content"]["rejected"] is None,
          "version 4 installed, the refusal cleared")


def kill_download(env):
    # 64 bytes every 10 ms: an 86 KB bundle takes about 15 s, far above the watchdog's
    # 1 KiB/s minimum
    env.serve("--fault", "bundle-trickle", "--fault-delay-ms", "10")
    env.usb_install(env.bundle(1))
    v2 = env.bundle(2)
    env.publish(v2)
    size, kills = 0, int(os.environ.get("DELIVERY_KILLS", "4"))
    for i in range(kills):
        p = start_syncd(env)
        try:
            def grew():
                part = env.part()
                return part and os.path.getsize(part) >= size + 2048
            wait_for(grew, "the download to go on", 120)
        finally:
            kill(p)
        got = os.path.getsize(env.part())
        check(got > size and got < os.path.getsize(v2),
              "kill %d during the download at byte %d" % (i + 1, got))
        size = got
        check(env.active() == 1, "version 1 still active after kill %d" % (i + 1))
    env.once(timeout=300)
    check(re.search(r"resuming at byte (\d+)", env.log) and
          int(re.search(r"resuming at byte (\d+)", env.log).group(1)) >= size,
          "the last run resumed at byte %d or later" % size)
    check(env.active() == 2, "version 2 installed after the kills")
    ranges = env.stat("range_requests")
    check(ranges >= kills, "%d range requests served" % ranges)


def cut(env):
    # the first answer cut half way (fault bundle-cut, once): the pass fails, the bytes stay
    env.serve("--fault", "bundle-cut", "--fault-count", "1")
    env.usb_install(env.bundle(1))
    v2 = env.bundle(2)
    env.publish(v2)
    env.once(code=1)
    part = env.part()
    got = os.path.getsize(part) if part else 0
    check(0 < got < os.path.getsize(v2), "a cut answer leaves %d bytes in the spool" % got)
    check(env.active() == 1, "version 1 stays active")
    env.once()
    check("resuming at byte %d" % got in env.log, "the next pass resumes at byte %d" % got)
    check(env.active() == 2, "version 2 installed")


def slow(env):
    # 64 bytes every 100 ms (640 B/s) against a watchdog of 1024 B/s over 2 s: the blobs'
    # watchdog gives the bundle up too, and what came is kept
    env.serve("--fault", "bundle-trickle", "--fault-delay-ms", "100")
    env.usb_install(env.bundle(1))
    v2 = env.bundle(2)
    env.publish(v2)
    t0 = time.monotonic()
    env.once("--blob-min-speed", "1024", "--blob-stall", "2", code=1)
    took = time.monotonic() - t0
    part = env.part()
    got = os.path.getsize(part) if part else 0
    check(re.search(r"content: bundle \w+: .*(timed out|too slow)", env.log, re.I),
          "the trickling bundle was given up by the watchdog")
    check(took < 60 and 0 < got < os.path.getsize(v2),
          "after %.1f s, with %d bytes kept" % (took, got))
    check(env.active() == 1, "version 1 stays active")
    env.serve()
    env.once()
    check("resuming at byte %d" % got in env.log and env.active() == 2,
          "resumed at byte %d from a server at full speed, version 2 installed" % got)


def kill_install(env):
    env.serve()
    env.usb_install(env.bundle(1))
    rnd = random.Random(int(os.environ.get("DELIVERY_SEED", "12")))
    # how long one whole run takes here (under load too)
    env.publish(env.bundle(2))
    t0 = time.monotonic()
    env.once()
    whole = time.monotonic() - t0
    check(env.active() == 2, "version 2 installed in %.2f s" % whole)
    seen = set()
    for v in range(3, 3 + int(os.environ.get("DELIVERY_KILLS", "8"))):
        env.publish(env.bundle(v))
        p = start_syncd(env)
        time.sleep(rnd.uniform(0.0, whole * 1.2))
        kill(p)
        now = env.active()
        check(now in (v - 1, v), "SIGKILL: version %s active (old %d or new %d)" %
              (now, v - 1, v))
        seen.add("old" if now == v - 1 else "new")
        env.once()
        hb = env.heartbeat()["content"]
        check(env.active() == v and hb["rejected"] is None,
              "the next run finished version %d, nothing refused" % v)
        # what a kill leaves in staging goes with the store's next install (a run that
        # found the bundle active already installs nothing)
        if "active already" not in env.log:
            check(no_staging(env), "no staging left")
    print("kills left the old bundle / the new one:", sorted(seen))
    # the narrowest window, made on purpose: the store switched to the new bundle, the
    # kill came before adm-syncd remembered it (its part file still complete in the
    # spool); the next run must see it active, not refuse it as a replay
    last = env.bundle(v + 1)
    env.publish(last)
    env.usb_install(last)
    os.makedirs(env.spool, exist_ok=True)
    shutil.copy(last, os.path.join(env.spool, "bundle-%s.part" % sha256_file(last)))
    n = env.stat("bundle_requests")
    env.once()
    hb = env.heartbeat()["content"]
    check(env.active() == v + 1 and hb["rejected"] is None and "active already" in env.log,
          "killed after the switch: the next run sees version %d active, refuses nothing"
          % (v + 1))
    check(env.stat("bundle_requests") == n and env.part() is None,
          "nothing downloaded for it, the part file gone")
    env.publish(env.bundle(v + 2))
    env.once()
    check(env.active() == v + 2 and no_staging(env),
          "version %d installed after it, no staging left" % (v + 2))


def no_staging(env):
    staging = os.path.join(env.store, "staging")
    return not os.path.isdir(staging) or not os.listdir(staging)


def publish_refused(env):
    env.serve()
    v1 = env.bundle(1)
    r = env.publish(v1, token="wrong.token", code=1)
    check("401" in r.stderr, "a wrong office token: " + r.stderr.strip())
    r = env.publish(v1, office="dukcapil-9999", code=1)
    check("401" in r.stderr, "an unknown office: " + r.stderr.strip())
    r = env.publish(v1, office="dukcapil-3171", token="office2.token", code=1)
    check("403" in r.stderr and "publisher" in r.stderr,
          "another office's bundle: " + r.stderr.strip())
    wrong_region = env.bundle(1, key="office2.key", publisher="dukcapil-3171",
                              regions=["32.73"])
    r = env.publish(wrong_region, office="dukcapil-3171", token="office2.token", code=1)
    check("403" in r.stderr and "may not publish to region 32.73" in r.stderr,
          "a key that may not publish to 32.73: " + r.stderr.strip())
    stranger = env.bundle(1, key="stranger.key", out="stranger.admb")
    r = env.publish(stranger, code=1)
    check("403" in r.stderr, "a key not in the keyring: " + r.stderr.strip())
    check(env.sql("SELECT COUNT(*) FROM bundles")[0][0] == 0, "nothing stored")
    env.publish(v1)
    other_v1 = env.bundle(1, expires="2027-01-02T00:00:00Z", out="v1-again.admb")
    r = env.publish(other_v1, code=1)
    check("409" in r.stderr, "another bundle with version 1: " + r.stderr.strip())
    check(env.sql("SELECT COUNT(*) FROM bundles")[0][0] == 1, "only the first one stored")
    check(env.offer("K1", KIOSK_TOKEN)["sha256"] == sha256_file(v1), "K1 is offered it")
    # no server there: exit 3, not a refusal
    r = run(BUNDLE, "publish", v1, "--url", "http://127.0.0.1:1", "--office", "dukcapil-3273",
            "--token-file", "office.token", code=3)
    check("127.0.0.1:1" in r.stderr, "an unreachable server: exit 3: " + r.stderr.strip())


# ---- keyring rotations through the sync protocol ----

def keyring_state(env):
    return env.heartbeat()["content"]["keyring"]


def keyring_row(env, version, data):
    """What adm-central offers as keyring `version` (edited in its database: the server
    refuses to start with a chain that does not verify)."""
    import hashlib
    env.sql("DELETE FROM keyrings WHERE version = ?", version)
    env.sql("INSERT INTO keyrings(version, sha256, data) VALUES (?, ?, ?)", version,
            hashlib.sha256(data).hexdigest(), data)
    return hashlib.sha256(data).hexdigest()


def keyring(env):
    env.serve()
    env.usb_install(env.bundle(1))
    run(BUNDLE, "keygen", "office-new")
    # the office's key replaced: version 2 revokes it and lists the new one
    env.rotate("kr2", "kr1", revoke="office.pub", add=("dukcapil-3273", "office-new.pub"))
    # version 2 of the bundle, signed by the old key while the server still had keyring 1
    old_key_v2 = env.bundle(2)
    env.publish(old_key_v2)
    env.keyrings = ["kr1", "kr2"]
    env.serve()
    r = env.publish(env.bundle(3, out="v3-old-key.admb"), code=1)
    check("403" in r.stderr and "revoked" in r.stderr,
          "adm-central with keyring 2 refuses the revoked key: " + r.stderr.strip())
    env.once()
    kr = keyring_state(env)
    check(kr["version"] == 2 and kr["rejected"] is None,
          "adm-syncd fetched keyring 2 into the store: %s" % kr)
    hb = env.heartbeat()["content"]
    rej = hb["rejected"] or {}
    check(rej.get("sha256") == sha256_file(old_key_v2) and "revoked" in rej.get("reason", ""),
          "the bundle signed by the revoked key is refused: %s" % rej.get("reason"))
    check(env.active() == 1, "version 1 stays active")
    st = json.loads(run(ADMCTL, "bundle", "status", "--store", env.store, "--json").stdout)
    check(st["keyring_version"] == 2, "admctl bundle status: keyring version 2")
    env.publish(env.bundle(3, key="office-new.key"))
    n = env.stat("keyring_requests")
    env.once()
    check(env.active() == 3, "a bundle signed by the new key is installed")
    check(env.stat("keyring_requests") == n, "keyring 2 is not fetched again")

    # version 3 with one root signature only: adm-central will not start with it, a
    # server that offers it anyway has it refused by the kiosk
    run(BUNDLE, "keygen", "office-3")
    env.rotate("kr3-one", "kr2", add=("dukcapil-3273", "office-3.pub"), sign=("root-a",))
    env.keyrings = ["kr1", "kr2", "kr3-one"]
    try:
        env.serve()
        fail("adm-central started with a keyring signed by one root key")
    except AssertionError as e:
        check("did not start" in str(e), "adm-central refuses a chain with kr3-one")
        env.server = None
    env.keyrings = ["kr1", "kr2"]
    env.serve()
    bad = [("signed by one root key only", open("kr3-one", "rb").read(), "signature")]
    env.rotate("kr3", "kr2", add=("dukcapil-3273", "office-3.pub"))
    good = open("kr3", "rb").read()
    # one hex digit of the new key changed: still a keyring, its signatures no longer match
    last = [m.start() for m in re.finditer(rb"[0-9a-f]{64}", good)][-1]
    tampered = bytearray(good)
    tampered[last] = ord("0") if tampered[last] != ord("0") else ord("1")
    bad.append(("tampered", bytes(tampered), "signature"))
    # another version 2, properly signed: older than what the kiosk would need (a replay)
    env.rotate("kr2-other", "kr1", add=("dukcapil-9999", "stranger.pub"))
    bad.append(("of an older version (2 offered as 3)", open("kr2-other", "rb").read(),
                "not newer"))
    for what, data, word in bad:
        sha = keyring_row(env, 3, data)
        env.once()
        kr = keyring_state(env)
        rej = kr["rejected"] or {}
        check(kr["version"] == 2 and rej.get("sha256") == sha and rej.get("version") == 3 and
              (word is None or word in rej.get("code", "") + rej.get("reason", "")),
              "a keyring %s is refused: %s: %s" % (what, rej.get("code"), rej.get("reason")))
        n = env.stat("keyring_requests")
        env.once()
        check(env.stat("keyring_requests") == n, "and not fetched again")
    st = json.loads(run(ADMCTL, "bundle", "status", "--store", env.store, "--json").stdout)
    check(st["keyring_version"] == 2 and env.active() == 3,
          "the store kept keyring 2 and version 3")
    env.keyrings = ["kr1", "kr2", "kr3"]
    env.serve()
    env.publish(env.bundle(4, key="office-3.key"))
    env.once()
    kr = keyring_state(env)
    check(kr["version"] == 3 and kr["rejected"] is None and env.active() == 4,
          "keyring 3 accepted, the refusal cleared, version 4 by its new key installed")


# ---- the whole chain onto the kiosk's screen ----

GREEN, MAGENTA, CYAN = "00ff00", "ff00ff", "00ffff"


def colour_bundle(env, version, colour, title, key="office.key"):
    """The template folder (adm-bundle init) with one banner of a plain colour and one
    announcement of the given title, always visible; built and signed."""
    import struct
    import zlib
    folder = "c%d" % version
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree("b", folder)
    os.unlink(os.path.join(folder, "banner-example.jpg"))
    with open(os.path.join(folder, "bundle.json")) as f:
        m = json.load(f)
    m["items"] = [i for i in m["items"] if i["id"] not in ("banner-jam-kerja", "ann-malam")]
    for i in m["items"]:
        if i["id"] == "ann-kia":
            i["title"] = {"id": title, "en": title + " (en)"}
    with open(os.path.join(folder, "bundle.json"), "w") as f:
        json.dump(m, f)
    w, h = 1080, 600

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    raw = (b"\0" + bytes.fromhex(colour) * w) * h
    with open(os.path.join(folder, "banner-example.png"), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    out = "c%d.admb" % version
    run(BUNDLE, "build", folder, "-o", out, "--version", str(version))
    run(BUNDLE, "sign", out, "--key", key)
    return out


class Kiosk:
    """adm-kiosk on SDL's offscreen driver with the store, taking a screenshot a second."""

    def __init__(self, env):
        self.shots = os.path.join(env.tmp, "shots")
        os.makedirs(self.shots)
        with open("kiosk.conf", "w") as f:
            f.write("[kiosk]\nid = K1\n[display]\nwindow = 1920x1080\nassets = %s/ui-assets\n"
                    "[content]\nstore = %s\nregion = 32.73\n" % (SRC, env.store))
        self.log_path = os.path.join(env.tmp, "kiosk.log")
        self.log = open(self.log_path, "w")
        self.p = subprocess.Popen([KIOSK, "--config", "kiosk.conf", "--screenshot-dir",
                                   self.shots, "--screenshot-every", "1"],
                                  stdout=subprocess.DEVNULL, stderr=self.log,
                                  env=dict(os.environ, SDL_VIDEODRIVER="offscreen"))
        procs.append(self.p)

    def lines(self):
        with open(self.log_path) as f:
            return f.read().splitlines()

    def wait_log(self, pattern, timeout=60):
        """The index of the first log line matching pattern."""
        def found():
            if self.p.poll() is not None:
                fail("adm-kiosk exited %d: %s" % (self.p.returncode, self.lines()[-20:]))
            for i, line in enumerate(self.lines()):
                if re.search(pattern, line):
                    return i + 1
            return None
        return wait_for(found, "the kiosk to log " + pattern, timeout) - 1

    def shot_after(self, pattern):
        """The second screenshot written after the log line matching pattern: a frame
        drawn after the content was handed over."""
        start = self.wait_log(pattern)

        def second():
            shots = [l.split("written to ", 1)[1] for l in self.lines()[start:]
                     if "screenshot written to" in l]
            return shots[1] if len(shots) > 1 else None
        return wait_for(second, "a screenshot after " + pattern, 30)

    def stop(self):
        self.p.terminate()
        rc = self.p.wait(timeout=30)
        check(rc == 0, "adm-kiosk stopped cleanly (%d)" % rc)


def colours(png, *cs):
    r = run(SHOT_COLOR, png, *cs)
    return [int(x) for x in r.stdout.split()]


def preview(env, bundle, at):
    """adm-bundle preview's landscape attract screen of bundle at time at."""
    out = bundle + ".preview"
    args = [BUNDLE, "preview", bundle, "--out", out, "--at", at, "--utc-offset", "7",
            "--assets", os.path.join(SRC, "ui-assets")]
    for k in env.keyrings:
        args += ["--keyring", k]
    run(*args)
    return os.path.join(out, "attract-1920x1080.png")


def body_diff(a, b, top=170):
    """Pixels that differ between two 1920x1080 screens from row top (170: below the
    header, its clock and date, the help button making it 165 rows tall) to the footer
    (the kiosk's id, or "preview")."""
    return int(run(SHOT_COLOR, "--diff", a, b, str(top), "975").stdout)


def shows(env, kiosk, version, bundle, colour, others, before=None):
    """The kiosk's screenshot after version went on screen has that banner (and no other
    bundle's), and below its clock it is the screen adm-bundle preview draws for the bundle
    (the kiosk's own screen code): its announcement, notice and hours. Against the bundle
    shown before, the same comparison fails (before: its preview)."""
    png = kiosk.shot_after(r"version %d on screen \(active" % version)
    counts = colours(png, colour, *others)
    # the banner's box is what the column leaves beside the announcement and the hours
    # (their headings are pairs, two lines each): about 33000 of its pixels at 1920x1080
    check(counts[0] > 20000 and sum(counts[1:]) < 100,
          "version %d's banner on screen (%d pixels of it, %d of others) in %s" %
          (version, counts[0], sum(counts[1:]), png))
    want = preview(env, bundle, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    n = body_diff(png, want)
    check(n == 0, "version %d's screen is the preview's (%d pixels differ)" % (version, n))
    if before:
        # below the banner's box only the announcement differs from the previous bundle
        n = body_diff(png, before, top=480)
        check(n > 1000, "its announcement is not the previous one (%d pixels differ)" % n)
    if os.environ.get("CHAIN_SHOTS"):  # kept for people to look at
        shutil.copy(png, os.path.join(os.environ["CHAIN_SHOTS"],
                                      "content-chain-v%d.png" % version))
    return want


def chain(env):
    env.serve()
    v1 = colour_bundle(env, 1, GREEN, "Versi satu")
    env.usb_install(v1)  # the kiosk provisioned, with version 1
    kiosk = Kiosk(env)
    kiosk.wait_log("first frame presented")
    seen = shows(env, kiosk, 1, v1, GREEN, [MAGENTA, CYAN])
    # the office: init (done in Env), build, sign, publish; the kiosk's adm-syncd brings it
    v2 = colour_bundle(env, 2, MAGENTA, "Pengumuman baru")
    r = env.publish(v2)
    check("published dukcapil-3273 version 2" in r.stdout, "published: " + r.stdout.strip())
    syncd = subprocess.Popen(env.syncd_args(), stdout=subprocess.DEVNULL,
                             stderr=open(os.path.join(env.tmp, "syncd.log"), "w"))
    procs.append(syncd)
    seen = shows(env, kiosk, 2, v2, MAGENTA, [GREEN, CYAN], before=seen)
    # the root holders replace the office's key; the office signs with the new one
    run(BUNDLE, "keygen", "office-new")
    env.rotate("kr2", "kr1", revoke="office.pub", add=("dukcapil-3273", "office-new.pub"))
    env.keyrings = ["kr1", "kr2"]
    env.serve()
    syncd.terminate()
    syncd.wait(timeout=30)
    args = env.syncd_args()
    args[args.index("--url") + 1] = env.url
    syncd = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                             stderr=open(os.path.join(env.tmp, "syncd.log"), "a"))
    procs.append(syncd)
    v3 = colour_bundle(env, 3, CYAN, "Kunci baru", key="office-new.key")
    env.publish(v3)
    shows(env, kiosk, 3, v3, CYAN, [GREEN, MAGENTA], before=seen)
    check(keyring_state(env)["version"] == 2, "the kiosk holds keyring 2")
    syncd.terminate()
    check(syncd.wait(timeout=30) == 0, "adm-syncd stopped cleanly")
    kiosk.stop()


SCENARIOS = {"deliver": deliver, "other-region": other_region, "tampered": tampered,
             "cut": cut, "slow": slow, "kill-download": kill_download, "kill-install": kill_install,
             "publish-refused": publish_refused, "keyring": keyring, "chain": chain}


def main():
    tmp = tempfile.mkdtemp(prefix="adm-delivery-")
    try:
        env = Env(tmp)
        SCENARIOS[SCENARIO](env)
        env.stop_server()
        print("%s: all checks passed" % SCENARIO)
        return 0
    except AssertionError as e:
        print("FAIL:", e, flush=True)
        return 1
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        os.chdir("/")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
