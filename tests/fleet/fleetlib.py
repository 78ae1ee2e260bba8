"""What the fleet tests share (issue 12, item 6): a real adm-central on 127.0.0.1 with real
SQLite files in a temporary directory, office accounts made with `adm-central office add`,
kiosks from a kiosks file, heartbeats through the sync protocol, a cookie-keeping HTTP
client for the office pages, and a small valid PNG.

Every server started here is stopped by Central.stop(), which the tests call in a finally
block (also when a check fails or meson's timeout sends SIGTERM).
"""
import http.client
import json
import os
import re
import select
import struct
import subprocess
import sys
import time
import urllib.parse
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
# the fleet tests import these from here
from testlib import check, fail, wait_for  # noqa: E402,F401

# Two offices, three kiosks: Kota Bandung (32.73) has two, Kabupaten Bogor (32.01) one.
# Regions are written both ways a file may write them, the code and the NIK's digits:
# adm-central keeps the code (scenario regions checks both).
KIOSKS = [("BDG-01", "3273", "tok-bdg-01"), ("BDG-02", "32.73", "tok-bdg-02"),
          ("BGR-01", "3201", "tok-bgr-01")]
OFFICES = [("bandung", "Disdukcapil Kota Bandung", "32.73", "bandung-password-1"),
           ("bogor", "Disdukcapil Kabupaten Bogor", "3201", "bogor-password-22")]


def png(width, height, rgb=(200, 40, 40)):
    """A real PNG of stripes, with the right CRCs: what a kiosk's screen would send."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    rows = b""
    for y in range(height):
        band = (y * 4) // height
        c = bytes(rgb) if band % 2 == 0 else bytes((255 - rgb[0], 255 - rgb[1], 255 - rgb[2]))
        rows += b"\x00" + c * width
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def syncd_args(syncd, tmp, port, kiosk, token, screenshot):
    """A kiosk's folder (its cache key and token file, 0700) and the command line of an
    adm-syncd --once pass for it, with --screenshot."""
    kdir = os.path.join(tmp, "kiosk")
    os.makedirs(kdir, 0o700, exist_ok=True)
    key, tfile = os.path.join(kdir, "kiosk.key"), os.path.join(kdir, "token")
    with open(key, "wb") as f:
        f.write(os.urandom(32))
    os.chmod(key, 0o600)
    with open(tfile, "w") as f:
        f.write(token + "\n")
    # --cheap-pins hashes (m=8 KiB, t=1) are below adm-syncd's default bounds
    return kdir, [syncd, "--db", os.path.join(kdir, "cache.db"), "--key", key,
                  "--url", "http://127.0.0.1:%d" % port, "--kiosk", kiosk,
                  "--token-file", tfile, "--once", "--pin-cost-min", "m=8,t=1",
                  "--screenshot", screenshot]


class Central:
    """One adm-central serve and its database, kiosks and offices."""

    def __init__(self, binary, tmp, extra=()):
        self.binary, self.tmp = binary, tmp
        self.db = os.path.join(tmp, "central.db")
        r = subprocess.run([binary, "generate", "--db", self.db, "--citizens", "20",
                            "--cheap-pins", "--tiny-pdf"], capture_output=True, text=True,
                           timeout=120)
        check(r.returncode == 0, "generated a registry")
        self.kiosks = os.path.join(tmp, "kiosks")
        fd = os.open(self.kiosks, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write("".join("%s %s %s\n" % k for k in KIOSKS))
        for oid, name, region, pw in OFFICES:
            self.add_office(oid, name, region, pw)
        self.proc = None
        self.extra = list(extra)
        self.start()

    def add_office(self, oid, name, region, pw):
        pwfile = os.path.join(self.tmp, "pw-" + oid)
        with open(pwfile, "w") as f:
            f.write(pw + "\n")
        r = subprocess.run([self.binary, "office", "add", "--db", self.db, "--id", oid,
                            "--name", name, "--region", region, "--password-file", pwfile],
                           capture_output=True, text=True, timeout=60)
        check(r.returncode == 0, "office %s added (%s)" % (oid, r.stderr.strip()))
        check(pw not in open(self.db, "rb").read().decode("latin-1"),
              "the database does not hold %s's password" % oid)

    def start(self):
        self.log = open(os.path.join(self.tmp, "central.log"), "w")
        self.proc = subprocess.Popen([self.binary, "serve", "--db", self.db, "--port", "0",
                                      "--kiosks-file", self.kiosks] + self.extra,
                                     stdout=subprocess.PIPE, stderr=self.log, text=True)
        deadline = time.time() + 60
        line = ""
        while time.time() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 1)
            if ready:
                line = self.proc.stdout.readline()
                break
            if self.proc.poll() is not None:
                break
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if not m:
            fail("adm-central did not start: %r, %s" % (line, self.read_log()))
        self.port = int(m.group(1))

    def read_log(self):
        with open(os.path.join(self.tmp, "central.log")) as f:
            return f.read()

    def stop(self):
        """Stops the server: its exit status (0 after SIGTERM; sanitizers make it
        fail on a leak or an error), None if it was not running."""
        rc = None
        if self.proc:
            if self.proc.poll() is None:
                self.proc.terminate()
            try:
                rc = self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        return rc

    # ---- the kiosk's side: the sync protocol ----

    def kiosk_request(self, method, path, token, body=None, ctype="application/json"):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Authorization": "Bearer " + token}
        if body is not None:
            headers["Content-Type"] = ctype
        try:
            c.request(method, path, body=body, headers=headers)
        except (BrokenPipeError, ConnectionResetError):
            pass  # answered (413) and closed before the whole body was sent
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, data

    def heartbeat(self, kiosk, token, hb):
        return self.kiosk_request("POST", "/v1/kiosks/%s/heartbeat" % kiosk, token,
                                  json.dumps(hb))


def heartbeat(version=3, printer_queue="A4", fault="paper-low", rejected=None):
    """A heartbeat as adm-syncd sends it, with the content object of bundle delivery."""
    content = {"active": {"publisher": "dukcapil-3273", "version": version}}
    if rejected:
        content["rejected"] = rejected
    return {"version": "adm-syncd/0.1.0", "cursor": "12", "documents": 5,
            "outbox_pending": 0, "blobs_missing": 0, "time": int(time.time()) - 30,
            "kiosk": {"reader": "ok", "scanner": "none", "service_faults": [],
                      "printers": [{"queue": printer_queue, "media": "a4", "available": True,
                                    "fault": fault, "detail": "state=idle",
                                    "supplies": {"sheets": {"level": 38, "capacity": 500,
                                                            "low": True}}}],
                      "updated": int(time.time()) - 60},
            "content": content}


class Browser:
    """An office's HTTP client: keeps cookies the way a browser does for one host."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.set_cookies = []

    def request(self, method, path, fields=None, body=None, ctype=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            ctype = "application/x-www-form-urlencoded"
        if ctype:
            headers["Content-Type"] = ctype
        c.request(method, path, body=body, headers=headers)
        r = c.getresponse()
        data = r.read()
        for name, value in r.getheaders():
            if name.lower() == "set-cookie":
                self.set_cookies.append(value)
                k, v = value.split(";", 1)[0].split("=", 1)
                if v:
                    self.cookies[k] = v
                else:
                    self.cookies.pop(k, None)
        c.close()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data

    def csrf(self, html):
        m = re.search(rb'name="csrf" value="([0-9a-f]{64})"', html)
        if not m:
            fail("no CSRF token in the page")
        return m.group(1).decode()

    def login(self, oid, password):
        status, _, page = self.request("GET", "/office/login")
        check(status == 200, "the login form is served")
        return self.request("POST", "/office/login",
                            {"csrf": self.csrf(page), "id": oid, "password": password})
