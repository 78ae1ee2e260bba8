/*
 * The sync protocol's endpoints (docs/sync-protocol.md) as adm-central's /v1/ site: the
 * changes feed, blobs with ranges, events, on-demand citizen lookups, heartbeats and the
 * content bundle each kiosk is to show (issue 12), each
 * behind its kiosk's credentials (bearer token, and with --client-ca a certificate).
 */
#ifndef ADM_CENTRAL_SYNC_API_H
#define ADM_CENTRAL_SYNC_API_H

#include "http.h"

#include <stdbool.h>
#include <stdint.h>

struct store;
struct ratelimit;
struct office_store;
struct bundles;

struct sync_api {
	struct store *store;
	int64_t follow_s;	      /* --follow */
	int pin_tries;		      /* --pin-tries: wrong account PINs over every kiosk */
	int64_t pin_lock_s;	      /* --pin-lock: then locked for this long, everywhere */
	bool client_certs;	      /* --client-ca: every request needs a kiosk certificate */
	struct ratelimit *lookups;    /* on-demand citizen lookups, per kiosk */
	struct office_store *offices; /* screenshot requests (office_store.h) */
	struct bundles *bundles;      /* content bundles (bundles.h): what kiosks download */
};

/* The /v1/ site of api, which must outlive the server. */
struct http_site sync_api_site(struct sync_api *api);

#endif
