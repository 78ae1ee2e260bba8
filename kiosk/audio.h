/*
 * The spoken prompts' player (issue 13, item 1): SDL audio, mixed in SDL's own audio
 * thread from clips of the prompts pack (voice_pack.h), so the UI thread only swaps a
 * queue of pointers under the device lock and never waits for sound.
 *
 * A new prompt replaces whatever is still playing: a citizen who moved on does not want
 * to hear the last screen out. A headset is one more SDL audio device ([audio] device).
 *
 * Besides the prompts, short tones made in code (never recordings: a PIN is never
 * spoken) on a second voice mixed over them: a key's echo, Delete's, the volume
 * button's chime. The citizen's volume level (flow_volume_level) scales both.
 */
#ifndef ADM_AUDIO_H
#define ADM_AUDIO_H

#include "guide.h"

#include <stdbool.h>
#include <stdint.h>

struct audio_settings {
	int volume; /* 0-100 */
	bool mute;
	const char *device; /* SDL's name of the output; NULL or "": the default one */
};

/*
 * Opens the device and loads the pack. NULL when muted (nothing is opened, nothing
 * plays) or when the pack or the device is missing: logged, the kiosk goes on silent.
 */
struct audio *audio_open(const char *pack_path, const struct audio_settings *s);
void audio_close(struct audio *a);

/* Says g from its start (the Indonesian pieces, then the English), replacing anything
 * playing. NULL a: nothing. */
void audio_say(struct audio *a, const struct guide *g);
/* The citizen's volume level, 0 .. FLOW_VOLUME_LEVELS - 1: -12, -6, 0 and +6 dB on
 * [audio] volume (FLOW_VOLUME_DEFAULT is the 0 dB one, sample for sample as before). */
void audio_level(struct audio *a, int level);

enum audio_tone {
	AUDIO_TONE_KEY,	  /* a digit typed on a keypad: 40 ms, 1000 Hz */
	AUDIO_TONE_ERASE, /* Delete: lower and longer, 80 ms at 500 Hz */
	AUDIO_TONE_LEVEL, /* the volume button: 150 ms at 660 Hz, at the new level */
	AUDIO_TONE_COUNT
};
#define AUDIO_TONE_PEAK 8000 /* a tone's amplitude at volume 100, default level */

/* Plays a tone now, replacing the one playing. A key's tones stop the prompt (a citizen
 * typing has heard enough; the speaker says it again); the volume's chime does not. A
 * prompt said while a tone plays starts when the tone has ended. */
void audio_tone(struct audio *a, enum audio_tone t);
/* The tone's samples at volume 100 and the default level, as audio_tone plays them
 * (for the tests); NULL a: NULL. */
const int16_t *audio_tone_samples(struct audio *a, enum audio_tone t, uint32_t *n);

/* Says the last prompt again (the "repeat" button). */
void audio_repeat(struct audio *a);
/* True while a prompt or a tone still plays. */
bool audio_playing(struct audio *a);
/* clock_mono_us() of the last prompt's call and of its first sound handed to the device
 * (0 while it has made none): the start latency, for the benchmark and the log. */
void audio_times(struct audio *a, int64_t *said_us, int64_t *sounded_us);

/* Where the pack is: assets/prompts.pack if there, else the installed or built one. */
bool audio_find_pack(const char *assets_dir, char *out, size_t outlen);

#endif
