#!/usr/bin/env python3
"""A screenshot from end to end with every real part (issue 12, item 6): an office asks on
adm-central, adm-syncd learns it from its heartbeat's answer and leaves the marker,
adm-kiosk (offscreen SDL driver) writes its screen, adm-syncd sends it, the office gets a
PNG of the kiosk's window size.

    test_kiosk_screenshot.py ADM_CENTRAL ADM_SYNCD ADM_KIOSK SRC_ROOT

Every process started here is stopped in a finally block.
"""
import os
import select
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fleetlib import Central, Browser, KIOSKS, OFFICES, check, syncd_args, wait_for  # noqa

CENTRAL, SYNCD, KIOSK, SRC = sys.argv[1:5]


def main():
    tmp = tempfile.mkdtemp(prefix="adm-fleet-kiosk-")
    c = kiosk = None
    try:
        c = Central(CENTRAL, tmp)
        b = Browser(c.port)
        status, _, _ = b.login(OFFICES[0][0], OFFICES[0][3])
        check(status == 303, "the office logs in")
        shot = os.path.join(tmp, "kiosk", "cache.db.screen.png")
        kdir, syncd = syncd_args(SYNCD, tmp, c.port, KIOSKS[0][0], KIOSKS[0][2], shot)
        conf = os.path.join(kdir, "kiosk.conf")
        with open(conf, "w") as f:
            f.write("[kiosk]\nid = %s\n[display]\nwindow = 1366x768\nassets = %s\n" %
                    (KIOSKS[0][0], os.path.join(SRC, "ui-assets")))
        r, w = os.pipe()
        env = dict(os.environ, SDL_VIDEODRIVER="offscreen")
        kiosk = subprocess.Popen([KIOSK, "--config", conf, "--ready-fd", str(w),
                                  "--office-screenshot", shot], pass_fds=[w], env=env,
                                 stdout=subprocess.DEVNULL,
                                 stderr=open(os.path.join(tmp, "kiosk.log"), "w"))
        os.close(w)
        ready, _, _ = select.select([r], [], [], 60)
        check(ready and os.read(r, 64).startswith(b"ready"), "adm-kiosk drew its first frame")
        os.close(r)
        _, _, page = b.request("GET", "/office/")
        status, _, _ = b.request("POST", "/office/kiosks/%s/screenshot" % KIOSKS[0][0],
                                 {"csrf": b.csrf(page)})
        check(status == 303, "the office asks for a screenshot")
        res = subprocess.run(syncd, capture_output=True, text=True, timeout=120)
        check(res.returncode == 0, "adm-syncd's pass learns it from the heartbeat's answer")
        wait_for(lambda: os.path.exists(shot) and not os.path.exists(shot + ".request"),
                 "adm-kiosk to write its screen and drop the marker")
        check(True, "adm-kiosk wrote its screen and dropped the marker")
        res = subprocess.run(syncd, capture_output=True, text=True, timeout=120)
        check(res.returncode == 0 and "screenshot: sent" in res.stderr,
              "adm-syncd's next pass sends it")
        status, headers, data = b.request("GET", "/office/kiosks/%s/screenshot.png" %
                                          KIOSKS[0][0])
        check(status == 200 and data[:8] == b"\x89PNG\r\n\x1a\n",
              "the office gets a PNG (%d bytes)" % len(data))
        wh = struct.unpack(">II", data[16:24])
        check(wh == (1366, 768), "of the kiosk's window: %dx%d" % wh)
        kiosk.terminate()
        check(kiosk.wait(timeout=30) == 0, "adm-kiosk stops cleanly")
        kiosk = None
        rc = c.stop()
        check(rc == 0, "adm-central exited cleanly (%r)" % rc)
        print("PASS kiosk-screenshot")
    finally:
        if kiosk:
            kiosk.kill()
            kiosk.wait()
        if c:
            c.stop()
        shutil.rmtree(tmp, ignore_errors=True)


main()
