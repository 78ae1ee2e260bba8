/*
 * Thumbnails of documents' first pages, as the document list shows them, keyed by the
 * SHA-256 of the document's file (so a list read again renders nothing again).
 *
 * Threads: a renderer thread (kiosk/thumbs_render.h, in the backend) puts finished images
 * in; the UI thread gets them while it lays out a screen and wipes them all at the end of
 * a visit: a thumbnail shows document content, so its pixels are zeroed, not just freed.
 * Only the UI thread removes entries, so a surface it got stays valid until it wipes.
 */
#ifndef ADM_THUMBS_H
#define ADM_THUMBS_H

#include <SDL.h>
#include <stdbool.h>

/* The box a thumbnail fits in: this tall in screen units, thumbs_width() wide (an A4 page
 * fills its height, a card its width; both keep their proportions). */
#define THUMBS_BOX_U 11.0f
static inline int thumbs_width(int box_h)
{
	return box_h * 3 / 4;
}
/* At most this many at once: a visit's list, twice over. */
#define THUMBS_MAX 24

struct thumbs;

struct thumbs *thumbs_create(void);    /* NULL without memory */
void thumbs_destroy(struct thumbs *t); /* wipes first; NULL is fine */

/* The box's height in pixels for a screen unit (shorter side / 100). */
int thumbs_box_px(float unit);
/* UI thread: the screen's unit, so that renderers make images of the box's size. */
void thumbs_set_unit(struct thumbs *t, float unit);
/* Any thread: the box's height in pixels, 0 before the UI has said. */
int thumbs_box(struct thumbs *t);

/* UI thread: the thumbnail of a file, NULL while there is none (t NULL: none ever). */
SDL_Surface *thumbs_get(struct thumbs *t, const char *key);
/* Any thread: whether one is there. */
bool thumbs_has(struct thumbs *t, const char *key);
/* Any thread: the visit the next put belongs to (see thumbs_put). */
unsigned thumbs_generation(struct thumbs *t);
/* Any thread: keeps s (ARGB8888) for key, and owns it from here. A put for a visit that
 * has ended (generation older than the last wipe), for a key already there, or beyond
 * THUMBS_MAX wipes s instead. True when it was kept. */
bool thumbs_put(struct thumbs *t, const char *key, SDL_Surface *s, unsigned generation);
/* UI thread, at the end of a visit: every thumbnail wiped (pixels zeroed) and freed. */
void thumbs_wipe(struct thumbs *t);

/* A surface's pixels zeroed, then the surface freed. NULL is fine. */
void thumbs_free_surface(SDL_Surface *s);

#endif
