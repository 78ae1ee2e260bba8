/*
 * The spoken prompts of the citizen screens (guide.h). The sentences are the screens' own
 * where a screen says them in full (the errors, the NIK's reasons, titles and
 * instructions); the ui suite's guide test checks that every fixed piece spoken on a
 * screen is also written on it, unless it is listed below as spoken only (what to do next
 * where the screen shows it by its buttons alone).
 */
#include "guide.h"

#include "screens.h"

#include <string.h>

static void piece(struct guide *g, enum guide_lang l, const char *text, int number)
{
	if (g->n[l] >= GUIDE_MAX_PIECES)
		return;
	g->p[l][g->n[l]++] = (struct guide_piece){ text, number };
}

/* One sentence in both languages. */
static void say(struct guide *g, const char *id, const char *en)
{
	if (id)
		piece(g, GUIDE_ID, id, 0);
	if (en)
		piece(g, GUIDE_EN, en, 0);
}

/* A sentence around a number, in both languages: before, the number, after (either
 * text may be NULL). */
static void say_n(struct guide *g, const char *id1, const char *id2, const char *en1,
		  const char *en2, int n)
{
	const char *t[GUIDE_LANGS][2] = { { id1, id2 }, { en1, en2 } };
	for (int l = 0; l < GUIDE_LANGS; l++) {
		if (t[l][0])
			piece(g, (enum guide_lang)l, t[l][0], 0);
		piece(g, (enum guide_lang)l, NULL, n);
		if (t[l][1])
			piece(g, (enum guide_lang)l, t[l][1], 0);
	}
}

static void say_error(struct guide *g, const struct error_text *e)
{
	say(g, e->title_id, e->title_en);
	say(g, e->body_id, e->body_en);
}

/* spoken only: what to do next where the screen shows it by its keys and buttons */
static const char *const type_pin_id = "Ketik enam angka PIN, lalu sentuh Lanjut.";
static const char *const type_pin_en = "Type the six digits of the PIN, then touch OK.";
/* said, not shown: the screen lists the citizen's applications instead */
static const char *const notify_id = "Anda akan menerima notifikasi saat dokumen siap.";
static const char *const notify_en = "You will get a notification when a document is ready.";
static const char *const touch_doc_id = "Sentuh dokumen yang ingin Anda cetak, lalu tombol cetak.";
static const char *const touch_doc_en = "Touch the documents you want to print, then print.";
static const char *const finish_id = "Sentuh Selesai untuk keluar.";
static const char *const finish_en = "Touch Finish to leave.";
/* the screen's "15 s" would be read out as the letter */
static const char *const seconds_en = "seconds. Touch here to continue.";
/* the help panel's: the configured place is free text, the call shown by its button, an
 * id too long to spell */
static const char *const place_id = "Tempat petugas tertulis di layar.";
static const char *const place_en = "Where the staff are is written on the screen.";
static const char *const call_id = "Sentuh Panggil petugas, dan petugas akan datang.";
static const char *const call_en = "Touch Call staff, and the staff will come.";
static const char *const long_id_id = "Nomor ADM ini tertulis di layar.";
static const char *const long_id_en = "This kiosk's number is written on the screen.";

const char *const guide_spoken_only[] = { type_pin_id, type_pin_en, touch_doc_id, touch_doc_en,
					  notify_id,   notify_en,   finish_id,	  finish_en,
					  seconds_en,  place_id,    place_en,	  call_id,
					  call_en,     long_id_id,  long_id_en,	  NULL };

const char *const guide_letters[26] = { "A", "B", "C", "D", "E", "F", "G", "H", "I",
					"J", "K", "L", "M", "N", "O", "P", "Q", "R",
					"S", "T", "U", "V", "W", "X", "Y", "Z" };

static void keypad(const struct flow *f, struct guide *g)
{
	if (f->error == ERR_NIK_INVALID) {
		struct error_text r = screen_nik_reason_text(f->nik_reason);
		say(g, r.body_id, r.body_en);
		return;
	}
	if (f->error == ERR_PIN_WRONG && f->s.pin_tries_left >= 0) {
		say_n(g, "PIN salah. Sisa percobaan:", NULL, "Wrong PIN. Tries left:", NULL,
		      f->s.pin_tries_left);
		return;
	}
	if (f->error == ERR_PIN_WRONG) {
		say(g, "PIN salah. Periksa notifikasi Anda.",
		    "Wrong PIN. Check your notification.");
		return;
	}
	if (f->error == ERR_QR_OTHER_DOC) {
		say(g, "Kode QR ini untuk dokumen lain.", "This QR code is for another document.");
		return;
	}
	switch (f->state) {
	case FLOW_NIK_ENTRY:
		say(g, "Ketik NIK Anda", "Type your NIK");
		say(g, "16 angka, tertera di KTP-el atau Kartu Keluarga.",
		    "16 digits, printed on your KTP-el or family card.");
		break;
	case FLOW_VERIFY:
		say(g, "Masukkan PIN akun ADM", "Enter your ADM account PIN");
		say(g, type_pin_id, type_pin_en);
		break;
	default: { /* the document's title is the central's free text: not recorded */
		int n = 0, k = 0; /* several ticked: which of them, as the screen says */
		for (int i = 0; i < f->s.n_docs; i++) {
			n += f->s.docs[i].ticked;
			k += f->s.docs[i].ticked && i < f->s.chosen;
		}
		if (n > 1) {
			say_n(g, "PIN cetak", "dari", "Print PIN", "of", k + 1);
			piece(g, GUIDE_ID, NULL, n);
			piece(g, GUIDE_EN, NULL, n);
		} else {
			say(g, "Masukkan PIN cetak", "Enter the print PIN");
		}
		say(g, type_pin_id, type_pin_en);
		break;
	}
	}
}

static void done(const struct flow *f, struct guide *g)
{
	say(g, "Selesai dicetak", "Printed");
	if (f->s.printed_card)
		say(g, "Silakan ambil kartu Anda di bawah layar.",
		    "Please take your card from the slot below the screen.");
	else
		say_n(g, "Silakan ambil", "lembar dokumen Anda di bawah layar.", "Please take your",
		      f->s.sheets == 1 ? "sheet from the tray below the screen."
				       : "sheets from the tray below the screen.",
		      f->s.sheets);
	if (f->card_on_reader)
		say(g, "Angkat KTP-el Anda dari pembaca kartu.",
		    "Lift your KTP-el off the card reader.");
}

static void error(const struct flow *f, struct guide *g)
{
	struct error_text e = screen_error_text(f);
	if (f->error == ERR_PIN_LOCKED && f->s.lock_minutes > 0) {
		say(g, e.title_id, e.title_en);
		say_n(g, "Terlalu banyak PIN salah. Coba lagi dalam", "menit atau hubungi petugas.",
		      "Too many wrong PINs. Try again in",
		      f->s.lock_minutes == 1 ? "minute, or ask the staff."
					     : "minutes, or ask the staff.",
		      f->s.lock_minutes);
		return;
	}
	say_error(g, &e);
}

void guide_for(const struct flow *f, struct guide *g)
{
	int secs = flow_countdown_s(f);
	if (secs <= 0) {
		guide_step(f, g);
		return;
	}
	memset(g, 0, sizeof(*g));
	say_n(g, "Sesi berakhir dalam", "detik. Sentuh di sini untuk lanjut.",
	      "Your session ends in", seconds_en, secs);
}

void guide_step(const struct flow *f, struct guide *g)
{
	memset(g, 0, sizeof(*g));
	switch (f->state) {
	case FLOW_ATTRACT:
		if (f->hint) {
			say(g,
			    "Letakkan KTP-el di atas pembaca kartu bertanda NFC, di bawah layar.",
			    "Lay your KTP-el on the reader marked NFC, below the screen.");
			return;
		}
		say(g, "Selamat datang", "Welcome");
		say(g, "Cetak dokumen kependudukan Anda sendiri. Pilih cara masuk:",
		    "Print your own population documents. Choose how to start:");
		say(g, "Tempelkan KTP-el", "Tap your KTP-el card on the reader");
		say(g, "Ketik NIK", "Type your NIK");
		say(g, "Pindai kode QR", "Scan the QR code from your notification");
		return;
	case FLOW_READING:
		if (f->s.via_card && !f->waiting) {
			say(g, "Membaca KTP-el…", "Reading your KTP-el…");
			say(g, "Jangan angkat kartu sampai diminta.",
			    "Keep the card on the reader until asked.");
		} else {
			say(g, "Memeriksa data Anda…", "Checking your record…");
		}
		return;
	case FLOW_QR_WAIT:
		say(g, "Pindai kode QR", "Scan your QR code");
		say(g, "Arahkan kode QR dari notifikasi Dukcapil ke pemindai di bawah layar.",
		    "Hold the QR code from your Dukcapil notification under the scanner below the "
		    "screen.");
		return;
	case FLOW_NIK_ENTRY:
	case FLOW_VERIFY:
	case FLOW_AUTHORISE:
		keypad(f, g);
		return;
	case FLOW_DOCUMENTS: /* "Halo, <name>" is not spoken */
		say(g, "Dokumen Anda yang siap cetak", "Your documents ready to print");
		say(g, touch_doc_id, touch_doc_en);
		return;
	case FLOW_PRINTING: {
		if (f->s.print_fault) { /* the printer's words are its own: not recorded */
			say(g,
			    "Dokumen Anda tetap tersimpan dan akan tercetak setelah printer siap. "
			    "Mohon tunggu atau hubungi petugas.",
			    "Your document is kept and will print once the printer is ready. "
			    "Please wait, or ask the staff.");
			return;
		}
		int n = 0, pos = 0; /* several: which of them, as the screen says */
		for (int i = 0; i < f->s.n_docs; i++) {
			if (!f->s.docs[i].authorised)
				continue;
			if (i == f->s.chosen)
				pos = n;
			n++;
		}
		if (n > 1) {
			say_n(g, "Mencetak dokumen", "dari", "Printing document", "of", pos + 1);
			piece(g, GUIDE_ID, NULL, n);
			piece(g, GUIDE_EN, NULL, n);
			return;
		}
		say(g, "Sedang mencetak…", "Printing…");
		say_n(g, "Halaman", "dari", "Page", "of", f->s.pages_done);
		piece(g, GUIDE_ID, NULL, f->s.pages);
		piece(g, GUIDE_EN, NULL, f->s.pages);
		return;
	}
	case FLOW_DONE:
		done(f, g);
		return;
	case FLOW_NOTHING_READY:
		say(g, "Belum ada dokumen siap cetak", "No document is ready to print yet");
		say(g, notify_id, notify_en);
		say(g, finish_id, finish_en);
		return;
	case FLOW_ERROR:
		error(f, g);
		return;
	case FLOW_OUT_OF_SERVICE: /* a technician's own words are not recorded */
		say(g, "Mohon maaf, ADM sedang tidak dapat digunakan",
		    "Sorry, this kiosk is out of service");
		say(g, "Silakan hubungi petugas Dukcapil atau gunakan ADM lain.",
		    "Please ask the Dukcapil staff, or use another kiosk.");
		return;
	case FLOW_TECHNICIAN:
	case FLOW_TECH_PIN:
	case FLOW_STATE_COUNT:
		return;
	}
}

/* An id that can be spelled: not too long, letters, digits, '-' and '_' only. */
static bool spellable(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	return n > 0 && n <= GUIDE_SPELL_MAX &&
	       strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == n;
}

/* The kiosk's id letter by letter and digit by digit ('-' and '_' unsaid), in both
 * languages. */
static void spell(struct guide *g, const char *id)
{
	for (int l = 0; l < GUIDE_LANGS; l++)
		for (const char *c = id; *c; c++) {
			if (*c >= '0' && *c <= '9')
				piece(g, (enum guide_lang)l, NULL, *c - '0');
			else if (*c != '-' && *c != '_')
				piece(g, (enum guide_lang)l, guide_letters[(*c | 0x20) - 'a'], 0);
		}
}

void guide_help(const struct flow *f, const struct guide_kiosk *k, struct guide *g)
{
	const struct help_words *w = &screen_help_words;
	struct guide step;
	guide_step(f, &step);
	memset(g, 0, sizeof(*g));
	say(g, "Bantuan", "Help");
	if (f->staff_called)
		say(g, w->called_id, w->called_en);
	for (int l = 0; l < GUIDE_LANGS; l++)
		for (int i = 0; i < step.n[l]; i++)
			piece(g, (enum guide_lang)l, step.p[l][i].text, step.p[l][i].number);
	if (k->staff_place)
		say(g, place_id, place_en);
	else
		say(g, w->near_id, w->near_en);
	if (!f->staff_called)
		say(g, call_id, call_en);
	if (spellable(k->id)) {
		say(g, w->kiosk_id, w->kiosk_en);
		spell(g, k->id);
	} else if (k->id && k->id[0]) {
		say(g, long_id_id, long_id_en);
	}
}

void guide_now(const struct flow *f, const struct guide_kiosk *k, struct guide *g)
{
	if (f->help && flow_countdown_s(f) <= 0)
		guide_help(f, k, g);
	else
		guide_for(f, g);
}

/* Sentences end in a full stop, a number sits between words: "Halaman 1 dari 2." */
void guide_text(const struct guide *g, enum guide_lang l, char *out, size_t n)
{
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < g->n[l] && len + 1 < n; i++) {
		const struct guide_piece *p = &g->p[l][i];
		const char *sep = len ? " " : "";
		if (len && strchr(".:?!\xa6", out[len - 1]) == NULL && p->text &&
		    g->p[l][i - 1].text)
			sep = ". ";
		int k = p->text ? snprintf(out + len, n - len, "%s%s", sep, p->text)
				: snprintf(out + len, n - len, "%s%d", sep, p->number);
		if (k > 0) /* cut: out holds n - 1 bytes and its end */
			len = len + (size_t)k < n ? len + (size_t)k : n - 1;
	}
	if (len && len + 1 < n && strchr(".:?!\xa6", out[len - 1]) == NULL &&
	    g->p[l][g->n[l] - 1].text)
		snprintf(out + len, n - len, ".");
}

struct guide_mark guide_mark(const struct flow *f)
{
	return (struct guide_mark){
		.state = f->state,
		.error = f->error,
		.tries = f->error == ERR_PIN_WRONG ? f->s.pin_tries_left : 0,
		.countdown = flow_countdown_s(f) > 0,
		.hint = f->hint,
		.reading_card = f->state == FLOW_READING && f->s.via_card && !f->waiting,
		.help = f->help,
		.called = f->help && f->staff_called,
	};
}

bool guide_news(const struct guide_mark *before, const struct guide_mark *now)
{
	return now->state != before->state ||
	       (now->error != ERR_NONE &&
		(now->error != before->error || now->tries != before->tries)) ||
	       (now->countdown && !before->countdown) || (now->hint && !before->hint) ||
	       now->reading_card != before->reading_card || now->help != before->help ||
	       (now->called && !before->called);
}
