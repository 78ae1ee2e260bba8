/*
 * shot-color PNG RRGGBB...: how many pixels of a screenshot have each colour (within 2 per
 * channel), one count a line. The kiosk-content test gives each bundle's banner a colour of
 * its own, so a screenshot of the running kiosk says which bundle is on screen.
 * shot-color --diff A.png B.png Y0 Y1: how many pixels of rows Y0..Y1-1 differ (by more
 * than 4 in a channel) between two screenshots of one size: the content-chain test holds
 * the running kiosk's screen against adm-bundle preview's below the clock, above the footer.
 */
#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int near(Uint32 a, Uint32 b, int shift, int tolerance)
{
	return abs((int)((a >> shift) & 255) - (int)((b >> shift) & 255)) <= tolerance;
}

static SDL_Surface *load(const char *path)
{
	SDL_Surface *raw = IMG_Load(path);
	SDL_Surface *s = raw ? SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0) : NULL;
	SDL_FreeSurface(raw);
	if (!s)
		fprintf(stderr, "shot-color: %s: %s\n", path, IMG_GetError());
	return s;
}

static const Uint32 *row_of(const SDL_Surface *s, int y)
{
	return (const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch);
}

static int diff(const char *a_path, const char *b_path, int y0, int y1)
{
	SDL_Surface *a = load(a_path), *b = load(b_path);
	int rc = 1;
	if (a && b && (a->w != b->w || a->h != b->h || y0 < 0 || y1 > a->h || y0 >= y1))
		fprintf(stderr, "shot-color: sizes %dx%d and %dx%d, rows %d..%d\n", a->w, a->h,
			b->w, b->h, y0, y1);
	else if (a && b) {
		unsigned long n = 0;
		for (int y = y0; y < y1; y++)
			for (int x = 0; x < a->w; x++) {
				Uint32 p = row_of(a, y)[x], q = row_of(b, y)[x];
				n += !(near(p, q, 16, 4) && near(p, q, 8, 4) && near(p, q, 0, 4));
			}
		printf("%lu\n", n);
		rc = 0;
	}
	SDL_FreeSurface(a);
	SDL_FreeSurface(b);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 6 && strcmp(argv[1], "--diff") == 0)
		return diff(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]));
	if (argc < 3) {
		fprintf(stderr, "usage: shot-color PNG RRGGBB...\n"
				"       shot-color --diff A.png B.png Y0 Y1\n");
		return 2;
	}
	SDL_Surface *s = load(argv[1]);
	if (!s)
		return 1;
	for (int c = 2; c < argc; c++) {
		Uint32 want = (Uint32)strtoul(argv[c], NULL, 16);
		unsigned long n = 0;
		for (int y = 0; y < s->h; y++)
			for (int x = 0; x < s->w; x++)
				n += near(row_of(s, y)[x], want, 16, 2) &&
				     near(row_of(s, y)[x], want, 8, 2) &&
				     near(row_of(s, y)[x], want, 0, 2);
		printf("%lu\n", n);
	}
	SDL_FreeSurface(s);
	return 0;
}
