#!/usr/bin/env python3
"""The fleet page in a real headless Chromium (Debian's chromium, driven by its
chromedriver over plain WebDriver HTTP from Python's standard library), against a real
adm-central on 127.0.0.1:

    test_chromium.py ADM_CENTRAL SCREEN_PNG [PAGE_PNG_OUT]

An office logs in through the form, sees only its region's kiosks and the bundle version
each runs, asks one for a screenshot with the page's button; the test then plays the
kiosk through the sync protocol (its heartbeat's answer asks, it POSTs SCREEN_PNG, the
kiosk's attract screen as rendered by the kiosk's own screen code), and the browser shows
the picture (loaded and decoded: its naturalWidth). A PNG of the fleet page is written to
PAGE_PNG_OUT (default: the temporary folder, removed) for a person to look at.

Chromium, chromedriver and adm-central are stopped in a finally block.
"""
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fleetlib import Central, OFFICES, KIOSKS, check, fail, heartbeat, wait_for  # noqa

CENTRAL, SCREEN = sys.argv[1], sys.argv[2]
OUT = sys.argv[3] if len(sys.argv) > 3 else None
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
TOKENS = dict((k[0], k[2]) for k in KIOSKS)
# no proxy for loopback, whatever the environment says
urllib.request.install_opener(urllib.request.build_opener(urllib.request.ProxyHandler({})))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class WebDriver:
    def __init__(self, tmp):
        self.port = free_port()
        self.log = open(os.path.join(tmp, "chromedriver.log"), "w")
        self.proc = subprocess.Popen(["chromedriver", "--port=%d" % self.port,
                                      "--allowed-ips=127.0.0.1"],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.base = "http://127.0.0.1:%d" % self.port
        deadline = time.time() + 60
        while True:
            try:
                if json.loads(self.call("GET", "/status"))["value"]["ready"]:
                    break
            except OSError:
                pass
            if time.time() > deadline or self.proc.poll() is not None:
                fail("chromedriver did not start")
            time.sleep(0.2)
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": shutil.which("chromium") or "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--no-proxy-server",
                         "--no-first-run", "--window-size=1400,1000",
                         "--user-data-dir=" + os.path.join(tmp, "chromium")]}}}}
        self.session = json.loads(self.call("POST", "/session", caps))["value"]["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.read()
        except urllib.error.HTTPError as e:
            fail("webdriver %s %s: %s" % (method, path, e.read()[:500]))

    def s(self, method, path, body=None):
        return json.loads(self.call(method, "/session/%s%s" % (self.session, path),
                                    body))["value"]

    def go(self, url):
        self.s("POST", "/url", {"url": url})

    def find(self, css, many=False):
        v = self.s("POST", "/elements" if many else "/element",
                   {"using": "css selector", "value": css})
        if not many and ELEMENT not in v:
            fail("webdriver find %s: %r" % (css, v))
        return [e[ELEMENT] for e in v] if many else v[ELEMENT]

    def text(self, el):
        return self.s("GET", "/element/%s/text" % el)

    def prop(self, el, name):
        return self.s("GET", "/element/%s/property/%s" % (el, name))

    def type(self, el, text):
        self.s("POST", "/element/%s/value" % el, {"text": text})

    def click(self, el):
        self.s("POST", "/element/%s/click" % el, {})

    def url(self):
        return self.s("GET", "/url")

    def screenshot(self):
        return base64.b64decode(self.s("GET", "/screenshot"))

    def quit(self):
        try:
            if getattr(self, "session", None):
                self.call("DELETE", "/session/%s" % self.session)
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def main():
    tmp = tempfile.mkdtemp(prefix="adm-fleet-chromium-")
    c = wd = None
    try:
        c = Central(CENTRAL, tmp)
        versions = {"BDG-01": 3, "BDG-02": 4, "BGR-01": 9}
        for k, tok in TOKENS.items():
            check(c.heartbeat(k, tok, heartbeat(version=versions[k]))[0] == 204,
                  "%s sends a heartbeat (bundle version %d)" % (k, versions[k]))
        wd = WebDriver(tmp)
        base = "http://127.0.0.1:%d" % c.port
        wd.go(base + "/office/")
        check(wd.url().endswith("/office/login"), "Chromium is sent to the login form")
        oid, _, _, pw = OFFICES[0]
        wd.type(wd.find("input[name=id]"), oid)
        wd.type(wd.find("input[name=password]"), pw)
        wd.click(wd.find("button[type=submit]"))
        wait_for(lambda: wd.url().endswith("/office/"), "the fleet page after login")
        rows = wd.find("tr.kiosk", many=True)
        ids = [wd.prop(r, "dataset")["kiosk"] for r in rows]
        check(ids == ["BDG-01", "BDG-02"], "Chromium shows Bandung's two kiosks only: %s" % ids)
        for k in ids:
            v = wd.text(wd.find('tr[data-kiosk="%s"] .bundle-version' % k))
            check(v == "version %d" % versions[k], "%s shows %r" % (k, v))
        check("BGR-01" not in wd.s("GET", "/source"), "nothing of Bogor's kiosk on the page")
        wd.click(wd.find('tr[data-kiosk="BDG-01"] button'))
        wait_for(lambda: wd.find('tr[data-kiosk="BDG-01"] .shot-pending', many=True),
                 "the page to say the screenshot is asked for")
        check(True, "the office asked BDG-01 for a screenshot from the page's button")
        # the kiosk's side, through the sync protocol
        status, data = c.heartbeat("BDG-01", TOKENS["BDG-01"], heartbeat(version=3))
        check(status == 200 and json.loads(data)["screenshot"]["requested"] > 0,
              "BDG-01's heartbeat answer asks for a screenshot")
        with open(SCREEN, "rb") as f:
            shot = f.read()
        status, _ = c.kiosk_request("POST", "/v1/kiosks/BDG-01/screenshot",
                                    TOKENS["BDG-01"], shot, "image/png")
        check(status == 204, "BDG-01 sends its attract screen (%d bytes)" % len(shot))
        wd.go(base + "/office/")
        img = wd.find('tr[data-kiosk="BDG-01"] img.shot')
        wait_for(lambda: wd.prop(img, "complete"), "the screenshot to load")
        width = wd.prop(img, "naturalWidth")
        check(width == 1366 and wd.prop(img, "naturalHeight") == 768,
              "Chromium loaded and decoded the kiosk's screenshot (%sx768)" % width)
        page = wd.screenshot()
        check(page[:8] == b"\x89PNG\r\n\x1a\n" and len(page) > 10000,
              "a PNG of the fleet page (%d bytes)" % len(page))
        out = OUT or os.path.join(tmp, "fleet-page.png")
        with open(out, "wb") as f:
            f.write(page)
        print("fleet page screenshot:", out)
        # log out through the page's button: the session is gone
        wd.click(wd.find("header button"))
        wait_for(lambda: wd.url().endswith("/office/login"), "the login form after logout")
        wd.go(base + "/office/")
        check(wd.url().endswith("/office/login"), "after logout the fleet page needs a login")
        rc = c.stop()
        check(rc == 0, "adm-central exited cleanly (%r)" % rc)
        print("PASS chromium")
    finally:
        if wd:
            wd.quit()
        if c:
            c.stop()
        shutil.rmtree(tmp, ignore_errors=True)


main()
