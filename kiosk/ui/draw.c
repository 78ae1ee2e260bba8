/*
 * Painting a view onto an SDL surface: the kiosk's window surface, or a surface of the
 * screenshot harness. Software only, straight into the framebuffer: with no GPU this is
 * the cheapest path, and it lets the kiosk repaint and present only the rectangles that
 * changed (see performance-notes in docs/).
 *
 * Primitives are few: filled rectangles with anti-aliased round corners, borders, convex
 * polygons (for the check and warning icons) and blitted text. Surfaces must be 32 bits
 * per pixel, which every SDL window surface on Linux is.
 */
#include "draw.h"

#include <math.h>
#include <string.h>

struct canvas {
	SDL_Surface *s;
	SDL_Rect clip;
};

static inline uint32_t map(const SDL_Surface *s, uint32_t rgb)
{
	return SDL_MapRGB(s->format, (Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb);
}

static void fill(struct canvas *c, SDL_Rect r, uint32_t rgb)
{
	SDL_Rect clipped;
	if (r.w <= 0 || r.h <= 0 || !SDL_IntersectRect(&r, &c->clip, &clipped))
		return;
	SDL_FillRect(c->s, &clipped, map(c->s, rgb));
}

/* Blends rgb over one pixel with coverage a (0..1). */
static void blend_px(struct canvas *c, int x, int y, uint32_t rgb, float a)
{
	SDL_Point p = { x, y };
	if (a <= 0.0f || c->s->format->BytesPerPixel != 4 || !SDL_PointInRect(&p, &c->clip))
		return;
	uint32_t *px = (uint32_t *)((uint8_t *)c->s->pixels + y * c->s->pitch) + x;
	Uint8 r, g, b;
	SDL_GetRGB(*px, c->s->format, &r, &g, &b);
	if (a > 1.0f)
		a = 1.0f;
	float ia = 1.0f - a;
	*px = SDL_MapRGB(c->s->format, (Uint8)(((rgb >> 16) & 0xFF) * a + r * ia + 0.5f),
			 (Uint8)(((rgb >> 8) & 0xFF) * a + g * ia + 0.5f),
			 (Uint8)((rgb & 0xFF) * a + b * ia + 0.5f));
}

/* Horizontal span [x0, x1) at row y with fractional ends, anti-aliased. */
static void span(struct canvas *c, float x0, float x1, int y, uint32_t rgb)
{
	if (x1 <= x0)
		return;
	int ix0 = (int)ceilf(x0), ix1 = (int)floorf(x1);
	if (ix0 > ix1) { /* inside one pixel */
		blend_px(c, (int)floorf(x0), y, rgb, x1 - x0);
		return;
	}
	blend_px(c, ix0 - 1, y, rgb, (float)ix0 - x0);
	fill(c, (SDL_Rect){ ix0, y, ix1 - ix0, 1 }, rgb);
	blend_px(c, ix1, y, rgb, x1 - (float)ix1);
}

/* A filled rectangle whose corners are quarter circles of radius rad. */
static void round_rect(struct canvas *c, SDL_Rect r, int rad, uint32_t rgb)
{
	if (rad * 2 > r.w)
		rad = r.w / 2;
	if (rad * 2 > r.h)
		rad = r.h / 2;
	if (rad <= 0) {
		fill(c, r, rgb);
		return;
	}
	fill(c, (SDL_Rect){ r.x, r.y + rad, r.w, r.h - 2 * rad }, rgb);
	for (int i = 0; i < rad; i++) {
		/* Row i from the top edge: the circle's half-width at the row's centre. */
		float dy = (float)rad - ((float)i + 0.5f);
		float dx = sqrtf((float)(rad * rad) - dy * dy);
		float x0 = (float)(r.x + rad) - dx, x1 = (float)(r.x + r.w - rad) + dx;
		span(c, x0, x1, r.y + i, rgb);
		span(c, x0, x1, r.y + r.h - 1 - i, rgb);
	}
}

/* A border of width bw: the outer shape in colour, the inner one in fill. */
static void bordered(struct canvas *c, SDL_Rect r, int rad, int bw, uint32_t border, uint32_t inner)
{
	round_rect(c, r, rad, border);
	SDL_Rect in = { r.x + bw, r.y + bw, r.w - 2 * bw, r.h - 2 * bw };
	round_rect(c, in, rad > bw ? rad - bw : 0, inner);
}

/* A convex polygon, scanline filled with anti-aliased horizontal ends. */
static void polygon(struct canvas *c, const float *xy, int n, uint32_t rgb)
{
	float miny = xy[1], maxy = xy[1];
	for (int i = 1; i < n; i++) {
		miny = fminf(miny, xy[2 * i + 1]);
		maxy = fmaxf(maxy, xy[2 * i + 1]);
	}
	for (int y = (int)floorf(miny); y < (int)ceilf(maxy); y++) {
		float yc = (float)y + 0.5f, x0 = 1e9f, x1 = -1e9f;
		for (int i = 0; i < n; i++) {
			float ax = xy[2 * i], ay = xy[2 * i + 1];
			float bx = xy[2 * ((i + 1) % n)], by = xy[2 * ((i + 1) % n) + 1];
			if ((yc < ay) == (yc < by))
				continue;
			float x = ax + (yc - ay) * (bx - ax) / (by - ay);
			x0 = fminf(x0, x);
			x1 = fmaxf(x1, x);
		}
		span(c, x0, x1, y, rgb);
	}
}

/* A thick line as a quadrilateral. */
static void thick_line(struct canvas *c, float ax, float ay, float bx, float by, float w,
		       uint32_t rgb)
{
	float dx = bx - ax, dy = by - ay, len = sqrtf(dx * dx + dy * dy);
	if (len <= 0.0f)
		return;
	float nx = -dy / len * w / 2, ny = dx / len * w / 2;
	float q[8] = { ax + nx, ay + ny, bx + nx, by + ny, bx - nx, by - ny, ax - nx, ay - ny };
	polygon(c, q, 4, rgb);
}

/* ---- icons, drawn in a square r ---------------------------------------------------- */

static SDL_Rect sub(SDL_Rect r, float x, float y, float w, float h)
{
	return (SDL_Rect){ r.x + (int)(x * r.w), r.y + (int)(y * r.h), (int)(w * r.w),
			   (int)(h * r.h) };
}

static void icon_card(struct canvas *c, SDL_Rect r, uint32_t col, uint32_t bg)
{
	SDL_Rect card = sub(r, 0.0f, 0.18f, 1.0f, 0.64f);
	int bw = r.w / 28 + 1;
	bordered(c, card, r.w / 12, bw, col, bg);
	round_rect(c, sub(r, 0.12f, 0.36f, 0.2f, 0.16f), r.w / 40, 0xE0A800u); /* chip */
	fill(c, sub(r, 0.12f, 0.62f, 0.5f, 0.05f), col);
	fill(c, sub(r, 0.12f, 0.70f, 0.34f, 0.05f), col);
	/* contactless waves as three bars of rising height */
	for (int i = 0; i < 3; i++)
		round_rect(c,
			   sub(r, 0.66f + 0.08f * (float)i, 0.44f - 0.05f * (float)i, 0.04f,
			       0.14f + 0.1f * (float)i),
			   r.w / 60, col);
}

static void icon_keypad(struct canvas *c, SDL_Rect r, uint32_t col)
{
	float k = 0.26f, g = 0.07f;
	float x0 = (1.0f - 3 * k - 2 * g) / 2;
	float kh = 0.2f, gh = 0.05f;
	float y0 = (1.0f - 4 * kh - 3 * gh) / 2;
	for (int i = 0; i < 12; i++)
		round_rect(
		    c,
		    sub(r, x0 + (float)(i % 3) * (k + g), y0 + (float)(i / 3) * (kh + gh), k, kh),
		    r.w / 30, col);
}

static void finder(struct canvas *c, SDL_Rect r, float x, float y, float m, uint32_t col,
		   uint32_t bg)
{
	fill(c, sub(r, x, y, 7 * m, 7 * m), col);
	fill(c, sub(r, x + m, y + m, 5 * m, 5 * m), bg);
	fill(c, sub(r, x + 2 * m, y + 2 * m, 3 * m, 3 * m), col);
}

static void icon_qr(struct canvas *c, SDL_Rect r, uint32_t col, uint32_t bg)
{
	const float m = 1.0f / 21.0f; /* a version 1 symbol: 21 modules */
	/* A fixed pattern of data modules: decoration, not a code. */
	static const uint32_t rows[21] = {
		0x000000, 0x000000, 0x000500, 0x000a00, 0x001400, 0x000600, 0x000000,
		0x000200, 0x0ad5b4, 0x154a2a, 0x0b3596, 0x04ea6c, 0x19b552, 0x000d9a,
		0x0001a4, 0x00165a, 0x000b35, 0x0004e6, 0x0019d0, 0x000d2a, 0x00169c,
	};
	fill(c, r, bg);
	for (int y = 0; y < 21; y++)
		for (int x = 0; x < 21; x++)
			if (rows[y] >> (20 - x) & 1)
				fill(c, sub(r, (float)x * m, (float)y * m, m + 0.002f, m + 0.002f),
				     col);
	finder(c, r, 0, 0, m, col, bg);
	finder(c, r, 14 * m, 0, m, col, bg);
	finder(c, r, 0, 14 * m, m, col, bg);
}

static void icon_printer(struct canvas *c, SDL_Rect r, uint32_t col, uint32_t bg)
{
	int bw = r.w / 24 + 1;
	bordered(c, sub(r, 0.22f, 0.05f, 0.56f, 0.3f), 0, bw, col, bg);	 /* paper in */
	round_rect(c, sub(r, 0.0f, 0.3f, 1.0f, 0.4f), r.w / 14, col);	 /* body */
	bordered(c, sub(r, 0.22f, 0.58f, 0.56f, 0.38f), 0, bw, col, bg); /* paper out */
	fill(c, sub(r, 0.3f, 0.7f, 0.4f, 0.04f), col);
	fill(c, sub(r, 0.3f, 0.8f, 0.3f, 0.04f), col);
	round_rect(c, sub(r, 0.78f, 0.4f, 0.08f, 0.07f), r.w / 40, bg);
}

static void icon_check(struct canvas *c, SDL_Rect r, uint32_t col)
{
	float x = (float)r.x, y = (float)r.y, w = (float)r.w;
	thick_line(c, x + 0.1f * w, y + 0.52f * w, x + 0.4f * w, y + 0.8f * w, 0.13f * w, col);
	thick_line(c, x + 0.36f * w, y + 0.8f * w, x + 0.92f * w, y + 0.22f * w, 0.13f * w, col);
}

static void icon_warn(struct canvas *c, SDL_Rect r, uint32_t col, uint32_t bg)
{
	float x = (float)r.x, y = (float)r.y, w = (float)r.w;
	float tri[6] = { x + 0.5f * w,	y + 0.04f * w, x + 0.98f * w,
			 y + 0.92f * w, x + 0.02f * w, y + 0.92f * w };
	polygon(c, tri, 3, col);
	fill(c, sub(r, 0.455f, 0.32f, 0.09f, 0.34f), bg);
	fill(c, sub(r, 0.455f, 0.73f, 0.09f, 0.09f), bg);
}

static void icon_doc(struct canvas *c, SDL_Rect r, uint32_t col, uint32_t bg)
{
	int bw = r.w / 22 + 1;
	bordered(c, sub(r, 0.16f, 0.02f, 0.68f, 0.96f), r.w / 20, bw, col, bg);
	for (int i = 0; i < 4; i++)
		fill(c, sub(r, 0.28f, 0.22f + 0.16f * (float)i, i == 3 ? 0.26f : 0.44f, 0.05f),
		     col);
}

/* A loudspeaker and two sound waves: the "say it again" button. */
static void icon_speaker(struct canvas *c, SDL_Rect r, uint32_t col)
{
	float x = (float)r.x, y = (float)r.y, w = (float)r.w, h = (float)r.h;
	float cone[8] = { x + 0.30f * w, y + 0.36f * h, x + 0.52f * w, y + 0.14f * h,
			  x + 0.52f * w, y + 0.86f * h, x + 0.30f * w, y + 0.64f * h };
	fill(c, sub(r, 0.10f, 0.36f, 0.21f, 0.28f), col);
	polygon(c, cone, 4, col);
	for (int wave = 1; wave <= 2; wave++) { /* arcs of 100 degrees, as four segments */
		float rad = (0.14f + 0.16f * (float)wave) * w, cx = x + 0.50f * w,
		      cy = y + 0.5f * h;
		for (int i = 0; i < 4; i++) {
			float a0 = (-50.0f + 25.0f * (float)i) * 3.14159265f / 180.0f;
			float a1 = a0 + 25.0f * 3.14159265f / 180.0f;
			thick_line(c, cx + rad * cosf(a0), cy + rad * sinf(a0), cx + rad * cosf(a1),
				   cy + rad * sinf(a1), w * 0.07f, col);
		}
	}
}

/* The volume level: bars rising left to right, the first lit ones filled, the others
 * outlined (the level readable without colour). */
static void icon_level(struct canvas *c, SDL_Rect r, int lit, uint32_t col, uint32_t bg)
{
	int n = FLOW_VOLUME_LEVELS, gap = r.w / 12 + 1;
	int bw = (r.w - (n - 1) * gap) / n, line = r.w / 20 + 1;
	for (int i = 0; i < n; i++) {
		int h = r.h * (i + 2) / (n + 1);
		SDL_Rect b = { r.x + i * (bw + gap), r.y + r.h - h, bw, h };
		if (i < lit)
			fill(c, b, col);
		else
			bordered(c, b, 0, line, col, bg);
	}
}

static void draw_icon(struct canvas *c, const struct widget *wd)
{
	uint32_t bg = wd->has_fill ? wd->fill : COL_BG;
	switch (wd->icon) {
	case ICON_NONE:
		break;
	case ICON_CARD:
		icon_card(c, wd->icon_r, wd->icon_colour, bg);
		break;
	case ICON_KEYPAD:
		icon_keypad(c, wd->icon_r, wd->icon_colour);
		break;
	case ICON_QR:
		icon_qr(c, wd->icon_r, wd->icon_colour, bg);
		break;
	case ICON_PRINTER:
		icon_printer(c, wd->icon_r, wd->icon_colour, bg);
		break;
	case ICON_CHECK:
		icon_check(c, wd->icon_r, wd->icon_colour);
		break;
	case ICON_WARN:
		icon_warn(c, wd->icon_r, wd->icon_colour, bg);
		break;
	case ICON_DOC:
		icon_doc(c, wd->icon_r, wd->icon_colour, bg);
		break;
	case ICON_SPEAKER:
		icon_speaker(c, wd->icon_r, wd->icon_colour);
		break;
	case ICON_LEVEL:
		icon_level(c, wd->icon_r, wd->icon_level, wd->icon_colour, bg);
		break;
	}
}

/* ---- widgets ------------------------------------------------------------------------ */

static void blit_text(struct canvas *c, struct text *t, enum font_role role, uint32_t colour,
		      const char *s, int wrap_w, bool centre, SDL_Rect at, const SDL_Rect *bounds)
{
	SDL_Surface *ts = text_render(t, role, colour, s, wrap_w, centre);
	SDL_Rect clip;
	if (!ts || !SDL_IntersectRect(&c->clip, bounds, &clip))
		return;
	SDL_SetClipRect(c->s, &clip);
	SDL_BlitSurface(ts, NULL, c->s, &at);
	SDL_SetClipRect(c->s, &c->clip);
}

static void draw_widget(struct canvas *c, struct text *t, const struct widget *wd)
{
	SDL_Rect ignored;
	if (!SDL_IntersectRect(&wd->r, &c->clip, &ignored))
		return;
	uint32_t fillc = wd->fill;
	if (wd->pressed)
		fillc = wd->pressed_fill;
	if (wd->has_fill && wd->has_border)
		bordered(c, wd->r, wd->radius, (int)(wd->r.h > 400 ? 3 : 2), wd->border, fillc);
	else if (wd->has_fill)
		round_rect(c, wd->r, wd->radius, fillc);
	draw_icon(c, wd);
	if (wd->image) {
		/* scaled to its box once (content_view.c): a plain copy, centred */
		SDL_Rect at = { wd->r.x + (wd->r.w - wd->image->w) / 2,
				wd->r.y + (wd->r.h - wd->image->h) / 2, 0, 0 };
		SDL_BlitSurface(wd->image, NULL, c->s, &at);
	}
	if (!wd->text[0] && !wd->sub[0])
		return;
	SDL_Rect m, s;
	view_text_layout(wd, t, &m, &s);
	int wrap = wd->wrap ? wd->r.w - 2 * wd->pad : 0;
	bool centre = wd->align == ALIGN_CENTRE;
	if (wd->text[0])
		blit_text(c, t, wd->font, wd->colour, wd->text, wrap, centre, m, &wd->r);
	if (wd->sub[0])
		blit_text(c, t, wd->sub_font, wd->sub_colour, wd->sub, wrap, centre, s, &wd->r);
}

void draw_view(SDL_Surface *dst, const struct view *v, struct text *t, const SDL_Rect *area)
{
	struct canvas c = { dst, { 0, 0, dst->w, dst->h } };
	if (area && !SDL_IntersectRect(area, &c.clip, &c.clip))
		return;
	SDL_SetClipRect(dst, &c.clip);
	for (int i = 0; i < v->n; i++)
		draw_widget(&c, t, &v->items[i]);
	SDL_SetClipRect(dst, NULL);
}
