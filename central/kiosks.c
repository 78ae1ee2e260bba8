/*
 * The kiosks file (kiosks.h): parsed as a whole before anything is registered, so a
 * mistake on line 40 does not leave 39 kiosks changed. Lines holding tokens are wiped from
 * memory once read.
 */
#include "kiosks.h"

#include "central.h"
#include "content.h"
#include "log.h"
#include "request.h"
#include "sha256.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TOKEN_MAX 256

static const char *blanks = " \t";

/* The next field of *p (which moves past it and the blanks after it) or NULL. */
static char *field(char **p)
{
	char *f = *p + strspn(*p, blanks);
	size_t n = strcspn(f, blanks);
	if (n == 0)
		return NULL;
	*p = f + n;
	if (**p)
		*(*p)++ = '\0';
	*p += strspn(*p, blanks);
	return f;
}

static bool token_ok(const char *t)
{
	size_t n = strlen(t);
	if (n == 0 || n > TOKEN_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
			return false;
	return true;
}

/* One line into e: NULL, or what is wrong with it. *clear: it held a token in clear.
 * with_region: the kiosks file's ID REGION TOKEN, else the office tokens' ID TOKEN. */
static const char *parse_line(char *line, bool with_region, struct tokens_entry *e, bool *clear)
{
	char *p = line;
	const char *id = field(&p), *region = with_region ? field(&p) : "*";
	char *token = p;
	size_t n = strlen(token);
	while (n && (token[n - 1] == ' ' || token[n - 1] == '\t'))
		token[--n] = '\0';
	if (!id || !region || !*token)
		return with_region ? "expected: ID REGION TOKEN" : "expected: ID TOKEN";
	if (!req_name_ok(id, REQ_ID_MAX))
		return "the id is 1..64 characters of [A-Za-z0-9._-]";
	/* a kabupaten/kota, as its code or its NIK digits: kept as the code ("31.71") */
	e->region[0] = '\0';
	if (strcmp(region, "*") != 0 &&
	    (!content_region_parse(region, e->region) || strlen(e->region) != 5))
		return "the region is a kabupaten/kota, 31.71 or its NIK digits 3171, or '*' "
		       "for all";
	snprintf(e->id, sizeof(e->id), "%s", id);
	if (strncmp(token, "sha256:", 7) == 0 && sha256_hex_ok(token + 7)) {
		memcpy(e->hash, token + 7, STORE_TOKEN_HASH_LEN + 1);
		return NULL;
	}
	*clear = true;
	if (!token_ok(token))
		return "the token is 1..256 characters without control characters (or "
		       "sha256:HEX)";
	return store_token_hash(token, e->hash) ? NULL : "cannot hash the token";
}

int tokens_file_load(const char *path, bool with_region,
		     bool (*add)(void *user, const struct tokens_entry *e, size_t n), void *user)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		log_error("%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	struct tokens_entry *list = NULL;
	size_t n = 0, cap = 0;
	char line[512];
	bool clear = false;
	int lineno = 0, rc = -1;
	const char *why = NULL;
	while (!why && fgets(line, sizeof(line), f)) {
		lineno++;
		size_t len = strcspn(line, "\r\n");
		if (!line[len] && !feof(f))
			why = "line too long";
		line[len] = '\0';
		const char *first = line + strspn(line, blanks);
		if (why || !*first || *first == '#')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			struct tokens_entry *grown = realloc(list, cap * sizeof(*list));
			if (!grown) {
				why = "out of memory";
				break;
			}
			list = grown;
		}
		why = parse_line(line, with_region, &list[n], &clear);
		for (size_t i = 0; !why && i < n; i++)
			if (strcmp(list[i].id, list[n].id) == 0)
				why = "this id is on an earlier line too";
		n++;
	}
	sodium_memzero(line, sizeof(line));
	if (why) {
		log_error("%s:%d: %s", path, lineno, why);
		goto out;
	}
	if (ferror(f) || fstat(fileno(f), &st) != 0) {
		log_error("%s: %s", path, strerror(errno));
		goto out;
	}
	if (clear && (st.st_mode & 077)) {
		log_error("%s: holds tokens in clear and others may read it: chmod 600, or list "
			  "sha256: hashes of the tokens",
			  path);
		goto out;
	}
	if (!add(user, list, n)) {
		log_error("%s: cannot register them in the database", path);
		goto out;
	}
	rc = (int)n;
out:
	if (list)
		sodium_memzero(list, cap * sizeof(*list));
	free(list);
	fclose(f);
	return rc;
}

static bool add_kiosks(void *user, const struct tokens_entry *e, size_t n)
{
	struct store *s = user;
	bool ok = store_begin(s);
	for (size_t i = 0; ok && i < n; i++)
		ok = store_add_kiosk(s, e[i].id, e[i].hash, e[i].region);
	if (!ok || !store_commit(s)) {
		store_rollback(s);
		return false;
	}
	return true;
}

int kiosks_load(struct store *s, const char *path)
{
	return tokens_file_load(path, true, add_kiosks, s);
}
