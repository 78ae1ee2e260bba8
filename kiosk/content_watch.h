/*
 * The content bundle's watcher, on its own thread in the backend (so after the first
 * frame, and never on the UI thread): every few seconds it reads the active id of the
 * kiosk's content store ([content] store, content/store.h: installed into by adm-syncd
 * and `admctl bundle install`), and when it changed loads the active bundle
 * (content_store_load_active: the keyring chain and the manifest's signature checked
 * again) with every file through content_store_bundle_read_file (length and SHA-256), and
 * hands the view to the app (app_content), which shows it from the next frame.
 *
 * Versions, the time floor and refusals are the store's, so they outlive a restart. A
 * bundle that fails to load (a file damaged on disk, a key revoked since) is logged with
 * its reason and the one on screen stays; with nothing on screen yet (at start) the
 * previous bundle is loaded instead. A kiosk without a store, not provisioned or with an
 * empty store shows the attract screen without content and logs why, once.
 *
 * The kiosk never calls content_store_rollback: it runs unprivileged and only reads the
 * store (no lock, no write), which root's adm-syncd and admctl own. Whether to roll back
 * stays a technician's act (admctl bundle rollback) or the next delivery's; the reason is
 * in the kiosk's log.
 */
#ifndef ADM_CONTENT_WATCH_H
#define ADM_CONTENT_WATCH_H

#include "app.h"
#include "config.h"

/* Seconds between checks of the store's active id (a read of state.json). */
#define CONTENT_WATCH_S 3

struct content_watch;

/* NULL when no store is configured or without memory/threads (logged). */
struct content_watch *content_watch_start(struct app *app, const struct kiosk_config *cfg);
void content_watch_stop(struct content_watch *w);

#endif
