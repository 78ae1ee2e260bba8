/*
 * The content offer of GET /v1/kiosks/{id}/content (proto.h, docs/sync-protocol.md
 * section 6.2): which bundle the server says this kiosk is to show, and the keyring chain.
 * Nothing here is trusted beyond its shape: the store verifies whatever is downloaded, the
 * publisher and version are only reported (the fleet page), and a keyring list that goes
 * wrong part way is cut there (the kiosk installs them in order, one version at a time).
 */
#include "proto.h"

#include "sha256.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define VERSION_MAX 2147483647

static void keyrings(json_t *a, uint64_t keyring_max, struct proto_content_offer *o)
{
	for (size_t i = 0; i < json_array_size(a) && o->nkeyrings < PROTO_OFFER_KEYRINGS; i++) {
		json_t *k = json_array_get(a, i);
		const char *sha = json_string_value(json_object_get(k, "sha256"));
		json_int_t v = json_integer_value(json_object_get(k, "version"));
		json_int_t size = json_integer_value(json_object_get(k, "size"));
		int64_t before = o->nkeyrings ? o->keyrings[o->nkeyrings - 1].version : 0;
		if (!sha || !sha256_hex_ok(sha) || v <= before || v > VERSION_MAX || size <= 0 ||
		    (uint64_t)size > keyring_max)
			return;
		struct proto_keyring_offer *d = &o->keyrings[o->nkeyrings++];
		snprintf(d->sha256, sizeof(d->sha256), "%s", sha);
		d->version = v;
		d->size = (uint64_t)size;
	}
}

bool proto_parse_content_offer(const char *body, size_t len, uint64_t bundle_max,
			       uint64_t keyring_max, struct proto_content_offer *o)
{
	memset(o, 0, sizeof(*o));
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
	json_t *b = json_object_get(root, "bundle");
	bool ok = json_is_null(b);
	if (json_is_object(b)) {
		const char *sha = json_string_value(json_object_get(b, "sha256"));
		json_int_t size = json_integer_value(json_object_get(b, "size"));
		ok = sha && sha256_hex_ok(sha) && size > 0 && (uint64_t)size <= bundle_max;
		if (ok) {
			snprintf(o->sha256, sizeof(o->sha256), "%s", sha);
			o->size = (uint64_t)size;
		}
		const char *pub = json_string_value(json_object_get(b, "publisher"));
		json_int_t v = json_integer_value(json_object_get(b, "version"));
		if (ok && pub && strlen(pub) < sizeof(o->publisher) && proto_id_ok(pub))
			snprintf(o->publisher, sizeof(o->publisher), "%s", pub);
		if (ok && v >= 1 && v <= VERSION_MAX)
			o->version = v;
	}
	if (ok)
		keyrings(json_object_get(root, "keyrings"), keyring_max, o);
	json_decref(root);
	return ok;
}
