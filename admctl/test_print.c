/*
 * admctl test-print QUEUE: a synthetic page (the kiosk's id, the date, a test pattern; no
 * citizen data) drawn with cairo, sent through the kiosk's printer driver and followed to
 * its end like a citizen's job: only "printed" exits 0.
 */
#include "tech.h"

#include "membuf.h"
#include "printer.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static cairo_status_t put(void *user, const unsigned char *data, unsigned int len)
{
	return membuf_put(user, data, len) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_NO_MEMORY;
}

/* One page: A4 (595x842 pt) or an ID-1 card (153x243 pt, portrait as the queue takes it). */
static bool test_page(const char *kiosk, bool card, struct membuf *out)
{
	double w = card ? 153 : 595, h = card ? 243 : 842, m = card ? 8 : 40;
	char when[32], line[160];
	tech_time((int64_t)time(NULL), when);
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(put, out, w, h);
	cairo_t *cr = cairo_create(s);
	/* the frame shows where the printer clips; the bars its greys; the grid its lines */
	cairo_set_line_width(cr, 1);
	cairo_rectangle(cr, m / 2, m / 2, w - m, h - m);
	cairo_stroke(cr);
	for (int i = 0; i < 10; i++) {
		cairo_set_source_rgb(cr, i / 9.0, i / 9.0, i / 9.0);
		cairo_rectangle(cr, m + i * (w - 2 * m) / 10, h * 0.45, (w - 2 * m) / 10, h * 0.12);
		cairo_fill(cr);
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (double x = m; x <= w - m; x += (w - 2 * m) / 16) {
		cairo_move_to(cr, x, h * 0.62);
		cairo_line_to(cr, x, h - m);
	}
	for (double y = h * 0.62; y <= h - m; y += (h * 0.38 - m) / 8) {
		cairo_move_to(cr, m, y);
		cairo_line_to(cr, w - m, y);
	}
	cairo_stroke(cr);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, card ? 8 : 28);
	cairo_move_to(cr, m, m + (card ? 14 : 40));
	cairo_show_text(cr, "ADM test page / halaman uji");
	cairo_set_font_size(cr, card ? 6 : 14);
	snprintf(line, sizeof(line), "kiosk %s, %s", kiosk, when);
	cairo_move_to(cr, m, m + (card ? 30 : 80));
	cairo_show_text(cr, line);
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	bool ok = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS && out->len > 0;
	cairo_surface_destroy(s);
	return ok;
}

struct follow {
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

static void human(json_t *o)
{
	printf("test page printed on %s: CUPS job %lld, %lld sheet(s)\n",
	       json_string_value(json_object_get(o, "queue")),
	       (long long)json_integer_value(json_object_get(o, "job")),
	       (long long)json_integer_value(json_object_get(o, "sheets")));
}

int admctl_test_print(int argc, char **argv)
{
	static const char help[] =
	    "usage: admctl test-print QUEUE [--timeout S] [--config FILE] [--json]\n"
	    "Prints a test page (kiosk id, date, a test pattern; no citizen data) on the CUPS\n"
	    "queue and follows it to its end: exit 0 only when CUPS says it printed.\n"
	    "  --timeout S     the longest the job may make no progress (default: the\n"
	    "                  kiosk's [printer] stall_timeout)\n";
	struct tech t;
	int rc = tech_begin(&t, "test-print", argc, argv, 1, help);
	if (rc >= 0)
		return rc;
	const char *queue = t.pos[0];
	bool card = strcmp(queue, t.cfg.card_queue) == 0;
	struct membuf pdf = { 0 };
	if (!test_page(t.cfg.kiosk_id, card, &pdf)) {
		free(pdf.data);
		return tech_fail(&t, ADMCTL_REFUSED, "cannot draw the test page");
	}
	struct follow f = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };
	int stall_s = t.timeout_s ? t.timeout_s : t.cfg.print_stall_s;
	struct printer_config pc = {
		.media = card ? PRINTER_MEDIA_CARD : PRINTER_MEDIA_A4,
		.server = t.cfg.cups_server[0] ? t.cfg.cups_server : NULL,
		.stall_timeout_ms = stall_s * 1000,
		.ctx = &f,
		.on_event = on_event,
	};
	int err = 0;
	struct printer *p = printer_open(queue, &pc, &err);
	if (!p) {
		free(pdf.data);
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
	tech_audit_once(&t, "technician-test-print", detail);
	if (rc != 0)
		return tech_fail(&t, ADMCTL_REFUSED, "%s: %s", queue, printer_strerror(rc));
	if (f.outcome != PRINTER_OUTCOME_PRINTED)
		return tech_fail(&t, ADMCTL_REFUSED, "%s: the test page did not print: %s%s%s",
				 queue, printer_outcome_name(f.outcome), f.why[0] ? ", " : "",
				 f.why);
	return tech_done(&t, ADMCTL_OK,
			 json_pack("{s:s, s:i, s:i, s:s}", "queue", queue, "job", f.job_id,
				   "sheets", f.sheets, "outcome", printer_outcome_name(f.outcome)),
			 human);
}
