/*
 * Printing, seen from the kiosk: routes a document to the A4 or the card printer, records
 * the CUPS job in the cache before the document is released, follows it to its end and
 * tells the flow; after a restart, reconciles jobs left open with CUPS so that nothing is
 * printed twice and nothing is marked printed without paper.
 */
#ifndef ADM_PRINTING_H
#define ADM_PRINTING_H

#include "app.h"
#include "config.h"
#include "health.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct printing;

/* No I/O: the routes stay empty (nothing printable) until printing_open(). */
struct printing *printing_create(struct app *app);
/* Opens the queues cfg names (none: no printing) and its own cache connection, and settles
 * jobs left open by an earlier run. Talks to CUPS: call it off the UI thread. Called again
 * (after the kiosk's cache opened late) it opens what failed for want of the cache. A
 * queue that cannot be used is a fault the screen shows. */
void printing_open(struct printing *p, const struct kiosk_config *cfg);
/* A configured queue did not open (CUPS down at start): printing_open() again opens it.
 * Any thread. */
bool printing_wants_reopen(struct printing *p, const struct kiosk_config *cfg);
void printing_stop(struct printing *p); /* NULL is fine */

/* Technician: the medium's consumables are full again (persisted). UI thread. */
void printing_refill(struct printing *p, bool card);
/* The printers' state and their consumables (h->printer, n_printers). UI thread. */
void printing_health(struct printing *p, struct health *h);

/*
 * Technician: the verdict on the oldest uncertain print of a printer (health shows how
 * many it holds): it came out (printed) or not (the document is ready again with its PIN).
 * A cache_err, CACHE_ERR_NOT_FOUND when there is none. UI thread (one small write);
 * admctl calls cache_job_settle() on its own handle.
 */
int printing_settle_oldest(struct printing *p, bool card, bool printed);
/* Counts the uncertain prints again after admctl settled one on its own handle. Any
 * thread. */
void printing_recount(struct printing *p);

/* Whether a document on this medium can be printed now. Any thread. */
bool printing_available(struct printing *p, bool card);

/*
 * Sends a decrypted PDF (copied; the caller wipes its own) for the document whose print
 * PIN was just spent. The outcome arrives later as EV_PRINT_DONE or EV_PRINT_FAILED; on
 * failure the document is ready again with its PIN unspent. Returns false if it could not
 * even be submitted: the caller gives the PIN back then.
 */
bool printing_print(struct printing *p, const char *doc_id, bool card, const void *pdf, size_t len,
		    int pages);

/*
 * Technician: a test page (no document, no citizen) through the kiosk's own handle of the
 * queue, so that its counters count the sheet like a citizen's; followed to its end like a
 * citizen's job, which goes to done (on the printer's thread) instead of the flow. 0, or a
 * negative printer_error when it was not submitted (done is then never called).
 */
struct printer_event;
typedef void (*printing_test_fn)(void *ctx, const struct printer_event *ev);
int printing_test_page(struct printing *p, bool card, const void *pdf, size_t len,
		       printing_test_fn done, void *ctx);

#endif
