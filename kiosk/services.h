/*
 * The flow's effects that need the cache: looking a holder up (fetching an unknown one
 * through adm-syncd when online), checking the account PIN, listing ready documents and
 * applications in progress, authorising and starting a print. They run on a worker thread (argon2id
 * and SQLite must not stall the screen) and answer with flow events through app_post().
 */
#ifndef ADM_SERVICES_H
#define ADM_SERVICES_H

#include "app.h"
#include "config.h"
#include "flow.h"
#include "health.h"
#include "printing.h"

struct services;

/* Opens the cache cfg names (none configured: every effect answers "service unavailable").
 * A cache that cannot be opened is a service fault (SVC_CACHE_BROKEN), not a start-up
 * failure: the screen says so, and services_tick() tries again until it opens. NULL only
 * without memory. */
struct technician;
struct services *services_start(struct app *app, const struct kiosk_config *cfg,
				struct printing *printing, struct technician *technician);
/* Finishes queued work, closes the cache. NULL is fine. */
void services_stop(struct services *s);

/* Queues one effect (UI thread). Returns false if it was not handled here. */
bool services_carry_out(struct services *s, const struct flow_effect *fx);

/* UI thread. Stores the kiosk's health JSON in the cache for adm-syncd's heartbeat (on
 * the worker; nothing without a cache). */
void services_store_health(struct services *s, const char *json);
/* UI thread. Re-reads where the sync stands on the worker; services_sync() then gives the
 * last figures read (known = false before the first read or without a cache). */
void services_refresh_sync(struct services *s);
void services_sync(struct services *s, struct health_sync *out);
/* UI thread, often (once a second): a cache that could not be opened is tried again
 * every 10 s on the worker; when it opens, SVC_CACHE_BROKEN clears. */
void services_tick(struct services *s, int64_t now_ms);

#endif
