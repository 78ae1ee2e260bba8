/*
 * Technician mode end to end on the real flow and the real screens (headless, SDL's
 * offscreen driver): a technician card and its PIN, every tab reached by a touch on its
 * button (hit-tested on the layout that is drawn), a test page and a reader test followed
 * to their result, a queue taken out of service and what a citizen then sees, the uncertain
 * prints settled by row, and the mode leaving by itself after inactivity. The pixels of
 * each page are the ui suite's references (tools/shot scenarios technician-*).
 */
#include "check.h"
#include "scenarios.h"
#include "shot.h"
#include "tech_log.h"

#include <string.h>

#define W	1920
#define H	1080
#define TECH_MS 300000

static struct flow f;
static struct flow_effects fx;
static struct view_ctx ctx;
static struct text *text;
static struct view v;
static int64_t now = 1000000;

static void ev(struct flow_event e)
{
	e.now_ms = (now += 100);
	flow_step(&f, &e, &fx);
}

static void act(enum flow_action a, int arg)
{
	ev(flow_ev_action(a, arg, 0));
}

static bool emitted(enum flow_effect_type type, int arg)
{
	for (int i = 0; i < fx.n; i++)
		if (fx.fx[i].type == type && fx.fx[i].arg == arg)
			return true;
	return false;
}

static void build(void)
{
	view_build(&v, W, H, &f, &ctx, text);
}

/* Whether the screen shows s anywhere (a main line or the English one). */
static bool shows(const char *s)
{
	build();
	for (int i = 0; i < v.n; i++)
		if (strstr(v.items[i].text, s) || strstr(v.items[i].sub, s))
			return true;
	return false;
}

/* A finger on the button of action a (arg): the layout's hit test gives the action. */
static bool touch(enum flow_action a, int arg)
{
	build();
	for (int i = 0; i < v.n; i++) {
		const struct widget *wd = &v.items[i];
		if (!wd->tappable || wd->action != a || wd->arg != arg)
			continue;
		int hit = view_hit(&v, wd->r.x + wd->r.w / 2, wd->r.y + wd->r.h / 2);
		if (hit < 0)
			return false;
		act(v.items[hit].action, v.items[hit].arg);
		return true;
	}
	return false;
}

static void enter_technician(void)
{
	struct flow_event e = flow_ev(EV_TECH_CARD, 0);
	ev(e);
	CHECK(f.state == FLOW_TECH_PIN);
	for (const char *d = "424242"; *d; d++)
		act(ACT_DIGIT, *d - '0');
	act(ACT_CONFIRM, 0);
	CHECK(emitted(FX_VERIFY_TECH_PIN, 0), "the PIN is checked by the shell");
	e = flow_ev(EV_PIN_RESULT, 0);
	e.ok = true;
	ev(e);
	CHECK(f.state == FLOW_TECHNICIAN);
}

static void tabs(void)
{
	static const struct {
		enum flow_tech_tab tab;
		const char *shows;
	} pages[] = {
		{ TECH_TAB_PRINTERS, "Halaman uji" },
		{ TECH_TAB_UNCERTAIN, "Sudah keluar" },
		{ TECH_TAB_READER, "Mulai uji pembaca" },
		{ TECH_TAB_SERVICE, "Seluruh kiosk" },
		{ TECH_TAB_ERRORS, "macet" },
		{ TECH_TAB_HEALTH, "GiB free" },
	};
	CHECK(shows("Disk") && shows("adm-kiosk 0.1.0"), "the health page first");
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		CHECK(touch(ACT_TECH_TAB, (int)pages[i].tab), "no button for tab %d", pages[i].tab);
		CHECK(f.tech.tab == pages[i].tab && shows(pages[i].shows),
		      "tab %d does not show '%s'", pages[i].tab, pages[i].shows);
	}
}

static void test_page(void)
{
	act(ACT_TECH_TAB, TECH_TAB_PRINTERS);
	CHECK(touch(ACT_TEST_PRINT, 1) && emitted(FX_TEST_PRINT, 1), "a test card is asked for");
	CHECK(shows("The test card is printing"));
	act(ACT_TEST_PRINT, 0);
	CHECK(fx.n == 0, "a second test page while one runs");
	struct flow_event e = flow_ev(EV_TEST_PRINT, 0);
	e.ok = true;
	snprintf(e.message, sizeof(e.message), "CARD, job CUPS 7, 1 lembar / sheet(s)");
	ev(e);
	CHECK(shows("The test page printed: CARD, job CUPS 7"));
	CHECK(touch(ACT_TEST_PRINT, 0) && emitted(FX_TEST_PRINT, 0), "then another one");
	e.ok = false;
	snprintf(e.message, sizeof(e.message), "A4: canceled, media-empty");
	ev(e);
	CHECK(shows("The test page FAILED: A4: canceled, media-empty"));
}

static void reader_test(void)
{
	act(ACT_TECH_TAB, TECH_TAB_READER);
	CHECK(touch(ACT_READER_TEST, 0) && emitted(FX_READER_TEST, 0));
	CHECK(shows("Waiting for a card"));
	struct flow_event e = flow_ev(EV_READER_TEST, 0);
	e.ok = true;
	e.error = ERR_CARD_FOREIGN;
	snprintf(e.doc_id, sizeof(e.doc_id), "04deadbeef0001");
	ev(e);
	CHECK(shows("UID 04deadbeef0001 · not a KTP-el"));
	CHECK(f.state == FLOW_TECHNICIAN, "the test card started nothing");
}

static void settle(void)
{
	act(ACT_TECH_TAB, TECH_TAB_UNCERTAIN);
	/* the second row's "it came out" */
	CHECK(touch(ACT_SETTLE_JOB, 1 << 1 | 1) && emitted(FX_SETTLE_JOB, 3));
	CHECK(touch(ACT_SETTLE_JOB, 0) && emitted(FX_SETTLE_JOB, 0));
}

/* A queue out of service: the technician's words on the attract screen; both out: the
 * kiosk out of service with them. */
static void queue_off(void)
{
	act(ACT_TECH_TAB, TECH_TAB_SERVICE);
	CHECK(touch(ACT_TECH_SERVICE, 0) && emitted(FX_TECH_SERVICE, 0) && fx.fx[0].pin[0] == 0,
	      "take the A4 queue out");
	struct flow_event e = flow_ev(EV_QUEUE_SERVICE, 0);
	snprintf(e.message, sizeof(e.message), "Printer A4 sedang diperbaiki teknisi");
	ev(e);
	CHECK(shows("TIDAK MELAYANI, dokumennya tidak bisa dipilih. Warga membaca: Printer A4 "
		    "sedang diperbaiki"));
	CHECK(touch(ACT_TECH_SERVICE, 0) && fx.fx[0].pin[0] == '1', "then it offers it back");
	CHECK(touch(ACT_FINISH, 0) && emitted(FX_TECH_LEFT, 0), "the exit is in the audit");
	CHECK(f.state == FLOW_ATTRACT);
	CHECK(shows("Printer A4 sedang diperbaiki teknisi") &&
		  shows("A4 documents cannot be printed now. Cards still can."),
	      "a citizen does not read the technician's words");
	e.arg = 1;
	snprintf(e.message, sizeof(e.message), "Printer kartu sedang diperbaiki teknisi");
	ev(e);
	e = flow_ev(EV_SERVICE, 0);
	e.service = SVC_QUEUES_OFF;
	ev(e);
	CHECK(f.state == FLOW_OUT_OF_SERVICE && shows("Printer A4 sedang diperbaiki teknisi"),
	      "every queue out: out of service, in the technician's words");
	e.service = 0;
	ev(e);
	e = flow_ev(EV_QUEUE_SERVICE, 0);
	ev(e); /* A4 back */
	CHECK(f.state == FLOW_ATTRACT && shows("KTP-el and KIA cards cannot be printed now"),
	      "the A4 queue back, the card one still out");
}

static void inactivity(void)
{
	enter_technician();
	now += TECH_MS - 1000;
	ev(flow_ev(EV_TICK, 0));
	CHECK(f.state == FLOW_TECHNICIAN, "left too early");
	act(ACT_NONE, 0); /* a touch: the technician is there */
	now += TECH_MS - 1000;
	ev(flow_ev(EV_TICK, 0));
	CHECK(f.state == FLOW_TECHNICIAN, "a touch does not keep the mode");
	now += 2000;
	ev(flow_ev(EV_TICK, 0));
	CHECK(f.state == FLOW_ATTRACT && emitted(FX_TECH_LEFT, 1),
	      "after inactivity the mode ends, and the audit says why");
	CHECK(f.tech.test_running == false && f.tech.reader_uid[0] == '\0', "nothing is kept");
}

/* Problems in a technician's words; the printer's message without what could name anyone. */
static void problems(void)
{
	struct tech_log log;
	struct health h = { .n_printers = 1 };
	char msg[64];
	memset(&log, 0, sizeof(log));
	snprintf(h.printer[0].queue, sizeof(h.printer[0].queue), "A4");
	tech_log_note(&log, &h, 100);
	snprintf(h.printer[0].fault, sizeof(h.printer[0].fault), "jam");
	snprintf(h.printer[0].detail, sizeof(h.printer[0].detail),
		 "A4: jam; state=stopped; reasons=media-jam-error; message=\"Jam in tray 2, "
		 "job 3171015708900003 'Akta Siti Rahmawati'\"");
	tech_log_note(&log, &h, 160);
	tech_log_note(&log, &h, 170); /* the same jam: no second line */
	h.reader_configured = true;
	tech_log_note(&log, &h, 180); /* configured but not answering */
	tech_log_copy(&log, &h);
	CHECK(h.n_errors == 2, "%d problems", h.n_errors);
	CHECK(strstr(h.errors[1].id, "macet: buka printer") && strstr(h.errors[1].en, "jam: open"),
	      "%s", h.errors[1].id);
	CHECK(strstr(h.errors[0].en, "card reader is lost") && h.errors[0].at == 180,
	      "newest first: %s", h.errors[0].en);
	CHECK(strstr(h.errors[1].id, "Jam in tray 2, job 317#"), "%s", h.errors[1].id);
	CHECK(!strstr(h.errors[1].id, "5708900003") && !strstr(h.errors[1].id, "Siti"),
	      "personal data in %s", h.errors[1].id);
	tech_log_printer_message("message=\"\x01\xffOut of paper\"", msg, sizeof(msg));
	CHECK(strcmp(msg, "??Out of paper") == 0, "'%s'", msg);
}

int main(int argc, char **argv)
{
	const struct flow_timeouts t = { 60000, 15000, 10000, 20000, TECH_MS };
	struct flow scratch;
	if (argc != 2 || !shot_init())
		return 2;
	text = text_create(argv[1], (float)H / 100.0f);
	CHECK(text != NULL, "no fonts in %s", argv[1]);
	if (!text)
		return check_done();
	/* the scenarios' kiosk, clock and health (the uncertain prints, the jam) */
	scenario_run(scenario_find("technician-uncertain"), &scratch, &ctx);
	flow_init(&f, &t, now);
	enter_technician();
	tabs();
	test_page();
	reader_test();
	settle();
	queue_off();
	inactivity();
	problems();
	text_destroy(text);
	shot_quit();
	return check_done();
}
