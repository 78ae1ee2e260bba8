#!/usr/bin/env python3
"""Counts strings in a running process's memory (every readable mapping, through
/proc/PID/mem over /proc/PID/maps; needs root or ptrace rights over the process).

    memgrep.py PID STRING...

Prints one line per string: its count, then where it was found (the mapping's name or
"anon"). Mappings over 64 GiB (AddressSanitizer's shadow) are left out. Exits 2 if the memory could not be read (too little of it was readable): a test
that cannot look must fail, not pass with nothing found."""
import sys

CHUNK = 16 << 20
# AddressSanitizer's shadow is terabytes of readable address space and holds no data;
# nothing of the kiosk's own (heap, stacks, libraries) comes near this.
MAX_REGION = 64 << 30


def regions(pid):
    with open(f"/proc/{pid}/maps") as f:
        for line in f:
            parts = line.split(maxsplit=5)
            lo, hi = (int(x, 16) for x in parts[0].split("-"))
            if "r" not in parts[1] or (len(parts) > 5 and parts[5].strip() == "[vvar]"):
                continue
            if hi - lo > MAX_REGION:
                continue
            yield lo, hi, parts[5].strip() if len(parts) > 5 else "anon"


def main():
    pid = int(sys.argv[1])
    needles = [s.encode() for s in sys.argv[2:]]
    found = {n: [] for n in needles}
    total = 0
    overlap = max(len(n) for n in needles) - 1
    with open(f"/proc/{pid}/mem", "rb", buffering=0) as mem:
        for lo, hi, name in regions(pid):
            tail = b""
            at = lo
            while at < hi:
                try:
                    mem.seek(at)
                    data = mem.read(min(CHUNK, hi - at))
                except OSError:
                    break
                if not data:
                    break
                total += len(data)
                buf = tail + data
                for n in needles:
                    i = buf.find(n)
                    while i >= 0:
                        if i + len(n) > len(tail):  # not already counted in the tail
                            found[n].append(name)
                        i = buf.find(n, i + 1)
                tail = buf[-overlap:] if overlap > 0 else b""
                at += len(data)
    if total < (1 << 20):
        print(f"only {total} bytes of process {pid} were readable", file=sys.stderr)
        sys.exit(2)
    for n in needles:
        where = sorted(set(found[n]))
        print(f"{len(found[n])} {n.decode(errors='replace')!r} {' '.join(where)}")


main()
