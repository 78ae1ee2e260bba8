/*
 * Reading a bundle, in the only order that is safe: the signed header (capped) and its
 * signature against the keyring before the manifest is parsed; the manifest's rules and
 * then the kiosk's policy (publisher, version, expiry, scope) before a single file byte is
 * read; each file read to exactly its declared length, hashed and checked before it is
 * stored; and nothing after the last file. The stream carries no names, paths, modes or
 * links: files follow the manifest in its order, so an archive cannot smuggle a path, a
 * symlink, a hard link or a device node, and a file is stored under its own hash.
 */
#include "content_internal.h"

#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_CREATED_AHEAD (24 * 3600) /* a created this far past a sane clock is refused */

/* Collects the active publisher keys whose signatures over the manifest are valid. */
static int check_signature(const struct content_blob *b, const content_keyring *kr,
			   const struct content_publisher *signers[CONTENT_SIGS_MAX], size_t *n,
			   char *reason, size_t size)
{
	const struct content_publisher *revoked = NULL, *bad = NULL;
	char hex[CONTENT_KEYID_HEX] = "";
	*n = 0;
	for (size_t i = 0; i < b->nsigs; i++) {
		const struct content_publisher *p = content_keyring_find(kr, b->sigs[i].keyid);
		if (!p)
			content_key_id_hex(b->sigs[i].keyid, hex);
		else if (p->revoked)
			revoked = p;
		else if (content_blob_sig_ok(b, &b->sigs[i], p->pk))
			signers[(*n)++] = p;
		else
			bad = p;
	}
	if (*n)
		return CONTENT_OK;
	if (revoked) {
		content_key_id_hex(revoked->keyid, hex);
		return content_fail(reason, size, CONTENT_E_REVOKED,
				    "signed by key %s of %s, revoked in keyring %lld", hex,
				    revoked->id, (long long)content_keyring_version(kr));
	}
	if (bad) {
		content_key_id_hex(bad->keyid, hex);
		return content_fail(
		    reason, size, CONTENT_E_SIGNATURE,
		    "signature by key %s of %s does not match the manifest (changed "
		    "after signing)",
		    hex, bad->id);
	}
	if (b->nsigs == 0)
		return content_fail(reason, size, CONTENT_E_SIGNATURE, "bundle is not signed");
	return content_fail(reason, size, CONTENT_E_SIGNATURE,
			    "signed by key %s, not in keyring %lld (wrong key)", hex,
			    (long long)content_keyring_version(kr));
}

/* The signer that the manifest names as its publisher. */
static const struct content_publisher *
named_signer(const struct content_manifest *m,
	     const struct content_publisher *const signers[CONTENT_SIGS_MAX], size_t n,
	     char *reason, size_t size)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(signers[i]->id, m->publisher) == 0)
			return signers[i];
	content_fail(reason, size, CONTENT_E_SIGNATURE,
		     "manifest names publisher %s but is signed by %s's key", m->publisher,
		     signers[0]->id);
	return NULL;
}

static bool publisher_covers(const struct content_publisher *pub, const char *region)
{
	for (size_t j = 0; j < pub->nregions; j++)
		if (content_region_covers(pub->regions[j], region))
			return true;
	return false;
}

static int check_policy(const struct content_manifest *m, const struct content_publisher *pub,
			const content_keyring *kr, const struct content_policy *p, char *reason,
			size_t size)
{
	char t1[21], t2[21];
	int64_t last = p->last_version ? p->last_version(pub->id, p->user) : 0;
	if (m->version <= last)
		return content_fail(reason, size, CONTENT_E_VERSION,
				    "version %lld of %s is not newer than %lld, already accepted "
				    "(replay or rollback)",
				    (long long)m->version, pub->id, (long long)last);
	/* what the kiosk knows about time without its clock: the newest bundle it accepted,
	 * the keyring it holds, the firmware's own era */
	int64_t known = content_keyring_created(kr);
	if (p->newest_created > known)
		known = p->newest_created;
	int64_t floor = content_effective_now(INT64_MIN, known);
	int64_t now = content_effective_now(p->wall_now, known);
	if (m->expires <= now) {
		content_time_format(m->expires, t1);
		content_time_format(now, t2);
		return content_fail(reason, size, CONTENT_E_EXPIRED,
				    "bundle expired at %s (kiosk time %s)", t1, t2);
	}
	if (p->wall_now >= floor && m->created > p->wall_now + MAX_CREATED_AHEAD) {
		content_time_format(m->created, t1);
		content_time_format(p->wall_now, t2);
		return content_fail(reason, size, CONTENT_E_MANIFEST,
				    "created %s is more than a day ahead of the kiosk clock %s", t1,
				    t2);
	}
	for (size_t i = 0; i < m->nregions; i++)
		if (!publisher_covers(pub, m->regions[i]))
			return content_fail(reason, size, CONTENT_E_SCOPE,
					    "publisher %s may not publish to region %s", pub->id,
					    m->regions[i]);
	if (!p->region && !p->kiosk_id)
		return CONTENT_OK; /* an office checking its own bundle */
	/* a bundle addressed to kiosk ids still comes only from the kiosk's own region */
	if (!p->region)
		return content_fail(reason, size, CONTENT_E_SCOPE,
				    "this kiosk has no region configured");
	if (!publisher_covers(pub, p->region))
		return content_fail(reason, size, CONTENT_E_SCOPE,
				    "publisher %s may not publish to this kiosk's region %s",
				    pub->id, p->region);
	bool mine = false;
	for (size_t i = 0; i < m->nregions && !mine; i++)
		mine = content_region_covers(m->regions[i], p->region);
	for (size_t i = 0; i < m->nkiosks && !mine; i++)
		mine = p->kiosk_id && strcmp(m->kiosks[i], p->kiosk_id) == 0;
	if (!mine)
		return content_fail(reason, size, CONTENT_E_SCOPE,
				    "bundle is for %s%s and not this kiosk (region %s)",
				    m->nregions ? "region " : "kiosks ",
				    m->nregions ? m->regions[0] : m->kiosks[0], p->region);
	return CONTENT_OK;
}

/* Stores a checked file as DIR/<sha256 hex>, through a temporary name and fsync. */
static int store(const char *dir, const struct content_file *f, const unsigned char *data,
		 char *reason, size_t size)
{
	char hex[65], path[PATH_MAX], tmp[PATH_MAX];
	sodium_bin2hex(hex, sizeof(hex), f->sha256, 32);
	if (snprintf(path, sizeof(path), "%s/%s", dir, hex) >= (int)sizeof(path) ||
	    snprintf(tmp, sizeof(tmp), "%s/%s.tmp", dir, hex) >= (int)sizeof(tmp))
		return content_fail(reason, size, CONTENT_E_IO, "store folder path too long");
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return content_fail(reason, size, CONTENT_E_IO, "storing %s: %s", f->name,
				    strerror(errno));
	size_t done = 0;
	while (done < f->length) {
		ssize_t n = write(fd, data + done, f->length - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	int err = done == f->length ? 0 : errno ? errno : ENOSPC;
	if (!err && fsync(fd) != 0)
		err = errno;
	if (close(fd) != 0 && !err)
		err = errno;
	if (!err && rename(tmp, path) != 0)
		err = errno;
	if (err) {
		unlink(tmp);
		return content_fail(reason, size, CONTENT_E_IO, "storing %s: %s", f->name,
				    strerror(err));
	}
	return CONTENT_OK;
}

static int read_files(FILE *in, const struct content_manifest *m, const char *dir, char *reason,
		      size_t size)
{
	unsigned char *buf = NULL, digest[32];
	size_t cap = 0;
	int rc = CONTENT_OK;
	for (size_t i = 0; i < m->nfiles && rc == CONTENT_OK; i++) {
		const struct content_file *f = &m->files[i];
		if (f->length > cap) {
			unsigned char *nb = realloc(buf, f->length);
			if (!nb) {
				rc = content_fail(reason, size, CONTENT_E_NOMEM, "out of memory");
				break;
			}
			buf = nb;
			cap = f->length;
		}
		size_t got = fread(buf, 1, f->length, in);
		if (got != f->length)
			rc =
			    content_fail(reason, size, ferror(in) ? CONTENT_E_IO : CONTENT_E_FORMAT,
					 "bundle truncated in file %s (%zu of %llu bytes)", f->name,
					 got, (unsigned long long)f->length);
		else if (!sha256(buf, got, digest))
			rc = content_fail(reason, size, CONTENT_E_NOMEM, "out of memory");
		else if (memcmp(digest, f->sha256, 32) != 0)
			rc = content_fail(
			    reason, size, CONTENT_E_FILE,
			    "file %s: SHA-256 differs from the manifest (changed file)", f->name);
		else
			rc = content_image_check(f, buf, got, reason, size);
		if (rc == CONTENT_OK && dir)
			rc = store(dir, f, buf, reason, size);
	}
	free(buf);
	if (rc == CONTENT_OK && fgetc(in) != EOF)
		rc = content_fail(reason, size, CONTENT_E_FILE,
				  "stream longer than declared: data after the last file");
	if (rc == CONTENT_OK && ferror(in))
		rc = content_fail(reason, size, CONTENT_E_IO, "read error");
	if (rc == CONTENT_OK && dir) {
		/* the renames themselves must survive a power cut before anyone switches */
		int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || fsync(fd) != 0)
			rc = content_fail(reason, size, CONTENT_E_IO, "store folder: %s",
					  strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return rc;
}

int content_bundle_read(FILE *in, const content_keyring *kr, const struct content_policy *p,
			struct content_manifest **out, char *reason, size_t reason_size)
{
	struct content_blob b;
	struct content_manifest *m = NULL;
	const struct content_publisher *signers[CONTENT_SIGS_MAX], *pub = NULL;
	size_t nsigners = 0;
	*out = NULL;
	int rc = content_blob_read(in, CONTENT_BLOB_BUNDLE, CONTENT_MANIFEST_MAX, &b, reason,
				   reason_size);
	if (rc < 0)
		return rc;
	rc = check_signature(&b, kr, signers, &nsigners, reason, reason_size);
	if (rc == CONTENT_OK)
		rc =
		    content_manifest_parse((const char *)b.payload, b.len, &m, reason, reason_size);
	content_blob_finish(&b);
	if (rc == CONTENT_OK && !(pub = named_signer(m, signers, nsigners, reason, reason_size)))
		rc = CONTENT_E_SIGNATURE;
	if (rc == CONTENT_OK)
		rc = check_policy(m, pub, kr, p, reason, reason_size);
	if (rc == CONTENT_OK)
		rc = read_files(in, m, p->store_dir, reason, reason_size);
	if (rc < 0) {
		content_manifest_free(m);
		return rc;
	}
	*out = m;
	return CONTENT_OK;
}
