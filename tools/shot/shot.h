/*
 * The screenshot harness: renders a scenario headless (SDL's offscreen driver, software
 * drawing into a window surface, exactly as the kiosk draws) and compares images.
 */
#ifndef ADM_SHOT_H
#define ADM_SHOT_H

#include "scenarios.h"
#include "text.h"
#include "view.h"

#include <SDL.h>
#include <stdbool.h>

/* Starts SDL on the offscreen driver; false with a message on stderr. */
bool shot_init(void);
void shot_quit(void);

/* Binds the screens' catalogues (i18n.h) found for assets, second the second line's
 * language ($ADM_SECOND_LANGUAGE if NULL, else en); false with a message if none. */
bool shot_languages(const char *assets, const char *second);

/*
 * Renders the scenario at w x h. Returns a new ARGB8888 surface (caller frees), and the
 * view and text used if the out-parameters are not NULL (caller destroys the text).
 */
SDL_Surface *shot_render(const struct scenario *s, int w, int h, const char *assets,
			 struct view *view_out, struct text **text_out);

/*
 * The same with a given content view (not taken) instead of the scenario's own, at the
 * clock now (UTC seconds) shown in local time at utc_offset_s, and a footer that says
 * "preview" instead of a kiosk's id and place: adm-bundle preview.
 */
SDL_Surface *shot_render_content(const struct scenario *s, int w, int h, const char *assets,
				 struct content_view *cv, int64_t now, int utc_offset_s);

/*
 * Counts pixels whose channels differ by more than tol. If diff is not NULL it receives a
 * new image: differing pixels red, the rest a faded copy of the actual image.
 */
long shot_compare(SDL_Surface *actual, SDL_Surface *ref, int tol, SDL_Surface **diff);

/* WCAG 2's contrast ratio of two 0xRRGGBB colours (relative luminance over linear sRGB). */
double shot_contrast(uint32_t a, uint32_t b);

/* Loads a PNG as ARGB8888; NULL if missing or unreadable. */
SDL_Surface *shot_load(const char *path);
bool shot_save(SDL_Surface *s, const char *path);

#endif
