/*
 * Images with random content, for tests and benchmarks: noise is the worst case for the
 * encoders (PNG cannot compress it), so a bundle of these is as large per pixel as real
 * photographs get. SDL_image writes only to files or fixed buffers, hence the temporary
 * file.
 */
#include "synth_image.h"

#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rbe");
	unsigned char *buf = NULL;
	long n;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

bool synth_image(int w, int h, bool jpeg, unsigned seed, int quality, unsigned char **data,
		 size_t *len)
{
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 24, SDL_PIXELFORMAT_RGB24);
	if (!s)
		return false;
	uint32_t x = seed * 2654435761u + 1;
	for (int y = 0; y < h; y++) {
		unsigned char *row = (unsigned char *)s->pixels + (size_t)y * (size_t)s->pitch;
		for (int i = 0; i < w * 3; i++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5; /* xorshift32 */
			row[i] = (unsigned char)((x & 0x7F) + (i * 128 / (w * 3)));
		}
	}
	char path[] = "/tmp/adm-synth-XXXXXX";
	int fd = mkstemp(path);
	bool ok = fd >= 0;
	if (fd >= 0)
		close(fd);
	if (ok)
		ok = (jpeg ? IMG_SaveJPG(s, path, quality) : IMG_SavePNG(s, path)) == 0;
	SDL_FreeSurface(s);
	*data = ok ? slurp(path, len) : NULL;
	if (fd >= 0)
		unlink(path);
	return *data != NULL;
}
