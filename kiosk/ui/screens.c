/*
 * Every screen of the kiosk, as a function of the flow state (see view.h): the frame
 * (header with clock, footer, countdown) and the entry point; the screens themselves are
 * in one file per group (screens.h).
 *
 * Bahasa Indonesia comes first and large, English second and smaller, on every screen:
 * many citizens are first-time users, and both languages are visible at once rather than
 * behind a language switch. Layout is in screen units (shorter side / 100); a portrait
 * screen stacks what a landscape screen puts side by side.
 */
#include "screens.h"

#include <stdio.h>
#include <string.h>

/* ---- frame: header with clock, footer, countdown ---------------------------------- */

static const char *const day_names[7] = { "Minggu", "Senin", "Selasa", "Rabu",
					  "Kamis",  "Jumat", "Sabtu" };
static int widest(struct layout *L, enum font_role font, const char *a, const char *b)
{
	int wa, wb, h;
	text_size(L->t, font, a, 0, &wa, &h);
	text_size(L->t, font, b, 0, &wb, &h);
	return wa > wb ? wa : wb;
}

static const char *const header_title = "Anjungan Dukcapil Mandiri";

static void header_sub(const struct layout *L, const char **id, const char **en)
{
	*id = L->v->portrait ? "Cetak dokumen kependudukan" : "Cetak dokumen kependudukan sendiri";
	*en = L->v->portrait ? "Print population documents" : "Print your own population documents";
}

static const char *const month_names[12] = { "Januari",	  "Februari", "Maret",	  "April",
					     "Mei",	  "Juni",     "Juli",	  "Agustus",
					     "September", "Oktober",  "November", "Desember" };
static const char *const day_names_en[7] = { "Sunday",	 "Monday", "Tuesday", "Wednesday",
					     "Thursday", "Friday", "Saturday" };
static const char *const month_names_en[12] = { "January",   "February", "March",    "April",
						"May",	     "June",	 "July",     "August",
						"September", "October",	 "November", "December" };

void screen_date(int year, int month, int day, char *id, size_t id_size, char *en, size_t en_size)
{
	unsigned mo = (unsigned)(month - 1) % 12;
	snprintf(id, id_size, tr1("%d %s %d", "%d %s %d"), day,
		 tr1(month_names_en[mo], month_names[mo]), year);
	snprintf(en, en_size, tr2("%d %s %d"), day, tr2(month_names_en[mo]), year);
}

/* The header: the title over its subtitle (both languages) at the left, the clock over
 * the date (both languages) at the right; with large text on a narrow screen the title
 * wraps, the subtitle goes and the header grows. The help button is in it, in one place
 * on every citizen screen that no countdown covers: left of the clock; in portrait (no
 * room across) under the title in the subtitle's place, the title cut to "ADM Dukcapil"
 * when it would wrap, so that the header does not grow by the button. */
struct header_geom {
	int h, left_w, right_w, title_h;
	const char *title;
	SDL_Rect btn; /* the help button */
	bool sub;     /* the subtitle under the title */
	char clock[16], date[64], date_en[64];
};

static const char *const help_btn_id = "Bantuan", *const help_btn_en = "Help";

static struct header_geom header_geom(struct layout *L)
{
	const struct tm *tm = &L->ctx->wall;
	struct header_geom g;
	int w, h, pad = U(L, SP_PAD), ls = text_line_height(L->t, FONT_SMALL);
	unsigned wd = (unsigned)tm->tm_wday % 7, mo = (unsigned)tm->tm_mon % 12;
	const char *sid, *sen;

	snprintf(g.clock, sizeof(g.clock), "%02d:%02d:%02d", tm->tm_hour % 24, tm->tm_min % 60,
		 tm->tm_sec % 61);
	snprintf(g.date, sizeof(g.date), tr1("%s %d %s %d", "%s, %d %s %d"),
		 tr1(day_names_en[wd], day_names[wd]), tm->tm_mday,
		 tr1(month_names_en[mo], month_names[mo]), tm->tm_year + 1900);
	snprintf(g.date_en, sizeof(g.date_en), tr2("%s %d %s %d"), tr2(day_names_en[wd]),
		 tm->tm_mday, tr2(month_names_en[mo]), tm->tm_year + 1900);
	/* the widest the clock gets, so that it does not move as it ticks; in landscape the
	 * widest the date gets too, so that the help button beside it does not move from one
	 * day to the next: the widest day's and month's names, and two digits of day */
	text_size(L->t, FONT_HEAD, "00:00:00", 0, &g.right_w, &h);
	unsigned wide_day[2] = { 0, 0 }, wide_mon[2] = { 0, 0 };
	for (int l = 0; l < (L->v->portrait ? 0 : 2); l++) {
		int best = -1;
		for (unsigned d = 0; d < 7; d++) {
			const char *t =
			    l ? tr2(day_names_en[d]) : tr1(day_names_en[d], day_names[d]);
			text_size(L->t, FONT_SMALL, t, 0, &w, &h);
			if (w > best)
				best = w, wide_day[l] = d;
		}
		best = -1;
		for (unsigned m = 0; m < 12; m++) {
			const char *t =
			    l ? tr2(month_names_en[m]) : tr1(month_names_en[m], month_names[m]);
			text_size(L->t, FONT_SMALL, t, 0, &w, &h);
			if (w > best)
				best = w, wide_mon[l] = m;
		}
	}
	char wide[64], wide_en[64];
	snprintf(wide, sizeof(wide), tr1("%s %d %s %d", "%s, %d %s %d"),
		 tr1(day_names_en[wide_day[0]], day_names[wide_day[0]]), 28,
		 tr1(month_names_en[wide_mon[0]], month_names[wide_mon[0]]), tm->tm_year + 1900);
	snprintf(wide_en, sizeof(wide_en), tr2("%s %d %s %d"), tr2(day_names_en[wide_day[1]]), 28,
		 tr2(month_names_en[wide_mon[1]]), tm->tm_year + 1900);
	w = L->v->portrait ? 0 : widest(L, FONT_SMALL, wide, wide_en);
	if (w > g.right_w)
		g.right_w = w;
	w = widest(L, FONT_SMALL, g.date, g.date_en); /* a wider digit than 2 and 8 */
	if (w > g.right_w)
		g.right_w = w;
	int bw = widest(L, FONT_BODY_B, help_btn_id, help_btn_id);
	w = widest(L, FONT_SMALL, help_btn_en, help_btn_en);
	bw = (bw > w ? bw : w) + U(L, 4);
	int bh = text_line_height(L->t, FONT_BODY_B) + text_line_height(L->t, FONT_SMALL) + U(L, 1);
	g.left_w =
	    L->v->w - 2 * pad - g.right_w - U(L, SP_GAP) - (L->v->portrait ? 0 : bw + U(L, SP_GAP));
	header_sub(L, &sid, &sen);
	int line = text_line_height(L->t, FONT_HEAD);
	g.title = header_title;
	g.title_h = pair_height(L, FONT_HEAD, FONT_HEAD, g.title, NULL, g.left_w);
	if (L->v->portrait && g.title_h > line) {
		g.title = "ADM Dukcapil";
		g.title_h = pair_height(L, FONT_HEAD, FONT_HEAD, g.title, NULL, g.left_w);
	}
	/* large text on a narrow screen: the title takes two lines, the subtitle goes */
	g.sub = !L->v->portrait && g.title_h <= line;
	int lh = g.title_h + (g.sub ? pair_height(L, FONT_SMALL, FONT_SMALL, sid, sen, g.left_w)
			      : L->v->portrait ? U(L, 1) + bh
					       : 0);
	int rh = line + 2 * ls;
	if (!L->v->portrait && bh > rh)
		rh = bh;
	g.h = (lh > rh ? lh : rh) + U(L, 1);
	if (g.h < U(L, HEADER_U))
		g.h = U(L, HEADER_U);
	if (L->v->portrait)
		g.btn = rect(pad, (g.h - lh) / 2 + g.title_h + U(L, 1), bw, bh);
	else
		g.btn = rect(L->v->w - pad - g.right_w - U(L, SP_GAP) - bw, (g.h - bh) / 2, bw, bh);
	return g;
}

static void header(struct layout *L, const struct header_geom *g)
{
	struct view *v = L->v;
	int pad = U(L, SP_PAD), hh = g->h, rx = v->w - pad - g->right_w;
	int th = text_line_height(L->t, FONT_HEAD), ls = text_line_height(L->t, FONT_SMALL);
	const char *sid, *sen;
	struct widget *wd;

	box(L, rect(0, 0, v->w, hh), L->p->header, 0);
	box(L, rect(0, hh, v->w, U(L, 0.6f)), L->p->accent, 0);
	header_sub(L, &sid, &sen);
	int sh = g->sub ? pair_height(L, FONT_SMALL, FONT_SMALL, sid, sen, g->left_w) : 0;
	int ly = v->portrait ? g->btn.y - U(L, 1) - g->title_h : (hh - g->title_h - sh) / 2;
	wd = label(L, rect(pad, ly, g->left_w, g->title_h), FONT_HEAD, L->p->header_text,
		   ALIGN_LEFT, g->title);
	wd->wrap = true;
	if (g->sub) {
		wd = pair(L, rect(pad, ly + g->title_h, g->left_w, sh), FONT_SMALL, FONT_SMALL,
			  ALIGN_LEFT, sid, sen);
		wd->colour = wd->sub_colour = L->p->header_2;
		wd->wrap = true;
	}

	/* Time and date are two widgets, so a tick repaints the time alone. */
	int ty = (hh - th - 2 * ls) / 2;
	label(L, rect(rx, ty, g->right_w, th), FONT_HEAD, L->p->header_text, ALIGN_RIGHT, g->clock);
	wd = pair(L, rect(rx, ty + th, g->right_w, 2 * ls), FONT_SMALL, FONT_SMALL, ALIGN_RIGHT,
		  g->date, g->date_en);
	wd->colour = wd->sub_colour = L->p->header_2;
	/* not for technicians, who are the staff; filled while its panel is open */
	if (L->f->state != FLOW_TECHNICIAN && L->f->state != FLOW_TECH_PIN) {
		wd = button(L, g->btn, L->f->help ? BTN_PRIMARY : BTN_SECONDARY, help_btn_id,
			    help_btn_en, ACT_HELP, 0);
		wd->pad = U(L, 0.5f);
	}
}

/*
 * The footer: the accessible mode's button at its right end on every citizen screen,
 * always in the same place (its width fits either label); the countdown banner takes the
 * rest of the footer and leaves the button where it is. Landscape puts the kiosk, the
 * help line and the button in one band; portrait has no room across for all three and
 * puts the kiosk's line under the help line. Long lines wrap, and the footer grows.
 */
static const char *const acc_on_id = "Teks besar", *const acc_on_en = "Large text";
static const char *const acc_off_id = "Tampilan biasa", *const acc_off_en = "Normal view";
static const char *const vol_id = "Suara", *const vol_en = "Volume";
static const char *const help_id = "Butuh bantuan? Tanyakan petugas.";
static const char *const help_en = "Need help? Ask the staff.";
/* the countdown's text (at its longest with two digits) */
#define COUNTDOWN_ID "Sesi berakhir dalam %d detik. Sentuh di sini untuk lanjut."
#define COUNTDOWN_EN "Your session ends in %d s. Touch here to continue."

struct footer_geom {
	int h;	      /* the whole footer */
	int band;     /* portrait: its first band (help line and button) */
	SDL_Rect btn; /* the accessible mode's button */
	SDL_Rect rep; /* left of it, the spoken prompt's "repeat" (a speaker) */
	SDL_Rect vol; /* left of that, the volume button */
	bool has_btn; /* not on technician screens */
	bool has_vol; /* and not on a muted kiosk */
	int right;    /* where the text left of the buttons ends */
	/* where the countdown banner ends: over the speaker, whose place a hand looking for
	 * it then finds the banner's "continue" in (and the countdown is spoken anyway) */
	int banner_right;
	int where_w; /* landscape: the kiosk's column */
	int help_w;  /* landscape: the help line's column */
	int help_h;  /* portrait: the help line's height under the buttons, 0 beside them */
	char where[160];
};

static int wrapped_height(struct layout *L, enum font_role font, const char *s, int w)
{
	int tw, th;
	text_size(L->t, font, s, w, &tw, &th);
	return th;
}

/* The volume level's bars, for a button of height h: as wide as they are tall. */
static int level_bars_w(int h)
{
	return h / 2;
}

static struct footer_geom footer_geom(struct layout *L)
{
	struct view *v = L->v;
	struct footer_geom g;
	memset(&g, 0, sizeof(g));
	int pad = U(L, SP_PAD), gap = U(L, SP_GAP), m = U(L, 0.8f);
	const char *kiosk = L->ctx->kiosk_id ? L->ctx->kiosk_id : "";
	const char *place = L->ctx->location ? L->ctx->location : "";

	int w1 = widest(L, FONT_BODY_B, tr1(acc_on_en, acc_on_id), tr1(acc_off_en, acc_off_id));
	int w2 = widest(L, FONT_SMALL, tr2(acc_on_en), tr2(acc_off_en));
	int bw = (w1 > w2 ? w1 : w2) + U(L, 4);
	int bh = text_line_height(L->t, FONT_BODY_B) + text_line_height(L->t, FONT_SMALL) + U(L, 1);
	g.has_btn = L->f->state != FLOW_TECHNICIAN && L->f->state != FLOW_TECH_PIN;
	int rw = bh; /* the speaker: a square */
	g.has_vol = g.has_btn && !L->ctx->muted;
	/* the volume button: its words left, the level's bars right of them */
	int vw = widest(L, FONT_BODY_B, tr1(vol_en, vol_id), tr2(vol_en));
	int vs = widest(L, FONT_SMALL, tr2(vol_en), tr2(vol_en));
	vw = (vw > vs ? vw : vs) + U(L, 2.5f) + level_bars_w(bh);
	g.banner_right = g.has_btn ? v->w - pad - bw - gap : v->w - pad;
	g.right = g.has_btn ? g.banner_right - rw - U(L, 1) : g.banner_right;
	if (g.has_vol)
		g.right -= vw + U(L, 1);
	int band = bh + 2 * m; /* the button's, and the least */
	int need;
	if (v->portrait) {
		/* the help line beside the buttons, or under them when it would be taller */
		need = pair_height(L, FONT_SMALL, FONT_SMALL, help_id, help_en, g.right - pad) + m;
		g.help_h = 0;
		if (need > band)
			g.help_h = pair_height(L, FONT_SMALL, FONT_SMALL, help_id, help_en,
					       v->w - 2 * pad);
		else
			band = need > band ? need : band;
		snprintf(g.where, sizeof(g.where), "ADM %s \xc2\xb7 %s", kiosk, place);
		/* with large text and the help line under the buttons, the kiosk's line gives
		 * the body its room, as in landscape (it is for staff) */
		g.where_w = g.help_h && L->f->accessible ? 0 : v->w - 2 * pad;
		g.h = band + g.help_h + m +
		      (g.where_w ? wrapped_height(L, FONT_SMALL, g.where, g.where_w) : 0);
	} else {
		snprintf(g.where, sizeof(g.where), "ADM %s", kiosk);
		/* two columns: the kiosk's and the help line, half each; with large text, when
		 * they do not fit on one line each, the help line takes the band (the kiosk's
		 * id is for staff, who can read small text) */
		int room = g.right - pad - gap;
		bool both = widest(L, FONT_SMALL, g.where, place) +
				widest(L, FONT_SMALL, help_id, help_en) <=
			    room;
		g.where_w = both || !L->f->accessible ? room / 2 : 0;
		g.help_w = g.where_w ? room - g.where_w : room + gap;
		need = g.where_w
			   ? pair_height(L, FONT_SMALL, FONT_SMALL, g.where, place, g.where_w) + m
			   : 0;
		band = need > band ? need : band;
		need = pair_height(L, FONT_SMALL, FONT_SMALL, help_id, help_en, g.help_w) + m;
		band = need > band ? need : band;
		g.h = band;
	}
	if (g.h < U(L, FOOTER_U))
		g.h = U(L, FOOTER_U);
	/* the countdown banner beside the button must not grow the footer when it shows */
	char longest[2][160];
	snprintf(longest[0], sizeof(longest[0]), tr1(COUNTDOWN_EN, COUNTDOWN_ID), 88);
	snprintf(longest[1], sizeof(longest[1]), tr2(COUNTDOWN_EN), 88);
	need = pair_height(L, FONT_BODY_B, FONT_SMALL, longest[0], longest[1],
			   g.banner_right - 2 * pad) +
	       2 * m;
	if (need > g.h)
		g.h = need;
	g.band = v->portrait ? band : g.h;
	g.btn = rect(v->w - pad - bw, v->h - g.h + (g.band - bh) / 2, bw, bh);
	g.rep = rect(g.btn.x - U(L, 1) - rw, g.btn.y, rw, bh);
	g.vol = rect(g.rep.x - U(L, 1) - vw, g.btn.y, vw, bh);
	return g;
}

static void accessible_button(struct layout *L, SDL_Rect r)
{
	bool on = L->f->accessible;
	struct widget *wd = button(L, r, BTN_SECONDARY, on ? acc_off_id : acc_on_id,
				   on ? acc_off_en : acc_on_en, ACT_ACCESSIBLE, 0);
	wd->pad = U(L, 0.5f);
}

/* The speaker: says the screen's prompt again (audio.h), in the same place on every
 * citizen screen; the countdown's banner covers it while it shows (footer_geom). */
static void repeat_button(struct layout *L, SDL_Rect r)
{
	struct widget *wd = button(L, r, BTN_SECONDARY, NULL, NULL, ACT_REPEAT, 0);
	int s = r.h * 3 / 4;
	icon(wd, ICON_SPEAKER, rect(r.x + (r.w - s) / 2, r.y + (r.h - s) / 2, s, s), L->p->primary);
}

/* The volume: one button, one action, the next level (after the loudest the quietest,
 * flow.h), its words and the level drawn as bars beside the speaker; the shell plays a
 * chime and the prompt at the new level (app.c). */
static void volume_button(struct layout *L, SDL_Rect r)
{
	struct widget *wd = button(L, r, BTN_SECONDARY, vol_id, vol_en, ACT_VOLUME, 0);
	wd->align = ALIGN_LEFT;
	wd->pad = U(L, 0.8f);
	int s = level_bars_w(r.h);
	icon(wd, ICON_LEVEL, rect(r.x + r.w - U(L, 0.8f) - s, r.y + (r.h - s) / 2, s, s),
	     L->p->primary);
	wd->icon_level = flow_volume_level(L->f) + 1;
}

static void footer(struct layout *L, const struct footer_geom *g)
{
	struct view *v = L->v;
	int pad = U(L, SP_PAD), y = v->h - g->h;
	int secs = flow_countdown_s(L->f);
	char id[160], en[160];
	struct widget *wd;

	box(L, rect(0, y, v->w, g->h), L->p->surface, 0);
	box(L, rect(0, y, v->w, U(L, 0.2f)), L->p->border, 0);
	if (g->has_btn)
		accessible_button(L, g->btn);
	if (g->has_btn && secs <= 0)
		repeat_button(L, g->rep);
	if (g->has_vol && secs <= 0)
		volume_button(L, g->vol);
	if (secs > 0) {
		snprintf(id, sizeof(id), tr1(COUNTDOWN_EN, COUNTDOWN_ID), secs);
		snprintf(en, sizeof(en), tr2(COUNTDOWN_EN), secs);
		wd = box(L, rect(0, y, g->banner_right, g->h), L->p->warn_bg, 0);
		wd->has_border = true;
		wd->border = L->p->accent;
		wd->font = FONT_BODY_B;
		wd->sub_font = FONT_SMALL;
		wd->colour = L->p->text;
		wd->sub_colour = L->p->text_2;
		wd->align = ALIGN_CENTRE;
		wd->wrap = true;
		wd->pad = pad;
		set_text(wd, id, en);
		wd->tappable = true;
		wd->action = ACT_CONTINUE;
		return;
	}
	if (v->portrait) {
		SDL_Rect h = g->help_h ? rect(pad, y + g->band, v->w - 2 * pad, g->help_h)
				       : rect(pad, y, g->right - pad, g->band);
		wd = pair(L, h, FONT_SMALL, FONT_SMALL, ALIGN_LEFT, help_id, help_en);
		wd->colour = L->p->text_2;
		wd->wrap = true;
		int wy = y + g->band + g->help_h;
		if (!g->where_w)
			return;
		wd = label(L, rect(pad, wy, g->where_w, y + g->h - wy), FONT_SMALL, L->p->text_2,
			   ALIGN_LEFT, g->where);
		wd->wrap = true;
		return;
	}
	if (g->where_w) {
		wd = pair(L, rect(pad, y, g->where_w, g->h), FONT_SMALL, FONT_SMALL, ALIGN_LEFT,
			  g->where, L->ctx->location);
		wd->colour = L->p->text_2;
		wd->wrap = true;
	}
	wd = pair(L, rect(g->right - g->help_w, y, g->help_w, g->h), FONT_SMALL, FONT_SMALL,
		  ALIGN_RIGHT, help_id, help_en);
	wd->colour = L->p->text_2;
	wd->wrap = true;
}

/* ---- entry point ------------------------------------------------------------------- */

void view_build(struct view *v, int w, int h, const struct flow *f, const struct view_ctx *ctx,
		struct text *t)
{
	struct layout L;
	float unit = (float)(w < h ? w : h) / 100.0f;

	memset(v, 0, sizeof(*v));
	v->w = w;
	v->h = h;
	v->unit = unit;
	v->portrait = h > w;
	L.v = v;
	L.t = t;
	L.f = f;
	L.ctx = ctx;
	L.u = unit;
	L.p = f->accessible ? &theme_contrast : &theme_normal;
	text_set_scale(t, f->accessible ? THEME_LARGE_SCALE : 1.0f);
	struct header_geom hg = header_geom(&L);
	struct footer_geom fg = footer_geom(&L);
	int top = hg.h + U(&L, 0.6f) + U(&L, SP_PAD);
	int bottom = fg.h + U(&L, SP_PAD);
	L.body = rect(U(&L, SP_PAD), top, w - 2 * U(&L, SP_PAD), h - top - bottom);

	box(&L, rect(0, 0, w, h), L.p->bg, 0);
	header(&L, &hg);
	if (f->help) { /* over the step, which waits undrawn under it */
		screen_help(&L);
		goto footer;
	}
	switch (f->state) {
	case FLOW_ATTRACT:
		screen_attract(&L);
		break;
	case FLOW_READING:
		screen_reading(&L);
		break;
	case FLOW_NIK_ENTRY:
	case FLOW_VERIFY:
	case FLOW_AUTHORISE:
	case FLOW_TECH_PIN:
		screen_keypad(&L);
		break;
	case FLOW_QR_WAIT:
		screen_qr(&L);
		break;
	case FLOW_DOCUMENTS:
		screen_documents(&L);
		break;
	case FLOW_PRINTING:
		if (f->s.print_fault)
			screen_print_fault(&L);
		else
			screen_printing(&L);
		break;
	case FLOW_DONE:
		screen_done(&L);
		break;
	case FLOW_NOTHING_READY:
		screen_nothing_ready(&L);
		break;
	case FLOW_ERROR:
		screen_error(&L);
		break;
	case FLOW_OUT_OF_SERVICE:
		screen_out_of_service(&L);
		break;
	case FLOW_TECHNICIAN:
	case FLOW_STATE_COUNT:
		screen_technician(&L);
		break;
	}
footer:
	footer(&L, &fg);
	/* what a finger on a button shows, in the theme's colours */
	for (int i = 0; i < v->n; i++)
		if (v->items[i].tappable)
			v->items[i].pressed_fill =
			    v->items[i].fill == L.p->primary ? L.p->pressed : L.p->pressed_2;
}

void view_text_layout(const struct widget *wd, struct text *t, SDL_Rect *main_r, SDL_Rect *sub_r)
{
	int w1 = 0, h1 = 0, w2 = 0, h2 = 0;
	int inner_w = wd->r.w - 2 * wd->pad;
	int wrap = wd->wrap ? inner_w : 0;

	if (wd->text[0])
		text_size(t, wd->font, wd->text, wrap, &w1, &h1);
	if (wd->sub[0])
		text_size(t, wd->sub_font, wd->sub, wrap, &w2, &h2);
	int total = h1 + h2;
	int y = wd->r.y + (wd->r.h - total) / 2;
	int x1, x2;
	switch (wd->align) {
	case ALIGN_LEFT:
		x1 = x2 = wd->r.x + wd->pad;
		break;
	case ALIGN_RIGHT:
		x1 = wd->r.x + wd->r.w - wd->pad - w1;
		x2 = wd->r.x + wd->r.w - wd->pad - w2;
		break;
	default:
		x1 = wd->r.x + (wd->r.w - w1) / 2;
		x2 = wd->r.x + (wd->r.w - w2) / 2;
		break;
	}
	*main_r = rect(x1, y, w1, h1);
	*sub_r = rect(x2, y + h1, w2, h2);
}
