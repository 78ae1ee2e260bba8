/*
 * The kiosk's printer interface: one handle per print queue (the A4 printer, the card
 * printer), a const vtable per backend (only CUPS today, chosen by the connection string
 * "cups:QUEUE" or a bare queue name), events to the owner from the handle's worker thread.
 *
 * A document is submitted from memory; the handle creates the job, lets the owner record
 * the job id (record_job) and only then sends the document, follows the job to its end and
 * reports one outcome. A job counts as printed only when CUPS says completed and the
 * printer's job history was not lost. The handle also watches the printer while idle so the
 * attract screen can say "A4 printing unavailable" before a citizen starts, and keeps
 * consumable counters (sheets, card blanks, ribbon prints) taken down by what printed.
 *
 * Threads: every function here may be called from the owner's thread (typically the UI
 * thread) and never blocks on the printer, except printer_open(), printer_reconcile() and
 * printer_close(), which talk to CUPS or join the worker and belong at start-up/shut-down.
 * Callbacks (on_event, record_job, save_consumables) run on the handle's worker thread,
 * except save_consumables after printer_refill(), which runs on the refilling thread.
 */
#ifndef ADM_PRINTER_H
#define ADM_PRINTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "consumables.h"
#include "reasons.h"

struct printer;

/* Negative error codes; printer_strerror() gives a technician's sentence. */
enum printer_error {
	PRINTER_E_INVAL = -1, /* bad argument or connection string */
	PRINTER_E_NOMEM = -2,
	PRINTER_E_SERVER = -3,	       /* the CUPS server cannot be reached */
	PRINTER_E_NO_QUEUE = -4,       /* the queue named in the config does not exist */
	PRINTER_E_BUSY = -5,	       /* a job is already in progress on this queue */
	PRINTER_E_OUT_OF_SERVICE = -6, /* queue stopped, printer fault or consumable at zero */
	PRINTER_E_THREAD = -7,
	PRINTER_E_IPP = -8, /* CUPS answered with an error */
};
const char *printer_strerror(int err);

/* How a job ended. Only PRINTER_OUTCOME_PRINTED means paper came out. */
enum printer_outcome {
	PRINTER_OUTCOME_PRINTED = 1,
	PRINTER_OUTCOME_FAILED,	       /* aborted, or canceled at the printer or by CUPS */
	PRINTER_OUTCOME_CANCELED,      /* canceled by this kiosk (stall timeout or request) */
	PRINTER_OUTCOME_HISTORY_LOST,  /* "completed" but the printer forgot the job */
	PRINTER_OUTCOME_UNKNOWN,       /* CUPS does not know the job id */
	PRINTER_OUTCOME_NOT_SUBMITTED, /* never reached CUPS, or record_job refused */
	PRINTER_OUTCOME_PENDING,       /* printer_reconcile(): still running, now followed */
	/* Canceled by this kiosk after the printer had the job: its engine may still print
	 * it (a jam cleared later). Neither printed nor failed: a technician settles it. */
	PRINTER_OUTCOME_UNCERTAIN,
};
const char *printer_outcome_name(enum printer_outcome o);

enum printer_event_type {
	PRINTER_EV_STATUS = 1,	 /* the printer's health changed: status */
	PRINTER_EV_JOB_SENT,	 /* the whole document is with CUPS: job_id */
	PRINTER_EV_JOB_PROGRESS, /* job_id, job_state, sheets_done, status (faults during it) */
	PRINTER_EV_JOB_DONE,	 /* job_id, outcome, sheets_done, status (why it failed) */
	PRINTER_EV_SUPPLY,	 /* a consumable crossed its warning level or reached zero */
};

struct printer_event {
	enum printer_event_type type;
	const char *queue;
	enum printer_media media;
	uint64_t tag; /* the owner's reference given at submit (0 for adopted jobs) */
	int job_id;
	int job_state; /* IPP job-state (3 pending .. 9 completed), 0 if unknown */
	int sheets_done;
	enum printer_outcome outcome;
	struct printer_status status;
	enum consumable_kind supply; /* PRINTER_EV_SUPPLY */
	int supply_level;
	int64_t at_ms; /* clock_mono_ms() when the worker noticed */
};

struct printer_config {
	enum printer_media media;
	/* CUPS server: a socket path or host[:port]; NULL uses CUPS_SERVER / the default. */
	const char *server;
	/* IPP media keyword; NULL picks iso_a4_210x297mm or om_card_54x86mm (ID-1). */
	const char *media_keyword;
	int poll_ms;	  /* job status poll while a job runs (default 500) */
	int idle_poll_ms; /* health poll while idle (default 1000) */
	/* An idle printer that stays the same is asked less and less often, doubling from
	 * idle_poll_ms up to this (default 5000); any change, a fault, a job or a refill
	 * brings it back to idle_poll_ms. The longest an idle fault can go unseen. */
	int idle_poll_max_ms;
	int stall_timeout_ms; /* no change in the job for this long: cancel (default 180000) */
	/* Initial consumable counters (from the cache); zero capacity = not counted. */
	struct consumables supplies;

	void *ctx;
	/* Every event, on the worker thread. Must not call printer_close(). */
	void (*on_event)(void *ctx, const struct printer_event *ev);
	/*
	 * Called on the worker after CUPS gave the job its id and before the document is
	 * sent: store the id durably here. Returning false cancels the job (nothing prints)
	 * and ends it with PRINTER_OUTCOME_NOT_SUBMITTED. NULL: no recording.
	 */
	bool (*record_job)(void *ctx, uint64_t tag, const char *queue, int job_id);
	/* Persistence hook for consumable counters, after every change. NULL: none. */
	void (*save_consumables)(void *ctx, const char *queue, const struct consumables *c);
};

struct printer_document {
	const void *pdf; /* copied by printer_submit(); the copy is wiped once sent */
	size_t len;
	int pages;    /* pages in the PDF: what the counters take down if the printer is silent */
	uint64_t tag; /* echoed in events; never personal data */
};

/*
 * Opens a queue and starts its worker. conn: "cups:QUEUE" or "QUEUE". Fails with
 * PRINTER_E_NO_QUEUE (a clear start-up error) if CUPS does not know the queue, or
 * PRINTER_E_SERVER if CUPS is unreachable. *err gets the code when NULL is returned.
 */
struct printer *printer_open(const char *conn, const struct printer_config *cfg, int *err);
/* Stops the worker (a running job is left to CUPS and reconciled at the next start). */
void printer_close(struct printer *p);

/* Queues a document for printing; 0 or a negative printer_error. Never blocks. */
int printer_submit(struct printer *p, const struct printer_document *doc);
/* Asks the worker to cancel the running job (recorded as the kiosk's own cancel). */
int printer_cancel(struct printer *p);
/* The last known health, from the worker's polls. Never blocks on CUPS. */
void printer_get_status(struct printer *p, struct printer_status *out);
/* True when this queue can take a document now (no blocking fault, supplies left). */
bool printer_available(struct printer *p);
const char *printer_queue(const struct printer *p);
enum printer_media printer_media_of(const struct printer *p);

/*
 * Crash safety: what became of a job id recorded before a restart. Blocking (start-up).
 * completed -> PRINTED; completed with lost history, aborted, canceled, unknown -> not
 * printed; but canceled after cupsd had started it (the kiosk's own cancel, before it
 * died) -> UNCERTAIN. A job still pending or processing is adopted: the worker follows it and
 * sends PRINTER_EV_JOB_DONE (tag as given), and this returns PRINTER_OUTCOME_PENDING. Returns 0 and
 * sets *out, or a negative printer_error (CUPS unreachable: ask again).
 */
int printer_reconcile(struct printer *p, int job_id, uint64_t tag, enum printer_outcome *out);

/* Technician refill of one consumable; resets the counter to capacity when amount <= 0. */
void printer_refill(struct printer *p, enum consumable_kind kind, int amount);
void printer_get_consumables(struct printer *p, struct consumables *out);

/* Routing of document types to queues (either may be NULL: not installed). */
struct printer_routes {
	struct printer *a4;
	struct printer *card;
};
/* The queue for a medium if it can print now, else NULL (the other may still work). */
struct printer *printer_route(const struct printer_routes *r, enum printer_media m);

#endif
