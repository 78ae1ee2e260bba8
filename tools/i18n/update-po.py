#!/usr/bin/python3
"""Regenerates the screens' catalogues in ui-assets/po/ from the code (docs/translating.md).

    update-po.py ADM_CATALOGUE PO_DIR SOURCE_DIR...   (ninja -C build update-po)

adm-catalogue lays out every screen in every state and lists each lookup: the English
msgid with, for a first line, the Indonesian literal the code gives. A lookup is a source
text when its msgid is a string literal of a SOURCE_DIR's C files (xgettext -a finds them and where they
are); the rest are data (names, document titles, formatted numbers) and stay out.

Writes adm-kiosk.pot, and updates every LANG.po listed in LINGUAS: a text already there
keeps its translation; a new one gets, in id.po, the code's Indonesian literal and, in
en.po, its English itself; elsewhere it is left to the translator (the English shows
until then). Texts the code no longer shows are dropped. Uses /usr/bin/python3 for
Debian's python3-polib.
"""
import collections
import glob
import os
import re
import subprocess
import sys
import tempfile

import polib

CTX_SEP = "\x04"  # CTX() in kiosk/ui/i18n.h: msgctxt, then the msgid
C_FORMAT = re.compile(r"%[-+ #0]*(\d+|\*)?(\.(\d+|\*))?(hh|h|ll|l|z|j|t)?[diouxXcsp]")
HEADER = {
    "Project-Id-Version": "adm-kiosk",
    "PO-Revision-Date": "2026-12-03 00:00+0000",
    "Last-Translator": "ADM kiosk <adm-kiosk@example.invalid>",
    "Language-Team": "ADM kiosk <adm-kiosk@example.invalid>",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
}


def fail(msg):
    sys.exit("update-po: " + msg)


def unescape(s):
    return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n"}.get(m.group(1), m.group(1)), s)


def lookups(catalogue):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "lookups.tsv")
        subprocess.run([catalogue, out], check=True)
        with open(out, encoding="utf-8") as f:
            return [[unescape(x) for x in line.rstrip("\n").split("\t")] for line in f]


def literals(sources):
    """Every string literal of the sources, with where it is."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "all.pot")
        subprocess.run(["xgettext", "-a", "--from-code=UTF-8", "--no-wrap", "-o", out]
                       + sources, check=True, stderr=subprocess.DEVNULL)
        return {e.msgid: e.occurrences for e in polib.pofile(out)}


def source_texts(records, lits):
    """(msgctxt, msgid) -> Indonesian literal ("" when only a second line asks), and the
    lines (1, 2) each text is shown on."""
    texts = collections.OrderedDict()
    lines = collections.defaultdict(set)
    problems = []
    for line, en, id_, _found in records:
        ctx, _, msgid = en.rpartition(CTX_SEP)
        if msgid not in lits:
            continue  # data
        key = (ctx or None, msgid)
        lines[key].add(line)
        if line == "2":
            texts.setdefault(key, "")
            continue
        if id_ not in lits:
            problems.append(f"first line of '{msgid}' is formatted before its lookup: "
                            f"'{id_}' (translate the format with tr1)")
        elif texts.get(key) and texts[key] != id_:
            problems.append(f"'{msgid}' stands for '{texts[key]}' and '{id_}': "
                            "tell them apart with CTX()")
        else:
            texts[key] = id_
    if problems:
        fail("\n  ".join(["the screens' texts are not pairs gettext can hold:"] + problems))
    return texts, lines


# What a translator of one line should know: the other line says it differently.
ONLY = {frozenset("1"): "Shown on the first line only (Bahasa Indonesia's): the second "
        "line says it another way.",
        frozenset("2"): "Shown on the second line only: the first line says it another way."}


def entry(key, msgstr, lits, root, lines):
    """Where a text is by file only: line numbers would change with every edit."""
    ctx, msgid = key
    files = dict.fromkeys(os.path.relpath(f, root) for f, _ in lits[msgid])
    e = polib.POEntry(msgctxt=ctx, msgid=msgid, msgstr=msgstr,
                      occurrences=[(f, "") for f in files],
                      comment=ONLY.get(frozenset(lines[key]), ""))
    if C_FORMAT.search(msgid):
        e.flags.append("c-format")
    return e


def write_po(path, lang, texts, lines, lits, root, fill):
    old, metadata = {}, dict(HEADER)
    if os.path.exists(path):
        prev = polib.pofile(path)
        old = {(e.msgctxt, e.msgid): e.msgstr for e in prev if not e.obsolete}
        metadata.update(prev.metadata)  # the translator's name and date stay
    po = polib.POFile(wrapwidth=100)
    po.metadata = dict(metadata, Language=lang)
    # The Indonesian literal in the code is what a build without catalogues shows: when a
    # change of the code and the catalogue's translation part, say so. The catalogue wins
    # (a translator's edit), unless UPDATE_PO_FROM_CODE=1 asks for the code's (after a
    # merge of code that changed its texts).
    from_code = os.environ.get("UPDATE_PO_FROM_CODE") == "1"
    for key, id_ in texts.items():
        kept = old.get(key)
        if kept and lang == "id" and id_ and kept != id_:
            print(f"update-po: {os.path.basename(path)} says {kept!r} where the code says "
                  f"{id_!r} ({'the code' if from_code else 'the catalogue'} kept)")
            if from_code:
                kept = None
        po.append(entry(key, kept or fill(key, id_), lits, root, lines))
    po.save(path)


def main():
    if len(sys.argv) < 4:
        fail("usage: update-po.py ADM_CATALOGUE PO_DIR SOURCE_DIR...")
    catalogue, po_dir = sys.argv[1], sys.argv[2]
    sources = sorted(f for d in sys.argv[3:] for f in glob.glob(os.path.join(d, "*.c")))
    root = os.path.dirname(os.path.dirname(os.path.abspath(po_dir)))  # ui-assets/po
    lits = literals(sources)
    texts, lines = source_texts(lookups(catalogue), lits)

    pot = polib.POFile(wrapwidth=100)
    pot.metadata = dict(HEADER)
    for key in texts:
        pot.append(entry(key, "", lits, root, lines))
    pot.save(os.path.join(po_dir, "adm-kiosk.pot"))

    with open(os.path.join(po_dir, "LINGUAS"), encoding="utf-8") as f:
        langs = [w for line in f if not line.startswith("#") for w in line.split()]
    fills = {"id": lambda key, id_: id_, "en": lambda key, id_: key[1]}
    for lang in langs:
        write_po(os.path.join(po_dir, lang + ".po"), lang, texts, lines, lits, root,
                 fills.get(lang, lambda key, id_: ""))
    print(f"update-po: {len(texts)} texts in {po_dir}: adm-kiosk.pot, "
          + ", ".join(lang + ".po" for lang in langs))


if __name__ == "__main__":
    main()
