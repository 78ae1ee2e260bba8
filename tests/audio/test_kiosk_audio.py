#!/usr/bin/env python3
"""adm-kiosk itself speaks (issue 13, item 1): started on the offscreen video driver and
SDL's disk audio driver, its first screen (attract, no devices configured) writes that
screen's prompt: the sound in the file starts with the recordings of its first two
sentences, sample for sample at [audio] volume = 100. With [audio] mute = yes no device
opens and nothing is written.

The help panel speaks (issue 13, item 5): in a private Xvfb, "Bantuan / Help" touched
where the kiosk's layout put it (tools/touch.sh), then the speaker while the panel is
open: the file holds the help prompt from its start until the speaker cut it, then the
whole help prompt again, sample for sample and as long as its recordings ("Help", the
attract step's sentences, the staff place said to be on the screen, how to call the
staff, the kiosk's id K1 spelled), and then only silence.

test_kiosk_audio.py ADM_KIOSK PROMPTS.PACK SOURCE_ROOT ADMCTL"""
import os
import signal
import struct
import subprocess
import sys
import tempfile
import time

kiosk, pack_path, src, admctl = sys.argv[1:5]

# The help panel's prompt over attract for kiosk K1 with a staff place (guide_help):
# the pieces of each language, as the pack names them (numbers "#N").
HELP = {
    0: ["Bantuan", "Selamat datang",
        "Cetak dokumen kependudukan Anda sendiri. Pilih cara masuk:", "Tempelkan KTP-el",
        "Ketik NIK", "Pindai kode QR", "Tempat petugas tertulis di layar.",
        "Sentuh Panggil petugas, dan petugas akan datang.", "Nomor ADM ini:", "K", "#1"],
    1: ["Help", "Welcome", "Print your own population documents. Choose how to start:",
        "Tap your KTP-el card on the reader", "Type your NIK",
        "Scan the QR code from your notification",
        "Where the staff are is written on the screen.",
        "Touch Call staff, and the staff will come.", "This kiosk:", "K", "#1"],
}


def load_pack(path):
    """{(lang, text): samples bytes} from prompts.pack (kiosk/ui/voice_pack.h)."""
    data = open(path, "rb").read()
    assert data[:8] == b"ADMVOICE", "not a prompts pack"
    _rate, count = struct.unpack_from("<II", data, 8)
    at, clips = 16, {}
    for _ in range(count):
        lang, _pad, n, off, samples = struct.unpack_from("<BBHII", data, at)
        text = data[at + 12:at + 12 + n].decode()
        at += 12 + n + (n & 1)
        clips[(lang, text)] = data[off:off + 2 * samples]
    return clips


def run(tmp, audio_conf, seconds):
    conf = os.path.join(tmp, "kiosk.conf")
    out = os.path.join(tmp, "out.raw")
    with open(conf, "w") as f:
        f.write("[kiosk]\nid = K1\ncontrol =\n[display]\nwindow = 1366x768\n"
                f"assets = {src}/ui-assets\n[content]\nstore =\n[audio]\n{audio_conf}")
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", SDL_AUDIODRIVER="disk",
               SDL_DISKAUDIOFILE=out)
    env.pop("SDL_DISKAUDIODELAY", None)  # a real device's pace
    p = subprocess.Popen([kiosk, "--config", conf], env=env, stderr=subprocess.PIPE,
                         text=True)
    try:
        time.sleep(seconds)
    finally:
        p.send_signal(signal.SIGTERM)
        log = p.communicate(timeout=10)[1]
    data = open(out, "rb").read() if os.path.exists(out) else None
    return p.returncode, log, data


def leading_zeros(b):
    return next((i for i in range(0, len(b), 2) if b[i:i + 2] != b"\0\0"), len(b))


def free_display():
    for d in range(420, 480):
        if not os.path.exists(f"/tmp/.X11-unix/X{d}") and not os.path.exists(f"/tmp/.X{d}-lock"):
            return d
    raise RuntimeError("no free X display in :420..:479")


def help_run(tmp, help_s):
    """The kiosk in an Xvfb: help touched, then the speaker, then time for a help prompt
    of help_s seconds; (failures, the file)."""
    conf = os.path.join(tmp, "help.conf")
    out = os.path.join(tmp, "help.raw")
    with open(conf, "w") as f:
        f.write(f"[kiosk]\nid = K1\ncontrol = {tmp}/kiosk.sock\n"
                "staff_place = loket informasi, lantai 1\n[display]\nwindow = 1366x768\n"
                f"assets = {src}/ui-assets\n[content]\nstore =\n[audio]\nvolume = 100\n"
                # the panel open on attract ends with the idle time: not in this run
                "[session]\nidle_timeout = 120\n")
    display = free_display()
    xvfb = subprocess.Popen(["Xvfb", f":{display}", "-screen", "0", "1366x768x24",
                             "-nolisten", "tcp"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    # a 23 ms buffer every 8 ms: the prompts play three times as fast as on a device
    env = dict(os.environ, DISPLAY=f":{display}", SDL_VIDEODRIVER="x11",
               SDL_AUDIODRIVER="disk", SDL_DISKAUDIOFILE=out, SDL_DISKAUDIODELAY="8")
    kiosk_p = None
    failed = []
    try:
        for _ in range(50):
            if os.path.exists(f"/tmp/.X11-unix/X{display}"):
                break
            time.sleep(0.1)
        kiosk_p = subprocess.Popen([kiosk, "--config", conf], env=env,
                                   stderr=subprocess.PIPE, text=True)
        # help, then the speaker 2 s later: the first help prompt is cut by its repeat
        script = (f". {src}/tools/touch.sh; touch_window 10 && touch_wait attract 10 && "
                  "touch help && sleep 2 && touch repeat")
        r = subprocess.run(["sh", "-c", script], env=dict(
            env, touch_admctl=admctl, touch_conf=conf, touch_dir=tmp),
            capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            failed.append(f"help: the touches failed: {r.stdout}{r.stderr}")
        # the whole help prompt at three times a device's pace, with slack
        time.sleep(help_s / 3 + 4)
    finally:
        log = ""
        if kiosk_p:
            kiosk_p.send_signal(signal.SIGTERM)
            log = kiosk_p.communicate(timeout=10)[1]
        xvfb.terminate()
        xvfb.wait(timeout=10)
    if kiosk_p and kiosk_p.returncode != 0:
        failed.append(f"help: exit status {kiosk_p.returncode}: {log}")
    data = open(out, "rb").read() if os.path.exists(out) else b""
    return failed, data


def check_help(clips, data):
    want = b"".join(clips[(0, t)] for t in HELP[0]) + b"".join(clips[(1, t)] for t in HELP[1])
    lead = leading_zeros(want)
    head = want[lead:lead + len(clips[(0, "Bantuan")]) - lead]
    at, starts = 0, []
    while (at := data.find(head, at)) >= 0:
        if at % 2 == 0:
            starts.append(at)
        at += 2
    if len(starts) != 2:
        return [f"help: the help prompt starts {len(starts)} times, not twice (opened, "
                "repeated)"]
    first, last = starts
    failed = []
    # the first one played its own clips until the speaker cut it, where the second
    # begins with the first clip's own zeros
    cut = last - lead - first
    if cut <= 0 or data[first:first + cut] != want[lead:lead + cut]:
        failed.append("help: what played before the repeat is not the help prompt")
    got = data[last:last + len(want) - lead]
    if got != want[lead:]:
        same = next((i for i in range(len(got)) if got[i] != want[lead + i]), len(got))
        failed.append(f"help: the repeated sound is not the help prompt (the first {same} "
                      f"of {len(want) - lead} bytes match)")
    rest = data[last + len(want) - lead:]
    if rest.strip(b"\0"):
        failed.append("help: sound after the help prompt's end: not its length")
    if len(want) / 2 / 22050 < 20:
        failed.append(f"help: {len(want) / 2 / 22050:.1f} s of help prompt")
    return failed


def main():
    clips = load_pack(pack_path)
    first = clips[(0, "Selamat datang")] + clips[
        (0, "Cetak dokumen kependudukan Anda sendiri. Pilih cara masuk:")]
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        # long enough for both sentences at a device's pace, with a loaded machine's slack
        seconds = len(first) / 2 / 22050 + 4
        rc, log, data = run(tmp, "volume = 100\n", seconds)
        if rc != 0:
            failed.append(f"exit status {rc}: {log}")
        if "spoken prompts on the default device (disk)" not in log:
            failed.append(f"no audio device opened: {log}")
        if not data:
            failed.append("nothing written by the disk driver")
        else:
            start = next((i for i in range(0, len(data), 2) if data[i:i + 2] != b"\0\0"),
                         len(data))
            # the clips begin with their own few zero samples, which the search skipped
            lead = next(i for i in range(0, len(first), 2) if first[i:i + 2] != b"\0\0")
            got = data[start:start + len(first) - lead]
            if got != first[lead:]:
                same = next((i for i in range(len(got)) if got[i] != first[lead + i]),
                            len(got))
                failed.append(f"the sound is not attract's prompt (the first {same} of "
                              f"{len(first) - lead} bytes match)")
        if data is not None:
            os.remove(os.path.join(tmp, "out.raw"))
        rc, log, data = run(tmp, "mute = yes\n", 2)
        if "muted" not in log or data is not None:
            failed.append(f"muted: a file of {len(data or b'')} bytes; log: {log}")
        help_s = sum(len(clips[(lang, t)]) for lang in HELP for t in HELP[lang]) / 2 / 22050
        more, data = help_run(tmp, help_s)
        failed += more + check_help(clips, data)
    for f in failed:
        print("FAIL:", f)
    print("ok" if not failed else f"{len(failed)} failed")
    return 1 if failed else 0


sys.exit(main())
