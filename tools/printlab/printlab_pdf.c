/*
 * Test documents: cairo draws text on A4 or ID-1 pages into memory. The text is synthetic
 * (no real person) and differs per page, so pdftotext proves page order and content.
 */
#include "printlab_pdf.h"

#include "membuf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>

static cairo_status_t append(void *closure, const unsigned char *data, unsigned int length)
{
	return membuf_put(closure, data, length) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_NO_MEMORY;
}

unsigned char *printlab_pdf_make(int pages, bool card, size_t *len)
{
	struct membuf b = { 0 };
	/* Points: A4 is 595 x 842, an ID-1 card 153 x 243 (portrait, as the queue offers). */
	double w = card ? 153.07 : 595.28, h = card ? 243.78 : 841.89;
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(append, &b, w, h);
	cairo_t *cr = cairo_create(s);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	for (int i = 1; i <= pages; i++) {
		char line[96];
		cairo_set_font_size(cr, card ? 9 : 16);
		cairo_move_to(cr, card ? 10 : 72, card ? 40 : 100);
		snprintf(line, sizeof(line), "ADM test %s page %d of %d",
			 card ? "card" : "document", i, pages);
		cairo_show_text(cr, line);
		cairo_move_to(cr, card ? 10 : 72, card ? 60 : 130);
		cairo_show_text(cr, card ? "KARTU UJI" : "Dokumen uji: Budi Contoh, Kota Contoh");
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_finish(s);
	bool ok = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(s);
	if (!ok) {
		free(b.data);
		return NULL;
	}
	*len = b.len;
	return b.data;
}
