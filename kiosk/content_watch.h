/*
 * The content bundle's watcher, on its own thread in the backend (so after the first
 * frame, and never on the UI thread): loads the configured bundle, verifies it against
 * the provisioned keyring and this kiosk's region, hands the view to the app
 * (app_content), and every few seconds checks whether the file was switched; a switched
 * bundle goes on screen without a restart, one that is refused leaves the one on screen.
 *
 * Today the source is [content] bundle, a signed bundle file (content_load.h); at merge
 * with the kiosk-side store (content/store.h) the check becomes the store's active
 * pointer and the load its active manifest, and nothing else here changes.
 */
#ifndef ADM_CONTENT_WATCH_H
#define ADM_CONTENT_WATCH_H

#include "app.h"
#include "config.h"

/* Seconds between checks of the bundle file. */
#define CONTENT_WATCH_S 3

struct content_watch;

/* NULL when no bundle is configured or without memory/threads (logged). */
struct content_watch *content_watch_start(struct app *app, const struct kiosk_config *cfg);
void content_watch_stop(struct content_watch *w);

#endif
