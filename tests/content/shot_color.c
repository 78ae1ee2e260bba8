/*
 * shot-color PNG RRGGBB...: how many pixels of a screenshot have each colour (within 2 per
 * channel), one count a line. The kiosk-content test gives each bundle's banner a colour of
 * its own, so a screenshot of the running kiosk says which bundle is on screen.
 */
#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>

static int near(int a, int b)
{
	return abs(a - b) <= 2;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: shot-color PNG RRGGBB...\n");
		return 2;
	}
	SDL_Surface *raw = IMG_Load(argv[1]);
	SDL_Surface *s = raw ? SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0) : NULL;
	SDL_FreeSurface(raw);
	if (!s) {
		fprintf(stderr, "shot-color: %s: %s\n", argv[1], IMG_GetError());
		return 1;
	}
	for (int c = 2; c < argc; c++) {
		unsigned long want = strtoul(argv[c], NULL, 16), n = 0;
		int r = (int)(want >> 16) & 255, g = (int)(want >> 8) & 255, b = (int)want & 255;
		for (int y = 0; y < s->h; y++) {
			const Uint32 *row =
			    (const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch);
			for (int x = 0; x < s->w; x++)
				n += near((int)(row[x] >> 16) & 255, r) &&
				     near((int)(row[x] >> 8) & 255, g) &&
				     near((int)row[x] & 255, b);
		}
		printf("%lu\n", n);
	}
	SDL_FreeSurface(s);
	return 0;
}
