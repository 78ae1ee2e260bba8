/*
 * adm-central's bundles and office tokens (bundles.h). Scopes are kept as the manifest
 * gave them (JSON arrays) and matched here in C: an office has a handful of bundles, and
 * the rule ("32" covers "32.73") is content_region_covers(), the kiosk's own.
 */
#include "bundles.h"

#include "central.h"
#include "kiosks.h"
#include "log.h"
#include "sha256.h"

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bundles {
	sqlite3 *db;
	pthread_mutex_t lock;
};

static const char *schema =
    "CREATE TABLE IF NOT EXISTS office_tokens (office TEXT PRIMARY KEY, "
    "  token_sha256 TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS bundles (sha256 TEXT PRIMARY KEY, publisher TEXT NOT NULL, "
    "  version INTEGER NOT NULL, regions TEXT NOT NULL, kiosks TEXT NOT NULL, "
    "  created INTEGER NOT NULL, expires INTEGER NOT NULL, office TEXT NOT NULL, "
    "  published INTEGER NOT NULL, size INTEGER NOT NULL, data BLOB NOT NULL, "
    "  UNIQUE (publisher, version));"
    "CREATE TABLE IF NOT EXISTS keyrings (version INTEGER PRIMARY KEY, "
    "  sha256 TEXT NOT NULL UNIQUE, data BLOB NOT NULL);";

struct bundles *bundles_open(const char *db_path)
{
	struct bundles *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	pthread_mutex_init(&b->lock, NULL);
	if (sqlite3_open(db_path, &b->db) != SQLITE_OK) {
		log_error("central: cannot open %s", db_path);
		goto fail;
	}
	sqlite3_busy_timeout(b->db, 5000);
	if (sqlite3_exec(b->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		log_error("central: bundles schema: %s", sqlite3_errmsg(b->db));
		goto fail;
	}
	return b;
fail:
	bundles_close(b);
	return NULL;
}

void bundles_close(struct bundles *b)
{
	if (!b)
		return;
	sqlite3_close(b->db);
	pthread_mutex_destroy(&b->lock);
	free(b);
}

/* ---- office tokens ---- */

static bool add_offices(void *user, const struct tokens_entry *e, size_t n)
{
	struct bundles *b = user;
	sqlite3_stmt *st = NULL;
	bool ok =
	    sqlite3_exec(b->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(b->db,
			       "INSERT INTO office_tokens(office, token_sha256) VALUES (?, ?) "
			       "ON CONFLICT(office) DO UPDATE SET token_sha256 = "
			       "excluded.token_sha256",
			       -1, &st, NULL) == SQLITE_OK;
	for (size_t i = 0; ok && i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, e[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, e[i].hash, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_DONE;
	}
	sqlite3_finalize(st);
	if (ok && sqlite3_exec(b->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
		return true;
	sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
	return false;
}

int bundles_load_office_tokens(struct bundles *b, const char *path)
{
	pthread_mutex_lock(&b->lock);
	int n = tokens_file_load(path, false, add_offices, b);
	pthread_mutex_unlock(&b->lock);
	return n;
}

bool bundles_office_auth(struct bundles *b, const char *office, const char *token)
{
	sqlite3_stmt *st;
	char hex[STORE_TOKEN_HASH_LEN + 1];
	bool ok = false;
	if (!token || !token[0] || strlen(token) > 256 || !store_token_hash(token, hex))
		return false;
	pthread_mutex_lock(&b->lock);
	if (sqlite3_prepare_v2(b->db, "SELECT token_sha256 FROM office_tokens WHERE office = ?", -1,
			       &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, office, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			const char *want = (const char *)sqlite3_column_text(st, 0);
			ok = want && strlen(want) == STORE_TOKEN_HASH_LEN &&
			     sodium_memcmp(want, hex, STORE_TOKEN_HASH_LEN) == 0;
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&b->lock);
	sodium_memzero(hex, sizeof(hex));
	return ok;
}

/* ---- bundles ---- */

int64_t bundles_last_version(const char *publisher, void *user)
{
	struct bundles *b = user;
	sqlite3_stmt *st;
	int64_t v = 0;
	pthread_mutex_lock(&b->lock);
	if (sqlite3_prepare_v2(b->db, "SELECT MAX(version) FROM bundles WHERE publisher = ?", -1,
			       &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, publisher, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&b->lock);
	return v;
}

bool bundles_kiosk_region(struct bundles *b, const char *kiosk, char region[8])
{
	sqlite3_stmt *st;
	bool ok = false;
	pthread_mutex_lock(&b->lock);
	if (sqlite3_prepare_v2(b->db, "SELECT region FROM kiosks WHERE id = ?", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			snprintf(region, CONTENT_REGION_SIZE, "%s", sqlite3_column_text(st, 0));
			ok = region[0] != '\0';
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&b->lock);
	return ok;
}

static char *strings_json(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	char *s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return s;
}

bool bundles_add(struct bundles *b, const char *sha256, const void *data, size_t len,
		 const struct content_manifest *m, const char *office, int64_t now)
{
	char *regions = strings_json(m->regions, m->nregions);
	char *kiosks = strings_json(m->kiosks, m->nkiosks);
	sqlite3_stmt *st = NULL;
	bool ok = false;
	pthread_mutex_lock(&b->lock);
	if (regions && kiosks &&
	    sqlite3_prepare_v2(b->db,
			       "INSERT INTO bundles(sha256, publisher, version, regions, kiosks, "
			       "created, expires, office, published, size, data) VALUES (?, ?, ?, "
			       "?, ?, ?, ?, ?, ?, ?, ?)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, m->publisher, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, m->version);
		sqlite3_bind_text(st, 4, regions, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, kiosks, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, m->created);
		sqlite3_bind_int64(st, 7, m->expires);
		sqlite3_bind_text(st, 8, office, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 9, now);
		sqlite3_bind_int64(st, 10, (sqlite3_int64)len);
		sqlite3_bind_blob(st, 11, data, (int)len, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_DONE;
		if (!ok)
			log_warn("central: storing bundle %.12s: %s", sha256,
				 sqlite3_errmsg(b->db));
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&b->lock);
	free(regions);
	free(kiosks);
	return ok;
}

/* Whether a stored scope (JSON arrays of the manifest's regions and kiosks) reaches the
 * kiosk: named, or its region covered. */
static bool in_scope(const char *regions, const char *kiosks, const char *kiosk, const char *region)
{
	json_t *r = json_loads(regions, 0, NULL), *k = json_loads(kiosks, 0, NULL);
	bool mine = false;
	for (size_t i = 0; !mine && i < json_array_size(k); i++) {
		const char *v = json_string_value(json_array_get(k, i));
		mine = v && strcmp(v, kiosk) == 0;
	}
	for (size_t i = 0; !mine && region[0] && i < json_array_size(r); i++) {
		const char *v = json_string_value(json_array_get(r, i));
		mine = v && content_region_covers(v, region);
	}
	json_decref(r);
	json_decref(k);
	return mine;
}

/* ---- keyrings ---- */

/* A keyring file whole (at most its cap and the blob's framing), malloc'ed, or NULL. */
static unsigned char *read_keyring(const char *path, size_t *len)
{
	const size_t cap = CONTENT_KEYRING_MAX + 13 + CONTENT_SIGS_MAX * 72;
	FILE *f = fopen(path, "rbe");
	unsigned char *buf = f ? malloc(cap + 1) : NULL;
	*len = buf ? fread(buf, 1, cap + 1, f) : 0;
	if (f)
		fclose(f);
	if (buf && (*len == 0 || *len > cap)) {
		free(buf);
		buf = NULL;
	}
	return buf;
}

bool bundles_set_keyrings(struct bundles *b, const char *const *paths, size_t n,
			  int64_t first_version)
{
	sqlite3_stmt *st = NULL;
	pthread_mutex_lock(&b->lock);
	bool ok =
	    sqlite3_exec(b->db, "BEGIN; DELETE FROM keyrings", NULL, NULL, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(b->db,
			       "INSERT INTO keyrings(version, sha256, data) VALUES (?, ?, ?)", -1,
			       &st, NULL) == SQLITE_OK;
	for (size_t i = 0; ok && i < n; i++) {
		unsigned char h[SHA256_BYTES];
		char hex[2 * SHA256_BYTES + 1];
		size_t len = 0;
		unsigned char *data = read_keyring(paths[i], &len);
		ok = data && sha256(data, len, h);
		if (ok) {
			sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, first_version + (int64_t)i);
			sqlite3_bind_text(st, 2, hex, -1, SQLITE_TRANSIENT);
			sqlite3_bind_blob(st, 3, data, (int)len, SQLITE_TRANSIENT);
			ok = sqlite3_step(st) == SQLITE_DONE;
		}
		free(data);
	}
	sqlite3_finalize(st);
	ok = ok && sqlite3_exec(b->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
	if (!ok)
		sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
	pthread_mutex_unlock(&b->lock);
	return ok;
}

/* The keyrings kiosks are offered, oldest first (with the lock held). */
static json_t *keyrings_json(struct bundles *b)
{
	sqlite3_stmt *st;
	json_t *a = json_array();
	if (sqlite3_prepare_v2(
		b->db, "SELECT version, sha256, length(data) FROM keyrings ORDER BY version", -1,
		&st, NULL) != SQLITE_OK)
		return a;
	while (sqlite3_step(st) == SQLITE_ROW) {
		char url[96];
		const char *sha = (const char *)sqlite3_column_text(st, 1);
		snprintf(url, sizeof(url), "/v1/keyrings/%s", sha);
		json_array_append_new(
		    a, json_pack("{s:I, s:s, s:I, s:s}", "version",
				 (json_int_t)sqlite3_column_int64(st, 0), "sha256", sha, "size",
				 (json_int_t)sqlite3_column_int64(st, 2), "url", url));
	}
	sqlite3_finalize(st);
	return a;
}

char *bundles_for_kiosk(struct bundles *b, const char *kiosk, const char *region, int64_t now)
{
	sqlite3_stmt *st;
	json_t *found = NULL;
	bool ok = false;
	pthread_mutex_lock(&b->lock);
	if (sqlite3_prepare_v2(
		b->db,
		"SELECT sha256, publisher, version, created, expires, size, regions, "
		"kiosks FROM bundles ORDER BY published DESC, rowid DESC",
		-1, &st, NULL) == SQLITE_OK) {
		/* publishers whose newest bundle for this kiosk was passed over (expired): their
		 * older versions are not offered either, as the kiosk would refuse them */
		char seen[CONTENT_PUBLISHERS_MAX][49];
		size_t nseen = 0;
		int rc = SQLITE_DONE;
		while (!found && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *pub = (const char *)sqlite3_column_text(st, 1);
			bool passed = false;
			for (size_t i = 0; i < nseen && !passed; i++)
				passed = strcmp(seen[i], pub) == 0;
			if (passed ||
			    !in_scope((const char *)sqlite3_column_text(st, 6),
				      (const char *)sqlite3_column_text(st, 7), kiosk, region))
				continue;
			if (sqlite3_column_int64(st, 4) <= now) {
				if (nseen < CONTENT_PUBLISHERS_MAX)
					snprintf(seen[nseen++], sizeof(seen[0]), "%s", pub);
				continue;
			}
			char url[96];
			const char *sha = (const char *)sqlite3_column_text(st, 0);
			snprintf(url, sizeof(url), "/v1/bundles/%s", sha);
			found =
			    json_pack("{s:s, s:I, s:s, s:I, s:I, s:I, s:s}", "sha256", sha, "size",
				      (json_int_t)sqlite3_column_int64(st, 5), "publisher",
				      (const char *)sqlite3_column_text(st, 1), "version",
				      (json_int_t)sqlite3_column_int64(st, 2), "created",
				      (json_int_t)sqlite3_column_int64(st, 3), "expires",
				      (json_int_t)sqlite3_column_int64(st, 4), "url", url);
		}
		ok = found || rc == SQLITE_DONE;
	}
	sqlite3_finalize(st);
	if (!ok) {
		pthread_mutex_unlock(&b->lock);
		json_decref(found);
		return NULL;
	}
	json_t *o = json_pack("{s:o, s:o}", "bundle", found ? found : json_null(), "keyrings",
			      keyrings_json(b));
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	pthread_mutex_unlock(&b->lock);
	json_decref(o);
	return s;
}

static unsigned char *data_of(struct bundles *b, const char *sql, const char *sha256, size_t *len)
{
	sqlite3_stmt *st;
	unsigned char *out = NULL;
	pthread_mutex_lock(&b->lock);
	if (sqlite3_prepare_v2(b->db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			*len = (size_t)sqlite3_column_bytes(st, 0);
			out = malloc(*len ? *len : 1);
			if (out && *len)
				memcpy(out, sqlite3_column_blob(st, 0), *len);
		}
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&b->lock);
	return out;
}

unsigned char *bundles_data(struct bundles *b, const char *sha256, size_t *len)
{
	return data_of(b, "SELECT data FROM bundles WHERE sha256 = ?", sha256, len);
}

unsigned char *bundles_keyring_data(struct bundles *b, const char *sha256, size_t *len)
{
	return data_of(b, "SELECT data FROM keyrings WHERE sha256 = ?", sha256, len);
}
