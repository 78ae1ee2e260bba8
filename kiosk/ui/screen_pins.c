/*
 * Typing on the keypad: the NIK, the account PIN, a document's one-time print PIN and the
 * technician's PIN, with what went wrong under the field.
 */
#include "screens.h"

#include "nik.h"

#include <stdio.h>
#include <string.h>

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

void screen_keypad(struct layout *L)
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
