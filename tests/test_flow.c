/*
 * The citizen flow driven by event sequences: every path of a visit, every timeout with its
 * countdown, the wipe at the end of a visit, cards left on the reader, service faults, and
 * a random walk over all events checking the flow's invariants.
 */
#include "check.h"
#include "flow.h"
#include "nik.h"

#include <stdlib.h>
#include <string.h>

#define NIK_OK_F "3171015708900003"

static const struct flow_timeouts T = {
	.idle_ms = 60000,
	.warn_ms = 20000,
	.read_ms = 10000,
	.result_ms = 20000,
	.technician_ms = 300000,
};

static struct flow f;
static struct flow_effects fx;
static int64_t now;

static void start(void)
{
	now = 1000;
	flow_init(&f, &T, now);
}

static void ev(struct flow_event e)
{
	e.now_ms = now;
	flow_step(&f, &e, &fx);
}

static void act(enum flow_action a, int arg)
{
	now += 50;
	ev(flow_ev_action(a, arg, now));
}

static void tick_at(int64_t t)
{
	now = t;
	ev(flow_ev(EV_TICK, now));
}

static void type(const char *digits)
{
	for (; *digits; digits++)
		act(ACT_DIGIT, *digits - '0');
}

static bool has_fx(enum flow_effect_type t)
{
	for (int i = 0; i < fx.n; i++)
		if (fx.fx[i].type == t)
			return true;
	return false;
}

static const struct flow_effect *get_fx(enum flow_effect_type t)
{
	for (int i = 0; i < fx.n; i++)
		if (fx.fx[i].type == t)
			return &fx.fx[i];
	return NULL;
}

static bool session_is_zero(void)
{
	const unsigned char *p = (const unsigned char *)&f.s;
	for (size_t i = 0; i < sizeof(f.s); i++)
		if (p[i])
			return false;
	return true;
}

static void holder_ok(void)
{
	struct flow_event e = flow_ev(EV_HOLDER, 0);
	e.tries_left = 3;
	strcpy(e.name, "Siti Rahmawati");
	ev(e);
}

static void pin_result(bool ok, int tries_left)
{
	struct flow_event e = flow_ev(EV_PIN_RESULT, 0);
	e.ok = ok;
	e.tries_left = tries_left;
	ev(e);
}

#define DOC(i, tid, ten, n, is_card, can, type_)                                                   \
	{                                                                                          \
		.id = i, .title_id = tid, .title_en = ten, .pages = n, .card = is_card,            \
		.printable = can, .type = type_, .issued = 20260105                                \
	}
static const struct flow_doc docs[] = {
	DOC("doc-1", "Kartu Keluarga", "Family card", 1, false, true, "KK"),
	DOC("doc-2", "KTP-el", "Electronic ID card", 1, true, false, "KTP_EL"),
	DOC("doc-3", "Akta Kelahiran", "Birth certificate", 2, false, true, "AKTA_LAHIR"),
};

static void documents(int n)
{
	struct flow_event e = flow_ev(EV_DOCUMENTS, 0);
	memcpy(e.docs, docs, sizeof(docs));
	e.n_docs = n;
	ev(e);
}

/* attract -> NIK -> verify -> an account PIN typed and sent. */
static void pin_sent_from_attract(void)
{
	act(ACT_START_NIK, 0);
	type(NIK_OK_F);
	act(ACT_CONFIRM, 0);
	holder_ok();
	type("123456");
	act(ACT_CONFIRM, 0);
}

/* ... -> PIN accepted: documents asked for. */
static void pin_accepted_from_attract(void)
{
	pin_sent_from_attract();
	pin_result(true, 3);
}

static void to_pin_accepted(void)
{
	start();
	pin_accepted_from_attract();
}

/* ... -> documents, the common start of many tests. */
static void to_documents(void)
{
	to_pin_accepted();
	documents(3);
}

static void test_nik_path(void)
{
	start();
	CHECK(f.state == FLOW_ATTRACT && flow_deadline(&f) == 0, "starts idle in attract");
	act(ACT_START_NIK, 0);
	CHECK(f.state == FLOW_NIK_ENTRY, "nik entry");
	CHECK(flow_deadline(&f) == now + T.idle_ms, "idle deadline set");
	type("3171");
	CHECK(f.s.entry_len == 4 && strcmp(f.s.entry, "3171") == 0, "digits typed");
	act(ACT_ERASE, 0);
	CHECK(f.s.entry_len == 3, "erase");
	act(ACT_CONFIRM, 0);
	CHECK(f.state == FLOW_NIK_ENTRY && has_fx(FX_BELL), "short NIK refused with a bell");
	act(ACT_ERASE, 0);
	act(ACT_ERASE, 0);
	act(ACT_ERASE, 0);
	act(ACT_ERASE, 0);
	CHECK(f.s.entry_len == 0, "erase on empty is harmless");
	type("3171019908900003"); /* day 99 */
	act(ACT_CONFIRM, 0);
	CHECK(f.state == FLOW_NIK_ENTRY && f.error == ERR_NIK_INVALID, "invalid NIK shown inline");
	CHECK(f.nik_reason == NIK_BAD_DATE, "with its reason (%d)", f.nik_reason);
	act(ACT_DIGIT, 1);
	CHECK(f.s.entry_len == 16 && has_fx(FX_BELL), "a 17th digit is refused");
	for (int i = 0; i < 16; i++)
		act(ACT_ERASE, 0);
	CHECK(f.error == ERR_NIK_INVALID, "message stays until a new digit");
	type(NIK_OK_F);
	CHECK(f.error == ERR_NONE, "typing clears the message");
	act(ACT_CONFIRM, 0);
	const struct flow_effect *e = get_fx(FX_LOOKUP_HOLDER);
	CHECK(e && strcmp(e->nik, NIK_OK_F) == 0, "lookup of the typed NIK");
	CHECK(f.state == FLOW_READING && f.waiting, "checking the record");
	CHECK(f.s.entry_len == 0 && f.s.entry[0] == 0, "typed digits wiped once used");
	holder_ok();
	CHECK(f.state == FLOW_VERIFY && f.s.pin_tries_left == 3, "account PIN next");
	CHECK(strcmp(f.s.name, "Siti Rahmawati") == 0, "name from the holder record");
}

static void test_pin_wrong_then_locked(void)
{
	start();
	act(ACT_START_NIK, 0);
	type(NIK_OK_F);
	act(ACT_CONFIRM, 0);
	holder_ok();
	type("111111");
	act(ACT_CONFIRM, 0);
	const struct flow_effect *e = get_fx(FX_VERIFY_PIN);
	CHECK(e && strcmp(e->pin, "111111") == 0 && strcmp(e->nik, NIK_OK_F) == 0,
	      "PIN goes to the verifier");
	CHECK(f.waiting && f.s.entry_len == 0, "keypad locked, digits wiped");
	act(ACT_DIGIT, 5);
	CHECK(f.s.entry_len == 0, "digits ignored while waiting");
	pin_result(false, 2);
	CHECK(f.state == FLOW_VERIFY && f.error == ERR_PIN_WRONG && f.s.pin_tries_left == 2,
	      "wrong PIN, tries left shown");
	CHECK(has_fx(FX_BELL), "bell on a wrong PIN");
	type("222222");
	act(ACT_CONFIRM, 0);
	pin_result(false, 1);
	type("333333");
	act(ACT_CONFIRM, 0);
	pin_result(false, 0);
	CHECK(f.state == FLOW_ERROR && f.error == ERR_PIN_LOCKED, "locked after the last try");
	tick_at(flow_deadline(&f));
	act(ACT_START_NIK, 0);
	type(NIK_OK_F);
	act(ACT_CONFIRM, 0);
	holder_ok();
	type("444444");
	act(ACT_CONFIRM, 0);
	struct flow_event broken = flow_ev(EV_PIN_RESULT, 0);
	broken.error = ERR_SERVICE;
	ev(broken);
	CHECK(f.state == FLOW_ERROR && f.error == ERR_SERVICE,
	      "a verifier that could not check is not a wrong PIN");
	tick_at(flow_deadline(&f));
	CHECK(f.state == FLOW_ATTRACT && session_is_zero(), "back to attract, wiped");
}

static void test_print_path(void)
{
	to_documents();
	CHECK(f.state == FLOW_DOCUMENTS && f.s.n_docs == 3, "documents listed");
	act(ACT_SELECT_DOC, 1);
	CHECK(f.state == FLOW_DOCUMENTS, "a document its printer cannot print is not selectable");
	act(ACT_SELECT_DOC, 7);
	CHECK(f.state == FLOW_DOCUMENTS, "out of range index ignored");
	act(ACT_SELECT_DOC, 2);
	CHECK(f.state == FLOW_AUTHORISE && f.s.chosen == 2, "authorise the chosen document");
	act(ACT_BACK, 0);
	CHECK(f.state == FLOW_DOCUMENTS, "back to the list");
	act(ACT_SELECT_DOC, 2);
	type("654321");
	act(ACT_CONFIRM, 0);
	const struct flow_effect *e = get_fx(FX_AUTHORISE_PRINT);
	CHECK(e && strcmp(e->doc_id, "doc-3") == 0 && strcmp(e->pin, "654321") == 0,
	      "print PIN with the document id");
	pin_result(true, 3);
	CHECK(f.state == FLOW_PRINTING && f.s.pages == 2 && f.s.pages_done == 0, "printing");
	CHECK(flow_deadline(&f) == 0, "no inactivity reset while printing");
	struct flow_event p = flow_ev(EV_PRINT_PROGRESS, 0);
	p.pages_done = 1;
	p.pages = 2;
	ev(p);
	CHECK(f.s.pages_done == 1, "progress");
	act(ACT_CANCEL, 0);
	CHECK(f.state == FLOW_PRINTING, "a citizen cannot walk away from a running print");
	ev(flow_ev(EV_PRINT_DONE, 0));
	CHECK(f.state == FLOW_DONE && f.s.n_docs == 2, "done, printed document left the list");
	CHECK(strcmp(f.s.docs[0].id, "doc-1") == 0 && strcmp(f.s.docs[1].id, "doc-2") == 0,
	      "the others remain in order");
	act(ACT_BACK, 0);
	CHECK(f.state == FLOW_DOCUMENTS, "print another");
	act(ACT_FINISH, 0);
	CHECK(f.state == FLOW_ATTRACT && has_fx(FX_WIPE_SESSION) && session_is_zero(),
	      "finish wipes the session");
}

/* The first document chosen, its print PIN right: printing. */
static void to_printing(void)
{
	to_documents();
	act(ACT_SELECT_DOC, 0);
	type("654321");
	act(ACT_CONFIRM, 0);
	pin_result(true, 3);
}

static void test_print_failed(void)
{
	to_printing();
	struct flow_event e = flow_ev(EV_PRINT_FAILED, 0);
	strcpy(e.message, "Kertas habis");
	strcpy(e.message_en, "Out of paper");
	ev(e);
	CHECK(f.state == FLOW_ERROR && f.error == ERR_PRINT_FAILED, "print failure is an error");
	CHECK(strcmp(f.s.message, "Kertas habis") == 0 &&
		  strcmp(f.s.message_en, "Out of paper") == 0,
	      "printer's message kept, in both languages");
	CHECK(f.s.n_docs == 3, "the document stays in the list");
	act(ACT_BACK, 0);
	CHECK(f.state == FLOW_DOCUMENTS && f.error == ERR_NONE, "back to the list to retry");
}

/* A fault while printing is on screen at once, gone when it clears; the print goes on. */
static void test_print_fault_shown(void)
{
	to_printing();
	struct flow_event p = flow_ev(EV_PRINT_PROGRESS, 0);
	p.pages = 1;
	p.arg = 1;
	strcpy(p.message, "Kertas habis");
	strcpy(p.message_en, "Out of paper");
	ev(p);
	CHECK(f.state == FLOW_PRINTING && f.s.print_fault, "the fault shows while printing");
	CHECK(strcmp(f.s.message, "Kertas habis") == 0 &&
		  strcmp(f.s.message_en, "Out of paper") == 0,
	      "what happened, in both languages");
	CHECK(flow_deadline(&f) == 0, "no inactivity reset while the job waits");
	p.arg = 0;
	ev(p);
	CHECK(f.state == FLOW_PRINTING && !f.s.print_fault, "refilled: printing again");
	p.arg = 1;
	ev(p);
	ev(flow_ev(EV_PRINT_DONE, 0));
	CHECK(f.state == FLOW_DONE && !f.s.print_fault, "printed after all; the fault is gone");
}

/* A print that may still come out: held for a technician, no way back to retry it. */
static void test_print_uncertain(void)
{
	to_printing();
	struct flow_event e = flow_ev(EV_PRINT_FAILED, 0);
	e.arg = 1;
	strcpy(e.message, "Kertas tersangkut");
	strcpy(e.message_en, "Paper jammed");
	ev(e);
	CHECK(f.state == FLOW_ERROR && f.error == ERR_PRINT_UNCERTAIN,
	      "uncertain is its own error");
	act(ACT_BACK, 0);
	CHECK(f.state == FLOW_ERROR && f.error == ERR_PRINT_UNCERTAIN, "no retry of a held print");
	act(ACT_FINISH, 0);
	CHECK(f.state == FLOW_ATTRACT && session_is_zero(), "finish ends the visit");
}

static void qr_doc(const char *id, const char *pin)
{
	struct flow_event e = flow_ev(EV_QR_DOC, 0);
	strcpy(e.doc_id, id);
	strcpy(e.pin, pin);
	ev(e);
}

static void test_document_qr(void)
{
	to_documents();
	qr_doc("doc-2", "111111");
	CHECK(f.state == FLOW_DOCUMENTS && has_fx(FX_BELL),
	      "QR of a document its printer cannot print");
	qr_doc("doc-9", "111111");
	CHECK(f.state == FLOW_DOCUMENTS && has_fx(FX_BELL), "QR of a document not on the list");
	qr_doc("doc-3", "222222");
	const struct flow_effect *e = get_fx(FX_AUTHORISE_PRINT);
	CHECK(f.state == FLOW_AUTHORISE && f.s.chosen == 2 && f.waiting, "QR picks and authorises");
	CHECK(e && strcmp(e->doc_id, "doc-3") == 0 && strcmp(e->pin, "222222") == 0,
	      "with the PIN the QR carries");
	pin_result(true, 3);
	CHECK(f.state == FLOW_PRINTING, "and prints");

	to_documents();
	act(ACT_SELECT_DOC, 0);
	qr_doc("doc-3", "222222");
	CHECK(f.state == FLOW_AUTHORISE && f.error == ERR_QR_OTHER_DOC && !f.waiting,
	      "on the PIN screen, another document's QR is refused");
	qr_doc("doc-1", "333333");
	e = get_fx(FX_AUTHORISE_PRINT);
	CHECK(e && strcmp(e->doc_id, "doc-1") == 0 && f.error == ERR_NONE, "its own QR works");
}

static void test_nothing_ready(void)
{
	to_pin_accepted();
	CHECK(has_fx(FX_LOAD_DOCUMENTS), "documents requested after the PIN");
	struct flow_event e = flow_ev(EV_DOCUMENTS, 0);
	e.in_progress = 5; /* more than the event carries */
	e.apps[0] = (struct flow_app){ "KTP_EL", "PROCESSING", 2026, 9, 14 };
	memset(e.apps[1].stage, 'X', sizeof(e.apps[1].stage)); /* no terminator */
	e.n_expired = 99;
	e.expired[0] = (struct flow_app){ "KK", "", 2026, 8, 1 };
	e.held = 1;
	ev(e);
	CHECK(f.state == FLOW_NOTHING_READY && f.s.in_progress == 5, "nothing ready, says why");
	CHECK(strcmp(f.s.apps[0].stage, "PROCESSING") == 0 && f.s.apps[0].year == 2026 &&
		  f.s.apps[0].month == 9 && f.s.apps[0].day == 14,
	      "stage and expected date kept");
	CHECK(strlen(f.s.apps[1].stage) < sizeof(f.s.apps[1].stage), "a code is always ended");
	CHECK(f.s.n_expired == FLOW_MAX_APPS && strcmp(f.s.expired[0].type, "KK") == 0 &&
		  f.s.held == 1,
	      "expired documents (count capped) and held prints kept");
	tick_at(now + T.result_ms + 1);
	CHECK(flow_countdown_s(&f) == 20, "countdown on a result screen (%d)",
	      flow_countdown_s(&f));
	act(ACT_CONTINUE, 0);
	CHECK(flow_countdown_s(&f) == 0 && f.state == FLOW_NOTHING_READY, "continue extends");
	/* more lines than fit (large text): the screen pages them */
	CHECK(f.s.doc_first == 0, "nothing ready starts at its first line");
	act(ACT_MORE_DOCS, 3);
	CHECK(f.state == FLOW_NOTHING_READY && f.s.doc_first == 3, "the next page of lines");
	act(ACT_MORE_DOCS, FLOW_NOTHING_LINES);
	act(ACT_MORE_DOCS, -1);
	CHECK(f.s.doc_first == 3, "a line out of range is refused");
	act(ACT_MORE_DOCS, 0);
	CHECK(f.s.doc_first == 0, "from the start again");
	tick_at(flow_deadline(&f));
	CHECK(f.state == FLOW_ATTRACT && session_is_zero(), "result screen times out, wiped");
}

/* A document listed before its file arrived: not selectable, the list read again every
 * FLOW_REFRESH_MS until the file is here, without touching the inactivity deadline. */
static void test_downloading_document(void)
{
	to_pin_accepted();
	struct flow_event e = flow_ev(EV_DOCUMENTS, 0);
	memcpy(e.docs, docs, sizeof(docs));
	e.docs[0].printable = false;
	e.docs[0].downloading = true;
	e.n_docs = 3;
	ev(e);
	CHECK(f.state == FLOW_DOCUMENTS, "documents listed");
	act(ACT_SELECT_DOC, 0);
	CHECK(f.state == FLOW_DOCUMENTS, "a downloading document cannot be chosen");
	int64_t deadline = flow_deadline(&f);
	tick_at(now + FLOW_REFRESH_MS / 2);
	CHECK(!has_fx(FX_LOAD_DOCUMENTS), "no re-read before FLOW_REFRESH_MS");
	tick_at(now + FLOW_REFRESH_MS);
	const struct flow_effect *l = get_fx(FX_LOAD_DOCUMENTS);
	CHECK(l && strcmp(l->nik, NIK_OK_F) == 0, "the list is read again for the same citizen");
	CHECK(flow_deadline(&f) == deadline, "a re-read is not activity: the deadline stays");
	/* still downloading: read again later */
	ev(e);
	tick_at(now + FLOW_REFRESH_MS);
	CHECK(has_fx(FX_LOAD_DOCUMENTS), "read again while a file is still downloading");
	/* the file arrived */
	e.docs[0].printable = true;
	e.docs[0].downloading = false;
	ev(e);
	CHECK(f.state == FLOW_DOCUMENTS && f.s.docs[0].printable, "now printable");
	tick_at(now + 3 * FLOW_REFRESH_MS);
	CHECK(!has_fx(FX_LOAD_DOCUMENTS), "no more re-reads once every file is here");
	act(ACT_SELECT_DOC, 0);
	CHECK(f.state == FLOW_AUTHORISE && f.s.chosen == 0, "and it can be chosen");
	/* a late list in another state changes nothing */
	e.n_docs = 1;
	ev(e);
	CHECK(f.state == FLOW_AUTHORISE && f.s.n_docs == 3,
	      "a list outside the list screen is ignored");
}

/* More documents than fit: the screen pages through them with ACT_MORE_DOCS. */
static void test_document_pages(void)
{
	to_documents();
	CHECK(f.s.doc_first == 0, "the list starts at the first document");
	act(ACT_MORE_DOCS, 2);
	CHECK(f.s.doc_first == 2, "the next page starts where the screen asked");
	act(ACT_MORE_DOCS, 3);
	CHECK(f.s.doc_first == 2, "a page past the end is refused");
	act(ACT_SELECT_DOC, 2);
	CHECK(f.state == FLOW_AUTHORISE && f.s.chosen == 2, "a document of that page is chosen");
	act(ACT_CANCEL, 0);
	CHECK(f.state == FLOW_ATTRACT && f.s.doc_first == 0,
	      "a new visit starts on the first page");
}

static void test_inactivity_countdown(void)
{
	start();
	act(ACT_START_NIK, 0);
	type("3171");
	int64_t deadline = flow_deadline(&f);
	tick_at(deadline - T.warn_ms - 1);
	CHECK(flow_countdown_s(&f) == 0, "no countdown before the warning");
	tick_at(deadline - T.warn_ms);
	CHECK(flow_countdown_s(&f) == 20, "countdown starts at 20 s (%d)", flow_countdown_s(&f));
	tick_at(deadline - 4500);
	CHECK(flow_countdown_s(&f) == 5, "counts down (%d)", flow_countdown_s(&f));
	act(ACT_NONE, 0);
	CHECK(flow_countdown_s(&f) == 0 && flow_deadline(&f) == now + T.idle_ms,
	      "a touch anywhere restarts the timer");
	CHECK(f.s.entry_len == 4, "typed digits survive a touch");
	tick_at(flow_deadline(&f) - 1);
	CHECK(f.state == FLOW_NIK_ENTRY, "not yet");
	tick_at(flow_deadline(&f));
	CHECK(f.state == FLOW_ATTRACT, "reset at the deadline");
	CHECK(has_fx(FX_WIPE_SESSION) && session_is_zero(), "session wiped on timeout");
	CHECK(flow_deadline(&f) == 0, "attract has no deadline");
}

/* A result screen is read to its end: no countdown during its reading time, then the whole
 * warning; one touch of any kind ends the countdown and gives the reading time again. */
static void test_result_screen_holds(void)
{
	to_printing();
	ev(flow_ev(EV_PRINT_DONE, 0));
	int64_t shown = now;
	CHECK(f.state == FLOW_DONE, "done");
	tick_at(shown + T.result_ms - 1);
	CHECK(f.state == FLOW_DONE && flow_countdown_s(&f) == 0,
	      "no countdown while the screen is read (%d)", flow_countdown_s(&f));
	tick_at(shown + T.result_ms);
	CHECK(flow_countdown_s(&f) == T.warn_ms / 1000, "then the whole warning (%d s)",
	      flow_countdown_s(&f));
	CHECK(T.warn_ms >= 20000, "a warning of at least 20 s");
	tick_at(shown + T.result_ms + T.warn_ms - 1000);
	CHECK(f.state == FLOW_DONE && flow_countdown_s(&f) == 1, "last second (%d)",
	      flow_countdown_s(&f));
	act(ACT_NONE, 0);
	CHECK(flow_countdown_s(&f) == 0 && flow_deadline(&f) == now + T.result_ms + T.warn_ms,
	      "a touch anywhere ends the countdown and holds the screen again");
	tick_at(flow_deadline(&f) - 1);
	CHECK(f.state == FLOW_DONE, "still held");
	tick_at(flow_deadline(&f));
	CHECK(f.state == FLOW_ATTRACT && session_is_zero(), "then the visit ends, wiped");

	/* an error screen the same way */
	to_printing();
	struct flow_event e = flow_ev(EV_PRINT_FAILED, 0);
	ev(e);
	shown = now;
	tick_at(shown + T.result_ms - 1);
	CHECK(f.state == FLOW_ERROR && flow_countdown_s(&f) == 0, "error screen read in full");
	act(ACT_NONE, 0);
	CHECK(flow_deadline(&f) == now + T.result_ms + T.warn_ms,
	      "a touch before the countdown gives the whole reading time again");
}

static void test_every_citizen_state_times_out(void)
{
	/* From each state reachable with input, with no further input, the flow returns to
	 * attract within the longest timeout (plus a read timeout for a card). */
	for (int which = 0; which < 8; which++) {
		start();
		switch (which) {
		case 0:
			act(ACT_START_NIK, 0);
			break;
		case 1:
			act(ACT_START_QR, 0);
			break;
		case 2:
			ev(flow_ev(EV_CARD_PRESENT, 0));
			break;
		case 3:
			to_documents();
			break;
		case 4:
			to_documents();
			act(ACT_SELECT_DOC, 0);
			break;
		case 5:
			to_documents();
			act(ACT_SELECT_DOC, 0);
			type("654321");
			act(ACT_CONFIRM, 0);
			pin_result(true, 3);
			ev(flow_ev(EV_PRINT_DONE, 0));
			break;
		case 6:
			ev(flow_ev(EV_TECH_ENTER, 0));
			break;
		case 7: /* waiting for an answer that never comes */
			act(ACT_START_NIK, 0);
			type(NIK_OK_F);
			act(ACT_CONFIRM, 0);
			break;
		}
		enum flow_state from = f.state;
		for (int i = 0; i < 3 && f.state != FLOW_ATTRACT; i++)
			tick_at(flow_deadline(&f) ? flow_deadline(&f) : now + 1000);
		CHECK(f.state == FLOW_ATTRACT, "%s did not time out to attract (now %s)",
		      flow_state_name(from), flow_state_name(f.state));
		CHECK(session_is_zero(), "%s: session not wiped", flow_state_name(from));
	}
}

static void test_card(void)
{
	start();
	ev(flow_ev(EV_CARD_PRESENT, 0));
	CHECK(f.state == FLOW_READING && f.s.via_card && !f.waiting, "card read starts");
	ev(flow_ev(EV_CARD_REMOVED, 0));
	CHECK(f.state == FLOW_ERROR && f.error == ERR_CARD_REMOVED, "lifted mid-read");
	ev(flow_ev(EV_CARD_PRESENT, 0));
	CHECK(f.state == FLOW_READING, "laying it again retries");
	struct flow_event id = flow_ev(EV_CARD_IDENTITY, 0);
	strcpy(id.nik, NIK_OK_F);
	strcpy(id.name, "Siti Rahmawati");
	ev(id);
	const struct flow_effect *e = get_fx(FX_LOOKUP_HOLDER);
	CHECK(e && strcmp(e->nik, NIK_OK_F) == 0 && f.waiting, "identity -> holder lookup");
	ev(flow_ev(EV_CARD_REMOVED, 0));
	CHECK(f.state == FLOW_READING, "lifting after the read is fine");
	ev(flow_ev(EV_CARD_PRESENT, 0));
	holder_ok();
	CHECK(f.state == FLOW_VERIFY, "verify with the card on the reader");
	act(ACT_CANCEL, 0);
	CHECK(f.state == FLOW_ATTRACT, "cancelled");
	ev(flow_ev(EV_CARD_PRESENT, 0));
	CHECK(f.state == FLOW_ATTRACT, "the card left on the reader does not start a visit");
	ev(flow_ev(EV_CARD_REMOVED, 0));
	ev(flow_ev(EV_CARD_PRESENT, 0));
	CHECK(f.state == FLOW_READING, "lifted and laid again: a new visit");

	/* Read timeout, foreign and double cards. */
	start();
	ev(flow_ev(EV_CARD_PRESENT, 0));
	tick_at(now + T.read_ms);
	CHECK(f.state == FLOW_ERROR && f.error == ERR_CARD_TIMEOUT, "read timeout");
	start();
	ev(flow_ev(EV_CARD_PRESENT, 0));
	struct flow_event bad = flow_ev(EV_CARD_FAILED, 0);
	bad.error = ERR_CARD_FOREIGN;
	ev(bad);
	CHECK(f.state == FLOW_ERROR && f.error == ERR_CARD_FOREIGN, "foreign card");
	start();
	ev(flow_ev(EV_CARD_PRESENT, 0));
	bad.error = ERR_CARD_MULTIPLE;
	ev(bad);
	CHECK(f.state == FLOW_ERROR && f.error == ERR_CARD_MULTIPLE, "two cards");
	/* A card tapped while typing the NIK takes over. */
	start();
	act(ACT_START_NIK, 0);
	type("3171");
	ev(flow_ev(EV_CARD_PRESENT, 0));
	CHECK(f.state == FLOW_READING && f.s.entry_len == 0, "card beats typing, digits wiped");
}

static void test_qr_and_unknown(void)
{
	start();
	act(ACT_START_QR, 0);
	CHECK(f.state == FLOW_QR_WAIT, "qr wait");
	struct flow_event q = flow_ev(EV_QR_NIK, 0);
	strcpy(q.nik, "1234567890123456");
	ev(q);
	CHECK(f.state == FLOW_ERROR && f.error == ERR_NIK_INVALID, "QR with a bad NIK");
	start();
	act(ACT_START_QR, 0);
	ev(flow_ev(EV_QR_INVALID, 0));
	CHECK(f.state == FLOW_ERROR && f.error == ERR_QR_INVALID, "someone else's QR code");
	start();
	strcpy(q.nik, NIK_OK_F);
	ev(q);
	CHECK(f.state == FLOW_READING && has_fx(FX_LOOKUP_HOLDER), "QR scanned on attract");
	struct flow_event h = flow_ev(EV_HOLDER, 0);
	h.error = ERR_HOLDER_UNKNOWN;
	ev(h);
	CHECK(f.state == FLOW_ERROR && f.error == ERR_HOLDER_UNKNOWN, "not registered");
	start();
	ev(q);
	h.error = ERR_NEEDS_NETWORK;
	ev(h);
	CHECK(f.state == FLOW_ERROR && f.error == ERR_NEEDS_NETWORK, "needs the network");
}

static void test_service(void)
{
	start();
	struct flow_event s = flow_ev(EV_SERVICE, 0);
	s.service = SVC_READER_LOST;
	ev(s);
	CHECK(f.state == FLOW_OUT_OF_SERVICE, "reader lost on attract");
	act(ACT_START_NIK, 0);
	ev(flow_ev(EV_CARD_PRESENT, 0));
	CHECK(f.state == FLOW_OUT_OF_SERVICE, "no visit starts out of service");
	s.service = 0;
	ev(s);
	CHECK(f.state == FLOW_ATTRACT, "recovers by itself");
	struct flow_event pr = flow_ev(EV_PRINTERS, 0);
	pr.arg = PRN_A4_DOWN;
	ev(pr);
	CHECK(f.state == FLOW_ATTRACT && f.printers_down == PRN_A4_DOWN,
	      "one printer down: still in service, and the screen knows which");

	to_documents();
	s.service = SVC_PRINTERS_DOWN;
	ev(s);
	CHECK(f.state == FLOW_DOCUMENTS, "a visit in progress is not cut");
	act(ACT_FINISH, 0);
	CHECK(f.state == FLOW_OUT_OF_SERVICE, "out of service after the visit");
}

static void test_technician_card(void)
{
	start();
	ev(flow_ev(EV_TECH_CARD, 0));
	CHECK(f.state == FLOW_TECH_PIN && f.s.pin_tries_left == 3, "technician card -> PIN");
	type("123456");
	act(ACT_CONFIRM, 0);
	const struct flow_effect *e = get_fx(FX_VERIFY_TECH_PIN);
	CHECK(e && strcmp(e->pin, "123456") == 0 && f.waiting, "technician PIN checked");
	pin_result(true, 3);
	CHECK(f.state == FLOW_TECHNICIAN, "technician mode");
	act(ACT_REFILL, 0);
	e = get_fx(FX_REFILL);
	CHECK(e && e->arg == 0, "refill A4");
	act(ACT_REFILL, 1);
	e = get_fx(FX_REFILL);
	CHECK(e && e->arg == 1, "refill cards");
	act(ACT_REFILL, 7);
	CHECK(!has_fx(FX_REFILL), "no refill of something unknown");
	act(ACT_SETTLE, 3);
	e = get_fx(FX_SETTLE);
	CHECK(e && e->arg == 3, "the card printer's uncertain print came out");
	act(ACT_SETTLE, 4);
	CHECK(!has_fx(FX_SETTLE), "no verdict on something unknown");
	act(ACT_FINISH, 0);
	CHECK(f.state == FLOW_ATTRACT, "technician leaves");
	ev(flow_ev(EV_CARD_PRESENT, 0));
	CHECK(f.state == FLOW_ATTRACT, "the technician card left there starts no citizen visit");

	start();
	to_documents();
	ev(flow_ev(EV_TECH_CARD, 0));
	CHECK(f.state == FLOW_DOCUMENTS, "a technician card does not cut a citizen's visit");
	start();
	ev(flow_ev(EV_TECH_CARD, 0));
	for (int i = 2; i >= 0; i--) {
		type("000000");
		act(ACT_CONFIRM, 0);
		pin_result(false, i);
	}
	CHECK(f.state == FLOW_ERROR && f.error == ERR_PIN_LOCKED, "three wrong technician PINs");
}

static void test_technician_and_stale_events(void)
{
	to_documents();
	ev(flow_ev(EV_TECH_ENTER, 0));
	CHECK(f.state == FLOW_TECHNICIAN && session_is_zero() && has_fx(FX_WIPE_SESSION),
	      "technician mode wipes a session");
	ev(flow_ev(EV_TECH_EXIT, 0));
	CHECK(f.state == FLOW_ATTRACT, "technician leaves");
	pin_result(true, 3);
	documents(3);
	ev(flow_ev(EV_PRINT_DONE, 0));
	holder_ok();
	CHECK(f.state == FLOW_ATTRACT && session_is_zero(), "stale answers change nothing");
}

/* A lock says how long it lasts, from the holder lookup or from the last wrong PIN. */
static void test_lock_minutes(void)
{
	start();
	pin_sent_from_attract();
	struct flow_event e = flow_ev(EV_PIN_RESULT, 0);
	e.error = ERR_PIN_LOCKED;
	e.arg = 15;
	ev(e);
	CHECK(f.state == FLOW_ERROR && f.error == ERR_PIN_LOCKED && f.s.lock_minutes == 15,
	      "locked for 15 minutes");
	act(ACT_FINISH, 0);
	CHECK(f.s.lock_minutes == 0, "forgotten with the visit");
	act(ACT_START_NIK, 0);
	type(NIK_OK_F);
	act(ACT_CONFIRM, 0);
	e = flow_ev(EV_HOLDER, 0);
	e.error = ERR_PIN_LOCKED;
	e.arg = 7;
	ev(e);
	CHECK(f.state == FLOW_ERROR && f.s.lock_minutes == 7, "the next visit: 7 minutes left");
}

/* The done screen says what to take: a card, or how many sheets. */
static void test_printed_what(void)
{
	to_documents();
	act(ACT_SELECT_DOC, 2); /* Akta Kelahiran: 2 pages, A4 */
	type("123456");
	act(ACT_CONFIRM, 0);
	pin_result(true, -1);
	ev(flow_ev(EV_PRINT_DONE, now));
	CHECK(f.state == FLOW_DONE && !f.s.printed_card && f.s.pages == 2, "two A4 sheets");
	act(ACT_BACK, 0);
	struct flow_doc card = docs[1];
	card.printable = true;
	f.s.docs[0] = card; /* the KTP-el, printable after all */
	act(ACT_SELECT_DOC, 0);
	type("123456");
	act(ACT_CONFIRM, 0);
	pin_result(true, -1);
	ev(flow_ev(EV_PRINT_DONE, now));
	CHECK(f.state == FLOW_DONE && f.s.printed_card, "a card");
}

/* The accessible mode: one touch on any citizen screen, kept for the rest of the visit
 * (a new card, a wiped entry), gone when the visit ends however it ends. */
static void test_accessible_mode(void)
{
	start();
	act(ACT_ACCESSIBLE, 0);
	CHECK(f.accessible && f.state == FLOW_ATTRACT, "turned on at attract");
	CHECK(flow_deadline(&f) == now + T.idle_ms, "before a visit it waits for one");
	act(ACT_START_NIK, 0);
	type("3171");
	CHECK(f.state == FLOW_NIK_ENTRY && f.accessible, "kept into the visit");
	/* a card laid over half a NIK starts again, the same person */
	ev(flow_ev(EV_CARD_PRESENT, now));
	CHECK(f.state == FLOW_READING && f.s.entry_len == 0 && f.accessible,
	      "kept when a card restarts the visit");
	ev(flow_ev(EV_CARD_REMOVED, now));
	CHECK(f.state == FLOW_ERROR && f.accessible, "kept on an error screen");
	int64_t before = flow_deadline(&f);
	now += 5000;
	act(ACT_ACCESSIBLE, 0);
	CHECK(!f.accessible && flow_deadline(&f) > before,
	      "turned off on a result screen, which the touch keeps longer");
	act(ACT_ACCESSIBLE, 0);
	act(ACT_FINISH, 0);
	CHECK(f.state == FLOW_ATTRACT && !f.accessible && has_fx(FX_WIPE_SESSION),
	      "the end of the visit ends it");

	/* nobody follows it up at attract */
	start();
	act(ACT_ACCESSIBLE, 0);
	tick_at(now + T.idle_ms - 1);
	CHECK(f.accessible, "still on before the deadline");
	tick_at(now + 1);
	CHECK(f.state == FLOW_ATTRACT && !f.accessible && flow_deadline(&f) == 0,
	      "gone when nobody came");

	/* a visit that times out */
	start();
	act(ACT_ACCESSIBLE, 0);
	pin_accepted_from_attract();
	documents(3);
	CHECK(f.state == FLOW_DOCUMENTS && f.accessible, "on at the documents");
	tick_at(flow_deadline(&f));
	CHECK(f.state == FLOW_ATTRACT && !f.accessible, "inactivity ends it");

	/* technicians have one look */
	start();
	act(ACT_ACCESSIBLE, 0);
	ev(flow_ev(EV_TECH_CARD, now));
	CHECK(f.state == FLOW_TECH_PIN && !f.accessible, "off for the technician's PIN");
	act(ACT_ACCESSIBLE, 0);
	CHECK(!f.accessible, "and cannot be turned on there");
}

/* The citizen's volume: each press the next level, after the loudest the quietest, the
 * typed digits and the step untouched; back to the default when the visit ends however it
 * ends, and when nobody follows a press at attract up. */
static void test_volume(void)
{
	start();
	CHECK(flow_volume_level(&f) == FLOW_VOLUME_DEFAULT, "a visit starts at the default");
	act(ACT_START_NIK, 0);
	type("3171");
	act(ACT_VOLUME, 0);
	CHECK(flow_volume_level(&f) == FLOW_VOLUME_DEFAULT + 1, "the first press is louder");
	CHECK(f.state == FLOW_NIK_ENTRY && f.s.entry_len == 4, "the entry is kept");
	for (int i = 1; i < FLOW_VOLUME_LEVELS; i++)
		act(ACT_VOLUME, 0);
	CHECK(flow_volume_level(&f) == FLOW_VOLUME_DEFAULT, "%d presses go round",
	      FLOW_VOLUME_LEVELS);
	act(ACT_VOLUME, 0);
	act(ACT_VOLUME, 0);
	CHECK(flow_volume_level(&f) == 0, "after the loudest the quietest");
	act(ACT_CANCEL, 0);
	CHECK(f.state == FLOW_ATTRACT && flow_volume_level(&f) == FLOW_VOLUME_DEFAULT &&
		  has_fx(FX_WIPE_SESSION),
	      "the end of the visit puts the default back");

	/* under the help panel too */
	act(ACT_START_NIK, 0);
	act(ACT_HELP, 0);
	act(ACT_VOLUME, 0);
	CHECK(f.help && flow_volume_level(&f) == FLOW_VOLUME_DEFAULT + 1, "under the panel");

	/* a visit that times out */
	start();
	pin_accepted_from_attract();
	documents(3);
	act(ACT_VOLUME, 0);
	tick_at(flow_deadline(&f));
	CHECK(f.state == FLOW_ATTRACT && flow_volume_level(&f) == FLOW_VOLUME_DEFAULT,
	      "inactivity puts the default back");

	/* pressed at attract, nobody came */
	start();
	act(ACT_VOLUME, 0);
	CHECK(flow_deadline(&f) == now + T.idle_ms, "before a visit it waits for one");
	tick_at(now + T.idle_ms);
	CHECK(flow_volume_level(&f) == FLOW_VOLUME_DEFAULT && flow_deadline(&f) == 0,
	      "gone when nobody came");

	/* technicians: not theirs */
	start();
	act(ACT_VOLUME, 0);
	ev(flow_ev(EV_TECH_CARD, now));
	CHECK(f.state == FLOW_TECH_PIN && flow_volume_level(&f) == FLOW_VOLUME_DEFAULT,
	      "the default for the technician's PIN");
	act(ACT_VOLUME, 0);
	CHECK(flow_volume_level(&f) == FLOW_VOLUME_DEFAULT, "and no button there");
}

static int count_fx(enum flow_effect_type t)
{
	int n = 0;
	for (int i = 0; i < fx.n; i++)
		n += fx.fx[i].type == t;
	return n;
}

/* Four documents, all printable: doc-4 a card. */
static void documents_printable(void)
{
	struct flow_event e = flow_ev(EV_DOCUMENTS, 0);
	memcpy(e.docs, docs, sizeof(docs));
	e.docs[1].printable = true;
	e.docs[3] = (struct flow_doc)DOC("doc-4", "Biodata Penduduk", "Population biodata", 3,
					 false, true, "BIODATA");
	e.n_docs = 4;
	ev(e);
}

static void print_done(void)
{
	ev(flow_ev(EV_PRINT_DONE, 0));
}

static void print_failed(int uncertain)
{
	struct flow_event e = flow_ev(EV_PRINT_FAILED, 0);
	e.arg = uncertain;
	strcpy(e.message, "Kertas habis");
	strcpy(e.message_en, "Out of paper");
	ev(e);
}

/* Several documents: ticked, each one's print PIN, then they print one after another,
 * one FX_PRINT each, and the done screen sums them up. */
static void test_several_documents(void)
{
	to_pin_accepted();
	documents_printable();
	act(ACT_PRINT_TICKED, 0);
	CHECK(f.state == FLOW_DOCUMENTS, "nothing ticked: nothing to print");
	act(ACT_TICK_DOC, 0);
	act(ACT_TICK_DOC, 2);
	act(ACT_TICK_DOC, 3);
	act(ACT_TICK_DOC, 3);
	CHECK(f.s.docs[0].ticked && f.s.docs[2].ticked && !f.s.docs[3].ticked,
	      "ticked, and a second touch unticks");
	act(ACT_PRINT_TICKED, 0);
	CHECK(f.state == FLOW_AUTHORISE && f.s.chosen == 0, "the first ticked one's PIN");
	type("111111");
	act(ACT_CONFIRM, 0);
	const struct flow_effect *e = get_fx(FX_AUTHORISE_PRINT);
	CHECK(e && strcmp(e->doc_id, "doc-1") == 0 && !has_fx(FX_PRINT),
	      "its PIN checked, nothing printed yet");
	pin_result(false, -1);
	CHECK(f.state == FLOW_AUTHORISE && f.error == ERR_PIN_WRONG, "a wrong print PIN");
	type("111112");
	act(ACT_CONFIRM, 0);
	pin_result(true, -1);
	CHECK(f.state == FLOW_AUTHORISE && f.s.chosen == 2 && f.s.docs[0].authorised,
	      "then the next ticked one's PIN");
	act(ACT_BACK, 0);
	CHECK(f.state == FLOW_DOCUMENTS && f.s.docs[0].authorised && f.s.docs[2].ticked,
	      "back to the list: the marks stay");
	qr_doc("doc-1", "111112");
	CHECK(f.state == FLOW_DOCUMENTS && has_fx(FX_BELL), "an authorised one's QR again");
	act(ACT_PRINT_TICKED, 0);
	CHECK(f.state == FLOW_AUTHORISE && f.s.chosen == 2, "the authorised one is skipped");
	qr_doc("doc-3", "222222"); /* its print QR stands in for the PIN */
	e = get_fx(FX_AUTHORISE_PRINT);
	CHECK(e && strcmp(e->doc_id, "doc-3") == 0 && strcmp(e->pin, "222222") == 0,
	      "the QR authorises the one on screen");
	pin_result(true, -1);
	e = get_fx(FX_PRINT);
	CHECK(f.state == FLOW_PRINTING && f.s.chosen == 0 && e && strcmp(e->doc_id, "doc-1") == 0,
	      "all authorised: the first goes to the printer");
	CHECK(count_fx(FX_PRINT) == 1, "one print at a time");
	print_done();
	e = get_fx(FX_PRINT);
	CHECK(f.state == FLOW_PRINTING && f.s.chosen == 2 && f.s.pages == 2 &&
		  f.s.pages_done == 0 && e && strcmp(e->doc_id, "doc-3") == 0,
	      "then the second, its own pages");
	print_done();
	CHECK(f.state == FLOW_DONE && f.s.n_done == 2 && f.s.sheets == 3 && !f.s.printed_card,
	      "done: two documents, three sheets (%d, %d)", f.s.n_done, f.s.sheets);
	CHECK(f.s.n_docs == 2 && strcmp(f.s.docs[0].id, "doc-2") == 0 &&
		  strcmp(f.s.docs[1].id, "doc-4") == 0 && !f.s.docs[1].ticked,
	      "the printed ones left the list");
	act(ACT_FINISH, 0);
	CHECK(!has_fx(FX_RELEASE_PIN) && session_is_zero(), "printed: no PIN to give back");
}

/* One of the run fails, one may have come out: the others still print, and the done
 * screen says which. */
static void test_several_one_fails(void)
{
	to_pin_accepted();
	documents_printable();
	for (int i = 0; i < 4; i++)
		act(ACT_TICK_DOC, i);
	act(ACT_PRINT_TICKED, 0);
	for (int i = 0; i < 4; i++) {
		type("123456");
		act(ACT_CONFIRM, 0);
		pin_result(true, -1);
	}
	CHECK(f.state == FLOW_PRINTING && f.s.chosen == 0, "four authorised, printing");
	print_failed(0);
	CHECK(f.state == FLOW_PRINTING && f.s.chosen == 1, "a failure: the next one prints");
	print_done();
	print_failed(1);
	CHECK(f.state == FLOW_PRINTING && f.s.chosen == 3, "an uncertain one: the next one too");
	print_done();
	CHECK(f.state == FLOW_DONE && f.s.n_done == 4 && f.s.printed_card && f.s.sheets == 3,
	      "done with what came out: a card and three sheets");
	CHECK(f.s.done[0].outcome == OUT_FAILED && f.s.done[1].outcome == OUT_PRINTED &&
		  f.s.done[2].outcome == OUT_UNCERTAIN && f.s.done[3].outcome == OUT_PRINTED,
	      "each one's outcome");
	CHECK(f.s.n_docs == 1 && strcmp(f.s.docs[0].id, "doc-1") == 0 && !f.s.docs[0].authorised,
	      "only the failed one stays, to print again");
	act(ACT_BACK, 0);
	CHECK(f.state == FLOW_DOCUMENTS, "print another");

	/* all of them fail: the error screen, back to the list */
	to_pin_accepted();
	documents_printable();
	act(ACT_TICK_DOC, 0);
	act(ACT_TICK_DOC, 2);
	act(ACT_PRINT_TICKED, 0);
	for (int i = 0; i < 2; i++) {
		type("123456");
		act(ACT_CONFIRM, 0);
		pin_result(true, -1);
	}
	print_failed(0);
	print_failed(0);
	CHECK(f.state == FLOW_ERROR && f.error == ERR_PRINT_FAILED && f.s.n_docs == 4,
	      "nothing came out: an error, every document kept");
}

/* Authorised, then not printed: each spent PIN goes back, however the visit ends. */
static void test_held_pins_released(void)
{
	to_pin_accepted();
	documents_printable();
	act(ACT_TICK_DOC, 0);
	act(ACT_TICK_DOC, 2);
	act(ACT_TICK_DOC, 3);
	act(ACT_PRINT_TICKED, 0);
	type("123456");
	act(ACT_CONFIRM, 0);
	pin_result(true, -1);
	type("123456");
	act(ACT_CONFIRM, 0);
	pin_result(true, -1);
	CHECK(f.state == FLOW_AUTHORISE && f.s.chosen == 3, "two authorised, the third's PIN");
	act(ACT_BACK, 0);
	act(ACT_TICK_DOC, 2);
	const struct flow_effect *e = get_fx(FX_RELEASE_PIN);
	CHECK(e && strcmp(e->doc_id, "doc-3") == 0 && !f.s.docs[2].authorised,
	      "unticking an authorised one gives its PIN back");
	tick_at(flow_deadline(&f));
	e = get_fx(FX_RELEASE_PIN);
	CHECK(f.state == FLOW_ATTRACT && count_fx(FX_RELEASE_PIN) == 1 && e &&
		  strcmp(e->doc_id, "doc-1") == 0 && has_fx(FX_WIPE_SESSION),
	      "the visit timed out: the other's PIN back, then the wipe");
}

/*
 * The target of issue 13: attract to paper in at most 4 taps besides the PINs for one
 * document, at most 2 more per extra document (docs/flow.md counts them). A tap here is
 * any touch but the PIN keypad's digits and its OK.
 */
static int taps;

static void tap(enum flow_action a, int arg)
{
	taps++;
	act(a, arg);
}

static void pin_typed(bool print_pin)
{
	type("123456");
	act(ACT_CONFIRM, 0);
	pin_result(true, print_pin ? -1 : 3);
}

static int taps_to_paper(int n_docs, bool by_qr_login)
{
	start();
	taps = 0;
	if (by_qr_login) {
		tap(ACT_START_QR, 0);
		struct flow_event q = flow_ev(EV_QR_NIK, 0);
		strcpy(q.nik, NIK_OK_F);
		ev(q);
	} else {
		ev(flow_ev(EV_CARD_PRESENT, 0)); /* laid, not tapped */
		struct flow_event id = flow_ev(EV_CARD_IDENTITY, 0);
		strcpy(id.nik, NIK_OK_F);
		ev(id);
	}
	holder_ok();
	pin_typed(false);
	documents_printable();
	for (int i = 0; i < n_docs; i++)
		tap(ACT_TICK_DOC, i);
	tap(ACT_PRINT_TICKED, 0);
	for (int i = 0; i < n_docs; i++)
		pin_typed(true);
	for (int i = 0; i < n_docs; i++)
		print_done();
	return f.state == FLOW_DONE && f.s.n_done == n_docs ? taps : -1;
}

static void test_taps_to_paper(void)
{
	int one = taps_to_paper(1, false), two = taps_to_paper(2, false);
	int four = taps_to_paper(4, false), qr = taps_to_paper(1, true);
	CHECK(one > 0 && one <= 4, "one document by card: %d taps (at most 4)", one);
	CHECK(qr > 0 && qr <= 4, "one document by QR login: %d taps (at most 4)", qr);
	CHECK(two > 0 && two - one <= 2, "a second document: %d taps more (at most 2)", two - one);
	CHECK(four > 0 && four - one <= 2 * 3, "four documents: %d taps more (at most 6)",
	      four - one);
}

/* Help: a panel over any citizen screen that leaves the step as it was; "call staff" sets
 * the flag the health carries, until the visit ends. */
static void test_help(void)
{
	start();
	act(ACT_START_NIK, 0);
	type("3171");
	int64_t before = flow_deadline(&f);
	now += 5000;
	act(ACT_HELP, 0);
	CHECK(f.help && f.state == FLOW_NIK_ENTRY && f.s.entry_len == 4 &&
		  flow_deadline(&f) == before + 5050,
	      "help opens over the NIK keypad, the digits kept, the touch counts as "
	      "activity");
	act(ACT_DIGIT, 5);
	act(ACT_CANCEL, 0);
	CHECK(f.help && f.state == FLOW_NIK_ENTRY && f.s.entry_len == 4,
	      "under the panel nothing is typed or canceled");
	act(ACT_CALL_STAFF, 0);
	CHECK(f.staff_called && f.help, "call staff sets the flag, the panel stays to say so");
	act(ACT_HELP, 0);
	CHECK(!f.help && f.state == FLOW_NIK_ENTRY && f.s.entry_len == 4 &&
		  strcmp(f.s.entry, "3171") == 0 && f.staff_called,
	      "close returns to the step unchanged, the call still stands");
	act(ACT_CALL_STAFF, 0);
	type("015708900003");
	act(ACT_CONFIRM, 0);
	CHECK(f.state == FLOW_READING && f.s.nik[0], "the visit goes on");
	holder_ok();
	act(ACT_HELP, 0);
	pin_result(false, 2);
	CHECK(f.help && f.state == FLOW_VERIFY, "an answer to nothing asked leaves it open");
	ev(flow_ev(EV_TECH_ENTER, now));
	CHECK(!f.help && f.state == FLOW_TECHNICIAN, "a new step closes the panel");
	act(ACT_HELP, 0);
	CHECK(!f.help, "technicians have no help panel");
	ev(flow_ev(EV_TECH_EXIT, now));
	CHECK(f.state == FLOW_ATTRACT && !f.staff_called, "the end of the visit ends the call");

	/* on a result screen, and at attract before a visit */
	to_documents();
	act(ACT_HELP, 0);
	act(ACT_CALL_STAFF, 0);
	CHECK(f.staff_called && f.state == FLOW_DOCUMENTS, "called from the documents");
	tick_at(flow_deadline(&f));
	CHECK(f.state == FLOW_ATTRACT && !f.help && !f.staff_called && session_is_zero(),
	      "inactivity ends the visit, the panel and the call");
	act(ACT_CALL_STAFF, 0);
	CHECK(!f.staff_called, "no call without the panel open");
	act(ACT_HELP, 0);
	act(ACT_CALL_STAFF, 0);
	CHECK(f.help && f.staff_called && flow_deadline(&f) == now + T.idle_ms,
	      "at attract: open and called, waiting for someone");
	tick_at(flow_deadline(&f));
	CHECK(!f.help && !f.staff_called && flow_deadline(&f) == 0, "gone when nobody came");
}

/* Random walk: any sequence of events keeps the flow's invariants. */
static void test_random_walk(void)
{
	srand(12345);
	start();
	for (int i = 0; i < 200000; i++) {
		struct flow_event e =
		    flow_ev((enum flow_event_type)(rand() % (EV_TECH_EXIT + 1)), 0);
		now += rand() % 3000;
		e.action = (enum flow_action)(rand() % ACT_COUNT);
		e.arg = rand() % 14 - 2;
		e.ok = rand() % 2;
		e.tries_left = rand() % 4;
		e.error = (enum flow_error)(rand() % ERR_COUNT);
		e.service = (unsigned)(rand() % 3 == 0 ? rand() % 16 : 0);
		e.n_docs = rand() % 20 - 2;
		memcpy(e.docs, docs, sizeof(docs));
		if (e.n_docs > 3)
			e.n_docs = 3;
		strcpy(e.nik, rand() % 2 ? NIK_OK_F : "0000000000000000");
		e.pages = rand() % 5;
		e.pages_done = rand() % 5;
		ev(e);
		if ((unsigned)f.state >= FLOW_STATE_COUNT || f.s.entry_len < 0 ||
		    f.s.entry_len > FLOW_NIK_LEN || f.s.n_docs < 0 || f.s.n_docs > FLOW_MAX_DOCS ||
		    (f.state == FLOW_ATTRACT && !session_is_zero()) ||
		    (f.accessible && (f.state == FLOW_TECHNICIAN || f.state == FLOW_TECH_PIN)) ||
		    (f.help && (f.state == FLOW_TECHNICIAN || f.state == FLOW_TECH_PIN)) ||
		    (f.accessible && !flow_is_citizen_state(f.state) && flow_deadline(&f) == 0) ||
		    (f.state == FLOW_PRINTING && (f.s.chosen < 0 || f.s.chosen >= f.s.n_docs)) ||
		    (flow_is_citizen_state(f.state) && f.state != FLOW_PRINTING &&
		     flow_deadline(&f) == 0)) {
			CHECK(false, "invariant broken at step %d in %s", i,
			      flow_state_name(f.state));
			return;
		}
	}
	CHECK(true, "random walk");
}

int main(void)
{
	test_nik_path();
	test_pin_wrong_then_locked();
	test_print_path();
	test_print_failed();
	test_print_uncertain();
	test_print_fault_shown();
	test_document_qr();
	test_nothing_ready();
	test_downloading_document();
	test_document_pages();
	test_inactivity_countdown();
	test_result_screen_holds();
	test_every_citizen_state_times_out();
	test_card();
	test_qr_and_unknown();
	test_service();
	test_technician_card();
	test_technician_and_stale_events();
	test_lock_minutes();
	test_printed_what();
	test_accessible_mode();
	test_volume();
	test_several_documents();
	test_several_one_fails();
	test_held_pins_released();
	test_taps_to_paper();
	test_help();
	test_random_walk();
	return check_done();
}
