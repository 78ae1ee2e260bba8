/*
 * DESIGN. One worker thread owns the cache connection (a cache_t is one SQLite
 * connection, used by one thread at a time). The UI thread only queues effects; each job
 * copies what it needs from the effect, answers with one flow event, and wipes its copy
 * (the queue wipes the job data too). An unknown NIK becomes an on-demand fetch request
 * row that adm-syncd answers; the job waits for that answer at most fetch_timeout.
 */
#include "services.h"

#include "cache.h"
#include "clock.h"
#include "log.h"
#include "refusal.h"
#include "technician.h"
#include "thumbs_render.h"
#include "worker.h"

#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How often a cache that could not be opened is tried again (a key provisioned late,
 * permissions repaired, adm-syncd replacing a damaged file). */
#define CACHE_RETRY_MS 10000
/* And a printer queue that could not be opened (CUPS down at start). */
#define PRINTERS_RETRY_MS 15000

struct services {
	struct app *app;
	struct worker *worker;
	cache_t *cache;		 /* the worker's (and services_start/stop's) only */
	atomic_bool cache_ready; /* for the UI thread: cache is set */
	atomic_bool retrying;	 /* a reopen is queued or running */
	bool damaged;		 /* worker: the cache was found damaged; reopen only once checked */
	int64_t retry_ms;	 /* UI thread: next reopen */
	int64_t printers_retry_ms; /* UI thread: next try of a printer queue that failed */
	struct printing *printing;
	struct technician *technician;	/* which queues a technician took out of service */
	struct thumbs_renderer *thumbs; /* the list's first pages, on a thread of their own */
	const struct kiosk_config *cfg;
	int fetch_timeout_ms;
	int max_pin_failures;
	int tech_failures; /* worker thread only: the lockout without a cache */
	int64_t tech_locked_until;
	pthread_mutex_t sync_lock;
	struct health_sync sync; /* the last read of the sync figures, under sync_lock */
};

static void answer(struct services *s, struct flow_event *ev)
{
	app_post(s->app, ev);
	sodium_memzero(ev, sizeof(*ev));
}

/* After every job on the cache: a statement that found the file damaged puts the kiosk
 * out of service at once. The kiosk does not repair the file (adm-syncd owns its content
 * and holds the network to refill it): it asks adm-syncd for a check and opens the cache
 * again once that is done (services_tick). */
static void check_damage(struct services *s)
{
	if (!s->cache || !cache_damaged(s->cache))
		return;
	log_error("the cache is damaged: out of service until adm-syncd has checked it");
	cache_request_check(s->cfg->cache_path);
	cache_close(s->cache);
	s->cache = NULL;
	s->damaged = true;
	atomic_store(&s->cache_ready, false);
	app_service(s->app, SVC_CACHE_BROKEN, true);
}

/* A technician's "out of service" (admctl service off) outlives a restart: read back from
 * the cache when it opens. */
static void restore_service_message(struct services *s)
{
	char msg[96];
	if (cache_service_message(s->cache, msg, sizeof(msg)) != CACHE_OK || !msg[0])
		return;
	log_info("out of service by a technician (admctl service off), as before the restart");
	app_service_message(s->app, msg);
	app_service(s->app, SVC_MAINTENANCE, true);
}

/* ---- jobs (worker thread) --------------------------------------------------------------- */

/* Whole minutes left on a lock (rounded up), for the screen. */
static int lock_minutes(const struct cache_holder *h)
{
	int64_t left = h->locked_until - (int64_t)time(NULL);
	return left > 0 ? (int)((left + 59) / 60) : 0;
}

static int tries_left(struct services *s, const struct cache_holder *h)
{
	int left = s->max_pin_failures - h->failed;
	return left > 0 ? left : 0;
}

/* Asks adm-syncd for a citizen this kiosk has not cached, and waits for its answer. */
static enum cache_fetch_state fetch(struct services *s, const char *nik)
{
	int64_t id = cache_fetch_request(s->cache, nik, (int64_t)time(NULL));
	enum cache_fetch_state st = CACHE_FETCH_FAILED;
	int64_t end = clock_mono_ms() + s->fetch_timeout_ms;

	if (id <= 0)
		return CACHE_FETCH_FAILED;
	while (clock_mono_ms() < end) {
		if (cache_fetch_status(s->cache, id, &st) != CACHE_OK)
			return CACHE_FETCH_FAILED;
		if (st != CACHE_FETCH_PENDING)
			return st;
		usleep(100 * 1000);
	}
	return CACHE_FETCH_OFFLINE; /* no answer in time: as good as offline for this visit */
}

static void job_lookup(void *ctx, void *data)
{
	struct services *s = ctx;
	const struct flow_effect *fx = data;
	struct flow_event ev = flow_ev(EV_HOLDER, 0);
	struct cache_holder h;
	char tag[LOG_REDACT_LEN];

	int rc = cache_holder_find(s->cache, fx->nik, &h);
	/* A citizen of another region whose follow time is over (the purge drops them at the
	 * next sync pass): what the cache has may be stale, so ask again, which also starts
	 * a new follow time. Offline, the cached record serves, as for any citizen. */
	bool stale = rc == CACHE_OK && h.follow_until && h.follow_until <= (int64_t)time(NULL);
	if (rc == CACHE_ERR_NOT_FOUND || stale) {
		enum cache_fetch_state st = fetch(s, fx->nik);
		log_info("holder %s %s; on-demand fetch: %s", log_redact(fx->nik, tag),
			 stale ? "no longer followed" : "not cached", cache_fetch_state_name(st));
		if (st == CACHE_FETCH_DONE)
			rc = cache_holder_find(s->cache, fx->nik, &h);
		else if (st == CACHE_FETCH_NOT_FOUND)
			rc = CACHE_ERR_NOT_FOUND; /* the registry no longer knows them */
		if (rc == CACHE_ERR_NOT_FOUND)
			ev.error = st == CACHE_FETCH_OFFLINE || st == CACHE_FETCH_FAILED
				       ? ERR_NEEDS_NETWORK
				       : ERR_HOLDER_UNKNOWN;
	}
	if (rc == CACHE_OK) {
		if (h.locked_until > (int64_t)time(NULL)) {
			ev.error = ERR_PIN_LOCKED;
			ev.arg = lock_minutes(&h);
		}
		ev.tries_left = tries_left(s, &h);
		memcpy(ev.name, h.name, sizeof(ev.name) - 1);
	} else if (rc != CACHE_ERR_NOT_FOUND) {
		log_error("holder lookup: %s", cache_strerror(rc));
		ev.error = ERR_SERVICE;
	}
	sodium_memzero(&h, sizeof(h));
	answer(s, &ev);
	check_damage(s);
}

static void job_verify_pin(void *ctx, void *data)
{
	struct services *s = ctx;
	const struct flow_effect *fx = data;
	struct flow_event ev = flow_ev(EV_PIN_RESULT, 0);
	struct cache_holder h;

	enum cache_pin_result r = cache_pin_verify(s->cache, fx->nik, fx->pin, (int64_t)time(NULL));
	ev.ok = r == CACHE_PIN_OK;
	if (r == CACHE_PIN_WRONG && cache_holder_find(s->cache, fx->nik, &h) == CACHE_OK)
		ev.tries_left = tries_left(s, &h);
	if (r == CACHE_PIN_LOCKED || r == CACHE_PIN_UNKNOWN)
		ev.error = ERR_PIN_LOCKED;
	/* locked now (or already): how long for */
	if ((r == CACHE_PIN_WRONG || r == CACHE_PIN_LOCKED) &&
	    cache_holder_find(s->cache, fx->nik, &h) == CACHE_OK && lock_minutes(&h) > 0) {
		ev.error = ERR_PIN_LOCKED;
		ev.arg = lock_minutes(&h);
	}
	if (r == CACHE_PIN_ERROR) {
		log_error("account PIN check failed in the cache");
		ev.error = ERR_PIN_LOCKED;
	}
	cache_audit(s->cache, ev.ok ? "pin-ok" : "pin-refused", fx->nik, NULL, (int64_t)time(NULL));
	sodium_memzero(&h, sizeof(h));
	answer(s, &ev);
	check_damage(s);
}

struct doc_list {
	struct services *s;
	struct flow_event *ev;
	int64_t now;
};

/* A day of the kiosk's calendar, for the citizen: the expected or expiry date. */
static void local_date(int64_t t, struct flow_app *a)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (t <= 0 || !localtime_r(&tt, &tm))
		return;
	a->year = (int16_t)(tm.tm_year + 1900);
	a->month = (int8_t)(tm.tm_mon + 1);
	a->day = (int8_t)tm.tm_mday;
}

/* What "nothing ready" says of a document that is not on the list: expired unprinted, or
 * held for a technician (a print that may have come out). */
static void not_listed(const struct cache_document *d, struct flow_event *ev, int64_t now)
{
	bool expired = d->status == CACHE_DOC_EXPIRED ||
		       (d->status == CACHE_DOC_READY && d->expires && d->expires <= now);
	if (d->status == CACHE_DOC_PRINTING)
		ev->held++;
	if (!expired || ev->n_expired >= FLOW_MAX_APPS)
		return;
	struct flow_app *a = &ev->expired[ev->n_expired++];
	snprintf(a->type, sizeof(a->type), "%s", d->type);
	local_date(d->expires, a);
}

static void add_doc(const struct cache_document *d, void *user)
{
	struct doc_list *l = user;
	struct flow_event *ev = l->ev;

	if (d->status != CACHE_DOC_READY || (d->expires && d->expires <= l->now)) {
		not_listed(d, ev, l->now);
		return;
	}
	if (ev->n_docs >= FLOW_MAX_DOCS)
		return;
	struct flow_doc *fd = &ev->docs[ev->n_docs++];
	_Static_assert(sizeof(fd->id) == sizeof(d->id), "document ids are never cut");
	memcpy(fd->id, d->id, sizeof(fd->id));
	/* Titles longer than a screen line are cut (on a character boundary is not
	 * guaranteed: the registry's titles are short ASCII). */
	snprintf(fd->title_id, sizeof(fd->title_id), "%.*s", (int)sizeof(fd->title_id) - 1,
		 d->title_id);
	snprintf(fd->title_en, sizeof(fd->title_en), "%.*s", (int)sizeof(fd->title_en) - 1,
		 d->title_en);
	fd->pages = (uint16_t)(d->pages > 0 ? d->pages : 1);
	fd->card = d->media == CACHE_MEDIA_CARD;
	snprintf(fd->type, sizeof(fd->type), "%s", d->type);
	_Static_assert(sizeof(fd->blob) == sizeof(d->blob_sha256), "hashes are never cut");
	memcpy(fd->blob, d->blob_sha256, sizeof(fd->blob));
	/* the day it was issued, as the kiosk's calendar has it */
	struct tm tm;
	time_t created = (time_t)d->created;
	if (d->created > 0 && localtime_r(&created, &tm))
		fd->issued = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
	/* Printable when its file is here, intact, and its printer can print now. */
	fd->printable = d->blob_present && printing_available(l->s->printing, fd->card) &&
			!technician_queue_off(l->s->technician, fd->card);
	fd->downloading = !d->blob_present;
}

static void add_app(const struct cache_application *a, void *user)
{
	struct flow_event *ev = user;
	if (ev->in_progress >= FLOW_MAX_APPS) {
		ev->in_progress++;
		return;
	}
	struct flow_app *fa = &ev->apps[ev->in_progress++];
	snprintf(fa->type, sizeof(fa->type), "%s", a->type);
	snprintf(fa->stage, sizeof(fa->stage), "%s", a->stage);
	local_date(a->expected, fa);
}

static void job_documents(void *ctx, void *data)
{
	struct services *s = ctx;
	const struct flow_effect *fx = data;
	struct flow_event ev = flow_ev(EV_DOCUMENTS, 0);
	struct doc_list l = { s, &ev, (int64_t)time(NULL) };
	char keys[FLOW_MAX_DOCS][FLOW_HASH_LEN + 1];
	int n_keys = 0;

	if (cache_documents_for_nik(s->cache, fx->nik, add_doc, &l) < 0 ||
	    cache_applications_for_nik(s->cache, fx->nik, add_app, &ev) < 0) {
		log_error("document list: the cache failed");
		ev.error = ERR_SERVICE; /* not "nothing ready": the list is unknown */
	}
	for (int i = 0; i < ev.n_docs; i++)
		if (!ev.docs[i].downloading)
			memcpy(keys[n_keys++], ev.docs[i].blob, sizeof(keys[0]));
	answer(s, &ev);
	/* the list is on its way to the screen; then the files of its thumbnails */
	for (int i = 0; i < n_keys; i++) {
		unsigned char *pdf = NULL;
		size_t len = 0;
		if (thumbs_has(app_thumbs(s->app), keys[i]) ||
		    cache_blob_get(s->cache, keys[i], &pdf, &len) != CACHE_OK)
			continue;
		thumbs_renderer_submit(s->thumbs, keys[i], pdf, len);
		sodium_memzero(pdf, len);
		free(pdf);
	}
	check_damage(s);
}

/* The citizen's one-time print PIN: accepted, it is spent, and the document waits for its
 * turn at the printer (FX_PRINT), or for its PIN back (FX_RELEASE_PIN). */
static void job_authorise(void *ctx, void *data)
{
	struct services *s = ctx;
	const struct flow_effect *fx = data;
	struct flow_event ev = flow_ev(EV_PIN_RESULT, 0);

	enum cache_pin_result r =
	    cache_print_pin_verify(s->cache, fx->doc_id, fx->pin, (int64_t)time(NULL));
	cache_audit(s->cache, r == CACHE_PIN_OK ? "print-pin-ok" : "print-pin-refused", fx->nik,
		    fx->doc_id, (int64_t)time(NULL));
	ev.ok = r == CACHE_PIN_OK;
	if (r != CACHE_PIN_OK) {
		ev.tries_left = -1; /* the cache counts one-time PIN failures itself */
		if (r != CACHE_PIN_WRONG)
			ev.error = ERR_PIN_LOCKED;
	}
	answer(s, &ev);
	check_damage(s);
}

/* A document authorised in this visit (its PIN spent) to the printer. */
static void job_print(void *ctx, void *data)
{
	struct services *s = ctx;
	const struct flow_effect *fx = data;
	struct flow_event ev;
	struct cache_document d;
	unsigned char *pdf = NULL;
	size_t len = 0;

	/* The PIN is spent: from here every failure must give it back. */
	enum print_refusal why = REFUSED_COUNT;
	if (cache_document_get(s->cache, fx->doc_id, &d) != CACHE_OK)
		why = REFUSED_NOT_FOUND;
	else if (cache_blob_get(s->cache, d.blob_sha256, &pdf, &len) != CACHE_OK)
		why = REFUSED_DAMAGED;
	else if (!printing_print(s->printing, d.id, d.media == CACHE_MEDIA_CARD, pdf, len,
				 d.pages > 0 ? d.pages : 1))
		why = REFUSED_PRINTER;
	if (pdf) {
		sodium_memzero(pdf, len);
		free(pdf);
	}
	if (why != REFUSED_COUNT) {
		/* the screens' words (refusal.h), which the catalogues translate */
		const char *why_id, *why_en;
		print_refusal_text(why, &why_id, &why_en);
		cache_print_pin_release(s->cache, fx->doc_id);
		log_warn("print of a document not started: %s", why_en);
		ev = flow_ev(EV_PRINT_FAILED, 0);
		snprintf(ev.message, sizeof(ev.message), "%s", why_id);
		snprintf(ev.message_en, sizeof(ev.message_en), "%s", why_en);
		answer(s, &ev);
	}
	check_damage(s);
}

/* An authorised document that will not print in this visit: its PIN back. */
static void job_release_pin(void *ctx, void *data)
{
	struct services *s = ctx;
	const struct flow_effect *fx = data;
	if (cache_print_pin_release(s->cache, fx->doc_id) != CACHE_OK)
		log_warn("print: cannot give an unprinted document's PIN back");
	check_damage(s);
}

/* The technician PIN: argon2id against the configured hash. The lockout lives in the cache
 * (cache_tech_pin_tried), so lifting the card or restarting gives no fresh tries; without
 * a cache it is counted here, with the same rules, until the kiosk restarts. */
static void job_tech_pin(void *ctx, void *data)
{
	struct services *s = ctx;
	const struct flow_effect *fx = data;
	struct flow_event ev = flow_ev(EV_PIN_RESULT, 0);
	struct cache_tech_lock lock = { .failures = s->tech_failures,
					.locked_until = s->tech_locked_until };
	int64_t now = (int64_t)time(NULL);

	if (s->cache && cache_tech_lock_get(s->cache, &lock) != CACHE_OK)
		lock.locked_until = INT64_MAX; /* unreadable: no tries rather than fresh ones */
	if (now < lock.locked_until) {
		log_info("technician PIN not tried: locked for %" PRId64 " s more",
			 lock.locked_until == INT64_MAX ? -1 : lock.locked_until - now);
		if (s->cache)
			cache_audit(s->cache, "technician-pin-while-locked", NULL, NULL, now);
		ev.error = ERR_PIN_LOCKED;
		answer(s, &ev);
		check_damage(s);
		return;
	}
	ev.ok = s->cfg->tech_pin_hash[0] &&
		crypto_pwhash_str_verify(s->cfg->tech_pin_hash, fx->pin, strlen(fx->pin)) == 0;
	if (!s->cache || cache_tech_pin_tried(s->cache, ev.ok, now, &lock) != CACHE_OK) {
		lock.failures = ev.ok ? 0 : lock.failures + 1;
		if (lock.failures >= CACHE_TECH_TRIES) {
			lock.failures = 0;
			lock.locked_until = now + CACHE_TECH_LOCK_S;
		}
	}
	s->tech_failures = lock.failures;
	s->tech_locked_until = lock.locked_until;
	ev.tries_left = ev.ok ? CACHE_TECH_TRIES : CACHE_TECH_TRIES - lock.failures;
	if (!ev.ok && now < lock.locked_until) {
		ev.tries_left = 0;
		ev.error = ERR_PIN_LOCKED;
	}
	log_info("technician PIN %s", ev.ok			   ? "accepted: technician mode"
				      : ev.error == ERR_PIN_LOCKED ? "refused: locked"
								   : "refused");
	answer(s, &ev);
	check_damage(s);
}

/* The kiosk's health JSON, for adm-syncd's next heartbeat. */
static void job_store_health(void *ctx, void *data)
{
	struct services *s = ctx;
	if (cache_state_set(s->cache, "health", data) != CACHE_OK)
		log_warn("cannot store the kiosk's health for the heartbeat");
	check_damage(s);
}

/* Where the sync stands, for the technician. */
static void job_read_sync(void *ctx, void *data)
{
	struct services *s = ctx;
	struct health_sync hs = { .known = true };
	char t[32];
	(void)data;
	if (cache_state_get(s->cache, "last_sync_ok", t, sizeof(t)) == CACHE_OK)
		hs.last_ok = strtoll(t, NULL, 10);
	hs.documents = cache_document_count(s->cache);
	hs.outbox_pending = cache_outbox_pending(s->cache);
	hs.blobs_missing = cache_blobs_missing(s->cache, 1000000, NULL, NULL);
	pthread_mutex_lock(&s->sync_lock);
	s->sync = hs;
	pthread_mutex_unlock(&s->sync_lock);
	check_damage(s);
}

/* Opens the configured cache; quiet: a retry every 10 s must not fill the log. */
static cache_t *open_cache(struct services *s, int *err)
{
	struct cache_options opt = {
		.path = s->cfg->cache_path,
		.key_path = s->cfg->cache_key,
		.max_pin_failures = s->max_pin_failures,
		.lockout_seconds = s->cfg->pin_lock_minutes * 60,
	};
	cache_t *c = cache_open(&opt, err);
	if (c) {
		unsigned char key[32];
		cache_redact_key(c, key);
		log_set_redact_key(key, sizeof(key));
		sodium_memzero(key, sizeof(key));
	}
	return c;
}

static void job_open_printing(void *ctx, void *data)
{
	struct services *s = ctx;
	(void)data;
	printing_open(s->printing, s->cfg);
}

static void job_retry_printers(void *ctx, void *data)
{
	struct services *s = ctx;
	(void)data;
	if (s->printing && printing_wants_reopen(s->printing, s->cfg))
		printing_open(s->printing, s->cfg);
}

/* A cache that could not be opened at start, tried again: once it opens, the kiosk is
 * back in service without a restart (and the printers, which need it, open too). */
static void job_reopen_cache(void *ctx, void *data)
{
	struct services *s = ctx;
	int err = 0;
	(void)data;
	if (s->damaged && cache_check_requested(s->cfg->cache_path)) {
		atomic_store(&s->retrying, false); /* adm-syncd has not come to it yet */
		return;
	}
	s->cache = open_cache(s, &err);
	if (s->cache && s->damaged && !cache_quick_check_ok(s->cache)) {
		cache_request_check(s->cfg->cache_path); /* still damaged: ask again */
		cache_close(s->cache);
		s->cache = NULL;
	}
	if (s->cache) {
		s->damaged = false;
		log_info("cache %s opened: back in service", s->cfg->cache_path);
		restore_service_message(s);
		atomic_store(&s->cache_ready, true);
		app_service(s->app, SVC_CACHE_BROKEN, false);
		printing_open(s->printing, s->cfg);
	} else {
		log_debug("cache %s still cannot be opened: %s", s->cfg->cache_path,
			  cache_strerror(err));
	}
	atomic_store(&s->retrying, false);
}

/* Effects that need the cache when there is none: "service unavailable". */
static void job_no_cache(void *ctx, void *data)
{
	struct services *s = ctx;
	const struct flow_effect *fx = data;
	struct flow_event ev = flow_ev(EV_HOLDER, 0);
	if (fx->type == FX_VERIFY_PIN || fx->type == FX_AUTHORISE_PRINT)
		ev.type = EV_PIN_RESULT;
	else if (fx->type == FX_LOAD_DOCUMENTS)
		ev.type = EV_DOCUMENTS;
	else if (fx->type == FX_PRINT) {
		ev.type = EV_PRINT_FAILED;
		snprintf(ev.message, sizeof(ev.message), "Data ADM tidak dapat dibaca");
		snprintf(ev.message_en, sizeof(ev.message_en), "The kiosk cannot read its data");
	} else if (fx->type == FX_RELEASE_PIN) {
		log_warn(
		    "an unprinted document's PIN: no cache to give it back (at the next start)");
		return;
	}
	ev.error = ERR_SERVICE;
	log_warn("%s: no document cache",
		 fx->type == FX_LOOKUP_HOLDER ? "holder lookup" : "cache access");
	answer(s, &ev);
}

/* Thumbnail thread: a thumbnail is in the store; the UI thread draws it in the frame that
 * follows this (harmless) tick. */
static void wake_ui(void *app)
{
	struct flow_event ev = flow_ev(EV_TICK, 0);
	app_post(app, &ev);
}

/* ---- UI side ------------------------------------------------------------------------------ */

bool services_carry_out(struct services *s, const struct flow_effect *fx)
{
	worker_fn fn;

	switch (fx->type) {
	case FX_WIPE_SESSION: /* the thumbnails' fonts; the shell wipes the rest */
		thumbs_renderer_forget(s->thumbs);
		return false;
	case FX_LOOKUP_HOLDER:
		fn = job_lookup;
		break;
	case FX_VERIFY_PIN:
		fn = job_verify_pin;
		break;
	case FX_LOAD_DOCUMENTS:
		fn = job_documents;
		break;
	case FX_AUTHORISE_PRINT:
		fn = job_authorise;
		break;
	case FX_PRINT:
		fn = job_print;
		break;
	case FX_RELEASE_PIN:
		fn = job_release_pin;
		break;
	case FX_VERIFY_TECH_PIN:
		fn = job_tech_pin;
		break;
	default:
		return false;
	}
	/* Without a cache, nothing to look in: the flow shows "service unavailable" (the
	 * technician's PIN is in the configuration and needs none). On the worker too, in
	 * order with what is queued. */
	if (!atomic_load(&s->cache_ready) && fx->type != FX_VERIFY_TECH_PIN)
		fn = job_no_cache;
	if (!worker_submit(s->worker, fn, s, fx, sizeof(*fx))) {
		log_error("out of memory: effect %d dropped", fx->type);
		return false;
	}
	return true;
}

void services_store_health(struct services *s, const char *json)
{
	if (atomic_load(&s->cache_ready))
		worker_submit(s->worker, job_store_health, s, json, strlen(json) + 1);
}

void services_refresh_sync(struct services *s)
{
	if (atomic_load(&s->cache_ready))
		worker_submit(s->worker, job_read_sync, s, NULL, 0);
}

void services_tick(struct services *s, int64_t now_ms)
{
	/* a printer queue CUPS could not open at start (cupsd down): tried again, on the
	 * worker (the printers' lock is no business of the UI thread) */
	if (now_ms >= s->printers_retry_ms) {
		s->printers_retry_ms = now_ms + PRINTERS_RETRY_MS;
		worker_submit(s->worker, job_retry_printers, s, NULL, 0);
	}
	if (!s->cfg->cache_path[0] || atomic_load(&s->cache_ready) || now_ms < s->retry_ms ||
	    atomic_exchange(&s->retrying, true))
		return;
	s->retry_ms = now_ms + CACHE_RETRY_MS;
	if (!worker_submit(s->worker, job_reopen_cache, s, NULL, 0))
		atomic_store(&s->retrying, false);
}

void services_sync(struct services *s, struct health_sync *out)
{
	pthread_mutex_lock(&s->sync_lock);
	*out = s->sync;
	pthread_mutex_unlock(&s->sync_lock);
}

struct services *services_start(struct app *app, const struct kiosk_config *cfg,
				struct printing *printing, struct technician *technician)
{
	struct services *s = calloc(1, sizeof(*s));
	int err = 0;

	if (!s)
		return NULL;
	s->app = app;
	pthread_mutex_init(&s->sync_lock, NULL);
	s->printing = printing;
	s->technician = technician;
	s->cfg = cfg;
	s->fetch_timeout_ms = cfg->fetch_timeout_s * 1000;
	s->max_pin_failures = cfg->pin_tries;
	if (!cfg->cache_path[0]) {
		log_info("no document cache configured ([cache] path)");
	} else {
		s->cache = open_cache(s, &err);
		if (!s->cache) {
			log_error("cannot open the cache %s: %s; trying again every %d s",
				  cfg->cache_path, cache_strerror(err), CACHE_RETRY_MS / 1000);
			app_service(app, SVC_CACHE_BROKEN, true);
			s->retry_ms = clock_mono_ms() + CACHE_RETRY_MS;
		} else {
			restore_service_message(s);
		}
		atomic_store(&s->cache_ready, s->cache != NULL);
	}
	s->worker = worker_create("adm-services");
	s->thumbs = thumbs_renderer_start(app_thumbs(app), wake_ui, app);
	if (!s->worker || !s->thumbs) {
		worker_destroy(s->worker);
		thumbs_renderer_stop(s->thumbs);
		cache_close(s->cache);
		free(s);
		return NULL;
	}
	/* Printers open on the worker, with a cache or without (a technician must see them):
	 * CUPS may be slow to answer, the screen must not wait. Jobs run in order, so no print
	 * can start before this is done. */
	worker_submit(s->worker, job_open_printing, s, NULL, 0);
	return s;
}

void services_stop(struct services *s)
{
	if (!s)
		return;
	/* The worker owns the cache connection until it has stopped; it feeds the renderer. */
	worker_destroy(s->worker);
	thumbs_renderer_stop(s->thumbs);
	cache_close(s->cache);
	pthread_mutex_destroy(&s->sync_lock);
	free(s);
}
