/*
 * adm-central's request parsing (request.h): pure functions of the bytes a client sent,
 * no socket, no database, so that the fuzzer reaches everything a kiosk controls.
 */
#include "request.h"

#include "nik.h"
#include "sha256.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static bool refuse(struct req_error *e, unsigned status, const char *code, const char *msg)
{
	e->status = status;
	e->code = code;
	e->message = msg;
	return false;
}

bool req_name_ok(const char *s, size_t max)
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

/* Copies at most REQ_ID_MAX + 1 characters: one more than any valid argument. */
static void cut_arg(char *dst, const char *src)
{
	size_t n = strnlen(src, REQ_ID_MAX + 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

bool req_target_parse(const char *url, const char *method, struct req_target *t,
		      struct req_error *e)
{
	bool get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
	memset(t, 0, sizeof(*t));
	if (strncmp(url, "/v1/blobs/", 10) == 0) {
		t->endpoint = REQ_BLOB;
		cut_arg(t->arg, url + 10);
		return get ? true : refuse(e, 405, "method", "GET only");
	}
	if (strncmp(url, "/v1/bundles/", 12) == 0) {
		t->endpoint = REQ_BUNDLE;
		cut_arg(t->arg, url + 12);
		return get ? true : refuse(e, 405, "method", "GET only");
	}
	if (strncmp(url, "/v1/keyrings/", 13) == 0) {
		t->endpoint = REQ_KEYRING;
		cut_arg(t->arg, url + 13);
		return get ? true : refuse(e, 405, "method", "GET only");
	}
	if (strncmp(url, "/v1/kiosks/", 11) != 0)
		return refuse(e, 404, "not_found", "no such endpoint");
	const char *id = url + 11, *rest = strchr(id, '/');
	size_t klen = rest ? (size_t)(rest - id) : 0;
	if (!rest || klen == 0 || klen > REQ_ID_MAX)
		return refuse(e, 404, "not_found", "no such endpoint");
	memcpy(t->kiosk, id, klen);
	t->kiosk[klen] = '\0';
	bool want_get = true;
	if (strcmp(rest, "/changes") == 0) {
		t->endpoint = REQ_CHANGES;
	} else if (strcmp(rest, "/events") == 0) {
		t->endpoint = REQ_EVENTS;
		want_get = false;
	} else if (strcmp(rest, "/heartbeat") == 0) {
		t->endpoint = REQ_HEARTBEAT;
		want_get = false;
	} else if (strcmp(rest, "/screenshot") == 0) {
		t->endpoint = REQ_SCREENSHOT;
		want_get = false;
	} else if (strcmp(rest, "/content") == 0) {
		t->endpoint = REQ_CONTENT;
	} else if (strncmp(rest, "/citizens/", 10) == 0) {
		t->endpoint = REQ_CITIZEN;
		cut_arg(t->arg, rest + 10);
	} else {
		return refuse(e, 404, "not_found", "no such endpoint");
	}
	t->body = !want_get;
	if (want_get ? !get : !post)
		return refuse(e, 405, "method", want_get ? "GET only" : "POST only");
	return true;
}

bool req_by_hash(const struct req_target *t)
{
	return t->endpoint == REQ_BLOB || t->endpoint == REQ_BUNDLE || t->endpoint == REQ_KEYRING;
}

bool req_arg_check(const struct req_target *t, struct req_error *e)
{
	if (req_by_hash(t) && !sha256_hex_ok(t->arg))
		return refuse(e, 400, "bad_hash",
			      "a blob, bundle or keyring is named by its lowercase SHA-256");
	if (t->endpoint == REQ_CITIZEN && nik_check(t->arg) != NIK_OK)
		return refuse(e, 400, "bad_nik", "not a valid NIK");
	return true;
}

/* Decimal digits only (no sign, no blanks), at most max_digits of them. */
static bool digits(const char *s, size_t max_digits, int64_t *out)
{
	size_t n = strlen(s);
	if (n == 0 || n > max_digits)
		return false;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool all_digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

bool req_feed_args(const char *since, const char *limit, int64_t *since_out, int *limit_out,
		   struct req_error *e)
{
	*since_out = 0;
	*limit_out = REQ_LIMIT_DEFAULT;
	/* the reference server's cursors are sequence numbers: 18 digits cannot overflow */
	if (since && *since && !digits(since, 18, since_out))
		return refuse(e, 400, "bad_cursor", "since is not a cursor of this server");
	if (limit) {
		int64_t v;
		if (!all_digits(limit))
			return refuse(e, 400, "bad_limit", "limit must be a positive integer");
		/* more digits than fit: clamped like any other value over the maximum */
		if (!digits(limit, 9, &v))
			v = REQ_LIMIT_MAX;
		if (v < 1)
			return refuse(e, 400, "bad_limit", "limit must be a positive integer");
		*limit_out = v > REQ_LIMIT_MAX ? REQ_LIMIT_MAX : (int)v;
	}
	return true;
}

bool req_range_parse(const char *header, size_t total, size_t *first, size_t *last, bool *partial,
		     struct req_error *e)
{
	*first = 0;
	*last = total - 1;
	*partial = false;
	if (!header)
		return true;
	if (strncmp(header, "bytes=", 6) != 0)
		return refuse(e, 416, "bad_range", "only bytes=N- and bytes=N-M ranges are served");
	const char *a = header + 6, *dash = strchr(a, '-');
	if (!dash || dash == a)
		return refuse(e, 416, "bad_range", "only bytes=N- and bytes=N-M ranges are served");
	char num[20];
	size_t alen = (size_t)(dash - a);
	int64_t from, to = -1;
	if (alen >= sizeof(num))
		return refuse(e, 416, "bad_range", "range starts past the end");
	memcpy(num, a, alen);
	num[alen] = '\0';
	/* 18 digits: below 2^63, and far past any blob */
	if (!digits(num, 18, &from) || (dash[1] && !all_digits(dash + 1)))
		return refuse(e, 416, "bad_range", "only bytes=N- and bytes=N-M ranges are served");
	if (dash[1] && !digits(dash + 1, 18, &to))
		to = INT64_MAX; /* more digits than any size: "to the end" */
	if ((uint64_t)from >= total)
		return refuse(e, 416, "bad_range", "range starts past the end");
	if (to >= 0 && to < from)
		return refuse(e, 416, "bad_range", "range ends before it starts");
	*first = (size_t)from;
	if (to >= 0 && (uint64_t)to < total)
		*last = (size_t)to;
	*partial = true;
	return true;
}

static void refuse_event(struct req_event *ev, const char *code, const char *why)
{
	ev->refused = code;
	ev->why = why;
}

/* pin_ok, pin_failed, pin_locked: data.nik a valid NIK; pin_locked: data.locked_until. */
static bool pin_event(struct req_event *ev, json_t *data)
{
	json_t *until = json_object_get(data, "locked_until");
	bool locked = strcmp(ev->kind, "pin_locked") == 0;
	ev->holder = json_string_value(json_object_get(data, "nik"));
	if (!ev->holder || nik_check(ev->holder) != NIK_OK ||
	    (!locked && strcmp(ev->kind, "pin_ok") != 0 && strcmp(ev->kind, "pin_failed") != 0))
		return false;
	if (!locked)
		return true;
	ev->until = json_is_integer(until) ? (int64_t)json_integer_value(until) : 0;
	return ev->until >= 1 && ev->until <= ((int64_t)1 << 40);
}

bool req_events_parse(const char *body, size_t len, struct req_events *out, struct req_error *e)
{
	memset(out, 0, sizeof(*out));
	json_t *root =
	    len <= REQ_BODY_MAX ? json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL) : NULL;
	out->root = root;
	json_t *arr = json_object_get(root, "events");
	if (!json_is_array(arr) || json_array_size(arr) > REQ_EVENTS_MAX)
		return refuse(e, 400, "bad_request", "expected {\"events\": [...]} (<= 100)");
	out->ev = calloc(json_array_size(arr) + 1, sizeof(*out->ev));
	if (!out->ev)
		return refuse(e, 500, "internal", "out of memory");
	out->n = json_array_size(arr);
	for (size_t i = 0; i < out->n; i++) {
		struct req_event *ev = &out->ev[i];
		json_t *o = json_array_get(arr, i);
		json_t *data = json_object_get(o, "data");
		json_t *doc = json_object_get(data, "document");
		ev->index = i;
		ev->id = json_string_value(json_object_get(o, "id"));
		ev->kind = json_string_value(json_object_get(o, "kind"));
		ev->document = json_string_value(doc);
		if (ev->id && !req_name_ok(ev->id, REQ_ID_MAX))
			ev->id = NULL;
		if (!ev->id || !ev->kind || !req_name_ok(ev->kind, 32) ||
		    (data && !json_is_object(data)) || (doc && !ev->document) ||
		    (ev->document && !req_name_ok(ev->document, REQ_ID_MAX))) {
			refuse_event(ev, "invalid",
				     "an event needs an id, a kind and an object "
				     "as data (protocol section 3)");
			continue;
		}
		/* what these two say is about one document: without it they say nothing */
		if (!ev->document &&
		    (strcmp(ev->kind, "printed") == 0 || strcmp(ev->kind, "print_failed") == 0)) {
			refuse_event(ev, "no_document", "a print event names its document");
			continue;
		}
		if (strncmp(ev->kind, "pin_", 4) == 0 && !pin_event(ev, data)) {
			refuse_event(ev, "invalid",
				     "an account PIN event names its holder's NIK (and a lock's "
				     "locked_until)");
			continue;
		}
		ev->json = json_dumps(o, JSON_COMPACT);
		if (!ev->json)
			refuse_event(ev, "internal", "out of memory");
	}
	return true;
}

void req_events_free(struct req_events *ev)
{
	if (!ev)
		return;
	for (size_t i = 0; ev->ev && i < ev->n; i++)
		free(ev->ev[i].json);
	free(ev->ev);
	json_decref(ev->root);
	memset(ev, 0, sizeof(*ev));
}

char *req_heartbeat_parse(const char *body, size_t len, struct req_error *e)
{
	json_t *root =
	    len <= REQ_HEARTBEAT_MAX ? json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL) : NULL;
	char *js = json_is_object(root) ? json_dumps(root, JSON_COMPACT) : NULL;
	if (!js)
		refuse(e, 400, "bad_request", "heartbeat must be a JSON object <= 16 KiB");
	json_decref(root);
	return js;
}
