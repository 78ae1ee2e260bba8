/*
 * libcurl transport of adm-syncd. One easy handle is reused so that connections (and TLS
 * sessions) are kept alive across pages. Limits are enforced while bytes arrive, not
 * after, so a hostile or broken server cannot make the kiosk allocate more than it asked
 * for.
 */
#include "net.h"

#include "log.h"

#include <curl/curl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct net {
	CURL *h;
	struct curl_slist *headers;
	char *base;
	long timeout_s;
	long blob_min_speed, blob_stall_s, blob_deadline_rate;
	long retry_after;
	volatile int *abort_flag;
	void (*keepalive)(void);
	char errbuf[CURL_ERROR_SIZE];
	char last[CURL_ERROR_SIZE + 64];
};

struct sink {
	char *buf;
	size_t len, cap, max;
	FILE *f;
	uint64_t written, room;
	bool too_big, io_error;
};

static size_t on_data(char *p, size_t sz, size_t n, void *user)
{
	struct sink *s = user;
	size_t len = sz * n;
	if (s->f) {
		if (s->written + len > s->room) {
			s->too_big = true;
			return 0;
		}
		if (fwrite(p, 1, len, s->f) != len) {
			s->io_error = true;
			return 0;
		}
		s->written += len;
		return len;
	}
	if (s->len + len > s->max) {
		s->too_big = true;
		return 0; /* curl stops with CURLE_WRITE_ERROR */
	}
	if (s->len + len + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 16384;
		while (cap < s->len + len + 1)
			cap *= 2;
		char *b = realloc(s->buf, cap);
		if (!b)
			return 0;
		s->buf = b;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, p, len);
	s->len += len;
	s->buf[s->len] = '\0';
	return len;
}

static int on_progress(void *user, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	net_t *n = user;
	if (n->keepalive)
		n->keepalive();
	return n->abort_flag && *n->abort_flag ? 1 : 0;
}

const char *net_strerror(int err)
{
	switch (err) {
	case NET_OK:
		return "ok";
	case NET_HTTP:
		return "the server answered with an error";
	case NET_TRANSPORT:
		return "no connection to the server";
	case NET_TOO_BIG:
		return "the answer is larger than the limit";
	case NET_IO:
		return "cannot write a download to disk";
	case NET_ABORTED:
		return "stopped";
	case NET_RANGE:
		return "the server did not honour a range";
	case NET_SLOW:
		return "the transfer was too slow or passed its deadline";
	}
	return cache_strerror(err);
}

bool net_url_ok(const char *base, char *err, size_t es)
{
	/* By the parts curl itself will use: a prefix test on the string let
	 * "http://127.0.0.1:x@10.20.30.40" through, a user name and password in front of
	 * another host, and the token went there in clear. */
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *user = NULL, *password = NULL, *query = NULL,
	     *fragment = NULL;
	bool ok = false;
	if (!u || curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		snprintf(err, es, "the server URL is not a URL (expected https://HOST[:PORT])");
		goto out;
	}
	curl_url_get(u, CURLUPART_USER, &user, 0);
	curl_url_get(u, CURLUPART_PASSWORD, &password, 0);
	curl_url_get(u, CURLUPART_QUERY, &query, 0);
	curl_url_get(u, CURLUPART_FRAGMENT, &fragment, 0);
	if (user || password)
		snprintf(err, es, "the server URL must not hold a user name or password");
	else if (query || fragment)
		snprintf(err, es, "the server URL must not hold a query or fragment");
	else if (strcmp(scheme, "https") == 0)
		ok = true;
	else if (strcmp(scheme, "http") == 0 &&
		 (strcmp(host, "127.0.0.1") == 0 || strcmp(host, "localhost") == 0 ||
		  strcmp(host, "[::1]") == 0))
		ok = true;
	else
		snprintf(err, es, "the server URL must be https:// (plain http only to loopback)");
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_free(password);
	curl_free(query);
	curl_free(fragment);
	curl_url_cleanup(u);
	return ok;
}

net_t *net_create(const struct net_options *o, char *err, size_t es)
{
	net_t *n = calloc(1, sizeof(*n));
	char auth[300];
	if (!n)
		return NULL;
	if (!net_url_ok(o->base_url, err, es))
		goto fail;
	if (!o->token || !o->token[0] || strlen(o->token) > 256 || strpbrk(o->token, "\r\n")) {
		snprintf(err, es, "a kiosk token (1..256 characters, one line) is required");
		goto fail;
	}
	n->base = strdup(o->base_url);
	n->h = curl_easy_init();
	if (!n->base || !n->h) {
		snprintf(err, es, "out of memory");
		goto fail;
	}
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", o->token);
	n->headers = curl_slist_append(NULL, auth);
	n->headers = curl_slist_append(n->headers, "Accept: application/json");
	explicit_bzero(auth, sizeof(auth));
	n->timeout_s = o->timeout_s > 0 ? o->timeout_s : 30;
	n->abort_flag = o->abort_flag;
	n->keepalive = o->keepalive;
	n->blob_min_speed = o->blob_min_speed > 0 ? o->blob_min_speed : 1024;
	n->blob_stall_s = o->blob_stall_s > 0 ? o->blob_stall_s : 30;
	n->blob_deadline_rate = o->blob_deadline_rate > 0 ? o->blob_deadline_rate : 32 * 1024;

	CURL *h = n->h;
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, n->headers);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, n->errbuf);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT,
			 o->connect_timeout_s > 0 ? o->connect_timeout_s : 10L);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "gzip");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, n);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "adm-syncd/1");
	/* Verification is not optional: there is deliberately no switch to turn it off. */
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, o->ca_file);
	if (o->pinned_key)
		curl_easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, o->pinned_key);
	if (o->client_cert)
		curl_easy_setopt(h, CURLOPT_SSLCERT, o->client_cert);
	if (o->client_key)
		curl_easy_setopt(h, CURLOPT_SSLKEY, o->client_key);
	return n;
fail:
	net_destroy(n);
	return NULL;
}

void net_destroy(net_t *n)
{
	if (!n)
		return;
	if (n->h)
		curl_easy_cleanup(n->h);
	curl_slist_free_all(n->headers);
	free(n->base);
	free(n);
}

const char *net_error(net_t *n)
{
	return n->last;
}

long net_retry_after(net_t *n)
{
	return n->retry_after;
}

static int finish(net_t *n, CURLcode rc, struct sink *s, long *status)
{
	*status = 0;
	n->retry_after = 0;
	curl_easy_getinfo(n->h, CURLINFO_RESPONSE_CODE, status);
	if (*status == 429 || *status == 503) {
		/* seconds or an HTTP date: curl reads both */
		curl_off_t ra = 0;
		if (curl_easy_getinfo(n->h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
			n->retry_after = ra > 86400 * 365 ? 86400 * 365 : (long)ra;
	}
	if (n->abort_flag && *n->abort_flag) {
		snprintf(n->last, sizeof(n->last), "aborted");
		return NET_ABORTED;
	}
	if (s->too_big) {
		snprintf(n->last, sizeof(n->last), "answer larger than the limit");
		return NET_TOO_BIG;
	}
	if (s->io_error) {
		snprintf(n->last, sizeof(n->last), "cannot write the download to disk");
		return NET_IO;
	}
	if (rc == CURLE_RANGE_ERROR) {
		snprintf(n->last, sizeof(n->last), "server did not honour the range");
		return NET_RANGE;
	}
	if (rc != CURLE_OK) {
		snprintf(n->last, sizeof(n->last), "%s: %s", curl_easy_strerror(rc),
			 n->errbuf[0] ? n->errbuf : "-");
		/* the server answered and then trickled: that transfer, not the link, failed */
		return rc == CURLE_OPERATION_TIMEDOUT && *status != 0 ? NET_SLOW : NET_TRANSPORT;
	}
	if (*status == 416) {
		snprintf(n->last, sizeof(n->last), "HTTP 416");
		return NET_RANGE;
	}
	if (*status < 200 || *status > 299) {
		snprintf(n->last, sizeof(n->last), "HTTP %ld", *status);
		return NET_HTTP;
	}
	n->last[0] = '\0';
	return NET_OK;
}

/* A JSON answer must come whole within timeout_s; a blob may take long, but no longer
 * than its size allows, and never crawl. */
static void set_limits(net_t *n, uint64_t blob_bytes)
{
	if (!blob_bytes) {
		curl_easy_setopt(n->h, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(n->h, CURLOPT_LOW_SPEED_TIME, n->timeout_s);
		curl_easy_setopt(n->h, CURLOPT_TIMEOUT, n->timeout_s);
		return;
	}
	uint64_t ms =
	    (uint64_t)n->blob_stall_s * 1000 + blob_bytes * 1000 / (uint64_t)n->blob_deadline_rate;
	curl_easy_setopt(n->h, CURLOPT_LOW_SPEED_LIMIT, n->blob_min_speed);
	curl_easy_setopt(n->h, CURLOPT_LOW_SPEED_TIME, n->blob_stall_s);
	curl_easy_setopt(n->h, CURLOPT_TIMEOUT_MS, (long)(ms < LONG_MAX ? ms : LONG_MAX));
}

static void set_url(net_t *n, const char *path)
{
	char url[1024];
	snprintf(url, sizeof(url), "%s%s", n->base, path);
	curl_easy_setopt(n->h, CURLOPT_URL, url);
	n->errbuf[0] = '\0';
}

int net_request(net_t *n, const char *path, const char *json, size_t max, char **body, size_t *len,
		long *status)
{
	struct sink s = { .max = max };
	struct curl_slist *h = NULL;
	*body = NULL;
	*len = 0;
	set_url(n, path);
	curl_easy_setopt(n->h, CURLOPT_WRITEDATA, &s);
	set_limits(n, 0);
	curl_easy_setopt(n->h, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)0);
	curl_easy_setopt(n->h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
	if (json) {
		h = curl_slist_append(NULL, "Content-Type: application/json");
		for (struct curl_slist *i = n->headers; i; i = i->next)
			h = curl_slist_append(h, i->data);
		curl_easy_setopt(n->h, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(n->h, CURLOPT_POSTFIELDS, json);
	} else {
		curl_easy_setopt(n->h, CURLOPT_HTTPGET, 1L);
	}
	CURLcode rc = curl_easy_perform(n->h);
	if (json) {
		curl_easy_setopt(n->h, CURLOPT_HTTPHEADER, n->headers);
		curl_easy_setopt(n->h, CURLOPT_POSTFIELDS, NULL);
		curl_easy_setopt(n->h, CURLOPT_HTTPGET, 1L);
		curl_slist_free_all(h);
	}
	if (rc == CURLE_FILESIZE_EXCEEDED)
		s.too_big = true;
	int r = finish(n, rc, &s, status);
	if (r == NET_OK || r == NET_HTTP) {
		*body = s.buf ? s.buf : strdup("");
		*len = s.len;
	} else {
		free(s.buf);
	}
	return r;
}

int net_download(net_t *n, const char *path, FILE *f, uint64_t offset, uint64_t max_total,
		 long *status)
{
	if (offset > max_total)
		return NET_RANGE;
	struct sink s = { .f = f, .room = max_total - offset };
	set_url(n, path);
	curl_easy_setopt(n->h, CURLOPT_WRITEDATA, &s);
	set_limits(n, max_total > offset ? max_total - offset : 1);
	curl_easy_setopt(n->h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(n->h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max_total);
	curl_easy_setopt(n->h, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)offset);
	CURLcode rc = curl_easy_perform(n->h);
	curl_easy_setopt(n->h, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)0);
	if (fflush(f) != 0)
		s.io_error = true;
	if (rc == CURLE_FILESIZE_EXCEEDED)
		s.too_big = true;
	int r = finish(n, rc, &s, status);
	/* a 200 to a ranged request would append the whole file after our part */
	if (r == NET_OK && offset > 0 && *status != 206)
		r = NET_RANGE;
	return r;
}

/* ---- several transfers from one thread ---- */

struct net_multi {
	CURLM *m;
	int n, active;
	struct net_slot {
		net_t *net;
		struct sink s;
		void *tag;
		bool busy;
	} slot[];
};

net_multi_t *net_multi_create(net_t *const *nets, int n)
{
	net_multi_t *m = calloc(1, sizeof(*m) + (size_t)n * sizeof(m->slot[0]));
	if (!m || !(m->m = curl_multi_init())) {
		free(m);
		return NULL;
	}
	m->n = n;
	for (int i = 0; i < n; i++)
		m->slot[i].net = nets[i];
	return m;
}

void net_multi_destroy(net_multi_t *m)
{
	if (!m)
		return;
	for (int i = 0; i < m->n; i++) {
		if (m->slot[i].busy) {
			curl_multi_remove_handle(m->m, m->slot[i].net->h);
			free(m->slot[i].s.buf);
		}
	}
	curl_multi_cleanup(m->m);
	free(m);
}

bool net_multi_start(net_multi_t *m, const char *path, size_t max, void *tag)
{
	for (int i = 0; i < m->n; i++) {
		struct net_slot *sl = &m->slot[i];
		if (sl->busy)
			continue;
		net_t *n = sl->net;
		sl->s = (struct sink){ .max = max };
		sl->tag = tag;
		set_url(n, path);
		curl_easy_setopt(n->h, CURLOPT_WRITEDATA, &sl->s);
		set_limits(n, max ? max : 1);
		curl_easy_setopt(n->h, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(n->h, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)0);
		curl_easy_setopt(n->h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
		if (curl_multi_add_handle(m->m, n->h) != CURLM_OK)
			return false;
		sl->busy = true;
		m->active++;
		/* send the request now, not at the next wait: the caller may be busy first */
		int running;
		curl_multi_perform(m->m, &running);
		return true;
	}
	return false;
}

int net_multi_active(const net_multi_t *m)
{
	return m->active;
}

int net_multi_next(net_multi_t *m, void **tag, net_t **net, char **body, size_t *len, long *status)
{
	if (m->active == 0)
		return NET_TRANSPORT;
	for (;;) {
		int running, left;
		CURLMsg *msg;
		curl_multi_perform(m->m, &running);
		while ((msg = curl_multi_info_read(m->m, &left))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			for (int i = 0; i < m->n; i++) {
				struct net_slot *sl = &m->slot[i];
				if (!sl->busy || sl->net->h != msg->easy_handle)
					continue;
				CURLcode rc = msg->data.result;
				curl_multi_remove_handle(m->m, sl->net->h);
				sl->busy = false;
				m->active--;
				if (rc == CURLE_FILESIZE_EXCEEDED)
					sl->s.too_big = true;
				*tag = sl->tag;
				*net = sl->net;
				*body = sl->s.buf;
				*len = sl->s.len;
				sl->s.buf = NULL;
				return finish(sl->net, rc, &sl->s, status);
			}
		}
		/* the progress callback aborts transfers on SIGTERM; a signal also ends the
		 * poll early */
		if (curl_multi_poll(m->m, NULL, 0, 1000, NULL) != CURLM_OK)
			break;
	}
	/* curl cannot wait any more (out of memory): give up the first transfer */
	for (int i = 0; i < m->n; i++) {
		struct net_slot *sl = &m->slot[i];
		if (!sl->busy)
			continue;
		curl_multi_remove_handle(m->m, sl->net->h);
		sl->busy = false;
		m->active--;
		snprintf(sl->net->last, sizeof(sl->net->last), "curl cannot wait for the transfer");
		*tag = sl->tag;
		*net = sl->net;
		*body = sl->s.buf;
		*len = sl->s.len;
		*status = 0;
		sl->s.buf = NULL;
		break;
	}
	return NET_TRANSPORT;
}

int net_post(net_t *n, const char *path, const char *type, const void *data, size_t len,
	     long *status)
{
	struct sink s = { .max = 4096 };
	char ct[96];
	snprintf(ct, sizeof(ct), "Content-Type: %s", type);
	struct curl_slist *h = curl_slist_append(NULL, ct);
	for (struct curl_slist *i = n->headers; i; i = i->next)
		h = curl_slist_append(h, i->data);
	set_url(n, path);
	curl_easy_setopt(n->h, CURLOPT_WRITEDATA, &s);
	set_limits(n, 0);
	curl_easy_setopt(n->h, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)0);
	curl_easy_setopt(n->h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)s.max);
	curl_easy_setopt(n->h, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(n->h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(n->h, CURLOPT_POSTFIELDS, data);
	CURLcode rc = curl_easy_perform(n->h);
	curl_easy_setopt(n->h, CURLOPT_HTTPHEADER, n->headers);
	curl_easy_setopt(n->h, CURLOPT_POSTFIELDS, NULL);
	curl_easy_setopt(n->h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)-1);
	curl_easy_setopt(n->h, CURLOPT_HTTPGET, 1L);
	curl_slist_free_all(h);
	if (rc == CURLE_FILESIZE_EXCEEDED)
		s.too_big = true;
	int r = finish(n, rc, &s, status);
	free(s.buf);
	return r;
}
