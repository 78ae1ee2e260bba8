/*
 * adm-catalogue: every text the screens look up in the catalogues (catalogue.h), for
 * tools/update-po.py and the catalogue test.
 *
 *   adm-catalogue [--assets DIR] [--locale DIR [--second LANG]] [--views FILE] LOOKUPS
 *   adm-catalogue [--assets DIR] [--locale DIR] --time SCENARIO
 *
 * LOOKUPS gets one line per distinct lookup: line (1 or 2), the English msgid, the
 * Indonesian fallback (line 1) and whether the catalogue had it, tab separated. With
 * --locale the catalogues there are bound (else none: every lookup misses). --views
 * writes what every view shows: its name, then each widget's two lines. --time prints
 * how long the scenario's layout takes, with the catalogues of --locale or without any.
 */
#include "catalogue.h"
#include "i18n.h"
#include "text.h"

#include <getopt.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tabs, newlines and backslashes escaped, so a record is one line. */
static void put(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\t')
			fputs("\\t", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else if (*s == '\\')
			fputs("\\\\", out);
		else
			fputc(*s, out);
	}
}

struct seen {
	FILE *out;
	void *tree; /* tsearch() of the records written */
};

static void on_lookup(void *user, int line, const char *en, const char *id, bool found)
{
	struct seen *s = user;
	char *key;
	if (asprintf(&key, "%d\t%s\t%s\t%d", line, en, id ? id : "", found) < 0)
		return;
	char **node = tsearch(key, &s->tree, (int (*)(const void *, const void *))strcmp);
	if (!node || *node != key) { /* known already, or no memory */
		free(key);
		return;
	}
	fprintf(s->out, "%d\t", line);
	put(s->out, en);
	fputc('\t', s->out);
	put(s->out, id);
	fprintf(s->out, "\t%d\n", found);
}

static void on_view(void *user, const char *name, const struct view *v)
{
	FILE *out = user;
	fprintf(out, "= %s %dx%d\n", name, v->w, v->h);
	for (int i = 0; i < v->n; i++) {
		if (!v->items[i].text[0] && !v->items[i].sub[0])
			continue;
		put(out, v->items[i].text);
		fputc('\t', out);
		put(out, v->items[i].sub);
		fputc('\n', out);
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "assets", required_argument, NULL, 'a' },
		{ "locale", required_argument, NULL, 'l' },
		{ "second", required_argument, NULL, 's' },
		{ "views", required_argument, NULL, 'v' },
		{ "time", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const char *assets_opt = NULL, *locale = NULL, *second = "en", *views = NULL, *timed = NULL;
	char assets[512];
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			assets_opt = optarg;
			break;
		case 'l':
			locale = optarg;
			break;
		case 's':
			second = optarg;
			break;
		case 'v':
			views = optarg;
			break;
		case 't':
			timed = optarg;
			break;
		default:
			return 2;
		}
	}
	if (optind != argc - !timed) {
		fprintf(stderr,
			"usage: adm-catalogue [--assets DIR] [--locale DIR [--second LANG]] "
			"[--views FILE] LOOKUPS\n");
		return 2;
	}
	if (!text_find_assets(assets_opt, assets, sizeof(assets))) {
		fprintf(stderr, "adm-catalogue: no fonts found (--assets DIR)\n");
		return 2;
	}
	if (locale && (!i18n_init(locale, second) || strcmp(i18n_second_language(), second))) {
		fprintf(stderr, "adm-catalogue: no catalogues for id and %s in %s\n", second,
			locale);
		return 1;
	}
	if (timed) {
		double first = 0, us = catalogue_layout_us(assets, timed, 2000, &first);
		printf("%s layout at 1920x1080, %s: first %.1f us, then %.1f us\n", timed,
		       locale ? "catalogues" : "no catalogues", first, us);
		return us < 0;
	}
	struct seen seen = { fopen(argv[optind], "w"), NULL };
	FILE *vf = views ? fopen(views, "w") : NULL;
	if (!seen.out || (views && !vf)) {
		perror("adm-catalogue");
		return 1;
	}
	i18n_observe(on_lookup, &seen);
	bool ok = catalogue_walk(assets, vf ? on_view : NULL, vf);
	i18n_observe(NULL, NULL);
	ok &= fclose(seen.out) == 0;
	if (vf)
		ok &= fclose(vf) == 0;
	tdestroy(seen.tree, free);
	return ok ? 0 : 1;
}
