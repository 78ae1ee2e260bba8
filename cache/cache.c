/*
 * Opening and closing the cache: the SQLite connection with its pragmas (WAL,
 * busy_timeout, foreign keys), the kiosk key file and the subkeys derived from it, and
 * the small helpers the other cache files share. Also the key/value sync state and the
 * append-only audit trail, which are too small for files of their own.
 */
#include "cache_internal.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *cache_strerror(int err)
{
	switch (err) {
	case CACHE_OK:
		return "ok";
	case CACHE_ERR_DB:
		return "database error";
	case CACHE_ERR_KEY:
		return "kiosk key file missing, malformed or not private";
	case CACHE_ERR_NOT_FOUND:
		return "not found";
	case CACHE_ERR_INTEGRITY:
		return "blob failed its integrity check";
	case CACHE_ERR_INVALID:
		return "invalid argument";
	case CACHE_ERR_NOMEM:
		return "out of memory";
	case CACHE_ERR_DAMAGED:
		return "the file is damaged (not a database, or corrupt)";
	case CACHE_ERR_STATE:
		return "not allowed in the document's state";
	}
	return "unknown error";
}

static void note_damage(cache_t *c, int rc)
{
	rc &= 0xff;
	if ((rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) && !c->damaged) {
		c->damaged = true;
		log_error("cache: the file is damaged: %s", sqlite3_errmsg(c->db));
	}
}

int cache_step(cache_t *c, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		note_damage(c, rc);
	return rc;
}

bool cache_damaged(const cache_t *c)
{
	return c->damaged;
}

int cache_exec(cache_t *c, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		note_damage(c, rc);
		log_error("cache: %s", msg ? msg : sqlite3_errmsg(c->db));
		sqlite3_free(msg);
		return CACHE_ERR_DB;
	}
	return CACHE_OK;
}

int cache_begin(cache_t *c)
{
	return cache_exec(c, "BEGIN IMMEDIATE");
}

int cache_commit(cache_t *c)
{
	if (cache_exec(c, "COMMIT") != CACHE_OK) {
		cache_rollback(c);
		return CACHE_ERR_DB;
	}
	return CACHE_OK;
}

void cache_rollback(cache_t *c)
{
	if (!sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

int cache_batch_begin(cache_t *c)
{
	return cache_begin(c);
}

int cache_batch_end(cache_t *c)
{
	return sqlite3_get_autocommit(c->db) ? CACHE_OK : cache_commit(c);
}

sqlite3_stmt *cache_prepare(cache_t *c, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		note_damage(c, rc);
		log_error("cache: prepare failed: %s", sqlite3_errmsg(c->db));
		return NULL;
	}
	return st;
}

void cache_finalize_all(sqlite3_stmt **st, int n)
{
	for (int i = 0; i < n; i++) {
		sqlite3_finalize(st[i]);
		st[i] = NULL;
	}
}

void cache_col_text(sqlite3_stmt *st, int col, char *out, size_t size)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	snprintf(out, size, "%s", t ? (const char *)t : "");
}

/*
 * The key file must be exactly 32 bytes, a regular file, and unreadable by group and
 * others: a key that any local user can read protects nothing, so refuse it loudly.
 */
static int load_key(const char *path, unsigned char key[CACHE_KEY_BYTES])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		log_error("cache: cannot open key file %s: %s", path, strerror(errno));
		return CACHE_ERR_KEY;
	}
	struct stat sb;
	int rc = CACHE_ERR_KEY;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		log_error("cache: key file %s is not a regular file", path);
	} else if (sb.st_mode & (S_IRWXG | S_IRWXO)) {
		log_error("cache: key file %s is accessible by group or others (mode %03o); "
			  "chmod 600 it",
			  path, (unsigned)(sb.st_mode & 0777));
	} else if (sb.st_uid != 0 && sb.st_uid != geteuid()) {
		log_error("cache: key file %s belongs to another user", path);
	} else if (sb.st_size != CACHE_KEY_BYTES) {
		log_error("cache: key file %s must hold exactly %d bytes", path, CACHE_KEY_BYTES);
	} else if (read(fd, key, CACHE_KEY_BYTES) != CACHE_KEY_BYTES) {
		log_error("cache: cannot read key file %s", path);
	} else {
		rc = CACHE_OK;
	}
	close(fd);
	return rc;
}

cache_t *cache_open(const struct cache_options *opt, int *err)
{
	int e = CACHE_ERR_NOMEM;
	unsigned char key[CACHE_KEY_BYTES];
	cache_t *c = NULL;

	if (sodium_init() < 0)
		goto fail;
	c = calloc(1, sizeof(*c));
	if (!c)
		goto fail;
	c->keys = sodium_malloc(96);
	if (!c->keys)
		goto fail;
	e = load_key(opt->key_path, key);
	if (e != CACHE_OK)
		goto fail;
	/* Separate subkeys so that the audit hash can never be used to forge blob tags. */
	crypto_kdf_derive_from_key(CACHE_KEY_BLOB(c), 32, 1, "admcache", key);
	crypto_kdf_derive_from_key(CACHE_KEY_AUDIT(c), 32, 2, "admcache", key);
	crypto_kdf_derive_from_key(CACHE_KEY_REDACT(c), 32, 3, "admcache", key);
	sodium_memzero(key, sizeof(key));
	sodium_mprotect_readonly(c->keys);

	c->opslimit =
	    opt->pwhash_opslimit ? opt->pwhash_opslimit : crypto_pwhash_OPSLIMIT_INTERACTIVE;
	c->memlimit =
	    opt->pwhash_memlimit ? opt->pwhash_memlimit : crypto_pwhash_MEMLIMIT_INTERACTIVE;
	c->max_failures = opt->max_pin_failures > 0 ? opt->max_pin_failures : 3;
	c->lockout_s = opt->lockout_seconds > 0 ? opt->lockout_seconds : 900;

	e = CACHE_ERR_DB;
	if (sqlite3_open_v2(opt->path, &c->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		log_error("cache: cannot open %s: %s", opt->path,
			  c->db ? sqlite3_errmsg(c->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(c->db, opt->busy_timeout_ms > 0 ? opt->busy_timeout_ms : 5000);
	/* synchronous=NORMAL in WAL mode: a power cut may lose the last commits but never
	 * corrupts; syncd re-fetches from its stored cursor, so that is the right trade. */
	/* Checkpoints every 32 MiB of WAL instead of 4: an initial sync writes tens of MiB
	 * of blobs, and each checkpoint copies and fsyncs (measured: blobs ~20% faster).
	 * journal_size_limit gives the space back afterwards. */
	if (cache_exec(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			  "PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
			  "PRAGMA wal_autocheckpoint=8192; PRAGMA journal_size_limit=33554432;") !=
	    CACHE_OK)
		goto fail;
	if (cache_migrate(c) != CACHE_OK)
		goto fail;

	/* The file holds names and NIKs: keep it private whatever the umask was. Private to a
	 * group only when the file was made group-writable on purpose: on a kiosk adm-kiosk
	 * and adm-syncd are two users sharing it through adm-cache (deploy/tmpfiles.conf). */
	struct stat st;
	bool shared = stat(opt->path, &st) == 0 && (st.st_mode & S_IWGRP);
	chmod(opt->path, shared ? 0660 : 0600);
	if (err)
		*err = CACHE_OK;
	return c;
fail:
	sodium_memzero(key, sizeof(key));
	if (c && c->db) {
		int ec = sqlite3_errcode(c->db);
		if (ec == SQLITE_NOTADB || ec == SQLITE_CORRUPT)
			e = CACHE_ERR_DAMAGED;
	}
	cache_close(c);
	if (err)
		*err = e;
	return NULL;
}

void cache_close(cache_t *c)
{
	if (!c)
		return;
	sqlite3_finalize(c->st_nik);
	sqlite3_finalize(c->st_kk);
	sqlite3_finalize(c->st_blob_put);
	cache_finalize_all(c->st_apply, ST_N);
	if (c->db)
		sqlite3_close_v2(c->db);
	sodium_free(c->keys);
	free(c);
}

static bool check_ok(cache_t *c, const char *pragma)
{
	sqlite3_stmt *st = cache_prepare(c, pragma);
	bool ok = false;
	if (st && cache_step(c, st) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		ok = t && strcmp((const char *)t, "ok") == 0;
		/* what it found (page numbers, never content), on one line */
		if (!ok && !c->damaged) {
			char what[160];
			snprintf(what, sizeof(what), "%s", t ? (const char *)t : "?");
			for (char *p = what; *p; p++)
				if (*p == '\n')
					*p = ' ';
			c->damaged = true;
			log_error("cache: %s: %s", pragma, what);
		}
	}
	sqlite3_finalize(st);
	return ok;
}

bool cache_integrity_ok(cache_t *c)
{
	return check_ok(c, "PRAGMA integrity_check");
}

bool cache_quick_check_ok(cache_t *c)
{
	return check_ok(c, "PRAGMA quick_check");
}

void cache_redact_key(cache_t *c, unsigned char out[32])
{
	memcpy(out, CACHE_KEY_REDACT(c), 32);
}

struct sqlite3 *cache_db(cache_t *c)
{
	return c->db;
}

int cache_state_set(cache_t *c, const char *key, const char *value)
{
	sqlite3_stmt *st =
	    cache_prepare(c, "INSERT INTO sync_state(key, value) VALUES (?, ?) "
			     "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
	if (!st)
		return CACHE_ERR_DB;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	int rc = cache_step(c, st) == SQLITE_DONE ? CACHE_OK : CACHE_ERR_DB;
	sqlite3_finalize(st);
	return rc;
}

int cache_state_get(cache_t *c, const char *key, char *out, size_t out_size)
{
	sqlite3_stmt *st = cache_prepare(c, "SELECT value FROM sync_state WHERE key = ?");
	if (!st)
		return CACHE_ERR_DB;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int rc = cache_step(c, st);
	if (rc == SQLITE_ROW) {
		cache_col_text(st, 0, out, out_size);
		rc = CACHE_OK;
	} else {
		if (out_size)
			out[0] = '\0';
		rc = rc == SQLITE_DONE ? CACHE_ERR_NOT_FOUND : CACHE_ERR_DB;
	}
	sqlite3_finalize(st);
	return rc;
}

int cache_cursor(cache_t *c, char out[CACHE_CURSOR_MAX + 1])
{
	int rc = cache_state_get(c, "cursor", out, CACHE_CURSOR_MAX + 1);
	return rc == CACHE_ERR_NOT_FOUND ? CACHE_OK : rc;
}

void cache_new_event_id(char out[33])
{
	unsigned char r[16];
	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(out, 33, r, sizeof(r));
}

int cache_audit(cache_t *c, const char *what, const char *nik, const char *detail, int64_t now)
{
	char hex[33] = "";
	if (nik) {
		/* Keyed, so a stolen disk cannot confirm a guessed NIK by hashing it. */
		unsigned char h[16];
		crypto_generichash(h, sizeof(h), (const unsigned char *)nik, strlen(nik),
				   CACHE_KEY_AUDIT(c), 32);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	}
	sqlite3_stmt *st =
	    cache_prepare(c, "INSERT INTO audit(at, what, nik_hash, detail) VALUES (?, ?, ?, ?)");
	if (!st)
		return CACHE_ERR_DB;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, what, -1, SQLITE_STATIC);
	if (nik)
		sqlite3_bind_text(st, 3, hex, -1, SQLITE_STATIC);
	if (detail)
		sqlite3_bind_text(st, 4, detail, -1, SQLITE_STATIC);
	int rc = cache_step(c, st) == SQLITE_DONE ? CACHE_OK : CACHE_ERR_DB;
	sqlite3_finalize(st);
	return rc;
}
