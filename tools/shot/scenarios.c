#include "scenarios.h"

#include <stdio.h>
#include <string.h>

/* Synthetic citizen: not a real person (see docs/synthetic-data.md). */
#define NIK  "3171015708900003"
#define NAME "Siti Rahmawati"
#define T0   1000000

static int64_t now = T0;

static void step(struct flow *f, struct flow_event ev)
{
	struct flow_effects fx;
	ev.now_ms = (now += 100);
	flow_step(f, &ev, &fx);
}

static void act(struct flow *f, enum flow_action a, int arg)
{
	step(f, flow_ev_action(a, arg, 0));
}

static void type(struct flow *f, const char *digits)
{
	for (; *digits; digits++)
		act(f, ACT_DIGIT, *digits - '0');
}

static void s_attract(struct flow *f)
{
	(void)f;
}

static void s_attract_hint(struct flow *f)
{
	act(f, ACT_CARD_HINT, 0);
}

static void s_reading(struct flow *f)
{
	step(f, flow_ev(EV_CARD_PRESENT, 0));
}

static void s_checking(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_CARD_IDENTITY, 0);
	s_reading(f);
	memcpy(ev.nik, NIK, sizeof(NIK));
	memcpy(ev.name, NAME, sizeof(NAME));
	step(f, ev);
}

static void s_nik_entry(struct flow *f)
{
	act(f, ACT_START_NIK, 0);
	type(f, "3171015708");
}

static void s_nik_invalid(struct flow *f)
{
	act(f, ACT_START_NIK, 0);
	type(f, "3171019908900003"); /* day 99: no such date */
	act(f, ACT_CONFIRM, 0);
}

static void s_qr_wait(struct flow *f)
{
	act(f, ACT_START_QR, 0);
}

static void s_verify(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_HOLDER, 0);
	s_checking(f);
	ev.tries_left = 3;
	step(f, ev);
	type(f, "123");
}

/* verify -> the PIN completed and sent, answered with ev */
static void pin_answered(struct flow *f, struct flow_event ev)
{
	s_verify(f);
	type(f, "456");
	act(f, ACT_CONFIRM, 0);
	step(f, ev);
}

/* the volume button pressed once: the loudest level, its four bars lit */
static void s_verify_louder(struct flow *f)
{
	s_verify(f);
	act(f, ACT_VOLUME, 0);
}

static void s_verify_wrong(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_PIN_RESULT, 0);
	ev.tries_left = 2;
	pin_answered(f, ev);
}

/* Two ready, one whose printer is down today, one whose file is still downloading. */
#define DOC(i, tid, ten, n, is_card, can, loading, type_, date)                                    \
	{                                                                                          \
		.id = i, .title_id = tid, .title_en = ten, .pages = n, .card = is_card,            \
		.printable = can, .downloading = loading, .type = type_, .issued = date,           \
		.blob = "sha256-of-" i                                                             \
	}
static const struct flow_doc docs[] = {
	DOC("doc-kk-1", "Kartu Keluarga", "Family card", 1, false, true, false, "KK", 20260812),
	DOC("doc-bio-1", "Biodata Penduduk", "Population biodata", 2, false, false, true, "BIODATA",
	    20260814),
	DOC("doc-ktp-1", "KTP-el", "Electronic ID card", 1, true, false, false, "KTP_EL", 20260730),
	DOC("doc-akta-1", "Akta Kelahiran", "Birth certificate", 2, false, true, false,
	    "AKTA_LAHIR", 20260803),
};

/* verify -> the account PIN accepted: the documents are asked for */
static void pin_accepted(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_PIN_RESULT, 0);
	s_verify(f);
	type(f, "456");
	act(f, ACT_CONFIRM, 0);
	ev.ok = true;
	step(f, ev);
}

static void s_documents(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_DOCUMENTS, 0);
	pin_accepted(f);
	memcpy(ev.docs, docs, sizeof(docs));
	ev.n_docs = 4;
	step(f, ev);
}

/* Ten documents: more than fit on any screen, so the list pages. */
static void s_documents_many(struct flow *f)
{
	static const char *const titles[][2] = {
		{ "Kartu Keluarga", "Family card" },
		{ "Akta Kelahiran", "Birth certificate" },
		{ "Biodata Penduduk", "Population biodata" },
		{ "Surat Pindah", "Change of address" },
		{ "Akta Perkawinan", "Marriage certificate" },
		{ "Akta Kematian", "Death certificate" },
		{ "Kartu Identitas Anak", "Child identity card" },
		{ "Akta Perceraian", "Divorce certificate" },
		{ "Surat Keterangan", "Certificate of residence" },
		{ "Akta Pengakuan Anak", "Acknowledgement of a child" },
	};
	struct flow_event ev = flow_ev(EV_DOCUMENTS, 0);
	pin_accepted(f);
	ev.n_docs = (int)(sizeof(titles) / sizeof(titles[0]));
	for (int i = 0; i < ev.n_docs; i++) {
		struct flow_doc *d = &ev.docs[i];
		snprintf(d->id, sizeof(d->id), "doc-%d", i);
		snprintf(d->title_id, sizeof(d->title_id), "%s", titles[i][0]);
		snprintf(d->title_en, sizeof(d->title_en), "%s", titles[i][1]);
		d->pages = 1;
		d->printable = true;
	}
	step(f, ev);
}

static void s_authorise(struct flow *f)
{
	s_documents(f);
	act(f, ACT_SELECT_DOC, 3);
	type(f, "98");
}

/* the rest of a print PIN typed and accepted */
static void print_pin_ok(struct flow *f, const char *rest)
{
	struct flow_event ev = flow_ev(EV_PIN_RESULT, 0);
	type(f, rest);
	act(f, ACT_CONFIRM, 0);
	ev.ok = true;
	ev.tries_left = -1; /* the cache counts one-time PIN failures */
	step(f, ev);
}

static void page_printed(struct flow *f, int done, int of)
{
	struct flow_event ev = flow_ev(EV_PRINT_PROGRESS, 0);
	ev.pages_done = done;
	ev.pages = of;
	step(f, ev);
}

static void s_printing(struct flow *f)
{
	s_authorise(f);
	print_pin_ok(f, "7654");
	page_printed(f, 1, 2);
}

/* Several documents: the two printable ones ticked. */
static void s_documents_ticked(struct flow *f)
{
	s_documents(f);
	act(f, ACT_TICK_DOC, 0);
	act(f, ACT_TICK_DOC, 3);
}

/* "print 2 selected", the first one's PIN accepted: the second one's PIN screen. */
static void s_authorise_second(struct flow *f)
{
	s_documents_ticked(f);
	act(f, ACT_PRINT_TICKED, 0);
	print_pin_ok(f, "111111");
	type(f, "22");
}

/* back to the list from there: one authorised (its PIN spent), one still ticked */
static void s_documents_authorised(struct flow *f)
{
	s_authorise_second(f);
	act(f, ACT_BACK, 0);
}

/* both authorised: the first printed, the second at its first page of two */
static void s_printing_two(struct flow *f)
{
	s_authorise_second(f);
	print_pin_ok(f, "2222");
	step(f, flow_ev(EV_PRINT_DONE, 0));
	page_printed(f, 1, 2);
}

static void s_done_two(struct flow *f)
{
	s_printing_two(f);
	step(f, flow_ev(EV_PRINT_DONE, 0));
}

static void printer_failed(struct flow *f, int uncertain, const char *id, const char *en)
{
	struct flow_event ev = flow_ev(EV_PRINT_FAILED, 0);
	ev.arg = uncertain;
	snprintf(ev.message, sizeof(ev.message), "%s", id);
	snprintf(ev.message_en, sizeof(ev.message_en), "%s", en);
	step(f, ev);
}

/* the second of two did not print: the first still did, and the screen says which */
static void s_done_one_failed(struct flow *f)
{
	s_printing_two(f);
	printer_failed(f, 0, "Kertas habis", "Out of paper");
}

/* Out of paper in the middle of the job: shown at once, the document kept. */
static void s_printing_fault(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_PRINT_PROGRESS, 0);
	s_printing(f);
	ev.pages_done = 1;
	ev.pages = 2;
	ev.arg = 1;
	strcpy(ev.message, "Kertas habis");
	strcpy(ev.message_en, "Out of paper");
	step(f, ev);
}

static void s_done(struct flow *f)
{
	s_printing(f);
	step(f, flow_ev(EV_PRINT_DONE, 0));
}

static void s_print_failed(struct flow *f)
{
	s_printing(f);
	printer_failed(f, 0, "Kertas habis", "Out of paper");
}

static void s_print_uncertain(struct flow *f)
{
	s_printing(f);
	printer_failed(f, 1, "Kertas tersangkut", "Paper jammed");
}

static void s_nothing_ready(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_DOCUMENTS, 0);
	pin_accepted(f);
	/* a KTP-el on its way with a date, a KIA without one yet, a family card expired */
	ev.in_progress = 2;
	ev.apps[0] = (struct flow_app){ "KTP_EL", "PROCESSING", 2026, 9, 14 };
	ev.apps[1] = (struct flow_app){ "KIA", "SENT_FOR_ENROLLMENT", 0, 0, 0 };
	ev.n_expired = 1;
	ev.expired[0] = (struct flow_app){ "KK", "", 2026, 8, 1 };
	step(f, ev);
}

/* The same, its next page of lines (they do not all fit in large text; in normal text the
 * page shows the rest and "from the start"). */
static void s_nothing_ready_more(struct flow *f)
{
	s_nothing_ready(f);
	act(f, ACT_MORE_DOCS, 2);
}

/* Nothing on record for this NIK: where to apply. */
static void s_nothing_ready_none(struct flow *f)
{
	pin_accepted(f);
	step(f, flow_ev(EV_DOCUMENTS, 0));
}

/* The last wrong account PIN: locked for 15 minutes. */
static void s_pin_locked(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_PIN_RESULT, 0);
	ev.error = ERR_PIN_LOCKED;
	ev.arg = 15;
	pin_answered(f, ev);
}

static void s_card_removed(struct flow *f)
{
	s_reading(f);
	step(f, flow_ev(EV_CARD_REMOVED, 0));
}

static void s_countdown(struct flow *f)
{
	s_verify(f);
	now += f->timeouts.idle_ms - 7000; /* 7 s left */
	step(f, flow_ev(EV_TICK, 0));
}

/* the help panel over a typed NIK, and over the documents with the staff called */
static void s_help_nik(struct flow *f)
{
	s_nik_entry(f);
	act(f, ACT_HELP, 0);
}

static void s_help_called(struct flow *f)
{
	s_documents(f);
	act(f, ACT_HELP, 0);
	act(f, ACT_CALL_STAFF, 0);
}

static void s_out_of_service(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_SERVICE, 0);
	ev.service = SVC_READER_LOST;
	step(f, ev);
}

/* a technician took it out of service with words of their own (admctl service off) */
static void s_out_of_service_message(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_SERVICE_MESSAGE, 0);
	snprintf(ev.message, sizeof(ev.message), "Sedang diperbaiki teknisi, kembali pukul 14.00");
	step(f, ev);
	ev = flow_ev(EV_SERVICE, 0);
	ev.service = SVC_MAINTENANCE;
	step(f, ev);
}

static void s_a4_down(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_PRINTERS, 0);
	ev.arg = PRN_A4_DOWN;
	step(f, ev);
}

/* the A4 printer down and the card hint up: the most the attract screen says at once */
static void s_a4_down_hint(struct flow *f)
{
	s_a4_down(f);
	act(f, ACT_CARD_HINT, 0);
}

static void s_tech_pin(struct flow *f)
{
	step(f, flow_ev(EV_TECH_CARD, 0));
	type(f, "12");
}

static void s_technician(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_PIN_RESULT, 0);
	s_tech_pin(f);
	type(f, "3456");
	act(f, ACT_CONFIRM, 0);
	ev.ok = true;
	step(f, ev);
}

/* A card the kiosk canceled in a jam may have come out: the technician says whether. */
static const struct health uncertain_health = {
	.reader_configured = true,
	.reader_ok = true,
	.scanner_configured = true,
	.scanner_ok = true,
	.n_printers = 2,
	.printer = {
		{ .queue = "A4", .available = true, .n_supplies = 1, .uncertain = 1,
		  .supply = { { "sheets", 412, 500, false } } },
		{ .queue = "CARD", .card = true, .available = false, .fault = "jam",
		  .uncertain = 1, .n_supplies = 2,
		  .supply = { { "card-blanks", 96, 100, false }, { "ribbon", 496, 500, false } } },
	},
	.sync = { .known = true, .last_ok = 1786934467 - 60, .documents = 1284,
		  .disk_free_mb = 20480 },
	.version = "0.1.0",
	.uptime_s = 3 * 86400 + 4 * 3600 + 12 * 60,
	.n_uncertain = 2,
	.uncertain = { { 41, 1207, "AKTA_LAHIR", false, 2 }, { 44, 1213, "KTP_EL", true, 1 } },
	.n_errors = 2,
	.errors = { { 1786934467 - 4 * 60,
		      "Printer kartu (CARD): macet: buka printer dan keluarkan kertas/kartunya",
		      "Card printer (CARD): jam: open the printer and take the sheet or card out" },
		    { 1786934467 - 2 * 3600,
		      "Printer A4 (A4): kertas habis: isi, lalu tekan Sudah diisi · \"Tray 1 "
		      "empty (job ####)\"",
		      "A4 printer (A4): out of paper: fill it, then press Refilled" } },
};

static void s_tech_tab(struct flow *f, enum flow_tech_tab tab)
{
	s_technician(f);
	act(f, ACT_TECH_TAB, tab);
}

/* the A4 test page printed, as the kiosk words its end */
static void s_tech_printers(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_TEST_PRINT, 0);
	s_tech_tab(f, TECH_TAB_PRINTERS);
	act(f, ACT_TEST_PRINT, 0);
	ev.ok = true;
	snprintf(ev.message, sizeof(ev.message), "A4, job CUPS 1215, 1 lembar / sheet(s)");
	step(f, ev);
}

static void s_tech_uncertain(struct flow *f)
{
	s_tech_tab(f, TECH_TAB_UNCERTAIN);
}

/* a card laid for the reader test: a KTP-el, its UID and no more */
static void s_tech_reader(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_READER_TEST, 0);
	s_tech_tab(f, TECH_TAB_READER);
	act(f, ACT_READER_TEST, 0);
	ev.ok = true;
	snprintf(ev.doc_id, sizeof(ev.doc_id), "04a1b2c3d4e5f6");
	step(f, ev);
}

/* the card printer out of service with the technician's words, the kiosk serving */
static void s_tech_service(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_QUEUE_SERVICE, 0);
	ev.arg = 1;
	snprintf(ev.message, sizeof(ev.message), "Printer kartu sedang diperbaiki teknisi");
	step(f, ev);
	s_tech_tab(f, TECH_TAB_SERVICE);
}

static void s_tech_errors(struct flow *f)
{
	s_tech_tab(f, TECH_TAB_ERRORS);
}

/* a citizen's attract screen while a technician has the A4 queue out of service */
static void s_queue_off(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_QUEUE_SERVICE, 0);
	ev.arg = 0;
	snprintf(ev.message, sizeof(ev.message), "Printer A4 sedang diperbaiki teknisi");
	step(f, ev);
}

/* name, how to get there, referenced at 1366x768 too; citizen screens have an accessible
 * mode twin, technician screens have one look */
#define CITIZEN_SCENARIOS(X)                                                                       \
	X("attract", s_attract, true)                                                              \
	X("attract-hint", s_attract_hint, false)                                                   \
	X("reading", s_reading, false)                                                             \
	X("checking", s_checking, false)                                                           \
	X("nik-entry", s_nik_entry, true)                                                          \
	X("nik-invalid", s_nik_invalid, false)                                                     \
	X("qr-wait", s_qr_wait, false)                                                             \
	X("verify", s_verify, true)                                                                \
	X("verify-wrong", s_verify_wrong, false)                                                   \
	X("verify-louder", s_verify_louder, false)                                                 \
	X("pin-locked", s_pin_locked, false)                                                       \
	X("documents", s_documents, true)                                                          \
	X("documents-many", s_documents_many, true)                                                \
	X("authorise", s_authorise, false)                                                         \
	X("documents-ticked", s_documents_ticked, true)                                            \
	X("authorise-second", s_authorise_second, true)                                            \
	X("documents-authorised", s_documents_authorised, true)                                    \
	X("printing-two", s_printing_two, true)                                                    \
	X("done-two", s_done_two, true)                                                            \
	X("done-one-failed", s_done_one_failed, false)                                             \
	X("printing", s_printing, false)                                                           \
	X("printing-fault", s_printing_fault, true)                                                \
	X("done", s_done, false)                                                                   \
	X("print-failed", s_print_failed, true)                                                    \
	X("print-uncertain", s_print_uncertain, false)                                             \
	X("nothing-ready", s_nothing_ready, true)                                                  \
	X("nothing-ready-none", s_nothing_ready_none, false)                                       \
	X("nothing-ready-more", s_nothing_ready_more, false)                                       \
	X("card-removed", s_card_removed, false)                                                   \
	X("countdown", s_countdown, true)                                                          \
	X("out-of-service", s_out_of_service, false)                                               \
	X("out-of-service-message", s_out_of_service_message, false)                               \
	X("attract-a4-down", s_a4_down, true)                                                      \
	X("attract-content", s_attract, true)                                                      \
	X("attract-urgent", s_attract, true)                                                       \
	X("attract-content-hint", s_attract_hint, false)                                           \
	X("attract-content-a4-down", s_a4_down, false)                                             \
	X("attract-content-crowded", s_a4_down_hint, false)                                        \
	X("attract-urgent-crowded", s_a4_down_hint, false)                                         \
	X("nothing-ready-offices", s_nothing_ready, true)                                          \
	X("attract-queue-off", s_queue_off, false)                                                 \
	X("help-nik", s_help_nik, true)                                                            \
	X("help-called", s_help_called, true)
#define TECHNICIAN_SCENARIOS(X)                                                                    \
	X("technician-pin", s_tech_pin, false)                                                     \
	X("technician", s_technician, true)                                                        \
	X("technician-printers", s_tech_printers, true)                                            \
	X("technician-uncertain", s_tech_uncertain, true)                                          \
	X("technician-reader", s_tech_reader, true)                                                \
	X("technician-service", s_tech_service, true)                                              \
	X("technician-errors", s_tech_errors, true)

#define NORMAL(name, drive, all) { name, name, drive, all, false },
/* the same screens in the accessible mode (larger text, high contrast): "NAME-large" */
#define LARGE(name, drive, all) { name "-large", name, drive, all, true },

const struct scenario scenarios[] = { CITIZEN_SCENARIOS(NORMAL) TECHNICIAN_SCENARIOS(NORMAL)
					  CITIZEN_SCENARIOS(LARGE) };
const int n_scenarios = (int)(sizeof(scenarios) / sizeof(scenarios[0]));

const struct screen_size screen_sizes[] = { { 1920, 1080 }, { 1366, 768 }, { 1080, 1920 } };
const int n_screen_sizes = 3;

bool scenario_referenced(const struct scenario *s, int k)
{
	const struct screen_size *z = &screen_sizes[k];
	return z->h > z->w || (z->w == 1920 && z->h == 1080) || s->all_sizes;
}

const struct scenario *scenario_find(const char *name)
{
	for (int i = 0; i < n_scenarios; i++)
		if (strcmp(scenarios[i].name, name) == 0)
			return &scenarios[i];
	return NULL;
}

/* What technician mode shows: the A4 tray running low, the card printer fine, the
 * scanner unplugged, a sync 7 minutes ago. */
static const struct health sample_health = {
	.reader_configured = true,
	.reader_ok = true,
	.scanner_configured = true,
	.scanner_ok = false,
	.n_printers = 2,
	.printer = {
		{ .queue = "A4", .available = true, .fault = "paper-low",
		  .n_supplies = 1,
		  .supply = { { "sheets", 38, 500, true } },
		  .n_markers = 1,
		  .marker = { { "Black Toner", 62 } } },
		{ .queue = "CARD", .card = true, .available = true, .n_supplies = 2,
		  .supply = { { "card-blanks", 97, 100, false }, { "ribbon", 497, 500, false } } },
	},
	.sync = { .known = true, .last_ok = 1786934467 - 7 * 60, .documents = 1284,
		  .outbox_pending = 2, .blobs_missing = 0, .disk_free_mb = 20480 },
	.version = "0.1.0",
	.uptime_s = 3 * 86400 + 4 * 3600 + 12 * 60,
	.reader_watchdog = 1,
};

void scenario_run(const struct scenario *s, struct flow *f, struct view_ctx *ctx)
{
	const struct flow_timeouts t = { 60000, 20000, 10000, 20000, 300000 };

	now = T0;
	flow_init(f, &t, now);
	if (s->accessible)
		act(f, ACT_ACCESSIBLE, 0); /* the first touch of the visit */
	s->drive(f);
	memset(ctx, 0, sizeof(*ctx));
	ctx->kiosk_id = "ADM-3201-007";
	ctx->location = "Mal Pelayanan Publik Kota Bogor";
	ctx->office = "Dinas Dukcapil Kota Bogor, Jl. Pemuda No. 31";
	ctx->staff_place = "loket informasi, lantai 1";
	/* the printer pages show the jam and its held prints */
	bool jam = strcmp(s->base, "technician") != 0 && strncmp(s->base, "technician", 10) == 0;
	ctx->health = jam ? &uncertain_health : &sample_health;
	ctx->now = 1786934467; /* = the wall time below, in Jakarta (UTC+7) */
	/* Monday 17 August 2026, 09:41:07 */
	ctx->wall.tm_year = 126;
	ctx->wall.tm_mon = 7;
	ctx->wall.tm_mday = 17;
	ctx->wall.tm_wday = 1;
	ctx->wall.tm_hour = 9;
	ctx->wall.tm_min = 41;
	ctx->wall.tm_sec = 7;
}
