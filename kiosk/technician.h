/*
 * Technician mode's work in the kiosk (issue 14), for its screen (the flow's FX_TEST_PRINT,
 * FX_READER_TEST, FX_TECH_SERVICE, FX_SETTLE_JOB, FX_TECH_LEFT) and for admctl through the
 * control socket: test pages through the kiosk's own printers (so its counters count them),
 * the reader test, a queue or the whole kiosk out of service, the uncertain prints listed
 * and settled one by one, recent problems. Every action goes into the cache's audit.
 *
 * It has its own worker thread and cache connection (a cache_t is one thread's), and a
 * thread for a reader test from the screen (it waits up to 30 s for a card).
 */
#ifndef ADM_TECHNICIAN_H
#define ADM_TECHNICIAN_H

#include "app.h"
#include "config.h"
#include "devices.h"
#include "flow.h"
#include "health.h"
#include "printing.h"

struct technician;

/* NULL only without memory or threads. */
struct technician *technician_start(struct app *app, const struct kiosk_config *cfg,
				    struct devices *devices, struct printing *printing);
/* Ends its threads: before the devices and the printers stop. NULL is fine. */
void technician_stop(struct technician *t);
/* After the printers stopped (a test page's end may come until then). NULL is fine. */
void technician_free(struct technician *t);

/* The flow's technician effects; false when fx is not one of them. UI thread. */
bool technician_carry_out(struct technician *t, const struct flow_effect *fx);
/* What technician mode shows besides the devices: version, uptime, the uncertain prints,
 * the disk, recent problems (noted from h, which the others filled). UI thread. */
void technician_health(struct technician *t, struct health *h, bool technician, int64_t now_ms);

/* Any thread: a queue a technician took out of service (its documents cannot be chosen). */
bool technician_queue_off(struct technician *t, bool card);
/* admctl service off/on (it stored the words in the cache itself): shows them at once.
 * queue NULL: the whole kiosk; msg "": back in service. False with err: not a queue of
 * this kiosk. Any thread. */
bool technician_service_show(struct technician *t, const char *queue, const char *msg, char *err,
			     size_t errlen);

/* admctl test-print through the running kiosk: blocks until the job ended (the driver ends
 * every job it took, at the latest after its stall timeout). Control thread. */
struct technician_test {
	int rc;	     /* 0, or the printer_error that kept it from being submitted */
	int outcome; /* enum printer_outcome */
	int job_id, sheets;
	char why[256];
};
bool technician_test_print(struct technician *t, const char *queue, struct technician_test *out,
			   char *err, size_t errlen);

#endif
