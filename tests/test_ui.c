/*
 * Screens, rendered headless and checked:
 *  - every scenario matches its PNGs in tests/ui-ref at 1920x1080 and 1080x1920, all_sizes
 *    ones at 1366x768 too (small per-pixel tolerance);
 *    on a mismatch the actual image and a diff image go to the output folder;
 *  - at 1920x1080, 1366x768 and 1080x1920 every text fits its box and stays above the
 *    footer, every button is inside the screen, big enough for a finger and apart from the
 *    others;
 *  - the accessible mode's, the help and the volume buttons each in one place on every
 *    citizen screen (the volume's bars show the level; a muted kiosk has no volume button);
 *  - the layout that is drawn is the layout that is touched (hit-test -> flow action);
 *  - a clock tick repaints only the clock;
 *  - the keypads keep their words: a print PIN names its document, a wrong PIN the tries
 *    left, at every size in both themes;
 *  - nothing ready drops no line: at every size, in both themes, its pages show them all;
 *  - in both themes every text is at least 7:1 against what it is drawn on (WCAG 2 AAA),
 *    pressed buttons too, and citizen text is at least 32 px at 1080p (in proportion at
 *    the other sizes; the accessible mode 1.3 times that).
 *
 * Regenerate the references on purpose with: ninja -C build update-ui-refs
 */
#include "check.h"
#include "shot.h"

#include <string.h>
#include <sys/stat.h>

#define TOLERANCE      24 /* per channel */
#define MAX_BAD_PIXELS 40

static const char *ref_dir, *out_dir, *assets;

static void compare_ref(const struct scenario *s, int w, int h, SDL_Surface *actual)
{
	char ref_path[700], out_path[700], diff_path[700];
	SDL_Surface *diff = NULL;

	snprintf(ref_path, sizeof(ref_path), "%s/%s-%dx%d.png", ref_dir, s->name, w, h);
	snprintf(out_path, sizeof(out_path), "%s/%s-%dx%d.png", out_dir, s->name, w, h);
	snprintf(diff_path, sizeof(diff_path), "%s/%s-%dx%d.diff.png", out_dir, s->name, w, h);
	SDL_Surface *ref = shot_load(ref_path);
	if (!ref) {
		shot_save(actual, out_path);
		CHECK(false, "no reference %s (actual image in %s; ninja update-ui-refs makes it)",
		      ref_path, out_path);
		return;
	}
	long bad = shot_compare(actual, ref, TOLERANCE, &diff);
	if (bad > MAX_BAD_PIXELS) {
		shot_save(actual, out_path);
		if (diff)
			shot_save(diff, diff_path);
	}
	CHECK(bad <= MAX_BAD_PIXELS, "%s-%dx%d: %ld pixels differ (see %s and %s)", s->name, w, h,
	      bad, out_path, diff_path);
	SDL_FreeSurface(diff);
	SDL_FreeSurface(ref);
}

static bool inside(const SDL_Rect *in, const SDL_Rect *out, int slack)
{
	return in->x >= out->x - slack && in->y >= out->y - slack &&
	       in->x + in->w <= out->x + out->w + slack && in->y + in->h <= out->y + out->h + slack;
}

/* The footer's band: the last box across the whole width down to the bottom edge (the
 * screen's own background starts at the top). */
static int footer_index(const struct view *v)
{
	for (int i = v->n - 1; i >= 0; i--) {
		const SDL_Rect *r = &v->items[i].r;
		if (r->x == 0 && r->w == v->w && r->y > 0 && r->y + r->h == v->h)
			return i;
	}
	return -1;
}

/* No text of the screen's body runs under the footer, which is drawn over it. */
static void check_above_footer(const struct scenario *s, const struct view *v, struct text *t)
{
	int fi = footer_index(v);
	CHECK(fi > 0, "%s %dx%d: a footer", s->name, v->w, v->h);
	for (int i = 0; i < fi; i++) {
		const struct widget *wd = &v->items[i];
		SDL_Rect m, sub;
		if (!wd->text[0] && !wd->sub[0])
			continue;
		view_text_layout(wd, t, &m, &sub);
		int bottom = wd->sub[0] ? sub.y + sub.h : m.y + m.h;
		CHECK(bottom <= v->items[fi].r.y + 1,
		      "%s %dx%d: text '%.30s' runs under the footer", s->name, v->w, v->h,
		      wd->text[0] ? wd->text : wd->sub);
	}
}

static void check_layout(const struct scenario *s, const struct view *v, struct text *t)
{
	SDL_Rect screen = { 0, 0, v->w, v->h };
	int min_touch = (int)(v->unit * 6.0f);

	check_above_footer(s, v, t);

	for (int i = 0; i < v->n; i++) {
		const struct widget *wd = &v->items[i];
		if (wd->text[0] || wd->sub[0]) {
			SDL_Rect m, sub;
			view_text_layout(wd, t, &m, &sub);
			if (wd->text[0])
				CHECK(inside(&m, &wd->r, 1),
				      "%s %dx%d: text '%s' (%dx%d) overflows its box %dx%d",
				      s->name, v->w, v->h, wd->text, m.w, m.h, wd->r.w, wd->r.h);
			if (wd->sub[0])
				CHECK(inside(&sub, &wd->r, 1),
				      "%s %dx%d: text '%s' (%dx%d) overflows its box %dx%d",
				      s->name, v->w, v->h, wd->sub, sub.w, sub.h, wd->r.w, wd->r.h);
		}
		CHECK(inside(&wd->r, &screen, 0), "%s %dx%d: widget %d off screen", s->name, v->w,
		      v->h, i);
		if (!wd->tappable)
			continue;
		CHECK(wd->r.w >= min_touch && wd->r.h >= min_touch,
		      "%s %dx%d: button '%s' %dx%d is smaller than a finger (%d)", s->name, v->w,
		      v->h, wd->text, wd->r.w, wd->r.h, min_touch);
		/* no text of another widget runs into a button from outside it */
		for (int j = 0; j < v->n; j++) {
			const struct widget *o = &v->items[j];
			SDL_Rect m, sub;
			if (j == i || (!o->text[0] && !o->sub[0]))
				continue;
			view_text_layout(o, t, &m, &sub);
			for (int k = 0; k < 2; k++) {
				const SDL_Rect *tr = k ? &sub : &m;
				if (!(k ? o->sub[0] : o->text[0]) || inside(tr, &wd->r, 0))
					continue;
				CHECK(!SDL_HasIntersection(tr, &wd->r),
				      "%s %dx%d: text '%.30s' runs into button '%s'", s->name, v->w,
				      v->h, k ? o->sub : o->text, wd->text);
			}
		}
		for (int j = i + 1; j < v->n; j++) {
			const struct widget *o = &v->items[j];
			CHECK(!o->tappable || !SDL_HasIntersection(&wd->r, &o->r),
			      "%s %dx%d: buttons '%s' and '%s' overlap", s->name, v->w, v->h,
			      wd->text, o->text);
		}
	}
}

/* What a text is drawn on: its own fill, or the topmost filled widget under it. */
static uint32_t background(const struct view *v, int i, const SDL_Rect *at)
{
	for (int j = i; j >= 0; j--) {
		const struct widget *o = &v->items[j];
		if (o->has_fill && (j == i || inside(at, &o->r, 0)))
			return o->fill;
	}
	return 0xFFFFFFu;
}

static void check_contrast(const struct scenario *s, const struct view *v, int i, const char *what,
			   uint32_t colour, const SDL_Rect *at)
{
	const struct widget *wd = &v->items[i];
	uint32_t bg = background(v, i, at);
	double c = shot_contrast(colour, bg);
	CHECK(c >= 7.0, "%s %dx%d: '%.40s' %06X on %06X is %.2f:1 (< 7)", s->name, v->w, v->h, what,
	      colour, bg, c);
	if (wd->tappable && wd->has_fill) {
		c = shot_contrast(colour, wd->pressed_fill);
		CHECK(c >= 7.0, "%s %dx%d: '%.40s' pressed, %06X on %06X is %.2f:1 (< 7)", s->name,
		      v->w, v->h, what, colour, wd->pressed_fill, c);
	}
}

/* Citizen text: 32 px at 1080p for the shorter side, in proportion elsewhere; a
 * technician's at least 24 px. */
static void check_size(const struct scenario *s, const struct view *v, struct text *t,
		       enum font_role role, const char *what)
{
	bool citizen = strncmp(s->name, "technician", 10) != 0;
	float least = (citizen ? 32.0f : 24.0f) * (s->accessible ? THEME_LARGE_SCALE : 1.0f);
	int min_px = (int)(least * (float)(v->w < v->h ? v->w : v->h) / 1080.0f);
	int px = text_font_px(t, role);
	CHECK(px >= min_px, "%s %dx%d: '%.40s' is %d px (< %d)", s->name, v->w, v->h, what, px,
	      min_px);
}

static void check_access(const struct scenario *s, const struct view *v, struct text *t)
{
	for (int i = 0; i < v->n; i++) {
		const struct widget *wd = &v->items[i];
		SDL_Rect m, sub;
		if (!wd->text[0] && !wd->sub[0])
			continue;
		view_text_layout(wd, t, &m, &sub);
		if (wd->text[0]) {
			check_contrast(s, v, i, wd->text, wd->colour, &m);
			check_size(s, v, t, wd->font, wd->text);
		}
		if (wd->sub[0]) {
			check_contrast(s, v, i, wd->sub, wd->sub_colour, &sub);
			check_size(s, v, t, wd->sub_font, wd->sub);
		}
	}
}

/* Whether a text or second line of the view holds what. */
static bool shows(const struct view *v, const char *what)
{
	for (int i = 0; i < v->n; i++)
		if (strstr(v->items[i].text, what) || strstr(v->items[i].sub, what))
			return true;
	return false;
}

/* The keypad's words never give way to the keys, in large text neither: a print PIN names
 * its document and the QR that stands in for it (several ticked: which one is asked for),
 * the account PIN whose account it is, a wrong one the tries left, the NIK's keypad where
 * the NIK is printed. */
static void check_keypad_words(const struct scenario *s, const struct view *v)
{
	struct flow f;
	struct view_ctx ctx;
	char id[64], en[64];

	scenario_run(s, &f, &ctx);
	if (f.help)
		return; /* the help panel covers the keypad */
	if (f.state == FLOW_AUTHORISE) {
		const struct flow_doc *d = &f.s.docs[f.s.chosen];
		CHECK(shows(v, d->title_id) && shows(v, d->title_en),
		      "%s %dx%d: the print PIN names its document '%s' / '%s'", s->name, v->w, v->h,
		      d->title_id, d->title_en);
		CHECK(shows(v, "Atau pindai kode QR") && shows(v, "Or scan its print QR"),
		      "%s %dx%d: the print PIN says its QR code will do", s->name, v->w, v->h);
	} else if (f.state == FLOW_VERIFY) {
		size_t n = strlen(f.s.nik);
		snprintf(id, sizeof(id),
			 "NIK \u2022\u2022\u2022\u2022 \u2022\u2022\u2022\u2022 "
			 "\u2022\u2022\u2022\u2022 %s.",
			 f.s.nik + (n >= 4 ? n - 4 : 0));
		CHECK(shows(v, id), "%s %dx%d: the account PIN says whose account", s->name, v->w,
		      v->h);
		if (f.error == ERR_PIN_WRONG && f.s.pin_tries_left >= 0) {
			snprintf(id, sizeof(id), "Sisa percobaan: %d.", f.s.pin_tries_left);
			snprintf(en, sizeof(en), "Tries left: %d.", f.s.pin_tries_left);
			CHECK(shows(v, id) && shows(v, en),
			      "%s %dx%d: a wrong PIN says the tries left", s->name, v->w, v->h);
		}
	} else if (f.state == FLOW_NIK_ENTRY && f.error == ERR_NONE) {
		/* a refused NIK's reason may take the explanation's room: it says what to do */
		CHECK(shows(v, "16 angka") && shows(v, "16 digits"),
		      "%s %dx%d: the NIK's keypad says where the NIK is", s->name, v->w, v->h);
	}
}

static int find_action(const struct view *v, enum flow_action a, int arg);

/* The accessible mode's button and the help button: on every citizen screen, each in one
 * place per size and theme (the help button in the header, where no countdown covers it). */
static void check_fixed_button(const struct scenario *s, const struct view *v, int k,
			       enum flow_action a, const char *what)
{
	static SDL_Rect first[3][2][8];
	static bool seen[3][2][8];
	bool citizen = strncmp(s->name, "technician", 10) != 0;
	int i = find_action(v, a, 0), b = a == ACT_HELP ? 1 : a == ACT_VOLUME ? 2 : 0;
	/* the countdown's banner covers the speaker and the volume (footer_geom) */
	bool shown = citizen && !(a == ACT_VOLUME && strcmp(s->base, "countdown") == 0);

	CHECK((i >= 0) == shown, "%s %dx%d: %s is %s", s->name, v->w, v->h, what,
	      shown ? "missing" : "shown");
	if (i < 0 || k >= 8)
		return;
	const SDL_Rect *r = &v->items[i].r;
	CHECK(view_hit(v, r->x + r->w / 2, r->y + r->h / 2) == i, "%s %dx%d: %s hit", s->name, v->w,
	      v->h, what);
	if (!seen[b][s->accessible][k]) {
		seen[b][s->accessible][k] = true;
		first[b][s->accessible][k] = *r;
	}
	const SDL_Rect *f0 = &first[b][s->accessible][k];
	CHECK(f0->x == r->x && f0->y == r->y && f0->w == r->w && f0->h == r->h,
	      "%s %dx%d: %s moved", s->name, v->w, v->h, what);
}

static void check_accessible_button(const struct scenario *s, const struct view *v, int k)
{
	check_fixed_button(s, v, k, ACT_ACCESSIBLE, "the accessible mode's button");
	check_fixed_button(s, v, k, ACT_HELP, "the help button");
	check_fixed_button(s, v, k, ACT_VOLUME, "the volume button");
	int i = find_action(v, ACT_VOLUME, 0);
	int want =
	    strcmp(s->base, "verify-louder") == 0 ? FLOW_VOLUME_LEVELS : FLOW_VOLUME_DEFAULT + 1;
	CHECK(i < 0 || (v->items[i].icon == ICON_LEVEL && v->items[i].icon_level == want),
	      "%s %dx%d: the volume button shows %d bars lit, not %d", s->name, v->w, v->h,
	      i < 0 ? 0 : v->items[i].icon_level, want);
}

/* A muted kiosk ([audio] mute) has no volume button; the speaker stays (the prompt is
 * also the screen's words, read again by the staff's test tools). */
static void check_muted(int w, int h)
{
	struct view *v = calloc(1, sizeof(*v));
	struct text *t = text_create(assets, (float)(w < h ? w : h) / 100.0f);
	struct flow f;
	struct view_ctx ctx;
	scenario_run(scenario_find("verify"), &f, &ctx);
	ctx.muted = true;
	view_build(v, w, h, &f, &ctx, t);
	CHECK(find_action(v, ACT_VOLUME, 0) < 0, "%dx%d muted: no volume button", w, h);
	CHECK(find_action(v, ACT_REPEAT, 0) >= 0, "%dx%d muted: the speaker stays", w, h);
	text_destroy(t);
	free(v);
}

static int find_action(const struct view *v, enum flow_action a, int arg)
{
	for (int i = 0; i < v->n; i++)
		if (v->items[i].tappable && v->items[i].action == a && v->items[i].arg == arg)
			return i;
	return -1;
}

/* Taps the centre of the widget carrying an action: the hit-test must give it back, and
 * the flow must move. */
static void check_touch(int w, int h)
{
	struct view *v = calloc(1, sizeof(*v));
	struct text *t = NULL;
	SDL_Surface *s = shot_render(scenario_find("attract"), w, h, assets, v, &t);
	struct flow f;
	struct view_ctx ctx;
	struct flow_effects fx;

	CHECK(s != NULL, "attract renders");
	if (!s)
		return;
	int i = find_action(v, ACT_START_NIK, 0);
	CHECK(i >= 0, "attract has a 'type your NIK' button");
	if (i >= 0) {
		const SDL_Rect *r = &v->items[i].r;
		int hit = view_hit(v, r->x + r->w / 2, r->y + r->h / 2);
		CHECK(hit == i, "%dx%d: the NIK tile is hit where it is drawn", w, h);
		scenario_run(scenario_find("attract"), &f, &ctx);
		struct flow_event ev =
		    flow_ev_action(v->items[hit].action, v->items[hit].arg, 2000000);
		flow_step(&f, &ev, &fx);
		CHECK(f.state == FLOW_NIK_ENTRY, "%dx%d: tapping it opens the keypad", w, h);
		CHECK(view_hit(v, 1, 1) == -1, "the header is not a button");
	}
	SDL_FreeSurface(s);
	text_destroy(t);

	/* The keypad: the key drawn with "7" types a 7. */
	t = NULL;
	s = shot_render(scenario_find("nik-entry"), w, h, assets, v, &t);
	i = find_action(v, ACT_DIGIT, 7);
	CHECK(i >= 0 && strcmp(v->items[i].text, "7") == 0, "key 7 is labelled 7");
	if (i >= 0) {
		const SDL_Rect *r = &v->items[i].r;
		CHECK(view_hit(v, r->x + 2, r->y + r->h - 2) == i, "key 7's corner is key 7");
	}
	SDL_FreeSurface(s);
	text_destroy(t);
	free(v);
}

/* Several documents by touch: the rows tick where they are drawn, and "print 2 selected"
 * asks the first ticked one's PIN. Each touch is a hit-test of the view then drawn. */
static void tap_action(struct flow *f, const struct view_ctx *ctx, enum flow_action a, int arg,
		       int w, int h)
{
	struct view *v = calloc(1, sizeof(*v));
	struct text *t = text_create(assets, (float)(w < h ? w : h) / 100.0f);
	struct flow_effects fx;

	view_build(v, w, h, f, ctx, t);
	int i = find_action(v, a, arg);
	CHECK(i >= 0, "%dx%d: a button for %s %d", w, h, flow_action_name(a), arg);
	if (i >= 0) {
		const SDL_Rect *r = &v->items[i].r;
		int hit = view_hit(v, r->x + r->w / 2, r->y + r->h / 2);
		CHECK(hit == i, "%dx%d: %s %d is hit where it is drawn", w, h, flow_action_name(a),
		      arg);
		struct flow_event ev =
		    flow_ev_action(v->items[hit].action, v->items[hit].arg, f->now_ms + 100);
		flow_step(f, &ev, &fx);
	}
	text_destroy(t);
	free(v);
}

static void check_ticks(int w, int h)
{
	struct flow f;
	struct view_ctx ctx;
	scenario_run(scenario_find("documents"), &f, &ctx);
	tap_action(&f, &ctx, ACT_TICK_DOC, 0, w, h);
	tap_action(&f, &ctx, ACT_TICK_DOC, 3, w, h);
	CHECK(f.s.docs[0].ticked && f.s.docs[3].ticked, "%dx%d: two rows ticked by touch", w, h);
	tap_action(&f, &ctx, ACT_PRINT_TICKED, 0, w, h);
	CHECK(f.state == FLOW_AUTHORISE && f.s.chosen == 0,
	      "%dx%d: 'print 2 selected' asks the first one's PIN", w, h);
}

/* Nothing ready drops no line at any size, in large text too: the pages ("Lainnya", by
 * touch) show every one of them, and the last page leads back to the first. */
static void check_nothing_pages(const char *scenario, int w, int h)
{
	static const char *const lines[] = { "KTP-el: sedang diproses", "Kartu Identitas Anak:",
					     "Kartu Keluarga Anda kedaluwarsa",
					     "Untuk dokumen lain",
					     "Anda akan menerima notifikasi" };
	bool seen[sizeof(lines) / sizeof(lines[0])] = { false };
	struct view *v = calloc(1, sizeof(*v));
	struct text *t = text_create(assets, (float)(w < h ? w : h) / 100.0f);
	struct flow f;
	struct view_ctx ctx;
	int pages = 0;

	scenario_run(scenario_find(scenario), &f, &ctx);
	for (; pages < 8; pages++) {
		view_build(v, w, h, &f, &ctx, t);
		for (int i = 0; i < v->n; i++)
			for (size_t k = 0; k < sizeof(lines) / sizeof(lines[0]); k++)
				seen[k] |= strstr(v->items[i].text, lines[k]) != NULL;
		int more = -1;
		for (int i = 0; i < v->n; i++)
			if (v->items[i].tappable && v->items[i].action == ACT_MORE_DOCS)
				more = i;
		if (more < 0 || v->items[more].arg == 0)
			break; /* all on one page, or the last page */
		tap_action(&f, &ctx, ACT_MORE_DOCS, v->items[more].arg, w, h);
	}
	for (size_t k = 0; k < sizeof(lines) / sizeof(lines[0]); k++)
		CHECK(seen[k], "%s %dx%d: '%s' shown on one of %d pages", scenario, w, h, lines[k],
		      pages + 1);
	text_destroy(t);
	free(v);
}

/* One second later only the clock changes: the repaint is one small rectangle. */
static void check_idle_repaint(void)
{
	struct view *a = calloc(2, sizeof(*a)), *b = a + 1;
	struct text *t = text_create(assets, 10.8f);
	struct flow f;
	struct view_ctx ctx;
	SDL_Rect rects[16];

	scenario_run(scenario_find("attract"), &f, &ctx);
	view_build(a, 1920, 1080, &f, &ctx, t);
	ctx.wall.tm_sec++;
	view_build(b, 1920, 1080, &f, &ctx, t);
	int n = view_diff(a, b, rects, 16);
	CHECK(n == 1, "one rectangle to repaint (%d)", n);
	if (n == 1)
		CHECK(rects[0].w * rects[0].h < 1920 * 1080 / 50,
		      "the clock's rectangle is small (%dx%d)", rects[0].w, rects[0].h);
	CHECK(view_diff(a, a, rects, 16) == 0, "nothing changed, nothing repainted");
	CHECK(view_diff(NULL, a, rects, 16) == 1 && rects[0].w == 1920, "first frame: all");
	text_destroy(t);
	free(a);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: test-ui REF_DIR OUT_DIR ASSETS_DIR\n");
		return 2;
	}
	ref_dir = argv[1];
	out_dir = argv[2];
	assets = argv[3];
	mkdir(out_dir, 0755);
	/* the texts from the catalogues: the references then show they carry today's texts */
	if (!shot_init() || !shot_languages(assets, "en"))
		return 1;

	for (int i = 0; i < n_scenarios; i++) {
		const struct scenario *s = &scenarios[i];
		for (int k = 0; k < n_screen_sizes; k++) {
			int w = screen_sizes[k].w, h = screen_sizes[k].h;
			struct view *v = calloc(1, sizeof(*v));
			struct text *t = NULL;
			SDL_Surface *img = shot_render(s, w, h, assets, v, &t);
			CHECK(img != NULL, "%s %dx%d renders", s->name, w, h);
			if (img) {
				check_layout(s, v, t);
				check_access(s, v, t);
				check_accessible_button(s, v, k);
				check_keypad_words(s, v);
				if (scenario_referenced(s, k))
					compare_ref(s, w, h, img);
			}
			SDL_FreeSurface(img);
			text_destroy(t);
			free(v);
		}
	}
	for (int k = 0; k < n_screen_sizes; k++) {
		check_touch(screen_sizes[k].w, screen_sizes[k].h);
		check_muted(screen_sizes[k].w, screen_sizes[k].h);
		check_ticks(screen_sizes[k].w, screen_sizes[k].h);
		check_nothing_pages("nothing-ready", screen_sizes[k].w, screen_sizes[k].h);
		check_nothing_pages("nothing-ready-large", screen_sizes[k].w, screen_sizes[k].h);
	}
	check_idle_repaint();
	shot_quit();
	return check_done();
}
