/*
 * The helper thread of prefetch.h: one thread per page (a page takes milliseconds;
 * creating a thread takes microseconds, and no pool state survives a failure).
 */
#include "prefetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void run(struct prefetch *p)
{
	char *body = NULL;
	size_t len = 0;
	long status = 0;
	p->rc = net_request(p->net, p->path, NULL, PROTO_BODY_MAX, &body, &len, &status);
	if (p->rc == NET_OK)
		p->parsed = proto_parse_changes_limited(body, len, true, p->max_changes, p->limits,
							&p->page, p->err, sizeof(p->err));
	free(body);
}

static void *thread_main(void *arg)
{
	run(arg);
	return NULL;
}

void prefetch_start(struct prefetch *p, net_t *net, const char *path, size_t max_changes,
		    const struct proto_limits *limits, bool threaded)
{
	p->net = net;
	snprintf(p->path, sizeof(p->path), "%s", path);
	p->max_changes = max_changes;
	p->limits = limits;
	p->rc = NET_TRANSPORT;
	p->parsed = false;
	memset(&p->page, 0, sizeof(p->page));
	p->err[0] = '\0';
	p->started = true;
	p->threaded = threaded && pthread_create(&p->th, NULL, thread_main, p) == 0;
	if (!p->threaded)
		run(p);
}

int prefetch_wait(struct prefetch *p, struct proto_page *page, bool *ok, char *err, size_t es)
{
	memset(page, 0, sizeof(*page));
	*ok = false;
	snprintf(err, es, "nothing requested");
	if (!p->started)
		return NET_TRANSPORT;
	if (p->threaded)
		pthread_join(p->th, NULL);
	p->started = p->threaded = false;
	*page = p->page;
	memset(&p->page, 0, sizeof(p->page));
	*ok = p->parsed;
	snprintf(err, es, "%s", p->err);
	return p->rc;
}

void prefetch_discard(struct prefetch *p)
{
	struct proto_page page;
	bool ok;
	char err[8];
	prefetch_wait(p, &page, &ok, err, sizeof(err));
	proto_page_free(&page);
}
