#include "voice_pack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool get(FILE *f, void *buf, size_t n)
{
	return fread(buf, 1, n, f) == n;
}

static uint32_t le32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* One clip from f; false on a short or impossible record. */
static bool read_clip(FILE *f, struct voice_clip *c)
{
	uint8_t h[4], nb[4];
	if (!get(f, h, 4))
		return false;
	size_t len = (size_t)h[2] | (size_t)h[3] << 8;
	c->lang = h[0];
	c->text = calloc(1, len + 1);
	if (!c->text || !get(f, c->text, len) || !get(f, nb, 4))
		return false;
	c->n = le32(nb);
	if (c->n > 60u * 48000u) /* a minute: no prompt is that long */
		return false;
	c->samples = malloc((size_t)c->n * 2 + 1);
	if (!c->samples || !get(f, c->samples, (size_t)c->n * 2))
		return false;
	for (uint32_t i = 0; i < c->n; i++) { /* little-endian on disk, any order in memory */
		const uint8_t *b = (const uint8_t *)&c->samples[i];
		c->samples[i] = (int16_t)(uint16_t)(b[0] | b[1] << 8);
	}
	return true;
}

struct voice_pack *voice_pack_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	uint8_t h[16];
	if (!f) {
		snprintf(err, errlen, "%s: cannot open", path);
		return NULL;
	}
	struct voice_pack *p = calloc(1, sizeof(*p));
	if (!p || !get(f, h, 16) || memcmp(h, VOICE_PACK_MAGIC, 8) != 0)
		goto bad;
	p->rate = le32(h + 8);
	uint32_t n = le32(h + 12);
	if (p->rate < 8000 || p->rate > 48000 || n > 4096)
		goto bad;
	p->clips = calloc(n, sizeof(*p->clips));
	if (!p->clips)
		goto bad;
	for (p->n = 0; p->n < (int)n; p->n++)
		if (!read_clip(f, &p->clips[p->n])) {
			p->n++; /* freed with the rest */
			goto bad;
		}
	fclose(f);
	return p;
bad:
	snprintf(err, errlen, "%s: not a prompts pack, or cut short", path);
	fclose(f);
	voice_pack_free(p);
	return NULL;
}

void voice_pack_free(struct voice_pack *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->n; i++) {
		free(p->clips[i].text);
		free(p->clips[i].samples);
	}
	free(p->clips);
	free(p);
}

const struct voice_clip *voice_pack_find(const struct voice_pack *p, int lang, const char *text)
{
	for (int i = 0; i < p->n; i++)
		if (p->clips[i].lang == lang && strcmp(p->clips[i].text, text) == 0)
			return &p->clips[i];
	return NULL;
}

const struct voice_clip *voice_pack_number(const struct voice_pack *p, int lang, int n)
{
	char key[16];
	snprintf(key, sizeof(key), "#%d", n);
	return voice_pack_find(p, lang, key);
}
