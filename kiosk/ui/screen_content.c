/*
 * The content bundle on the attract and nothing-ready screens (content_view.h has the
 * model; screens.c calls in here).
 *
 * The ways in (card, NIK, QR) never give up their place: content takes a column beside
 * them in landscape and a block under them in portrait, and an urgent message takes the
 * welcome's place and the upper part of the body, with the ways in still below it. Texts
 * from a bundle have no length the layout can count on, so every one is cut to its box
 * (wrapped, then shortened at a word with an ellipsis), Indonesian first: when both do
 * not fit, Indonesian keeps its lines and English what is left, at least one.
 *
 * The rotating announcement, the banner and the clock are separate widgets, so a second
 * in which nothing rotates repaints the clock alone, and a rotation repaints one card.
 */
#include "content_view.h"
#include "layout.h"

#include <stdint.h>

#define ELLIPSIS "\xe2\x80\xa6"

/* ---- fitting bundle text into a box ------------------------------------------------ */

/* Fitting measures a text many times; a frame must not, so results are kept. The UI is
 * single-threaded; the key holds everything the result depends on. */
#define FIT_CACHE 64
struct fit_entry {
	float unit;
	int role, w, max_h;
	uint32_t hash;
	char src[VIEW_TEXT_MAX + 8], out[VIEW_TEXT_MAX];
};
static struct fit_entry fit_cache[FIT_CACHE];

static uint32_t fnv(const char *s, uint32_t h)
{
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static bool fits(struct layout *L, enum font_role role, const char *s, int w, int max_h)
{
	int tw, th;
	text_size(L->t, role, s, w, &tw, &th);
	return tw <= w && th <= max_h;
}

/* The first n bytes of s and an ellipsis. */
static void cut(char *out, const char *s, size_t n)
{
	memcpy(out, s, n);
	while (n > 0 && out[n - 1] == ' ')
		n--;
	memcpy(out + n, ELLIPSIS, sizeof(ELLIPSIS));
}

static bool utf8_start(unsigned char c)
{
	return (c & 0xC0) != 0x80;
}

/* s wrapped at w in role, cut at a word (or, for one long word, a character) with an
 * ellipsis so it is at most max_h high; "" when not even one character fits. */
static void fit(struct layout *L, enum font_role role, const char *s, int w, int max_h,
		char out[VIEW_TEXT_MAX])
{
	char buf[VIEW_TEXT_MAX + 8], tmp[VIEW_TEXT_MAX + 8];
	size_t len = 0, src_len = s ? strlen(s) : 0;

	out[0] = '\0';
	if (!s || !s[0] || w <= 0 || max_h <= 0)
		return;
	/* room for the ellipsis, cut at a character; line breaks become spaces */
	size_t cap = VIEW_TEXT_MAX - sizeof(ELLIPSIS);
	len = src_len < cap ? src_len : cap;
	while (len > 0 && len < src_len && !utf8_start((unsigned char)s[len]))
		len--;
	for (size_t i = 0; i < len; i++)
		buf[i] = s[i] == '\n' ? ' ' : s[i];
	buf[len] = '\0';
	bool whole = len == src_len;

	uint32_t hash = fnv(buf, 2166136261u ^ (uint32_t)role ^ (uint32_t)whole);
	struct fit_entry *e = &fit_cache[(hash ^ (uint32_t)w ^ (uint32_t)max_h << 7) % FIT_CACHE];
	if (e->hash == hash && e->unit == L->u && e->role == (int)role && e->w == w &&
	    e->max_h == max_h && strcmp(e->src, buf) == 0) {
		memcpy(out, e->out, sizeof(e->out));
		return;
	}
	if (whole && fits(L, role, buf, w, max_h)) {
		memcpy(out, buf, len + 1);
	} else {
		/* the longest prefix ending at a word that fits with its ellipsis */
		size_t ends[VIEW_TEXT_MAX];
		int n = 0;
		for (size_t i = 1; i <= len; i++)
			if ((i == len || buf[i] == ' ') && buf[i - 1] != ' ')
				ends[n++] = i;
		int lo = 0, hi = n - 1, best = -1;
		while (lo <= hi) {
			int mid = (lo + hi) / 2;
			cut(tmp, buf, ends[mid]);
			if (fits(L, role, tmp, w, max_h)) {
				best = mid;
				lo = mid + 1;
			} else {
				hi = mid - 1;
			}
		}
		if (best >= 0) {
			cut(out, buf, ends[best]);
		} else {
			/* one word too wide: cut it at a character */
			size_t k = n ? ends[0] : len;
			while (k > 0) {
				do
					k--;
				while (k > 0 && !utf8_start((unsigned char)buf[k]));
				cut(tmp, buf, k);
				if (k > 0 && fits(L, role, tmp, w, max_h)) {
					memcpy(out, tmp, strlen(tmp) + 1);
					break;
				}
			}
		}
	}
	e->hash = hash;
	e->unit = L->u;
	e->role = (int)role;
	e->w = w;
	e->max_h = max_h;
	memcpy(e->src, buf, len + 1);
	memcpy(e->out, out, sizeof(e->out));
}

static int text_h(struct layout *L, enum font_role role, const char *s, int w)
{
	int tw, th = 0;
	if (s && s[0])
		text_size(L->t, role, s, w, &tw, &th);
	return th;
}

/*
 * A card's heading, the kiosk's own words as a pair: Indonesian in font over the second
 * language in sub_font, a line each, both looked up already (tr1, tr2) and each cut to
 * r.w. Returns its height.
 */
static int heading(struct layout *L, SDL_Rect r, enum font_role font, enum font_role sub_font,
		   uint32_t colour, uint32_t sub_colour, const char *id, const char *en)
{
	char fid[VIEW_TEXT_MAX], fen[VIEW_TEXT_MAX];
	int l1 = text_line_height(L->t, font), l2 = text_line_height(L->t, sub_font);
	fit(L, font, id, r.w, l1, fid);
	fit(L, sub_font, en, r.w, l2, fen);
	struct widget *wd =
	    pair_as_is(L, rect(r.x, r.y, r.w, l1 + l2), font, sub_font, ALIGN_LEFT, fid, fen);
	wd->colour = colour;
	wd->sub_colour = sub_colour;
	return l1 + l2;
}

static int heading_h(struct layout *L, enum font_role font, enum font_role sub_font)
{
	return text_line_height(L->t, font) + text_line_height(L->t, sub_font);
}

/*
 * A bilingual text cut to r.w x at most max_h: both whole if they fit; else each language
 * Indonesian keeps what it needs as long as English keeps a line. Returns the height.
 */
static int fit_pair(struct layout *L, int w, int max_h, enum font_role font,
		    enum font_role sub_font, const char *id, const char *en,
		    char fid[VIEW_TEXT_MAX], char fen[VIEW_TEXT_MAX])
{
	int h1 = text_h(L, font, id, w), h2 = text_h(L, sub_font, en, w);
	int lh1 = text_line_height(L->t, font), lh2 = text_line_height(L->t, sub_font);
	int b1 = h1;

	if (h1 + h2 > max_h) {
		/* Indonesian first, as far as English keeps one line */
		b1 = (max_h - (h2 ? lh2 : 0)) / lh1 * lh1;
		if (b1 > h1)
			b1 = h1;
		if (b1 < lh1)
			b1 = lh1;
	}
	fit(L, font, id, w, b1 < max_h ? b1 : max_h, fid);
	if (id && id[0] && !fid[0]) { /* not a line of Indonesian: not the English alone */
		fen[0] = '\0';
		return 0;
	}
	int used = text_h(L, font, fid, w);
	fit(L, sub_font, en, w, max_h - used, fen);
	return used + text_h(L, sub_font, fen, w);
}

/* fit_pair as a widget at r's top left, as high as what it holds. */
static struct widget *fitted_pair(struct layout *L, SDL_Rect r, int max_h, enum font_role font,
				  enum font_role sub_font, const char *id, const char *en)
{
	char fid[VIEW_TEXT_MAX], fen[VIEW_TEXT_MAX];
	int h = fit_pair(L, r.w, max_h, font, sub_font, id, en, fid, fen);
	struct widget *wd = pair(L, rect(r.x, r.y, r.w, h), font, sub_font, ALIGN_LEFT, fid, fen);
	wd->wrap = true;
	return wd;
}

/* ---- attract -------------------------------------------------------------------------- */

static struct widget *card(struct layout *L, SDL_Rect r, uint32_t fill, uint32_t border)
{
	struct widget *wd = box(L, r, fill, U(L, SP_RADIUS));
	wd->has_border = border != 0;
	wd->border = border;
	return wd;
}

/* The urgent panel's least height: its label, a line of title and a line of text,
 * whatever the cap. */
static int urgent_min_h(struct layout *L)
{
	int lh = text_line_height(L->t, FONT_BODY_B);
	return heading_h(L, FONT_BODY_B, FONT_SMALL) + U(L, 1) + U(L, 1.5f) + 2 * U(L, 3) +
	       text_line_height(L->t, FONT_TITLE) + lh;
}

/* The urgent message: white on a dark red (9.1:1, AAA), title in the title face. The
 * panel is as high as its texts need, at most max_h; returns its height. */
static int urgent_panel(struct layout *L, SDL_Rect r, int max_h, const struct content_item *it)
{
	int pad = U(L, 3), s = U(L, 10);
	int w = r.w - 3 * pad - s;
	int title_h = pair_height(L, FONT_TITLE, FONT_HEAD, it->title.id, it->title.en, w);
	int text_h_ = pair_height(L, FONT_BODY_B, FONT_BODY, it->text.id, it->text.en, w);
	int head_h = heading_h(L, FONT_BODY_B, FONT_SMALL);
	int gaps = head_h + U(L, 1) + U(L, 1.5f) + 2 * pad;
	int lt = text_line_height(L->t, FONT_TITLE);
	int text_min = text_line_height(L->t, FONT_BODY_B) + text_line_height(L->t, FONT_BODY);
	int h = gaps + title_h + text_h_;
	if (h > max_h)
		h = max_h;
	if (h < urgent_min_h(L))
		h = urgent_min_h(L);
	r.h = h;
	struct widget *wd = card(L, r, L->p->urgent, 0);
	wd->icon = ICON_WARN;
	wd->icon_r = rect(r.x + pad, r.y + pad, s, s);
	wd->icon_colour = L->p->urgent_text;
	SDL_Rect in = rect(r.x + 2 * pad + s, r.y + pad, w, r.h - 2 * pad);
	heading(L, in, FONT_BODY_B, FONT_SMALL, L->p->urgent_label, L->p->urgent_text_2,
		tr1("URGENT", "PENTING"), tr2("URGENT"));
	int y = in.y + head_h + U(L, 1), bottom = in.y + in.h;
	/* the title leaves the text a line in each language, and keeps one line itself */
	int title_max = bottom - y - text_min - U(L, 1.5f);
	wd = fitted_pair(L, rect(in.x, y, in.w, 0), title_max > lt ? title_max : lt, FONT_TITLE,
			 FONT_HEAD, it->title.id, it->title.en);
	wd->colour = L->p->urgent_text;
	wd->sub_colour = L->p->urgent_text_2;
	y += wd->r.h + U(L, 1.5f);
	wd = fitted_pair(L, rect(in.x, y, in.w, 0), bottom - y, FONT_BODY_B, FONT_BODY, it->text.id,
			 it->text.en);
	wd->colour = L->p->urgent_text;
	wd->sub_colour = L->p->urgent_text_2;
	return h;
}

static void banner(struct layout *L, SDL_Rect r, const struct content_item *it)
{
	struct widget *wd = card(L, r, L->p->surface, L->p->border);
	wd->image = content_view_banner(L->ctx->content, it, r.w - U(L, 1), r.h - U(L, 1));
}

/* The banner's box at width w: the image's aspect, at most max_h. */
static int banner_h(const struct content_item *it, int w, int max_h)
{
	if (!it || !it->file || !it->file->width)
		return 0;
	int h = (int)((int64_t)w * it->file->height / it->file->width);
	return h < max_h ? h : max_h;
}

/* The announcement card at its least: its heading, a line of title (Indonesian: its
 * English goes first, as the title leaves the text a line in each language) and a line of
 * text in each language. */
static int announcement_min_h(struct layout *L)
{
	int need = 2 * U(L, 1.5f) + heading_h(L, FONT_SMALL, FONT_SMALL) + U(L, 0.5f) +
		   text_line_height(L->t, FONT_BODY_B) + U(L, 0.8f) +
		   heading_h(L, FONT_BODY, FONT_SMALL);
	return need > U(L, 26) ? need : U(L, 26);
}

static void announcement(struct layout *L, SDL_Rect r, const struct content_show *sh)
{
	const struct content_item *it = sh->announcement;
	int pad = U(L, 1.5f), lh = text_line_height(L->t, FONT_SMALL);
	card(L, r, L->p->surface, L->p->primary);
	SDL_Rect in = rect(r.x + pad, r.y + pad, r.w - 2 * pad, r.h - 2 * pad);
	char pos[24];
	/* "2/3": its own widget, so the reader sees that more will follow */
	snprintf(pos, sizeof(pos), "%d/%d", sh->announcement_no, sh->announcements);
	int pw = 0, ph;
	if (sh->announcements > 1) {
		text_size(L->t, FONT_SMALL, pos, 0, &pw, &ph);
		label(L, rect(in.x, in.y, in.w, lh), FONT_SMALL, L->p->text_2, ALIGN_RIGHT, pos);
		pw += U(L, 1);
	}
	int y = in.y +
		heading(L, rect(in.x, in.y, in.w - pw, 0), FONT_SMALL, FONT_SMALL, L->p->primary,
			L->p->text_2, tr1("Announcement", "Pengumuman"), tr2("Announcement")) +
		U(L, 0.5f);
	int bottom = in.y + in.h;
	/* the title leaves the text a line in each language */
	int text_min = text_line_height(L->t, FONT_BODY) + text_line_height(L->t, FONT_SMALL);
	struct widget *wd =
	    fitted_pair(L, rect(in.x, y, in.w, 0), bottom - y - text_min - U(L, 0.8f), FONT_BODY_B,
			FONT_SMALL, it->title.id, it->title.en);
	wd->colour = L->p->primary_dk;
	y += wd->r.h + U(L, 0.8f);
	fitted_pair(L, rect(in.x, y, in.w, 0), bottom - y, FONT_BODY, FONT_SMALL, it->text.id,
		    it->text.en);
}

static const char *const days_id[7] = { "Minggu", "Senin", "Selasa", "Rabu",
					"Kamis",  "Jumat", "Sabtu" };
static const char *const days_en[7] = { "Sunday",   "Monday", "Tuesday", "Wednesday",
					"Thursday", "Friday", "Saturday" };

/* Today's opening hours: the heading, the spans, or closed with the holiday's name, and
 * whether it is open now; each of the kiosk's own texts a pair. */
static int hours_height(struct layout *L)
{
	return text_line_height(L->t, FONT_SMALL) * 4 + text_line_height(L->t, FONT_BODY_B) +
	       U(L, 2.4f);
}

static void hours(struct layout *L, SDL_Rect r, const struct content_show *sh)
{
	const struct content_item *it = sh->hours;
	int pad = U(L, 1.2f), ls = text_line_height(L->t, FONT_SMALL);
	int lb = text_line_height(L->t, FONT_BODY_B);
	char head[96], spans[VIEW_TEXT_MAX], id[VIEW_TEXT_MAX], en[VIEW_TEXT_MAX], f[VIEW_TEXT_MAX];
	bool open =
	    !sh->holiday && content_week_open(&it->week, it->holidays, it->nholidays, &sh->now);

	card(L, r, L->p->surface, L->p->border);
	SDL_Rect in = rect(r.x + pad, r.y + pad, r.w - 2 * pad, r.h - 2 * pad);
	unsigned wday = (unsigned)sh->now.wday % 7;
	snprintf(head, sizeof(head), tr1("Opening hours on %s", "Jam layanan hari %s"),
		 tr1(days_en[wday], days_id[wday]));
	int y = in.y + heading(L, in, FONT_SMALL, FONT_SMALL, L->p->text_2, L->p->text_2, head,
			       tr2("Opening hours today"));
	content_view_spans(&it->week, sh->now.wday, spans, sizeof(spans));
	const char *sub = NULL;
	if (sh->holiday) {
		snprintf(id, sizeof(id), tr1("Closed: %s", "Tutup: %s"), sh->holiday->name.id);
		snprintf(en, sizeof(en), tr2("Closed: %s"),
			 sh->holiday->name.en ? sh->holiday->name.en : sh->holiday->name.id);
		sub = en;
	} else if (!spans[0]) {
		snprintf(id, sizeof(id), "%s", tr1("Closed today", "Tutup hari ini"));
		sub = tr2("Closed today");
	} else {
		snprintf(id, sizeof(id), "%s", spans); /* the same in both languages */
	}
	fit(L, FONT_BODY_B, id, in.w, lb, f);
	label(L, rect(in.x, y, in.w, lb), FONT_BODY_B, sh->holiday ? L->p->danger : L->p->text,
	      ALIGN_LEFT, f);
	y += lb;
	if (sub) {
		fit(L, FONT_SMALL, sub, in.w, ls, f);
		label(L, rect(in.x, y, in.w, ls), FONT_SMALL, L->p->text_2, ALIGN_LEFT, f);
	} else if (open) {
		heading(L, rect(in.x, y, in.w, 0), FONT_SMALL, FONT_SMALL, L->p->success,
			L->p->success, tr1("Open now", "Buka sekarang"), tr2("Open now"));
	} else {
		heading(L, rect(in.x, y, in.w, 0), FONT_SMALL, FONT_SMALL, L->p->text_2,
			L->p->text_2, tr1("Closed now", "Tutup sekarang"), tr2("Closed now"));
	}
}

/* The first n notices go at the bottom of r, one strip each; returns the height taken. */
static int notices(struct layout *L, SDL_Rect r, const struct content_show *sh, int n)
{
	int gap = U(L, SP_GAP), pad = U(L, 1.2f), y = r.y + r.h, used = 0;
	int max_h = text_line_height(L->t, FONT_BODY_B) * 2 + text_line_height(L->t, FONT_SMALL);

	for (int i = (n < sh->n_notices ? n : sh->n_notices) - 1; i >= 0; i--) {
		const struct content_item *it = sh->notices[i];
		char fid[VIEW_TEXT_MAX], fen[VIEW_TEXT_MAX];
		int h = fit_pair(L, r.w - 2 * pad, max_h, FONT_BODY_B, FONT_SMALL, it->text.id,
				 it->text.en, fid, fen) +
			2 * pad;
		y -= h;
		struct widget *wd = card(L, rect(r.x, y, r.w, h), L->p->warn_bg, L->p->accent);
		wd->font = FONT_BODY_B;
		wd->sub_font = FONT_SMALL;
		wd->colour = L->p->text;
		wd->sub_colour = L->p->text_2;
		wd->wrap = true;
		wd->pad = pad;
		set_text(wd, fid, fen);
		y -= gap;
		used += h + gap;
	}
	return used;
}

SDL_Rect screen_content_attract(struct layout *L, SDL_Rect b, int keep, bool *urgent)
{
	struct content_show sh;
	int gap = U(L, SP_GAP);

	*urgent = false;
	if (!L->ctx->content)
		return b;
	content_view_select(L->ctx->content, (int64_t)L->ctx->now, &sh);
	/* the card hint or a printer's notice also needs the ways in's room */
	bool crowded = L->f->hint || L->f->printers_down;
	/* when there is no room for both, the hint, asked for, has it (the urgent message was
	 * read before the card tile was touched, and comes back with the tiles) */
	if (sh.urgent && !(L->f->hint && urgent_min_h(L) > b.h - keep - gap)) {
		/* the upper part of the body; the ways in keep the rest */
		int cap = L->v->portrait ? 48 : crowded ? 36 : 55;
		if (L->f->accessible) /* larger tiles: the message is cut shorter */
			cap = L->v->portrait ? 32 : crowded ? 24 : 40;
		int max_h = b.h * cap / 100;
		if (max_h > b.h - keep - gap)
			max_h = b.h - keep - gap;
		int uh = urgent_panel(L, rect(b.x, b.y, b.w, 0), max_h, sh.urgent);
		*urgent = true;
		return rect(b.x, b.y + uh + gap, b.w, b.h - uh - gap);
	}
	if (!sh.banner && !sh.announcement && !sh.hours && !sh.n_notices)
		return b;
	/* the hint is a moment of action (a card about to be laid on the reader): the
	 * content steps aside until it goes */
	if (L->f->hint)
		return b;
	/* the accessible mode keeps attract to the welcome and the ways in, in large type; the
	 * bundle's news waits (an urgent message, above, still shows) */
	if (L->f->accessible)
		return b;
	int hh = sh.hours ? hours_height(L) : 0;
	SDL_Rect left = b;
	if (!L->v->portrait) {
		/* a column on the right: banner, announcement, hours */
		/* narrower beside a printer's notice, so the tiles keep their icons */
		int cw = b.w * (crowded ? 30 : 36) / 100, x = b.x + b.w - cw, y = b.y;
		int bottom = b.y + b.h;
		int ann_min = sh.announcement ? announcement_min_h(L) : 0;
		if (sh.hours) {
			hours(L, rect(x, bottom - hh, cw, hh), &sh);
			bottom -= hh + gap;
		}
		int bh = banner_h(sh.banner, cw, bottom - y - ann_min - (ann_min ? gap : 0));
		if (bh >= U(L, 12)) {
			banner(L, rect(x, y, cw, bh), sh.banner);
			y += bh + gap;
		}
		if (sh.announcement)
			announcement(L, rect(x, y, cw, bottom - y), &sh);
		left = rect(b.x, b.y, b.w - cw - gap, b.h);
	} else {
		/* a block at the bottom: the announcement across, banner and hours under it */
		int half = (b.w - gap) / 2, bh = banner_h(sh.banner, half, U(L, 30));
		if (bh < U(L, 12))
			bh = 0;
		int rh = bh > hh ? bh : hh,
		    ah = sh.announcement ? U(L, 22) + text_line_height(L->t, FONT_SMALL) : 0;
		int top = b.y + b.h - rh - (rh && ah ? gap : 0) - ah;
		if (ah)
			announcement(L, rect(b.x, top, b.w, ah), &sh);
		int y = top + ah + (ah ? gap : 0);
		if (bh)
			banner(L, rect(b.x, y + (rh - bh) / 2, hh ? half : b.w, bh), sh.banner);
		if (hh)
			hours(L,
			      rect(bh ? b.x + b.w - half : b.x, y + (rh - hh) / 2, bh ? half : b.w,
				   hh),
			      &sh);
		left = rect(b.x, b.y, b.w, top - gap - b.y);
	}
	/* The ways in share the rest with the welcome, a printer's notice and the card hint:
	 * while the hint or a printer's own notice shows, the bundle's notices wait, so the
	 * tiles keep room for their icons and labels. */
	int n = crowded ? 0 : CONTENT_SHOW_NOTICES;
	left.h -= notices(L, left, &sh, n);
	return left;
}

/* ---- nothing ready: where to apply ---------------------------------------------------- */

static const struct {
	const char *code, *id, *en;
} services[] = {
	{ "ktp-el", "KTP-el", "ID card" },
	{ "kk", "KK", "family card" },
	{ "kia", "KIA", "child ID card" },
	{ "akta-kelahiran", "akta kelahiran", "birth certificate" },
	{ "akta-kematian", "akta kematian", "death certificate" },
	{ "akta-perkawinan", "akta perkawinan", "marriage certificate" },
	{ "pindah-datang", "pindah datang", "change of address" },
};

static void handles_text(const struct content_item *it, char *id, char *en, size_t size)
{
	size_t ni = (size_t)snprintf(id, size, "%s", tr1("Handles:", "Melayani:"));
	size_t ne = (size_t)snprintf(en, size, "%s", tr2("Handles:"));
	for (size_t i = 0; i < it->nhandles; i++) {
		const char *hid = it->handles[i], *hen = it->handles[i];
		for (size_t k = 0; k < sizeof(services) / sizeof(services[0]); k++)
			if (strcmp(services[k].code, hid) == 0) {
				hid = tr1(services[k].en, services[k].id);
				hen = tr2(services[k].en);
				break;
			}
		ni += (size_t)snprintf(id + ni, ni < size ? size - ni : 0, "%s %s", i ? "," : "",
				       hid);
		ne += (size_t)snprintf(en + ne, ne < size ? size - ne : 0, "%s %s", i ? "," : "",
				       hen);
	}
}

/* An office's card at its least: its name and today's hours (a pair). */
static int office_card_min_h(struct layout *L)
{
	int need = 2 * U(L, 1.2f) + text_line_height(L->t, FONT_BODY_B) +
		   2 * text_line_height(L->t, FONT_SMALL);
	return need > U(L, 14) ? need : U(L, 14);
}

static void office_card(struct layout *L, SDL_Rect r, const struct content_item *it,
			const struct content_now *now)
{
	int pad = U(L, 1.2f), ls = text_line_height(L->t, FONT_SMALL);
	int lb = text_line_height(L->t, FONT_BODY_B);
	char f[VIEW_TEXT_MAX], spans[VIEW_TEXT_MAX], line[VIEW_TEXT_MAX], line_en[VIEW_TEXT_MAX];
	char id[VIEW_TEXT_MAX], en[VIEW_TEXT_MAX];

	card(L, r, L->p->surface, L->p->border);
	SDL_Rect in = rect(r.x + pad, r.y + pad, r.w - 2 * pad, r.h - 2 * pad);
	int y = in.y, bottom = in.y + in.h;
	/* name, address, hours today and what it handles; a short card gives the name one
	 * line and the address two */
	int full = 2 * lb + 7 * ls + U(L, 0.6f);
	fit(L, FONT_BODY_B, it->name, in.w, full <= in.h ? lb * 2 : lb, f);
	struct widget *wd =
	    label(L, rect(in.x, y, in.w, 0), FONT_BODY_B, L->p->primary_dk, ALIGN_LEFT, f);
	wd->wrap = true;
	wd->r.h = text_h(L, FONT_BODY_B, f, in.w);
	y += wd->r.h;

	bool holiday = false;
	for (size_t i = 0; i < it->nholidays; i++)
		holiday |= it->holidays[i].date == now->date;
	if (it->has_week && !holiday)
		content_view_spans(&it->week, now->wday, spans, sizeof(spans));
	else
		spans[0] = '\0';
	line[0] = line_en[0] = '\0';
	if (spans[0]) {
		snprintf(line, sizeof(line), tr1("Today: %s", "Hari ini %s"), spans);
		snprintf(line_en, sizeof(line_en), tr2("Today: %s"), spans);
	} else if (it->has_week) {
		snprintf(line, sizeof(line), "%s", tr1("Closed today", "Tutup hari ini"));
		snprintf(line_en, sizeof(line_en), "%s", tr2("Closed today"));
	}
	handles_text(it, id, en, sizeof(id));
	int hl = line[0] ? 2 * ls : 0;
	int addr_h = bottom - y - hl - (it->nhandles ? ls : 0) - U(L, 0.6f);
	if (addr_h > ls * 2)
		addr_h = ls * 2;
	if (addr_h >= ls) {
		fit(L, FONT_SMALL, it->address, in.w, addr_h, f);
		wd = label(L, rect(in.x, y, in.w, 0), FONT_SMALL, L->p->text, ALIGN_LEFT, f);
		wd->wrap = true;
		wd->r.h = text_h(L, FONT_SMALL, f, in.w);
		y += wd->r.h;
	}
	y += U(L, 0.6f);
	if (hl) {
		uint32_t c = spans[0] ? L->p->success : L->p->danger;
		y +=
		    heading(L, rect(in.x, y, in.w, 0), FONT_SMALL, FONT_SMALL, c, c, line, line_en);
	}
	if (it->nhandles && bottom - y >= ls) {
		wd = fitted_pair(L, rect(in.x, y, in.w, 0), bottom - y, FONT_SMALL, FONT_SMALL, id,
				 en);
		wd->colour = L->p->text_2;
	}
}

int screen_content_offices_min_h(struct layout *L)
{
	return heading_h(L, FONT_BODY_B, FONT_SMALL) + U(L, 1) + office_card_min_h(L);
}

bool screen_content_has_offices(const struct layout *L)
{
	struct content_show sh;
	if (!L->ctx->content)
		return false;
	content_view_select(L->ctx->content, (int64_t)L->ctx->now, &sh);
	return sh.n_offices > 0;
}

void screen_content_offices(struct layout *L, SDL_Rect r)
{
	struct content_show sh;
	int gap = U(L, SP_GAP);

	if (!L->ctx->content)
		return;
	content_view_select(L->ctx->content, (int64_t)L->ctx->now, &sh);
	if (!sh.n_offices || r.h < screen_content_offices_min_h(L))
		return;
	int y = r.y +
		heading(L, r, FONT_BODY_B, FONT_SMALL, L->p->text, L->p->text_2,
			tr1("Where to apply", "Tempat mengurus dokumen"), tr2("Where to apply")) +
		U(L, 1);
	int h = r.y + r.h - y;
	int n = sh.n_offices;
	/* side by side across the body; one above the other in portrait or in a column */
	if (!L->v->portrait && r.w >= L->body.w * 2 / 3) {
		if (n > 3)
			n = 3;
		int cw = (r.w - (n - 1) * gap) / n;
		for (int i = 0; i < n; i++)
			office_card(L, rect(r.x + i * (cw + gap), y, cw, h), sh.offices[i],
				    &sh.now);
		return;
	}
	int ch = (h - (n - 1) * gap) / n;
	if (ch > U(L, 34)) /* room for everything of a card, no more */
		ch = U(L, 34);
	while (n > 1 && ch < office_card_min_h(L)) {
		n--;
		ch = (h - (n - 1) * gap) / n;
	}
	for (int i = 0; i < n; i++)
		office_card(L, rect(r.x, y + i * (ch + gap), r.w, ch), sh.offices[i], &sh.now);
}
