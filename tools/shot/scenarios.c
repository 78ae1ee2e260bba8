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

static void s_verify_wrong(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_PIN_RESULT, 0);
	ev.tries_left = 2;
	pin_answered(f, ev);
}

/* Two ready, one whose printer is down today, one whose file is still downloading. */
static const struct flow_doc docs[] = {
	{ "doc-kk-1", "Kartu Keluarga", "Family card", 1, false, true, false },
	{ "doc-bio-1", "Biodata Penduduk", "Population biodata", 2, false, false, true },
	{ "doc-ktp-1", "KTP-el", "Electronic ID card", 1, true, false, false },
	{ "doc-akta-1", "Akta Kelahiran", "Birth certificate", 1, false, true, false },
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

static void s_printing(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_PIN_RESULT, 0);
	s_authorise(f);
	type(f, "7654");
	act(f, ACT_CONFIRM, 0);
	ev.ok = true;
	step(f, ev);
	ev = flow_ev(EV_PRINT_PROGRESS, 0);
	ev.pages_done = 1;
	ev.pages = 2;
	step(f, ev);
}

static void s_done(struct flow *f)
{
	s_printing(f);
	step(f, flow_ev(EV_PRINT_DONE, 0));
}

static void s_print_failed(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_PRINT_FAILED, 0);
	s_printing(f);
	strcpy(ev.message, "Kertas habis");
	strcpy(ev.message_en, "Out of paper");
	step(f, ev);
}

static void s_print_uncertain(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_PRINT_FAILED, 0);
	s_printing(f);
	ev.arg = 1;
	strcpy(ev.message, "Kertas tersangkut");
	strcpy(ev.message_en, "Paper jammed");
	step(f, ev);
}

static void s_nothing_ready(struct flow *f)
{
	struct flow_event ev = flow_ev(EV_PIN_RESULT, 0);
	s_verify(f);
	type(f, "456");
	act(f, ACT_CONFIRM, 0);
	ev.ok = true;
	step(f, ev);
	ev = flow_ev(EV_DOCUMENTS, 0);
	ev.in_progress = 1;
	strcpy(ev.in_progress_stage, "PROCESSING");
	step(f, ev);
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
		{ .queue = "A4", .available = true, .n_supplies = 1,
		  .supply = { { "sheets", 412, 500, false } } },
		{ .queue = "CARD", .card = true, .available = false, .fault = "jam",
		  .uncertain = 1, .n_supplies = 2,
		  .supply = { { "card-blanks", 96, 100, false }, { "ribbon", 496, 500, false } } },
	},
	.sync = { .known = true, .last_ok = 1786934467 - 60, .documents = 1284 },
};

/* name, how to get there, referenced at every size; citizen screens have an accessible
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
	X("pin-locked", s_pin_locked, false)                                                       \
	X("documents", s_documents, true)                                                          \
	X("documents-many", s_documents_many, true)                                                \
	X("authorise", s_authorise, false)                                                         \
	X("printing", s_printing, false)                                                           \
	X("done", s_done, false)                                                                   \
	X("print-failed", s_print_failed, true)                                                    \
	X("print-uncertain", s_print_uncertain, false)                                             \
	X("nothing-ready", s_nothing_ready, false)                                                 \
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
	X("help-nik", s_help_nik, true)                                                            \
	X("help-called", s_help_called, true)
#define TECHNICIAN_SCENARIOS(X)                                                                    \
	X("technician-pin", s_tech_pin, false)                                                     \
	X("technician", s_technician, true)                                                        \
	X("technician-uncertain", s_technician, true)

#define NORMAL(name, drive, all) { name, name, drive, all, false },
/* the same screens in the accessible mode (larger text, high contrast): "NAME-large" */
#define LARGE(name, drive, all) { name "-large", name, drive, all, true },

const struct scenario scenarios[] = { CITIZEN_SCENARIOS(NORMAL) TECHNICIAN_SCENARIOS(NORMAL)
					  CITIZEN_SCENARIOS(LARGE) };
const int n_scenarios = (int)(sizeof(scenarios) / sizeof(scenarios[0]));

const struct screen_size screen_sizes[] = { { 1920, 1080 }, { 1366, 768 }, { 1080, 1920 } };
const int n_screen_sizes = 3;

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
		  .outbox_pending = 2, .blobs_missing = 0 },
};

void scenario_run(const struct scenario *s, struct flow *f, struct view_ctx *ctx)
{
	const struct flow_timeouts t = { 60000, 15000, 10000, 20000, 300000 };

	now = T0;
	flow_init(f, &t, now);
	if (s->accessible)
		act(f, ACT_ACCESSIBLE, 0); /* the first touch of the visit */
	s->drive(f);
	memset(ctx, 0, sizeof(*ctx));
	ctx->kiosk_id = "ADM-3201-007";
	ctx->location = "Mal Pelayanan Publik Kota Bogor";
	ctx->staff_place = "loket informasi, lantai 1";
	ctx->health =
	    strcmp(s->base, "technician-uncertain") == 0 ? &uncertain_health : &sample_health;
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
