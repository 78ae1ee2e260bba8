/*
 * The ways in: the attract screen with its three tiles (card, NIK, QR), waiting for the
 * QR, and reading the card.
 */
#include "screens.h"

#include <stdio.h>
#include <string.h>

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

void screen_attract(struct layout *L)
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

void screen_qr(struct layout *L)
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

void screen_reading(struct layout *L)
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
