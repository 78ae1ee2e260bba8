/*
 * What the cache keeps of a print, against a real SQLite file: a print PIN spent by a
 * kiosk that died before CUPS had the job comes back at the next start (and only then is
 * it spent without a job); a job the kiosk canceled after the printer had it is held
 * (uncertain: offered to nobody, never given back by a restart or the purge) until a
 * technician settles it; migration 4 keeps the jobs of a version-3 file.
 */
#include "cache.h"

#include "../check.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256], db_path[300], key_path[300];
static const char *NIK = "3171015708900001";
static const char *DOC_PIN = "654321";

static cache_t *reopen(cache_t *old)
{
	cache_close(old);
	struct cache_options o = { .path = db_path,
				   .key_path = key_path,
				   .pwhash_opslimit = crypto_pwhash_OPSLIMIT_MIN,
				   .pwhash_memlimit = crypto_pwhash_MEMLIMIT_MIN };
	int err = 0;
	cache_t *c = cache_open(&o, &err);
	if (!c)
		fprintf(stderr, "cache_open: %s\n", cache_strerror(err));
	return c;
}

/* Ready documents P1..Pn of one citizen, each with the print PIN DOC_PIN and its file. */
static void add_documents(cache_t *c, int n)
{
	char hash[crypto_pwhash_STRBYTES], hex[65];
	unsigned char sha[32];
	const char pdf[] = "%PDF-1.4 print";
	crypto_hash_sha256(sha, (const unsigned char *)pdf, sizeof(pdf) - 1);
	sodium_bin2hex(hex, sizeof(hex), sha, sizeof(sha));
	CHECK(cache_pin_hash(c, DOC_PIN, hash, sizeof(hash)) == CACHE_OK);
	for (int i = 1; i <= n; i++) {
		struct cache_change ch = { .kind = CACHE_CH_DOCUMENT };
		struct cache_document *d = &ch.u.d.doc;
		snprintf(d->id, sizeof(d->id), "P%d", i);
		snprintf(d->nik, sizeof(d->nik), "%s", NIK);
		snprintf(d->kk, sizeof(d->kk), "%s", NIK);
		snprintf(d->type, sizeof(d->type), "KK");
		snprintf(d->title_id, sizeof(d->title_id), "Kartu Keluarga");
		snprintf(d->title_en, sizeof(d->title_en), "Family card");
		snprintf(d->blob_sha256, sizeof(d->blob_sha256), "%s", hex);
		d->pages = 1;
		d->created = 1000;
		d->blob_size = (int64_t)sizeof(pdf) - 1;
		ch.u.d.print_pin_hash = hash;
		char cursor[16];
		snprintf(cursor, sizeof(cursor), "p%d", i);
		CHECK(cache_apply_page(c, &ch, 1, cursor, 100) == CACHE_OK);
	}
	CHECK(cache_blob_put(c, hex, pdf, sizeof(pdf) - 1) == CACHE_OK);
}

static enum cache_doc_status status_of(cache_t *c, const char *id)
{
	struct cache_document d;
	return cache_document_get(c, id, &d) == CACHE_OK ? d.status : (enum cache_doc_status) - 1;
}

/* Item 7: the kiosk dies after the PIN and before CUPS's job id. */
static cache_t *test_orphan_pins(cache_t *c)
{
	CHECK(cache_print_pin_verify(c, "P1", DOC_PIN, 200) == CACHE_PIN_OK);
	/* P2's PIN is spent too, and its job recorded: that one is not an orphan. */
	CHECK(cache_print_pin_verify(c, "P2", DOC_PIN, 200) == CACHE_PIN_OK);
	int64_t job = cache_job_record(c, "P2", 7, 201);
	CHECK(job > 0);
	c = reopen(c); /* the kiosk died here */
	if (!c)
		return NULL;
	CHECK(cache_print_pin_verify(c, "P1", DOC_PIN, 300) == CACHE_PIN_USED,
	      "without the start-up release the right PIN is refused");
	CHECK(cache_print_pins_release_orphans(c) == 1);
	CHECK(cache_print_pin_verify(c, "P1", DOC_PIN, 301) == CACHE_PIN_OK,
	      "the citizen's right PIN works again after the restart");
	CHECK(status_of(c, "P2") == CACHE_DOC_PRINTING && cache_jobs_open(c, NULL, NULL) == 1);
	CHECK(cache_print_pin_verify(c, "P2", DOC_PIN, 302) == CACHE_PIN_USED);
	CHECK(cache_print_pin_release(c, "P1") == CACHE_OK);
	CHECK(cache_job_finish(c, job, false, "test", 303) == CACHE_OK);
	CHECK(cache_print_pins_release_orphans(c) == 0);
	/* the start-up's look is an index range, not a walk of every document */
	sqlite3_stmt *st;
	CHECK(sqlite3_prepare_v2(cache_db(c),
				 "EXPLAIN QUERY PLAN UPDATE documents SET print_pin_used = 0 "
				 "WHERE print_pin_used = 1 AND status = 'ready'",
				 -1, &st, NULL) == SQLITE_OK);
	bool idx = false;
	while (sqlite3_step(st) == SQLITE_ROW)
		idx |= strstr((const char *)sqlite3_column_text(st, 3), "documents_pin_orphan") !=
		       NULL;
	sqlite3_finalize(st);
	CHECK(idx, "the orphan release uses documents_pin_orphan");
	return c;
}

static int n_seen;
static int64_t seen_job;
static void count_job(int64_t job, const char *doc, int cups_job, void *user)
{
	(void)doc, (void)cups_job, (void)user;
	n_seen++;
	seen_job = job;
}

/* Item 6: an uncertain job, held until a technician says what came out. */
static cache_t *test_uncertain(cache_t *c)
{
	CHECK(cache_print_pin_verify(c, "P3", DOC_PIN, 400) == CACHE_PIN_OK);
	int64_t job = cache_job_record(c, "P3", 8, 401);
	int64_t events = cache_outbox_pending(c);
	CHECK(cache_job_hold(c, job, "uncertain", 402) == CACHE_OK);
	CHECK(cache_job_hold(c, job, "uncertain", 402) == CACHE_ERR_STATE);
	CHECK(cache_job_finish(c, job, false, "late", 403) == CACHE_ERR_STATE,
	      "an uncertain job is not ended by a late outcome");
	CHECK(status_of(c, "P3") == CACHE_DOC_PRINTING);
	CHECK(cache_print_pin_verify(c, "P3", DOC_PIN, 404) == CACHE_PIN_USED);
	CHECK(cache_outbox_pending(c) == events, "no event before the technician's verdict");
	/* a restart does not reconcile it (CUPS would call it canceled), nor does the purge
	 * drop it or its document, nor does the feed make it ready */
	c = reopen(c);
	if (!c)
		return NULL;
	CHECK(cache_jobs_open(c, NULL, NULL) == 0);
	CHECK(cache_print_pins_release_orphans(c) == 0);
	n_seen = 0;
	CHECK(cache_jobs_uncertain(c, count_job, NULL) == 1 && n_seen == 1 && seen_job == job);
	struct cache_purge_stats ps;
	CHECK(cache_purge(c, 402 + 40 * 86400, &ps) == CACHE_OK);
	CHECK(cache_jobs_uncertain(c, NULL, NULL) == 1 && status_of(c, "P3") == CACHE_DOC_PRINTING);
	add_documents(c, 3); /* the server sends P1..P3 again, ready */
	CHECK(status_of(c, "P3") == CACHE_DOC_PRINTING);

	/* the technician: it did not come out -> ready, PIN back, a print_failed event */
	CHECK(cache_job_settle(c, job, false, 500) == CACHE_OK);
	CHECK(cache_job_settle(c, job, true, 501) == CACHE_ERR_STATE);
	CHECK(status_of(c, "P3") == CACHE_DOC_READY);
	CHECK(cache_outbox_pending(c) == events + 1);
	CHECK(cache_print_pin_verify(c, "P3", DOC_PIN, 502) == CACHE_PIN_OK);
	/* ... or it did -> printed, counted, a printed event */
	job = cache_job_record(c, "P3", 9, 503);
	CHECK(cache_job_hold(c, job, "uncertain", 504) == CACHE_OK);
	CHECK(cache_job_settle(c, job, true, 505) == CACHE_OK);
	struct cache_document d;
	CHECK(cache_document_get(c, "P3", &d) == CACHE_OK && d.status == CACHE_DOC_PRINTED &&
	      d.print_count == 1);
	CHECK(cache_outbox_pending(c) == events + 2);
	CHECK(cache_jobs_uncertain(c, NULL, NULL) == 0);
	CHECK(cache_job_settle(c, 999999, true, 506) == CACHE_ERR_STATE);
	return c;
}

/* A version-3 file (print_jobs without 'uncertain') keeps its jobs through migration 4. */
static cache_t *test_migration_4(cache_t *c)
{
	CHECK(cache_print_pin_verify(c, "P4", DOC_PIN, 600) == CACHE_PIN_OK);
	int64_t job = cache_job_record(c, "P4", 10, 601);
	CHECK(sqlite3_exec(cache_db(c),
			   "DROP INDEX documents_pin_orphan; DROP INDEX print_jobs_uncertain;"
			   "CREATE TABLE pj3 (id INTEGER PRIMARY KEY, document TEXT NOT NULL "
			   "REFERENCES documents(id) ON DELETE CASCADE, cups_job INTEGER NOT NULL, "
			   "state TEXT NOT NULL CHECK (state IN ('printing', 'done', 'failed')), "
			   "reason TEXT, created INTEGER NOT NULL, updated INTEGER NOT NULL);"
			   "INSERT INTO pj3 SELECT * FROM print_jobs; DROP TABLE print_jobs;"
			   "ALTER TABLE pj3 RENAME TO print_jobs;"
			   "CREATE INDEX print_jobs_document ON print_jobs(document);"
			   "CREATE INDEX print_jobs_open ON print_jobs(state) WHERE state = "
			   "'printing'; PRAGMA user_version = 3",
			   NULL, NULL, NULL) == SQLITE_OK);
	CHECK(cache_job_hold(c, job, "uncertain", 602) != CACHE_OK, "version 3 refuses it");
	c = reopen(c);
	if (!c)
		return NULL;
	CHECK(cache_schema_version(c) == CACHE_SCHEMA_VERSION && cache_integrity_ok(c));
	CHECK(cache_jobs_open(c, NULL, NULL) == 1, "the open job is kept");
	CHECK(cache_job_hold(c, job, "uncertain", 603) == CACHE_OK);
	CHECK(cache_jobs_uncertain(c, NULL, NULL) == 1);
	return c;
}

int main(void)
{
	snprintf(dir, sizeof(dir), "%s/adm-print-cache-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir) || sodium_init() < 0)
		return 1;
	snprintf(db_path, sizeof(db_path), "%s/cache.db", dir);
	snprintf(key_path, sizeof(key_path), "%s/kiosk.key", dir);
	unsigned char key[32];
	randombytes_buf(key, sizeof(key));
	FILE *f = fopen(key_path, "wb");
	if (!f || fwrite(key, 1, sizeof(key), f) != sizeof(key) || fclose(f) != 0 ||
	    chmod(key_path, 0600) != 0)
		return 1;

	cache_t *c = reopen(NULL);
	CHECK(c != NULL);
	if (c) {
		add_documents(c, 4);
		c = test_orphan_pins(c);
	}
	if (c)
		c = test_uncertain(c);
	if (c)
		c = test_migration_4(c);
	cache_close(c);

	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup failed\n");
	return check_done();
}
