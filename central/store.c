/*
 * adm-central's own SQLite database: citizens, documents, applications, blobs, kiosks,
 * received events, and the change log that the changes feed pages through. The cursor a
 * kiosk holds is the last change sequence number it has applied; a page lists the
 * current state of each entity changed after it (or a delete when it is gone or
 * collected), so replaying from any cursor converges to the same state.
 *
 * Threads: one connection, every call under the store's mutex.
 */
#include "central.h"

#include "log.h"
#include "sha256.h"

#include <jansson.h>
#include <stdarg.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct store {
	sqlite3 *db;
	pthread_mutex_t lock;
};

static const char *schema =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS citizens (nik TEXT PRIMARY KEY, kk TEXT NOT NULL, "
    "  name TEXT NOT NULL, pin_hash TEXT);"
    "CREATE TABLE IF NOT EXISTS documents (id TEXT PRIMARY KEY, nik TEXT NOT NULL, "
    "  kk TEXT NOT NULL, type TEXT NOT NULL, title_id TEXT NOT NULL, title_en TEXT NOT NULL,"
    "  pages INTEGER NOT NULL, media TEXT NOT NULL, created INTEGER NOT NULL, "
    "  expires INTEGER NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, "
    "  pin_hash TEXT, status TEXT NOT NULL DEFAULT 'ready', "
    "  collected INTEGER NOT NULL DEFAULT 0, collected_by TEXT);"
    "CREATE INDEX IF NOT EXISTS documents_nik ON documents(nik);"
    "CREATE TABLE IF NOT EXISTS applications (id TEXT PRIMARY KEY, nik TEXT NOT NULL, "
    "  type TEXT NOT NULL, stage TEXT NOT NULL, expected INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS applications_nik ON applications(nik);"
    "CREATE TABLE IF NOT EXISTS blobs (sha256 TEXT PRIMARY KEY, data BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
    "  kind TEXT NOT NULL, key TEXT NOT NULL, region TEXT NOT NULL, nik TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS changes_region ON changes(region, seq);"
    "CREATE INDEX IF NOT EXISTS changes_nik ON changes(nik, seq);"
    /* citizens a kiosk fetched on demand: their changes join that kiosk's feed */
    "CREATE TABLE IF NOT EXISTS subscriptions (kiosk TEXT NOT NULL, nik TEXT NOT NULL, "
    "  since INTEGER NOT NULL, PRIMARY KEY (kiosk, nik));"
    /* a token is kept as its SHA-256 only: the database gives away no kiosk's token */
    "CREATE TABLE IF NOT EXISTS kiosks (id TEXT PRIMARY KEY, token_sha256 TEXT NOT NULL, "
    "  region TEXT NOT NULL, last_heartbeat INTEGER, health TEXT);"
    "CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, kiosk TEXT NOT NULL, "
    "  kind TEXT NOT NULL, document TEXT, body TEXT NOT NULL, received INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS stats (name TEXT PRIMARY KEY, value INTEGER NOT NULL);"
    /* account PIN tries over every kiosk, and the lock they lead to (kiosks' events) */
    "CREATE TABLE IF NOT EXISTS pin_locks (nik TEXT PRIMARY KEY, "
    "  failures INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0);";

static bool hash_old_tokens(struct store *s);

struct store *store_open(const char *path)
{
	struct store *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	pthread_mutex_init(&s->lock, NULL);
	if (sqlite3_open(path, &s->db) != SQLITE_OK) {
		log_error("central: cannot open %s", path);
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	/* a database from before keeps kiosks' regions as NIK digits ("3273") */
	if (sqlite3_exec(s->db, schema, NULL, NULL, NULL) != SQLITE_OK || !hash_old_tokens(s) ||
	    sqlite3_exec(s->db,
			 "UPDATE kiosks SET region = substr(region, 1, 2) || '.' || "
			 "substr(region, 3, 2) WHERE length(region) = 4",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(s->db, "CREATE INDEX IF NOT EXISTS kiosks_token ON kiosks(token_sha256)",
			 NULL, NULL, NULL) != SQLITE_OK) {
		log_error("central: schema: %s", sqlite3_errmsg(s->db));
		goto fail;
	}
	return s;
fail:
	store_close(s);
	return NULL;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	sqlite3_close(s->db);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

bool store_begin(struct store *s)
{
	return sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

bool store_commit(struct store *s)
{
	return sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
}

void store_rollback(struct store *s)
{
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Runs one statement with text/int64 arguments described by fmt ('t' or 'i'). */
static bool run(struct store *s, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		log_error("central: %s", sqlite3_errmsg(s->db));
		return false;
	}
	va_list ap;
	va_start(ap, fmt);
	for (int i = 0; fmt[i]; i++) {
		if (fmt[i] == 't') {
			const char *t = va_arg(ap, const char *);
			if (t)
				sqlite3_bind_text(st, i + 1, t, -1, SQLITE_TRANSIENT);
		} else {
			sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
		}
	}
	va_end(ap);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		log_error("central: %s", sqlite3_errmsg(s->db));
	return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

bool store_token_hash(const char *token, char hex[STORE_TOKEN_HASH_LEN + 1])
{
	unsigned char h[SHA256_BYTES];
	if (!sha256(token, strlen(token), h))
		return false;
	sodium_bin2hex(hex, STORE_TOKEN_HASH_LEN + 1, h, sizeof(h));
	sodium_memzero(h, sizeof(h));
	return true;
}

/* A database from before tokens were hashed keeps them in clear in kiosks.token: hash
 * them in place and drop the column, so that the kiosks it knows keep working. */
static bool hash_old_tokens(struct store *s)
{
	sqlite3_stmt *st;
	bool old = false, ok = true;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT 1 FROM pragma_table_info('kiosks') WHERE name = "
			       "'token'",
			       -1, &st, NULL) != SQLITE_OK)
		return false;
	old = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (!old)
		return true;
	st = NULL;
	/* secure_delete: the pages that held the clear tokens are zeroed, not just freed */
	ok = sqlite3_exec(s->db, "PRAGMA secure_delete = ON", NULL, NULL, NULL) == SQLITE_OK &&
	     sqlite3_exec(s->db, "BEGIN; ALTER TABLE kiosks ADD COLUMN token_sha256 TEXT", NULL,
			  NULL, NULL) == SQLITE_OK &&
	     sqlite3_prepare_v2(s->db, "SELECT id, token FROM kiosks", -1, &st, NULL) == SQLITE_OK;
	while (ok && sqlite3_step(st) == SQLITE_ROW) {
		char hex[STORE_TOKEN_HASH_LEN + 1];
		ok = store_token_hash((const char *)sqlite3_column_text(st, 1), hex) &&
		     run(s, "UPDATE kiosks SET token_sha256 = ? WHERE id = ?", "tt", hex,
			 (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	ok = ok && sqlite3_exec(s->db, "ALTER TABLE kiosks DROP COLUMN token; COMMIT", NULL, NULL,
				NULL) == SQLITE_OK;
	if (!ok)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	else
		log_info("central: the kiosks' tokens are now stored as their SHA-256");
	/* and the write-ahead log, which still holds the old pages, emptied */
	sqlite3_exec(s->db, "PRAGMA secure_delete = OFF; PRAGMA wal_checkpoint(TRUNCATE)", NULL,
		     NULL, NULL);
	return ok;
}

/* The change log is an index of NIKs: its region column is the NIK's first four digits.
 * A kiosk's region ("32.73", the kiosks table's one form) matches the NIKs that begin with
 * its digits ("3273"; "" for a kiosk of every region). */
static void region_of(const char *nik, char out[5])
{
	snprintf(out, 5, "%.4s", nik);
}

static void nik_prefix(const char *region, char out[5])
{
	snprintf(out, 5, "%.2s%.2s", region, region[0] ? region + 3 : "");
}

static bool log_change(struct store *s, const char *kind, const char *key, const char *nik)
{
	char region[5];
	region_of(nik, region);
	return run(s, "INSERT INTO changes(kind, key, region, nik) VALUES (?, ?, ?, ?)", "tttt",
		   kind, key, region, nik);
}

bool store_add_citizen(struct store *s, const char *nik, const char *kk, const char *name,
		       const char *pin_hash)
{
	return run(s, "INSERT OR REPLACE INTO citizens VALUES (?, ?, ?, ?)", "tttt", nik, kk, name,
		   pin_hash) &&
	       log_change(s, "holder", nik, nik);
}

bool store_add_document(struct store *s, const char *id, const char *nik, const char *kk,
			const char *type, const char *title_id, const char *title_en, int pages,
			const char *media, int64_t created, int64_t expires, const char *sha256,
			const void *pdf, size_t pdf_len, const char *pin_hash)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO blobs VALUES (?, ?)", -1, &st, NULL) !=
	    SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, pdf, (int)pdf_len, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return false;
	return run(s,
		   "INSERT OR REPLACE INTO documents(id, nik, kk, type, title_id, title_en, pages, "
		   "media, created, expires, sha256, size, pin_hash) VALUES "
		   "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		   "ttttttitiitit", id, nik, kk, type, title_id, title_en, (int64_t)pages, media,
		   created, expires, sha256, (int64_t)pdf_len, pin_hash) &&
	       log_change(s, "document", id, nik);
}

bool store_add_application(struct store *s, const char *id, const char *nik, const char *type,
			   const char *stage, int64_t expected)
{
	return run(s, "INSERT OR REPLACE INTO applications VALUES (?, ?, ?, ?, ?)", "tttti", id,
		   nik, type, stage, expected) &&
	       log_change(s, "application", id, nik);
}

bool store_add_kiosk(struct store *s, const char *id, const char *token_sha256, const char *region)
{
	return run(s,
		   "INSERT INTO kiosks(id, token_sha256, region) VALUES (?, ?, ?) ON CONFLICT(id) "
		   "DO UPDATE SET token_sha256 = excluded.token_sha256, region = excluded.region",
		   "ttt", id, token_sha256, region);
}

bool store_kiosk_auth(struct store *s, const char *kiosk, const char *token, char *region,
		      size_t region_size)
{
	sqlite3_stmt *st;
	char hex[STORE_TOKEN_HASH_LEN + 1];
	bool ok = false;
	/* the protocol's tokens are 1..256 characters */
	if (!token || !token[0] || strlen(token) > 256 || !store_token_hash(token, hex))
		return false;
	pthread_mutex_lock(&s->lock);
	/* Without a kiosk id (blob downloads), any kiosk's token will do: looked up by its
	 * hash, which tells a prober nothing about any token. */
	if (sqlite3_prepare_v2(s->db,
			       kiosk ? "SELECT token_sha256, region FROM kiosks WHERE id = ?"
				     : "SELECT token_sha256, region FROM kiosks WHERE "
				       "token_sha256 = ?",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, kiosk ? kiosk : hex, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			const char *want = (const char *)sqlite3_column_text(st, 0);
			/* constant time in the hash's content */
			ok = want && strlen(want) == STORE_TOKEN_HASH_LEN &&
			     sodium_memcmp(want, hex, STORE_TOKEN_HASH_LEN) == 0;
			snprintf(region, region_size, "%s", sqlite3_column_text(st, 1));
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return ok;
}

/* ---- JSON of entities ---- */

static json_t *doc_json(sqlite3_stmt *st)
{
	/* columns: id nik kk type title_id title_en pages media created expires sha256 size
	 * pin_hash status */
	json_t *o = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:i, s:s, s:I, s:I, "
	    "s:{s:s, s:I}, s:s}",
	    "kind", "document", "op", "upsert", "id", sqlite3_column_text(st, 0), "nik",
	    sqlite3_column_text(st, 1), "kk", sqlite3_column_text(st, 2), "doc_type",
	    sqlite3_column_text(st, 3), "title", "id", sqlite3_column_text(st, 4), "en",
	    sqlite3_column_text(st, 5), "pages", sqlite3_column_int(st, 6), "media",
	    sqlite3_column_text(st, 7), "created", (json_int_t)sqlite3_column_int64(st, 8),
	    "expires", (json_int_t)sqlite3_column_int64(st, 9), "blob", "sha256",
	    sqlite3_column_text(st, 10), "size", (json_int_t)sqlite3_column_int64(st, 11), "status",
	    sqlite3_column_text(st, 13));
	if (o && sqlite3_column_type(st, 12) != SQLITE_NULL)
		json_object_set_new(o, "print_pin_hash",
				    json_string((const char *)sqlite3_column_text(st, 12)));
	return o;
}

static json_t *holder_json(sqlite3_stmt *st)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", "holder", "op", "upsert", "nik",
			      sqlite3_column_text(st, 0), "kk", sqlite3_column_text(st, 1), "name",
			      sqlite3_column_text(st, 2));
	if (o && sqlite3_column_type(st, 3) != SQLITE_NULL)
		json_object_set_new(o, "pin_hash",
				    json_string((const char *)sqlite3_column_text(st, 3)));
	if (o && sqlite3_column_int64(st, 4) > 0) /* locked at the registry until then */
		json_object_set_new(o, "locked_until",
				    json_integer((json_int_t)sqlite3_column_int64(st, 4)));
	return o;
}

static json_t *app_json(sqlite3_stmt *st)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "kind", "application", "op",
			 "upsert", "id", sqlite3_column_text(st, 0), "nik",
			 sqlite3_column_text(st, 1), "doc_type", sqlite3_column_text(st, 2),
			 "stage", sqlite3_column_text(st, 3), "expected",
			 (json_int_t)sqlite3_column_int64(st, 4));
}

#define DOC_SQL                                                                                    \
	"SELECT id, nik, kk, type, title_id, title_en, pages, media, created, expires, sha256, "   \
	"size, pin_hash, status FROM documents WHERE collected = 0 AND "
#define HOLDER_SQL                                                                                 \
	"SELECT nik, kk, name, pin_hash, (SELECT locked_until FROM pin_locks l WHERE l.nik = "     \
	"citizens.nik) FROM citizens WHERE "
#define APP_SQL "SELECT id, nik, type, stage, expected FROM applications WHERE "

struct stmts {
	sqlite3_stmt *doc, *holder, *app;
};

static bool prepare3(struct store *s, struct stmts *q, const char *col_doc, const char *col_holder,
		     const char *col_app)
{
	char sql[512];
	memset(q, 0, sizeof(*q));
	snprintf(sql, sizeof(sql), DOC_SQL "%s = ?", col_doc);
	if (sqlite3_prepare_v2(s->db, sql, -1, &q->doc, NULL) != SQLITE_OK)
		return false;
	snprintf(sql, sizeof(sql), HOLDER_SQL "%s = ?", col_holder);
	if (sqlite3_prepare_v2(s->db, sql, -1, &q->holder, NULL) != SQLITE_OK)
		return false;
	snprintf(sql, sizeof(sql), APP_SQL "%s = ?", col_app);
	return sqlite3_prepare_v2(s->db, sql, -1, &q->app, NULL) == SQLITE_OK;
}

static void finalize3(struct stmts *q)
{
	sqlite3_finalize(q->doc);
	sqlite3_finalize(q->holder);
	sqlite3_finalize(q->app);
}

/* The current state of one changed entity, or a delete when it is gone. */
static json_t *entity(struct stmts *q, const char *kind, const char *key)
{
	sqlite3_stmt *st;
	json_t *(*fn)(sqlite3_stmt *);
	const char *keyname = "id";
	if (strcmp(kind, "document") == 0) {
		st = q->doc;
		fn = doc_json;
	} else if (strcmp(kind, "holder") == 0) {
		st = q->holder;
		fn = holder_json;
		keyname = "nik";
	} else {
		st = q->app;
		fn = app_json;
	}
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		return fn(st);
	return json_pack("{s:s, s:s, s:s}", "kind", kind, "op", "delete", keyname, key);
}

char *store_changes_page(struct store *s, const char *kiosk, const char *region, int64_t since,
			 int limit, int64_t now, int64_t follow_s)
{
	sqlite3_stmt *st = NULL;
	struct stmts q;
	char *out = NULL;
	json_t *arr = json_array();
	int64_t last = since;
	int n = 0;
	bool more = false;

	pthread_mutex_lock(&s->lock);
	sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL); /* one snapshot for the page */
	if (!prepare3(s, &q, "id", "nik", "id"))
		goto out;
	/* A kiosk's feed: its region's changes, and those of the citizens of other regions it
	 * fetched on demand. Both arms come in seq order from their index and SQLite merges
	 * them, so a page costs its own rows, not the log's. */
	if (sqlite3_prepare_v2(s->db,
			       region[0] ? "SELECT seq, kind, key FROM changes WHERE region = ?2 "
					   "AND seq > ?1 "
					   "UNION ALL SELECT c.seq, c.kind, c.key FROM "
					   "subscriptions b JOIN changes c ON c.nik = b.nik "
					   "AND c.seq > ?1 AND c.region <> ?2 WHERE b.kiosk = ?4 "
					   "AND b.since > ?5 ORDER BY 1 LIMIT ?3"
					 : "SELECT seq, kind, key FROM changes WHERE seq > ?1 "
					   "ORDER BY seq LIMIT ?3",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	char prefix[5];
	nik_prefix(region, prefix);
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_text(st, 2, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, limit + 1);
	sqlite3_bind_text(st, 4, kiosk, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now - follow_s); /* subscriptions still running */
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == limit) {
			more = true;
			break;
		}
		last = sqlite3_column_int64(st, 0);
		json_array_append_new(arr, entity(&q, (const char *)sqlite3_column_text(st, 1),
						  (const char *)sqlite3_column_text(st, 2)));
		n++;
	}
	if (!more) {
		/* The end of this kiosk's feed is the end of everyone's: jump the cursor to the
		 * last change of all regions so the next poll starts from there. */
		sqlite3_stmt *mx;
		if (sqlite3_prepare_v2(s->db, "SELECT max(seq) FROM changes", -1, &mx, NULL) ==
		    SQLITE_OK) {
			if (sqlite3_step(mx) == SQLITE_ROW && sqlite3_column_int64(mx, 0) > last)
				last = sqlite3_column_int64(mx, 0);
			sqlite3_finalize(mx);
		}
	}
	char cursor[24];
	snprintf(cursor, sizeof(cursor), "%lld", (long long)last);
	json_t *page =
	    json_pack("{s:o, s:s, s:b}", "changes", arr, "next_cursor", cursor, "more", more);
	arr = NULL;
	out = json_dumps(page, JSON_COMPACT);
	json_decref(page);
out:
	sqlite3_finalize(st);
	finalize3(&q);
	sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	pthread_mutex_unlock(&s->lock);
	json_decref(arr);
	return out;
}

char *store_citizen(struct store *s, const char *kiosk, const char *region, const char *nik,
		    int64_t now, int64_t follow_s)
{
	struct stmts q;
	char *out = NULL;
	json_t *arr = json_array();
	pthread_mutex_lock(&s->lock);
	if (!prepare3(s, &q, "nik", "nik", "nik"))
		goto out;
	sqlite3_bind_text(q.holder, 1, nik, -1, SQLITE_STATIC);
	if (sqlite3_step(q.holder) != SQLITE_ROW)
		goto out;
	json_array_append_new(arr, holder_json(q.holder));
	sqlite3_bind_text(q.doc, 1, nik, -1, SQLITE_STATIC);
	while (sqlite3_step(q.doc) == SQLITE_ROW)
		json_array_append_new(arr, doc_json(q.doc));
	sqlite3_bind_text(q.app, 1, nik, -1, SQLITE_STATIC);
	while (sqlite3_step(q.app) == SQLITE_ROW)
		json_array_append_new(arr, app_json(q.app));
	/* In the kiosk's region: its feed carries the citizen anyway. Outside it: the feed
	 * carries their changes too for follow_s (a document collected elsewhere, revoked, a
	 * new one), and the kiosk drops them when that ends. */
	char prefix[5];
	nik_prefix(region, prefix);
	bool outside = region[0] && strncmp(nik, prefix, 4) != 0;
	json_t *o = outside ? json_pack("{s:O, s:I}", "changes", arr, "follow_until",
					(json_int_t)(now + follow_s))
			    : json_pack("{s:O}", "changes", arr);
	out = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	/* A fetch is remembered for twice the follow time: its feed stops after one, the
	 * kiosk's print events for those documents are accepted for the second (store_event
	 * and a kiosk that was offline when the follow ended). */
	if (out && outside &&
	    (!run(s, "DELETE FROM subscriptions WHERE since <= ?", "i", now - 2 * follow_s) ||
	     !run(s,
		  "INSERT INTO subscriptions(kiosk, nik, since) VALUES (?, ?, ?) "
		  "ON CONFLICT DO UPDATE SET since = excluded.since",
		  "tti", kiosk, nik, now))) {
		free(out);
		out = NULL;
	}
out:
	finalize3(&q);
	pthread_mutex_unlock(&s->lock);
	json_decref(arr);
	return out;
}

unsigned char *store_blob(struct store *s, const char *sha256, size_t *len)
{
	sqlite3_stmt *st;
	unsigned char *out = NULL;
	pthread_mutex_lock(&s->lock);
	if (sqlite3_prepare_v2(s->db, "SELECT data FROM blobs WHERE sha256 = ?", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			*len = (size_t)sqlite3_column_bytes(st, 0);
			out = malloc(*len ? *len : 1);
			if (out)
				memcpy(out, sqlite3_column_blob(st, 0), *len);
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&s->lock);
	return out;
}

/* Whether an event of kiosk (of region) may be about what sql finds by key (its nik, and
 * whether kiosk fetched that citizen on demand): one of its feed (its region's, or every
 * one for region "") or of a citizen it fetched. missing: the answer when sql finds none. */
static int event_in_feed(struct store *s, const char *kiosk, const char *region, const char *sql,
			 const char *key, char nik[17], int missing)
{
	sqlite3_stmt *st;
	int rc = missing;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return STORE_EVENT_ERROR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kiosk, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		char its_region[5], prefix[5];
		snprintf(nik, 17, "%s", sqlite3_column_text(st, 0));
		region_of(nik, its_region);
		nik_prefix(region, prefix);
		/* the same rule as the feed's: the NIK begins with the region's digits */
		rc = !region[0] || strcmp(its_region, prefix) == 0 || sqlite3_column_int(st, 1)
			 ? STORE_EVENT_STORED
			 : STORE_EVENT_NOT_IN_FEED;
	}
	sqlite3_finalize(st);
	return rc;
}

/* A print event: its document of the kiosk's feed. */
static int event_document_ok(struct store *s, const char *kiosk, const char *region,
			     const char *document, char nik[17])
{
	return event_in_feed(s, kiosk, region,
			     "SELECT d.nik, EXISTS (SELECT 1 FROM subscriptions b WHERE "
			     "b.kiosk = ?2 AND b.nik = d.nik) FROM documents d WHERE d.id = ?1",
			     document, nik, STORE_EVENT_UNKNOWN_DOCUMENT);
}

/* An account PIN event: its holder of the kiosk's feed (an unknown one is in nobody's). */
static int event_holder_ok(struct store *s, const char *kiosk, const char *region, const char *nik)
{
	char found[17];
	return event_in_feed(s, kiosk, region,
			     "SELECT c.nik, EXISTS (SELECT 1 FROM subscriptions b WHERE "
			     "b.kiosk = ?2 AND b.nik = c.nik) FROM citizens c WHERE c.nik = ?1",
			     nik, found, STORE_EVENT_NOT_IN_FEED);
}

/* The registry's count of a holder's wrong account PINs, and its lock: a change of the
 * lock goes into the feed (the holder's record carries it). In the caller's transaction. */
static bool pin_count(struct store *s, const char *kind, const struct store_pin *p)
{
	int64_t until = p->now + p->lock_s;
	if (strcmp(kind, "pin_ok") == 0)
		return run(s, "UPDATE pin_locks SET failures = 0 WHERE nik = ?", "t", p->nik);
	if (strcmp(kind, "pin_locked") == 0) {
		/* the kiosk's own lock, never longer than the registry's */
		return run(s,
			   "INSERT INTO pin_locks(nik, failures, locked_until) VALUES (?1, 0, ?2) "
			   "ON CONFLICT(nik) DO UPDATE SET failures = 0, "
			   "locked_until = max(locked_until, ?2)",
			   "ti", p->nik, p->until < until ? p->until : until) &&
		       log_change(s, "holder", p->nik, p->nik);
	}
	if (!run(s,
		 "INSERT INTO pin_locks(nik, failures) VALUES (?, 1) ON CONFLICT(nik) DO UPDATE "
		 "SET failures = failures + 1",
		 "t", p->nik) ||
	    !run(s,
		 "UPDATE pin_locks SET failures = 0, locked_until = ?2 WHERE nik = ?1 AND "
		 "failures >= ?3",
		 "tii", p->nik, until, (int64_t)p->tries))
		return false;
	return sqlite3_changes(s->db) == 0 || log_change(s, "holder", p->nik, p->nik);
}

int store_event(struct store *s, const char *kiosk, const char *region, const char *id,
		const char *kind, const char *document, const struct store_pin *pin,
		const char *json)
{
	int rc = STORE_EVENT_ERROR;
	char nik[17] = "";
	bool print =
	    document && (strcmp(kind, "printed") == 0 || strcmp(kind, "print_failed") == 0);
	sqlite3_stmt *st;
	pthread_mutex_lock(&s->lock);
	sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	/* an id stored before is accepted again and changes nothing, even if the kiosk's
	 * scope has changed since */
	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM events WHERE id = ?", -1, &st, NULL) !=
	    SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	bool known = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (known) {
		rc = STORE_EVENT_STORED;
		goto out;
	}
	if (print &&
	    (rc = event_document_ok(s, kiosk, region, document, nik)) != STORE_EVENT_STORED)
		goto out;
	if (pin && pin->nik &&
	    (rc = event_holder_ok(s, kiosk, region, pin->nik)) != STORE_EVENT_STORED)
		goto out;
	rc = STORE_EVENT_ERROR;
	if (!run(s,
		 "INSERT INTO events(id, kiosk, kind, document, body, received) "
		 "VALUES (?, ?, ?, ?, ?, strftime('%s'))",
		 "ttttt", id, kiosk, kind, document, json))
		goto out;
	if (print && strcmp(kind, "printed") == 0) {
		/* collected: no other kiosk may print it again; the feed now says delete */
		if (!run(s,
			 "UPDATE documents SET collected = 1, collected_by = ? WHERE id = ? AND "
			 "collected = 0",
			 "tt", kiosk, document))
			goto out;
		if (sqlite3_changes(s->db) == 1 && !log_change(s, "document", document, nik))
			goto out;
	}
	if (pin && pin->nik && !pin_count(s, kind, pin))
		goto out;
	rc = STORE_EVENT_STORED;
out:
	sqlite3_exec(s->db, rc == STORE_EVENT_STORED ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

bool store_heartbeat(struct store *s, const char *kiosk, const char *json, int64_t now)
{
	pthread_mutex_lock(&s->lock);
	bool ok = run(s, "UPDATE kiosks SET last_heartbeat = ?, health = ? WHERE id = ?", "itt",
		      now, json, kiosk);
	pthread_mutex_unlock(&s->lock);
	return ok;
}

void store_count(struct store *s, const char *stat)
{
	pthread_mutex_lock(&s->lock);
	run(s,
	    "INSERT INTO stats(name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET "
	    "value = value + 1",
	    "t", stat);
	pthread_mutex_unlock(&s->lock);
}
