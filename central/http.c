/*
 * adm-central's HTTP(S) plumbing (http.h): libmicrohttpd's daemon and callbacks, request
 * bodies, answers (gzip for JSON, JSON errors, the slow and cut bodies of fault modes) and
 * TLS client certificates.
 */
#include "http.h"

#include "request.h"

#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

struct http_server {
	struct MHD_Daemon *d;
	const struct http_site *sites;
};

/* ---- answers ---- */

struct body {
	char *data;
	size_t len;
	size_t cut_at; /* close the connection after this many bytes */
	int delay_ms;
	int trickle_ms; /* fault mode trickle: 64 bytes, then this long a pause */
};

static ssize_t body_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct body *b = cls;
	if (b->trickle_ms) {
		struct timespec ts = { b->trickle_ms / 1000, (b->trickle_ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
		max = max < 64 ? max : 64;
	}
	if (b->delay_ms) {
		struct timespec ts = { b->delay_ms / 1000, (b->delay_ms % 1000) * 1000000L };
		b->delay_ms = 0;
		nanosleep(&ts, NULL);
	}
	if (pos >= b->cut_at)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	size_t end = b->cut_at < b->len ? b->cut_at : b->len;
	if (pos >= end)
		return MHD_CONTENT_READER_END_OF_STREAM;
	size_t n = end - pos < max ? end - pos : max;
	memcpy(buf, b->data + pos, n);
	return (ssize_t)n;
}

static void body_free(void *cls)
{
	struct body *b = cls;
	free(b->data);
	free(b);
}

static struct MHD_Response *response(char *data, size_t len, size_t cut_at, int delay_ms,
				     int trickle_ms)
{
	struct body *b = calloc(1, sizeof(*b));
	if (!b) {
		free(data);
		return NULL;
	}
	b->data = data;
	b->len = len;
	b->cut_at = cut_at ? cut_at : len;
	b->delay_ms = delay_ms;
	b->trickle_ms = trickle_ms;
	struct MHD_Response *r =
	    MHD_create_response_from_callback(len, 64 * 1024, body_read, b, body_free);
	if (!r)
		body_free(b);
	return r;
}

struct MHD_Response *http_response(char *data, size_t len, size_t cut_at, int delay_ms)
{
	return response(data, len, cut_at, delay_ms, 0);
}

struct MHD_Response *http_response_trickle(char *data, size_t len, int trickle_ms)
{
	return response(data, len, 0, 0, trickle_ms);
}

enum MHD_Result http_queue(struct http_req *r, unsigned status, struct MHD_Response *resp)
{
	if (!resp)
		return MHD_NO;
	enum MHD_Result ret = MHD_queue_response(r->c, status, resp);
	MHD_destroy_response(resp);
	r->answered = ret == MHD_YES;
	return ret;
}

enum MHD_Result http_answer(struct http_req *r, unsigned status, char *data, size_t len,
			    const char *type, size_t cut_at, int delay_ms)
{
	struct MHD_Response *resp = http_response(data, len, cut_at, delay_ms);
	if (resp)
		MHD_add_response_header(resp, "Content-Type", type);
	return http_queue(r, status, resp);
}

enum MHD_Result http_answer_error(struct http_req *r, unsigned status, const char *code,
				  const char *msg, int retry_after_s)
{
	json_t *o = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", msg);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	struct MHD_Response *resp = http_response(s, s ? strlen(s) : 0, 0, 0);
	if (resp) {
		char secs[16];
		MHD_add_response_header(resp, "Content-Type", "application/json");
		snprintf(secs, sizeof(secs), "%d", retry_after_s);
		if (retry_after_s > 0)
			MHD_add_response_header(resp, "Retry-After", secs);
	}
	return http_queue(r, status, resp);
}

static bool gzip_buf(const char *in, size_t len, char **out, size_t *out_len)
{
	z_stream z = { 0 };
	/* level 1: JSON pages compress ~4x even so, and the server stays off the critical
	 * path of a kiosk's initial sync (level 6 cost 20% of the sync's wall time) */
	if (deflateInit2(&z, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return false;
	size_t cap = deflateBound(&z, len);
	char *buf = malloc(cap);
	if (!buf) {
		deflateEnd(&z);
		return false;
	}
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)buf;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	*out_len = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(buf);
		return false;
	}
	*out = buf;
	return true;
}

enum MHD_Result http_answer_json(struct http_req *r, unsigned status, char *s, bool cut,
				 int delay_ms)
{
	size_t len = s ? strlen(s) : 0;
	const char *ae = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, "Accept-Encoding");
	char *z;
	size_t zlen;
	if (s && ae && strstr(ae, "gzip") && len > 512 && gzip_buf(s, len, &z, &zlen)) {
		free(s);
		struct MHD_Response *resp = http_response(z, zlen, cut ? zlen / 2 : 0, delay_ms);
		if (resp) {
			MHD_add_response_header(resp, "Content-Type", "application/json");
			MHD_add_response_header(resp, "Content-Encoding", "gzip");
		}
		return http_queue(r, status, resp);
	}
	return http_answer(r, status, s, len, "application/json", cut ? len / 2 : 0, delay_ms);
}

/* ---- credentials ---- */

const char *http_bearer(const struct http_req *r)
{
	const char *a = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, "Authorization");
	return a && strncmp(a, "Bearer ", 7) == 0 ? a + 7 : NULL;
}

/* libmicrohttpd only asks for a certificate (GNUTLS_CERT_REQUEST), so the handshake
 * succeeds without one and the kiosk gets a JSON 401 it can log. */
bool http_peer_cn(const struct http_req *r, char *cn, size_t cn_size, const char **why)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(r->c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	gnutls_session_t tls = ci ? (gnutls_session_t)ci->tls_session : NULL;
	unsigned status = 0, n = 0;
	*why = "a client certificate is required";
	if (!tls || gnutls_certificate_type_get(tls) != GNUTLS_CRT_X509)
		return false;
	const gnutls_datum_t *chain = gnutls_certificate_get_peers(tls, &n);
	if (!chain || n == 0)
		return false;
	/* verify_peers3's checks, for the purpose of a TLS client: a server certificate
	 * from the same CA is no kiosk's (one without extendedKeyUsage fits any purpose) */
	gnutls_typed_vdata_st purpose = { GNUTLS_DT_KEY_PURPOSE_OID,
					  (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT, 0 };
	int rc = gnutls_certificate_verify_peers(tls, &purpose, 1, &status);
	if (rc < 0 || status != 0) {
		*why = (status & GNUTLS_CERT_EXPIRED)	      ? "client certificate expired"
		       : (status & GNUTLS_CERT_NOT_ACTIVATED) ? "client certificate not yet valid"
		       : (status & GNUTLS_CERT_PURPOSE_MISMATCH) ? "not a client certificate"
								 : "client certificate not trusted";
		return false;
	}
	gnutls_x509_crt_t crt;
	if (gnutls_x509_crt_init(&crt) < 0)
		return false;
	size_t len = cn_size, extra = 0;
	*why = "client certificate without a kiosk id";
	bool ok =
	    gnutls_x509_crt_import(crt, &chain[0], GNUTLS_X509_FMT_DER) >= 0 &&
	    gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn, &len) >= 0 &&
	    /* a second CN would make "which kiosk" ambiguous */
	    gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 1, 0, NULL, &extra) ==
		GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE &&
	    strlen(cn) == len && req_name_ok(cn, REQ_ID_MAX);
	gnutls_x509_crt_deinit(crt);
	return ok;
}

/* ---- the life of a request ---- */

static const struct http_site *site_of(const struct http_server *s, const char *url)
{
	for (const struct http_site *site = s->sites; site->prefix; site++)
		if (strncmp(url, site->prefix, strlen(site->prefix)) == 0)
			return site;
	return NULL;
}

/* A Content-Length over max: refused before the body is read. */
static bool declared_too_big(struct MHD_Connection *c, size_t max)
{
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	if (!cl)
		return false;
	char *end;
	unsigned long long n = strtoull(cl, &end, 10);
	return end == cl || *end || n > max;
}

static enum MHD_Result too_big(struct http_req *r)
{
	char msg[64];
	snprintf(msg, sizeof(msg), "request body over %zu bytes", r->max);
	return http_answer_error(r, 413, "too_large", msg, 0);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *data,
				  size_t *size, void **ctx)
{
	struct http_server *s = cls;
	struct http_req *r = *ctx;
	if (!r) {
		/* the headers are in, nothing of a body is read yet */
		r = calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		*ctx = r;
		r->c = c;
		r->url = url;
		r->method = method;
		r->body = "";
		r->site = site_of(s, url);
		if (!r->site)
			return http_answer_error(r, 404, "not_found", "no such endpoint", 0);
		enum MHD_Result rc = r->site->begin(r->site->cls, r, &r->max);
		if (r->answered || rc == MHD_NO)
			return rc;
		if (declared_too_big(c, r->max))
			return too_big(r);
		return MHD_YES;
	}
	if (r->answered) {
		*size = 0; /* answered early: whatever still comes is dropped */
		return MHD_YES;
	}
	if (*size) {
		/* A chunked body (no Content-Length) that outgrows its bound: no answer can
		 * be queued in the middle of an upload, so the connection is closed. */
		if (r->len + *size > r->max)
			return MHD_NO;
		char *p = realloc(r->buf, r->len + *size + 1);
		if (!p)
			return MHD_NO;
		memcpy(p + r->len, data, *size);
		r->buf = p;
		r->len += *size;
		r->buf[r->len] = '\0';
		r->body = r->buf;
		*size = 0;
		return MHD_YES;
	}
	return r->site->finish(r->site->cls, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **ctx,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_req *r = *ctx;
	if (!r)
		return;
	if (r->site && r->site->done)
		r->site->done(r->state);
	free(r->buf);
	free(r);
	*ctx = NULL;
}

struct http_server *http_start(const struct http_options *o, const struct http_site *sites)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)o->port) };
	if (inet_pton(AF_INET, o->addr, &sa.sin_addr) != 1)
		return NULL;
	struct http_server *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->sites = sites;
	/* poll(), not select(): select() cannot watch a descriptor past 1023, which a
	 * fleet's connections reach */
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
			 MHD_USE_POLL | MHD_USE_ERROR_LOG;
	if (o->cert_pem && o->key_pem)
		flags |= MHD_USE_TLS;
	/* TLS options; an MHD_OPTION_END cuts the list where a feature is off */
	struct MHD_OptionItem tls_opts[] = {
		{ flags & MHD_USE_TLS ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0,
		  (void *)o->cert_pem },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)o->key_pem },
		/* with a trust list, libmicrohttpd asks every client for a certificate */
		{ o->trust_pem ? MHD_OPTION_HTTPS_MEM_TRUST : MHD_OPTION_END, 0,
		  (void *)o->trust_pem },
		{ MHD_OPTION_END, 0, NULL },
	};
	/* Per address: one thread per connection, so a client that opens connections
	 * without end would have the server run out of threads for everyone. Connections
	 * over the bound are closed as they are accepted. */
	s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, &sa,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT, o->per_address,
				MHD_OPTION_ARRAY, tls_opts, MHD_OPTION_END);
	if (!s->d) {
		free(s);
		return NULL;
	}
	return s;
}

unsigned http_port(const struct http_server *s)
{
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	return info ? info->port : 0;
}

void http_stop(struct http_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->d);
	free(s);
}
