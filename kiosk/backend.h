/*
 * Everything of adm-kiosk that needs a device or storage library (libnfc, libusb, CUPS,
 * SQLite, libsodium's and OpenSSL's crypto, jansson, SDL_image) lives in a module,
 * adm-kiosk-backend.so, that the kiosk loads after its first frame. The executable links
 * only SDL2 and SDL2_ttf: the dynamic loader then maps ~35 libraries before main instead
 * of ~95, which is about 12 ms less before the first frame (docs/design.md).
 *
 * The module calls back into the executable (app_post, app_service, logging): the
 * executable exports its symbols, and they take precedence over the module's own copies.
 */
#ifndef ADM_BACKEND_H
#define ADM_BACKEND_H

#include "app.h"
#include "config.h"
#include "flow.h"
#include "health.h"

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

struct backend;

struct backend_ops {
	/* Starts the devices, the printers (opened on the services worker) and the cache
	 * services. NULL only without memory or threads. */
	struct backend *(*start)(struct app *app, const struct kiosk_config *cfg);
	/* Stops it all; nothing is posted to the app after it returns. NULL is fine. */
	void (*stop)(struct backend *b);
	/* Carries out an effect that needs the backend (cache, printing, refills); false
	 * when the effect is not the backend's. UI thread. */
	bool (*carry_out)(struct backend *b, const struct flow_effect *fx);
	/* Fills h (devices, printers, sync figures); stores it for adm-syncd's heartbeat when
	 * it changed or every few minutes; in technician mode re-reads the sync figures every
	 * few seconds. UI thread, at most once a second. */
	void (*health)(struct backend *b, struct health *h, bool technician, int64_t now_ms);
	/* Writes the surface as a PNG file. */
	bool (*save_png)(SDL_Surface *s, const char *path);
};

/* Loads adm-kiosk-backend.so from beside the executable, else from the install path.
 * NULL (logged) when it cannot: the kiosk then shows itself out of service. */
const struct backend_ops *backend_load(void);

#endif
