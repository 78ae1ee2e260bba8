/*
 * adm-central's HTTP(S) front end on libmicrohttpd, and its command line. It implements
 * docs/sync-protocol.md: the changes feed, blobs with ranges, idempotent events, on-demand
 * citizen lookups and heartbeats, with bearer-token authentication (plus, with
 * --client-ca, a TLS client certificate per kiosk), gzip for JSON, size limits, JSON errors,
 * and fault modes (--fault) for the tests of adm-syncd.
 *
 * Threads: libmicrohttpd runs one thread per connection; the store serialises database
 * access; fault counters are atomics; everything else is per request.
 */
#include "central.h"

#include "log.h"
#include "nik.h"
#include "sha256.h"

#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <jansson.h>
#include <microhttpd.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define UPLOAD_MAX    (1024 * 1024)
#define LIMIT_MAX     1000
#define LIMIT_DEFAULT 500

enum fault {
	F_NONE,
	F_500,
	F_GARBAGE,
	F_WRONG_TYPES,
	F_ABSURD,
	F_TRUNCATED,
	F_CUT_PAGE,
	F_BAD_HASH,
	F_CUT_BLOB,
	F_SLOW,
};
static const char *const fault_names[] = { "none",     "http500",   "garbage",	"wrong-types",
					   "absurd",   "truncated", "cut-page", "bad-hash",
					   "cut-blob", "slow" };

static struct store *store;
static enum fault fault;
static atomic_int fault_left; /* faulted responses still to give; <0 = for ever */
static atomic_int fault_skip; /* eligible requests to serve normally before faulting */
static int fault_delay_ms = 5000;
static bool client_certs; /* --client-ca: every request needs a kiosk certificate */
/* --follow: how long a kiosk gets the changes of a citizen of another region it fetched */
static int64_t follow_s = 30 * 86400;
static volatile sig_atomic_t stop;

static bool take_fault(enum fault f)
{
	if (fault != f)
		return false;
	int skip = atomic_load(&fault_skip);
	while (skip > 0)
		if (atomic_compare_exchange_weak(&fault_skip, &skip, skip - 1))
			return false;
	int left = atomic_load(&fault_left);
	while (left != 0) {
		if (left < 0)
			return true;
		if (atomic_compare_exchange_weak(&fault_left, &left, left - 1))
			return true;
	}
	return false;
}

struct body {
	char *data;
	size_t len;
	size_t cut_at; /* close the connection after this many bytes */
	int delay_ms;
};

static ssize_t body_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct body *b = cls;
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

/* Queues data (taken over) as the answer; cut_at/delay only for fault modes. */
static enum MHD_Result send_body(struct MHD_Connection *c, unsigned status, char *data, size_t len,
				 const char *type, size_t cut_at, int delay_ms, bool gzip)
{
	struct body *b = calloc(1, sizeof(*b));
	if (!b) {
		free(data);
		return MHD_NO;
	}
	b->data = data;
	b->len = len;
	b->cut_at = cut_at ? cut_at : len;
	b->delay_ms = delay_ms;
	struct MHD_Response *r =
	    MHD_create_response_from_callback(len, 32 * 1024, body_read, b, body_free);
	if (!r) {
		body_free(b);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type);
	if (gzip)
		MHD_add_response_header(r, "Content-Encoding", "gzip");
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *code,
				  const char *msg)
{
	json_t *o = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", msg);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return send_body(c, status, s, s ? strlen(s) : 0, "application/json", 0, 0, false);
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

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, char *s, size_t cut_at,
				 int delay_ms)
{
	size_t len = s ? strlen(s) : 0;
	const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
	if (s && ae && strstr(ae, "gzip") && len > 512) {
		char *z;
		size_t zlen;
		if (gzip_buf(s, len, &z, &zlen)) {
			free(s);
			return send_body(c, status, z, zlen, "application/json",
					 cut_at ? zlen / 2 : 0, delay_ms, true);
		}
	}
	return send_body(c, status, s, len, "application/json", cut_at ? len / 2 : 0, delay_ms,
			 false);
}

/* ---- endpoints ---- */

static char *fault_page(enum fault f)
{
	if (f == F_GARBAGE)
		return strdup("{\"changes\": [ {\"kind\": \"doc\x01ument\" ]] garbage \xff\xfe");
	if (f == F_WRONG_TYPES)
		return strdup("{\"changes\":[{\"kind\":\"document\",\"op\":\"upsert\",\"id\":12,"
			      "\"nik\":3171011708850002,\"pages\":\"one\",\"media\":[]}],"
			      "\"next_cursor\":99,\"more\":\"yes\"}");
	/* absurd: a 20 MB title, far above any limit a kiosk should accept */
	size_t n = 20u * 1024 * 1024;
	char *s = malloc(n + 200);
	if (!s)
		return NULL;
	int head = snprintf(s, 200,
			    "{\"changes\":[{\"kind\":\"document\",\"op\":\"upsert\","
			    "\"id\":\"D1\",\"title\":{\"id\":\"");
	memset(s + head, 'A', n);
	strcpy(s + head + n, "\"}}],\"next_cursor\":\"1\",\"more\":false}");
	return s;
}

static enum MHD_Result do_changes(struct MHD_Connection *c, const char *kiosk, const char *region)
{
	const char *since_s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
	const char *limit_s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
	long long since = 0;
	long limit = LIMIT_DEFAULT;
	if (since_s && *since_s) {
		char *end;
		errno = 0;
		since = strtoll(since_s, &end, 10);
		if (*end || errno || since < 0 || strlen(since_s) > 18)
			return send_error(c, 400, "bad_cursor",
					  "since is not a cursor of this server");
	}
	if (limit_s) {
		char *end;
		limit = strtol(limit_s, &end, 10);
		if (*end || limit < 1)
			return send_error(c, 400, "bad_limit", "limit must be a positive integer");
		if (limit > LIMIT_MAX)
			limit = LIMIT_MAX;
	}
	store_count(store, "changes_requests");
	if (take_fault(F_500))
		return send_error(c, 500, "internal", "fault mode http500");
	enum fault pf = F_NONE;
	for (enum fault f = F_GARBAGE; f <= F_ABSURD; f++)
		if (take_fault(f))
			pf = f;
	if (pf != F_NONE) {
		char *s = fault_page(pf);
		return send_body(c, 200, s, s ? strlen(s) : 0, "application/json", 0, 0, false);
	}
	char *page = store_changes_page(store, kiosk, region, since, (int)limit,
					(int64_t)time(NULL), follow_s);
	if (!page)
		return send_error(c, 500, "internal", "database error");
	if (take_fault(F_TRUNCATED)) {
		/* a complete HTTP answer whose JSON stops half way */
		size_t len = strlen(page);
		page[len / 2] = '\0';
		return send_body(c, 200, page, len / 2, "application/json", 0, 0, false);
	}
	bool cut = take_fault(F_CUT_PAGE);
	int delay = take_fault(F_SLOW) ? fault_delay_ms : 0;
	return send_json(c, 200, page, cut ? 1 : 0, delay);
}

static enum MHD_Result do_blob(struct MHD_Connection *c, const char *sha)
{
	if (!sha256_hex_ok(sha))
		return send_error(c, 400, "bad_hash", "a blob is named by its lowercase SHA-256");
	size_t len;
	unsigned char *data = store_blob(store, sha, &len);
	if (!data)
		return send_error(c, 404, "not_found", "no such blob");
	store_count(store, "blob_requests");
	if (take_fault(F_500)) {
		free(data);
		return send_error(c, 500, "internal", "fault mode http500");
	}
	if (take_fault(F_BAD_HASH))
		data[len / 2] ^= 0x55;
	const char *range = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Range");
	size_t start = 0;
	if (range) {
		unsigned long long a;
		char dash;
		/* only "bytes=N-" (what a resuming client sends) and "bytes=N-M" */
		if (sscanf(range, "bytes=%llu%c", &a, &dash) != 2 || dash != '-') {
			free(data);
			return send_error(c, 416, "bad_range", "only bytes=N- ranges are served");
		}
		if (a >= len) {
			free(data);
			return send_error(c, 416, "bad_range", "range starts past the end");
		}
		start = (size_t)a;
		store_count(store, "range_requests");
	}
	size_t n = len - start;
	char *part = malloc(n);
	if (!part) {
		free(data);
		return MHD_NO;
	}
	memcpy(part, data + start, n);
	free(data);
	size_t cut = !range && take_fault(F_CUT_BLOB) ? n / 2 : 0;
	int delay = take_fault(F_SLOW) ? fault_delay_ms : 0;
	struct body *b = calloc(1, sizeof(*b));
	if (!b) {
		free(part);
		return MHD_NO;
	}
	b->data = part;
	b->len = n;
	b->cut_at = cut ? cut : n;
	b->delay_ms = delay;
	struct MHD_Response *r =
	    MHD_create_response_from_callback(n, 64 * 1024, body_read, b, body_free);
	if (!r) {
		body_free(b);
		return MHD_NO;
	}
	char hdr[96];
	MHD_add_response_header(r, "Content-Type", "application/pdf");
	MHD_add_response_header(r, "Accept-Ranges", "bytes");
	snprintf(hdr, sizeof(hdr), "\"%s\"", sha);
	MHD_add_response_header(r, "ETag", hdr);
	if (range) {
		snprintf(hdr, sizeof(hdr), "bytes %zu-%zu/%zu", start, len - 1, len);
		MHD_add_response_header(r, "Content-Range", hdr);
	}
	enum MHD_Result ret = MHD_queue_response(c, range ? 206 : 200, r);
	MHD_destroy_response(r);
	return ret;
}

static bool name_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-' || s[i] == '.'))
			return false;
	return true;
}

static enum MHD_Result do_events(struct MHD_Connection *c, const char *kiosk, const char *body,
				 size_t len)
{
	if (take_fault(F_500))
		return send_error(c, 500, "internal", "fault mode http500");
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
	json_t *arr = json_object_get(root, "events");
	if (!json_is_array(arr) || json_array_size(arr) > 100) {
		json_decref(root);
		return send_error(c, 400, "bad_request", "expected {\"events\": [...]} (<= 100)");
	}
	json_t *accepted = json_array();
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *e = json_array_get(arr, i);
		const char *id = json_string_value(json_object_get(e, "id"));
		const char *kind = json_string_value(json_object_get(e, "kind"));
		json_t *data = json_object_get(e, "data");
		const char *doc = json_string_value(json_object_get(data, "document"));
		if (!id || !kind || !name_ok(id, 64) || !name_ok(kind, 32) ||
		    (data && !json_is_object(data)) || (doc && !name_ok(doc, 64)))
			continue; /* not accepted: the kiosk keeps it and a human looks */
		char *js = json_dumps(e, JSON_COMPACT);
		if (js && store_event(store, kiosk, id, kind, doc, js))
			json_array_append_new(accepted, json_string(id));
		free(js);
	}
	json_decref(root);
	json_t *o = json_pack("{s:o}", "accepted", accepted);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return send_json(c, 200, s, 0, 0);
}

static enum MHD_Result do_heartbeat(struct MHD_Connection *c, const char *kiosk, const char *body,
				    size_t len)
{
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(root) || len > 16384) {
		json_decref(root);
		return send_error(c, 400, "bad_request",
				  "heartbeat must be a JSON object <= 16 KiB");
	}
	char *js = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	bool ok = js && store_heartbeat(store, kiosk, js, (int64_t)time(NULL));
	free(js);
	if (!ok)
		return send_error(c, 500, "internal", "database error");
	return send_body(c, 204, NULL, 0, "application/json", 0, 0, false);
}

static enum MHD_Result do_citizen(struct MHD_Connection *c, const char *kiosk, const char *region,
				  const char *nik)
{
	if (nik_check(nik) != NIK_OK)
		return send_error(c, 400, "bad_nik", "not a valid NIK");
	store_count(store, "citizen_requests");
	char *s = store_citizen(store, kiosk, region, nik, (int64_t)time(NULL), follow_s);
	if (!s)
		return send_error(c, 404, "not_found", "no such citizen");
	return send_json(c, 200, s, 0, 0);
}

/* ---- routing ---- */

struct upload {
	char *buf;
	size_t len;
	bool too_big;
};

static const char *bearer(struct MHD_Connection *c)
{
	const char *a = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	return a && strncmp(a, "Bearer ", 7) == 0 ? a + 7 : NULL;
}

/* The kiosk id (subject CN) of the connection's client certificate if one was sent and it
 * verifies against --client-ca (signature chain, validity dates, key purpose); else false,
 * with why in why. libmicrohttpd only asks for a certificate (GNUTLS_CERT_REQUEST), so the
 * handshake succeeds without one and the kiosk gets a JSON 401 it can log. */
static bool peer_kiosk(struct MHD_Connection *c, char *cn, size_t cn_size, const char **why)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
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
	    strlen(cn) == len && name_ok(cn, 64);
	gnutls_x509_crt_deinit(crt);
	return ok;
}

static enum MHD_Result route(struct MHD_Connection *c, const char *url, const char *method,
			     struct upload *up)
{
	char region[16] = "", cn[65] = "";
	const char *why = NULL;
	bool get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
	if (strncmp(url, "/v1/blobs/", 10) == 0) {
		if (!get)
			return send_error(c, 405, "method", "GET only");
		if (client_certs && !peer_kiosk(c, cn, sizeof(cn), &why))
			return send_error(c, 401, "certificate", why);
		if (!store_kiosk_auth(store, NULL, bearer(c), region, sizeof(region)))
			return send_error(c, 401, "unauthorized", "missing or wrong bearer token");
		/* any kiosk may fetch any blob, but both factors must be the same kiosk's (the
		 * store has no lookup by id alone, and a mixed pair is not a kiosk) */
		if (client_certs && !store_kiosk_auth(store, cn, bearer(c), region, sizeof(region)))
			return send_error(c, 401, "certificate",
					  "client certificate of another kiosk than the token");
		return do_blob(c, url + 10);
	}
	if (strncmp(url, "/v1/kiosks/", 11) != 0)
		return send_error(c, 404, "not_found", "no such endpoint");
	char kiosk[65];
	const char *rest = strchr(url + 11, '/');
	size_t klen = rest ? (size_t)(rest - (url + 11)) : 0;
	if (!rest || klen == 0 || klen >= sizeof(kiosk))
		return send_error(c, 404, "not_found", "no such endpoint");
	memcpy(kiosk, url + 11, klen);
	kiosk[klen] = '\0';
	/* the certificate first: without one, a client cannot even probe tokens */
	if (client_certs && !peer_kiosk(c, cn, sizeof(cn), &why))
		return send_error(c, 401, "certificate", why);
	if (client_certs && strcmp(cn, kiosk) != 0)
		return send_error(c, 401, "certificate", "client certificate of another kiosk");
	if (!name_ok(kiosk, 64) ||
	    !store_kiosk_auth(store, kiosk, bearer(c), region, sizeof(region)))
		return send_error(c, 401, "unauthorized", "missing or wrong bearer token");
	if (up->too_big)
		return send_error(c, 413, "too_large", "request body over 1 MiB");
	if (strcmp(rest, "/changes") == 0 && get)
		return do_changes(c, kiosk, region);
	if (strcmp(rest, "/events") == 0 && post)
		return do_events(c, kiosk, up->buf ? up->buf : "", up->len);
	if (strcmp(rest, "/heartbeat") == 0 && post)
		return do_heartbeat(c, kiosk, up->buf ? up->buf : "", up->len);
	if (strncmp(rest, "/citizens/", 10) == 0 && get)
		return do_citizen(c, kiosk, region, rest + 10);
	return send_error(c, 404, "not_found", "no such endpoint or method");
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *data,
			       size_t *size, void **ctx)
{
	struct upload *up = *ctx;
	if (!up) {
		up = calloc(1, sizeof(*up));
		*ctx = up;
		return up ? MHD_YES : MHD_NO;
	}
	if (*size) {
		if (up->len + *size > UPLOAD_MAX) {
			up->too_big = true;
		} else {
			char *p = realloc(up->buf, up->len + *size + 1);
			if (!p)
				return MHD_NO;
			memcpy(p + up->len, data, *size);
			up->buf = p;
			up->len += *size;
			up->buf[up->len] = '\0';
		}
		*size = 0;
		return MHD_YES;
	}
	return route(c, url, method, up);
}

static void completed(void *cls, struct MHD_Connection *c, void **ctx,
		      enum MHD_RequestTerminationCode toe)
{
	struct upload *up = *ctx;
	if (up) {
		free(up->buf);
		free(up);
		*ctx = NULL;
	}
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(65536 + 1);
	size_t n = buf ? fread(buf, 1, 65536, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: adm-central generate --db FILE [--seed N] [--citizens N] [--doc-every N]\n"
		"                            [--print-pins N] [--cheap-pins] [--tiny-pdf]\n"
		"       adm-central serve --db FILE [--port N] [--listen ADDR]\n"
		"                         [--kiosk ID:TOKEN:REGION]... [--tls-cert F --tls-key F\n"
		"                          [--client-ca F]] [--follow SECONDS]\n"
		"                         [--fault MODE [--fault-after N] [--fault-count N]\n"
		"                          [--fault-delay-ms N]]\n"
		"fault modes: http500 garbage wrong-types absurd truncated cut-page bad-hash\n"
		"             cut-blob slow\n");
}

static int serve(int argc, char **argv, const char *db)
{
	const char *listen_addr = "127.0.0.1", *cert = NULL, *key = NULL, *client_ca = NULL;
	int port = 0;
	atomic_store(&fault_left, -1);
	store = store_open(db);
	if (!store)
		return 1;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--db") == 0 && v) {
			i++;
		} else if (strcmp(a, "--port") == 0 && v) {
			port = atoi(v), i++;
		} else if (strcmp(a, "--listen") == 0 && v) {
			listen_addr = v, i++;
		} else if (strcmp(a, "--tls-cert") == 0 && v) {
			cert = v, i++;
		} else if (strcmp(a, "--tls-key") == 0 && v) {
			key = v, i++;
		} else if (strcmp(a, "--client-ca") == 0 && v) {
			client_ca = v, i++;
		} else if (strcmp(a, "--follow") == 0 && v) {
			follow_s = atoll(v), i++;
			if (follow_s < 1 || follow_s > 3650LL * 86400) {
				usage();
				return 2;
			}
		} else if (strcmp(a, "--fault-count") == 0 && v) {
			atomic_store(&fault_left, atoi(v)), i++;
		} else if (strcmp(a, "--fault-after") == 0 && v) {
			atomic_store(&fault_skip, atoi(v)), i++;
		} else if (strcmp(a, "--fault-delay-ms") == 0 && v) {
			fault_delay_ms = atoi(v), i++;
		} else if (strcmp(a, "--fault") == 0 && v) {
			bool found = false;
			for (int f = 0; f <= F_SLOW; f++)
				if (strcmp(v, fault_names[f]) == 0)
					fault = (enum fault)f, found = true;
			if (!found) {
				usage();
				return 2;
			}
			i++;
		} else if (strcmp(a, "--kiosk") == 0 && v) {
			char id[65], token[129], region[16] = "";
			if (sscanf(v, "%64[^:]:%128[^:]:%15s", id, token, region) < 2 ||
			    !store_add_kiosk(store, id, token, strcmp(region, "*") ? region : "")) {
				usage();
				return 2;
			}
			i++;
		} else {
			usage();
			return 2;
		}
	}
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	if (inet_pton(AF_INET, listen_addr, &sa.sin_addr) != 1) {
		log_error("--listen takes an IPv4 address");
		return 2;
	}
	unsigned flags =
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	if (client_ca && !cert) {
		/* client certificates only exist in TLS */
		usage();
		return 2;
	}
	char *cert_pem = NULL, *key_pem = NULL, *ca_pem = NULL;
	if (cert || key) {
		cert_pem = cert ? slurp(cert) : NULL;
		key_pem = key ? slurp(key) : NULL;
		if (!cert_pem || !key_pem || !MHD_is_feature_supported(MHD_FEATURE_TLS)) {
			log_error(
			    "TLS needs readable --tls-cert and --tls-key (and an MHD with TLS)");
			return 2;
		}
		flags |= MHD_USE_TLS;
	}
	if (client_ca) {
		/* refuse a CA file that holds no certificate here: libmicrohttpd would only say
		 * it cannot start, and a server trusting nothing turns every kiosk away */
		gnutls_x509_crt_t *list = NULL;
		unsigned n = 0;
		ca_pem = slurp(client_ca);
		gnutls_datum_t pem = { (unsigned char *)ca_pem,
				       ca_pem ? (unsigned)strlen(ca_pem) : 0 };
		if (ca_pem &&
		    gnutls_x509_crt_list_import2(&list, &n, &pem, GNUTLS_X509_FMT_PEM, 0) < 0)
			n = 0;
		for (unsigned i = 0; i < n; i++)
			gnutls_x509_crt_deinit(list[i]);
		gnutls_free(list);
		if (n == 0) {
			log_error("--client-ca needs a readable PEM file of CA certificates");
			free(cert_pem);
			free(key_pem);
			free(ca_pem);
			return 2;
		}
		client_certs = true;
	}
	/* TLS options; an MHD_OPTION_END cuts the list where a feature is off */
	struct MHD_OptionItem tls_opts[] = {
		{ cert_pem ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, cert_pem },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, key_pem },
		/* with a trust list, libmicrohttpd asks every client for a certificate */
		{ ca_pem ? MHD_OPTION_HTTPS_MEM_TRUST : MHD_OPTION_END, 0, ca_pem },
		{ MHD_OPTION_END, 0, NULL },
	};
	struct MHD_Daemon *d = MHD_start_daemon(
	    flags, 0, NULL, NULL, handler, NULL, MHD_OPTION_SOCK_ADDR, &sa,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT, 60u,
	    MHD_OPTION_ARRAY, tls_opts, MHD_OPTION_END);
	if (!d) {
		log_error("cannot listen on %s:%d", listen_addr, port);
		free(cert_pem);
		free(key_pem);
		free(ca_pem);
		return 1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	/* the one line tests wait for */
	printf("adm-central listening on %s://%s:%u fault=%s\n", cert_pem ? "https" : "http",
	       listen_addr, info ? info->port : 0, fault_names[fault]);
	fflush(stdout);
	struct sigaction act = { .sa_handler = on_signal };
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	while (!stop)
		pause();
	MHD_stop_daemon(d);
	free(cert_pem);
	free(key_pem);
	free(ca_pem);
	store_close(store);
	return 0;
}

int main(int argc, char **argv)
{
	const char *db = NULL;
	log_set_program("adm-central");
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--db") == 0)
			db = argv[i + 1];
	if (argc < 2 || !db) {
		usage();
		return 2;
	}
	if (strcmp(argv[1], "serve") == 0)
		return serve(argc, argv, db);
	if (strcmp(argv[1], "generate") != 0) {
		usage();
		return 2;
	}
	struct gen_options o = { .seed = 42, .citizens = 100, .doc_every = 3 };
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--db") == 0 && v)
			i++;
		else if (strcmp(a, "--seed") == 0 && v)
			o.seed = strtoull(v, NULL, 10), i++;
		else if (strcmp(a, "--citizens") == 0 && v)
			o.citizens = atoi(v), i++;
		else if (strcmp(a, "--doc-every") == 0 && v)
			o.doc_every = atoi(v), i++;
		else if (strcmp(a, "--print-pins") == 0 && v)
			o.print_pins = atoi(v), i++;
		else if (strcmp(a, "--cheap-pins") == 0)
			o.pwhash_min = true;
		else if (strcmp(a, "--tiny-pdf") == 0)
			o.tiny_pdf = true;
		else {
			usage();
			return 2;
		}
	}
	if (sodium_init() < 0)
		return 1;
	store = store_open(db);
	bool ok = store && gen_run(store, &o);
	store_close(store);
	return ok ? 0 : 1;
}
