/*
 * What the cache keeps for technicians (cache.h, "technicians"): the PIN lockout and the
 * out-of-service message, as sync_state rows; and the audit read back for admctl.
 */
#include "cache.h"
#include "cache_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define KEY_FAILURES "tech_pin_failures"
#define KEY_LOCKED   "tech_pin_locked_until"
#define KEY_SERVICE  "service_message"

static int64_t state_number(cache_t *c, const char *key, int *rc)
{
	char v[32];
	int r = cache_state_get(c, key, v, sizeof(v));
	if (r == CACHE_ERR_NOT_FOUND)
		return 0;
	if (r != CACHE_OK)
		*rc = r;
	return r == CACHE_OK ? strtoll(v, NULL, 10) : 0;
}

static int state_set_number(cache_t *c, const char *key, int64_t n)
{
	char v[32];
	snprintf(v, sizeof(v), "%" PRId64, n);
	return cache_state_set(c, key, v);
}

int cache_tech_lock_get(cache_t *c, struct cache_tech_lock *out)
{
	int rc = CACHE_OK;
	out->failures = (int)state_number(c, KEY_FAILURES, &rc);
	out->locked_until = state_number(c, KEY_LOCKED, &rc);
	return rc;
}

int cache_tech_pin_tried(cache_t *c, bool ok, int64_t now, struct cache_tech_lock *out)
{
	int rc = cache_begin(c); /* the count, the lock and the audit row: all or none */
	if (rc != CACHE_OK)
		return rc;
	rc = cache_tech_lock_get(c, out);
	if (rc == CACHE_OK) {
		out->failures = ok ? 0 : out->failures + 1;
		const char *what = ok ? "technician-pin-ok" : "technician-pin-wrong";
		if (out->failures >= CACHE_TECH_TRIES) {
			out->failures = 0;
			out->locked_until = now + CACHE_TECH_LOCK_S;
			what = "technician-pin-locked";
		}
		char detail[64];
		snprintf(detail, sizeof(detail), "failures=%d", out->failures);
		rc = state_set_number(c, KEY_FAILURES, out->failures);
		if (rc == CACHE_OK)
			rc = state_set_number(c, KEY_LOCKED, out->locked_until);
		if (rc == CACHE_OK)
			rc = cache_audit(c, what, NULL, detail, now);
	}
	if (rc != CACHE_OK) {
		cache_rollback(c);
		return rc;
	}
	return cache_commit(c);
}

int cache_service_message_set(cache_t *c, const char *msg)
{
	return cache_state_set(c, KEY_SERVICE, msg);
}

int cache_service_message(cache_t *c, char *out, size_t out_size)
{
	int rc = cache_state_get(c, KEY_SERVICE, out, out_size);
	return rc == CACHE_ERR_NOT_FOUND ? CACHE_OK : rc;
}

/* "service_message:QUEUE": a queue name is a CUPS name, no colon in it */
static void queue_key(char *out, size_t size, const char *queue)
{
	snprintf(out, size, "%s:%s", KEY_SERVICE, queue);
}

int cache_queue_message_set(cache_t *c, const char *queue, const char *msg)
{
	char key[160];
	queue_key(key, sizeof(key), queue);
	return cache_state_set(c, key, msg);
}

int cache_queue_message(cache_t *c, const char *queue, char *out, size_t out_size)
{
	char key[160];
	queue_key(key, sizeof(key), queue);
	int rc = cache_state_get(c, key, out, out_size);
	return rc == CACHE_ERR_NOT_FOUND ? CACHE_OK : rc;
}

int cache_audit_list(cache_t *c, int64_t since, int max, cache_audit_fn fn, void *user)
{
	sqlite3_stmt *st = cache_prepare(c, "SELECT seq, at, what, ifnull(nik_hash, ''), "
					    "ifnull(detail, '') FROM audit WHERE at >= ? "
					    "ORDER BY seq LIMIT ?");
	if (!st)
		return CACHE_ERR_DB;
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int(st, 2, max > 0 ? max : -1);
	int n = 0, rc;
	while ((rc = cache_step(c, st)) == SQLITE_ROW) {
		struct cache_audit_row r = {
			.seq = sqlite3_column_int64(st, 0),
			.at = sqlite3_column_int64(st, 1),
			.what = (const char *)sqlite3_column_text(st, 2),
			.nik_hash = (const char *)sqlite3_column_text(st, 3),
			.detail = (const char *)sqlite3_column_text(st, 4),
		};
		fn(&r, user);
		n++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? n : CACHE_ERR_DB;
}
