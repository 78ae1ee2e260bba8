/*
 * What the technician mode's screen files share (screen_technician.c: the frame, the tabs
 * and the health page; screen_tech_pages.c: the other pages). Internal to the UI library.
 */
#ifndef ADM_SCREEN_TECH_H
#define ADM_SCREEN_TECH_H

#include "screens.h"

/* A button in technician type: a bold line over a line of FONT_TECH. */
struct widget *screen_tech_button(struct layout *L, SDL_Rect r, enum button_style style,
				  const char *id, const char *en, enum flow_action action, int arg);
/* The height of a technician button, whatever the text size. */
int screen_tech_button_h(struct layout *L);

/* One box of a page: what (bold, English under it; shown as given, so translated by the
 * caller, as a printer's queue is on its first line only) in a column of lw on the left, how it
 * is beside it in colour, and room for nb buttons of bw at the right (0: none) that the
 * caller places at the returned row's (x, y) + screen_tech_buttons_at(). Returns the box's
 * height. */
struct tech_row {
	SDL_Rect r; /* the whole box */
	int bx, by; /* where the first button goes */
	int bw, bh; /* each button's size */
	int step;   /* from one button to the next (x) */
};
struct tech_row screen_tech_row(struct layout *L, SDL_Rect at, const char *what_id,
				const char *what_en, const char *id, const char *en,
				uint32_t colour, int nb);

/* "3 menit lalu" / "3 min ago" */
void screen_tech_ago(int64_t s, char *id, char *en, size_t size);
/* The printer's state, reasons and supplies in both languages. */
/* "Printer A4 (QUEUE)" over "A4 printer", translated before the queue goes in. */
void screen_tech_printer_label(bool card, const char *queue, char *id, char *en, size_t size);
void screen_tech_printer_text(const struct health_printer *p, char *id, char *en, size_t size);

/* The pages (screen_tech_pages.c), each inside r. */
void screen_tech_printers(struct layout *L, SDL_Rect r);
void screen_tech_uncertain(struct layout *L, SDL_Rect r);
void screen_tech_reader(struct layout *L, SDL_Rect r);
void screen_tech_service(struct layout *L, SDL_Rect r);
void screen_tech_errors(struct layout *L, SDL_Rect r);

#endif
