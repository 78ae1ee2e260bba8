/*
 * Every screen of the kiosk, as a function of the flow state (see view.h): the frame
 * (header with clock, footer, countdown) and the entry point; the screens themselves are
 * in one file per group (screens.h).
 *
 * Bahasa Indonesia comes first and large, English second and smaller, on every screen:
 * many citizens are first-time users, and both languages are visible at once rather than
 * behind a language switch. Layout is in screen units (shorter side / 100); a portrait
 * screen stacks what a landscape screen puts side by side.
 */
#include "screens.h"

#include <stdio.h>
#include <string.h>

/* ---- frame: header with clock, footer, countdown ---------------------------------- */

static const char *const day_names[7] = { "Minggu", "Senin", "Selasa", "Rabu",
					  "Kamis",  "Jumat", "Sabtu" };
static const char *const month_names[12] = { "Januari",	  "Februari", "Maret",	  "April",
					     "Mei",	  "Juni",     "Juli",	  "Agustus",
					     "September", "Oktober",  "November", "Desember" };

static void header(struct layout *L)
{
	struct view *v = L->v;
	const struct tm *tm = &L->ctx->wall;
	int hh = U(L, HEADER_U), pad = U(L, SP_PAD);
	char clock[16], date[64];
	struct widget *wd;

	box(L, rect(0, 0, v->w, hh), COL_HEADER, 0);
	box(L, rect(0, hh, v->w, U(L, 0.6f)), COL_ACCENT, 0);
	wd =
	    pair(L, rect(pad, 0, v->w - 2 * pad - U(L, 34), hh), FONT_HEAD, FONT_SMALL, ALIGN_LEFT,
		 "Anjungan Dukcapil Mandiri",
		 v->portrait ? "Cetak dokumen kependudukan" : "Cetak dokumen kependudukan sendiri");
	wd->colour = COL_HEADER_TEXT;
	wd->sub_colour = COL_HEADER_2;

	snprintf(clock, sizeof(clock), "%02d:%02d:%02d", tm->tm_hour % 24, tm->tm_min % 60,
		 tm->tm_sec % 61);
	snprintf(date, sizeof(date), "%s, %d %s %d", day_names[(unsigned)tm->tm_wday % 7],
		 tm->tm_mday, month_names[(unsigned)tm->tm_mon % 12], tm->tm_year + 1900);
	/* Time and date are two widgets, so a tick repaints the time alone. */
	int th = text_line_height(L->t, FONT_HEAD), dh = text_line_height(L->t, FONT_SMALL);
	int ty = (hh - th - dh) / 2;
	wd = label(L, rect(v->w - pad - U(L, 34), ty, U(L, 34), th), FONT_HEAD, COL_HEADER_TEXT,
		   ALIGN_RIGHT, clock);
	wd = label(L, rect(v->w - pad - U(L, 34), ty + th, U(L, 34), dh), FONT_SMALL, COL_HEADER_2,
		   ALIGN_RIGHT, date);
}

static void footer(struct layout *L)
{
	struct view *v = L->v;
	int fh = U(L, FOOTER_U), pad = U(L, SP_PAD), y = v->h - fh;
	int secs = flow_countdown_s(L->f);
	char where[96], id[160], en[160];
	struct widget *wd;

	if (secs > 0) {
		snprintf(id, sizeof(id),
			 "Sesi berakhir dalam %d detik. Sentuh di sini untuk lanjut.", secs);
		snprintf(en, sizeof(en), "Your session ends in %d s. Touch here to continue.",
			 secs);
		wd = box(L, rect(0, y, v->w, fh), COL_WARN_BG, 0);
		wd->has_border = true;
		wd->border = COL_ACCENT;
		wd->font = FONT_BODY_B;
		wd->sub_font = FONT_SMALL;
		wd->colour = COL_TEXT;
		wd->sub_colour = COL_TEXT_2;
		wd->align = ALIGN_CENTRE;
		set_text(wd, id, en);
		wd->tappable = true;
		wd->action = ACT_CONTINUE;
		return;
	}
	box(L, rect(0, y, v->w, fh), COL_SURFACE, 0);
	box(L, rect(0, y, v->w, U(L, 0.2f)), COL_BORDER, 0);
	snprintf(where, sizeof(where), "ADM %s", L->ctx->kiosk_id ? L->ctx->kiosk_id : "");
	wd = pair(L, rect(pad, y, v->w / 2 - pad, fh), FONT_SMALL, FONT_SMALL, ALIGN_LEFT, where,
		  L->ctx->location);
	wd->colour = COL_TEXT_2;
	wd = pair(L, rect(v->w / 2, y, v->w / 2 - pad, fh), FONT_SMALL, FONT_SMALL, ALIGN_RIGHT,
		  "Butuh bantuan? Tanyakan petugas.", "Need help? Ask the staff.");
	wd->colour = COL_TEXT_2;
}

/* ---- entry point ------------------------------------------------------------------- */

void view_build(struct view *v, int w, int h, const struct flow *f, const struct view_ctx *ctx,
		struct text *t)
{
	struct layout L;
	float unit = (float)(w < h ? w : h) / 100.0f;

	memset(v, 0, sizeof(*v));
	v->w = w;
	v->h = h;
	v->unit = unit;
	v->portrait = h > w;
	L.v = v;
	L.t = t;
	L.f = f;
	L.ctx = ctx;
	L.u = unit;
	int top = U(&L, HEADER_U + 0.6f) + U(&L, SP_PAD);
	int bottom = U(&L, FOOTER_U) + U(&L, SP_PAD);
	L.body = rect(U(&L, SP_PAD), top, w - 2 * U(&L, SP_PAD), h - top - bottom);

	box(&L, rect(0, 0, w, h), COL_BG, 0);
	header(&L);
	switch (f->state) {
	case FLOW_ATTRACT:
		screen_attract(&L);
		break;
	case FLOW_READING:
		screen_reading(&L);
		break;
	case FLOW_NIK_ENTRY:
	case FLOW_VERIFY:
	case FLOW_AUTHORISE:
	case FLOW_TECH_PIN:
		screen_keypad(&L);
		break;
	case FLOW_QR_WAIT:
		screen_qr(&L);
		break;
	case FLOW_DOCUMENTS:
		screen_documents(&L);
		break;
	case FLOW_PRINTING:
		screen_printing(&L);
		break;
	case FLOW_DONE:
		screen_done(&L);
		break;
	case FLOW_NOTHING_READY:
		screen_nothing_ready(&L);
		break;
	case FLOW_ERROR:
		screen_error(&L);
		break;
	case FLOW_OUT_OF_SERVICE:
		screen_out_of_service(&L);
		break;
	case FLOW_TECHNICIAN:
	case FLOW_STATE_COUNT:
		screen_technician(&L);
		break;
	}
	footer(&L);
}

void view_text_layout(const struct widget *wd, struct text *t, SDL_Rect *main_r, SDL_Rect *sub_r)
{
	int w1 = 0, h1 = 0, w2 = 0, h2 = 0;
	int inner_w = wd->r.w - 2 * wd->pad;
	int wrap = wd->wrap ? inner_w : 0;

	if (wd->text[0])
		text_size(t, wd->font, wd->text, wrap, &w1, &h1);
	if (wd->sub[0])
		text_size(t, wd->sub_font, wd->sub, wrap, &w2, &h2);
	int total = h1 + h2;
	int y = wd->r.y + (wd->r.h - total) / 2;
	int x1, x2;
	switch (wd->align) {
	case ALIGN_LEFT:
		x1 = x2 = wd->r.x + wd->pad;
		break;
	case ALIGN_RIGHT:
		x1 = wd->r.x + wd->r.w - wd->pad - w1;
		x2 = wd->r.x + wd->r.w - wd->pad - w2;
		break;
	default:
		x1 = wd->r.x + (wd->r.w - w1) / 2;
		x2 = wd->r.x + (wd->r.w - w2) / 2;
		break;
	}
	*main_r = rect(x1, y, w1, h1);
	*sub_r = rect(x2, y + h1, w2, h2);
}
