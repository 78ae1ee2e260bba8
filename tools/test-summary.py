#!/usr/bin/env python3
"""Prints the closing lines over meson test logs: each test that did not pass, with the
end of its output (CI keeps only the end of what was printed), then
'N passed, N failed, N skipped'."""
import json
import sys

TAIL = 25  # lines of a failed test's output repeated at the end

passed = failed = skipped = 0
failures = []
for path in sys.argv[1:]:
    try:
        with open(path) as f:
            for line in f:
                test = json.loads(line)
                result = test.get("result")
                if result in ("OK", "EXPECTEDFAIL"):
                    passed += 1
                elif result == "SKIP":
                    skipped += 1
                else:
                    failed += 1
                    failures.append((path, test))
    except FileNotFoundError:
        print(f"test-summary: {path} missing: its build failed", file=sys.stderr)
        failed += 1
for path, test in failures:
    build = path.split("/meson-logs/")[0]
    print(f"== {build}: {test.get('name')} {test.get('result')} "
          f"after {test.get('duration', 0):.1f} s")
    out = (test.get("stdout") or "") + (test.get("stderr") or "")
    for line in out.rstrip("\n").split("\n")[-TAIL:]:
        print(f"   {line}")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
