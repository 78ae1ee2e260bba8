/*
 * The layout helpers every screen file shares (screens.c, screen_content.c): a screen is
 * built in screen units into a widget list (view.h). Static inline so each file gets its
 * own copy without public unprefixed symbols in the library.
 */
#ifndef ADM_LAYOUT_H
#define ADM_LAYOUT_H

#include "i18n.h"
#include "view.h"

#include <stdio.h>
#include <string.h>

struct layout {
	struct view *v;
	struct text *t;
	const struct flow *f;
	const struct view_ctx *ctx;
	const struct palette *p; /* the theme: normal, or the accessible mode's */
	float u;
	SDL_Rect body;
};

static inline int U(const struct layout *L, float units)
{
	return (int)(units * L->u + 0.5f);
}

static inline SDL_Rect rect(int x, int y, int w, int h)
{
	SDL_Rect r = { x, y, w, h };
	return r;
}

static inline struct widget *add(struct view *v)
{
	if (v->n >= VIEW_MAX_WIDGETS)
		return &v->items[VIEW_MAX_WIDGETS - 1]; /* overwrite rather than overflow */
	struct widget *wd = &v->items[v->n++];
	memset(wd, 0, sizeof(*wd));
	return wd;
}

static inline struct widget *box(struct layout *L, SDL_Rect r, uint32_t fill, int radius)
{
	struct widget *wd = add(L->v);
	wd->r = r;
	wd->fill = fill;
	wd->has_fill = true;
	wd->radius = radius;
	return wd;
}

/*
 * Where every pair of texts becomes what the screen shows: the English text (sub) is the
 * msgid of both lines, looked up in the catalogues (i18n.h). A text without an English
 * line (a digit, a NIK, a name) is shown as it is.
 */
static inline void tr_pair(const char **text, const char **sub)
{
	if (!*sub || !(*sub)[0])
		return;
	*text = i18n_first(*sub, *text);
	*sub = i18n_second(*sub);
}

static inline void set_text(struct widget *wd, const char *text, const char *sub)
{
	tr_pair(&text, &sub);
	snprintf(wd->text, sizeof(wd->text), "%s", text ? text : "");
	snprintf(wd->sub, sizeof(wd->sub), "%s", sub ? sub : "");
}

/* A bilingual label: Indonesian in font, English under it in sub_font, texts already in
 * the languages they are shown in (formatted from translated parts). */
static inline struct widget *pair_as_is(struct layout *L, SDL_Rect r, enum font_role font,
					enum font_role sub_font, enum align align, const char *id,
					const char *en)
{
	struct widget *wd = add(L->v);
	wd->r = r;
	wd->font = font;
	wd->sub_font = sub_font;
	wd->colour = L->p->text;
	wd->sub_colour = L->p->text_2;
	wd->align = align;
	snprintf(wd->text, sizeof(wd->text), "%s", id ? id : "");
	snprintf(wd->sub, sizeof(wd->sub), "%s", en ? en : "");
	return wd;
}

/* The same for a pair of source texts, looked up in the catalogues. */
static inline struct widget *pair(struct layout *L, SDL_Rect r, enum font_role font,
				  enum font_role sub_font, enum align align, const char *id,
				  const char *en)
{
	tr_pair(&id, &en);
	return pair_as_is(L, r, font, sub_font, align, id, en);
}

/* Height of a bilingual block: both lines as they are, wrapped at wrap_w if > 0. */
static inline int pair_height_as_is(struct layout *L, enum font_role font, enum font_role sub_font,
				    const char *id, const char *en, int wrap_w)
{
	int w, h1 = 0, h2 = 0;
	if (id && id[0])
		text_size(L->t, font, id, wrap_w, &w, &h1);
	if (en && en[0])
		text_size(L->t, sub_font, en, wrap_w, &w, &h2);
	return h1 + h2;
}

/* The same for a pair of source texts, as pair() shows them. */
static inline int pair_height(struct layout *L, enum font_role font, enum font_role sub_font,
			      const char *id, const char *en, int wrap_w)
{
	tr_pair(&id, &en);
	return pair_height_as_is(L, font, sub_font, id, en, wrap_w);
}

static inline struct widget *label(struct layout *L, SDL_Rect r, enum font_role font,
				   uint32_t colour, enum align align, const char *s)
{
	struct widget *wd = pair(L, r, font, font, align, s, NULL);
	wd->colour = colour;
	return wd;
}

/* ---- content screens (screen_content.c) ---- */

/* Lays out what the bundle shows on the attract screen inside b and returns the part of b
 * left for the welcome and the ways in (b itself without content). *urgent: an urgent
 * message took over, the welcome is left out; the ways in still get their rectangle, at
 * least keep high (the message is cut short, down to its least). */
SDL_Rect screen_content_attract(struct layout *L, SDL_Rect b, int keep, bool *urgent);
/* Whether the bundle names offices for the nothing-ready screen. */
bool screen_content_has_offices(const struct layout *L);
/* The least height screen_content_offices needs to show an office (else it shows none). */
int screen_content_offices_min_h(struct layout *L);
/* "Where to apply": the bundle's offices inside r. */
void screen_content_offices(struct layout *L, SDL_Rect r);

#endif
