/*
 * How a visit ends: printed, nothing ready, an error, or the kiosk out of service.
 */
#include "screens.h"

#include <stdio.h>
#include <string.h>

void screen_done(struct layout *L)
{
	const struct flow *f = L->f;
	char id[128], en[128];

	/* what to take, and how much of it */
	if (f->s.printed_card && f->s.sheets > 0) {
		/* English's plural chosen here, one text each (Indonesian has none) */
#define TAKE_BOTH_EN                                                                               \
	(f->s.sheets == 1 ? "Please take your card and your %d sheet from below the screen."       \
			  : "Please take your card and your %d sheets from below the screen.")
		snprintf(id, sizeof(id),
			 tr1(TAKE_BOTH_EN,
			     "Silakan ambil kartu dan %d lembar dokumen Anda di bawah layar."),
			 f->s.sheets);
		snprintf(en, sizeof(en), tr2(TAKE_BOTH_EN), f->s.sheets);
#undef TAKE_BOTH_EN
	} else if (f->s.printed_card) {
		snprintf(id, sizeof(id), "%s",
			 tr1("Please take your card from the slot below the screen.",
			     "Silakan ambil kartu Anda di bawah layar."));
		snprintf(en, sizeof(en), "%s",
			 tr2("Please take your card from the slot below the screen."));
	} else {
#define TAKE_EN                                                                                    \
	(f->s.sheets == 1 ? "Please take your %d sheet from the tray below the screen."            \
			  : "Please take your %d sheets from the tray below the screen.")
		snprintf(id, sizeof(id),
			 tr1(TAKE_EN, "Silakan ambil %d lembar dokumen Anda di bawah layar."),
			 f->s.sheets);
		snprintf(en, sizeof(en), tr2(TAKE_EN), f->s.sheets);
#undef TAKE_EN
	}
	struct message m = {
		.icon = ICON_CHECK,
		.icon_colour = L->p->success,
		.icon_bg = L->p->success_bg,
		.title_id = "Selesai dicetak",
		.title_en = "Printed",
		.para = { { FONT_BODY_B, id, en } },
		.pref_top = L->body.h / 8,
		.buttons = true,
	};
	/* the KTP-el still lies on the reader: it goes home with its owner */
	if (f->card_on_reader) {
		m.para[1].font = FONT_BODY_B;
		m.para[1].id = "Angkat KTP-el Anda dari pembaca kartu.";
		m.para[1].en = "Lift your KTP-el off the card reader.";
	}
	/* several documents, or one of them not printed: each one's outcome under it */
	bool list = f->s.n_done > 1 || (f->s.n_done == 1 && f->s.done[0].outcome != OUT_PRINTED);
	if (list) { /* the list takes the big icon's room */
		m.pref_top = 0;
		m.list_under = true;
		m.icon = ICON_NONE;
	}
	int y = message_column(L, &m) + U(L, SP_GAP);
	if (list) {
		int w = L->v->portrait ? L->body.w : L->body.w * 2 / 3;
		screen_done_list(L, rect(L->body.x + (L->body.w - w) / 2, y, w,
					 bottom_row(L).y - U(L, SP_GAP) - y));
	}
	if (L->f->s.n_docs > 0)
		bottom_buttons(L, "Selesai", "Finish", ACT_FINISH, "Cetak dokumen lain",
			       "Print another document", ACT_BACK);
	else
		bottom_buttons(L, "Selesai", "Finish", ACT_FINISH, NULL, NULL, ACT_NONE);
}

/* A code the registry sends, in words of both languages (never the code itself). */
struct code_words {
	const char *code, *id, *en;
};

static void words_of(const struct code_words *t, size_t n, const char *code, const char **id,
		     const char **en)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(code, t[i].code) == 0) {
			*id = t[i].id;
			*en = t[i].en;
		}
}

/* An application's stage in words, never its code (an unknown code is "being processed"). */
static void stage_words(const char *code, const char **id, const char **en)
{
	static const struct code_words stages[] = {
		{ "BIO_CAPTURED", "data sidik jari dan foto sudah direkam",
		  "your fingerprints and photo are recorded" },
		{ "PROCESSING", "sedang diproses", "being processed" },
		{ "SENT_FOR_ENROLLMENT", "sedang diperiksa di pusat", "being checked centrally" },
		{ "DUPLICATE_RECORD", "data ganda, datanglah ke kantor Dukcapil",
		  "a duplicate record: please visit the Dukcapil office" },
		{ "PRINT_READY_RECORD", "hampir siap cetak", "nearly ready to print" },
		{ "VERIFICATION", "sedang diverifikasi", "being verified" },
	};
	*id = "sedang diproses";
	*en = "being processed";
	words_of(stages, sizeof(stages) / sizeof(stages[0]), code, id, en);
}

/* A document type in words (an unknown one is "your document"). */
static void type_words(const char *code, const char **id, const char **en)
{
	static const struct code_words types[] = {
		{ "KK", "Kartu Keluarga", "Family card" },
		{ "KTP_EL", "KTP-el", "Electronic ID card" },
		{ "KIA", "Kartu Identitas Anak", "Child identity card" },
		{ "AKTA_LAHIR", "Akta Kelahiran", "Birth certificate" },
		{ "BIODATA", "Biodata Penduduk", "Resident biodata" },
		{ "SURAT_PINDAH", "Surat Pindah", "Change of address letter" },
	};
	*id = "Dokumen";
	*en = "Document";
	words_of(types, sizeof(types) / sizeof(types[0]), code, id, en);
}

/* A line of "nothing ready", both languages translated already (formats by tr1, tr2). */
struct nr_line {
	enum font_role font;
	char id[256], en[256];
};

/* The height of line i of n at width w under the one before at sp (a list: closer than
 * paragraphs); line n is the offices', off_h. */
static int nr_line_h(struct layout *L, const struct nr_line *l, int n, int i, int w, int sp,
		     int off_h)
{
	if (i >= n)
		return off_h;
	return sp + pair_height_as_is(L, l[i].font, FONT_SMALL, l[i].id, l[i].en, w);
}

/* The lines from r's top, centred across it; returns the bottom. */
static int nr_lines(struct layout *L, const struct nr_line *l, int n, SDL_Rect r, int gap)
{
	int y = r.y;
	for (int i = 0; i < n; i++) {
		int h = pair_height_as_is(L, l[i].font, FONT_SMALL, l[i].id, l[i].en, r.w);
		struct widget *wd = pair_as_is(L, rect(r.x, y + gap, r.w, h), l[i].font, FONT_SMALL,
					       ALIGN_CENTRE, l[i].id, l[i].en);
		wd->wrap = true;
		y += gap + h;
	}
	return y;
}

/* The citizen's own applications: each one's stage and expected date, what expired, what
 * is held. Returns how many lines. */
static int nr_own(const struct flow *f, struct nr_line *l)
{
	int n = 0;
	char did[48], den[48];
	const char *tid, *ten, *sid, *sen;

	for (int i = 0; i < f->s.in_progress && i < FLOW_MAX_APPS; i++, n++) {
		const struct flow_app *a = &f->s.apps[i];
		type_words(a->type, &tid, &ten);
		stage_words(a->stage, &sid, &sen);
		l[n].font = FONT_BODY_B;
		if (a->year) {
			screen_date(a->year, a->month, a->day, did, sizeof(did), den, sizeof(den));
			snprintf(l[n].id, sizeof(l[n].id),
				 tr1("%s: %s, expected by %s.", "%s: %s, perkiraan selesai %s."),
				 tr1(ten, tid), tr1(sen, sid), did);
			snprintf(l[n].en, sizeof(l[n].en), tr2("%s: %s, expected by %s."), tr2(ten),
				 tr2(sen), den);
		} else { /* no date yet: the stage alone */
			snprintf(l[n].id, sizeof(l[n].id), tr1("%s: %s.", "%s: %s."), tr1(ten, tid),
				 tr1(sen, sid));
			snprintf(l[n].en, sizeof(l[n].en), tr2("%s: %s."), tr2(ten), tr2(sen));
		}
	}
	int more = f->s.in_progress - n;
	if (more > 0) {
#define MORE_EN (more == 1 ? "And %d more application." : "And %d more applications.")
		l[n].font = FONT_BODY;
		snprintf(l[n].id, sizeof(l[n].id), tr1(MORE_EN, "Dan %d permohonan lain."), more);
		snprintf(l[n].en, sizeof(l[n].en), tr2(MORE_EN), more);
#undef MORE_EN
		n++;
	}
	for (int i = 0; i < f->s.n_expired && i < FLOW_MAX_APPS; i++, n++) {
		const struct flow_app *a = &f->s.expired[i];
		type_words(a->type, &tid, &ten);
		l[n].font = FONT_BODY_B;
		if (a->year) {
			screen_date(a->year, a->month, a->day, did, sizeof(did), den, sizeof(den));
			snprintf(l[n].id, sizeof(l[n].id),
				 tr1("Your %s expired on %s: apply again.",
				     "%s Anda kedaluwarsa pada %s: ajukan lagi."),
				 tr1(ten, tid), did);
			snprintf(l[n].en, sizeof(l[n].en),
				 tr2("Your %s expired on %s: apply again."), tr2(ten), den);
		} else {
			snprintf(l[n].id, sizeof(l[n].id),
				 tr1("Your %s expired: apply again.",
				     "%s Anda kedaluwarsa: ajukan lagi."),
				 tr1(ten, tid));
			snprintf(l[n].en, sizeof(l[n].en), tr2("Your %s expired: apply again."),
				 tr2(ten));
		}
	}
	if (f->s.held > 0) {
#define HELD_EN                                                                                    \
	(f->s.held == 1 ? "%d of your documents is held until staff have checked the printer. "    \
			  "Please ask the staff."                                                  \
			: "%d of your documents are held until staff have checked the printer. "   \
			  "Please ask the staff.")
		l[n].font = FONT_BODY_B;
		snprintf(l[n].id, sizeof(l[n].id),
			 tr1(HELD_EN, "%d dokumen Anda ditahan sampai petugas memeriksa printer. "
				      "Mohon hubungi petugas."),
			 f->s.held);
		snprintf(l[n].en, sizeof(l[n].en), tr2(HELD_EN), f->s.held);
#undef HELD_EN
		n++;
	}
	return n;
}

/* Where to apply for anything else (when the bundle lists no offices), and that a
 * notification follows. Returns how many lines. */
static int nr_where(struct layout *L, struct nr_line *l)
{
	const struct flow *f = L->f;
	/* the kiosk's own office, as kiosk.conf names it, reads the same in both languages */
	const char *office = L->ctx->office && L->ctx->office[0] ? L->ctx->office : NULL;
	const char *oid = office ? office : tr1("the Dukcapil office", "kantor Dukcapil");
	const char *oen = office ? office : tr2("the Dukcapil office");
	int n = 0;

	l[n].font = FONT_BODY;
	if (f->s.in_progress || f->s.n_expired) {
		snprintf(l[n].id, sizeof(l[n].id),
			 tr1("For any other document, apply at %s.",
			     "Untuk dokumen lain, ajukan permohonan di %s."),
			 oid);
		snprintf(l[n].en, sizeof(l[n].en), tr2("For any other document, apply at %s."),
			 oen);
	} else {
		snprintf(l[n].id, sizeof(l[n].id), tr1("Apply at %s.", "Ajukan permohonan di %s."),
			 oid);
		snprintf(l[n].en, sizeof(l[n].en), tr2("Apply at %s."), oen);
	}
	n++;
	if (f->s.in_progress > 0) { /* the least news, last */
		const char *en = "You will get a notification when a document is ready.";
		l[n].font = FONT_BODY;
		snprintf(l[n].id, sizeof(l[n].id), "%s",
			 tr1(en, "Anda akan menerima notifikasi saat dokumen siap."));
		snprintf(l[n].en, sizeof(l[n].en), "%s", tr2(en));
		n++;
	}
	return n;
}

/* What is on the way (each application's stage and expected date), what expired, what is
 * held, and where to apply for anything else: every line of it, however large the text.
 * The bundle's offices go in a column on the right in landscape, else under the lines.
 * When the lines do not fit under the title, the title takes the heading's size
 * (message_column), then the lines come closer together, then they go on a next page. */
void screen_nothing_ready(struct layout *L)
{
	const struct flow *f = L->f;
	SDL_Rect b = L->body;
	/* with the bundle's offices to list, the icon makes room for them */
	bool offices = screen_content_has_offices(L);
	int gap = U(L, SP_GAP);
	static struct nr_line l[FLOW_NOTHING_LINES];
	int no = nr_own(f, l);
	int n = no + (offices ? 0 : nr_where(L, l + no));
	/* the offices beside the lines, or (portrait, nothing else to say) under them as one
	 * more "line" that takes what is left */
	bool split = offices && no > 0 && !L->v->portrait;
	int cw = split ? (b.w - gap) / 2 : b.w, off_h = screen_content_offices_min_h(L) + gap;
	int total = n + (offices && !split);
	int first = f->s.doc_first < total ? f->s.doc_first : 0, list = gap / 2;
	int need = 0;
	for (int i = first; i < total; i++)
		need += nr_line_h(L, l, n, i, cw, list, off_h);

	/* nothing on record at all: say so; else the list, which takes the icon's room */
	bool none = f->s.in_progress == 0 && f->s.n_expired == 0 && f->s.held == 0;
	struct message m = {
		.icon = offices || !none ? ICON_NONE : ICON_DOC,
		.icon_colour = L->p->text_2,
		.icon_bg = L->p->surface,
		.title_id = "Belum ada dokumen siap cetak",
		.title_en = "No document is ready to print yet",
		.para = { { FONT_BODY_B,
			    none ? "Tidak ada permohonan yang tercatat atas NIK ini." : NULL,
			    "No application is on record for this NIK." } },
		.pref_top = offices || !none ? 0 : b.h / 10,
		.buttons = true,
		.list_under = offices || !none,
		.below = need,
	};
	int y = message_column(L, &m), top = y;
	int limit = bottom_row(L).y - gap;

	if (split && limit - gap - top < screen_content_offices_min_h(L)) {
		/* no room for an office beside: under the lines, on a page of their own */
		split = false;
		cw = b.w;
		total = n + 1;
		need = 0;
		for (int i = first; i < total; i++)
			need += nr_line_h(L, l, n, i, cw, list, off_h);
	}
	if (need > limit - y) /* closer together: a list */
		list = 0;
	int last = first, h = 0; /* as many as fit from the first, one at least */
	for (; last < total; last++) {
		int lh = nr_line_h(L, l, n, last, cw, list, off_h);
		if (last > first && h + lh > limit - y)
			break;
		h += lh;
	}
	for (int i = first; i < last; i++) {
		if (i == n) { /* the offices, under the lines */
			screen_content_offices(L, rect(b.x, y + gap, b.w, limit - gap - y));
			break;
		}
		y = nr_lines(L, l + i, 1, rect(b.x, y, cw, 0), list);
	}
	if (split)
		screen_content_offices(L, rect(b.x + b.w - cw, top + gap, cw, limit - gap - top));
	if (first == 0 && last == total) {
		bottom_buttons(L, "Selesai", "Finish", ACT_FINISH, NULL, NULL, ACT_NONE);
		return;
	}
	/* more than fit: the next page, and after the last the first again */
	if (last < total)
		bottom_buttons_arg(L, "Selesai", "Finish", ACT_FINISH, "Lainnya", "More",
				   ACT_MORE_DOCS, last);
	else
		bottom_buttons_arg(L, "Selesai", "Finish", ACT_FINISH, "Dari awal",
				   "From the start", ACT_MORE_DOCS, 0);
}

struct error_text screen_error_text(const struct flow *f)
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
			"Terlalu banyak PIN salah. Coba lagi nanti atau hubungi petugas.",
			"Too many wrong PINs. Try again later, or ask the staff."
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

void screen_error(struct layout *L)
{
	const struct flow *f = L->f;
	struct error_text e = screen_error_text(f);
	char lock_id[128], lock_en[128];
	if (f->error == ERR_PIN_LOCKED && f->s.lock_minutes > 0) {
		/* how long, in minutes: "tomorrow" is wrong for a 15-minute lock */
#define LOCK_EN                                                                                    \
	(f->s.lock_minutes == 1                                                                    \
	     ? "Too many wrong PINs. Try again in %d minute, or ask the staff."                    \
	     : "Too many wrong PINs. Try again in %d minutes, or ask the staff.")
		snprintf(lock_id, sizeof(lock_id),
			 tr1(LOCK_EN, "Terlalu banyak PIN salah. Coba lagi dalam %d menit atau "
				      "hubungi petugas."),
			 f->s.lock_minutes);
		snprintf(lock_en, sizeof(lock_en), tr2(LOCK_EN), f->s.lock_minutes);
#undef LOCK_EN
		e.body_id = lock_id;
		e.body_en = lock_en;
	}
	bool print = f->error == ERR_PRINT_FAILED || f->error == ERR_PRINT_UNCERTAIN;
	struct message m = {
		.icon = ICON_WARN,
		.icon_colour = L->p->danger,
		.icon_bg = L->p->danger_bg,
		.title_id = e.title_id,
		.title_en = e.title_en,
		.para = { { FONT_BODY_B, e.body_id, e.body_en } },
		.note = print ? f->s.message : NULL,
		.note_en = f->s.message_en,
		.pref_top = L->body.h / 10,
		.buttons = true,
	};
	message_column(L, &m);
	if (f->error == ERR_PRINT_FAILED && f->s.n_docs > 0)
		bottom_buttons(L, "Selesai", "Finish", ACT_FINISH, "Kembali ke daftar",
			       "Back to the list", ACT_BACK);
	else
		bottom_buttons(L, "Selesai", "Finish", ACT_FINISH, NULL, NULL, ACT_NONE);
}

void screen_out_of_service(struct layout *L)
{
	const struct flow *f = L->f;
	const char *id = "Sedang dalam perbaikan", *en = "Under maintenance";

	if ((f->service & SVC_MAINTENANCE) && f->service_message[0]) {
		id = f->service_message; /* the technician's own words (admctl service off) */
		en = NULL;
	} else if ((f->service & SVC_QUEUES_OFF) && f->queue_message[f->queues_off == 2][0]) {
		id = f->queue_message[f->queues_off == 2]; /* every queue out: a queue's words */
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
	struct message m = {
		.icon = ICON_WARN,
		.icon_colour = L->p->text_2,
		.icon_bg = L->p->disabled_bg,
		.title_id = "Mohon maaf, ADM sedang tidak dapat digunakan",
		.title_en = "Sorry, this kiosk is out of service",
		.para = { { FONT_BODY_B, id, en },
			  { FONT_BODY, "Silakan hubungi petugas Dukcapil atau gunakan ADM lain.",
			    "Please ask the Dukcapil staff, or use another kiosk." } },
		.pref_top = L->body.h / 8,
	};
	message_column(L, &m);
}

/*
 * Instead of the printing screen, the moment the printer reports a fault: what happened
 * (one line in each language), that the document is kept and prints once the printer is
 * ready, and which document waits; the printing screen is back when the fault clears.
 */
void screen_print_fault(struct layout *L)
{
	const struct flow *f = L->f;
	const struct flow_doc *d = &f->s.docs[f->s.chosen];
	struct message m = {
		.icon = ICON_WARN,
		.icon_colour = L->p->danger,
		.icon_bg = L->p->danger_bg,
		.title_id = f->s.message,
		.title_en = f->s.message_en,
		.para = { { FONT_BODY_B,
			    "Dokumen Anda tetap tersimpan dan akan tercetak setelah printer siap. "
			    "Mohon tunggu atau hubungi petugas.",
			    "Your document is kept and will print once the printer is ready. "
			    "Please "
			    "wait, or ask the staff." },
			  { FONT_BODY, d->title_id, d->title_en } },
		.pref_top = L->body.h / 10,
	};
	message_column(L, &m);
}
