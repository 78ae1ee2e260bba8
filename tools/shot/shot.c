#include "shot.h"

#include "draw.h"
#include "i18n.h"
#include "scenario_content.h"
#include "scenario_thumbs.h"

#include <SDL_image.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool shot_init(void)
{
	/* Always headless: a screenshot must not depend on the developer's display. */
	SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		fprintf(stderr, "SDL offscreen video: %s\n", SDL_GetError());
		return false;
	}
	return true;
}

void shot_quit(void)
{
	SDL_Quit();
}

bool shot_languages(const char *assets, const char *second)
{
	char dir[700];
	if (!second)
		second = getenv("ADM_SECOND_LANGUAGE") ? getenv("ADM_SECOND_LANGUAGE") : "en";
	if (!i18n_find_dir(assets, dir, sizeof(dir)) || !i18n_init(dir, second) ||
	    strcmp(i18n_second_language(), second) != 0) {
		fprintf(stderr, "no catalogues for id and %s (ADM_LOCALE_DIR, ninja builds them)\n",
			second);
		return false;
	}
	return true;
}

/* Renders s at w x h; ctx_fix (if given) adjusts the scenario's context first. */
static SDL_Surface *render(const struct scenario *s, int w, int h, const char *assets,
			   void (*ctx_fix)(struct view_ctx *, void *), void *user,
			   struct view *view_out, struct text **text_out)
{
	SDL_Window *win = NULL;
	SDL_Surface *out = NULL;
	struct text *t = NULL;
	struct view *v = calloc(1, sizeof(*v));
	struct flow f;
	struct view_ctx ctx;

	if (!v)
		return NULL;
	win = SDL_CreateWindow("adm-shot", 0, 0, w, h, SDL_WINDOW_HIDDEN);
	SDL_Surface *surf = win ? SDL_GetWindowSurface(win) : NULL;
	if (!surf) {
		fprintf(stderr, "offscreen window %dx%d: %s\n", w, h, SDL_GetError());
		goto out;
	}
	t = text_create(assets, (float)(w < h ? w : h) / 100.0f);
	if (!t)
		goto out;
	scenario_run(s, &f, &ctx);
	struct content_view *own = ctx_fix ? NULL : scenario_content(s);
	ctx.content = own;
	ctx.thumbs = scenario_thumbs(s, &f, (float)(w < h ? w : h) / 100.0f);
	if (ctx_fix)
		ctx_fix(&ctx, user);
	view_build(v, w, h, &f, &ctx, t);
	draw_view(surf, v, t, NULL);
	content_view_destroy(own);
	thumbs_destroy(ctx.thumbs);
	out = SDL_ConvertSurfaceFormat(surf, SDL_PIXELFORMAT_ARGB8888, 0);
	if (view_out)
		*view_out = *v;
out:
	if (text_out && out)
		*text_out = t;
	else
		text_destroy(t);
	SDL_DestroyWindow(win);
	free(v);
	return out;
}

SDL_Surface *shot_render(const struct scenario *s, int w, int h, const char *assets,
			 struct view *view_out, struct text **text_out)
{
	return render(s, w, h, assets, NULL, NULL, view_out, text_out);
}

struct at {
	struct content_view *cv;
	int64_t now;
	int utc_offset_s;
};

static void set_content(struct view_ctx *ctx, void *user)
{
	const struct at *at = user;
	time_t local = (time_t)(at->now + at->utc_offset_s);
	ctx->content = at->cv;
	ctx->now = (time_t)at->now;
	/* no kiosk of the office's own: the footer says whose screen this is */
	ctx->kiosk_id = "PRATINJAU";
	ctx->location = "Pratinjau adm-bundle \xc2\xb7 Preview";
	gmtime_r(&local, &ctx->wall);
}

SDL_Surface *shot_render_content(const struct scenario *s, int w, int h, const char *assets,
				 struct content_view *cv, int64_t now, int utc_offset_s)
{
	struct at at = { cv, now, utc_offset_s };
	return render(s, w, h, assets, set_content, &at, NULL, NULL);
}

static double luminance(uint32_t rgb)
{
	double c[3] = { (rgb >> 16 & 255) / 255.0, (rgb >> 8 & 255) / 255.0, (rgb & 255) / 255.0 };
	for (int i = 0; i < 3; i++)
		c[i] = c[i] <= 0.04045 ? c[i] / 12.92 : pow((c[i] + 0.055) / 1.055, 2.4);
	return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

double shot_contrast(uint32_t a, uint32_t b)
{
	double la = luminance(a), lb = luminance(b);
	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

static inline int absdiff(int a, int b)
{
	return a > b ? a - b : b - a;
}

long shot_compare(SDL_Surface *actual, SDL_Surface *ref, int tol, SDL_Surface **diff)
{
	long bad = 0;

	if (diff)
		*diff = NULL;
	if (actual->w != ref->w || actual->h != ref->h)
		return (long)actual->w * actual->h;
	if (diff)
		*diff = SDL_CreateRGBSurfaceWithFormat(0, actual->w, actual->h, 32,
						       SDL_PIXELFORMAT_ARGB8888);
	for (int y = 0; y < actual->h; y++) {
		const uint32_t *a =
		    (const uint32_t *)((const uint8_t *)actual->pixels + y * actual->pitch);
		const uint32_t *r =
		    (const uint32_t *)((const uint8_t *)ref->pixels + y * ref->pitch);
		uint32_t *d = diff && *diff
				  ? (uint32_t *)((uint8_t *)(*diff)->pixels + y * (*diff)->pitch)
				  : NULL;
		for (int x = 0; x < actual->w; x++) {
			bool differs = false;
			for (int sh = 0; sh < 24; sh += 8)
				if (absdiff((int)(a[x] >> sh & 0xFF), (int)(r[x] >> sh & 0xFF)) >
				    tol)
					differs = true;
			bad += differs;
			if (d) {
				uint32_t g =
				    ((a[x] >> 16 & 0xFF) + (a[x] >> 8 & 0xFF) + (a[x] & 0xFF)) / 3;
				g = 192 + g / 4;
				d[x] = differs ? 0xFFFF0000u : 0xFF000000u | g << 16 | g << 8 | g;
			}
		}
	}
	return bad;
}

SDL_Surface *shot_load(const char *path)
{
	SDL_Surface *raw = IMG_Load(path);
	if (!raw)
		return NULL;
	SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
	SDL_FreeSurface(raw);
	return s;
}

bool shot_save(SDL_Surface *s, const char *path)
{
	/* RGB without alpha: smaller files, and what is on screen is opaque anyway. */
	SDL_Surface *rgb = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGB24, 0);
	bool ok = rgb && IMG_SavePNG(rgb, path) == 0;
	if (!ok)
		fprintf(stderr, "cannot write %s: %s\n", path, IMG_GetError());
	SDL_FreeSurface(rgb);
	return ok;
}
