/*
 * The bundle store's writers: provisioning, install, rollback, status (store.h has the
 * layout and the rules). Install and rollback hold an flock on DIR/lock, so adm-syncd and
 * admctl never interleave; the kiosk's loader (store_load.c) takes no lock and relies on
 * state.json being replaced whole.
 *
 * Install in the order that keeps the active bundle safe: verify into staging/ (the
 * library's reader, with the store's versions and time floor as policy), move the files
 * into files/ (a rename each: same file system), write the signed manifest and any
 * delivered keyring rotation, and only then replace state.json. Collecting what no kept
 * bundle needs comes after the switch, and again before the next install, which also
 * removes what a crash left behind.
 */
#include "store_internal.h"

#include "sha256.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The signed header of a bundle at its largest: magic, length, manifest, signatures. */
#define BLOB_MAX (12u + CONTENT_MANIFEST_MAX + 1u + CONTENT_SIGS_MAX * 72u)
/* Keyring rotations delivered with one bundle: a kiosk years behind still catches up. */
#define ROTATIONS_MAX 16

const char *content_store_strerror(int err)
{
	switch (err) {
	case CONTENT_STORE_E_NOT_PROVISIONED:
		return "store not provisioned (no trust anchor keyring)";
	case CONTENT_STORE_E_EMPTY:
		return "no bundle";
	case CONTENT_STORE_E_CORRUPT:
		return "store damaged";
	case CONTENT_STORE_E_ANCHOR:
		return "a different trust anchor is provisioned";
	}
	return content_strerror(err);
}

static const char *const subdirs[] = { "keyring", "manifests", "files", "staging" };

int content_store_open(const char *dir, content_store **out, char *reason, size_t reason_size)
{
	char path[PATH_MAX];
	*out = NULL;
	content_store *s = calloc(1, sizeof(*s));
	if (!s)
		return content_fail(reason, reason_size, CONTENT_E_NOMEM, "out of memory");
	s->lock_fd = -1;
	int rc = CONTENT_E_IO;
	if (!store_path(s->dir, dir, "")) {
		content_fail(reason, reason_size, rc, "store path too long");
		goto fail;
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		content_fail(reason, reason_size, rc, "%s: %s", dir, strerror(errno));
		goto fail;
	}
	for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		if (!store_path(path, dir, subdirs[i]) ||
		    (mkdir(path, 0755) != 0 && errno != EEXIST)) {
			content_fail(reason, reason_size, rc, "%s: %s", path, strerror(errno));
			goto fail;
		}
	}
	if (!store_path(path, dir, "lock") ||
	    (s->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		content_fail(reason, reason_size, rc, "%s: %s", path, strerror(errno));
		goto fail;
	}
	*out = s;
	return CONTENT_OK;
fail:
	content_store_close(s);
	return rc;
}

void content_store_close(content_store *s)
{
	if (!s)
		return;
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s);
}

/* Blocks until no other installer holds the store; released by store_unlock(). */
int store_lock(content_store *s, char *reason, size_t size)
{
	while (flock(s->lock_fd, LOCK_EX) != 0)
		if (errno != EINTR)
			return content_fail(reason, size, CONTENT_E_IO, "locking %s: %s", s->dir,
					    strerror(errno));
	return CONTENT_OK;
}

void store_unlock(content_store *s)
{
	flock(s->lock_fd, LOCK_UN);
}

/* ---- garbage collection ---- */

static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char sub[PATH_MAX];
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name) >= (int)sizeof(sub))
			continue;
		if (e->d_type == DT_DIR)
			remove_tree(sub);
		else
			unlink(sub);
	}
	if (d)
		closedir(d);
	rmdir(path);
}

static bool kept_file(const struct content_manifest *const *kept, size_t n, const char *name)
{
	char hex[STORE_ID_HEX];
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; kept[i] && j < kept[i]->nfiles; j++) {
			sodium_bin2hex(hex, sizeof(hex), kept[i]->files[j].sha256, 32);
			if (strcmp(hex, name) == 0)
				return true;
		}
	return false;
}

/*
 * Removes what state.json does not name: staging folders, temporary files, manifests and
 * files of bundles no longer kept, keyrings above the accepted one. Called with the lock
 * held. If a kept manifest cannot be read, no file is removed (better a full disk than a
 * bundle without its files).
 */
void store_collect(const content_store *s, const struct store_state *st)
{
	char path[PATH_MAX], sub[PATH_MAX];
	const char *ids[2] = { st->active, st->previous };
	struct content_manifest *kept[2] = { NULL, NULL };
	bool files_ok = true;
	for (int i = 0; i < 2; i++)
		if (ids[i][0] && store_manifest_load(s->dir, ids[i], NULL, &kept[i], NULL, 0) < 0)
			files_ok = false;

	if (store_path(path, s->dir, "staging")) {
		DIR *d = opendir(path);
		struct dirent *e;
		while (d && (e = readdir(d)))
			if (e->d_name[0] != '.' &&
			    snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name) < (int)sizeof(sub))
				remove_tree(sub);
		if (d)
			closedir(d);
	}
	static const char *const dirs[] = { "files", "manifests", "keyring" };
	for (size_t k = 0; k < 3; k++) {
		if (!store_path(path, s->dir, dirs[k]))
			continue;
		DIR *d = opendir(path);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			const char *n = e->d_name;
			size_t len = strlen(n);
			bool drop;
			if (n[0] == '.')
				continue;
			if (len > 4 && strcmp(n + len - 4, ".tmp") == 0)
				drop = true;
			else if (k == 0)
				drop =
				    files_ok &&
				    !kept_file((const struct content_manifest *const *)kept, 2, n);
			else if (k == 1)
				drop = !((ids[0][0] && strncmp(n, ids[0], 64) == 0) ||
					 (ids[1][0] && strncmp(n, ids[1], 64) == 0));
			else
				drop = strcmp(n, "anchor.krg") != 0 && atoll(n) > st->keyring;
			if (drop && snprintf(sub, sizeof(sub), "%s/%s", path, n) < (int)sizeof(sub))
				unlink(sub);
		}
		if (d)
			closedir(d);
	}
	content_manifest_free(kept[0]);
	content_manifest_free(kept[1]);
}

/* ---- provisioning ---- */

int content_store_provision(content_store *s, const char *anchor_path, char *reason,
			    size_t reason_size)
{
	char path[PATH_MAX];
	unsigned char *data = NULL, *old = NULL;
	size_t len, oldlen;
	int rc = store_read_all(anchor_path, CONTENT_KEYRING_MAX + 1024, &data, &len, reason,
				reason_size);
	if (rc == CONTENT_STORE_E_EMPTY)
		rc = CONTENT_E_IO;
	if (rc < 0)
		return rc;
	content_keyring *kr = NULL;
	const char *one[] = { anchor_path };
	rc = content_keyring_load_chain(one, 1, &kr, reason, reason_size);
	content_keyring_free(kr);
	if (rc == CONTENT_OK)
		rc = store_lock(s, reason, reason_size);
	if (rc < 0) {
		free(data);
		return rc;
	}
	store_path(path, s->dir, "keyring/anchor.krg");
	int had = store_read_all(path, CONTENT_KEYRING_MAX + 1024, &old, &oldlen, NULL, 0);
	if (had == CONTENT_OK)
		rc = oldlen == len && memcmp(old, data, len) == 0
			 ? CONTENT_OK
			 : content_fail(reason, reason_size, CONTENT_STORE_E_ANCHOR,
					"%s holds another trust anchor; a kiosk is re-provisioned "
					"with a new store",
					s->dir);
	else
		rc = store_write_atomic(path, data, len, reason, reason_size);
	store_unlock(s);
	free(old);
	free(data);
	return rc;
}

/* ---- install ---- */

/* A stream that keeps a copy of the first BLOB_MAX bytes read through it: the signed
 * manifest that the store keeps is exactly the bytes the reader verified. */
struct tee {
	FILE *in;
	unsigned char *buf;
	size_t len;
};

static ssize_t tee_read(void *cookie, char *buf, size_t size)
{
	struct tee *t = cookie;
	size_t n = fread(buf, 1, size, t->in);
	if (n == 0 && ferror(t->in))
		return -1;
	size_t keep = n < BLOB_MAX - t->len ? n : BLOB_MAX - t->len;
	memcpy(t->buf + t->len, buf, keep);
	t->len += keep;
	return (ssize_t)n;
}

static int64_t last_version(const char *publisher, void *user)
{
	return store_state_version(user, publisher);
}

/* Moves the verified files from staging into files/ (a rename each) and makes it last. */
static int move_files(const content_store *s, const char *staging, const struct content_manifest *m,
		      char *reason, size_t size)
{
	char from[PATH_MAX], to[PATH_MAX], files[PATH_MAX], hex[STORE_ID_HEX];
	store_path(files, s->dir, "files");
	for (size_t i = 0; i < m->nfiles; i++) {
		sodium_bin2hex(hex, sizeof(hex), m->files[i].sha256, 32);
		if (!store_path(from, staging, hex) || !store_path(to, files, hex))
			return content_fail(reason, size, CONTENT_E_IO, "store path too long");
		if (rename(from, to) != 0)
			return content_fail(reason, size, CONTENT_E_IO, "moving %s: %s",
					    m->files[i].name, strerror(errno));
	}
	return store_fsync_dir(files, reason, size);
}

static int64_t wall(const struct content_store_install_opts *o)
{
	return o->wall_now ? o->wall_now : (int64_t)time(NULL);
}

void store_record(const content_store *s, int64_t at, const char *source, int code, const char *why)
{
	struct store_state st;
	if (store_state_read(s->dir, &st, NULL, 0) < 0)
		return;
	st.has_rejection = true;
	st.rejected_at = at;
	st.rejection_code = code;
	snprintf(st.rejection, sizeof(st.rejection), "%s", why);
	snprintf(st.rejected_source, sizeof(st.rejected_source), "%s", source ? source : "stream");
	store_state_write(s->dir, &st, NULL, 0);
}

static void set_version(struct store_state *st, const char *publisher, int64_t version)
{
	for (size_t i = 0; i < st->nversions; i++)
		if (strcmp(st->versions[i].publisher, publisher) == 0) {
			st->versions[i].version = version;
			return;
		}
	if (st->nversions < CONTENT_PUBLISHERS_MAX) {
		struct content_store_version *v = &st->versions[st->nversions++];
		snprintf(v->publisher, sizeof(v->publisher), "%s", publisher);
		v->version = version;
	}
}

/* Everything after the lock: returns with staging removed, whatever happened. */
static int install_locked(content_store *s, FILE *in, const struct content_store_install_opts *o,
			  char *reason, size_t size)
{
	struct store_state st;
	struct content_blob rot[ROTATIONS_MAX];
	size_t nrot = 0;
	content_keyring *kr = NULL;
	struct content_manifest *m = NULL;
	struct tee t = { .in = in };
	FILE *tin = NULL;
	char staging[PATH_MAX] = "", path[PATH_MAX], id[STORE_ID_HEX], sub[96];
	unsigned char digest[SHA256_BYTES];
	int rc = store_state_read(s->dir, &st, reason, size);
	if (rc == CONTENT_OK)
		rc = store_keyring_load(s->dir, &st, &kr, reason, size);
	if (rc < 0)
		return rc;
	store_collect(s, &st); /* what an earlier crash left */
	int64_t old_head = content_keyring_version(kr);
	if (o->nkeyrings > sizeof(rot) / sizeof(rot[0]))
		rc = content_fail(reason, size, CONTENT_E_TOO_BIG, "more than %zu keyrings given",
				  sizeof(rot) / sizeof(rot[0]));
	else
		rc =
		    store_keyrings_accept(o->keyrings, o->nkeyrings, &kr, rot, &nrot, reason, size);
	if (rc < 0)
		goto out;

	if (!store_path(staging, s->dir, "staging/XXXXXX") || !mkdtemp(staging)) {
		rc = content_fail(reason, size, CONTENT_E_IO, "staging in %s: %s", s->dir,
				  strerror(errno));
		staging[0] = '\0';
		goto out;
	}
	t.buf = malloc(BLOB_MAX);
	tin = t.buf ? fopencookie(&t, "rb", (cookie_io_functions_t){ .read = tee_read }) : NULL;
	if (!tin) {
		rc = content_fail(reason, size, CONTENT_E_NOMEM, "out of memory");
		goto out;
	}
	struct content_policy p = { .kiosk_id = o->kiosk_id,
				    .region = o->region,
				    .wall_now = wall(o),
				    .newest_created = st.newest_created,
				    .last_version = last_version,
				    .user = &st,
				    .store_dir = staging };
	rc = content_bundle_read(tin, kr, &p, &m, reason, size);
	if (rc < 0)
		goto out;

	/* the verified signed header, byte for byte, is what the store keeps */
	struct content_blob b;
	FILE *hb = fmemopen(t.buf, t.len, "rb");
	rc = hb ? content_blob_read(hb, CONTENT_BLOB_BUNDLE, CONTENT_MANIFEST_MAX, &b, reason, size)
		: content_fail(reason, size, CONTENT_E_NOMEM, "out of memory");
	long blob_len = hb ? ftell(hb) : 0;
	if (hb)
		fclose(hb);
	if (rc < 0)
		goto out;
	content_blob_finish(&b);
	if (!sha256(t.buf, (size_t)blob_len, digest)) {
		rc = content_fail(reason, size, CONTENT_E_NOMEM, "out of memory");
		goto out;
	}
	sodium_bin2hex(id, sizeof(id), digest, sizeof(digest));
	snprintf(sub, sizeof(sub), "manifests/%s.admm", id);
	rc = move_files(s, staging, m, reason, size);
	if (rc == CONTENT_OK)
		rc = store_path(path, s->dir, sub)
			 ? store_write_atomic(path, t.buf, (size_t)blob_len, reason, size)
			 : content_fail(reason, size, CONTENT_E_IO, "store path too long");
	if (rc == CONTENT_OK)
		rc = store_keyrings_write(s->dir, rot, nrot, old_head + 1, reason, size);
	if (rc < 0)
		goto out;

	/* the switch */
	struct store_state next = st;
	snprintf(next.previous, sizeof(next.previous), "%s", st.active);
	next.previous_installed = st.active_installed;
	snprintf(next.active, sizeof(next.active), "%s", id);
	next.active_installed = wall(o);
	next.keyring = content_keyring_version(kr);
	set_version(&next, m->publisher, m->version);
	if (m->created > next.newest_created)
		next.newest_created = m->created;
	rc = store_state_write(s->dir, &next, reason, size);
	if (rc == CONTENT_OK)
		store_collect(s, &next);
out:
	if (tin)
		fclose(tin);
	free(t.buf);
	for (size_t i = 0; i < nrot; i++)
		content_blob_finish(&rot[i]);
	content_manifest_free(m);
	content_keyring_free(kr);
	if (staging[0])
		remove_tree(staging);
	/* files moved in before a failed switch are orphans; collected against the state on
	 * disk, which is the new one if only the folder's fsync after the rename failed */
	struct store_state ondisk;
	if (rc < 0 && store_state_read(s->dir, &ondisk, NULL, 0) == CONTENT_OK)
		store_collect(s, &ondisk);
	return rc;
}

int content_store_install(content_store *s, FILE *in, const struct content_store_install_opts *o,
			  char *reason, size_t reason_size)
{
	if (!o->region)
		return content_fail(reason, reason_size, CONTENT_E_SCOPE,
				    "this kiosk has no region configured");
	int rc = store_lock(s, reason, reason_size);
	if (rc < 0)
		return rc;
	rc = install_locked(s, in, o, reason, reason_size);
	if (rc < 0 && rc != CONTENT_STORE_E_NOT_PROVISIONED && rc != CONTENT_STORE_E_CORRUPT)
		store_record(s, wall(o), o->source, rc, reason);
	store_unlock(s);
	return rc;
}

int content_store_install_file(content_store *s, const char *path,
			       const struct content_store_install_opts *o, char *reason,
			       size_t reason_size)
{
	FILE *f = fopen(path, "rbe");
	if (!f)
		return content_fail(reason, reason_size, CONTENT_E_IO, "%s: %s", path,
				    strerror(errno));
	struct content_store_install_opts with = *o;
	if (!with.source) {
		const char *base = strrchr(path, '/');
		with.source = base ? base + 1 : path;
	}
	int rc = content_store_install(s, f, &with, reason, reason_size);
	fclose(f);
	return rc;
}

/* ---- rollback ---- */

int content_store_rollback(content_store *s, char *reason, size_t reason_size)
{
	struct store_state st;
	content_keyring *kr = NULL;
	struct content_manifest *m = NULL;
	int rc = store_lock(s, reason, reason_size);
	if (rc < 0)
		return rc;
	rc = store_state_read(s->dir, &st, reason, reason_size);
	if (rc == CONTENT_OK && !st.previous[0])
		rc = content_fail(reason, reason_size, CONTENT_STORE_E_EMPTY,
				  "no previous bundle to roll back to");
	if (rc == CONTENT_OK)
		rc = store_keyring_load(s->dir, &st, &kr, reason, reason_size);
	if (rc == CONTENT_OK) {
		char why[CONTENT_REASON_MAX];
		rc = store_manifest_load(s->dir, st.previous, kr, &m, why, sizeof(why));
		if (rc < 0)
			content_fail(reason, reason_size, rc, "previous bundle refused: %s", why);
	}
	if (rc == CONTENT_OK) {
		struct store_state next = st;
		snprintf(next.active, sizeof(next.active), "%s", st.previous);
		snprintf(next.previous, sizeof(next.previous), "%s", st.active);
		next.active_installed = st.previous_installed;
		next.previous_installed = st.active_installed;
		rc = store_state_write(s->dir, &next, reason, reason_size);
		if (rc == CONTENT_OK)
			store_collect(s, &next);
	}
	content_manifest_free(m);
	content_keyring_free(kr);
	store_unlock(s);
	return rc;
}

/* ---- status ---- */

static void bundle_info(const content_store *s, const char *id, int64_t installed, int64_t now,
			struct content_store_bundle_info *out)
{
	struct content_manifest *m = NULL;
	memset(out, 0, sizeof(*out));
	if (!id[0])
		return;
	snprintf(out->id, sizeof(out->id), "%s", id);
	if (store_manifest_load(s->dir, id, NULL, &m, NULL, 0) < 0) {
		out->damaged = true;
		return;
	}
	out->present = true;
	snprintf(out->publisher, sizeof(out->publisher), "%s", m->publisher);
	out->version = m->version;
	out->created = m->created;
	out->expires = m->expires;
	out->expired = m->expires <= now;
	out->installed = installed;
	out->nfiles = m->nfiles;
	out->nitems = m->nitems;
	content_manifest_free(m);
}

int content_store_status(content_store *s, int64_t wall_now, struct content_store_status *out,
			 char *reason, size_t reason_size)
{
	struct store_state st;
	content_keyring *kr = NULL;
	memset(out, 0, sizeof(*out));
	int rc = store_state_read(s->dir, &st, reason, reason_size);
	if (rc < 0)
		return rc;
	int64_t known = st.newest_created;
	rc = store_keyring_load(s->dir, &st, &kr, reason, reason_size);
	if (rc == CONTENT_OK) {
		out->provisioned = true;
		out->keyring_version = content_keyring_version(kr);
		if (content_keyring_created(kr) > known)
			known = content_keyring_created(kr);
		content_keyring_free(kr);
	} else if (rc != CONTENT_STORE_E_NOT_PROVISIONED) {
		return rc;
	}
	out->newest_created = st.newest_created;
	out->effective_now =
	    content_effective_now(wall_now ? wall_now : (int64_t)time(NULL), known);
	bundle_info(s, st.active, st.active_installed, out->effective_now, &out->active);
	bundle_info(s, st.previous, st.previous_installed, out->effective_now, &out->previous);
	memcpy(out->versions, st.versions, sizeof(st.versions));
	out->nversions = st.nversions;
	out->has_rejection = st.has_rejection;
	out->rejected_at = st.rejected_at;
	out->rejection_code = st.rejection_code;
	snprintf(out->rejection, sizeof(out->rejection), "%s", st.rejection);
	snprintf(out->rejected_source, sizeof(out->rejected_source), "%s", st.rejected_source);
	return CONTENT_OK;
}
