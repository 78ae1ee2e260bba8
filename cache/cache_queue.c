/*
 * What the kiosk hands to adm-syncd through the database: print jobs and their outcome,
 * the outbox of events for the central server (unique event ids make pushing twice
 * harmless), and on-demand fetch requests for citizens the cache does not know yet.
 */
#include "cache_internal.h"

#include "log.h"

#include <string.h>

int64_t cache_job_record(cache_t *c, const char *doc_id, int cups_job_id, int64_t now)
{
	int64_t id = CACHE_ERR_DB;
	if (cache_begin(c) != CACHE_OK)
		return CACHE_ERR_DB;
	sqlite3_stmt *st = cache_prepare(c, "UPDATE documents SET status = 'printing' WHERE id = ? "
					    "AND status = 'ready' AND gone = 0");
	if (!st)
		goto fail;
	sqlite3_bind_text(st, 1, doc_id, -1, SQLITE_STATIC);
	if (cache_step(c, st) != SQLITE_DONE)
		goto fail;
	if (sqlite3_changes(c->db) != 1) {
		id = CACHE_ERR_STATE;
		goto fail;
	}
	sqlite3_finalize(st);
	st = cache_prepare(c, "INSERT INTO print_jobs(document, cups_job, state, created, updated) "
			      "VALUES (?, ?, 'printing', ?, ?)");
	if (!st)
		goto fail;
	sqlite3_bind_text(st, 1, doc_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, cups_job_id);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, now);
	if (cache_step(c, st) != SQLITE_DONE)
		goto fail;
	id = sqlite3_last_insert_rowid(c->db);
	sqlite3_finalize(st);
	if (cache_commit(c) != CACHE_OK)
		return CACHE_ERR_DB;
	return id;
fail:
	sqlite3_finalize(st);
	cache_rollback(c);
	return id;
}

static int step_done(cache_t *c, sqlite3_stmt *st)
{
	int rc = st && cache_step(c, st) == SQLITE_DONE ? CACHE_OK : CACHE_ERR_DB;
	sqlite3_finalize(st);
	return rc;
}

/* The "printed" / "print_failed" event of a document, queued in the caller's transaction
 * (or on its own). */
static int queue_print_event(cache_t *c, const char *doc, bool ok, const char *reason, int64_t now)
{
	char event_id[33], body[512];
	cache_new_event_id(event_id);
	/* JSON by hand: the id is ours (validated when stored) and the reason is escaped
	 * by restricting it to a safe alphabet. */
	char safe[128] = "";
	if (reason) {
		size_t j = 0;
		for (size_t i = 0; reason[i] && j + 1 < sizeof(safe); i++) {
			char ch = reason[i];
			safe[j++] = (ch >= 32 && ch < 127 && ch != '"' && ch != '\\') ? ch : '_';
		}
		safe[j] = '\0';
	}
	snprintf(body, sizeof(body), "{\"document\":\"%s\",\"at\":%lld,\"reason\":\"%s\"}", doc,
		 (long long)now, safe);
	return cache_outbox_add(c, event_id, ok ? "printed" : "print_failed", body, now);
}

int cache_print_event(cache_t *c, const char *doc_id, bool ok, const char *reason, int64_t now)
{
	if (!doc_id || !doc_id[0] || strlen(doc_id) > CACHE_ID_MAX || strchr(doc_id, '"') ||
	    strchr(doc_id, '\\'))
		return CACHE_ERR_INVALID;
	return queue_print_event(c, doc_id, ok, reason, now);
}

/* Ends a job that is in state `from`: its document printed, or ready again with its PIN. */
static int end_job(cache_t *c, int64_t job, const char *from, bool ok, const char *reason,
		   int64_t now)
{
	char doc[CACHE_ID_MAX + 1] = "";
	int rc = cache_begin(c);
	if (rc != CACHE_OK)
		return rc;
	sqlite3_stmt *st = cache_prepare(c, "UPDATE print_jobs SET state = ?, reason = ?, "
					    "updated = ? WHERE id = ? AND state = ? "
					    "RETURNING document");
	if (!st)
		goto fail;
	sqlite3_bind_text(st, 1, ok ? "done" : "failed", -1, SQLITE_STATIC);
	if (reason)
		sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, job);
	sqlite3_bind_text(st, 5, from, -1, SQLITE_STATIC);
	rc = cache_step(c, st);
	if (rc == SQLITE_ROW)
		cache_col_text(st, 0, doc, sizeof(doc));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		cache_rollback(c);
		return rc == SQLITE_DONE ? CACHE_ERR_STATE : CACHE_ERR_DB;
	}
	if (ok)
		st = cache_prepare(c, "UPDATE documents SET status = 'printed', "
				      "print_count = print_count + 1 WHERE id = ?");
	else /* the citizen got nothing: give the PIN back so they can try again */
		st = cache_prepare(c, "UPDATE documents SET status = 'ready', print_pin_used = 0 "
				      "WHERE id = ?");
	if (st)
		sqlite3_bind_text(st, 1, doc, -1, SQLITE_STATIC);
	if (step_done(c, st) != CACHE_OK)
		goto fail;

	if (queue_print_event(c, doc, ok, reason, now) != CACHE_OK)
		goto fail;
	return cache_commit(c);
fail:
	cache_rollback(c);
	return CACHE_ERR_DB;
}

int cache_job_finish(cache_t *c, int64_t job, bool ok, const char *reason, int64_t now)
{
	return end_job(c, job, "printing", ok, reason, now);
}

int cache_job_hold(cache_t *c, int64_t job, const char *reason, int64_t now)
{
	/* The document stays 'printing' and its PIN spent: out of the citizen's reach. */
	sqlite3_stmt *st =
	    cache_prepare(c, "UPDATE print_jobs SET state = 'uncertain', reason = ?, "
			     "updated = ? WHERE id = ? AND state = 'printing'");
	if (!st)
		return CACHE_ERR_DB;
	if (reason)
		sqlite3_bind_text(st, 1, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, job);
	int rc = step_done(c, st);
	if (rc == CACHE_OK && sqlite3_changes(c->db) != 1)
		rc = CACHE_ERR_STATE;
	return rc;
}

int cache_job_settle(cache_t *c, int64_t job, bool printed, int64_t now)
{
	return end_job(c, job, "uncertain", printed,
		       printed ? "settled: printed" : "settled: not printed", now);
}

static int list_jobs(cache_t *c, const char *state, cache_job_fn fn, void *user)
{
	sqlite3_stmt *st = cache_prepare(
	    c, "SELECT id, document, cups_job FROM print_jobs WHERE state = ? ORDER BY id");
	int n = 0, rc;
	if (!st)
		return CACHE_ERR_DB;
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	while ((rc = cache_step(c, st)) == SQLITE_ROW) {
		char doc[CACHE_ID_MAX + 1];
		cache_col_text(st, 1, doc, sizeof(doc));
		if (fn)
			fn(sqlite3_column_int64(st, 0), doc, sqlite3_column_int(st, 2), user);
		n++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? n : CACHE_ERR_DB;
}

int cache_jobs_open(cache_t *c, cache_job_fn fn, void *user)
{
	return list_jobs(c, "printing", fn, user);
}

int cache_jobs_uncertain(cache_t *c, cache_job_fn fn, void *user)
{
	return list_jobs(c, "uncertain", fn, user);
}

/* ---- outbox ---- */

int cache_outbox_add(cache_t *c, const char *event_id, const char *kind, const char *body_json,
		     int64_t now)
{
	if (!event_id[0] || strlen(event_id) > CACHE_ID_MAX || !kind[0] || strlen(kind) > 32)
		return CACHE_ERR_INVALID;
	sqlite3_stmt *st = cache_prepare(c, "INSERT INTO outbox(event_id, kind, body, created) "
					    "VALUES (?, ?, ?, ?) ON CONFLICT(event_id) DO NOTHING");
	if (!st)
		return CACHE_ERR_DB;
	sqlite3_bind_text(st, 1, event_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, body_json, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	return step_done(c, st);
}

int cache_outbox_next(cache_t *c, int max, cache_event_fn fn, void *user)
{
	sqlite3_stmt *st = cache_prepare(c, "SELECT seq, event_id, kind, body, created FROM outbox "
					    "WHERE acked = 0 ORDER BY seq LIMIT ?");
	int n = 0, rc;
	if (!st)
		return CACHE_ERR_DB;
	sqlite3_bind_int(st, 1, max);
	while ((rc = cache_step(c, st)) == SQLITE_ROW) {
		struct cache_event e;
		memset(&e, 0, sizeof(e));
		e.seq = sqlite3_column_int64(st, 0);
		cache_col_text(st, 1, e.event_id, sizeof(e.event_id));
		cache_col_text(st, 2, e.kind, sizeof(e.kind));
		e.body = (char *)sqlite3_column_text(st, 3);
		e.created = sqlite3_column_int64(st, 4);
		if (fn)
			fn(&e, user);
		n++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? n : CACHE_ERR_DB;
}

int cache_outbox_ack(cache_t *c, const char *event_id)
{
	sqlite3_stmt *st = cache_prepare(c, "UPDATE outbox SET acked = 1 WHERE event_id = ?");
	if (!st)
		return CACHE_ERR_DB;
	sqlite3_bind_text(st, 1, event_id, -1, SQLITE_STATIC);
	return step_done(c, st);
}

/* A refused event keeps its code in acked as -(1 + its place here): pending is 0, acked 1,
 * so the pending index and the purge of acknowledged rows stay as they were, and no
 * migration is needed. */
static const char *const refusals[] = { "invalid", "no_document", "unknown_document",
					"not_in_feed" };
#define N_REFUSALS ((int)(sizeof(refusals) / sizeof(refusals[0])))

const char *cache_outbox_refusal_name(int64_t acked)
{
	return acked < 0 && acked >= -N_REFUSALS ? refusals[-acked - 1] : NULL;
}

int cache_outbox_refuse(cache_t *c, const char *event_id, const char *code)
{
	int k = 0;
	while (k < N_REFUSALS && strcmp(code, refusals[k]) != 0)
		k++;
	if (k == N_REFUSALS)
		return CACHE_ERR_INVALID;
	sqlite3_stmt *st =
	    cache_prepare(c, "UPDATE outbox SET acked = ? WHERE event_id = ? AND acked = 0");
	if (!st)
		return CACHE_ERR_DB;
	sqlite3_bind_int(st, 1, -1 - k);
	sqlite3_bind_text(st, 2, event_id, -1, SQLITE_STATIC);
	int rc = step_done(c, st);
	return rc == CACHE_OK ? sqlite3_changes(c->db) : rc;
}

static int64_t count_rows(cache_t *c, const char *sql)
{
	sqlite3_stmt *st = cache_prepare(c, sql);
	int64_t n = CACHE_ERR_DB;
	if (st && cache_step(c, st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int64_t cache_outbox_refused(cache_t *c)
{
	return count_rows(c, "SELECT count(*) FROM outbox WHERE acked < 0");
}

int64_t cache_outbox_pending(cache_t *c)
{
	return count_rows(c, "SELECT count(*) FROM outbox WHERE acked = 0");
}

/* ---- on-demand fetch ---- */

static const char *const fetch_names[] = { "pending", "done", "not_found", "offline", "failed" };

const char *cache_fetch_state_name(enum cache_fetch_state s)
{
	return (unsigned)s < 5 ? fetch_names[s] : "?";
}

int64_t cache_fetch_request(cache_t *c, const char *nik, int64_t now)
{
	if (strlen(nik) != CACHE_NIK_LEN)
		return CACHE_ERR_INVALID;
	sqlite3_stmt *st =
	    cache_prepare(c, "INSERT INTO fetch_requests(nik, created) VALUES (?, ?)");
	if (!st)
		return CACHE_ERR_DB;
	sqlite3_bind_text(st, 1, nik, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	int rc = step_done(c, st);
	return rc == CACHE_OK ? sqlite3_last_insert_rowid(c->db) : rc;
}

int cache_fetch_status(cache_t *c, int64_t id, enum cache_fetch_state *out)
{
	sqlite3_stmt *st = cache_prepare(c, "SELECT state FROM fetch_requests WHERE id = ?");
	if (!st)
		return CACHE_ERR_DB;
	sqlite3_bind_int64(st, 1, id);
	int rc = cache_step(c, st);
	if (rc == SQLITE_ROW) {
		char s[16];
		cache_col_text(st, 0, s, sizeof(s));
		*out = CACHE_FETCH_FAILED;
		for (int i = 0; i < 5; i++)
			if (strcmp(s, fetch_names[i]) == 0)
				*out = (enum cache_fetch_state)i;
		rc = CACHE_OK;
	} else {
		rc = rc == SQLITE_DONE ? CACHE_ERR_NOT_FOUND : CACHE_ERR_DB;
	}
	sqlite3_finalize(st);
	return rc;
}

int64_t cache_fetch_take(cache_t *c, char nik[CACHE_NIK_LEN + 1], int64_t *created)
{
	sqlite3_stmt *st = cache_prepare(c, "SELECT id, nik, created FROM fetch_requests "
					    "WHERE state = 'pending' ORDER BY id LIMIT 1");
	if (!st)
		return CACHE_ERR_DB;
	int64_t id = 0;
	int rc = cache_step(c, st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		cache_col_text(st, 1, nik, CACHE_NIK_LEN + 1);
		if (created)
			*created = sqlite3_column_int64(st, 2);
	} else if (rc != SQLITE_DONE) {
		id = CACHE_ERR_DB;
	}
	sqlite3_finalize(st);
	return id;
}

int cache_fetch_answer(cache_t *c, int64_t id, enum cache_fetch_state s, int64_t now)
{
	sqlite3_stmt *st =
	    cache_prepare(c, "UPDATE fetch_requests SET state = ?, answered = ? WHERE id = ?");
	if (!st)
		return CACHE_ERR_DB;
	sqlite3_bind_text(st, 1, cache_fetch_state_name(s), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, id);
	return step_done(c, st);
}
