/*
 * The kiosk's side of the bundle store: load the active (or previous) bundle for showing,
 * and read its files. Nothing here writes or locks: state.json is replaced whole by an
 * installer, so a load sees the old or the new state. Everything is checked again on the
 * way in, because the disk is outside the signature: the keyring chain from the anchor,
 * the kept manifest's hash and signature (a key revoked since no longer shows), and each
 * file's length and SHA-256 when it is read.
 */
#include "store_internal.h"

#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct content_store_bundle {
	struct content_manifest *m;
	char id[STORE_ID_HEX];
	char files[PATH_MAX];
	int64_t floor;
};

static int load(const char *dir, bool active, content_store_bundle **out, char *reason, size_t size)
{
	struct store_state st;
	content_keyring *kr = NULL;
	*out = NULL;
	int rc = store_state_read(dir, &st, reason, size);
	if (rc < 0)
		return rc;
	const char *id = active ? st.active : st.previous;
	if (!id[0])
		return content_fail(reason, size, CONTENT_STORE_E_EMPTY, "no %s bundle in %s",
				    active ? "active" : "previous", dir);
	content_store_bundle *b = calloc(1, sizeof(*b));
	if (!b)
		return content_fail(reason, size, CONTENT_E_NOMEM, "out of memory");
	snprintf(b->id, sizeof(b->id), "%s", id);
	if (!store_path(b->files, dir, "files")) {
		rc = content_fail(reason, size, CONTENT_E_IO, "store path too long");
		goto fail;
	}
	rc = store_keyring_load(dir, &st, &kr, reason, size);
	if (rc == CONTENT_OK)
		rc = store_manifest_load(dir, id, kr, &b->m, reason, size);
	if (rc < 0)
		goto fail;
	b->floor = st.newest_created > content_keyring_created(kr) ? st.newest_created
								   : content_keyring_created(kr);
	content_keyring_free(kr);
	*out = b;
	return CONTENT_OK;
fail:
	content_keyring_free(kr);
	content_store_bundle_free(b);
	return rc;
}

int content_store_load_active(const char *dir, content_store_bundle **out, char *reason,
			      size_t reason_size)
{
	return load(dir, true, out, reason, reason_size);
}

int content_store_load_previous(const char *dir, content_store_bundle **out, char *reason,
				size_t reason_size)
{
	return load(dir, false, out, reason, reason_size);
}

const struct content_manifest *content_store_bundle_manifest(const content_store_bundle *b)
{
	return b->m;
}

const char *content_store_bundle_id(const content_store_bundle *b)
{
	return b->id;
}

int64_t content_store_bundle_floor(const content_store_bundle *b)
{
	return b->floor;
}

bool content_store_bundle_expired(const content_store_bundle *b, int64_t wall_now)
{
	return b->m->expires <= content_effective_now(wall_now, b->floor);
}

int content_store_bundle_read_file(const content_store_bundle *b, const struct content_file *f,
				   unsigned char **data, size_t *len, char *reason,
				   size_t reason_size)
{
	char hex[STORE_ID_HEX], path[PATH_MAX];
	unsigned char digest[SHA256_BYTES];
	struct stat sb;
	*data = NULL;
	*len = 0;
	if (f < b->m->files || f >= b->m->files + b->m->nfiles)
		return content_fail(reason, reason_size, CONTENT_E_FILE,
				    "not a file of this bundle");
	sodium_bin2hex(hex, sizeof(hex), f->sha256, sizeof(f->sha256));
	if (!store_path(path, b->files, hex))
		return content_fail(reason, reason_size, CONTENT_E_IO, "store path too long");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return content_fail(reason, reason_size, CONTENT_E_IO, "file %s: %s", f->name,
				    strerror(errno));
	/* the length first, so a file grown on disk is never read into memory */
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || (uint64_t)sb.st_size != f->length) {
		close(fd);
		return content_fail(reason, reason_size, CONTENT_E_FILE,
				    "file %s: not %llu bytes on disk (changed or cut)", f->name,
				    (unsigned long long)f->length);
	}
	unsigned char *buf = malloc(f->length ? f->length : 1);
	size_t done = 0;
	while (buf && done < f->length) {
		ssize_t n = read(fd, buf + done, f->length - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	close(fd);
	int rc = CONTENT_OK;
	if (!buf)
		rc = content_fail(reason, reason_size, CONTENT_E_NOMEM, "out of memory");
	else if (done != f->length)
		rc = content_fail(reason, reason_size, CONTENT_E_FILE, "file %s: cut on disk",
				  f->name);
	else if (!sha256(buf, done, digest))
		rc = content_fail(reason, reason_size, CONTENT_E_NOMEM, "out of memory");
	else if (memcmp(digest, f->sha256, sizeof(digest)) != 0)
		rc = content_fail(reason, reason_size, CONTENT_E_FILE,
				  "file %s: SHA-256 differs on disk (changed file)", f->name);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*data = buf;
	*len = done;
	return CONTENT_OK;
}

void content_store_bundle_free(content_store_bundle *b)
{
	if (!b)
		return;
	content_manifest_free(b->m);
	free(b);
}

int content_store_active_id(const char *dir, char id[65], char *reason, size_t reason_size)
{
	struct store_state st;
	id[0] = '\0';
	int rc = store_state_read(dir, &st, reason, reason_size);
	if (rc < 0)
		return rc;
	if (!st.active[0])
		return content_fail(reason, reason_size, CONTENT_STORE_E_EMPTY,
				    "no active bundle in %s", dir);
	snprintf(id, 65, "%s", st.active);
	return CONTENT_OK;
}
