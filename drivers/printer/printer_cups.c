/*
 * The CUPS backend: one worker thread per queue that submits, follows jobs and watches
 * the printer's health while idle.
 *
 * DESIGN. Who owns what:
 *  - The owner's thread calls submit/cancel/get_status/refill; they only touch the fields
 *    marked "locked" under b->lock and wake the worker through b->cond. They never talk to
 *    CUPS, so the UI thread never waits for a printer.
 *  - The worker owns the http_t to cupsd (libcups connections are per thread) and all IPP
 *    traffic; it sleeps on b->cond between polls (poll_ms during a job; while idle from
 *    idle_poll_ms, doubling up to idle_poll_max_ms while nothing changes), so an idle
 *    kiosk makes two cheap requests every few seconds and nothing spins. The connection
 *    to the printer itself is kept open between polls, as the one to cupsd is. It calls
 *    the owner's callbacks without holding the lock.
 *  - printer_reconcile() runs on the caller's thread with a connection of its own.
 * One job at a time per queue: a kiosk prints one citizen's document at a time.
 *
 * Job sequence: Create-Job (job id) -> record_job() (the owner stores the id) -> send the
 * PDF from memory and release the job -> poll until final, or cancel on stall. The copy of
 * the document is wiped as soon as CUPS has it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "cups_ipp.h"
#include "jobwatch.h"
#include "log.h"
#include "printer_backend.h"

struct printer_backend {
	char queue[128];
	char server[256];
	char media_kw[64];
	struct printer_config cfg; /* callbacks and timings; its strings are not used */
	pthread_t thread;
	bool thread_started;
	pthread_mutex_t lock;
	pthread_cond_t cond;

	/* locked */
	bool stop;
	bool busy; /* a document waiting or a job being followed */
	unsigned char *doc;
	size_t doc_len;
	int doc_pages;
	uint64_t doc_tag;
	int adopt_job; /* a job left by a previous run, to follow without sending */
	uint64_t adopt_tag;
	bool cancel_req;
	bool woken; /* a refill: poll now and restart the idle backoff */
	struct printer_status status;
	struct consumables supplies;
	unsigned seq;
	unsigned nonce; /* set at open: job names differ between runs of the kiosk */

	/* worker only */
	http_t *http;
	http_t *dev_http;	   /* to the printer itself (b->device), kept between polls */
	char device[1024];	   /* the queue's device URI, for asking the printer directly */
	struct cups_target target; /* looked up once per connection */
};

static void wipe_free(unsigned char *p, size_t n)
{
	if (p) {
		explicit_bzero(p, n);
		free(p);
	}
}

static void emit(struct printer_backend *b, struct printer_event *ev)
{
	ev->queue = b->queue;
	ev->media = b->cfg.media;
	ev->at_ms = clock_mono_ms();
	if (b->cfg.on_event)
		b->cfg.on_event(b->cfg.ctx, ev);
}

/* Waits on the condition for up to ms, or until woken. Called with the lock held. */
static void wait_ms(struct printer_backend *b, int ms)
{
	struct timespec ts = clock_mono_after(ms);
	pthread_cond_timedwait(&b->cond, &b->lock, &ts);
}

static http_t *conn(struct printer_backend *b)
{
	if (!b->http)
		b->http = cups_ipp_connect(b->server[0] ? b->server : NULL, 5000);
	return b->http;
}

static void drop_dev_conn(struct printer_backend *b)
{
	httpClose(b->dev_http);
	b->dev_http = NULL;
}

static void drop_conn(struct printer_backend *b)
{
	cups_ipp_target_free(&b->target);
	httpClose(b->http);
	b->http = NULL;
}

/* The kiosk's own counters override a printer that looks fine but has nothing to print on. */
static void overlay_supplies(struct printer_backend *b, struct printer_status *st)
{
	enum consumable_kind k = CONSUMABLE_SHEETS;
	enum consumable_state cs = consumables_worst(&b->supplies, &k);
	if (cs == CONSUMABLE_EMPTY && st->severity != PRINTER_SEV_ERROR)
		printer_status_set(st, PRINTER_FAULT_SUPPLY_OUT, b->cfg.media,
				   "%s: supply-out; the kiosk's %s counter is at zero (refill)",
				   b->queue, consumable_name(k));
	else if (cs == CONSUMABLE_LOW && st->severity == PRINTER_SEV_OK)
		printer_status_set(st, PRINTER_FAULT_SUPPLY_LOW, b->cfg.media,
				   "%s: supply-low; %s: %d left", b->queue, consumable_name(k),
				   b->supplies.c[k].level);
}

/* Stores a new status; emits PRINTER_EV_STATUS when the fault changed, and says so. */
static bool set_status(struct printer_backend *b, struct printer_status *st, bool announce)
{
	pthread_mutex_lock(&b->lock);
	overlay_supplies(b, st);
	bool changed = st->fault != b->status.fault;
	if (st->n_markers == 0) { /* only the printer's direct answers carry them: keep them */
		st->n_markers = b->status.n_markers;
		memcpy(st->markers, b->status.markers, sizeof(st->markers));
	}
	b->status = *st;
	pthread_mutex_unlock(&b->lock);
	if (changed) {
		if (st->severity == PRINTER_SEV_ERROR)
			log_warn("printer %s", st->technician);
		else
			log_info("printer %s", st->technician);
	}
	if (changed && announce) {
		struct printer_event ev = { .type = PRINTER_EV_STATUS, .status = *st };
		emit(b, &ev);
	}
	return changed;
}

/* The queue, then the printer itself where its URI allows. Worker only. */
static void probe_health(struct printer_backend *b, struct printer_status *st)
{
	if (!conn(b)) {
		printer_status_set(st, PRINTER_FAULT_SERVER, b->cfg.media,
				   "%s: server-down; cannot connect to CUPS", b->queue);
		return;
	}
	char was[sizeof(b->device)];
	memcpy(was, b->device, sizeof(was));
	int rc = cups_ipp_queue_status(b->http, b->queue, b->cfg.media, st, b->device,
				       sizeof(b->device), NULL, NULL);
	if (rc == PRINTER_E_SERVER)
		drop_conn(b);
	if (strcmp(was, b->device) != 0) /* the queue was pointed elsewhere */
		drop_dev_conn(b);
	if (rc == 0 && st->severity != PRINTER_SEV_ERROR && b->device[0]) {
		/* cupsd does not poll an idle printer: ask it directly. */
		struct printer_status dst;
		if (cups_ipp_device_status(b->device, b->queue, b->cfg.media, 2000, &b->dev_http,
					   &dst) != -1)
			*st = dst;
	}
}

/*
 * During a job cupsd learns the printer's faults only at its backend's next poll of the
 * printer (1, 1, 2, 3, 5, 8 s apart), so the printer is also asked directly on every job
 * poll. A worse fault from the printer replaces the job's view and counts as news.
 */
static bool merge_device(struct printer_backend *b, struct printer_status *st,
			 struct job_observation *o)
{
	if (!b->device[0])
		return false;
	struct printer_status dst;
	int rc =
	    cups_ipp_device_status(b->device, b->queue, b->cfg.media, 1000, &b->dev_http, &dst);
	if (rc == -1)
		return false;
	o->signature = jobwatch_hash(o->signature, printer_fault_name(dst.fault));
	if (dst.fault > st->fault && st->fault != PRINTER_FAULT_STOPPED)
		*st = dst;
	return rc == 0; /* it answered (an unreachable one is merged as offline) */
}

/*
 * Whether the printer itself has the job, asked while cupsd processes it (see jobwatch.h:
 * a kiosk's cancel after that is uncertain). The printer's own job list, by the job's
 * unique name, answers. A printer that cannot be asked (not IPP, an adopted job whose name
 * is not known, one that answers for its state but not for its jobs) counts as having it:
 * a technician's look costs less than a second copy. One that does not answer at all has
 * not got it from cupsd either (the ipp backend reaches it the same way).
 */
static bool printer_has_job(struct printer_backend *b, const char *title, bool answered)
{
	bool ipp = strncmp(b->device, "ipp://", 6) == 0 || strncmp(b->device, "ipps://", 7) == 0;
	if (!title || !ipp)
		return true;
	if (!answered) /* and not asked again: an unreachable printer costs a timeout a look */
		return false;
	int s = cups_ipp_device_job_state(b->device, title, false, 1000);
	if (s == 0) /* finished already, or not there yet */
		s = cups_ipp_device_job_state(b->device, title, true, 1000);
	return s != 0; /* listed, or it cannot tell */
}

/*
 * One idle health poll; returns the wait before the next. A printer that stays as it was
 * is asked half as often each time, up to idle_poll_max_ms: an idle kiosk's printers are
 * almost always fine, and each poll wakes the worker, cupsd and the printer. A change,
 * or a fault (so that its end shows as soon as it came), polls at idle_poll_ms again.
 */
static int poll_health(struct printer_backend *b, int last_wait_ms)
{
	struct printer_status st;
	probe_health(b, &st);
	bool changed = set_status(b, &st, true);
	if (changed || st.severity == PRINTER_SEV_ERROR || last_wait_ms <= 0)
		return b->cfg.idle_poll_ms;
	int next = last_wait_ms * 2;
	return next > b->cfg.idle_poll_max_ms ? b->cfg.idle_poll_max_ms : next;
}

static void take_supplies(struct printer_backend *b, int printed)
{
	pthread_mutex_lock(&b->lock);
	unsigned changed =
	    consumables_take(&b->supplies, b->cfg.media == PRINTER_MEDIA_CARD, printed);
	struct consumables copy = b->supplies;
	pthread_mutex_unlock(&b->lock);
	if (b->cfg.save_consumables)
		b->cfg.save_consumables(b->cfg.ctx, b->queue, &copy);
	for (int k = 0; k < CONSUMABLE_COUNT; k++) {
		if (!(changed & (1u << k)))
			continue;
		struct printer_event ev = { .type = PRINTER_EV_SUPPLY,
					    .supply = (enum consumable_kind)k,
					    .supply_level = copy.c[k].level };
		log_warn("printer %s: %s at %d (warning level %d)", b->queue,
			 consumable_name((enum consumable_kind)k), copy.c[k].level,
			 copy.c[k].warn_at);
		emit(b, &ev);
	}
}

/* Why a job that did not print ended, when the printer's own reasons say nothing. */
static void explain_outcome(struct printer_backend *b, int job_id, enum printer_outcome oc,
			    bool stalled, struct printer_status *st)
{
	if (oc == PRINTER_OUTCOME_PRINTED || st->severity == PRINTER_SEV_ERROR)
		return;
	const char *why = "ended without printing";
	if (oc == PRINTER_OUTCOME_HISTORY_LOST)
		why = "completed with cups-ipp-missing-job-history: the printer restarted and lost "
		      "the job, nothing is known to have printed";
	else if (oc == PRINTER_OUTCOME_FAILED)
		why = "aborted or canceled at the printer";
	else if (oc == PRINTER_OUTCOME_CANCELED)
		why = stalled ? "no progress within the stall timeout: canceled by the kiosk"
			      : "canceled by the kiosk on request";
	else if (oc == PRINTER_OUTCOME_UNCERTAIN)
		why = stalled
			  ? "no progress within the stall timeout: canceled by the kiosk after "
			    "the printer had it; it may still print: a technician must settle it"
			  : "canceled by the kiosk after the printer had it; it may still "
			    "print: a technician must settle it";
	else if (oc == PRINTER_OUTCOME_UNKNOWN)
		why = "unknown to CUPS (history purged?)";
	/* The job's reasons said nothing useful (a printer that vanished says nothing at
	 * all): look at the printer now, so the citizen reads "not responding" when so. */
	struct printer_status now;
	probe_health(b, &now);
	char prev[PRINTER_TECH_MAX];
	snprintf(prev, sizeof(prev), "%s", now.technician);
	printer_status_set(st, now.severity == PRINTER_SEV_ERROR ? now.fault : PRINTER_FAULT_OTHER,
			   b->cfg.media, "%s: job %d %s; printer now: %.120s", b->queue, job_id,
			   why, prev);
}

static void finish(struct printer_backend *b, int job_id, uint64_t tag, enum printer_outcome oc,
		   int sheets, struct printer_status *st)
{
	struct printer_event ev = { .type = PRINTER_EV_JOB_DONE,
				    .tag = tag,
				    .job_id = job_id,
				    .outcome = oc,
				    .sheets_done = sheets,
				    .status = *st };
	log_info("printer %s: job %d %s (%d sheet(s))", b->queue, job_id, printer_outcome_name(oc),
		 sheets);
	/* Free before telling: an owner may submit the next document from the callback. */
	pthread_mutex_lock(&b->lock);
	b->busy = false;
	pthread_mutex_unlock(&b->lock);
	emit(b, &ev);
}

/* Follows a job until it is final, canceled by the kiosk, or the handle closes. */
/*
 * cupsd can call a job completed that the printer aborted: when the printer gives up
 * before the ipp backend's first look, nothing of it reaches cupsd (seen with CUPS 2.4.2
 * and ippeveprinter). So a completion is checked against the printer's own job list,
 * by the job's unique name, where the printer can be asked.
 */
static enum printer_outcome confirm_with_printer(struct printer_backend *b, int job_id,
						 const char *title, struct printer_status *st)
{
	if (!title || !b->device[0])
		return PRINTER_OUTCOME_PRINTED;
	int state = cups_ipp_device_job_state(b->device, title, true, 2000);
	if (state != IPP_JOB_CANCELED_ && state != IPP_JOB_ABORTED_)
		return PRINTER_OUTCOME_PRINTED; /* completed, or the printer keeps no list */
	printer_status_set(st, PRINTER_FAULT_OTHER, b->cfg.media,
			   "%s: job %d: CUPS says completed but the printer %s it", b->queue,
			   job_id, state == IPP_JOB_ABORTED_ ? "aborted" : "canceled");
	return PRINTER_OUTCOME_FAILED;
}

static void follow(struct printer_backend *b, int job_id, uint64_t tag, int pages,
		   const char *title)
{
	struct jobwatch w;
	jobwatch_start(&w, b->cfg.stall_timeout_ms, clock_mono_ms());
	if (!b->device[0] && conn(b)) {
		struct printer_status qst;
		cups_ipp_queue_status(b->http, b->queue, b->cfg.media, &qst, b->device,
				      sizeof(b->device), NULL, NULL);
	}
	struct printer_status st = b->status;
	struct job_observation o = { 0 };
	enum printer_outcome oc = PRINTER_OUTCOME_PENDING;
	for (;;) {
		pthread_mutex_lock(&b->lock);
		bool stop = b->stop, cancel = b->cancel_req;
		b->cancel_req = false;
		pthread_mutex_unlock(&b->lock);
		if (stop) {
			log_info("printer %s: closing while job %d runs; reconcile at next start",
				 b->queue, job_id);
			return;
		}
		if (cancel && !w.kiosk_canceled) {
			log_info("printer %s: job %d canceled on request", b->queue, job_id);
			if (conn(b))
				cups_ipp_cancel(b->http, b->queue, job_id);
			jobwatch_canceled(&w, false, clock_mono_ms());
		}
		enum jobwatch_verdict v;
		int64_t now = clock_mono_ms();
		if (!conn(b) || cups_ipp_job(b->http, b->queue, job_id, b->cfg.media, &o, &st)) {
			drop_conn(b);
			v = jobwatch_no_answer(&w, now, &oc);
		} else {
			bool answered = merge_device(b, &st, &o);
			/* processed: cupsd started it before, then put it back (restarted, or a
			 * retry): the printer may have had it in that attempt */
			if (!w.reached && (o.state == IPP_JOB_PROCESSING_ || o.processed) &&
			    printer_has_job(b, title, answered)) {
				log_info("printer %s: job %d is at the printer", b->queue, job_id);
				jobwatch_reached(&w);
			}
			v = jobwatch_step(&w, &o, now, &oc);
		}
		if (v == JOBWATCH_DONE)
			break;
		if (v == JOBWATCH_CHANGED) {
			set_status(b, &st, false);
			struct printer_event ev = { .type = PRINTER_EV_JOB_PROGRESS,
						    .tag = tag,
						    .job_id = job_id,
						    .job_state = o.state,
						    .sheets_done = o.sheets,
						    .status = b->status };
			emit(b, &ev);
		} else if (v == JOBWATCH_CANCEL) {
			log_warn("printer %s: job %d made no progress for %d ms; canceling (%s)",
				 b->queue, job_id, b->cfg.stall_timeout_ms, st.technician);
			if (conn(b))
				cups_ipp_cancel(b->http, b->queue, job_id);
			jobwatch_canceled(&w, true, now);
			continue; /* look at once: the cancel usually lands at once */
		}
		pthread_mutex_lock(&b->lock);
		if (!b->stop && !b->cancel_req)
			wait_ms(b, b->cfg.poll_ms);
		pthread_mutex_unlock(&b->lock);
	}
	if (oc == PRINTER_OUTCOME_PRINTED)
		oc = confirm_with_printer(b, job_id, title, &st);
	/* What actually printed: the printer's count where it gives more than the pages
	 * (copies, a blank sheet), never less: cupsd's job-media-sheets-completed can lag
	 * the last page at completion, and counting short would warn too late. */
	int sheets = 0;
	if (oc == PRINTER_OUTCOME_PRINTED) {
		sheets = o.sheets > pages ? o.sheets : pages;
		take_supplies(b, sheets);
	}
	explain_outcome(b, job_id, oc, w.stalled, &st);
	finish(b, job_id, tag, oc, sheets, &st);
}

static void run_document(struct printer_backend *b, unsigned char *doc, size_t len, int pages,
			 uint64_t tag, unsigned seq)
{
	struct printer_status st = b->status;
	int job_id = 0;
	char title[64];
	/* A job name with no personal data: queue kind, a counter, and a per-run nonce that
	 * makes it unique at the printer (see confirm_with_printer). */
	snprintf(title, sizeof(title), "adm-%s-%u-%08x",
		 b->cfg.media == PRINTER_MEDIA_CARD ? "card" : "a4", seq, b->nonce);
	int rc = conn(b) ? cups_ipp_target(b->http, b->queue, &b->target) : PRINTER_E_SERVER;
	if (rc == 0)
		rc = cups_ipp_create(b->http, &b->target, title, b->media_kw, &job_id);
	if (rc) {
		wipe_free(doc, len);
		cups_ipp_target_free(&b->target); /* the queue may have changed: look again */
		if (rc == PRINTER_E_SERVER)
			drop_conn(b);
		if (b->http)
			cups_ipp_queue_status(b->http, b->queue, b->cfg.media, &st, NULL, 0, NULL,
					      NULL);
		if (st.severity != PRINTER_SEV_ERROR)
			printer_status_set(&st, PRINTER_FAULT_OTHER, b->cfg.media,
					   "%s: CUPS did not create the job: %s", b->queue,
					   printer_strerror(rc));
		finish(b, 0, tag, PRINTER_OUTCOME_NOT_SUBMITTED, 0, &st);
		return;
	}
	/* The id is stored before the job can print, so a crash from here on is reconciled. */
	if (b->cfg.record_job && !b->cfg.record_job(b->cfg.ctx, tag, b->queue, job_id)) {
		wipe_free(doc, len);
		cups_ipp_cancel(b->http, b->queue, job_id);
		printer_status_set(&st, PRINTER_FAULT_OTHER, b->cfg.media,
				   "%s: job %d not recorded by the owner; canceled before sending",
				   b->queue, job_id);
		finish(b, job_id, tag, PRINTER_OUTCOME_NOT_SUBMITTED, 0, &st);
		return;
	}
	rc = cups_ipp_send(b->http, &b->target, job_id, doc, len);
	wipe_free(doc, len);
	if (rc) {
		drop_conn(b);
		if (conn(b))
			cups_ipp_cancel(b->http, b->queue, job_id);
		printer_status_set(&st, PRINTER_FAULT_OTHER, b->cfg.media,
				   "%s: job %d: sending the document failed: %s", b->queue, job_id,
				   printer_strerror(rc));
		finish(b, job_id, tag, PRINTER_OUTCOME_NOT_SUBMITTED, 0, &st);
		return;
	}
	struct printer_event ev = {
		.type = PRINTER_EV_JOB_SENT, .tag = tag, .job_id = job_id, .status = b->status
	};
	emit(b, &ev);
	follow(b, job_id, tag, pages, title);
}

static void *worker(void *arg)
{
	struct printer_backend *b = arg;
	int idle_wait = 0; /* 0: the next health poll starts the backoff afresh */
	pthread_mutex_lock(&b->lock);
	while (!b->stop) {
		if (b->doc || b->adopt_job) {
			unsigned char *doc = b->doc;
			size_t len = b->doc_len;
			int pages = b->doc_pages, adopt = b->adopt_job;
			uint64_t tag = adopt ? b->adopt_tag : b->doc_tag;
			unsigned seq = ++b->seq;
			b->doc = NULL;
			b->adopt_job = 0;
			b->cancel_req = false;
			pthread_mutex_unlock(&b->lock);
			if (adopt)
				follow(b, adopt, tag, 1, NULL);
			else
				run_document(b, doc, len, pages, tag, seq);
			pthread_mutex_lock(&b->lock);
			idle_wait = 0;
			continue; /* the health poll right after a job shows what it left */
		}
		pthread_mutex_unlock(&b->lock);
		idle_wait = poll_health(b, idle_wait);
		pthread_mutex_lock(&b->lock);
		if (!b->stop && !b->doc && !b->adopt_job && !b->woken)
			wait_ms(b, idle_wait);
		if (b->woken) /* a refill: look again soon, whatever the backoff was */
			idle_wait = 0;
		b->woken = false;
	}
	pthread_mutex_unlock(&b->lock);
	drop_dev_conn(b);
	drop_conn(b);
	return NULL;
}

static void cups_close(struct printer_backend *b)
{
	if (!b)
		return;
	if (b->thread_started) {
		pthread_mutex_lock(&b->lock);
		b->stop = true;
		pthread_cond_signal(&b->cond);
		pthread_mutex_unlock(&b->lock);
		pthread_join(b->thread, NULL);
	}
	wipe_free(b->doc, b->doc_len);
	drop_dev_conn(b);
	drop_conn(b);
	pthread_cond_destroy(&b->cond);
	pthread_mutex_destroy(&b->lock);
	free(b);
}

static struct printer_backend *cups_open(const char *queue, const struct printer_config *cfg,
					 int *err)
{
	struct printer_backend *b = calloc(1, sizeof(*b));
	if (!b) {
		*err = PRINTER_E_NOMEM;
		return NULL;
	}
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&b->cond, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&b->lock, NULL);
	b->cfg = *cfg;
	b->cfg.server = b->cfg.media_keyword = NULL;
	if (b->cfg.poll_ms <= 0)
		b->cfg.poll_ms = 500;
	if (b->cfg.idle_poll_ms <= 0)
		b->cfg.idle_poll_ms = 1000;
	if (b->cfg.idle_poll_max_ms <= 0)
		b->cfg.idle_poll_max_ms = 5000;
	if (b->cfg.idle_poll_max_ms < b->cfg.idle_poll_ms)
		b->cfg.idle_poll_max_ms = b->cfg.idle_poll_ms;
	if (b->cfg.stall_timeout_ms <= 0)
		b->cfg.stall_timeout_ms = 180000;
	b->supplies = cfg->supplies;
	b->nonce = (unsigned)(clock_mono_us() ^ ((uint64_t)getpid() << 20) ^ (uintptr_t)b);
	snprintf(b->queue, sizeof(b->queue), "%s", queue);
	snprintf(b->server, sizeof(b->server), "%s", cfg->server ? cfg->server : "");
	snprintf(b->media_kw, sizeof(b->media_kw), "%s",
		 cfg->media_keyword		    ? cfg->media_keyword
		 : cfg->media == PRINTER_MEDIA_CARD ? "om_card_54x86mm"
						    : "iso_a4_210x297mm");

	/* A queue missing from CUPS is a start-up error the technician must see at once. */
	if (!conn(b)) {
		log_error("printer %s: cannot connect to CUPS at %s", b->queue,
			  b->server[0] ? b->server : cupsServer());
		*err = PRINTER_E_SERVER;
		goto fail;
	}
	int rc =
	    cups_ipp_queue_status(b->http, b->queue, cfg->media, &b->status, NULL, 0, NULL, NULL);
	if (rc) {
		log_error("printer %s", b->status.technician);
		*err = rc;
		goto fail;
	}
	overlay_supplies(b, &b->status);
	if (pthread_create(&b->thread, NULL, worker, b) != 0) {
		*err = PRINTER_E_THREAD;
		goto fail;
	}
	b->thread_started = true;
	return b;
fail:
	cups_close(b);
	return NULL;
}

static int cups_submit(struct printer_backend *b, const struct printer_document *doc)
{
	pthread_mutex_lock(&b->lock);
	int rc = 0;
	if (b->busy)
		rc = PRINTER_E_BUSY;
	else if (consumables_worst(&b->supplies, NULL) == CONSUMABLE_EMPTY)
		rc = PRINTER_E_OUT_OF_SERVICE;
	else if (!(b->doc = malloc(doc->len)))
		rc = PRINTER_E_NOMEM;
	if (rc == 0) {
		memcpy(b->doc, doc->pdf, doc->len);
		b->doc_len = doc->len;
		b->doc_pages = doc->pages > 0 ? doc->pages : 1;
		b->doc_tag = doc->tag;
		b->busy = true;
		pthread_cond_signal(&b->cond);
	}
	pthread_mutex_unlock(&b->lock);
	return rc;
}

static int cups_cancel(struct printer_backend *b)
{
	pthread_mutex_lock(&b->lock);
	bool busy = b->busy;
	if (busy) {
		b->cancel_req = true;
		pthread_cond_signal(&b->cond);
	}
	pthread_mutex_unlock(&b->lock);
	return busy ? 0 : PRINTER_E_INVAL;
}

static void cups_get_status(struct printer_backend *b, struct printer_status *out)
{
	pthread_mutex_lock(&b->lock);
	*out = b->status;
	pthread_mutex_unlock(&b->lock);
}

static int cups_reconcile(struct printer_backend *b, int job_id, uint64_t tag,
			  enum printer_outcome *out)
{
	http_t *http = cups_ipp_connect(b->server[0] ? b->server : NULL, 5000);
	if (!http)
		return PRINTER_E_SERVER;
	struct job_observation o;
	struct printer_status st;
	int rc = cups_ipp_job(http, b->queue, job_id, b->cfg.media, &o, &st);
	httpClose(http);
	if (rc)
		return rc;
	/* The kiosk that canceled is gone: a cancel of a started job is uncertain. */
	*out = jobwatch_reconciled(&o);
	log_info("printer %s: reconciled job %d: %s", b->queue, job_id, printer_outcome_name(*out));
	if (*out != PRINTER_OUTCOME_PENDING)
		return 0;
	pthread_mutex_lock(&b->lock);
	if (b->busy) {
		rc = PRINTER_E_BUSY;
	} else {
		b->adopt_job = job_id;
		b->adopt_tag = tag;
		b->busy = true;
		pthread_cond_signal(&b->cond);
	}
	pthread_mutex_unlock(&b->lock);
	return rc;
}

static void cups_refill(struct printer_backend *b, enum consumable_kind k, int amount)
{
	pthread_mutex_lock(&b->lock);
	consumables_refill(&b->supplies, k, amount);
	struct consumables copy = b->supplies;
	/* Wake the worker: the next health poll clears a supply-out fault. */
	b->woken = true;
	pthread_cond_signal(&b->cond);
	pthread_mutex_unlock(&b->lock);
	log_info("printer %s: %s refilled to %d", b->queue, consumable_name(k), copy.c[k].level);
	if (b->cfg.save_consumables)
		b->cfg.save_consumables(b->cfg.ctx, b->queue, &copy);
}

static void cups_get_consumables(struct printer_backend *b, struct consumables *out)
{
	pthread_mutex_lock(&b->lock);
	*out = b->supplies;
	pthread_mutex_unlock(&b->lock);
}

const struct printer_backend_ops printer_cups_ops = {
	.scheme = "cups",
	.open = cups_open,
	.close = cups_close,
	.submit = cups_submit,
	.cancel = cups_cancel,
	.get_status = cups_get_status,
	.reconcile = cups_reconcile,
	.refill = cups_refill,
	.get_consumables = cups_get_consumables,
};
