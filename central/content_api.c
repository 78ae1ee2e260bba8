/*
 * Content publishing (content_api.h). The office's token is checked in begin(), with the
 * headers alone: an unknown office cannot make the server read (or hold) a 64 MB upload.
 * The bundle is then read exactly as a kiosk reads it, by the content library, so the
 * server refuses what every kiosk would refuse and nothing else is re-implemented here.
 */
#include "content_api.h"

#include "bundles.h"
#include "publish.h"
#include "request.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How an outcome of central_publish is answered: its status and error code. */
static unsigned status_of(int rc, const char **code)
{
	switch (rc) {
	case PUBLISH_STORED:
		return 201;
	case PUBLISH_ALREADY:
		return 200;
	case PUBLISH_E_OFF:
		*code = "no_keyring";
		return 503;
	case PUBLISH_E_PUBLISHER:
		*code = "publisher";
		return 403;
	case CONTENT_E_SIGNATURE:
	case CONTENT_E_REVOKED:
		*code = "signature";
		return 403;
	case CONTENT_E_SCOPE:
		*code = "scope";
		return 403;
	case CONTENT_E_VERSION:
	case PUBLISH_E_TAKEN:
		*code = "version";
		return 409;
	case CONTENT_E_EXPIRED:
		*code = "expired";
		return 422;
	case CONTENT_E_NOMEM:
	case CONTENT_E_IO:
	case PUBLISH_E_INTERNAL:
		*code = "internal";
		return 500;
	default: /* PUBLISH_E_EMPTY and the other rules of the format */
		*code = "invalid_bundle";
		return 422;
	}
}

unsigned content_publish(struct content_api *api, const char *office, const void *data, size_t len,
			 char **json)
{
	struct publish_result r;
	const struct publish_office o = { .id = office, .publisher = office };
	const char *code = "internal";
	int rc = central_publish(api->bundles, api->keyring, &o, data, len, &r);
	unsigned status = status_of(rc, &code);
	json_t *j;
	if (rc < 0) {
		j = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message",
			      r.reason[0] ? r.reason : "cannot check the bundle");
	} else {
		char url[96];
		snprintf(url, sizeof(url), "/v1/bundles/%s", r.sha256);
		j = json_pack("{s:s, s:s}", "sha256", r.sha256, "url", url);
		if (j && rc == PUBLISH_STORED) {
			json_object_set_new(j, "publisher", json_string(r.publisher));
			json_object_set_new(j, "version", json_integer(r.version));
		}
	}
	*json = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
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
