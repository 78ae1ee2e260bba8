/*
 * Content publishing (issue 12) as adm-central's /v1/offices/ site: an office uploads a
 * signed bundle (POST /v1/offices/{office}/bundles with its API token), which the server
 * verifies as a kiosk would (content_bundle_read against the keyring it was started with:
 * signature, the office's own publisher, version, expiry, the scope its key may publish
 * to, every file) before storing it. What kiosks fetch is in sync_api.c (GET
 * /v1/kiosks/{id}/content, GET /v1/bundles/{sha256}); docs/sync-protocol.md says both.
 */
#ifndef ADM_CENTRAL_CONTENT_API_H
#define ADM_CENTRAL_CONTENT_API_H

#include "content.h"
#include "http.h"

#include <stddef.h>

struct bundles;

/* The largest upload: every file at its cap, the manifest at its cap, and the blob's
 * signatures and framing. */
#define CONTENT_PUBLISH_MAX ((size_t)CONTENT_BUNDLE_MAX + CONTENT_MANIFEST_MAX + 4096)

struct content_api {
	struct bundles *bundles;
	const content_keyring *keyring; /* --content-keyring; NULL: publishing is refused */
};

/* Verifies and stores a bundle office uploaded: the HTTP status to answer (201 when
 * stored, or stored before with the same bytes) and its JSON body (malloc'ed): the
 * bundle's sha256, publisher and version, or {"error": {code, message}}. Also for the
 * office pages' upload form. */
unsigned content_publish(struct content_api *api, const char *office, const void *data, size_t len,
			 char **json);

/* The /v1/offices/ site of api, which must outlive the server. */
struct http_site content_api_site(struct content_api *api);

#endif
