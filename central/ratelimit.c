/*
 * Token buckets by name (ratelimit.h) in an open-addressing hash table that doubles when
 * half full. Names are those of authenticated kiosks only, so the table grows with the
 * fleet, never with what a stranger sends.
 */
#include "ratelimit.h"

#include <math.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct bucket {
	char *name; /* NULL: free slot */
	double tokens;
	double at; /* when tokens was right */
};

struct ratelimit {
	pthread_mutex_t lock;
	double rate, burst;
	struct bucket *slots;
	size_t cap, used; /* cap: a power of two */
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

struct ratelimit *ratelimit_create(double rate_per_s, double burst)
{
	if (!(rate_per_s > 0) || !(burst >= 1))
		return NULL;
	struct ratelimit *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->rate = rate_per_s;
	l->burst = burst;
	l->cap = 64;
	l->slots = calloc(l->cap, sizeof(*l->slots));
	if (!l->slots) {
		free(l);
		return NULL;
	}
	pthread_mutex_init(&l->lock, NULL);
	return l;
}

void ratelimit_destroy(struct ratelimit *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->cap; i++)
		free(l->slots[i].name);
	free(l->slots);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

static struct bucket *slot_of(struct bucket *slots, size_t cap, const char *name)
{
	size_t i = (size_t)hash(name) & (cap - 1);
	while (slots[i].name && strcmp(slots[i].name, name) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static bool grow(struct ratelimit *l)
{
	size_t cap = l->cap * 2;
	struct bucket *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return false;
	for (size_t i = 0; i < l->cap; i++)
		if (l->slots[i].name)
			*slot_of(slots, cap, l->slots[i].name) = l->slots[i];
	free(l->slots);
	l->slots = slots;
	l->cap = cap;
	return true;
}

int ratelimit_take(struct ratelimit *l, const char *name, double now_s)
{
	int wait = -1;
	pthread_mutex_lock(&l->lock);
	if (l->used * 2 >= l->cap && !grow(l))
		goto out;
	struct bucket *b = slot_of(l->slots, l->cap, name);
	if (!b->name) {
		b->name = strdup(name);
		if (!b->name)
			goto out;
		b->tokens = l->burst;
		b->at = now_s;
		l->used++;
	}
	if (now_s > b->at) {
		b->tokens = fmin(l->burst, b->tokens + (now_s - b->at) * l->rate);
		b->at = now_s;
	}
	if (b->tokens >= 1) {
		b->tokens -= 1;
		wait = 0;
	} else {
		wait = (int)ceil((1 - b->tokens) / l->rate);
		if (wait < 1)
			wait = 1;
	}
out:
	pthread_mutex_unlock(&l->lock);
	return wait;
}
