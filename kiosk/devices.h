/*
 * The kiosk's devices, seen from the UI: starts the drivers the configuration names and
 * turns their events (from their own worker threads) into flow events posted to the UI
 * thread. Service faults from every device are merged into one set of SVC_* bits.
 */
#ifndef ADM_DEVICES_H
#define ADM_DEVICES_H

#include "app.h"
#include "config.h"
#include "health.h"

struct devices;

/* Starts what cfg configures; never fails for a missing device (that is a service fault
 * the screen shows), only for lack of memory or threads (NULL, with a log line). */
struct devices *devices_start(struct app *app, const struct kiosk_config *cfg);
/* Stops every driver; no event is posted after it returns. NULL is fine. */
void devices_stop(struct devices *d);
/* Which devices are configured and answering (reader_*, scanner_*). UI thread. */
void devices_health(struct devices *d, struct health *h);

/* A technician's reader test (admctl reader test): what the next card laid shows, without
 * personal data. While it runs, cards go to the test and not to the flow. */
struct devices_card_test {
	bool type_b;
	char uid[21];	     /* hex */
	bool ktp;	     /* read completely as a KTP-el */
	const char *failure; /* why not (reader_failure_name), "" when it is one */
};
/* Blocks up to timeout_ms for a card (any thread but the UI's and the driver's). False:
 * no card came, or no reader is configured, or a test runs already. */
bool devices_reader_test(struct devices *d, int timeout_ms, struct devices_card_test *out);
/* Ends a test that waits (and every later one) at once: the kiosk is stopping. */
void devices_reader_test_cancel(struct devices *d);

#endif
