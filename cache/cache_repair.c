/*
 * A damaged cache file (a disk fault; SQLite's WAL does not corrupt on power loss). The
 * cache holds little that the server cannot send again: what only this kiosk knows is
 * the outbox (prints the registry has not heard of) and the consumable counters. So
 * adm-syncd salvages what of those can still be read, keeps a copy of the damaged file
 * for a technician, empties the file in place and syncs it again.
 *
 * In place, not by renaming: adm-kiosk may hold the file open, and a connection to a
 * renamed database removes the new file's WAL by name when it closes. SQLite's
 * SQLITE_DBCONFIG_RESET_DATABASE + VACUUM empties even a badly damaged file under its
 * normal locking; other connections then see an empty database and re-read its schema.
 *
 * Whoever finds damage and cannot repair it (adm-kiosk) asks for a check with a marker
 * file beside the cache; adm-syncd looks for it between its steps.
 */
#include "cache_internal.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- what only the kiosk knows ------------------------------------------------------- */

struct salvage_row {
	char *a, *b, *c; /* event: id, kind, body; state: key, value */
	int64_t created;
};

struct cache_salvage {
	struct salvage_row *events, *state;
	size_t n_events, n_state;
	bool partial; /* a read stopped at damage */
};

static void rows_free(struct salvage_row *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].a);
		free(r[i].b);
		free(r[i].c);
	}
	free(r);
}

static char *col_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return strdup(t ? (const char *)t : "");
}

/* Reads rows of up to three text columns (and an integer fourth) until the end or the
 * first damaged page. */
static bool read_rows(cache_t *c, const char *sql, int cols, struct salvage_row **out, size_t *n)
{
	sqlite3_stmt *st = cache_prepare(c, sql);
	size_t cap = 0;
	int rc = SQLITE_ERROR;
	while (st && (rc = cache_step(c, st)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct salvage_row *r = realloc(*out, ncap * sizeof(*r));
			if (!r)
				break;
			*out = r;
			cap = ncap;
		}
		struct salvage_row *r = &(*out)[*n];
		*r = (struct salvage_row){ .a = col_dup(st, 0), .b = col_dup(st, 1) };
		if (cols > 2) {
			r->c = col_dup(st, 2);
			r->created = sqlite3_column_int64(st, 3);
		}
		(*n)++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE;
}

struct cache_salvage *cache_salvage_read(cache_t *c)
{
	struct cache_salvage *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	bool ev = read_rows(c, "SELECT event_id, kind, body, created FROM outbox WHERE acked = 0",
			    3, &s->events, &s->n_events);
	bool st = read_rows(c, "SELECT key, value FROM sync_state WHERE key LIKE 'supply:%'", 2,
			    &s->state, &s->n_state);
	s->partial = !ev || !st;
	return s;
}

int cache_salvage_write(cache_t *c, const struct cache_salvage *s)
{
	int rc = CACHE_OK;
	for (size_t i = 0; i < s->n_events && rc == CACHE_OK; i++)
		rc = cache_outbox_add(c, s->events[i].a, s->events[i].b, s->events[i].c,
				      s->events[i].created);
	for (size_t i = 0; i < s->n_state && rc == CACHE_OK; i++)
		rc = cache_state_set(c, s->state[i].a, s->state[i].b);
	return rc;
}

void cache_salvage_counts(const struct cache_salvage *s, size_t *events, size_t *state,
			  bool *partial)
{
	*events = s->n_events;
	*state = s->n_state;
	*partial = s->partial;
}

void cache_salvage_free(struct cache_salvage *s)
{
	if (!s)
		return;
	rows_free(s->events, s->n_events);
	rows_free(s->state, s->n_state);
	free(s);
}

/* ---- the file ------------------------------------------------------------------------- */

/* Copies from to to (replaced). A missing from is nothing to copy. */
static bool copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return errno == ENOENT;
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	bool ok = out >= 0;
	char buf[65536];
	ssize_t n;
	while (ok && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			ok = errno == EINTR;
			continue;
		}
		for (ssize_t off = 0; ok && off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno != EINTR)
				ok = false;
			else if (w > 0)
				off += w;
		}
	}
	if (out >= 0 && (fsync(out) != 0 || close(out) != 0))
		ok = false;
	close(in);
	return ok;
}

int cache_reset_damaged(const char *path, const char *aside)
{
	char from[PATH_MAX], to[PATH_MAX];
	bool kept = copy_file(path, aside);
	snprintf(from, sizeof(from), "%s-wal", path);
	snprintf(to, sizeof(to), "%s-wal", aside);
	kept = copy_file(from, to) && kept;
	if (!kept)
		log_error("cache: could not keep a copy of the damaged %s as %s: %s", path, aside,
			  strerror(errno));

	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(db, 10000);
		/* the schema read first keeps the file in WAL mode; errors expected here */
		sqlite3_exec(db, "SELECT 1 FROM sqlite_schema LIMIT 1", NULL, NULL, NULL);
		sqlite3_db_config(db, SQLITE_DBCONFIG_RESET_DATABASE, 1, 0);
		rc = sqlite3_exec(db, "VACUUM", NULL, NULL, NULL);
		sqlite3_db_config(db, SQLITE_DBCONFIG_RESET_DATABASE, 0, 0);
	}
	if (rc != SQLITE_OK)
		log_error("cache: could not empty the damaged %s: %s", path,
			  db ? sqlite3_errmsg(db) : "out of memory");
	sqlite3_close_v2(db);
	return rc == SQLITE_OK ? CACHE_OK : CACHE_ERR_DB;
}

/* ---- asking adm-syncd for a check ----------------------------------------------------- */

static void marker(const char *path, char *out, size_t size)
{
	snprintf(out, size, "%s.check", path);
}

void cache_request_check(const char *path)
{
	char m[PATH_MAX];
	marker(path, m, sizeof(m));
	int fd = open(m, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		log_error("cache: cannot ask for a check of %s (%s): %s", path, m, strerror(errno));
	else
		close(fd);
}

bool cache_check_requested(const char *path)
{
	char m[PATH_MAX];
	marker(path, m, sizeof(m));
	return access(m, F_OK) == 0;
}

void cache_check_done(const char *path)
{
	char m[PATH_MAX];
	marker(path, m, sizeof(m));
	unlink(m);
}
