/*
 * Technician mode's pages but the health one (screen_technician.c): printers with their
 * refills and test pages, the uncertain prints, the reader test, service, recent problems.
 * Nothing here names a citizen: a held print is its document's type, printer and pages.
 */
#include "screen_tech.h"

#include <stdio.h>
#include <string.h>

/* A line of text under the boxes of a page: a result, or what is awaited. */
static int page_note(struct layout *L, SDL_Rect r, int y, uint32_t colour, const char *id,
		     const char *en)
{
	int h = pair_height(L, FONT_BODY_B, FONT_TECH, id, en, r.w);
	struct widget *wd =
	    pair(L, rect(r.x, y, r.w, h), FONT_BODY_B, FONT_TECH, ALIGN_LEFT, id, en);
	wd->colour = colour;
	wd->wrap = true;
	return h;
}

void screen_tech_printers(struct layout *L, SDL_Rect r)
{
	const struct health *h = L->ctx->health;
	const struct flow_tech *t = &L->f->tech;
	int y = r.y, gap = U(L, 1);
	char id[VIEW_TEXT_MAX], en[VIEW_TEXT_MAX], what[80];

	if (!h->n_printers) {
		page_note(L, r, y, L->p->danger, "Tidak ada printer", "No printer configured");
		return;
	}
	/* A refill sets the printer's counters back to full and it back into service; a test
	 * page goes through the same counters and is followed to its end as a citizen's. */
	for (int i = 0; i < h->n_printers; i++) {
		const struct health_printer *p = &h->printer[i];
		screen_tech_printer_text(p, id, en, sizeof(id));
		char what_en[80];
		screen_tech_printer_label(p->card, p->queue, what, what_en, sizeof(what));
		struct tech_row row =
		    screen_tech_row(L, rect(r.x, y, r.w, 0), what, what_en, id, en,
				    p->available && !p->fault[0] ? L->p->text : L->p->danger, 2);
		screen_tech_button(L, rect(row.bx, row.by, row.bw, row.bh), BTN_SECONDARY,
				   "Sudah diisi", "Refilled", ACT_REFILL, p->card);
		screen_tech_button(L, rect(row.bx + row.step, row.by, row.bw, row.bh),
				   t->test_running ? BTN_DISABLED : BTN_SECONDARY, "Halaman uji",
				   "Test page", ACT_TEST_PRINT, p->card);
		y += row.r.h + gap;
	}
	y += gap;
	if (t->test_media < 0)
		page_note(
		    L, r, y, L->p->text_2,
		    "Halaman uji: ID kiosk, tanggal dan pola uji; tanpa data warga",
		    "A test page: the kiosk's id, the date and a test pattern; no citizen data");
	else if (t->test_running)
		page_note(L, r, y, L->p->text,
			  t->test_media ? "Kartu uji sedang dicetak..."
					: "Halaman uji sedang dicetak...",
			  t->test_media ? "The test card is printing..."
					: "The test page is printing...");
	else {
		/* the result says itself in both languages (printing.c) */
#define RESULT_EN (t->test_ok ? "The test page printed: %s" : "The test page FAILED: %s")
		snprintf(id, sizeof(id),
			 tr1(RESULT_EN,
			     t->test_ok ? "Halaman uji tercetak: %s" : "Halaman uji GAGAL: %s"),
			 t->test_result);
		snprintf(en, sizeof(en), tr2(RESULT_EN), t->test_result);
#undef RESULT_EN
		page_note(L, r, y, t->test_ok ? L->p->success : L->p->danger, id, en);
	}
}

void screen_tech_uncertain(struct layout *L, SDL_Rect r)
{
	const struct health *h = L->ctx->health;
	int y = r.y, gap = U(L, 1);
	char id[VIEW_TEXT_MAX], en[VIEW_TEXT_MAX], what[48], what_en[48];

	if (!h->n_uncertain) {
		page_note(L, r, y, L->p->text, "Tidak ada cetakan yang belum pasti",
			  "No uncertain prints");
		return;
	}
	y += page_note(L, r, y, L->p->text_2,
		       "Dibatalkan kiosk setelah printer memulainya: periksa baki, lalu putuskan",
		       "Canceled after the printer started it: look in the tray, then decide") +
	     gap;
	for (int i = 0; i < h->n_uncertain && y < r.y + r.h; i++) {
		const struct health_uncertain *u = &h->uncertain[i];
		snprintf(what, sizeof(what), tr1("Number %lld", "Nomor %lld"), (long long)u->job);
		snprintf(what_en, sizeof(what_en), tr2("Number %lld"), (long long)u->job);
		/* the medium's word as the document list has it */
		const char *medium = u->card ? CTX("printer's medium", "card") : "A4";
#define HELD_EN "%s · %s printer · %d page(s) · CUPS job %d"
		snprintf(id, sizeof(id), tr1(HELD_EN, "%s · printer %s · %d halaman · job CUPS %d"),
			 u->type, u->card ? tr1(medium, "kartu") : medium, u->pages, u->cups_job);
		snprintf(en, sizeof(en), tr2(HELD_EN), u->type, u->card ? tr2(medium) : medium,
			 u->pages, u->cups_job);
#undef HELD_EN
		struct tech_row row =
		    screen_tech_row(L, rect(r.x, y, r.w, 0), what, what_en, id, en, L->p->text, 2);
		/* it came out: printed, the registry is told; it did not: ready again */
		screen_tech_button(L, rect(row.bx, row.by, row.bw, row.bh), BTN_SECONDARY,
				   "Sudah keluar", "It came out", ACT_SETTLE_JOB, i << 1 | 1);
		screen_tech_button(L, rect(row.bx + row.step, row.by, row.bw, row.bh),
				   BTN_SECONDARY, "Tidak keluar", "It did not", ACT_SETTLE_JOB,
				   i << 1);
		y += row.r.h + gap;
	}
}

static const char *failure_id(enum flow_error e)
{
	switch (e) {
	case ERR_CARD_FOREIGN:
		return "bukan KTP-el";
	case ERR_CARD_REMOVED:
		return "diangkat terlalu cepat";
	case ERR_CARD_MULTIPLE:
		return "lebih dari satu kartu";
	case ERR_READER_FAILED:
		return "pembaca gagal";
	default:
		return "tidak terbaca";
	}
}

static const char *failure_en(enum flow_error e)
{
	switch (e) {
	case ERR_CARD_FOREIGN:
		return "not a KTP-el";
	case ERR_CARD_REMOVED:
		return "lifted too soon";
	case ERR_CARD_MULTIPLE:
		return "more than one card";
	case ERR_READER_FAILED:
		return "the reader failed";
	default:
		return "unreadable";
	}
}

void screen_tech_reader(struct layout *L, SDL_Rect r)
{
	const struct health *h = L->ctx->health;
	const struct flow_tech *t = &L->f->tech;
	int y = r.y, gap = U(L, 1), bh = screen_tech_button_h(L);
	char id[VIEW_TEXT_MAX], en[VIEW_TEXT_MAX];

	y += page_note(L, r, y, L->p->text_2,
		       "Letakkan kartu apa saja: jenis, UID dan apakah terbaca sebagai KTP-el. "
		       "Isi kartu tidak ditampilkan.",
		       "Lay any card: its type, UID and whether it reads as a KTP-el. What it "
		       "holds is not shown.") +
	     gap;
	if (!h->reader_configured) {
		page_note(L, r, y, L->p->danger, "Tidak ada pembaca kartu", "No card reader");
		return;
	}
	screen_tech_button(L, rect(r.x, y, U(L, 40), bh),
			   t->reader_waiting ? BTN_DISABLED : BTN_PRIMARY, "Mulai uji pembaca",
			   "Start the reader test", ACT_READER_TEST, 0);
	y += bh + 2 * gap;
	if (t->reader_waiting) {
		page_note(L, r, y, L->p->text, "Menunggu kartu di pembaca...",
			  "Waiting for a card on the reader...");
	} else if (t->reader_done && !t->reader_card) {
		page_note(L, r, y, L->p->danger, "Tidak ada kartu dalam 30 detik",
			  "No card within 30 seconds");
	} else if (t->reader_done) {
		bool ktp = t->reader_error == ERR_NONE;
		const char *what = ktp ? "reads as a KTP-el" : failure_en(t->reader_error);
		snprintf(id, sizeof(id),
			 tr1("ISO 14443-%c card · UID %s · %s", "Kartu ISO 14443-%c · UID %s · %s"),
			 t->reader_type_b ? 'B' : 'A', t->reader_uid,
			 tr1(what, ktp ? "terbaca sebagai KTP-el" : failure_id(t->reader_error)));
		snprintf(en, sizeof(en), tr2("ISO 14443-%c card · UID %s · %s"),
			 t->reader_type_b ? 'B' : 'A', t->reader_uid, tr2(what));
		page_note(L, r, y, ktp ? L->p->success : L->p->danger, id, en);
	}
}

/* In service, or out with the words citizens read (a queue's or the whole kiosk's):
 * formatted, so shown as they are. */
static void service_state(bool off, bool queue, const char *words, char *id, char *en, size_t size)
{
	if (!off) {
		snprintf(id, size, "%s", tr1("In service", "Melayani"));
		snprintf(en, size, "%s", tr2("In service"));
	} else if (queue) {
		snprintf(id, size,
			 tr1("OUT OF SERVICE, its documents cannot be chosen. Citizens read: %s",
			     "TIDAK MELAYANI, dokumennya tidak bisa dipilih. Warga membaca: %s"),
			 words);
		snprintf(en, size,
			 tr2("OUT OF SERVICE, its documents cannot be chosen. Citizens read: %s"),
			 words);
	} else {
		snprintf(
		    id, size,
		    tr1("OUT OF SERVICE. Citizens read: %s", "TIDAK MELAYANI. Warga membaca: %s"),
		    words);
		snprintf(en, size, tr2("OUT OF SERVICE. Citizens read: %s"), words);
	}
}

void screen_tech_service(struct layout *L, SDL_Rect r)
{
	const struct flow *f = L->f;
	const struct health *h = L->ctx->health;
	int y = r.y, gap = U(L, 1);
	char id[VIEW_TEXT_MAX], en[VIEW_TEXT_MAX];

	/* the whole kiosk, then each queue; what citizens read while it is out */
	bool off = f->service & SVC_MAINTENANCE;
	service_state(off, false, f->service_message, id, en, sizeof(id));
	struct tech_row row =
	    screen_tech_row(L, rect(r.x, y, r.w, 0), tr1("The whole kiosk", "Seluruh kiosk"),
			    tr2("The whole kiosk"), id, en, off ? L->p->danger : L->p->text, 1);
	screen_tech_button(L, rect(row.bx, row.by, row.bw, row.bh), BTN_SECONDARY,
			   off ? "Layani lagi" : "Hentikan", off ? "Back in service" : "Take out",
			   ACT_TECH_SERVICE, 2);
	y += row.r.h + gap;
	for (int i = 0; i < h->n_printers; i++) {
		int q = h->printer[i].card;
		bool qoff = f->queues_off & (1u << q);
		char what[80], what_en[80];
		screen_tech_printer_label(q, h->printer[i].queue, what, what_en, sizeof(what));
		service_state(qoff, true, f->queue_message[q], id, en, sizeof(id));
		row = screen_tech_row(L, rect(r.x, y, r.w, 0), what, what_en, id, en,
				      qoff ? L->p->danger : L->p->text, 1);
		screen_tech_button(L, rect(row.bx, row.by, row.bw, row.bh), BTN_SECONDARY,
				   qoff ? "Layani lagi" : "Hentikan",
				   qoff ? "Back in service" : "Take out", ACT_TECH_SERVICE, q);
		y += row.r.h + gap;
	}
	page_note(L, r, y + gap, L->p->text_2,
		  "Pesan sendiri: admctl service off [--queue ANTREAN] \"PESAN\"",
		  "Words of your own: admctl service off [--queue QUEUE] \"MESSAGE\"");
}

void screen_tech_errors(struct layout *L, SDL_Rect r)
{
	const struct health *h = L->ctx->health;
	int y = r.y, gap = U(L, 1);
	char when_id[40], when_en[40];

	if (!h->n_errors) {
		page_note(L, r, y, L->p->text, "Tidak ada masalah sejak kiosk dimulai",
			  "No problems since the kiosk started");
		return;
	}
	for (int i = 0; i < h->n_errors && y < r.y + r.h; i++) {
		const struct health_error *e = &h->errors[i];
		int64_t age = (int64_t)L->ctx->now - e->at;
		screen_tech_ago(age > 0 ? age : 0, when_id, when_en, sizeof(when_id));
		struct tech_row row = screen_tech_row(L, rect(r.x, y, r.w, 0), when_id, when_en,
						      e->id, e->en, L->p->text, 0);
		y += row.r.h + gap;
	}
}
