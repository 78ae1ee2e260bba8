#!/usr/bin/env python3
"""adm-kiosk itself speaks (issue 13, item 1): started on the offscreen video driver and
SDL's disk audio driver, its first screen (attract, no devices configured) writes that
screen's prompt: the sound in the file starts with the recordings of its first two
sentences, sample for sample at [audio] volume = 100. With [audio] mute = yes no device
opens and nothing is written.

test_kiosk_audio.py ADM_KIOSK PROMPTS.PACK SOURCE_ROOT"""
import os
import signal
import struct
import subprocess
import sys
import tempfile
import time

kiosk, pack_path, src = sys.argv[1:4]


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
    for f in failed:
        print("FAIL:", f)
    print("ok" if not failed else f"{len(failed)} failed")
    return 1 if failed else 0


sys.exit(main())
