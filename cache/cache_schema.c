/*
 * The cache's schema and its migrations. PRAGMA user_version holds the number of
 * migrations applied; each migration runs in its own transaction, so a kiosk that loses
 * power mid-upgrade restarts from the last complete version. Add a migration by
 * appending to the list: never edit one that has shipped.
 */
#include "cache_internal.h"

#include "log.h"

static const char *const migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE documents ("
	"  id TEXT PRIMARY KEY,"
	"  nik TEXT NOT NULL CHECK (length(nik) = 16),"
	"  kk TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  title_id TEXT NOT NULL,"
	"  title_en TEXT NOT NULL,"
	"  pages INTEGER NOT NULL CHECK (pages BETWEEN 1 AND 100),"
	"  media TEXT NOT NULL CHECK (media IN ('a4', 'card')),"
	"  created INTEGER NOT NULL,"
	"  expires INTEGER NOT NULL,"
	"  blob_sha256 TEXT NOT NULL CHECK (length(blob_sha256) = 64),"
	"  blob_size INTEGER NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'ready'"
	"    CHECK (status IN ('ready', 'printing', 'printed', 'expired', 'revoked')),"
	"  print_count INTEGER NOT NULL DEFAULT 0,"
	"  print_pin_hash TEXT,"
	"  print_pin_used INTEGER NOT NULL DEFAULT 0,"
	"  pin_failed INTEGER NOT NULL DEFAULT 0,"
	"  pin_locked_until INTEGER NOT NULL DEFAULT 0,"
	/* the server withdrew it while a print was running: purge once the job ends */
	"  gone INTEGER NOT NULL DEFAULT 0"
	") WITHOUT ROWID;"
	"CREATE INDEX documents_nik ON documents(nik, created);"
	"CREATE INDEX documents_kk ON documents(kk, created);"
	"CREATE INDEX documents_blob ON documents(blob_sha256);"
	"CREATE TABLE blobs ("
	"  sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),"
	"  size INTEGER NOT NULL,"
	"  nonce BLOB NOT NULL,"
	"  data BLOB NOT NULL"
	");"
	"CREATE TABLE holders ("
	"  nik TEXT PRIMARY KEY CHECK (length(nik) = 16),"
	"  kk TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  pin_hash TEXT,"
	"  failed INTEGER NOT NULL DEFAULT 0,"
	"  locked_until INTEGER NOT NULL DEFAULT 0"
	") WITHOUT ROWID;"
	"CREATE TABLE applications ("
	"  id TEXT PRIMARY KEY,"
	"  nik TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  stage TEXT NOT NULL,"
	"  expected INTEGER NOT NULL DEFAULT 0"
	") WITHOUT ROWID;"
	"CREATE INDEX applications_nik ON applications(nik);"
	"CREATE TABLE print_jobs ("
	"  id INTEGER PRIMARY KEY,"
	"  document TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	"  cups_job INTEGER NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('printing', 'done', 'failed')),"
	"  reason TEXT,"
	"  created INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL"
	");"
	"CREATE INDEX print_jobs_document ON print_jobs(document);"
	"CREATE INDEX print_jobs_open ON print_jobs(state) WHERE state = 'printing';"
	"CREATE TABLE outbox ("
	"  seq INTEGER PRIMARY KEY,"
	"  event_id TEXT NOT NULL UNIQUE,"
	"  kind TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  acked INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX outbox_pending ON outbox(seq) WHERE acked = 0;"
	"CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE audit ("
	"  seq INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  what TEXT NOT NULL,"
	"  nik_hash TEXT,"
	"  detail TEXT"
	");"
	/* append-only: the database itself refuses edits, whoever holds a connection */
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
	"CREATE TABLE fetch_requests ("
	"  id INTEGER PRIMARY KEY,"
	"  nik TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending',"
	"  created INTEGER NOT NULL,"
	"  answered INTEGER"
	");"
	"CREATE INDEX fetch_pending ON fetch_requests(id) WHERE state = 'pending';",

	/* 2: which documents still want their blob, as a flag kept with the row, so that
	 * adm-syncd's "what is missing" is an index range (it was a walk of every document:
	 * 1.6 s per pass at a million) */
	"ALTER TABLE documents ADD COLUMN blob_missing INTEGER NOT NULL DEFAULT 1;"
	"UPDATE documents SET blob_missing = NOT EXISTS "
	"  (SELECT 1 FROM blobs b WHERE b.sha256 = documents.blob_sha256);"
	"CREATE INDEX documents_blob_missing ON documents(blob_sha256) WHERE blob_missing = 1;"
	"CREATE TRIGGER blobs_stored AFTER INSERT ON blobs BEGIN"
	"  UPDATE documents SET blob_missing = 0 WHERE blob_sha256 = NEW.sha256; END;"
	"CREATE TRIGGER blobs_removed AFTER DELETE ON blobs BEGIN"
	"  UPDATE documents SET blob_missing = 1 WHERE blob_sha256 = OLD.sha256; END;",
	/* (a document's own upsert, in cache_docs.c, sets the flag for its hash: a trigger
	 * there would cost a second write of every row, halving the rate of an initial sync) */

	/* 3: nothing kept for ever. A citizen of another region fetched on demand is
	 * followed by the server until follow_until (NULL: in the kiosk's own scope, the
	 * feed says when they leave); after that the purge drops them. The audit keeps
	 * CACHE_AUDIT_KEEP_DAYS by the database's own clock: younger rows still cannot be
	 * deleted or edited by anyone. */
	"ALTER TABLE holders ADD COLUMN follow_until INTEGER;"
	"CREATE INDEX holders_follow ON holders(follow_until) WHERE follow_until IS NOT NULL;"
	/* The purge runs after every pass: it walked every document twice (0.6 s at a
	 * million, holding the write lock). Documents it may drop are found by index. */
	"CREATE INDEX documents_done ON documents(status) WHERE status = 'printed' OR "
	"  status = 'expired' OR status = 'revoked' OR gone = 1;"
	"CREATE INDEX documents_expires ON documents(expires) WHERE expires > 0;"
	"CREATE INDEX audit_at ON audit(at);"
	"DROP TRIGGER audit_no_delete;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	"  WHEN OLD.at >= CAST(strftime('%s', 'now') AS INTEGER) - " AUDIT_KEEP_S
	"  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;",

	/* 4: a print the kiosk canceled after the printer had it may still come out: its job
	 * is 'uncertain' until a technician settles it (docs/printing.md). print_jobs is
	 * small (finished jobs go after 30 days): rebuilt for its CHECK. A print PIN spent
	 * on a document still ready has no job; the start-up's look for those is an index. */
	"CREATE TABLE print_jobs_4 ("
	"  id INTEGER PRIMARY KEY,"
	"  document TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	"  cups_job INTEGER NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('printing', 'done', 'failed', 'uncertain')),"
	"  reason TEXT,"
	"  created INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL"
	");"
	"INSERT INTO print_jobs_4 SELECT id, document, cups_job, state, reason, created, updated"
	"  FROM print_jobs;"
	"DROP TABLE print_jobs;"
	"ALTER TABLE print_jobs_4 RENAME TO print_jobs;"
	"CREATE INDEX print_jobs_document ON print_jobs(document);"
	"CREATE INDEX print_jobs_open ON print_jobs(state) WHERE state = 'printing';"
	"CREATE INDEX print_jobs_uncertain ON print_jobs(state) WHERE state = 'uncertain';"
	"CREATE INDEX documents_pin_orphan ON documents(id)"
	"  WHERE print_pin_used = 1 AND status = 'ready';",

	/* 5: a cheaper apply (issue 11 item 18). Each page of the feed is a transaction, and
	 * each commit writes every index page it dirtied to the WAL again: indexes whose keys
	 * land at random places cost the most. Two of those go.
	 * - documents_blob (hash) and documents_blob_missing (hash, for the missing only)
	 *   were the same index twice during an initial sync, when every document misses its
	 *   blob: one index on (blob_missing, hash) serves both. The missing are its range
	 *   blob_missing = 1, in hash order as before; a lookup by hash names the flag it
	 *   wants (the triggers: only rows that change) or both values (the purge).
	 * - documents_expires held the exact second: a feed's documents land all over it.
	 *   The purge needs only the day, and within a day the rows follow their id, so that
	 *   a page of the feed appends at the end of a few days' runs (the exact time is
	 *   checked on the row). */
	"DROP INDEX documents_blob_missing;"
	"DROP INDEX documents_blob;"
	"CREATE INDEX documents_blob_state ON documents(blob_missing, blob_sha256);"
	"DROP TRIGGER blobs_stored;"
	"DROP TRIGGER blobs_removed;"
	"CREATE TRIGGER blobs_stored AFTER INSERT ON blobs BEGIN"
	"  UPDATE documents SET blob_missing = 0"
	"  WHERE blob_missing = 1 AND blob_sha256 = NEW.sha256; END;"
	"CREATE TRIGGER blobs_removed AFTER DELETE ON blobs BEGIN"
	"  UPDATE documents SET blob_missing = 1"
	"  WHERE blob_missing = 0 AND blob_sha256 = OLD.sha256; END;"
	"DROP INDEX documents_expires;"
	"CREATE INDEX documents_expires_day ON documents(expires / 86400) WHERE expires > 0;",
};

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))
_Static_assert(N_MIGRATIONS == CACHE_SCHEMA_VERSION, "CACHE_SCHEMA_VERSION in cache.h");

int cache_schema_version(cache_t *c)
{
	sqlite3_stmt *st = cache_prepare(c, "PRAGMA user_version");
	int v = -1;
	if (st && cache_step(c, st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int cache_migrate(cache_t *c)
{
	int v = cache_schema_version(c);
	if (v < 0)
		return CACHE_ERR_DB;
	if (v > N_MIGRATIONS) {
		/* A newer firmware wrote this file: refuse rather than misread it. */
		log_error("cache schema version %d is newer than this program (%d)", v,
			  N_MIGRATIONS);
		return CACHE_ERR_DB;
	}
	for (; v < N_MIGRATIONS; v++) {
		char pragma[48];
		if (cache_begin(c) != CACHE_OK)
			return CACHE_ERR_DB;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
		if (cache_exec(c, migrations[v]) != CACHE_OK || cache_exec(c, pragma) != CACHE_OK) {
			cache_rollback(c);
			log_error("cache migration %d failed", v + 1);
			return CACHE_ERR_DB;
		}
		if (cache_commit(c) != CACHE_OK)
			return CACHE_ERR_DB;
		log_info("cache schema migrated to version %d", v + 1);
	}
	return CACHE_OK;
}
