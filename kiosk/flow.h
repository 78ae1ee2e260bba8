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
 * session (NIK, name, documents, typed digits) with sodium_memzero. A result screen (done,
 * error, nothing ready) holds for its whole reading time before its countdown starts.
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
#define FLOW_TYPE_MAX	   33
#define FLOW_HASH_LEN	   64
#define FLOW_MAX_EFFECTS   (FLOW_MAX_DOCS + 4) /* a visit's end gives back every held PIN */
#define FLOW_PIN_TRIES_MAX 3
#define FLOW_REFRESH_MS	   2000 /* the document list, while a file downloads */
/* The citizen's volume button steps through these levels, quietest first (the shell's
 * gains: -12, -6, 0 and +6 dB, audio.c); the visit starts at the default one, which is
 * [audio] volume, and its first press makes it louder. */
#define FLOW_VOLUME_LEVELS  4
#define FLOW_VOLUME_DEFAULT 2

enum flow_state {
	FLOW_ATTRACT = 0,
	FLOW_READING,	/* a card is on the reader, identity being read */
	FLOW_NIK_ENTRY, /* typing the NIK on the keypad */
	FLOW_QR_WAIT,	/* waiting for the notification's QR at the scanner */
	FLOW_VERIFY,	/* account PIN */
	FLOW_DOCUMENTS, /* ready documents, tick one or several */
	FLOW_AUTHORISE, /* one-time print PIN (or print QR) of each ticked document in turn */
	FLOW_PRINTING,	/* the authorised documents, one after another */
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
	ACT_SELECT_DOC, /* arg: index in the document list: that one alone, to its PIN */
	ACT_CONTINUE,	/* "I'm still here" on the countdown banner */
	ACT_FINISH,	/* done/error/nothing-ready: leave now */
	ACT_REFILL,	/* technician: arg 0 A4 paper, 1 card blanks and ribbon */
	ACT_MORE_DOCS,	/* documents: arg = index of the first one to show (paging); nothing
			 * ready: of the first line */
	ACT_SETTLE,	/* technician: an uncertain print; arg bit 0: it came out, bit 1: card */
	ACT_ACCESSIBLE, /* larger text and high contrast on or off, for the rest of the visit */
	ACT_REPEAT,	/* say the screen's spoken prompt again (the shell plays it) */
	/* technician mode (issue 14) */
	ACT_TECH_TAB,	  /* arg: enum flow_tech_tab */
	ACT_TEST_PRINT,	  /* a test page; arg 0 the A4 printer, 1 the card printer */
	ACT_READER_TEST,  /* the next card laid is shown (type, UID, KTP-el or not), not read */
	ACT_TECH_SERVICE, /* out of service or back; arg 0 the A4 queue, 1 the card queue, 2 all */
	ACT_SETTLE_JOB,	  /* arg: row << 1 | it came out, in the uncertain prints listed */
	ACT_TICK_DOC,	  /* documents: arg = index in the list; ticks it, or unticks it */
	ACT_PRINT_TICKED, /* documents: "print N selected": the PINs of the ticked ones, in turn */
	ACT_HELP,	  /* the help panel over the screen: opens or closes it */
	ACT_CALL_STAFF,	  /* the help panel's "call staff": sets flow.staff_called */
	ACT_VOLUME,	  /* the footer's volume button: the next level, round to the quietest */
	ACT_COUNT
};

/* The pages of technician mode, one tab each. */
enum flow_tech_tab {
	TECH_TAB_HEALTH = 0, /* the kiosk at a glance */
	TECH_TAB_PRINTERS,   /* supplies, refills, test pages */
	TECH_TAB_UNCERTAIN,  /* prints held for a verdict */
	TECH_TAB_READER,     /* the reader test */
	TECH_TAB_SERVICE,    /* a queue or the whole kiosk out of service */
	TECH_TAB_ERRORS,     /* recent problems, in words to act on */
	TECH_TAB_COUNT
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
	SVC_QUEUES_OFF = 1u << 4, /* every printer out of service by a technician */
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
	EV_PRINT_PROGRESS, /* pages_done of pages; arg 1: a printer fault holds the job now,
			    * message/message_en say what (0: it prints) */
	EV_PRINT_DONE,
	EV_PRINT_FAILED, /* message: what the printer said, already in citizen words; arg 1:
			  * it may still come out, the document is held for a technician */
	EV_SERVICE,	 /* service: enum flow_service bits now in force */
	EV_PRINTERS,	 /* arg: enum flow_printer bits of printers that cannot print now */
	EV_TECH_CARD,	 /* a card on the technicians' list was laid */
	EV_TECH_ENTER,
	EV_TECH_EXIT,
	EV_SERVICE_MESSAGE, /* message: the technician's words for SVC_MAINTENANCE ("" none) */
	/* technician mode (issue 14) */
	EV_TEST_PRINT,	  /* a test page ended: ok printed; message: the outcome and why */
	EV_READER_TEST,	  /* ok: a card came (else none in time); arg 1: ISO 14443-B; error
			   * ERR_NONE when it reads as a KTP-el, else why not; doc_id: its UID */
	EV_QUEUE_SERVICE, /* arg 0 A4, 1 card: message "" in service, else the technician's
			   * words citizens read while the queue is out of service */
};

/* What became of a document printed in this visit. */
enum flow_outcome { OUT_NONE = 0, OUT_PRINTED, OUT_FAILED, OUT_UNCERTAIN };

struct flow_doc {
	char id[FLOW_DOC_ID_MAX + 1];
	char title_id[FLOW_TITLE_MAX];
	char title_en[FLOW_TITLE_MAX];
	uint16_t pages;
	bool card;		      /* printed on the card printer (KTP-el, KIA) */
	bool printable;		      /* false when its printer is out of service today */
	bool downloading;	      /* its file is still on its way here (fetched on demand) */
	char type[FLOW_TYPE_MAX];     /* the registry's code: KK, AKTA_LAHIR, KTP_EL, ... */
	int32_t issued;		      /* date issued, YYYYMMDD in the kiosk's time; 0 unknown */
	char blob[FLOW_HASH_LEN + 1]; /* its file's SHA-256: the key of its thumbnail */
	/* the visit's marks, kept when the list is read again */
	bool ticked;
	bool authorised; /* its one-time print PIN was accepted (spent) in this visit */
	uint8_t outcome; /* enum flow_outcome, while the ticked ones print */
};

/* For "nothing ready": an application in progress (its stage and expected date) or a
 * document that expired (its expiry date). Dates are the kiosk's local calendar dates. */
#define FLOW_MAX_APPS 4
/* Nothing ready's lines at most: each application, "and more", each expired, the held,
 * where to apply and the notification. */
#define FLOW_NOTHING_LINES (2 * FLOW_MAX_APPS + 4)
struct flow_app {
	char type[33];	/* document type code: KTP_EL, KK, ... */
	char stage[33]; /* application stage code ("" for an expired document) */
	int16_t year;	/* 0: no date known */
	int8_t month, day;
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
	int in_progress;		     /* applications not yet ready, for "nothing ready" */
	struct flow_app apps[FLOW_MAX_APPS]; /* the first of them, soonest expected first */
	struct flow_app expired[FLOW_MAX_APPS]; /* documents that expired unprinted */
	int n_expired;
	int held; /* documents held until a technician has looked at the printer */
	int pages_done, pages;
	char doc_id[FLOW_DOC_ID_MAX + 1]; /* EV_QR_DOC */
	char pin[FLOW_PIN_LEN + 1];	  /* EV_QR_DOC: the one-time print PIN it carries */
	char message[96];		  /* EV_PRINT_FAILED, EV_PRINT_PROGRESS: in Indonesian */
	char message_en[96];		  /* and in the second language */
};

enum flow_effect_type {
	FX_LOOKUP_HOLDER = 1, /* nik */
	FX_VERIFY_PIN,	      /* nik, pin: the account PIN */
	FX_LOAD_DOCUMENTS,    /* nik */
	FX_AUTHORISE_PRINT,   /* nik, doc_id, pin: check (and spend) the one-time print PIN */
	FX_CANCEL_PRINT,
	FX_WIPE_SESSION,    /* the shell wipes whatever it keeps of the session */
	FX_BELL,	    /* audible feedback for a refused key or a wrong PIN */
	FX_VERIFY_TECH_PIN, /* pin: the technician PIN */
	FX_REFILL,	    /* arg: 0 A4 paper, 1 card blanks and ribbon */
	FX_SETTLE,	    /* arg: as ACT_SETTLE, for the printer's oldest uncertain print */
	/* technician mode (issue 14); every one of them goes into the audit */
	FX_TEST_PRINT,	 /* arg: 0 A4, 1 card */
	FX_READER_TEST,	 /* answered by EV_READER_TEST */
	FX_TECH_SERVICE, /* arg: as ACT_TECH_SERVICE; pin (reused): "1" back in service */
	FX_SETTLE_JOB,	 /* arg: as ACT_SETTLE_JOB */
	FX_TECH_LEFT,	 /* technician mode ended; arg 1: by inactivity, 0: the exit button */
	FX_PRINT,	 /* nik, doc_id: print a document authorised in this visit */
	FX_RELEASE_PIN,	 /* doc_id: an authorised document not printed: its PIN back */
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
	int result_ms; /* done, error, nothing ready: read for this long, then warn_ms more */
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
	struct flow_app apps[FLOW_MAX_APPS];
	struct flow_app expired[FLOW_MAX_APPS];
	int n_expired, held;
	int pages_done, pages; /* of the document printing now (chosen) */
	bool printed_card;     /* done: a card came out */
	int sheets;	       /* done: the A4 sheets that came out */
	/* done: the visit's printed (and failed) documents, for the done screen */
	struct flow_done {
		char title_id[FLOW_TITLE_MAX], title_en[FLOW_TITLE_MAX];
		uint16_t pages;
		bool card;
		uint8_t outcome;
	} done[FLOW_MAX_DOCS];
	int n_done;
	int lock_minutes; /* ERR_PIN_LOCKED: minutes left on the account's lock, 0 unknown */
	char message[96], message_en[96]; /* the printer's, in both languages */
	bool print_fault;   /* printing: a fault holds the job (message says what); it is kept */
	int64_t refresh_ms; /* documents: next re-read while a file downloads, 0 none */
	int doc_first;	    /* documents: the first one on screen (more than fit); nothing
			     * ready: the first line */
};

/* What technician mode shows besides the kiosk's health: wiped when it ends. */
struct flow_tech {
	enum flow_tech_tab tab;
	/* the test page: -1 none yet, else 0 A4 or 1 card; running until EV_TEST_PRINT */
	int test_media;
	bool test_running, test_ok;
	char test_result[96];
	/* the reader test: waiting for a card, then what the last one showed */
	bool reader_waiting, reader_done, reader_card, reader_type_b;
	enum flow_error reader_error; /* ERR_NONE: it reads as a KTP-el */
	char reader_uid[21];
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
	/* a queue a technician took out of service (bit 0 A4, 1 card) and the words citizens
	 * read about it; like service_message, not session data */
	unsigned queues_off;
	char queue_message[2][96];
	struct flow_tech tech;
	struct flow_session s;
	/* The help panel (ACT_HELP, on every citizen screen): shown over the step, which it
	 * leaves as it is (session, typed digits, deadline); a new step closes it. */
	bool help;
	/* "Call staff" was touched: in the kiosk's health for the heartbeat (app.c) and said
	 * on the panel; it ends with the visit (before one, with the attract deadline). */
	bool staff_called;
	/* presses of the volume button (ACT_VOLUME) in this visit, round FLOW_VOLUME_LEVELS:
	 * 0 is the default level; it ends with the visit, like the accessible mode */
	int volume_up;
};

void flow_init(struct flow *f, const struct flow_timeouts *t, int64_t now_ms);
void flow_step(struct flow *f, const struct flow_event *ev, struct flow_effects *fx);

/* Absolute monotonic time of the next thing the flow waits for, or 0 for none. */
int64_t flow_deadline(const struct flow *f);
/* Seconds left on the visible countdown, or 0 when no countdown shows. */
int flow_countdown_s(const struct flow *f);
bool flow_is_citizen_state(enum flow_state s);
/* The volume level chosen in this visit: 0 the quietest .. FLOW_VOLUME_LEVELS - 1. */
int flow_volume_level(const struct flow *f);

const char *flow_state_name(enum flow_state s);
const char *flow_action_name(enum flow_action a);
const char *flow_error_name(enum flow_error e);

/* Events, for the shell and the tests. */
struct flow_event flow_ev(enum flow_event_type type, int64_t now_ms);
struct flow_event flow_ev_action(enum flow_action a, int arg, int64_t now_ms);

#endif
