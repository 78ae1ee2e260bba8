/*
 * The next page of the changes feed, requested and parsed on a helper thread, so that
 * adm-syncd downloads and validates page N+1 while it applies page N: the server's
 * latency, the JSON parsing (a third of adm-syncd's CPU on an initial sync) and the local
 * SQLite work then overlap instead of adding up. Memory stays bounded: at most one
 * prefetched page besides the one being applied.
 *
 * Threads: between prefetch_start() and prefetch_wait() the helper thread owns the net_t
 * it was given and the struct's result fields; the caller must use another net_t. The
 * parser (proto.c, jansson) keeps no state between calls, so that it runs on either
 * thread.
 */
#ifndef ADM_SYNC_PREFETCH_H
#define ADM_SYNC_PREFETCH_H

#include "net.h"
#include "proto.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct prefetch {
	net_t *net;
	pthread_t th;
	bool threaded, started;
	char path[512];
	size_t max_changes;
	const struct proto_limits *limits;
	/* results */
	int rc;
	bool parsed; /* rc NET_OK and the body a valid page: page holds it */
	struct proto_page page;
	char err[200]; /* why the body was refused (rc NET_OK, !parsed) */
};

/* Starts the request of path and the parsing of its answer as a page of at most
 * max_changes changes: on a thread if threaded (synchronously if no thread can be made),
 * else right here (no second connection: nothing to overlap with). */
void prefetch_start(struct prefetch *p, net_t *net, const char *path, size_t max_changes,
		    const struct proto_limits *limits, bool threaded);
/* Waits for it; returns the request's net_result (NET_TRANSPORT if nothing was started).
 * On NET_OK, *ok says whether the body parsed as a page, and err why not; *page is the
 * caller's in every case (proto_page_free). */
int prefetch_wait(struct prefetch *p, struct proto_page *page, bool *ok, char *err, size_t es);
/* Waits and throws the result away (error paths). */
void prefetch_discard(struct prefetch *p);

#endif
