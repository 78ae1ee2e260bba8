/*
 * Enrolment codes and POST /v1/enrol (enrol.h).
 */
#include "enrol.h"

#include "central.h"
#include "content.h"
#include "enrol_req.h"
#include "log.h"
#include "request.h"

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CODE_VALID_S   (24 * 3600)
#define ENROL_BODY_MAX 1024

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS enrolments (code_sha256 TEXT PRIMARY KEY, kiosk TEXT NOT NULL, "
    "region TEXT NOT NULL, expires INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0);";

struct enrol {
	sqlite3 *db;
	pthread_mutex_t lock;
	struct store *store;
};

static sqlite3 *open_db(const char *path)
{
	sqlite3 *db = NULL;
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		log_error("enrolment: cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	return db;
}

struct enrol *enrol_open(const char *path, struct store *store)
{
	struct enrol *e = calloc(1, sizeof(*e));
	if (!e || !(e->db = open_db(path))) {
		free(e);
		return NULL;
	}
	pthread_mutex_init(&e->lock, NULL);
	e->store = store;
	return e;
}

void enrol_close(struct enrol *e)
{
	if (!e)
		return;
	sqlite3_close(e->db);
	pthread_mutex_destroy(&e->lock);
	free(e);
}

/* Spends code: true with the kiosk's id and region when it was valid and unused. */
static bool spend(struct enrol *e, const char *code, char kiosk[REQ_ID_MAX + 1], char region[8])
{
	char hex[STORE_TOKEN_HASH_LEN + 1];
	sqlite3_stmt *st = NULL;
	bool ok = false;
	if (!store_token_hash(code, hex))
		return false;
	pthread_mutex_lock(&e->lock);
	/* one statement: two kiosks sending one code cannot both have it */
	if (sqlite3_prepare_v2(e->db,
			       "UPDATE enrolments SET used = 1 WHERE code_sha256 = ? AND used = 0 "
			       "AND expires > ? RETURNING kiosk, region",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
		if (sqlite3_step(st) == SQLITE_ROW) {
			snprintf(kiosk, REQ_ID_MAX + 1, "%s", sqlite3_column_text(st, 0));
			snprintf(region, 8, "%s", sqlite3_column_text(st, 1));
			ok = true;
		}
		while (sqlite3_step(st) == SQLITE_ROW)
			; /* RETURNING: the update is done once the statement ran to its end */
	}
	sqlite3_finalize(st);
	pthread_mutex_unlock(&e->lock);
	return ok;
}

static enum MHD_Result begin(void *cls, struct http_req *r, size_t *body_max)
{
	(void)cls;
	if (strcmp(r->url, "/v1/enrol") != 0)
		return http_answer_error(r, 404, "not_found", "no such endpoint", 0);
	if (strcmp(r->method, "POST") != 0)
		return http_answer_error(r, 405, "method", "POST only", 0);
	*body_max = ENROL_BODY_MAX;
	return MHD_YES;
}

static enum MHD_Result finish(void *cls, struct http_req *r)
{
	struct enrol *e = cls;
	char code[ENROL_CODE_MAX + 1], kiosk[REQ_ID_MAX + 1], region[8];
	if (!enrol_request_code(r->body, r->len, code) || !spend(e, code, kiosk, region)) {
		log_warn("enrolment refused: an unknown, used or expired code");
		return http_answer_error(r, 403, "refused",
					 "unknown, used or expired enrolment code", 0);
	}
	/* the kiosk's token: made here, sent once, stored as its hash */
	unsigned char raw[32];
	char token[65], hex[STORE_TOKEN_HASH_LEN + 1];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, sizeof(token), raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	if (!store_token_hash(token, hex) ||
	    !store_add_kiosk(e->store, kiosk, hex, strcmp(region, "*") == 0 ? "" : region))
		return http_answer_error(r, 500, "internal", "cannot register the kiosk", 0);
	log_info("kiosk %s enrolled (region %s)", kiosk, region);
	char *body = NULL;
	json_t *ans =
	    json_pack("{s:s, s:s, s:s}", "kiosk", kiosk, "region", region, "token", token);
	body = ans ? json_dumps(ans, JSON_COMPACT) : NULL;
	json_decref(ans);
	sodium_memzero(token, sizeof(token));
	if (!body)
		return http_answer_error(r, 500, "internal", "out of memory", 0);
	return http_answer_json(r, 200, body, false, 0);
}

static void done(void *state)
{
	(void)state;
}

struct http_site enrol_site(struct enrol *e)
{
	return (struct http_site){ "/v1/enrol", e, begin, finish, done };
}

/* ---- adm-central kiosk add|revoke ---- */

/* 20 characters of Crockford's base32 (100 bits) in groups of four: easy to type, no
 * I/L/O/U to mistake. */
static void new_code(char out[25])
{
	static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	size_t n = 0;
	for (int i = 0; i < 20; i++) {
		if (i && i % 4 == 0)
			out[n++] = '-';
		out[n++] = alphabet[randombytes_uniform(32)];
	}
	out[n] = '\0';
}

/* The region in its one form (31.71), from either spelling a person types (31.71, 3171):
 * a kabupaten/kota, or "*" for every region. */
static bool region_canonical(const char *r, char out[CONTENT_REGION_SIZE])
{
	if (strcmp(r, "*") == 0) {
		snprintf(out, CONTENT_REGION_SIZE, "*");
		return true;
	}
	return content_region_parse(r, out) && strlen(out) == 5;
}

static int kiosk_add(sqlite3 *db, const char *id, const char *region)
{
	char code[25], hex[STORE_TOKEN_HASH_LEN + 1], until[32];
	int64_t expires = (int64_t)time(NULL) + CODE_VALID_S;
	new_code(code);
	sqlite3_stmt *st = NULL;
	bool ok = store_token_hash(code, hex) &&
		  sqlite3_prepare_v2(db,
				     "INSERT INTO enrolments(code_sha256, kiosk, region, expires) "
				     "VALUES (?, ?, ?, ?)",
				     -1, &st, NULL) == SQLITE_OK;
	if (ok) {
		sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, region, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, expires);
		ok = sqlite3_step(st) == SQLITE_DONE;
	}
	sqlite3_finalize(st);
	if (!ok) {
		fprintf(stderr, "adm-central kiosk add: cannot store the code: %s\n",
			sqlite3_errmsg(db));
		return 1;
	}
	time_t t = (time_t)expires;
	struct tm tm;
	strftime(until, sizeof(until), "%Y-%m-%d %H:%M UTC", gmtime_r(&t, &tm));
	printf("enrolment code for kiosk %s (region %s), valid once until %s:\n%s\n", id, region,
	       until, code);
	sodium_memzero(code, sizeof(code));
	return 0;
}

/* Runs one statement on id; the rows it changed, or -1. */
static int run_on(sqlite3 *db, const char *sql, const char *id)
{
	sqlite3_stmt *st = NULL;
	int n = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		n = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(db) : -1;
	}
	sqlite3_finalize(st);
	return n;
}

static int kiosk_revoke(sqlite3 *db, const char *id)
{
	/* a token hash that no token has: the kiosk's requests are refused from now on */
	int n = run_on(db, "UPDATE kiosks SET token_sha256 = 'revoked' WHERE id = ?", id);
	if (n >= 0 && run_on(db, "DELETE FROM enrolments WHERE kiosk = ? AND used = 0", id) < 0)
		n = -1;
	if (n <= 0) {
		fprintf(stderr, "adm-central kiosk revoke: %s\n",
			n < 0 ? sqlite3_errmsg(db) : "no such kiosk");
		return 1;
	}
	printf("kiosk %s revoked: its token is refused\n", id);
	return 0;
}

int kiosk_cmd(int argc, char **argv, const char *db_path)
{
	const char *sub = argc > 2 ? argv[2] : "", *id = argc > 3 ? argv[3] : "", *given = NULL;
	char region[CONTENT_REGION_SIZE];
	for (int i = 4; i + 1 < argc; i++)
		if (strcmp(argv[i], "--region") == 0)
			given = argv[++i];
	bool add = strcmp(sub, "add") == 0;
	if ((!add && strcmp(sub, "revoke") != 0) || !req_name_ok(id, REQ_ID_MAX) ||
	    (add && (!given || !region_canonical(given, region)))) {
		fprintf(stderr, "usage: adm-central kiosk add ID --region CODE --db DB\n"
				"       adm-central kiosk revoke ID --db DB\n"
				"CODE: the kabupaten/kota of the kiosk's citizens (31.71, or its "
				"NIK digits 3171), or *\n");
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	sqlite3 *db = open_db(db_path);
	if (!db)
		return 1;
	int rc = add ? kiosk_add(db, id, region) : kiosk_revoke(db, id);
	sqlite3_close(db);
	return rc;
}
