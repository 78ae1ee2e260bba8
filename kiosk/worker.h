/*
 * A worker thread with a queue of jobs, so that slow work (argon2id PIN checks, SQLite,
 * PDF decryption) never runs on the UI thread. Jobs run one after another, in order; each
 * reports back through app_post(). The queue owns each job's data until it has run.
 */
#ifndef ADM_WORKER_H
#define ADM_WORKER_H

#include <stdbool.h>
#include <stddef.h>

struct worker;

typedef void (*worker_fn)(void *ctx, void *data);

/* Starts the thread; name shows in ps/top (at most 15 characters). NULL on failure. */
struct worker *worker_create(const char *name);
/* Runs the jobs already queued, then stops and joins the thread. NULL is fine. */
void worker_destroy(struct worker *w);
/*
 * Queues fn(ctx, data). data (len bytes) is copied, handed to fn, then wiped and freed:
 * jobs often carry a NIK or a PIN. False if out of memory.
 */
bool worker_submit(struct worker *w, worker_fn fn, void *ctx, const void *data, size_t len);

#endif
