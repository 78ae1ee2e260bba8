/*
 * The kiosk's health: its devices, printers and supplies, and where its sync stands.
 * Shown on the technician screen, and written to the cache (sync_state "health") for
 * adm-syncd, which sends it to the registry with each heartbeat (docs/sync-protocol.md).
 * No personal data: nothing here names a citizen.
 *
 * Plain data, filled by the parts that know (printing.c, devices.c, services.c) on the UI
 * thread; health_json() is the only code with a dependency (jansson).
 */
#ifndef ADM_HEALTH_H
#define ADM_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#define HEALTH_SUPPLIES 3
#define HEALTH_MARKERS	4

struct health_supply {
	const char *name; /* static: "sheets", "card-blanks", "ribbon" */
	int level, capacity;
	bool low; /* at or under its warning level */
};

struct health_printer {
	char queue[64];
	bool card;	  /* the card printer (else the A4 one) */
	bool available;	  /* can print now */
	char fault[32];	  /* what stops or troubles it ("media-empty", ...), "" if nothing */
	char detail[256]; /* for the technician: queue, raw reasons, message */
	int n_supplies;
	struct health_supply supply[HEALTH_SUPPLIES];
	/* what the printer itself says is left (toner, ink), in percent; -1 unknown */
	int n_markers;
	struct {
		char name[32];
		int percent;
	} marker[HEALTH_MARKERS];
	int uncertain; /* prints held for the technician's verdict (docs/printing.md) */
};

/* From the cache, read on the services worker. */
struct health_sync {
	bool known;	 /* false until the first read (or without a cache) */
	int64_t last_ok; /* unix seconds of adm-syncd's last complete pass, 0 never */
	int64_t documents, outbox_pending, blobs_missing;
	int64_t disk_free_mb; /* on the cache's file system; -1 unknown */
};

/* A print held for the technician's verdict, as technician mode lists it: never whose. */
#define HEALTH_UNCERTAIN 6
struct health_uncertain {
	int64_t job; /* the cache's job row (admctl prints settle ID) */
	int cups_job;
	char type[33]; /* the document's type code: KK, AKTA_LAHIR, KTP_EL, ... */
	bool card;
	int pages;
};

/* A recent problem, in words a technician acts on (health_errors.c); no personal data. */
#define HEALTH_ERRORS 8
struct health_error {
	int64_t at; /* unix seconds */
	char id[96], en[96];
};

struct health {
	unsigned service; /* enum flow_service bits in force */
	bool reader_configured, reader_ok;
	/* adm-readerd restarted by its watchdog (it stopped answering) / after dying */
	unsigned reader_watchdog, reader_crashes;
	bool scanner_configured, scanner_ok;
	int n_printers;
	struct health_printer printer[2];
	struct health_sync sync;
	/* technician mode's health page and lists (issue 14) */
	char version[24]; /* adm-kiosk's */
	int64_t uptime_s;
	int n_uncertain; /* the oldest HEALTH_UNCERTAIN, oldest first */
	struct health_uncertain uncertain[HEALTH_UNCERTAIN];
	int n_errors; /* the newest first */
	struct health_error errors[HEALTH_ERRORS];
	/* unix seconds of a citizen's "call staff" on the help panel, 0 none: set by the shell
	 * (app.c) and kept until that visit ends, and at least HEALTH_STAFF_CALL_S, so that a
	 * heartbeat carries even a short visit's call to the central */
	int64_t staff_called;
};

#define HEALTH_STAFF_CALL_S 300

/* The JSON object for the heartbeat (malloc'ed; NULL without memory). updated is the
 * time it describes (unix seconds); 0 leaves it out, for comparing two states. The sync
 * figures are not in it: adm-syncd sends its own. */
char *health_json(const struct health *h, int64_t updated);

#endif
