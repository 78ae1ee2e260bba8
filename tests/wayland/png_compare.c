/*
 * png-compare: compares a screenshot with a reference, for the cage test.
 *
 *   png-compare ACTUAL REF DIFF_OUT TOLERANCE MAX_BAD [--ignore X,Y,W,H]... [--changed X,Y,W,H]
 *
 * Counts the pixels whose channels differ by more than TOLERANCE (font anti-aliasing may
 * differ slightly between renderings), outside the --ignore rectangles (the clock), and
 * fails above MAX_BAD; the diff image goes to DIFF_OUT. --changed R: at least one pixel
 * inside R must differ (then R is not counted): a repaint that must have reached the screen.
 * MAX_BAD negative: at least -MAX_BAD pixels must differ (the screen changed).
 */
#include "shot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RECTS 8

static bool parse_rect(const char *s, SDL_Rect *r)
{
	return sscanf(s, "%d,%d,%d,%d", &r->x, &r->y, &r->w, &r->h) == 4 && r->w > 0 && r->h > 0;
}

/* Paints r in both images the same: those pixels no longer count. */
static void blank(SDL_Surface *a, SDL_Surface *b, const SDL_Rect *r)
{
	SDL_FillRect(a, r, 0xFF000000u);
	SDL_FillRect(b, r, 0xFF000000u);
}

int main(int argc, char **argv)
{
	SDL_Rect ignore[MAX_RECTS], changed = { 0, 0, 0, 0 };
	int n_ignore = 0;

	if (argc < 6) {
		fprintf(stderr, "usage: png-compare ACTUAL REF DIFF_OUT TOLERANCE MAX_BAD "
				"[--ignore X,Y,W,H]... [--changed X,Y,W,H]\n");
		return 2;
	}
	for (int i = 6; i < argc; i++) {
		bool ok = i + 1 < argc;
		if (ok && strcmp(argv[i], "--ignore") == 0 && n_ignore < MAX_RECTS)
			ok = parse_rect(argv[++i], &ignore[n_ignore++]);
		else if (ok && strcmp(argv[i], "--changed") == 0)
			ok = parse_rect(argv[++i], &changed);
		else
			ok = false;
		if (!ok) {
			fprintf(stderr, "png-compare: bad option %s\n", argv[i]);
			return 2;
		}
	}
	SDL_Surface *a = shot_load(argv[1]), *r = shot_load(argv[2]), *diff = NULL;
	if (!a || !r) {
		fprintf(stderr, "png-compare: cannot read %s\n", a ? argv[2] : argv[1]);
		return 2;
	}
	int tol = atoi(argv[4]);
	long max_bad = atol(argv[5]);
	if (a->w != r->w || a->h != r->h) {
		printf("%s is %dx%d, %s is %dx%d\n", argv[1], a->w, a->h, argv[2], r->w, r->h);
		return 1;
	}
	for (int i = 0; i < n_ignore; i++)
		blank(a, r, &ignore[i]);
	int rc = 0;
	if (changed.w) {
		SDL_Surface *ca = SDL_CreateRGBSurfaceWithFormat(0, changed.w, changed.h, 32,
								 SDL_PIXELFORMAT_ARGB8888);
		SDL_Surface *cr = SDL_CreateRGBSurfaceWithFormat(0, changed.w, changed.h, 32,
								 SDL_PIXELFORMAT_ARGB8888);
		SDL_BlitSurface(a, &changed, ca, NULL);
		SDL_BlitSurface(r, &changed, cr, NULL);
		long in = shot_compare(ca, cr, tol, NULL);
		printf("%ld pixels differ inside %d,%d,%dx%d (must be > 0)\n", in, changed.x,
		       changed.y, changed.w, changed.h);
		rc |= in == 0;
		SDL_FreeSurface(ca);
		SDL_FreeSurface(cr);
		blank(a, r, &changed);
	}
	long bad = shot_compare(a, r, tol, &diff);
	if (max_bad >= 0) {
		printf("%ld pixels differ by more than %d (at most %ld)\n", bad, tol, max_bad);
		rc |= bad > max_bad;
	} else {
		printf("%ld pixels differ by more than %d (at least %ld)\n", bad, tol, -max_bad);
		rc |= bad < -max_bad;
	}
	if (diff)
		shot_save(diff, argv[3]);
	SDL_FreeSurface(diff);
	SDL_FreeSurface(a);
	SDL_FreeSurface(r);
	return rc;
}
