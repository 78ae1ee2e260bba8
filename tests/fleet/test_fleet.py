#!/usr/bin/env python3
"""The fleet page at adm-central (issue 12, item 6) against a real adm-central on
127.0.0.1, one scenario per run:

    test_fleet.py ADM_CENTRAL ADM_BUNDLE SCENARIO ADM_SYNCD

Scenarios:
  login       the login form, a session cookie (HttpOnly, SameSite=Strict, hashed in the
              database), the fleet page and its JSON, logout ends the session
  lockout     5 wrong passwords lock the account (the right one refused too), an unknown
              account gets the same answers; the lock ends after --office-lockout
  csrf        every POST without the session's token is refused and changes nothing; the
              login form's token is bound to its cookie
  regions     a session of Bogor's office sees nothing of Bandung's kiosks, in HTML and
              JSON, and cannot ask one for a screenshot (404 as for a kiosk that does not
              exist); regions written 3273 or 32.73 (kiosks file, office add) are one
              region: kept as 32.73, the same kiosks seen, the same feed
  xss         a heartbeat with <script> in a printer's name and fault is shown escaped
  screenshot  office asks -> the heartbeat's answer says so -> the kiosk POSTs a PNG
              (bad PNGs, unasked and oversized uploads refused) -> the office gets it
  syncd       the same round trip with the real adm-syncd --screenshot: it leaves the
              request marker for adm-kiosk, and sends the PNG the test writes in
              adm-kiosk's place (test_kiosk_screenshot.py runs the real adm-kiosk)
  staff       a citizen's "call staff" (help panel) in the kiosk's stored health reaches
              the fleet page through the real adm-syncd's heartbeat, and goes with it
  publish     a signed bundle uploaded through the page's form is verified and stored;
              a replay, another region's bundle and a changed one are refused
  rejected    a bundle the real adm-syncd refuses (its bytes changed on the server): the
              fleet page's JSON names its version and publisher, its reason and time
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fleetlib import (Central, Browser, KIOSKS, OFFICES, check, fail, heartbeat, png,  # noqa
                      syncd_args)

CENTRAL, BUNDLE, SCENARIO, SYNCD = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
TOKENS = dict((k[0], k[2]) for k in KIOSKS)
PASSWORDS = dict((o[0], o[3]) for o in OFFICES)


def logged_in(c, oid):
    b = Browser(c.port)
    status, headers, _ = b.login(oid, PASSWORDS[oid])
    check(status == 303 and headers.get("location") == "/office/",
          "%s logs in and is sent to the fleet page" % oid)
    return b


def fleet_page(b):
    status, _, page = b.request("GET", "/office/")
    check(status == 200, "the fleet page is served")
    return page


def scenario_login(c):
    b = Browser(c.port)
    status, headers, _ = b.request("GET", "/office/")
    check(status == 303 and headers.get("location") == "/office/login",
          "without a session the fleet page sends to the login form")
    status, _, _ = b.request("GET", "/office/api/kiosks")
    check(status == 401, "without a session the JSON is refused (401)")
    status, headers, _ = b.request("GET", "/office")
    check(status == 303 and headers.get("location") == "/office/",
          "/office is sent to /office/ (the cookies' path)")
    status, headers, _ = b.login("bandung", PASSWORDS["bandung"])
    check(status == 303, "the right password logs in")
    cookie = [v for v in b.set_cookies if v.startswith("adm_session=")][-1]
    for attr in ("HttpOnly", "SameSite=Strict", "Path=/office/", "Max-Age="):
        check(attr in cookie, "the session cookie has %s" % attr)
    check("Secure" not in cookie, "no Secure without TLS (the cookie would never return)")
    token = b.cookies["adm_session"]
    check(len(token) == 64, "the session token is 32 random bytes in hex")
    db = sqlite3.connect(c.db)
    rows = db.execute("SELECT token_sha256 FROM office_sessions").fetchall()
    check(len(rows) == 1 and rows[0][0] != token and len(rows[0][0]) == 64,
          "the database keeps the session's hash, not the token")
    h = db.execute("SELECT pw_hash FROM offices WHERE id = 'bandung'").fetchone()[0]
    check(h.startswith("$argon2id$"), "the password is stored as an argon2id hash")
    db.close()
    for k, _, tok in KIOSKS:
        check(c.heartbeat(k, tok, heartbeat())[0] == 204, "kiosk %s sends a heartbeat" % k)
    page = fleet_page(b)
    check(b"BDG-01" in page and b"BDG-02" in page, "the fleet page lists Bandung's kiosks")
    check(b"version 3" in page, "it shows the bundle version each runs")
    status, _, data = b.request("GET", "/office/api/kiosks")
    import json
    m = json.loads(data)
    check(status == 200 and [k["id"] for k in m["kiosks"]] == ["BDG-01", "BDG-02"],
          "the JSON lists the same kiosks")
    k = m["kiosks"][0]
    check(k["content"]["version"] == 3 and k["reader"] == "ok" and not k["overdue"] and
          k["printers"][0]["supplies"]["sheets"]["level"] == 38 and
          20 <= k["cache_age_s"] <= 600,
          "the JSON has version, reader, overdue, supplies and cache age")
    status, _, data = b.request("GET", "/office/?format=json")
    check(status == 200 and json.loads(data)["kiosks"] == m["kiosks"],
          "?format=json is the same as /office/api/kiosks")
    # a kiosk that never sent a heartbeat is overdue
    db = sqlite3.connect(c.db)
    db.execute("UPDATE kiosks SET last_heartbeat = ? WHERE id = 'BDG-02'",
               (int(time.time()) - 3 * 300 - 60,))
    db.commit()
    db.close()
    m = json.loads(b.request("GET", "/office/api/kiosks")[2])
    check(m["kiosks"][1]["overdue"] and not m["kiosks"][0]["overdue"],
          "a kiosk past 3 heartbeat intervals is overdue, the other not")
    check(b"OVERDUE" in fleet_page(b), "the page says OVERDUE")
    status, _, page = b.request("GET", "/office/")
    status, headers, _ = b.request("POST", "/office/logout", {"csrf": b.csrf(page)})
    check(status == 303 and "adm_session" not in b.cookies, "logout clears the cookie")
    b.cookies["adm_session"] = token
    status, _, _ = b.request("GET", "/office/api/kiosks")
    check(status == 401, "the logged-out session's token no longer works")


def scenario_lockout(c):
    for oid in ("bandung", "nobody-here"):
        b = Browser(c.port)
        answers = []
        for i in range(5):
            status, _, page = b.login(oid, "wrong-password-%d" % i)
            answers.append((status, b"Wrong account or password" in page))
        check(answers == [(401, True)] * 5,
              "%s: 5 wrong passwords each get 401 'wrong account or password'" % oid)
        status, headers, page = b.login(oid, PASSWORDS.get(oid, "whatever-password"))
        check(status == 429 and b"locked" in page and "adm_session" not in b.cookies,
              "%s: then locked: even the right password is refused" % oid)
    # another account is not locked by these
    logged_in(c, "bogor")
    time.sleep(4)  # --office-lockout 3
    logged_in(c, "bandung")
    b = Browser(c.port)
    status, _, _ = b.login("bandung", "wrong-again")
    check(status == 401, "after the lock the count starts again (one wrong try is 401)")


def scenario_csrf(c):
    b = logged_in(c, "bandung")
    page = fleet_page(b)
    good = b.csrf(page)
    db = sqlite3.connect(c.db)
    for fields in ({}, {"csrf": ""}, {"csrf": "0" * 64}, {"csrf": good[:-1] + "x"}):
        status, _, _ = b.request("POST", "/office/kiosks/BDG-01/screenshot", fields)
        check(status == 403, "a screenshot request with csrf=%r is refused" %
              fields.get("csrf", None))
    check(db.execute("SELECT count(*) FROM screenshot_requests").fetchone()[0] == 0,
          "no request was recorded")
    status, _, _ = b.request("POST", "/office/logout", {"csrf": "1" * 64})
    check(status == 403 and fleet_page(b), "logout without the token is refused")
    body = b"--XX\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"a\"\r\n\r\n" \
        b"xyz\r\n--XX--\r\n"
    status, _, _ = b.request("POST", "/office/publish", body=body,
                             ctype="multipart/form-data; boundary=XX")
    check(status == 403, "an upload without the token is refused")
    # another session's token is no good either
    other = logged_in(c, "bogor")
    status, _, _ = b.request("POST", "/office/kiosks/BDG-01/screenshot",
                             {"csrf": other.csrf(fleet_page(other))})
    check(status == 403, "the token of another session is refused")
    status, _, _ = b.request("POST", "/office/kiosks/BDG-01/screenshot", {"csrf": good})
    check(status == 303, "with the session's token the request is taken")
    check(db.execute("SELECT count(*) FROM screenshot_requests").fetchone()[0] == 1,
          "and recorded")
    # the login form: its token must match its cookie
    fresh = Browser(c.port)
    _, _, form = fresh.request("GET", "/office/login")
    token = fresh.csrf(form)
    fresh.cookies["adm_login"] = "2" * 64
    status, _, _ = fresh.request("POST", "/office/login", {"csrf": token, "id": "bandung",
                                                           "password": PASSWORDS["bandung"]})
    check(status == 403 and "adm_session" not in fresh.cookies,
          "a login whose form token is not its cookie's is refused")
    status, _, _ = b.request("GET", "/office/kiosks/BDG-01/screenshot")
    check(status == 404, "GET on a POST-only route changes nothing (404)")


def scenario_regions(c):
    import json
    for k, _, tok in KIOSKS:
        c.heartbeat(k, tok, heartbeat())
    b = logged_in(c, "bogor")
    page = fleet_page(b)
    check(b"BGR-01" in page and b"BDG-0" not in page, "Bogor's page shows only BGR-01")
    m = json.loads(b.request("GET", "/office/api/kiosks")[2])
    check([k["id"] for k in m["kiosks"]] == ["BGR-01"], "Bogor's JSON lists only BGR-01")
    status, _, data = b.request("GET", "/office/api/kiosks/BDG-01")
    status2, _, data2 = b.request("GET", "/office/api/kiosks/NO-SUCH")
    check(status == 404 and status2 == 404 and data == data2,
          "another region's kiosk in JSON: 404, the same as one that does not exist")
    status, _, _ = b.request("GET", "/office/api/kiosks/BGR-01")
    check(status == 200, "its own kiosk in JSON: 200")
    # one region, whichever way it was written: "3273" (BDG-01) and "32.73" (BDG-02)
    db = sqlite3.connect(c.db)
    regions = dict(db.execute("SELECT id, region FROM kiosks"))
    offices = dict(db.execute("SELECT id, region FROM offices"))
    check(regions == {"BDG-01": "32.73", "BDG-02": "32.73", "BGR-01": "32.01"} and
          offices == {"bandung": "32.73", "bogor": "32.01"},
          "regions kept as codes: %s %s" % (regions, offices))
    m = json.loads(logged_in(c, "bandung").request("GET", "/office/api/kiosks")[2])
    check([(k["id"], k["region"]) for k in m["kiosks"]] ==
          [("BDG-01", "32.73"), ("BDG-02", "32.73")], "Bandung sees both its kiosks")

    def feed(kiosk):
        status, data = c.kiosk_request("GET", "/v1/kiosks/%s/changes?limit=1000" % kiosk,
                                       TOKENS[kiosk])
        niks = {ch.get("nik") for ch in json.loads(data)["changes"] if ch.get("nik")}
        return status, niks
    (s1, f1), (s2, f2) = feed("BDG-01"), feed("BDG-02")
    check(s1 == 200 and s2 == 200 and f1 == f2 and f1 and
          all(n.startswith("3273") for n in f1),
          "the feed of a kiosk of 3273 and of 32.73: the same %d citizens of 3273" % len(f1))
    csrf = b.csrf(page)
    status, _, _ = b.request("POST", "/office/kiosks/BDG-01/screenshot", {"csrf": csrf})
    check(status == 404, "asking Bandung's kiosk for a screenshot: 404")
    db = sqlite3.connect(c.db)
    check(db.execute("SELECT count(*) FROM screenshot_requests").fetchone()[0] == 0,
          "and nothing was recorded")
    # Bandung's kiosk has a screenshot: Bogor cannot fetch it
    bandung = logged_in(c, "bandung")
    bandung.request("POST", "/office/kiosks/BDG-01/screenshot",
                    {"csrf": bandung.csrf(fleet_page(bandung))})
    status, _ = c.kiosk_request("POST", "/v1/kiosks/BDG-01/screenshot", TOKENS["BDG-01"],
                                png(64, 32), "image/png")
    check(status == 204, "BDG-01 sends its screenshot")
    status, _, _ = b.request("GET", "/office/kiosks/BDG-01/screenshot.png")
    check(status == 404, "Bogor cannot fetch BDG-01's screenshot (404)")
    status, _, _ = bandung.request("GET", "/office/kiosks/BDG-01/screenshot.png")
    check(status == 200, "Bandung can")
    # a kiosk of region '*' belongs to no office
    with open(c.kiosks, "a") as f:
        f.write("ALL-01 * tok-all\n")
    c.stop()
    c.start()
    for who in ("bandung", "bogor"):
        m = json.loads(logged_in(c, who).request("GET", "/office/api/kiosks")[2])
        check("ALL-01" not in [k["id"] for k in m["kiosks"]],
              "%s does not see a kiosk of region '*'" % who)


def scenario_xss(c):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    hb = heartbeat(printer_queue=evil, fault="jam'\"><b>",
                   rejected={"version": 9, "reason": "<script>bad()</script>"})
    check(c.heartbeat("BDG-01", TOKENS["BDG-01"], hb)[0] == 204,
          "a heartbeat with markup in a printer's name, fault and a refusal's reason")
    b = logged_in(c, "bandung")
    page = fleet_page(b)
    check(b"<script" not in page and b"<img src=x" not in page,
          "no markup of the kiosk's reaches the page")
    check(b"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page,
          "the printer's name is shown escaped")
    check(b"jam&#39;&quot;&gt;&lt;b&gt;" in page, "the fault is shown escaped")
    check(b"&lt;script&gt;bad()&lt;/script&gt;" in page, "the refusal's reason too")
    _, headers, _ = b.request("GET", "/office/")
    check("script-src" not in headers["content-security-policy"] and
          "default-src 'none'" in headers["content-security-policy"],
          "and the page's CSP allows no script at all")
    import json
    m = json.loads(b.request("GET", "/office/api/kiosks")[2])
    check(m["kiosks"][0]["printers"][0]["queue"] == evil, "the JSON has the value as sent")


def scenario_screenshot(c):
    import json
    b = logged_in(c, "bandung")
    status, _ = c.kiosk_request("POST", "/v1/kiosks/BDG-01/screenshot", TOKENS["BDG-01"],
                                png(32, 32), "image/png")
    check(status == 409, "a screenshot nobody asked for is refused (409)")
    status, data = c.heartbeat("BDG-01", TOKENS["BDG-01"], heartbeat())
    check(status == 204 and data == b"", "with nothing asked the heartbeat's answer is 204")
    status, _, _ = b.request("POST", "/office/kiosks/BDG-01/screenshot",
                             {"csrf": b.csrf(fleet_page(b))})
    check(status == 303, "the office asks BDG-01 for a screenshot")
    check(b"waiting for the kiosk" in fleet_page(b), "the page says it waits for the kiosk")
    status, data = c.heartbeat("BDG-01", TOKENS["BDG-01"], heartbeat())
    ans = json.loads(data)
    check(status == 200 and ans["screenshot"]["requested"] > 0,
          "the heartbeat's answer carries the request")
    status, data = c.heartbeat("BDG-02", TOKENS["BDG-02"], heartbeat())
    check(status == 204, "another kiosk's answer does not")
    status, _ = c.kiosk_request("POST", "/v1/kiosks/BDG-01/screenshot", "wrong-token",
                                png(32, 32), "image/png")
    check(status == 401, "an upload without the kiosk's token: 401")
    good = png(320, 180)
    bad = {
        "not a PNG": b"GIF89a" + good[6:],
        "cut short": good[:-20],
        "trailing bytes": good + b"junk",
        "IHDR CRC wrong": good[:29] + bytes([good[29] ^ 1]) + good[30:],
        "30000x30000 declared": png(1, 1)[:16] + (30000).to_bytes(4, "big") * 2 + png(1, 1)[24:],
    }
    for why, data in bad.items():
        status, body = c.kiosk_request("POST", "/v1/kiosks/BDG-01/screenshot",
                                       TOKENS["BDG-01"], data, "image/png")
        check(status == 400 and b"bad_png" in body, "a PNG %s is refused (400)" % why)
    # 3 MiB announced, nothing sent: the answer must come from the headers alone
    import socket
    s = socket.create_connection(("127.0.0.1", c.port), timeout=60)
    s.sendall(b"POST /v1/kiosks/BDG-01/screenshot HTTP/1.1\r\nHost: x\r\nAuthorization: "
              b"Bearer " + TOKENS["BDG-01"].encode() + b"\r\nContent-Type: image/png\r\n"
              b"Content-Length: 3145728\r\n\r\n")
    answer = s.recv(4096)
    s.close()
    check(answer.startswith(b"HTTP/1.1 413"),
          "a 3 MiB upload is refused before it is read (413)")
    status, _ = c.kiosk_request("POST", "/v1/kiosks/BDG-01/screenshot", TOKENS["BDG-01"],
                                good, "image/png")
    check(status == 204, "the kiosk sends its screenshot")
    status, data = c.heartbeat("BDG-01", TOKENS["BDG-01"], heartbeat())
    check(status == 204, "the request is done: the next answer is 204 again")
    status, headers, data = b.request("GET", "/office/kiosks/BDG-01/screenshot.png")
    check(status == 200 and data == good and headers["content-type"] == "image/png",
          "the office gets exactly the PNG the kiosk sent")
    m = json.loads(b.request("GET", "/office/api/kiosks/BDG-01")[2])
    check(m["screenshot"]["width"] == 320 and m["screenshot"]["height"] == 180 and
          m["screenshot"]["requested"] is None, "the JSON says 320x180, nothing pending")
    check(b'src="/office/kiosks/BDG-01/screenshot.png' in fleet_page(b),
          "the page shows it")


def scenario_syncd(c, tmp):
    b = logged_in(c, "bandung")
    shot = os.path.join(tmp, "kiosk", "cache.db.screen.png")
    marker = shot + ".request"
    _, args = syncd_args(SYNCD, tmp, c.port, "BDG-01", TOKENS["BDG-01"], shot)

    def syncd(what):
        r = subprocess.run(args, capture_output=True, text=True, timeout=120)
        check(r.returncode == 0, "adm-syncd --once: " + what)
        return r.stderr

    syncd("nothing asked")
    check(not os.path.exists(marker), "nothing asked: no marker")
    b.request("POST", "/office/kiosks/BDG-01/screenshot", {"csrf": b.csrf(fleet_page(b))})
    syncd("asked")
    check(os.path.exists(marker) and not os.path.exists(shot),
          "asked: adm-syncd leaves the request marker for adm-kiosk")
    syncd("asked again, the kiosk has not written it")
    check(os.path.exists(marker), "the marker stays until adm-kiosk has written the PNG")
    # adm-kiosk's part, played by the test: write the picture by rename, drop the marker
    picture = png(200, 100, (10, 120, 200))
    with open(shot + ".tmp", "wb") as f:
        f.write(picture)
    os.rename(shot + ".tmp", shot)
    os.unlink(marker)
    log = syncd("the PNG is there")
    check("screenshot: sent" in log and not os.path.exists(shot),
          "adm-syncd sent the PNG and removed it")
    status, _, data = b.request("GET", "/office/kiosks/BDG-01/screenshot.png")
    check(status == 200 and data == picture, "the office gets the kiosk's PNG")
    syncd("done")
    check(not os.path.exists(marker), "nothing asked any more: no new marker")


def scenario_staff(c, tmp):
    import json
    b = logged_in(c, "bandung")
    kdir, args = syncd_args(SYNCD, tmp, c.port, "BDG-01", TOKENS["BDG-01"],
                            os.path.join(tmp, "kiosk", "shot.png"))

    def heartbeat_with(health, what):
        # adm-kiosk's part, played by the test: the health it stores for adm-syncd
        db = sqlite3.connect(os.path.join(kdir, "cache.db"), timeout=10)
        db.execute("INSERT OR REPLACE INTO sync_state(key, value) VALUES ('health', ?)",
                   (json.dumps(health),))
        db.commit()
        db.close()
        r = subprocess.run(args, capture_output=True, text=True, timeout=120)
        check(r.returncode == 0, "adm-syncd --once: " + what)
        return json.loads(b.request("GET", "/office/api/kiosks")[2])["kiosks"][0], \
            fleet_page(b)

    r = subprocess.run(args, capture_output=True, text=True, timeout=120)
    check(r.returncode == 0, "adm-syncd --once makes the kiosk's cache")
    called = int(time.time()) - 42
    health = {"reader": "ok", "scanner": "none", "service_faults": [], "printers": [],
              "updated": called + 1, "staff_called": called}
    k, page = heartbeat_with(health, "a call in the health")
    check(k["id"] == "BDG-01" and k["staff_called"] == called,
          "the fleet JSON has the call's time from the heartbeat")
    check(b"STAFF CALLED" in page and b"staff-called" in page, "the page says STAFF CALLED")
    del health["staff_called"]
    k, page = heartbeat_with(health, "the call over")
    check("staff_called" not in k and b"STAFF CALLED" not in page,
          "the next heartbeat without it clears it")


def bundle(tmp, name, version, region="32.73", key="office.key"):
    d = os.path.join(tmp, name)
    run(BUNDLE, "init", d)
    import json
    path = os.path.join(d, "bundle.json")
    with open(path) as f:
        m = json.load(f)
    m["version"] = version
    m["scope"] = {"regions": [region], "kiosks": []}
    with open(path, "w") as f:
        json.dump(m, f)
    out = os.path.join(tmp, name + ".admb")
    run(BUNDLE, "build", d, "-o", out)
    run(BUNDLE, "sign", out, "--key", os.path.join(tmp, key))
    return out


def run(*args):
    r = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        fail("%s: %s" % (" ".join(args), r.stderr))


def keyring(tmp):
    """A keyring signed 2-of-3 with Bandung's publisher, as the root holders make it."""
    for k in ("root-a", "root-b", "root-c", "office", "office2"):
        run(BUNDLE, "keygen", os.path.join(tmp, k))
    kr = os.path.join(tmp, "kr1")
    run(BUNDLE, "keyring", "init", kr, *sum((["--root", os.path.join(tmp, r + ".pub")]
                                              for r in ("root-a", "root-b", "root-c")), []),
        "--threshold", "2")
    run(BUNDLE, "keyring", "add", kr, "--publisher", "dukcapil-3273", "--name",
        "Disdukcapil Kota Bandung", "--key", os.path.join(tmp, "office.pub"),
        "--region", "32")
    for r in ("root-a", "root-b"):
        run(BUNDLE, "keyring", "sign", kr, "--key", os.path.join(tmp, r + ".key"))
    return kr


def upload(b, path):
    with open(path, "rb") as f:
        data = f.read()
    csrf = b.csrf(fleet_page(b)).encode()
    body = (b"--BOUNDARYxyz\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf +
            b"\r\n--BOUNDARYxyz\r\nContent-Disposition: form-data; name=\"bundle\"; "
            b"filename=\"b.admb\"\r\nContent-Type: application/octet-stream\r\n\r\n" + data +
            b"\r\n--BOUNDARYxyz--\r\n")
    return b.request("POST", "/office/publish", body=body,
                     ctype="multipart/form-data; boundary=BOUNDARYxyz")


def scenario_publish(c, tmp):
    b = logged_in(c, "bandung")
    v1 = bundle(tmp, "v1", 1)
    status, _, page = upload(b, v1)
    check(status == 200 and b"Published version 1." in page, "version 1 is published")
    db = sqlite3.connect(c.db)
    # the table kiosks are offered bundles from (GET /v1/kiosks/{id}/content)
    row = db.execute("SELECT publisher, version, office, length(data) FROM "
                     "bundles").fetchall()
    check(row == [("dukcapil-3273", 1, "bandung", os.path.getsize(v1))],
          "stored with its publisher, version and office, where kiosks are served from")
    status, _, page = upload(b, v1)
    check(status == 422 and b"refused" in page, "the same version again is refused")
    other = bundle(tmp, "other", 2, region="32.01")
    status, _, page = upload(b, other)
    check(status == 422 and b"not this office" in page,
          "a bundle for Bogor's region uploaded by Bandung is refused")
    v2 = bundle(tmp, "v2", 2)
    with open(v2, "r+b") as f:
        f.seek(-40, 2)
        byte = f.read(1)
        f.seek(-40, 2)
        f.write(bytes([byte[0] ^ 1]))
    status, _, page = upload(b, v2)
    check(status == 422 and b"refused" in page, "a changed bundle is refused")
    stranger = bundle(tmp, "stranger", 3, key="office2.key")
    status, _, page = upload(b, stranger)
    check(status == 422 and b"wrong key" in page, "a bundle by a key not in the keyring too")
    check(db.execute("SELECT count(*) FROM bundles").fetchone()[0] == 1,
          "only version 1 was stored")


def scenario_rejected(c, tmp):
    b = logged_in(c, "bandung")
    v1 = bundle(tmp, "v1", 1)
    status, _, _ = upload(b, v1)
    check(status == 200, "version 1 is published from the page")
    # the stored bytes changed (their hash kept): adm-syncd refuses what it downloads
    db = sqlite3.connect(c.db)
    data = bytearray(db.execute("SELECT data FROM bundles").fetchone()[0])
    data[-1] ^= 0x55
    db.execute("UPDATE bundles SET data = ?", (bytes(data),))
    db.commit()
    db.close()
    _, args = syncd_args(SYNCD, tmp, c.port, "BDG-01", TOKENS["BDG-01"],
                         os.path.join(tmp, "screen.png"))
    r = subprocess.run(args + ["--content", os.path.join(tmp, "store"), "--region", "32.73"],
                       capture_output=True, text=True, timeout=120)
    check(r.returncode == 0 and "refused" in r.stderr,
          "adm-syncd refused the bundle: %s" % r.stderr[-300:])
    status, _, body = b.request("GET", "/office/api/kiosks/BDG-01")
    import json
    rej = (json.loads(body).get("content") or {}).get("rejected") or {}
    check(status == 200 and rej.get("version") == 1 and rej.get("publisher") == "dukcapil-3273"
          and "SHA-256" in rej.get("reason", "") and rej.get("at", 0) > 0,
          "the fleet JSON names the refused bundle's version and publisher: %s" % rej)
    page = fleet_page(b)
    check(b"refused version 1 of dukcapil-3273:</span> the bytes downloaded" in page,
          "and the page shows them")


def main():
    tmp = tempfile.mkdtemp(prefix="adm-fleet-")
    c = None
    try:
        extra = ["--office-lockout", "3"]
        if SCENARIO in ("publish", "rejected"):
            extra += ["--content-keyring", keyring(tmp)]
        c = Central(CENTRAL, tmp, extra)
        if SCENARIO in ("publish", "syncd", "rejected", "staff"):
            globals()["scenario_" + SCENARIO](c, tmp)
        else:
            globals()["scenario_" + SCENARIO](c)
        log = c.read_log()
        for *_, pw in OFFICES:
            check(pw not in log, "the log holds no password")
        rc = c.stop()
        check(rc == 0, "adm-central exited cleanly (%r)" % rc)
        print("PASS", SCENARIO)
    finally:
        if c:
            c.stop()
        shutil.rmtree(tmp, ignore_errors=True)


main()
