/*
 * Fonts and rendered text. Owned and used by the UI thread only.
 *
 * Fonts are opened lazily per role from one copy of each font file in memory. Rendered
 * strings are kept in a small least-recently-used cache, so a redraw of an unchanged
 * screen renders no text and a ticking clock renders one string a second.
 */
#ifndef ADM_TEXT_H
#define ADM_TEXT_H

#include "theme.h"

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

struct text;

/* unit_px: the screen's unit (shorter side / 100). NULL on failure, with a log line. */
struct text *text_create(const char *assets_dir, float unit_px);
void text_destroy(struct text *t);

/* All sizes times scale (1 normally; THEME_LARGE_SCALE in the accessible mode). A change
 * reopens the fonts and forgets every cached string. */
void text_set_scale(struct text *t, float scale);
/* The pixel size of a role's font at the current scale. */
int text_font_px(const struct text *t, enum font_role role);

/* Size of s in the role's font; wrap_w > 0 wraps lines at that width. */
void text_size(struct text *t, enum font_role role, const char *s, int wrap_w, int *w, int *h);
int text_line_height(struct text *t, enum font_role role);

/*
 * The string rendered in colour (0xRRGGBB), wrapped at wrap_w if > 0 and centred per line
 * if centre. The surface belongs to the cache and stays valid until the next call.
 */
SDL_Surface *text_render(struct text *t, enum font_role role, uint32_t colour, const char *s,
			 int wrap_w, bool centre);

/* Wipes every cached string, measurement and rendered surface (its pixels too): at the end
 * of a visit, so that nothing a citizen saw stays in memory. The next frames render
 * again what they show. */
void text_forget(struct text *t);

/* Where the fonts were found, to find the assets folder once for everyone. */
const char *text_assets_dir(const struct text *t);

/* Finds the folder holding fonts/: dir if given, else $ADM_ASSETS_DIR, the installed
 * folder, then the source tree's. Writes it to out; false if none has the fonts. */
bool text_find_assets(const char *dir, char *out, size_t outlen);

#endif
