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

struct proto_page {
	struct cache_change *changes;
	size_t n;
	char next_cursor[CACHE_CURSOR_MAX + 1];
	bool more;
	/* a citizen answer: the server sends their changes until then; 0: in the kiosk's
	 * own scope, for good */
	int64_t follow_until;
	void *root; /* the parsed JSON; strings of changes point into it */
};

/*
 * Parses a changes page (with_cursor: the changes feed) or a citizen answer (!with_cursor:
 * no next_cursor/more). Returns true and fills out, or false with a reason in err (which
 * never contains personal data). Free with proto_page_free() in both cases.
 */
bool proto_parse_changes(const char *body, size_t len, bool with_cursor, size_t max_changes,
			 struct proto_page *out, char *err, size_t err_size);
void proto_page_free(struct proto_page *p);

/* The answer to POST events: calls fn for each accepted event id. */
bool proto_parse_accepted(const char *body, size_t len, void (*fn)(const char *id, void *user),
			  void *user, char *err, size_t err_size);

/* Cursor and id alphabets (also used for URLs: nothing here needs escaping). */
bool proto_cursor_ok(const char *s);
bool proto_id_ok(const char *s);

#endif
