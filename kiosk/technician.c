/*
 * Technician mode's work in the kiosk (technician.h).
 *
 * DESIGN. The worker owns the cache connection: the screen's effects queue jobs on it in
 * order. A test page's end arrives on the printer's thread and a reader test's on a thread
 * of its own; both post their event to the flow and queue their audit row on the worker,
 * under `lock`, which technician_stop takes to retire the worker first: what ends after
 * that is posted but no longer audited (the kiosk is stopping).
 */
#include "technician.h"

#include "adm-config.h"

#include "cache.h"
#include "clock.h"
#include "log.h"
#include "membuf.h"
#include "printer.h"
#include "tech_log.h"
#include "testpage.h"
#include "worker.h"

#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>

#define READER_TEST_MS 30000
#define REREAD_MS      5000 /* the uncertain prints and the disk, while the mode shows */

/* The words citizens read when the screen takes something out of service (admctl lets a
 * technician choose their own). A queue's: the attract screen adds its English sentence. */
static const char *const preset[3] = {
	"Printer A4 sedang diperbaiki teknisi",
	"Printer kartu sedang diperbaiki teknisi",
	"Sedang diperbaiki teknisi / Being repaired by a technician",
};

struct technician {
	struct app *app;
	const struct kiosk_config *cfg;
	struct devices *devices;
	struct printing *printing;
	int64_t started_ms;
	atomic_bool off[2]; /* queues out of service: A4, card */
	pthread_mutex_t lock;
	struct worker *worker; /* under lock for the other threads: NULL once stopping */
	cache_t *cache;	       /* the worker's */
	struct health_uncertain unc[HEALTH_UNCERTAIN]; /* under lock */
	int n_unc;
	int64_t disk_mb;
	/* UI thread */
	struct tech_log log;
	int64_t reread_ms;
	pthread_t reader;
	bool reader_started;
	atomic_bool reader_busy;
};

/* ---- the worker's side ------------------------------------------------------------------ */

static cache_t *cache_of(struct technician *t)
{
	int err = 0;
	if (!t->cache && t->cfg->cache_path[0]) {
		struct cache_options o = { .path = t->cfg->cache_path,
					   .key_path = t->cfg->cache_key };
		t->cache = cache_open(&o, &err);
		if (!t->cache)
			log_warn("technician: no cache (%s): nothing is kept of this action",
				 cache_strerror(err));
	}
	return t->cache;
}

struct audit_row {
	char what[40], detail[200];
};

static void job_audit(void *ctx, void *data)
{
	struct technician *t = ctx;
	const struct audit_row *a = data;
	cache_t *c = cache_of(t);
	if (c && cache_audit(c, a->what, NULL, a->detail, (int64_t)time(NULL)) != CACHE_OK)
		log_warn("technician: cannot write %s into the audit", a->what);
}

/* Any thread. */
static void audit(struct technician *t, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void audit(struct technician *t, const char *what, const char *fmt, ...)
{
	struct audit_row a;
	va_list ap;
	snprintf(a.what, sizeof(a.what), "%s", what);
	va_start(ap, fmt);
	vsnprintf(a.detail, sizeof(a.detail), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&t->lock);
	if (t->worker)
		worker_submit(t->worker, job_audit, t, &a, sizeof(a));
	pthread_mutex_unlock(&t->lock);
}

static const char *queue_name(const struct technician *t, int q)
{
	return q ? t->cfg->card_queue : t->cfg->a4_queue;
}

/* A queue out of service or back, on the screen at once; every configured queue out is
 * the whole kiosk unable to print. */
static void show_queue(struct technician *t, int q, const char *msg)
{
	struct flow_event ev = flow_ev(EV_QUEUE_SERVICE, 0);
	ev.arg = q;
	snprintf(ev.message, sizeof(ev.message), "%s", msg);
	atomic_store(&t->off[q], msg[0] != '\0');
	app_post(t->app, &ev);
	bool all = (!t->cfg->a4_queue[0] || atomic_load(&t->off[0])) &&
		   (!t->cfg->card_queue[0] || atomic_load(&t->off[1])) &&
		   (t->cfg->a4_queue[0] || t->cfg->card_queue[0]);
	app_service(t->app, SVC_QUEUES_OFF, all);
}

static void show_kiosk(struct technician *t, const char *msg)
{
	app_service_message(t->app, msg); /* before the bit: events arrive in order */
	app_service(t->app, SVC_MAINTENANCE, msg[0] != '\0');
}

/* A queue taken out by a technician stays out across a restart. */
static void job_restore(void *ctx, void *data)
{
	struct technician *t = ctx;
	char msg[96];
	(void)data;
	for (int q = 0; q < 2; q++)
		if (queue_name(t, q)[0] && cache_of(t) &&
		    cache_queue_message(t->cache, queue_name(t, q), msg, sizeof(msg)) == CACHE_OK &&
		    msg[0]) {
			log_info("the %s queue is out of service by a technician, as before the "
				 "restart",
				 queue_name(t, q));
			show_queue(t, q, msg);
		}
}

static void held_print(int64_t job, const char *doc_id, int cups_job_id, void *user)
{
	struct technician *t = user;
	struct cache_document d;
	if (t->n_unc >= HEALTH_UNCERTAIN)
		return;
	struct health_uncertain *u = &t->unc[t->n_unc++];
	memset(u, 0, sizeof(*u));
	u->job = job;
	u->cups_job = cups_job_id;
	/* its type, printer and pages: never whose */
	if (cache_document_get(t->cache, doc_id, &d) == CACHE_OK) {
		snprintf(u->type, sizeof(u->type), "%s", d.type);
		u->card = d.media == CACHE_MEDIA_CARD;
		u->pages = d.pages;
		sodium_memzero(&d, sizeof(d));
	}
}

static void job_read(void *ctx, void *data)
{
	struct technician *t = ctx;
	struct statvfs sv;
	char dir[512];
	(void)data;
	snprintf(dir, sizeof(dir), "%s", t->cfg->cache_path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	int64_t mb = statvfs(slash && dir[0] ? dir : ".", &sv) == 0
			 ? (int64_t)((uint64_t)sv.f_bavail * sv.f_frsize >> 20)
			 : -1;
	pthread_mutex_lock(&t->lock);
	t->disk_mb = mb;
	t->n_unc = 0;
	if (cache_of(t))
		cache_jobs_uncertain(t->cache, held_print, t);
	pthread_mutex_unlock(&t->lock);
}

static void job_service(void *ctx, void *data)
{
	struct technician *t = ctx;
	const struct flow_effect *fx = data;
	bool back = fx->pin[0] == '1';
	const char *msg = back ? "" : preset[fx->arg];
	cache_t *c = cache_of(t);
	int rc = !c		? CACHE_ERR_STATE
		 : fx->arg == 2 ? cache_service_message_set(c, msg)
				: cache_queue_message_set(c, queue_name(t, fx->arg), msg);
	if (rc != CACHE_OK)
		log_warn("technician: out of service not stored (%s): until the next start only",
			 cache_strerror(rc));
	if (fx->arg == 2)
		show_kiosk(t, msg);
	else
		show_queue(t, fx->arg, msg);
	if (c)
		cache_audit(c, back ? "technician-service-on" : "technician-service-off", NULL,
			    fx->arg == 2 ? "kiosk (screen)"
			    : fx->arg	 ? "queue=card (screen)"
					 : "queue=a4 (screen)",
			    (int64_t)time(NULL));
	log_info("technician: %s %s (screen)", fx->arg == 2 ? "the kiosk" : queue_name(t, fx->arg),
		 back ? "back in service" : "out of service");
}

struct settle {
	int64_t job;
	bool printed;
};

static void job_settle(void *ctx, void *data)
{
	struct technician *t = ctx;
	const struct settle *s = data;
	cache_t *c = cache_of(t);
	int rc = c ? cache_job_settle(c, s->job, s->printed, (int64_t)time(NULL)) : CACHE_ERR_STATE;
	if (rc == CACHE_OK) {
		char detail[64];
		snprintf(detail, sizeof(detail), "job=%lld %s (screen)", (long long)s->job,
			 s->printed ? "printed" : "not-printed");
		cache_audit(c, "technician-settle", NULL, detail, (int64_t)time(NULL));
		printing_recount(t->printing);
	}
	log_info("technician: uncertain print %lld %s: %s", (long long)s->job,
		 s->printed ? "came out" : "did not come out", cache_strerror(rc));
	job_read(t, NULL);
}

/* ---- test pages ---------------------------------------------------------------------------- */

static void outcome_words(const struct printer_event *ev, char *out, size_t size)
{
	char why[64];
	tech_log_printer_message(ev->status.technician, why, sizeof(why));
	if (ev->outcome == PRINTER_OUTCOME_PRINTED)
		snprintf(out, size, "%s, job CUPS %d, %d lembar / sheet(s)", ev->queue, ev->job_id,
			 ev->sheets_done);
	else
		snprintf(out, size, "%s: %s%s%s", ev->queue, printer_outcome_name(ev->outcome),
			 why[0] ? ", " : "", why);
}

/* The screen's test page ended (the printer's thread). */
static void screen_page_done(void *ctx, const struct printer_event *ev)
{
	struct technician *t = ctx;
	struct flow_event fe = flow_ev(EV_TEST_PRINT, 0);
	fe.ok = ev->outcome == PRINTER_OUTCOME_PRINTED;
	outcome_words(ev, fe.message, sizeof(fe.message));
	app_post(t->app, &fe);
	audit(t, "technician-test-print", "queue=%s outcome=%s (screen)", ev->queue,
	      printer_outcome_name(ev->outcome));
}

static bool draw_page(struct technician *t, bool card, struct membuf *pdf)
{
	return printer_test_page(t->cfg->kiosk_id, card, (int64_t)time(NULL), pdf);
}

static void job_test_page(void *ctx, void *data)
{
	struct technician *t = ctx;
	bool card = *(const int *)data;
	struct membuf pdf = { 0 };
	int rc = draw_page(t, card, &pdf)
		     ? printing_test_page(t->printing, card, pdf.data, pdf.len, screen_page_done, t)
		     : PRINTER_E_NOMEM;
	free(pdf.data);
	if (rc == 0)
		return;
	struct flow_event fe = flow_ev(EV_TEST_PRINT, 0);
	snprintf(fe.message, sizeof(fe.message), "%s", printer_strerror(rc));
	app_post(t->app, &fe);
	if (cache_of(t))
		cache_audit(t->cache, "technician-test-print", NULL,
			    card ? "queue=card not submitted (screen)"
				 : "queue=a4 not submitted (screen)",
			    (int64_t)time(NULL));
}

struct follow {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
	struct technician_test *out;
};

static void admctl_page_done(void *ctx, const struct printer_event *ev)
{
	struct follow *f = ctx;
	pthread_mutex_lock(&f->lock);
	f->out->outcome = ev->outcome;
	f->out->job_id = ev->job_id;
	f->out->sheets = ev->sheets_done;
	tech_log_printer_message(ev->status.technician, f->out->why, sizeof(f->out->why));
	f->done = true;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
}

static int queue_index(const struct technician *t, const char *queue)
{
	for (int q = 0; q < 2; q++)
		if (queue_name(t, q)[0] && strcmp(queue, queue_name(t, q)) == 0)
			return q;
	return -1;
}

bool technician_test_print(struct technician *t, const char *queue, struct technician_test *out,
			   char *err, size_t errlen)
{
	int q = queue_index(t, queue);
	struct membuf pdf = { 0 };
	memset(out, 0, sizeof(*out));
	if (q < 0) {
		snprintf(err, errlen,
			 "%s is not a queue of this kiosk ([printer] a4_queue, card_queue)", queue);
		return false;
	}
	if (!draw_page(t, q, &pdf)) {
		free(pdf.data);
		snprintf(err, errlen, "cannot draw the test page");
		return false;
	}
	struct follow f = { .lock = PTHREAD_MUTEX_INITIALIZER,
			    .cond = PTHREAD_COND_INITIALIZER,
			    .out = out };
	out->rc = printing_test_page(t->printing, q, pdf.data, pdf.len, admctl_page_done, &f);
	free(pdf.data);
	pthread_mutex_lock(&f.lock);
	while (out->rc == 0 && !f.done)
		pthread_cond_wait(&f.cond, &f.lock);
	pthread_mutex_unlock(&f.lock);
	audit(t, "technician-test-print", "queue=%s outcome=%s (admctl)", queue,
	      out->rc ? printer_strerror(out->rc) : printer_outcome_name(out->outcome));
	return true;
}

/* ---- the reader test from the screen --------------------------------------------------------- */

static enum flow_error failure_error(const char *failure)
{
	return strcmp(failure, "foreign") == 0	  ? ERR_CARD_FOREIGN
	       : strcmp(failure, "removed") == 0  ? ERR_CARD_REMOVED
	       : strcmp(failure, "multiple") == 0 ? ERR_CARD_MULTIPLE
	       : strcmp(failure, "reader") == 0	  ? ERR_READER_FAILED
						  : ERR_CARD_UNREADABLE;
}

static void *reader_test(void *arg)
{
	struct technician *t = arg;
	struct devices_card_test ct;
	struct flow_event ev = flow_ev(EV_READER_TEST, 0);
	ev.ok = devices_reader_test(t->devices, READER_TEST_MS, &ct);
	if (ev.ok) {
		ev.arg = ct.type_b;
		ev.error = ct.ktp ? ERR_NONE : failure_error(ct.failure);
		snprintf(ev.doc_id, sizeof(ev.doc_id), "%s", ct.uid);
	}
	app_post(t->app, &ev);
	audit(t, "technician-reader-test", "%s (screen)",
	      !ev.ok   ? "no card"
	      : ct.ktp ? "a KTP-el"
		       : ct.failure);
	atomic_store(&t->reader_busy, false);
	return NULL;
}

static void start_reader_test(struct technician *t)
{
	/* one test at a time: one still waiting answers the flow that waits now */
	if (atomic_exchange(&t->reader_busy, true))
		return;
	if (t->reader_started)
		pthread_join(t->reader, NULL); /* it has ended: reader_busy was false */
	t->reader_started = pthread_create(&t->reader, NULL, reader_test, t) == 0;
	if (!t->reader_started) {
		atomic_store(&t->reader_busy, false);
		struct flow_event ev = flow_ev(EV_READER_TEST, 0);
		app_post(t->app, &ev);
	}
}

/* ---- the UI's side ------------------------------------------------------------------------ */

static void submit(struct technician *t, worker_fn fn, const void *data, size_t len)
{
	if (!worker_submit(t->worker, fn, t, data, len))
		log_error("technician: out of memory, the action is dropped");
}

bool technician_carry_out(struct technician *t, const struct flow_effect *fx)
{
	switch (fx->type) {
	case FX_TEST_PRINT: {
		int card = fx->arg == 1;
		submit(t, job_test_page, &card, sizeof(card));
		return true;
	}
	case FX_READER_TEST:
		start_reader_test(t);
		return true;
	case FX_TECH_SERVICE:
		if (fx->arg >= 0 && fx->arg <= 2 && (fx->arg == 2 || queue_name(t, fx->arg)[0]))
			submit(t, job_service, fx, sizeof(*fx));
		return true;
	case FX_SETTLE_JOB: {
		/* the row of the list the screen showed: the list changes only on refresh */
		struct settle s = { 0, fx->arg & 1 };
		pthread_mutex_lock(&t->lock);
		if (fx->arg >> 1 < t->n_unc)
			s.job = t->unc[fx->arg >> 1].job;
		pthread_mutex_unlock(&t->lock);
		if (s.job)
			submit(t, job_settle, &s, sizeof(s));
		return true;
	}
	case FX_TECH_LEFT:
		log_info("technician mode left (%s)", fx->arg ? "inactivity" : "exit");
		audit(t, "technician-exit", "%s", fx->arg ? "inactivity" : "exit button");
		return true;
	default:
		return false;
	}
}

void technician_health(struct technician *t, struct health *h, bool technician, int64_t now_ms)
{
	snprintf(h->version, sizeof(h->version), "%s", ADM_VERSION);
	h->uptime_s = (now_ms - t->started_ms) / 1000;
	pthread_mutex_lock(&t->lock);
	h->n_uncertain = t->n_unc;
	memcpy(h->uncertain, t->unc, sizeof(h->uncertain));
	h->sync.disk_free_mb = t->disk_mb;
	pthread_mutex_unlock(&t->lock);
	tech_log_note(&t->log, h, (int64_t)time(NULL));
	tech_log_copy(&t->log, h);
	if (technician && now_ms >= t->reread_ms) {
		submit(t, job_read, NULL, 0);
		t->reread_ms = now_ms + REREAD_MS;
	} else if (!technician) {
		t->reread_ms = 0; /* read at once when the technician comes */
	}
}

bool technician_queue_off(struct technician *t, bool card)
{
	return t && atomic_load(&t->off[card]);
}

bool technician_service_show(struct technician *t, const char *queue, const char *msg, char *err,
			     size_t errlen)
{
	if (!queue) {
		show_kiosk(t, msg);
		return true;
	}
	int q = queue_index(t, queue);
	if (q < 0) {
		snprintf(err, errlen,
			 "%s is not a queue of this kiosk ([printer] a4_queue, card_queue)", queue);
		return false;
	}
	show_queue(t, q, msg);
	return true;
}

struct technician *technician_start(struct app *app, const struct kiosk_config *cfg,
				    struct devices *devices, struct printing *printing)
{
	struct technician *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->app = app;
	t->cfg = cfg;
	t->devices = devices;
	t->printing = printing;
	t->started_ms = clock_mono_ms();
	t->disk_mb = -1;
	pthread_mutex_init(&t->lock, NULL);
	t->worker = worker_create("adm-technician");
	if (!t->worker) {
		pthread_mutex_destroy(&t->lock);
		free(t);
		return NULL;
	}
	submit(t, job_restore, NULL, 0);
	return t;
}

void technician_stop(struct technician *t)
{
	if (!t)
		return;
	devices_reader_test_cancel(t->devices); /* a test waiting for a card ends now */
	if (t->reader_started)
		pthread_join(t->reader, NULL);
	pthread_mutex_lock(&t->lock);
	struct worker *w = t->worker;
	t->worker = NULL; /* a test page that ends later is posted, no longer audited */
	pthread_mutex_unlock(&t->lock);
	worker_destroy(w);
	cache_close(t->cache);
	t->cache = NULL;
}

void technician_free(struct technician *t)
{
	if (!t)
		return;
	pthread_mutex_destroy(&t->lock);
	free(t);
}
