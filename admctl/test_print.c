/*
 * admctl test-print QUEUE: a synthetic page (the kiosk's id, the date, a test pattern; no
 * citizen data; testpage.h) followed to its end like a citizen's job: only "printed" exits
 * 0. With the kiosk running it prints through the kiosk (its printer handle, so its
 * consumable counters count the sheet); with it stopped admctl opens the queue itself and
 * takes the sheet off the counters in the cache, where the kiosk reads them at its start.
 */
#include "tech.h"

#include "printer.h"
#include "testpage.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct follow {
	cache_t *cache; /* the counters' (NULL: none configured) */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
	enum printer_outcome outcome;
	int job_id, sheets;
	char why[PRINTER_TECH_MAX];
};

static void on_event(void *ctx, const struct printer_event *ev)
{
	struct follow *f = ctx;
	if (ev->type != PRINTER_EV_JOB_DONE || ev->tag != 1)
		return;
	pthread_mutex_lock(&f->lock);
	f->done = true;
	f->outcome = ev->outcome;
	f->job_id = ev->job_id;
	f->sheets = ev->sheets_done;
	snprintf(f->why, sizeof(f->why), "%s", ev->status.technician);
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
}

/* The kiosk's consumable counters: the keys printing.c keeps them under. */
static void counter_key(char *out, size_t size, const char *queue, enum consumable_kind k)
{
	snprintf(out, size, "supply:%s:%s", queue, consumable_name(k));
}

static void load_counters(cache_t *c, const char *queue, struct consumables *s)
{
	char key[200], val[16];
	for (int k = 0; c && k < CONSUMABLE_COUNT; k++) {
		counter_key(key, sizeof(key), queue, (enum consumable_kind)k);
		if (s->c[k].capacity && cache_state_get(c, key, val, sizeof(val)) == CACHE_OK) {
			int level = atoi(val);
			s->c[k].level = level < 0		   ? 0
					: level > s->c[k].capacity ? s->c[k].capacity
								   : level;
		}
	}
}

static void save_counters(void *ctx, const char *queue, const struct consumables *s)
{
	struct follow *f = ctx;
	char key[200], val[16];
	for (int k = 0; f->cache && k < CONSUMABLE_COUNT; k++) {
		if (!s->c[k].capacity)
			continue;
		counter_key(key, sizeof(key), queue, (enum consumable_kind)k);
		snprintf(val, sizeof(val), "%d", s->c[k].level);
		if (cache_state_set(f->cache, key, val) != CACHE_OK)
			fprintf(stderr, "admctl: warning: the %s counter of %s is not stored\n",
				consumable_name((enum consumable_kind)k), queue);
	}
}

static void human(json_t *o)
{
	printf("test page printed on %s: CUPS job %lld, %lld sheet(s)%s\n",
	       json_string_value(json_object_get(o, "queue")),
	       (long long)json_integer_value(json_object_get(o, "job")),
	       (long long)json_integer_value(json_object_get(o, "sheets")),
	       strcmp(json_string_value(json_object_get(o, "through")), "kiosk") == 0
		   ? " (through the running kiosk)"
		   : "");
}

/* The running kiosk printed it (its answer ans, stolen). */
static int through_kiosk(struct tech *t, const char *queue, json_t *ans, const char *err)
{
	const char *oc = json_string_value(json_object_get(ans, "outcome"));
	const char *why = json_string_value(json_object_get(ans, "why"));
	int rc;
	if (!json_is_true(json_object_get(ans, "ok"))) {
		const char *e = json_string_value(json_object_get(ans, "error"));
		rc = tech_fail(t, ADMCTL_REFUSED, "%s: %s", queue, e ? e : err);
	} else if (!oc || strcmp(oc, "printed") != 0) {
		rc = tech_fail(t, ADMCTL_REFUSED, "%s: the test page did not print: %s%s%s", queue,
			       oc ? oc : "?", why && why[0] ? ", " : "", why ? why : "");
	} else {
		rc = tech_done(t, ADMCTL_OK,
			       json_pack("{s:s, s:O, s:O, s:s, s:s}", "queue", queue, "job",
					 json_object_get(ans, "job"), "sheets",
					 json_object_get(ans, "sheets"), "outcome", oc, "through",
					 "kiosk"),
			       human);
	}
	json_decref(ans);
	return rc;
}

int admctl_test_print(int argc, char **argv)
{
	static const char help[] =
	    "usage: admctl test-print QUEUE [--timeout S] [--config FILE] [--json]\n"
	    "Prints a test page (kiosk id, date, a test pattern; no citizen data) on the CUPS\n"
	    "queue and follows it to its end: exit 0 only when CUPS says it printed. Through\n"
	    "the running kiosk when it runs; the kiosk's consumable counters count the sheet.\n"
	    "  --timeout S     the longest the job may make no progress (default: the\n"
	    "                  kiosk's [printer] stall_timeout; the kiosk's own when it runs)\n";
	struct tech t;
	int rc = tech_begin(&t, "test-print", argc, argv, 1, help);
	if (rc >= 0)
		return rc;
	const char *queue = t.pos[0];
	bool card = strcmp(queue, t.cfg.card_queue) == 0;
	int stall_s = t.timeout_s ? t.timeout_s : t.cfg.print_stall_s;
	char cerr[256];
	bool running;
	/* the kiosk ends every job it took, at the latest after its own stall timeout */
	json_t *ans = tech_call(&t, t.cfg.control,
				json_pack("{s:s, s:s}", "cmd", "test-print", "queue", queue),
				t.cfg.print_stall_s + 60, &running, cerr, sizeof(cerr));
	if (running)
		return through_kiosk(&t, queue, ans, cerr);
	json_decref(ans);
	struct membuf pdf = { 0 };
	if (!printer_test_page(t.cfg.kiosk_id, card, (int64_t)time(NULL), &pdf)) {
		free(pdf.data);
		return tech_fail(&t, ADMCTL_REFUSED, "cannot draw the test page");
	}
	struct follow f = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };
	if (t.cfg.cache_path[0] && !(f.cache = tech_cache(&t, &rc))) {
		free(pdf.data);
		return rc;
	}
	struct printer_config pc = {
		.media = card ? PRINTER_MEDIA_CARD : PRINTER_MEDIA_A4,
		.server = t.cfg.cups_server[0] ? t.cfg.cups_server : NULL,
		.stall_timeout_ms = stall_s * 1000,
		.ctx = &f,
		.on_event = on_event,
		.save_consumables = save_counters,
	};
	/* the counters as the kiosk starts them (printing.c), then as it left them */
	if (card)
		consumables_init_card(&pc.supplies, t.cfg.card_blanks, t.cfg.card_blanks / 10, 500,
				      50);
	else
		consumables_init_a4(&pc.supplies, t.cfg.a4_sheets, t.cfg.a4_sheets / 10);
	load_counters(f.cache, queue, &pc.supplies);
	int err = 0;
	struct printer *p = printer_open(queue, &pc, &err);
	if (!p) {
		free(pdf.data);
		cache_close(f.cache);
		return tech_fail(&t, ADMCTL_REFUSED, "%s: %s", queue, printer_strerror(err));
	}
	struct printer_document doc = { .pdf = pdf.data, .len = pdf.len, .pages = 1, .tag = 1 };
	rc = printer_submit(p, &doc);
	free(pdf.data);
	if (rc == 0) {
		pthread_mutex_lock(&f.lock);
		while (!f.done)
			pthread_cond_wait(&f.cond, &f.lock); /* the driver ends every job it took */
		pthread_mutex_unlock(&f.lock);
	}
	printer_close(p);
	char detail[160];
	snprintf(detail, sizeof(detail), "queue=%s outcome=%s (admctl)", queue,
		 rc ? printer_strerror(rc) : printer_outcome_name(f.outcome));
	tech_audit(f.cache, "technician-test-print", detail);
	cache_close(f.cache);
	if (rc != 0)
		return tech_fail(&t, ADMCTL_REFUSED, "%s: %s", queue, printer_strerror(rc));
	if (f.outcome != PRINTER_OUTCOME_PRINTED)
		return tech_fail(&t, ADMCTL_REFUSED, "%s: the test page did not print: %s%s%s",
				 queue, printer_outcome_name(f.outcome), f.why[0] ? ", " : "",
				 f.why);
	return tech_done(&t, ADMCTL_OK,
			 json_pack("{s:s, s:i, s:i, s:s, s:s}", "queue", queue, "job", f.job_id,
				   "sheets", f.sheets, "outcome", printer_outcome_name(f.outcome),
				   "through", "admctl"),
			 human);
}
