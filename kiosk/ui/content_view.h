/*
 * What the attract and nothing-ready screens show of the active content bundle.
 *
 * A content view owns one verified manifest and its banners, decoded to SDL surfaces once
 * by whoever loaded the bundle (kiosk/content_load.c, adm-bundle preview, the screenshot
 * scenarios). The screens ask it, at the frame's clock, what shows now: the selection is
 * a pure function of the effective now (content_effective_now, so a clock reset to 1970
 * still shows valid items) and the kiosk's UTC offset. Banners are scaled to their box
 * once per box size and kept, so a frame never scales an image twice.
 *
 * The UI links only the scheduling part of content/ (no JSON, no image decoder): the
 * loader hands over a manifest with the function that frees it.
 */
#ifndef ADM_CONTENT_VIEW_H
#define ADM_CONTENT_VIEW_H

#include "content.h"

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

/* Seconds each announcement (and banner) stays before the next one: a rotation repaints
 * one widget, and an idle second in between repaints only the clock. */
#define CONTENT_ROTATE_S 8

#define CONTENT_SHOW_NOTICES 2
#define CONTENT_SHOW_OFFICES 4

struct content_view;

/*
 * Takes the surfaces (one per m->files, in order; NULL where an image could not be
 * decoded: that banner is left out) and owner, whatever happens; release(owner) frees
 * what m belongs to (the manifest itself, or the store's bundle holding it). floor: the
 * time floor of content_effective_now (the newest accepted created, at least m's own).
 * NULL only without memory.
 */
struct content_view *content_view_create(const struct content_manifest *m, int64_t floor,
					 void (*release)(void *owner), void *owner,
					 SDL_Surface **images, int utc_offset_s);
void content_view_destroy(struct content_view *cv);
const struct content_manifest *content_view_manifest(const struct content_view *cv);

struct content_show {
	struct content_now now; /* effective, local */
	bool expired;		/* the bundle expired: time-bound items hidden */
	const struct content_item *urgent;
	const struct content_item *banner; /* rotating among the visible ones */
	const struct content_item *announcement;
	int announcement_no, announcements; /* 1-based position in the rotation, count */
	const struct content_item *notices[CONTENT_SHOW_NOTICES];
	int n_notices;
	const struct content_item *hours;      /* the opening hours that show now */
	const struct content_holiday *holiday; /* today is this holiday of hours' */
	const struct content_item *offices[CONTENT_SHOW_OFFICES];
	int n_offices;
};

/* What shows at the kiosk's wall clock wall_now (UTC seconds). */
void content_view_select(const struct content_view *cv, int64_t wall_now, struct content_show *out);

/* The banner's image scaled to fit inside w x h (aspect kept), made once per size and
 * owned by the view; NULL if it has none. */
SDL_Surface *content_view_banner(struct content_view *cv, const struct content_item *banner, int w,
				 int h);

/* Today's spans of a week as "08:00–12:00, 13:00–15:30" ("" when closed all day). */
void content_view_spans(const struct content_week *w, int wday, char *out, size_t size);

#endif
