/*
 * The kiosk's local cache: one SQLite file (WAL) that adm-syncd fills from the central
 * server and adm-kiosk reads to serve citizens offline. This module owns the schema and
 * is the only code that runs SQL against it.
 *
 * Threads: a cache_t is one SQLite connection and must be used by one thread at a time.
 * Open one handle per thread or process; SQLite's WAL and busy_timeout arbitrate between
 * them (adm-syncd writes pages while adm-kiosk reads and records print outcomes).
 *
 * Personal data: NIK and names are stored (the kiosk must look them up offline), PINs
 * only as argon2id hashes, document files only encrypted under the kiosk key, and the
 * audit trail holds NIKs only as keyed hashes. Nothing here logs a NIK or a PIN in clear.
 */
#ifndef ADM_CACHE_H
#define ADM_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cache cache_t;

enum cache_err {
	CACHE_OK = 0,
	CACHE_ERR_DB = -1,  /* SQLite failed (corrupt, full disk, locked too long) */
	CACHE_ERR_KEY = -2, /* key file missing, wrong size or readable by others */
	CACHE_ERR_NOT_FOUND = -3,
	CACHE_ERR_INTEGRITY = -4, /* a blob failed authentication or its SHA-256 */
	CACHE_ERR_INVALID = -5,	  /* an argument or record that breaks a rule */
	CACHE_ERR_NOMEM = -6,
	CACHE_ERR_STATE = -7,	/* the document is not in a state that allows this */
	CACHE_ERR_DAMAGED = -8, /* cache_open: the file is not an SQLite database, or corrupt */
};
/* Cache codes stay within -1..CACHE_ERR_LAST; other modules' codes (adm-syncd's net.h) lie
 * below it, so that code handling both never takes one for the other. */
#define CACHE_ERR_LAST (-99)
const char *cache_strerror(int err);

#define CACHE_NIK_LEN	 16
#define CACHE_ID_MAX	 64 /* document / application / event ids */
#define CACHE_TITLE_MAX	 200
#define CACHE_NAME_MAX	 120
#define CACHE_CURSOR_MAX 128
#define CACHE_SHA256_HEX 64
#define CACHE_BLOB_MAX	 (32u * 1024u * 1024u)
#define CACHE_KEY_BYTES	 32

struct cache_options {
	const char *path;     /* database file */
	const char *key_path; /* kiosk key: 32 raw bytes, mode 0400/0600, never in the DB */
	/* argon2id cost for PINs hashed locally (tests use the minimum); hashes coming from
	 * the server carry their own parameters. 0 means crypto_pwhash's interactive limits. */
	unsigned long long pwhash_opslimit;
	size_t pwhash_memlimit;
	int max_pin_failures; /* failures before lockout; 0 = 3 */
	int lockout_seconds;  /* 0 = 900 */
	int busy_timeout_ms;  /* 0 = 5000 */
};

/* Opens (creating and migrating if needed). NULL on failure with *err set. */
cache_t *cache_open(const struct cache_options *opt, int *err);
void cache_close(cache_t *c); /* NULL-safe */
int cache_schema_version(cache_t *c);
/* The version this program migrates a cache to. */
#define CACHE_SCHEMA_VERSION 5
/* PRAGMA integrity_check == "ok" */
bool cache_integrity_ok(cache_t *c);
/* PRAGMA quick_check == "ok" (no index cross-check: seconds at a million documents) */
bool cache_quick_check_ok(cache_t *c);

/* ---- a damaged file (docs/cache.md) ---- */
/* True once a statement on this handle found the file corrupt (SQLITE_CORRUPT or
 * SQLITE_NOTADB) or a check above failed: the handle will go on failing; close it. */
bool cache_damaged(const cache_t *c);
/* What only this kiosk knows, read from a damaged cache as far as it can be read: unsent
 * events, the consumable counters and the prints held as uncertain (with their documents).
 * Written back into the emptied cache. */
struct cache_salvage;
struct cache_salvage *cache_salvage_read(cache_t *c); /* NULL without memory */
int cache_salvage_write(cache_t *c, const struct cache_salvage *s);
void cache_salvage_counts(const struct cache_salvage *s, size_t *events, size_t *state,
			  bool *partial);
/* Prints held as uncertain that were read (they come back held, with their documents). */
size_t cache_salvage_held(const struct cache_salvage *s);
void cache_salvage_free(struct cache_salvage *s); /* NULL-safe */
/* Copies the file (and its -wal) to aside for a technician, then empties it in place
 * (other processes may keep it open). Close this process's handles first. */
int cache_reset_damaged(const char *path, const char *aside);
/* A process that found damage and cannot repair it asks adm-syncd to check the file: a
 * marker "<path>.check" beside it. */
void cache_request_check(const char *path);
bool cache_check_requested(const char *path);
void cache_check_done(const char *path);

/* Derived from the kiosk key (not the key itself): for log_set_redact_key(). */
void cache_redact_key(cache_t *c, unsigned char out[32]);

/* ---- documents ---- */
enum cache_doc_status {
	CACHE_DOC_READY = 0,
	CACHE_DOC_PRINTING,
	CACHE_DOC_PRINTED,
	CACHE_DOC_EXPIRED,
	CACHE_DOC_REVOKED,
};
const char *cache_doc_status_name(enum cache_doc_status s);
bool cache_doc_status_parse(const char *s, enum cache_doc_status *out);

enum cache_media { CACHE_MEDIA_A4 = 0, CACHE_MEDIA_CARD };

struct cache_document {
	char id[CACHE_ID_MAX + 1];
	char nik[CACHE_NIK_LEN + 1];
	char kk[CACHE_NIK_LEN + 1];
	char type[33]; /* short code: KK, AKTA_LAHIR, KTP_EL, KIA, ... */
	char title_id[CACHE_TITLE_MAX + 1];
	char title_en[CACHE_TITLE_MAX + 1];
	int pages;
	enum cache_media media;
	int64_t created, expires; /* unix seconds */
	char blob_sha256[CACHE_SHA256_HEX + 1];
	int64_t blob_size;
	enum cache_doc_status status;
	int print_count;
	bool blob_present; /* filled by lookups */
};

/* Calls fn for each document of the NIK (or KK), ordered by creation; returns the count
 * or a negative cache_err. Lookups use indexes: well under 1 ms at a million rows. */
typedef void (*cache_doc_fn)(const struct cache_document *d, void *user);
int cache_documents_for_nik(cache_t *c, const char *nik, cache_doc_fn fn, void *user);
int cache_documents_for_kk(cache_t *c, const char *kk, cache_doc_fn fn, void *user);
int cache_document_get(cache_t *c, const char *id, struct cache_document *out);
int64_t cache_document_count(cache_t *c);

/* ---- holders and PINs ---- */
struct cache_holder {
	char nik[CACHE_NIK_LEN + 1];
	char kk[CACHE_NIK_LEN + 1];
	char name[CACHE_NAME_MAX + 1];
	int failed;
	int64_t locked_until;
	int64_t follow_until; /* 0: in the kiosk's scope; else the server's follow ends then */
};
int cache_holder_find(cache_t *c, const char *nik, struct cache_holder *out);

enum cache_pin_result {
	CACHE_PIN_OK = 0,
	CACHE_PIN_WRONG,
	CACHE_PIN_LOCKED,  /* too many failures: try again after locked_until */
	CACHE_PIN_UNKNOWN, /* no such holder / document, or no PIN on record */
	CACHE_PIN_USED,	   /* the one-time print PIN was already spent */
	CACHE_PIN_ERROR,   /* database failure */
};
/* Account PIN. A success clears the failure count; reaching max_pin_failures locks the
 * holder for lockout_seconds from now. */
enum cache_pin_result cache_pin_verify(cache_t *c, const char *nik, const char *pin, int64_t now);
/* One-time print PIN of a document: a success spends it (atomically, so two kiosks
 * processes cannot both print on one PIN); failures lock like the account PIN. */
enum cache_pin_result cache_print_pin_verify(cache_t *c, const char *doc_id, const char *pin,
					     int64_t now);
/* Gives a spent print PIN back when its print never started (no job recorded). */
int cache_print_pin_release(cache_t *c, const char *doc_id);
/* Hashes a PIN with this cache's argon2id limits into out (crypto_pwhash_STRBYTES). */
int cache_pin_hash(cache_t *c, const char *pin, char *out, size_t out_size);

/* ---- applications in progress ---- */
struct cache_application {
	char id[CACHE_ID_MAX + 1];
	char nik[CACHE_NIK_LEN + 1];
	char type[33];
	char stage[33];	  /* e.g. BIO_CAPTURED, PROCESSING, SENT_FOR_ENROLLMENT */
	int64_t expected; /* unix seconds, 0 if unknown */
};
typedef void (*cache_app_fn)(const struct cache_application *a, void *user);
int cache_applications_for_nik(cache_t *c, const char *nik, cache_app_fn fn, void *user);

/* ---- blobs (document files, encrypted at rest) ---- */
/* Checks data against sha256_hex, then stores it encrypted. */
int cache_blob_put(cache_t *c, const char *sha256_hex, const void *data, size_t len);
/* Decrypts and re-checks the SHA-256; *out is malloc'ed (caller wipes and frees). A blob
 * that fails (CACHE_ERR_INTEGRITY) is removed, so that adm-syncd fetches it again. */
int cache_blob_get(cache_t *c, const char *sha256_hex, unsigned char **out, size_t *len);
bool cache_blob_has(cache_t *c, const char *sha256_hex);
/* Whether a printable document still waits for this blob (a partial download of it is
 * worth keeping). */
bool cache_blob_wanted(cache_t *c, const char *sha256_hex);
/* Groups many writes (adm-syncd: a run of blob puts) into one transaction, so that the
 * commit cost is paid once. Keep batches short: other writers wait meanwhile. */
int cache_batch_begin(cache_t *c);
int cache_batch_end(cache_t *c); /* commits; NULL-safe on no open batch */
/* Blobs that documents reference but that are not stored yet (for adm-syncd). */
typedef void (*cache_missing_fn)(const char *sha256_hex, int64_t size, void *user);
int cache_blobs_missing(cache_t *c, int max, cache_missing_fn fn, void *user);
/* The same for one citizen's documents. */
int cache_blobs_missing_for_nik(cache_t *c, const char *nik, int max, cache_missing_fn fn,
				void *user);

/* ---- print jobs ---- */
/* Records a CUPS job for a document before it is released: the document turns PRINTING.
 * Returns the job's row id (>0) or a negative cache_err. */
int64_t cache_job_record(cache_t *c, const char *doc_id, int cups_job_id, int64_t now);
/* Ends a job. ok: the document is PRINTED, its print count grows and a "printed" event
 * goes to the outbox in the same transaction. !ok: the document is READY again, its print
 * PIN unspent, and a "print_failed" event is queued with the reason. */
int cache_job_finish(cache_t *c, int64_t job, bool ok, const char *reason, int64_t now);
/* Only the event of a print whose job row is gone (a damaged cache was emptied while the
 * document printed): the registry must still hear of it. A second "printed" event for a
 * document is harmless there. */
int cache_print_event(cache_t *c, const char *doc_id, bool ok, const char *reason, int64_t now);
/* Jobs still open (for reconciliation with CUPS after a restart). */
typedef void (*cache_job_fn)(int64_t job, const char *doc_id, int cups_job_id, void *user);
int cache_jobs_open(cache_t *c, cache_job_fn fn, void *user);
/* A job the kiosk canceled after the printer had it (it may still come out): UNCERTAIN.
 * The document stays PRINTING (offered to nobody, its PIN spent, no event) until a
 * technician settles it. CACHE_ERR_STATE if the job is not open. */
int cache_job_hold(cache_t *c, int64_t job, const char *reason, int64_t now);
/* The technician's verdict on an uncertain job (technician mode, admctl): printed as
 * cache_job_finish(ok) does, or not printed: READY again with its PIN back. Either queues
 * its event. CACHE_ERR_STATE if the job is not uncertain. */
int cache_job_settle(cache_t *c, int64_t job, bool printed, int64_t now);
/* Jobs waiting for that verdict, oldest first; their count or a negative cache_err. */
int cache_jobs_uncertain(cache_t *c, cache_job_fn fn, void *user);
/* At start-up, before any print: gives back every print PIN spent on a document that has
 * no job (the kiosk died between the PIN and CUPS's job id). Their count, or an error. */
int cache_print_pins_release_orphans(cache_t *c);

/* ---- outbox ---- */
struct cache_event {
	int64_t seq;
	char event_id[CACHE_ID_MAX + 1];
	char kind[33];
	char *body; /* JSON object, owned by the cache until the callback returns */
	int64_t created;
};
/* Adds an event; an event id already present is ignored (returns CACHE_OK). */
int cache_outbox_add(cache_t *c, const char *event_id, const char *kind, const char *body_json,
		     int64_t now);
typedef void (*cache_event_fn)(const struct cache_event *e, void *user);
int cache_outbox_next(cache_t *c, int max, cache_event_fn fn, void *user);
int cache_outbox_ack(cache_t *c, const char *event_id);
int64_t cache_outbox_pending(cache_t *c);
/* The server refused an event for good (the "refused" list of its answer; codes invalid,
 * no_document, unknown_document, not_in_feed): it stays in the outbox for a technician,
 * marked with that code, and is not sent again. 1 when it was marked now, 0 when it was
 * not pending, CACHE_ERR_INVALID for another code ("internal": send it again later). */
int cache_outbox_refuse(cache_t *c, const char *event_id, const char *code);
int64_t cache_outbox_refused(cache_t *c);
/* The code an outbox row's acked value stands for, NULL when it is not a refusal. */
const char *cache_outbox_refusal_name(int64_t acked);
/* Fills out with 32 hex characters of randomness: a fresh event id. */
void cache_new_event_id(char out[33]);

/* ---- changes from the server ---- */
enum cache_change_kind { CACHE_CH_DOCUMENT, CACHE_CH_HOLDER, CACHE_CH_APPLICATION };
struct cache_change {
	enum cache_change_kind kind;
	bool del;
	/* key: document id, holder NIK or application id */
	union {
		struct {
			struct cache_document doc;
			const char *print_pin_hash; /* argon2id string or NULL */
		} d;
		struct {
			struct cache_holder h;
			const char *pin_hash; /* argon2id string or NULL */
		} h;
		struct cache_application a;
	} u;
	const char *key; /* for deletes */
};
/* Applies changes and stores the new cursor in ONE transaction: after a crash either the
 * whole page and its cursor are there, or neither. cursor NULL: leave the cursor alone
 * (on-demand answers, which are not part of the feed). */
int cache_apply_page(cache_t *c, const struct cache_change *ch, size_t n, const char *cursor,
		     int64_t now);
/* An on-demand answer: its changes, in one transaction, without the cursor. follow_until
 * > 0: the server sends this citizen's changes until then (they are outside the kiosk's
 * own scope), so the purge drops the answer's holders after it; 0: they are in scope
 * (from now on, if they were followed before). */
int cache_apply_citizen(cache_t *c, const struct cache_change *ch, size_t n, int64_t follow_until,
			int64_t now);
#define CACHE_AUDIT_KEEP_DAYS 400 /* a year and a month of audit, then the purge drops it */
/* The cursor to resume from ("" before the first page). */
int cache_cursor(cache_t *c, char out[CACHE_CURSOR_MAX + 1]);
/* Small key/value state of adm-syncd (last success time, ...). */
int cache_state_set(cache_t *c, const char *key, const char *value);
int cache_state_get(cache_t *c, const char *key, char *out, size_t out_size);

/* ---- purging ---- */
struct cache_purge_stats {
	int documents, blobs, events, jobs, holders, audit;
};
/* Removes printed documents and their blobs, expired and revoked documents, blobs no
 * document references, acknowledged events, old finished jobs, citizens fetched on
 * demand once the server stopped following them (with what they had, unless a print of
 * theirs is running or not yet reported) and audit rows older than CACHE_AUDIT_KEEP_DAYS
 * (by the database's clock, as its trigger). */
int cache_purge(cache_t *c, int64_t now, struct cache_purge_stats *st);

/* ---- audit (append-only; the NIK only as a keyed hash) ---- */
int cache_audit(cache_t *c, const char *what, const char *nik, const char *detail, int64_t now);

/* Reads the audit from since (unix seconds) on, oldest first, at most max rows (0: all);
 * their count or a negative cache_err. nik_hash is "" when the row names no citizen. */
struct cache_audit_row {
	int64_t seq, at;
	const char *what, *nik_hash, *detail; /* valid during the callback */
};
typedef void (*cache_audit_fn)(const struct cache_audit_row *r, void *user);
int cache_audit_list(cache_t *c, int64_t since, int max, cache_audit_fn fn, void *user);

/* ---- technicians (cache_tech.c) ---- */
/* The technician PIN locks after CACHE_TECH_TRIES wrong tries in a row, for
 * CACHE_TECH_LOCK_S. Kept here, not in the kiosk's memory, so that lifting the card or
 * restarting the kiosk gives no fresh tries. */
#define CACHE_TECH_TRIES  5
#define CACHE_TECH_LOCK_S 900
struct cache_tech_lock {
	int failures;	      /* wrong tries since the last good one or the last lock */
	int64_t locked_until; /* unix seconds; locked while now < locked_until */
};
int cache_tech_lock_get(cache_t *c, struct cache_tech_lock *out);
/* Records one try (in the audit too): a good one clears the count, the fifth wrong one
 * locks. out gets the state after it. A try while locked is not made: the caller checks
 * cache_tech_lock_get first. */
int cache_tech_pin_tried(cache_t *c, bool ok, int64_t now, struct cache_tech_lock *out);
/* The technician's out-of-service message (admctl service off): "" when in service. Kept
 * here so that it outlives a restart of the kiosk, and admctl sets it with the kiosk
 * stopped. */
int cache_service_message_set(cache_t *c, const char *msg);
int cache_service_message(cache_t *c, char *out, size_t out_size);
/* The same for one print queue (admctl service off --queue, technician mode): its
 * documents cannot be chosen while it holds a message. */
int cache_queue_message_set(cache_t *c, const char *queue, const char *msg);
int cache_queue_message(cache_t *c, const char *queue, char *out, size_t out_size);

/* ---- on-demand fetch requests (kiosk -> adm-syncd through the database) ---- */
enum cache_fetch_state {
	CACHE_FETCH_PENDING = 0,
	CACHE_FETCH_DONE,      /* fetched: the cache now has what the server knows */
	CACHE_FETCH_NOT_FOUND, /* the server does not know this NIK */
	CACHE_FETCH_OFFLINE,   /* no network: "needs the network" */
	CACHE_FETCH_FAILED,
};
const char *cache_fetch_state_name(enum cache_fetch_state s);
/* The kiosk asks; returns the request id (>0) or a negative cache_err. */
int64_t cache_fetch_request(cache_t *c, const char *nik, int64_t now);
int cache_fetch_status(cache_t *c, int64_t id, enum cache_fetch_state *st);
/* adm-syncd takes the oldest pending request; 0 when none, else its id. */
int64_t cache_fetch_take(cache_t *c, char nik[CACHE_NIK_LEN + 1], int64_t *created);
int cache_fetch_answer(cache_t *c, int64_t id, enum cache_fetch_state st, int64_t now);

/* Raw access for tools and tests that need to run their own read-only SQL. */
struct sqlite3 *cache_db(cache_t *c);

#endif
