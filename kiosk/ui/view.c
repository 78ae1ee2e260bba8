/* Hit-testing and diffing of widget lists (see view.h); screens.c builds them. */
#include "view.h"

#include <string.h>

int view_hit(const struct view *v, int x, int y)
{
	SDL_Point p = { x, y };

	for (int i = v->n - 1; i >= 0; i--) {
		const struct widget *wd = &v->items[i];
		if (wd->tappable && SDL_PointInRect(&p, &wd->r))
			return i;
	}
	return -1;
}

static bool same_widget(const struct widget *a, const struct widget *b)
{
	/* Widgets are zeroed before they are filled in, so padding compares equal. */
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* Merges rectangles that overlap or nearly touch, so few updates go to the screen. */
static int coalesce(SDL_Rect *rects, int n)
{
	bool merged = true;

	while (merged) {
		merged = false;
		for (int i = 0; i < n && !merged; i++) {
			for (int j = i + 1; j < n; j++) {
				SDL_Rect a = rects[i], b = rects[j];
				a.x -= 8;
				a.y -= 8;
				a.w += 16;
				a.h += 16;
				if (SDL_HasIntersection(&a, &b)) {
					SDL_UnionRect(&rects[i], &rects[j], &rects[i]);
					rects[j] = rects[--n];
					merged = true;
					break;
				}
			}
		}
	}
	return n;
}

int view_diff(const struct view *old, const struct view *cur, SDL_Rect *rects, int max)
{
	SDL_Rect all = { 0, 0, cur->w, cur->h };
	int n = 0;

	if (!old || old->w != cur->w || old->h != cur->h || old->n != cur->n) {
		rects[0] = all;
		return 1;
	}
	for (int i = 0; i < cur->n; i++) {
		const struct widget *a = &old->items[i], *b = &cur->items[i];
		if (same_widget(a, b))
			continue;
		if (n + 2 > max) {
			rects[0] = all;
			return 1;
		}
		rects[n++] = a->r;
		if (!SDL_RectEquals(&a->r, &b->r))
			rects[n++] = b->r;
	}
	return coalesce(rects, n);
}
