/*
 * adm-central's HTTP(S) plumbing on libmicrohttpd: the daemon (TLS, client certificates,
 * a bound on connections per client address), the life of a request, and the answers.
 * What the server says lives in sites, each serving one URL prefix: the sync protocol's
 * /v1/ (sync_api.c) today; office pages and content publishing (issue 12) add theirs.
 *
 * A request reaches its site twice: begin() with the headers only, before a single byte
 * of a body is read, so that credentials are checked first and a refused client cannot
 * make the server read (or hold) its upload; then finish() with the whole body.
 *
 * Threads: libmicrohttpd runs one thread per connection; a request and its site state
 * belong to that thread.
 */
#ifndef ADM_CENTRAL_HTTP_H
#define ADM_CENTRAL_HTTP_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

struct http_req {
	struct MHD_Connection *c;
	const char *url, *method;
	const char *body; /* "" until the body is in; NUL-terminated */
	size_t len;
	void *state; /* the site's, released by its done() */
	bool answered;
	/* http.c's */
	const struct http_site *site;
	char *buf;
	size_t max;
};

struct http_site {
	const char *prefix; /* the URLs it serves */
	void *cls;
	/* Headers only. Either answers (http_answer_*: r->answered) or returns MHD_YES with
	 * *body_max the largest body it takes (0 for none); a larger Content-Length is
	 * refused with 413 before it is read, and so is a longer body when it comes. */
	enum MHD_Result (*begin)(void *cls, struct http_req *r, size_t *body_max);
	/* The whole body is in: answer. */
	enum MHD_Result (*finish)(void *cls, struct http_req *r);
	void (*done)(void *state);
};

struct http_options {
	const char *addr;		/* IPv4 */
	int port;			/* 0: any free port */
	const char *cert_pem, *key_pem; /* TLS when both set */
	const char *trust_pem;		/* ask every client for a certificate from these */
	unsigned per_address;		/* connections at once from one client address */
	unsigned timeout_s;		/* an idle connection is closed after it */
};

struct http_server;

/* Starts serving sites (terminated by one with prefix NULL; they must outlive the server).
 * NULL if the address cannot be used. */
struct http_server *http_start(const struct http_options *o, const struct http_site *sites);
unsigned http_port(const struct http_server *s);
void http_stop(struct http_server *s);

/* The answer to r, data (malloc'ed, taken over even on failure) as it is. cut_at (close
 * the connection after that many bytes) and delay_ms (wait before the first byte) are for
 * fault modes; 0 for neither. */
enum MHD_Result http_answer(struct http_req *r, unsigned status, char *data, size_t len,
			    const char *type, size_t cut_at, int delay_ms);
/* JSON (malloc'ed, taken over), gzip'ed when the client accepts it; cut: close the
 * connection half way (fault mode). */
enum MHD_Result http_answer_json(struct http_req *r, unsigned status, char *s, bool cut,
				 int delay_ms);
/* {"error": {"code": ..., "message": ...}}, with Retry-After when retry_after_s > 0. */
enum MHD_Result http_answer_error(struct http_req *r, unsigned status, const char *code,
				  const char *msg, int retry_after_s);
/* The same for a response the site built itself (headers of its own). */
struct MHD_Response *http_response(char *data, size_t len, size_t cut_at, int delay_ms);
/* Fault mode trickle: 64 bytes, then a pause of trickle_ms, to the end. */
struct MHD_Response *http_response_trickle(char *data, size_t len, int trickle_ms);
enum MHD_Result http_queue(struct http_req *r, unsigned status, struct MHD_Response *resp);

/* The bearer token of the request, or NULL. */
const char *http_bearer(const struct http_req *r);
/* The subject CN of the client's certificate if it verifies against the trust list (chain,
 * dates, fitness for TLS client authentication) and is a name of the id alphabet; else
 * false with why set. */
bool http_peer_cn(const struct http_req *r, char *cn, size_t cn_size, const char **why);

#endif
