/*
 * One HTTP request in flight on a helper thread, so that adm-syncd downloads the next
 * page while it applies the current one: on a kiosk the server's latency and
 * the local SQLite work then overlap instead of adding up. Memory stays bounded: at most
 * one prefetched body besides the one being applied.
 *
 * Threads: between prefetch_start() and prefetch_wait() the helper thread owns the net_t
 * it was given and the struct's result fields; the caller must use another net_t.
 */
#ifndef ADM_SYNC_PREFETCH_H
#define ADM_SYNC_PREFETCH_H

#include "net.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct prefetch {
	net_t *net;
	pthread_t th;
	bool threaded, started;
	char path[512];
	size_t max;
	char *body;
	size_t len;
	long status;
	int rc;
};

/* Starts the request: on a thread if threaded (synchronously if no thread can be made),
 * else right here (no second connection: nothing to overlap with). */
void prefetch_start(struct prefetch *p, net_t *net, const char *path, size_t max, bool threaded);
/* Waits for it and hands over the body (caller frees). No-op if nothing was started. */
int prefetch_wait(struct prefetch *p, char **body, size_t *len, long *status);
/* Waits and throws the result away (error paths). */
void prefetch_discard(struct prefetch *p);

#endif
