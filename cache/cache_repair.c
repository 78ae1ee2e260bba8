/*
 * A damaged cache file (a disk fault; SQLite's WAL does not corrupt on power loss). The
 * cache holds little that the server cannot send again: what only this kiosk knows is
 * the outbox (prints the registry has not heard of), the consumable counters and the
 * prints held as uncertain (docs/printing.md: a document that may already have come out,
 * which the feed alone would make ready again). So adm-syncd salvages what of those can
 * still be read, keeps a copy of the damaged file for a technician, empties the file in
 * place and syncs it again.
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

/* A row copied column by column, names and values: an uncertain job and its document
 * come back as they were, with whatever columns later migrations add. */
struct salvage_copy {
	int n;
	char **names;
	sqlite3_value **vals;
};

struct cache_salvage {
	struct salvage_row *events, *state;
	size_t n_events, n_state;
	/* uncertain print jobs and, at the same index, their documents */
	struct salvage_copy *jobs, *docs;
	size_t n_held;
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

static void copy_free(struct salvage_copy *r)
{
	for (int i = 0; r->names && i < r->n; i++) {
		free(r->names[i]);
		sqlite3_value_free(r->vals[i]);
	}
	free(r->names);
	free(r->vals);
	memset(r, 0, sizeof(*r));
}

static bool copy_row(sqlite3_stmt *st, struct salvage_copy *r)
{
	r->n = sqlite3_column_count(st);
	r->names = calloc((size_t)r->n, sizeof(*r->names));
	r->vals = calloc((size_t)r->n, sizeof(*r->vals));
	bool ok = r->names && r->vals;
	for (int i = 0; ok && i < r->n; i++) {
		r->names[i] = strdup(sqlite3_column_name(st, i));
		r->vals[i] = sqlite3_value_dup(sqlite3_column_value(st, i));
		ok = r->names[i] && r->vals[i];
	}
	if (!ok)
		copy_free(r);
	return ok;
}

static sqlite3_value *copy_get(const struct salvage_copy *r, const char *name)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->names[i], name) == 0)
			return r->vals[i];
	return NULL;
}

/* The first row of sql (one bound value, or none) into out; false when there is none
 * or it cannot be read. */
static bool read_copy(cache_t *c, const char *sql, sqlite3_value *arg, struct salvage_copy *out)
{
	sqlite3_stmt *st = cache_prepare(c, sql);
	if (st && arg)
		sqlite3_bind_value(st, 1, arg);
	bool ok = st && cache_step(c, st) == SQLITE_ROW && copy_row(st, out);
	sqlite3_finalize(st);
	return ok;
}

/* Each uncertain job (by its own index) and its document (by its key): a few point
 * reads, which may succeed where a walk of a damaged table would not. */
static bool read_held(cache_t *c, struct cache_salvage *s)
{
	sqlite3_stmt *st = cache_prepare(c, "SELECT id FROM print_jobs WHERE state = 'uncertain' "
					    "ORDER BY id");
	bool ok = st != NULL;
	int rc = SQLITE_ERROR;
	while (ok && (rc = cache_step(c, st)) == SQLITE_ROW) {
		struct salvage_copy *j = realloc(s->jobs, (s->n_held + 1) * sizeof(*j));
		struct salvage_copy *d = j ? realloc(s->docs, (s->n_held + 1) * sizeof(*d)) : NULL;
		if (j)
			s->jobs = j;
		if (d)
			s->docs = d;
		if (!j || !d)
			break;
		j = &s->jobs[s->n_held];
		d = &s->docs[s->n_held];
		*j = *d = (struct salvage_copy){ 0 };
		if (!read_copy(c, "SELECT * FROM print_jobs WHERE id = ?",
			       sqlite3_column_value(st, 0), j) ||
		    !read_copy(c, "SELECT * FROM documents WHERE id = ?", copy_get(j, "document"),
			       d)) {
			copy_free(j);
			copy_free(d);
			ok = false; /* that one is only in the copy: go on with the others */
			continue;
		}
		s->n_held++;
	}
	sqlite3_finalize(st);
	return ok && rc == SQLITE_DONE;
}

/* INSERT of a copied row; documents OR IGNORE (two uncertain jobs of one document). */
static int copy_write(cache_t *c, const char *verb, const char *table, const struct salvage_copy *r)
{
	size_t size = 64 + strlen(table);
	for (int i = 0; i < r->n; i++)
		size += strlen(r->names[i]) * 2 + 6;
	char *sql = malloc(size);
	if (!sql)
		return CACHE_ERR_NOMEM;
	size_t off = (size_t)snprintf(sql, size, "%s INTO %s(", verb, table);
	for (int i = 0; i < r->n; i++) {
		/* names come from the schema; quoted all the same */
		sql[off++] = '"';
		for (const char *p = r->names[i]; *p; p++) {
			if (*p == '"')
				sql[off++] = '"';
			sql[off++] = *p;
		}
		off += (size_t)snprintf(sql + off, size - off, "\"%s", i + 1 < r->n ? "," : "");
	}
	off += (size_t)snprintf(sql + off, size - off, ") VALUES (");
	for (int i = 0; i < r->n; i++)
		off += (size_t)snprintf(sql + off, size - off, "?%s", i + 1 < r->n ? "," : ")");
	sqlite3_stmt *st = cache_prepare(c, sql);
	free(sql);
	if (!st)
		return CACHE_ERR_DB;
	for (int i = 0; i < r->n; i++)
		sqlite3_bind_value(st, i + 1, r->vals[i]);
	int rc = cache_step(c, st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? CACHE_OK : CACHE_ERR_DB;
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
	bool held = read_held(c, s);
	s->partial = !ev || !st || !held;
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
	/* held documents come back PRINTING with their job UNCERTAIN: the feed's upsert
	 * keeps a local 'printing' (cache_docs.c), so they stay out of reach until settled */
	for (size_t i = 0; i < s->n_held && rc == CACHE_OK; i++) {
		rc = copy_write(c, "INSERT OR IGNORE", "documents", &s->docs[i]);
		if (rc == CACHE_OK)
			rc = copy_write(c, "INSERT", "print_jobs", &s->jobs[i]);
	}
	/* their blobs were not carried over: adm-syncd fetches them again */
	if (rc == CACHE_OK && s->n_held &&
	    sqlite3_exec(c->db,
			 "UPDATE documents SET blob_missing = NOT EXISTS (SELECT 1 FROM blobs b "
			 "WHERE b.sha256 = documents.blob_sha256) WHERE status = 'printing'",
			 NULL, NULL, NULL) != SQLITE_OK)
		rc = CACHE_ERR_DB;
	return rc;
}

void cache_salvage_counts(const struct cache_salvage *s, size_t *events, size_t *state,
			  bool *partial)
{
	*events = s->n_events;
	*state = s->n_state;
	*partial = s->partial;
}

size_t cache_salvage_held(const struct cache_salvage *s)
{
	return s->n_held;
}

void cache_salvage_free(struct cache_salvage *s)
{
	if (!s)
		return;
	rows_free(s->events, s->n_events);
	rows_free(s->state, s->n_state);
	for (size_t i = 0; i < s->n_held; i++) {
		copy_free(&s->jobs[i]);
		copy_free(&s->docs[i]);
	}
	free(s->jobs);
	free(s->docs);
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
