/*
 * One synchronisation pass of adm-syncd, and its parts: push the outbox, pull the
 * changes feed page by page (each page and its cursor in one cache transaction), fetch
 * missing blobs with resume and verify them, purge, send a heartbeat; and answering the
 * kiosk's on-demand fetch requests. Main loop, signals and systemd are in main.c.
 *
 * Threads: an engine (cache handle + curl handle) belongs to one thread. adm-syncd runs
 * two: the main thread's engine syncs; a second engine only answers fetch requests, so
 * that a citizen at the screen never waits behind a long initial sync.
 */
#ifndef ADM_SYNC_ENGINE_H
#define ADM_SYNC_ENGINE_H

#include "cache.h"
#include "net.h"
#include "proto.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define ENGINE_POOL 3

struct engine {
	cache_t *cache;
	net_t *net;
	/* optional further connections: the next page downloads on pool[0] while one is
	 * applied; blobs download on all of them at once (net_multi) */
	net_t *pool[ENGINE_POOL];
	const char *kiosk_id;
	const char *spool_dir; /* partial blob downloads, resumable across restarts */
	/* content bundles (issue 12, content.c): the kiosk's store folder (NULL: no content
	 * delivery) and the kiosk's region code ("32.73"), required with it */
	const char *content_dir, *region;
	int page_limit;
	/* A pass ends its feed after max_pages pages (a server answering "more" for ever,
	 * or a long backlog) and its blob phase after blob_budget_s seconds (however slow
	 * the server), so that the rest of the pass (blobs, purge, heartbeat; the next pages
	 * with their revocations) always comes. 0: ENGINE_MAX_PAGES, ENGINE_BLOB_BUDGET_S. */
	int max_pages, blob_budget_s;
	const struct proto_limits *limits; /* what feed records may hold; NULL: defaults */
	volatile int *stop;
	void (*keepalive)(void); /* called between steps (watchdog pings) */
	const char *screenshot;	 /* --screenshot: the PNG adm-kiosk writes when asked */
	/* counters of the last pass, for logs and the heartbeat */
	long pages, records, blobs, blob_bytes, events;
	long refused;	    /* events the server refused for good in the last pass */
	bool reached;	    /* the last pass read the feed (the server is there) */
	long retry_after;   /* seconds a 429/503 of the last pass asked to wait, or 0 */
	int64_t blob_until; /* internal: the blob phase's end (monotonic µs), 0 for none */
	/* on-demand lookups: a 429/503's Retry-After holds the next lookup until lookup_until
	 * (monotonic µs, internal), capped at lookup_wait_max_s (0: ENGINE_LOOKUP_WAIT_MAX_S) */
	int lookup_wait_max_s;
	int64_t lookup_until;
};

#define ENGINE_MAX_PAGES	 2000
#define ENGINE_BLOB_BUDGET_S	 600
#define ENGINE_LOOKUP_WAIT_MAX_S 60
/* engine_pull / engine_fetch_blobs / engine_pass: stopped at a cap with nothing failed;
 * the next pass should come at once. */
#define ENGINE_AGAIN 1

/* Each returns 0 on success, ENGINE_AGAIN, or a negative net_result / cache_err (their
 * ranges are disjoint: net_strerror() names either). */
int engine_push_outbox(struct engine *e);
int engine_pull(struct engine *e);
int engine_fetch_blobs(struct engine *e);
/* Removes the spool's partial downloads of blobs no document waits for. */
void engine_sweep_spool(struct engine *e);
/* Only the missing blobs of one citizen's documents (after an on-demand fetch). */
int engine_fetch_citizen_blobs(struct engine *e, const char *nik);
int engine_heartbeat(struct engine *e);
/* Content bundles (content.c): asks for the newest bundle of this kiosk's scope, downloads
 * it into the spool with resume and installs it into the store at content_dir. 0 also when
 * there was nothing to do or the bundle was refused (remembered: not downloaded again);
 * a negative net_result when the download or the store failed for now. */
int engine_fetch_content(struct engine *e);
/* The heartbeat's "content" object: the active bundle and the last refusal. */
json_t *engine_content_status(struct engine *e);
/* SHA-256 and length of a whole file, read in 64 KiB steps from its start. */
bool engine_file_sha256(FILE *f, unsigned char out[32], uint64_t *size);
/* push + pull + blobs + content + purge: 0 only when everything is up to date; ENGINE_AGAIN when a
 * cap ended it early. A blob that fails (bad hash, too slow, refused) fails alone: the
 * others are still fetched and the pass goes on. */
int engine_pass(struct engine *e);
/* Answers pending fetch requests. online=false answers "offline" without trying. Returns
 * the number answered, or a negative error when the network failed. */
int engine_serve_requests(struct engine *e, bool online);

#endif
