#include "voice_pack.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "prompts.pack is mapped as little-endian samples"
#endif

static uint32_t le32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* The index entry at *at; false when it or its samples would run past the end. */
static bool index_clip(const uint8_t *m, size_t len, size_t *at, struct voice_clip *c)
{
	if (*at + 12 > len)
		return false;
	c->lang = m[*at];
	c->len = (size_t)m[*at + 2] | (size_t)m[*at + 3] << 8;
	size_t off = le32(m + *at + 4);
	c->n = le32(m + *at + 8);
	c->text = (const char *)m + *at + 12;
	*at += 12 + c->len + (c->len & 1);
	if (*at > len || off % 2 || off > len || (size_t)c->n * 2 > len - off)
		return false;
	c->samples = (const int16_t *)(const void *)(m + off);
	return true;
}

struct voice_pack *voice_pack_load(const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s: cannot open", path);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	struct voice_pack *p = calloc(1, sizeof(*p));
	if (p && st.st_size >= 16) {
		p->map_len = (size_t)st.st_size;
		p->map = mmap(NULL, p->map_len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p->map == MAP_FAILED)
			p->map = NULL;
	}
	close(fd);
	const uint8_t *m = p ? p->map : NULL;
	if (!m || memcmp(m, VOICE_PACK_MAGIC, 8) != 0)
		goto bad;
	p->rate = le32(m + 8);
	uint32_t n = le32(m + 12);
	if (p->rate < 8000 || p->rate > 48000 || n > 4096)
		goto bad;
	p->clips = calloc(n ? n : 1, sizeof(*p->clips));
	if (!p->clips)
		goto bad;
	size_t at = 16;
	for (p->n = 0; p->n < (int)n; p->n++)
		if (!index_clip(m, p->map_len, &at, &p->clips[p->n]))
			goto bad;
	return p;
bad:
	snprintf(err, errlen, "%s: not a prompts pack, or cut short", path);
	voice_pack_free(p);
	return NULL;
}

void voice_pack_free(struct voice_pack *p)
{
	if (!p)
		return;
	if (p->map)
		munmap(p->map, p->map_len);
	free(p->clips);
	free(p);
}

const struct voice_clip *voice_pack_find(const struct voice_pack *p, int lang, const char *text)
{
	size_t len = strlen(text);
	for (int i = 0; i < p->n; i++)
		if (p->clips[i].lang == lang && p->clips[i].len == len &&
		    memcmp(p->clips[i].text, text, len) == 0)
			return &p->clips[i];
	return NULL;
}

const struct voice_clip *voice_pack_number(const struct voice_pack *p, int lang, int n)
{
	char key[16];
	snprintf(key, sizeof(key), "#%d", n);
	return voice_pack_find(p, lang, key);
}
