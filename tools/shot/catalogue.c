/* The screens in every state that shows a text of its own (catalogue.h). */
#include "catalogue.h"

#include "content_view.h"
#include "nik.h"
#include "reasons.h"
#include "refusal.h"
#include "scenario_content.h"
#include "scenarios.h"

#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

struct walk {
	struct text *t[8]; /* one per screen size */
	struct view *v;
	void (*each)(void *user, const char *name, const struct view *v);
	void *user;
};

static void build(struct walk *w, const char *name, const struct flow *f,
		  const struct view_ctx *ctx)
{
	for (int k = 0; k < n_screen_sizes; k++) {
		view_build(w->v, screen_sizes[k].w, screen_sizes[k].h, f, ctx, w->t[k]);
		if (w->each)
			w->each(w->user, name, w->v);
	}
}

/* A scenario's state, changed by fix (NULL: as it is) before it is built. */
static void variant(struct walk *w, const char *scenario, const char *name,
		    void (*fix)(struct flow *f, struct view_ctx *ctx, int i), int i)
{
	struct flow f;
	struct view_ctx ctx;
	const struct scenario *s = scenario_find(scenario);
	scenario_run(s, &f, &ctx);
	ctx.content = scenario_content(s); /* the bundle's screens, as the screenshots have it */
	if (fix)
		fix(&f, &ctx, i);
	build(w, name, &f, &ctx);
	content_view_destroy(ctx.content);
}

static void fix_error(struct flow *f, struct view_ctx *ctx, int i)
{
	f->error = (enum flow_error)i;
	f->s.lock_minutes = i == ERR_PIN_LOCKED ? 1 : 0;
}

static void fix_nik(struct flow *f, struct view_ctx *ctx, int i)
{
	f->nik_reason = i;
}

static void fix_pin(struct flow *f, struct view_ctx *ctx, int i)
{
	f->s.pin_tries_left = i;
}

static void fix_stage(struct flow *f, struct view_ctx *ctx, int i)
{
	static const char *const codes[] = { "BIO_CAPTURED", "SENT_FOR_ENROLLMENT",
					     "DUPLICATE_RECORD", "PRINT_READY_RECORD", "" };
	snprintf(f->s.apps[0].stage, sizeof(f->s.apps[0].stage), "%s", codes[i]);
	snprintf(f->s.apps[0].type, sizeof(f->s.apps[0].type), "KTP_EL");
	f->s.in_progress = i < 4;
}

/* Nothing ready's every line: each type, many applications ("and n more"), an expiry
 * without its date, held documents, the office unnamed, nothing at all, a next page. */
static void fix_nothing(struct flow *f, struct view_ctx *ctx, int i)
{
	static const char *const types[] = { "KK",	"KIA",		"AKTA_LAHIR",
					     "BIODATA", "SURAT_PINDAH", "OTHER" };
	for (int k = 0; k < FLOW_MAX_APPS; k++) {
		struct flow_app *a = &f->s.apps[k];
		snprintf(a->type, sizeof(a->type), "%s", types[(i + k) % 6]);
		snprintf(a->stage, sizeof(a->stage), "PROCESSING");
		a->year = k % 2 ? 0 : 2026, a->month = 1 + (i + k) % 12, a->day = 9;
	}
	f->s.in_progress = i == 0 ? 6 : i == 1 ? 5 : i == 3 ? 2 : 0;
	f->s.n_expired = i < 2 ? 2 : i == 3 ? 1 : 0;
	f->s.expired[0] = (struct flow_app){ "BIODATA", "", 0, 0, 0 };
	f->s.expired[1] = (struct flow_app){ "SURAT_PINDAH", "", 2026, 3, 2 };
	f->s.held = i < 2 ? 2 - i : 0;
	f->s.doc_first = i == 3 ? 2 : 0; /* the next page, and "from the start" */
	if (i == 2)
		ctx->office = NULL;
}

/* The print refused before the printer had it (refusal.h). */
static void fix_refusal(struct flow *f, struct view_ctx *ctx, int i)
{
	const char *id, *en;
	print_refusal_text((enum print_refusal)i, &id, &en);
	snprintf(f->s.message, sizeof(f->s.message), "%s", id);
	snprintf(f->s.message_en, sizeof(f->s.message_en), "%s", en);
}

/* The hours' and the offices' every state: closed now (the evening), closed today (a
 * Saturday), a holiday (Christmas). */
static void fix_hours(struct flow *f, struct view_ctx *ctx, int i)
{
	static const int64_t later[] = { 10 * 3600, 5 * 86400, 11232000 };
	ctx->now += later[i];
}

/* The document list's meta line: every month issued, one page and several, a card. */
static void fix_meta(struct flow *f, struct view_ctx *ctx, int i)
{
	struct flow_doc *d = &f->s.docs[0];
	d->issued = 20260000 + (i + 1) * 100 + 3;
	d->pages = i % 2 ? 1 : 3;
	d->card = i % 3 == 0;
	d->printable = true;
	d->authorised = d->downloading = false;
}

static void fix_service(struct flow *f, struct view_ctx *ctx, int i)
{
	f->service = 1u << i;
}

static void fix_done(struct flow *f, struct view_ctx *ctx, int i)
{
	f->s.pages = 1;
	f->s.sheets = 1;
	f->s.printed_card = i == 1;
	f->card_on_reader = i == 2;
	f->s.n_docs = i == 3 ? 0 : f->s.n_docs;
}

static void fix_docs(struct flow *f, struct view_ctx *ctx, int i)
{
	f->s.docs[0].printable = false;
	f->s.docs[0].downloading = i == 1;
	f->s.docs[1].card = true;
}

static void fix_attract(struct flow *f, struct view_ctx *ctx, int i)
{
	f->printers_down = PRN_CARD_DOWN;
}

/* The printer's own words for each fault, on either printer (drivers/printer/reasons.c). */
static void fix_printer(struct flow *f, struct view_ctx *ctx, int i)
{
	struct printer_status st;
	printer_status_set(&st, (enum printer_fault)(i / 2),
			   i % 2 ? PRINTER_MEDIA_CARD : PRINTER_MEDIA_A4, "%s", "");
	snprintf(f->s.message, sizeof(f->s.message), "%s", st.citizen_id);
	snprintf(f->s.message_en, sizeof(f->s.message_en), "%s", st.citizen_en);
}

static void fix_date(struct flow *f, struct view_ctx *ctx, int i)
{
	ctx->wall.tm_wday = i % 7;
	ctx->wall.tm_mon = i % 12;
}

/* The technician's readings: each device's every state, and sync ages. */
static void fix_health(struct flow *f, struct view_ctx *ctx, int i)
{
	static struct health h[5];
	static const int64_t ages[5] = { 30, 3 * 3600, 3 * 86400, 0, 30 };
	h[i] = *ctx->health;
	h[i].reader_configured = i != 1;
	h[i].reader_ok = i == 2;
	h[i].reader_crashes = i == 3 ? 2 : 0;
	h[i].scanner_configured = i != 1;
	h[i].scanner_ok = i == 2;
	h[i].sync.known = i != 0;
	h[i].sync.last_ok = ages[i] ? ctx->now - ages[i] : 0;
	h[i].n_printers = i == 1 ? 0 : h[i].n_printers;
	h[i].printer[0].available = i != 2;
	h[i].printer[1].uncertain = i == 3 ? 2 : h[i].printer[1].uncertain;
	h[i].sync.disk_free_mb = i == 1 ? 500 : i == 2 ? -1 : h[i].sync.disk_free_mb;
	ctx->health = &h[i];
}

/* The reader test's every answer, on a type B card too. */
static void fix_reader(struct flow *f, struct view_ctx *ctx, int i)
{
	static const enum flow_error errors[] = { ERR_CARD_FOREIGN, ERR_CARD_REMOVED,
						  ERR_CARD_MULTIPLE, ERR_READER_FAILED,
						  ERR_CARD_UNREADABLE };
	f->tech.reader_error = errors[i];
	f->tech.reader_type_b = i % 2;
}

/* The test page failed. */
static void fix_test_page(struct flow *f, struct view_ctx *ctx, int i)
{
	f->tech.test_ok = false;
}

/* The technician's bundle reading: valid, and long expired. */
static void fix_bundle(struct flow *f, struct view_ctx *ctx, int i)
{
	content_view_destroy(ctx->content);
	ctx->content = scenario_content(scenario_find("attract-content"));
	ctx->now += i ? 5 * 365 * 86400 : 0;
}

bool catalogue_walk(const char *assets,
		    void (*each)(void *user, const char *name, const struct view *v), void *user)
{
	struct walk w = { { NULL }, calloc(1, sizeof(struct view)), each, user };
	char name[64];
	bool ok = w.v && n_screen_sizes <= 8;

	for (int k = 0; ok && k < n_screen_sizes; k++) {
		const struct screen_size *z = &screen_sizes[k];
		w.t[k] = text_create(assets, (float)(z->w < z->h ? z->w : z->h) / 100.0f);
		ok = w.t[k] != NULL;
	}
	if (!ok)
		goto out;
	for (int i = 0; i < n_scenarios; i++)
		variant(&w, scenarios[i].name, scenarios[i].name, NULL, 0);
	static const struct {
		const char *scenario, *name;
		void (*fix)(struct flow *, struct view_ctx *, int);
		int n;
	} variants[] = {
		{ "pin-locked", "error", fix_error, ERR_COUNT },
		{ "nik-invalid", "nik-reason", fix_nik, NIK_BAD_SERIAL + 2 },
		{ "verify-wrong", "pin-tries", fix_pin, 3 },
		{ "nothing-ready", "stage", fix_stage, 5 },
		{ "nothing-ready", "nothing", fix_nothing, 4 },
		{ "nothing-ready-offices", "offices", fix_hours, 3 },
		{ "attract-content", "hours", fix_hours, 3 },
		{ "print-failed", "refused", fix_refusal, REFUSED_COUNT },
		{ "documents", "meta", fix_meta, 12 },
		{ "out-of-service", "service", fix_service, 3 },
		{ "done", "done", fix_done, 4 },
		{ "documents", "documents", fix_docs, 2 },
		{ "attract", "card-down", fix_attract, 1 },
		{ "attract", "date", fix_date, 12 },
		{ "print-failed", "printer", fix_printer, 2 * PRINTER_FAULT_COUNT },
		{ "technician", "health", fix_health, 5 },
		{ "technician", "bundle", fix_bundle, 2 },
		{ "technician-reader", "reader", fix_reader, 5 },
		{ "technician-printers", "test-page", fix_test_page, 1 },
	};
	for (size_t k = 0; k < sizeof(variants) / sizeof(variants[0]); k++)
		for (int i = 0; i < variants[k].n; i++) {
			snprintf(name, sizeof(name), "%s-%d", variants[k].name, i);
			variant(&w, variants[k].scenario, name, variants[k].fix, i);
		}
out:
	for (int k = 0; k < 8; k++)
		text_destroy(w.t[k]);
	free(w.v);
	return ok;
}

static double since_us(const struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((double)(b.tv_sec - a->tv_sec) * 1e9 + (double)(b.tv_nsec - a->tv_nsec)) / 1e3;
}

double catalogue_layout_us(const char *assets, const char *scenario, int n, double *first_us)
{
	struct text *t = text_create(assets, 10.8f);
	struct view *v = calloc(1, sizeof(*v));
	struct flow f;
	struct view_ctx ctx;
	struct timespec a;
	double us = -1;

	if (t && v && scenario_find(scenario)) {
		scenario_run(scenario_find(scenario), &f, &ctx);
		clock_gettime(CLOCK_MONOTONIC, &a);
		view_build(v, 1920, 1080, &f, &ctx, t); /* cold: fonts, measurements, catalogues */
		*first_us = since_us(&a);
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (int i = 0; i < n; i++)
			view_build(v, 1920, 1080, &f, &ctx, t);
		us = since_us(&a) / n;
	}
	text_destroy(t);
	free(v);
	return us;
}
