/*
 * libFuzzer target for adm-syncd's reading of the content offer (syncd/offer.c): any bytes
 * in, no crash, no leak, and an offer that parses holds only what the rules allow (a hash
 * and a size within the cap, keyrings of rising versions within theirs).
 */
#include "proto.h"

#include "sha256.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proto_content_offer o;
	const uint64_t bundle_max = 1u << 20, keyring_max = 70000;
	if (!proto_parse_content_offer((const char *)data, size, bundle_max, keyring_max, &o))
		return 0;
	if (o.sha256[0] ? !sha256_hex_ok(o.sha256) || o.size < 1 || o.size > bundle_max
			: o.size != 0 || o.publisher[0] || o.version)
		abort();
	if (o.version < 0 || o.version > 2147483647 || strlen(o.publisher) > 48 ||
	    o.nkeyrings > PROTO_OFFER_KEYRINGS)
		abort();
	for (size_t i = 0; i < o.nkeyrings; i++) {
		const struct proto_keyring_offer *k = &o.keyrings[i];
		if (!sha256_hex_ok(k->sha256) || k->size < 1 || k->size > keyring_max ||
		    k->version < 1 || (i && k->version <= o.keyrings[i - 1].version))
			abort();
	}
	return 0;
}
