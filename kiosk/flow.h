/*
 * The citizen flow: a pure state machine.
 *
 * flow_step(flow, event, effects) moves the flow to its next state and appends the effects
 * the shell must carry out (look a holder up, check a PIN, start a print, ...). It reads
 * no clock, touches no device and includes no SDL, libnfc, CUPS or curl header: time comes
 * in with every event (monotonic milliseconds), answers to effects come back as events.
 * The whole flow is therefore testable with plain event sequences (tests/test_flow.c).
 *
 * Every citizen state has an inactivity deadline. In its last warn_ms the screen shows a
 * countdown; any touch moves the deadline on; reaching it returns to attract and wipes the
 * session (NIK, name, documents, typed digits) with sodium_memzero.
 *
 * The accessible mode (ACT_ACCESSIBLE, one button on every citizen screen) lasts for the
 * rest of the visit and ends with it. Turned on at attract or
 * out of service, before a visit starts, it lasts until the inactivity deadline.
 */
#ifndef ADM_FLOW_H
#define ADM_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FLOW_NIK_LEN	   16
#define FLOW_PIN_LEN	   6
#define FLOW_NAME_MAX	   64
#define FLOW_MAX_DOCS	   12
#define FLOW_TITLE_MAX	   96
#define FLOW_DOC_ID_MAX	   64
#define FLOW_MAX_EFFECTS   4
#define FLOW_PIN_TRIES_MAX 3
#define FLOW_REFRESH_MS	   2000 /* the document list, while a file downloads */

enum flow_state {
	FLOW_ATTRACT = 0,
	FLOW_READING,	/* a card is on the reader, identity being read */
	FLOW_NIK_ENTRY, /* typing the NIK on the keypad */
	FLOW_QR_WAIT,	/* waiting for the notification's QR at the scanner */
	FLOW_VERIFY,	/* account PIN */
	FLOW_DOCUMENTS, /* ready documents, pick one */
	FLOW_AUTHORISE, /* one-time print PIN of the chosen document */
	FLOW_PRINTING,
	FLOW_DONE,
	FLOW_NOTHING_READY,  /* no document ready; says why when applications are known */
	FLOW_ERROR,	     /* a clear message, then back to attract */
	FLOW_OUT_OF_SERVICE, /* no way in or no way to print */
	FLOW_TECHNICIAN,
	FLOW_TECH_PIN, /* a technician card was laid: its PIN */
	FLOW_STATE_COUNT
};

/* What a touch, a key or a scanner line asks for. Screens attach these to buttons. */
enum flow_action {
	ACT_NONE = 0, /* a touch anywhere: only proves someone is there */
	ACT_START_NIK,
	ACT_START_QR,
	ACT_CARD_HINT, /* the "tap your card" tile: explains where the reader is */
	ACT_DIGIT,     /* arg: 0..9 */
	ACT_ERASE,
	ACT_CONFIRM,
	ACT_CANCEL,	/* back to attract, session wiped */
	ACT_BACK,	/* one step back inside the session */
	ACT_SELECT_DOC, /* arg: index in the document list */
	ACT_CONTINUE,	/* "I'm still here" on the countdown banner */
	ACT_FINISH,	/* done/error/nothing-ready: leave now */
	ACT_REFILL,	/* technician: arg 0 A4 paper, 1 card blanks and ribbon */
	ACT_MORE_DOCS,	/* documents: arg = index of the first one to show (paging) */
	ACT_SETTLE,	/* technician: an uncertain print; arg bit 0: it came out, bit 1: card */
	ACT_ACCESSIBLE, /* larger text and high contrast on or off, for the rest of the visit */
	ACT_REPEAT,	/* say the screen's spoken prompt again (the shell plays it) */
	ACT_HELP,	/* the help panel over the screen: opens or closes it */
	ACT_CALL_STAFF, /* the help panel's "call staff": sets flow.staff_called */
	ACT_COUNT
};

/* Why a session stopped or a step failed; each has a message for the citizen. */
enum flow_error {
	ERR_NONE = 0,
	ERR_CARD_FOREIGN,    /* not a KTP-el */
	ERR_CARD_UNREADABLE, /* garbage or broken answers */
	ERR_CARD_REMOVED,    /* lifted in the middle of the read */
	ERR_CARD_TIMEOUT,    /* no identity in time */
	ERR_CARD_MULTIPLE,   /* two cards on the reader */
	ERR_NIK_INVALID,
	ERR_QR_INVALID,	    /* a scanned code that is not an ADM login code */
	ERR_QR_OTHER_DOC,   /* the print QR of another document (shown inline) */
	ERR_HOLDER_UNKNOWN, /* not registered for ADM */
	ERR_NEEDS_NETWORK,  /* not cached here and the kiosk is offline */
	ERR_PIN_WRONG,	    /* wrong PIN, tries remain (shown inline) */
	ERR_PIN_LOCKED,
	ERR_PRINT_FAILED,
	ERR_PRINT_UNCERTAIN, /* canceled after the printer had it: held for a technician */
	ERR_SERVICE,	     /* an internal fault; the technician log has details */
	/* The card reader failed during the read: the card is not at fault. */
	ERR_READER_FAILED,
	ERR_COUNT
};

/* Reasons the kiosk cannot serve anyone (bit set). */
enum flow_service {
	SVC_READER_LOST = 1u << 0,
	SVC_PRINTERS_DOWN = 1u << 1,
	SVC_CACHE_BROKEN = 1u << 2,
	SVC_MAINTENANCE = 1u << 3,
};

/* Printers that cannot print now (bit set): the other one may still serve. */
enum flow_printer {
	PRN_A4_DOWN = 1u << 0,
	PRN_CARD_DOWN = 1u << 1,
};

enum flow_event_type {
	EV_TICK = 0, /* time passes */
	EV_ACTION,   /* action, arg */
	EV_CARD_PRESENT,
	EV_CARD_IDENTITY, /* nik, name */
	EV_CARD_FAILED,	  /* error: ERR_CARD_* */
	EV_CARD_REMOVED,
	EV_QR_NIK,	   /* a QR login carrying a NIK */
	EV_QR_INVALID,	   /* a scanned code the kiosk cannot use */
	EV_QR_DOC,	   /* a document's print QR: doc_id, pin */
	EV_HOLDER,	   /* answer to FX_LOOKUP_HOLDER: error ERR_NONE = known holder */
	EV_PIN_RESULT,	   /* answer to FX_VERIFY_PIN / FX_AUTHORISE: ok, tries_left; locked:
			    * arg = minutes left on the lock (also on EV_HOLDER) */
	EV_DOCUMENTS,	   /* answer to FX_LOAD_DOCUMENTS: docs, n_docs, in_progress */
	EV_PRINT_PROGRESS, /* pages_done of pages */
	EV_PRINT_DONE,
	EV_PRINT_FAILED, /* message: what the printer said, already in citizen words; arg 1:
			  * it may still come out, the document is held for a technician */
	EV_SERVICE,	 /* service: enum flow_service bits now in force */
	EV_PRINTERS,	 /* arg: enum flow_printer bits of printers that cannot print now */
	EV_TECH_CARD,	 /* a card on the technicians' list was laid */
	EV_TECH_ENTER,
	EV_TECH_EXIT,
	EV_SERVICE_MESSAGE, /* message: the technician's words for SVC_MAINTENANCE ("" none) */
};

struct flow_doc {
	char id[FLOW_DOC_ID_MAX + 1];
	char title_id[FLOW_TITLE_MAX];
	char title_en[FLOW_TITLE_MAX];
	uint16_t pages;
	bool card;	  /* printed on the card printer (KTP-el, KIA) */
	bool printable;	  /* false when its printer is out of service today */
	bool downloading; /* its file is still on its way here (fetched on demand) */
};

struct flow_event {
	enum flow_event_type type;
	int64_t now_ms;
	enum flow_action action;
	int arg;
	bool ok;
	int tries_left;
	enum flow_error error;
	unsigned service;
	char nik[FLOW_NIK_LEN + 1];
	char name[FLOW_NAME_MAX];
	struct flow_doc docs[FLOW_MAX_DOCS]; /* inline: events cross threads by copy */
	int n_docs;
	int in_progress; /* applications not yet ready, for "nothing ready" */
	char in_progress_stage[FLOW_TITLE_MAX];
	int pages_done, pages;
	char doc_id[FLOW_DOC_ID_MAX + 1]; /* EV_QR_DOC */
	char pin[FLOW_PIN_LEN + 1];	  /* EV_QR_DOC: the one-time print PIN it carries */
	char message[96];		  /* EV_PRINT_FAILED: in Indonesian */
	char message_en[96];		  /* and in the second language */
};

enum flow_effect_type {
	FX_LOOKUP_HOLDER = 1, /* nik */
	FX_VERIFY_PIN,	      /* nik, pin: the account PIN */
	FX_LOAD_DOCUMENTS,    /* nik */
	FX_AUTHORISE_PRINT,   /* nik, doc_id, pin: check the one-time PIN, then print */
	FX_CANCEL_PRINT,
	FX_WIPE_SESSION,    /* the shell wipes whatever it keeps of the session */
	FX_BELL,	    /* audible feedback for a refused key or a wrong PIN */
	FX_VERIFY_TECH_PIN, /* pin: the technician PIN */
	FX_REFILL,	    /* arg: 0 A4 paper, 1 card blanks and ribbon */
	FX_SETTLE,	    /* arg: as ACT_SETTLE, for the printer's oldest uncertain print */
};

struct flow_effect {
	enum flow_effect_type type;
	char nik[FLOW_NIK_LEN + 1];
	char pin[FLOW_PIN_LEN + 1];
	int arg;
	char doc_id[FLOW_DOC_ID_MAX + 1];
};

struct flow_effects {
	int n;
	struct flow_effect fx[FLOW_MAX_EFFECTS];
};

struct flow_timeouts {
	int idle_ms;   /* inactivity in a citizen state */
	int warn_ms;   /* countdown shown for this long before the reset */
	int read_ms;   /* card read must finish within this */
	int result_ms; /* done, error, nothing ready: how long they stay */
	int technician_ms;
};

/* Session data: everything wiped at the end of a visit. */
struct flow_session {
	char nik[FLOW_NIK_LEN + 1];
	char name[FLOW_NAME_MAX];
	char entry[FLOW_NIK_LEN + 1]; /* digits typed on the keypad */
	int entry_len;
	bool via_card;
	int pin_tries_left;
	struct flow_doc docs[FLOW_MAX_DOCS];
	int n_docs;
	int chosen;
	int in_progress;
	char in_progress_stage[FLOW_TITLE_MAX];
	int pages_done, pages;
	bool printed_card; /* done: the document printed was a card (else pages A4 sheets) */
	int lock_minutes;  /* ERR_PIN_LOCKED: minutes left on the account's lock, 0 unknown */
	char message[96], message_en[96]; /* the printer's, in both languages */
	int64_t refresh_ms; /* documents: next re-read while a file downloads, 0 none */
	int doc_first;	    /* documents: the first one on screen (more than fit) */
};

struct flow {
	enum flow_state state;
	struct flow_timeouts timeouts;
	int64_t now_ms;
	int64_t deadline_ms;	/* 0: none */
	unsigned service;	/* enum flow_service bits */
	unsigned printers_down; /* enum flow_printer bits */
	bool card_on_reader;	/* a card left after a visit does not start another */
	bool card_consumed;
	bool waiting; /* an effect's answer is awaited: keypad locked */
	enum flow_error error;
	int nik_reason;	 /* enum nik_status, when error is ERR_NIK_INVALID */
	bool hint;	 /* the "where is the reader" hint on attract */
	bool accessible; /* the accessible mode: larger text, high contrast (ends with the visit) */
	/* what citizens read while SVC_MAINTENANCE holds (admctl service off); not session
	 * data: a technician's words, kept until they change */
	char service_message[96];
	struct flow_session s;
	/* The help panel (ACT_HELP, on every citizen screen): shown over the step, which it
	 * leaves as it is (session, typed digits, deadline); a new step closes it. */
	bool help;
	/* "Call staff" was touched: in the kiosk's health for the heartbeat (app.c) and said
	 * on the panel; it ends with the visit (before one, with the attract deadline). */
	bool staff_called;
};

void flow_init(struct flow *f, const struct flow_timeouts *t, int64_t now_ms);
void flow_step(struct flow *f, const struct flow_event *ev, struct flow_effects *fx);

/* Absolute monotonic time of the next thing the flow waits for, or 0 for none. */
int64_t flow_deadline(const struct flow *f);
/* Seconds left on the visible countdown, or 0 when no countdown shows. */
int flow_countdown_s(const struct flow *f);
bool flow_is_citizen_state(enum flow_state s);

const char *flow_state_name(enum flow_state s);
const char *flow_action_name(enum flow_action a);
const char *flow_error_name(enum flow_error e);

/* Events, for the shell and the tests. */
struct flow_event flow_ev(enum flow_event_type type, int64_t now_ms);
struct flow_event flow_ev_action(enum flow_action a, int arg, int64_t now_ms);

#endif
