/*
 * A cache filled as the registry's feed fills it, for the benchmarks at scale
 * (bench-lookup, bench-visit): each citizen's holder record followed by their two
 * documents, in pages of adm-syncd's default size, with random blob hashes (SHA-256 of
 * real files look random, so the blob indexes take inserts all over) and argon2id
 * strings of production length and cost parameters with random salts.
 */
#ifndef ADM_CACHE_FILL_H
#define ADM_CACHE_FILL_H

#include "cache.h"

#define FILL_PAGE     500 /* changes per page: adm-syncd's default page_limit, as shipped */
#define FILL_HASH_MAX 128

/* Citizen c: sixteen digits valid for nik_digits, spread over the key space. */
void fill_nik(long citizen, char out[17]);
/* A family of four citizens shares a KK. */
void fill_kk(long citizen, char out[17]);

struct fill {
	long next, n; /* the next document to write, and how many in all */
	/* A real argon2id string for this citizen's account PIN, or NULL for a random
	 * one of the same shape (the apply stores it and never verifies it). */
	const char *(*holder_hash)(long citizen, void *user);
	/* true when the document's file is a real one, its SHA-256 (hex) in out; else the
	 * hash is random, a file still to come. NULL: always random. */
	bool (*blob_hash)(long document, char out[CACHE_SHA256_HEX + 1], void *user);
	void *user;
	struct cache_change ch[FILL_PAGE];
	char hashes[FILL_PAGE][FILL_HASH_MAX];
};

/* The next page into f->ch; returns its number of changes (0 when all are written). */
int fill_page(struct fill *f);

#endif
