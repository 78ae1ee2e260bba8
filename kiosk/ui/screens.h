/*
 * What the screen files share (screens.c and one file per group of screens): the building
 * blocks every screen is made of, and each group's entry points, called by view_build()
 * in screens.c. Internal to the UI library; static inline like layout.h's helpers, so the
 * library exports no unprefixed symbols.
 */
#ifndef ADM_SCREENS_H
#define ADM_SCREENS_H

#include "layout.h"

enum button_style { BTN_PRIMARY, BTN_SECONDARY, BTN_DISABLED };

static inline struct widget *button(struct layout *L, SDL_Rect r, enum button_style style,
				    const char *id, const char *en, enum flow_action action,
				    int arg)
{
	struct widget *wd = box(L, r, L->p->primary, U(L, SP_RADIUS));
	wd->font = FONT_BODY_B;
	wd->sub_font = FONT_SMALL;
	wd->align = ALIGN_CENTRE;
	wd->pad = U(L, 1);
	set_text(wd, id, en);
	switch (style) {
	case BTN_PRIMARY:
		wd->colour = wd->sub_colour = L->p->on_primary;
		break;
	case BTN_SECONDARY:
		wd->fill = L->p->surface;
		wd->has_border = true;
		wd->border = L->p->primary;
		wd->colour = L->p->primary;
		wd->sub_colour = L->p->text_2;
		break;
	case BTN_DISABLED:
		wd->fill = L->p->disabled_bg;
		wd->colour = wd->sub_colour = L->p->disabled;
		return wd;
	}
	wd->tappable = true;
	wd->action = action;
	wd->arg = arg;
	return wd;
}

static inline void icon(struct widget *wd, enum icon ic, SDL_Rect r, uint32_t colour)
{
	wd->icon = ic;
	wd->icon_r = r;
	wd->icon_colour = colour;
}

/* A screen title at the top of r, wrapped if long; returns its height. */
static inline int title_as(struct layout *L, SDL_Rect r, enum font_role font, const char *id,
			   const char *en)
{
	int h = pair_height(L, font, FONT_BODY, id, en, r.w);
	struct widget *wd = pair(L, rect(r.x, r.y, r.w, h), font, FONT_BODY, ALIGN_CENTRE, id, en);
	wd->wrap = true;
	return h;
}

static inline int title(struct layout *L, SDL_Rect r, const char *id, const char *en)
{
	return title_as(L, r, FONT_TITLE, id, en);
}

/* A wrapped bilingual paragraph; returns its height. */
static inline int paragraph(struct layout *L, SDL_Rect r, enum font_role font, const char *id,
			    const char *en)
{
	int h = pair_height(L, font, FONT_SMALL, id, en, r.w);
	struct widget *wd = pair(L, rect(r.x, r.y, r.w, h), font, FONT_SMALL, ALIGN_CENTRE, id, en);
	wd->wrap = true;
	return h;
}

static inline void cancel_button(struct layout *L, SDL_Rect r, enum flow_action action,
				 const char *id, const char *en)
{
	button(L, r, BTN_SECONDARY, id, en, action, 0);
}

/* A height of units for a box of a bold line over a small one, or what its two lines
 * need when the text is larger (the accessible mode). */
static inline int fit_h(const struct layout *L, float units)
{
	int need =
	    text_line_height(L->t, FONT_BODY_B) + text_line_height(L->t, FONT_SMALL) + U(L, 1);
	return need > U(L, units) ? need : U(L, units);
}

/* Bottom row of a body: the rectangle for one full-width row of buttons. */
static inline SDL_Rect bottom_row(const struct layout *L)
{
	int bh = fit_h(L, 10);
	return rect(L->body.x, L->body.y + L->body.h - bh, L->body.w, bh);
}

/* One or two buttons centred in a bottom row: the primary one right, the other (its
 * action with arg2) left of it. */
static inline void bottom_buttons_arg(struct layout *L, const char *id1, const char *en1,
				      enum flow_action a1, const char *id2, const char *en2,
				      enum flow_action a2, int arg2)
{
	SDL_Rect row = bottom_row(L);
	int gap = U(L, SP_GAP), half = (row.w - gap) / 2;
	int bw = L->v->portrait ? half : U(L, 44);
	const char *labels[4] = { id1, en1, id2, en2 };
	tr_pair(&labels[0], &labels[1]);
	tr_pair(&labels[2], &labels[3]);
	for (int i = 0; i < 4; i++) { /* large text: as wide as the widest label */
		int w = 0, h;
		if (labels[i])
			text_size(L->t, i % 2 ? FONT_SMALL : FONT_BODY_B, labels[i], 0, &w, &h);
		if (w + U(L, 4) > bw)
			bw = w + U(L, 4) < half ? w + U(L, 4) : half;
	}

	if (!id2) {
		button(L, rect(row.x + (row.w - bw) / 2, row.y, bw, row.h), BTN_PRIMARY, id1, en1,
		       a1, 0);
		return;
	}
	int x = row.x + (row.w - 2 * bw - gap) / 2;
	button(L, rect(x, row.y, bw, row.h), BTN_SECONDARY, id2, en2, a2, arg2);
	button(L, rect(x + bw + gap, row.y, bw, row.h), BTN_PRIMARY, id1, en1, a1, 0);
}

static inline void bottom_buttons(struct layout *L, const char *id1, const char *en1,
				  enum flow_action a1, const char *id2, const char *en2,
				  enum flow_action a2)
{
	bottom_buttons_arg(L, id1, en1, a1, id2, en2, a2, 0);
}

/* A big icon centred at the top of r; returns the height used. */
static inline int hero_icon(struct layout *L, SDL_Rect r, enum icon ic, uint32_t colour,
			    uint32_t bg)
{
	int s = U(L, 16);
	struct widget *wd = box(L, rect(r.x + (r.w - s) / 2, r.y, s, s), bg, s / 2);
	icon(wd, ic, rect(wd->r.x + s / 5, wd->r.y + s / 5, s * 3 / 5, s * 3 / 5), colour);
	return s;
}

/* A coloured box with a wrapped bilingual message: hints and notices, their texts already
 * in the languages they are shown in (the attract screen's may be a technician's words). */
static inline void notice(struct layout *L, SDL_Rect r, uint32_t fill, uint32_t colour,
			  const char *id, const char *en)
{
	struct widget *wd = box(L, r, fill, U(L, SP_RADIUS));
	wd->font = FONT_BODY_B;
	wd->sub_font = FONT_SMALL;
	wd->colour = colour;
	wd->sub_colour = L->p->text_2;
	wd->align = ALIGN_CENTRE;
	wd->wrap = true;
	wd->pad = U(L, 2);
	snprintf(wd->text, sizeof(wd->text), "%s", id ? id : "");
	snprintf(wd->sub, sizeof(wd->sub), "%s", en ? en : "");
}

/* Where a column h high starts in the body, above bottom: pref_top under the body's top;
 * on a portrait screen, whose body is tall, a little above the middle of the room when
 * that is lower, so no empty half screen hangs under the column (unless a list follows
 * it: list_under). */
static inline int column_y(const struct layout *L, int pref_top, int h, int bottom, bool list_under)
{
	int y = L->body.y + pref_top, mid = L->body.y + (bottom - L->body.y - h) * 2 / 5;
	if (L->v->portrait && !list_under && mid > y)
		y = mid;
	if (y + h > bottom)
		y = bottom - h;
	return y < L->body.y ? L->body.y : y;
}

/*
 * A result screen's column: a big icon, a title and up to three paragraphs (and a line in
 * the danger colour), centred across the body from pref_top down (portrait: column_y).
 * When it does not fit above the bottom row (large text), it moves up, and then the icon
 * gives way.
 */
struct message {
	enum icon icon; /* ICON_NONE: none */
	uint32_t icon_colour, icon_bg;
	const char *title_id, *title_en;
	struct {
		enum font_role font;
		const char *id, *en;
	} para[3];
	const char *note, *note_en; /* in the danger colour */
	int pref_top;		    /* from the body's top */
	bool buttons;		    /* a bottom row of buttons under it */
	bool list_under;	    /* the screen lists more under it: no centring */
	int below;		    /* what the screen puts under it needs this high */
};

static inline int message_column(struct layout *L, const struct message *m)
{
	SDL_Rect b = L->body;
	int gap = U(L, SP_GAP), ih = U(L, 16);
	int bottom = m->buttons ? bottom_row(L).y - gap : b.y + b.h;
	int ph[3] = { 0, 0, 0 }, body = 0;
	for (int i = 0; i < 3; i++)
		if (m->para[i].id) {
			ph[i] = pair_height(L, m->para[i].font, FONT_SMALL, m->para[i].id,
					    m->para[i].en, b.w);
			body += gap + ph[i];
		}
	/* too tall even without the icon (large text): the title in the heading's size */
	enum font_role tf = FONT_TITLE;
	int h = pair_height(L, tf, FONT_BODY, m->title_id, m->title_en, b.w) + body;
	int nh = m->note && m->note[0]
		     ? pair_height(L, FONT_BODY_B, FONT_SMALL, m->note, m->note_en, b.w)
		     : 0;
	h += nh ? gap + nh : 0;
	if (h + m->below > bottom - b.y) {
		h -= pair_height(L, tf, FONT_BODY, m->title_id, m->title_en, b.w);
		tf = FONT_HEAD;
		h += pair_height(L, tf, FONT_BODY, m->title_id, m->title_en, b.w);
	}
	bool with_icon = m->icon != ICON_NONE && h + m->below + ih + gap <= bottom - b.y;
	h += with_icon ? ih + gap : 0;
	int y = column_y(L, m->pref_top, h + m->below, bottom, m->list_under);
	if (with_icon)
		y += hero_icon(L, rect(b.x, y, b.w, 0), m->icon, m->icon_colour, m->icon_bg) + gap;
	y += title_as(L, rect(b.x, y, b.w, 0), tf, m->title_id, m->title_en);
	for (int i = 0; i < 3; i++)
		if (ph[i])
			y += gap + paragraph(L, rect(b.x, y + gap, b.w, 0), m->para[i].font,
					     m->para[i].id, m->para[i].en);
	if (nh) {
		struct widget *wd = pair(L, rect(b.x, y + gap, b.w, nh), FONT_BODY_B, FONT_SMALL,
					 ALIGN_CENTRE, m->note, m->note_en);
		wd->colour = L->p->danger;
		wd->wrap = true;
		y += gap + nh;
	}
	return y;
}

/* A message's title and body, in both languages (NULL title: the body alone). */
struct error_text {
	const char *title_id, *title_en, *body_id, *body_en;
};

/* What the screens say, which the spoken prompts say too (guide.c). */
struct error_text screen_error_text(const struct flow *f);
struct error_text screen_nik_reason_text(int reason);
/* The help panel's sentences that its spoken prompt says too (guide_help). */
struct help_words {
	const char *near_id, *near_en;	   /* where the staff are, with no [kiosk] staff_place */
	const char *called_id, *called_en; /* after "call staff" */
	const char *kiosk_id, *kiosk_en;   /* before the kiosk's id */
};
extern const struct help_words screen_help_words;
/* A calendar date (month 1..12) in both languages: "2 Januari 2027", "2 January 2027". */
void screen_date(int year, int month, int day, char *id, size_t id_size, char *en, size_t en_size);

/* ---- the screens, by group ------------------------------------------------------------ */

/* ways in (screen_ways_in.c) */
void screen_attract(struct layout *L);
void screen_qr(struct layout *L);
void screen_reading(struct layout *L);
/* NIK and PINs on the keypad (screen_pins.c) */
void screen_keypad(struct layout *L);
/* documents and printing (screen_documents.c) */
void screen_documents(struct layout *L);
void screen_printing(struct layout *L);
/* the done screen's list of what printed and what did not; returns the y under it */
int screen_done_list(struct layout *L, SDL_Rect r);
/* results: done, nothing ready, errors, out of service (screen_results.c) */
void screen_done(struct layout *L);
void screen_nothing_ready(struct layout *L);
void screen_error(struct layout *L);
void screen_out_of_service(struct layout *L);
/* a printer fault while printing, instead of the printing screen (screen_results.c) */
void screen_print_fault(struct layout *L);
/* the help panel over any citizen screen (screen_help.c) */
void screen_help(struct layout *L);
/* technician mode (screen_technician.c) */
void screen_technician(struct layout *L);

#endif
