/*
 * Migration 5 of the cache (issue 11 item 18: one index of blob hashes instead of two, and
 * the expiry index by day) on an existing version-4 file: every row is kept with its
 * blob flag, the old indexes are gone, and what used them (the blobs' triggers, the list
 * of missing blobs, the purge by expiry and of unreferenced blobs) still works on the new
 * ones. The version-4 file is made by undoing migration 5 on a fresh cache, statement for
 * statement as migration 4 left it.
 */
#include "cache.h"

#include "../check.h"

#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256], db_path[300], key_path[300];

static cache_t *open_cache(void)
{
	struct cache_options o = {
		.path = db_path,
		.key_path = key_path,
		.pwhash_opslimit = crypto_pwhash_OPSLIMIT_MIN,
		.pwhash_memlimit = crypto_pwhash_MEMLIMIT_MIN,
		.max_pin_failures = 3,
		.lockout_seconds = 900,
	};
	int err = 0;
	cache_t *c = cache_open(&o, &err);
	if (!c)
		fprintf(stderr, "open failed: %s\n", cache_strerror(err));
	return c;
}

static int64_t scalar(cache_t *c, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -999;
	if (sqlite3_prepare_v2(cache_db(c), sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* every document's id, flag and expiry, and the other tables' counts, as one string */
static void snapshot(cache_t *c, char *out, size_t len)
{
	sqlite3_stmt *st;
	out[0] = 0;
	if (sqlite3_prepare_v2(cache_db(c),
			       "SELECT (SELECT group_concat(id || ':' || blob_missing || ':' || "
			       "expires || ':' || blob_sha256, ',') FROM (SELECT * FROM documents "
			       "ORDER BY id)) || '|' || (SELECT count(*) FROM holders) || '|' || "
			       "(SELECT count(*) FROM blobs)",
			       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* blob i's content and its hash */
static char blob[20][16];
static void hash_of(int i, char out[65])
{
	unsigned char h[32];
	snprintf(blob[i], sizeof(blob[i]), "blob-%02d", i);
	crypto_hash_sha256(h, (const unsigned char *)blob[i], strlen(blob[i]));
	sodium_bin2hex(out, 65, h, 32);
}

static struct cache_change doc(int i, const char *blob_hex, int64_t expires)
{
	struct cache_change ch;
	memset(&ch, 0, sizeof(ch));
	ch.kind = CACHE_CH_DOCUMENT;
	struct cache_document *d = &ch.u.d.doc;
	snprintf(d->id, sizeof(d->id), "D%04d", i);
	snprintf(d->nik, sizeof(d->nik), "31710157089%05d", i);
	snprintf(d->kk, sizeof(d->kk), "3171010101200001");
	snprintf(d->type, sizeof(d->type), "AKTA_LAHIR");
	snprintf(d->title_id, sizeof(d->title_id), "Kutipan Akta Kelahiran");
	snprintf(d->title_en, sizeof(d->title_en), "Birth certificate");
	d->pages = 1;
	d->created = 1000;
	d->expires = expires;
	snprintf(d->blob_sha256, sizeof(d->blob_sha256), "%s", blob_hex);
	d->blob_size = 7;
	d->status = CACHE_DOC_READY;
	return ch;
}

static void count_missing(const char *sha256_hex, int64_t size, void *user)
{
	(void)sha256_hex;
	(void)size;
	++*(int *)user;
}

#define NOW 2000000000LL

int main(void)
{
	snprintf(dir, sizeof(dir), "%s/adm-cache-mig-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir) || sodium_init() < 0)
		return 1;
	snprintf(db_path, sizeof(db_path), "%s/cache.db", dir);
	snprintf(key_path, sizeof(key_path), "%s/kiosk.key", dir);
	unsigned char key[32];
	randombytes_buf(key, sizeof(key));
	int fd = open(key_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, key, sizeof(key)) != (ssize_t)sizeof(key))
		return 1;
	close(fd);

	cache_t *c = open_cache();
	CHECK(c != NULL);
	if (!c)
		return check_done();
	/* 40 documents: 20 hashes shared by two each; every fifth document expired by NOW,
	 * every seventh with no expiry date (0); the first 10 hashes' blobs present */
	struct cache_change ch[40];
	char hex[20][65];
	for (int i = 0; i < 20; i++)
		hash_of(i, hex[i]);
	for (int i = 0; i < 40; i++)
		ch[i] = doc(i, hex[i % 20],
			    i % 7 == 0	 ? 0
			    : i % 5 == 0 ? NOW - 86400 * 3 - i
					 : NOW + i);
	CHECK(cache_apply_page(c, ch, 40, "c1", 100) == CACHE_OK);
	for (int i = 0; i < 10; i++)
		CHECK(cache_blob_put(c, hex[i], blob[i], strlen(blob[i])) == CACHE_OK);

	/* back to version 4, as migration 4 left the schema */
	CHECK(sqlite3_exec(
		  cache_db(c),
		  "DROP INDEX documents_blob_state; DROP INDEX documents_expires_day;"
		  "CREATE INDEX documents_blob ON documents(blob_sha256);"
		  "CREATE INDEX documents_blob_missing ON documents(blob_sha256) "
		  "WHERE blob_missing = 1;"
		  "CREATE INDEX documents_expires ON documents(expires) WHERE expires > 0;"
		  "DROP TRIGGER blobs_stored; DROP TRIGGER blobs_removed;"
		  "CREATE TRIGGER blobs_stored AFTER INSERT ON blobs BEGIN"
		  "  UPDATE documents SET blob_missing = 0 WHERE blob_sha256 = NEW.sha256; END;"
		  "CREATE TRIGGER blobs_removed AFTER DELETE ON blobs BEGIN"
		  "  UPDATE documents SET blob_missing = 1 WHERE blob_sha256 = OLD.sha256; END;"
		  "PRAGMA user_version = 4",
		  NULL, NULL, NULL) == SQLITE_OK);
	char before[8192], after[8192];
	snapshot(c, before, sizeof(before));
	CHECK(scalar(c, "SELECT count(*) FROM documents") == 40);
	CHECK(scalar(c, "SELECT count(*) FROM documents WHERE blob_missing = 0") == 20);
	cache_close(c);

	c = open_cache();
	CHECK(c != NULL);
	if (!c)
		return check_done();
	CHECK(cache_schema_version(c) == 5 && CACHE_SCHEMA_VERSION == 5);
	snapshot(c, after, sizeof(after));
	CHECK(before[0] && strcmp(before, after) == 0, "rows changed by the migration");
	CHECK(scalar(c, "SELECT count(*) FROM sqlite_master WHERE name IN ('documents_blob', "
			"'documents_blob_missing', 'documents_expires')") == 0);
	CHECK(scalar(c, "SELECT count(*) FROM sqlite_master WHERE name IN "
			"('documents_blob_state', 'documents_expires_day')") == 2);
	CHECK(cache_integrity_ok(c));

	/* the list of missing blobs: the 10 hashes without their blob, once each */
	int n = 0;
	CHECK(cache_blobs_missing(c, 256, count_missing, &n) == 10 && n == 10);
	CHECK(cache_blob_wanted(c, hex[15]) && !cache_blob_wanted(c, hex[5]));
	/* the new triggers: a stored blob clears its documents' flag */
	CHECK(cache_blob_put(c, hex[15], blob[15], strlen(blob[15])) == CACHE_OK);
	CHECK(scalar(c, "SELECT count(*) FROM documents WHERE blob_missing = 0") == 22);
	n = 0;
	CHECK(cache_blobs_missing(c, 256, count_missing, &n) == 9 && n == 9);

	/* the purge by expiry drops exactly the expired documents (i % 5 == 0, i % 7 != 0:
	 * 5, 10, 15, 20, 25, 30; 0 and 35 have no date), then the blobs nobody else uses */
	struct cache_purge_stats ps;
	CHECK(cache_purge(c, NOW, &ps) == CACHE_OK);
	CHECK(ps.documents == 6, "%d purged", ps.documents);
	CHECK(scalar(c, "SELECT count(*) FROM documents") == 34);
	CHECK(scalar(c,
		     "SELECT count(*) FROM documents WHERE expires > 0 AND expires < 2000000000") ==
	      0);
	/* hash 5's documents (5, 25) are all gone: its blob goes; hash 15's (15, 35) and
	 * hash 0's (0, 20) keep a document without an expiry date */
	CHECK(ps.blobs == 1, "%d blobs purged", ps.blobs);
	CHECK(!cache_blob_has(c, hex[5]) && cache_blob_has(c, hex[15]) &&
	      cache_blob_has(c, hex[0]));
	/* a blob removed (as a failed authentication does) sets its documents missing again */
	CHECK(sqlite3_exec(cache_db(c),
			   "DELETE FROM blobs WHERE sha256 = (SELECT blob_sha256 "
			   "FROM documents WHERE id = 'D0001')",
			   NULL, NULL, NULL) == SQLITE_OK);
	CHECK(scalar(c, "SELECT blob_missing FROM documents WHERE id = 'D0001'") == 1 &&
	      scalar(c, "SELECT blob_missing FROM documents WHERE id = 'D0021'") == 1);
	CHECK(cache_integrity_ok(c));
	cache_close(c);

	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup failed\n");
	return check_done();
}
