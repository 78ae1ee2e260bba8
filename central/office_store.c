/*
 * The office pages' tables in adm-central's database (office_store.h): accounts, login
 * failures, sessions, screenshot requests and screenshots.
 *
 * Threads: one connection, every call under the mutex. A password hash is verified
 * outside it (64 MiB and a good part of a second), so one login does not stall the pages
 * of every other office; at most VERIFY_AT_ONCE at a time (a semaphore), so a burst of
 * logins cannot take the server's memory.
 */
#include "office_store.h"

#include "content.h"
#include "log.h"
#include "sha256.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct office_store {
	sqlite3 *db;
	pthread_mutex_t lock;
	/* verified against for an unknown account, at the same cost as a real one; made at
	 * the first such login (not at start: every adm-central serve would pay 64 MiB) */
	char dummy[crypto_pwhash_STRBYTES];
	pthread_mutex_t dummy_lock;
	/* verifications at once: each takes 64 MiB, and logins come from outside */
	sem_t verifying;
};

#define VERIFY_AT_ONCE 4

static const char *schema =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS offices (id TEXT PRIMARY KEY, name TEXT NOT NULL, "
    "  region TEXT NOT NULL, pw_hash TEXT NOT NULL);"
    /* per login name, whether an account of that name exists or not */
    "CREATE TABLE IF NOT EXISTS office_logins (login TEXT PRIMARY KEY, "
    "  failed INTEGER NOT NULL, locked_until INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS office_sessions (token_sha256 TEXT PRIMARY KEY, "
    "  office TEXT NOT NULL, csrf TEXT NOT NULL, expires INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS screenshot_requests (kiosk TEXT PRIMARY KEY, "
    "  requested INTEGER NOT NULL, office TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS screenshots (kiosk TEXT PRIMARY KEY, png BLOB NOT NULL, "
    "  width INTEGER NOT NULL, height INTEGER NOT NULL, received INTEGER NOT NULL);"
    /* the sync store creates it too; here so that an office can be added first */
    "CREATE TABLE IF NOT EXISTS kiosks (id TEXT PRIMARY KEY, token_sha256 TEXT NOT NULL, "
    "  region TEXT NOT NULL, last_heartbeat INTEGER, health TEXT);";

const char *office_strerror(int err)
{
	switch (err) {
	case OFFICE_OK:
		return "ok";
	case OFFICE_E_DB:
		return "database error";
	case OFFICE_E_WRONG:
		return "wrong account or password";
	case OFFICE_E_LOCKED:
		return "too many wrong passwords: locked for a while";
	case OFFICE_E_INPUT:
		return "invalid input";
	case OFFICE_E_NOMEM:
		return "out of memory";
	case OFFICE_E_NONE:
		return "nothing was requested";
	}
	return "unknown error";
}

office_store *office_store_open(const char *path)
{
	office_store *os = calloc(1, sizeof(*os));
	if (!os)
		return NULL;
	pthread_mutex_init(&os->lock, NULL);
	pthread_mutex_init(&os->dummy_lock, NULL);
	sem_init(&os->verifying, 0, VERIFY_AT_ONCE);
	if (sqlite3_open(path, &os->db) != SQLITE_OK) {
		log_error("office: cannot open %s", path);
		goto fail;
	}
	sqlite3_busy_timeout(os->db, 5000);
	if (sqlite3_exec(os->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		log_error("office: schema: %s", sqlite3_errmsg(os->db));
		goto fail;
	}
	return os;
fail:
	office_store_close(os);
	return NULL;
}

void office_store_close(office_store *os)
{
	if (!os)
		return;
	sqlite3_close(os->db);
	pthread_mutex_destroy(&os->lock);
	pthread_mutex_destroy(&os->dummy_lock);
	sem_destroy(&os->verifying);
	free(os);
}

static sqlite3_stmt *prepare(office_store *os, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(os->db, sql, -1, &st, NULL) != SQLITE_OK) {
		log_error("office: %s", sqlite3_errmsg(os->db));
		return NULL;
	}
	return st;
}

/* One statement to its end: true if it ran. */
static bool step_done(office_store *os, sqlite3_stmt *st)
{
	int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
	if (st && rc != SQLITE_DONE && rc != SQLITE_ROW)
		log_error("office: %s", sqlite3_errmsg(os->db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

static bool id_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > OFFICE_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-' || s[i] == '.'))
			return false;
	return true;
}

int office_add(office_store *os, const char *id, const char *name, const char *region,
	       const char *password)
{
	char hash[crypto_pwhash_STRBYTES];
	size_t plen = strlen(password);
	if (!id_ok(id) || !content_region_ok(region) || !name[0] || strlen(name) > 120 ||
	    plen < 10 || plen > 256)
		return OFFICE_E_INPUT;
	if (crypto_pwhash_str(hash, password, plen, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return OFFICE_E_NOMEM;
	pthread_mutex_lock(&os->lock);
	sqlite3_stmt *st = prepare(os, "INSERT OR REPLACE INTO offices VALUES (?, ?, ?, ?)");
	if (st) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, region, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, hash, -1, SQLITE_STATIC);
	}
	bool ok = step_done(os, st);
	/* a new password ends the sessions of the old one */
	st = ok ? prepare(os, "DELETE FROM office_sessions WHERE office = ?") : NULL;
	if (st)
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	ok = ok && step_done(os, st);
	pthread_mutex_unlock(&os->lock);
	return ok ? OFFICE_OK : OFFICE_E_DB;
}

static void hex_random(char out[OFFICE_TOKEN_HEX + 1])
{
	unsigned char b[OFFICE_TOKEN_HEX / 2];
	randombytes_buf(b, sizeof(b));
	sodium_bin2hex(out, OFFICE_TOKEN_HEX + 1, b, sizeof(b));
	sodium_memzero(b, sizeof(b));
}

/* The hash an unknown account's password is verified against; "" if it cannot be made
 * (then the verification fails, as it should, only sooner). */
static const char *dummy_hash(office_store *os)
{
	unsigned char pw[16];
	pthread_mutex_lock(&os->dummy_lock);
	if (!os->dummy[0]) {
		randombytes_buf(pw, sizeof(pw));
		if (crypto_pwhash_str(os->dummy, (const char *)pw, sizeof(pw),
				      crypto_pwhash_OPSLIMIT_INTERACTIVE,
				      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
			os->dummy[0] = '\0';
	}
	pthread_mutex_unlock(&os->dummy_lock);
	return os->dummy;
}

static bool token_hash(const char *token, char hex[65])
{
	unsigned char h[SHA256_BYTES];
	if (!sha256(token, strlen(token), h))
		return false;
	sodium_bin2hex(hex, 65, h, sizeof(h));
	return true;
}

/* The login's failures: locked_until > now means locked. */
static bool failures(office_store *os, const char *login, int64_t *failed, int64_t *until)
{
	sqlite3_stmt *st =
	    prepare(os, "SELECT failed, locked_until FROM office_logins WHERE login = ?");
	*failed = *until = 0;
	if (!st)
		return false;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*failed = sqlite3_column_int64(st, 0);
		*until = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return true;
}

static bool set_failures(office_store *os, const char *login, int64_t failed, int64_t until)
{
	sqlite3_stmt *st = prepare(os, "INSERT OR REPLACE INTO office_logins VALUES (?, ?, ?)");
	if (st) {
		sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, failed);
		sqlite3_bind_int64(st, 3, until);
	}
	return step_done(os, st);
}

int office_login(office_store *os, const char *id, const char *password, int64_t now,
		 int64_t lock_s, int64_t session_s, char token[OFFICE_TOKEN_HEX + 1],
		 int64_t *retry_s)
{
	char hash[crypto_pwhash_STRBYTES] = "", th[65], csrf[OFFICE_TOKEN_HEX + 1];
	int64_t failed, until;
	bool known = false;
	*retry_s = 0;
	/* a login name no account can have is counted nowhere: it cannot lock anyone */
	if (!id_ok(id) || strlen(password) > 256)
		return OFFICE_E_WRONG;
	pthread_mutex_lock(&os->lock);
	if (!failures(os, id, &failed, &until)) {
		pthread_mutex_unlock(&os->lock);
		return OFFICE_E_DB;
	}
	if (until > now) {
		pthread_mutex_unlock(&os->lock);
		*retry_s = until - now;
		return OFFICE_E_LOCKED;
	}
	sqlite3_stmt *st = prepare(os, "SELECT pw_hash FROM offices WHERE id = ?");
	if (st) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			snprintf(hash, sizeof(hash), "%s", sqlite3_column_text(st, 0));
			known = true;
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&os->lock);
	bool ok = crypto_pwhash_str_verify(known ? hash : dummy_hash(os), password,
					   strlen(password)) == 0 &&
		  known;
	int rc = OFFICE_E_DB;
	pthread_mutex_lock(&os->lock);
	/* counted again under the lock: tries made at the same time all count */
	if (!failures(os, id, &failed, &until))
		goto out;
	if (!ok) {
		/* a lock that ran out starts the count again */
		if (until && until <= now)
			failed = 0;
		failed++;
		until = failed >= OFFICE_TRIES ? now + lock_s : 0;
		rc = set_failures(os, id, failed >= OFFICE_TRIES ? 0 : failed, until)
			 ? OFFICE_E_WRONG
			 : OFFICE_E_DB;
		if (rc == OFFICE_E_WRONG && until)
			log_warn("office: login %s locked for %lld s after %d wrong passwords", id,
				 (long long)lock_s, OFFICE_TRIES);
		goto out;
	}
	if (until > now) {
		/* locked while this one was being verified */
		*retry_s = until - now;
		rc = OFFICE_E_LOCKED;
		goto out;
	}
	hex_random(token);
	hex_random(csrf);
	if (!token_hash(token, th) || !set_failures(os, id, 0, 0))
		goto out;
	st = prepare(os, "INSERT INTO office_sessions VALUES (?, ?, ?, ?)");
	if (st) {
		sqlite3_bind_text(st, 1, th, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, csrf, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, now + session_s);
	}
	if (!step_done(os, st))
		goto out;
	/* expired sessions go when someone logs in */
	st = prepare(os, "DELETE FROM office_sessions WHERE expires <= ?");
	if (st)
		sqlite3_bind_int64(st, 1, now);
	step_done(os, st);
	rc = OFFICE_OK;
out:
	pthread_mutex_unlock(&os->lock);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

static bool token_ok(const char *token)
{
	return token && strlen(token) == OFFICE_TOKEN_HEX &&
	       strspn(token, "0123456789abcdef") == OFFICE_TOKEN_HEX;
}

bool office_session_get(office_store *os, const char *token, int64_t now,
			struct office_session *out)
{
	char th[65];
	bool ok = false;
	if (!token_ok(token) || !token_hash(token, th))
		return false;
	pthread_mutex_lock(&os->lock);
	/* looked up by the token's hash: the lookup tells a prober nothing about a token */
	sqlite3_stmt *st = prepare(os, "SELECT s.office, s.csrf, o.name, o.region FROM "
				       "office_sessions s JOIN offices o ON o.id = s.office "
				       "WHERE s.token_sha256 = ? AND s.expires > ?");
	if (st) {
		sqlite3_bind_text(st, 1, th, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, now);
		if (sqlite3_step(st) == SQLITE_ROW) {
			snprintf(out->office, sizeof(out->office), "%s",
				 sqlite3_column_text(st, 0));
			snprintf(out->csrf, sizeof(out->csrf), "%s", sqlite3_column_text(st, 1));
			snprintf(out->name, sizeof(out->name), "%s", sqlite3_column_text(st, 2));
			snprintf(out->region, sizeof(out->region), "%s",
				 sqlite3_column_text(st, 3));
			ok = true;
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&os->lock);
	return ok;
}

void office_logout(office_store *os, const char *token)
{
	char th[65];
	if (!token_ok(token) || !token_hash(token, th))
		return;
	pthread_mutex_lock(&os->lock);
	sqlite3_stmt *st = prepare(os, "DELETE FROM office_sessions WHERE token_sha256 = ?");
	if (st)
		sqlite3_bind_text(st, 1, th, -1, SQLITE_STATIC);
	step_done(os, st);
	pthread_mutex_unlock(&os->lock);
}

/* content_region_covers in SQL: ?1 (the office's code) is the kiosk's region, or its
 * province. */
#define IN_REGION " k.region != '' AND (k.region = ?1 OR substr(k.region, 1, 3) = ?1 || '.') "

bool office_kiosk_in(office_store *os, const char *kiosk, const char *region)
{
	bool in = false;
	pthread_mutex_lock(&os->lock);
	sqlite3_stmt *st = prepare(os, "SELECT 1 FROM kiosks k WHERE" IN_REGION "AND k.id = ?2");
	if (st) {
		sqlite3_bind_text(st, 1, region, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, kiosk, -1, SQLITE_STATIC);
		in = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&os->lock);
	return in;
}

int office_kiosks(office_store *os, const char *region,
		  void (*cb)(const struct office_kiosk_row *row, void *user), void *user)
{
	int n = 0;
	pthread_mutex_lock(&os->lock);
	sqlite3_stmt *st = prepare(
	    os, "SELECT k.id, k.region, k.last_heartbeat, k.health, r.requested, "
		"s.received, s.width, s.height FROM kiosks k "
		"LEFT JOIN screenshot_requests r ON r.kiosk = k.id "
		"LEFT JOIN screenshots s ON s.kiosk = k.id WHERE" IN_REGION "ORDER BY k.id");
	if (!st) {
		pthread_mutex_unlock(&os->lock);
		return OFFICE_E_DB;
	}
	sqlite3_bind_text(st, 1, region, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct office_kiosk_row row = {
			.id = (const char *)sqlite3_column_text(st, 0),
			.region = (const char *)sqlite3_column_text(st, 1),
			.last_heartbeat = sqlite3_column_int64(st, 2),
			.health = (const char *)sqlite3_column_text(st, 3),
			.screenshot_requested = sqlite3_column_int64(st, 4),
			.screenshot_received = sqlite3_column_int64(st, 5),
			.screenshot_width = sqlite3_column_int(st, 6),
			.screenshot_height = sqlite3_column_int(st, 7),
		};
		cb(&row, user);
		n++;
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&os->lock);
	return rc == SQLITE_DONE ? n : OFFICE_E_DB;
}

int office_screenshot_request(office_store *os, const char *kiosk, const char *office, int64_t now)
{
	pthread_mutex_lock(&os->lock);
	/* asking again keeps the first time: the kiosk may already be on it */
	sqlite3_stmt *st =
	    prepare(os, "INSERT OR IGNORE INTO screenshot_requests VALUES (?, ?, ?)");
	if (st) {
		sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, now);
		sqlite3_bind_text(st, 3, office, -1, SQLITE_STATIC);
	}
	bool ok = step_done(os, st);
	pthread_mutex_unlock(&os->lock);
	return ok ? OFFICE_OK : OFFICE_E_DB;
}

int64_t office_screenshot_pending(office_store *os, const char *kiosk)
{
	int64_t t = 0;
	pthread_mutex_lock(&os->lock);
	sqlite3_stmt *st = prepare(os, "SELECT requested FROM screenshot_requests WHERE kiosk = ?");
	if (st) {
		sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			t = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&os->lock);
	return t;
}

int office_screenshot_store(office_store *os, const char *kiosk, const void *png, size_t len,
			    int width, int height, int64_t now)
{
	int rc = OFFICE_E_DB;
	pthread_mutex_lock(&os->lock);
	sqlite3_exec(os->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	sqlite3_stmt *st = prepare(os, "DELETE FROM screenshot_requests WHERE kiosk = ?");
	if (st)
		sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
	if (!step_done(os, st))
		goto out;
	if (sqlite3_changes(os->db) != 1) {
		rc = OFFICE_E_NONE;
		goto out;
	}
	st = prepare(os, "INSERT OR REPLACE INTO screenshots VALUES (?, ?, ?, ?, ?)");
	if (st) {
		sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 2, png, (int)len, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, width);
		sqlite3_bind_int(st, 4, height);
		sqlite3_bind_int64(st, 5, now);
	}
	if (step_done(os, st))
		rc = OFFICE_OK;
out:
	sqlite3_exec(os->db, rc == OFFICE_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
	pthread_mutex_unlock(&os->lock);
	return rc;
}

unsigned char *office_screenshot_get(office_store *os, const char *kiosk, size_t *len)
{
	unsigned char *out = NULL;
	pthread_mutex_lock(&os->lock);
	sqlite3_stmt *st = prepare(os, "SELECT png FROM screenshots WHERE kiosk = ?");
	if (st) {
		sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			*len = (size_t)sqlite3_column_bytes(st, 0);
			out = malloc(*len ? *len : 1);
			if (out && *len)
				memcpy(out, sqlite3_column_blob(st, 0), *len);
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&os->lock);
	return out;
}
