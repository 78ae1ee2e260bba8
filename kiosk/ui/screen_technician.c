/*
 * Technician mode: a title with the way out, a row of tabs (two rows in portrait), and the
 * page of the tab chosen. This file has the frame, what the pages share and the health
 * page; the other pages are in screen_tech_pages.c.
 *
 * Technician text is FONT_TECH (28 px at 1080p): smaller than a citizen's, for people who
 * read this screen every month, but every button is as big as a citizen's.
 */
#include "screen_tech.h"

#include "content_view.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int screen_tech_button_h(struct layout *L)
{
	int need =
	    text_line_height(L->t, FONT_BODY_B) + text_line_height(L->t, FONT_TECH) + U(L, 1);
	return need > U(L, 8) ? need : U(L, 8);
}

struct widget *screen_tech_button(struct layout *L, SDL_Rect r, enum button_style style,
				  const char *id, const char *en, enum flow_action action, int arg)
{
	struct widget *wd = button(L, r, style, id, en, action, arg);
	wd->sub_font = FONT_TECH;
	return wd;
}

struct tech_row screen_tech_row(struct layout *L, SDL_Rect at, const char *what_id,
				const char *what_en, const char *id, const char *en,
				uint32_t colour, int nb)
{
	struct tech_row row;
	int pad = U(L, 0.8f);
	bool narrow = at.w < L->body.w * 2 / 3; /* a column of two, or portrait */
	int lw = narrow ? at.w * 3 / 10 : at.w / 5;
	row.bw = nb ? U(L, 26) : 0;
	row.bh = screen_tech_button_h(L);
	row.step = row.bw + pad;
	/* the buttons go under the text when beside it would leave the text no room */
	bool under = nb && at.w - lw - nb * row.step < at.w / 3;
	int vw = at.w - lw - 3 * pad - (nb && !under ? nb * row.step : 0);
	int h = pair_height_as_is(L, FONT_BODY_B, FONT_TECH, what_id, what_en, lw - pad);
	int th = pair_height(L, FONT_TECH, FONT_TECH, id, en, vw);
	int vh = under ? th + pad + row.bh : th;
	if (vh > h)
		h = vh;
	if (nb && row.bh > h)
		h = row.bh;
	row.r = rect(at.x, at.y, at.w, h + 2 * pad);
	struct widget *wd = box(L, row.r, L->p->surface, U(L, SP_RADIUS));
	wd->has_border = true;
	wd->border = L->p->border;
	wd = pair_as_is(L, rect(at.x + pad, at.y + pad, lw - pad, h), FONT_BODY_B, FONT_TECH,
			ALIGN_LEFT, what_id, what_en);
	wd->wrap = true;
	wd = pair(L, rect(at.x + lw + 2 * pad, at.y + pad, vw, under ? th : h), FONT_TECH,
		  FONT_TECH, ALIGN_LEFT, id, en);
	wd->colour = colour;
	wd->wrap = true;
	row.bx = under ? at.x + lw + 2 * pad : at.x + at.w - nb * row.step;
	row.by = under ? at.y + 2 * pad + th : at.y + pad + (h - row.bh) / 2;
	return row;
}

void screen_tech_printer_label(bool card, const char *queue, char *id, char *en, size_t size)
{
	const char *en_src = card ? "Card printer" : "A4 printer";
	snprintf(id, size, "%s (%s)", tr1(en_src, card ? "Printer kartu" : "Printer A4"), queue);
	snprintf(en, size, "%s", tr2(en_src));
}

void screen_tech_ago(int64_t s, char *id, char *en, size_t size)
{
	if (s < 60) {
		snprintf(id, size, "%s", tr1("just now", "baru saja"));
		snprintf(en, size, "%s", tr2("just now"));
	} else if (s < 3600) {
		snprintf(id, size, tr1("%lld min ago", "%lld menit lalu"), (long long)(s / 60));
		snprintf(en, size, tr2("%lld min ago"), (long long)(s / 60));
	} else if (s < 48 * 3600) {
		snprintf(id, size, tr1("%lld h ago", "%lld jam lalu"), (long long)(s / 3600));
		snprintf(en, size, tr2("%lld h ago"), (long long)(s / 3600));
	} else {
		snprintf(id, size, tr1("%lld days ago", "%lld hari lalu"), (long long)(s / 86400));
		snprintf(en, size, tr2("%lld days ago"), (long long)(s / 86400));
	}
}

/* Appends to a bounded string (the screen's lines are cut, never overflowed). */
static void cat(char *s, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cat(char *s, size_t size, const char *fmt, ...)
{
	size_t n = strlen(s);
	va_list ap;
	if (n + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(s + n, size - n, fmt, ap);
	va_end(ap);
}

void screen_tech_printer_text(const struct health_printer *p, char *id, char *en, size_t size)
{
	const char *state = p->available ? "Ready" : "Not ready";
	snprintf(id, size, "%s", tr1(state, p->available ? "Siap" : "Tidak siap"));
	snprintf(en, size, "%s", tr2(state));
	if (p->fault[0]) {
		cat(id, size, ": %s", p->fault);
		cat(en, size, ": %s", p->fault);
	}
	for (int k = 0; k < p->n_supplies; k++) {
		const struct health_supply *sp = &p->supply[k];
		/* the supply's name as the printer's driver gives it, the known ones in words */
		const char *name_id = sp->name, *name_en = sp->name;
		static const char *const names[][3] = { { "sheets", "sheets", "kertas" },
							{ "card-blanks", "card blanks", "kartu" },
							{ "ribbon", "ribbon", "pita" } };
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strcmp(sp->name, names[i][0]) == 0) {
				name_id = tr1(names[i][1], names[i][2]);
				name_en = tr2(names[i][1]);
			}
		cat(id, size, " · %s %d/%d%s", name_id, sp->level, sp->capacity,
		    sp->low ? tr1(" (low)", " (hampir habis)") : "");
		cat(en, size, " · %s %d/%d%s", name_en, sp->level, sp->capacity,
		    sp->low ? tr2(" (low)") : "");
	}
	/* what the printer reports itself (toner, ink), where it says */
	for (int k = 0; k < p->n_markers; k++) {
		if (p->marker[k].percent < 0)
			continue;
		cat(id, size, " · %s %d%%", p->marker[k].name, p->marker[k].percent);
		cat(en, size, " · %s %d%%", p->marker[k].name, p->marker[k].percent);
	}
}

/* ---- the health page ---------------------------------------------------------------- */

/* A sync older than this is shown as a problem: the kiosk's documents may be stale. */
#define SYNC_STALE_S (30 * 60)

struct cell {
	char what_id[48], what_en[48], id[VIEW_TEXT_MAX], en[VIEW_TEXT_MAX];
	bool bad;
};

/* What a cell is, each language from its catalogue. */
static void cell_what(struct cell *x, const char *en, const char *id)
{
	snprintf(x->what_id, sizeof(x->what_id), "%s", tr1(en, id));
	snprintf(x->what_en, sizeof(x->what_en), "%s", tr2(en));
}

/* A cell's reading that is a text of its own. */
static void cell_is(struct cell *x, const char *en, const char *id)
{
	snprintf(x->id, sizeof(x->id), "%s", tr1(en, id));
	snprintf(x->en, sizeof(x->en), "%s", tr2(en));
}

/* A device's state in words. */
static const char *device_en(bool configured, bool ok)
{
	return !configured ? "Not configured" : ok ? "Connected" : "Not connected";
}

static const char *device_id(bool configured, bool ok)
{
	return tr1(device_en(configured, ok), !configured ? "Tidak dipasang"
					      : ok	  ? "Terhubung"
							  : "Tidak terhubung");
}

static void devices_cells(const struct health *h, struct cell *c, int *n)
{
	for (int i = 0; i < h->n_printers; i++, (*n)++) {
		const struct health_printer *p = &h->printer[i];
		struct cell *x = &c[*n];
		screen_tech_printer_label(p->card, p->queue, x->what_id, x->what_en,
					  sizeof(x->what_id));
		screen_tech_printer_text(p, x->id, x->en, sizeof(x->id));
		x->bad = !p->available || p->fault[0] || p->uncertain;
	}
	/* how often the reader's process had to be restarted (issue 11) */
	struct cell *x = &c[(*n)++];
	unsigned restarts = h->reader_watchdog + h->reader_crashes;
	cell_what(x, "Card reader", "Pembaca kartu");
	snprintf(x->id, sizeof(x->id), tr1("%s · restarts: %u", "%s · dimulai ulang %u kali"),
		 device_id(h->reader_configured, h->reader_ok), restarts);
	snprintf(x->en, sizeof(x->en), tr2("%s · restarts: %u"),
		 tr2(device_en(h->reader_configured, h->reader_ok)), restarts);
	x->bad = h->reader_configured && !h->reader_ok;
	x = &c[(*n)++];
	cell_what(x, "QR scanner", "Pemindai QR");
	snprintf(x->id, sizeof(x->id), "%s", device_id(h->scanner_configured, h->scanner_ok));
	snprintf(x->en, sizeof(x->en), "%s", tr2(device_en(h->scanner_configured, h->scanner_ok)));
	x->bad = h->scanner_configured && !h->scanner_ok;
}

static void sync_cells(struct layout *L, const struct health_sync *hs, struct cell *c, int *n)
{
	char when_id[40], when_en[40];
	int64_t age = (int64_t)L->ctx->now - hs->last_ok;
	struct cell *x = &c[(*n)++];

	cell_what(x, "Network, sync", "Sinkronisasi");
	if (!hs->known) {
		cell_is(x, "Not read yet", "Belum terbaca");
		return;
	}
	if (hs->last_ok <= 0) {
		cell_is(x, "Never completed: check the network",
			"Belum pernah berhasil: periksa jaringan");
		x->bad = true;
	} else {
		screen_tech_ago(age > 0 ? age : 0, when_id, when_en, sizeof(when_id));
		x->bad = age > SYNC_STALE_S;
#define LAST_EN (x->bad ? "Last completed %s: check the network" : "Last completed %s · online")
		snprintf(x->id, sizeof(x->id),
			 tr1(LAST_EN, x->bad ? "Terakhir berhasil %s: periksa jaringan"
					     : "Terakhir berhasil %s · terhubung"),
			 when_id);
		snprintf(x->en, sizeof(x->en), tr2(LAST_EN), when_en);
#undef LAST_EN
	}
	x = &c[(*n)++];
	cell_what(x, "Cache", "Cache");
#define CACHE_EN "%lld documents · %lld events to send · %lld files missing"
	snprintf(x->id, sizeof(x->id),
		 tr1(CACHE_EN, "%lld dokumen · %lld belum terkirim · %lld berkas kurang"),
		 (long long)hs->documents, (long long)hs->outbox_pending,
		 (long long)hs->blobs_missing);
	snprintf(x->en, sizeof(x->en), tr2(CACHE_EN), (long long)hs->documents,
		 (long long)hs->outbox_pending, (long long)hs->blobs_missing);
#undef CACHE_EN
	if (hs->last_ok > 0) {
		cat(x->id, sizeof(x->id), tr1(" · data from %s", " · data dari %s"), when_id);
		cat(x->en, sizeof(x->en), tr2(" · data from %s"), when_en);
	}
	x->bad = hs->blobs_missing > 0;
	x = &c[(*n)++];
	cell_what(x, "Disk", "Disk");
	if (hs->disk_free_mb < 0) {
		cell_is(x, "Unknown", "Tidak diketahui");
	} else {
		/* under a GiB the cache cannot take a month's documents */
		x->bad = hs->disk_free_mb < 1024;
#define DISK_EN (x->bad ? "%.1f GiB free: free some space" : "%.1f GiB free")
		snprintf(
		    x->id, sizeof(x->id),
		    tr1(DISK_EN, x->bad ? "%.1f GiB kosong: kosongkan disk" : "%.1f GiB kosong"),
		    (double)hs->disk_free_mb / 1024.0);
		snprintf(x->en, sizeof(x->en), tr2(DISK_EN), (double)hs->disk_free_mb / 1024.0);
#undef DISK_EN
	}
}

static void kiosk_cells(struct layout *L, const struct health *h, struct cell *c, int *n)
{
	struct cell *x = &c[(*n)++];
	int64_t up = h->uptime_s;
	cell_what(x, "Version, uptime", "Versi, waktu hidup");
#define UP_EN "adm-kiosk %s · up %lld d %lld h %lld min"
	snprintf(x->id, sizeof(x->id),
		 tr1(UP_EN, "adm-kiosk %s · hidup %lld hari %lld jam %lld menit"),
		 h->version[0] ? h->version : "?", (long long)(up / 86400),
		 (long long)(up / 3600 % 24), (long long)(up / 60 % 60));
	snprintf(x->en, sizeof(x->en), tr2(UP_EN), h->version[0] ? h->version : "?",
		 (long long)(up / 86400), (long long)(up / 3600 % 24), (long long)(up / 60 % 60));
#undef UP_EN
	x = &c[(*n)++];
	cell_what(x, "Content bundle", "Konten");
	const struct content_manifest *m =
	    L->ctx->content ? content_view_manifest(L->ctx->content) : NULL;
	if (!m) {
		cell_is(x, "None: the built-in screens only", "Tidak ada: hanya layar bawaan");
		return;
	}
	char until[16];
	time_t e = (time_t)m->expires;
	struct tm tm;
	gmtime_r(&e, &tm);
	strftime(until, sizeof(until), "%Y-%m-%d", &tm);
	x->bad = m->expires <= (int64_t)L->ctx->now;
#define BUNDLE_EN                                                                                  \
	(x->bad ? "%s version %lld · EXPIRED since %s" : "%s version %lld · valid until %s")
	snprintf(x->id, sizeof(x->id),
		 tr1(BUNDLE_EN, x->bad ? "%s versi %lld · KEDALUWARSA sejak %s"
				       : "%s versi %lld · berlaku sampai %s"),
		 m->publisher, (long long)m->version, until);
	snprintf(x->en, sizeof(x->en), tr2(BUNDLE_EN), m->publisher, (long long)m->version, until);
#undef BUNDLE_EN
}

/* A box of the health page: what it is on one line (Indonesian bold, English beside it:
 * under it, nine boxes do not fit at 1366x768), how it is under it, all translated already
 * (cell_what, cell_is, tr1 and tr2). Returns its height (measured only when draw is false). */
static int health_cell(struct layout *L, SDL_Rect r, const struct cell *c, bool draw)
{
	int pad = U(L, 0.8f), w = r.w - 2 * pad, iw, ih, ew, eh;
	int lh = text_line_height(L->t, FONT_BODY_B);
	int vh = pair_height_as_is(L, FONT_TECH, FONT_TECH, c->id, c->en, w);
	text_size(L->t, FONT_BODY_B, c->what_id, 0, &iw, &ih);
	text_size(L->t, FONT_TECH, c->what_en, 0, &ew, &eh);
	/* the English name beside the Indonesian one, or under it in a narrow box */
	bool beside = iw + U(L, 1.5f) + ew <= w;
	int nh = beside ? lh : lh + text_line_height(L->t, FONT_TECH);
	int h = 2 * pad + nh + vh;
	if (!draw)
		return h;
	struct widget *wd = box(L, rect(r.x, r.y, r.w, r.h), L->p->surface, U(L, SP_RADIUS));
	wd->has_border = true;
	wd->border = L->p->border;
	label(L, rect(r.x + pad, r.y + pad, iw, lh), FONT_BODY_B, L->p->text, ALIGN_LEFT,
	      c->what_id);
	int ex = beside ? r.x + pad + iw + U(L, 1.5f) : r.x + pad;
	int ey = beside ? r.y + pad : r.y + pad + lh;
	label(L, rect(ex, ey, r.x + r.w - pad - ex, beside ? lh : nh - lh), FONT_TECH, L->p->text_2,
	      ALIGN_LEFT, c->what_en);
	wd = pair_as_is(L, rect(r.x + pad, r.y + pad + nh, w, vh), FONT_TECH, FONT_TECH, ALIGN_LEFT,
			c->id, c->en);
	wd->colour = c->bad ? L->p->danger : L->p->text;
	wd->wrap = true;
	return h;
}

/* The boxes in cols columns from r's top, each row as high as its tallest box; returns
 * the height they take (drawn only when draw is true). */
static int health_rows(struct layout *L, SDL_Rect r, const struct cell *c, int n, int cols,
		       bool draw)
{
	int gap = U(L, 1), cw = (r.w - (cols - 1) * gap) / cols, y = r.y;
	for (int i = 0; i < n; i += cols) {
		int rh = 0;
		for (int k = i; k < n && k < i + cols; k++) {
			int ch = health_cell(L, rect(0, 0, cw, 0), &c[k], false);
			rh = ch > rh ? ch : rh;
		}
		for (int k = i; draw && k < n && k < i + cols; k++)
			health_cell(L, rect(r.x + (k - i) * (cw + gap), y, cw, rh), &c[k], true);
		y += rh + gap;
	}
	return y - gap - r.y;
}

static void health_page(struct layout *L, SDL_Rect r)
{
	const struct health *h = L->ctx->health;
	struct cell c[12];
	int n = 0;
	memset(c, 0, sizeof(c));
	devices_cells(h, c, &n);
	sync_cells(L, &h->sync, c, &n);
	kiosk_cells(L, h, c, &n);
	/* three columns in landscape, their boxes a row's height: nine boxes one above the
	 * other do not fit; in portrait one column, or two when the last box would run
	 * under the footer */
	int cols = L->v->portrait ? 1 : 3;
	if (L->v->portrait && health_rows(L, r, c, n, 1, false) > r.h)
		cols = 2;
	health_rows(L, r, c, n, cols, true);
}

/* ---- the frame ---------------------------------------------------------------------- */

static const struct {
	const char *id, *en;
} tabs[TECH_TAB_COUNT] = {
	[TECH_TAB_HEALTH] = { "Kondisi", "Health" },
	[TECH_TAB_PRINTERS] = { "Printer", "Printers" },
	[TECH_TAB_UNCERTAIN] = { "Tertahan", "Uncertain" },
	[TECH_TAB_READER] = { "Uji pembaca", "Reader test" },
	[TECH_TAB_SERVICE] = { "Layanan", "Service" },
	[TECH_TAB_ERRORS] = { "Masalah", "Problems" },
};

/* The tabs from y down, and the way out at the end of their row (its first row in
 * portrait): the pages need the height a title would take. Returns the height taken. */
static int tab_bar(struct layout *L, int y)
{
	SDL_Rect b = L->body;
	const struct health *h = L->ctx->health;
	int per_row = L->v->portrait ? 3 : TECH_TAB_COUNT, gap = U(L, 1), exit_gap = U(L, 3);
	int th = screen_tech_button_h(L), ew = L->v->portrait ? U(L, 22) : U(L, 24);
	int tw = (b.w - ew - exit_gap - (per_row - 1) * gap) / per_row;
	char id[40], en[40];
	screen_tech_button(L, rect(b.x + b.w - ew, y, ew, th), BTN_PRIMARY, "Keluar", "Exit",
			   ACT_FINISH, 0);
	for (int i = 0; i < TECH_TAB_COUNT; i++) {
		snprintf(id, sizeof(id), "%s", tabs[i].id);
		snprintf(en, sizeof(en), "%s", tabs[i].en);
		/* what waits for the technician shows on its tab */
		int count = i == TECH_TAB_UNCERTAIN ? h->n_uncertain
			    : i == TECH_TAB_ERRORS  ? h->n_errors
						    : 0;
		if (count) { /* formatted from its translations: the button shows it as is */
			snprintf(id, sizeof(id), tr1("%s (%d)", "%s (%d)"),
				 tr1(tabs[i].en, tabs[i].id), count);
			snprintf(en, sizeof(en), tr2("%s (%d)"), tr2(tabs[i].en), count);
		}
		int row = i / per_row, col = i % per_row;
		bool on = L->f->tech.tab == (enum flow_tech_tab)i;
		struct widget *wd = screen_tech_button(
		    L, rect(b.x + col * (tw + gap), y + row * (th + gap), tw, th), BTN_SECONDARY,
		    id, en, ACT_TECH_TAB, i);
		if (on) { /* the page shown: dark on the accent, unlike the way out */
			wd->fill = L->p->accent;
			wd->border = L->p->accent;
			wd->colour = L->p->text;
			wd->sub_colour = L->p->text;
		}
	}
	int rows = (TECH_TAB_COUNT + per_row - 1) / per_row;
	return rows * th + (rows - 1) * gap;
}

void screen_technician(struct layout *L)
{
	SDL_Rect b = L->body;
	int y = b.y, gap = U(L, 1);

	if (!L->ctx->health)
		return;
	y += tab_bar(L, y) + 2 * gap;
	SDL_Rect page = rect(b.x, y, b.w, b.y + b.h - y);
	switch (L->f->tech.tab) {
	case TECH_TAB_PRINTERS:
		screen_tech_printers(L, page);
		break;
	case TECH_TAB_UNCERTAIN:
		screen_tech_uncertain(L, page);
		break;
	case TECH_TAB_READER:
		screen_tech_reader(L, page);
		break;
	case TECH_TAB_SERVICE:
		screen_tech_service(L, page);
		break;
	case TECH_TAB_ERRORS:
		screen_tech_errors(L, page);
		break;
	case TECH_TAB_HEALTH:
	case TECH_TAB_COUNT:
		health_page(L, page);
		break;
	}
}
