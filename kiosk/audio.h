/*
 * The spoken prompts' player (issue 13, item 1): SDL audio, mixed in SDL's own audio
 * thread from clips of the prompts pack (voice_pack.h), so the UI thread only swaps a
 * queue of pointers under the device lock and never waits for sound.
 *
 * A new prompt replaces whatever is still playing: a citizen who moved on does not want
 * to hear the last screen out. A headset is one more SDL audio device ([audio] device).
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
/* Says the last prompt again (the "repeat" button). */
void audio_repeat(struct audio *a);
/* True while a prompt still plays. */
bool audio_playing(struct audio *a);
/* clock_mono_us() of the last prompt's call and of its first sound handed to the device
 * (0 while it has made none): the start latency, for the benchmark and the log. */
void audio_times(struct audio *a, int64_t *said_us, int64_t *sounded_us);

/* Where the pack is: assets/prompts.pack if there, else the installed or built one. */
bool audio_find_pack(const char *assets_dir, char *out, size_t outlen);

#endif
