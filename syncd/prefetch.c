/*
 * The helper thread of prefetch.h: one thread per request (a page takes
 * milliseconds; creating a thread takes microseconds, and no pool state survives a
 * failure).
 */
#include "prefetch.h"

#include <stdio.h>
#include <stdlib.h>

static void run(struct prefetch *p)
{
	p->rc = net_request(p->net, p->path, NULL, p->max, &p->body, &p->len, &p->status);
}

static void *thread_main(void *arg)
{
	run(arg);
	return NULL;
}

void prefetch_start(struct prefetch *p, net_t *net, const char *path, size_t max, bool threaded)
{
	p->net = net;
	snprintf(p->path, sizeof(p->path), "%s", path);
	p->max = max;
	p->body = NULL;
	p->len = 0;
	p->status = 0;
	p->started = true;
	p->threaded = threaded && pthread_create(&p->th, NULL, thread_main, p) == 0;
	if (!p->threaded)
		run(p);
}

int prefetch_wait(struct prefetch *p, char **body, size_t *len, long *status)
{
	if (!p->started) {
		*body = NULL;
		*len = 0;
		*status = 0;
		return NET_TRANSPORT;
	}
	if (p->threaded)
		pthread_join(p->th, NULL);
	p->started = p->threaded = false;
	*body = p->body;
	*len = p->len;
	*status = p->status;
	p->body = NULL;
	return p->rc;
}

void prefetch_discard(struct prefetch *p)
{
	char *body;
	size_t len;
	long status;
	prefetch_wait(p, &body, &len, &status);
	free(body);
}
