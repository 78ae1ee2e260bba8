/*
 * The module's side of backend.h: devices, printing and services behind one table.
 */
#include "backend.h"

#include "content_watch.h"
#include "control_kiosk.h"
#include "devices.h"
#include "log.h"
#include "printing.h"
#include "services.h"
#include "technician.h"

#include <SDL_image.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How often the stored health is renewed when nothing changed ("updated" tells the
 * registry the kiosk is alive), and how often technician mode re-reads the sync figures. */
#define HEALTH_RESTORE_MS (5 * 60 * 1000)
#define SYNC_REREAD_MS	  5000

struct backend {
	struct devices *devices;
	struct printing *printing;
	struct services *services;
	struct content_watch *content; /* NULL: no bundle configured */
	struct kiosk_control *control; /* admctl's socket; NULL: none */
	struct technician *technician; /* technician mode's work (issue 14) */
	char *health_stored;	       /* the JSON last stored, without its time */
	int64_t health_stored_ms, sync_read_ms;
};

static void stop(struct backend *b)
{
	if (!b)
		return;
	kiosk_control_stop(b->control); /* first: it calls into the devices */
	technician_stop(b->technician);
	content_watch_stop(b->content);
	devices_stop(b->devices);
	services_stop(b->services);
	printing_stop(b->printing);
	technician_free(b->technician);
	free(b->health_stored);
	free(b);
}

static struct backend *start(struct app *app, const struct kiosk_config *cfg)
{
	struct backend *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->devices = devices_start(app, cfg);
	b->printing = printing_create(app);
	b->technician =
	    b->devices && b->printing ? technician_start(app, cfg, b->devices, b->printing) : NULL;
	b->services = b->technician ? services_start(app, cfg, b->printing, b->technician) : NULL;
	if (!b->devices || !b->printing || !b->technician || !b->services) {
		stop(b);
		return NULL;
	}
	b->content = content_watch_start(app, cfg);
	b->control = kiosk_control_start(app, cfg, b->devices, b->printing, b->technician);
	return b;
}

static bool carry_out(struct backend *b, const struct flow_effect *fx)
{
	if (services_carry_out(b->services, fx) || technician_carry_out(b->technician, fx))
		return true;
	if (fx->type == FX_REFILL) {
		printing_refill(b->printing, fx->arg == 1);
		return true;
	}
	if (fx->type == FX_SETTLE) {
		printing_settle_oldest(b->printing, fx->arg & 2, fx->arg & 1);
		return true;
	}
	return false;
}

static void health(struct backend *b, struct health *h, bool technician, int64_t now_ms)
{
	devices_health(b->devices, h);
	printing_health(b->printing, h);
	services_sync(b->services, &h->sync);
	services_tick(b->services, now_ms);
	technician_health(b->technician, h, technician, now_ms);
	if (technician && now_ms >= b->sync_read_ms) {
		services_refresh_sync(b->services);
		b->sync_read_ms = now_ms + SYNC_REREAD_MS;
	} else if (!technician) {
		b->sync_read_ms = 0; /* read at once when the technician comes */
	}
	char *state = health_json(h, 0);
	if (!state)
		return;
	kiosk_control_health(b->control, state);
	if (b->health_stored && strcmp(state, b->health_stored) == 0 &&
	    now_ms < b->health_stored_ms + HEALTH_RESTORE_MS) {
		free(state);
		return;
	}
	char *js = health_json(h, (int64_t)time(NULL));
	if (js)
		services_store_health(b->services, js);
	free(js);
	free(b->health_stored);
	b->health_stored = state;
	b->health_stored_ms = now_ms;
}

static bool save_png(SDL_Surface *s, const char *path)
{
	if (IMG_SavePNG(s, path) == 0)
		return true;
	log_warn("cannot write %s: %s", path, IMG_GetError());
	return false;
}

/* The one symbol the executable looks up. */
const struct backend_ops adm_kiosk_backend = {
	.start = start,
	.stop = stop,
	.carry_out = carry_out,
	.health = health,
	.save_png = save_png,
};
