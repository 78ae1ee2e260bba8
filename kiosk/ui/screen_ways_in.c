/*
 * The ways in: the attract screen with its three tiles (card, NIK, QR), waiting for the
 * QR, and reading the card.
 */
#include "screens.h"

#include <stdio.h>
#include <string.h>

/* A portrait tile's icon side, and whether its words fit beside the icon in r (fits may
 * be NULL). */
static int portrait_icon(struct layout *L, SDL_Rect r, const char *id, const char *en, bool *fits)
{
	int s = r.h - U(L, 6);
	if (s > r.w / 3)
		s = r.w / 3;
	if (fits)
		*fits = pair_height(L, FONT_HEAD, FONT_BODY, id, en, r.w - s - U(L, 10)) <= r.h;
	return s;
}

/* One way in as a tile. Landscape tiles share label_h, the tallest label of the three, so
 * their icons and titles line up; portrait tiles show their icons only when all three fit
 * (with_icon), so no tile looks different from the others. */
static void way_in(struct layout *L, SDL_Rect r, enum icon ic, const char *id, const char *en,
		   enum flow_action action, int label_h, bool with_icon)
{
	struct widget *wd = box(L, r, L->p->surface, U(L, 1.5f));
	int s;

	wd->has_border = true;
	wd->border = L->p->border;
	wd->tappable = true;
	wd->action = action;
	if (L->v->portrait) {
		/* icon left, text right */
		s = portrait_icon(L, r, id, en, NULL);
		SDL_Rect tr = rect(r.x + s + U(L, 8), r.y, r.w - s - U(L, 10), r.h);
		if (!with_icon) {
			/* large text in a short tile: the words need the icon's room */
			tr = rect(r.x + U(L, 4), r.y, r.w - U(L, 8), r.h);
		} else {
			icon(wd, ic, rect(r.x + U(L, 4), r.y + (r.h - s) / 2, s, s), L->p->primary);
		}
		struct widget *t = pair(L, tr, FONT_HEAD, FONT_BODY, ALIGN_LEFT, id, en);
		t->colour = L->p->primary_dk;
		t->wrap = true;
		return;
	}
	int tw = r.w - U(L, 3);
	int th = label_h;
	s = r.w * 2 / 5;
	if (s > r.h - th - U(L, 8))
		s = r.h - th - U(L, 8);
	int own = pair_height(L, FONT_HEAD, FONT_BODY, id, en, tw), ty;
	if (s >= U(L, 3)) {
		int gap = (r.h - s - th) / 3;
		icon(wd, ic, rect(r.x + (r.w - s) / 2, r.y + gap, s, s), L->p->primary);
		ty = r.y + 2 * gap + s;
	} else {
		ty = r.y + (r.h - own) / 2; /* a crowded screen: the words alone */
	}
	struct widget *t = pair(L, rect(r.x + (r.w - tw) / 2, ty, tw, own), FONT_HEAD, FONT_BODY,
				ALIGN_CENTRE, id, en);
	t->colour = L->p->primary_dk;
	t->wrap = true;
}

static const struct {
	enum icon icon;
	const char *id, *en;
	enum flow_action action;
} ways[3] = {
	{ ICON_CARD, "Tempelkan KTP-el", "Tap your KTP-el card on the reader", ACT_CARD_HINT },
	{ ICON_KEYPAD, "Ketik NIK", CTX("way in", "Type your NIK"), ACT_START_NIK },
	{ ICON_QR, "Pindai kode QR", "Scan the QR code from your notification", ACT_START_QR },
};

static const char *const hint_id =
    "Letakkan KTP-el di atas pembaca kartu bertanda NFC, di bawah layar.";
static const char *const hint_en = "Lay your KTP-el on the reader marked NFC, below the screen.";
static const char *const welcome_id = "Cetak dokumen kependudukan Anda sendiri. Pilih cara masuk:";
static const char *const welcome_en = "Print your own population documents. Choose how to start:";

/* The tallest label of the three tiles at width w. */
static int ways_label_h(struct layout *L, int w)
{
	int most = 0;
	for (int i = 0; i < 3; i++) {
		int h = pair_height(L, FONT_HEAD, FONT_BODY, ways[i].id, ways[i].en, w);
		most = h > most ? h : most;
	}
	return most;
}

/* Whether the three tiles keep their labels (and some icon) in a height of left. */
static bool tiles_fit(struct layout *L, int left, int label_h)
{
	if (L->v->portrait)
		return (left - 2 * U(L, SP_GAP)) / 3 >= label_h + U(L, 2);
	return left >= label_h + U(L, 12);
}

/* A notice's height at width w (0 without one), and gap after it. */
static int notice_h(struct layout *L, const char *id, const char *en, int w, int gap)
{
	if (!id)
		return 0;
	return pair_height_as_is(L, FONT_BODY_B, FONT_SMALL, id, en, w - U(L, 4)) + U(L, 2) + gap;
}

void screen_attract(struct layout *L)
{
	bool urgent, portrait = L->v->portrait;
	int gap = U(L, SP_GAP), tw = (L->body.w - 2 * gap) / 3;
	/* the portrait tiles' text beside an icon of about 14 units */
	int label_h = ways_label_h(L, portrait ? L->body.w - U(L, 24) : tw - U(L, 3));

	/* A printer that cannot print now is said before anyone starts. */
	const char *down_id = NULL, *down_en = NULL;
	/* a queue a technician took out of service is down too (its bits are the same) */
	unsigned down = (L->f->printers_down | L->f->queues_off) & (PRN_A4_DOWN | PRN_CARD_DOWN);
	if (down == PRN_A4_DOWN) {
		down_id = "Cetak dokumen A4 sedang tidak tersedia. Cetak kartu tetap bisa.";
		down_en = "A4 documents cannot be printed now. Cards still can.";
	} else if (down == PRN_CARD_DOWN) {
		down_id = "Cetak KTP-el dan KIA sedang tidak tersedia. Dokumen A4 tetap bisa.";
		down_en = "KTP-el and KIA cards cannot be printed now. A4 documents still can.";
	}
	/* the technician's own words, the kiosk's second line under them; the notices show
	 * their texts as they are, so they are looked up here */
	int q = down == PRN_CARD_DOWN;
	if (down_id) {
		bool words = (L->f->queues_off & (1u << q)) && L->f->queue_message[q][0];
		down_id = words ? L->f->queue_message[q] : tr1(down_en, down_id);
		down_en = tr2(down_en);
	}
	const char *hint_1 = tr1(hint_en, hint_id), *hint_2 = tr2(hint_en);
	/* the bundle's content first, leaving the ways in, the printer's notice and the hint
	 * their room: it says what is left for the welcome and the ways in */
	int keep = (portrait ? 3 * (label_h + U(L, 2)) + 2 * gap : label_h + U(L, 1)) +
		   notice_h(L, down_id, down_en, L->body.w, gap) +
		   (L->f->hint ? notice_h(L, hint_1, hint_2, L->body.w, gap) : 0);
	SDL_Rect b = screen_content_attract(L, L->body, keep, &urgent);
	int down_h = notice_h(L, down_id, down_en, b.w, 0);
	int hint_h = L->f->hint ? notice_h(L, hint_1, hint_2, b.w, 0) : 0;
	int y = b.y;
	tw = (b.w - 2 * gap) / 3; /* beside the bundle's column */
	label_h = ways_label_h(L, portrait ? b.w - U(L, 24) : tw - U(L, 3));

	if (!urgent) {
		/* the welcome gives way, its second sentence first, when the tiles need its
		 * room (large text): the tiles say what to do */
		int title_h =
		    pair_height(L, FONT_TITLE, FONT_BODY, "Selamat datang", "Welcome", b.w);
		int ph = pair_height(L, FONT_BODY_B, FONT_SMALL, welcome_id, welcome_en, b.w);
		int left =
		    b.h - 2 * gap - (down_h ? down_h + gap : 0) - (hint_h ? hint_h + gap : 0);
		bool with_title = tiles_fit(L, left - title_h, label_h);
		if (with_title)
			y += title(L, rect(b.x, y, b.w, 0), "Selamat datang", "Welcome");
		if (with_title && tiles_fit(L, left - title_h - gap / 2 - ph, label_h)) {
			y += gap / 2;
			y +=
			    paragraph(L, rect(b.x, y, b.w, 0), FONT_BODY_B, welcome_id, welcome_en);
		}
		if (with_title)
			y += gap * 2;
	}
	if (down_id) {
		notice(L, rect(b.x, y, b.w, down_h), L->p->danger_bg, L->p->danger, down_id,
		       down_en);
		y += down_h + gap;
	}
	int avail = b.y + b.h - y - (hint_h ? hint_h + gap : 0);
	if (portrait) {
		int th = (avail - 2 * gap) / 3;
		if (th > U(L, 30) && th > label_h + U(L, 2))
			th = U(L, 30) > label_h + U(L, 2) ? U(L, 30) : label_h + U(L, 2);
		bool icons = true, fits;
		for (int i = 0; i < 3; i++) {
			portrait_icon(L, rect(b.x, y, b.w, th), ways[i].id, ways[i].en, &fits);
			icons &= fits;
		}
		for (int i = 0; i < 3; i++)
			way_in(L, rect(b.x, y + i * (th + gap), b.w, th), ways[i].icon, ways[i].id,
			       ways[i].en, ways[i].action, 0, icons);
	} else {
		for (int i = 0; i < 3; i++)
			way_in(L, rect(b.x + i * (tw + gap), y, tw, avail), ways[i].icon,
			       ways[i].id, ways[i].en, ways[i].action, label_h, true);
	}
	if (hint_h) {
		notice(L, rect(b.x, b.y + b.h - hint_h, b.w, hint_h), L->p->warn_bg, L->p->text,
		       hint_1, hint_2);
	}
}

void screen_qr(struct layout *L)
{
	struct message m = {
		.icon = ICON_QR,
		.icon_colour = L->p->primary,
		.icon_bg = L->p->surface,
		.title_id = "Pindai kode QR",
		.title_en = "Scan your QR code",
		.para = { { FONT_BODY_B,
			    "Arahkan kode QR dari notifikasi Dukcapil ke pemindai di bawah layar.",
			    "Hold the QR code from your Dukcapil notification under the scanner "
			    "below the screen." } },
		.buttons = true,
	};
	message_column(L, &m);
	bottom_buttons(L, "Batal", "Cancel", ACT_CANCEL, NULL, NULL, ACT_NONE);
}

void screen_reading(struct layout *L)
{
	bool card = L->f->s.via_card && !L->f->waiting;
	struct message m = {
		.icon = card ? ICON_CARD : ICON_DOC,
		.icon_colour = L->p->primary,
		.icon_bg = L->p->surface,
		.title_id = card ? "Membaca KTP-el…" : "Memeriksa data Anda…",
		.title_en = card ? "Reading your KTP-el…" : "Checking your record…",
		.pref_top = L->body.h / 6,
	};
	if (card) {
		m.para[0].font = FONT_BODY_B;
		m.para[0].id = "Jangan angkat kartu sampai diminta.";
		m.para[0].en = "Keep the card on the reader until asked.";
	}
	message_column(L, &m);
}
