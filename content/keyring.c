/*
 * The keyring: which publisher keys a kiosk trusts, for which regions, and which are
 * revoked, signed by an offline root of several Ed25519 keys with a threshold (2 of 3 in
 * the deployment). Rotation follows TUF's root rule without its weight: keyring N+1 must
 * carry a threshold of keyring N's root keys and a threshold of its own, so neither a
 * stolen old root key nor a freshly invented root can take over alone. Versions advance
 * one at a time; a kiosk given N+3 applies N+1, N+2, N+3 in order.
 */
#include "content_internal.h"

#include <stdlib.h>
#include <string.h>

struct content_keyring {
	int64_t version, created;
	size_t threshold;
	unsigned char root[CONTENT_ROOT_KEYS_MAX][CONTENT_PK_BYTES];
	unsigned char rootid[CONTENT_ROOT_KEYS_MAX][CONTENT_KEYID_BYTES];
	size_t nroot;
	struct content_publisher pubs[CONTENT_PUBLISHERS_MAX];
	size_t npubs;
};

#define fail_kr(reason, size, ...) content_fail((reason), (size), CONTENT_E_MANIFEST, __VA_ARGS__)

static int parse_key(json_t *v, unsigned char pk[CONTENT_PK_BYTES])
{
	return json_is_string(v) && content_hex_decode(json_string_value(v), pk, CONTENT_PK_BYTES)
		   ? 0
		   : -1;
}

static int parse_publisher(json_t *o, struct content_publisher *p, char *reason, size_t size)
{
	static const char *const keys[] = { "id", "name", "key", "regions", "revoked", NULL };
	memset(p, 0, sizeof(*p));
	if (!json_is_object(o))
		return fail_kr(reason, size, "keyring: %s", "a publisher is not an object");
	int rc = content_json_keys_only(o, keys, "keyring publisher", reason, size);
	if (rc < 0)
		return rc;
	json_t *id = json_object_get(o, "id"), *name = json_object_get(o, "name");
	json_t *regions = json_object_get(o, "regions"), *revoked = json_object_get(o, "revoked");
	if (!json_is_string(id) || !content_name_ok(json_string_value(id), sizeof(p->id) - 1))
		return fail_kr(reason, size, "keyring: %s",
			       "publisher id missing or not [a-z0-9._-]");
	strcpy(p->id, json_string_value(id));
	if (!json_is_string(name) || json_string_length(name) >= sizeof(p->name) ||
	    content_text_check(json_string_value(name), json_string_length(name), false,
			       sizeof(p->name) - 1, NULL, 0) < 0)
		return fail_kr(reason, size,
			       "keyring: publisher %s: name missing or not plain text", p->id);
	strcpy(p->name, json_string_value(name));
	if (parse_key(json_object_get(o, "key"), p->pk) < 0)
		return fail_kr(reason, size, "keyring: publisher %s: key is not 64 hex digits",
			       p->id);
	content_key_id(p->pk, p->keyid);
	if (revoked && !json_is_boolean(revoked))
		return fail_kr(reason, size, "keyring: publisher %s: revoked must be true or false",
			       p->id);
	p->revoked = json_is_true(revoked);
	size_t n = json_array_size(regions);
	if (!json_is_array(regions) || n == 0 || n > sizeof(p->regions) / sizeof(p->regions[0]))
		return fail_kr(reason, size,
			       "keyring: publisher %s: regions must list 1 to 16 codes", p->id);
	for (size_t i = 0; i < n; i++) {
		json_t *r = json_array_get(regions, i);
		if (!json_is_string(r) || !content_region_ok(json_string_value(r)))
			return fail_kr(reason, size, "keyring: publisher %s: bad region code",
				       p->id);
		strcpy(p->regions[i], json_string_value(r));
	}
	p->nregions = n;
	return CONTENT_OK;
}

static int parse(const struct content_blob *b, content_keyring *kr, char *reason, size_t size)
{
	static const char *const keys[] = { "format", "version",    "created",
					    "root",   "publishers", NULL };
	static const char *const root_keys[] = { "threshold", "keys", NULL };
	int rc = content_text_check((const char *)b->payload, b->len, true, CONTENT_KEYRING_MAX,
				    reason, size);
	if (rc < 0)
		return CONTENT_E_MANIFEST;
	json_t *o = content_json_load((const char *)b->payload, b->len, reason, size);
	if (!o)
		return CONTENT_E_MANIFEST;
	rc = content_json_keys_only(o, keys, "keyring", reason, size);
	if (rc < 0)
		goto out;
	rc = CONTENT_E_MANIFEST;
	json_t *format = json_object_get(o, "format"), *version = json_object_get(o, "version");
	json_t *created = json_object_get(o, "created"), *root = json_object_get(o, "root");
	json_t *pubs = json_object_get(o, "publishers");
	if (!json_is_integer(format) || json_integer_value(format) != 1) {
		fail_kr(reason, size, "keyring: %s", "format must be 1");
		goto out;
	}
	if (!json_is_integer(version) || json_integer_value(version) < 1 ||
	    json_integer_value(version) > CONTENT_VERSION_MAX) {
		rc = content_fail(reason, size, CONTENT_E_VERSION,
				  "keyring: version out of range (1..%lld)", CONTENT_VERSION_MAX);
		goto out;
	}
	kr->version = json_integer_value(version);
	if (!json_is_string(created) ||
	    !content_time_parse(json_string_value(created), &kr->created)) {
		fail_kr(reason, size, "keyring: %s", "created is not YYYY-MM-DDTHH:MM:SSZ");
		goto out;
	}
	if (!json_is_object(root) ||
	    content_json_keys_only(root, root_keys, "keyring root", reason, size) < 0)
		goto out;
	json_t *thr = json_object_get(root, "threshold"), *rk = json_object_get(root, "keys");
	kr->nroot = json_array_size(rk);
	if (!json_is_array(rk) || kr->nroot < 2 || kr->nroot > CONTENT_ROOT_KEYS_MAX) {
		fail_kr(reason, size, "keyring: %s", "root must list 2 to 8 keys");
		goto out;
	}
	if (!json_is_integer(thr) || json_integer_value(thr) < 2 ||
	    json_integer_value(thr) > (json_int_t)kr->nroot) {
		fail_kr(reason, size, "keyring: %s",
			"root threshold must be at least 2 and at most the number of keys");
		goto out;
	}
	kr->threshold = (size_t)json_integer_value(thr);
	for (size_t i = 0; i < kr->nroot; i++) {
		if (parse_key(json_array_get(rk, i), kr->root[i]) < 0) {
			fail_kr(reason, size, "keyring: %s", "a root key is not 64 hex digits");
			goto out;
		}
		content_key_id(kr->root[i], kr->rootid[i]);
		for (size_t j = 0; j < i; j++)
			if (memcmp(kr->rootid[i], kr->rootid[j], CONTENT_KEYID_BYTES) == 0) {
				fail_kr(reason, size, "keyring: %s", "a root key is listed twice");
				goto out;
			}
	}
	kr->npubs = json_array_size(pubs);
	if (!json_is_array(pubs) || kr->npubs > CONTENT_PUBLISHERS_MAX) {
		fail_kr(reason, size, "keyring: %s", "publishers must be a list of at most 64");
		goto out;
	}
	for (size_t i = 0; i < kr->npubs; i++) {
		rc = parse_publisher(json_array_get(pubs, i), &kr->pubs[i], reason, size);
		if (rc < 0)
			goto out;
		rc = CONTENT_E_MANIFEST;
		for (size_t j = 0; j < i; j++)
			if (memcmp(kr->pubs[i].keyid, kr->pubs[j].keyid, CONTENT_KEYID_BYTES) ==
			    0) {
				fail_kr(reason, size, "keyring: publisher key of %s listed twice",
					kr->pubs[i].id);
				goto out;
			}
		for (size_t j = 0; j < kr->nroot; j++)
			if (memcmp(kr->pubs[i].keyid, kr->rootid[j], CONTENT_KEYID_BYTES) == 0) {
				fail_kr(reason, size, "keyring: publisher %s uses a root key",
					kr->pubs[i].id);
				goto out;
			}
	}
	rc = CONTENT_OK;
out:
	json_decref(o);
	return rc;
}

int content_keyring_parse_unsigned(const struct content_blob *b, content_keyring **out,
				   char *reason, size_t reason_size)
{
	*out = NULL;
	content_keyring *kr = calloc(1, sizeof(*kr));
	if (!kr)
		return content_fail(reason, reason_size, CONTENT_E_NOMEM, "out of memory");
	int rc = parse(b, kr, reason, reason_size);
	if (rc < 0) {
		free(kr);
		return rc;
	}
	*out = kr;
	return CONTENT_OK;
}

size_t content_keyring_root_sigs(const content_keyring *kr, const struct content_blob *b)
{
	size_t count = 0;
	/* per root key, not per signature: two signatures under one key id count once */
	for (size_t i = 0; i < kr->nroot; i++) {
		for (size_t s = 0; s < b->nsigs; s++) {
			if (memcmp(b->sigs[s].keyid, kr->rootid[i], CONTENT_KEYID_BYTES) == 0 &&
			    content_blob_sig_ok(b, &b->sigs[s], kr->root[i])) {
				count++;
				break;
			}
		}
	}
	return count;
}

size_t content_keyring_threshold(const content_keyring *kr)
{
	return kr->threshold;
}

int content_keyring_verify(const struct content_blob *b, const content_keyring *prev,
			   content_keyring **out, char *reason, size_t reason_size)
{
	content_keyring *kr;
	int rc = content_keyring_parse_unsigned(b, &kr, reason, reason_size);
	if (rc < 0)
		return rc;
	if (prev && kr->version <= prev->version) {
		rc =
		    content_fail(reason, reason_size, CONTENT_E_VERSION,
				 "keyring version %lld is not newer than %lld (replay or rollback)",
				 (long long)kr->version, (long long)prev->version);
		goto fail;
	}
	if (prev && kr->version != prev->version + 1) {
		rc = content_fail(reason, reason_size, CONTENT_E_VERSION,
				  "keyring version %lld skips versions: apply %lld first",
				  (long long)kr->version, (long long)prev->version + 1);
		goto fail;
	}
	size_t n;
	if (prev && (n = content_keyring_root_sigs(prev, b)) < prev->threshold) {
		rc = content_fail(reason, reason_size, CONTENT_E_SIGNATURE,
				  "keyring %lld carries %zu valid signature(s) of keyring %lld's "
				  "root, needs %zu",
				  (long long)kr->version, n, (long long)prev->version,
				  prev->threshold);
		goto fail;
	}
	if ((n = content_keyring_root_sigs(kr, b)) < kr->threshold) {
		rc = content_fail(reason, reason_size, CONTENT_E_SIGNATURE,
				  "keyring %lld carries %zu valid signature(s) of its own root, "
				  "needs %zu",
				  (long long)kr->version, n, kr->threshold);
		goto fail;
	}
	for (size_t i = 0; prev && i < prev->npubs; i++) {
		const struct content_publisher *p = &prev->pubs[i];
		const struct content_publisher *q = content_keyring_find(kr, p->keyid);
		if (p->revoked && q && !q->revoked) {
			char hex[CONTENT_KEYID_HEX];
			content_key_id_hex(p->keyid, hex);
			rc = content_fail(reason, reason_size, CONTENT_E_MANIFEST,
					  "keyring %lld brings back key %s revoked in %lld",
					  (long long)kr->version, hex, (long long)prev->version);
			goto fail;
		}
	}
	*out = kr;
	return CONTENT_OK;
fail:
	free(kr);
	*out = NULL;
	return rc;
}

int content_keyring_load_chain(const char *const *paths, size_t n, content_keyring **out,
			       char *reason, size_t reason_size)
{
	content_keyring *kr = NULL;
	*out = NULL;
	for (size_t i = 0; i < n; i++) {
		struct content_blob b;
		FILE *f = fopen(paths[i], "rbe");
		if (!f) {
			content_keyring_free(kr);
			return content_fail(reason, reason_size, CONTENT_E_IO, "%s: cannot open",
					    paths[i]);
		}
		int rc = content_blob_read(f, CONTENT_BLOB_KEYRING, CONTENT_KEYRING_MAX, &b, reason,
					   reason_size);
		if (rc == CONTENT_OK && fgetc(f) != EOF)
			rc = content_fail(reason, reason_size, CONTENT_E_FORMAT,
					  "keyring: data after the signatures");
		fclose(f);
		content_keyring *next = NULL;
		if (rc == CONTENT_OK)
			rc = content_keyring_verify(&b, kr, &next, reason, reason_size);
		content_blob_finish(&b);
		content_keyring_free(kr);
		if (rc < 0)
			return rc;
		kr = next;
	}
	*out = kr;
	return kr ? CONTENT_OK
		  : content_fail(reason, reason_size, CONTENT_E_FORMAT, "no keyring given");
}

void content_keyring_free(content_keyring *kr)
{
	free(kr);
}

int64_t content_keyring_version(const content_keyring *kr)
{
	return kr->version;
}

int64_t content_keyring_created(const content_keyring *kr)
{
	return kr->created;
}

const struct content_publisher *content_keyring_find(const content_keyring *kr,
						     const unsigned char keyid[CONTENT_KEYID_BYTES])
{
	for (size_t i = 0; i < kr->npubs; i++)
		if (memcmp(kr->pubs[i].keyid, keyid, CONTENT_KEYID_BYTES) == 0)
			return &kr->pubs[i];
	return NULL;
}
