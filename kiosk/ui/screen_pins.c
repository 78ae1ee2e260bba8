/*
 * Typing on the keypad: the NIK, the account PIN, a document's one-time print PIN and the
 * technician's PIN, with what went wrong under the field.
 */
#include "screens.h"

#include "nik.h"

#include <stdio.h>
#include <string.h>

/* The keypad's least width: three keys as wide as "Hapus" or "Lanjut" and their margins. */
static int key_min_w(struct layout *L)
{
	int w1, w2, h;
	text_size(L->t, FONT_BODY_B, tr1("Delete", "Hapus"), 0, &w1, &h);
	text_size(L->t, FONT_BODY_B, tr1("OK", "Lanjut"), 0, &w2, &h);
	return 3 * ((w1 > w2 ? w1 : w2) + U(L, 3)) + 2 * U(L, 1.5f);
}

/* The least height of a key with "Hapus / Delete" (the bottom row): its two lines. */
static int key_pair_h(struct layout *L)
{
	return text_line_height(L->t, FONT_BODY_B) + text_line_height(L->t, FONT_SMALL);
}

/* The keypad's least height: the digit rows as tall as a digit, the bottom row as its two
 * lines, the keys closer together. */
static int keys_least_h(struct layout *L)
{
	return 3 * text_line_height(L->t, FONT_KEY) + key_pair_h(L) + 3 * U(L, 1);
}

static void keypad(struct layout *L, SDL_Rect r)
{
	int gap = U(L, 1.5f);
	int kw = (r.w - 2 * gap) / 3, kh = (r.h - 3 * gap) / 4, last_h = kh;
	bool off = L->f->waiting;

	if (kh < key_pair_h(L)) {
		/* large text in a short room: the bottom row keeps its two lines, the digit
		 * rows give what they can spare */
		gap = U(L, 1);
		last_h = key_pair_h(L);
		kh = (r.h - 3 * gap - last_h) / 3;
	}
	for (int i = 0; i < 12; i++) {
		SDL_Rect k = rect(r.x + (i % 3) * (kw + gap), r.y + (i / 3) * (kh + gap), kw,
				  i < 9 ? kh : last_h);
		struct widget *wd;
		char digit[2] = { 0, 0 };
		if (i < 9 || i == 10) {
			int d = i < 9 ? i + 1 : 0;
			digit[0] = (char)('0' + d);
			wd = button(L, k, off ? BTN_DISABLED : BTN_SECONDARY, digit, NULL,
				    ACT_DIGIT, d);
			wd->font = FONT_KEY;
			if (!off)
				wd->colour = L->p->text;
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
	struct widget *wd = box(L, r, L->p->surface, U(L, SP_RADIUS));
	wd->has_border = true;
	wd->border = L->p->primary;
	wd->font = FONT_TITLE;
	wd->colour = L->p->text;
	wd->align = ALIGN_CENTRE;
	set_text(wd, shown, NULL);
}

/* One circle per PIN digit, filled for each digit typed: the digits are never shown. */
static void pin_field(struct layout *L, SDL_Rect r)
{
	int d = U(L, 5), gap = U(L, 2.5f);
	int total = FLOW_PIN_LEN * d + (FLOW_PIN_LEN - 1) * gap;
	struct widget *wd = box(L, r, L->p->surface, U(L, SP_RADIUS));

	wd->has_border = true;
	wd->border = L->p->primary;
	for (int i = 0; i < FLOW_PIN_LEN; i++) {
		SDL_Rect c =
		    rect(r.x + (r.w - total) / 2 + i * (d + gap), r.y + (r.h - d) / 2, d, d);
		wd = box(L, c, i < L->f->s.entry_len ? L->p->primary : L->p->surface, d / 2);
		wd->has_border = true;
		wd->border = L->p->primary;
	}
}

/* Why a NIK was refused, in words a citizen can act on (see nik.h). */
struct error_text screen_nik_reason_text(int reason)
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

/* What shows under the field: checking, or what was wrong (danger). False: nothing. */
struct entry_text {
	char id[128], en[128];
	bool danger;
};

static bool entry_text(const struct flow *f, struct entry_text *e)
{
	e->danger = true;
	if (f->waiting) {
		snprintf(e->id, sizeof(e->id), "Memeriksa…");
		snprintf(e->en, sizeof(e->en), "Checking…");
		e->danger = false;
	} else if (f->error == ERR_NIK_INVALID) {
		struct error_text r = screen_nik_reason_text(f->nik_reason);
		snprintf(e->id, sizeof(e->id), "%s", r.body_id);
		snprintf(e->en, sizeof(e->en), "%s", r.body_en);
	} else if (f->error == ERR_QR_OTHER_DOC) {
		snprintf(e->id, sizeof(e->id), "Kode QR ini untuk dokumen lain.");
		snprintf(e->en, sizeof(e->en), "This QR code is for another document.");
	} else if (f->error == ERR_PIN_WRONG && f->s.pin_tries_left >= 0) {
		snprintf(e->id, sizeof(e->id),
			 tr1("Wrong PIN. Tries left: %d.", "PIN salah. Sisa percobaan: %d."),
			 f->s.pin_tries_left);
		snprintf(e->en, sizeof(e->en), tr2("Wrong PIN. Tries left: %d."),
			 f->s.pin_tries_left);
	} else if (f->error == ERR_PIN_WRONG) {
		snprintf(e->id, sizeof(e->id), "PIN salah. Periksa notifikasi Anda.");
		snprintf(e->en, sizeof(e->en), "Wrong PIN. Check your notification.");
	} else {
		return false;
	}
	return true;
}

/* The room under the field for the message, wrapped at w: at least one line of each. */
static int entry_message_h(struct layout *L, int w)
{
	struct entry_text e;
	int least = text_line_height(L->t, FONT_BODY_B) + text_line_height(L->t, FONT_SMALL);
	int h = entry_text(L->f, &e) ? pair_height(L, FONT_BODY_B, FONT_SMALL, e.id, e.en, w) : 0;
	return h > least ? h : least;
}

static void entry_message(struct layout *L, SDL_Rect r)
{
	struct entry_text e;
	if (!entry_text(L->f, &e))
		return;
	r.h = pair_height(L, FONT_BODY_B, FONT_SMALL, e.id, e.en, r.w);
	struct widget *wd = pair(L, r, FONT_BODY_B, FONT_SMALL, ALIGN_CENTRE, e.id, e.en);
	if (e.danger)
		wd->colour = L->p->danger;
	wd->wrap = true;
}

/* How the text column is set: the steps large text takes before the explanation would
 * give way (it names the document a print PIN is for, or whose account it is). */
struct column {
	int gap;     /* between its blocks */
	int field_h; /* the typed digits' box */
	enum font_role tf;
	bool with_para;
};

/* The height of the text column at width w. */
static int column_h(struct layout *L, int w, const struct column *c, const char *tid,
		    const char *ten, const char *pid, const char *pen)
{
	int h = pair_height(L, c->tf, FONT_BODY, tid, ten, w) + c->gap / 2 + c->gap + c->field_h +
		c->gap / 2 + entry_message_h(L, w);
	return c->with_para ? h + pair_height(L, FONT_BODY, FONT_SMALL, pid, pen, w) : h;
}

/* The first of the column's steps that fits in room at width w: as drawn normally, closer
 * together with the field at its least, then the title in the heading's size; only then
 * without the explanation. around: how many gaps outside the column (counted in room)
 * close up with it. */
static struct column column_fit(struct layout *L, int w, int room, int around, const char *tid,
				const char *ten, const char *pid, const char *pen)
{
	/* the NIK's field holds a title line, the PIN's field its circles */
	int field_least =
	    L->f->state == FLOW_NIK_ENTRY ? text_line_height(L->t, FONT_TITLE) + U(L, 1) : U(L, 9);
	struct column steps[] = {
		{ U(L, SP_GAP), U(L, 11), FONT_TITLE, true },
		{ U(L, SP_GAP) / 2, field_least, FONT_TITLE, true },
		{ U(L, SP_GAP) / 2, field_least, FONT_HEAD, true },
		{ U(L, SP_GAP) / 2, field_least, FONT_HEAD, false },
	};
	int n = (int)(sizeof(steps) / sizeof(steps[0]));

	for (int i = 0; i < n; i++) {
		if (steps[i].field_h > U(L, 11))
			steps[i].field_h = U(L, 11);
		int more = around * (U(L, SP_GAP) - steps[i].gap);
		if (column_h(L, w, &steps[i], tid, ten, pid, pen) <= room + more)
			return steps[i];
	}
	return steps[n - 1];
}

/* whose account, without showing the NIK on a public screen: its last four */
static const char verify_id[] = "PIN 6 angka untuk NIK \u2022\u2022\u2022\u2022 "
				"\u2022\u2022\u2022\u2022 \u2022\u2022\u2022\u2022 %.4s.";
static const char verify_en[] = "The 6-digit PIN for NIK \u2022\u2022\u2022\u2022 "
				"\u2022\u2022\u2022\u2022 \u2022\u2022\u2022\u2022 %.4s.";

void screen_keypad(struct layout *L)
{
	const struct flow *f = L->f;
	SDL_Rect b = L->body;
	int gap = U(L, SP_GAP);
	const char *tid, *ten, *pid, *pen;
	char pid_buf[160], pen_buf[160], tid_buf[48], ten_buf[48];

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
		snprintf(pid_buf, sizeof(pid_buf), tr1(verify_en, verify_id),
			 f->s.nik + (strlen(f->s.nik) >= 4 ? strlen(f->s.nik) - 4 : 0));
		snprintf(pen_buf, sizeof(pen_buf), tr2(verify_en),
			 f->s.nik + (strlen(f->s.nik) >= 4 ? strlen(f->s.nik) - 4 : 0));
		pid = pid_buf;
		pen = pen_buf;
		break;
	default: {
		const struct flow_doc *d = &f->s.docs[f->s.chosen];
		/* several ticked: which of them this PIN is for */
		int n = 0, k = 0;
		for (int i = 0; i < f->s.n_docs; i++) {
			n += f->s.docs[i].ticked;
			k += f->s.docs[i].ticked && i < f->s.chosen;
		}
		tid = "Masukkan PIN cetak";
		ten = "Enter the print PIN";
		if (n > 1) {
			snprintf(tid_buf, sizeof(tid_buf),
				 tr1("Print PIN %d of %d", "PIN cetak %d dari %d"), k + 1, n);
			snprintf(ten_buf, sizeof(ten_buf), tr2("Print PIN %d of %d"), k + 1, n);
			tid = tid_buf;
			ten = ten_buf;
		}
		/* the print QR of the notification stands in for the PIN: say so */
		snprintf(pid_buf, sizeof(pid_buf),
			 tr1("%s. Or scan its print QR code.", "%s. Atau pindai kode QR cetaknya."),
			 d->title_id);
		snprintf(pen_buf, sizeof(pen_buf), tr2("%s. Or scan its print QR code."),
			 d->title_en);
		pid = pid_buf;
		pen = pen_buf;
		break;
	}
	}

	/* The text column: title, explanation, field and message, beside the keys (under
	 * them in portrait). With large text the column tightens step by step (column_fit);
	 * in landscape the cancel button first moves under the keys. */
	int row_h = bottom_row(L).h;
	SDL_Rect left, pad_r, cancel;
	struct column c;
	if (L->v->portrait) {
		left = rect(b.x, b.y, b.w, b.h * 2 / 5);
		c = column_fit(L, left.w, b.h - gap - row_h - gap - keys_least_h(L), 2, tid, ten,
			       pid, pen);
		int kgap = c.gap; /* the keys closer to the column as it tightens */
		int need = column_h(L, left.w, &c, tid, ten, pid, pen);
		if (need > left.h)
			left.h = need;
		int ks = b.h - left.h - kgap - row_h - kgap;
		int kw = ks * 3 / 4 > b.w ? b.w : ks * 3 / 4;
		if (kw < key_min_w(L))
			kw = key_min_w(L) > b.w ? b.w : key_min_w(L);
		pad_r = rect(b.x + (b.w - kw) / 2, b.y + left.h + kgap, kw, ks);
		cancel = bottom_row(L);
	} else {
		left = rect(b.x, b.y, b.w * 11 / 20, b.h);
		int kw = b.h * 4 / 5;
		int room = b.w - left.w - U(L, 4);
		if (kw > room)
			kw = room;
		if (kw < key_min_w(L)) /* large text: the keys take from the text column */
			kw = key_min_w(L);
		left.w = b.w - kw - U(L, 4);
		pad_r = rect(b.x + b.w - kw, b.y, kw, b.h);
		cancel = rect(left.x + (left.w - U(L, 44)) / 2, b.y + b.h - row_h, U(L, 44), row_h);
		c = column_fit(L, left.w, b.h - row_h - gap, 0, tid, ten, pid, pen);
		if (!c.with_para || c.gap < gap) {
			/* the column takes the whole height, the cancel button goes under the
			 * keys, as wide as they are */
			pad_r.h = b.h - gap - row_h;
			cancel = rect(pad_r.x, pad_r.y + pad_r.h + gap, kw, row_h);
			c = column_fit(L, left.w, b.h, 0, tid, ten, pid, pen);
		}
	}

	int y = left.y;
	y += title_as(L, rect(left.x, y, left.w, 0), c.tf, tid, ten);
	y += c.gap / 2;
	if (c.with_para)
		y += paragraph(L, rect(left.x, y, left.w, 0), FONT_BODY, pid, pen);
	y += c.gap;
	SDL_Rect field = rect(left.x, y, left.w, c.field_h);
	if (f->state == FLOW_NIK_ENTRY)
		nik_field(L, field);
	else
		pin_field(L, field);
	y += field.h + c.gap / 2;
	entry_message(L, rect(left.x, y, left.w, 0));

	keypad(L, pad_r);

	if (f->state == FLOW_AUTHORISE)
		cancel_button(L, cancel, ACT_BACK, "Kembali ke daftar", "Back to the list");
	else
		cancel_button(L, cancel, ACT_CANCEL, "Batal", "Cancel");
}
