/*
 * What adm-central reads from a request, parsed apart from libmicrohttpd so that it runs
 * without a socket (tests/sync/fuzz_central.c feeds it arbitrary bytes): the endpoint a
 * URL names, the changes feed's query arguments, a blob's Range header, and the JSON
 * bodies of events and heartbeats. Every parser takes outside input as it arrived and
 * either fills its result or says why not as a status, a stable error code and a message
 * for the client (docs/sync-protocol.md, "Errors").
 */
#ifndef ADM_CENTRAL_REQUEST_H
#define ADM_CENTRAL_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REQ_BODY_MAX	  (1024 * 1024) /* events and heartbeats */
#define REQ_HEARTBEAT_MAX 16384
#define REQ_EVENTS_MAX	  100
#define REQ_LIMIT_MAX	  1000
#define REQ_LIMIT_DEFAULT 500
#define REQ_ID_MAX	  64

/* Why a request is refused: what the client is told. */
struct req_error {
	unsigned status;
	const char *code;
	const char *message;
};

enum req_endpoint {
	REQ_BLOB,	/* GET /v1/blobs/{sha256} */
	REQ_CHANGES,	/* GET /v1/kiosks/{kiosk}/changes */
	REQ_EVENTS,	/* POST /v1/kiosks/{kiosk}/events */
	REQ_HEARTBEAT,	/* POST /v1/kiosks/{kiosk}/heartbeat */
	REQ_CITIZEN,	/* GET /v1/kiosks/{kiosk}/citizens/{nik} */
	REQ_SCREENSHOT, /* POST /v1/kiosks/{kiosk}/screenshot (a PNG an office asked for) */
	REQ_CONTENT,	/* GET /v1/kiosks/{kiosk}/content: the newest bundle in its scope */
	REQ_BUNDLE,	/* GET /v1/bundles/{sha256} */
	REQ_KEYRING,	/* GET /v1/keyrings/{sha256} */
};

struct req_target {
	enum req_endpoint endpoint;
	char kiosk[REQ_ID_MAX + 1]; /* "" for blobs; unchecked (req_name_ok) */
	char arg[REQ_ID_MAX + 2];   /* the blob's hash or the NIK, unchecked (req_arg_check);
				     * a longer one is cut to 65 characters, which no check
				     * passes */
	bool body;		    /* the endpoint takes a request body */
};

/* 1..max characters of [A-Za-z0-9._-]: kiosk, event and document ids. */
bool req_name_ok(const char *s, size_t max);

/* The endpoint of a /v1/ URL and method: 404 for an unknown URL (also a kiosk id of more
 * than 64 characters), 405 for a known one with the wrong method. The kiosk id and the
 * argument are only cut out here: they are checked with the credentials, so that a
 * client without them learns nothing from the answers. */
bool req_target_parse(const char *url, const char *method, struct req_target *t,
		      struct req_error *e);
/* Whether the endpoint names its object by hash (blobs, bundles, keyrings): any kiosk's
 * token, no kiosk in the URL. */
bool req_by_hash(const struct req_target *t);
/* A blob's, bundle's or keyring's hash (64 lowercase hex digits) or a citizen's NIK
 * (common/nik.h). */
bool req_arg_check(const struct req_target *t, struct req_error *e);

/* The changes feed's since (absent or empty: from the start) and limit (absent: the
 * default; over the maximum: clamped), as decoded from the query string. */
bool req_feed_args(const char *since, const char *limit, int64_t *since_out, int *limit_out,
		   struct req_error *e);

/* A Range header against a blob of total bytes (total >= 1): "bytes=N-" or "bytes=N-M"
 * (M past the end means the end). Without a header (NULL), the whole blob and *partial
 * false. 416 for anything else or a start at or past the end. */
bool req_range_parse(const char *header, size_t total, size_t *first, size_t *last, bool *partial,
		     struct req_error *e);

/* One event of an events request. Those the server cannot take have refused set (a code
 * for the answer's "refused" list) and nothing else is guaranteed but index. */
struct req_event {
	size_t index;
	const char *id;	      /* id alphabet, <= 64; NULL if absent or invalid */
	const char *kind;     /* [A-Za-z0-9._-]{1,32} */
	const char *document; /* data.document: id alphabet, or NULL */
	const char *holder;   /* data.nik of an account PIN event (pin_*): a valid NIK */
	int64_t until;	      /* pin_locked: data.locked_until, 1..2^40 */
	char *json;	      /* the event as compact JSON, as stored */
	const char *refused;  /* NULL, or why not: "invalid", "no_document" */
	const char *why;      /* the message that goes with refused */
};

struct req_events {
	struct req_event *ev;
	size_t n;
	void *root; /* the parsed body (jansson), which the strings point into */
};

/* {"events": [...]} with at most REQ_EVENTS_MAX events; false (400) for any other body.
 * A printed or print_failed event must name its document; an account PIN event (pin_ok,
 * pin_failed, pin_locked) its holder's valid NIK, a pin_locked one also when the lock
 * ends. req_events_free() in any case. */
bool req_events_parse(const char *body, size_t len, struct req_events *out, struct req_error *e);
void req_events_free(struct req_events *ev);

/* A heartbeat body (a JSON object, at most REQ_HEARTBEAT_MAX bytes) as compact JSON
 * (malloc'ed), or NULL with e set. */
char *req_heartbeat_parse(const char *body, size_t len, struct req_error *e);

#endif
