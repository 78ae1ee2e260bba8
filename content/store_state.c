/*
 * The bundle store's files: state.json (read strictly, written whole through a temporary
 * file, fsync and rename so a crash leaves the old or the new state and never a mix), the
 * keyring chain, and the kept signed manifests, each checked against the hash that names
 * it before it is used. Shared by the store's writers (store.c) and the kiosk's loader
 * (store_load.c).
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

#define STATE_MAX (64u * 1024u)

bool store_path(char out[PATH_MAX], const char *dir, const char *sub)
{
	int n = snprintf(out, PATH_MAX, "%s%s%s", dir, *sub ? "/" : "", sub);
	return n > 0 && n < PATH_MAX;
}

int store_fsync_dir(const char *dir, char *reason, size_t size)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int err = fd < 0 || fsync(fd) != 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	return err ? content_fail(reason, size, CONTENT_E_IO, "%s: %s", dir, strerror(err))
		   : CONTENT_OK;
}

int store_write_atomic(const char *path, const void *data, size_t len, char *reason, size_t size)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return content_fail(reason, size, CONTENT_E_IO, "store path too long");
	int err = content_file_replace(tmp, path, data, len);
	if (err)
		return content_fail(reason, size, CONTENT_E_IO, "writing %s: %s", path,
				    strerror(err));
	/* the rename itself must last too */
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	return store_fsync_dir(slash ? dir : ".", reason, size);
}

int store_read_all(const char *path, size_t cap, unsigned char **data, size_t *len, char *reason,
		   size_t size)
{
	*data = NULL;
	*len = 0;
	FILE *f = fopen(path, "rbe");
	if (!f)
		return content_fail(reason, size,
				    errno == ENOENT ? CONTENT_STORE_E_EMPTY : CONTENT_E_IO,
				    "%s: %s", path, strerror(errno));
	unsigned char *buf = malloc(cap + 2);
	if (!buf) {
		fclose(f);
		return content_fail(reason, size, CONTENT_E_NOMEM, "out of memory");
	}
	size_t n = fread(buf, 1, cap + 1, f);
	int bad = ferror(f);
	fclose(f);
	if (bad || n > cap) {
		free(buf);
		return content_fail(reason, size, bad ? CONTENT_E_IO : CONTENT_STORE_E_CORRUPT,
				    "%s: %s", path, bad ? "read error" : "larger than it can be");
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return CONTENT_OK;
}

/* ---- state.json ---- */

static int corrupt(char *reason, size_t size, const char *dir, const char *what)
{
	return content_fail(reason, size, CONTENT_STORE_E_CORRUPT, "%s/state.json: %s", dir, what);
}

static bool get_int(json_t *o, const char *key, int64_t *out)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		return false;
	*out = json_integer_value(v);
	return true;
}

static bool get_str(json_t *o, const char *key, char *out, size_t size)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v) || json_string_length(v) >= size)
		return false;
	snprintf(out, size, "%s", json_string_value(v));
	return true;
}

static bool get_slot(json_t *root, const char *key, char id[STORE_ID_HEX], int64_t *installed)
{
	json_t *o = json_object_get(root, key);
	id[0] = '\0';
	*installed = 0;
	if (json_is_null(o))
		return true;
	return json_is_object(o) && get_str(o, "id", id, STORE_ID_HEX) && sha256_hex_ok(id) &&
	       get_int(o, "installed", installed);
}

int store_state_read(const char *dir, struct store_state *st, char *reason, size_t size)
{
	char path[PATH_MAX];
	unsigned char *text;
	size_t len;
	memset(st, 0, sizeof(*st));
	if (!store_path(path, dir, "state.json"))
		return content_fail(reason, size, CONTENT_E_IO, "store path too long");
	int rc = store_read_all(path, STATE_MAX, &text, &len, reason, size);
	if (rc == CONTENT_STORE_E_EMPTY) {
		if (reason && size)
			reason[0] = '\0';
		return CONTENT_OK; /* a fresh store */
	}
	if (rc < 0)
		return rc;
	json_t *root = content_json_load((const char *)text, len, reason, size);
	free(text);
	if (!root)
		return corrupt(reason, size, dir, "not the JSON this store writes");
	int64_t format = 0;
	json_t *versions = json_object_get(root, "versions"),
	       *rej = json_object_get(root, "rejection");
	if (!get_int(root, "format", &format) || format != 1 ||
	    !get_int(root, "keyring", &st->keyring) ||
	    !get_int(root, "newest_created", &st->newest_created) ||
	    !get_slot(root, "active", st->active, &st->active_installed) ||
	    !get_slot(root, "previous", st->previous, &st->previous_installed) ||
	    !json_is_object(versions) || json_object_size(versions) > CONTENT_PUBLISHERS_MAX) {
		json_decref(root);
		return corrupt(reason, size, dir, "a field is missing or wrong");
	}
	const char *key;
	json_t *v;
	json_object_foreach(versions, key, v)
	{
		struct content_store_version *sv = &st->versions[st->nversions++];
		if (!json_is_integer(v) || strlen(key) >= sizeof(sv->publisher)) {
			json_decref(root);
			return corrupt(reason, size, dir, "a version is wrong");
		}
		snprintf(sv->publisher, sizeof(sv->publisher), "%s", key);
		sv->version = json_integer_value(v);
	}
	if (json_is_object(rej)) {
		int64_t code = 0;
		st->has_rejection =
		    get_int(rej, "at", &st->rejected_at) && get_int(rej, "code", &code) &&
		    get_str(rej, "reason", st->rejection, sizeof(st->rejection)) &&
		    get_str(rej, "source", st->rejected_source, sizeof(st->rejected_source));
		st->rejection_code = (int)code;
	}
	json_decref(root);
	return CONTENT_OK;
}

/* Reasons and sources are shown to people and kept as JSON: anything but printable ASCII
 * (a file name from a USB stick may be anything) becomes '?'. */
static json_t *printable(const char *s)
{
	char buf[CONTENT_REASON_MAX + 128];
	size_t i = 0;
	for (; s[i] && i < sizeof(buf) - 1; i++)
		buf[i] = (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f ? s[i] : '?';
	buf[i] = '\0';
	return json_string(buf);
}

static json_t *slot_json(const char *id, int64_t installed)
{
	if (!id[0])
		return json_null();
	return json_pack("{s:s, s:I}", "id", id, "installed", (json_int_t)installed);
}

int store_state_write(const char *dir, const struct store_state *st, char *reason, size_t size)
{
	char path[PATH_MAX];
	if (!store_path(path, dir, "state.json"))
		return content_fail(reason, size, CONTENT_E_IO, "store path too long");
	json_t *versions = json_object();
	for (size_t i = 0; i < st->nversions; i++)
		json_object_set_new(versions, st->versions[i].publisher,
				    json_integer(st->versions[i].version));
	json_t *rej =
	    st->has_rejection
		? json_pack("{s:I, s:i, s:o, s:o}", "at", (json_int_t)st->rejected_at, "code",
			    st->rejection_code, "reason", printable(st->rejection), "source",
			    printable(st->rejected_source))
		: json_null();
	json_t *root =
	    json_pack("{s:i, s:I, s:I, s:o, s:o, s:o, s:o}", "format", 1, "keyring",
		      (json_int_t)st->keyring, "newest_created", (json_int_t)st->newest_created,
		      "active", slot_json(st->active, st->active_installed), "previous",
		      slot_json(st->previous, st->previous_installed), "versions", versions,
		      "rejection", rej);
	char *text = root ? json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(root);
	if (!text)
		return content_fail(reason, size, CONTENT_E_NOMEM, "out of memory");
	int rc = store_write_atomic(path, text, strlen(text), reason, size);
	free(text);
	return rc;
}

int64_t store_state_version(const struct store_state *st, const char *publisher)
{
	for (size_t i = 0; i < st->nversions; i++)
		if (strcmp(st->versions[i].publisher, publisher) == 0)
			return st->versions[i].version;
	return 0;
}

/* ---- keyrings and manifests ---- */

int store_keyring_load(const char *dir, const struct store_state *st, content_keyring **out,
		       char *reason, size_t size)
{
	char anchor[PATH_MAX];
	struct stat sb;
	*out = NULL;
	if (!store_path(anchor, dir, "keyring/anchor.krg"))
		return content_fail(reason, size, CONTENT_E_IO, "store path too long");
	if (stat(anchor, &sb) != 0)
		return content_fail(reason, size, CONTENT_STORE_E_NOT_PROVISIONED,
				    "no trust anchor keyring in %s (not provisioned)", dir);
	content_keyring *kr = NULL;
	const char *one[] = { anchor };
	int rc = content_keyring_load_chain(one, 1, &kr, reason, size);
	if (rc < 0)
		return rc;
	/* each rotation verified against the one before, exactly as when it was accepted */
	while (rc == CONTENT_OK && st->keyring > content_keyring_version(kr)) {
		char path[PATH_MAX], sub[64];
		struct content_blob b;
		content_keyring *next = NULL;
		snprintf(sub, sizeof(sub), "keyring/%lld.krg",
			 (long long)content_keyring_version(kr) + 1);
		FILE *f = store_path(path, dir, sub) ? fopen(path, "rbe") : NULL;
		if (!f) {
			rc = content_fail(reason, size, CONTENT_STORE_E_CORRUPT, "%s/%s missing",
					  dir, sub);
			break;
		}
		rc = content_blob_read(f, CONTENT_BLOB_KEYRING, CONTENT_KEYRING_MAX, &b, reason,
				       size);
		fclose(f);
		if (rc == CONTENT_OK) {
			rc = content_keyring_verify(&b, kr, &next, reason, size);
			content_blob_finish(&b);
		}
		content_keyring_free(kr);
		kr = next;
	}
	if (rc < 0) {
		content_keyring_free(kr);
		return rc;
	}
	*out = kr;
	return CONTENT_OK;
}

int store_manifest_blob(const char *dir, const char *id, struct content_blob *b, char *reason,
			size_t size)
{
	char path[PATH_MAX], sub[96], hex[STORE_ID_HEX];
	unsigned char *data, digest[SHA256_BYTES];
	size_t len;
	memset(b, 0, sizeof(*b));
	snprintf(sub, sizeof(sub), "manifests/%s.admm", id);
	if (!store_path(path, dir, sub))
		return content_fail(reason, size, CONTENT_E_IO, "store path too long");
	int rc = store_read_all(path, 12 + CONTENT_MANIFEST_MAX + 1 + CONTENT_SIGS_MAX * 72, &data,
				&len, reason, size);
	if (rc == CONTENT_STORE_E_EMPTY)
		rc = content_fail(reason, size, CONTENT_STORE_E_CORRUPT,
				  "manifest %.16s named by state.json is missing", id);
	if (rc < 0)
		return rc;
	if (!sha256(data, len, digest)) {
		free(data);
		return content_fail(reason, size, CONTENT_E_NOMEM, "out of memory");
	}
	sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
	if (strcmp(hex, id) != 0) {
		free(data);
		return content_fail(reason, size, CONTENT_E_FILE,
				    "kept manifest %.16s changed on disk", id);
	}
	FILE *f = fmemopen(data, len, "rb");
	rc = f ? content_blob_read(f, CONTENT_BLOB_BUNDLE, CONTENT_MANIFEST_MAX, b, reason, size)
	       : content_fail(reason, size, CONTENT_E_NOMEM, "out of memory");
	if (f)
		fclose(f);
	free(data);
	return rc;
}

int store_manifest_load(const char *dir, const char *id, const content_keyring *kr,
			struct content_manifest **out, char *reason, size_t size)
{
	struct content_blob b;
	*out = NULL;
	int rc = store_manifest_blob(dir, id, &b, reason, size);
	if (rc < 0)
		return rc;
	if (kr)
		rc = content_manifest_verify(&b, kr, out, reason, size);
	else
		rc = content_manifest_parse((const char *)b.payload, b.len, out, reason, size);
	content_blob_finish(&b);
	return rc;
}
