/*
 * Draws synthetic documents as real PDFs with cairo: A4 pages laid out like the civil
 * registry's printouts (heading, title, NIK, names, body, and the QR code standing for
 * the electronic signature at the bottom right, made with libqrencode), and ID-1 cards
 * (85.60 x 53.98 mm) for KTP-el and KIA. Every page says SPECIMEN: none of this is a
 * real document. The creation date is fixed so the same seed gives the same bytes.
 */
#include "central.h"
#include "membuf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>

static cairo_status_t write_mem(void *closure, const unsigned char *data, unsigned int len)
{
	/* a failed write ends the surface in error: cairo_surface_status says so */
	return membuf_put(closure, data, len) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static void draw_qr(cairo_t *cr, const char *text, double x, double y, double size)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return;
	double m = size / (qr->width + 2); /* one module of quiet zone each side */
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, size, size);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int r = 0; r < qr->width; r++)
		for (int c = 0; c < qr->width; c++)
			if (qr->data[r * qr->width + c] & 1)
				cairo_rectangle(cr, x + (c + 1) * m, y + (r + 1) * m, m, m);
	cairo_fill(cr);
	QRcode_free(qr);
}

static void text(cairo_t *cr, double x, double y, double size, bool bold, const char *s)
{
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
	cairo_move_to(cr, x, y);
	cairo_show_text(cr, s);
}

static void centered(cairo_t *cr, double w, double y, double size, bool bold, const char *s)
{
	cairo_text_extents_t e;
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
	cairo_text_extents(cr, s, &e);
	text(cr, (w - e.width) / 2 - e.x_bearing, y, size, bold, s);
}

static void draw_a4(cairo_t *cr, const struct pdf_doc *d, const char *qr)
{
	const double w = 595.28, h = 841.89;
	char line[256];
	cairo_set_source_rgb(cr, 0, 0, 0);
	centered(cr, w, 70, 12, true, "REPUBLIK INDONESIA");
	snprintf(line, sizeof(line), "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL %s", d->region);
	centered(cr, w, 88, 10, false, line);
	cairo_set_line_width(cr, 1.5);
	cairo_move_to(cr, 50, 100);
	cairo_line_to(cr, w - 50, 100);
	cairo_stroke(cr);
	centered(cr, w, 140, 16, true, d->title_id);
	centered(cr, w, 160, 10, false, d->title_en);
	snprintf(line, sizeof(line), "Nomor: %s", d->doc_id);
	centered(cr, w, 180, 9, false, line);

	const char *labels[] = { "NIK", "Nama Lengkap", "Nomor KK", "Tempat/Tgl. Lahir" };
	const char *values[] = { d->nik, d->name, d->kk, d->birth };
	for (int i = 0; i < 4; i++) {
		text(cr, 70, 230 + i * 22, 11, false, labels[i]);
		snprintf(line, sizeof(line), ":  %s", values[i]);
		text(cr, 200, 230 + i * 22, 11, i == 1, line);
	}
	text(cr, 70, 360, 10, false,
	     "Dokumen ini diterbitkan secara elektronik dan ditandatangani dengan TTE.");
	text(cr, 70, 376, 10, false, "This document was issued and signed electronically.");

	cairo_save(cr);
	cairo_set_source_rgba(cr, 0.8, 0.1, 0.1, 0.25);
	cairo_translate(cr, w / 2, h / 2 + 60);
	cairo_rotate(cr, -0.5);
	centered(cr, 0, 0, 60, true, "SPECIMEN");
	cairo_restore(cr);

	cairo_set_source_rgb(cr, 0, 0, 0);
	text(cr, w - 230, h - 190, 9, false, "Kepala Dinas (TTE)");
	draw_qr(cr, qr, w - 150, h - 170, 100);
	text(cr, 50, h - 40, 7, false, "Data sintetis untuk uji coba - synthetic test data");
}

static void draw_card(cairo_t *cr, const struct pdf_doc *d, const char *qr)
{
	const double w = 242.65, h = 153.01; /* ID-1 in points */
	char line[128];
	cairo_set_source_rgb(cr, 0.85, 0.92, 1.0);
	cairo_rectangle(cr, 0, 0, w, h);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	centered(cr, w, 14, 7, true, "REPUBLIK INDONESIA");
	centered(cr, w, 24, 6, false, d->title_id);
	snprintf(line, sizeof(line), "NIK  %s", d->nik);
	text(cr, 10, 42, 8, true, line);
	text(cr, 10, 56, 6.5, false, d->name);
	text(cr, 10, 66, 6, false, d->birth);
	text(cr, 10, 76, 6, false, d->region);
	cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
	cairo_rectangle(cr, 180, 34, 50, 62); /* photo area */
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0.8, 0.1, 0.1);
	text(cr, 10, 140, 9, true, "SPECIMEN");
	draw_qr(cr, qr, w - 52, h - 52, 46);
}

unsigned char *pdf_render(const struct pdf_doc *d, size_t *len)
{
	struct membuf m = { 0 };
	double w = d->card ? 242.65 : 595.28, h = d->card ? 153.01 : 841.89;
	cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(write_mem, &m, w, h);
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATE_DATE, "2026-01-01T00:00:00Z");
	cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, d->title_id);
	cairo_t *cr = cairo_create(sf);
	char qr[160];
	/* what a verifier app would show: active document, number, NIK (synthetic) */
	snprintf(qr, sizeof(qr), "ADM-SYNTH|dokumen aktif|%s|%s", d->doc_id, d->nik);
	/* pages: the same page again (a benchmark's two-page document); 0 or 1: one */
	for (int p = 0; p < (d->pages > 1 ? d->pages : 1); p++) {
		if (d->card)
			draw_card(cr, d, qr);
		else
			draw_a4(cr, d, qr);
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_finish(sf);
	bool ok = cairo_surface_status(sf) == CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(sf);
	if (!ok) {
		free(m.data);
		return NULL;
	}
	*len = m.len;
	return m.data;
}
