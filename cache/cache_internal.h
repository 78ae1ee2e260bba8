/*
 * Shared between the cache's source files only: the handle's layout, the key material
 * derived from the kiosk key, and small SQLite helpers. Not installed, not for callers.
 */
#ifndef ADM_CACHE_INTERNAL_H
#define ADM_CACHE_INTERNAL_H

#include "cache.h"

#include <sodium.h>
#include <sqlite3.h>

/* The statements of a page's apply (cache_docs.c) */
enum { ST_DOC_UP, ST_DOC_DEL, ST_DOC_GONE, ST_HOLD_UP, ST_HOLD_DEL, ST_APP_UP, ST_APP_DEL, ST_N };

struct cache {
	sqlite3 *db;
	/* Subkeys derived from the kiosk key with crypto_kdf; the key itself is wiped after
	 * open. Kept in sodium_malloc'ed memory (guarded, not swapped). */
	unsigned char *keys; /* blob AEAD key | audit hash key | log redact key */
	unsigned long long opslimit;
	size_t memlimit;
	int max_failures;
	int lockout_s;
	/* the kiosk's hot lookups, the sync's blob inserts and its page apply (cache_docs.c),
	 * prepared once per connection */
	sqlite3_stmt *st_nik, *st_kk, *st_blob_put;
	sqlite3_stmt *st_apply[ST_N];
	bool damaged; /* a statement found the file corrupt (see cache_damaged) */
};

#define CACHE_KEY_BLOB(c)   ((c)->keys)
#define CACHE_KEY_AUDIT(c)  ((c)->keys + 32)
#define CACHE_KEY_REDACT(c) ((c)->keys + 64)

/* Runs SQL without results; logs and returns CACHE_ERR_DB on failure. */
int cache_exec(cache_t *c, const char *sql);
int cache_begin(cache_t *c); /* BEGIN IMMEDIATE: take the write lock up front */
int cache_commit(cache_t *c);
void cache_rollback(cache_t *c);
/* sqlite3_step() that remembers a corrupt file (SQLITE_CORRUPT, SQLITE_NOTADB) in
 * c->damaged: every statement of the cache steps through here. */
int cache_step(cache_t *c, sqlite3_stmt *st);
/* Prepares or logs; NULL on failure. */
sqlite3_stmt *cache_prepare(cache_t *c, const char *sql);
/* Finalizes n statements and clears their pointers (NULL ones are skipped). */
void cache_finalize_all(sqlite3_stmt **st, int n);
/* Copies a text column into a fixed buffer (truncating; empty for NULL). */
void cache_col_text(sqlite3_stmt *st, int col, char *out, size_t size);

int cache_migrate(cache_t *c);

/* CACHE_AUDIT_KEEP_DAYS in seconds as SQL text, for the audit's trigger (which cannot take
 * a parameter) and the purge (which must agree with it) */
#define CACHE_STR_(x) #x
#define CACHE_STR(x)  CACHE_STR_(x)
#define AUDIT_KEEP_S  "(" CACHE_STR(CACHE_AUDIT_KEEP_DAYS) " * 86400)"

#endif
