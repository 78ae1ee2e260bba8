/*
 * bench-frames: frame times of every screen tools/shot knows, at 1920x1080, in the normal
 * theme and in the accessible one (larger text, high contrast), side by side
 * (docs/benchmarks.md, issue 13).
 *
 *   bench-frames [--frames R] [--size WxH] [--assets DIR] [SCENARIO...]
 *
 * Drawing is the kiosk's own (view_build, view_diff, draw_view into the window surface,
 * SDL_UpdateWindowSurface[Rects]) on SDL's offscreen driver with the software framebuffer,
 * as adm-kiosk draws there and as performance-notes.md measured it: this times the
 * kiosk's work, not a display server's copy (under X11 a full 1080p XShmPutImage adds
 * ~10 ms, the same for every screen). Three frames per screen, R times each:
 *   enter:   the screen drawn whole with its text cache emptied (text_forget: every string
 *            shaped and rendered, as when the screen first appears in a visit);
 *   repaint: the screen drawn whole again, strings cached (an expose, a content switch);
 *   tick:    the clock's next second: only the rectangles that differ, as every second.
 * Each theme has its own text (fonts, caches), as a kiosk keeps one for the whole visit;
 * a citizen screen and its accessible twin alternate frame by frame, the first of each
 * pair alternating, so both meet the same machine. Each frame's wall time and the
 * thread's CPU time for it are kept: on a shared machine the wall time's tail is mostly
 * waiting for a core, the CPU time is what the frame costs. One Markdown row per screen.
 */
#include "config.h"
#include "draw.h"
#include "scenario_content.h"
#include "scenarios.h"
#include "shot.h"
#include "stats.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_ENTER, F_REPAINT, F_TICK, F_N };

struct cost {
	double wall, cpu;
};

struct theme_run {
	const struct scenario *s;
	struct flow f;
	struct view_ctx ctx;
	struct content_view *content;
	struct text *text;
	struct view views[2];
	double *t[F_N], *cpu[F_N];
};

static SDL_Window *win;
static SDL_Surface *surf;
static int W = 1920, H = 1080;

static bool run_open(struct theme_run *r, const struct scenario *s, const char *assets, int n)
{
	memset(r, 0, sizeof(*r));
	r->s = s;
	scenario_run(s, &r->f, &r->ctx);
	r->content = scenario_content(s);
	r->ctx.content = r->content;
	r->text = text_create(assets, (float)(W < H ? W : H) / 100.0f);
	bool ok = r->text != NULL;
	for (int i = 0; i < F_N; i++) {
		r->t[i] = calloc((size_t)n, sizeof(double));
		r->cpu[i] = calloc((size_t)n, sizeof(double));
		ok = ok && r->t[i] && r->cpu[i];
	}
	return ok;
}

static void run_close(struct theme_run *r)
{
	content_view_destroy(r->content);
	text_destroy(r->text);
	for (int i = 0; i < F_N; i++) {
		free(r->t[i]);
		free(r->cpu[i]);
	}
}

static struct cost full(struct theme_run *r)
{
	double a = stats_now_ms(), c = stats_cpu_ms();
	view_build(&r->views[0], W, H, &r->f, &r->ctx, r->text);
	draw_view(surf, &r->views[0], r->text, NULL);
	SDL_UpdateWindowSurface(win);
	return (struct cost){ stats_now_ms() - a, stats_cpu_ms() - c };
}

/* The next second on the clock; returns the frame's time. */
static struct cost tick(struct theme_run *r)
{
	SDL_Rect dirty[16];
	r->ctx.now++;
	r->ctx.wall.tm_sec = (r->ctx.wall.tm_sec + 1) % 60;
	double a = stats_now_ms(), c = stats_cpu_ms();
	view_build(&r->views[1], W, H, &r->f, &r->ctx, r->text);
	int n = view_diff(&r->views[0], &r->views[1], dirty, 16);
	for (int i = 0; i < n; i++)
		draw_view(surf, &r->views[1], r->text, &dirty[i]);
	if (n)
		SDL_UpdateWindowSurfaceRects(win, dirty, n);
	struct cost t = { stats_now_ms() - a, stats_cpu_ms() - c };
	r->views[0] = r->views[1];
	return t;
}

static void keep(struct theme_run *r, int kind, int i, struct cost c)
{
	r->t[kind][i] = c.wall;
	r->cpu[kind][i] = c.cpu;
}

static void frame(struct theme_run *r, int i)
{
	text_forget(r->text);
	keep(r, F_ENTER, i, full(r));
	keep(r, F_REPAINT, i, full(r));
	keep(r, F_TICK, i, tick(r));
}

/* p99 of the wall time (bold) and of the CPU time, for each kind of frame */
static void cells(struct theme_run *r, int n)
{
	for (int k = 0; k < F_N; k++)
		printf(k == F_TICK ? " **%.2f** (%.2f) |" : " **%.1f** (%.1f) |",
		       stats_quantile(r->t[k], n, 0.99), stats_quantile(r->cpu[k], n, 0.99));
}

static bool named(const char *name, int argc, char **argv)
{
	if (optind == argc)
		return true;
	for (int a = optind; a < argc; a++)
		if (strcmp(argv[a], name) == 0)
			return true;
	return false;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "frames", required_argument, NULL, 'n' },
		{ "size", required_argument, NULL, 's' },
		{ "assets", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	int n = 100, c, bad = 0;
	const char *assets_opt = NULL;
	char assets[512];
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'n')
			n = atoi(optarg);
		else if (c == 's' && config_parse_window(optarg, &W, &H) && W > 0)
			continue;
		else if (c == 'a')
			assets_opt = optarg;
		else {
			fprintf(stderr, "usage: bench-frames [--frames R] [--size WxH] "
					"[--assets DIR] [SCENARIO...]\n");
			return 2;
		}
	}
	if (n < 1 || !text_find_assets(assets_opt, assets, sizeof(assets))) {
		fprintf(stderr, "bench-frames: no fonts found (--assets DIR), or no frames\n");
		return 2;
	}
	if (!shot_init())
		return 1;
	win = SDL_CreateWindow("bench-frames", 0, 0, W, H, SDL_WINDOW_HIDDEN);
	surf = win ? SDL_GetWindowSurface(win) : NULL;
	if (!surf)
		return 1;
	printf("%dx%d, offscreen driver, software framebuffer; %d frames of each kind per "
	       "screen and theme; load average %s\n\n",
	       W, H, n, stats_load());
	printf("ms, p99 of the wall time (**bold**) and (of the CPU time)\n\n");
	printf("| screen | normal: enter | repaint | tick | accessible: enter | repaint | "
	       "tick |\n| --- | --- | --- | --- | --- | --- | --- |\n");
	for (int i = 0; i < n_scenarios; i++) {
		const struct scenario *s = &scenarios[i];
		if (s->accessible || !named(s->name, argc, argv))
			continue; /* a twin runs beside its normal screen */
		char large[96];
		snprintf(large, sizeof(large), "%s-large", s->name);
		const struct scenario *twin = scenario_find(large);
		struct theme_run r[2];
		bool ok =
		    run_open(&r[0], s, assets, n) && (!twin || run_open(&r[1], twin, assets, n));
		if (!ok) {
			fprintf(stderr, "bench-frames: cannot set up %s\n", s->name);
			return 1;
		}
		full(&r[0]); /* fonts opened, as in a running kiosk */
		if (twin)
			full(&r[1]);
		for (int k = 0; k < n; k++) {
			bool twin_first = twin && k % 2;
			if (twin_first)
				frame(&r[1], k);
			frame(&r[0], k);
			if (twin && !twin_first)
				frame(&r[1], k);
		}
		printf("| %s |", s->name);
		cells(&r[0], n);
		if (twin)
			cells(&r[1], n);
		else
			printf(" (one look) | | |");
		printf("\n");
		bad += r[0].views[0].n == 0 || (twin && r[1].views[0].n == 0);
		run_close(&r[0]);
		if (twin)
			run_close(&r[1]);
	}
	printf("\nload average at the end %s\n", stats_load());
	SDL_DestroyWindow(win);
	shot_quit();
	return bad ? 1 : 0;
}
