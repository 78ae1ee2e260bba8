/*
 * libFuzzer target for the events answer (proto_parse_accepted in syncd/proto.c): any
 * body from the server, no crash, no leak; every id it hands on is one the outbox could
 * hold (proto_id_ok, at most CACHE_ID_MAX), an answer it accepts hands on each entry
 * of its "accepted" list, no more, and an answer it refuses hands on none.
 */
#include "proto.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	size_t n;
	size_t bytes;
};

static void on_id(const char *id, void *user)
{
	struct seen *s = user;
	size_t len = strnlen(id, CACHE_ID_MAX + 1);
	if (len == 0 || len > CACHE_ID_MAX || !proto_id_ok(id))
		abort();
	s->n++;
	s->bytes += len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen s = { 0 };
	char err[200];

	err[0] = '\0';
	bool ok = proto_parse_accepted((const char *)data, size, on_id, &s, err, sizeof(err));
	if (!ok && !err[0])
		abort(); /* a refusal says why */
	if (!ok && s.n)
		abort(); /* and acknowledges nothing */
	/* each id is at least 2 bytes of JSON ("") plus itself: more ids than that is a
	 * list it made up */
	if (s.bytes + 2 * s.n > size)
		abort();
	if (ok) { /* the list as jansson reads it on its own */
		json_t *root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
		json_t *list = json_object_get(root, "accepted");
		if (!json_is_array(list) || json_array_size(list) != s.n)
			abort();
		json_decref(root);
	}
	return 0;
}
