/*
 * The printer driver against a real private cupsd and ippeveprinter virtual printers
 * (tools/printlab), one scenario per run: test-print-cups SCENARIO. Each scenario starts
 * its own lab in a temporary directory, drives faults through the printer's print command,
 * web forms or by killing it, and checks the driver's events: the message, the final state
 * of the job, and what came out of the printer (never twice). A lab that does not start
 * is a failure, never a skip.
 *
 * Threads: the driver's workers call on_event/record_job, which only append to the
 * recorder under its mutex; the test's main thread waits on the recorder's condition.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "printer.h"
#include "printlab.h"
#include "printlab_pdf.h"

#define MAX_EVENTS 512

static struct {
	pthread_mutex_t m;
	pthread_cond_t c;
	struct printer_event ev[MAX_EVENTS];
	char queue[MAX_EVENTS][32];
	int n;
	int recorded_job;
	int recorded_at; /* events seen when the job id was recorded */
} rec = { .m = PTHREAD_MUTEX_INITIALIZER, .c = PTHREAD_COND_INITIALIZER };

static struct printlab *lab;
static int failures;
static int64_t t0;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);            \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

static const char *type_name(enum printer_event_type t)
{
	static const char *const n[] = { "?", "status", "sent", "progress", "done", "supply" };
	return (int)t >= 0 && t <= PRINTER_EV_SUPPLY ? n[t] : "?";
}

static void on_event(void *ctx, const struct printer_event *ev)
{
	(void)ctx;
	fprintf(stderr, "%6lld ms event %-8s %s job=%d state=%d fault=%s outcome=%s | %s | %s\n",
		(long long)(ev->at_ms - t0), type_name(ev->type), ev->queue, ev->job_id,
		ev->job_state, printer_fault_name(ev->status.fault),
		ev->type == PRINTER_EV_JOB_DONE ? printer_outcome_name(ev->outcome) : "-",
		ev->status.citizen_en, ev->status.technician);
	pthread_mutex_lock(&rec.m);
	if (rec.n < MAX_EVENTS) {
		rec.ev[rec.n] = *ev;
		snprintf(rec.queue[rec.n], sizeof(rec.queue[0]), "%s", ev->queue);
		rec.ev[rec.n].queue = rec.queue[rec.n];
		rec.n++;
	}
	pthread_cond_broadcast(&rec.c);
	pthread_mutex_unlock(&rec.m);
}

static bool record_job(void *ctx, uint64_t tag, const char *queue, int job_id)
{
	(void)ctx, (void)tag, (void)queue;
	pthread_mutex_lock(&rec.m);
	rec.recorded_job = job_id;
	rec.recorded_at = rec.n;
	pthread_mutex_unlock(&rec.m);
	return true;
}

/* Waits for an event of a type (and fault, unless -1) on a queue, seen from index *from. */
static bool wait_event(const char *queue, enum printer_event_type type, int fault, int timeout_ms,
		       struct printer_event *out)
{
	int64_t end = clock_mono_ms() + timeout_ms;
	pthread_mutex_lock(&rec.m);
	for (;;) {
		for (int i = 0; i < rec.n; i++) {
			const struct printer_event *e = &rec.ev[i];
			if (e->type == type && strcmp(e->queue, queue) == 0 &&
			    (fault < 0 || (int)e->status.fault == fault)) {
				if (out)
					*out = *e;
				pthread_mutex_unlock(&rec.m);
				return true;
			}
		}
		int64_t left = end - clock_mono_ms();
		if (left <= 0)
			break;
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += (long)(left > 100 ? 100 : left) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&rec.c, &rec.m, &ts);
	}
	pthread_mutex_unlock(&rec.m);
	if (out) /* checks after a failed wait must read something harmless */
		*out = (struct printer_event){ .queue = "",
					       .status = { .citizen_id = "", .citizen_en = "" } };
	return false;
}

/* Waits up to timeout_ms for the end of the job on queue and checks its outcome. */
static bool job_ends(const char *queue, int timeout_ms, enum printer_outcome want,
		     struct printer_event *done)
{
	bool ended = wait_event(queue, PRINTER_EV_JOB_DONE, -1, timeout_ms, done);
	CHECK(ended, "%s: no job end in %d ms", queue, timeout_ms);
	CHECK(!ended || done->outcome == want, "%s: outcome %s, expected %s", queue,
	      printer_outcome_name(done->outcome), printer_outcome_name(want));
	return ended && done->outcome == want;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static struct printer *open_queue(const char *queue, enum printer_media m, int stall_ms, int *err)
{
	struct printer_config cfg = {
		.media = m,
		.poll_ms = 250,
		.idle_poll_ms = 300,
		.stall_timeout_ms = stall_ms,
		.on_event = on_event,
		.record_job = record_job,
	};
	if (m == PRINTER_MEDIA_CARD)
		consumables_init_card(&cfg.supplies, 50, 5, 500, 50);
	else
		consumables_init_a4(&cfg.supplies, 100, 10);
	char conn[80];
	snprintf(conn, sizeof(conn), "cups:%s", queue);
	return printer_open(conn, &cfg, err);
}

/* The A4 queue opened (checked), or NULL. */
static struct printer *open_a4(int stall_ms)
{
	int err;
	struct printer *p = open_queue("A4", PRINTER_MEDIA_A4, stall_ms, &err);
	CHECK(p, "open: %s", printer_strerror(err));
	return p;
}

static int submit(struct printer *p, int pages, bool card, uint64_t tag)
{
	size_t len;
	unsigned char *pdf = printlab_pdf_make(pages, card, &len);
	struct printer_document doc = { .pdf = pdf, .len = len, .pages = pages, .tag = tag };
	int rc = printer_submit(p, &doc);
	free(pdf);
	return rc;
}

static bool lab_up(bool with_card)
{
	char err[256];
	lab = printlab_start(NULL, getenv("PRINTLAB_KEEP") ? PRINTLAB_KEEP : 0, err, sizeof(err));
	if (!lab) {
		fprintf(stderr, "FAIL: private cupsd did not start: %s\n", err);
		return false;
	}
	/* Every libcups client in this process (and lp) talks to the private cupsd only. */
	setenv("CUPS_SERVER", printlab_server(lab), 1);
	if (printlab_add_printer(lab, "A4", false) != 0 ||
	    (with_card && printlab_add_printer(lab, "CARD", true) != 0)) {
		fprintf(stderr, "FAIL: virtual printer did not start\n");
		return false;
	}
	return true;
}

static int printed(const char *name)
{
	return printlab_printed(lab, name, 0, NULL, 0);
}

/* Runs a command, its stdout into out. */
static int run_capture(const char *cmd, char *out, size_t len)
{
	FILE *f = popen(cmd, "r");
	if (!f)
		return -1;
	size_t n = fread(out, 1, len - 1, f);
	out[n] = '\0';
	return pclose(f);
}

static void check_pdf_text(const unsigned char *pdf, size_t len, const char *printed_path)
{
	char orig[] = "/tmp/adm-print-orig-XXXXXX";
	int fd = mkstemp(orig);
	CHECK(fd >= 0 && write(fd, pdf, len) == (ssize_t)len, "temp file");
	close(fd);
	char cmd[1200], a[4096], b[4096];
	snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' -", orig);
	CHECK(run_capture(cmd, a, sizeof(a)) == 0, "pdftotext of the original");
	snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' -", printed_path);
	CHECK(run_capture(cmd, b, sizeof(b)) == 0, "pdftotext of the printed copy");
	unlink(orig);
	CHECK(strstr(a, "page 2 of 2") != NULL, "original text: %s", a);
	CHECK(strcmp(a, b) == 0, "text differs:\n--- sent\n%s\n--- printed\n%s", a, b);
	int pages_a = 0, pages_b = 0;
	for (char *p = a; *p; p++)
		pages_a += *p == '\f';
	for (char *p = b; *p; p++)
		pages_b += *p == '\f';
	CHECK(pages_a == 2 && pages_b == 2, "pages: sent %d, printed %d", pages_a, pages_b);
}

/* A normal print: completed, counted once, recorded before release, same text. */
static void scenario_normal(void)
{
	struct printer *p = open_a4(20000);
	if (!p)
		return;
	/* What the printer says of its own supplies (ippeveprinter: black toner at 75 %, and a
	 * waste tank, which is no supply), read on the idle health poll. */
	struct printer_status st = { 0 };
	for (int i = 0; i < 60 && st.n_markers == 0; i++) {
		sleep_ms(100);
		printer_get_status(p, &st);
	}
	CHECK(st.n_markers == 1 && st.markers[0].percent == 75 &&
		  strstr(st.markers[0].name, "Toner") != NULL,
	      "%d markers, first '%s' at %d %%", st.n_markers, st.markers[0].name,
	      st.markers[0].percent);
	size_t len;
	unsigned char *pdf = printlab_pdf_make(2, false, &len);
	struct printer_document doc = { .pdf = pdf, .len = len, .pages = 2, .tag = 7 };
	CHECK(printer_submit(p, &doc) == 0, "submit");
	CHECK(printer_submit(p, &doc) == PRINTER_E_BUSY, "second submit while busy");
	struct printer_event done, sent;
	job_ends("A4", 30000, PRINTER_OUTCOME_PRINTED, &done);
	CHECK(done.tag == 7 && done.sheets_done == 2, "tag %llu sheets %d",
	      (unsigned long long)done.tag, done.sheets_done);
	CHECK(wait_event("A4", PRINTER_EV_JOB_SENT, -1, 0, &sent), "no sent event");
	CHECK(rec.recorded_job == done.job_id && rec.recorded_job > 0, "recorded %d, job %d",
	      rec.recorded_job, done.job_id);
	/* The id was recorded before the document went out (no JOB_SENT before it). */
	int sent_idx = -1;
	for (int i = 0; i < rec.n; i++)
		if (rec.ev[i].type == PRINTER_EV_JOB_SENT)
			sent_idx = i;
	CHECK(rec.recorded_at <= sent_idx, "recorded at %d, sent at %d", rec.recorded_at, sent_idx);
	struct consumables c;
	printer_get_consumables(p, &c);
	CHECK(c.c[CONSUMABLE_SHEETS].level == 98, "sheets left %d", c.c[CONSUMABLE_SHEETS].level);
	char path[1024];
	CHECK(printlab_printed(lab, "A4", 0, path, sizeof(path)) == 1, "printed %d", printed("A4"));
	check_pdf_text(pdf, len, path);
	char media[512] = "";
	printlab_printed_media(lab, "A4", 0, media, sizeof(media));
	CHECK(strstr(media, "x-dimension=21000 y-dimension=29700"), "A4 media: %s", media);
	free(pdf);

	enum printer_outcome oc;
	CHECK(printer_reconcile(p, done.job_id, 7, &oc) == 0 && oc == PRINTER_OUTCOME_PRINTED,
	      "reconcile printed job: %s", printer_outcome_name(oc));
	CHECK(printer_reconcile(p, 99999, 8, &oc) == 0 && oc == PRINTER_OUTCOME_UNKNOWN,
	      "reconcile unknown job: %s", printer_outcome_name(oc));
	sleep_ms(1500);
	CHECK(printed("A4") == 1, "printed twice? %d", printed("A4"));
	printer_close(p);
}

/* A card goes to the card queue with ID-1 media; the A4 printer gets nothing. */
static void scenario_card(void)
{
	int e1, e2;
	struct printer_routes r = { open_queue("A4", PRINTER_MEDIA_A4, 20000, &e1),
				    open_queue("CARD", PRINTER_MEDIA_CARD, 20000, &e2) };
	CHECK(r.a4 && r.card, "open: %s / %s", printer_strerror(e1), printer_strerror(e2));
	if (!r.a4 || !r.card)
		goto out;
	struct printer *p = printer_route(&r, PRINTER_MEDIA_CARD);
	CHECK(p == r.card, "card routed to %s", p ? printer_queue(p) : "nothing");
	CHECK(submit(r.card, 1, true, 11) == 0, "submit");
	struct printer_event done;
	job_ends("CARD", 30000, PRINTER_OUTCOME_PRINTED, &done);
	CHECK(printed("CARD") == 1 && printed("A4") == 0, "card %d a4 %d", printed("CARD"),
	      printed("A4"));
	char media[512] = "";
	printlab_printed_media(lab, "CARD", 0, media, sizeof(media));
	CHECK(strstr(media, "x-dimension=5400 y-dimension=8600"), "ID-1 media: %s", media);
	struct consumables c;
	printer_get_consumables(r.card, &c);
	CHECK(c.c[CONSUMABLE_CARDS].level == 49 && c.c[CONSUMABLE_RIBBON].level == 499,
	      "cards %d ribbon %d", c.c[CONSUMABLE_CARDS].level, c.c[CONSUMABLE_RIBBON].level);

	/* The A4 printer dies: A4 is unavailable, cards still print. */
	printlab_kill_printer(lab, "A4");
	CHECK(wait_event("A4", PRINTER_EV_STATUS, PRINTER_FAULT_OFFLINE, 15000, NULL),
	      "A4 offline not seen while idle");
	CHECK(printer_route(&r, PRINTER_MEDIA_A4) == NULL, "A4 still routed");
	CHECK(printer_route(&r, PRINTER_MEDIA_CARD) == r.card, "card not routed");
out:
	printer_close(r.a4);
	printer_close(r.card);
}

/* A fault held by the print command during a job; cleared -> the job prints once. */
static void scenario_held_fault(const char *fault, enum printer_fault expect, bool clear)
{
	struct printer *p = open_a4(clear ? 20000 : 4000);
	if (!p)
		return;
	printlab_set_fault(lab, "A4", fault);
	CHECK(submit(p, 1, false, 1) == 0, "submit");
	struct printer_event ev;
	CHECK(wait_event("A4", PRINTER_EV_JOB_PROGRESS, (int)expect, 15000, &ev),
	      "no progress event with %s", printer_fault_name(expect));
	CHECK(ev.status.severity == PRINTER_SEV_ERROR, "severity %d", ev.status.severity);
	CHECK(strcmp(ev.status.citizen_en, "The printer is ready.") != 0, "citizen: %s",
	      ev.status.citizen_en);
	CHECK(printed("A4") == 0, "printed during the fault");
	struct printer_event done;
	if (clear) {
		sleep_ms(500);
		printlab_set_fault(lab, "A4", "");
		job_ends("A4", 30000, PRINTER_OUTCOME_PRINTED, &done);
		sleep_ms(1000);
		CHECK(printed("A4") == 1, "printed %d times", printed("A4"));
	} else {
		/* The printer had the job when the kiosk canceled it: not a certain cancel. */
		job_ends("A4", 20000, PRINTER_OUTCOME_UNCERTAIN, &done);
		CHECK(done.status.fault == expect, "done says %s",
		      printer_fault_name(done.status.fault));
		/* The fault cleared after the kiosk's cancel: this printer honours the cancel. */
		printlab_set_fault(lab, "A4", "");
		sleep_ms(2000);
		CHECK(printed("A4") == 0, "printed %d", printed("A4"));
	}
	printer_close(p);
}

/* Out of paper while idle: seen without a job; a job waits, then prints on refill. */
static void scenario_paper_out_idle(void)
{
	int err;
	struct printer *p = open_queue("A4", PRINTER_MEDIA_A4, 20000, &err);
	struct printer_routes r = { .a4 = p };
	CHECK(p, "open: %s", printer_strerror(err));
	if (!p)
		return;
	CHECK(printlab_set_media_level(lab, "A4", 0) == 0, "web form");
	struct printer_event ev;
	CHECK(wait_event("A4", PRINTER_EV_STATUS, PRINTER_FAULT_PAPER_OUT, 15000, &ev),
	      "paper out not seen while idle");
	CHECK(strstr(ev.status.citizen_id, "Kertas") != NULL, "citizen: %s", ev.status.citizen_id);
	CHECK(printer_route(&r, PRINTER_MEDIA_A4) == NULL, "A4 routed while out of paper");
	CHECK(submit(p, 1, false, 2) == 0, "submit");
	CHECK(wait_event("A4", PRINTER_EV_JOB_PROGRESS, PRINTER_FAULT_PAPER_OUT, 15000, NULL),
	      "job shows no paper-out");
	sleep_ms(1000); /* the job really waits for paper */
	CHECK(printed("A4") == 0, "printed without paper");
	printlab_set_media_level(lab, "A4", 250);
	struct printer_event done;
	job_ends("A4", 30000, PRINTER_OUTCOME_PRINTED, &done);
	CHECK(printed("A4") == 1, "printed %d", printed("A4"));
	printer_close(p);
}

static void scenario_toner_low(void)
{
	struct printer *p = open_a4(20000);
	if (!p)
		return;
	printlab_set_fault(lab, "A4", "toner-low");
	CHECK(submit(p, 1, false, 3) == 0, "submit");
	struct printer_event done;
	job_ends("A4", 30000, PRINTER_OUTCOME_PRINTED, &done);
	/* The warning shows during the job or, at the latest, in the next idle poll. */
	bool seen = wait_event("A4", PRINTER_EV_JOB_PROGRESS, PRINTER_FAULT_TONER_LOW, 0, NULL) ||
		    wait_event("A4", PRINTER_EV_STATUS, PRINTER_FAULT_TONER_LOW, 15000, NULL);
	CHECK(seen, "toner-low warning never reported");
	struct printer_status st;
	printer_get_status(p, &st);
	CHECK(st.severity != PRINTER_SEV_ERROR, "a warning must not stop printing");
	CHECK(printed("A4") == 1, "printed %d", printed("A4"));
	printer_close(p);
}

static void scenario_abort(void)
{
	struct printer *p = open_a4(20000);
	if (!p)
		return;
	printlab_set_fault(lab, "A4", "abort");
	CHECK(submit(p, 1, false, 4) == 0, "submit");
	struct printer_event done;
	job_ends("A4", 30000, PRINTER_OUTCOME_FAILED, &done);
	CHECK(done.status.severity == PRINTER_SEV_ERROR, "done status %s",
	      printer_fault_name(done.status.fault));
	sleep_ms(1000);
	CHECK(printed("A4") == 0, "printed %d", printed("A4"));
	printer_close(p);
}

/* The printer dies mid-job; restart: cupsd calls it completed, the kiosk must not. */
static void scenario_killed(bool restart)
{
	struct printer *p = open_a4(restart ? 40000 : 4000);
	if (!p)
		return;
	printlab_set_fault(lab, "A4", "slow");
	CHECK(submit(p, 1, false, 5) == 0, "submit");
	CHECK(wait_event("A4", PRINTER_EV_JOB_SENT, -1, 10000, NULL), "not sent");
	sleep_ms(2500); /* the printer has the job and its print command is running */
	printlab_kill_printer(lab, "A4");
	printlab_set_fault(lab, "A4", "");
	if (restart) {
		sleep_ms(300);
		CHECK(printlab_restart_printer(lab, "A4") == 0, "restart");
	}
	struct printer_event done;
	CHECK(wait_event("A4", PRINTER_EV_JOB_DONE, -1, restart ? 60000 : 20000, &done),
	      "no job end");
	/* Killed with the job: had it come back and printed, nobody could tell. */
	CHECK(done.outcome == (restart ? PRINTER_OUTCOME_HISTORY_LOST : PRINTER_OUTCOME_UNCERTAIN),
	      "outcome %s", printer_outcome_name(done.outcome));
	CHECK(done.status.severity == PRINTER_SEV_ERROR, "done status %s",
	      printer_fault_name(done.status.fault));
	/* Killed and not back: the citizen reads "not responding". */
	CHECK(restart || done.status.fault == PRINTER_FAULT_OFFLINE, "done says %s",
	      printer_fault_name(done.status.fault));
	struct consumables c;
	printer_get_consumables(p, &c);
	CHECK(c.c[CONSUMABLE_SHEETS].level == 100, "counted %d",
	      100 - c.c[CONSUMABLE_SHEETS].level);
	if (restart) {
		enum printer_outcome oc;
		CHECK(printer_reconcile(p, done.job_id, 5, &oc) == 0 &&
			  oc == PRINTER_OUTCOME_HISTORY_LOST,
		      "reconcile: %s", printer_outcome_name(oc));
	}
	sleep_ms(1000);
	CHECK(printed("A4") == 0, "printed %d", printed("A4"));
	printer_close(p);
}

/* The kiosk stops while a job prints; the next start adopts the job and sees it printed. */
static void scenario_reconcile_adopt(void)
{
	struct printer *p = open_a4(20000);
	if (!p)
		return;
	printlab_set_fault(lab, "A4", "slow");
	CHECK(submit(p, 1, false, 77) == 0, "submit");
	struct printer_event sent;
	CHECK(wait_event("A4", PRINTER_EV_JOB_SENT, -1, 10000, &sent), "not sent");
	printer_close(p); /* "crash": the job is left to CUPS, its id is recorded */
	CHECK(!wait_event("A4", PRINTER_EV_JOB_DONE, -1, 0, NULL), "done before restart");

	p = open_a4(20000); /* the kiosk restarted */
	if (!p)
		return;
	enum printer_outcome oc = 0;
	CHECK(printer_reconcile(p, rec.recorded_job, 77, &oc) == 0 && oc == PRINTER_OUTCOME_PENDING,
	      "reconcile running job: %s", printer_outcome_name(oc));
	CHECK(submit(p, 1, false, 78) == PRINTER_E_BUSY, "submit while adopting");
	printlab_set_fault(lab, "A4", "");
	struct printer_event done;
	CHECK(wait_event("A4", PRINTER_EV_JOB_DONE, -1, 30000, &done), "adopted job never ended");
	CHECK(done.outcome == PRINTER_OUTCOME_PRINTED && done.tag == 77 &&
		  done.job_id == sent.job_id,
	      "outcome %s tag %llu job %d", printer_outcome_name(done.outcome),
	      (unsigned long long)done.tag, done.job_id);
	sleep_ms(1000);
	CHECK(printed("A4") == 1, "printed %d", printed("A4"));
	printer_close(p);
}

/*
 * A printer that accepts Cancel-Job but whose engine goes on: a jam nobody clears, the
 * stall timeout cancels, and the page still comes out when the jam is cleared. The kiosk
 * must not call that job canceled (the citizen's retry would print a second copy).
 */
static void scenario_uncertain(void)
{
	struct printer *p = open_a4(4000);
	if (!p)
		return;
	CHECK(printlab_set_ignore_cancel(lab, "A4", true) == 0, "ignore-cancel");
	printlab_set_fault(lab, "A4", "jam");
	CHECK(submit(p, 1, false, 12) == 0, "submit");
	CHECK(wait_event("A4", PRINTER_EV_JOB_PROGRESS, PRINTER_FAULT_JAM, 15000, NULL),
	      "no jam during the job");
	struct printer_event done;
	job_ends("A4", 20000, PRINTER_OUTCOME_UNCERTAIN, &done);
	CHECK(printed("A4") == 0, "printed %d before the jam was cleared", printed("A4"));
	/* The technician clears the jam: this printer's engine prints the canceled job. */
	printlab_set_fault(lab, "A4", "");
	int64_t end = clock_mono_ms() + 20000;
	while (printed("A4") == 0 && clock_mono_ms() < end)
		sleep_ms(100);
	CHECK(printed("A4") == 1,
	      "the lab printer printed %d after the cancel (expected 1: the "
	      "fault mode works)",
	      printed("A4"));
	printer_close(p);
}

/*
 * A backend failure with ErrorPolicy retry-job: cupsd holds the job for JobRetryInterval
 * (5 minutes) with an idle queue and no reasons. The held job is a fault at once, not
 * "the printer is ready" until the stall timeout.
 */
static void scenario_held(void)
{
	const int stall = 8000;
	CHECK(printlab_set_error_policy(lab, "A4", "retry-job") == 0, "error policy");
	CHECK(printlab_set_backend_fail(lab, "A4", true) == 0, "backend fault");
	struct printer *p = open_a4(stall);
	if (!p)
		return;
	CHECK(submit(p, 1, false, 13) == 0, "submit");
	struct printer_event sent, ev;
	CHECK(wait_event("A4", PRINTER_EV_JOB_SENT, -1, 10000, &sent), "not sent");
	CHECK(wait_event("A4", PRINTER_EV_JOB_PROGRESS, PRINTER_FAULT_HELD, 20000, &ev),
	      "the held job never showed as a fault");
	CHECK(ev.status.severity == PRINTER_SEV_ERROR, "severity %d", ev.status.severity);
	CHECK(strcmp(ev.status.citizen_en, "The printer is ready.") != 0, "citizen: %s",
	      ev.status.citizen_en);
	CHECK(ev.at_ms - sent.at_ms < stall,
	      "held shown %lld ms after sending, not before the "
	      "stall timeout",
	      (long long)(ev.at_ms - sent.at_ms));
	struct printer_event done;
	CHECK(!wait_event("A4", PRINTER_EV_JOB_DONE, -1, 0, NULL), "ended before the stall");
	/* The printer never saw the job (the backend failed first): a certain cancel. */
	job_ends("A4", 30000, PRINTER_OUTCOME_CANCELED, &done);
	CHECK(done.status.severity == PRINTER_SEV_ERROR, "done says %s",
	      printer_fault_name(done.status.fault));
	printlab_set_backend_fail(lab, "A4", false);
	sleep_ms(3000);
	CHECK(printed("A4") == 0, "printed %d", printed("A4"));
	printer_close(p);
}

/* Until cupsd's spool holds no job document (d* file), or timeout_ms passes. */
static int spool_after(int timeout_ms)
{
	int64_t end = clock_mono_ms() + timeout_ms;
	int n;
	while ((n = printlab_spool_files(lab, NULL, 0)) > 0 && clock_mono_ms() < end)
		sleep_ms(100);
	return n;
}

/*
 * cupsd's copy of a document is the decrypted PDF: it may live only as long as its job,
 * readable by no one but root and cupsd's filters. Printed, aborted, canceled by the kiosk.
 */
static void scenario_spool(void)
{
	struct printer *p = open_a4(4000);
	if (!p)
		return;
	static const struct {
		const char *fault;
		enum printer_outcome outcome;
	} jobs[] = { { "slow", PRINTER_OUTCOME_PRINTED },
		     { "abort", PRINTER_OUTCOME_FAILED },
		     { "media-empty", PRINTER_OUTCOME_UNCERTAIN } };
	for (size_t i = 0; i < sizeof(jobs) / sizeof(jobs[0]); i++) {
		printlab_set_fault(lab, "A4", jobs[i].fault);
		pthread_mutex_lock(&rec.m);
		rec.n = 0;
		pthread_mutex_unlock(&rec.m);
		CHECK(submit(p, 1, false, 20 + i) == 0, "submit %zu", i);
		CHECK(wait_event("A4", PRINTER_EV_JOB_SENT, -1, 10000, NULL), "not sent");
		char path[700] = "";
		struct stat st;
		if (jobs[i].outcome == PRINTER_OUTCOME_PRINTED) {
			CHECK(printlab_spool_files(lab, path, sizeof(path)) == 1,
			      "no job document in the spool while the job runs");
			CHECK(stat(path, &st) == 0 && (st.st_mode & 0027) == 0 && st.st_uid == 0,
			      "%s: mode %o uid %d", path, (unsigned)st.st_mode & 0777,
			      (int)st.st_uid);
			sleep_ms(500);
			printlab_set_fault(lab, "A4", "");
		}
		struct printer_event done;
		job_ends("A4", 30000, jobs[i].outcome, &done);
		int left = spool_after(10000);
		CHECK(left == 0, "%d job document(s) left in the spool after a job %s", left,
		      printer_outcome_name(jobs[i].outcome));
		printlab_set_fault(lab, "A4", "");
	}
	CHECK(printed("A4") == 1, "printed %d", printed("A4"));
	printer_close(p);
}

/*
 * The kiosk canceled a job the printer had (here: a jam) and died before it could hold
 * the document: the next start's reconcile must not call that cancel "not printed".
 */
static void scenario_reconcile_uncertain(void)
{
	struct printer *p = open_a4(20000);
	if (!p)
		return;
	printlab_set_fault(lab, "A4", "jam");
	CHECK(submit(p, 1, false, 31) == 0, "submit");
	CHECK(wait_event("A4", PRINTER_EV_JOB_PROGRESS, PRINTER_FAULT_JAM, 15000, NULL),
	      "no jam during the job");
	printer_close(p); /* the kiosk dies; its Cancel-Job had gone out: */
	char id[32];
	snprintf(id, sizeof(id), "%d", rec.recorded_job);
	CHECK(printlab_run(lab, (char *[]){ "cancel", id, NULL }) == 0, "cancel %s", id);
	p = open_a4(20000); /* the next start */
	if (!p)
		return;
	enum printer_outcome oc = 0;
	int64_t end = clock_mono_ms() + 10000;
	do { /* until cupsd has the cancel through */
		CHECK(printer_reconcile(p, rec.recorded_job, 31, &oc) == 0, "reconcile");
		if (oc == PRINTER_OUTCOME_PENDING)
			sleep_ms(200);
	} while (oc == PRINTER_OUTCOME_PENDING && clock_mono_ms() < end);
	CHECK(oc == PRINTER_OUTCOME_UNCERTAIN, "reconciled as %s", printer_outcome_name(oc));
	printer_close(p);
}

static void scenario_printer_down(void)
{
	printlab_kill_printer(lab, "A4");
	int err;
	struct printer *p = open_queue("A4", PRINTER_MEDIA_A4, 4000, &err);
	struct printer_routes r = { .a4 = p };
	CHECK(p, "open: %s", printer_strerror(err));
	if (!p)
		return;
	struct printer_event ev;
	CHECK(wait_event("A4", PRINTER_EV_STATUS, PRINTER_FAULT_OFFLINE, 15000, &ev),
	      "offline not seen while idle");
	CHECK(printer_route(&r, PRINTER_MEDIA_A4) == NULL, "routed to a dead printer");
	CHECK(submit(p, 1, false, 6) == 0, "submit");
	CHECK(wait_event("A4", PRINTER_EV_JOB_PROGRESS, PRINTER_FAULT_OFFLINE, 15000, NULL),
	      "job shows no offline");
	struct printer_event done;
	job_ends("A4", 20000, PRINTER_OUTCOME_CANCELED, &done);
	CHECK(done.status.fault == PRINTER_FAULT_OFFLINE, "done says %s",
	      printer_fault_name(done.status.fault));
	/* Back up: the canceled job must not print late. */
	printlab_restart_printer(lab, "A4");
	sleep_ms(3000);
	CHECK(printed("A4") == 0, "printed %d", printed("A4"));
	printer_close(p);
}

static void scenario_queue_stopped(void)
{
	CHECK(printlab_queue_enable(lab, "A4", false) == 0, "cupsdisable");
	int err;
	struct printer *p = open_queue("A4", PRINTER_MEDIA_A4, 4000, &err);
	struct printer_routes r = { .a4 = p };
	CHECK(p, "open: %s", printer_strerror(err));
	if (!p)
		return;
	struct printer_status st;
	for (int i = 0; i < 20; i++) {
		printer_get_status(p, &st);
		if (st.fault == PRINTER_FAULT_STOPPED && st.printer_state == 5)
			break;
		if (i % 4 == 3)
			printlab_queue_enable(lab, "A4", false);
		sleep_ms(250);
	}
	CHECK(st.fault == PRINTER_FAULT_STOPPED, "status %s", printer_fault_name(st.fault));
	CHECK(printer_route(&r, PRINTER_MEDIA_A4) == NULL, "routed to a stopped queue");
	CHECK(submit(p, 1, false, 9) == 0, "submit");
	struct printer_event done;
	job_ends("A4", 20000, PRINTER_OUTCOME_CANCELED, &done);
	CHECK(done.status.fault == PRINTER_FAULT_STOPPED, "done says %s",
	      printer_fault_name(done.status.fault));
	printlab_queue_enable(lab, "A4", true);
	sleep_ms(3000);
	CHECK(printed("A4") == 0, "printed %d", printed("A4"));
	printer_close(p);
}

static void scenario_unknown_queue(void)
{
	int err = 0;
	struct printer *p = open_queue("NO_SUCH_QUEUE", PRINTER_MEDIA_A4, 4000, &err);
	CHECK(p == NULL && err == PRINTER_E_NO_QUEUE, "err %d", err);
	CHECK(strstr(printer_strerror(err), "queue") != NULL, "%s", printer_strerror(err));
	printer_close(p);
	/* CUPS itself unreachable is a different, equally clear error. */
	struct printer_config cfg = { .media = PRINTER_MEDIA_A4,
				      .server = "/nonexistent/cups.sock" };
	p = printer_open("cups:A4", &cfg, &err);
	CHECK(p == NULL && err == PRINTER_E_SERVER, "err %d", err);
	printer_close(p);
	p = printer_open("lpd:A4", &cfg, &err);
	CHECK(p == NULL && err == PRINTER_E_INVAL, "unknown scheme: err %d", err);
}

/* The kiosk's own counter: warn, then out of service at zero, refill brings it back. */
static void scenario_supplies(void)
{
	struct printer_config cfg = { .media = PRINTER_MEDIA_A4,
				      .poll_ms = 250,
				      .idle_poll_ms = 300,
				      .stall_timeout_ms = 20000,
				      .on_event = on_event };
	consumables_init_a4(&cfg.supplies, 3, 1);
	int err;
	struct printer *p = printer_open("A4", &cfg, &err);
	CHECK(p, "open: %s", printer_strerror(err));
	if (!p)
		return;
	CHECK(submit(p, 2, false, 1) == 0, "submit");
	struct printer_event ev;
	CHECK(wait_event("A4", PRINTER_EV_SUPPLY, -1, 30000, &ev), "no supply warning");
	CHECK(ev.supply == CONSUMABLE_SHEETS && ev.supply_level == 1, "level %d", ev.supply_level);
	CHECK(wait_event("A4", PRINTER_EV_STATUS, PRINTER_FAULT_SUPPLY_LOW, 15000, NULL),
	      "no supply-low status");
	sleep_ms(300);
	CHECK(submit(p, 1, false, 2) == 0, "submit 2");
	CHECK(wait_event("A4", PRINTER_EV_STATUS, PRINTER_FAULT_SUPPLY_OUT, 30000, &ev),
	      "no supply-out status");
	CHECK(ev.status.severity == PRINTER_SEV_ERROR, "supply out must stop printing");
	CHECK(submit(p, 1, false, 3) == PRINTER_E_OUT_OF_SERVICE, "submit at zero");
	printer_refill(p, CONSUMABLE_SHEETS, 0);
	struct consumables c;
	printer_get_consumables(p, &c);
	CHECK(c.c[CONSUMABLE_SHEETS].level == 3, "refilled to %d", c.c[CONSUMABLE_SHEETS].level);
	CHECK(wait_event("A4", PRINTER_EV_STATUS, PRINTER_FAULT_NONE, 15000, NULL),
	      "not back in service");
	CHECK(printed("A4") == 2, "printed %d", printed("A4"));
	printer_close(p);
}

/* Lines of the virtual printer's log (ippeveprinter -v) that contain what. */
static int printer_log_count(const char *name, const char *what)
{
	char path[600], line[1024];
	snprintf(path, sizeof(path), "%s/log/printer-%s.log", printlab_dir(lab), name);
	FILE *f = fopen(path, "r");
	int n = 0;
	while (f && fgets(line, sizeof(line), f))
		n += strstr(line, what) != NULL;
	if (f)
		fclose(f);
	return n;
}

/*
 * An idle printer that stays fine is asked less and less often (idle_poll_ms doubling up
 * to idle_poll_max_ms), over one kept connection; a fault still shows within about
 * idle_poll_max_ms, and its end soon after (a fault is polled at idle_poll_ms).
 */
static void scenario_idle_backoff(void)
{
	struct printer_config cfg = {
		.media = PRINTER_MEDIA_A4,
		.poll_ms = 250,
		.idle_poll_ms = 200,
		.idle_poll_max_ms = 2000,
		.stall_timeout_ms = 20000,
		.on_event = on_event,
	};
	consumables_init_a4(&cfg.supplies, 100, 10);
	int err;
	struct printer *p = printer_open("cups:A4", &cfg, &err);
	CHECK(p, "open: %s", printer_strerror(err));
	if (!p)
		return;
	sleep_ms(500); /* the first polls */
	int q0 = printer_log_count("A4", "Get-Printer-Attributes");
	int c0 = printer_log_count("A4", "Accepted connection");
	sleep_ms(12000);
	int q = printer_log_count("A4", "Get-Printer-Attributes") - q0;
	int c = printer_log_count("A4", "Accepted connection") - c0;
	fprintf(stderr, "idle 12 s: %d request(s) to the printer on %d new connection(s)\n", q, c);
	/* Every 200 ms that would be 60 requests on 60 connections; backing off to 2 s, 7. */
	CHECK(q >= 3 && q <= 20, "%d requests to an idle printer in 12 s", q);
	CHECK(c <= 2, "%d connections for %d requests: not kept open", c, q);

	int64_t t = clock_mono_ms();
	CHECK(printlab_set_media_level(lab, "A4", 0) == 0, "web form");
	CHECK(wait_event("A4", PRINTER_EV_STATUS, PRINTER_FAULT_PAPER_OUT, 15000, NULL),
	      "paper out not seen after the backoff");
	fprintf(stderr, "paper-out seen %lld ms after it happened\n",
		(long long)(clock_mono_ms() - t));
	printlab_set_media_level(lab, "A4", 250);
	CHECK(wait_event("A4", PRINTER_EV_STATUS, PRINTER_FAULT_NONE, 15000, NULL),
	      "paper back not seen");
	printer_close(p);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test-print-cups SCENARIO\n");
		return 2;
	}
	const char *s = argv[1];
	bool card = strcmp(s, "card") == 0;
	t0 = clock_mono_ms();
	if (strcmp(s, "idle-backoff") == 0)
		setenv("PRINTLAB_VERBOSE", "1", 1); /* the printer logs every request */
	if (!lab_up(card)) {
		printlab_stop(lab);
		return 1;
	}
	if (strcmp(s, "normal") == 0)
		scenario_normal();
	else if (card)
		scenario_card();
	else if (strcmp(s, "paper-out-idle") == 0)
		scenario_paper_out_idle();
	else if (strcmp(s, "paper-out-during") == 0)
		scenario_held_fault("media-empty", PRINTER_FAULT_PAPER_OUT, false);
	else if (strcmp(s, "jam") == 0)
		scenario_held_fault("jam", PRINTER_FAULT_JAM, true);
	else if (strcmp(s, "cover-open") == 0)
		scenario_held_fault("cover-open", PRINTER_FAULT_COVER_OPEN, true);
	else if (strcmp(s, "toner-low") == 0)
		scenario_toner_low();
	else if (strcmp(s, "abort") == 0)
		scenario_abort();
	else if (strcmp(s, "killed") == 0)
		scenario_killed(false);
	else if (strcmp(s, "killed-restarted") == 0)
		scenario_killed(true);
	else if (strcmp(s, "reconcile-adopt") == 0)
		scenario_reconcile_adopt();
	else if (strcmp(s, "printer-down") == 0)
		scenario_printer_down();
	else if (strcmp(s, "queue-stopped") == 0)
		scenario_queue_stopped();
	else if (strcmp(s, "unknown-queue") == 0)
		scenario_unknown_queue();
	else if (strcmp(s, "supplies") == 0)
		scenario_supplies();
	else if (strcmp(s, "uncertain") == 0)
		scenario_uncertain();
	else if (strcmp(s, "reconcile-uncertain") == 0)
		scenario_reconcile_uncertain();
	else if (strcmp(s, "held") == 0)
		scenario_held();
	else if (strcmp(s, "spool") == 0)
		scenario_spool();
	else if (strcmp(s, "idle-backoff") == 0)
		scenario_idle_backoff();
	else {
		fprintf(stderr, "unknown scenario %s\n", s);
		failures++;
	}
	fprintf(stderr, "%6lld ms scenario over, stopping the lab\n",
		(long long)(clock_mono_ms() - t0));
	printlab_stop(lab);
	fprintf(stderr, "%6lld ms lab stopped\n", (long long)(clock_mono_ms() - t0));
	if (failures)
		fprintf(stderr, "%s: %d check(s) failed\n", s, failures);
	return failures ? 1 : 0;
}
