/*
 * The sync protocol's JSON, parsed and validated, with no HTTP in sight (so the fuzzer
 * and the unit tests drive it directly). Everything here comes from the network: each
 * field is checked for type, length, alphabet and range before it reaches the cache, and
 * one bad record makes the whole page invalid (the cursor then does not move).
 * See docs/sync-protocol.md for the format.
 */
#ifndef ADM_SYNC_PROTO_H
#define ADM_SYNC_PROTO_H

#include "cache.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROTO_PAGE_MAX_CHANGES 1000
#define PROTO_BODY_MAX	       (8u * 1024u * 1024u) /* largest JSON body we accept */
#define PROTO_EVENTS_MAX       1000		    /* events in one POST (adm-syncd sends 50) */

struct proto_page {
	struct cache_change *changes;
	size_t n;
	char next_cursor[CACHE_CURSOR_MAX + 1];
	bool more;
	/* a citizen answer: the server sends their changes until then; 0: in the kiosk's
	 * own scope, for good */
	int64_t follow_until;
	char *strings; /* the page's own copies of the strings its changes point to */
};

/*
 * What the kiosk accepts beyond the format: the argon2id costs of PIN hashes, read from
 * the hash's own header ($argon2id$v=19$m=KIB,t=PASSES,p=LANES$...). A hash cheaper than
 * the minimum is one whoever copies the cache brute-forces in moments; one dearer than the
 * maximum stalls the kiosk's services worker on every PIN (t=2^32-1 never ends).
 */
struct proto_limits {
	uint32_t pin_mem_min_kib, pin_mem_max_kib; /* m */
	uint32_t pin_ops_min, pin_ops_max;	   /* t */
	uint32_t pin_lanes_max;			   /* p */
};
/* Defaults: m 16 MiB..1 GiB, t 1..10, p up to 8; what adm-central hashes with (libsodium's
 * interactive to sensitive limits) passes, its --cheap-pins (m=8 KiB, t=1) does not. */
#define PROTO_PIN_MEM_MIN_KIB (16u * 1024u)
#define PROTO_PIN_MEM_MAX_KIB (1024u * 1024u)
#define PROTO_PIN_OPS_MIN     1u
#define PROTO_PIN_OPS_MAX     10u
#define PROTO_PIN_LANES_MAX   8u
void proto_limits_default(struct proto_limits *l);
/* Whether s is an argon2id hash string whose costs lie within l. */
bool proto_pin_hash_ok(const char *s, const struct proto_limits *l);
/* Reads "m=KIB,t=N,p=N" (any of the three, in this order) into the fields given: for the
 * command line's bounds. */
bool proto_pin_cost_parse(const char *spec, uint32_t *m, uint32_t *t, uint32_t *p);

/*
 * Parses a changes page (with_cursor: the changes feed) or a citizen answer (!with_cursor:
 * no next_cursor/more). Returns true and fills out, or false with a reason in err (which
 * never contains personal data). Free with proto_page_free() in both cases. limits NULL:
 * the defaults.
 */
bool proto_parse_changes_limited(const char *body, size_t len, bool with_cursor, size_t max_changes,
				 const struct proto_limits *limits, struct proto_page *out,
				 char *err, size_t err_size);
/* The same with the default limits. */
bool proto_parse_changes(const char *body, size_t len, bool with_cursor, size_t max_changes,
			 struct proto_page *out, char *err, size_t err_size);
void proto_page_free(struct proto_page *p);

/* The answer to POST events: calls fn for each accepted event id. */
typedef void (*proto_accepted_fn)(const char *id, void *user);
bool proto_parse_accepted(const char *body, size_t len, proto_accepted_fn fn, void *user, char *err,
			  size_t es);
/* The same, and refused (NULL: ignored) for each entry of the optional "refused" list
 * (docs/sync-protocol.md): the event's index in the request (< PROTO_EVENTS_MAX), its id
 * or NULL when the server gave none, and the server's code ([A-Za-z0-9_]{1,32}; its
 * message is not passed on: server text stays out of the logs). The whole answer is
 * checked before the first callback. */
typedef void (*proto_refused_fn)(long index, const char *id, const char *code, void *user);
bool proto_parse_events_answer(const char *body, size_t len, proto_accepted_fn accepted,
			       proto_refused_fn refused, void *user, char *err, size_t es);

/* Cursor and id alphabets (also used for URLs: nothing here needs escaping). */
/* ---- content bundles (offer.c; docs/sync-protocol.md, section 6.2) ---- */

#define PROTO_OFFER_KEYRINGS 16 /* keyrings of an offer looked at */

struct proto_keyring_offer {
	char sha256[65];
	int64_t version; /* 1 .. 2^31-1, each above the one before */
	uint64_t size;	 /* 1 .. keyring_max */
};

struct proto_content_offer {
	char sha256[65];    /* the bundle's; "" when the server offers none */
	uint64_t size;	    /* 1 .. bundle_max */
	char publisher[49]; /* what the server says the bundle is, for reports only ("" if
			     * it said nothing valid) */
	int64_t version;    /* the same (0 if none) */
	struct proto_keyring_offer keyrings[PROTO_OFFER_KEYRINGS]; /* oldest first */
	size_t nkeyrings;
};

/* The answer of GET /v1/kiosks/{id}/content: false if it is not an offer (not JSON, no
 * "bundle" member, a bundle with a bad hash or size). The keyrings are taken up to the
 * first entry that breaks the rules; a missing list is none. */
bool proto_parse_content_offer(const char *body, size_t len, uint64_t bundle_max,
			       uint64_t keyring_max, struct proto_content_offer *o);

bool proto_cursor_ok(const char *s);
bool proto_id_ok(const char *s);

#endif
