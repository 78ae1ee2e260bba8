/* The content model of the attract and nothing-ready screens (see content_view.h). */
#include "content_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct scaled {
	SDL_Surface *s;
	int box_w, box_h;
};

struct content_view {
	const struct content_manifest *m;
	int64_t floor;
	void (*release)(void *owner);
	void *owner;
	SDL_Surface **images;  /* per file, as decoded */
	struct scaled *scaled; /* per file, for the last box it was asked for */
	int utc_offset_s;
};

struct content_view *content_view_create(const struct content_manifest *m, int64_t floor,
					 void (*release)(void *owner), void *owner,
					 SDL_Surface **images, int utc_offset_s)
{
	struct content_view *cv = calloc(1, sizeof(*cv));
	size_t n = m ? m->nfiles : 0;

	if (cv) {
		cv->images = calloc(n ? n : 1, sizeof(*cv->images));
		cv->scaled = calloc(n ? n : 1, sizeof(*cv->scaled));
	}
	if (!cv || !cv->images || !cv->scaled) {
		for (size_t i = 0; images && i < n; i++)
			SDL_FreeSurface(images[i]);
		if (owner && release)
			release(owner);
		if (cv) {
			free(cv->images);
			free(cv->scaled);
		}
		free(cv);
		return NULL;
	}
	cv->m = m;
	cv->floor = floor > m->created ? floor : m->created;
	cv->release = release;
	cv->owner = owner;
	cv->utc_offset_s = utc_offset_s;
	for (size_t i = 0; images && i < n; i++)
		cv->images[i] = images[i];
	return cv;
}

void content_view_destroy(struct content_view *cv)
{
	if (!cv)
		return;
	for (size_t i = 0; cv->m && i < cv->m->nfiles; i++) {
		SDL_FreeSurface(cv->images[i]);
		SDL_FreeSurface(cv->scaled[i].s);
	}
	free(cv->images);
	free(cv->scaled);
	if (cv->owner && cv->release)
		cv->release(cv->owner);
	free(cv);
}

const struct content_manifest *content_view_manifest(const struct content_view *cv)
{
	return cv ? cv->m : NULL;
}

static int file_index(const struct content_view *cv, const struct content_file *f)
{
	if (!f || f < cv->m->files || f >= cv->m->files + cv->m->nfiles)
		return -1;
	return (int)(f - cv->m->files);
}

void content_view_select(const struct content_view *cv, int64_t wall_now, struct content_show *out)
{
	const struct content_item *banners[CONTENT_ITEMS_MAX], *anns[CONTENT_ITEMS_MAX];
	int nb = 0, na = 0;

	memset(out, 0, sizeof(*out));
	if (!cv || !cv->m)
		return;
	const struct content_manifest *m = cv->m;
	int64_t now = content_effective_now(wall_now, cv->floor);
	out->now = content_now_at(now, cv->utc_offset_s);
	out->expired = now >= m->expires;
	for (size_t i = 0; i < m->nitems && i < CONTENT_ITEMS_MAX; i++) {
		const struct content_item *it = &m->items[i];
		if (!content_item_visible(it, &out->now, out->expired))
			continue;
		switch (it->kind) {
		case CONTENT_URGENT:
			if (!out->urgent)
				out->urgent = it;
			break;
		case CONTENT_BANNER: {
			int k = file_index(cv, it->file);
			if (k >= 0 && cv->images[k])
				banners[nb++] = it;
			break;
		}
		case CONTENT_ANNOUNCEMENT:
			anns[na++] = it;
			break;
		case CONTENT_NOTICE:
			if (out->n_notices < CONTENT_SHOW_NOTICES)
				out->notices[out->n_notices++] = it;
			break;
		case CONTENT_HOURS:
			if (!out->hours && it->has_week)
				out->hours = it;
			break;
		case CONTENT_OFFICE:
			if (out->n_offices < CONTENT_SHOW_OFFICES)
				out->offices[out->n_offices++] = it;
			break;
		}
	}
	/* The rotation follows the clock, not a counter: every frame of the same second
	 * agrees, and a screenshot at a given time is always the same picture. */
	int64_t slot = now / CONTENT_ROTATE_S;
	if (nb)
		out->banner = banners[slot % nb];
	if (na) {
		out->announcement_no = (int)(slot % na) + 1;
		out->announcement = anns[out->announcement_no - 1];
		out->announcements = na;
	}
	for (size_t i = 0; out->hours && i < out->hours->nholidays; i++)
		if (out->hours->holidays[i].date == out->now.date)
			out->holiday = &out->hours->holidays[i];
}

SDL_Surface *content_view_banner(struct content_view *cv, const struct content_item *banner, int w,
				 int h)
{
	int k = cv && banner ? file_index(cv, banner->file) : -1;
	if (k < 0 || !cv->images[k] || w <= 0 || h <= 0)
		return NULL;
	struct scaled *sc = &cv->scaled[k];
	if (sc->s && sc->box_w == w && sc->box_h == h)
		return sc->s;
	SDL_Surface *src = cv->images[k];
	/* fit inside the box, aspect kept */
	int sw = w, sh = (int)((int64_t)src->h * w / src->w);
	if (sh > h) {
		sh = h;
		sw = (int)((int64_t)src->w * h / src->h);
	}
	if (sw < 1 || sh < 1)
		return NULL;
	SDL_Surface *dst = SDL_CreateRGBSurfaceWithFormat(0, sw, sh, 32, SDL_PIXELFORMAT_ARGB8888);
	SDL_Surface *conv = SDL_ConvertSurfaceFormat(src, SDL_PIXELFORMAT_ARGB8888, 0);
	if (!dst || !conv) {
		SDL_FreeSurface(dst);
		SDL_FreeSurface(conv);
		return NULL;
	}
	SDL_SetSurfaceBlendMode(conv, SDL_BLENDMODE_NONE);
	if (SDL_BlitScaled(conv, NULL, dst, NULL) != 0) {
		SDL_FreeSurface(dst);
		dst = NULL;
	}
	SDL_FreeSurface(conv);
	if (!dst)
		return NULL;
	SDL_FreeSurface(sc->s);
	sc->s = dst;
	sc->box_w = w;
	sc->box_h = h;
	return dst;
}

static void hhmm(int minute, char out[8])
{
	unsigned m = (unsigned)minute % 1441u; /* 1440: "24:00", the end of a day */
	snprintf(out, 8, "%02u:%02u", m / 60, m % 60);
}

void content_view_spans(const struct content_week *w, int wday, char *out, size_t size)
{
	size_t n = 0;

	out[0] = '\0';
	for (int i = 0; w && wday >= 0 && wday < 7 && i < w->n[wday] && n < size; i++) {
		char a[8], b[8];
		hhmm(w->spans[wday][i].from, a);
		hhmm(w->spans[wday][i].until, b);
		n += (size_t)snprintf(out + n, size - n, "%s%s\xe2\x80\x93%s", i ? ", " : "", a, b);
	}
}
