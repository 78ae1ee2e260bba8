/*
 * The content bundle on the kiosk's screens (suites content and ui), with the real screen
 * code, the real manifest parser and, for preview, the real adm-bundle:
 *  - dayparting at a mocked clock changes what the attract screen draws (an item outside
 *    its hours is not drawn; a window crossing midnight; a holiday closes the hours);
 *  - an expired bundle keeps opening hours and offices, hides time-bound items and never
 *    blanks the screen; a clock reset to 1970 still shows the valid items;
 *  - the urgent message leaves every way in touchable (hit-test, then the flow moves);
 *  - an idle second repaints the clock only, a rotation a few small rectangles;
 *  - texts at their caps fit their boxes at every size;
 *  - adm-bundle preview writes the PNGs, and they are the kiosk's own scenarios' pixels.
 *
 *   test-content-screens CASE ASSETS_DIR ADM_BUNDLE OUT_DIR
 */
#include "check.h"
#include "content_load.h"
#include "fixture.h"
#include "scenario_content.h"
#include "shot.h"

#include <SDL_image.h>
#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The scenarios' clock: Monday 17 August 2026, 09:41:07 WIB (UTC+7). */
#define MON_0941 1786934467LL
#define WIB	 (7 * 3600)
/* Local WIB time on a day after the scenarios' Monday (0: that Monday). */
#define AT(day, hh, mm) (MON_0941 - (9 * 3600 + 41 * 60 + 7) + (day)*86400LL + (hh)*3600 + (mm)*60)

static const char *assets, *adm_bundle, *out_dir;

struct screen {
	struct view v;
	struct text *t;
};

/* Builds the scenario's screen with content cv at the clock now, w x h. */
static void build(struct screen *s, const char *scenario, struct content_view *cv, int64_t now,
		  int w, int h)
{
	struct flow f;
	struct view_ctx ctx;
	if (!s->t)
		s->t = text_create(assets, (float)(w < h ? w : h) / 100.0f);
	scenario_run(scenario_find(scenario), &f, &ctx);
	ctx.content = cv;
	ctx.now = (time_t)now;
	view_build(&s->v, w, h, &f, &ctx, s->t);
}

static bool has_text(const struct view *v, const char *needle)
{
	for (int i = 0; i < v->n; i++)
		if (strstr(v->items[i].text, needle) || strstr(v->items[i].sub, needle))
			return true;
	return false;
}

static int images(const struct view *v)
{
	int n = 0;
	for (int i = 0; i < v->n; i++)
		n += v->items[i].image != NULL;
	return n;
}

/* Whether needle shows in any of the next rotation slots from now. */
static bool rotates_in(struct screen *s, struct content_view *cv, int64_t now, const char *needle)
{
	for (int k = 0; k < 4; k++) {
		build(s, "attract", cv, now + k * CONTENT_ROTATE_S, 1920, 1080);
		if (has_text(&s->v, needle))
			return true;
	}
	return false;
}

/* json with every from replaced by to (a copy to free). */
static char *replace(const char *json, const char *from, const char *to)
{
	size_t n = strlen(json) + 1, lf = strlen(from), lt = strlen(to);
	for (const char *p = json; (p = strstr(p, from)); p += lf)
		n += lt;
	char *out = malloc(n), *o = out;
	for (const char *p = json, *q; *p; p = q + lf) {
		q = strstr(p, from);
		if (!q) {
			strcpy(o, p);
			break;
		}
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		memcpy(o, to, lt + 1);
		o += lt;
	}
	return out;
}

static struct content_view *view_of(const char *json)
{
	struct content_view *cv = scenario_content_view(json, 0);
	CHECK(cv != NULL, "the test's manifest parses");
	return cv;
}

static void t_dayparting(void)
{
	struct screen s = { 0 };
	const char *json = scenario_content_json("attract-content");
	struct content_view *cv = view_of(json);
	if (!cv)
		return;

	/* the morning announcement (06:00-12:00) rotates in at 09:41, never at 13:00 */
	CHECK(rotates_in(&s, cv, MON_0941, "Antrean loket pagi"), "morning item at 09:41");
	CHECK(rotates_in(&s, cv, MON_0941, "Kini KIA"), "all-day item at 09:41");
	CHECK(!rotates_in(&s, cv, AT(0, 13, 0), "Antrean loket pagi"), "morning item at 13:00");
	CHECK(rotates_in(&s, cv, AT(0, 13, 0), "Kini KIA"), "all-day item at 13:00");
	/* opening hours: open, then closed for the day, then a Sunday without spans */
	build(&s, "attract", cv, MON_0941, 1920, 1080);
	CHECK(has_text(&s.v, "Buka sekarang"), "open at 09:41 on a Monday");
	build(&s, "attract", cv, AT(0, 12, 30), 1920, 1080);
	CHECK(has_text(&s.v, "Tutup sekarang"), "closed over lunch");
	build(&s, "attract", cv, AT(6, 10, 0), 1920, 1080);
	CHECK(has_text(&s.v, "Tutup hari ini"), "closed on Sunday");
	content_view_destroy(cv);

	/* a holiday today: closed, with its name */
	char *hol = replace(json, "2026-12-25", "2026-08-17");
	cv = view_of(hol);
	build(&s, "attract", cv, MON_0941, 1920, 1080);
	CHECK(has_text(&s.v, "Tutup: Hari Raya Natal"), "a holiday closes the hours");
	CHECK(!has_text(&s.v, "08:00\xe2\x80\x93"), "and its spans are not shown");
	content_view_destroy(cv);
	free(hol);

	/* Fridays 22:00-02:00 (crossing midnight) and a banner for office hours only */
	char *a =
	    replace(json, "\"hours\": {\"from\": \"06:00\", \"until\": \"12:00\"}",
		    "\"days\": [\"fri\"], \"hours\": {\"from\": \"22:00\", \"until\": \"02:00\"}");
	char *night = replace(a, "\"alt\": {",
			      "\"hours\": {\"from\": \"08:00\", \"until\": \"15:00\"}, \"alt\": {");
	cv = view_of(night);
	static const struct {
		int day, hh;
		bool shows;
		const char *when;
	} cases[] = {
		{ 4, 23, true, "Friday 23:00" },  { 5, 1, true, "Saturday 01:00" },
		{ 4, 1, false, "Friday 01:00" },  { 5, 3, false, "Saturday 03:00" },
		{ 4, 21, false, "Friday 21:00" }, { 6, 1, false, "Sunday 01:00" },
	};
	for (size_t i = 0; cv && i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(rotates_in(&s, cv, AT(cases[i].day, cases[i].hh, 0), "Antrean loket pagi") ==
			  cases[i].shows,
		      "the night item %s at %s", cases[i].shows ? "shows" : "does not show",
		      cases[i].when);
	build(&s, "attract", cv, AT(0, 10, 0), 1920, 1080);
	CHECK(images(&s.v) == 1, "the banner is drawn at 10:00 (%d)", images(&s.v));
	build(&s, "attract", cv, AT(0, 16, 0), 1920, 1080);
	CHECK(images(&s.v) == 0, "the banner is not drawn at 16:00 (%d)", images(&s.v));
	content_view_destroy(cv);
	free(a);
	free(night);
	text_destroy(s.t);
}

static void t_expired(void)
{
	struct screen s = { 0 };
	struct content_view *cv = view_of(scenario_content_json("attract-urgent"));
	if (!cv)
		return;
	int64_t after = AT(49, 10, 0); /* Monday 5 October: the bundle expired on 30 September */

	build(&s, "attract", cv, MON_0941, 1920, 1080);
	CHECK(has_text(&s.v, "PENTING") && images(&s.v) == 0, "valid: the urgent message");
	build(&s, "attract", cv, after, 1920, 1080);
	CHECK(!has_text(&s.v, "PENTING"), "expired: no urgent message");
	CHECK(!has_text(&s.v, "Pengumuman") && images(&s.v) == 0,
	      "expired: no announcement, banner");
	CHECK(!has_text(&s.v, "Pencetakan KTP-el"), "expired: no notice");
	CHECK(has_text(&s.v, "Jam layanan") && has_text(&s.v, "08:00\xe2\x80\x93"
							      "12:00"),
	      "expired: the opening hours stay");
	CHECK(has_text(&s.v, "Selamat datang") && has_text(&s.v, "Ketik NIK"),
	      "expired: the screen is not blank");
	build(&s, "nothing-ready", cv, after, 1080, 1920);
	CHECK(has_text(&s.v, "Where to apply") && has_text(&s.v, "Disdukcapil Kabupaten Contoh"),
	      "expired: the offices stay");
	/* a clock reset to 1970: now is the bundle's created (1 August), items valid then show */
	build(&s, "attract", cv, 0, 1920, 1080);
	CHECK(has_text(&s.v, "PENTING"), "a 1970 clock still shows the valid urgent message");
	content_view_destroy(cv);
	text_destroy(s.t);
}

static int find_action(const struct view *v, enum flow_action a)
{
	for (int i = 0; i < v->n; i++)
		if (v->items[i].tappable && v->items[i].action == a)
			return i;
	return -1;
}

/* a inside b, a pixel of slack for rounding */
static bool inside(const SDL_Rect *a, const SDL_Rect *b)
{
	return a->x >= b->x - 1 && a->y >= b->y - 1 && a->x + a->w <= b->x + b->w + 1 &&
	       a->y + a->h <= b->y + b->h + 1;
}

static void t_urgent_touch(void)
{
	static const enum flow_action ways[3] = { ACT_CARD_HINT, ACT_START_NIK, ACT_START_QR };
	static const enum flow_state after[3] = { FLOW_ATTRACT, FLOW_NIK_ENTRY, FLOW_QR_WAIT };
	const char *names[6] = { "attract-urgent",	    "attract-content",
				 "attract-content-hint",    "attract-content-a4-down",
				 "attract-content-crowded", "attract-urgent-crowded" };

	for (int n = 0; n < 6; n++)
		for (int k = 0; k < n_screen_sizes; k++) {
			int w = screen_sizes[k].w, h = screen_sizes[k].h;
			struct view *v = calloc(1, sizeof(*v));
			struct text *t = NULL;
			SDL_Surface *img =
			    shot_render(scenario_find(names[n]), w, h, assets, v, &t);
			CHECK(img != NULL, "%s renders", names[n]);
			int panel = -1;
			bool hint = false;
			for (int i = 0; i < v->n; i++) {
				if (v->items[i].has_fill && v->items[i].fill == COL_URGENT)
					panel = i;
				hint |= strncmp(v->items[i].text, "Letakkan KTP-el", 15) == 0;
			}
			/* the urgent message shows, or (no room for both) steps aside while the
			 * card hint, asked for, shows */
			bool urgent = strstr(names[n], "urgent") != NULL;
			CHECK(urgent ? panel >= 0 || hint : panel < 0, "%s %dx%d: urgent panel %d",
			      names[n], w, h, panel);
			/* high contrast: every text on the panel at AAA (7:1) */
			for (int i = panel + 1; panel >= 0 && i < v->n; i++) {
				const struct widget *wd = &v->items[i];
				if (!SDL_HasIntersection(&wd->r, &v->items[panel].r))
					continue;
				double c1 = shot_contrast(wd->colour, COL_URGENT);
				double c2 = shot_contrast(wd->sub_colour, COL_URGENT);
				CHECK(!wd->text[0] || c1 >= 7.0, "urgent text '%.30s' at %.2f:1",
				      wd->text, c1);
				CHECK(!wd->sub[0] || c2 >= 7.0, "urgent text '%.30s' at %.2f:1",
				      wd->sub, c2);
			}
			SDL_Rect screen = { 0, 0, w, h };
			for (int i = 0; i < 3; i++) {
				int j = find_action(v, ways[i]);
				CHECK(j >= 0, "%s %dx%d: way in %d is there", names[n], w, h, i);
				if (j < 0)
					continue;
				SDL_Rect r = v->items[j].r, in;
				CHECK(SDL_IntersectRect(&r, &screen, &in) &&
					  SDL_RectEquals(&in, &r),
				      "way in %d is on screen", i);
				CHECK(r.w >= v->unit * 6 && r.h >= v->unit * 6,
				      "%s %dx%d: way in %d is big enough for a finger (%dx%d)",
				      names[n], w, h, i, r.w, r.h);
				CHECK(panel < 0 || !SDL_HasIntersection(&r, &v->items[panel].r),
				      "%s %dx%d: the urgent panel does not cover way in %d",
				      names[n], w, h, i);
				/* nothing drawn after it covers its centre */
				SDL_Point c = { r.x + r.w / 2, r.y + r.h / 2 };
				bool covered = false;
				for (int o = j + 1; o < v->n; o++)
					covered |= v->items[o].has_fill &&
						   SDL_PointInRect(&c, &v->items[o].r);
				CHECK(!covered, "way in %d is not painted over", i);
				/* its icon and label are inside it, not spilling over its edge */
				for (int o = 0; o < v->n; o++) {
					const struct widget *x = &v->items[o];
					if (o == j || !(x->text[0] || x->sub[0]) ||
					    !SDL_HasIntersection(&x->r, &r))
						continue;
					CHECK(inside(&x->r, &r),
					      "%s %dx%d: '%.30s' spills over way in %d", names[n],
					      w, h, x->text, i);
				}
				CHECK(v->items[j].icon == ICON_NONE ||
					  inside(&v->items[j].icon_r, &r),
				      "%s %dx%d: way in %d's icon is inside it", names[n], w, h, i);
				CHECK(view_hit(v, c.x, c.y) == j,
				      "%s %dx%d: way in %d is hit where drawn", names[n], w, h, i);
				struct flow f;
				struct view_ctx ctx;
				struct flow_effects fx;
				scenario_run(scenario_find(names[n]), &f, &ctx);
				struct flow_event ev = flow_ev_action(ways[i], 0, 2000000);
				flow_step(&f, &ev, &fx);
				CHECK(f.state == after[i] && (i || f.hint),
				      "%s: tapping way in %d moves the flow (state %d)", names[n],
				      i, f.state);
			}
			SDL_FreeSurface(img);
			text_destroy(t);
			free(v);
		}
}

static void t_idle_repaint(void)
{
	struct view *a = calloc(2, sizeof(*a)), *b = a + 1;
	struct text *t = text_create(assets, 10.8f);
	SDL_Rect rects[16];
	struct flow f;
	struct view_ctx ctx;
	struct content_view *cv = view_of(scenario_content_json("attract-content"));
	if (!cv || !t)
		return;
	/* one second inside a rotation slot, then across the slot's end */
	int64_t t0 = MON_0941 - MON_0941 % CONTENT_ROTATE_S + 2;
	scenario_run(scenario_find("attract"), &f, &ctx);
	ctx.content = cv;
	ctx.now = (time_t)t0;
	view_build(a, 1920, 1080, &f, &ctx, t);
	ctx.now = (time_t)(t0 + 1);
	ctx.wall.tm_sec++;
	view_build(b, 1920, 1080, &f, &ctx, t);
	int n = view_diff(a, b, rects, 16);
	CHECK(n == 1 && rects[0].w * rects[0].h < 1920 * 1080 / 50,
	      "an idle second repaints the clock alone (%d rectangles, first %dx%d)", n,
	      n ? rects[0].w : 0, n ? rects[0].h : 0);
	/* the rotation: the announcement card changes, the rest stays */
	ctx.now = (time_t)(t0 - 2 + CONTENT_ROTATE_S);
	view_build(b, 1920, 1080, &f, &ctx, t);
	n = view_diff(a, b, rects, 16);
	long area = 0;
	for (int i = 0; i < n; i++)
		area += (long)rects[i].w * rects[i].h;
	CHECK(n >= 1 && area < 1920L * 1080 / 5,
	      "a rotation repaints a few small rectangles (%d, %ld px)", n, area);
	CHECK(has_text(a, "Kini KIA") != has_text(b, "Kini KIA"), "and it did rotate");
	content_view_destroy(cv);
	text_destroy(t);
	free(a);
}

/* Texts at their caps (title 120, text 1000, address 300 bytes; long words too). */
static void t_long_texts(void)
{
	char title[121], text[1001], addr[301], word[61];
	for (size_t i = 0; i < 120; i++)
		title[i] = "Kependudukan "[i % 13];
	title[119] = 'x'; /* no space at the end */
	title[120] = '\0';
	for (size_t i = 0; i < 1000; i++)
		text[i] = "Pelayanan administrasi "[i % 23];
	text[999] = 'x';
	text[1000] = '\0';
	for (size_t i = 0; i < 300; i++)
		addr[i] = "Jl. Percontohan Panjang No. 123, "[i % 33];
	addr[299] = 'x';
	addr[300] = '\0';
	memset(word, 'W', 60); /* one word wider than a card's line */
	word[60] = '\0';
	char *jsons[2];
	const char *bases[2] = { "attract-urgent", "attract-content" };
	for (int n = 0; n < 2; n++) {
		char *j1 = replace(scenario_content_json(bases[n]),
				   "Kini KIA bisa dicetak di anjungan", title);
		char *j2 = replace(
		    j1, "Tempelkan KTP-el orang tua, pilih KIA anak, lalu masukkan PIN.", text);
		char *j3 = replace(j2, "Jl. Pelayanan No. 3", addr);
		char *j4 = replace(j3, "Kantor Kecamatan Contoh Selatan", word);
		char *j5 = replace(j4, "Kantor Disdukcapil tutup hari ini", title);
		jsons[n] = replace(j5,
				   "Karena banjir, semua loket tutup. Anjungan ini tetap melayani "
				   "cetak dokumen.",
				   text);
		free(j1), free(j2), free(j3), free(j4), free(j5);
	}
	const char *scr[2] = { "attract", "nothing-ready" };
	bool cut = false;
	for (int n = 0; n < 2; n++) {
		struct content_view *cv = view_of(jsons[n]);
		for (int sc = 0; cv && sc < 2; sc++)
			for (int k = 0; k < n_screen_sizes; k++) {
				struct screen s = { 0 };
				int w = screen_sizes[k].w, h = screen_sizes[k].h;
				build(&s, scr[sc], cv, MON_0941, w, h);
				for (int i = 0; i < s.v.n; i++) {
					const struct widget *wd = &s.v.items[i];
					SDL_Rect m, sub;
					cut |= strstr(wd->text, "\xe2\x80\xa6") != NULL;
					if (!wd->text[0] && !wd->sub[0])
						continue;
					view_text_layout(wd, s.t, &m, &sub);
					CHECK(!wd->text[0] || inside(&m, &wd->r),
					      "%s %dx%d: '%.40s' overflows %dx%d", scr[sc], w, h,
					      wd->text, wd->r.w, wd->r.h);
					CHECK(!wd->sub[0] || inside(&sub, &wd->r),
					      "%s %dx%d: '%.40s' overflows %dx%d", scr[sc], w, h,
					      wd->sub, wd->r.w, wd->r.h);
				}
				CHECK(find_action(&s.v, sc ? ACT_FINISH : ACT_START_NIK) >= 0,
				      "%s %dx%d keeps its button", scr[sc], w, h);
				text_destroy(s.t);
			}
		content_view_destroy(cv);
	}
	CHECK(cut, "long texts are cut with an ellipsis");
	free(jsons[0]);
	free(jsons[1]);
}

/* ---- preview ---------------------------------------------------------------------------- */

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;
	if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n)) && fread(buf, 1, (size_t)n, f) == (size_t)n)
		*len = (size_t)n;
	if (f)
		fclose(f);
	return buf;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	CHECK(f && fwrite(data, 1, len, f) == len, "write %s", path);
	if (f)
		fclose(f);
}

/* Both images the same above the footer (the footer names the kiosk, or "preview"). */
static void same_screen(const char *png, const char *scenario, int w, int h)
{
	SDL_Surface *got = shot_load(png);
	SDL_Surface *want = shot_render(scenario_find(scenario), w, h, assets, NULL, NULL);
	CHECK(got && want, "%s and %s load", png, scenario);
	if (!got || !want)
		return;
	SDL_Rect foot = { 0, h - (int)((float)(w < h ? w : h) / 100.0f * (FOOTER_U + 1)), w, h };
	SDL_FillRect(got, &foot, 0);
	SDL_FillRect(want, &foot, 0);
	long bad = shot_compare(got, want, 4, NULL);
	CHECK(bad == 0, "%s: %ld pixels differ from scenario %s", png, bad, scenario);
	SDL_FreeSurface(got);
	SDL_FreeSurface(want);
}

static void t_preview(void)
{
	struct fx fx;
	char path[1200], kr_path[1024], b_path[1024], pv[1024], reason[CONTENT_REASON_MAX];
	fx_init(&fx);

	/* the keyring: the office may publish to the scenarios' region */
	json_t *kr = fx_keyring_json(1, fx.root, 3, 2);
	json_object_set_new(kr, "created", json_string("2026-07-01T00:00:00Z"));
	fx_keyring_add(kr, "dukcapil-3201", &fx.office, "32.01", false);
	char *text = json_dumps(kr, JSON_COMPACT);
	struct content_blob b = { .kind = CONTENT_BLOB_KEYRING,
				  .payload = (unsigned char *)text,
				  .len = strlen(text) };
	content_blob_sign(&b, fx.root[0].sk);
	content_blob_sign(&b, fx.root[1].sk);
	snprintf(kr_path, sizeof(kr_path), "%.1000s/keyring", out_dir);
	FILE *f = fopen(kr_path, "wb");
	CHECK(f && content_blob_write(f, &b) == 0, "keyring written");
	if (f)
		fclose(f);
	content_blob_finish(&b);
	json_decref(kr);

	/* the scenario's manifest with the real PNG of its banner */
	SDL_Surface *banner = scenario_content_banner(1080, 600);
	snprintf(path, sizeof(path), "%.1000s/banner.png", out_dir);
	CHECK(banner && shot_save(banner, path), "banner PNG");
	SDL_FreeSurface(banner);
	struct fx_image img = { .w = 1080, .h = 600, .type = "png" };
	img.data = slurp(path, &img.len);
	unsigned char digest[32];
	char hex[65];
	crypto_hash_sha256(digest, img.data, img.len);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	json_error_t e;
	json_t *m = json_loads(scenario_content_json("attract-content"), 0, &e);
	json_t *file = json_array_get(json_object_get(m, "files"), 0);
	json_object_set_new(file, "sha256", json_string(hex));
	json_object_set_new(file, "length", json_integer((json_int_t)img.len));
	struct fx_file ff = { "banner-kia.png", &img };
	size_t len;
	unsigned char *bundle = fx_bundle_json(m, &fx.office, &ff, 1, &len);
	snprintf(b_path, sizeof(b_path), "%.1000s/content.admb", out_dir);
	write_file(b_path, bundle, len);
	free(bundle);
	json_decref(m);
	free(img.data);

	/* the kiosk's loader accepts it for a kiosk of 32.01 at the scenarios' clock */
	content_keyring *k = NULL;
	const char *chain[1] = { kr_path };
	CHECK(content_keyring_load_chain(chain, 1, &k, reason, sizeof(reason)) == 0, "keyring: %s",
	      reason);
	struct content_policy p = { .kiosk_id = "ADM-3201-007",
				    .region = "32.01",
				    .wall_now = MON_0941 };
	struct content_view *cv = NULL;
	CHECK(content_load_bundle_file(b_path, k, &p, WIB, &cv, reason, sizeof(reason)) == 0,
	      "the kiosk's loader: %s", reason);
	p.region = "32.73";
	struct content_view *other = NULL;
	CHECK(content_load_bundle_file(b_path, k, &p, WIB, &other, reason, sizeof(reason)) ==
		      CONTENT_E_SCOPE &&
		  !other,
	      "another region's kiosk refuses it");
	content_view_destroy(cv);
	content_keyring_free(k);

	snprintf(pv, sizeof(pv), "%.1000s/preview", out_dir);
	pid_t pid = fork();
	if (pid == 0) {
		execl(adm_bundle, adm_bundle, "preview", b_path, "--keyring", kr_path, "--out", pv,
		      "--at", "2026-08-17T02:41:07Z", "--assets", assets, (char *)NULL);
		_exit(127);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "adm-bundle preview exits 0 (%d)",
	      status);
	static const struct {
		const char *png, *scenario;
		int w, h;
	} pairs[] = {
		{ "attract-1920x1080", "attract-content", 1920, 1080 },
		{ "attract-1080x1920", "attract-content", 1080, 1920 },
		{ "nothing-ready-1920x1080", "nothing-ready-offices", 1920, 1080 },
		{ "nothing-ready-1080x1920", "nothing-ready-offices", 1080, 1920 },
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s.png", pv, pairs[i].png);
		same_screen(path, pairs[i].scenario, pairs[i].w, pairs[i].h);
	}
	fx_finish(&fx);
}

int main(int argc, char **argv)
{
	static const struct fx_case cases[] = {
		{ "screen-dayparting", t_dayparting },
		{ "screen-expired", t_expired },
		{ "screen-urgent-touch", t_urgent_touch },
		{ "screen-idle-repaint", t_idle_repaint },
		{ "screen-long-texts", t_long_texts },
		{ "preview", t_preview },
	};
	if (argc < 5) {
		fprintf(stderr, "usage: test-content-screens CASE ASSETS_DIR ADM_BUNDLE OUT_DIR\n");
		return 2;
	}
	assets = argv[2];
	adm_bundle = argv[3];
	out_dir = argv[4];
	mkdir(out_dir, 0755);
	if (!shot_init())
		return 1;
	int rc = fx_run_cases(cases, sizeof(cases) / sizeof(cases[0]), 2, argv);
	shot_quit();
	return rc ? rc : check_done();
}
