/*
 * DESIGN. A small table of (key, surface) under one mutex: renderers put, the UI thread
 * gets and wipes. The generation counts wipes, so that an image rendered for a visit that
 * ended while it rendered is dropped instead of outliving it.
 */
#include "thumbs.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX 64

struct thumb {
	char key[KEY_MAX + 1];
	SDL_Surface *s;
};

struct thumbs {
	pthread_mutex_t lock;
	struct thumb t[THUMBS_MAX];
	unsigned generation;
	int box;
};

struct thumbs *thumbs_create(void)
{
	struct thumbs *t = calloc(1, sizeof(*t));
	if (t)
		pthread_mutex_init(&t->lock, NULL);
	return t;
}

void thumbs_destroy(struct thumbs *t)
{
	if (!t)
		return;
	thumbs_wipe(t);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

int thumbs_box_px(float unit)
{
	return (int)(THUMBS_BOX_U * unit + 0.5f);
}

void thumbs_set_unit(struct thumbs *t, float unit)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	t->box = thumbs_box_px(unit);
	pthread_mutex_unlock(&t->lock);
}

int thumbs_box(struct thumbs *t)
{
	pthread_mutex_lock(&t->lock);
	int box = t->box;
	pthread_mutex_unlock(&t->lock);
	return box;
}

/* Locked. */
static struct thumb *find(struct thumbs *t, const char *key)
{
	for (int i = 0; i < THUMBS_MAX; i++)
		if (t->t[i].s && strncmp(t->t[i].key, key, KEY_MAX) == 0)
			return &t->t[i];
	return NULL;
}

SDL_Surface *thumbs_get(struct thumbs *t, const char *key)
{
	if (!t || !key[0])
		return NULL;
	pthread_mutex_lock(&t->lock);
	struct thumb *th = find(t, key);
	SDL_Surface *s = th ? th->s : NULL;
	pthread_mutex_unlock(&t->lock);
	return s;
}

bool thumbs_has(struct thumbs *t, const char *key)
{
	return thumbs_get(t, key) != NULL;
}

unsigned thumbs_generation(struct thumbs *t)
{
	pthread_mutex_lock(&t->lock);
	unsigned g = t->generation;
	pthread_mutex_unlock(&t->lock);
	return g;
}

void thumbs_free_surface(SDL_Surface *s)
{
	if (!s)
		return;
	if (s->pixels)
		memset(s->pixels, 0, (size_t)s->pitch * (size_t)s->h);
	SDL_FreeSurface(s);
}

bool thumbs_put(struct thumbs *t, const char *key, SDL_Surface *s, unsigned generation)
{
	struct thumb *slot = NULL;

	pthread_mutex_lock(&t->lock);
	if (generation == t->generation && key[0] && !find(t, key))
		for (int i = 0; i < THUMBS_MAX && !slot; i++)
			if (!t->t[i].s)
				slot = &t->t[i];
	if (slot) {
		snprintf(slot->key, sizeof(slot->key), "%s", key);
		slot->s = s;
	}
	pthread_mutex_unlock(&t->lock);
	if (!slot)
		thumbs_free_surface(s);
	return slot != NULL;
}

void thumbs_wipe(struct thumbs *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	t->generation++;
	for (int i = 0; i < THUMBS_MAX; i++) {
		thumbs_free_surface(t->t[i].s);
		memset(&t->t[i], 0, sizeof(t->t[i]));
	}
	pthread_mutex_unlock(&t->lock);
}
