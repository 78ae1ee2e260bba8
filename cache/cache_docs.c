/*
 * Documents, holders and applications as the server sends them: lookups for the kiosk,
 * the page-at-a-time apply for adm-syncd (changes and cursor in one transaction), and
 * purging of what no longer needs to be on the disk.
 */
#include "cache_internal.h"

#include "log.h"
#include "nik.h"
#include "sha256.h"

#include <string.h>

static const char *const status_names[] = { "ready", "printing", "printed", "expired", "revoked" };

const char *cache_doc_status_name(enum cache_doc_status s)
{
	return (unsigned)s < 5 ? status_names[s] : "?";
}

bool cache_doc_status_parse(const char *s, enum cache_doc_status *out)
{
	for (int i = 0; i < 5; i++) {
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum cache_doc_status)i;
			return true;
		}
	}
	return false;
}

#define DOC_COLUMNS                                                                                \
	"d.id, d.nik, d.kk, d.type, d.title_id, d.title_en, d.pages, d.media, d.created, "         \
	"d.expires, d.blob_sha256, d.blob_size, d.status, d.print_count, NOT d.blob_missing"

static void read_doc(sqlite3_stmt *st, struct cache_document *d)
{
	char buf[16];
	memset(d, 0, sizeof(*d));
	cache_col_text(st, 0, d->id, sizeof(d->id));
	cache_col_text(st, 1, d->nik, sizeof(d->nik));
	cache_col_text(st, 2, d->kk, sizeof(d->kk));
	cache_col_text(st, 3, d->type, sizeof(d->type));
	cache_col_text(st, 4, d->title_id, sizeof(d->title_id));
	cache_col_text(st, 5, d->title_en, sizeof(d->title_en));
	d->pages = sqlite3_column_int(st, 6);
	cache_col_text(st, 7, buf, sizeof(buf));
	d->media = strcmp(buf, "card") == 0 ? CACHE_MEDIA_CARD : CACHE_MEDIA_A4;
	d->created = sqlite3_column_int64(st, 8);
	d->expires = sqlite3_column_int64(st, 9);
	cache_col_text(st, 10, d->blob_sha256, sizeof(d->blob_sha256));
	d->blob_size = sqlite3_column_int64(st, 11);
	cache_col_text(st, 12, buf, sizeof(buf));
	cache_doc_status_parse(buf, &d->status);
	d->print_count = sqlite3_column_int(st, 13);
	d->blob_present = sqlite3_column_int(st, 14) != 0;
}

/* cached: where to keep the prepared statement (NULL: prepare for this call only). */
static int docs_where(cache_t *c, const char *sql, sqlite3_stmt **cached, const char *value,
		      cache_doc_fn fn, void *user)
{
	sqlite3_stmt *st = cached ? *cached : NULL;
	int n = 0, rc;
	if (!st)
		st = cache_prepare(c, sql);
	if (!st)
		return CACHE_ERR_DB;
	if (cached)
		*cached = st;
	sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
	while ((rc = cache_step(c, st)) == SQLITE_ROW) {
		struct cache_document d;
		read_doc(st, &d);
		if (fn)
			fn(&d, user);
		n++;
	}
	if (cached) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	} else {
		sqlite3_finalize(st);
	}
	return rc == SQLITE_DONE ? n : CACHE_ERR_DB;
}

int cache_documents_for_nik(cache_t *c, const char *nik, cache_doc_fn fn, void *user)
{
	return docs_where(c,
			  "SELECT " DOC_COLUMNS " FROM documents d WHERE d.nik = ? AND d.gone = 0 "
			  "ORDER BY d.created",
			  &c->st_nik, nik, fn, user);
}

int cache_documents_for_kk(cache_t *c, const char *kk, cache_doc_fn fn, void *user)
{
	return docs_where(c,
			  "SELECT " DOC_COLUMNS " FROM documents d WHERE d.kk = ? AND d.gone = 0 "
			  "ORDER BY d.created",
			  &c->st_kk, kk, fn, user);
}

static void copy_doc(const struct cache_document *d, void *user)
{
	*(struct cache_document *)user = *d;
}

int cache_document_get(cache_t *c, const char *id, struct cache_document *out)
{
	int n = docs_where(c, "SELECT " DOC_COLUMNS " FROM documents d WHERE d.id = ?", NULL, id,
			   copy_doc, out);
	return n < 0 ? n : n == 0 ? CACHE_ERR_NOT_FOUND : CACHE_OK;
}

int64_t cache_document_count(cache_t *c)
{
	sqlite3_stmt *st = cache_prepare(c, "SELECT count(*) FROM documents");
	int64_t n = CACHE_ERR_DB;
	if (st && cache_step(c, st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int cache_holder_find(cache_t *c, const char *nik, struct cache_holder *out)
{
	sqlite3_stmt *st = cache_prepare(
	    c, "SELECT nik, kk, name, failed, locked_until, follow_until FROM holders WHERE "
	       "nik = ?");
	if (!st)
		return CACHE_ERR_DB;
	sqlite3_bind_text(st, 1, nik, -1, SQLITE_STATIC);
	int rc = cache_step(c, st);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		cache_col_text(st, 0, out->nik, sizeof(out->nik));
		cache_col_text(st, 1, out->kk, sizeof(out->kk));
		cache_col_text(st, 2, out->name, sizeof(out->name));
		out->failed = sqlite3_column_int(st, 3);
		out->locked_until = sqlite3_column_int64(st, 4);
		out->follow_until = sqlite3_column_int64(st, 5); /* NULL reads as 0 */
		rc = CACHE_OK;
	} else {
		rc = rc == SQLITE_DONE ? CACHE_ERR_NOT_FOUND : CACHE_ERR_DB;
	}
	sqlite3_finalize(st);
	return rc;
}

int cache_applications_for_nik(cache_t *c, const char *nik, cache_app_fn fn, void *user)
{
	sqlite3_stmt *st = cache_prepare(
	    c, "SELECT id, nik, type, stage, expected FROM applications WHERE nik = ? "
	       "ORDER BY expected");
	int n = 0, rc;
	if (!st)
		return CACHE_ERR_DB;
	sqlite3_bind_text(st, 1, nik, -1, SQLITE_STATIC);
	while ((rc = cache_step(c, st)) == SQLITE_ROW) {
		struct cache_application a;
		memset(&a, 0, sizeof(a));
		cache_col_text(st, 0, a.id, sizeof(a.id));
		cache_col_text(st, 1, a.nik, sizeof(a.nik));
		cache_col_text(st, 2, a.type, sizeof(a.type));
		cache_col_text(st, 3, a.stage, sizeof(a.stage));
		a.expected = sqlite3_column_int64(st, 4);
		if (fn)
			fn(&a, user);
		n++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? n : CACHE_ERR_DB;
}

/* ---- apply ---- */

static const char *const apply_sql[ST_N] = {
	[ST_DOC_UP] =
	    "INSERT INTO documents(id, nik, kk, type, title_id, title_en, pages, media, "
	    "created, expires, blob_sha256, blob_size, status, print_pin_hash, blob_missing) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
	    "  NOT EXISTS (SELECT 1 FROM blobs WHERE sha256 = ?11)) "
	    "ON CONFLICT(id) DO UPDATE SET nik = ?2, kk = ?3, type = ?4, title_id = ?5, "
	    "title_en = ?6, pages = ?7, media = ?8, created = ?9, expires = ?10, "
	    "blob_sha256 = ?11, blob_size = ?12, gone = 0, "
	    /* the blobs table's triggers keep it from then on (schema migration 2) */
	    "blob_missing = NOT EXISTS (SELECT 1 FROM blobs WHERE sha256 = ?11), "
	    /* the server decides expiry and revocation; printing/printed are local facts
	     * the server learns from the outbox, so a stale 'ready' must not undo them */
	    "status = CASE WHEN ?13 IN ('expired', 'revoked') THEN ?13 "
	    "  WHEN status IN ('printing', 'printed') THEN status ELSE ?13 END, "
	    /* a new print PIN is a new authorisation: reset its use and failures */
	    "print_pin_used = CASE WHEN print_pin_hash IS ?14 THEN print_pin_used ELSE 0 END, "
	    "pin_failed = CASE WHEN print_pin_hash IS ?14 THEN pin_failed ELSE 0 END, "
	    "pin_locked_until = CASE WHEN print_pin_hash IS ?14 THEN pin_locked_until "
	    "  ELSE 0 END, "
	    "print_pin_hash = ?14",
	/* a document being printed right now stays until its job ends (then purged) */
	[ST_DOC_DEL] = "DELETE FROM documents WHERE id = ? AND status != 'printing'",
	[ST_DOC_GONE] = "UPDATE documents SET gone = 1 WHERE id = ?",
	/* a lock from the registry (tries at other kiosks) holds here too; this kiosk's own
	 * lock is not shortened by a feed that has not heard of it yet */
	[ST_HOLD_UP] = "INSERT INTO holders(nik, kk, name, pin_hash, locked_until) "
		       "VALUES (?1, ?2, ?3, ?4, ?5) "
		       "ON CONFLICT(nik) DO UPDATE SET kk = ?2, name = ?3, "
		       "failed = CASE WHEN pin_hash IS ?4 THEN failed ELSE 0 END, "
		       "locked_until = max(?5, CASE WHEN pin_hash IS ?4 THEN locked_until "
		       "ELSE 0 END), "
		       "pin_hash = ?4",
	[ST_HOLD_DEL] = "DELETE FROM holders WHERE nik = ?",
	[ST_APP_UP] = "INSERT INTO applications(id, nik, type, stage, expected) "
		      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(id) DO UPDATE SET nik = ?2, "
		      "type = ?3, stage = ?4, expected = ?5",
	[ST_APP_DEL] = "DELETE FROM applications WHERE id = ?",
};

/* The parser validates everything from the network; these checks keep the cache's own
 * invariants whoever the caller is. */
static bool change_valid(const struct cache_change *ch)
{
	if (ch->del)
		return ch->key && ch->key[0] && strlen(ch->key) <= CACHE_ID_MAX;
	switch (ch->kind) {
	case CACHE_CH_DOCUMENT: {
		const struct cache_document *d = &ch->u.d.doc;
		return d->id[0] && nik_digits(d->nik) && nik_digits(d->kk) && d->type[0] &&
		       d->pages >= 1 && d->pages <= 100 && sha256_hex_ok(d->blob_sha256) &&
		       d->blob_size > 0 && d->blob_size <= CACHE_BLOB_MAX &&
		       (d->status == CACHE_DOC_READY || d->status == CACHE_DOC_EXPIRED ||
			d->status == CACHE_DOC_REVOKED);
	}
	case CACHE_CH_HOLDER:
		return nik_digits(ch->u.h.h.nik) && nik_digits(ch->u.h.h.kk);
	case CACHE_CH_APPLICATION:
		return ch->u.a.id[0] && nik_digits(ch->u.a.nik) && ch->u.a.type[0] &&
		       ch->u.a.stage[0];
	}
	return false;
}

static int apply_one(cache_t *c, sqlite3_stmt **st, const struct cache_change *ch)
{
	sqlite3_stmt *s;
	if (ch->del) {
		int which = ch->kind == CACHE_CH_DOCUMENT ? ST_DOC_DEL
			    : ch->kind == CACHE_CH_HOLDER ? ST_HOLD_DEL
							  : ST_APP_DEL;
		s = st[which];
		sqlite3_bind_text(s, 1, ch->key, -1, SQLITE_STATIC);
		int rc = cache_step(c, s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return CACHE_ERR_DB;
		if (which == ST_DOC_DEL && sqlite3_changes(sqlite3_db_handle(s)) == 0) {
			s = st[ST_DOC_GONE];
			sqlite3_bind_text(s, 1, ch->key, -1, SQLITE_STATIC);
			rc = cache_step(c, s);
			sqlite3_reset(s);
		}
		return rc == SQLITE_DONE ? CACHE_OK : CACHE_ERR_DB;
	}
	switch (ch->kind) {
	case CACHE_CH_DOCUMENT: {
		const struct cache_document *d = &ch->u.d.doc;
		s = st[ST_DOC_UP];
		sqlite3_bind_text(s, 1, d->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, d->nik, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, d->kk, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, d->type, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, d->title_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 6, d->title_en, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 7, d->pages);
		sqlite3_bind_text(s, 8, d->media == CACHE_MEDIA_CARD ? "card" : "a4", -1,
				  SQLITE_STATIC);
		sqlite3_bind_int64(s, 9, d->created);
		sqlite3_bind_int64(s, 10, d->expires);
		sqlite3_bind_text(s, 11, d->blob_sha256, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 12, d->blob_size);
		sqlite3_bind_text(s, 13, cache_doc_status_name(d->status), -1, SQLITE_STATIC);
		if (ch->u.d.print_pin_hash)
			sqlite3_bind_text(s, 14, ch->u.d.print_pin_hash, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(s, 14);
		break;
	}
	case CACHE_CH_HOLDER:
		s = st[ST_HOLD_UP];
		sqlite3_bind_text(s, 1, ch->u.h.h.nik, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, ch->u.h.h.kk, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, ch->u.h.h.name, -1, SQLITE_STATIC);
		if (ch->u.h.pin_hash)
			sqlite3_bind_text(s, 4, ch->u.h.pin_hash, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(s, 4);
		sqlite3_bind_int64(s, 5, ch->u.h.h.locked_until);
		break;
	case CACHE_CH_APPLICATION:
	default:
		s = st[ST_APP_UP];
		sqlite3_bind_text(s, 1, ch->u.a.id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, ch->u.a.nik, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, ch->u.a.type, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, ch->u.a.stage, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 5, ch->u.a.expected);
		break;
	}
	int rc = cache_step(c, s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? CACHE_OK : CACHE_ERR_DB;
}

/* Sets follow_until on the holders of an on-demand answer, in its transaction; until 0:
 * in the kiosk's scope (NULL), also for a citizen who was followed before. */
static int follow(cache_t *c, const struct cache_change *ch, size_t n, int64_t until)
{
	sqlite3_stmt *st = cache_prepare(c, "UPDATE holders SET follow_until = ? WHERE nik = ?");
	int rc = st ? CACHE_OK : CACHE_ERR_DB;
	for (size_t i = 0; i < n && rc == CACHE_OK; i++) {
		if (ch[i].kind != CACHE_CH_HOLDER || ch[i].del)
			continue;
		if (until > 0)
			sqlite3_bind_int64(st, 1, until);
		else
			sqlite3_bind_null(st, 1);
		sqlite3_bind_text(st, 2, ch[i].u.h.h.nik, -1, SQLITE_STATIC);
		rc = cache_step(c, st) == SQLITE_DONE ? CACHE_OK : CACHE_ERR_DB;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

/* A page of changes inserts into half a dozen indexes at random places (blob hashes and
 * NIKs are spread over the key space): with SQLite's default 2 MiB page cache the index
 * pages fall out between pages of the feed and are read back from the file each time.
 * 16 MiB keeps them for a cache of ~100k documents (measured: 15% less CPU for an
 * initial sync of 50k holders and documents; docs/benchmarks-sync.md). Only connections
 * that apply pages grow: the kiosk's lookups keep the default. */
#define APPLY_CACHE_SIZE "PRAGMA cache_size = -16384" /* KiB */

/* follow_until: < 0 for a feed page (holders' follow times untouched), else that of an
 * on-demand answer (see follow()) */
static int apply(cache_t *c, const struct cache_change *ch, size_t n, const char *cursor,
		 int64_t follow_until, int64_t now)
{
	sqlite3_stmt **st = c->st_apply;
	int rc;

	if (cursor && strlen(cursor) > CACHE_CURSOR_MAX)
		return CACHE_ERR_INVALID;
	for (size_t i = 0; i < n; i++)
		if (!change_valid(&ch[i]))
			return CACHE_ERR_INVALID;
	/* Prepared on the first page and kept with the connection (cache_close finalizes
	 * them): compiling the upsert cost as much as applying a few dozen rows. Every step
	 * is followed by a reset, so none holds the database between pages. */
	if (!st[0]) {
		/* a no-op once set; memory is only taken as pages are read */
		(void)cache_exec(c, APPLY_CACHE_SIZE);
		for (int i = 0; i < ST_N; i++) {
			st[i] = cache_prepare(c, apply_sql[i]);
			if (!st[i]) {
				cache_finalize_all(st, ST_N);
				return CACHE_ERR_DB;
			}
		}
	}
	rc = cache_begin(c);
	if (rc != CACHE_OK)
		return rc;
	for (size_t i = 0; i < n && rc == CACHE_OK; i++)
		rc = apply_one(c, st, &ch[i]);
	if (rc == CACHE_OK && follow_until >= 0)
		rc = follow(c, ch, n, follow_until);
	if (rc == CACHE_OK && cursor)
		rc = cache_state_set(c, "cursor", cursor);
	if (rc == CACHE_OK && cursor) {
		char t[24];
		snprintf(t, sizeof(t), "%lld", (long long)now);
		rc = cache_state_set(c, "last_page", t);
	}
	if (rc == CACHE_OK)
		rc = cache_commit(c);
	else
		cache_rollback(c);
	return rc;
}

int cache_apply_page(cache_t *c, const struct cache_change *ch, size_t n, const char *cursor,
		     int64_t now)
{
	return apply(c, ch, n, cursor, -1, now);
}

int cache_apply_citizen(cache_t *c, const struct cache_change *ch, size_t n, int64_t follow_until,
			int64_t now)
{
	return follow_until < 0 ? CACHE_ERR_INVALID : apply(c, ch, n, NULL, follow_until, now);
}

/* ---- purge ---- */

static int purge_step(cache_t *c, const char *sql, int64_t now, int *count)
{
	sqlite3_stmt *st = cache_prepare(c, sql);
	if (!st)
		return CACHE_ERR_DB;
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_int64(st, 1, now);
	int rc = cache_step(c, st) == SQLITE_DONE ? CACHE_OK : CACHE_ERR_DB;
	if (rc == CACHE_OK && count)
		*count += sqlite3_changes(c->db);
	sqlite3_finalize(st);
	return rc;
}

/* a printed document whose "printed" event the server has not accepted yet */
#define UNREPORTED                                                                                 \
	"EXISTS (SELECT 1 FROM outbox o WHERE o.acked = 0 AND "                                    \
	"json_extract(o.body, '$.document') = documents.id)"
/* a citizen of another region the server no longer follows for this kiosk */
#define UNFOLLOWED "nik IN (SELECT nik FROM holders WHERE follow_until < ?1)"

int cache_purge(cache_t *c, int64_t now, struct cache_purge_stats *stats)
{
	struct cache_purge_stats s = { 0 };
	const struct {
		const char *sql; /* ?1 is now */
		int *count;
	} steps[] = {
		/* A printed document goes once the server has acknowledged its "printed"
		 * event: until then a late upsert from the feed could bring it back
		 * printable. */
		{ "DELETE FROM documents WHERE status = 'printed' AND NOT " UNREPORTED,
		  &s.documents },
		/* expired or revoked by the registry, withdrawn (gone) after a print, or past
		 * its expiry date (0: none); one statement each, so that each is an index
		 * range (documents_done, documents_expires_day: the day first, as that index
		 * holds it, then the exact time) */
		{ "DELETE FROM documents WHERE status = 'expired'", &s.documents },
		{ "DELETE FROM documents WHERE status = 'revoked'", &s.documents },
		{ "DELETE FROM documents WHERE gone = 1 AND status != 'printing'", &s.documents },
		{ "DELETE FROM documents WHERE expires > 0 AND expires / 86400 <= ?1 / 86400 "
		  "AND expires < ?1 AND status != 'printing'",
		  &s.documents },
		/* Citizens of other regions the server no longer follows: what the cache holds
		 * of them would go stale (collected elsewhere, revoked), so it goes, except a
		 * running print and a print the server has not heard of yet (the holder then
		 * stays to the next purge). They are fetched again if they come back. */
		{ "DELETE FROM documents WHERE status != 'printing' AND " UNFOLLOWED
		  " AND NOT " UNREPORTED,
		  &s.documents },
		{ "DELETE FROM applications WHERE " UNFOLLOWED, NULL },
		{ "DELETE FROM holders WHERE follow_until < ?1 AND NOT EXISTS (SELECT 1 FROM "
		  "documents d WHERE d.nik = holders.nik)",
		  &s.holders },
		/* both values of the flag: two seeks of documents_blob_state */
		{ "DELETE FROM blobs WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE "
		  "d.blob_missing IN (0, 1) AND d.blob_sha256 = blobs.sha256 AND "
		  "d.status IN ('ready', 'printing'))",
		  &s.blobs },
		{ "DELETE FROM outbox WHERE acked = 1", &s.events },
		/* the database's clock, as the trigger that guards younger rows */
		{ "DELETE FROM audit WHERE at < CAST(strftime('%s', 'now') AS INTEGER) "
		  "- " AUDIT_KEEP_S,
		  &s.audit },
		{ "DELETE FROM print_jobs WHERE state IN ('done', 'failed') AND "
		  "updated < ?1 - 30 * 86400",
		  &s.jobs },
		{ "DELETE FROM fetch_requests WHERE state != 'pending' AND answered < ?1 - 3600",
		  NULL },
	};
	int rc = cache_begin(c);
	for (size_t i = 0; rc == CACHE_OK && i < sizeof(steps) / sizeof(steps[0]); i++)
		rc = purge_step(c, steps[i].sql, now, steps[i].count);
	if (rc == CACHE_OK)
		rc = cache_commit(c);
	else if (!sqlite3_get_autocommit(c->db))
		cache_rollback(c);
	if (rc == CACHE_OK && stats)
		*stats = s;
	return rc;
}
