/*
 * The ready documents, ticked one or several at a time, and printing them.
 *
 * A row is one button (touching it ticks or unticks the document) with what the citizen
 * needs to tell documents apart drawn on it: the tick box, a thumbnail of the first page
 * (a placeholder while it renders, thumbs.h), the title in both languages, and a line
 * with its type, the day it was issued, its pages and its printer.
 */
#include "screens.h"

#include "thumbs.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

static const char *const months_id[12] = { "Jan", "Feb", "Mar", "Apr", "Mei", "Jun",
					   "Jul", "Agu", "Sep", "Okt", "Nov", "Des" };
/* the English abbreviations are msgids of their own: "May" is also a whole month's name */
#define MON(en) CTX("month, abbreviated", en)
static const char *const months_en[12] = { MON("Jan"), MON("Feb"), MON("Mar"), MON("Apr"),
					   MON("May"), MON("Jun"), MON("Jul"), MON("Aug"),
					   MON("Sep"), MON("Oct"), MON("Nov"), MON("Dec") };

/* The registry's code as a reader sees it: AKTA_LAHIR -> AKTA LAHIR. */
static void type_words(const struct flow_doc *d, char *out, size_t size)
{
	snprintf(out, size, "%s", d->type[0] ? d->type : "DOKUMEN");
	for (char *c = out; *c; c++)
		if (*c == '_')
			*c = ' ';
}

/* The row's second text block: type, date issued, pages, printer (or why it cannot), its
 * parts and formats each from the catalogues. */
static void doc_meta(const struct flow_doc *d, char *id, char *en, size_t size)
{
	char type[FLOW_TYPE_MAX], date_id[48] = "", date_en[48] = "", pages_id[32], pages_en[32];
	type_words(d, type, sizeof(type));
	int m = d->issued / 100 % 100;
	if (d->issued > 0 && m >= 1 && m <= 12) {
		const char *mon = months_en[m - 1];
		snprintf(date_id, sizeof(date_id), tr1("Issued %d %s %d", "terbit %d %s %d"),
			 d->issued % 100, tr1(mon, months_id[m - 1]), d->issued / 10000);
		snprintf(date_en, sizeof(date_en), tr2("Issued %d %s %d"), d->issued % 100,
			 tr2(mon), d->issued / 10000);
	}
	/* translated here: the type's code goes in front of the first line only */
	const char *why = d->authorised	   ? "Print PIN accepted"
			  : d->downloading ? "Downloading…"
			  : !d->printable  ? "Not available today"
					   : NULL;
	if (why) { /* decided, on its way (the list is read again), or not today */
		snprintf(id, size, "%s · %s", type,
			 d->authorised	  ? tr1("Print PIN accepted", "PIN cetak diterima")
			 : d->downloading ? tr1("Downloading…", "Sedang diunduh…")
					  : tr1("Not available today", "Tidak tersedia hari ini"));
		snprintf(en, size, "%s", tr2(why));
		return;
	}
	/* English's plural chosen here, one text each (Indonesian has none) */
#define PAGES_EN (d->pages == 1 ? "%u page" : "%u pages")
	snprintf(pages_id, sizeof(pages_id), tr1(PAGES_EN, "%u hal."), (unsigned)d->pages);
	snprintf(pages_en, sizeof(pages_en), tr2(PAGES_EN), (unsigned)d->pages);
#undef PAGES_EN
	const char *medium = d->card ? CTX("printer's medium", "card") : "A4";
	const char *medium_id = d->card ? tr1(medium, "kartu") : medium;
	const char *medium_en = d->card ? tr2(medium) : medium;
	if (date_id[0])
		snprintf(id, size, "%s · %s · %s · %s", type, date_id, pages_id, medium_id);
	else
		snprintf(id, size, "%s · %s · %s", type, pages_id, medium_id);
	/* the type's code once, on the first line: it reads the same in English */
	if (date_en[0])
		snprintf(en, size, "%s · %s · %s", date_en, pages_en, medium_en);
	else
		snprintf(en, size, "%s · %s", pages_en, medium_en);
}

/* The thumbnail's box and the text column beside it, in a row r. */
struct row_geom {
	SDL_Rect tick, thumb;
	int text_x, text_w;
};

static struct row_geom row_geom(struct layout *L, SDL_Rect r)
{
	struct row_geom g;
	int t = U(L, 6), pad = U(L, 2), box = thumbs_box_px(L->u);
	if (box > r.h - 2 * U(L, 1))
		box = r.h - 2 * U(L, 1);
	g.tick = rect(r.x + pad, r.y + (r.h - t) / 2, t, t);
	g.thumb = rect(g.tick.x + t + pad, r.y + (r.h - box) / 2, thumbs_width(box), box);
	g.text_x = g.thumb.x + g.thumb.w + pad;
	g.text_w = r.x + r.w - g.text_x - pad;
	return g;
}

/* What a row needs at width w: its title and its line of facts, each wrapped. */
static int row_need(struct layout *L, const struct flow_doc *d, int w)
{
	char id[160], en[160];
	doc_meta(d, id, en, sizeof(id));
	struct row_geom g = row_geom(L, rect(0, 0, w, 1000));
	return pair_height(L, FONT_BODY_B, FONT_SMALL, d->title_id, d->title_en, g.text_w) +
	       pair_height_as_is(L, FONT_SMALL, FONT_SMALL, id, en, g.text_w) + 2 * U(L, 1);
}

static void doc_row(struct layout *L, SDL_Rect r, int i)
{
	const struct flow_doc *d = &L->f->s.docs[i];
	bool can = d->printable || d->ticked;
	struct row_geom g = row_geom(L, r);
	char id[160], en[160];
	struct widget *wd;

	wd = button(L, r, can ? BTN_SECONDARY : BTN_DISABLED, NULL, NULL, ACT_TICK_DOC, i);
	if (d->ticked) {
		wd->border = L->p->primary;
		wd->fill = L->p->pressed_2;
	}
	uint32_t under = wd->fill;

	/* the tick box: empty, ticked, or ticked with its PIN accepted */
	wd = box(L, g.tick, can ? L->p->surface : L->p->disabled_bg, U(L, 0.8f));
	wd->has_border = true;
	wd->border = can ? L->p->primary : L->p->disabled;
	if (d->ticked) {
		wd->fill = d->authorised ? L->p->success : L->p->primary;
		wd->border = wd->fill;
		int in = g.tick.w / 6;
		icon(wd, ICON_CHECK,
		     rect(g.tick.x + in, g.tick.y + in, g.tick.w - 2 * in, g.tick.w - 2 * in),
		     d->authorised ? L->p->success_bg : L->p->on_primary);
	}

	/* the first page, or a placeholder while it renders */
	SDL_Surface *th = thumbs_get(L->ctx->thumbs, d->blob);
	wd = box(L, g.thumb, under, 0);
	if (th) {
		wd->image = th;
	} else {
		int s = g.thumb.w * 3 / 5;
		icon(wd, ICON_DOC,
		     rect(g.thumb.x + (g.thumb.w - s) / 2, g.thumb.y + (g.thumb.h - s) / 2, s, s),
		     can ? L->p->text_2 : L->p->disabled);
	}

	int th_h = pair_height(L, FONT_BODY_B, FONT_SMALL, d->title_id, d->title_en, g.text_w);
	doc_meta(d, id, en, sizeof(id));
	int mh = pair_height_as_is(L, FONT_SMALL, FONT_SMALL, id, en, g.text_w);
	int y = r.y + (r.h - th_h - mh) / 2;
	wd = pair(L, rect(g.text_x, y, g.text_w, th_h), FONT_BODY_B, FONT_SMALL, ALIGN_LEFT,
		  d->title_id, d->title_en);
	wd->colour = can ? L->p->primary : L->p->disabled;
	wd->sub_colour = can ? L->p->text_2 : L->p->disabled;
	wd->wrap = true;
	wd = pair_as_is(L, rect(g.text_x, y + th_h, g.text_w, mh), FONT_SMALL, FONT_SMALL,
			ALIGN_LEFT, id, en);
	wd->colour = wd->sub_colour = d->printable || d->downloading ? L->p->text : L->p->danger;
	wd->wrap = true;
}

/* The bottom row: finish, the next page (when they do not all fit), print the ticked. */
static void list_buttons(struct layout *L, int next, int last)
{
	const struct flow *f = L->f;
	SDL_Rect row = bottom_row(L);
	int gap = U(L, SP_GAP), ticked = 0;
	char pid[64], pen[64], mid[64], men[64];

	for (int i = 0; i < f->s.n_docs; i++)
		ticked += f->s.docs[i].ticked;
	snprintf(pid, sizeof(pid), tr1("Print %d selected", "Cetak %d dokumen"), ticked);
	snprintf(pen, sizeof(pen), tr2("Print %d selected"), ticked);
	if (!ticked) { /* what to do first */
		snprintf(pid, sizeof(pid), "Sentuh dokumen");
		snprintf(pen, sizeof(pen), "Touch a document");
	}
	/* the first line without the count, the second with it: two texts */
	snprintf(mid, sizeof(mid), tr1("More (%d–%d)", "Lainnya (%d–%d)"), next + 1, last);
	snprintf(men, sizeof(men), tr2("More (%d–%d of %d)"), next + 1, last, f->s.n_docs);
	bool more = last > 0;
	/* portrait has no room across for three: "print" gets a row of its own above */
	bool stacked = more && L->v->portrait;
	int n = more && !stacked ? 3 : 2;
	int bw = (row.w - (n - 1) * gap) / n;
	if (!L->v->portrait && bw > U(L, 44))
		bw = U(L, 44);
	int x = row.x + (row.w - n * bw - (n - 1) * gap) / 2;
	button(L, rect(x, row.y, bw, row.h), BTN_SECONDARY, "Selesai", "Finish", ACT_FINISH, 0);
	x += bw + gap;
	if (more) {
		button(L, rect(x, row.y, bw, row.h), BTN_SECONDARY, mid, men, ACT_MORE_DOCS, next);
		x += bw + gap;
	}
	SDL_Rect pr =
	    stacked ? rect(row.x, row.y - gap - row.h, row.w, row.h) : rect(x, row.y, bw, row.h);
	struct widget *wd =
	    button(L, pr, ticked ? BTN_PRIMARY : BTN_DISABLED, pid, pen, ACT_PRINT_TICKED, 0);
	wd->wrap = true;
}

void screen_documents(struct layout *L)
{
	const struct flow *f = L->f;
	SDL_Rect b = L->body;
	char hello[FLOW_NAME_MAX + 64], hello_en[FLOW_NAME_MAX + 64];
	int y = b.y, gap = U(L, SP_GAP);

	/* a public screen: the first name only; one heading, so that two rows fit */
	int given = (int)strcspn(f->s.name, " ");
	snprintf(hello, sizeof(hello),
		 tr1("Hello, %.*s. Your documents ready to print:",
		     "Halo, %.*s. Dokumen Anda yang siap cetak:"),
		 given, f->s.name);
	snprintf(hello_en, sizeof(hello_en), tr2("Hello, %.*s. Your documents ready to print:"),
		 given, f->s.name);
	y += title_as(L, rect(b.x, y, b.w, 0), FONT_HEAD, hello, hello_en) + gap;

	int room = bottom_row(L).y - gap - y;
	/* One centred column while they fit in it; in landscape two columns beyond, read
	 * left to right; beyond those, pages. Rows are as tall as the tallest needs. */
	int w1 = L->v->portrait ? b.w : b.w * 3 / 4, w2 = (b.w - gap) / 2;
	int rh = fit_h(L, 13);
	for (int i = 0; i < f->s.n_docs; i++) {
		int need = row_need(L, &f->s.docs[i], L->v->portrait ? w1 : w2);
		rh = need > rh ? need : rh;
	}
	int fits = (room + gap) / (rh + gap);
	if (L->v->portrait && f->s.n_docs > fits) /* pages: the stacked buttons' row */
		fits = (room - bottom_row(L).h + gap) / (rh + gap);
	if (fits < 1)
		fits = 1;
	int cols = !L->v->portrait && f->s.n_docs > fits ? 2 : 1;
	int w = cols == 2 ? w2 : w1;
	int x = cols == 2 ? b.x : b.x + (b.w - w) / 2, cells = fits * cols;
#define CELL(k) rect(x + ((k) % cols) * (w + gap), y + ((k) / cols) * (rh + gap), w, rh)
	if (f->s.n_docs <= cells) {
		for (int i = 0; i < f->s.n_docs; i++)
			doc_row(L, CELL(i), i);
		list_buttons(L, 0, 0);
		return;
	}
	/* More than fit: a page of them, and the button that turns to the next page (after
	 * the last, back to the first). */
	int first = f->s.doc_first, i;
	for (i = 0; i < cells && first + i < f->s.n_docs; i++)
		doc_row(L, CELL(i), first + i);
	int next = first + cells < f->s.n_docs ? first + cells : 0;
	int last = next + cells < f->s.n_docs ? next + cells : f->s.n_docs;
	list_buttons(L, next, last);
#undef CELL
}

/* ---- printing -------------------------------------------------------------------------- */

/* The documents of this run: those authorised (they print in list order). */
static int run_docs(const struct flow *f, int *pos)
{
	int n = 0;
	for (int i = 0; i < f->s.n_docs; i++) {
		if (!f->s.docs[i].authorised)
			continue;
		if (i == f->s.chosen)
			*pos = n;
		n++;
	}
	return n;
}

static void progress_bar(struct layout *L, SDL_Rect r, int done, int of)
{
	box(L, r, L->p->disabled_bg, r.h / 2);
	if (of > 0 && done > 0)
		box(L, rect(r.x, r.y, r.w * (done > of ? of : done) / of, r.h), L->p->primary,
		    r.h / 2);
}

/* A document's title at the left of a line of width w, and where it stands at the right
 * (sw wide); returns the line's height, 0 when it does not fit above bottom. */
static int status_line(struct layout *L, SDL_Rect r, int sw, const char *tid, const char *ten,
		       const char *sid, const char *sen, uint32_t colour, int bottom)
{
	int tw = r.w - sw - U(L, 1);
	int h = pair_height(L, FONT_BODY_B, FONT_SMALL, tid, ten, tw);
	int h2 = pair_height(L, FONT_BODY_B, FONT_SMALL, sid, sen, sw);
	h = h2 > h ? h2 : h;
	if (r.y + h > bottom)
		return 0;
	struct widget *wd =
	    pair(L, rect(r.x, r.y, tw, h), FONT_BODY_B, FONT_SMALL, ALIGN_LEFT, tid, ten);
	wd->wrap = true;
	wd = pair(L, rect(r.x + r.w - sw, r.y, sw, h), FONT_BODY_B, FONT_SMALL, ALIGN_RIGHT, sid,
		  sen);
	wd->colour = colour;
	wd->wrap = true;
	return h;
}

/* One line per document of the run: its title, and where it is (printed, printing page
 * n of m, waiting, not printed). */
static void run_list(struct layout *L, SDL_Rect r)
{
	const struct flow *f = L->f;
	int gap = U(L, 1), y = r.y;
	for (int i = 0; i < f->s.n_docs; i++) {
		const struct flow_doc *d = &f->s.docs[i];
		char sid[64], sen[64];
		uint32_t colour = L->p->text;
		if (!d->authorised)
			continue;
		if (d->outcome == OUT_PRINTED) {
			snprintf(sid, sizeof(sid), "Tercetak");
			snprintf(sen, sizeof(sen), "%s", CTX("outcome", "Printed"));
			colour = L->p->success;
		} else if (d->outcome != OUT_NONE) {
			snprintf(sid, sizeof(sid), "Belum tercetak");
			snprintf(sen, sizeof(sen), "Not printed");
			colour = L->p->danger;
		} else if (i == f->s.chosen) {
			snprintf(sid, sizeof(sid), tr1("Page %d of %d", "Halaman %d dari %d"),
				 f->s.pages_done, f->s.pages);
			snprintf(sen, sizeof(sen), tr2("Page %d of %d"), f->s.pages_done,
				 f->s.pages);
		} else {
			snprintf(sid, sizeof(sid), "Menunggu giliran");
			snprintf(sen, sizeof(sen), "Waiting");
			colour = L->p->text_2;
		}
		int h = status_line(L, rect(r.x, y, r.w, 0), r.w * 2 / 5, d->title_id, d->title_en,
				    sid, sen, colour, INT_MAX);
		y += h + gap / 2;
		if (i == f->s.chosen && d->outcome == OUT_NONE) {
			progress_bar(L, rect(r.x, y, r.w, U(L, 1.5f)), f->s.pages_done, f->s.pages);
			y += U(L, 1.5f);
		}
		y += gap;
	}
}

void screen_printing(struct layout *L)
{
	const struct flow *f = L->f;
	const struct flow_doc *d = &f->s.docs[f->s.chosen];
	SDL_Rect b = L->body;
	int y = b.y + b.h / 12, gap = U(L, SP_GAP), pos = 0;
	char id[64], en[64];
	int n = run_docs(f, &pos);

	if (n > 1) { /* several: which one of them, and each one's state */
		snprintf(id, sizeof(id),
			 tr1("Printing document %d of %d…", "Mencetak dokumen %d dari %d…"),
			 pos + 1, n);
		snprintf(en, sizeof(en), tr2("Printing document %d of %d…"), pos + 1, n);
		/* large text: the icon gives way to the list */
		int rows = n * (pair_height(L, FONT_BODY_B, FONT_SMALL, "A", "A", 0) + U(L, 1)) +
			   U(L, 2.5f);
		int need = U(L, 16) + gap + pair_height(L, FONT_TITLE, FONT_BODY, id, en, b.w) +
			   gap + rows;
		if (y + need <= b.y + b.h)
			y += hero_icon(L, rect(b.x, y, b.w, 0), ICON_PRINTER, L->p->primary,
				       L->p->surface) +
			     gap;
		else
			y = b.y;
		y += title(L, rect(b.x, y, b.w, 0), id, en) + gap;
		int w = L->v->portrait ? b.w : b.w * 2 / 3;
		run_list(L, rect(b.x + (b.w - w) / 2, y, w, b.y + b.h - y));
		return;
	}
	snprintf(id, sizeof(id), tr1("Page %d of %d", "Halaman %d dari %d"), f->s.pages_done,
		 f->s.pages);
	snprintf(en, sizeof(en), tr2("Page %d of %d"), f->s.pages_done, f->s.pages);
	int bw = b.w / 2, bh = U(L, 2.5f);
	int h = U(L, 16) + gap +
		pair_height(L, FONT_TITLE, FONT_BODY, "Sedang mencetak…", "Printing…", b.w) +
		pair_height(L, FONT_BODY_B, FONT_SMALL, d->title_id, d->title_en, b.w) + gap + bh +
		gap + pair_height(L, FONT_BODY, FONT_SMALL, id, en, 0);
	bool with_icon = h <= b.h; /* large text on a small screen: the icon gives way */
	if (!with_icon)
		h -= U(L, 16) + gap;
	y = column_y(L, b.h / 8, h, b.y + b.h, false);
	if (with_icon)
		y +=
		    hero_icon(L, rect(b.x, y, b.w, 0), ICON_PRINTER, L->p->primary, L->p->surface) +
		    gap;
	y += title(L, rect(b.x, y, b.w, 0), "Sedang mencetak…", "Printing…");
	y += paragraph(L, rect(b.x, y, b.w, 0), FONT_BODY_B, d->title_id, d->title_en) + gap;
	progress_bar(L, rect(b.x + (b.w - bw) / 2, y, bw, bh), f->s.pages_done, f->s.pages);
	y += bh + gap;
	pair(L, rect(b.x, y, b.w, pair_height(L, FONT_BODY, FONT_SMALL, id, en, 0)), FONT_BODY,
	     FONT_SMALL, ALIGN_CENTRE, id, en);
}

/* The done screen's list when several printed or one did not: each one's outcome. */
int screen_done_list(struct layout *L, SDL_Rect r)
{
	const struct flow *f = L->f;
	int y = r.y, gap = U(L, 1);
	for (int i = 0; i < f->s.n_done; i++) {
		const struct flow_done *d = &f->s.done[i];
		const char *sid = "Tercetak", *sen = CTX("outcome", "Printed");
		uint32_t colour = L->p->success;
		if (d->outcome == OUT_FAILED) {
			sid = "Belum tercetak"; /* its PIN still valid: printed another time */
			sen = "Not printed";
			colour = L->p->danger;
		} else if (d->outcome == OUT_UNCERTAIN) {
			sid = "Ditahan petugas";
			sen = "Held for the staff";
			colour = L->p->danger;
		}
		int h = status_line(L, rect(r.x, y, r.w, 0), r.w / 2, d->title_id, d->title_en, sid,
				    sen, colour, r.y + r.h);
		if (!h)
			break;
		y += h + gap;
	}
	return y;
}
