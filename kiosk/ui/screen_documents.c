/*
 * The ready documents, and printing one.
 */
#include "screens.h"

#include <stdio.h>
#include <string.h>

static void doc_row(struct layout *L, SDL_Rect r, int i)
{
	const struct flow_doc *d = &L->f->s.docs[i];
	char meta[64];
	int meta_w = U(L, 34);
	struct widget *wd;

	wd = button(L, r, d->printable ? BTN_SECONDARY : BTN_DISABLED, d->title_id, d->title_en,
		    ACT_SELECT_DOC, i);
	wd->align = ALIGN_LEFT;
	wd->pad = U(L, 3);
	const char *meta_en;
	if (d->printable) { /* the first line says the pages too */
		const char *medium_en = d->card ? "Card" : "A4 paper";
		snprintf(meta, sizeof(meta), tr1("%u pages · %s", "%u hal. · %s"),
			 (unsigned)d->pages, tr1(medium_en, d->card ? "Kartu" : "A4"));
		meta_en = tr2(medium_en);
	} else if (d->downloading) { /* the list is read again until it is here */
		snprintf(meta, sizeof(meta), "%s", tr1("Downloading…", "Sedang diunduh…"));
		meta_en = tr2("Downloading…");
	} else {
		snprintf(meta, sizeof(meta), "%s",
			 tr1("Not available today", "Tidak tersedia hari ini"));
		meta_en = tr2("Not available today");
	}
	int mw, mh;
	text_size(L->t, FONT_SMALL, meta, 0, &mw, &mh);
	meta_w = mw > meta_w ? mw : meta_w;
	text_size(L->t, FONT_SMALL, meta_en, 0, &mw, &mh);
	meta_w = mw > meta_w ? mw : meta_w;
	wd = pair_as_is(L, rect(r.x + r.w - meta_w - U(L, 3), r.y, meta_w, r.h), FONT_SMALL,
			FONT_SMALL, ALIGN_RIGHT, meta, meta_en);
	wd->colour = d->printable || d->downloading ? L->p->text : L->p->danger;
}

void screen_documents(struct layout *L)
{
	const struct flow *f = L->f;
	SDL_Rect b = L->body;
	char hello[FLOW_NAME_MAX + 16], hello_en[FLOW_NAME_MAX + 16];
	int y = b.y, gap = U(L, SP_GAP);

	/* a public screen: the first name only */
	int given = (int)strcspn(f->s.name, " ");
	snprintf(hello, sizeof(hello), tr1("Hello, %.*s", "Halo, %.*s"), given, f->s.name);
	y += title(L, rect(b.x, y, b.w, 0), "Dokumen siap cetak", "Documents ready to print");
	snprintf(hello_en, sizeof(hello_en), tr2("Hello, %.*s"), given, f->s.name);
	int hh = pair_height(L, FONT_BODY_B, FONT_SMALL, hello, hello_en, 0);
	pair(L, rect(b.x, y, b.w, hh), FONT_BODY_B, FONT_SMALL, ALIGN_CENTRE, hello, hello_en);
	y += hh + gap;

	int rh = fit_h(L, 11), room = bottom_row(L).y - gap - y;
	int fits = (room + gap) / (rh + gap);
	/* One centred column while they fit in it; in landscape two columns beyond, read
	 * left to right; beyond those, pages. */
	int cols = !L->v->portrait && f->s.n_docs > fits ? 2 : 1;
	int w = cols == 2 ? (b.w - gap) / 2 : L->v->portrait ? b.w : b.w * 3 / 4;
	int x = cols == 2 ? b.x : b.x + (b.w - w) / 2, cells = fits * cols;
#define CELL(k) rect(x + ((k) % cols) * (w + gap), y + ((k) / cols) * (rh + gap), w, rh)
	if (f->s.n_docs <= cells) {
		for (int i = 0; i < f->s.n_docs; i++)
			doc_row(L, CELL(i), i);
		bottom_buttons(L, "Selesai", "Finish", ACT_FINISH, NULL, NULL, ACT_NONE);
		return;
	}
	/* More than fit: a page of them, and beside "finish" the button that turns to the
	 * next page (after the last, back to the first). */
	int first = f->s.doc_first, i;
	for (i = 0; i < cells && first + i < f->s.n_docs; i++)
		doc_row(L, CELL(i), first + i);
	int next = first + cells < f->s.n_docs ? first + cells : 0;
	int last = next + cells < f->s.n_docs ? next + cells : f->s.n_docs;
	char id[80], en[80]; /* what the next page shows, short enough for half a row */
	snprintf(id, sizeof(id), tr1("More (%d–%d)", "Lainnya (%d–%d)"), next + 1, last);
	snprintf(en, sizeof(en), tr2("More (%d–%d of %d)"), next + 1, last, f->s.n_docs);
	bottom_buttons_arg(L, "Selesai", "Finish", ACT_FINISH, id, en, ACT_MORE_DOCS, next);
#undef CELL
}

void screen_printing(struct layout *L)
{
	const struct flow *f = L->f;
	const struct flow_doc *d = &f->s.docs[f->s.chosen];
	SDL_Rect b = L->body;
	int y = b.y + b.h / 8, gap = U(L, SP_GAP);
	char id[64], en[64];

	y += hero_icon(L, rect(b.x, y, b.w, 0), ICON_PRINTER, L->p->primary, L->p->surface) + gap;
	y += title(L, rect(b.x, y, b.w, 0), "Sedang mencetak…", "Printing…");
	y += paragraph(L, rect(b.x, y, b.w, 0), FONT_BODY_B, d->title_id, d->title_en) + gap;
	snprintf(id, sizeof(id), tr1("Page %d of %d", "Halaman %d dari %d"), f->s.pages_done,
		 f->s.pages);
	snprintf(en, sizeof(en), tr2("Page %d of %d"), f->s.pages_done, f->s.pages);
	int bw = b.w / 2, bh = U(L, 2.5f);
	box(L, rect(b.x + (b.w - bw) / 2, y, bw, bh), L->p->disabled_bg, bh / 2);
	if (f->s.pages > 0 && f->s.pages_done > 0)
		box(L, rect(b.x + (b.w - bw) / 2, y, bw * f->s.pages_done / f->s.pages, bh),
		    L->p->primary, bh / 2);
	y += bh + gap;
	pair(L, rect(b.x, y, b.w, pair_height(L, FONT_BODY, FONT_SMALL, id, en, 0)), FONT_BODY,
	     FONT_SMALL, ALIGN_CENTRE, id, en);
}
