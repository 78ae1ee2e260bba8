/*
 * Fonts, measuring and the rendered-text cache (text.h). The cache holds what screens
 * showed, a citizen's name among it, so text_forget() wipes it whole (strings and pixels)
 * when a visit ends.
 */
#include "text.h"

#include "adm-config.h"
#include "log.h"

#include <SDL_ttf.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CACHE_SIZE     96
#define CACHE_TEXT_MAX 192

struct cached {
	SDL_Surface *surface;
	uint64_t used; /* frame of last use; 0 = empty */
	enum font_role role;
	uint32_t colour;
	int wrap_w;
	bool centre;
	char s[CACHE_TEXT_MAX];
};

/* Measured sizes, direct-mapped by hash: a screen is laid out every second (the clock),
 * and measuring wrapped paragraphs word by word is most of that work. */
#define SIZES 256
struct measured {
	uint32_t hash;
	int role, wrap_w, w, h;
	char s[CACHE_TEXT_MAX];
};

struct text {
	struct measured sizes[SIZES];
	char assets[512];
	float unit_px;
	float scale;	    /* 1, or the accessible mode's larger text */
	void *file_data[2]; /* regular, bold */
	size_t file_len[2];
	TTF_Font *fonts[FONT_ROLE_COUNT];
	struct cached cache[CACHE_SIZE];
	uint64_t clock;
};

static const char *const font_files[2] = { "NotoSans-Regular.ttf", "NotoSans-Bold.ttf" };

bool text_find_assets(const char *dir, char *out, size_t outlen)
{
	const char *candidates[] = { dir, getenv("ADM_ASSETS_DIR"), ADM_ASSETS_DIR,
				     ADM_SOURCE_ASSETS_DIR };
	char probe[600];

	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		if (!candidates[i] || !candidates[i][0])
			continue;
		snprintf(probe, sizeof(probe), "%s/fonts/%s", candidates[i], font_files[0]);
		if (access(probe, R_OK) == 0) {
			snprintf(out, outlen, "%s", candidates[i]);
			return true;
		}
		if (i == 0) /* an explicit folder without fonts is an error, not a hint */
			return false;
	}
	return false;
}

struct text *text_create(const char *assets_dir, float unit_px)
{
	struct text *t = calloc(1, sizeof(*t));
	char path[700];

	if (!t)
		return NULL;
	if (!TTF_WasInit() && TTF_Init() != 0) {
		log_error("SDL_ttf: %s", TTF_GetError());
		goto fail;
	}
	snprintf(t->assets, sizeof(t->assets), "%s", assets_dir);
	t->unit_px = unit_px;
	t->scale = 1.0f;
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/fonts/%s", assets_dir, font_files[i]);
		t->file_data[i] = SDL_LoadFile(path, &t->file_len[i]);
		if (!t->file_data[i]) {
			log_error("cannot read font %s: %s", path, SDL_GetError());
			goto fail;
		}
	}
	return t;
fail:
	text_destroy(t);
	return NULL;
}

/* Zeroes a surface's pixels before it goes back to the allocator: rendered text is as
 * readable as the string it came from. */
static void free_wiped(SDL_Surface *surf)
{
	if (!surf)
		return;
	if (surf->pixels)
		sodium_memzero(surf->pixels, (size_t)surf->h * (size_t)surf->pitch);
	SDL_FreeSurface(surf);
}

void text_forget(struct text *t)
{
	if (!t)
		return;
	for (int i = 0; i < CACHE_SIZE; i++)
		free_wiped(t->cache[i].surface);
	sodium_memzero(t->cache, sizeof(t->cache));
	sodium_memzero(t->sizes, sizeof(t->sizes));
}

void text_destroy(struct text *t)
{
	if (!t)
		return;
	text_forget(t);
	for (int i = 0; i < FONT_ROLE_COUNT; i++)
		if (t->fonts[i])
			TTF_CloseFont(t->fonts[i]);
	for (int i = 0; i < 2; i++)
		SDL_free(t->file_data[i]);
	free(t);
}

const char *text_assets_dir(const struct text *t)
{
	return t->assets;
}

void text_set_scale(struct text *t, float scale)
{
	if (scale == t->scale)
		return;
	/* every size changes: the fonts are opened again, and nothing measured stays */
	text_forget(t);
	for (int i = 0; i < FONT_ROLE_COUNT; i++)
		if (t->fonts[i])
			TTF_CloseFont(t->fonts[i]);
	memset(t->fonts, 0, sizeof(t->fonts));
	t->scale = scale;
}

int text_font_px(const struct text *t, enum font_role role)
{
	int px = (int)(t->unit_px * t->scale * (float)theme_fonts[role].size_cu / 100.0f + 0.5f);
	return px < 6 ? 6 : px;
}

static TTF_Font *font(struct text *t, enum font_role role)
{
	if (t->fonts[role])
		return t->fonts[role];
	const struct font_spec *spec = &theme_fonts[role];
	int px = text_font_px(t, role);
	SDL_RWops *rw = SDL_RWFromConstMem(t->file_data[spec->bold], (int)t->file_len[spec->bold]);
	t->fonts[role] = rw ? TTF_OpenFontRW(rw, 1, px) : NULL;
	if (!t->fonts[role]) {
		/* The files were read at start; this is memory exhaustion. Nothing to draw with. */
		log_error("cannot open font role %d at %d px: %s", role, px, TTF_GetError());
		abort();
	}
	TTF_SetFontHinting(t->fonts[role], TTF_HINTING_LIGHT);
	return t->fonts[role];
}

int text_line_height(struct text *t, enum font_role role)
{
	return TTF_FontLineSkip(font(t, role));
}

#define WRAP_MAX_LINES 8
#define WRAP_LINE_MAX  256

/*
 * Greedy word wrap at wrap_w pixels; returns the number of lines, at most WRAP_MAX_LINES.
 * Each word is measured once and lines are filled by adding widths (shaping every
 * candidate line instead made wrapping quadratic and half the cost of a first frame);
 * each finished line is then measured once, exactly. A single word wider than wrap_w
 * keeps a line of its own (and overflows, which the screen tests catch).
 */
static int wrap_lines(TTF_Font *f, const char *s, int wrap_w, char lines[][WRAP_LINE_MAX],
		      int *widths)
{
	int n = 0, line_w = 0, space_w = 0, h;
	size_t len = 0;
	char word[WRAP_LINE_MAX];

	TTF_SizeUTF8(f, " ", &space_w, &h);
	lines[0][0] = '\0';
	while (*s) {
		while (*s == ' ')
			s++;
		size_t wl = strcspn(s, " ");
		if (!wl)
			break;
		if (wl >= WRAP_LINE_MAX)
			wl = WRAP_LINE_MAX - 1;
		int ww = 0;
		memcpy(word, s, wl);
		word[wl] = '\0';
		TTF_SizeUTF8(f, word, &ww, &h);
		bool full =
		    len && (line_w + space_w + ww > wrap_w || len + 1 + wl >= WRAP_LINE_MAX);
		if (len && !full && line_w + space_w + ww > wrap_w - wrap_w / 50) {
			/* the sum of the words can be a little short of the shaped line: close
			 * to the edge, the candidate line is measured as it will be drawn */
			char cand[WRAP_LINE_MAX];
			int cw = 0;
			memcpy(cand, lines[n], len); /* len + 1 + wl < WRAP_LINE_MAX: not full */
			cand[len] = ' ';
			memcpy(cand + len + 1, word, wl + 1);
			full = TTF_SizeUTF8(f, cand, &cw, &h) == 0 && cw > wrap_w;
			sodium_memzero(cand, sizeof(cand));
		}
		if (full) {
			if (n + 1 == WRAP_MAX_LINES)
				break;
			lines[++n][0] = '\0';
			len = 0;
			line_w = 0;
		}
		if (len) {
			lines[n][len++] = ' ';
			line_w += space_w;
		}
		memcpy(lines[n] + len, word, wl + 1);
		len += wl;
		line_w += ww;
		s += strcspn(s, " ");
	}
	for (int i = 0; i <= n; i++)
		if (TTF_SizeUTF8(f, lines[i], &widths[i], &h) != 0)
			widths[i] = 0;
	sodium_memzero(word, sizeof(word));
	return n + 1;
}

static uint32_t hash_str(const char *s, int role, int wrap_w)
{
	uint32_t h = 2166136261u ^ (uint32_t)role ^ ((uint32_t)wrap_w << 8);
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static void measure(TTF_Font *f, const char *s, int wrap_w, int *w, int *h)
{
	if (wrap_w > 0) {
		char lines[WRAP_MAX_LINES][WRAP_LINE_MAX];
		int widths[WRAP_MAX_LINES], n = wrap_lines(f, s, wrap_w, lines, widths);
		*w = 0;
		for (int i = 0; i < n; i++)
			if (widths[i] > *w)
				*w = widths[i];
		*h = n * TTF_FontLineSkip(f);
		sodium_memzero(lines, sizeof(lines)); /* the UI thread's stack outlives a visit */
		return;
	}
	if (TTF_SizeUTF8(f, s, w, h) != 0)
		*w = *h = 0;
}

void text_size(struct text *t, enum font_role role, const char *s, int wrap_w, int *w, int *h)
{
	uint32_t hash = hash_str(s, (int)role, wrap_w);
	struct measured *m = &t->sizes[hash % SIZES];

	if (m->hash == hash && m->role == (int)role && m->wrap_w == wrap_w &&
	    strcmp(m->s, s) == 0) {
		*w = m->w;
		*h = m->h;
		return;
	}
	measure(font(t, role), s, wrap_w, w, h);
	if (strlen(s) < sizeof(m->s)) {
		m->hash = hash;
		m->role = (int)role;
		m->wrap_w = wrap_w;
		m->w = *w;
		m->h = *h;
		memcpy(m->s, s, strlen(s) + 1);
	}
}

/* Lines rendered one by one and stacked, each centred or flush left. */
static SDL_Surface *render_wrapped(TTF_Font *f, SDL_Color c, const char *s, int wrap_w, bool centre)
{
	char lines[WRAP_MAX_LINES][WRAP_LINE_MAX];
	int widths[WRAP_MAX_LINES], n = wrap_lines(f, s, wrap_w, lines, widths), w = 1;
	int skip = TTF_FontLineSkip(f);

	for (int i = 0; i < n; i++)
		if (widths[i] > w)
			w = widths[i];
	SDL_Surface *out =
	    SDL_CreateRGBSurfaceWithFormat(0, w, n * skip, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!out)
		return NULL;
	for (int i = 0; i < n; i++) {
		SDL_Surface *line = TTF_RenderUTF8_Blended(f, lines[i][0] ? lines[i] : " ", c);
		if (!line)
			continue;
		SDL_Rect at = { centre ? (w - line->w) / 2 : 0, i * skip, line->w, line->h };
		SDL_SetSurfaceBlendMode(line, SDL_BLENDMODE_NONE);
		SDL_BlitSurface(line, NULL, out, &at);
		free_wiped(line);
	}
	sodium_memzero(lines, sizeof(lines));
	return out;
}

SDL_Surface *text_render(struct text *t, enum font_role role, uint32_t colour, const char *s,
			 int wrap_w, bool centre)
{
	struct cached *slot = NULL, *oldest = &t->cache[0];
	SDL_Color c = { (Uint8)(colour >> 16), (Uint8)(colour >> 8), (Uint8)colour, 255 };
	TTF_Font *f = font(t, role);
	SDL_Surface *surf;
	bool cacheable;

	if (!s[0])
		s = " "; /* SDL_ttf renders nothing for an empty string */
	cacheable = strlen(s) < CACHE_TEXT_MAX;
	t->clock++;
	for (int i = 0; cacheable && i < CACHE_SIZE; i++) {
		struct cached *e = &t->cache[i];
		if (e->used && e->role == role && e->colour == colour && e->wrap_w == wrap_w &&
		    e->centre == centre && strcmp(e->s, s) == 0) {
			e->used = t->clock;
			return e->surface;
		}
		if (e->used < oldest->used)
			oldest = e;
	}
	if (wrap_w > 0) {
		surf = render_wrapped(f, c, s, wrap_w, centre);
	} else {
		surf = TTF_RenderUTF8_Blended(f, s, c);
	}
	if (!surf) {
		log_warn("cannot render text: %s", TTF_GetError());
		return NULL;
	}
	slot = oldest;
	free_wiped(slot->surface);
	slot->surface = surf;
	slot->used = t->clock;
	slot->role = role;
	slot->colour = colour;
	slot->wrap_w = wrap_w;
	slot->centre = centre;
	if (cacheable) {
		memcpy(slot->s, s, strlen(s) + 1);
	} else {
		slot->used = 1; /* the first to go, and it never matches */
		slot->s[0] = '\0';
	}
	return surf;
}
