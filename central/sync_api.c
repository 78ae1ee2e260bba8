/*
 * The sync protocol's /v1/ endpoints (sync_api.h). The credentials are checked in
 * begin(), with the headers alone; the request's arguments and body only after them.
 * Fault modes (fault.h) hook in where each answer is made. Content bundles are served
 * here too (the kiosk's side of issue 12); publishing them is content_api.c's.
 */
#include "sync_api.h"

#include "bundles.h"
#include "central.h"
#include "clock.h"
#include "fault.h"
#include "office_store.h"
#include "ratelimit.h"
#include "request.h"
#include "screenshot.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct api_req {
	struct req_target t;
	char region[16]; /* the kiosk's; "" = all */
};

static enum MHD_Result refuse(struct http_req *r, const struct req_error *e)
{
	return http_answer_error(r, e->status, e->code, e->message, 0);
}

/* Fault mode endless: "more" on every page; past the real end, the feed's first record
 * again, each time under a new cursor. Takes page over. */
static char *endless_page(struct sync_api *api, const struct api_req *q, char *page, int64_t since)
{
	json_t *o = json_loads(page, 0, NULL);
	free(page);
	if (!o)
		return NULL;
	if (json_array_size(json_object_get(o, "changes")) == 0) {
		char *first = store_changes_page(api->store, q->t.kiosk, q->region, 0, 1,
						 (int64_t)time(NULL), api->follow_s);
		json_t *f = first ? json_loads(first, 0, NULL) : NULL;
		free(first);
		json_object_set(o, "changes", json_object_get(f, "changes"));
		json_decref(f);
		char cur[32];
		snprintf(cur, sizeof(cur), "%lld", (long long)since + 1);
		json_object_set_new(o, "next_cursor", json_string(cur));
	}
	json_object_set_new(o, "more", json_true());
	page = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return page;
}

/* ---- endpoints ---- */

static enum MHD_Result do_changes(struct sync_api *api, struct http_req *r, const struct api_req *q)
{
	int64_t since;
	int limit;
	struct req_error e;
	if (!req_feed_args(MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "since"),
			   MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "limit"),
			   &since, &limit, &e))
		return refuse(r, &e);
	store_count(api->store, "changes_requests");
	if (take_fault(F_500))
		return http_answer_error(r, 500, "internal", "fault mode http500", 0);
	/* a server under load: come back after Retry-After seconds */
	if (take_fault(F_BUSY_429))
		return http_answer_error(r, 429, "busy", "fault mode busy",
					 fault_delay_ms() / 1000);
	if (take_fault(F_BUSY_503))
		return http_answer_error(r, 503, "busy", "fault mode busy",
					 fault_delay_ms() / 1000);
	enum fault pf = F_NONE;
	for (enum fault f = F_GARBAGE; f <= F_ABSURD; f++)
		if (take_fault(f))
			pf = f;
	if (pf != F_NONE) {
		char *s = fault_page(pf);
		return http_answer(r, 200, s, s ? strlen(s) : 0, "application/json", 0, 0);
	}
	char *page = store_changes_page(api->store, q->t.kiosk, q->region, since, limit,
					(int64_t)time(NULL), api->follow_s);
	if (!page)
		return http_answer_error(r, 500, "internal", "database error", 0);
	if (take_fault(F_ENDLESS)) {
		page = endless_page(api, q, page, since);
		if (!page)
			return http_answer_error(r, 500, "internal", "fault mode endless", 0);
	}
	if (take_fault(F_TRUNCATED)) {
		/* a complete HTTP answer whose JSON stops half way */
		size_t len = strlen(page);
		page[len / 2] = '\0';
		return http_answer(r, 200, page, len / 2, "application/json", 0, 0);
	}
	bool cut = take_fault(F_CUT_PAGE);
	int delay = take_fault(F_SLOW) ? fault_delay_ms() : 0;
	return http_answer_json(r, 200, page, cut, delay);
}

/* Bytes named by their SHA-256 (a blob, a bundle), whole or the Range asked for, with the
 * fault modes of their kind: bad (a byte flipped), cut (the whole answer cut half way)
 * and trickle. Takes data over. */
struct ranged_faults {
	enum fault bad, cut, trickle;
};

static enum MHD_Result serve_ranged(struct sync_api *api, struct http_req *r, const char *sha,
				    unsigned char *data, size_t len, const char *type,
				    const struct ranged_faults *fm)
{
	size_t first, last;
	bool partial;
	struct req_error e;
	if (take_fault(F_500)) {
		free(data);
		return http_answer_error(r, 500, "internal", "fault mode http500", 0);
	}
	if (take_fault(fm->bad))
		data[len / 2] ^= 0x55;
	const char *range = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, "Range");
	if (!req_range_parse(range, len, &first, &last, &partial, &e)) {
		free(data);
		return refuse(r, &e);
	}
	if (partial)
		store_count(api->store, "range_requests");
	size_t n = last - first + 1;
	char *part = malloc(n);
	if (!part) {
		free(data);
		return MHD_NO;
	}
	memcpy(part, data + first, n);
	free(data);
	size_t cut = !partial && take_fault(fm->cut) ? n / 2 : 0;
	int delay = take_fault(F_SLOW) ? fault_delay_ms() : 0;
	struct MHD_Response *resp = take_fault(fm->trickle)
					? http_response_trickle(part, n, fault_delay_ms())
					: http_response(part, n, cut, delay);
	if (!resp)
		return MHD_NO;
	char hdr[96];
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Accept-Ranges", "bytes");
	snprintf(hdr, sizeof(hdr), "\"%s\"", sha);
	MHD_add_response_header(resp, "ETag", hdr);
	if (partial) {
		snprintf(hdr, sizeof(hdr), "bytes %zu-%zu/%zu", first, last, len);
		MHD_add_response_header(resp, "Content-Range", hdr);
	}
	return http_queue(r, partial ? 206 : 200, resp);
}

static enum MHD_Result do_blob(struct sync_api *api, struct http_req *r, const char *sha)
{
	size_t len;
	unsigned char *data = store_blob(api->store, sha, &len);
	if (!data)
		return http_answer_error(r, 404, "not_found", "no such blob", 0);
	store_count(api->store, "blob_requests");
	static const struct ranged_faults fm = { F_BAD_HASH, F_CUT_BLOB, F_TRICKLE };
	return serve_ranged(api, r, sha, data, len, "application/pdf", &fm);
}

/* ---- content bundles (issue 12) ---- */

static enum MHD_Result do_content(struct sync_api *api, struct http_req *r, const struct api_req *q)
{
	store_count(api->store, "content_requests");
	if (take_fault(F_500))
		return http_answer_error(r, 500, "internal", "fault mode http500", 0);
	char *s = bundles_for_kiosk(api->bundles, q->t.kiosk, q->region, (int64_t)time(NULL));
	if (!s)
		return http_answer_error(r, 500, "internal", "database error", 0);
	return http_answer_json(r, 200, s, false, 0);
}

static enum MHD_Result do_bundle(struct sync_api *api, struct http_req *r, const char *sha)
{
	size_t len;
	unsigned char *data = bundles_data(api->bundles, sha, &len);
	if (!data || len == 0) {
		free(data);
		return http_answer_error(r, 404, "not_found", "no such bundle", 0);
	}
	store_count(api->store, "bundle_requests");
	static const struct ranged_faults fm = { F_BUNDLE_BAD, F_BUNDLE_CUT, F_BUNDLE_TRICKLE };
	return serve_ranged(api, r, sha, data, len, "application/vnd.adm.bundle", &fm);
}

/* A keyring of the chain: small (at most 64 KiB and its signatures), sent whole. */
static enum MHD_Result do_keyring(struct sync_api *api, struct http_req *r, const char *sha)
{
	size_t len;
	unsigned char *data = bundles_keyring_data(api->bundles, sha, &len);
	if (!data || len == 0) {
		free(data);
		return http_answer_error(r, 404, "not_found", "no such keyring", 0);
	}
	store_count(api->store, "keyring_requests");
	return http_answer(r, 200, (char *)data, len, "application/vnd.adm.keyring", 0, 0);
}

static void add_refused(json_t *refused, const struct req_event *ev, const char *code,
			const char *why)
{
	json_t *o = json_pack("{s:I, s:s, s:s}", "index", (json_int_t)ev->index, "code", code,
			      "message", why);
	if (o && ev->id)
		json_object_set_new(o, "id", json_string(ev->id));
	json_array_append_new(refused, o);
}

static enum MHD_Result do_events(struct sync_api *api, struct http_req *r, const struct api_req *q)
{
	struct req_events evs;
	struct req_error e;
	if (take_fault(F_500))
		return http_answer_error(r, 500, "internal", "fault mode http500", 0);
	if (!req_events_parse(r->body, r->len, &evs, &e)) {
		req_events_free(&evs);
		return refuse(r, &e);
	}
	json_t *accepted = json_array(), *refused = json_array();
	for (size_t i = 0; i < evs.n; i++) {
		const struct req_event *ev = &evs.ev[i];
		if (ev->refused) {
			add_refused(refused, ev, ev->refused, ev->why);
			continue;
		}
		struct store_pin pin = { .nik = ev->holder,
					 .until = ev->until,
					 .tries = api->pin_tries,
					 .lock_s = api->pin_lock_s,
					 .now = (int64_t)time(NULL) };
		switch (store_event(api->store, q->t.kiosk, q->region, ev->id, ev->kind,
				    ev->document, &pin, ev->json)) {
		case STORE_EVENT_STORED:
			json_array_append_new(accepted, json_string(ev->id));
			break;
		case STORE_EVENT_UNKNOWN_DOCUMENT:
			add_refused(refused, ev, "unknown_document", "no such document");
			break;
		case STORE_EVENT_NOT_IN_FEED:
			add_refused(refused, ev, "not_in_feed",
				    "the document or holder is neither of this kiosk's region nor "
				    "of a citizen it fetched on demand");
			break;
		default:
			add_refused(refused, ev, "internal", "database error; send it again");
			break;
		}
	}
	req_events_free(&evs);
	json_t *o = json_pack("{s:o, s:o}", "accepted", accepted, "refused", refused);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return http_answer_json(r, 200, s, false, 0);
}

static enum MHD_Result do_heartbeat(struct sync_api *api, struct http_req *r,
				    const struct api_req *q)
{
	struct req_error e;
	char *js = req_heartbeat_parse(r->body, r->len, &e);
	if (!js)
		return refuse(r, &e);
	bool ok = store_heartbeat(api->store, q->t.kiosk, js, (int64_t)time(NULL));
	free(js);
	if (!ok)
		return http_answer_error(r, 500, "internal", "database error", 0);
	/* an office's request rides on the answer: no connection ever goes to a kiosk */
	int64_t asked = api->offices ? office_screenshot_pending(api->offices, q->t.kiosk) : 0;
	if (asked) {
		json_t *o = json_pack("{s:{s:I}}", "screenshot", "requested", (json_int_t)asked);
		char *s = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		return http_answer_json(r, 200, s, false, 0);
	}
	return http_answer(r, 204, NULL, 0, "application/json", 0, 0);
}

static enum MHD_Result do_screenshot(struct sync_api *api, struct http_req *r,
				     const struct api_req *q)
{
	int w, h;
	const char *why;
	if (!api->offices)
		return http_answer_error(r, 409, "not_requested", "no screenshot was asked for", 0);
	if (!screenshot_check((const unsigned char *)r->body, r->len, &w, &h, &why))
		return http_answer_error(r, 400, "bad_png", why, 0);
	int rc = office_screenshot_store(api->offices, q->t.kiosk, r->body, r->len, w, h,
					 (int64_t)time(NULL));
	if (rc == OFFICE_E_NONE)
		return http_answer_error(r, 409, "not_requested", "no screenshot was asked for", 0);
	if (rc != OFFICE_OK)
		return http_answer_error(r, 500, "internal", "database error", 0);
	return http_answer(r, 204, NULL, 0, "application/json", 0, 0);
}

static enum MHD_Result do_citizen(struct sync_api *api, struct http_req *r, const struct api_req *q)
{
	struct req_error e;
	/* every lookup counts, a malformed one too: what is limited is the asking */
	int wait = ratelimit_take(api->lookups, q->t.kiosk, (double)clock_mono_ms() / 1000.0);
	if (wait < 0)
		return http_answer_error(r, 500, "internal", "out of memory", 0);
	if (wait > 0) {
		store_count(api->store, "citizen_rate_limited");
		return http_answer_error(r, 429, "rate_limited",
					 "too many citizen lookups from this kiosk", wait);
	}
	if (!req_arg_check(&q->t, &e))
		return refuse(r, &e);
	store_count(api->store, "citizen_requests");
	char *s = store_citizen(api->store, q->t.kiosk, q->region, q->t.arg, (int64_t)time(NULL),
				api->follow_s);
	if (!s)
		return http_answer_error(r, 404, "not_found", "no such citizen", 0);
	return http_answer_json(r, 200, s, false, 0);
}

/* ---- the site ---- */

/* The credentials, before any body is read: a client without them cannot make the
 * server read, or wait for, an upload. */
static enum MHD_Result begin(void *cls, struct http_req *r, size_t *body_max)
{
	struct sync_api *api = cls;
	struct api_req *q = calloc(1, sizeof(*q));
	struct req_error e;
	char cn[REQ_ID_MAX + 1] = "";
	const char *why = NULL;
	if (!q)
		return MHD_NO;
	r->state = q;
	if (!req_target_parse(r->url, r->method, &q->t, &e))
		return refuse(r, &e);
	const char *token = http_bearer(r);
	/* the certificate first: without one, a client cannot even probe tokens */
	if (api->client_certs && !http_peer_cn(r, cn, sizeof(cn), &why))
		return http_answer_error(r, 401, "certificate", why, 0);
	if (req_by_hash(&q->t)) {
		if (!store_kiosk_auth(api->store, NULL, token, q->region, sizeof(q->region)))
			return http_answer_error(r, 401, "unauthorized",
						 "missing or wrong bearer token", 0);
		/* any kiosk may fetch any blob, but both factors must be the same kiosk's
		 * (the store has no lookup by id alone, and a mixed pair is not a kiosk) */
		if (api->client_certs &&
		    !store_kiosk_auth(api->store, cn, token, q->region, sizeof(q->region)))
			return http_answer_error(
			    r, 401, "certificate",
			    "client certificate of another kiosk than the token", 0);
	} else {
		if (api->client_certs && strcmp(cn, q->t.kiosk) != 0)
			return http_answer_error(r, 401, "certificate",
						 "client certificate of another kiosk", 0);
		if (!req_name_ok(q->t.kiosk, REQ_ID_MAX) ||
		    !store_kiosk_auth(api->store, q->t.kiosk, token, q->region, sizeof(q->region)))
			return http_answer_error(r, 401, "unauthorized",
						 "missing or wrong bearer token", 0);
	}
	*body_max = q->t.endpoint == REQ_SCREENSHOT ? OFFICE_SCREEN_MAX
		    : q->t.body			    ? REQ_BODY_MAX
						    : 0;
	return MHD_YES;
}

static enum MHD_Result finish(void *cls, struct http_req *r)
{
	struct sync_api *api = cls;
	const struct api_req *q = r->state;
	struct req_error e;
	switch (q->t.endpoint) {
	case REQ_BLOB:
		if (!req_arg_check(&q->t, &e))
			return refuse(r, &e);
		return do_blob(api, r, q->t.arg);
	case REQ_CHANGES:
		return do_changes(api, r, q);
	case REQ_EVENTS:
		return do_events(api, r, q);
	case REQ_HEARTBEAT:
		return do_heartbeat(api, r, q);
	case REQ_CITIZEN:
		return do_citizen(api, r, q);
	case REQ_SCREENSHOT:
		return do_screenshot(api, r, q);
	case REQ_CONTENT:
		return do_content(api, r, q);
	case REQ_BUNDLE:
		if (!req_arg_check(&q->t, &e))
			return refuse(r, &e);
		return do_bundle(api, r, q->t.arg);
	case REQ_KEYRING:
		if (!req_arg_check(&q->t, &e))
			return refuse(r, &e);
		return do_keyring(api, r, q->t.arg);
	}
	return http_answer_error(r, 404, "not_found", "no such endpoint", 0);
}

static void done(void *state)
{
	free(state);
}

struct http_site sync_api_site(struct sync_api *api)
{
	return (struct http_site){ "/v1/", api, begin, finish, done };
}
