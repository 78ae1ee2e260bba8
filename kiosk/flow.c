/*
 * The citizen flow (see flow.h). Pure: the only inputs are the flow and the event, the
 * only outputs the new flow and the effects. Deadlines are absolute monotonic times,
 * compared with the time each event carries.
 */
#include "flow.h"

#include "nik.h"

#include <sodium.h>
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
	[ACT_REPEAT] = "repeat",
	[ACT_HELP] = "help",
	[ACT_CALL_STAFF] = "call-staff",
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
	f->help = false;
	wipe_entry(f);
	switch (s) {
	case FLOW_READING:
		f->deadline_ms = f->now_ms + t->read_ms;
		break;
	case FLOW_DONE:
	case FLOW_ERROR:
	case FLOW_NOTHING_READY:
		f->deadline_ms = f->now_ms + t->result_ms;
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

/* The end of every visit: nothing of the citizen survives it. */
static void end_visit(struct flow *f, struct flow_effects *fx)
{
	sodium_memzero(&f->s, sizeof(f->s));
	f->error = ERR_NONE;
	f->accessible = false;
	f->staff_called = false;
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

static void on_action(struct flow *f, const struct flow_event *ev, struct flow_effects *fx)
{
	bool panel = ev->action == ACT_HELP || ev->action == ACT_CALL_STAFF;
	if (ev->action == ACT_ACCESSIBLE)
		toggle_accessible(f);
	if (panel)
		help(f, ev->action);

	/* Any touch proves someone is there; on a result screen only "continue" does. */
	if (is_idle_state(f->state))
		f->deadline_ms = f->now_ms + f->timeouts.idle_ms;
	else if (has_countdown(f->state) &&
		 (ev->action == ACT_CONTINUE || ev->action == ACT_ACCESSIBLE ||
		  ev->action == ACT_REPEAT || panel))
		f->deadline_ms = f->now_ms + f->timeouts.result_ms;
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
			end_visit(f, fx);
		if ((ev->action == ACT_REFILL && (ev->arg == 0 || ev->arg == 1)) ||
		    (ev->action == ACT_SETTLE && ev->arg >= 0 && ev->arg <= 3)) {
			struct flow_effect *e =
			    emit(fx, ev->action == ACT_REFILL ? FX_REFILL : FX_SETTLE);
			if (e)
				e->arg = ev->arg;
		}
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
	case FLOW_DOCUMENTS:
		if (ev->action == ACT_MORE_DOCS && ev->arg >= 0 && ev->arg < f->s.n_docs)
			f->s.doc_first = ev->arg;
		if (ev->action == ACT_SELECT_DOC && ev->arg >= 0 && ev->arg < f->s.n_docs &&
		    f->s.docs[ev->arg].printable) {
			f->s.chosen = ev->arg;
			f->s.pin_tries_left = FLOW_PIN_TRIES_MAX;
			enter(f, FLOW_AUTHORISE);
		}
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
			enter(f, FLOW_TECHNICIAN);
		} else if (f->state == FLOW_VERIFY) {
			f->waiting = true;
			e = emit(fx, FX_LOAD_DOCUMENTS);
			if (e)
				memcpy(e->nik, f->s.nik, sizeof(e->nik));
		} else {
			const struct flow_doc *d = &f->s.docs[f->s.chosen];
			f->s.pages_done = 0;
			f->s.pages = d->pages;
			enter(f, FLOW_PRINTING);
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
	if (i == f->s.n_docs || !f->s.docs[i].printable ||
	    (f->state == FLOW_AUTHORISE && i != f->s.chosen)) {
		if (f->state == FLOW_AUTHORISE)
			f->error = ERR_QR_OTHER_DOC;
		emit(fx, FX_BELL);
		return;
	}
	if (f->state == FLOW_DOCUMENTS) {
		f->s.chosen = i;
		enter(f, FLOW_AUTHORISE);
	}
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
	for (int i = 0; i < n; i++) {
		f->s.docs[i] = ev->docs[i];
		if (f->s.docs[i].downloading)
			f->s.refresh_ms = f->now_ms + FLOW_REFRESH_MS;
	}
	f->s.n_docs = n;
	if (first || f->s.doc_first >= n)
		f->s.doc_first = 0;
	f->s.in_progress = ev->in_progress;
	memcpy(f->s.in_progress_stage, ev->in_progress_stage, sizeof(f->s.in_progress_stage));
	f->s.in_progress_stage[sizeof(f->s.in_progress_stage) - 1] = '\0';
	if (first)
		enter(f, n > 0 ? FLOW_DOCUMENTS : FLOW_NOTHING_READY);
}

static void on_print_done(struct flow *f)
{
	int i = f->s.chosen;

	f->s.printed_card = f->s.docs[i].card;
	/* The printed document leaves the list: its print PIN is spent. */
	memmove(&f->s.docs[i], &f->s.docs[i + 1],
		sizeof(f->s.docs[0]) * (size_t)(f->s.n_docs - i - 1));
	f->s.n_docs--;
	sodium_memzero(&f->s.docs[f->s.n_docs], sizeof(f->s.docs[0]));
	if (f->s.doc_first >= f->s.n_docs)
		f->s.doc_first = 0;
	f->s.pages_done = f->s.pages;
	enter(f, FLOW_DONE);
}

static void on_deadline(struct flow *f, struct flow_effects *fx)
{
	switch (f->state) {
	case FLOW_ATTRACT:
	case FLOW_OUT_OF_SERVICE:
		f->hint = false;
		f->accessible = false;
		f->help = f->staff_called = false;
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
		}
		return;
	case EV_PRINT_DONE:
		if (f->state == FLOW_PRINTING)
			on_print_done(f);
		return;
	case EV_PRINT_FAILED:
		if (f->state != FLOW_PRINTING)
			return;
		memcpy(f->s.message, ev->message, sizeof(f->s.message));
		f->s.message[sizeof(f->s.message) - 1] = '\0';
		memcpy(f->s.message_en, ev->message_en, sizeof(f->s.message_en));
		f->s.message_en[sizeof(f->s.message_en) - 1] = '\0';
		/* An uncertain print offers no way back to the list: the document is not
		 * printable until a technician has looked. */
		fail(f, ev->arg == 1 ? ERR_PRINT_UNCERTAIN : ERR_PRINT_FAILED);
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
		enter(f, FLOW_TECH_PIN);
		return;
	case EV_TECH_ENTER:
		if (f->state == FLOW_PRINTING)
			return;
		if (f->state != FLOW_ATTRACT && f->state != FLOW_OUT_OF_SERVICE) {
			sodium_memzero(&f->s, sizeof(f->s));
			emit(fx, FX_WIPE_SESSION);
		}
		f->error = ERR_NONE;
		f->accessible = false;
		enter(f, FLOW_TECHNICIAN);
		return;
	case EV_TECH_EXIT:
		if (f->state == FLOW_TECHNICIAN)
			end_visit(f, fx);
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
