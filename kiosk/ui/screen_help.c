/*
 * The help panel (issue 13, item 5): opened by the header's "Bantuan / Help" on any citizen
 * screen, it takes the body's place while the step waits under it unchanged (flow.h).
 * It says what this step means (the spoken prompt's sentences, guide.h, without the
 * countdown), where the staff are and which kiosk this is, and offers "call staff", whose
 * answer stays on the panel. Landscape puts the step beside the staff; portrait stacks
 * them. With large text that does not fit, the step's Indonesian goes down a size.
 */
#include "guide.h"
#include "screens.h"

#include <stdio.h>

/* what the panel writes that its spoken prompt says too (guide_help) */
const struct help_words screen_help_words = {
	.near_id = "Petugas Dukcapil ada di dekat ADM ini.",
	.near_en = "The Dukcapil staff are near this kiosk.",
	.called_id = "Petugas sudah dipanggil. Mohon tunggu di sini.",
	.called_en = "The staff have been called. Please wait here.",
	.kiosk_id = "Nomor ADM ini:",
	.kiosk_en = "This kiosk:",
};

struct help_text {
	char step_id[VIEW_TEXT_MAX], step_en[VIEW_TEXT_MAX];
	char staff_id[VIEW_TEXT_MAX], staff_en[VIEW_TEXT_MAX];
	char kiosk_id[VIEW_TEXT_MAX], kiosk_en[VIEW_TEXT_MAX];
};

static void help_text(const struct layout *L, struct help_text *t)
{
	struct guide g;
	const struct help_words *w = &screen_help_words;
	const char *place = L->ctx->staff_place, *where = L->ctx->location;

	guide_step(L->f, &g);
	guide_text(&g, GUIDE_ID, t->step_id, sizeof(t->step_id));
	guide_text(&g, GUIDE_EN, t->step_en, sizeof(t->step_en));
	if (place && place[0]) { /* the configuration's words, in its one language */
		snprintf(t->staff_id, sizeof(t->staff_id),
			 tr1("The staff are at %s.", "Petugas ada di %s."), place);
		snprintf(t->staff_en, sizeof(t->staff_en), tr2("The staff are at %s."), place);
	} else {
		snprintf(t->staff_id, sizeof(t->staff_id), "%s", w->near_id);
		snprintf(t->staff_en, sizeof(t->staff_en), "%s", w->near_en);
	}
	const char *id = L->ctx->kiosk_id ? L->ctx->kiosk_id : "";
	bool at = where && where[0];
	char named[VIEW_TEXT_MAX]; /* the first line also says where the kiosk is */
	snprintf(named, sizeof(named), "%s%s%s", id, at ? " \xc2\xb7 " : "", at ? where : "");
	snprintf(t->kiosk_id, sizeof(t->kiosk_id), tr1("This kiosk: %s", "Nomor ADM ini: %s"),
		 named);
	snprintf(t->kiosk_en, sizeof(t->kiosk_en), tr2("This kiosk: %s"), id);
}

/* A left-aligned wrapped pair at (x, y), w wide, as high as its lines. */
static struct widget *block(struct layout *L, int x, int y, int w, enum font_role font,
			    const char *id, const char *en)
{
	int h = pair_height(L, font, FONT_SMALL, id, en, w);
	struct widget *wd = pair(L, rect(x, y, w, h), font, FONT_SMALL, ALIGN_LEFT, id, en);
	wd->wrap = true;
	return wd;
}

void screen_help(struct layout *L)
{
	SDL_Rect b = L->body;
	struct help_text t;
	int gap = U(L, SP_GAP), pad = U(L, 2);
	bool two = !L->v->portrait;

	help_text(L, &t);
	/* the panel: over the whole body, the step's screen under it not drawn */
	struct widget *wd = box(L, b, L->p->surface, U(L, SP_RADIUS));
	wd->has_border = true;
	wd->border = L->p->primary;
	SDL_Rect row = bottom_row(L);
	row = rect(row.x + pad, row.y - pad, row.w - 2 * pad, row.h);
	/* once called, what the call did takes a row of its own above close (wide enough
	 * for its words in large text on a narrow screen) */
	const char *called_id = screen_help_words.called_id;
	const char *called_en = screen_help_words.called_en;
	bool called = L->f->staff_called;
	int nh = pair_height(L, FONT_BODY_B, FONT_SMALL, called_id, called_en, row.w - U(L, 4)) +
		 U(L, 2);
	nh = nh > row.h ? nh : row.h;
	int top = b.y + pad, room = row.y - gap - top - (called ? nh + gap : 0);
	int cw = two ? (b.w - 2 * pad - gap) / 2 : b.w - 2 * pad;
	int sx = two ? b.x + pad + cw + gap : b.x + pad;

	enum font_role step_font = FONT_BODY;
	int step_h = pair_height(L, step_font, FONT_SMALL, t.step_id, t.step_en, cw);
	int staff_h = pair_height(L, FONT_BODY_B, FONT_SMALL, t.staff_id, t.staff_en, cw) + gap +
		      pair_height(L, FONT_SMALL, FONT_SMALL, t.kiosk_id, t.kiosk_en, cw);
	int need = two ? (step_h > staff_h ? step_h : staff_h) : step_h + gap + staff_h;
	if (need > room) {
		step_font = FONT_SMALL;
		step_h = pair_height(L, step_font, FONT_SMALL, t.step_id, t.step_en, cw);
		need = two ? (step_h > staff_h ? step_h : staff_h) : step_h + gap + staff_h;
	}
	int title_h = pair_height(L, FONT_HEAD, FONT_BODY, "Bantuan", "Help", b.w - 2 * pad);
	if (need + title_h + gap <= room)
		top += title_as(L, rect(b.x + pad, top, b.w - 2 * pad, 0), FONT_HEAD, "Bantuan",
				"Help") +
		       gap;

	block(L, b.x + pad, top, cw, step_font, t.step_id, t.step_en);
	int y = two ? top : top + step_h + gap;
	y += block(L, sx, y, cw, FONT_BODY_B, t.staff_id, t.staff_en)->r.h + gap;
	block(L, sx, y, cw, FONT_SMALL, t.kiosk_id, t.kiosk_en)->colour = L->p->text_2;

	/* close, and call staff or what the call did */
	int bw = (row.w - gap) / 2;
	if (called) {
		notice(L, rect(row.x, row.y - gap - nh, row.w, nh), L->p->success_bg, L->p->text,
		       tr1(called_en, called_id), tr2(called_en));
		button(L, rect(row.x + (row.w - bw) / 2, row.y, bw, row.h), BTN_SECONDARY, "Tutup",
		       "Close", ACT_HELP, 0);
		return;
	}
	button(L, rect(row.x, row.y, bw, row.h), BTN_SECONDARY, "Tutup", "Close", ACT_HELP, 0);
	button(L, rect(row.x + bw + gap, row.y, row.w - bw - gap, row.h), BTN_PRIMARY,
	       "Panggil petugas", "Call staff", ACT_CALL_STAFF, 0);
}
