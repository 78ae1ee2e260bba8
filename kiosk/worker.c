/*
 * DESIGN. One thread, one FIFO of jobs guarded by a mutex; the thread sleeps on a
 * condition variable while the queue is empty. worker_destroy() sets `stopping`, wakes the
 * thread, which drains the queue and returns. The job data belongs to the queue from
 * submit until the job has run, then it is wiped and freed by the worker thread.
 */
#include "worker.h"

#include "log.h"

#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

struct job {
	struct job *next;
	worker_fn fn;
	void *ctx;
	size_t len;
	unsigned char data[];
};

struct worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct job *head, *tail;
	bool stopping;
};

static void *run(void *arg)
{
	struct worker *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->wake, &w->lock);
		struct job *j = w->head;
		if (!j)
			break; /* stopping, and nothing left */
		w->head = j->next;
		if (!w->head)
			w->tail = NULL;
		pthread_mutex_unlock(&w->lock);
		j->fn(j->ctx, j->data);
		sodium_memzero(j->data, j->len);
		free(j);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct worker *worker_create(const char *name)
{
	struct worker *w = calloc(1, sizeof(*w));
	sigset_t all, old;

	if (!w)
		return NULL;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	/* Signals belong to the UI thread's loop: the worker blocks them all. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&w->thread, NULL, run, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_error("cannot start worker thread %s", name);
		pthread_cond_destroy(&w->wake);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return NULL;
	}
	pthread_setname_np(w->thread, name);
	return w;
}

void worker_destroy(struct worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

bool worker_submit(struct worker *w, worker_fn fn, void *ctx, const void *data, size_t len)
{
	struct job *j = malloc(sizeof(*j) + len);

	if (!j)
		return false;
	j->next = NULL;
	j->fn = fn;
	j->ctx = ctx;
	j->len = len;
	if (len)
		memcpy(j->data, data, len);
	pthread_mutex_lock(&w->lock);
	if (w->tail)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	return true;
}
