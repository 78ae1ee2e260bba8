/*
 * The synchronisation steps of adm-syncd. Crash safety comes from ordering, not from
 * cleanup: a page's changes and its cursor commit together; a blob is stored only after
 * its whole file hashed right; an event is acknowledged only after the server said it
 * has it. Killing the process between any two instructions leaves a state from which the
 * next pass converges, at worst repeating an idempotent request.
 */
#include "engine.h"
#include "screenshot.h"

#include "adm-config.h"
#include "clock.h"
#include "log.h"
#include "prefetch.h"
#include "proto.h"
#include "sha256.h"
#include "spool.h"

#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void keepalive(struct engine *e)
{
	if (e->keepalive)
		e->keepalive();
}

static bool stopping(struct engine *e)
{
	return e->stop && *e->stop;
}

/* ---- outbox ---- */

#define BATCH_EVENTS 50

struct batch {
	struct engine *e;
	json_t *events;
	/* what was sent, in order: the answer's "refused" names events by their place */
	char ids[BATCH_EVENTS][CACHE_ID_MAX + 1], kinds[BATCH_EVENTS][33];
	int n;
};

static void add_event(const struct cache_event *ev, void *user)
{
	struct batch *b = user;
	json_t *data = json_loads(ev->body, 0, NULL);
	json_t *o = json_pack("{s:s, s:s, s:I}", "id", ev->event_id, "kind", ev->kind, "created",
			      (json_int_t)ev->created);
	json_object_set_new(o, "data", data ? data : json_object());
	json_array_append_new(b->events, o);
	if (b->n < BATCH_EVENTS) {
		snprintf(b->ids[b->n], sizeof(b->ids[0]), "%s", ev->event_id);
		snprintf(b->kinds[b->n], sizeof(b->kinds[0]), "%s", ev->kind);
		b->n++;
	}
}

static void ack(const char *id, void *user)
{
	struct batch *b = user;
	if (cache_outbox_ack(b->e->cache, id) == CACHE_OK)
		b->e->events++;
}

/* An event the server will never take (not this kiosk's document, malformed): marked in
 * the outbox with the server's code and no longer sent, so that it does not go out again
 * on every pass for ever. "internal" and codes this kiosk does not know leave it pending.
 * Logged once, when it is marked: the event's id, kind and the code, nothing personal. */
static void refused(long index, const char *id, const char *code, void *user)
{
	struct batch *b = user;
	if (index >= b->n || (id && strcmp(id, b->ids[index]) != 0))
		return; /* not an event of this request */
	if (cache_outbox_refuse(b->e->cache, b->ids[index], code) == 1) {
		b->e->refused++;
		log_warn("event %s (%s) refused by the server: %s; kept in the outbox for a "
			 "technician, not sent again",
			 b->ids[index], b->kinds[index], code);
	}
}

int engine_push_outbox(struct engine *e)
{
	char path[160];
	snprintf(path, sizeof(path), "/v1/kiosks/%s/events", e->kiosk_id);
	struct batch b;
	for (;;) {
		long done_before = e->events + e->refused;
		b.e = e;
		b.events = json_array();
		b.n = 0;
		int n = cache_outbox_next(e->cache, BATCH_EVENTS, add_event, &b);
		if (n <= 0) {
			json_decref(b.events);
			return n;
		}
		json_t *root = json_pack("{s:o}", "events", b.events);
		char *js = json_dumps(root, JSON_COMPACT);
		json_decref(root);
		char *body = NULL, err[160];
		size_t len;
		long status;
		int rc = js ? net_request(e->net, path, js, 1024 * 1024, &body, &len, &status)
			    : CACHE_ERR_NOMEM;
		free(js);
		if (rc == NET_OK &&
		    !proto_parse_events_answer(body, len, ack, refused, &b, err, sizeof(err))) {
			log_warn("events answer rejected: %s", err);
			rc = NET_HTTP;
		}
		free(body);
		if (rc != NET_OK) {
			log_warn("pushing events failed: %s", net_error(e->net));
			e->retry_after = net_retry_after(e->net);
			return rc;
		}
		/* what is neither accepted nor refused for good stays in the outbox; stop when
		 * a round settled nothing instead of sending the same batch for ever */
		if (e->events + e->refused == done_before)
			return 0;
		keepalive(e);
	}
}

/* ---- changes feed ---- */

static void page_path(struct engine *e, const char *cursor, char *out, size_t size)
{
	/* the cursor came from the server and was validated (URL-safe alphabet) */
	snprintf(out, size, "/v1/kiosks/%s/changes?since=%s&limit=%d", e->kiosk_id, cursor,
		 e->page_limit);
}

int engine_pull(struct engine *e)
{
	char cursor[CACHE_CURSOR_MAX + 1], path[400], err[200];
	struct prefetch pf = { 0 };
	int pages = 0, max_pages = e->max_pages > 0 ? e->max_pages : ENGINE_MAX_PAGES;
	size_t limit = (size_t)e->page_limit;
	if (cache_cursor(e->cache, cursor) != CACHE_OK)
		return CACHE_ERR_DB;
	/* With a second connection, page N+1 is requested (with page N's next cursor) and
	 * parsed while page N is applied; if N fails to apply, N+1 is thrown away. */
	net_t *ahead = e->pool[0] ? e->pool[0] : e->net;
	page_path(e, cursor, path, sizeof(path));
	prefetch_start(&pf, ahead, path, limit, e->limits, e->pool[0] != NULL);
	for (;;) {
		struct proto_page page;
		bool ok;
		int rc = prefetch_wait(&pf, &page, &ok, err, sizeof(err));
		if (rc != NET_OK) {
			log_warn("changes feed: %s", net_error(ahead));
			e->retry_after = net_retry_after(ahead);
			proto_page_free(&page);
			return rc;
		}
		e->reached = true;
		if (!ok) {
			log_error("changes page after cursor %s refused: %s", cursor, err);
			proto_page_free(&page);
			return NET_HTTP;
		}
		if (page.more && strcmp(page.next_cursor, cursor) == 0) {
			log_error("changes page does not advance the cursor: server bug");
			proto_page_free(&page);
			return NET_HTTP;
		}
		/* a server that answers "more" for ever (or a backlog longer than a pass
		 * should be) must not keep the blobs, the purge and the heartbeat waiting */
		bool capped = page.more && ++pages >= max_pages;
		bool more = page.more && !stopping(e) && !capped;
		if (more && e->pool[0]) {
			page_path(e, page.next_cursor, path, sizeof(path));
			prefetch_start(&pf, ahead, path, limit, e->limits, true);
		}
		rc = cache_apply_page(e->cache, page.changes, page.n, page.next_cursor,
				      (int64_t)time(NULL));
		if (rc == CACHE_OK) {
			e->pages++;
			e->records += (long)page.n;
			snprintf(cursor, sizeof(cursor), "%s", page.next_cursor);
		} else {
			log_error("applying a page failed: %s", cache_strerror(rc));
		}
		proto_page_free(&page);
		if (rc != CACHE_OK) {
			prefetch_discard(&pf);
			return rc;
		}
		keepalive(e);
		if (!more) {
			prefetch_discard(&pf);
			if (stopping(e))
				return NET_ABORTED;
			if (capped)
				log_warn(
				    "changes feed: %d pages in this pass, the most one may take; "
				    "the rest of the pass first",
				    pages);
			return capped ? ENGINE_AGAIN : 0;
		}
		if (!e->pool[0]) {
			page_path(e, cursor, path, sizeof(path));
			prefetch_start(&pf, ahead, path, limit, e->limits, false);
		}
	}
}

/* ---- blobs ---- */

/* Blobs asked of the cache at once: each query walks the documents that want a blob */
#define MISSING_BATCH 256
/* Blobs stored per transaction: a kill loses at most these (fetched again), and each
 * commit costs about a millisecond */
#define BLOBS_PER_COMMIT 64

struct missing {
	char hex[65];
	int64_t size;
	int rc; /* how its download ended */
};
/* Blobs that failed in this pass (bad hash, too slow, refused): not asked for again
 * until the next, so that each fails once and alone. */
struct failed_set {
	char hex[MISSING_BATCH][65];
	int n;
};
struct missing_list {
	struct missing items[MISSING_BATCH];
	int n;
	const struct failed_set *skip;
};

static bool failed_has(const struct failed_set *f, const char *hex)
{
	for (int i = 0; f && i < f->n; i++)
		if (strcmp(f->hex[i], hex) == 0)
			return true;
	return false;
}

static void add_missing(const char *hex, int64_t size, void *user)
{
	struct missing_list *l = user;
	if (l->n < MISSING_BATCH && !failed_has(l->skip, hex)) {
		snprintf(l->items[l->n].hex, 65, "%s", hex);
		l->items[l->n].size = size;
		l->items[l->n].rc = 0;
		l->n++;
	}
}

/* Hashes the file in 64 KiB steps: memory stays flat whatever the size. */
bool engine_file_sha256(FILE *f, unsigned char out[32], uint64_t *size)
{
	unsigned char buf[65536];
	size_t n;
	bool ok = true;
	sha256_ctx *st = sha256_begin();
	if (!st)
		return false;
	*size = 0;
	rewind(f);
	while (ok && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
		ok = sha256_update(st, buf, n);
		*size += n;
	}
	sodium_memzero(buf, sizeof(buf));
	return sha256_final(st, out) && ok && !ferror(f);
}

/* A 429/503 on a blob also says when to come back (the pass then fails: see main.c). */
static void note_retry_after(struct engine *e, net_t *net)
{
	long ra = net_retry_after(net);
	if (ra > e->retry_after)
		e->retry_after = ra;
}

/* What ends the blob phase: the link is down, adm-syncd stops, or the disk or the cache
 * fails. Anything else (a hash that does not match, a 404, a server that trickles) is the
 * failure of that one blob: the others are still fetched. */
static bool fatal(int rc)
{
	return rc == NET_TRANSPORT || rc == NET_ABORTED || rc == NET_IO || rc == CACHE_ERR_DB ||
	       rc == CACHE_ERR_NOMEM;
}

/* The blob phase's time is up: start nothing more (what is in flight ends by its own
 * deadline). */
static bool out_of_time(struct engine *e)
{
	return e->blob_until && clock_mono_us() >= e->blob_until;
}

static void part_path(struct engine *e, const struct missing *m, char *out, size_t size)
{
	snprintf(out, size, "%s/%s.part", e->spool_dir, m->hex);
}

static int store_verified(struct engine *e, const struct missing *m, FILE *f, const char *part)
{
	unsigned char got[32], want[32];
	uint64_t size;
	size_t bl;
	sodium_hex2bin(want, 32, m->hex, 64, NULL, &bl, NULL);
	if (!engine_file_sha256(f, got, &size))
		return NET_IO;
	if (size != (uint64_t)m->size || sodium_memcmp(got, want, 32) != 0) {
		log_error("blob %.12s: SHA-256 or size mismatch (%llu bytes); discarded", m->hex,
			  (unsigned long long)size);
		spool_remove(part, f);
		return CACHE_ERR_INTEGRITY;
	}
	unsigned char *data = malloc(size);
	if (!data)
		return CACHE_ERR_NOMEM;
	rewind(f);
	int rc =
	    fread(data, 1, size, f) == size ? cache_blob_put(e->cache, m->hex, data, size) : NET_IO;
	sodium_memzero(data, size);
	free(data);
	if (rc == CACHE_OK) {
		spool_remove(part, f);
		e->blobs++;
		e->blob_bytes += (long)size;
	}
	return rc;
}

/* Below this size a blob is fetched into memory: no spool file on the happy path (the
 * common case: PDFs of tens of KiB), and still resumable, since the bytes of a broken
 * transfer are written to the spool file for the next attempt. */
#define BLOB_IN_MEMORY_MAX (1024 * 1024)

static int small_done(struct engine *e, struct missing *m, net_t *net, int rc, char *body,
		      size_t len, long status)
{
	char part[512];
	part_path(e, m, part, sizeof(part));
	if (rc == NET_OK) {
		rc = len == (size_t)m->size ? cache_blob_put(e->cache, m->hex, body, len)
					    : CACHE_ERR_INTEGRITY;
		if (rc == CACHE_OK) {
			e->blobs++;
			e->blob_bytes += (long)len;
		} else if (rc == CACHE_ERR_INTEGRITY) {
			log_error("blob %.12s: SHA-256 or size mismatch (%zu bytes); discarded",
				  m->hex, len);
		} else {
			log_error("blob %.12s: cannot store it: %s", m->hex, cache_strerror(rc));
		}
	} else {
		log_warn("blob %.12s: %s", m->hex, net_error(net));
		note_retry_after(e, net);
		if ((rc == NET_TRANSPORT || rc == NET_SLOW) && status == 200 && len > 0 &&
		    !spool_keep(part, body, len))
			log_warn("cannot keep the partial download in %s", part);
	}
	if (body)
		sodium_memzero(body, len);
	free(body);
	m->rc = rc;
	return rc;
}

static void blob_path(const struct missing *m, char *out, size_t size)
{
	snprintf(out, size, "/v1/blobs/%s", m->hex);
}

/* Starts downloads on the free connections, in the list's order. */
static void start_more(struct engine *e, net_multi_t *m, struct missing **items, int n, int *next,
		       int fatal)
{
	char path[128];
	while (!fatal && *next < n && !stopping(e) && !out_of_time(e)) {
		blob_path(items[*next], path, sizeof(path));
		if (!net_multi_start(m, path, (size_t)items[*next]->size, items[*next]))
			break;
		(*next)++;
	}
}

/* Small blobs, several in flight (one per pooled connection): while one is hashed,
 * encrypted and stored, the next ones download. Returns 0, the last non-fatal failure, or
 * a fatal one (link down), after the transfers still in flight have ended. */
static int fetch_small_list(struct engine *e, struct missing **items, int n, int *done)
{
	net_t *nets[ENGINE_POOL];
	int nn = 0, next = 0, stored = 0, failed = 0, first_fatal = 0;
	for (int i = 0; i < ENGINE_POOL; i++)
		if (e->pool[i])
			nets[nn++] = e->pool[i];
	if (nn == 0)
		nets[nn++] = e->net;
	net_multi_t *m = net_multi_create(nets, nn);
	if (!m)
		return CACHE_ERR_NOMEM;
	bool batch = cache_batch_begin(e->cache) == CACHE_OK;
	for (;;) {
		start_more(e, m, items, n, &next, first_fatal);
		if (net_multi_active(m) == 0)
			break;
		void *tag;
		net_t *net;
		char *body;
		size_t len;
		long status;
		int rc = net_multi_next(m, &tag, &net, &body, &len, &status);
		/* the freed connection asks for its next blob before this one is stored, so
		 * the server works while this thread hashes, encrypts and inserts */
		start_more(e, m, items, n, &next, first_fatal);
		rc = small_done(e, tag, net, rc, body, len, status);
		keepalive(e);
		if (rc == NET_OK) {
			(*done)++;
			if (batch && ++stored % BLOBS_PER_COMMIT == 0) {
				cache_batch_end(e->cache);
				batch = cache_batch_begin(e->cache) == CACHE_OK;
			}
		} else if (fatal(rc)) {
			/* no point starting the others now */
			if (!first_fatal)
				first_fatal = rc;
		} else {
			failed = rc;
		}
	}
	net_multi_destroy(m);
	if (batch)
		cache_batch_end(e->cache);
	if (first_fatal)
		return first_fatal;
	if (stopping(e))
		return NET_ABORTED;
	/* out of time before the end of the list */
	return next < n && out_of_time(e) ? ENGINE_AGAIN : failed;
}

static int fetch_one(struct engine *e, const struct missing *m)
{
	char part[512], path[128];
	part_path(e, m, part, sizeof(part));
	blob_path(m, path, sizeof(path));
	FILE *f = spool_open(part);
	if (!f) {
		log_error("cannot open %s: %s", part, strerror(errno));
		return NET_IO;
	}
	long have = spool_resume_at(f, (unsigned long long)m->size);
	int rc = have < 0 ? NET_IO : NET_OK;
	if (have < 0)
		have = 0;
	if (rc == NET_OK && have < m->size) {
		long status;
		if (have > 0)
			log_info("blob %.12s: resuming at byte %ld", m->hex, have);
		rc = net_download(e->net, path, f, (uint64_t)have, (uint64_t)m->size, &status);
		if (rc == NET_RANGE) {
			/* start over next time rather than trust a server that ignores ranges */
			if (!spool_wipe(f))
				log_warn("cannot empty %s", part);
		}
		if (rc != NET_OK) {
			log_warn("blob %.12s: %s", m->hex, net_error(e->net));
			note_retry_after(e, e->net);
		}
	}
	if (rc == NET_OK)
		rc = store_verified(e, m, f, part);
	fclose(f);
	return rc;
}

/* Fetches the blobs of one list: large ones (or with a partial download) through
 * resumable spool files, the others in memory, several at once. Returns 0, the last
 * non-fatal failure, or a fatal one (link down, stopping, disk); *done counts stored ones. */
static int fetch_missing(struct engine *e, struct missing_list *l, int *done)
{
	struct missing *small[MISSING_BATCH], *large[MISSING_BATCH];
	int ns = 0, nl = 0, failed = 0;
	for (int i = 0; i < l->n; i++) {
		char part[512];
		struct stat sb;
		part_path(e, &l->items[i], part, sizeof(part));
		if (l->items[i].size <= BLOB_IN_MEMORY_MAX && stat(part, &sb) != 0)
			small[ns++] = &l->items[i];
		else
			large[nl++] = &l->items[i];
	}
	for (int i = 0; i < nl; i++) {
		if (stopping(e))
			return NET_ABORTED;
		if (out_of_time(e))
			return ENGINE_AGAIN;
		int rc = large[i]->rc = fetch_one(e, large[i]);
		keepalive(e);
		if (rc == NET_OK)
			(*done)++;
		else if (fatal(rc))
			return rc;
		else
			failed = rc;
	}
	int rc = fetch_small_list(e, small, ns, done);
	return rc != 0 ? rc : failed;
}

int engine_fetch_blobs(struct engine *e)
{
	int failed = 0;
	int budget = e->blob_budget_s > 0 ? e->blob_budget_s : ENGINE_BLOB_BUDGET_S;
	long stored_before = e->blobs;
	struct failed_set *skip = calloc(1, sizeof(*skip));
	if (!skip)
		return CACHE_ERR_NOMEM;
	e->blob_until = clock_mono_us() + (int64_t)budget * 1000000;
	for (;;) {
		struct missing_list l = { .n = 0, .skip = skip };
		int done = 0, n = cache_blobs_missing(e->cache, MISSING_BATCH, add_missing, &l);
		int rc = n < 0 ? n : n == 0 ? failed : fetch_missing(e, &l, &done);
		for (int i = 0; i < l.n; i++) {
			if (l.items[i].rc >= 0 || fatal(l.items[i].rc))
				continue;
			failed = l.items[i].rc;
			if (skip->n < MISSING_BATCH)
				memcpy(skip->hex[skip->n++], l.items[i].hex, 65);
		}
		if (rc == ENGINE_AGAIN)
			log_warn("blobs: %d s spent in this pass, the most it may take; the rest "
				 "come in the next",
				 budget);
		if (rc < 0 && !fatal(rc))
			failed = rc;
		/* done == 0: nothing stored this round, the rest fail for reasons a retry now
		 * won't fix (or were skipped as failed already) */
		if (n <= 0 || fatal(rc) || rc == ENGINE_AGAIN || done == 0) {
			e->blob_until = 0;
			free(skip);
			if (n <= 0 || fatal(rc))
				return rc;
			/* out of time while blobs arrive: go on at once; while they only fail:
			 * the backoff */
			if (rc == ENGINE_AGAIN && e->blobs > stored_before)
				return ENGINE_AGAIN;
			return failed ? failed : rc == ENGINE_AGAIN ? NET_SLOW : 0;
		}
	}
}

int engine_fetch_citizen_blobs(struct engine *e, const char *nik)
{
	struct missing_list l = { .n = 0 };
	int done = 0,
	    n = cache_blobs_missing_for_nik(e->cache, nik, MISSING_BATCH, add_missing, &l);
	int rc = n <= 0 ? n : fetch_missing(e, &l, &done);
	engine_sweep_spool(e);
	return rc;
}

static bool blob_wanted(const char *hex, void *user)
{
	struct engine *e = user;
	return cache_blob_wanted(e->cache, hex);
}

/* Partial downloads of blobs nobody waits for any more (the document was collected,
 * revoked or purged mid-download, or the other thread stored the blob) would stay in the
 * spool for ever: each engine clears its own folder, where only it writes. */
void engine_sweep_spool(struct engine *e)
{
	int removed = spool_sweep(e->spool_dir, blob_wanted, e);
	if (removed)
		log_info("spool: removed %d partial downloads no document waits for", removed);
}

/* ---- heartbeat ---- */

int engine_heartbeat(struct engine *e)
{
	char cursor[CACHE_CURSOR_MAX + 1] = "", health[4096] = "", path[160];
	cache_cursor(e->cache, cursor);
	json_t *o =
	    json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "version", "adm-syncd/" ADM_VERSION,
		      "cursor", cursor, "documents", (json_int_t)cache_document_count(e->cache),
		      "outbox_pending", (json_int_t)cache_outbox_pending(e->cache),
		      "outbox_refused", (json_int_t)cache_outbox_refused(e->cache), "blobs_missing",
		      (json_int_t)cache_blobs_missing(e->cache, 100000, NULL, NULL), "time",
		      (json_int_t)time(NULL));
	if (e->content_dir)
		json_object_set_new(o, "content", engine_content_status(e));
	/* the kiosk's own health (reader, printers, paper) as it last wrote it */
	if (cache_state_get(e->cache, "health", health, sizeof(health)) == CACHE_OK) {
		json_t *h = json_loads(health, 0, NULL);
		if (json_is_object(h))
			json_object_set_new(o, "kiosk", h);
		else
			json_decref(h);
	}
	char *js = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	snprintf(path, sizeof(path), "/v1/kiosks/%s/heartbeat", e->kiosk_id);
	char *body = NULL;
	size_t len;
	long status;
	int rc = js ? net_request(e->net, path, js, 65536, &body, &len, &status) : CACHE_ERR_NOMEM;
	free(js);
	if (rc == NET_OK)
		screenshot_after_heartbeat(e->net, e->kiosk_id, e->screenshot, body, len);
	free(body);
	if (rc != NET_OK)
		log_warn("heartbeat: %s", net_error(e->net));
	return rc;
}

int engine_pass(struct engine *e)
{
	e->pages = e->records = e->blobs = e->blob_bytes = e->events = e->refused = 0;
	e->reached = false;
	e->retry_after = 0;
	int rc = engine_push_outbox(e);
	int64_t t0 = clock_mono_us(), t1 = t0, t2 = t0;
	if (rc == 0) {
		rc = engine_pull(e);
		t1 = t2 = clock_mono_us();
	}
	if (rc == 0 || rc == ENGINE_AGAIN) {
		/* a capped feed goes on in the next pass at once, whatever the blobs did: the
		 * pages still to come may hold revocations */
		int pulled = rc;
		rc = engine_fetch_blobs(e);
		if (pulled == ENGINE_AGAIN && !fatal(rc))
			rc = ENGINE_AGAIN;
		t2 = clock_mono_us();
		/* the bundle after the documents: a citizen's document comes first */
		int crc = stopping(e) ? 0 : engine_fetch_content(e);
		if (crc < 0 && (rc == 0 || rc == ENGINE_AGAIN))
			rc = crc;
	}
	/* the benchmark (tools/central/bench-sync.py) reads this line */
	if (e->records || e->blobs)
		log_info("timing: %ld records in %lld ms, %ld blobs (%ld bytes) in %lld ms",
			 e->records, (long long)(t1 - t0) / 1000, e->blobs, e->blob_bytes,
			 (long long)(t2 - t1) / 1000);
	/* purge even after a failure: what is printed or expired goes regardless */
	struct cache_purge_stats ps;
	if (cache_purge(e->cache, (int64_t)time(NULL), &ps) == CACHE_OK &&
	    (ps.documents || ps.blobs || ps.holders || ps.audit))
		log_info("purged %d documents, %d blobs, %d citizens no longer followed, %d "
			 "audit rows",
			 ps.documents, ps.blobs, ps.holders, ps.audit);
	engine_sweep_spool(e); /* after the purge: what it dropped is no longer wanted */
	if (rc == 0) {
		char t[24];
		snprintf(t, sizeof(t), "%lld", (long long)time(NULL));
		cache_state_set(e->cache, "last_sync_ok", t);
	}
	return rc;
}

/* ---- on-demand ---- */

/* A 429/503 to a lookup: the next lookup waits for its Retry-After, at most
 * lookup_wait_max_s and ENGINE_LOOKUP_WAIT_MAX_S (a server cannot make every citizen who
 * is not cached here "need the network" for long). */
static void note_lookup_wait(struct engine *e)
{
	long ra = net_retry_after(e->net), cap = ENGINE_LOOKUP_WAIT_MAX_S;
	if (e->lookup_wait_max_s > 0 && e->lookup_wait_max_s < cap)
		cap = e->lookup_wait_max_s;
	if (ra > cap)
		ra = cap;
	e->lookup_until = ra > 0 ? clock_mono_us() + (int64_t)ra * 1000000 : 0;
	log_warn("citizen lookups: the server is busy, next one in %ld s", ra);
}

int engine_serve_requests(struct engine *e, bool online)
{
	int answered = 0;
	for (;;) {
		char nik[CACHE_NIK_LEN + 1], red[LOG_REDACT_LEN];
		int64_t id = cache_fetch_take(e->cache, nik, NULL);
		if (id <= 0)
			return id < 0 ? (int)id : answered;
		enum cache_fetch_state st = CACHE_FETCH_OFFLINE;
		int rc = NET_TRANSPORT;
		/* the server said it is busy with this kiosk's lookups: not asked again before
		 * the time it gave; the kiosk has no "busy" answer, it says "needs the network" */
		bool held = e->lookup_until && clock_mono_us() < e->lookup_until;
		if (held)
			rc = NET_OK; /* not a network failure: the other requests are answered */
		if (online && !held) {
			char path[160], err[160];
			snprintf(path, sizeof(path), "/v1/kiosks/%s/citizens/%s", e->kiosk_id, nik);
			char *body;
			size_t len;
			long status;
			rc = net_request(e->net, path, NULL, PROTO_BODY_MAX, &body, &len, &status);
			struct proto_page page;
			if (rc == NET_OK) {
				if (proto_parse_changes_limited(body, len, false,
								PROTO_PAGE_MAX_CHANGES, e->limits,
								&page, err, sizeof(err)) &&
				    cache_apply_citizen(e->cache, page.changes, page.n,
							page.follow_until,
							(int64_t)time(NULL)) == CACHE_OK)
					st = CACHE_FETCH_DONE;
				else
					st = CACHE_FETCH_FAILED;
				proto_page_free(&page);
			} else if (rc == NET_HTTP && (status == 429 || status == 503)) {
				note_lookup_wait(e);
			} else if (rc == NET_HTTP) {
				st = status == 404 ? CACHE_FETCH_NOT_FOUND : CACHE_FETCH_FAILED;
			}
			free(body);
		}
		cache_fetch_answer(e->cache, id, st, (int64_t)time(NULL));
		log_info("fetch request %lld for %s: %s", (long long)id, log_redact(nik, red),
			 cache_fetch_state_name(st));
		/* The citizen is at the screen, their documents listed as downloading: their
		 * files now, not at the next pass. */
		if (st == CACHE_FETCH_DONE) {
			if (engine_fetch_citizen_blobs(e, nik) != 0)
				log_warn("fetch request %lld: not every file arrived; the next "
					 "pass tries again",
					 (long long)id);
		}
		sodium_memzero(nik, sizeof(nik));
		answered++;
		if (online && rc == NET_TRANSPORT)
			return NET_TRANSPORT; /* the rest wait for the next round */
	}
}
