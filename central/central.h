/*
 * adm-central, the reference central server: shared declarations between its store (own
 * SQLite file), its synthetic data generator, its PDF renderer and its HTTP front end.
 *
 * Threads: libmicrohttpd runs one thread per connection. The store serialises all
 * database access behind one mutex (the reference server favours simplicity over
 * throughput); the rest of the request handling works on per-request memory only.
 */
#ifndef ADM_CENTRAL_H
#define ADM_CENTRAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

struct store *store_open(const char *path);
void store_close(struct store *s);

/* ---- generation and registration (single-threaded, before serving) ---- */
bool store_begin(struct store *s);
bool store_commit(struct store *s);
void store_rollback(struct store *s); /* after a failed store_begin() .. store_commit() */
bool store_add_citizen(struct store *s, const char *nik, const char *kk, const char *name,
		       const char *pin_hash);
bool store_add_document(struct store *s, const char *id, const char *nik, const char *kk,
			const char *type, const char *title_id, const char *title_en, int pages,
			const char *media, int64_t created, int64_t expires, const char *sha256,
			const void *pdf, size_t pdf_len, const char *pin_hash);
bool store_add_application(struct store *s, const char *id, const char *nik, const char *type,
			   const char *stage, int64_t expected);
/* Registers a kiosk, or changes its token or region. A token is stored as its SHA-256
 * only (store_token_hash: lowercase hex). A region is a kabupaten/kota code, "32.73" (the
 * one form: the kiosks file converts "3273"), or "" for all; the kiosk's citizens are
 * those whose NIK begins with its digits. */
#define STORE_TOKEN_HASH_LEN 64
bool store_token_hash(const char *token, char hex[STORE_TOKEN_HASH_LEN + 1]);
bool store_add_kiosk(struct store *s, const char *id, const char *token_sha256, const char *region);

/* ---- serving ---- */
/* The kiosk's region ("" = all) if the token matches (compared as hashes, in constant
 * time), else false. Without a kiosk id (blobs), any kiosk's token. */
bool store_kiosk_auth(struct store *s, const char *kiosk, const char *token, char *region,
		      size_t region_size);
/* A changes page of kiosk's feed as JSON (malloc'ed) after cursor since, at most limit
 * entries: its region's changes (every change for region "") and those of the citizens
 * it fetched on demand. */
char *store_changes_page(struct store *s, const char *kiosk, const char *region, int64_t since,
			 int limit, int64_t now, int64_t follow_s);
/* Everything about one citizen as {"changes":[...]}; NULL if unknown. A citizen outside
 * the kiosk's region is followed: their changes join kiosk's feed for follow_s seconds from
 * now (each fetch starts the time again), and the answer says until when
 * ("follow_until"). */
char *store_citizen(struct store *s, const char *kiosk, const char *region, const char *nik,
		    int64_t now, int64_t follow_s);
/* A blob's bytes (malloc'ed) or NULL. */
unsigned char *store_blob(struct store *s, const char *sha256, size_t *len);
/* Stores an event (idempotent by id: one stored before is STORED again, and changes
 * nothing); a new "printed" event collects its document. A printed or print_failed event
 * must be about a document of the kiosk's feed (its region's, or of a citizen it fetched
 * on demand within twice the follow time): else UNKNOWN_DOCUMENT or NOT_IN_FEED and
 * nothing is stored. */
enum {
	STORE_EVENT_STORED,
	STORE_EVENT_UNKNOWN_DOCUMENT,
	STORE_EVENT_NOT_IN_FEED,
	STORE_EVENT_ERROR,
};
/* An account PIN event (pin_failed, pin_ok, pin_locked) is about a holder of the kiosk's
 * feed (else NOT_IN_FEED): the registry counts their wrong tries over every kiosk; the
 * tries-th locks them for lock_s, as does a kiosk's own lock (until, at most lock_s from
 * now), and the lock reaches every kiosk in the feed's holder record (locked_until). */
struct store_pin {
	const char *nik; /* NULL: not a PIN event */
	int64_t until;	 /* pin_locked: the kiosk's lock ends then */
	int tries;
	int64_t lock_s, now;
};
int store_event(struct store *s, const char *kiosk, const char *region, const char *id,
		const char *kind, const char *document, const struct store_pin *pin,
		const char *json);
bool store_heartbeat(struct store *s, const char *kiosk, const char *json, int64_t now);
void store_count(struct store *s, const char *stat);

/* ---- synthetic data ---- */
struct gen_options {
	uint64_t seed;
	int citizens;
	int doc_every;	 /* every Nth citizen has a ready document */
	int print_pins;	 /* print this many citizens' PINs for the demo */
	bool pwhash_min; /* cheap argon2id limits (tests, benchmarks) */
	bool tiny_pdf;	 /* skip cairo (benchmark of records only) */
};
bool gen_run(struct store *s, const struct gen_options *o);

/* ---- PDF rendering ---- */
struct pdf_doc {
	const char *title_id, *title_en, *nik, *kk, *name, *birth, *region, *doc_id;
	bool card;
	int pages; /* 0 or 1: one page */
};
/* Draws the document; returns malloc'ed PDF bytes or NULL. */
unsigned char *pdf_render(const struct pdf_doc *d, size_t *len);

#endif
