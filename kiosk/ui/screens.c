/*
 * Every screen of the kiosk, as a function of the flow state (see view.h).
 *
 * Bahasa Indonesia comes first and large, English second and smaller, on every screen:
 * many citizens are first-time users, and both languages are visible at once rather than
 * behind a language switch. Layout is in screen units (shorter side / 100); a portrait
 * screen stacks what a landscape screen puts side by side.
 */
#include "layout.h"

#include "nik.h"

#include <stdio.h>
#include <string.h>

enum button_style { BTN_PRIMARY, BTN_SECONDARY, BTN_DISABLED };

static struct widget *button(struct layout *L, SDL_Rect r, enum button_style style, const char *id,
			     const char *en, enum flow_action action, int arg)
{
	struct widget *wd = box(L, r, COL_PRIMARY, U(L, SP_RADIUS));
	wd->font = FONT_BODY_B;
	wd->sub_font = FONT_SMALL;
	wd->align = ALIGN_CENTRE;
	wd->pad = U(L, 1);
	set_text(wd, id, en);
	switch (style) {
	case BTN_PRIMARY:
		wd->colour = wd->sub_colour = COL_ON_PRIMARY;
		break;
	case BTN_SECONDARY:
		wd->fill = COL_SURFACE;
		wd->has_border = true;
		wd->border = COL_PRIMARY;
		wd->colour = COL_PRIMARY;
		wd->sub_colour = COL_TEXT_2;
		break;
	case BTN_DISABLED:
		wd->fill = COL_DISABLED_BG;
		wd->colour = wd->sub_colour = COL_DISABLED;
		return wd;
	}
	wd->tappable = true;
	wd->action = action;
	wd->arg = arg;
	return wd;
}

static void icon(struct widget *wd, enum icon ic, SDL_Rect r, uint32_t colour)
{
	wd->icon = ic;
	wd->icon_r = r;
	wd->icon_colour = colour;
}

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

/* ---- building blocks ---------------------------------------------------------------- */

/* A screen title at the top of r, wrapped if long; returns its height. */
static int title(struct layout *L, SDL_Rect r, const char *id, const char *en)
{
	int h = pair_height(L, FONT_TITLE, FONT_BODY, id, en, r.w);
	struct widget *wd =
	    pair(L, rect(r.x, r.y, r.w, h), FONT_TITLE, FONT_BODY, ALIGN_CENTRE, id, en);
	wd->wrap = true;
	return h;
}

/* A wrapped bilingual paragraph; returns its height. */
static int paragraph(struct layout *L, SDL_Rect r, enum font_role font, const char *id,
		     const char *en)
{
	int h = pair_height(L, font, FONT_SMALL, id, en, r.w);
	struct widget *wd = pair(L, rect(r.x, r.y, r.w, h), font, FONT_SMALL, ALIGN_CENTRE, id, en);
	wd->wrap = true;
	return h;
}

static void cancel_button(struct layout *L, SDL_Rect r, enum flow_action action, const char *id,
			  const char *en)
{
	button(L, r, BTN_SECONDARY, id, en, action, 0);
}

/* Bottom row of a body: the rectangle for one full-width row of buttons. */
static SDL_Rect bottom_row(const struct layout *L)
{
	int bh = U(L, 10);
	return rect(L->body.x, L->body.y + L->body.h - bh, L->body.w, bh);
}

/* One or two buttons centred in a bottom row. */
static void bottom_buttons(struct layout *L, const char *id1, const char *en1, enum flow_action a1,
			   const char *id2, const char *en2, enum flow_action a2)
{
	SDL_Rect row = bottom_row(L);
	int bw = L->v->portrait ? (row.w - U(L, SP_GAP)) / 2 : U(L, 44);
	int gap = U(L, SP_GAP);

	if (!id2) {
		button(L, rect(row.x + (row.w - bw) / 2, row.y, bw, row.h), BTN_PRIMARY, id1, en1,
		       a1, 0);
		return;
	}
	int x = row.x + (row.w - 2 * bw - gap) / 2;
	button(L, rect(x, row.y, bw, row.h), BTN_SECONDARY, id2, en2, a2, 0);
	button(L, rect(x + bw + gap, row.y, bw, row.h), BTN_PRIMARY, id1, en1, a1, 0);
}

/* A big icon centred at the top of r; returns the height used. */
static int hero_icon(struct layout *L, SDL_Rect r, enum icon ic, uint32_t colour, uint32_t bg)
{
	int s = U(L, 16);
	struct widget *wd = box(L, rect(r.x + (r.w - s) / 2, r.y, s, s), bg, s / 2);
	icon(wd, ic, rect(wd->r.x + s / 5, wd->r.y + s / 5, s * 3 / 5, s * 3 / 5), colour);
	return s;
}

/* A coloured box with a wrapped bilingual message: hints and notices. */
static void notice(struct layout *L, SDL_Rect r, uint32_t fill, uint32_t colour, const char *id,
		   const char *en)
{
	struct widget *wd = box(L, r, fill, U(L, SP_RADIUS));
	wd->font = FONT_BODY_B;
	wd->sub_font = FONT_SMALL;
	wd->colour = colour;
	wd->sub_colour = COL_TEXT_2;
	wd->align = ALIGN_CENTRE;
	wd->wrap = true;
	wd->pad = U(L, 2);
	set_text(wd, id, en);
}

/* ---- attract ------------------------------------------------------------------------ */

/* One way in as a tile. Landscape tiles share label_h, the tallest label of the three, so
 * their icons and titles line up. */
static void way_in(struct layout *L, SDL_Rect r, enum icon ic, const char *id, const char *en,
		   enum flow_action action, int label_h)
{
	struct widget *wd = box(L, r, COL_SURFACE, U(L, 1.5f));
	int s;

	wd->has_border = true;
	wd->border = COL_BORDER;
	wd->tappable = true;
	wd->action = action;
	if (L->v->portrait) {
		/* icon left, text right */
		s = r.h - U(L, 6);
		if (s > r.w / 3)
			s = r.w / 3;
		icon(wd, ic, rect(r.x + U(L, 4), r.y + (r.h - s) / 2, s, s), COL_PRIMARY);
		SDL_Rect tr = rect(r.x + s + U(L, 8), r.y, r.w - s - U(L, 10), r.h);
		struct widget *t = pair(L, tr, FONT_HEAD, FONT_BODY, ALIGN_LEFT, id, en);
		t->colour = COL_PRIMARY_DK;
		t->wrap = true;
		return;
	}
	int tw = r.w - U(L, 3);
	int th = label_h;
	s = r.w * 2 / 5;
	if (s > r.h - th - U(L, 8))
		s = r.h - th - U(L, 8);
	int gap = (r.h - s - th) / 3;
	icon(wd, ic, rect(r.x + (r.w - s) / 2, r.y + gap, s, s), COL_PRIMARY);
	int own = pair_height(L, FONT_HEAD, FONT_BODY, id, en, tw);
	struct widget *t = pair(L, rect(r.x + (r.w - tw) / 2, r.y + 2 * gap + s, tw, own),
				FONT_HEAD, FONT_BODY, ALIGN_CENTRE, id, en);
	t->colour = COL_PRIMARY_DK;
	t->wrap = true;
}

static void screen_attract(struct layout *L)
{
	bool urgent;
	/* the bundle's content first: it says what is left for the welcome and the ways in */
	SDL_Rect b = screen_content_attract(L, L->body, &urgent);
	int y = b.y, gap = U(L, SP_GAP);

	if (!urgent) {
		y += title(L, rect(b.x, y, b.w, 0), "Selamat datang", "Welcome");
		y += gap / 2;
		y += paragraph(L, rect(b.x, y, b.w, 0), FONT_BODY_B,
			       "Cetak dokumen kependudukan Anda sendiri. Pilih cara masuk:",
			       "Print your own population documents. Choose how to start:");
		y += gap * 2;
	}

	/* A printer that cannot print now is said before anyone starts. */
	const char *down_id = NULL, *down_en = NULL;
	if ((L->f->printers_down & (PRN_A4_DOWN | PRN_CARD_DOWN)) == PRN_A4_DOWN) {
		down_id = "Cetak dokumen A4 sedang tidak tersedia. Cetak kartu tetap bisa.";
		down_en = "A4 documents cannot be printed now. Cards still can.";
	} else if ((L->f->printers_down & (PRN_A4_DOWN | PRN_CARD_DOWN)) == PRN_CARD_DOWN) {
		down_id = "Cetak KTP-el dan KIA sedang tidak tersedia. Dokumen A4 tetap bisa.";
		down_en = "KTP-el and KIA cards cannot be printed now. A4 documents still can.";
	}
	if (down_id) {
		int dh = pair_height(L, FONT_BODY_B, FONT_SMALL, down_id, down_en, b.w - U(L, 4)) +
			 U(L, 2);
		notice(L, rect(b.x, y, b.w, dh), COL_DANGER_BG, COL_DANGER, down_id, down_en);
		y += dh + gap;
	}
	static const char *const hint_id =
	    "Letakkan KTP-el di atas pembaca kartu bertanda NFC, di bawah layar.";
	static const char *const hint_en =
	    "Lay your KTP-el on the reader marked NFC, below the screen.";
	int hint_h =
	    L->f->hint
		? pair_height(L, FONT_BODY_B, FONT_SMALL, hint_id, hint_en, b.w - U(L, 4)) + U(L, 3)
		: 0;
	int avail = b.y + b.h - y - (hint_h ? hint_h + gap : 0);
	static const struct {
		enum icon icon;
		const char *id, *en;
		enum flow_action action;
	} ways[3] = {
		{ ICON_CARD, "Tempelkan KTP-el", "Tap your KTP-el card on the reader",
		  ACT_CARD_HINT },
		{ ICON_KEYPAD, "Ketik NIK", "Type your NIK", ACT_START_NIK },
		{ ICON_QR, "Pindai kode QR", "Scan the QR code from your notification",
		  ACT_START_QR },
	};
	if (L->v->portrait) {
		int th = (avail - 2 * gap) / 3;
		if (th > U(L, 30))
			th = U(L, 30);
		for (int i = 0; i < 3; i++)
			way_in(L, rect(b.x, y + i * (th + gap), b.w, th), ways[i].icon, ways[i].id,
			       ways[i].en, ways[i].action, 0);
	} else {
		int tw = (b.w - 2 * gap) / 3, label_h = 0;
		for (int i = 0; i < 3; i++) {
			int h = pair_height(L, FONT_HEAD, FONT_BODY, ways[i].id, ways[i].en,
					    tw - U(L, 3));
			label_h = h > label_h ? h : label_h;
		}
		for (int i = 0; i < 3; i++)
			way_in(L, rect(b.x + i * (tw + gap), y, tw, avail), ways[i].icon,
			       ways[i].id, ways[i].en, ways[i].action, label_h);
	}
	if (hint_h) {
		notice(L, rect(b.x, b.y + b.h - hint_h, b.w, hint_h), COL_WARN_BG, COL_TEXT,
		       hint_id, hint_en);
	}
}

/* ---- keypad screens ------------------------------------------------------------------ */

static void keypad(struct layout *L, SDL_Rect r)
{
	int gap = U(L, 1.5f);
	int kw = (r.w - 2 * gap) / 3, kh = (r.h - 3 * gap) / 4;
	bool off = L->f->waiting;

	for (int i = 0; i < 12; i++) {
		SDL_Rect k = rect(r.x + (i % 3) * (kw + gap), r.y + (i / 3) * (kh + gap), kw, kh);
		struct widget *wd;
		char digit[2] = { 0, 0 };
		if (i < 9 || i == 10) {
			int d = i < 9 ? i + 1 : 0;
			digit[0] = (char)('0' + d);
			wd = button(L, k, off ? BTN_DISABLED : BTN_SECONDARY, digit, NULL,
				    ACT_DIGIT, d);
			wd->font = FONT_KEY;
			if (!off)
				wd->colour = COL_TEXT;
		} else if (i == 9) {
			wd = button(L, k, off ? BTN_DISABLED : BTN_SECONDARY, "Hapus", "Delete",
				    ACT_ERASE, 0);
		} else {
			bool full = L->f->s.entry_len ==
				    (L->f->state == FLOW_NIK_ENTRY ? FLOW_NIK_LEN : FLOW_PIN_LEN);
			wd = button(L, k, off || !full ? BTN_DISABLED : BTN_PRIMARY, "Lanjut", "OK",
				    ACT_CONFIRM, 0);
		}
	}
}

/* The NIK typed so far, grouped by four, with the missing digits as underscores. */
static void nik_field(struct layout *L, SDL_Rect r)
{
	char shown[24];
	int j = 0;

	for (int i = 0; i < FLOW_NIK_LEN; i++) {
		if (i && i % 4 == 0)
			shown[j++] = ' ';
		shown[j++] = i < L->f->s.entry_len ? L->f->s.entry[i] : '_';
	}
	shown[j] = '\0';
	struct widget *wd = box(L, r, COL_SURFACE, U(L, SP_RADIUS));
	wd->has_border = true;
	wd->border = COL_PRIMARY;
	wd->font = FONT_TITLE;
	wd->colour = COL_TEXT;
	wd->align = ALIGN_CENTRE;
	set_text(wd, shown, NULL);
}

/* One circle per PIN digit, filled for each digit typed: the digits are never shown. */
static void pin_field(struct layout *L, SDL_Rect r)
{
	int d = U(L, 5), gap = U(L, 2.5f);
	int total = FLOW_PIN_LEN * d + (FLOW_PIN_LEN - 1) * gap;
	struct widget *wd = box(L, r, COL_SURFACE, U(L, SP_RADIUS));

	wd->has_border = true;
	wd->border = COL_PRIMARY;
	for (int i = 0; i < FLOW_PIN_LEN; i++) {
		SDL_Rect c =
		    rect(r.x + (r.w - total) / 2 + i * (d + gap), r.y + (r.h - d) / 2, d, d);
		wd = box(L, c, i < L->f->s.entry_len ? COL_PRIMARY : COL_SURFACE, d / 2);
		wd->has_border = true;
		wd->border = COL_PRIMARY;
	}
}

struct error_text {
	const char *title_id, *title_en, *body_id, *body_en;
};

/* Why a NIK was refused, in words a citizen can act on (see nik.h). */
static struct error_text nik_reason_text(int reason)
{
	switch (reason) {
	case NIK_BAD_LENGTH:
	case NIK_NOT_DIGITS:
		return (struct error_text){ NULL, NULL, "NIK terdiri dari 16 angka.",
					    "A NIK has 16 digits." };
	case NIK_BAD_PROVINCE:
		return (struct error_text){ NULL, NULL,
					    "Dua angka pertama bukan kode provinsi. Periksa lagi.",
					    "The first two digits are not a province code." };
	case NIK_BAD_REGION:
		return (struct error_text){ NULL, NULL, "Kode kabupaten/kota atau kecamatan salah.",
					    "The regency or district code is wrong." };
	case NIK_BAD_DATE:
		return (struct error_text){
			NULL, NULL, "Angka ke-7 sampai ke-12 bukan tanggal lahir yang benar.",
			"Digits 7 to 12 are not a valid date of birth."
		};
	case NIK_BAD_SERIAL:
		return (struct error_text){ NULL, NULL, "Empat angka terakhir tidak boleh 0000.",
					    "The last four digits cannot be 0000." };
	default:
		return (struct error_text){ NULL, NULL, "NIK tidak valid. Periksa kembali.",
					    "This NIK is not valid. Please check it." };
	}
}

static void entry_message(struct layout *L, SDL_Rect r)
{
	const struct flow *f = L->f;
	char id[128], en[128];
	struct widget *wd;

	r.h = text_line_height(L->t, FONT_BODY_B) + text_line_height(L->t, FONT_SMALL);
	if (f->waiting) {
		pair(L, r, FONT_BODY_B, FONT_SMALL, ALIGN_CENTRE, "Memeriksa…", "Checking…");
		return;
	}
	if (f->error == ERR_NIK_INVALID) {
		struct error_text e = nik_reason_text(f->nik_reason);
		r.h = pair_height(L, FONT_BODY_B, FONT_SMALL, e.body_id, e.body_en, r.w);
		wd = pair(L, r, FONT_BODY_B, FONT_SMALL, ALIGN_CENTRE, e.body_id, e.body_en);
		wd->colour = COL_DANGER;
		wd->wrap = true;
		return;
	}
	if (f->error == ERR_QR_OTHER_DOC) {
		wd = pair(L, r, FONT_BODY_B, FONT_SMALL, ALIGN_CENTRE,
			  "Kode QR ini untuk dokumen lain.",
			  "This QR code is for another document.");
		wd->colour = COL_DANGER;
		return;
	}
	if (f->error == ERR_PIN_WRONG) {
		snprintf(id, sizeof(id), "PIN salah. Sisa percobaan: %d.", f->s.pin_tries_left);
		snprintf(en, sizeof(en), "Wrong PIN. Tries left: %d.", f->s.pin_tries_left);
		if (f->s.pin_tries_left < 0) {
			snprintf(id, sizeof(id), "PIN salah. Periksa notifikasi Anda.");
			snprintf(en, sizeof(en), "Wrong PIN. Check your notification.");
		}
		wd = pair(L, r, FONT_BODY_B, FONT_SMALL, ALIGN_CENTRE, id, en);
		wd->colour = COL_DANGER;
	}
}

static void screen_keypad(struct layout *L)
{
	const struct flow *f = L->f;
	SDL_Rect b = L->body;
	int gap = U(L, SP_GAP);
	const char *tid, *ten, *pid, *pen;
	char doc_id[96], doc_en[96];

	switch (f->state) {
	case FLOW_NIK_ENTRY:
		tid = "Ketik NIK Anda";
		ten = "Type your NIK";
		pid = "16 angka, tertera di KTP-el atau Kartu Keluarga.";
		pen = "16 digits, printed on your KTP-el or family card.";
		break;
	case FLOW_TECH_PIN:
		tid = "PIN teknisi";
		ten = "Technician PIN";
		pid = "Kartu teknisi dikenali. Masukkan PIN Anda.";
		pen = "Technician card recognised. Enter your PIN.";
		break;
	case FLOW_VERIFY:
		tid = "Masukkan PIN akun ADM";
		ten = "Enter your ADM account PIN";
		pid = "PIN 6 angka yang Anda terima saat mendaftar.";
		pen = "The 6-digit PIN you received when you registered.";
		break;
	default: {
		const struct flow_doc *d = &f->s.docs[f->s.chosen];
		tid = "Masukkan PIN cetak";
		ten = "Enter the print PIN";
		snprintf(doc_id, sizeof(doc_id), "PIN cetak untuk: %s", d->title_id);
		snprintf(doc_en, sizeof(doc_en), "The one-time print PIN for: %s", d->title_en);
		pid = doc_id;
		pen = doc_en;
		break;
	}
	}

	SDL_Rect left, pad_r;
	if (L->v->portrait) {
		left = rect(b.x, b.y, b.w, b.h * 2 / 5);
		int ks = b.h - left.h - gap - U(L, 10) - gap;
		int kw = ks * 3 / 4 > b.w ? b.w : ks * 3 / 4;
		pad_r = rect(b.x + (b.w - kw) / 2, b.y + left.h + gap, kw, ks);
	} else {
		left = rect(b.x, b.y, b.w * 11 / 20, b.h);
		int kh = b.h;
		int kw = kh * 4 / 5;
		int room = b.w - left.w - U(L, 4);
		if (kw > room)
			kw = room;
		pad_r = rect(b.x + b.w - kw, b.y, kw, kh);
	}

	int y = left.y;
	y += title(L, rect(left.x, y, left.w, 0), tid, ten);
	y += gap / 2;
	y += paragraph(L, rect(left.x, y, left.w, 0), FONT_BODY, pid, pen);
	y += gap;
	SDL_Rect field = rect(left.x, y, left.w, U(L, 11));
	if (f->state == FLOW_NIK_ENTRY)
		nik_field(L, field);
	else
		pin_field(L, field);
	y += field.h + gap / 2;
	entry_message(L, rect(left.x, y, left.w, U(L, 8)));

	keypad(L, pad_r);

	SDL_Rect cancel;
	if (L->v->portrait)
		cancel = bottom_row(L);
	else
		cancel = rect(left.x + (left.w - U(L, 44)) / 2, b.y + b.h - U(L, 10), U(L, 44),
			      U(L, 10));
	if (f->state == FLOW_AUTHORISE)
		cancel_button(L, cancel, ACT_BACK, "Kembali ke daftar", "Back to the list");
	else
		cancel_button(L, cancel, ACT_CANCEL, "Batal", "Cancel");
}

/* ---- other citizen screens ------------------------------------------------------------ */

static void screen_qr(struct layout *L)
{
	SDL_Rect b = L->body;
	int y = b.y;

	y += title(L, b, "Pindai kode QR", "Scan your QR code");
	y += U(L, SP_GAP);
	y += hero_icon(L, rect(b.x, y, b.w, 0), ICON_QR, COL_PRIMARY, COL_SURFACE);
	y += U(L, SP_GAP);
	paragraph(L, rect(b.x + b.w / 8, y, b.w * 3 / 4, 0), FONT_BODY_B,
		  "Arahkan kode QR dari notifikasi Dukcapil ke pemindai di bawah layar.",
		  "Hold the QR code from your Dukcapil notification under the scanner below "
		  "the screen.");
	bottom_buttons(L, "Batal", "Cancel", ACT_CANCEL, NULL, NULL, ACT_NONE);
}

static void screen_reading(struct layout *L)
{
	SDL_Rect b = L->body;
	int y = b.y + b.h / 6;
	bool card = L->f->s.via_card && !L->f->waiting;

	y += hero_icon(L, rect(b.x, y, b.w, 0), card ? ICON_CARD : ICON_DOC, COL_PRIMARY,
		       COL_SURFACE);
	y += U(L, SP_GAP);
	if (card) {
		y += title(L, rect(b.x, y, b.w, 0), "Membaca KTP-el…", "Reading your KTP-el…");
		paragraph(L, rect(b.x, y + U(L, SP_GAP), b.w, 0), FONT_BODY_B,
			  "Jangan angkat kartu sampai diminta.",
			  "Keep the card on the reader until asked.");
	} else {
		title(L, rect(b.x, y, b.w, 0), "Memeriksa data Anda…", "Checking your record…");
	}
}

static void doc_row(struct layout *L, SDL_Rect r, int i)
{
	const struct flow_doc *d = &L->f->s.docs[i];
	char meta[64];
	int meta_w = U(L, 34);
	struct widget *wd;

	wd = button(L, r, d->printable ? BTN_SECONDARY : BTN_DISABLED, d->title_id, d->title_en,
		    ACT_SELECT_DOC, i);
	wd->align = ALIGN_LEFT;
	wd->pad = U(L, 3);
	const char *meta_en;
	if (d->printable) {
		snprintf(meta, sizeof(meta), "%u hal. · %s", (unsigned)d->pages,
			 d->card ? "Kartu" : "A4");
		meta_en = d->card ? "Card" : "A4 paper";
	} else if (d->downloading) { /* the list is read again until it is here */
		snprintf(meta, sizeof(meta), "Sedang diunduh…");
		meta_en = "Downloading…";
	} else {
		snprintf(meta, sizeof(meta), "Tidak tersedia hari ini");
		meta_en = "Not available today";
	}
	wd = pair(L, rect(r.x + r.w - meta_w - U(L, 3), r.y, meta_w, r.h), FONT_SMALL, FONT_SMALL,
		  ALIGN_RIGHT, meta, meta_en);
	wd->colour = d->printable || d->downloading ? COL_TEXT : COL_DANGER;
}

static void screen_documents(struct layout *L)
{
	const struct flow *f = L->f;
	SDL_Rect b = L->body;
	char hello[FLOW_NAME_MAX + 16];
	int y = b.y, gap = U(L, SP_GAP);

	snprintf(hello, sizeof(hello), "Halo, %s", f->s.name[0] ? f->s.name : "");
	y += title(L, rect(b.x, y, b.w, 0), "Dokumen siap cetak", "Documents ready to print");
	label(L, rect(b.x, y, b.w, text_line_height(L->t, FONT_BODY_B)), FONT_BODY_B, COL_TEXT,
	      ALIGN_CENTRE, hello);
	y += text_line_height(L->t, FONT_BODY_B) + gap;

	int rh = U(L, 11), room = bottom_row(L).y - gap - y;
	int fits = (room + gap) / (rh + gap);
	/* One centred column while they fit in it; in landscape two columns beyond, read
	 * left to right; beyond those, pages. */
	int cols = !L->v->portrait && f->s.n_docs > fits ? 2 : 1;
	int w = cols == 2 ? (b.w - gap) / 2 : L->v->portrait ? b.w : b.w * 3 / 4;
	int x = cols == 2 ? b.x : b.x + (b.w - w) / 2, cells = fits * cols;
#define CELL(k) rect(x + ((k) % cols) * (w + gap), y + ((k) / cols) * (rh + gap), w, rh)
	if (f->s.n_docs <= cells) {
		for (int i = 0; i < f->s.n_docs; i++)
			doc_row(L, CELL(i), i);
	} else {
		/* More than fit: a page of them, and a last cell that turns to the next page
		 * (after the last, back to the first). */
		int per = cells > 1 ? cells - 1 : 1, first = f->s.doc_first, i;
		for (i = 0; i < per && first + i < f->s.n_docs; i++)
			doc_row(L, CELL(i), first + i);
		int next = first + per < f->s.n_docs ? first + per : 0;
		char id[80], en[80];
		snprintf(id, sizeof(id), "Dokumen lainnya (%d–%d dari %d)", first + 1, first + i,
			 f->s.n_docs);
		snprintf(en, sizeof(en), "More documents (%d–%d of %d shown)", first + 1, first + i,
			 f->s.n_docs);
		button(L, CELL(per), BTN_SECONDARY, id, en, ACT_MORE_DOCS, next);
	}
#undef CELL
	bottom_buttons(L, "Selesai", "Finish", ACT_FINISH, NULL, NULL, ACT_NONE);
}

static void screen_printing(struct layout *L)
{
	const struct flow *f = L->f;
	const struct flow_doc *d = &f->s.docs[f->s.chosen];
	SDL_Rect b = L->body;
	int y = b.y + b.h / 8, gap = U(L, SP_GAP);
	char id[64], en[64];

	y += hero_icon(L, rect(b.x, y, b.w, 0), ICON_PRINTER, COL_PRIMARY, COL_SURFACE) + gap;
	y += title(L, rect(b.x, y, b.w, 0), "Sedang mencetak…", "Printing…");
	y += paragraph(L, rect(b.x, y, b.w, 0), FONT_BODY_B, d->title_id, d->title_en) + gap;
	snprintf(id, sizeof(id), "Halaman %d dari %d", f->s.pages_done, f->s.pages);
	snprintf(en, sizeof(en), "Page %d of %d", f->s.pages_done, f->s.pages);
	int bw = b.w / 2, bh = U(L, 2.5f);
	box(L, rect(b.x + (b.w - bw) / 2, y, bw, bh), COL_DISABLED_BG, bh / 2);
	if (f->s.pages > 0 && f->s.pages_done > 0)
		box(L, rect(b.x + (b.w - bw) / 2, y, bw * f->s.pages_done / f->s.pages, bh),
		    COL_PRIMARY, bh / 2);
	y += bh + gap;
	pair(L, rect(b.x, y, b.w, pair_height(L, FONT_BODY, FONT_SMALL, id, en, 0)), FONT_BODY,
	     FONT_SMALL, ALIGN_CENTRE, id, en);
}

static void screen_done(struct layout *L)
{
	SDL_Rect b = L->body;
	int y = b.y + b.h / 8, gap = U(L, SP_GAP);

	y += hero_icon(L, rect(b.x, y, b.w, 0), ICON_CHECK, COL_SUCCESS, COL_SUCCESS_BG) + gap;
	y += title(L, rect(b.x, y, b.w, 0), "Selesai dicetak", "Printed");
	paragraph(L, rect(b.x, y + gap, b.w, 0), FONT_BODY_B,
		  "Silakan ambil dokumen Anda di bawah layar.",
		  "Please take your document from the tray below the screen.");
	if (L->f->s.n_docs > 0)
		bottom_buttons(L, "Selesai", "Finish", ACT_FINISH, "Cetak dokumen lain",
			       "Print another document", ACT_BACK);
	else
		bottom_buttons(L, "Selesai", "Finish", ACT_FINISH, NULL, NULL, ACT_NONE);
}

static void screen_nothing_ready(struct layout *L)
{
	const struct flow *f = L->f;
	SDL_Rect b = L->body;
	/* with the bundle's offices to list, the icon makes room for them */
	bool offices = screen_content_has_offices(L);
	int y = b.y + (offices ? 0 : b.h / 10), gap = U(L, SP_GAP);
	char id[160], en[160];

	if (!offices)
		y += hero_icon(L, rect(b.x, y, b.w, 0), ICON_DOC, COL_TEXT_2, COL_SURFACE) + gap;
	y += title(L, rect(b.x, y, b.w, 0), "Belum ada dokumen siap cetak",
		   "No document is ready to print yet");
	if (f->s.in_progress > 0) {
		snprintf(id, sizeof(id), "Permohonan Anda masih diproses (%s).",
			 f->s.in_progress_stage);
		snprintf(en, sizeof(en), "Your application is still being processed (%s).",
			 f->s.in_progress_stage);
	} else {
		snprintf(id, sizeof(id), "Tidak ada permohonan yang tercatat atas NIK ini.");
		snprintf(en, sizeof(en), "No application is on record for this NIK.");
	}
	y += gap + paragraph(L, rect(b.x, y + gap, b.w, 0), FONT_BODY_B, id, en);
	y += gap + paragraph(L, rect(b.x, y + gap, b.w, 0), FONT_BODY,
			     "Anda akan menerima notifikasi saat dokumen siap.",
			     "You will get a notification when a document is ready.");
	if (offices)
		screen_content_offices(L, rect(b.x, y + gap, b.w, bottom_row(L).y - 2 * gap - y));
	bottom_buttons(L, "Selesai", "Finish", ACT_FINISH, NULL, NULL, ACT_NONE);
}

static struct error_text error_text(const struct flow *f)
{
	switch (f->error) {
	case ERR_CARD_FOREIGN:
		return (struct error_text){ "Kartu tidak dikenali", "Card not recognised",
					    "Kartu ini bukan KTP-el. Tempelkan KTP-el Anda.",
					    "This card is not a KTP-el. Please tap your KTP-el." };
	case ERR_CARD_UNREADABLE:
		return (struct error_text){ "KTP-el tidak terbaca", "The KTP-el could not be read",
					    "Angkat kartu, lalu tempelkan lagi dengan tenang.",
					    "Lift the card and lay it flat on the reader again." };
	case ERR_CARD_REMOVED:
		return (struct error_text){
			"Kartu terangkat terlalu cepat", "The card was lifted too soon",
			"Tempelkan lagi dan biarkan sampai diminta mengangkat.",
			"Lay it on the reader again and keep it there until asked."
		};
	case ERR_CARD_TIMEOUT:
		return (struct error_text){ "Pembacaan terlalu lama", "Reading took too long",
					    "Angkat kartu, lalu tempelkan lagi.",
					    "Lift the card, then lay it on the reader again." };
	case ERR_CARD_MULTIPLE:
		return (struct error_text){ "Lebih dari satu kartu", "More than one card",
					    "Tempelkan hanya satu kartu: KTP-el Anda.",
					    "Lay only one card on the reader: your KTP-el." };
	case ERR_READER_FAILED:
		return (struct error_text){ "Pembaca kartu gagal", "The card reader failed",
					    "Kartu Anda tidak bermasalah. Coba lagi atau hubungi "
					    "petugas.",
					    "Your card is fine. Try again, or ask the staff." };
	case ERR_NIK_INVALID:
		return (struct error_text){ "NIK tidak valid", "This NIK is not valid",
					    "Periksa kode QR atau ketik NIK Anda.",
					    "Check the QR code, or type your NIK instead." };
	case ERR_QR_INVALID:
		return (
		    struct error_text){ "Kode QR tidak dikenali", "QR code not recognised",
					"Gunakan kode QR dari notifikasi Dukcapil, atau ketik NIK.",
					"Use the QR code from your Dukcapil notification, or type "
					"your NIK." };
	case ERR_HOLDER_UNKNOWN:
		return (
		    struct error_text){ "NIK belum terdaftar di ADM", "NIK not registered for ADM",
					"Daftarkan nomor HP atau e-mail Anda di kantor Dukcapil.",
					"Register your phone or e-mail at the Dukcapil office." };
	case ERR_NEEDS_NETWORK:
		return (struct error_text){
			"Data Anda belum ada di ADM ini", "Your record is not on this kiosk",
			"ADM ini sedang tidak terhubung. Coba lagi nanti atau di ADM lain.",
			"This kiosk is offline now. Try later or at another kiosk."
		};
	case ERR_PIN_LOCKED:
		return (struct error_text){
			"PIN terkunci", "PIN locked",
			"Terlalu banyak PIN salah. Coba lagi besok atau hubungi petugas.",
			"Too many wrong PINs. Try again tomorrow or ask the staff."
		};
	case ERR_PRINT_FAILED:
		return (
		    struct error_text){ "Dokumen belum tercetak", "The document was not printed",
					"Dokumen tetap tersimpan dan PIN cetak Anda masih berlaku.",
					"Your document is kept and its print PIN is still valid." };
	case ERR_PRINT_UNCERTAIN:
		return (struct error_text){
			"Hasil cetak belum pasti", "The print may not have come out",
			"Dokumen ditahan sampai petugas memeriksa printer. Mohon hubungi petugas.",
			"The document is held until staff have checked the printer. Please call "
			"staff."
		};
	default:
		return (struct error_text){ "Terjadi gangguan", "Something went wrong",
					    "Silakan coba lagi atau hubungi petugas.",
					    "Please try again or ask the staff." };
	}
}

static void screen_error(struct layout *L)
{
	const struct flow *f = L->f;
	SDL_Rect b = L->body;
	int y = b.y + b.h / 10, gap = U(L, SP_GAP);
	struct error_text e = error_text(f);

	y += hero_icon(L, rect(b.x, y, b.w, 0), ICON_WARN, COL_DANGER, COL_DANGER_BG) + gap;
	y += title(L, rect(b.x, y, b.w, 0), e.title_id, e.title_en);
	y += gap + paragraph(L, rect(b.x, y + gap, b.w, 0), FONT_BODY_B, e.body_id, e.body_en);
	if ((f->error == ERR_PRINT_FAILED || f->error == ERR_PRINT_UNCERTAIN) && f->s.message[0])
		label(L, rect(b.x, y + gap, b.w, text_line_height(L->t, FONT_BODY)), FONT_BODY,
		      COL_DANGER, ALIGN_CENTRE, f->s.message);
	if (f->error == ERR_PRINT_FAILED && f->s.n_docs > 0)
		bottom_buttons(L, "Selesai", "Finish", ACT_FINISH, "Kembali ke daftar",
			       "Back to the list", ACT_BACK);
	else
		bottom_buttons(L, "Selesai", "Finish", ACT_FINISH, NULL, NULL, ACT_NONE);
}

static void screen_out_of_service(struct layout *L)
{
	const struct flow *f = L->f;
	SDL_Rect b = L->body;
	int y = b.y + b.h / 8, gap = U(L, SP_GAP);
	const char *id = "Sedang dalam perbaikan", *en = "Under maintenance";

	if ((f->service & SVC_MAINTENANCE) && f->service_message[0]) {
		id = f->service_message; /* the technician's own words (admctl service off) */
		en = NULL;
	} else if (f->service & SVC_READER_LOST) {
		id = "Pembaca kartu tidak terhubung";
		en = "The card reader is not connected";
	} else if (f->service & SVC_PRINTERS_DOWN) {
		id = "Printer tidak dapat digunakan";
		en = "The printers cannot be used";
	} else if (f->service & SVC_CACHE_BROKEN) {
		id = "Data ADM tidak dapat dibaca";
		en = "The kiosk cannot read its data";
	}
	y += hero_icon(L, rect(b.x, y, b.w, 0), ICON_WARN, COL_TEXT_2, COL_DISABLED_BG) + gap;
	y += title(L, rect(b.x, y, b.w, 0), "Mohon maaf, ADM sedang tidak dapat digunakan",
		   "Sorry, this kiosk is out of service");
	y += gap + paragraph(L, rect(b.x, y + gap, b.w, 0), FONT_BODY_B, id, en);
	paragraph(L, rect(b.x, y + gap, b.w, 0), FONT_BODY,
		  "Silakan hubungi petugas Dukcapil atau gunakan ADM lain.",
		  "Please ask the Dukcapil staff, or use another kiosk.");
}

/* ---- technician ---------------------------------------------------------------------- */

/* One line of the status table: what (bold, with English under it) and how it is, in
 * colour when something needs the technician, and optionally the button that mends it
 * (refill_arg >= 0: "refilled" for that printer; settle_arg >= 0 instead: "it came out" /
 * "it did not" for the printer's oldest uncertain print, ACT_SETTLE). Returns its height. */
static int status_row(struct layout *L, int y, const char *what_id, const char *what_en,
		      const char *id, const char *en, uint32_t colour, int refill_arg,
		      int settle_arg)
{
	SDL_Rect b = L->body;
	int pad = U(L, 0.8f), lw = L->v->portrait ? b.w * 3 / 10 : b.w / 4;
	int bw = refill_arg >= 0 || settle_arg >= 0 ? U(L, 26) : 0, bh = U(L, 8);
	/* two buttons beside the text leave a portrait row no room: they go under it */
	bool under = settle_arg >= 0 && L->v->portrait;
	int nb = settle_arg >= 0 ? 2 : 1;
	int vw = b.w - lw - 3 * pad - (bw && !under ? nb * (bw + pad) : 0);
	int h = pair_height(L, FONT_BODY_B, FONT_SMALL, what_id, what_en, lw - pad);
	int th = pair_height(L, FONT_SMALL, FONT_SMALL, id, en, vw);
	int vh = under ? th + pad + bh : th;
	if (vh > h)
		h = vh;
	if (bw && bh > h)
		h = bh;
	struct widget *wd = box(L, rect(b.x, y, b.w, h + 2 * pad), COL_SURFACE, U(L, SP_RADIUS));
	wd->has_border = true;
	wd->border = COL_BORDER;
	wd = pair(L, rect(b.x + pad, y + pad, lw - pad, h), FONT_BODY_B, FONT_SMALL, ALIGN_LEFT,
		  what_id, what_en);
	wd->wrap = true;
	wd = pair(L, rect(b.x + lw + 2 * pad, y + pad, vw, under ? th : h), FONT_SMALL, FONT_SMALL,
		  ALIGN_LEFT, id, en);
	wd->colour = colour;
	wd->wrap = true;
	/* small type: the row keeps the height of its two lines of text */
	int bx = under ? b.x + lw + 2 * pad : b.x + b.w - nb * (pad + bw);
	int by = under ? y + 2 * pad + th : y + pad + (h - bh) / 2;
	if (settle_arg >= 0) {
		wd = button(L, rect(bx, by, bw, bh), BTN_SECONDARY, "Sudah keluar", "It came out",
			    ACT_SETTLE, settle_arg | 1);
		wd->font = FONT_SMALL;
		bx += bw + pad;
		wd = button(L, rect(bx, by, bw, bh), BTN_SECONDARY, "Tidak keluar", "It did not",
			    ACT_SETTLE, settle_arg);
		wd->font = FONT_SMALL;
	} else if (bw) {
		wd = button(L, rect(bx, by, bw, bh), BTN_SECONDARY, "Sudah diisi", "Refilled",
			    ACT_REFILL, refill_arg);
		wd->font = FONT_SMALL;
	}
	return h + 2 * pad;
}

static void printer_row_text(const struct health_printer *p, char *id, char *en, size_t size)
{
	size_t ni = (size_t)snprintf(id, size, "%s", p->available ? "Siap" : "Tidak siap");
	size_t ne = (size_t)snprintf(en, size, "%s", p->available ? "Ready" : "Not ready");
	if (p->fault[0]) {
		ni += (size_t)snprintf(id + ni, ni < size ? size - ni : 0, ": %s", p->fault);
		ne += (size_t)snprintf(en + ne, ne < size ? size - ne : 0, ": %s", p->fault);
	}
	if (p->uncertain) {
		/* the verdict first; the counters can wait (and the row keeps two lines) */
		snprintf(id + ni, ni < size ? size - ni : 0,
			 " · %d cetakan belum pasti: sudah keluar?", p->uncertain);
		snprintf(en + ne, ne < size ? size - ne : 0,
			 " · %d uncertain print%s: did it come out?", p->uncertain,
			 p->uncertain > 1 ? "s" : "");
		return;
	}
	for (int k = 0; k < p->n_supplies; k++) {
		const struct health_supply *sp = &p->supply[k];
		const char *name_id = strcmp(sp->name, "sheets") == 0	     ? "kertas"
				      : strcmp(sp->name, "card-blanks") == 0 ? "kartu"
				      : strcmp(sp->name, "ribbon") == 0	     ? "pita"
									     : sp->name;
		ni += (size_t)snprintf(id + ni, ni < size ? size - ni : 0, " · %s %d/%d%s", name_id,
				       sp->level, sp->capacity, sp->low ? " (hampir habis)" : "");
		ne += (size_t)snprintf(en + ne, ne < size ? size - ne : 0, " · %s %d/%d%s",
				       sp->name, sp->level, sp->capacity, sp->low ? " (low)" : "");
	}
	/* what the printer reports itself (toner, ink), where it says */
	for (int k = 0; k < p->n_markers; k++) {
		if (p->marker[k].percent < 0)
			continue;
		ni += (size_t)snprintf(id + ni, ni < size ? size - ni : 0, " · %s %d%%",
				       p->marker[k].name, p->marker[k].percent);
		ne += (size_t)snprintf(en + ne, ne < size ? size - ne : 0, " · %s %d%%",
				       p->marker[k].name, p->marker[k].percent);
	}
}

static void ago(int64_t s, char *id, char *en, size_t size)
{
	if (s < 60) {
		snprintf(id, size, "baru saja");
		snprintf(en, size, "just now");
	} else if (s < 3600) {
		snprintf(id, size, "%lld menit lalu", (long long)(s / 60));
		snprintf(en, size, "%lld min ago", (long long)(s / 60));
	} else if (s < 48 * 3600) {
		snprintf(id, size, "%lld jam lalu", (long long)(s / 3600));
		snprintf(en, size, "%lld h ago", (long long)(s / 3600));
	} else {
		snprintf(id, size, "%lld hari lalu", (long long)(s / 86400));
		snprintf(en, size, "%lld days ago", (long long)(s / 86400));
	}
}

/* A sync older than this is shown as a problem: the kiosk's documents may be stale. */
#define SYNC_STALE_S (30 * 60)

static int sync_row(struct layout *L, int y, const struct health_sync *hs)
{
	char id[VIEW_TEXT_MAX], en[VIEW_TEXT_MAX], when_id[40], when_en[40];
	uint32_t colour = COL_TEXT;
	int64_t age = (int64_t)L->ctx->now - hs->last_ok;

	if (!hs->known)
		return status_row(L, y, "Sinkronisasi", "Sync", "Belum terbaca", "Not read yet",
				  COL_TEXT_2, -1, -1);
	if (hs->last_ok <= 0) {
		snprintf(when_id, sizeof(when_id), "belum pernah berhasil");
		snprintf(when_en, sizeof(when_en), "never completed");
		colour = COL_DANGER;
	} else {
		ago(age > 0 ? age : 0, when_id, when_en, sizeof(when_id));
		if (age > SYNC_STALE_S)
			colour = COL_DANGER;
	}
	snprintf(id, sizeof(id),
		 "Terakhir %s · %lld dokumen · %lld belum terkirim · %lld berkas kurang", when_id,
		 (long long)hs->documents, (long long)hs->outbox_pending,
		 (long long)hs->blobs_missing);
	snprintf(en, sizeof(en),
		 "Last %s · %lld documents · %lld events to send · %lld files missing", when_en,
		 (long long)hs->documents, (long long)hs->outbox_pending,
		 (long long)hs->blobs_missing);
	return status_row(L, y, "Sinkronisasi", "Sync", id, en, colour, -1, -1);
}

static void screen_technician(struct layout *L)
{
	const struct health *h = L->ctx->health;
	SDL_Rect b = L->body;
	int y = b.y, gap = U(L, 1);
	char id[VIEW_TEXT_MAX], en[VIEW_TEXT_MAX], what[80];

	/* one line of title: the table needs the height */
	label(L, rect(b.x, y, b.w, text_line_height(L->t, FONT_HEAD)), FONT_HEAD, COL_TEXT,
	      ALIGN_CENTRE, "Mode teknisi · Technician mode");
	y += text_line_height(L->t, FONT_HEAD) + gap;
	if (h) {
		/* A refill sets the printer's counters back to full and it back into service. */
		for (int i = 0; i < h->n_printers; i++) {
			const struct health_printer *p = &h->printer[i];
			printer_row_text(p, id, en, sizeof(id));
			snprintf(what, sizeof(what), "%s (%s)",
				 p->card ? "Printer kartu" : "Printer A4", p->queue);
			/* An uncertain print first: the verdict, then the refill. */
			y += status_row(L, y, what, p->card ? "Card printer" : "A4 printer", id, en,
					p->available && !p->fault[0] && !p->uncertain ? COL_TEXT
										      : COL_DANGER,
					p->card ? 1 : 0, p->uncertain ? (p->card ? 2 : 0) : -1) +
			     gap;
		}
		if (!h->n_printers)
			y += status_row(L, y, "Printer", "Printers", "Tidak ada printer",
					"No printer configured", COL_DANGER, -1, -1) +
			     gap;
		/* How often the reader's process had to be restarted (issue 11). */
		char rd_id[64], rd_en[64];
		unsigned restarts = h->reader_watchdog + h->reader_crashes;
		snprintf(rd_id, sizeof(rd_id), "%s",
			 !h->reader_configured ? "Tidak dipasang"
			 : h->reader_ok	       ? "Terhubung"
					       : "Tidak terhubung");
		snprintf(rd_en, sizeof(rd_en), "%s",
			 !h->reader_configured ? "Not configured"
			 : h->reader_ok	       ? "Connected"
					       : "Not connected");
		if (restarts) {
			size_t li = strlen(rd_id), le = strlen(rd_en);
			snprintf(rd_id + li, sizeof(rd_id) - li, " (dimulai ulang %u kali)",
				 restarts);
			snprintf(rd_en + le, sizeof(rd_en) - le, " (restarted %u times)", restarts);
		}
		y += status_row(L, y, "Pembaca kartu", "Card reader", rd_id, rd_en,
				h->reader_ok ? COL_TEXT : COL_DANGER, -1, -1) +
		     gap;
		y += status_row(L, y, "Pemindai QR", "QR scanner",
				!h->scanner_configured ? "Tidak dipasang"
				: h->scanner_ok	       ? "Terhubung"
						       : "Tidak terhubung",
				!h->scanner_configured ? "Not configured"
				: h->scanner_ok	       ? "Connected"
						       : "Not connected",
				h->scanner_ok || !h->scanner_configured ? COL_TEXT : COL_DANGER, -1,
				-1) +
		     gap;
		sync_row(L, y, &h->sync);
	}
	bottom_buttons(L, "Keluar", "Exit", ACT_FINISH, NULL, NULL, ACT_NONE);
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
