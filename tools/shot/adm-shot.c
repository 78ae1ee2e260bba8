/*
 * adm-shot: renders kiosk screens to PNG without a display.
 *
 *   adm-shot [--out DIR] [--size WxH] [--refs] [SCENARIO...]
 *
 * With no scenario, renders all. --refs renders exactly the reference set the ui test
 * compares against (every scenario at 1920x1080 and 1080x1920, some at 1366x768 too) into
 * DIR, which is how `ninja -C build update-ui-refs` regenerates tests/ui-ref on purpose.
 */
#include "config.h"
#include "shot.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int render_one(const struct scenario *s, int w, int h, const char *dir, const char *assets)
{
	char path[700];
	SDL_Surface *surf = shot_render(s, w, h, assets, NULL, NULL);

	if (!surf)
		return 1;
	snprintf(path, sizeof(path), "%s/%s-%dx%d.png", dir, s->name, w, h);
	bool ok = shot_save(surf, path);
	SDL_FreeSurface(surf);
	if (ok)
		printf("%s\n", path);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "size", required_argument, NULL, 's' },
		{ "refs", no_argument, NULL, 'r' },
		{ "list", no_argument, NULL, 'l' },
		{ "assets", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = ".", *assets_opt = NULL;
	int w = 0, h = 0, c, failed = 0;
	bool refs = false;
	char assets[512];

	while ((c = getopt_long(argc, argv, "o:s:a:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			dir = optarg;
			break;
		case 's':
			if (!config_parse_window(optarg, &w, &h) || w == 0) {
				fprintf(stderr, "adm-shot: --size takes WIDTHxHEIGHT\n");
				return 2;
			}
			break;
		case 'r':
			refs = true;
			break;
		case 'a':
			assets_opt = optarg;
			break;
		case 'l':
			for (int i = 0; i < n_scenarios; i++)
				printf("%s\n", scenarios[i].name);
			return 0;
		default:
			fprintf(stderr, "usage: adm-shot [--out DIR] [--size WxH] [--refs] "
					"[--list] [SCENARIO...]\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (!text_find_assets(assets_opt, assets, sizeof(assets))) {
		fprintf(stderr, "adm-shot: no fonts found (--assets DIR)\n");
		return 2;
	}
	if (!shot_init() || !shot_languages(assets, NULL))
		return 1;
	for (int i = 0; i < n_scenarios; i++) {
		const struct scenario *s = &scenarios[i];
		bool named = optind == argc;
		for (int a = optind; a < argc; a++)
			named |= strcmp(argv[a], s->name) == 0;
		if (!named)
			continue;
		for (int k = 0; k < n_screen_sizes; k++) {
			int sw = screen_sizes[k].w, sh = screen_sizes[k].h;
			if (w && (sw != w || sh != h))
				continue;
			if (refs && !scenario_referenced(s, k))
				continue;
			failed |= render_one(s, sw, sh, dir, assets);
		}
		if (w && !(w == 1920 && h == 1080) && !(w == 1366 && h == 768) &&
		    !(w == 1080 && h == 1920))
			failed |= render_one(s, w, h, dir, assets);
	}
	for (int a = optind; a < argc; a++)
		if (!scenario_find(argv[a])) {
			fprintf(stderr, "adm-shot: no scenario '%s' (see --list)\n", argv[a]);
			failed = 1;
		}
	shot_quit();
	return failed;
}
