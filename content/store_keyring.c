/*
 * Keyring rotations in the bundle store (store.h): those delivered with a bundle (accepted
 * only together with it) and those delivered alone, which adm-syncd fetches from the
 * server (content_store_install_keyring). Both go through the same check: the next
 * version of the held chain, signed by a threshold of the held root and of its own
 * (content_keyring_verify), nothing after the signatures.
 */
#include "store_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One keyring file from f: its blob in *b and, unless *kr holds its version already
 * (*held), *kr replaced by it once it verified against *kr. */
static int read_next(FILE *f, content_keyring **kr, struct content_blob *b, bool *held, char *why,
		     size_t why_size)
{
	content_keyring *parsed = NULL, *next = NULL;
	*held = false;
	int rc = content_blob_read(f, CONTENT_BLOB_KEYRING, CONTENT_KEYRING_MAX, b, why, why_size);
	if (rc == CONTENT_OK && fgetc(f) != EOF)
		rc = content_fail(why, why_size, CONTENT_E_FORMAT, "data after the signatures");
	if (rc == CONTENT_OK)
		rc = content_keyring_parse_unsigned(b, &parsed, why, why_size);
	if (rc == CONTENT_OK && content_keyring_version(parsed) <= content_keyring_version(*kr)) {
		*held = true;
		snprintf(why, why_size, "version %lld is not newer than version %lld held",
			 (long long)content_keyring_version(parsed),
			 (long long)content_keyring_version(*kr));
	}
	content_keyring_free(parsed);
	if (rc == CONTENT_OK && !*held)
		rc = content_keyring_verify(b, *kr, &next, why, why_size);
	if (rc < 0 || *held) {
		content_blob_finish(b);
		return rc;
	}
	content_keyring_free(*kr);
	*kr = next;
	return CONTENT_OK;
}

int store_keyrings_accept(const char *const *paths, size_t n, content_keyring **kr,
			  struct content_blob *blobs, size_t *nblobs, char *reason, size_t size)
{
	*nblobs = 0;
	for (size_t i = 0; i < n; i++) {
		char why[CONTENT_REASON_MAX] = "";
		struct content_blob b = { 0 };
		bool held = false;
		FILE *f = fopen(paths[i], "rbe");
		int rc = f ? read_next(f, kr, &b, &held, why, sizeof(why))
			   : content_fail(why, sizeof(why), CONTENT_E_IO, "cannot open: %s",
					  strerror(errno));
		if (f)
			fclose(f);
		if (rc < 0) {
			const char *base = strrchr(paths[i], '/');
			return content_fail(reason, size, rc, "keyring %s: %s",
					    base ? base + 1 : paths[i], why);
		}
		/* one the kiosk holds already (or older) changes nothing here */
		if (!held)
			blobs[(*nblobs)++] = b;
	}
	return CONTENT_OK;
}

int store_keyrings_write(const char *dir, const struct content_blob *blobs, size_t n, int64_t first,
			 char *reason, size_t size)
{
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX], sub[64], *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		int rc = m && content_blob_write(m, &blobs[i]) == CONTENT_OK ? CONTENT_OK
									     : CONTENT_E_NOMEM;
		if (m)
			fclose(m);
		snprintf(sub, sizeof(sub), "keyring/%lld.krg", (long long)(first + (int64_t)i));
		if (rc == CONTENT_OK && store_path(path, dir, sub))
			rc = store_write_atomic(path, buf, len, reason, size);
		else if (rc == CONTENT_OK)
			rc = content_fail(reason, size, CONTENT_E_IO, "store path too long");
		else
			content_fail(reason, size, rc, "out of memory");
		free(buf);
		if (rc < 0)
			return rc;
	}
	return CONTENT_OK;
}

static int install_keyring_locked(content_store *s, FILE *in, char *reason, size_t size)
{
	struct store_state st;
	content_keyring *kr = NULL;
	struct content_blob b = { 0 };
	char why[CONTENT_REASON_MAX] = "";
	bool held = false;
	int rc = store_state_read(s->dir, &st, reason, size);
	if (rc == CONTENT_OK)
		rc = store_keyring_load(s->dir, &st, &kr, reason, size);
	if (rc < 0)
		return rc;
	int64_t old_head = content_keyring_version(kr);
	rc = read_next(in, &kr, &b, &held, why, sizeof(why));
	if (rc == CONTENT_OK && held)
		/* a replay, or a server behind this kiosk: never a step back */
		rc = CONTENT_E_VERSION;
	if (rc < 0) {
		content_keyring_free(kr);
		return content_fail(reason, size, rc, "keyring: %s", why);
	}
	rc = store_keyrings_write(s->dir, &b, 1, old_head + 1, reason, size);
	content_blob_finish(&b);
	if (rc == CONTENT_OK) {
		/* the switch: from now on every install and load verifies against it */
		st.keyring = content_keyring_version(kr);
		rc = store_state_write(s->dir, &st, reason, size);
	}
	content_keyring_free(kr);
	return rc;
}

int content_store_install_keyring(content_store *s, FILE *in, const char *source, int64_t wall_now,
				  char *reason, size_t reason_size)
{
	int rc = store_lock(s, reason, reason_size);
	if (rc < 0)
		return rc;
	rc = install_keyring_locked(s, in, reason, reason_size);
	if (rc < 0 && rc != CONTENT_STORE_E_NOT_PROVISIONED && rc != CONTENT_STORE_E_CORRUPT &&
	    rc != CONTENT_E_IO && rc != CONTENT_E_NOMEM)
		store_record(s, wall_now ? wall_now : (int64_t)time(NULL), source, rc, reason);
	struct store_state ondisk;
	if (store_state_read(s->dir, &ondisk, NULL, 0) == CONTENT_OK)
		store_collect(s, &ondisk); /* a keyring file written before a failed switch */
	store_unlock(s);
	return rc;
}
