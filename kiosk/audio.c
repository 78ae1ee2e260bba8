#include "audio.h"

#include "adm-config.h"
#include "clock.h"
#include "log.h"
#include "voice_pack.h"

#include <SDL.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define AUDIO_MAX_CLIPS (2 * GUIDE_MAX_PIECES * 3) /* a long number: a clip a digit */
#define AUDIO_BUFFER	512 /* samples a callback: 23 ms at espeak-ng's 22050 Hz */

/* The citizen's levels as fractions of [audio] volume: -12, -6, 0 and +6 dB. The default
 * one is exactly the configured volume; the loudest may clip a loud kiosk's peaks, which
 * the mixer saturates rather than wraps. */
static const struct {
	int num, den;
} levels[FLOW_VOLUME_LEVELS] = { { 1, 4 }, { 1, 2 }, { 1, 1 }, { 2, 1 } };
_Static_assert(FLOW_VOLUME_DEFAULT == 2, "the default level is the configured volume");

/* The tones (audio.h): pitch, length; every one fades in and out over 5 ms, so it starts
 * and ends without a click. */
static const struct {
	double hz;
	int ms;
} tone_shape[AUDIO_TONE_COUNT] = {
	[AUDIO_TONE_KEY] = { 1000.0, 40 },
	[AUDIO_TONE_ERASE] = { 500.0, 80 },
	[AUDIO_TONE_LEVEL] = { 660.0, 150 },
};
#define TONE_FADE_MS 5

struct audio {
	SDL_AudioDeviceID dev;
	struct voice_pack *pack;
	int volume;
	int num, den; /* the citizen's level (levels) */
	int16_t *tones[AUDIO_TONE_COUNT];
	uint32_t tone_len[AUDIO_TONE_COUNT];
	/* what plays, read by SDL's audio thread under the device lock: the prompt, after
	 * hold samples of silence, and a tone over it */
	const struct voice_clip *clips[AUDIO_MAX_CLIPS];
	int n, at;
	uint32_t pos, hold;
	const int16_t *tone;
	uint32_t tone_n, tone_pos;
	struct guide last; /* for repeat */
	int64_t said_us;
	_Atomic int64_t sounded_us;
};

static int16_t clip16(int v)
{
	return (int16_t)(v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : v);
}

/* A sample at the volume and the level: at the default level exactly s * volume / 100. */
static int scaled(const struct audio *a, int s)
{
	return s * a->volume * a->num / (100 * a->den);
}

/* SDL's audio thread: the next samples of the queue at the volume, silence after it, and
 * the tone playing added over them. */
static void fill(void *user, Uint8 *stream, int len)
{
	struct audio *a = user;
	int16_t *out = (int16_t *)stream;
	int want = len / 2, done = 0;
	bool sound = false;

	done = a->hold < (uint32_t)want ? (int)a->hold : want;
	memset(out, 0, (size_t)done * 2);
	a->hold -= (uint32_t)done;
	while (done < want && a->at < a->n) {
		const struct voice_clip *c = a->clips[a->at];
		uint32_t take = c->n - a->pos;
		if (take > (uint32_t)(want - done))
			take = (uint32_t)(want - done);
		for (uint32_t i = 0; i < take; i++) {
			int v = clip16(scaled(a, c->samples[a->pos + i]));
			out[done + (int)i] = (int16_t)v;
			sound |= v != 0;
		}
		done += (int)take;
		a->pos += take;
		if (a->pos == c->n) {
			a->at++;
			a->pos = 0;
		}
	}
	memset(out + done, 0, (size_t)(want - done) * 2);
	for (int i = 0; i < want && a->tone_pos < a->tone_n; i++) {
		out[i] = clip16(out[i] + scaled(a, a->tone[a->tone_pos++]));
		sound |= out[i] != 0;
	}
	if (sound && atomic_load(&a->sounded_us) == 0)
		atomic_store(&a->sounded_us, clock_mono_us());
}

/* A sine of hz for ms at AUDIO_TONE_PEAK, faded in and out; half a sample's phase on, so
 * its first sample is already sound (a test measures its length by its sound). */
static int16_t *make_tone(uint32_t rate, double hz, int ms, uint32_t *n)
{
	uint32_t len = rate * (uint32_t)ms / 1000, fade = rate * TONE_FADE_MS / 1000;
	int16_t *s = malloc(len * sizeof(*s));
	*n = s ? len : 0;
	for (uint32_t i = 0; s && i < len; i++) {
		double env = 1.0;
		if (i < fade)
			env = (i + 0.5) / fade;
		else if (len - i <= fade)
			env = (len - i - 0.5) / fade;
		double phase = 2 * M_PI * hz * (i + 0.5) / rate;
		s[i] = (int16_t)lrint(AUDIO_TONE_PEAK * env * sin(phase));
	}
	return s;
}

bool audio_find_pack(const char *assets_dir, char *out, size_t outlen)
{
	const char *dirs[] = { assets_dir, getenv("ADM_ASSETS_DIR"), ADM_ASSETS_DIR,
			       ADM_BUILD_PROMPTS_DIR };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (!dirs[i] || !dirs[i][0])
			continue;
		snprintf(out, outlen, "%s/prompts.pack", dirs[i]);
		if (access(out, R_OK) == 0)
			return true;
	}
	return false;
}

static void free_tones(struct audio *a)
{
	for (int t = 0; t < AUDIO_TONE_COUNT; t++)
		free(a->tones[t]);
}

struct audio *audio_open(const char *pack_path, const struct audio_settings *s)
{
	char err[600];
	if (s->mute)
		return NULL;
	struct audio *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->volume = s->volume;
	audio_level(a, FLOW_VOLUME_DEFAULT);
	a->pack = voice_pack_load(pack_path, err, sizeof(err));
	if (!a->pack) {
		log_error("no spoken prompts: %s", err);
		goto fail;
	}
	for (int t = 0; t < AUDIO_TONE_COUNT; t++)
		if (!(a->tones[t] = make_tone(a->pack->rate, tone_shape[t].hz, tone_shape[t].ms,
					      &a->tone_len[t])))
			goto fail;
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
		log_error("no spoken prompts: SDL audio: %s", SDL_GetError());
		goto fail;
	}
	SDL_AudioSpec want = { .freq = (int)a->pack->rate,
			       .format = AUDIO_S16SYS,
			       .channels = 1,
			       .samples = AUDIO_BUFFER,
			       .callback = fill,
			       .userdata = a },
		      have;
	const char *dev = s->device && s->device[0] ? s->device : NULL;
	/* a kiosk without a sound card is a kiosk without prompts, not a fault; asking first
	 * also spares the journal ALSA's complaints about a "default" that is not there */
	if (!dev && SDL_GetNumAudioDevices(0) <= 0) {
		log_warn("no spoken prompts: no audio output on the %s driver",
			 SDL_GetCurrentAudioDriver());
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
		goto fail;
	}
	a->dev = SDL_OpenAudioDevice(dev, 0, &want, &have, 0); /* SDL converts for us */
	if (!a->dev) {
		log_warn("no spoken prompts: audio device %s: %s", dev ? dev : "(default)",
			 SDL_GetError());
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
		goto fail;
	}
	SDL_PauseAudioDevice(a->dev, 0);
	log_info("spoken prompts on %s (%s), volume %d", dev ? dev : "the default device",
		 SDL_GetCurrentAudioDriver(), a->volume);
	return a;
fail:
	free_tones(a);
	voice_pack_free(a->pack);
	free(a);
	return NULL;
}

void audio_close(struct audio *a)
{
	if (!a)
		return;
	SDL_CloseAudioDevice(a->dev); /* stops the callback first */
	SDL_QuitSubSystem(SDL_INIT_AUDIO);
	free_tones(a);
	voice_pack_free(a->pack);
	free(a);
}

/* The clips of one piece: a sentence, a number's words, or a large number's digits. */
static int piece_clips(const struct voice_pack *p, int lang, const struct guide_piece *pc,
		       const struct voice_clip **out, int room)
{
	if (pc->text) {
		out[0] = voice_pack_find(p, lang, pc->text);
		if (!out[0])
			log_warn("no recording of a prompt piece (%d bytes): rebuild prompts.pack",
				 (int)strlen(pc->text));
		return out[0] && room > 0;
	}
	char digits[16];
	int n = pc->number < 0 ? 0 : pc->number;
	if (n <= GUIDE_NUMBER_MAX) {
		out[0] = voice_pack_number(p, lang, n);
		return out[0] && room > 0;
	}
	int k = 0;
	snprintf(digits, sizeof(digits), "%d", n);
	for (int i = 0; digits[i] && k < room; i++)
		if ((out[k] = voice_pack_number(p, lang, digits[i] - '0')))
			k++;
	return k;
}

void audio_say(struct audio *a, const struct guide *g)
{
	const struct voice_clip *clips[AUDIO_MAX_CLIPS];
	int n = 0;
	if (!a)
		return;
	for (int l = 0; l < GUIDE_LANGS; l++)
		for (int i = 0; i < g->n[l]; i++)
			n += piece_clips(a->pack, l, &g->p[l][i], clips + n, AUDIO_MAX_CLIPS - n);
	if (g != &a->last)
		a->last = *g;
	SDL_LockAudioDevice(a->dev);
	memcpy(a->clips, clips, (size_t)n * sizeof(clips[0]));
	a->n = n;
	a->at = 0;
	a->pos = 0;
	a->hold = a->tone_n - a->tone_pos; /* after the tone playing: one sound at a time */
	a->said_us = clock_mono_us();
	atomic_store(&a->sounded_us, 0);
	SDL_UnlockAudioDevice(a->dev);
}

void audio_level(struct audio *a, int level)
{
	if (!a || level < 0 || level >= FLOW_VOLUME_LEVELS)
		return;
	if (a->dev)
		SDL_LockAudioDevice(a->dev);
	a->num = levels[level].num;
	a->den = levels[level].den;
	if (a->dev)
		SDL_UnlockAudioDevice(a->dev);
}

void audio_tone(struct audio *a, enum audio_tone t)
{
	if (!a || t < 0 || t >= AUDIO_TONE_COUNT)
		return;
	SDL_LockAudioDevice(a->dev);
	if (t != AUDIO_TONE_LEVEL)
		a->n = a->at = 0; /* typing: the prompt stops */
	a->hold = 0;
	a->tone = a->tones[t];
	a->tone_n = a->tone_len[t];
	a->tone_pos = 0;
	SDL_UnlockAudioDevice(a->dev);
}

const int16_t *audio_tone_samples(struct audio *a, enum audio_tone t, uint32_t *n)
{
	*n = 0;
	if (!a || t < 0 || t >= AUDIO_TONE_COUNT)
		return NULL;
	*n = a->tone_len[t];
	return a->tones[t];
}

void audio_repeat(struct audio *a)
{
	if (a)
		audio_say(a, &a->last);
}

bool audio_playing(struct audio *a)
{
	if (!a)
		return false;
	SDL_LockAudioDevice(a->dev);
	bool playing = a->at < a->n || a->tone_pos < a->tone_n;
	SDL_UnlockAudioDevice(a->dev);
	return playing;
}

void audio_times(struct audio *a, int64_t *said_us, int64_t *sounded_us)
{
	SDL_LockAudioDevice(a->dev);
	*said_us = a->said_us;
	SDL_UnlockAudioDevice(a->dev);
	*sounded_us = atomic_load(&a->sounded_us);
}
