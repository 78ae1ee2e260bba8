/*
 * The citizen flow (see flow.h). Pure: the only inputs are the flow and the event, the
 * only outputs the new flow and the effects. Deadlines are absolute monotonic times,
 * compared with the time each event carries.
 */
#include "flow.h"

#include "nik.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char *const state_names[FLOW_STATE_COUNT] = {
	[FLOW_ATTRACT] = "attract",
	[FLOW_READING] = "reading",
	[FLOW_NIK_ENTRY] = "nik-entry",
	[FLOW_QR_WAIT] = "qr-wait",
	[FLOW_VERIFY] = "verify",
	[FLOW_DOCUMENTS] = "documents",
	[FLOW_AUTHORISE] = "authorise",
	[FLOW_PRINTING] = "printing",
	[FLOW_DONE] = "done",
	[FLOW_NOTHING_READY] = "nothing-ready",
	[FLOW_ERROR] = "error",
	[FLOW_OUT_OF_SERVICE] = "out-of-service",
	[FLOW_TECHNICIAN] = "technician",
	[FLOW_TECH_PIN] = "technician-pin",
};

static const char *const action_names[ACT_COUNT] = {
	[ACT_NONE] = "none",
	[ACT_START_NIK] = "start-nik",
	[ACT_START_QR] = "start-qr",
	[ACT_CARD_HINT] = "card-hint",
	[ACT_DIGIT] = "digit",
	[ACT_ERASE] = "erase",
	[ACT_CONFIRM] = "confirm",
	[ACT_CANCEL] = "cancel",
	[ACT_BACK] = "back",
	[ACT_SELECT_DOC] = "select-doc",
	[ACT_CONTINUE] = "continue",
	[ACT_FINISH] = "finish",
	[ACT_REFILL] = "refill",
	[ACT_MORE_DOCS] = "more-docs",
	[ACT_SETTLE] = "settle",
	[ACT_ACCESSIBLE] = "accessible",
	[ACT_TECH_TAB] = "tech-tab",
	[ACT_TEST_PRINT] = "test-print",
	[ACT_READER_TEST] = "reader-test",
	[ACT_TECH_SERVICE] = "tech-service",
	[ACT_SETTLE_JOB] = "settle-job",
	[ACT_REPEAT] = "repeat",
	[ACT_TICK_DOC] = "tick-doc",
	[ACT_PRINT_TICKED] = "print-ticked",
	[ACT_HELP] = "help",
	[ACT_CALL_STAFF] = "call-staff",
	[ACT_VOLUME] = "volume",
};

static const char *const error_names[ERR_COUNT] = {
	[ERR_NONE] = "none",
	[ERR_CARD_FOREIGN] = "card-foreign",
	[ERR_CARD_UNREADABLE] = "card-unreadable",
	[ERR_CARD_REMOVED] = "card-removed",
	[ERR_CARD_TIMEOUT] = "card-timeout",
	[ERR_CARD_MULTIPLE] = "card-multiple",
	[ERR_NIK_INVALID] = "nik-invalid",
	[ERR_QR_INVALID] = "qr-invalid",
	[ERR_QR_OTHER_DOC] = "qr-other-document",
	[ERR_HOLDER_UNKNOWN] = "holder-unknown",
	[ERR_NEEDS_NETWORK] = "needs-network",
	[ERR_PIN_WRONG] = "pin-wrong",
	[ERR_PIN_LOCKED] = "pin-locked",
	[ERR_PRINT_FAILED] = "print-failed",
	[ERR_PRINT_UNCERTAIN] = "print-uncertain",
	[ERR_SERVICE] = "service",
	[ERR_READER_FAILED] = "reader-failed",
};

const char *flow_state_name(enum flow_state s)
{
	return (unsigned)s < FLOW_STATE_COUNT ? state_names[s] : "?";
}

const char *flow_action_name(enum flow_action a)
{
	return (unsigned)a < ACT_COUNT ? action_names[a] : "?";
}

const char *flow_error_name(enum flow_error e)
{
	return (unsigned)e < ERR_COUNT ? error_names[e] : "?";
}

bool flow_is_citizen_state(enum flow_state s)
{
	return s != FLOW_ATTRACT && s != FLOW_OUT_OF_SERVICE && s != FLOW_TECHNICIAN;
}

/* States where the citizen acts; every touch moves their inactivity deadline on. */
static bool is_idle_state(enum flow_state s)
{
	return s == FLOW_NIK_ENTRY || s == FLOW_QR_WAIT || s == FLOW_VERIFY ||
	       s == FLOW_DOCUMENTS || s == FLOW_AUTHORISE || s == FLOW_TECH_PIN;
}

/* A result screen is read in full before its countdown starts: its reading time, then the
 * whole warning (a countdown from the start would cut the reading short). */
static int64_t result_hold(const struct flow *f)
{
	return (int64_t)f->timeouts.result_ms + f->timeouts.warn_ms;
}

/* States whose deadline is a reset to attract, announced by a visible countdown. */
static bool has_countdown(enum flow_state s)
{
	return is_idle_state(s) || s == FLOW_DONE || s == FLOW_NOTHING_READY || s == FLOW_ERROR;
}

struct flow_event flow_ev(enum flow_event_type type, int64_t now_ms)
{
	struct flow_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.now_ms = now_ms;
	return ev;
}

struct flow_event flow_ev_action(enum flow_action a, int arg, int64_t now_ms)
{
	struct flow_event ev = flow_ev(EV_ACTION, now_ms);
	ev.action = a;
	ev.arg = arg;
	return ev;
}

static struct flow_effect *emit(struct flow_effects *fx, enum flow_effect_type type)
{
	if (fx->n >= FLOW_MAX_EFFECTS)
		return NULL; /* cannot happen: no transition emits more than FLOW_MAX_EFFECTS */
	struct flow_effect *e = &fx->fx[fx->n++];
	memset(e, 0, sizeof(*e));
	e->type = type;
	return e;
}

static void wipe_entry(struct flow *f)
{
	sodium_memzero(f->s.entry, sizeof(f->s.entry));
	f->s.entry_len = 0;
}

static void enter(struct flow *f, enum flow_state s)
{
	const struct flow_timeouts *t = &f->timeouts;

	f->state = s;
	f->waiting = false;
	f->hint = false;
	if (s != FLOW_PRINTING)
		f->s.print_fault = false; /* a fault shown while printing ends with it */
	f->help = false;
	wipe_entry(f);
	switch (s) {
	case FLOW_READING:
		f->deadline_ms = f->now_ms + t->read_ms;
		break;
	case FLOW_DONE:
	case FLOW_ERROR:
	case FLOW_NOTHING_READY:
		f->deadline_ms = f->now_ms + result_hold(f);
		break;
	case FLOW_TECHNICIAN:
		f->deadline_ms = f->now_ms + t->technician_ms;
		break;
	default:
		f->deadline_ms = is_idle_state(s) ? f->now_ms + t->idle_ms : 0;
		if ((s == FLOW_ATTRACT || s == FLOW_OUT_OF_SERVICE) && f->accessible)
			f->deadline_ms = f->now_ms + t->idle_ms; /* then it ends (on_deadline) */
		break;
	}
}

/* Documents authorised in this visit that have not gone to a printer: their print PINs
 * were spent when accepted, and go back now (the session is about to end). */
static void release_held(struct flow *f, struct flow_effects *fx)
{
	for (int i = 0; i < f->s.n_docs; i++) {
		const struct flow_doc *d = &f->s.docs[i];
		if (!d->authorised || d->outcome != OUT_NONE)
			continue;
		struct flow_effect *e = emit(fx, FX_RELEASE_PIN);
		if (e)
			memcpy(e->doc_id, d->id, sizeof(e->doc_id));
	}
}

/* The end of every visit: nothing of the citizen survives it. */
static void end_visit(struct flow *f, struct flow_effects *fx)
{
	release_held(f, fx);
	sodium_memzero(&f->s, sizeof(f->s));
	f->error = ERR_NONE;
	f->accessible = false;
	f->staff_called = false;
	f->volume_up = 0;
	/* A card still lying on the reader must be lifted before it starts a new visit. */
	f->card_consumed = f->card_on_reader;
	emit(fx, FX_WIPE_SESSION);
	enter(f, f->service ? FLOW_OUT_OF_SERVICE : FLOW_ATTRACT);
}

static void fail(struct flow *f, enum flow_error e)
{
	f->error = e;
	enter(f, FLOW_ERROR);
}

static void start_identify(struct flow *f, const char *nik, struct flow_effects *fx)
{
	struct flow_effect *e;

	memcpy(f->s.nik, nik, FLOW_NIK_LEN);
	f->s.nik[FLOW_NIK_LEN] = '\0';
	enter(f, FLOW_READING);
	f->waiting = true;
	e = emit(fx, FX_LOOKUP_HOLDER);
	if (e)
		memcpy(e->nik, f->s.nik, sizeof(e->nik));
}

static void start_session_from_card(struct flow *f, struct flow_effects *fx)
{
	if (f->s.nik[0] || f->s.entry_len) {
		release_held(f, fx);
		sodium_memzero(&f->s, sizeof(f->s));
		emit(fx, FX_WIPE_SESSION);
	}
	f->error = ERR_NONE;
	f->s.via_card = true;
	enter(f, FLOW_READING);
}

static bool in_keypad_state(const struct flow *f)
{
	return f->state == FLOW_NIK_ENTRY || f->state == FLOW_VERIFY ||
	       f->state == FLOW_AUTHORISE || f->state == FLOW_TECH_PIN;
}

static int entry_max(const struct flow *f)
{
	return f->state == FLOW_NIK_ENTRY ? FLOW_NIK_LEN : FLOW_PIN_LEN;
}

static void confirm_entry(struct flow *f, struct flow_effects *fx)
{
	struct flow_effect *e;

	if (f->s.entry_len != entry_max(f)) {
		emit(fx, FX_BELL);
		return;
	}
	switch (f->state) {
	case FLOW_NIK_ENTRY:
		f->nik_reason = nik_check(f->s.entry);
		if (f->nik_reason != NIK_OK) {
			f->error = ERR_NIK_INVALID;
			emit(fx, FX_BELL);
			return;
		}
		f->error = ERR_NONE;
		start_identify(f, f->s.entry, fx);
		return;
	case FLOW_VERIFY:
		e = emit(fx, FX_VERIFY_PIN);
		break;
	case FLOW_TECH_PIN:
		e = emit(fx, FX_VERIFY_TECH_PIN);
		break;
	case FLOW_AUTHORISE:
		e = emit(fx, FX_AUTHORISE_PRINT);
		if (e)
			memcpy(e->doc_id, f->s.docs[f->s.chosen].id, sizeof(e->doc_id));
		break;
	default:
		return;
	}
	if (e) {
		memcpy(e->nik, f->s.nik, sizeof(e->nik));
		memcpy(e->pin, f->s.entry, FLOW_PIN_LEN);
		e->pin[FLOW_PIN_LEN] = '\0';
	}
	f->error = ERR_NONE;
	f->waiting = true;
	wipe_entry(f);
}

/* ---- several documents: tick, authorise each, print them one after another ---------- */

static int next_doc(const struct flow *f, bool authorised)
{
	for (int i = 0; i < f->s.n_docs; i++) {
		const struct flow_doc *d = &f->s.docs[i];
		if (authorised ? d->authorised && d->outcome == OUT_NONE
			       : d->ticked && !d->authorised)
			return i;
	}
	return -1;
}

/* The end of a run of prints: what came out is summed up for the done screen; printed and
 * held (uncertain) documents leave the list, the rest stay there, unticked. */
static void finish_prints(struct flow *f)
{
	struct flow_session *s = &f->s;
	int printed = 0, uncertain = 0, kept = 0;

	s->n_done = 0;
	s->sheets = 0;
	s->printed_card = false;
	for (int i = 0; i < s->n_docs; i++) {
		struct flow_doc *d = &s->docs[i];
		if (d->outcome != OUT_NONE) {
			struct flow_done *r = &s->done[s->n_done++];
			memcpy(r->title_id, d->title_id, sizeof(r->title_id));
			memcpy(r->title_en, d->title_en, sizeof(r->title_en));
			r->pages = d->pages;
			r->card = d->card;
			r->outcome = d->outcome;
			printed += d->outcome == OUT_PRINTED;
			uncertain += d->outcome == OUT_UNCERTAIN;
			if (d->outcome == OUT_PRINTED && d->card)
				s->printed_card = true;
			else if (d->outcome == OUT_PRINTED)
				s->sheets += d->pages;
		}
		if (d->outcome == OUT_PRINTED || d->outcome == OUT_UNCERTAIN)
			continue; /* its print PIN is spent */
		d->ticked = d->authorised = false;
		d->outcome = OUT_NONE;
		if (kept != i)
			s->docs[kept] = *d;
		kept++;
	}
	if (kept < s->n_docs)
		sodium_memzero(&s->docs[kept], sizeof(s->docs[0]) * (size_t)(s->n_docs - kept));
	s->n_docs = kept;
	if (s->doc_first >= s->n_docs)
		s->doc_first = 0;
	if (printed > 0) {
		f->error = ERR_NONE;
		enter(f, FLOW_DONE);
	} else {
		/* nothing came out: the printer's message, and (when it failed for sure) the
		 * way back to the list */
		fail(f, uncertain ? ERR_PRINT_UNCERTAIN : ERR_PRINT_FAILED);
	}
}

/* The next authorised document to the printer, or the end of the run. */
static void print_next(struct flow *f, struct flow_effects *fx)
{
	int i = next_doc(f, true);
	if (i < 0) {
		finish_prints(f);
		return;
	}
	f->s.chosen = i;
	f->s.pages_done = 0;
	f->s.pages = f->s.docs[i].pages;
	enter(f, FLOW_PRINTING);
	struct flow_effect *e = emit(fx, FX_PRINT);
	if (e) {
		memcpy(e->nik, f->s.nik, sizeof(e->nik));
		memcpy(e->doc_id, f->s.docs[i].id, sizeof(e->doc_id));
	}
}

/* The PIN screen of document i, or of the next ticked one; none left: they print. */
static void authorise_next(struct flow *f, int i, struct flow_effects *fx)
{
	if (i < 0)
		i = next_doc(f, false);
	if (i < 0) {
		print_next(f, fx);
		return;
	}
	f->s.chosen = i;
	f->s.docs[i].ticked = true;
	f->s.pin_tries_left = FLOW_PIN_TRIES_MAX;
	f->error = ERR_NONE;
	enter(f, FLOW_AUTHORISE);
}

static void tick_doc(struct flow *f, int i, struct flow_effects *fx)
{
	struct flow_doc *d = &f->s.docs[i];
	if (!d->printable && !d->ticked)
		return;
	d->ticked = !d->ticked;
	if (!d->ticked && d->authorised) {
		/* authorised, then unticked: its PIN back at once */
		struct flow_effect *e = emit(fx, FX_RELEASE_PIN);
		if (e)
			memcpy(e->doc_id, d->id, sizeof(e->doc_id));
		d->authorised = false;
	}
}

/* The accessible mode's button: on every screen a citizen sees, at any moment of it. */
static void toggle_accessible(struct flow *f)
{
	if (f->state == FLOW_TECHNICIAN || f->state == FLOW_TECH_PIN)
		return;
	f->accessible = !f->accessible;
	/* before a visit: it ends, like the hint, when nobody follows it up */
	if (f->state == FLOW_ATTRACT || f->state == FLOW_OUT_OF_SERVICE)
		f->deadline_ms = f->accessible ? f->now_ms + f->timeouts.idle_ms
				 : f->hint     ? f->deadline_ms
					       : 0;
}

/* ---- technician mode ---- */

static void enter_technician(struct flow *f)
{
	memset(&f->tech, 0, sizeof(f->tech));
	f->tech.test_media = -1;
	enter(f, FLOW_TECHNICIAN);
}

/* The audit says how the mode ended: the exit button, or nobody there any more. */
static void leave_technician(struct flow *f, struct flow_effects *fx, bool inactivity)
{
	struct flow_effect *e = emit(fx, FX_TECH_LEFT);
	if (e)
		e->arg = inactivity;
	memset(&f->tech, 0, sizeof(f->tech));
	end_visit(f, fx);
}

static void tech_effect(struct flow_effects *fx, enum flow_effect_type type, int arg)
{
	struct flow_effect *e = emit(fx, type);
	if (e)
		e->arg = arg;
}

static void on_tech_action(struct flow *f, const struct flow_event *ev, struct flow_effects *fx)
{
	struct flow_tech *t = &f->tech;
	int a = ev->arg;

	switch (ev->action) {
	case ACT_TECH_TAB:
		if (a >= 0 && a < TECH_TAB_COUNT)
			t->tab = (enum flow_tech_tab)a;
		return;
	case ACT_REFILL:
		if (a == 0 || a == 1)
			tech_effect(fx, FX_REFILL, a);
		return;
	case ACT_SETTLE:
		if (a >= 0 && a <= 3)
			tech_effect(fx, FX_SETTLE, a);
		return;
	case ACT_SETTLE_JOB:
		if (a >= 0)
			tech_effect(fx, FX_SETTLE_JOB, a);
		return;
	case ACT_TEST_PRINT:
		/* one test page at a time, followed to its end (EV_TEST_PRINT) */
		if ((a == 0 || a == 1) && !t->test_running) {
			t->test_media = a;
			t->test_running = true;
			t->test_ok = false;
			t->test_result[0] = '\0';
			tech_effect(fx, FX_TEST_PRINT, a);
		}
		return;
	case ACT_READER_TEST:
		if (!t->reader_waiting) {
			t->reader_waiting = true;
			t->reader_done = false;
			tech_effect(fx, FX_READER_TEST, 0);
		}
		return;
	case ACT_TECH_SERVICE: {
		if (a < 0 || a > 2)
			return;
		bool off =
		    a == 2 ? (f->service & SVC_MAINTENANCE) != 0 : (f->queues_off & (1u << a)) != 0;
		struct flow_effect *e = emit(fx, FX_TECH_SERVICE);
		if (e) {
			e->arg = a;
			e->pin[0] = off ? '1' : '\0'; /* it is out: back in service */
		}
		return;
	}
	default:
		return;
	}
}

static void on_test_print(struct flow *f, const struct flow_event *ev)
{
	struct flow_tech *t = &f->tech;
	if (f->state != FLOW_TECHNICIAN || !t->test_running)
		return;
	t->test_running = false;
	t->test_ok = ev->ok;
	memcpy(t->test_result, ev->message, sizeof(t->test_result));
	t->test_result[sizeof(t->test_result) - 1] = '\0';
}

static void on_reader_test(struct flow *f, const struct flow_event *ev)
{
	struct flow_tech *t = &f->tech;
	if (f->state != FLOW_TECHNICIAN || !t->reader_waiting)
		return;
	t->reader_waiting = false;
	t->reader_done = true;
	t->reader_card = ev->ok;
	t->reader_type_b = ev->arg == 1;
	t->reader_error = ev->error;
	memset(t->reader_uid, 0, sizeof(t->reader_uid));
	if (ev->ok) /* a UID is at most 10 bytes: 20 hex digits */
		memcpy(t->reader_uid, ev->doc_id, sizeof(t->reader_uid) - 1);
}

static void on_queue_service(struct flow *f, const struct flow_event *ev)
{
	if (ev->arg != 0 && ev->arg != 1)
		return;
	unsigned bit = 1u << ev->arg;
	char *m = f->queue_message[ev->arg];
	memcpy(m, ev->message, sizeof(f->queue_message[0]));
	m[sizeof(f->queue_message[0]) - 1] = '\0';
	f->queues_off = m[0] ? f->queues_off | bit : f->queues_off & ~bit;
}

/* The help panel's touches, on every citizen screen like the accessible mode's button. */
static void help(struct flow *f, enum flow_action a)
{
	if (f->state == FLOW_TECHNICIAN || f->state == FLOW_TECH_PIN)
		return;
	if (a == ACT_HELP)
		f->help = !f->help;
	else if (f->help)
		f->staff_called = true;
	/* before a visit: it ends, like the hint, when nobody follows it up (on_deadline) */
	if ((f->state == FLOW_ATTRACT || f->state == FLOW_OUT_OF_SERVICE) &&
	    f->deadline_ms < f->now_ms + f->timeouts.idle_ms)
		f->deadline_ms = f->now_ms + f->timeouts.idle_ms;
}

/* The volume button, on every citizen screen (also under the help panel): the next
 * level, after the loudest the quietest. The shell plays it (app.c). */
static void step_volume(struct flow *f)
{
	if (f->state == FLOW_TECHNICIAN || f->state == FLOW_TECH_PIN)
		return;
	f->volume_up = (f->volume_up + 1) % FLOW_VOLUME_LEVELS;
	/* before a visit: it ends, like the hint, when nobody follows it up (on_deadline) */
	if ((f->state == FLOW_ATTRACT || f->state == FLOW_OUT_OF_SERVICE) &&
	    f->deadline_ms < f->now_ms + f->timeouts.idle_ms)
		f->deadline_ms = f->now_ms + f->timeouts.idle_ms;
}

int flow_volume_level(const struct flow *f)
{
	return (FLOW_VOLUME_DEFAULT + f->volume_up) % FLOW_VOLUME_LEVELS;
}

static void on_action(struct flow *f, const struct flow_event *ev, struct flow_effects *fx)
{
	bool panel = ev->action == ACT_HELP || ev->action == ACT_CALL_STAFF;
	if (ev->action == ACT_ACCESSIBLE)
		toggle_accessible(f);
	if (ev->action == ACT_VOLUME)
		step_volume(f);
	if (panel)
		help(f, ev->action);

	/* Any touch proves someone is there: one touch ends a countdown, also on a result
	 * screen, whose reading time then starts again (never shortened). */
	if (is_idle_state(f->state))
		f->deadline_ms = f->now_ms + f->timeouts.idle_ms;
	else if (has_countdown(f->state) && f->deadline_ms < f->now_ms + result_hold(f))
		f->deadline_ms = f->now_ms + result_hold(f);
	/* the panel covers the step: nothing under it is touched (a key typed neither) */
	if (panel || f->help)
		return;

	switch (f->state) {
	case FLOW_ATTRACT:
		if (ev->action == ACT_START_NIK)
			enter(f, FLOW_NIK_ENTRY);
		else if (ev->action == ACT_START_QR)
			enter(f, FLOW_QR_WAIT);
		else if (ev->action == ACT_CARD_HINT) {
			f->hint = true;
			if (f->deadline_ms < f->now_ms + f->timeouts.result_ms)
				f->deadline_ms = f->now_ms + f->timeouts.result_ms;
		}
		return;
	case FLOW_OUT_OF_SERVICE:
	case FLOW_READING:
	case FLOW_PRINTING:
		return; /* nothing a citizen can do here but wait */
	case FLOW_TECHNICIAN:
		f->deadline_ms = f->now_ms + f->timeouts.technician_ms;
		if (ev->action == ACT_FINISH || ev->action == ACT_CANCEL)
			leave_technician(f, fx, false);
		else
			on_tech_action(f, ev, fx);
		return;
	default:
		break;
	}

	if (ev->action == ACT_CANCEL || ev->action == ACT_FINISH) {
		end_visit(f, fx);
		return;
	}

	if (in_keypad_state(f) && !f->waiting) {
		switch (ev->action) {
		case ACT_DIGIT:
			if (ev->arg < 0 || ev->arg > 9 || f->s.entry_len >= entry_max(f)) {
				emit(fx, FX_BELL);
				return;
			}
			f->s.entry[f->s.entry_len++] = (char)('0' + ev->arg);
			f->s.entry[f->s.entry_len] = '\0';
			if (f->state == FLOW_NIK_ENTRY)
				f->error = ERR_NONE;
			return;
		case ACT_ERASE:
			if (f->s.entry_len > 0)
				f->s.entry[--f->s.entry_len] = '\0';
			return;
		case ACT_CONFIRM:
			confirm_entry(f, fx);
			return;
		default:
			break;
		}
	}

	switch (f->state) {
	case FLOW_AUTHORISE:
		if (ev->action == ACT_BACK && !f->waiting) {
			enter(f, FLOW_DOCUMENTS);
			f->error = ERR_NONE;
		}
		return;
	case FLOW_DOCUMENTS: {
		bool in_list = ev->arg >= 0 && ev->arg < f->s.n_docs;
		if (ev->action == ACT_MORE_DOCS && in_list)
			f->s.doc_first = ev->arg;
		if (ev->action == ACT_TICK_DOC && in_list)
			tick_doc(f, ev->arg, fx);
		/* "print N selected": the ticked ones' PINs in turn (the authorised skipped) */
		if (ev->action == ACT_PRINT_TICKED &&
		    (next_doc(f, false) >= 0 || next_doc(f, true) >= 0))
			authorise_next(f, -1, fx);
		/* one document at once (a keyboard's digit): its PIN first */
		if (ev->action == ACT_SELECT_DOC && in_list && f->s.docs[ev->arg].printable &&
		    !f->s.docs[ev->arg].authorised)
			authorise_next(f, ev->arg, fx);
		return;
	}
	case FLOW_NOTHING_READY:
		/* more lines than fit (large text): the screen's next page, from line arg */
		if (ev->action == ACT_MORE_DOCS && ev->arg >= 0 && ev->arg < FLOW_NOTHING_LINES)
			f->s.doc_first = ev->arg;
		return;
	case FLOW_DONE:
		if (ev->action == ACT_BACK && f->s.n_docs > 0)
			enter(f, FLOW_DOCUMENTS);
		return;
	case FLOW_ERROR:
		if (ev->action == ACT_BACK && f->s.n_docs > 0 && f->error == ERR_PRINT_FAILED) {
			f->error = ERR_NONE;
			enter(f, FLOW_DOCUMENTS);
		}
		return;
	default:
		return;
	}
}

static void on_pin_result(struct flow *f, const struct flow_event *ev, struct flow_effects *fx)
{
	struct flow_effect *e;

	if (!f->waiting ||
	    (f->state != FLOW_VERIFY && f->state != FLOW_AUTHORISE && f->state != FLOW_TECH_PIN))
		return;
	f->waiting = false;
	if (ev->ok) {
		f->error = ERR_NONE;
		if (f->state == FLOW_TECH_PIN) {
			enter_technician(f);
		} else if (f->state == FLOW_VERIFY) {
			f->waiting = true;
			e = emit(fx, FX_LOAD_DOCUMENTS);
			if (e)
				memcpy(e->nik, f->s.nik, sizeof(e->nik));
		} else {
			f->s.docs[f->s.chosen].authorised = true;
			authorise_next(f, -1, fx);
		}
		return;
	}
	emit(fx, FX_BELL);
	f->s.pin_tries_left = ev->tries_left;
	/* The verifier could not check at all: say so, not "wrong PIN". */
	if (ev->error != ERR_NONE && ev->error != ERR_PIN_WRONG && ev->error != ERR_PIN_LOCKED) {
		fail(f, ev->error);
		return;
	}
	/* tries_left < 0: the verifier does not count (one-time print PINs). */
	if (ev->error == ERR_PIN_LOCKED || ev->tries_left == 0) {
		f->s.lock_minutes = ev->error == ERR_PIN_LOCKED && ev->arg > 0 ? ev->arg : 0;
		fail(f, ERR_PIN_LOCKED);
		return;
	}
	f->error = ERR_PIN_WRONG;
}

/* A document's print QR stands in for its print PIN: on the list it picks the document
 * and authorises it at once; on the PIN screen it must be the chosen document's. */
static void on_qr_doc(struct flow *f, const struct flow_event *ev, struct flow_effects *fx)
{
	int i;

	if ((f->state != FLOW_DOCUMENTS && f->state != FLOW_AUTHORISE) || f->waiting)
		return;
	for (i = 0; i < f->s.n_docs; i++)
		if (strcmp(f->s.docs[i].id, ev->doc_id) == 0)
			break;
	if (i == f->s.n_docs || !f->s.docs[i].printable || f->s.docs[i].authorised ||
	    (f->state == FLOW_AUTHORISE && i != f->s.chosen)) {
		if (f->state == FLOW_AUTHORISE)
			f->error = ERR_QR_OTHER_DOC;
		emit(fx, FX_BELL);
		return;
	}
	if (f->state == FLOW_DOCUMENTS)
		authorise_next(f, i, fx);
	struct flow_effect *e = emit(fx, FX_AUTHORISE_PRINT);
	if (e) {
		memcpy(e->nik, f->s.nik, sizeof(e->nik));
		memcpy(e->doc_id, f->s.docs[i].id, sizeof(e->doc_id));
		memcpy(e->pin, ev->pin, sizeof(e->pin));
		e->pin[FLOW_PIN_LEN] = '\0';
	}
	f->error = ERR_NONE;
	f->waiting = true;
	f->deadline_ms = f->now_ms + f->timeouts.idle_ms;
}

/* A document listed before its file arrived (a citizen fetched on demand) is shown as
 * downloading; the list is read again every FLOW_REFRESH_MS until every file is here. */
static void refresh_documents(struct flow *f, struct flow_effects *fx)
{
	struct flow_effect *e = emit(fx, FX_LOAD_DOCUMENTS);
	if (e)
		memcpy(e->nik, f->s.nik, sizeof(e->nik));
	f->s.refresh_ms = f->now_ms + FLOW_REFRESH_MS;
}

static void on_documents(struct flow *f, const struct flow_event *ev)
{
	int n = ev->n_docs;
	bool first = f->state == FLOW_VERIFY && f->waiting;

	/* the answer to the PIN, or a re-read of the list while files download */
	if (!first && !(f->state == FLOW_DOCUMENTS && !f->waiting && f->s.refresh_ms && n > 0))
		return;
	if (n > FLOW_MAX_DOCS)
		n = FLOW_MAX_DOCS;
	if (n < 0)
		n = 0;
	f->s.refresh_ms = 0;
	struct flow_doc old[FLOW_MAX_DOCS];
	int n_old = first ? 0 : f->s.n_docs;
	memcpy(old, f->s.docs, sizeof(old));
	for (int i = 0; i < n; i++) {
		struct flow_doc *d = &f->s.docs[i];
		*d = ev->docs[i];
		d->ticked = d->authorised = false;
		d->outcome = OUT_NONE;
		for (int k = 0; k < n_old; k++)
			if (strcmp(old[k].id, d->id) == 0) {
				/* a tick or a spent PIN outlives the re-read */
				d->ticked = old[k].ticked && (d->printable || old[k].authorised);
				d->authorised = old[k].authorised;
			}
		if (d->downloading)
			f->s.refresh_ms = f->now_ms + FLOW_REFRESH_MS;
	}
	sodium_memzero(old, sizeof(old));
	f->s.n_docs = n;
	if (first || f->s.doc_first >= n)
		f->s.doc_first = 0;
	f->s.in_progress = ev->in_progress;
	f->s.n_expired = ev->n_expired < 0		 ? 0
			 : ev->n_expired > FLOW_MAX_APPS ? FLOW_MAX_APPS
							 : ev->n_expired;
	f->s.held = ev->held;
	for (int i = 0; i < FLOW_MAX_APPS; i++) { /* codes only: cut, never trusted whole */
		f->s.apps[i] = ev->apps[i];
		f->s.apps[i].type[sizeof(f->s.apps[i].type) - 1] = '\0';
		f->s.apps[i].stage[sizeof(f->s.apps[i].stage) - 1] = '\0';
		f->s.expired[i] = ev->expired[i];
		f->s.expired[i].type[sizeof(f->s.expired[i].type) - 1] = '\0';
	}
	if (first)
		enter(f, n > 0 ? FLOW_DOCUMENTS : FLOW_NOTHING_READY);
}

/* The printer's words, in both languages, for the printing or the error screen. */
static void printer_says(struct flow *f, const struct flow_event *ev)
{
	memcpy(f->s.message, ev->message, sizeof(f->s.message));
	f->s.message[sizeof(f->s.message) - 1] = '\0';
	memcpy(f->s.message_en, ev->message_en, sizeof(f->s.message_en));
	f->s.message_en[sizeof(f->s.message_en) - 1] = '\0';
}

/* A fault while printing is shown the moment the printer reports it, and gone when it
 * clears: the job waits in the printer meanwhile (the stall timeout decides its end). */
static void print_fault(struct flow *f, const struct flow_event *ev)
{
	f->s.print_fault = ev->arg == 1;
	if (f->s.print_fault)
		printer_says(f, ev);
}

static void on_deadline(struct flow *f, struct flow_effects *fx)
{
	switch (f->state) {
	case FLOW_ATTRACT:
	case FLOW_OUT_OF_SERVICE:
		f->hint = false;
		f->accessible = false;
		f->help = f->staff_called = false;
		f->volume_up = 0;
		f->deadline_ms = 0;
		return;
	case FLOW_READING:
		if (f->s.via_card && !f->waiting) {
			fail(f, ERR_CARD_TIMEOUT);
			return;
		}
		/* An answer from the cache or the network that never came. */
		fail(f, ERR_SERVICE);
		return;
	case FLOW_PRINTING:
		return;
	case FLOW_TECHNICIAN:
		leave_technician(f, fx, true);
		return;
	default:
		end_visit(f, fx);
		return;
	}
}

static void on_tick(struct flow *f, struct flow_effects *fx)
{
	if (f->deadline_ms && f->now_ms >= f->deadline_ms)
		on_deadline(f, fx);
	else if (f->state == FLOW_DOCUMENTS && !f->waiting && f->s.refresh_ms &&
		 f->now_ms >= f->s.refresh_ms)
		refresh_documents(f, fx);
}

void flow_init(struct flow *f, const struct flow_timeouts *t, int64_t now_ms)
{
	memset(f, 0, sizeof(*f));
	f->timeouts = *t;
	f->now_ms = now_ms;
	enter(f, FLOW_ATTRACT);
}

void flow_step(struct flow *f, const struct flow_event *ev, struct flow_effects *fx)
{
	fx->n = 0;
	if (ev->now_ms > f->now_ms)
		f->now_ms = ev->now_ms;

	switch (ev->type) {
	case EV_TICK:
		on_tick(f, fx);
		return;
	case EV_ACTION:
		on_action(f, ev, fx);
		return;
	case EV_CARD_PRESENT:
		if (f->card_on_reader && f->card_consumed)
			return;
		f->card_on_reader = true;
		f->card_consumed = false;
		if (f->state == FLOW_ATTRACT || f->state == FLOW_NIK_ENTRY ||
		    f->state == FLOW_QR_WAIT ||
		    (f->state == FLOW_ERROR && f->error != ERR_PRINT_FAILED &&
		     f->error != ERR_PRINT_UNCERTAIN))
			start_session_from_card(f, fx);
		return;
	case EV_CARD_REMOVED:
		f->card_on_reader = false;
		f->card_consumed = false;
		if (f->state == FLOW_READING && f->s.via_card && !f->waiting)
			fail(f, ERR_CARD_REMOVED);
		return;
	case EV_CARD_IDENTITY:
		if (f->state != FLOW_READING || f->waiting)
			return;
		f->card_consumed = true;
		memcpy(f->s.name, ev->name, sizeof(f->s.name));
		f->s.name[sizeof(f->s.name) - 1] = '\0';
		start_identify(f, ev->nik, fx);
		f->s.via_card = true;
		return;
	case EV_CARD_FAILED:
		if (f->state == FLOW_READING && !f->waiting)
			fail(f, ev->error != ERR_NONE ? ev->error : ERR_CARD_UNREADABLE);
		return;
	case EV_QR_NIK:
		if (f->state != FLOW_ATTRACT && f->state != FLOW_QR_WAIT)
			return;
		f->nik_reason = nik_check(ev->nik);
		if (f->nik_reason != NIK_OK) {
			fail(f, ERR_NIK_INVALID);
			return;
		}
		start_identify(f, ev->nik, fx);
		return;
	case EV_QR_DOC:
		on_qr_doc(f, ev, fx);
		return;
	case EV_QR_INVALID:
		if (f->state == FLOW_ATTRACT || f->state == FLOW_QR_WAIT)
			fail(f, ERR_QR_INVALID);
		return;
	case EV_HOLDER:
		if (f->state != FLOW_READING || !f->waiting)
			return;
		if (ev->error != ERR_NONE) {
			if (ev->error == ERR_PIN_LOCKED && ev->arg > 0)
				f->s.lock_minutes = ev->arg;
			fail(f, ev->error);
			return;
		}
		if (ev->name[0]) {
			memcpy(f->s.name, ev->name, sizeof(f->s.name));
			f->s.name[sizeof(f->s.name) - 1] = '\0';
		}
		f->s.pin_tries_left = ev->tries_left > 0 ? ev->tries_left : FLOW_PIN_TRIES_MAX;
		enter(f, FLOW_VERIFY);
		return;
	case EV_PIN_RESULT:
		on_pin_result(f, ev, fx);
		return;
	case EV_DOCUMENTS:
		on_documents(f, ev);
		return;
	case EV_PRINT_PROGRESS:
		if (f->state == FLOW_PRINTING) {
			f->s.pages_done = ev->pages_done;
			if (ev->pages > 0)
				f->s.pages = ev->pages;
			print_fault(f, ev);
		}
		return;
	case EV_PRINT_DONE:
		if (f->state != FLOW_PRINTING)
			return;
		f->s.pages_done = f->s.pages;
		f->s.docs[f->s.chosen].outcome = OUT_PRINTED;
		print_next(f, fx);
		return;
	case EV_PRINT_FAILED:
		if (f->state != FLOW_PRINTING)
			return;
		printer_says(f, ev);
		/* An uncertain print is not printable until a technician has looked; the
		 * others of the run still print. */
		f->s.docs[f->s.chosen].outcome = ev->arg == 1 ? OUT_UNCERTAIN : OUT_FAILED;
		print_next(f, fx);
		return;
	case EV_SERVICE:
		f->service = ev->service;
		if (f->service && f->state == FLOW_ATTRACT)
			enter(f, FLOW_OUT_OF_SERVICE);
		else if (!f->service && f->state == FLOW_OUT_OF_SERVICE)
			enter(f, FLOW_ATTRACT);
		return;
	case EV_PRINTERS:
		f->printers_down = (unsigned)ev->arg;
		return;
	case EV_SERVICE_MESSAGE:
		memcpy(f->service_message, ev->message, sizeof(f->service_message));
		f->service_message[sizeof(f->service_message) - 1] = '\0';
		return;
	case EV_TECH_CARD:
		/* The card stays on the reader: it must not start a citizen's visit. */
		f->card_on_reader = true;
		f->card_consumed = true;
		if (f->state != FLOW_ATTRACT && f->state != FLOW_OUT_OF_SERVICE)
			return;
		f->error = ERR_NONE;
		f->s.pin_tries_left = FLOW_PIN_TRIES_MAX;
		f->accessible = false; /* technician screens have one look */
		f->volume_up = 0;
		enter(f, FLOW_TECH_PIN);
		return;
	case EV_TECH_ENTER:
		if (f->state == FLOW_PRINTING)
			return;
		if (f->state != FLOW_ATTRACT && f->state != FLOW_OUT_OF_SERVICE) {
			release_held(f, fx);
			sodium_memzero(&f->s, sizeof(f->s));
			emit(fx, FX_WIPE_SESSION);
		}
		f->error = ERR_NONE;
		f->accessible = false;
		f->volume_up = 0;
		enter_technician(f);
		return;
	case EV_TECH_EXIT:
		if (f->state == FLOW_TECHNICIAN)
			leave_technician(f, fx, false);
		return;
	case EV_TEST_PRINT:
		on_test_print(f, ev);
		return;
	case EV_READER_TEST:
		on_reader_test(f, ev);
		return;
	case EV_QUEUE_SERVICE:
		on_queue_service(f, ev);
		return;
	}
}

int64_t flow_deadline(const struct flow *f)
{
	return f->deadline_ms;
}

int flow_countdown_s(const struct flow *f)
{
	if (!has_countdown(f->state) || !f->deadline_ms)
		return 0;
	int64_t left = f->deadline_ms - f->now_ms;
	if (left <= 0 || left > f->timeouts.warn_ms)
		return 0;
	return (int)((left + 999) / 1000);
}
