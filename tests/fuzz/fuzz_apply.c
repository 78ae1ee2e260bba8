/*
 * libFuzzer target for a page on its way into the cache: the feed parser
 * (proto_parse_changes) and then cache_apply_page / cache_apply_citizen into a real SQLite
 * cache in memory. Whatever the parser accepts, the cache must take whole (a page it
 * refuses would stop the feed at that cursor for good), and afterwards hold what the page
 * said: the last change of each record is what a lookup returns, a deleted record is
 * gone, the cursor is the page's, and the holders of a citizen answer are followed until
 * its follow_until. The cache is emptied between inputs, so each one starts the same.
 *
 * Input: as tests/sync/fuzz_changes.c (an odd first byte, '{': a feed page; else a
 * citizen answer).
 */
#include "cache.h"
#include "proto.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW 1766000000

static cache_t *cache;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[] = "/tmp/adm-fuzz-apply-XXXXXX", key[64];
	unsigned char bytes[CACHE_KEY_BYTES] = { 1, 2, 3 };
	int err;

	(void)argc;
	(void)argv;
	if (!mkdtemp(dir))
		abort();
	snprintf(key, sizeof(key), "%s/kiosk.key", dir);
	FILE *f = fopen(key, "w");
	if (!f || fwrite(bytes, 1, sizeof(bytes), f) != sizeof(bytes) || fclose(f) != 0 ||
	    chmod(key, 0600) != 0)
		abort();
	struct cache_options co = { .path = ":memory:", .key_path = key };
	cache = cache_open(&co, &err);
	/* the key is read once: nothing stays on the disk */
	unlink(key);
	rmdir(dir);
	if (!cache)
		abort();
	return 0;
}

static const char *change_key(const struct cache_change *c)
{
	if (c->del)
		return c->key;
	return c->kind == CACHE_CH_DOCUMENT ? c->u.d.doc.id
	       : c->kind == CACHE_CH_HOLDER ? c->u.h.h.nik
					    : c->u.a.id;
}

/* Whether a later change of the page is about the same record. */
static bool superseded(const struct proto_page *p, size_t i)
{
	for (size_t j = i + 1; j < p->n; j++)
		if (p->changes[j].kind == p->changes[i].kind &&
		    strcmp(change_key(&p->changes[j]), change_key(&p->changes[i])) == 0)
			return true;
	return false;
}

static int64_t count(const char *sql, const char *key)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;
	if (sqlite3_prepare_v2(cache_db(cache), sql, -1, &st, NULL) != SQLITE_OK)
		abort();
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

struct app_find {
	const struct cache_application *want;
	bool found;
};

static void on_app(const struct cache_application *a, void *user)
{
	struct app_find *f = user;
	if (strcmp(a->id, f->want->id) == 0)
		f->found = strcmp(a->type, f->want->type) == 0 &&
			   strcmp(a->stage, f->want->stage) == 0 &&
			   a->expected == f->want->expected;
}

static void check_document(const struct cache_change *c)
{
	struct cache_document d;
	if (c->del) {
		if (cache_document_get(cache, c->key, &d) != CACHE_ERR_NOT_FOUND)
			abort();
		return;
	}
	const struct cache_document *w = &c->u.d.doc;
	if (cache_document_get(cache, w->id, &d) != CACHE_OK)
		abort();
	if (strcmp(d.nik, w->nik) || strcmp(d.kk, w->kk) || strcmp(d.type, w->type) ||
	    strcmp(d.title_id, w->title_id) || strcmp(d.title_en, w->title_en) ||
	    d.pages != w->pages || d.media != w->media || d.created != w->created ||
	    d.expires != w->expires || strcmp(d.blob_sha256, w->blob_sha256) ||
	    d.blob_size != w->blob_size || d.status != w->status)
		abort();
}

static void check_holder(const struct cache_change *c, int64_t follow_until)
{
	struct cache_holder h;
	if (c->del) {
		if (cache_holder_find(cache, c->key, &h) != CACHE_ERR_NOT_FOUND)
			abort();
		return;
	}
	const struct cache_holder *w = &c->u.h.h;
	if (cache_holder_find(cache, w->nik, &h) != CACHE_OK || strcmp(h.kk, w->kk) ||
	    strcmp(h.name, w->name) || h.follow_until != follow_until)
		abort();
}

static void check_application(const struct cache_change *c)
{
	if (c->del) {
		if (count("SELECT count(*) FROM applications WHERE id = ?", c->key) != 0)
			abort();
		return;
	}
	struct app_find f = { &c->u.a, false };
	if (cache_applications_for_nik(cache, c->u.a.nik, on_app, &f) < 1 || !f.found)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proto_page p;
	char err[200];
	bool page = size > 0 && (data[0] & 1);

	if (!proto_parse_changes((const char *)data, size, page, PROTO_PAGE_MAX_CHANGES, &p, err,
				 sizeof(err))) {
		proto_page_free(&p);
		return 0;
	}
	int rc = page ? cache_apply_page(cache, p.changes, p.n, p.next_cursor, NOW)
		      : cache_apply_citizen(cache, p.changes, p.n, p.follow_until, NOW);
	if (rc != CACHE_OK)
		abort(); /* the parser accepted what the cache refuses */
	for (size_t i = 0; i < p.n; i++) {
		const struct cache_change *c = &p.changes[i];
		if (superseded(&p, i))
			continue;
		if (c->kind == CACHE_CH_DOCUMENT)
			check_document(c);
		else if (c->kind == CACHE_CH_HOLDER)
			check_holder(c, page ? 0 : p.follow_until);
		else
			check_application(c);
	}
	char cursor[CACHE_CURSOR_MAX + 1];
	if (cache_cursor(cache, cursor) != CACHE_OK ||
	    strcmp(cursor, page ? p.next_cursor : "") != 0)
		abort();
	proto_page_free(&p);
	/* the next input starts from an empty cache */
	if (sqlite3_exec(cache_db(cache),
			 "DELETE FROM documents; DELETE FROM holders; DELETE FROM applications; "
			 "DELETE FROM sync_state",
			 NULL, NULL, NULL) != SQLITE_OK)
		abort();
	return 0;
}
