/*
 * Content publishing (content_api.h). The office's token is checked in begin(), with the
 * headers alone: an unknown office cannot make the server read (or hold) a 64 MB upload.
 * The bundle is then read exactly as a kiosk reads it, by the content library, so the
 * server refuses what every kiosk would refuse and nothing else is re-implemented here.
 */
#include "content_api.h"

#include "bundles.h"
#include "request.h"
#include "sha256.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *error_json(const char *code, const char *msg)
{
	json_t *o = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", msg);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

/* How a refusal of the reader is answered. */
static unsigned refusal(int rc, const char **code)
{
	switch (rc) {
	case CONTENT_E_SIGNATURE:
	case CONTENT_E_REVOKED:
		*code = "signature";
		return 403;
	case CONTENT_E_SCOPE:
		*code = "scope";
		return 403;
	case CONTENT_E_VERSION:
		*code = "version";
		return 409;
	case CONTENT_E_EXPIRED:
		*code = "expired";
		return 422;
	case CONTENT_E_NOMEM:
	case CONTENT_E_IO:
		*code = "internal";
		return 500;
	default:
		*code = "invalid_bundle";
		return 422;
	}
}

/* The keyring entry of the publisher that signed the bundle in data (the reader found one
 * valid signature of an active key of m's publisher), or NULL. */
static const struct content_publisher *signer(const content_keyring *kr, const void *data,
					      size_t len, const char *publisher)
{
	struct content_blob b;
	const struct content_publisher *found = NULL;
	FILE *in = fmemopen((void *)data, len, "rb");
	if (!in)
		return NULL;
	char why[CONTENT_REASON_MAX];
	if (content_blob_read(in, CONTENT_BLOB_BUNDLE, CONTENT_MANIFEST_MAX, &b, why,
			      sizeof(why)) == CONTENT_OK) {
		for (size_t i = 0; !found && i < b.nsigs; i++) {
			const struct content_publisher *p =
			    content_keyring_find(kr, b.sigs[i].keyid);
			if (p && !p->revoked && strcmp(p->id, publisher) == 0)
				found = p;
		}
		content_blob_finish(&b);
	}
	fclose(in);
	return found;
}

/* A bundle addressed to kiosk ids: each must be a kiosk of this server in a region the
 * publisher may publish to (the kiosk would refuse it otherwise, after the download). */
static bool kiosks_ok(struct bundles *bs, const struct content_publisher *pub,
		      const struct content_manifest *m, char *why, size_t why_size)
{
	for (size_t i = 0; i < m->nkiosks; i++) {
		char region[8];
		bool covered = false;
		if (!bundles_kiosk_region(bs, m->kiosks[i], region)) {
			snprintf(why, why_size, "kiosk %s is unknown here or has no region",
				 m->kiosks[i]);
			return false;
		}
		for (size_t j = 0; !covered && j < pub->nregions; j++)
			covered = content_region_covers(pub->regions[j], region);
		if (!covered) {
			snprintf(why, why_size,
				 "publisher %s may not publish to kiosk %s (region %s)", pub->id,
				 m->kiosks[i], region);
			return false;
		}
	}
	return true;
}

unsigned content_publish(struct content_api *api, const char *office, const void *data, size_t len,
			 char **json)
{
	char reason[CONTENT_REASON_MAX] = "", hex[65];
	unsigned char digest[32];
	struct content_manifest *m = NULL;
	const char *code = "internal";
	unsigned status = 500;
	*json = NULL;
	if (!api->keyring) {
		*json = error_json("no_keyring", "this server was started without "
						 "--content-keyring: it cannot check bundles");
		return 503;
	}
	if (!sha256(data, len, digest))
		goto refused;
	sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
	size_t have_len;
	unsigned char *have = bundles_data(api->bundles, hex, &have_len);
	if (have) {
		/* the same bytes again (a retried upload): already there, nothing changes */
		free(have);
		status = 200;
		goto answer_existing;
	}
	FILE *in = fmemopen((void *)data, len, "rb");
	if (!in)
		goto refused;
	struct content_policy p = { .wall_now = (int64_t)time(NULL),
				    .last_version = bundles_last_version,
				    .user = api->bundles };
	int rc = content_bundle_read(in, api->keyring, &p, &m, reason, sizeof(reason));
	fclose(in);
	if (rc != CONTENT_OK) {
		status = refusal(rc, &code);
		goto refused;
	}
	status = 403;
	code = "publisher";
	if (strcmp(m->publisher, office) != 0) {
		snprintf(reason, sizeof(reason),
			 "office %s may only publish bundles of publisher %s", office, office);
		goto refused;
	}
	const struct content_publisher *pub = signer(api->keyring, data, len, m->publisher);
	code = "scope";
	if (!pub) {
		snprintf(reason, sizeof(reason), "no active key of publisher %s signed it",
			 m->publisher);
		goto refused;
	}
	if (!kiosks_ok(api->bundles, pub, m, reason, sizeof(reason)))
		goto refused;
	if (!bundles_add(api->bundles, hex, data, len, m, office, (int64_t)time(NULL))) {
		/* a concurrent upload of the same version won the race */
		bool taken = bundles_last_version(m->publisher, api->bundles) >= m->version;
		status = taken ? 409 : 500;
		code = taken ? "version" : "internal";
		snprintf(reason, sizeof(reason), "%s",
			 taken ? "this version was published meanwhile" : "database error");
		goto refused;
	}
	status = 201;
answer_existing:;
	char url[96];
	snprintf(url, sizeof(url), "/v1/bundles/%s", hex);
	json_t *o = json_pack("{s:s, s:s}", "sha256", hex, "url", url);
	if (m) {
		json_object_set_new(o, "publisher", json_string(m->publisher));
		json_object_set_new(o, "version", json_integer(m->version));
	}
	*json = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	content_manifest_free(m);
	return status;
refused:
	content_manifest_free(m);
	*json = error_json(code, reason[0] ? reason : "cannot check the bundle");
	return status;
}

/* ---- the site ---- */

struct publish_req {
	char office[REQ_ID_MAX + 1];
};

static enum MHD_Result begin(void *cls, struct http_req *r, size_t *body_max)
{
	struct content_api *api = cls;
	const char *id = r->url + strlen("/v1/offices/"), *rest = strchr(id, '/');
	size_t n = rest ? (size_t)(rest - id) : 0;
	struct publish_req *q = calloc(1, sizeof(*q));
	if (!q)
		return MHD_NO;
	r->state = q;
	if (!rest || n == 0 || n > REQ_ID_MAX || strcmp(rest, "/bundles") != 0)
		return http_answer_error(r, 404, "not_found", "no such endpoint", 0);
	if (strcmp(r->method, "POST") != 0)
		return http_answer_error(r, 405, "method", "POST only", 0);
	memcpy(q->office, id, n);
	if (!req_name_ok(q->office, REQ_ID_MAX) ||
	    !bundles_office_auth(api->bundles, q->office, http_bearer(r)))
		return http_answer_error(r, 401, "unauthorized", "missing or wrong office token",
					 0);
	*body_max = CONTENT_PUBLISH_MAX;
	return MHD_YES;
}

static enum MHD_Result finish(void *cls, struct http_req *r)
{
	const struct publish_req *q = r->state;
	char *json;
	unsigned status = content_publish(cls, q->office, r->body, r->len, &json);
	if (!json)
		return http_answer_error(r, 500, "internal", "out of memory", 0);
	return http_answer(r, status, json, strlen(json), "application/json", 0, 0);
}

static void done(void *state)
{
	free(state);
}

struct http_site content_api_site(struct content_api *api)
{
	return (struct http_site){ "/v1/offices/", api, begin, finish, done };
}
