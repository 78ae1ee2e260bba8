/* Painting views onto SDL surfaces (see draw.c). UI thread only. */
#ifndef ADM_DRAW_H
#define ADM_DRAW_H

#include "text.h"
#include "view.h"

#include <SDL.h>

/* Paints the part of v inside area (NULL: everything) onto dst. */
void draw_view(SDL_Surface *dst, const struct view *v, struct text *t, const SDL_Rect *area);

#endif
