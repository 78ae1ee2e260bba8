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

The citizen's volume and the key tones (the accessibility rules: volume adjustable and
back to the default after each use; a PIN echoed as tones, never digits): in an Xvfb at
[audio] volume = 40, "type your NIK", a digit, Delete, the volume button, then cancel.
The file holds the key's tone (40 ms, 1000 Hz, made as audio.c makes it) at 40 %
followed by silence (it cut the NIK prompt), never the typed digit's recording; Delete's
tone (80 ms, 500 Hz) once after it; then the volume's chime at twice that (the loudest
level, +6 dB) and right after it the NIK prompt's first sentence at twice the samples of
[audio] volume; after the cancel, attract's prompt at exactly [audio] volume again.

test_kiosk_audio.py ADM_KIOSK PROMPTS.PACK SOURCE_ROOT ADMCTL"""
import math
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


def xvfb_run(tmp, what, conf_text, script, settle_s):
    """The kiosk with conf_text in a private Xvfb, driven by the touch script, then
    settle_s for its sound; (failures, the file, the kiosk's log)."""
    conf = os.path.join(tmp, f"{what}.conf")
    out = os.path.join(tmp, f"{what}.raw")
    with open(conf, "w") as f:
        f.write(conf_text)
    # Xvfb picks a free display itself and says which (-displayfd): other runs on this
    # machine may be picking one at the same moment
    rfd, wfd = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(wfd), "-screen", "0", "1366x768x24",
                             "-nolisten", "tcp"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, pass_fds=(wfd,))
    os.close(wfd)
    with os.fdopen(rfd) as f:
        display = f.readline().strip()
    # a 23 ms buffer every 8 ms: the prompts play three times as fast as on a device
    env = dict(os.environ, DISPLAY=f":{display}", SDL_VIDEODRIVER="x11",
               SDL_AUDIODRIVER="disk", SDL_DISKAUDIOFILE=out, SDL_DISKAUDIODELAY="8")
    kiosk_p = None
    failed = []
    log = ""
    try:
        if not display:
            raise RuntimeError(f"{what}: Xvfb did not start")
        kiosk_p = subprocess.Popen([kiosk, "--config", conf], env=env,
                                   stderr=subprocess.PIPE, text=True)
        r = subprocess.run(["sh", "-c", f". {src}/tools/touch.sh; touch_window 10 && "
                            f"touch_wait attract 10 && {script}"], env=dict(
            env, touch_admctl=admctl, touch_conf=conf, touch_dir=tmp),
            capture_output=True, text=True, timeout=90)
        if r.returncode != 0:
            failed.append(f"{what}: the touches failed: {r.stdout}{r.stderr}")
        time.sleep(settle_s)
    finally:
        if kiosk_p:
            kiosk_p.send_signal(signal.SIGTERM)
            log = kiosk_p.communicate(timeout=10)[1]
        xvfb.terminate()
        xvfb.wait(timeout=10)
    if kiosk_p and kiosk_p.returncode != 0:
        failed.append(f"{what}: exit status {kiosk_p.returncode}: {log}")
    data = open(out, "rb").read() if os.path.exists(out) else b""
    return failed, data, log


def help_run(tmp, help_s):
    """The kiosk in an Xvfb: help touched, then the speaker, then time for a help prompt
    of help_s seconds; (failures, the file)."""
    conf = (f"[kiosk]\nid = K1\ncontrol = {tmp}/kiosk.sock\n"
            "staff_place = loket informasi, lantai 1\n[display]\nwindow = 1366x768\n"
            f"assets = {src}/ui-assets\n[content]\nstore =\n[audio]\nvolume = 100\n"
            # the panel open on attract ends with the idle time: not in this run
            "[session]\nidle_timeout = 120\n")
    # help, then the speaker 2 s later: the first help prompt is cut by its repeat; then
    # the whole help prompt at three times a device's pace, with slack
    failed, data, _log = xvfb_run(tmp, "help", conf, "touch help && sleep 2 && touch repeat",
                                  help_s / 3 + 4)
    return failed, data


def scaled(samples, volume, num=1, den=1):
    """Samples as audio.c scales them: s * volume * num / (100 * den), toward zero."""
    out = []
    for v in samples:
        q = abs(v) * volume * num // (100 * den)
        out.append(-q if v < 0 else q)
    return out


def pcm(samples):
    return struct.pack(f"<{len(samples)}h", *samples)


def clip_samples(clip):
    return list(struct.unpack(f"<{len(clip) // 2}h", clip))


def tone(rate, hz, ms, peak=8000, fade_ms=5):
    """A tone as audio.c's make_tone makes it."""
    n, fade = rate * ms // 1000, rate * fade_ms // 1000
    out = []
    for i in range(n):
        env = 1.0
        if i < fade:
            env = (i + 0.5) / fade
        elif n - i <= fade:
            env = (n - i - 0.5) / fade
        out.append(round(peak * env * math.sin(2 * math.pi * hz * (i + 0.5) / rate)))
    return out


def volume_run(tmp, nik_s):
    """The kiosk in an Xvfb at volume 40: type your NIK, a digit, the volume, cancel;
    (failures, the file, the kiosk's log)."""
    conf = (f"[kiosk]\nid = K1\ncontrol = {tmp}/volume.sock\n[display]\n"
            f"window = 1366x768\nassets = {src}/ui-assets\n[content]\nstore =\n"
            "[audio]\nvolume = 40\n[session]\nidle_timeout = 120\n")
    # the digit a second into the NIK prompt; the volume a second later; cancel once the
    # louder NIK prompt has been said (three times a device's pace); then attract's first
    # sentences again
    script = ("touch start-nik && touch_wait nik-entry 10 && sleep 1 && touch digit 3 && "
              "sleep 0.5 && touch erase && "
              f"sleep 1 && touch volume && sleep {nik_s / 3 + 1:.1f} && touch cancel && "
              "touch_wait attract 10")
    return xvfb_run(tmp, "volume", conf, script, 3)


def find_all(data, needle):
    at, found = 0, []
    while (at := data.find(needle, at)) >= 0:
        if at % 2 == 0:
            found.append(at)
        at += 2
    return found


def check_volume(clips, rate, data, log):
    failed = []
    key = pcm(scaled(tone(rate, 1000.0, 40), 40))
    chime = pcm(scaled(tone(rate, 660.0, 150), 40, 2, 1))
    keys, chimes = find_all(data, key), find_all(data, chime)
    if len(keys) != 1:
        return [f"volume: the key's tone (40 ms at 40 %) is written {len(keys)} times, "
                "not once"]
    after = data[keys[0] + len(key):keys[0] + len(key) + 2 * rate // 5]
    if after.strip(b"\0"):
        failed.append("volume: the NIK prompt went on after the key's tone")
    for lang in (0, 1):
        for scale in ((1, 1), (2, 1)):
            # its loudest 200 samples: its quiet edges, scaled down, are in other clips
            digit = scaled(clip_samples(clips[(lang, "#3")]), 40, *scale)
            top = max(range(len(digit)), key=lambda i: abs(digit[i]))
            if data.find(pcm(digit[max(0, top - 100):top + 100])) >= 0:
                failed.append(f"volume: the typed digit's recording (language {lang}) "
                              "was played")
    erase = pcm(scaled(tone(rate, 500.0, 80), 40))
    erases = find_all(data, erase)
    if len(erases) != 1 or erases[0] < keys[0] + len(key):
        failed.append(f"volume: Delete's tone (80 ms, 500 Hz) written {len(erases)} times, "
                      "not once after the key's")
    if len(chimes) != 1 or chimes[0] < keys[0]:
        return failed + [f"volume: the chime at +6 dB is written {len(chimes)} times, "
                         "not once after the key"]
    at = chimes[0] + len(chime)
    louder = pcm(scaled(clip_samples(clips[(0, "Ketik NIK Anda")]), 40, 2, 1))
    if data[at:at + len(louder)] != louder:
        failed.append("volume: after the chime, not the NIK prompt at twice the volume")
    first = clips[(0, "Selamat datang")]
    attract = pcm(scaled(clip_samples(first), 40))
    lead = leading_zeros(attract)
    again = [a for a in find_all(data, attract[lead:]) if a > at]
    if len(again) != 1:
        failed.append(f"volume: after the visit, attract's prompt at [audio] volume "
                      f"{len(again)} times, not once")
    if "volume level 4 of 4" not in log or "volume level 3 of 4" not in log:
        failed.append(f"volume: the levels are not in the log: {log}")
    return failed


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
        nik_s = sum(len(clips[(lang, t)]) for lang, t in (
            (0, "Ketik NIK Anda"), (0, "16 angka, tertera di KTP-el atau Kartu Keluarga."),
            (1, "Type your NIK"), (1, "16 digits, printed on your KTP-el or family card."))
        ) / 2 / 22050
        more, data, log = volume_run(tmp, nik_s)
        failed += more + check_volume(clips, 22050, data, log)
    for f in failed:
        print("FAIL:", f)
    print("ok" if not failed else f"{len(failed)} failed")
    return 1 if failed else 0


sys.exit(main())
