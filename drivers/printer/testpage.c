/*
 * The technician's test page (testpage.h), drawn with cairo.
 */
#include "testpage.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <time.h>

static cairo_status_t put(void *user, const unsigned char *data, unsigned int len)
{
	return membuf_put(user, data, len) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_NO_MEMORY;
}

/* One page: A4 (595x842 pt) or an ID-1 card (153x243 pt, portrait as the queue takes it). */
bool printer_test_page(const char *kiosk, bool card, int64_t now, struct membuf *out)
{
	double w = card ? 153 : 595, h = card ? 243 : 842, m = card ? 8 : 40;
	char when[32], line[160];
	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(put, out, w, h);
	cairo_t *cr = cairo_create(s);
	/* the frame shows where the printer clips; the bars its greys; the grid its lines */
	cairo_set_line_width(cr, 1);
	cairo_rectangle(cr, m / 2, m / 2, w - m, h - m);
	cairo_stroke(cr);
	for (int i = 0; i < 10; i++) {
		cairo_set_source_rgb(cr, i / 9.0, i / 9.0, i / 9.0);
		cairo_rectangle(cr, m + i * (w - 2 * m) / 10, h * 0.45, (w - 2 * m) / 10, h * 0.12);
		cairo_fill(cr);
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (double x = m; x <= w - m; x += (w - 2 * m) / 16) {
		cairo_move_to(cr, x, h * 0.62);
		cairo_line_to(cr, x, h - m);
	}
	for (double y = h * 0.62; y <= h - m; y += (h * 0.38 - m) / 8) {
		cairo_move_to(cr, m, y);
		cairo_line_to(cr, w - m, y);
	}
	cairo_stroke(cr);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, card ? 8 : 28);
	cairo_move_to(cr, m, m + (card ? 14 : 40));
	cairo_show_text(cr, "ADM test page / halaman uji");
	cairo_set_font_size(cr, card ? 6 : 14);
	snprintf(line, sizeof(line), "kiosk %s, %s", kiosk, when);
	cairo_move_to(cr, m, m + (card ? 30 : 80));
	cairo_show_text(cr, line);
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	bool ok = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS && out->len > 0;
	cairo_surface_destroy(s);
	return ok;
}
