/*
 * libFuzzer target for the changes-feed parser: any bytes in, no crash, no leak, and a
 * page that parses must hold only records the cache accepts.
 */
#include "proto.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proto_page p;
	char err[200];
	/* '{' is odd: a citizen answer in the corpus starts with a space */
	bool with_cursor = size > 0 && (data[0] & 1);
	if (proto_parse_changes((const char *)data, size, with_cursor, 1000, &p, err,
				sizeof(err))) {
		for (size_t i = 0; i < p.n; i++) {
			const struct cache_change *c = &p.changes[i];
			if (c->del && (!c->key || !c->key[0]))
				abort();
			if (!c->del && c->kind == CACHE_CH_DOCUMENT &&
			    (strlen(c->u.d.doc.blob_sha256) != 64 || c->u.d.doc.pages < 1))
				abort();
		}
		if (with_cursor && !proto_cursor_ok(p.next_cursor))
			abort();
		if (p.follow_until < 0 || (with_cursor && p.follow_until != 0))
			abort();
	}
	proto_page_free(&p);
	return 0;
}
