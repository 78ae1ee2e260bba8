#!/usr/bin/env python3
"""Drives whole visits through a running adm-kiosk and samples its memory
(tools/bench/bench-visits.sh starts the kiosk and its world, then runs this).

Each visit: the citizen's card tapped on the virtual reader, the account PIN typed on the
X keyboard (xdotool), the document's print QR on the virtual scanner, the print through
CUPS to its end, the card lifted and Escape back to attract. Every --refill visits a
technician comes, as on a kiosk in use: their card, their PIN, A4 paper and card blanks
refilled (500 sheets and 100 cards last a few hundred visits). Every step waits for the
kiosk's own log line of the state it leads to, so a visit that went wrong stops the run.
Memory is read from /proc/PID/smaps_rollup before the first visit and every --every
visits, on the attract screen.
"""
import argparse
import os
import subprocess
import sys
import time


class Log:
    """The kiosk's log, read on from where the last wait stopped."""

    def __init__(self, path):
        self.f = open(path, "r", errors="replace")
        self.f.seek(0, os.SEEK_END)
        self.buf = ""

    def wait(self, pattern, timeout):
        end = time.monotonic() + timeout
        while True:
            self.buf += self.f.read()
            i = self.buf.find(pattern)
            if i >= 0:
                self.buf = self.buf[i + len(pattern):]
                return True
            self.buf = self.buf[-4096:]
            if time.monotonic() > end:
                return False
            time.sleep(0.02)


def memory(pid):
    m = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
                m[parts[0][:-1]] = int(parts[1]) / 1024.0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmHWM", "Threads"):
                m[k] = int(v.split()[0]) / (1024.0 if k == "VmHWM" else 1)
    m["fds"] = len(os.listdir(f"/proc/{pid}/fd"))
    return m


def slope(xs, ys):
    """Least squares, per 100 visits."""
    n = len(xs)
    if n < 2:
        return 0.0
    mx, my = sum(xs) / n, sum(ys) / n
    den = sum((x - mx) ** 2 for x in xs)
    return 100 * sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else 0.0


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--reader", required=True, help="adm-vpn532ctl and its socket")
    ap.add_argument("--scanner", required=True, help="the virtual scanner's input fifo")
    ap.add_argument("--visits", required=True, help="lines: NIK PIN DOCUMENT PRINT_PIN")
    ap.add_argument("--every", type=int, default=100)
    ap.add_argument("--tech", required=True, help="the technician card's NIK (PIN 424242)")
    ap.add_argument("--refill", type=int, default=50)
    a = ap.parse_args()
    reader = a.reader.split()
    scanner = open(a.scanner, "w")
    log = Log(a.log)
    with open(a.visits) as f:
        visits = [line.split() for line in f if line.strip()]

    def run(*cmd):
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    def step(pattern, timeout, what, i):
        if not log.wait(pattern, timeout):
            sys.exit(f"visit {i + 1}: {what} (no '{pattern}' in the kiosk's log)")

    samples = []
    t_start = time.monotonic()
    durations = []

    def sample(done):
        time.sleep(0.5)  # the attract frame drawn, the session wiped
        m = memory(a.pid)
        samples.append((done, m))
        print(f"  after {done:5d} visits: RSS {m['Rss']:6.1f} MiB  PSS {m['Pss']:6.1f} MiB  "
              f"anonymous {m.get('Anonymous', 0):6.1f} MiB  peak RSS {m['VmHWM']:6.1f} MiB  "
              f"threads {m['Threads']:.0f}  fds {m['fds']}  "
              f"({time.monotonic() - t_start:6.0f} s, load average {load()})", flush=True)

    def refill(i):
        run(*reader, "tap", a.tech)
        step("attract -> technician-pin", 15, "the technician card was not recognised", i)
        run("xdotool", "type", "--delay", "20", "424242")
        run("xdotool", "key", "Return")
        step("technician-pin -> technician", 15, "the technician PIN was refused", i)
        run("xdotool", "key", "1")
        step("A4 paper refilled", 5, "no A4 refill", i)
        run("xdotool", "key", "2")
        step("card blanks and ribbon refilled", 5, "no card refill", i)
        run(*reader, "remove")
        run("xdotool", "key", "Escape")
        step("technician -> attract", 15, "technician mode did not end", i)

    print(f"{len(visits)} visits; memory on the attract screen every {a.every}; a "
          f"technician refills every {a.refill}", flush=True)
    sample(0)
    for i, (nik, pin, doc, docpin) in enumerate(visits):
        t0 = time.monotonic()
        run(*reader, "tap", nik)
        step("reading -> verify", 15, "the card did not lead to the PIN", i)
        run("xdotool", "type", "--delay", "20", pin)
        run("xdotool", "key", "Return")
        step("verify -> documents", 15, "the PIN did not open the documents", i)
        scanner.write(f"scan ADM1:D:{doc}:{docpin}\n")
        scanner.flush()
        step("authorise -> printing", 15, "the print QR did not start the print", i)
        step("printing -> done", 60, "the print did not complete", i)
        run(*reader, "remove")
        run("xdotool", "key", "Escape")
        step("-> attract", 15, "the visit did not end", i)
        step("session data wiped", 5, "the session was not wiped", i)
        durations.append(time.monotonic() - t0)
        if (i + 1) % a.refill == 0:
            refill(i)
        if (i + 1) % a.every == 0 or i + 1 == len(visits):
            sample(i + 1)

    durations.sort()
    print(f"visit time: median {durations[len(durations) // 2]:.2f} s, "
          f"max {durations[-1]:.2f} s")
    for key in ("Rss", "Pss", "Anonymous"):
        first, last = samples[0][1].get(key, 0), samples[-1][1].get(key, 0)
        xs = [d for d, _ in samples[1:]]
        ys = [m.get(key, 0) for _, m in samples[1:]]
        print(f"{key}: before the first visit {first:.1f} MiB, after the last {last:.1f} MiB "
              f"({last - first:+.1f}); from visit {xs[0] if xs else 0} on the slope is "
              f"{slope(xs, ys):+.3f} MiB per 100 visits")


if __name__ == "__main__":
    main()
