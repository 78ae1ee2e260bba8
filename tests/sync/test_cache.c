/*
 * Unit tests of the cache module against real SQLite files in a temporary directory:
 * key file rules, migrations, page apply atomicity, PIN lockout, one-time print PINs,
 * blob encryption and integrity, print jobs with their outbox events, purging, the
 * append-only audit and on-demand fetch requests.
 */
#include "cache.h"

#include "../check.h"

#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256], db_path[300], key_path[300];

static void write_key(const char *path, int mode, size_t len)
{
	unsigned char key[64];
	randombytes_buf(key, sizeof(key));
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, key, len) != (ssize_t)len) {
		perror("key");
		exit(1);
	}
	fchmod(fd, (mode_t)mode);
	close(fd);
}

static cache_t *open_cache(int *err)
{
	struct cache_options o = {
		.path = db_path,
		.key_path = key_path,
		.pwhash_opslimit = crypto_pwhash_OPSLIMIT_MIN,
		.pwhash_memlimit = crypto_pwhash_MEMLIMIT_MIN,
		.max_pin_failures = 3,
		.lockout_seconds = 900,
	};
	return cache_open(&o, err);
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

static const char *NIK_A = "3171015708900001"; /* woman born 17-08-90 */
static const char *NIK_B = "3171011708850002";
static const char *KK_A = "3171010101200001";

static void sha_hex(const void *data, size_t len, char out[65])
{
	unsigned char h[32];
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(out, 65, h, 32);
}

static struct cache_change doc_change(const char *id, const char *nik, const char *blob_hex,
				      const char *pin_hash, int64_t expires)
{
	struct cache_change ch;
	memset(&ch, 0, sizeof(ch));
	ch.kind = CACHE_CH_DOCUMENT;
	struct cache_document *d = &ch.u.d.doc;
	snprintf(d->id, sizeof(d->id), "%s", id);
	snprintf(d->nik, sizeof(d->nik), "%s", nik);
	snprintf(d->kk, sizeof(d->kk), "%s", KK_A);
	snprintf(d->type, sizeof(d->type), "AKTA_LAHIR");
	snprintf(d->title_id, sizeof(d->title_id), "Kutipan Akta Kelahiran");
	snprintf(d->title_en, sizeof(d->title_en), "Birth certificate");
	d->pages = 1;
	d->created = 1000;
	d->expires = expires;
	snprintf(d->blob_sha256, sizeof(d->blob_sha256), "%s", blob_hex);
	d->blob_size = 10;
	d->status = CACHE_DOC_READY;
	ch.u.d.print_pin_hash = pin_hash;
	return ch;
}

static struct cache_change holder_change(const char *nik, const char *kk, const char *name,
					 const char *pin_hash)
{
	struct cache_change ch;
	memset(&ch, 0, sizeof(ch));
	ch.kind = CACHE_CH_HOLDER;
	snprintf(ch.u.h.h.nik, sizeof(ch.u.h.h.nik), "%s", nik);
	snprintf(ch.u.h.h.kk, sizeof(ch.u.h.h.kk), "%s", kk);
	snprintf(ch.u.h.h.name, sizeof(ch.u.h.h.name), "%s", name);
	ch.u.h.pin_hash = pin_hash;
	return ch;
}

static struct cache_change app_change(const char *id, const char *nik, const char *type)
{
	struct cache_change ch;
	memset(&ch, 0, sizeof(ch));
	ch.kind = CACHE_CH_APPLICATION;
	snprintf(ch.u.a.id, sizeof(ch.u.a.id), "%s", id);
	snprintf(ch.u.a.nik, sizeof(ch.u.a.nik), "%s", nik);
	snprintf(ch.u.a.type, sizeof(ch.u.a.type), "%s", type);
	snprintf(ch.u.a.stage, sizeof(ch.u.a.stage), "PROCESSING");
	ch.u.a.expected = 5000;
	return ch;
}

static void count_doc(const struct cache_document *d, void *user)
{
	(void)d;
	(*(int *)user)++;
}

static void test_key_rules(void)
{
	int err = 0;
	write_key(key_path, 0644, 32);
	CHECK(open_cache(&err) == NULL && err == CACHE_ERR_KEY);
	write_key(key_path, 0640, 32);
	CHECK(open_cache(&err) == NULL && err == CACHE_ERR_KEY);
	write_key(key_path, 0600, 31);
	CHECK(open_cache(&err) == NULL && err == CACHE_ERR_KEY);
	write_key(key_path, 0400, 32);
	/* a file that is not a database says so (adm-syncd then moves it aside) */
	FILE *f = fopen(db_path, "wb");
	for (int i = 0; f && i < 4096; i++)
		fputc((i * 7919) & 0xff, f);
	if (f)
		fclose(f);
	CHECK(open_cache(&err) == NULL && err == CACHE_ERR_DAMAGED, "%d", err);
	unlink(db_path);
	cache_t *c = open_cache(&err);
	CHECK(c && err == CACHE_OK);
	cache_close(c);
}

static void test_schema(cache_t *c)
{
	CHECK(cache_schema_version(c) == CACHE_SCHEMA_VERSION);
	CHECK(scalar(c, "PRAGMA foreign_keys") == 1);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(cache_db(c), "PRAGMA journal_mode", -1, &st, NULL);
	CHECK(sqlite3_step(st) == SQLITE_ROW &&
	      strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0);
	sqlite3_finalize(st);
	CHECK(cache_integrity_ok(c));
	/* lookups must use the indexes, which is what keeps them under 1 ms at 1M rows */
	sqlite3_prepare_v2(cache_db(c),
			   "EXPLAIN QUERY PLAN SELECT * FROM documents WHERE nik = '1' "
			   "ORDER BY created",
			   -1, &st, NULL);
	bool idx = false;
	while (sqlite3_step(st) == SQLITE_ROW)
		idx |= strstr((const char *)sqlite3_column_text(st, 3), "documents_nik") != NULL;
	sqlite3_finalize(st);
	CHECK(idx);
	/* so must adm-syncd's list of missing blobs: a range of a partial index, not a walk
	 * of every document */
	sqlite3_prepare_v2(
	    cache_db(c),
	    "EXPLAIN QUERY PLAN SELECT blob_sha256, max(blob_size) FROM documents "
	    "WHERE blob_missing = 1 AND status IN ('ready', 'printing') AND gone = 0 "
	    "GROUP BY blob_sha256 LIMIT 10",
	    -1, &st, NULL);
	idx = false;
	while (sqlite3_step(st) == SQLITE_ROW)
		idx |= strstr((const char *)sqlite3_column_text(st, 3), "documents_blob_state") !=
		       NULL;
	sqlite3_finalize(st);
	CHECK(idx);
	/* and the purge's, which runs after every pass: no walk of the audit or of every
	 * holder */
	const char *purges[] = {
		"EXPLAIN QUERY PLAN DELETE FROM audit WHERE at < 5",
		"audit_at",
		"EXPLAIN QUERY PLAN DELETE FROM holders WHERE follow_until < 5",
		"holders_follow",
		"EXPLAIN QUERY PLAN DELETE FROM documents WHERE nik IN (SELECT nik FROM holders "
		"WHERE follow_until < 5)",
		"documents_nik",
		"EXPLAIN QUERY PLAN DELETE FROM documents WHERE status = 'printed'",
		"documents_done",
		"EXPLAIN QUERY PLAN DELETE FROM documents WHERE status = 'revoked'",
		"documents_done",
		"EXPLAIN QUERY PLAN DELETE FROM documents WHERE gone = 1 AND status != 'printing'",
		"documents_done",
		"EXPLAIN QUERY PLAN DELETE FROM documents WHERE expires > 0 AND "
		"expires / 86400 <= 5 / 86400 AND expires < 5 AND status != 'printing'",
		"documents_expires_day",
		/* schema 5's one index of hashes serves all who look a hash up */
		"EXPLAIN QUERY PLAN DELETE FROM blobs WHERE NOT EXISTS (SELECT 1 FROM documents d "
		"WHERE d.blob_missing IN (0, 1) AND d.blob_sha256 = blobs.sha256 AND "
		"d.status IN ('ready', 'printing'))",
		"documents_blob_state",
		"EXPLAIN QUERY PLAN SELECT 1 FROM documents WHERE blob_missing = 1 AND "
		"blob_sha256 = 'x' AND status IN ('ready', 'printing') AND gone = 0 LIMIT 1",
		"documents_blob_state",
		/* an on-demand citizen's missing blobs: their documents, not every missing one */
		"EXPLAIN QUERY PLAN SELECT blob_sha256, max(blob_size) FROM documents WHERE "
		"nik = 'x' AND +blob_missing = 1 AND status IN ('ready', 'printing') AND gone = 0 "
		"GROUP BY blob_sha256 LIMIT 10",
		"documents_nik",
		/* the blobs table's triggers */
		"EXPLAIN QUERY PLAN UPDATE documents SET blob_missing = 0 WHERE blob_missing = 1 "
		"AND blob_sha256 = 'x'",
		"documents_blob_state",
		"EXPLAIN QUERY PLAN UPDATE documents SET blob_missing = 1 WHERE blob_missing = 0 "
		"AND blob_sha256 = 'x'",
		"documents_blob_state",
	};
	for (size_t i = 0; i < sizeof(purges) / sizeof(purges[0]); i += 2) {
		sqlite3_prepare_v2(cache_db(c), purges[i], -1, &st, NULL);
		idx = false;
		while (sqlite3_step(st) == SQLITE_ROW)
			idx |=
			    strstr((const char *)sqlite3_column_text(st, 3), purges[i + 1]) != NULL;
		sqlite3_finalize(st);
		CHECK(idx, "%s uses %s", purges[i], purges[i + 1]);
	}
	struct stat sb;
	CHECK(stat(db_path, &sb) == 0 && (sb.st_mode & 077) == 0);
}

static void test_pages_and_pins(cache_t *c)
{
	char pin_hash[crypto_pwhash_STRBYTES], doc_pin[crypto_pwhash_STRBYTES];
	CHECK(cache_pin_hash(c, "123456", pin_hash, sizeof(pin_hash)) == CACHE_OK);
	CHECK(cache_pin_hash(c, "654321", doc_pin, sizeof(doc_pin)) == CACHE_OK);
	const char blob[] = "%PDF-1.4 x";
	char hex[65];
	sha_hex(blob, 10, hex);

	struct cache_change ch[4] = { holder_change(NIK_A, KK_A, "Siti Rahayu", pin_hash),
				      doc_change("D1", NIK_A, hex, doc_pin, 2000000000),
				      doc_change("D2", NIK_B, hex, doc_pin, 2000000000),
				      app_change("A1", NIK_A, "KTP_EL") };
	CHECK(cache_apply_page(c, ch, 4, "c1", 100) == CACHE_OK);

	char cur[CACHE_CURSOR_MAX + 1];
	CHECK(cache_cursor(c, cur) == CACHE_OK && strcmp(cur, "c1") == 0);
	int n = 0;
	CHECK(cache_documents_for_nik(c, NIK_A, count_doc, &n) == 1 && n == 1);
	n = 0;
	CHECK(cache_documents_for_kk(c, KK_A, count_doc, &n) == 2 && n == 2);
	CHECK(cache_applications_for_nik(c, NIK_A, NULL, NULL) == 1);
	struct cache_holder h;
	CHECK(cache_holder_find(c, NIK_A, &h) == CACHE_OK && strcmp(h.name, "Siti Rahayu") == 0);
	CHECK(cache_holder_find(c, NIK_B, &h) == CACHE_ERR_NOT_FOUND);

	/* a page with one invalid record is refused whole: cursor and rows unchanged */
	struct cache_change bad[2] = { doc_change("D3", NIK_A, hex, NULL, 2000000000),
				       doc_change("D4", "12345", hex, NULL, 2000000000) };
	CHECK(cache_apply_page(c, bad, 2, "c2", 100) == CACHE_ERR_INVALID);
	CHECK(cache_cursor(c, cur) == CACHE_OK && strcmp(cur, "c1") == 0);
	CHECK(cache_document_count(c) == 2);

	/* a page that cannot get the write lock leaves nothing behind either */
	sqlite3 *other;
	sqlite3_open(db_path, &other);
	sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	struct cache_change good = doc_change("D5", NIK_A, hex, NULL, 2000000000);
	sqlite3_busy_timeout(cache_db(c), 50);
	CHECK(cache_apply_page(c, &good, 1, "c3", 100) == CACHE_ERR_DB);
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	sqlite3_busy_timeout(cache_db(c), 5000);
	CHECK(cache_cursor(c, cur) == CACHE_OK && strcmp(cur, "c1") == 0);
	CHECK(cache_document_count(c) == 2);

	/* account PIN with lockout */
	CHECK(cache_pin_verify(c, NIK_A, "123456", 100) == CACHE_PIN_OK);
	CHECK(cache_pin_verify(c, NIK_B, "123456", 100) == CACHE_PIN_UNKNOWN);
	CHECK(cache_pin_verify(c, NIK_A, "000000", 100) == CACHE_PIN_WRONG);
	CHECK(cache_pin_verify(c, NIK_A, "000001", 100) == CACHE_PIN_WRONG);
	CHECK(cache_pin_verify(c, NIK_A, "000002", 100) == CACHE_PIN_LOCKED);
	CHECK(cache_pin_verify(c, NIK_A, "123456", 200) == CACHE_PIN_LOCKED);
	CHECK(cache_pin_verify(c, NIK_A, "123456", 1001) == CACHE_PIN_OK);
	/* a success resets the count: two more failures do not lock */
	CHECK(cache_pin_verify(c, NIK_A, "1", 1001) == CACHE_PIN_WRONG);
	CHECK(cache_pin_verify(c, NIK_A, "123456", 1001) == CACHE_PIN_OK);
	CHECK(cache_pin_verify(c, NIK_A, "1", 1001) == CACHE_PIN_WRONG);
	CHECK(cache_pin_verify(c, NIK_A, "2", 1001) == CACHE_PIN_WRONG);
	CHECK(cache_pin_verify(c, NIK_A, "123456", 1001) == CACHE_PIN_OK);
	/* each outcome is queued for the registry: the NIK and the time, never the PIN */
	sqlite3 *ob = cache_db(c);
	sqlite3_stmt *os;
	sqlite3_prepare_v2(
	    ob,
	    "SELECT group_concat(kind, ' '), sum(body LIKE '%123456%' OR body "
	    "LIKE '%000000%' OR body LIKE '%pin\"%'), sum(body LIKE '%\"nik\":\"' || ? "
	    "|| '\"%'), sum(body LIKE '%\"locked_until\":1000}') FROM (SELECT kind, "
	    "body FROM outbox WHERE kind LIKE 'pin_%' ORDER BY seq)",
	    -1, &os, NULL);
	sqlite3_bind_text(os, 1, NIK_A, -1, SQLITE_STATIC);
	CHECK(sqlite3_step(os) == SQLITE_ROW);
	const char *kinds = (const char *)sqlite3_column_text(os, 0);
	/* a success after an expired lock starts from zero: nothing to clear then */
	CHECK(kinds && strcmp(kinds, "pin_failed pin_failed pin_locked pin_failed pin_ok "
				     "pin_failed pin_failed pin_ok") == 0);
	CHECK(sqlite3_column_int(os, 1) == 0); /* no PIN in any body */
	CHECK(sqlite3_column_int(os, 2) == 8); /* every one names the holder */
	CHECK(sqlite3_column_int(os, 3) == 1); /* the lock says until when */
	sqlite3_finalize(os);
	/* a lock from the registry holds here; the feed does not shorten a lock of this kiosk */
	struct cache_change locked = { .kind = CACHE_CH_HOLDER };
	struct cache_holder hb;
	CHECK(cache_holder_find(c, NIK_A, &hb) == CACHE_OK);
	locked.u.h.h = hb;
	locked.u.h.pin_hash = NULL;
	sqlite3_stmt *ph;
	sqlite3_prepare_v2(ob, "SELECT pin_hash FROM holders WHERE nik = ?", -1, &ph, NULL);
	sqlite3_bind_text(ph, 1, NIK_A, -1, SQLITE_STATIC);
	CHECK(sqlite3_step(ph) == SQLITE_ROW);
	char keep_hash[200];
	snprintf(keep_hash, sizeof(keep_hash), "%s", (const char *)sqlite3_column_text(ph, 0));
	sqlite3_finalize(ph);
	locked.u.h.pin_hash = keep_hash;
	locked.u.h.h.locked_until = 5000;
	CHECK(cache_apply_page(c, &locked, 1, NULL, 1001) == CACHE_OK);
	CHECK(cache_pin_verify(c, NIK_A, "123456", 2000) == CACHE_PIN_LOCKED);
	CHECK(cache_holder_find(c, NIK_A, &hb) == CACHE_OK && hb.locked_until == 5000);
	locked.u.h.h.locked_until = 0;
	CHECK(cache_apply_page(c, &locked, 1, NULL, 2000) == CACHE_OK);
	CHECK(cache_holder_find(c, NIK_A, &hb) == CACHE_OK && hb.locked_until == 5000);
	CHECK(cache_pin_verify(c, NIK_A, "123456", 5000) == CACHE_PIN_OK); /* it expires */
	/* the registry took them (the outbox tests below count from none) */
	sqlite3_exec(ob, "DELETE FROM outbox WHERE kind LIKE 'pin_%'", NULL, NULL, NULL);

	/* one-time print PIN */
	CHECK(cache_print_pin_verify(c, "D1", "111111", 100) == CACHE_PIN_WRONG);
	CHECK(cache_print_pin_verify(c, "D1", "654321", 100) == CACHE_PIN_OK);
	CHECK(cache_print_pin_verify(c, "D1", "654321", 100) == CACHE_PIN_USED);
	CHECK(cache_print_pin_verify(c, "nope", "654321", 100) == CACHE_PIN_UNKNOWN);
	/* the feed re-sending the same record does not give the PIN back */
	struct cache_change again = doc_change("D1", NIK_A, hex, doc_pin, 2000000000);
	CHECK(cache_apply_page(c, &again, 1, "c4", 100) == CACHE_OK);
	CHECK(cache_print_pin_verify(c, "D1", "654321", 100) == CACHE_PIN_USED);
	/* a print that never started gives the PIN back, once */
	CHECK(cache_print_pin_release(c, "D1") == CACHE_OK);
	CHECK(cache_print_pin_verify(c, "D1", "654321", 100) == CACHE_PIN_OK);
	CHECK(cache_print_pin_verify(c, "D1", "654321", 100) == CACHE_PIN_USED);
}

static void test_blobs(cache_t *c)
{
	const char blob[] = "%PDF-1.4 x";
	char hex[65], other_hex[65];
	sha_hex(blob, 10, hex);
	sha_hex("other", 5, other_hex);
	CHECK(cache_blob_put(c, other_hex, blob, 10) == CACHE_ERR_INTEGRITY);
	CHECK(cache_blob_put(c, "XYZ", blob, 10) == CACHE_ERR_INVALID);
	CHECK(!cache_blob_has(c, hex));
	CHECK(cache_blobs_missing(c, 10, NULL, NULL) == 1);
	struct cache_document d;
	CHECK(cache_document_get(c, "D1", &d) == CACHE_OK && !d.blob_present);
	CHECK(cache_blob_wanted(c, hex) && !cache_blob_wanted(c, other_hex));
	CHECK(cache_blob_put(c, hex, blob, 10) == CACHE_OK);
	CHECK(!cache_blob_wanted(c, hex));
	CHECK(cache_blobs_missing(c, 10, NULL, NULL) == 0);
	CHECK(cache_document_get(c, "D1", &d) == CACHE_OK && d.blob_present);
	unsigned char *out;
	size_t len;
	CHECK(cache_blob_get(c, hex, &out, &len) == CACHE_OK && len == 10 &&
	      memcmp(out, blob, 10) == 0);
	free(out);
	/* at rest it is ciphertext */
	CHECK(scalar(c, "SELECT instr(data, CAST('%PDF' AS BLOB)) FROM blobs") == 0);
	/* a changed byte fails authentication (the first byte of the ciphertext is random:
	 * it becomes 0x01 where it was 0x00, 0x00 elsewhere) */
	CHECK(
	    sqlite3_exec(cache_db(c),
			 "UPDATE blobs SET data = CASE WHEN substr(data, 1, 1) = x'00' THEN x'01' "
			 "ELSE x'00' END || substr(data, 2)",
			 NULL, NULL, NULL) == SQLITE_OK);
	CHECK(sqlite3_changes(cache_db(c)) == 1);
	CHECK(cache_blob_get(c, hex, &out, &len) == CACHE_ERR_INTEGRITY && out == NULL);
	/* ... and is dropped: missing again, so adm-syncd fetches it on its next pass */
	CHECK(!cache_blob_has(c, hex));
	CHECK(cache_blobs_missing(c, 10, NULL, NULL) == 1);
	CHECK(cache_document_get(c, "D1", &d) == CACHE_OK && !d.blob_present);
	/* a row moved under another hash fails too (the hash is the AEAD's additional data) */
	CHECK(cache_blob_put(c, hex, blob, 10) == CACHE_OK);
	CHECK(cache_blob_put(c, other_hex, "other", 5) == CACHE_OK);
	char sql[300];
	snprintf(sql, sizeof(sql),
		 "UPDATE blobs SET (nonce, data) = (SELECT nonce, data FROM blobs WHERE sha256 "
		 "= '%s') WHERE sha256 = '%s'",
		 hex, other_hex);
	CHECK(sqlite3_exec(cache_db(c), sql, NULL, NULL, NULL) == SQLITE_OK);
	CHECK(cache_blob_get(c, other_hex, &out, &len) == CACHE_ERR_INTEGRITY);
	CHECK(cache_blob_get(c, hex, &out, &len) == CACHE_OK);
	free(out);
}

static char last_kind[33], last_body[300];
static void grab_event(const struct cache_event *e, void *user)
{
	(void)user;
	snprintf(last_kind, sizeof(last_kind), "%s", e->kind);
	snprintf(last_body, sizeof(last_body), "%s", e->body);
}

static void test_jobs_outbox_purge(cache_t *c)
{
	struct cache_document d;
	/* D1's PIN was spent above; a failed print gives it back */
	int64_t job = cache_job_record(c, "D1", 41, 300);
	CHECK(job > 0);
	CHECK(cache_job_record(c, "D1", 42, 300) == CACHE_ERR_STATE);
	CHECK(cache_document_get(c, "D1", &d) == CACHE_OK && d.status == CACHE_DOC_PRINTING);
	CHECK(cache_jobs_open(c, NULL, NULL) == 1);
	CHECK(cache_job_finish(c, job, false, "media-jam \"x\"", 310) == CACHE_OK);
	CHECK(cache_job_finish(c, job, true, NULL, 310) == CACHE_ERR_STATE);
	CHECK(cache_document_get(c, "D1", &d) == CACHE_OK && d.status == CACHE_DOC_READY);
	CHECK(cache_outbox_pending(c) == 1);
	CHECK(cache_outbox_next(c, 10, grab_event, NULL) == 1);
	CHECK(strcmp(last_kind, "print_failed") == 0 && strstr(last_body, "\"D1\"") &&
	      !strstr(last_body, "\"x\""));
	CHECK(cache_print_pin_verify(c, "D1", "654321", 320) == CACHE_PIN_OK);

	job = cache_job_record(c, "D1", 43, 330);
	CHECK(cache_job_finish(c, job, true, NULL, 340) == CACHE_OK);
	CHECK(cache_document_get(c, "D1", &d) == CACHE_OK && d.status == CACHE_DOC_PRINTED &&
	      d.print_count == 1);
	CHECK(cache_outbox_pending(c) == 2);

	/* the server withdraws D2 mid-print: it stays until its job ends */
	int64_t job2 = cache_job_record(c, "D2", 44, 341);
	CHECK(job2 > 0);
	struct cache_change del;
	memset(&del, 0, sizeof(del));
	del.kind = CACHE_CH_DOCUMENT;
	del.del = true;
	del.key = "D2";
	CHECK(cache_apply_page(c, &del, 1, "c5", 345) == CACHE_OK);
	CHECK(cache_document_get(c, "D2", &d) == CACHE_OK);
	CHECK(cache_documents_for_nik(c, NIK_B, NULL, NULL) == 0);
	struct cache_purge_stats ps;
	CHECK(cache_purge(c, 346, &ps) == CACHE_OK);
	CHECK(cache_document_get(c, "D2", &d) == CACHE_OK && d.status == CACHE_DOC_PRINTING);
	CHECK(cache_job_finish(c, job2, false, "door-open", 350) == CACHE_OK);
	CHECK(cache_outbox_pending(c) == 3);

	/* event ids are unique: adding one twice keeps one row */
	CHECK(cache_outbox_add(c, "E1", "audit", "{}", 1) == CACHE_OK);
	CHECK(cache_outbox_add(c, "E1", "audit", "{}", 1) == CACHE_OK);
	CHECK(cache_outbox_pending(c) == 4);

	/* D2 (withdrawn, job over) goes; D1 printed but its event not yet acknowledged
	 * stays, so a late feed upsert cannot make it printable again; its blob goes */
	CHECK(cache_purge(c, 400, &ps) == CACHE_OK);
	CHECK(cache_document_get(c, "D2", &d) == CACHE_ERR_NOT_FOUND);
	CHECK(cache_document_get(c, "D1", &d) == CACHE_OK);
	CHECK(!cache_blob_has(c, d.blob_sha256) && ps.blobs == 1);
	CHECK(ps.documents == 1 && ps.events == 0);
	sqlite3_exec(cache_db(c), "UPDATE outbox SET acked = 1", NULL, NULL, NULL);
	CHECK(cache_purge(c, 400, &ps) == CACHE_OK);
	CHECK(cache_document_get(c, "D1", &d) == CACHE_ERR_NOT_FOUND);
	CHECK(ps.documents == 1 && ps.events == 4);
	CHECK(cache_outbox_pending(c) == 0);
	CHECK(cache_document_count(c) == 0);

	/* expiry purges too */
	const char blob[] = "%PDF-1.4 x";
	char hex[65];
	sha_hex(blob, 10, hex);
	struct cache_change e = doc_change("D6", NIK_A, hex, NULL, 500);
	CHECK(cache_apply_page(c, &e, 1, "c6", 400) == CACHE_OK);
	CHECK(cache_blob_put(c, hex, blob, 10) == CACHE_OK);
	struct cache_change never = doc_change("D7", NIK_A, hex, NULL, 0); /* no expiry date */
	CHECK(cache_apply_page(c, &never, 1, "c7", 400) == CACHE_OK);
	CHECK(cache_purge(c, 499, &ps) == CACHE_OK && cache_document_count(c) == 2);
	CHECK(cache_purge(c, 501, &ps) == CACHE_OK && cache_document_count(c) == 1);
	struct cache_document d7;
	CHECK(cache_document_get(c, "D7", &d7) == CACHE_OK, "a document without expiry stays");
	never.del = true;
	never.key = "D7";
	CHECK(cache_apply_page(c, &never, 1, "c8", 502) == CACHE_OK);
	CHECK(cache_purge(c, 502, &ps) == CACHE_OK && cache_document_count(c) == 0);
	/* revoked by the registry: gone at the next purge */
	struct cache_change rev = doc_change("D8", NIK_A, hex, NULL, 2000000000);
	rev.u.d.doc.status = CACHE_DOC_REVOKED;
	CHECK(cache_apply_page(c, &rev, 1, "c9", 503) == CACHE_OK && cache_document_count(c) == 1);
	CHECK(cache_purge(c, 503, &ps) == CACHE_OK && ps.documents == 1 &&
	      cache_document_count(c) == 0);
	CHECK(scalar(c, "SELECT count(*) FROM blobs") == 0);
}

static void test_audit_and_fetch(cache_t *c)
{
	int64_t now = (int64_t)time(NULL);
	CHECK(cache_audit(c, "login", NIK_A, "ok", now) == CACHE_OK);
	/* the NIK is nowhere in clear (the whole NIK: its hash is hex, and a short digit
	 * string like '3171' turns up in one hash in a thousand) */
	char sql[200];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM audit WHERE instr(nik_hash, '%s') OR instr(detail, '%s') "
		 "OR instr(what, '%s')",
		 NIK_A, NIK_A, NIK_A);
	CHECK(scalar(c, sql) == 0);
	CHECK(scalar(c, "SELECT count(*) FROM audit WHERE length(nik_hash) = 32") == 1);
	CHECK(sqlite3_exec(cache_db(c), "DELETE FROM audit", NULL, NULL, NULL) != SQLITE_OK);
	CHECK(sqlite3_exec(cache_db(c), "UPDATE audit SET what = 'x'", NULL, NULL, NULL) !=
	      SQLITE_OK);
	CHECK(scalar(c, "SELECT count(*) FROM audit") == 1);
	/* ... but it is not kept for ever: rows older than CACHE_AUDIT_KEEP_DAYS go, by the
	 * purge and only by it */
	int64_t old = now - (int64_t)(CACHE_AUDIT_KEEP_DAYS + 1) * 86400;
	CHECK(cache_audit(c, "login", NIK_B, "ok", old) == CACHE_OK);
	CHECK(sqlite3_exec(cache_db(c), "UPDATE audit SET what = 'x'", NULL, NULL, NULL) !=
	      SQLITE_OK);
	struct cache_purge_stats ps;
	CHECK(cache_purge(c, now, &ps) == CACHE_OK && ps.audit == 1, "%d", ps.audit);
	CHECK(scalar(c, "SELECT count(*) FROM audit") == 1);
	CHECK(cache_purge(c, now, &ps) == CACHE_OK && ps.audit == 0);

	int64_t id = cache_fetch_request(c, NIK_B, 10);
	CHECK(id > 0);
	enum cache_fetch_state s;
	CHECK(cache_fetch_status(c, id, &s) == CACHE_OK && s == CACHE_FETCH_PENDING);
	char nik[17];
	CHECK(cache_fetch_take(c, nik, NULL) == id && strcmp(nik, NIK_B) == 0);
	CHECK(cache_fetch_answer(c, id, CACHE_FETCH_OFFLINE, 11) == CACHE_OK);
	CHECK(cache_fetch_status(c, id, &s) == CACHE_OK && s == CACHE_FETCH_OFFLINE);
	CHECK(cache_fetch_take(c, nik, NULL) == 0);
}

/* A citizen of another region fetched on demand is kept while the server follows them
 * for this kiosk, then dropped with what they had, except a print not yet reported. */
static void test_follow(cache_t *c)
{
	static const char NIK_X[] = "3273014506880003", KK_X[] = "3273010101200003";
	const char blob[] = "%PDF-1.4 y";
	char hex[65], sql[160];
	sha_hex(blob, 10, hex);
	struct cache_change ch[4] = { holder_change(NIK_X, KK_X, "Dewi Lestari", NULL),
				      doc_change("X1", NIK_X, hex, NULL, 2000000000),
				      doc_change("X2", NIK_X, hex, NULL, 2000000000),
				      app_change("AX", NIK_X, "KIA") };
	int64_t in_scope = scalar(c, "SELECT count(*) FROM holders");
	CHECK(in_scope >= 1 && scalar(c, "SELECT count(*) FROM holders WHERE follow_until IS "
					 "NOT NULL") == 0);
	CHECK(cache_apply_citizen(c, ch, 4, -1, 900) == CACHE_ERR_INVALID);
	CHECK(cache_apply_citizen(c, ch, 4, 1000, 900) == CACHE_OK);
	CHECK(cache_blob_put(c, hex, blob, 10) == CACHE_OK);
	snprintf(sql, sizeof(sql), "SELECT follow_until FROM holders WHERE nik = '%s'", NIK_X);
	CHECK(scalar(c, sql) == 1000);
	/* the feed's later upserts of them leave the time alone */
	CHECK(cache_apply_page(c, ch, 2, "f1", 950) == CACHE_OK);
	CHECK(scalar(c, sql) == 1000);
	struct cache_holder h;
	CHECK(cache_holder_find(c, NIK_X, &h) == CACHE_OK && h.follow_until == 1000);
	CHECK(cache_holder_find(c, NIK_A, &h) == CACHE_OK && h.follow_until == 0);
	/* an answer without a time (they moved into the kiosk's scope) ends the following;
	 * a new answer with one starts it again */
	CHECK(cache_apply_citizen(c, ch, 1, 0, 955) == CACHE_OK);
	CHECK(cache_holder_find(c, NIK_X, &h) == CACHE_OK && h.follow_until == 0);
	CHECK(cache_apply_citizen(c, ch, 1, 1000, 956) == CACHE_OK);
	CHECK(scalar(c, sql) == 1000);
	char cur[CACHE_CURSOR_MAX + 1];
	CHECK(cache_cursor(c, cur) == CACHE_OK && strcmp(cur, "f1") == 0);

	struct cache_purge_stats ps;
	CHECK(cache_purge(c, 999, &ps) == CACHE_OK && ps.holders == 0);
	CHECK(cache_documents_for_nik(c, NIK_X, NULL, NULL) == 2);
	/* X1 printed, its event not acknowledged yet: it and its holder wait for that */
	int64_t job = cache_job_record(c, "X1", 51, 960);
	CHECK(job > 0 && cache_job_finish(c, job, true, NULL, 970) == CACHE_OK);
	CHECK(cache_purge(c, 1001, &ps) == CACHE_OK);
	CHECK(ps.holders == 0 && ps.documents == 1, "%d holders %d documents", ps.holders,
	      ps.documents);
	struct cache_document d;
	CHECK(cache_document_get(c, "X1", &d) == CACHE_OK && d.status == CACHE_DOC_PRINTED);
	CHECK(cache_document_get(c, "X2", &d) == CACHE_ERR_NOT_FOUND);
	CHECK(cache_applications_for_nik(c, NIK_X, NULL, NULL) == 0);
	CHECK(scalar(c, sql) == 1000);
	CHECK(sqlite3_exec(cache_db(c), "UPDATE outbox SET acked = 1", NULL, NULL, NULL) ==
	      SQLITE_OK);
	CHECK(cache_purge(c, 1001, &ps) == CACHE_OK && ps.holders == 1);
	CHECK(scalar(c, sql) == -999 && cache_document_get(c, "X1", &d) == CACHE_ERR_NOT_FOUND);
	CHECK(!cache_blob_has(c, hex));
	/* the kiosk's own citizens stay */
	CHECK(scalar(c, "SELECT count(*) FROM holders") == in_scope);
}

/* A version-1 cache (made by undoing migrations 2 to 5 on this one) is migrated with every
 * document's blob_missing flag right. Closes c. */
static void test_migration_2(cache_t *c)
{
	int err;
	/* one document with its blob, one without */
	char have[65], lack[65];
	sha_hex("mig-have", 8, have);
	sha_hex("mig-lack", 8, lack);
	struct cache_change ch[2] = { doc_change("M1", NIK_A, have, NULL, 2000000000),
				      doc_change("M2", NIK_A, lack, NULL, 2000000000) };
	CHECK(cache_apply_page(c, ch, 2, "m1", 100) == CACHE_OK);
	CHECK(cache_blob_put(c, have, "mig-have", 8) == CACHE_OK);
	int64_t docs = scalar(c, "SELECT count(*) FROM documents");
	int64_t missing = scalar(c, "SELECT count(*) FROM documents d WHERE NOT EXISTS "
				    "(SELECT 1 FROM blobs b WHERE b.sha256 = d.blob_sha256)");
	CHECK(docs > missing && missing >= 0);
	CHECK(
	    sqlite3_exec(cache_db(c),
			 "DROP INDEX documents_blob_state; DROP INDEX documents_expires_day;"
			 "CREATE INDEX documents_blob ON documents(blob_sha256);"
			 "CREATE INDEX documents_blob_missing ON documents(blob_sha256) "
			 "WHERE blob_missing = 1;"
			 "CREATE INDEX documents_expires ON documents(expires) WHERE expires > 0;"
			 "DROP INDEX documents_pin_orphan; DROP INDEX print_jobs_uncertain;"
			 "DROP INDEX holders_follow; ALTER TABLE holders DROP COLUMN follow_until;"
			 "DROP INDEX audit_at; DROP INDEX documents_done;"
			 "DROP INDEX documents_expires;"
			 "DROP TRIGGER audit_no_delete; CREATE TRIGGER audit_no_delete BEFORE "
			 "DELETE ON audit BEGIN SELECT RAISE(ABORT, 'append-only'); END;"
			 "DROP TRIGGER blobs_stored; DROP TRIGGER blobs_removed;"
			 "DROP INDEX documents_blob_missing;"
			 "ALTER TABLE documents DROP COLUMN blob_missing; PRAGMA user_version = 1",
			 NULL, NULL, NULL) == SQLITE_OK);
	cache_close(c);
	c = open_cache(&err);
	CHECK(c && cache_schema_version(c) == CACHE_SCHEMA_VERSION);
	if (!c)
		return;
	CHECK(scalar(c, "SELECT count(*) FROM documents WHERE blob_missing = 1") == missing);
	CHECK(scalar(c, "SELECT count(*) FROM documents WHERE blob_missing = 0") == docs - missing);
	/* migration 3: holders are in scope, and the audit keeps its recent rows */
	CHECK(scalar(c, "SELECT count(*) FROM holders WHERE follow_until IS NULL") ==
	      scalar(c, "SELECT count(*) FROM holders"));
	CHECK(scalar(c, "SELECT count(*) FROM audit") >= 1);
	CHECK(sqlite3_exec(cache_db(c), "DELETE FROM audit", NULL, NULL, NULL) != SQLITE_OK);
	/* the flag follows a document whose file the server replaced */
	struct cache_change moved = doc_change("M1", NIK_A, lack, NULL, 2000000000);
	CHECK(cache_apply_page(c, &moved, 1, "m2", 100) == CACHE_OK);
	CHECK(scalar(c, "SELECT blob_missing FROM documents WHERE id = 'M1'") == 1);
	moved = doc_change("M1", NIK_A, have, NULL, 2000000000);
	CHECK(cache_apply_page(c, &moved, 1, "m3", 100) == CACHE_OK);
	CHECK(scalar(c, "SELECT blob_missing FROM documents WHERE id = 'M1'") == 0);
	cache_close(c);
}

/* Writes random bytes over every page of a table and its indexes, as a disk fault would
 * (after a checkpoint, so that the pages are in the database file, not its WAL). */
static void spoil_table(const char *path, const char *table)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int pages[4096], n = 0, page_size = 0;
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &st, NULL) == SQLITE_OK &&
	      sqlite3_step(st) == SQLITE_ROW);
	page_size = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	CHECK(sqlite3_prepare_v2(db,
				 "SELECT pageno FROM dbstat WHERE name IN (SELECT name FROM "
				 "sqlite_schema WHERE tbl_name = ?)",
				 -1, &st, NULL) == SQLITE_OK);
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && n < 4096)
		pages[n++] = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	CHECK(n >= 2 && page_size >= 512);
	int fd = open(path, O_WRONLY);
	CHECK(fd >= 0);
	unsigned char junk[65536];
	for (int i = 0; i < n && fd >= 0 && page_size <= (int)sizeof(junk); i++) {
		randombytes_buf(junk, (size_t)page_size);
		CHECK(pwrite(fd, junk, (size_t)page_size, (off_t)(pages[i] - 1) * page_size) ==
		      page_size);
	}
	if (fd >= 0)
		close(fd);
}

/* A cache damaged while in use: noticed, what only the kiosk knows read back, a copy
 * kept, the file emptied in place while another handle keeps it open, then refilled. */
static void test_damage(void)
{
	char path[300], aside[320], saved[sizeof(db_path)];
	int err, n = 0;
	memcpy(saved, db_path, sizeof(saved));
	snprintf(path, sizeof(path), "%s/damage.db", dir);
	snprintf(aside, sizeof(aside), "%s.damaged", path);
	snprintf(db_path, sizeof(db_path), "%s", path);

	cache_t *c = open_cache(&err), *other = open_cache(&err);
	CHECK(c && other);
	if (!c || !other)
		goto out;
	CHECK(cache_quick_check_ok(c) && !cache_damaged(c));
	struct cache_change ch[300];
	char id[16], blob[65];
	sha_hex("damage", 6, blob);
	for (int i = 0; i < 300; i++) {
		snprintf(id, sizeof(id), "DMG%03d", i);
		ch[i] = doc_change(id, NIK_A, blob, NULL, 2000000000);
	}
	CHECK(cache_apply_page(c, ch, 300, "d1", 100) == CACHE_OK);
	CHECK(cache_outbox_add(c, "ev-damage-1", "printed", "{\"document\":\"DMG001\"}", 100) ==
	      CACHE_OK);
	CHECK(cache_outbox_add(c, "ev-damage-2", "printed", "{\"document\":\"DMG002\"}", 101) ==
	      CACHE_OK);
	CHECK(cache_state_set(c, "supply:A4:sheets", "123") == CACHE_OK);
	int64_t job = cache_job_record(c, "DMG005", 42, 100); /* printing when the disk fails */
	CHECK(job > 0);

	spoil_table(path, "documents");
	struct stat before;
	CHECK(stat(path, &before) == 0);
	CHECK(cache_documents_for_nik(c, NIK_A, count_doc, &n) < 0);
	CHECK(cache_damaged(c));
	CHECK(!cache_damaged(other)); /* only a handle that met the damage knows of it */

	struct cache_salvage *s = cache_salvage_read(c);
	size_t events = 0, counters = 0;
	bool partial = true;
	CHECK(s != NULL);
	if (s)
		cache_salvage_counts(s, &events, &counters, &partial);
	CHECK(events == 2 && counters == 1 && !partial);
	cache_close(c);

	CHECK(cache_reset_damaged(path, aside) == CACHE_OK);
	struct stat kept;
	CHECK(stat(aside, &kept) == 0 && kept.st_size == before.st_size);
	c = open_cache(&err);
	CHECK(c && cache_schema_version(c) == CACHE_SCHEMA_VERSION && !cache_damaged(c));
	if (c) {
		CHECK(s && cache_salvage_write(c, s) == CACHE_OK);
		CHECK(cache_outbox_pending(c) == 2);
		char v[16] = "";
		CHECK(cache_state_get(c, "supply:A4:sheets", v, sizeof(v)) == CACHE_OK &&
		      strcmp(v, "123") == 0);
		CHECK(scalar(c, "SELECT count(*) FROM documents") == 0);
		CHECK(cache_integrity_ok(c));
		/* the print that was running: its row is gone, its event is queued all the same */
		CHECK(cache_job_finish(c, job, true, "printed", 200) == CACHE_ERR_STATE);
		CHECK(cache_print_event(c, "DMG005", true, "printed", 200) == CACHE_OK);
		CHECK(cache_outbox_pending(c) == 3);
		CHECK(scalar(c,
			     "SELECT count(*) FROM outbox WHERE kind = 'printed' AND body = "
			     "'{\"document\":\"DMG005\",\"at\":200,\"reason\":\"printed\"}'") == 1);
		CHECK(cache_print_event(c, "bad\"id", true, NULL, 200) == CACHE_ERR_INVALID);
	}
	/* the handle that stayed open sees the emptied cache, not an error */
	n = 0;
	CHECK(cache_documents_for_nik(other, NIK_A, count_doc, &n) == 0 && n == 0);
	CHECK(!cache_damaged(other));
	cache_salvage_free(s);

	/* the marker by which adm-kiosk asks adm-syncd for a check */
	CHECK(!cache_check_requested(path));
	cache_request_check(path);
	CHECK(cache_check_requested(path));
	cache_check_done(path);
	CHECK(!cache_check_requested(path));
out:
	cache_close(c);
	cache_close(other);
	memcpy(db_path, saved, sizeof(saved));
}

/* A print held as uncertain (it may already have come out) survives the repair of a
 * damaged cache: emptied and synced again, the feed alone would make its document ready,
 * and the citizen could print it a second time. */
static void test_damage_uncertain(void)
{
	char path[300], aside[320], saved[sizeof(db_path)];
	int err;
	memcpy(saved, db_path, sizeof(saved));
	snprintf(path, sizeof(path), "%s/held.db", dir);
	snprintf(aside, sizeof(aside), "%s.damaged", path);
	snprintf(db_path, sizeof(db_path), "%s", path);

	cache_t *c = open_cache(&err);
	struct cache_salvage *s = NULL;
	CHECK(c != NULL);
	if (!c)
		goto out;
	static const char pdf[] = "%PDF-1.4 held";
	char blob[65], id[16];
	sha_hex(pdf, sizeof(pdf) - 1, blob);
	struct cache_change ch[40];
	for (int i = 0; i < 40; i++) {
		snprintf(id, sizeof(id), "HLD%03d", i);
		ch[i] = doc_change(id, NIK_A, blob, NULL, 2000000000);
		ch[i].u.d.doc.blob_size = (int64_t)sizeof(pdf) - 1;
	}
	CHECK(cache_apply_page(c, ch, 40, "h1", 100) == CACHE_OK);
	CHECK(cache_blob_put(c, blob, pdf, sizeof(pdf) - 1) == CACHE_OK);
	int64_t job = cache_job_record(c, "HLD007", 77, 100);
	CHECK(job > 0 &&
	      cache_job_hold(c, job, "canceled after the printer had it", 101) == CACHE_OK);
	CHECK(cache_jobs_uncertain(c, NULL, NULL) == 1);

	spoil_table(path, "blobs"); /* the disk fault hits the blobs */
	CHECK(!cache_blob_has(c, blob) && cache_damaged(c));
	s = cache_salvage_read(c);
	CHECK(s != NULL);
	size_t events = 9, counters = 9;
	bool partial = true;
	if (s)
		cache_salvage_counts(s, &events, &counters, &partial);
	CHECK(s && cache_salvage_held(s) == 1 && events == 0 && !partial);
	cache_close(c);

	CHECK(cache_reset_damaged(path, aside) == CACHE_OK);
	c = open_cache(&err);
	CHECK(c && !cache_damaged(c));
	if (!c)
		goto out;
	CHECK(s && cache_salvage_write(c, s) == CACHE_OK);
	/* synced again: the feed sends the document as ready, as the server knows it */
	CHECK(cache_apply_page(c, ch, 40, "h1", 200) == CACHE_OK);
	CHECK(scalar(c, "SELECT count(*) FROM documents WHERE status = 'ready'") == 39);
	CHECK(scalar(c, "SELECT count(*) FROM documents WHERE id = 'HLD007' AND status = "
			"'printing' AND print_pin_used = 0 AND blob_missing = 1") == 1);
	CHECK(cache_jobs_uncertain(c, NULL, NULL) == 1);
	CHECK(scalar(c, "SELECT count(*) FROM print_jobs WHERE state = 'uncertain' AND "
			"cups_job = 77 AND document = 'HLD007'") == 1);
	CHECK(cache_outbox_pending(c) == 0); /* held: nothing reported yet */
	/* and the technician can still settle it, by the job id they were shown */
	CHECK(cache_job_settle(c, job, false, 300) == CACHE_OK);
	CHECK(scalar(c, "SELECT count(*) FROM documents WHERE id = 'HLD007' AND status = "
			"'ready'") == 1);
	CHECK(cache_outbox_pending(c) == 1);
	CHECK(cache_integrity_ok(c));
out:
	cache_salvage_free(s);
	cache_close(c);
	memcpy(db_path, saved, sizeof(saved));
}

/* A cache file made group-writable on purpose (a kiosk's tmpfiles.d: adm-kiosk and
 * adm-syncd share it through a group) stays the group's, and still loses other's bits;
 * one the umask made group-readable becomes the owner's alone. */
static void test_shared_mode(void)
{
	char saved[sizeof(db_path)];
	memcpy(saved, db_path, sizeof(db_path));
	const struct {
		mode_t made, want;
	} cases[] = { { 0664, 0660 }, { 0640, 0600 } };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(db_path, sizeof(db_path), "%s/shared%zu.db", dir, i);
		int fd = open(db_path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		CHECK(fd >= 0 && fchmod(fd, cases[i].made) == 0);
		close(fd);
		int err;
		cache_t *c = open_cache(&err);
		CHECK(c != NULL);
		cache_close(c);
		struct stat sb;
		CHECK(stat(db_path, &sb) == 0 && (sb.st_mode & 0777) == cases[i].want);
	}
	memcpy(db_path, saved, sizeof(db_path));
}

int main(void)
{
	snprintf(dir, sizeof(dir), "%s/adm-cache-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir) || sodium_init() < 0)
		return 1;
	snprintf(db_path, sizeof(db_path), "%s/cache.db", dir);
	snprintf(key_path, sizeof(key_path), "%s/kiosk.key", dir);

	test_key_rules();
	int err;
	cache_t *c = open_cache(&err);
	if (!c) {
		fprintf(stderr, "open failed: %s\n", cache_strerror(err));
		return 1;
	}
	test_schema(c);
	test_pages_and_pins(c);
	test_blobs(c);
	test_jobs_outbox_purge(c);
	test_audit_and_fetch(c);
	test_follow(c);
	CHECK(cache_integrity_ok(c));
	cache_close(c);
	/* reopening migrates nothing and keeps the data */
	c = open_cache(&err);
	CHECK(c && cache_schema_version(c) == CACHE_SCHEMA_VERSION && cache_integrity_ok(c));
	if (c)
		test_migration_2(c); /* closes c */
	test_damage();
	test_damage_uncertain();
	test_shared_mode();

	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup failed\n");
	return check_done();
}
