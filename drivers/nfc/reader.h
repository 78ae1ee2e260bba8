/*
 * The kiosk's card reader: a const vtable behind an opaque handle, one file per backend,
 * the backend chosen from the connection string (today every string goes to libnfc:
 * "pn532_uart:/dev/ttyUSB0", "acr122_usb", ...).
 *
 * reader_create() starts a worker thread that owns the device: it polls ISO 14443 A and B,
 * reads the identity of a KTP-el through the card profile, watches for removal, and
 * reopens the device with backoff when it is lost. Everything it sees is reported through
 * on_event, called ON THE WORKER THREAD: the owner copies what it needs and hands it to its
 * own thread (the kiosk posts an SDL user event); it must not block and must not call
 * reader_destroy from inside. reader_destroy() stops the worker (aborting a blocked libnfc
 * command) and returns once it has exited; after that no callback runs.
 *
 * With cfg.helper set, the driver runs in a child process (adm-readerd, reader_proc.c)
 * that the handle supervises: a crash inside libnfc, or a device that leaves libnfc blocked
 * for good, costs one read and a restart of the child, never the caller's process. The
 * events and the rules above stay the same.
 *
 * Self-contained: no SDL, no kiosk flow types; the kiosk maps these events to its own.
 */
#ifndef ADM_READER_H
#define ADM_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "card_biodata.h"
#include "secure_channel.h"

enum reader_event_type {
	READER_EV_READY = 0,	/* device opened for the first time */
	READER_EV_CARD_PRESENT, /* card: what the radio layer saw */
	READER_EV_IDENTITY,	/* card + identity: a KTP-el read completely */
	READER_EV_CARD_FAILED,	/* card + failure (+ detail): why no identity */
	READER_EV_CARD_REMOVED, /* the field is empty again */
	READER_EV_READER_LOST,	/* the device stopped answering or cannot be opened */
	READER_EV_READER_BACK,	/* reopened after READER_EV_READER_LOST */
};

enum reader_failure {
	READER_FAIL_NONE = 0,
	READER_FAIL_FOREIGN,	/* not a KTP-el: no ISO 14443-4, or no KTP-el application */
	READER_FAIL_UNREADABLE, /* garbage answers, malformed biodata, secure channel refused */
	READER_FAIL_REMOVED,	/* lifted in the middle of the read (a removal event follows) */
	READER_FAIL_MULTIPLE,	/* more than one card in the field */
	READER_FAIL_READER,	/* the reader itself failed during the read (a loss follows) */
};

struct reader_card {
	bool type_b;
	uint8_t uid[10]; /* type A UID or type B PUPI */
	size_t uid_len;
	uint8_t atqa[2], sak; /* type A */
	uint8_t atqb[12];     /* type B: 50, PUPI, application data, protocol info */
	size_t atqb_len;
	uint8_t ats[32]; /* type A ISO 14443-4: ATS without its length byte */
	size_t ats_len;
};

struct reader_event {
	enum reader_event_type type;
	int64_t at_ms; /* clock_mono_ms() when it happened */
	struct reader_card card;
	struct card_identity identity; /* READER_EV_IDENTITY only; wiped after the callback */
	enum reader_failure failure;
	const char *detail; /* English text for the technician log, or NULL; stays valid
			     * until reader_destroy */
};

struct reader_config {
	const char *connstring; /* copied */
	void (*on_event)(void *ctx, const struct reader_event *ev);
	void *ctx;
	struct secure_channel *secure; /* NULL: the test profile's "none" */
	int presence_ms;	       /* removal check period while a card lies there; 0: 200 */
	int apdu_timeout_ms;	       /* per APDU; 0: 1000 */
	/* Path of adm-readerd: run the driver in that child process (secure must then be
	 * NULL: a secure channel lives in the child). NULL: in this process, where a libnfc
	 * abort ends the caller and a frozen chip hangs the worker and reader_destroy; for
	 * adm-readerd itself, tests and benchmarks. */
	const char *helper;
	/* Called on the worker before each step that may block, with the longest it should
	 * take; NULL is fine. adm-readerd forwards it to the supervisor's watchdog. */
	void (*on_step)(void *ctx, int budget_ms);
};

/* What the supervisor of an adm-readerd child has had to do (zero in this process). */
struct reader_stats {
	unsigned watchdog; /* the child stopped answering: killed and restarted */
	unsigned crashes;  /* the child died by itself (a libnfc abort, ...) */
};

struct reader;

struct reader_backend {
	const char *name;
	bool (*accepts)(const char *connstring);
	struct reader *(*create)(const struct reader_config *cfg);
	void (*destroy)(struct reader *r);
	void (*stats)(struct reader *r, struct reader_stats *out); /* NULL: all zero */
};

extern const struct reader_backend reader_libnfc_backend;
extern const struct reader_backend reader_proc_backend;

/* Starts the reader, NULL with a log line on failure (bad arguments, no thread). */
struct reader *reader_create(const struct reader_config *cfg);
/* Stops the worker and frees everything; NULL is fine. Never call from on_event. */
void reader_destroy(struct reader *r);

/* Counters of the supervisor; any thread. NULL reader: all zero. */
void reader_get_stats(struct reader *r, struct reader_stats *out);
/* Where adm-readerd is: beside the running executable, else where it is installed. False
 * (with the installed path in out) if neither exists. */
bool reader_helper_find(char *out, size_t cap);

const char *reader_event_name(enum reader_event_type type);
const char *reader_failure_name(enum reader_failure failure);

#endif
