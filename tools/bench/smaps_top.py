#!/usr/bin/env python3
"""Where a process's memory is: /proc/PID/smaps summed by mapping (docs/benchmarks.md).

    tools/bench/smaps_top.py PID [N]

Prints the totals of smaps_rollup, then the N largest mappings by PSS, libraries summed
over their segments; anonymous mappings one by one with their size, since a window
framebuffer or a glyph cache shows as one anonymous block of a telling size
(1920x1080x4 = 8100 KiB). PSS of a library depends on how many other processes map it;
its Anonymous part (relocated data, written once) and RSS do not.
"""
import re
import sys


def mappings(pid):
    rows, cur = [], None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
                parts = line.split(None, 5)
                lo, hi = (int(x, 16) for x in parts[0].split("-"))
                name = parts[5].strip() if len(parts) > 5 else ""
                cur = {"name": name, "size": (hi - lo) // 1024}
                rows.append(cur)
            else:
                k, _, v = line.partition(":")
                if v.strip().endswith("kB"):
                    cur[k] = int(v.split()[0])
    return rows


def main():
    pid = int(sys.argv[1])
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    with open(f"/proc/{pid}/smaps_rollup") as f:
        roll = {l.split(":")[0]: int(l.split()[1]) for l in f if l.strip().endswith("kB")}
    print("  ".join(f"{k} {roll.get(k, 0) / 1024:.1f} MiB"
                    for k in ("Rss", "Pss", "Pss_Anon", "Pss_File", "Anonymous")))
    groups = {}
    for m in mappings(pid):
        name = m["name"] or "[anon]"
        key = name.rsplit("/", 1)[-1] if name.startswith("/") else f"{name} {m['size']} KiB"
        g = groups.setdefault(key, {"Rss": 0, "Pss": 0, "Anonymous": 0, "n": 0})
        for k in ("Rss", "Pss", "Anonymous"):
            g[k] += m.get(k, 0)
        g["n"] += 1
    print(f"{'mapping':44s} {'RSS':>7s} {'PSS':>7s} {'anon':>7s}  KiB")
    for key, g in sorted(groups.items(), key=lambda kv: -kv[1]["Pss"])[:top]:
        n = f" (x{g['n']})" if g["n"] > 1 and key.startswith("[") else ""
        print(f"{key + n:44s} {g['Rss']:7d} {g['Pss']:7d} {g['Anonymous']:7d}")


if __name__ == "__main__":
    main()
