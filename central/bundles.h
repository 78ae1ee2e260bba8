/*
 * adm-central's content bundles (issue 12, docs/sync-protocol.md section "Content
 * bundles"): the table of signed bundles the offices published, the office API tokens
 * that publishing needs, and which bundle each kiosk gets.
 *
 * The tables live in the server's database file but behind a connection of their own, so
 * that this module needs nothing of store.c's internals:
 *   office_tokens (office, token_sha256)  an office's API token, as its SHA-256 only
 *   bundles (sha256, publisher, version, regions, kiosks, created, expires, office,
 *            published, size, data)       each accepted bundle's bytes and what its
 *                                         verified manifest said
 *   keyrings (version, sha256, data)      the keyring chain of --content-keyring, which
 *                                         kiosks are offered with their bundle
 * An office's id is its publisher id in the keyring: office dukcapil-3273 publishes the
 * bundles of publisher dukcapil-3273, nobody else's.
 *
 * Threads: every call under the module's mutex (one connection).
 */
#ifndef ADM_CENTRAL_BUNDLES_H
#define ADM_CENTRAL_BUNDLES_H

#include "content.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bundles;

struct bundles *bundles_open(const char *db_path);
void bundles_close(struct bundles *b); /* NULL-safe */

/* Registers the offices of an office tokens file (kiosks.h's format without the region:
 * "OFFICE TOKEN" or "OFFICE sha256:HEX" a line): their number, or -1 (logged). */
int bundles_load_office_tokens(struct bundles *b, const char *path);
/* Whether token is office's (compared as hashes, in constant time). */
bool bundles_office_auth(struct bundles *b, const char *office, const char *token);

/* The newest version stored for publisher (0: none): the reader's last_version. */
int64_t bundles_last_version(const char *publisher, void *bundles);
/* A registered kiosk's region ("32.73"); false if the kiosk is unknown or serves every
 * region. */
bool bundles_kiosk_region(struct bundles *b, const char *kiosk, char region[CONTENT_REGION_SIZE]);

/* Stores a verified bundle (its sha256 in hex, its bytes, its manifest) published by
 * office at now. False on a database error, or if publisher and version are taken. */
bool bundles_add(struct bundles *b, const char *sha256, const void *data, size_t len,
		 const struct content_manifest *m, const char *office, int64_t now);

/* The answer of GET /v1/kiosks/{kiosk}/content: the most recently published bundle whose
 * scope names the kiosk or covers its region (region: the kiosk's, "32.73", or "" for
 * all: then only a bundle naming the kiosk), unless it expired by now;
 * an expired one is passed over together with its publisher's older versions (a kiosk
 * refuses a version older than one it has); and the keyrings of the chain (the kiosk
 * fetches those above its own). JSON, malloc'ed; NULL on a database error. */
char *bundles_for_kiosk(struct bundles *b, const char *kiosk, const char *region, int64_t now);

/* A bundle's bytes (malloc'ed) or NULL. */
unsigned char *bundles_data(struct bundles *b, const char *sha256, size_t *len);

/* Replaces the keyrings kiosks are offered with the files of a verified chain (the anchor
 * first, of version first_version, then each rotation); n 0 empties the table. */
bool bundles_set_keyrings(struct bundles *b, const char *const *paths, size_t n,
			  int64_t first_version);
/* A keyring's bytes by their sha256 (malloc'ed) or NULL. */
unsigned char *bundles_keyring_data(struct bundles *b, const char *sha256, size_t *len);

#endif
