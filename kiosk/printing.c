/*
 * DESIGN. Each printer (A4, card) has its own worker thread inside the driver, which calls
 * back here. Those callbacks share one cache connection of this module (a cache_t is one
 * SQLite connection: one thread at a time), so every use of it holds `lock`, as does the
 * small table of jobs in flight (tag -> document). The services worker calls
 * printing_print(); the printer threads call record_job() and on_event(). No callback
 * blocks on anything but this lock and SQLite.
 *
 * Order of a print, so that a crash at any point loses nothing and prints nothing twice:
 *   1. the print PIN is spent (services.c);
 *   2. CUPS gives the job an id; record_job() stores it with the document (PRINTING);
 *   3. only then the document is sent;
 *   4. the job's end: printed -> PRINTED; uncertain (the kiosk canceled it after the
 *      printer had it: it may still come out) -> held, out of the citizen's reach, until
 *      a technician settles it; anything else -> READY again, PIN unspent.
 * A restart between 2 and 4 finds the job open and asks CUPS what became of it; a restart
 * between 1 and 2 finds a spent PIN without a job and gives it back (printing_open).
 */
#include "printing.h"

#include "cache.h"
#include "clock.h"
#include "log.h"
#include "printer.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_JOBS 4
/* Tags of jobs adopted after a restart carry their cache row, not a table entry. */
#define ADOPTED 0x8000000000000000ull

struct job {
	uint64_t tag; /* 0: free */
	int64_t row;  /* cache job row, once recorded */
	char doc_id[CACHE_ID_MAX + 1];
	int pages;
	/* a technician's test page: no document, no cache row; its end goes here */
	printing_test_fn test_done;
	void *test_ctx;
	bool fault_shown; /* the citizen sees a fault that holds this job */
};

struct printing {
	struct app *app;
	pthread_mutex_t lock;
	cache_t *cache;
	const char *cache_path; /* for asking adm-syncd to check a damaged cache */
	struct printer_routes routes;
	struct job jobs[MAX_JOBS];
	uint64_t next_tag;
	int uncertain[2]; /* held prints per printer (A4, card), for the technician screen */
};

static struct job *job_of(struct printing *p, uint64_t tag)
{
	for (int i = 0; i < MAX_JOBS; i++)
		if (p->jobs[i].tag == tag && tag)
			return &p->jobs[i];
	return NULL;
}

static bool record_job(void *ctx, uint64_t tag, const char *queue, int job_id)
{
	struct printing *p = ctx;
	bool ok = false;

	pthread_mutex_lock(&p->lock);
	struct job *j = job_of(p, tag);
	if (j && j->test_done) {
		ok = true; /* nothing to record: a test page has no document */
	} else if (j) {
		j->row = cache_job_record(p->cache, j->doc_id, job_id, (int64_t)time(NULL));
		ok = j->row > 0;
		if (!ok)
			log_error("print: cannot record CUPS job %d of %s: %s", job_id, queue,
				  cache_strerror((int)j->row));
		if (!ok && cache_damaged(p->cache))
			cache_request_check(p->cache_path);
	}
	pthread_mutex_unlock(&p->lock);
	return ok;
}

static void update_service(struct printing *p)
{
	/* The routes are set once by printing_open(); read them under the lock, but ask the
	 * printers outside it (their own locks come after ours, never before). */
	pthread_mutex_lock(&p->lock);
	struct printer_routes r = p->routes;
	pthread_mutex_unlock(&p->lock);
	bool a4 = r.a4 && printer_available(r.a4);
	bool card = r.card && printer_available(r.card);
	struct flow_event ev = flow_ev(EV_PRINTERS, 0);

	/* A printer that is not configured is not "down": it is simply not offered. */
	ev.arg = (r.a4 && !a4 ? PRN_A4_DOWN : 0) | (r.card && !card ? PRN_CARD_DOWN : 0);
	app_post(p->app, &ev);
	app_service(p->app, SVC_PRINTERS_DOWN, (r.a4 || r.card) && !a4 && !card);
}

/* Held prints, per printer, from the cache: the oldest of the medium in *pick. Locked. */
struct held {
	struct printing *p;
	int n[2];
	bool card;	/* the medium asked for */
	int64_t oldest; /* its oldest held job, 0 none */
};

static void count_held(int64_t job, const char *doc_id, int cups_job_id, void *user)
{
	struct held *h = user;
	struct cache_document d;
	(void)cups_job_id;
	/* a held document is never purged; unreadable, it counts as A4 */
	bool card =
	    cache_document_get(h->p->cache, doc_id, &d) == CACHE_OK && d.media == CACHE_MEDIA_CARD;
	if (card == h->card && !h->oldest)
		h->oldest = job;
	h->n[card]++;
}

static struct held recount_held(struct printing *p, bool card)
{
	struct held h = { .p = p, .card = card };
	if (cache_jobs_uncertain(p->cache, count_held, &h) >= 0)
		memcpy(p->uncertain, h.n, sizeof(p->uncertain));
	return h;
}

/* The end of a recorded job in the cache: printed, given back, or held when uncertain. */
static int end_job(struct printing *p, int64_t row, enum printer_outcome oc)
{
	if (oc == PRINTER_OUTCOME_UNCERTAIN) {
		int rc =
		    cache_job_hold(p->cache, row, printer_outcome_name(oc), (int64_t)time(NULL));
		recount_held(p, false);
		return rc;
	}
	return cache_job_finish(p->cache, row, oc == PRINTER_OUTCOME_PRINTED,
				printer_outcome_name(oc), (int64_t)time(NULL));
}

/* A test page's end goes to whoever asked for it, not to the flow. True when it was one. */
static bool test_page_done(struct printing *p, const struct printer_event *ev)
{
	pthread_mutex_lock(&p->lock);
	struct job *j = job_of(p, ev->tag);
	printing_test_fn done = j ? j->test_done : NULL;
	void *ctx = j ? j->test_ctx : NULL;
	if (done)
		memset(j, 0, sizeof(*j));
	pthread_mutex_unlock(&p->lock);
	if (done)
		done(ctx, ev);
	return done != NULL;
}

static void job_done(struct printing *p, const struct printer_event *ev)
{
	struct flow_event fe = flow_ev(EV_PRINT_DONE, 0);
	bool printed = ev->outcome == PRINTER_OUTCOME_PRINTED;
	bool uncertain = ev->outcome == PRINTER_OUTCOME_UNCERTAIN;

	if (!(ev->tag & ADOPTED) && test_page_done(p, ev))
		return;
	if (uncertain)
		log_warn("print job %d on %s may still come out: its document is held until a "
			 "technician settles it (technician: %s)",
			 ev->job_id, ev->queue, ev->status.technician);
	pthread_mutex_lock(&p->lock);
	if (ev->tag & ADOPTED) {
		/* A job from before a restart: nobody is waiting at the screen for it. */
		end_job(p, (int64_t)(ev->tag & ~ADOPTED), ev->outcome);
		pthread_mutex_unlock(&p->lock);
		log_info("adopted print job %d: %s", ev->job_id, printer_outcome_name(ev->outcome));
		return;
	}
	struct job *j = job_of(p, ev->tag);
	if (j) {
		if (j->row > 0) {
			int rc = end_job(p, j->row, ev->outcome);
			/* Its row is gone when a damaged cache was emptied meanwhile: the
			 * registry must hear of the paper all the same. */
			if (rc == CACHE_ERR_STATE && printed)
				rc = cache_print_event(p->cache, j->doc_id, true,
						       printer_outcome_name(ev->outcome),
						       (int64_t)time(NULL));
			if (rc != CACHE_OK)
				log_error("print: cannot finish job row %lld: %s",
					  (long long)j->row, cache_strerror(rc));
			if (rc != CACHE_OK && cache_damaged(p->cache))
				cache_request_check(p->cache_path);
		} else {
			/* Never reached CUPS: nothing to finish, but the PIN goes back. */
			cache_print_pin_release(p->cache, j->doc_id);
		}
		memset(j, 0, sizeof(*j));
	}
	pthread_mutex_unlock(&p->lock);
	log_info("print job %d on %s: %s (%d sheets)%s%s", ev->job_id, ev->queue,
		 printer_outcome_name(ev->outcome), ev->sheets_done,
		 printed ? "" : "; technician: ", printed ? "" : ev->status.technician);
	if (!printed) {
		fe.type = EV_PRINT_FAILED;
		fe.arg = uncertain;
		snprintf(fe.message, sizeof(fe.message), "%s", ev->status.citizen_id);
		snprintf(fe.message_en, sizeof(fe.message_en), "%s", ev->status.citizen_en);
	}
	app_post(p->app, &fe);
}

/* What stopped the printer, in a few words of each language (the screen adds that the
 * document is kept and prints once the printer is ready). */
static void fault_words(enum printer_fault f, bool card, struct flow_event *fe)
{
	static const struct {
		enum printer_fault fault;
		const char *id, *en, *card_id, *card_en; /* card NULL: as on paper */
	} words[] = {
		{ PRINTER_FAULT_PAPER_OUT, "Kertas habis", "Out of paper",
		  "Kartu blanko atau pita habis", "Out of blank cards or ribbon" },
		{ PRINTER_FAULT_SUPPLY_OUT, "Kertas habis", "Out of paper",
		  "Kartu blanko atau pita habis", "Out of blank cards or ribbon" },
		{ PRINTER_FAULT_JAM, "Kertas tersangkut", "Paper jam", "Kartu tersangkut",
		  "A card is stuck" },
		{ PRINTER_FAULT_COVER_OPEN, "Penutup printer terbuka", "The printer cover is open",
		  NULL, NULL },
		{ PRINTER_FAULT_TONER_OUT, "Tinta habis", "Out of toner", "Pita printer habis",
		  "The ribbon is used up" },
		{ PRINTER_FAULT_TRAY_MISSING, "Baki kertas tidak terpasang",
		  "The paper tray is missing", NULL, NULL },
		{ PRINTER_FAULT_OFFLINE, "Printer tidak merespons", "The printer is not responding",
		  NULL, NULL },
	};
	const char *id = "Printer berhenti", *en = "The printer has stopped";
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (words[i].fault == f) {
			bool own = card && words[i].card_id;
			id = own ? words[i].card_id : words[i].id;
			en = own ? words[i].card_en : words[i].en;
		}
	snprintf(fe->message, sizeof(fe->message), "%s", id);
	snprintf(fe->message_en, sizeof(fe->message_en), "%s", en);
}

static void on_event(void *ctx, const struct printer_event *ev)
{
	struct printing *p = ctx;
	struct flow_event fe;

	switch (ev->type) {
	case PRINTER_EV_STATUS:
		log_info("printer %s: %s", ev->queue,
			 ev->status.severity == PRINTER_SEV_OK ? "ready" : ev->status.technician);
		update_service(p);
		return;
	case PRINTER_EV_JOB_PROGRESS:
		if (!ev->tag || (ev->tag & ADOPTED))
			return;
		fe = flow_ev(EV_PRINT_PROGRESS, 0);
		pthread_mutex_lock(&p->lock);
		struct job *j = job_of(p, ev->tag);
		bool test = j && j->test_done; /* a citizen printing meanwhile sees none of it */
		fe.pages = j ? j->pages : 0;
		bool fault = ev->status.severity == PRINTER_SEV_ERROR;
		bool news = j && fault != j->fault_shown;
		if (j)
			j->fault_shown = fault;
		pthread_mutex_unlock(&p->lock);
		if (test)
			return;
		fe.pages_done = ev->sheets_done < fe.pages ? ev->sheets_done : fe.pages;
		/* The citizen sees the fault now, not at the stall timeout: the job waits in
		 * the printer and goes on by itself when someone clears it. */
		if (fault) {
			fe.arg = 1;
			fault_words(ev->status.fault, ev->media == PRINTER_MEDIA_CARD, &fe);
		}
		if (news)
			log_info("print job %d on %s: %s while printing, shown at once (the "
				 "document is kept); technician: %s",
				 ev->job_id, ev->queue,
				 fault ? printer_fault_name(ev->status.fault) : "fault cleared",
				 ev->status.technician);
		app_post(p->app, &fe);
		return;
	case PRINTER_EV_JOB_DONE:
		if (ev->tag)
			job_done(p, ev);
		return;
	case PRINTER_EV_SUPPLY:
		log_warn("printer %s: %s at %d", ev->queue, consumable_name(ev->supply),
			 ev->supply_level);
		update_service(p);
		return;
	case PRINTER_EV_JOB_SENT:
		return;
	}
}

void printing_refill(struct printing *p, bool card)
{
	pthread_mutex_lock(&p->lock);
	struct printer *pr = card ? p->routes.card : p->routes.a4;
	if (pr && p->cache) /* every technician action is in the audit */
		cache_audit(p->cache, "technician-refill", NULL, card ? "card" : "a4",
			    (int64_t)time(NULL));
	pthread_mutex_unlock(&p->lock);
	if (!pr)
		return;
	if (card) {
		printer_refill(pr, CONSUMABLE_CARDS, 0);
		printer_refill(pr, CONSUMABLE_RIBBON, 0);
	} else {
		printer_refill(pr, CONSUMABLE_SHEETS, 0);
	}
	log_info("technician: %s refilled", card ? "card blanks and ribbon" : "A4 paper");
}

void printing_health(struct printing *p, struct health *h)
{
	struct printer *r[2];

	int held[2];

	pthread_mutex_lock(&p->lock);
	r[0] = p->routes.a4;
	r[1] = p->routes.card;
	memcpy(held, p->uncertain, sizeof(held));
	pthread_mutex_unlock(&p->lock);
	h->n_printers = 0;
	for (int i = 0; i < 2; i++) {
		struct health_printer *hp = &h->printer[h->n_printers];
		struct printer_status st;
		struct consumables c;
		if (!r[i])
			continue;
		memset(hp, 0, sizeof(*hp));
		printer_get_status(r[i], &st);
		printer_get_consumables(r[i], &c);
		snprintf(hp->queue, sizeof(hp->queue), "%s", printer_queue(r[i]));
		hp->card = i == 1;
		hp->uncertain = held[i];
		hp->available = printer_available(r[i]);
		if (st.fault != PRINTER_FAULT_NONE)
			snprintf(hp->fault, sizeof(hp->fault), "%s", printer_fault_name(st.fault));
		/* printable ASCII already (the driver filters the printer's words) */
		snprintf(hp->detail, sizeof(hp->detail), "%s", st.technician);
		for (int k = 0; k < CONSUMABLE_COUNT && hp->n_supplies < HEALTH_SUPPLIES; k++) {
			if (!c.c[k].capacity)
				continue;
			hp->supply[hp->n_supplies++] = (struct health_supply){
				.name = consumable_name((enum consumable_kind)k),
				.level = c.c[k].level,
				.capacity = c.c[k].capacity,
				.low = consumable_state_of(&c.c[k]) != CONSUMABLE_OK,
			};
		}
		for (int k = 0; k < st.n_markers && hp->n_markers < HEALTH_MARKERS; k++) {
			snprintf(hp->marker[hp->n_markers].name, sizeof(hp->marker[0].name), "%s",
				 st.markers[k].name);
			hp->marker[hp->n_markers++].percent = st.markers[k].percent;
		}
		h->n_printers++;
	}
}

/* The route of a medium: NULL until its queue opened (a queue CUPS could not open at
 * start is opened later, by printing_open again). */
static struct printer *route(struct printing *p, bool card)
{
	pthread_mutex_lock(&p->lock);
	struct printer *pr = card ? p->routes.card : p->routes.a4;
	pthread_mutex_unlock(&p->lock);
	return pr;
}

bool printing_available(struct printing *p, bool card)
{
	struct printer *pr = p ? route(p, card) : NULL;
	return pr && printer_available(pr);
}

/* A free slot of the jobs table, tagged (under the lock); NULL when all are taken. */
static struct job *take_job(struct printing *p, uint64_t *tag)
{
	for (int i = 0; i < MAX_JOBS; i++)
		if (!p->jobs[i].tag) {
			memset(&p->jobs[i], 0, sizeof(p->jobs[i]));
			p->jobs[i].tag = *tag = ++p->next_tag;
			return &p->jobs[i];
		}
	return NULL;
}

bool printing_print(struct printing *p, const char *doc_id, bool card, const void *pdf, size_t len,
		    int pages)
{
	struct printer *pr = route(p, card);
	struct job *j = NULL;
	uint64_t tag = 0;

	pthread_mutex_lock(&p->lock);
	j = take_job(p, &tag);
	if (j) {
		j->pages = pages;
		snprintf(j->doc_id, sizeof(j->doc_id), "%s", doc_id);
	}
	pthread_mutex_unlock(&p->lock);

	struct printer_document doc = {
		.pdf = pdf, .len = len, .pages = pages, .tag = j ? tag : 0
	};
	int rc = j && pr ? printer_submit(pr, &doc) : PRINTER_E_OUT_OF_SERVICE;
	if (rc >= 0)
		return true;
	log_warn("print: not submitted: %s", printer_strerror(rc));
	pthread_mutex_lock(&p->lock);
	if (j)
		memset(j, 0, sizeof(*j));
	pthread_mutex_unlock(&p->lock);
	return false;
}

/* Jobs left open by an earlier run: ask CUPS what became of them. */
static void reconcile_one(int64_t row, const char *doc_id, int cups_job_id, void *user)
{
	struct printing *p = user;
	struct cache_document d;
	enum printer_outcome out = PRINTER_OUTCOME_UNKNOWN;

	if (cache_document_get(p->cache, doc_id, &d) != CACHE_OK)
		return;
	struct printer *pr = d.media == CACHE_MEDIA_CARD ? p->routes.card : p->routes.a4;
	int rc = pr ? printer_reconcile(pr, cups_job_id, ADOPTED | (uint64_t)row, &out)
		    : PRINTER_E_SERVER;
	if (rc == 0 && out == PRINTER_OUTCOME_PENDING) {
		/* Still in CUPS: its end will come as an adopted job; leave it open. */
		log_info("print: job %d from before the restart is still running", cups_job_id);
		return;
	}
	if (rc != 0) {
		/* CUPS cannot say (down, its queue did not open, busy with another job): the job
		 * may still print, so its document stays printing; the next start asks again. */
		log_warn("print: job %d from before the restart: CUPS cannot say what became of "
			 "it (%s); left open until the next start",
			 cups_job_id, printer_strerror(rc));
		return;
	}
	log_info("print: job %d from before the restart: %s", cups_job_id,
		 printer_outcome_name(out));
	end_job(p, row, out);
}

/* Consumable counters live in the cache's state table, so a restart does not refill them. */
static void state_key(char *out, size_t size, const char *queue, enum consumable_kind k)
{
	snprintf(out, size, "supply:%s:%s", queue, consumable_name(k));
}

static void save_consumables(void *ctx, const char *queue, const struct consumables *c)
{
	struct printing *p = ctx;
	char key[200], val[16];

	pthread_mutex_lock(&p->lock);
	for (int k = 0; k < CONSUMABLE_COUNT; k++) {
		if (!c->c[k].capacity)
			continue;
		state_key(key, sizeof(key), queue, (enum consumable_kind)k);
		snprintf(val, sizeof(val), "%d", c->c[k].level);
		if (cache_state_set(p->cache, key, val) != CACHE_OK)
			log_warn("printer %s: cannot store the %s counter", queue,
				 consumable_name((enum consumable_kind)k));
	}
	pthread_mutex_unlock(&p->lock);
}

static void load_consumables(struct printing *p, const char *queue, struct consumables *c)
{
	char key[200], val[16];

	for (int k = 0; k < CONSUMABLE_COUNT; k++) {
		state_key(key, sizeof(key), queue, (enum consumable_kind)k);
		if (c->c[k].capacity &&
		    cache_state_get(p->cache, key, val, sizeof(val)) == CACHE_OK) {
			int level = atoi(val);
			c->c[k].level = level < 0		   ? 0
					: level > c->c[k].capacity ? c->c[k].capacity
								   : level;
		}
	}
}

static struct printer *open_queue(struct printing *p, const struct kiosk_config *cfg,
				  const char *queue, enum printer_media media)
{
	struct printer_config pc = {
		.media = media,
		.server = cfg->cups_server[0] ? cfg->cups_server : NULL,
		.stall_timeout_ms = cfg->print_stall_s * 1000,
		.idle_poll_max_ms = cfg->print_idle_poll_max_s * 1000,
		.ctx = p,
		.on_event = on_event,
		.record_job = record_job,
		.save_consumables = save_consumables,
	};
	int err = 0;

	if (media == PRINTER_MEDIA_A4)
		consumables_init_a4(&pc.supplies, cfg->a4_sheets, cfg->a4_sheets / 10);
	else
		consumables_init_card(&pc.supplies, cfg->card_blanks, cfg->card_blanks / 10, 500,
				      50);
	load_consumables(p, queue, &pc.supplies);
	struct printer *pr = printer_open(queue, &pc, &err);
	if (!pr)
		log_error("[printer] queue '%s' cannot be used: %s", queue, printer_strerror(err));
	return pr;
}

struct printing *printing_create(struct app *app)
{
	struct printing *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->app = app;
	pthread_mutex_init(&p->lock, NULL);
	return p;
}

/* A configured queue that could not be opened at start (cupsd down, the queue not added
 * yet): opened now, and the jobs of earlier runs CUPS could not be asked about then are
 * settled with it. */
static void reopen_queues(struct printing *p, const struct kiosk_config *cfg)
{
	pthread_mutex_lock(&p->lock);
	bool a4 = cfg->a4_queue[0] && !p->routes.a4, card = cfg->card_queue[0] && !p->routes.card;
	pthread_mutex_unlock(&p->lock);
	struct printer *na4 = a4 ? open_queue(p, cfg, cfg->a4_queue, PRINTER_MEDIA_A4) : NULL;
	struct printer *ncard =
	    card ? open_queue(p, cfg, cfg->card_queue, PRINTER_MEDIA_CARD) : NULL;
	if (!na4 && !ncard)
		return;
	pthread_mutex_lock(&p->lock);
	if (na4)
		p->routes.a4 = na4;
	if (ncard)
		p->routes.card = ncard;
	cache_jobs_open(p->cache, reconcile_one, p);
	pthread_mutex_unlock(&p->lock);
	update_service(p);
	log_info("print: %s%s%s opened now that CUPS answers", na4 ? "the A4 queue" : "",
		 na4 && ncard ? " and " : "", ncard ? "the card queue" : "");
}

bool printing_wants_reopen(struct printing *p, const struct kiosk_config *cfg)
{
	pthread_mutex_lock(&p->lock);
	bool want = p->cache && ((cfg->a4_queue[0] && !p->routes.a4) ||
				 (cfg->card_queue[0] && !p->routes.card));
	pthread_mutex_unlock(&p->lock);
	return want;
}

void printing_open(struct printing *p, const struct kiosk_config *cfg)
{
	int err = 0;

	if (p->cache) { /* open already: called again when the cache opened late, or to */
		reopen_queues(p, cfg); /* open a queue CUPS could not open then */
		return;
	}
	if (!cfg->a4_queue[0] && !cfg->card_queue[0]) {
		log_info("no printer configured ([printer] a4_queue, card_queue)");
		return;
	}
	if (cfg->cache_path[0]) {
		struct cache_options opt = { .path = cfg->cache_path, .key_path = cfg->cache_key };
		p->cache = cache_open(&opt, &err);
		p->cache_path = cfg->cache_path;
	}
	if (!p->cache) {
		log_error("printing needs the cache: %s", cache_strerror(err));
		app_service(p->app, SVC_PRINTERS_DOWN, true);
		return;
	}
	/* The routes are written here, before any document can be offered (and by
	 * reopen_queues() for a queue that failed). */
	struct printer *a4 =
	    cfg->a4_queue[0] ? open_queue(p, cfg, cfg->a4_queue, PRINTER_MEDIA_A4) : NULL;
	struct printer *card =
	    cfg->card_queue[0] ? open_queue(p, cfg, cfg->card_queue, PRINTER_MEDIA_CARD) : NULL;
	pthread_mutex_lock(&p->lock);
	p->routes.a4 = a4;
	p->routes.card = card;
	/* No print of this run can have spent a PIN yet: one spent without a job is from a
	 * kiosk that died before CUPS had the job, which therefore never prints. */
	int given_back = cache_print_pins_release_orphans(p->cache);
	if (given_back > 0)
		log_warn("print: %d print PIN(s) spent by an earlier run without a job: given back",
			 given_back);
	else if (given_back < 0)
		log_error("print: cannot look for PINs spent without a job: %s",
			  cache_strerror(given_back));
	cache_jobs_open(p->cache, reconcile_one, p);
	recount_held(p, false);
	if (p->uncertain[0] + p->uncertain[1] > 0)
		log_warn("print: %d uncertain print(s) wait for a technician's verdict",
			 p->uncertain[0] + p->uncertain[1]);
	pthread_mutex_unlock(&p->lock);
	update_service(p);
	log_info("print: printers opened (A4 %s, card %s), jobs of earlier runs settled",
		 !cfg->a4_queue[0] ? "none"
		 : a4		   ? "ok"
				   : "failed",
		 !cfg->card_queue[0] ? "none"
		 : card		     ? "ok"
				     : "failed");
}

int printing_settle_oldest(struct printing *p, bool card, bool printed)
{
	int rc = CACHE_ERR_NOT_FOUND;

	if (!p)
		return CACHE_ERR_STATE;
	pthread_mutex_lock(&p->lock);
	struct held h = p->cache ? recount_held(p, card) : (struct held){ 0 };
	if (h.oldest)
		rc = cache_job_settle(p->cache, h.oldest, printed, (int64_t)time(NULL));
	if (h.oldest) {
		char detail[64];
		snprintf(detail, sizeof(detail), "job=%lld %s (screen)", (long long)h.oldest,
			 printed ? "printed" : "not-printed");
		if (rc == CACHE_OK)
			cache_audit(p->cache, "technician-settle", NULL, detail,
				    (int64_t)time(NULL));
		recount_held(p, card);
	}
	pthread_mutex_unlock(&p->lock);
	log_info("technician: the oldest uncertain print on the %s printer %s: %s",
		 card ? "card" : "A4", printed ? "came out" : "did not come out",
		 rc == CACHE_ERR_NOT_FOUND ? "there is none" : cache_strerror(rc));
	return rc;
}

void printing_recount(struct printing *p)
{
	pthread_mutex_lock(&p->lock);
	if (p->cache)
		recount_held(p, false);
	pthread_mutex_unlock(&p->lock);
}

void printing_stop(struct printing *p)
{
	if (!p)
		return;
	/* Closing a printer joins its worker: no callback runs after this. */
	printer_close(p->routes.a4);
	printer_close(p->routes.card);
	cache_close(p->cache);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

int printing_test_page(struct printing *p, bool card, const void *pdf, size_t len,
		       printing_test_fn done, void *ctx)
{
	uint64_t tag = 0;
	pthread_mutex_lock(&p->lock);
	struct printer *pr = card ? p->routes.card : p->routes.a4;
	struct job *j = pr ? take_job(p, &tag) : NULL;
	if (j) {
		j->pages = 1;
		j->test_done = done;
		j->test_ctx = ctx;
	}
	pthread_mutex_unlock(&p->lock);
	if (!pr)
		return PRINTER_E_NO_QUEUE;
	if (!j)
		return PRINTER_E_BUSY;
	struct printer_document doc = { .pdf = pdf, .len = len, .pages = 1, .tag = tag };
	int rc = printer_submit(pr, &doc);
	if (rc < 0) {
		pthread_mutex_lock(&p->lock);
		memset(j, 0, sizeof(*j));
		pthread_mutex_unlock(&p->lock);
	}
	return rc < 0 ? rc : 0;
}
