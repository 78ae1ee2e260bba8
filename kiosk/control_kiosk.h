/*
 * The running kiosk's side of admctl (control/control.h): on the control socket's own
 * thread, never the UI's. It answers
 *   status       the health the backend last computed (health.h), versions, uptime
 *   screen       the state on screen and its touch targets: action, arg, rectangle (no
 *                text, so nothing of the citizen; screen_state.h)
 *   service      {"on": bool, "message": "...", "queue": "Q"}: the kiosk (or queue Q
 *                only) out of service with the technician's words, or back (admctl has
 *                already stored it in the cache for restarts)
 *   test-print   {"queue": "Q"}: a test page through the kiosk's own printer (its counters
 *                count it), answered when the job ended: job, sheets, outcome
 *   reader-test  {"timeout_s": N}: the next card laid: type, UID, whether it is a KTP-el
 *   prints-changed  admctl settled an uncertain print: count them again
 * What needs only the cache (prints, purge, audit) admctl does on the cache itself.
 */
#ifndef ADM_CONTROL_KIOSK_H
#define ADM_CONTROL_KIOSK_H

#include "app.h"
#include "config.h"
#include "devices.h"
#include "printing.h"
#include "technician.h"

struct kiosk_control;

/* Listens on cfg->control; NULL (logged) when none is configured or it cannot. */
struct kiosk_control *kiosk_control_start(struct app *app, const struct kiosk_config *cfg,
					  struct devices *devices, struct printing *printing,
					  struct technician *technician);
void kiosk_control_stop(struct kiosk_control *kc); /* NULL is fine */
/* UI thread: the health JSON just computed (health_json), for status. NULL kc is fine. */
void kiosk_control_health(struct kiosk_control *kc, const char *json);

#endif
