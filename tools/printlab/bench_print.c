/*
 * bench-print: the printer driver against `lp`, side by side in one run, through one
 * private cupsd and one virtual printer (printlab); then how long a fault at the printer
 * takes to reach the driver, idle and during a job. Figures and how to read them are in
 * docs/benchmarks-print.md.
 *
 *   bench-print [--runs N] [--poll-ms MS] [--idle-poll-ms MS]
 *
 * "accepted" is the moment the job is in CUPS with its document (the driver's
 * PRINTER_EV_JOB_SENT; lp's exit), "completed" the moment job-state is completed (the
 * driver's PRINTER_EV_JOB_DONE; for lp, a 20 ms poll of the job's state, so lp is measured
 * at a finer grain than the driver's own poll).
 *
 * Threads: the driver's worker appends events to a small recorder under its mutex; the
 * main thread waits on its condition.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cups/cups.h>

#include "clock.h"
#include "log.h"
#include "printer.h"
#include "printlab.h"
#include "printlab_pdf.h"

static struct {
	pthread_mutex_t m;
	pthread_cond_t c;
	struct printer_event last[PRINTER_EV_SUPPLY + 1];
	int count[PRINTER_EV_SUPPLY + 1];
} rec = { .m = PTHREAD_MUTEX_INITIALIZER, .c = PTHREAD_COND_INITIALIZER };

static void on_event(void *ctx, const struct printer_event *ev)
{
	(void)ctx;
	pthread_mutex_lock(&rec.m);
	rec.last[ev->type] = *ev;
	rec.count[ev->type]++;
	pthread_cond_broadcast(&rec.c);
	pthread_mutex_unlock(&rec.m);
}

static int events(enum printer_event_type t)
{
	pthread_mutex_lock(&rec.m);
	int n = rec.count[t];
	pthread_mutex_unlock(&rec.m);
	return n;
}

/* Waits for the count of an event type to pass `after` (and the fault, unless -1). */
static bool wait_event(enum printer_event_type t, int after, int fault, int timeout_ms,
		       struct printer_event *out)
{
	int64_t end = clock_mono_ms() + timeout_ms;
	pthread_mutex_lock(&rec.m);
	for (;;) {
		if (rec.count[t] > after && (fault < 0 || (int)rec.last[t].status.fault == fault)) {
			if (out)
				*out = rec.last[t];
			pthread_mutex_unlock(&rec.m);
			return true;
		}
		if (clock_mono_ms() >= end)
			break;
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 5 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&rec.c, &rec.m, &ts);
	}
	pthread_mutex_unlock(&rec.m);
	return false;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void report(const char *what, double *v, int n)
{
	if (n <= 0) {
		printf("%-44s no samples\n", what);
		return;
	}
	qsort(v, (size_t)n, sizeof(double), cmp_d);
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += v[i];
	printf("%-44s median %8.1f ms  mean %8.1f  min %8.1f  max %8.1f  (n=%d)\n", what, v[n / 2],
	       sum / n, v[0], v[n - 1], n);
}

/* Job state through libcups, as any client would read it. */
static int job_state(int job_id)
{
	cups_job_t *jobs;
	int n = cupsGetJobs2(CUPS_HTTP_DEFAULT, &jobs, "A4", 0, CUPS_WHICHJOBS_ALL);
	int st = 0;
	for (int i = 0; i < n; i++)
		if (jobs[i].id == job_id)
			st = jobs[i].state;
	cupsFreeJobs(n, jobs);
	return st;
}

static bool lp_once(const char *file, double *accepted, double *completed)
{
	char cmd[600], out[256] = "";
	snprintf(cmd, sizeof(cmd), "lp -d A4 -o media=iso_a4_210x297mm -o sides=one-sided '%s'",
		 file);
	int64_t t0 = clock_mono_us();
	FILE *f = popen(cmd, "r");
	if (!f)
		return false;
	size_t n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	if (pclose(f) != 0)
		return false;
	*accepted = (double)(clock_mono_us() - t0) / 1000.0;
	const char *dash = strstr(out, "A4-");
	if (!dash)
		return false;
	int id = atoi(dash + 3);
	for (int i = 0; i < 3000; i++) {
		if (job_state(id) == IPP_JSTATE_COMPLETED) {
			*completed = (double)(clock_mono_us() - t0) / 1000.0;
			return true;
		}
		sleep_ms(20);
	}
	return false;
}

static bool ours_once(struct printer *p, const unsigned char *pdf, size_t len, double *accepted,
		      double *completed)
{
	int sent = events(PRINTER_EV_JOB_SENT), done = events(PRINTER_EV_JOB_DONE);
	struct printer_document doc = { .pdf = pdf, .len = len, .pages = 1, .tag = 1 };
	int64_t t0 = clock_mono_us();
	if (printer_submit(p, &doc) != 0)
		return false;
	struct printer_event ev;
	if (!wait_event(PRINTER_EV_JOB_SENT, sent, -1, 30000, &ev))
		return false;
	*accepted = (double)(ev.at_ms * 1000 - t0) / 1000.0;
	if (!wait_event(PRINTER_EV_JOB_DONE, done, -1, 60000, &ev) ||
	    ev.outcome != PRINTER_OUTCOME_PRINTED)
		return false;
	*completed = (double)(ev.at_ms * 1000 - t0) / 1000.0;
	return true;
}

int main(int argc, char **argv)
{
	int runs = 10, poll_ms = 500, idle_poll_ms = 1000, c;
	static const struct option opts[] = { { "runs", required_argument, NULL, 'n' },
					      { "poll-ms", required_argument, NULL, 'p' },
					      { "idle-poll-ms", required_argument, NULL, 'i' },
					      { NULL, 0, NULL, 0 } };
	while ((c = getopt_long(argc, argv, "n:p:i:", opts, NULL)) != -1) {
		if (c == 'n')
			runs = atoi(optarg);
		else if (c == 'p')
			poll_ms = atoi(optarg);
		else if (c == 'i')
			idle_poll_ms = atoi(optarg);
		else {
			fprintf(stderr, "usage: bench-print [--runs N] [--poll-ms MS] "
					"[--idle-poll-ms MS]\n");
			return 2;
		}
	}
	if (runs < 1 || runs > 200)
		runs = 10;
	log_set_level(LOG_LVL_ERROR);
	char err[256];
	struct printlab *lab = printlab_start(NULL, 0, err, sizeof(err));
	if (!lab) {
		fprintf(stderr, "bench-print: %s\n", err);
		return 1;
	}
	setenv("CUPS_SERVER", printlab_server(lab), 1);
	int rc = 1;
	struct printer *p = NULL;
	double *a_ours = calloc((size_t)runs, sizeof(double)),
	       *c_ours = calloc((size_t)runs, sizeof(double));
	double *a_lp = calloc((size_t)runs, sizeof(double)),
	       *c_lp = calloc((size_t)runs, sizeof(double));
	double idle[5], busy[3];
	int n_ours = 0, n_lp = 0, n_idle = 0, n_busy = 0;
	size_t len;
	unsigned char *pdf = printlab_pdf_make(1, false, &len);
	char file[] = "/tmp/bench-print-XXXXXX";
	int fd = mkstemp(file);
	if (fd < 0 || !pdf || write(fd, pdf, len) != (ssize_t)len ||
	    printlab_add_printer(lab, "A4", false) != 0) {
		fprintf(stderr, "bench-print: set-up failed\n");
		goto out;
	}
	close(fd);
	fd = -1;
	struct printer_config cfg = { .media = PRINTER_MEDIA_A4,
				      .poll_ms = poll_ms,
				      .idle_poll_ms = idle_poll_ms,
				      .stall_timeout_ms = 60000,
				      .on_event = on_event };
	int e;
	p = printer_open("cups:A4", &cfg, &e);
	if (!p) {
		fprintf(stderr, "bench-print: %s\n", printer_strerror(e));
		goto out;
	}
	printf("bench-print: %d runs, one-page A4 PDF (%zu bytes), driver poll %d ms, idle poll "
	       "%d ms\n",
	       runs, len, poll_ms, idle_poll_ms);
	/* Alternate, so both meet the same cupsd state. */
	for (int i = 0; i < runs; i++) {
		if (ours_once(p, pdf, len, &a_ours[n_ours], &c_ours[n_ours]))
			n_ours++;
		else
			fprintf(stderr, "bench-print: driver run %d failed\n", i);
		if (lp_once(file, &a_lp[n_lp], &c_lp[n_lp]))
			n_lp++;
		else
			fprintf(stderr, "bench-print: lp run %d failed\n", i);
	}
	report("driver: submit -> job accepted", a_ours, n_ours);
	report("lp:     submit -> job accepted (lp exits)", a_lp, n_lp);
	report("driver: submit -> completed", c_ours, n_ours);
	report("lp:     submit -> completed (20 ms poll)", c_lp, n_lp);

	/* Idle: paper runs out at the printer; the driver's idle poll asks it directly. */
	for (int i = 0; i < 5; i++) {
		int before = events(PRINTER_EV_STATUS);
		int64_t t0 = clock_mono_us();
		printlab_set_media_level(lab, "A4", 0);
		struct printer_event ev;
		if (wait_event(PRINTER_EV_STATUS, before, PRINTER_FAULT_PAPER_OUT, 10000, &ev))
			idle[n_idle++] = (double)(ev.at_ms * 1000 - t0) / 1000.0;
		before = events(PRINTER_EV_STATUS);
		printlab_set_media_level(lab, "A4", 250);
		wait_event(PRINTER_EV_STATUS, before, PRINTER_FAULT_NONE, 10000, NULL);
		sleep_ms(137 * (i + 1) % 500); /* land at different points of the poll cycle */
	}
	report("fault -> driver, idle (paper out)", idle, n_idle);

	/* During a job: the printer holds the job, then paper runs out. */
	for (int i = 0; i < 3; i++) {
		printlab_set_fault(lab, "A4", "slow");
		int progress = events(PRINTER_EV_JOB_PROGRESS), done = events(PRINTER_EV_JOB_DONE);
		struct printer_document doc = { .pdf = pdf, .len = len, .pages = 1, .tag = 2 };
		if (printer_submit(p, &doc) != 0)
			break;
		sleep_ms(3000 + 300 * i); /* the job is at the printer, its command running */
		progress = events(PRINTER_EV_JOB_PROGRESS);
		int64_t t0 = clock_mono_us();
		printlab_set_media_level(lab, "A4", 0);
		struct printer_event ev;
		if (wait_event(PRINTER_EV_JOB_PROGRESS, progress, PRINTER_FAULT_PAPER_OUT, 30000,
			       &ev))
			busy[n_busy++] = (double)(ev.at_ms * 1000 - t0) / 1000.0;
		printlab_set_media_level(lab, "A4", 250);
		printlab_set_fault(lab, "A4", "");
		wait_event(PRINTER_EV_JOB_DONE, done, -1, 60000, NULL);
	}
	report("fault -> driver, during a job (paper out)", busy, n_busy);
	rc = n_ours == runs && n_lp == runs && n_idle == 5 && n_busy == 3 ? 0 : 1;
	if (rc)
		fprintf(stderr, "bench-print: some runs failed\n");
out:
	printer_close(p);
	if (fd >= 0)
		close(fd);
	unlink(file);
	free(pdf);
	free(a_ours);
	free(c_ours);
	free(a_lp);
	free(c_lp);
	printlab_stop(lab);
	return rc;
}
