/*
 * The kiosks file of adm-central serve --kiosks-file: which kiosks exist, their regions
 * and their tokens. Tokens stay out of the command line (ps shows every process's argv to
 * every user) and out of the database in clear (the store keeps their SHA-256).
 *
 * One kiosk a line, fields separated by blanks; '#' starts a comment line:
 *
 *     # id        region  token
 *     ADM-DEMO-01 31.71   demo-token
 *     ADM-BDG-01  3273    sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
 *     ADM-JKT-02  *       sha256:...
 *
 * region: the kabupaten/kota of the kiosk's citizens, as its Kemendagri code (31.71) or
 * the NIK's first four digits (3171), kept as the code; or '*' for all. token: the
 * rest of the line, exactly what the kiosk's --token-file holds (1..256 characters), or
 * "sha256:" and the 64 lowercase hex digits of its SHA-256 (then the file holds no secret;
 * a token of exactly that form is taken as a hash). A file with a token in clear must be
 * readable by its owner only.
 */
#ifndef ADM_CENTRAL_KIOSKS_H
#define ADM_CENTRAL_KIOSKS_H

#include "central.h"
#include "content.h"
#include "request.h"

#include <stdbool.h>
#include <stddef.h>

struct store;

/* Registers every kiosk of the file (an existing one gets the file's token and region):
 * the number of kiosks, or -1 after logging FILE:LINE and what is wrong (nothing
 * registered then). */
int kiosks_load(struct store *s, const char *path);

/* The same file format without the region (ID TOKEN: the office tokens of
 * --office-tokens, bundles.h), for any table: every entry is parsed and checked first,
 * then add() registers them all at once (false: nothing was, and -1 is returned). */
struct tokens_entry {
	char id[REQ_ID_MAX + 1];
	char region[CONTENT_REGION_SIZE]; /* "31.71"; "" for all and in a file without them */
	char hash[STORE_TOKEN_HASH_LEN + 1];
};
int tokens_file_load(const char *path, bool with_region,
		     bool (*add)(void *user, const struct tokens_entry *e, size_t n), void *user);

#endif
