#!/usr/bin/python3
"""The screens' catalogues (ui-assets/po, docs/translating.md), suite ui:

 - every .po passes msgfmt --check, without a warning;
 - complete: laid out in every state (adm-catalogue), every source text the screens look
   up is found in both catalogues, id and en (else: ninja -C build update-po);
 - a regional language stands in for English: a pseudo language whose every text is
   bracketed changes the second lines, and no first line; every second line but the
   scenarios' own data is from the catalogue (none formatted from English literals); one
   without a catalogue falls back to English with a log line.

    test_catalogue.py ADM_CATALOGUE PO_DIR LOCALE_DIR SOURCE_DIR...
(/usr/bin/python3 for Debian's python3-polib, as tools/i18n/update-po.py.)
"""
import glob
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile

import polib

catalogue, po_dir, locale_dir, source_dirs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
shot_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "shot")
here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "update_po", os.path.join(here, "..", "..", "tools", "i18n", "update-po.py"))
update_po = importlib.util.module_from_spec(spec)
spec.loader.exec_module(update_po)
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run_catalogue(locale, second, tmp):
    lookups, views = os.path.join(tmp, second + ".tsv"), os.path.join(tmp, second + ".views")
    subprocess.run([catalogue, "--locale", locale, "--second", second, "--views", views,
                    lookups], check=True)
    with open(lookups, encoding="utf-8") as f:
        records = [[update_po.unescape(x) for x in line.rstrip("\n").split("\t")] for line in f]
    shown, name = {}, None
    with open(views, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("= "):
                name = line[2:]
                shown[name] = []
            else:
                first, _, second_line = line.partition("\t")
                shown[name].append((update_po.unescape(first), update_po.unescape(second_line)))
    return records, shown


# msgfmt --check, quietly
for po in sorted(glob.glob(os.path.join(po_dir, "*.po"))):
    r = subprocess.run(["msgfmt", "--check", "-o", os.devnull, po], capture_output=True,
                       text=True)
    check(r.returncode == 0 and not r.stderr.strip(),
          f"msgfmt --check {os.path.basename(po)} {r.stderr.strip()}")

lits = update_po.literals(sorted(f for d in source_dirs for f in glob.glob(os.path.join(d, "*.c"))))
with tempfile.TemporaryDirectory() as tmp:
    # complete: every source text found, first lines in id, second lines in en
    records, en_views = run_catalogue(locale_dir, "en", tmp)
    missing = sorted({(line, en) for line, en, _id, found in records
                      if en.rpartition(update_po.CTX_SEP)[2] in lits and found != "1"})
    check(len(records) > 100, f"{len(records)} lookups laid out")
    check(not missing, "every source text is in the catalogues (ninja -C build update-po): "
          + "; ".join(f"line {line}: {en!r}" for line, en in missing[:10]))

    # a pseudo regional language: every text bracketed
    pseudo = os.path.join(tmp, "locale", "C.UTF-8", "LC_MESSAGES")
    os.makedirs(pseudo)
    shutil.copy(os.path.join(locale_dir, "C.UTF-8", "LC_MESSAGES", "adm-kiosk-id.mo"), pseudo)
    po = polib.pofile(os.path.join(po_dir, "en.po"))
    po.metadata["Language"] = "jv"
    for e in po:
        e.msgstr = "[" + e.msgid + "]"
    po.save(os.path.join(tmp, "jv.po"))
    subprocess.run(["msgfmt", "--check", "-o", os.path.join(pseudo, "adm-kiosk-jv.mo"),
                    os.path.join(tmp, "jv.po")], check=True)
    _, jv_views = run_catalogue(os.path.join(tmp, "locale"), "jv", tmp)

    english = {e.msgid for e in po}
    def kept(first, before):
        """Among the first lines before, or one of them shortened differently ("…"), or
        with other numbers: longer second lines can leave room for fewer rows, and a
        page's range ("Lainnya (5–8)") follows the layout, not the catalogue."""
        digits = lambda t: re.sub(r"[0-9]+", "#", t)
        stem = digits(first.rstrip("…"))
        before = {digits(b.rstrip("…")) for b in before}
        return stem in before or any(b.startswith(stem) or stem.startswith(b) for b in before)

    # the first lines of pairs (a one-line label, such as a content card's heading with
    # both languages on it, has no second line to change)
    changed = sorted({a for n in en_views for a, b in jv_views.get(n, [])
                      if b and not kept(a, {x for x, _ in en_views[n]})})
    left = sorted({b for n in jv_views for _, b in jv_views[n] if b in english})
    bracketed = sum(1 for n in jv_views for _, b in jv_views[n] if "[" in b)
    check(jv_views.keys() == en_views.keys(), f"{len(jv_views)} views in both languages")
    check(not changed, "the pseudo language leaves every first line as it is: "
          + "; ".join(changed[:10]))
    check(not left, "no English left on a second line: " + "; ".join(left[:10]))

    # Every second line comes from the catalogue: under the pseudo language each holds a
    # bracket, unless it is the scenarios' own data (a bundle's texts, a document's title,
    # a name: literals of tools/shot), whole or cut with "…". A line formatted from the
    # English literals (snprintf without tr2) or from words no catalogue holds fails here.
    # Not catalogued yet, and so left out: the help panel's step (the spoken prompts'
    # sentences, guide.c) and the technician's problems (health.c words them).
    data = "\n".join(update_po.literals(sorted(glob.glob(os.path.join(shot_dir, "*.c")))))
    guide = update_po.literals([os.path.join(source_dirs[0], "guide.c")])
    def spoken(text):
        parts = [p for p in re.split(r"(?<=[.:?!])\s+", text) if p]
        return all(p.rstrip(".") in guide or p in guide for p in parts)
    not_yet = ("technician-errors",)
    uncatalogued = sorted({b for n in jv_views for a, b in jv_views[n]
                           if b and "[" not in b and not n.startswith(not_yet)
                           and b.rstrip("…") not in data and not spoken(b)})
    check(not uncatalogued, "every second line is looked up in the catalogue (tr2, or a "
          "pair of source texts): " + "; ".join(uncatalogued[:10]))
    check(bracketed > 1000, f"{bracketed} second lines in the pseudo language")

# a second language without a catalogue: English instead, and said
r = subprocess.run([catalogue, "--locale", locale_dir, "--second", "xx", os.devnull],
                   capture_output=True, text=True)
check(r.returncode == 1 and "no catalogue for second language 'xx'" in r.stderr
      and "English instead" in r.stderr, "a second language without a catalogue falls "
      "back to English with a log line: " + r.stderr.strip().replace("\n", " | "))

sys.exit(1 if failures else 0)
