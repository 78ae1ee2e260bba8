/*
 * A screen as a list of widgets: the one layout pass that both draws and hit-tests.
 *
 * view_build() lays out the screen for a flow state at a given size; draw.c paints the
 * list; view_hit() finds what a touch landed on in the same list; view_diff() compares two
 * lists and returns only the rectangles that changed, so an idle kiosk repaints the
 * clock's rectangle once a second and nothing else.
 */
#ifndef ADM_VIEW_H
#define ADM_VIEW_H

#include "flow.h"
#include "health.h"
#include "text.h"
#include "theme.h"

#include <SDL.h>
#include <stdbool.h>
#include <time.h>

#define VIEW_MAX_WIDGETS 96
#define VIEW_TEXT_MAX	 160

enum icon {
	ICON_NONE = 0,
	ICON_CARD,
	ICON_KEYPAD,
	ICON_QR,
	ICON_PRINTER,
	ICON_CHECK,
	ICON_WARN,
	ICON_DOC,
	ICON_SPEAKER, /* the spoken prompt's "repeat" button */
	ICON_LEVEL,   /* the volume button's bars: icon_level of them lit */
};

enum align { ALIGN_LEFT = 0, ALIGN_CENTRE, ALIGN_RIGHT };

struct widget {
	SDL_Rect r;
	uint32_t fill;	 /* 0xRRGGBB; used when has_fill */
	uint32_t border; /* used when has_border */
	bool has_fill, has_border;
	int radius;
	enum icon icon;
	SDL_Rect icon_r;
	uint32_t icon_colour;
	int icon_level; /* ICON_LEVEL: bars lit, 1 .. FLOW_VOLUME_LEVELS */
	/* Text: a main line (Indonesian) and an optional second line (English) under it. */
	char text[VIEW_TEXT_MAX];
	char sub[VIEW_TEXT_MAX];
	enum font_role font, sub_font;
	uint32_t colour, sub_colour;
	enum align align;
	bool wrap;	    /* wrap inside the rectangle instead of one line */
	int pad;	    /* inner horizontal padding for text */
	SDL_Surface *image; /* a content banner, already scaled to r (content_view.h) */
	/* Touch. */
	bool tappable;
	bool pressed;
	uint32_t pressed_fill; /* the fill while pressed */
	enum flow_action action;
	int arg;
};

struct view {
	int w, h;
	float unit;
	bool portrait;
	int n;
	struct widget items[VIEW_MAX_WIDGETS];
};

struct content_view;

/* Everything a screen shows besides the flow: the shell's facts. */
struct view_ctx {
	const char *kiosk_id;
	const char *location;
	const char *office; /* where to apply ([kiosk] office), "" or NULL: not configured */
	struct tm wall;	    /* local time for the clock */
	time_t now;	    /* the same instant, for ages ("last sync 3 min ago") */
	const struct health *health;  /* technician mode: devices, printers, sync */
	struct content_view *content; /* the active content bundle, or NULL (content_view.h) */
	struct thumbs *thumbs;	      /* the documents' first pages, or NULL (thumbs.h) */
	const char *staff_place;      /* the help panel's "where the staff are", "" unsaid */
	bool muted;		      /* [audio] mute: no volume button */
};

void view_build(struct view *v, int w, int h, const struct flow *f, const struct view_ctx *ctx,
		struct text *t);

/* The topmost tappable widget under (x, y), or -1. */
int view_hit(const struct view *v, int x, int y);

/*
 * Rectangles that differ between old and cur (at most max; fewer larger ones when many
 * changed). Returns the count; a different size or widget count repaints everything.
 */
int view_diff(const struct view *old, const struct view *cur, SDL_Rect *rects, int max);

/* Where a widget's text goes, for draw.c and the overflow test. */
void view_text_layout(const struct widget *wd, struct text *t, SDL_Rect *main_r, SDL_Rect *sub_r);

#endif
