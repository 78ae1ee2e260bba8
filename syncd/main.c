/*
 * adm-syncd: the only process of the kiosk that talks to the network. It keeps the
 * cache in step with the central server (see engine.h), retries with capped exponential
 * backoff and jitter, answers the kiosk's on-demand fetch requests, and behaves under
 * systemd (READY and WATCHDOG notifications, clean exit on SIGTERM, --once for a single
 * pass with an exit code).
 *
 * Threads: the main thread runs the sync passes with its own cache handle and four curl
 * handles (one for requests; the next page downloads and is parsed on a short-lived
 * prefetch thread, see prefetch.h, and blobs download three at once, see net_multi in
 * net.h); a request thread, with its own handles, answers fetch requests (so a citizen
 * never waits behind an initial sync). They share only the stop flag and the word that
 * the cache is damaged (which the main thread repairs, see docs/cache.md). Signal
 * handlers only set the flag.
 */
#include "cache.h"
#include "content.h"
#include "control_syncd.h"
#include "engine.h"
#include "log.h"
#include "net.h"
#include "options.h"
#include "proto.h"
#include "token_file.h"

#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

static volatile int stop_flag;
/* the request thread's handle found the cache damaged: the main thread repairs it */
static atomic_bool damage_seen;
/* admctl's socket (admctl sync now); NULL: none */
static struct syncd_control *control;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: adm-syncd [--config /etc/adm/kiosk.conf] (flags override the file)\n"
		"                 --db FILE --key FILE --url https://HOST[:PORT] --kiosk ID\n"
		"                 --token-file FILE [--ca FILE] [--pin sha256//BASE64]\n"
		"                 [--client-cert FILE --client-key FILE] [--spool DIR]\n"
		"                 [--content DIR --region CODE]\n"
		"                 [--page-limit N] [--interval S] [--timeout S]\n"
		"                 [--request-timeout S] [--heartbeat S] [--backoff-max S]\n"
		"                 [--max-pages N] [--blob-budget S] [--blob-min-speed B/S]\n"
		"                 [--blob-stall S] [--blob-deadline-rate B/S]\n"
		"                 [--pin-cost-min m=KIB,t=N] [--pin-cost-max m=KIB,t=N,p=N]\n"
		"                 [--screenshot FILE.png] [--control SOCKET]\n"
		"                 [--once] [--no-requests] [--log-level L]\n");
}

static bool parse(int argc, char **argv, struct syncd_options *o)
{
	syncd_options_defaults(o);
	/* the configuration file first, so that flags override it */
	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "--config") == 0) {
			char err[512];
			if (!syncd_options_read(o, argv[i + 1], err, sizeof(err))) {
				log_error("%s", err);
				return false;
			}
		}
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		const char **str = NULL;
		int *num = NULL;
		long max = 86400;
		if (strcmp(a, "--once") == 0) {
			o->once = true;
			continue;
		}
		if (strcmp(a, "--no-requests") == 0) {
			o->no_requests = true;
			continue;
		}
		if (!v)
			return false;
		if (strcmp(a, "--config") == 0) {
			i++;
			continue;
		}
		if (strcmp(a, "--db") == 0)
			str = &o->db;
		else if (strcmp(a, "--key") == 0)
			str = &o->key;
		else if (strcmp(a, "--url") == 0)
			str = &o->url;
		else if (strcmp(a, "--kiosk") == 0)
			str = &o->kiosk;
		else if (strcmp(a, "--token-file") == 0)
			str = &o->token_file;
		else if (strcmp(a, "--ca") == 0)
			str = &o->ca;
		else if (strcmp(a, "--pin") == 0)
			str = &o->pin;
		else if (strcmp(a, "--client-cert") == 0)
			str = &o->cert;
		else if (strcmp(a, "--client-key") == 0)
			str = &o->cert_key;
		else if (strcmp(a, "--spool") == 0)
			str = &o->spool;
		else if (strcmp(a, "--screenshot") == 0)
			str = &o->screenshot;
		else if (strcmp(a, "--control") == 0)
			str = &o->control;
		else if (strcmp(a, "--content") == 0)
			str = &o->content;
		else if (strcmp(a, "--region") == 0)
			str = &o->region;
		else if (strcmp(a, "--page-limit") == 0)
			num = &o->page_limit;
		else if (strcmp(a, "--interval") == 0)
			num = &o->interval_s;
		else if (strcmp(a, "--timeout") == 0)
			num = &o->timeout_s;
		else if (strcmp(a, "--request-timeout") == 0)
			num = &o->request_timeout_s;
		else if (strcmp(a, "--heartbeat") == 0)
			num = &o->heartbeat_s;
		else if (strcmp(a, "--backoff-max") == 0)
			num = &o->backoff_max_s;
		else if (strcmp(a, "--max-pages") == 0)
			num = &o->max_pages, max = 1000000;
		else if (strcmp(a, "--blob-budget") == 0)
			num = &o->blob_budget_s;
		else if (strcmp(a, "--blob-min-speed") == 0)
			num = &o->blob_min_speed, max = 1 << 30;
		else if (strcmp(a, "--blob-stall") == 0)
			num = &o->blob_stall_s;
		else if (strcmp(a, "--blob-deadline-rate") == 0)
			num = &o->blob_deadline_rate, max = 1 << 30;
		else if (strcmp(a, "--pin-cost-min") == 0 || strcmp(a, "--pin-cost-max") == 0) {
			/* the argon2 header's own words: m in KiB, t passes, p lanes */
			struct proto_limits *l = &o->limits;
			bool lo = strcmp(a, "--pin-cost-min") == 0;
			uint32_t unused = 0;
			if (!proto_pin_cost_parse(v, lo ? &l->pin_mem_min_kib : &l->pin_mem_max_kib,
						  lo ? &l->pin_ops_min : &l->pin_ops_max,
						  lo ? &unused : &l->pin_lanes_max) ||
			    unused)
				return false;
			i++;
			continue;
		} else if (strcmp(a, "--log-level") == 0) {
			enum log_level l;
			if (!log_level_from_name(v, &l))
				return false;
			log_set_level(l);
			i++;
			continue;
		} else
			return false;
		if (str)
			*str = v;
		if (num && !syncd_options_range(v, num, max))
			return false;
		i++;
	}
	if (o->page_limit > 1000)
		o->page_limit = 1000;
	if (o->limits.pin_mem_min_kib > o->limits.pin_mem_max_kib ||
	    o->limits.pin_ops_min > o->limits.pin_ops_max) {
		log_error("--pin-cost-min is above --pin-cost-max");
		return false;
	}
	/* the store checks a bundle's scope against the region: it cannot install without;
	 * the region in its one form ("3273" is "32.73") */
	static char region[CONTENT_REGION_SIZE];
	if ((o->content || o->region) &&
	    !(o->content && o->region && content_region_parse(o->region, region))) {
		log_error("--content DIR needs --region CODE (32, 32.73 or 3273), and the other "
			  "way round");
		return false;
	}
	if (o->region)
		o->region = region;
	return o->db && o->key && o->url && o->kiosk && o->token_file;
}

/* From the main thread, and from transfers in progress (also the page prefetch's thread) */
static void keepalive(void)
{
	static _Atomic time_t last;
	time_t now = time(NULL);
	if (atomic_exchange(&last, now) != now)
		sd_notify(0, "WATCHDOG=1"); /* no-op outside systemd */
}

/* Sleeps in small slices so that SIGTERM, the watchdog and a cache that needs a check
 * (found damaged by the request thread, or by adm-kiosk) are served promptly. */
static void sleep_s(double s, const char *db)
{
	while (s > 0 && !stop_flag && !atomic_load(&damage_seen) && !cache_check_requested(db) &&
	       !syncd_control_wanted(control)) {
		double d = s < 0.25 ? s : 0.25;
		struct timespec ts = { 0, (long)(d * 1e9) };
		nanosleep(&ts, NULL);
		keepalive();
		s -= d;
	}
}

/* Capped exponential backoff with "equal jitter": half fixed, half random, so that a
 * fleet of kiosks coming back after an outage does not knock at the same second. */
static double backoff(int failures, int cap_s)
{
	double base = 2.0;
	for (int i = 1; i < failures && base < cap_s; i++)
		base *= 2;
	if (base > cap_s)
		base = cap_s;
	return base / 2 + (base / 2) * (randombytes_uniform(1000) / 1000.0);
}

struct thread_ctx {
	struct syncd_options *o;
	struct net_options nopt;
	char spool[PATH_MAX];
	/* the request thread's own partial downloads: both threads may fetch the same large
	 * blob at once, and two writers appending to one file would spoil it */
	char spool_requests[PATH_MAX + 16];
	pthread_t th;
	bool running;
	atomic_bool halt; /* the main thread wants the cache to itself */
};

static cache_t *open_cache(const struct syncd_options *o)
{
	struct cache_options co = { .path = o->db, .key_path = o->key };
	int err;
	cache_t *c = cache_open(&co, &err);
	if (!c)
		log_error("cannot open the cache %s: %s", o->db, cache_strerror(err));
	return c;
}

/* A damaged cache (a disk fault: SQLite's WAL does not corrupt on power loss) would keep
 * the kiosk out of service for good. adm-syncd owns the cache's content, which the server
 * can send again: what only the kiosk knows (s: unsent events, counters) is carried over,
 * a copy is kept for a technician, and the file is emptied in place and synced anew. */
static cache_t *repair(const struct syncd_options *o, const struct cache_salvage *s)
{
	char aside[PATH_MAX + 16];
	snprintf(aside, sizeof(aside), "%s.damaged", o->db);
	if (cache_reset_damaged(o->db, aside) != CACHE_OK)
		return NULL;
	cache_t *c = open_cache(o);
	if (!c)
		return NULL;
	size_t events = 0, counters = 0;
	bool partial = false;
	if (s) {
		cache_salvage_counts(s, &events, &counters, &partial);
		if (cache_salvage_write(c, s) != CACHE_OK)
			log_error("the unsent events read from the damaged cache could not be "
				  "stored again: they are in %s for a technician",
				  aside);
	}
	log_error("the cache %s was damaged: a copy is kept as %s; %zu unsent events and %zu "
		  "counters carried over, %zu uncertain prints still held%s; syncing the cache "
		  "again from the server",
		  o->db, aside, events, counters, s ? cache_salvage_held(s) : 0,
		  s ? (partial ? " (not all could be read: the rest is in the copy)" : "")
		    : " (none could be read)");
	return c;
}

/* The main thread's open, at start: a file that SQLite cannot even open as a database is
 * repaired at once (nothing can be read from it). */
static cache_t *open_or_repair_cache(const struct syncd_options *o)
{
	struct cache_options co = { .path = o->db, .key_path = o->key };
	int err;
	cache_t *c = cache_open(&co, &err);
	if (c || err != CACHE_ERR_DAMAGED) {
		if (!c)
			log_error("cannot open the cache %s: %s", o->db, cache_strerror(err));
		return c;
	}
	return repair(o, NULL);
}

static void *request_thread(void *arg)
{
	struct thread_ctx *t = arg;
	struct net_options no = t->nopt;
	char err[200];
	no.timeout_s = t->o->request_timeout_s;
	no.keepalive = NULL; /* the watchdog watches the main thread */
	no.connect_timeout_s = t->o->request_timeout_s / 2 + 1;
	cache_t *c = open_cache(t->o);
	net_t *n = c ? net_create(&no, err, sizeof(err)) : NULL;
	struct engine e = { .cache = c,
			    .net = n,
			    .kiosk_id = t->o->kiosk,
			    .spool_dir = t->spool_requests,
			    .limits = &t->o->limits,
			    .lookup_wait_max_s = t->o->backoff_max_s,
			    .stop = &stop_flag };
	while (c && n && !stop_flag && !atomic_load(&t->halt)) {
		engine_serve_requests(&e, true);
		if (cache_damaged(c)) {
			atomic_store(&damage_seen, true);
			break;
		}
		struct timespec ts = { 0, 200 * 1000000L };
		nanosleep(&ts, NULL);
	}
	net_destroy(n);
	cache_close(c);
	return NULL;
}

static void requests_start(struct thread_ctx *t)
{
	if (t->o->once || t->o->no_requests)
		return;
	atomic_store(&t->halt, false);
	t->running = pthread_create(&t->th, NULL, request_thread, t) == 0;
}

static void requests_stop(struct thread_ctx *t)
{
	if (!t->running)
		return;
	atomic_store(&t->halt, true);
	pthread_join(t->th, NULL);
	t->running = false;
}

static bool check_wanted(const struct syncd_options *o, cache_t *c)
{
	return cache_damaged(c) || atomic_load(&damage_seen) || cache_check_requested(o->db);
}

/* A statement found the cache damaged, or another process (adm-kiosk) asked for a check:
 * checks it, and repairs it if the check fails. Returns the handle to go on with, NULL
 * if there is none. */
static cache_t *check_cache(const struct syncd_options *o, cache_t *c, struct thread_ctx *t,
			    bool *repaired)
{
	if (!cache_damaged(c) && !atomic_load(&damage_seen)) {
		log_info("checking the cache, as another process found it damaged");
		if (cache_quick_check_ok(c)) {
			log_info("the cache is intact");
			cache_check_done(o->db);
			return c;
		}
	}
	requests_stop(t);
	*repaired = true;
	struct cache_salvage *s = cache_salvage_read(c);
	cache_close(c);
	c = repair(o, s);
	cache_salvage_free(s);
	atomic_store(&damage_seen, false);
	if (c) {
		cache_check_done(o->db);
		requests_start(t);
	}
	return c;
}

static void log_pass(int rc, const struct engine *e)
{
	log_info("pass %s: %ld pages, %ld records, %ld blobs (%ld bytes), %ld events%s%s",
		 rc == 0	      ? "ok"
		 : rc == ENGINE_AGAIN ? "cut short (more to do)"
				      : "failed",
		 e->pages, e->records, e->blobs, e->blob_bytes, e->events, rc < 0 ? "; last: " : "",
		 rc < 0 ? net_strerror(rc) : "");
}

/* A disk that damages the cache again and again is not repaired for ever: the cache is
 * repaired, and after this many repairs in one run adm-syncd exits (status 3, systemd
 * starts it again) and says the disk needs a technician. */
#define MAX_REPAIRS 3

static int run(struct syncd_options *opt)
{
	struct syncd_options o = *opt;
	char token[300], err[200];
	struct thread_ctx t;
	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return 1;
	if (!token_file_read(o.token_file, token, sizeof(token))) {
		log_error("cannot read the kiosk token from %s", o.token_file);
		return 2;
	}
	if (o.spool) {
		snprintf(t.spool, sizeof(t.spool), "%s", o.spool);
	} else {
		snprintf(t.spool, sizeof(t.spool), "%s.spool", o.db);
	}
	snprintf(t.spool_requests, sizeof(t.spool_requests), "%s/on-demand", t.spool);
	/* partial downloads are document content in clear: the folders are ours alone, also
	 * when an older version made them */
	if ((mkdir(t.spool, 0700) != 0 && errno != EEXIST) ||
	    (mkdir(t.spool_requests, 0700) != 0 && errno != EEXIST) || chmod(t.spool, 0700) != 0 ||
	    chmod(t.spool_requests, 0700) != 0) {
		log_error("cannot create %s: %s", t.spool_requests, strerror(errno));
		return 1;
	}
	/* Blobs pass through malloc'ed buffers of tens of KiB, one after another. With
	 * glibc's defaults (the top of the heap given back beyond 128 KiB) every blob faulted
	 * its pages in again: a fifth of the blob phase (docs/benchmarks-sync.md). The heap
	 * keeps up to 16 MiB while a pass runs; malloc_trim() gives it back after each. */
	mallopt(M_TRIM_THRESHOLD, 16 << 20);
	mallopt(M_TOP_PAD, 4 << 20);
	/* SQLite counts every allocation under a global mutex for sqlite3_memory_used(),
	 * which nothing here reads: ~2% of an initial sync's CPU. Before the first
	 * connection (sqlite3_config is only allowed then). */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	struct sigaction act = { .sa_handler = on_signal };
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	signal(SIGPIPE, SIG_IGN);

	cache_t *c = open_or_repair_cache(&o);
	if (!c)
		return 3;
	unsigned char rk[32];
	cache_redact_key(c, rk);
	log_set_redact_key(rk, sizeof(rk));
	sodium_memzero(rk, sizeof(rk));

	t.o = opt;
	t.nopt = (struct net_options){ .base_url = o.url,
				       .token = token,
				       .ca_file = o.ca,
				       .pinned_key = o.pin,
				       .client_cert = o.cert,
				       .client_key = o.cert_key,
				       .timeout_s = o.timeout_s,
				       .abort_flag = &stop_flag,
				       .blob_min_speed = o.blob_min_speed,
				       .blob_stall_s = o.blob_stall_s,
				       .blob_deadline_rate = o.blob_deadline_rate,
				       .keepalive = keepalive };
	net_t *n = net_create(&t.nopt, err, sizeof(err));
	if (!n) {
		log_error("%s", err);
		cache_close(c);
		return 2;
	}
	struct engine e = { .cache = c,
			    .net = n,
			    .kiosk_id = o.kiosk,
			    .spool_dir = t.spool,
			    .content_dir = o.content,
			    .region = o.region,
			    .page_limit = o.page_limit,
			    .max_pages = o.max_pages,
			    .blob_budget_s = o.blob_budget_s,
			    .limits = &opt->limits,
			    .stop = &stop_flag,
			    .keepalive = keepalive,
			    .screenshot = o.screenshot };
	/* more connections: the next page downloads while one is applied, and blobs
	 * download several at once (a missing one only means less overlap) */
	for (int i = 0; i < ENGINE_POOL; i++)
		e.pool[i] = net_create(&t.nopt, err, sizeof(err));
	t.running = false;
	requests_start(&t);
	if (!o.once)
		control = syncd_control_start(o.control, o.kiosk);
	sd_notify(0, "READY=1");
	log_info("started: kiosk %s, server %s", o.kiosk, o.url);

	int rc = 0, failures = 0, repairs = 0;
	time_t last_heartbeat = 0;
	while (!stop_flag) {
		if (check_wanted(&o, c)) {
			bool repaired = false;
			c = e.cache = check_cache(&o, c, &t, &repaired);
			if (!c) {
				rc = 3;
				break;
			}
			if (repaired && ++repairs >= MAX_REPAIRS) {
				log_error(
				    "the cache was damaged %d times since adm-syncd started: the "
				    "disk needs a technician",
				    repairs);
				rc = 3;
				break;
			}
		}
		syncd_control_pass_begins(control);
		rc = engine_pass(&e);
		syncd_control_pass_ended(control, rc);
		if (rc != 0 && cache_damaged(c))
			continue; /* repaired above, then the pass again */
		/* the server read the kiosk's feed: it hears from it, also when a blob failed
		 * or a cap ended the pass early */
		if (e.reached && (o.once || time(NULL) - last_heartbeat >= o.heartbeat_s)) {
			if (engine_heartbeat(&e) == 0)
				last_heartbeat = time(NULL);
		}
		if (o.once) {
			/* on-demand requests are answered in a single pass too */
			engine_serve_requests(&e, e.reached);
			break;
		}
		log_pass(rc, &e);
		malloc_trim(0);
		if (rc == ENGINE_AGAIN) {
			failures = 0;
			sleep_s(0, o.db);
			continue;
		}
		failures = rc == 0 ? 0 : failures + 1;
		double wait = rc == 0 ? o.interval_s : backoff(failures, o.backoff_max_s);
		if (rc != 0 && e.retry_after > 0) {
			/* a busy server (429/503) said when to come back; it may not keep the
			 * kiosk away longer than the backoff's cap */
			double asked = e.retry_after < o.backoff_max_s ? (double)e.retry_after
								       : (double)o.backoff_max_s;
			if (asked > wait)
				wait = asked;
			log_info("the server asked to retry after %ld s; next pass in %.0f s",
				 e.retry_after, wait);
		}
		sleep_s(wait, o.db);
	}
	if (o.once)
		log_pass(rc, &e);
	sd_notify(0, "STOPPING=1");
	stop_flag = 1;
	syncd_control_stop(control);
	control = NULL;
	requests_stop(&t);
	net_destroy(n);
	for (int i = 0; i < ENGINE_POOL; i++)
		net_destroy(e.pool[i]);
	cache_close(c);
	explicit_bzero(token, sizeof(token));
	curl_global_cleanup();
	return rc == 0 ? 0 : rc == 3 ? 3 : 1;
}

int main(int argc, char **argv)
{
	struct syncd_options o;
	log_set_program("adm-syncd");
	if (!parse(argc, argv, &o)) {
		syncd_options_free(&o);
		usage();
		return 2;
	}
	int rc = run(&o);
	syncd_options_free(&o);
	return rc;
}
