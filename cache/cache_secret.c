/*
 * Secrets in the cache: account and one-time print PINs (argon2id hashes, failure counts
 * and lockout) and document files encrypted at rest with XChaCha20-Poly1305 under a
 * subkey of the kiosk key. A blob is bound to its SHA-256 (it is the AEAD's additional
 * data) and the plaintext's hash is checked again on every read, so a swapped or
 * corrupted row is refused, never printed.
 */
#include "cache_internal.h"

#include "log.h"
#include "sha256.h"

#include <stdlib.h>
#include <string.h>

int cache_pin_hash(cache_t *c, const char *pin, char *out, size_t out_size)
{
	if (out_size < crypto_pwhash_STRBYTES)
		return CACHE_ERR_INVALID;
	if (crypto_pwhash_str(out, pin, strlen(pin), c->opslimit, c->memlimit) != 0)
		return CACHE_ERR_NOMEM;
	return CACHE_OK;
}

/* Records one failure; returns LOCKED when this one reached the limit. The lock resets
 * the count so that after it expires the citizen has the full number of tries again. */
static enum cache_pin_result count_failure(cache_t *c, const char *table, const char *key,
					   int64_t now)
{
	char sql[400];
	bool doc = strcmp(table, "documents") == 0;
	const char *failed = doc ? "pin_failed" : "failed";
	const char *locked = doc ? "pin_locked_until" : "locked_until";
	const char *keycol = doc ? "id" : "nik";
	snprintf(sql, sizeof(sql),
		 "UPDATE %s SET %s = CASE WHEN %s + 1 >= ?2 THEN 0 ELSE %s + 1 END, "
		 "%s = CASE WHEN %s + 1 >= ?2 THEN ?3 ELSE %s END WHERE %s = ?1 "
		 "RETURNING %s",
		 table, failed, failed, failed, locked, failed, locked, keycol, locked);
	sqlite3_stmt *st = cache_prepare(c, sql);
	if (!st)
		return CACHE_PIN_ERROR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, c->max_failures);
	sqlite3_bind_int64(st, 3, now + c->lockout_s);
	enum cache_pin_result r = CACHE_PIN_ERROR;
	if (cache_step(c, st) == SQLITE_ROW)
		r = sqlite3_column_int64(st, 0) > now ? CACHE_PIN_LOCKED : CACHE_PIN_WRONG;
	sqlite3_finalize(st);
	return r;
}

/* An account PIN's outcome for the registry, which counts a holder's tries over every
 * kiosk and locks them everywhere through the feed: the NIK (as the feed names holders),
 * the time, and for a lock its end; never the PIN. The NIK is 16 digits (checked by the
 * caller's lookup), so the JSON needs no escaping. */
static void queue_pin_event(cache_t *c, const char *kind, const char *nik, int64_t now,
			    int64_t until)
{
	char id[33], body[160];
	cache_new_event_id(id);
	if (until)
		snprintf(body, sizeof(body), "{\"nik\":\"%s\",\"at\":%lld,\"locked_until\":%lld}",
			 nik, (long long)now, (long long)until);
	else
		snprintf(body, sizeof(body), "{\"nik\":\"%s\",\"at\":%lld}", nik, (long long)now);
	if (cache_outbox_add(c, id, kind, body, now) != CACHE_OK)
		log_warn("cache: cannot queue the %s event for the registry", kind);
}

enum cache_pin_result cache_pin_verify(cache_t *c, const char *nik, const char *pin, int64_t now)
{
	sqlite3_stmt *st = cache_prepare(
	    c, "SELECT pin_hash, locked_until, failed, length(nik) = 16 AND nik NOT GLOB "
	       "'*[^0-9]*' FROM holders WHERE nik = ?");
	if (!st)
		return CACHE_PIN_ERROR;
	sqlite3_bind_text(st, 1, nik, -1, SQLITE_STATIC);
	char hash[crypto_pwhash_STRBYTES];
	enum cache_pin_result r;
	int rc = cache_step(c, st);
	if (rc != SQLITE_ROW) {
		r = rc == SQLITE_DONE ? CACHE_PIN_UNKNOWN : CACHE_PIN_ERROR;
		goto out;
	}
	if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
		r = CACHE_PIN_UNKNOWN;
		goto out;
	}
	if (sqlite3_column_int64(st, 1) > now) {
		r = CACHE_PIN_LOCKED;
		goto out;
	}
	cache_col_text(st, 0, hash, sizeof(hash));
	bool had_failures = sqlite3_column_int(st, 2) > 0, digits = sqlite3_column_int(st, 3);
	sqlite3_finalize(st);
	st = NULL;
	if (crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0) {
		st = cache_prepare(c,
				   "UPDATE holders SET failed = 0, locked_until = 0 WHERE nik = ?");
		if (!st)
			return CACHE_PIN_ERROR;
		sqlite3_bind_text(st, 1, nik, -1, SQLITE_STATIC);
		r = cache_step(c, st) == SQLITE_DONE ? CACHE_PIN_OK : CACHE_PIN_ERROR;
		if (r == CACHE_PIN_OK && had_failures && digits) /* the registry's count too */
			queue_pin_event(c, "pin_ok", nik, now, 0);
	} else {
		r = count_failure(c, "holders", nik, now);
		if (digits && (r == CACHE_PIN_WRONG || r == CACHE_PIN_LOCKED))
			queue_pin_event(c, r == CACHE_PIN_LOCKED ? "pin_locked" : "pin_failed", nik,
					now, r == CACHE_PIN_LOCKED ? now + c->lockout_s : 0);
	}
out:
	sqlite3_finalize(st);
	return r;
}

enum cache_pin_result cache_print_pin_verify(cache_t *c, const char *doc_id, const char *pin,
					     int64_t now)
{
	sqlite3_stmt *st = cache_prepare(c, "SELECT print_pin_hash, print_pin_used, "
					    "pin_locked_until, status FROM documents WHERE id = ?");
	if (!st)
		return CACHE_PIN_ERROR;
	sqlite3_bind_text(st, 1, doc_id, -1, SQLITE_STATIC);
	char hash[crypto_pwhash_STRBYTES], status[16];
	enum cache_pin_result r;
	int rc = cache_step(c, st);
	if (rc != SQLITE_ROW) {
		r = rc == SQLITE_DONE ? CACHE_PIN_UNKNOWN : CACHE_PIN_ERROR;
		goto out;
	}
	cache_col_text(st, 3, status, sizeof(status));
	if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
		r = CACHE_PIN_UNKNOWN;
		goto out;
	}
	if (sqlite3_column_int(st, 1) || strcmp(status, "ready") != 0) {
		r = CACHE_PIN_USED;
		goto out;
	}
	if (sqlite3_column_int64(st, 2) > now) {
		r = CACHE_PIN_LOCKED;
		goto out;
	}
	cache_col_text(st, 0, hash, sizeof(hash));
	sqlite3_finalize(st);
	st = NULL;
	if (crypto_pwhash_str_verify(hash, pin, strlen(pin)) != 0) {
		r = count_failure(c, "documents", doc_id, now);
		goto out;
	}
	/* Spend it with a guarded UPDATE: if another connection spent it between our
	 * SELECT and now, no row changes and this attempt loses. */
	st = cache_prepare(c, "UPDATE documents SET print_pin_used = 1, pin_failed = 0 "
			      "WHERE id = ? AND print_pin_used = 0 AND status = 'ready'");
	if (!st)
		return CACHE_PIN_ERROR;
	sqlite3_bind_text(st, 1, doc_id, -1, SQLITE_STATIC);
	if (cache_step(c, st) != SQLITE_DONE)
		r = CACHE_PIN_ERROR;
	else
		r = sqlite3_changes(c->db) == 1 ? CACHE_PIN_OK : CACHE_PIN_USED;
out:
	sqlite3_finalize(st);
	sodium_memzero(hash, sizeof(hash));
	return r;
}

/* ---- blobs ---- */

static bool hex_to_hash(const char *hex, unsigned char out[32])
{
	size_t len = 0;
	if (strlen(hex) != 64)
		return false;
	for (int i = 0; i < 64; i++)
		if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
			return false;
	return sodium_hex2bin(out, 32, hex, 64, NULL, &len, NULL) == 0 && len == 32;
}

int cache_blob_put(cache_t *c, const char *sha256_hex, const void *data, size_t len)
{
	unsigned char want[32], got[32];
	if (!hex_to_hash(sha256_hex, want) || len == 0 || len > CACHE_BLOB_MAX)
		return CACHE_ERR_INVALID;
	if (!sha256(data, len, got))
		return CACHE_ERR_NOMEM;
	if (sodium_memcmp(want, got, 32) != 0)
		return CACHE_ERR_INTEGRITY;

	unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	size_t clen = len + crypto_aead_xchacha20poly1305_ietf_ABYTES;
	unsigned char *ct = malloc(clen);
	if (!ct)
		return CACHE_ERR_NOMEM;
	randombytes_buf(nonce, sizeof(nonce));
	unsigned long long outlen = 0;
	crypto_aead_xchacha20poly1305_ietf_encrypt(ct, &outlen, data, len,
						   (const unsigned char *)sha256_hex, 64, NULL,
						   nonce, CACHE_KEY_BLOB(c));
	/* prepared once per connection: an initial sync stores a thousand of them */
	if (!c->st_blob_put)
		c->st_blob_put = cache_prepare(c, "INSERT OR REPLACE INTO blobs(sha256, size, "
						  "nonce, data) VALUES (?, ?, ?, ?)");
	sqlite3_stmt *st = c->st_blob_put;
	int rc = CACHE_ERR_DB;
	if (st) {
		sqlite3_bind_text(st, 1, sha256_hex, 64, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)len);
		sqlite3_bind_blob(st, 3, nonce, sizeof(nonce), SQLITE_STATIC);
		sqlite3_bind_blob64(st, 4, ct, outlen, SQLITE_STATIC);
		if (cache_step(c, st) == SQLITE_DONE)
			rc = CACHE_OK;
		else
			log_error("cache: storing a blob failed: %s", sqlite3_errmsg(c->db));
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	free(ct);
	return rc;
}

int cache_blob_get(cache_t *c, const char *sha256_hex, unsigned char **out, size_t *len)
{
	unsigned char want[32], got[32];
	*out = NULL;
	*len = 0;
	if (!hex_to_hash(sha256_hex, want))
		return CACHE_ERR_INVALID;
	sqlite3_stmt *st = cache_prepare(c, "SELECT nonce, data FROM blobs WHERE sha256 = ?");
	if (!st)
		return CACHE_ERR_DB;
	sqlite3_bind_text(st, 1, sha256_hex, 64, SQLITE_STATIC);
	int rc = cache_step(c, st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return rc == SQLITE_DONE ? CACHE_ERR_NOT_FOUND : CACHE_ERR_DB;
	}
	const unsigned char *nonce = sqlite3_column_blob(st, 0);
	int nlen = sqlite3_column_bytes(st, 0);
	const unsigned char *ct = sqlite3_column_blob(st, 1);
	size_t clen = (size_t)sqlite3_column_bytes(st, 1);
	rc = CACHE_ERR_INTEGRITY;
	if (nonce && nlen == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES && ct &&
	    clen > crypto_aead_xchacha20poly1305_ietf_ABYTES) {
		unsigned char *pt = malloc(clen);
		unsigned long long plen = 0;
		if (!pt) {
			rc = CACHE_ERR_NOMEM;
		} else if (crypto_aead_xchacha20poly1305_ietf_decrypt(
			       pt, &plen, NULL, ct, clen, (const unsigned char *)sha256_hex, 64,
			       nonce, CACHE_KEY_BLOB(c)) != 0) {
			free(pt);
		} else {
			if (sha256(pt, plen, got) && sodium_memcmp(want, got, 32) == 0) {
				*out = pt;
				*len = plen;
				rc = CACHE_OK;
			} else {
				sodium_memzero(pt, plen);
				free(pt);
			}
		}
	}
	sqlite3_finalize(st);
	if (rc == CACHE_ERR_INTEGRITY) {
		/* Damaged on disk or tampered with: drop it, so that it counts as missing and
		 * adm-syncd fetches it again on its next pass; until then the document is
		 * simply not printable here. */
		st = cache_prepare(c, "DELETE FROM blobs WHERE sha256 = ?");
		if (st) {
			sqlite3_bind_text(st, 1, sha256_hex, 64, SQLITE_STATIC);
			cache_step(c, st);
			sqlite3_finalize(st);
		}
		log_error("cache: blob %.12s failed authentication; removed, to be fetched again",
			  sha256_hex);
	}
	return rc;
}

/* Whether sql, with the hash as its one parameter, finds a row. */
static bool found(cache_t *c, const char *sql, const char *sha256_hex)
{
	sqlite3_stmt *st = cache_prepare(c, sql);
	bool row = false;
	if (st) {
		sqlite3_bind_text(st, 1, sha256_hex, -1, SQLITE_STATIC);
		row = cache_step(c, st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return row;
}

bool cache_blob_has(cache_t *c, const char *sha256_hex)
{
	return found(c, "SELECT 1 FROM blobs WHERE sha256 = ?", sha256_hex);
}

bool cache_blob_wanted(cache_t *c, const char *sha256_hex)
{
	return found(c,
		     "SELECT 1 FROM documents WHERE blob_missing = 1 AND blob_sha256 = ? AND "
		     "status IN ('ready', 'printing') AND gone = 0 LIMIT 1",
		     sha256_hex);
}

static int missing(cache_t *c, const char *nik, int max, cache_missing_fn fn, void *user)
{
	/* For one citizen, their few documents by NIK: the unary + keeps the planner off
	 * documents_blob_state's range of every missing blob (schema 5), which it would
	 * otherwise take for its order of hashes. */
	sqlite3_stmt *st = cache_prepare(
	    c, nik ? "SELECT blob_sha256, max(blob_size) FROM documents WHERE nik = ?2 AND "
		     "+blob_missing = 1 AND status IN ('ready', 'printing') AND gone = 0 "
		     "GROUP BY blob_sha256 LIMIT ?1"
		   : "SELECT blob_sha256, max(blob_size) FROM documents WHERE blob_missing = 1 AND "
		     "status IN ('ready', 'printing') AND gone = 0 GROUP BY blob_sha256 LIMIT ?1");
	int n = 0, rc;
	if (!st)
		return CACHE_ERR_DB;
	sqlite3_bind_int(st, 1, max);
	if (nik)
		sqlite3_bind_text(st, 2, nik, -1, SQLITE_STATIC);
	while ((rc = cache_step(c, st)) == SQLITE_ROW) {
		char hex[65];
		cache_col_text(st, 0, hex, sizeof(hex));
		if (fn)
			fn(hex, sqlite3_column_int64(st, 1), user);
		n++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? n : CACHE_ERR_DB;
}

int cache_blobs_missing(cache_t *c, int max, cache_missing_fn fn, void *user)
{
	return missing(c, NULL, max, fn, user);
}

int cache_blobs_missing_for_nik(cache_t *c, const char *nik, int max, cache_missing_fn fn,
				void *user)
{
	return missing(c, nik, max, fn, user);
}

int cache_print_pins_release_orphans(cache_t *c)
{
	/* A recorded job turns its document 'printing' in the transaction that stores the
	 * job, so a ready document with a spent PIN never reached CUPS's spool: a kiosk died
	 * after cache_print_pin_verify() (a job created without its document never prints).
	 * Only valid while this kiosk runs no print: at start-up. */
	sqlite3_stmt *st = cache_prepare(c, "UPDATE documents SET print_pin_used = 0 "
					    "WHERE print_pin_used = 1 AND status = 'ready'");
	if (!st)
		return CACHE_ERR_DB;
	int rc = cache_step(c, st) == SQLITE_DONE ? sqlite3_changes(c->db) : CACHE_ERR_DB;
	sqlite3_finalize(st);
	return rc;
}

int cache_print_pin_release(cache_t *c, const char *doc_id)
{
	/* Only a document still READY (no job recorded) gets its PIN back here; a recorded
	 * job gives it back through cache_job_finish(). */
	sqlite3_stmt *st = cache_prepare(c, "UPDATE documents SET print_pin_used = 0 "
					    "WHERE id = ? AND status = 'ready'");
	if (!st)
		return CACHE_ERR_DB;
	sqlite3_bind_text(st, 1, doc_id, -1, SQLITE_STATIC);
	int rc = cache_step(c, st) == SQLITE_DONE ? CACHE_OK : CACHE_ERR_DB;
	sqlite3_finalize(st);
	return rc;
}
