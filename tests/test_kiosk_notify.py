#!/usr/bin/env python3
"""adm-kiosk and systemd's notify socket (kiosk/notify.c), with a socket of our own in
place of systemd's: READY=1 after the first frame, WATCHDOG=1 at half of WATCHDOG_USEC
from the UI loop, none while the process is stopped (SIGSTOP: a hung UI thread), pings
again after SIGCONT, STOPPING=1 on SIGTERM. A WATCHDOG_PID naming the kiosk's parent (the
compositor in a cage session; here this script) is the kiosk's watchdog too; one naming
another process is not, and without WATCHDOG_USEC there is no ping at all.

    test_kiosk_notify.py ADM_KIOSK SOURCE_ROOT
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

KIOSK, SRC = sys.argv[1], sys.argv[2]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def messages(sock, seconds):
    """Every message on the socket during the next `seconds`."""
    out, end = [], time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            out.append(sock.recv(4096).decode())
        except socket.timeout:
            break
    return out


def wait_for(sock, what, seconds):
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            if what in sock.recv(4096).decode().split("\n"):
                return True
        except socket.timeout:
            break
    return False


def run(tmp, env_extra):
    """Starts the kiosk with its notify socket; returns (process, socket)."""
    path = os.path.join(tmp, "notify-%d.sock" % len(os.listdir(tmp)))
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", NOTIFY_SOCKET=path)
    for k in ("WATCHDOG_USEC", "WATCHDOG_PID"):
        env.pop(k, None)
    env.update(env_extra)
    log = open(os.path.join(tmp, "kiosk.log"), "a")
    proc = subprocess.Popen([KIOSK, "--config", os.path.join(tmp, "kiosk.conf")],
                            env=env, stderr=log)
    procs.append(proc)
    return proc, sock


def stop(proc):
    proc.send_signal(signal.SIGCONT)
    proc.terminate()
    try:
        return proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        fail("the kiosk did not stop within 10 s of SIGTERM")


procs = []
try:
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "kiosk.conf"), "w") as f:
            f.write("[kiosk]\nid = K1\n[display]\nwindow = 1024x768\nassets = %s/ui-assets\n"
                    "[content]\nstore =\n" % SRC)

        # 1. Watchdog of 1 s: READY=1, then a ping every 0.5 s.
        proc, sock = run(tmp, {"WATCHDOG_USEC": "1000000"})
        if not wait_for(sock, "READY=1", 15):
            fail("no READY=1 within 15 s")
        pings = messages(sock, 2.2).count("WATCHDOG=1")
        if not 3 <= pings <= 6:
            fail("%d WATCHDOG=1 in 2.2 s with WATCHDOG_USEC=1000000 (expected about 4)" % pings)

        # 2. A stopped kiosk (as a hung UI thread) stops pinging; it pings again after.
        proc.send_signal(signal.SIGSTOP)
        time.sleep(0.2)
        messages(sock, 0.1)  # what was sent before the stop
        pings = messages(sock, 2.0).count("WATCHDOG=1")
        if pings:
            fail("%d WATCHDOG=1 from a stopped kiosk" % pings)
        proc.send_signal(signal.SIGCONT)
        if not wait_for(sock, "WATCHDOG=1", 2):
            fail("no WATCHDOG=1 within 2 s of SIGCONT")

        # 3. SIGTERM: STOPPING=1 and a clean exit.
        proc.terminate()
        if not wait_for(sock, "STOPPING=1", 10):
            fail("no STOPPING=1 after SIGTERM")
        if proc.wait(10) != 0:
            fail("exit status %d after SIGTERM" % proc.returncode)
        sock.close()

        # 4. WATCHDOG_PID naming the parent (the compositor in a cage session): pings.
        proc, sock = run(tmp, {"WATCHDOG_USEC": "1000000", "WATCHDOG_PID": str(os.getpid())})
        if not wait_for(sock, "READY=1", 15) or not wait_for(sock, "WATCHDOG=1", 2):
            fail("no ping with WATCHDOG_PID naming the kiosk's parent")
        stop(proc)
        sock.close()

        # 5. WATCHDOG_PID naming another process, or no WATCHDOG_USEC: READY=1, no ping.
        for extra in ({"WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "1"}, {}):
            proc, sock = run(tmp, extra)
            if not wait_for(sock, "READY=1", 15):
                fail("no READY=1 with %s" % extra)
            if "WATCHDOG=1" in messages(sock, 1.5):
                fail("a ping with %s" % (extra or "no watchdog"))
            stop(proc)
            sock.close()
        with open(os.path.join(tmp, "kiosk.log")) as f:
            log = f.read()
        if log.count("systemd watchdog: a ping every 500 ms") != 2:
            fail("the kiosk did not log its watchdog period twice:\n" + log)
    print("ok: READY=1, WATCHDOG=1 every 0.5 s, none while stopped, STOPPING=1")
finally:
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait()
