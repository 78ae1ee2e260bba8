/*
 * prompts.pack: the spoken prompts' recordings (guide.h), made at build time by
 * adm-voice-gen with espeak-ng and read whole by the kiosk when it starts its audio.
 *
 * Format, little-endian: "ADMVOICE", u32 sample rate, u32 clip count; the index, per
 * clip u8 language (enum guide_lang), u8 0, u16 text length, u32 offset of its samples in
 * the file, u32 sample count, the text (no NUL) and a zero byte if its length is odd;
 * then the samples of every clip (signed 16-bit, mono). A number's clip has the text
 * "#<n>".
 *
 * The kiosk maps the file rather than reading it (25 MB of speech): the index is read at
 * start, and only the clips it plays are ever in memory, the page cache's to drop again
 * (with the index in front, looking a clip up touches no sample page).
 */
#ifndef ADM_VOICE_PACK_H
#define ADM_VOICE_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VOICE_PACK_MAGIC "ADMVOICE"

struct voice_clip {
	int lang;
	const char *text; /* in the mapping: not NUL-terminated */
	size_t len;
	const int16_t *samples;
	uint32_t n;
};

struct voice_pack {
	uint32_t rate;
	int n;
	struct voice_clip *clips;
	void *map;
	size_t map_len;
};

/* NULL with a message in err when the file is missing, short or not a pack. */
struct voice_pack *voice_pack_load(const char *path, char *err, size_t errlen);
void voice_pack_free(struct voice_pack *p);

/* The clip of text in lang, or NULL. */
const struct voice_clip *voice_pack_find(const struct voice_pack *p, int lang, const char *text);
/* The clip of a number's words (0..GUIDE_NUMBER_MAX), or NULL. */
const struct voice_clip *voice_pack_number(const struct voice_pack *p, int lang, int n);

#endif
