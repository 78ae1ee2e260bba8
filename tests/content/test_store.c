/*
 * The kiosk's bundle store (content/store.h), one meson test per case (test-store CASE):
 * install, sharing and collection of files, the load the kiosk uses, rollback and the
 * version rule, keyring rotation delivered with a bundle, and each bad input of issue 12
 * offered to a store whose version 3 is active: every refusal must leave the active bundle
 * (its state, manifests, files and keyrings, byte for byte) untouched and loadable, the
 * staging folder empty, and the reason in the status. The kill cases SIGKILL a child
 * process installing through a pipe, during verify and during the switch, many times.
 */
#include "fixture.h"
#include "sha256.h"
#include "store.h"
#include "synth_image.h"

#include "../check.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REFUSED(rc, code, reason, needle)                                                          \
	CHECK((rc) == (code) && strstr((reason), (needle)), "got %s: %s (wanted %s, \"%s\")",      \
	      content_store_strerror(rc), (reason), content_store_strerror(code), (needle))
#define ACCEPTED(rc, reason) CHECK((rc) == CONTENT_OK, "refused: %s", (reason))

static struct fx fx;
static char reason[CONTENT_REASON_MAX];
static char dir[64], anchor[96];
static struct fx_file two[2];
static content_store *store;

/* ---- helpers ---- */

static void keyring_file(const char *path, json_t *kr, const struct fx_key *const *signers,
			 size_t n)
{
	char *text = json_dumps(kr, JSON_COMPACT);
	struct content_blob b = { .kind = CONTENT_BLOB_KEYRING,
				  .payload = (unsigned char *)text,
				  .len = strlen(text) };
	for (size_t i = 0; i < n; i++)
		content_blob_sign(&b, signers[i]->sk);
	FILE *f = fopen(path, "wb");
	CHECK(f && content_blob_write(f, &b) == CONTENT_OK, "writing %s", path);
	if (f)
		fclose(f);
	content_blob_finish(&b);
}

static json_t *manifest(int64_t version, const struct fx_file *files, size_t n)
{
	json_t *m = fx_manifest(files, n);
	json_object_set_new(m, "version", json_integer(version));
	return m;
}

static struct content_store_install_opts opts(void)
{
	return (struct content_store_install_opts){
		.kiosk_id = "ADM-TEST-01", .region = "32.73", .wall_now = FX_T0, .source = "test"
	};
}

static int install_buf(const unsigned char *b, size_t len,
		       const struct content_store_install_opts *o)
{
	FILE *f = fmemopen((void *)b, len, "rb");
	reason[0] = '\0';
	int rc = content_store_install(store, f, o, reason, sizeof(reason));
	fclose(f);
	if (getenv("VERBOSE"))
		fprintf(stderr, "  install: %s: %s\n", content_store_strerror(rc), reason);
	return rc;
}

static int install_m(json_t *m, const struct fx_key *signer, const struct fx_file *files, size_t n,
		     const struct content_store_install_opts *o)
{
	size_t len;
	unsigned char *b = fx_bundle_json(m, signer, files, n, &len);
	int rc = install_buf(b, len, o);
	free(b);
	return rc;
}

/* Version v of the office's two-file bundle, installed with the default kiosk. */
static int install_v(int64_t v)
{
	json_t *m = manifest(v, two, 2);
	struct content_store_install_opts o = opts();
	int rc = install_m(m, &fx.office, two, 2, &o);
	json_decref(m);
	return rc;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

/* A fresh store provisioned with keyring 1, version 3 active. */
static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/adm-store-XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	snprintf(anchor, sizeof(anchor), "%s.anchor.krg", dir);
	json_t *kr = fx_keyring_json(1, fx.root, 3, 2);
	fx_keyring_add(kr, "dukcapil-3273", &fx.office, "32.73", false);
	const struct fx_key *signers[] = { &fx.root[0], &fx.root[2] };
	keyring_file(anchor, kr, signers, 2);
	json_decref(kr);
	CHECK(content_store_open(dir, &store, reason, sizeof(reason)) == CONTENT_OK, "%s", reason);
	CHECK(content_store_provision(store, anchor, reason, sizeof(reason)) == CONTENT_OK, "%s",
	      reason);
	ACCEPTED(install_v(3), reason);
}

static void teardown(void)
{
	content_store_close(store);
	store = NULL;
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	unlink(anchor);
}

/* The names in DIR/sub, sorted, one a line, into out. */
static size_t list_dir(const char *sub, char *out, size_t size)
{
	char path[PATH_MAX];
	struct dirent **names;
	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	int n = scandir(path, &names, NULL, alphasort), count = 0;
	size_t used = strlen(out);
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			used += (size_t)snprintf(out + used, used < size ? size - used : 0,
						 "%s/%s\n", sub, names[i]->d_name);
			count++;
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return (size_t)count;
}

struct snap {
	char active[65], previous[65];
	int64_t keyring;
	char listing[16384];
};

static struct snap snap(void)
{
	struct snap s = { 0 };
	struct content_store_status st;
	CHECK(content_store_status(store, FX_T0, &st, reason, sizeof(reason)) == CONTENT_OK, "%s",
	      reason);
	snprintf(s.active, sizeof(s.active), "%s", st.active.id);
	snprintf(s.previous, sizeof(s.previous), "%s", st.previous.id);
	s.keyring = st.keyring_version;
	list_dir("files", s.listing, sizeof(s.listing));
	list_dir("manifests", s.listing, sizeof(s.listing));
	list_dir("keyring", s.listing, sizeof(s.listing));
	return s;
}

static size_t staging_entries(void)
{
	char buf[4096] = "";
	return list_dir("staging", buf, sizeof(buf));
}

/* The active bundle loads as the kiosk loads it, at version, with every file's bytes. */
static void check_loads(int64_t version, const struct fx_file *files, size_t n)
{
	content_store_bundle *b = NULL;
	char why[CONTENT_REASON_MAX] = "";
	int rc = content_store_load_active(dir, &b, why, sizeof(why));
	CHECK(rc == CONTENT_OK, "load_active: %s", why);
	if (rc < 0)
		return;
	const struct content_manifest *m = content_store_bundle_manifest(b);
	CHECK(m->version == version, "active is version %lld, wanted %lld", (long long)m->version,
	      (long long)version);
	CHECK(m->nfiles == n, "%zu files, wanted %zu", m->nfiles, n);
	for (size_t i = 0; i < m->nfiles && i < n; i++) {
		unsigned char *data = NULL;
		size_t len = 0;
		rc = content_store_bundle_read_file(b, &m->files[i], &data, &len, why, sizeof(why));
		CHECK(rc == CONTENT_OK && len == files[i].img->len &&
			  memcmp(data, files[i].img->data, len) == 0,
		      "file %zu: %s", i, why);
		free(data);
	}
	content_store_bundle_free(b);
}

/* Nothing changed but the rejection record, and the active bundle still loads. */
static void check_untouched(const struct snap *before, int64_t version)
{
	struct snap now = snap();
	CHECK(strcmp(now.active, before->active) == 0 &&
		  strcmp(now.previous, before->previous) == 0,
	      "active or previous changed");
	CHECK(now.keyring == before->keyring, "keyring %lld, was %lld", (long long)now.keyring,
	      (long long)before->keyring);
	CHECK(strcmp(now.listing, before->listing) == 0, "store changed:\n%s--- was:\n%s",
	      now.listing, before->listing);
	CHECK(staging_entries() == 0, "staging not cleaned up");
	check_loads(version, two, 2);
}

static void check_rejection(int code, const char *needle)
{
	struct content_store_status st;
	CHECK(content_store_status(store, FX_T0, &st, reason, sizeof(reason)) == CONTENT_OK);
	CHECK(st.has_rejection && st.rejection_code == code && strstr(st.rejection, needle) &&
		  strcmp(st.rejected_source, "test") == 0,
	      "status rejection: %s (%s), wanted \"%s\"", st.rejection,
	      content_store_strerror(st.rejection_code), needle);
}

/* A refusal of an offered bundle, the whole contract: the code and reason, the store as
 * it was with version 3 (or active) still active, the reason in the status. */
static void refused(int rc, int code, const char *needle, const struct snap *before, int64_t active)
{
	REFUSED(rc, code, reason, needle);
	check_untouched(before, active);
	check_rejection(code, needle);
}

static json_t *file0(json_t *m)
{
	return json_array_get(json_object_get(m, "files"), 0);
}

/* ---- the good paths ---- */

static void case_install(void)
{
	struct content_store_status st;
	char id[65];
	setup();
	CHECK(content_store_status(store, FX_T0, &st, reason, sizeof(reason)) == CONTENT_OK);
	CHECK(st.provisioned && st.keyring_version == 1 && st.active.present &&
	      st.active.version == 3 && !st.active.expired && !st.previous.present &&
	      st.nversions == 1 && st.versions[0].version == 3 && !st.has_rejection);
	CHECK(st.newest_created == FX_T0 - 3600);
	check_loads(3, two, 2);
	CHECK(content_store_active_id(dir, id, reason, sizeof(reason)) == CONTENT_OK &&
	      strcmp(id, st.active.id) == 0);
	/* the same anchor again is fine, another one is not */
	CHECK(content_store_provision(store, anchor, reason, sizeof(reason)) == CONTENT_OK);
	char other[128];
	snprintf(other, sizeof(other), "%s.other.krg", dir);
	json_t *kr = fx_keyring_json(1, fx.root, 3, 2);
	const struct fx_key *signers[] = { &fx.root[0], &fx.root[1] };
	keyring_file(other, kr, signers, 2);
	json_decref(kr);
	REFUSED(content_store_provision(store, other, reason, sizeof(reason)),
		CONTENT_STORE_E_ANCHOR, reason, "another trust anchor");
	unlink(other);

	/* v4 shares the PNG and brings a new image; v3 stays as previous */
	struct fx_image small = { .w = 32, .h = 24, .type = "png" };
	CHECK(synth_image(32, 24, false, 77, 0, &small.data, &small.len));
	struct fx_file v4files[2] = { { "banner-a.png", &fx.png }, { "banner-c.png", &small } };
	json_t *m = manifest(4, v4files, 2);
	struct content_store_install_opts o = opts();
	ACCEPTED(install_m(m, &fx.office, v4files, 2, &o), reason);
	json_decref(m);
	struct snap s = snap();
	CHECK(content_store_status(store, FX_T0, &st, reason, sizeof(reason)) == CONTENT_OK);
	CHECK(st.active.version == 4 && st.previous.version == 3);
	CHECK(strstr(s.listing, "manifests/") && strcmp(s.active, id) != 0 &&
	      strcmp(s.previous, id) == 0);
	char files[4096] = "";
	CHECK(list_dir("files", files, sizeof(files)) == 3, "files:\n%s", files);
	check_loads(4, v4files, 2);
	CHECK(content_store_active_id(dir, id, reason, sizeof(reason)) == CONTENT_OK &&
		  strcmp(id, s.active) == 0,
	      "the id changes with the switch");

	/* v5 with the new image only: v3's PNG and JPEG are no longer needed by v4? the PNG
	 * is (v4 is previous); the JPEG goes */
	m = manifest(5, v4files + 1, 1);
	ACCEPTED(install_m(m, &fx.office, v4files + 1, 1, &o), reason);
	json_decref(m);
	char hex[65], path[PATH_MAX];
	unsigned char digest[32];
	files[0] = '\0';
	CHECK(list_dir("files", files, sizeof(files)) == 2, "files:\n%s", files);
	sha256(fx.jpg.data, fx.jpg.len, digest);
	sodium_bin2hex(hex, sizeof(hex), digest, 32);
	snprintf(path, sizeof(path), "%s/files/%s", dir, hex);
	CHECK(access(path, F_OK) != 0, "v3's JPEG still stored");
	char mans[4096] = "";
	CHECK(list_dir("manifests", mans, sizeof(mans)) == 2, "manifests:\n%s", mans);
	check_loads(5, v4files + 1, 1);
	free(small.data);
	teardown();
}

/* What the kiosk's load checks again on disk. */
static void case_load_checks(void)
{
	content_store_bundle *b = NULL;
	unsigned char *data = NULL, digest[32];
	size_t len;
	char hex[65], path[PATH_MAX];
	setup();
	CHECK(content_store_load_active(dir, &b, reason, sizeof(reason)) == CONTENT_OK);
	const struct content_manifest *m = b ? content_store_bundle_manifest(b) : NULL;
	CHECK(m && !content_store_bundle_expired(b, FX_T0) &&
	      content_store_bundle_expired(b, FX_T0 + 31 * 86400));
	/* a 1970 clock: the floor (the newest accepted created) keeps it valid */
	CHECK(m && !content_store_bundle_expired(b, 1) &&
	      content_store_bundle_floor(b) == FX_T0 - 3600);
	/* a byte of the PNG changed on disk, then the PNG cut */
	sha256(fx.png.data, fx.png.len, digest);
	sodium_bin2hex(hex, sizeof(hex), digest, 32);
	snprintf(path, sizeof(path), "%s/files/%s", dir, hex);
	FILE *f = fopen(path, "r+b");
	CHECK(f && fseek(f, 100, SEEK_SET) == 0 && fputc(fx.png.data[100] ^ 1, f) != EOF);
	if (f)
		fclose(f);
	if (m)
		REFUSED(content_store_bundle_read_file(b, &m->files[0], &data, &len, reason,
						       sizeof(reason)),
			CONTENT_E_FILE, reason, "SHA-256 differs on disk");
	CHECK(data == NULL);
	CHECK(truncate(path, 10) == 0);
	if (m)
		REFUSED(content_store_bundle_read_file(b, &m->files[0], &data, &len, reason,
						       sizeof(reason)),
			CONTENT_E_FILE, reason, "not");
	content_store_bundle_free(b);
	/* the kept manifest changed on disk */
	struct snap s = snap();
	snprintf(path, sizeof(path), "%s/manifests/%s.admm", dir, s.active);
	f = fopen(path, "r+b");
	CHECK(f && fseek(f, 40, SEEK_SET) == 0 && fputc('X', f) != EOF);
	if (f)
		fclose(f);
	REFUSED(content_store_load_active(dir, &b, reason, sizeof(reason)), CONTENT_E_FILE, reason,
		"changed on disk");
	REFUSED(content_store_load_previous(dir, &b, reason, sizeof(reason)), CONTENT_STORE_E_EMPTY,
		reason, "no previous");
	teardown();
}

static void case_rollback(void)
{
	setup();
	REFUSED(content_store_rollback(store, reason, sizeof(reason)), CONTENT_STORE_E_EMPTY,
		reason, "no previous bundle");
	ACCEPTED(install_v(4), reason);
	ACCEPTED(content_store_rollback(store, reason, sizeof(reason)), reason);
	check_loads(3, two, 2);
	struct content_store_status st;
	CHECK(content_store_status(store, FX_T0, &st, reason, sizeof(reason)) == CONTENT_OK);
	CHECK(st.active.version == 3 && st.previous.version == 4 && st.versions[0].version == 4,
	      "after rollback: active %lld previous %lld newest %lld", (long long)st.active.version,
	      (long long)st.previous.version, (long long)st.versions[0].version);
	/* the versions did not go back: 4 (rolled back from) and 3 are replays now */
	struct snap before = snap();
	refused(install_v(4), CONTENT_E_VERSION, "not newer than 4", &before, 3);
	refused(install_v(3), CONTENT_E_VERSION, "replay or rollback", &before, 3);
	/* a rollback can be undone */
	ACCEPTED(content_store_rollback(store, reason, sizeof(reason)), reason);
	check_loads(4, two, 2);
	ACCEPTED(content_store_rollback(store, reason, sizeof(reason)), reason);
	/* only a newer version moves forward; the one active before becomes previous */
	ACCEPTED(install_v(5), reason);
	CHECK(content_store_status(store, FX_T0, &st, reason, sizeof(reason)) == CONTENT_OK);
	CHECK(st.active.version == 5 && st.previous.version == 3);
	teardown();
}

/* Keyring 2 (the office's key revoked, a new key for the same publisher) delivered with a
 * bundle: accepted only with a bundle that passes, kept across loads. */
static void case_keyring_rotation(void)
{
	struct fx_key office2;
	char k2[128], k3[128];
	crypto_sign_keypair(office2.pk, office2.sk);
	setup();
	snprintf(k2, sizeof(k2), "%s.k2.krg", dir);
	snprintf(k3, sizeof(k3), "%s.k3.krg", dir);
	json_t *j = fx_keyring_json(2, fx.root, 3, 2);
	fx_keyring_add(j, "dukcapil-3273", &fx.office, "32.73", true);
	fx_keyring_add(j, "dukcapil-3273", &office2, "32.73", false);
	const struct fx_key *two_roots[] = { &fx.root[1], &fx.root[2] },
			    *one_root[] = { &fx.root[0] };
	keyring_file(k2, j, two_roots, 2);
	json_decref(j);
	const char *ks[] = { k2 };
	struct content_store_install_opts o = opts();
	o.keyrings = ks;
	o.nkeyrings = 1;

	/* with a bundle still signed by the old key: refused, and keyring 2 is not kept */
	struct snap before = snap();
	json_t *m = manifest(4, two, 2);
	refused(install_m(m, &fx.office, two, 2, &o), CONTENT_E_REVOKED, "revoked in keyring 2",
		&before, 3);
	/* with the new key's bundle: both accepted */
	ACCEPTED(install_m(m, &office2, two, 2, &o), reason);
	json_decref(m);
	struct content_store_status st;
	CHECK(content_store_status(store, FX_T0, &st, reason, sizeof(reason)) == CONTENT_OK);
	CHECK(st.keyring_version == 2 && st.active.version == 4, "keyring %lld, active %lld",
	      (long long)st.keyring_version, (long long)st.active.version);
	check_loads(4, two, 2);
	/* the old key's bundles are refused from now on, also without a keyring given */
	before = snap();
	m = manifest(5, two, 2);
	struct content_store_install_opts plain = opts();
	refused(install_m(m, &fx.office, two, 2, &plain), CONTENT_E_REVOKED, "revoked in keyring 2",
		&before, 4);
	/* and so is a rollback onto version 3, which the revoked key signed */
	content_store_bundle *b = NULL;
	REFUSED(content_store_load_previous(dir, &b, reason, sizeof(reason)), CONTENT_E_REVOKED,
		reason, "revoked");
	REFUSED(content_store_rollback(store, reason, sizeof(reason)), CONTENT_E_REVOKED, reason,
		"previous bundle refused");
	check_untouched(&before, 4);
	/* keyring 2 again (held: skipped) with keyring 3 signed by one root key: refused */
	j = fx_keyring_json(3, fx.root, 3, 2);
	fx_keyring_add(j, "dukcapil-3273", &office2, "32.73", false);
	keyring_file(k3, j, one_root, 1);
	json_decref(j);
	const char *ks23[] = { k2, k3 };
	o.keyrings = ks23;
	o.nkeyrings = 2;
	refused(install_m(m, &office2, two, 2, &o), CONTENT_E_SIGNATURE, "needs 2", &before, 4);
	/* signed 2-of-3 it passes */
	j = fx_keyring_json(3, fx.root, 3, 2);
	fx_keyring_add(j, "dukcapil-3273", &office2, "32.73", false);
	keyring_file(k3, j, two_roots, 2);
	json_decref(j);
	ACCEPTED(install_m(m, &office2, two, 2, &o), reason);
	json_decref(m);
	CHECK(content_store_status(store, FX_T0, &st, reason, sizeof(reason)) == CONTENT_OK);
	CHECK(st.keyring_version == 3 && st.active.version == 5);
	check_loads(5, two, 2);
	unlink(k2);
	unlink(k3);
	teardown();
}

/* ---- each bad input: refused, nothing changed, the reason in the status ---- */

static void case_changed_file(void)
{
	setup();
	struct snap before = snap();
	json_t *m = manifest(4, two, 2);
	size_t len;
	unsigned char *b = fx_bundle_json(m, &fx.office, two, 2, &len);
	struct content_store_install_opts o = opts();
	b[len - 7] ^= 0x80; /* inside the JPEG: the PNG is staged already */
	refused(install_buf(b, len, &o), CONTENT_E_FILE, "banner-b.jpg: SHA-256 differs", &before,
		3);
	b[len - 7] ^= 0x80;
	b[12 + 30] ^= 0x01;
	refused(install_buf(b, len, &o), CONTENT_E_SIGNATURE, "does not match the manifest",
		&before, 3);
	b[12 + 30] ^= 0x01;
	ACCEPTED(install_buf(b, len, &o), reason); /* the same bundle unchanged installs */
	free(b);
	json_decref(m);
	teardown();
}

static void case_wrong_key(void)
{
	setup();
	struct snap before = snap();
	json_t *m = manifest(4, two, 2);
	struct content_store_install_opts o = opts();
	refused(install_m(m, &fx.stranger, two, 2, &o), CONTENT_E_SIGNATURE, "wrong key", &before,
		3);
	refused(install_m(m, NULL, two, 2, &o), CONTENT_E_SIGNATURE, "not signed", &before, 3);
	json_decref(m);
	teardown();
}

static void case_old_version(void)
{
	setup();
	struct snap before = snap();
	refused(install_v(3), CONTENT_E_VERSION, "replay or rollback", &before, 3);
	refused(install_v(2), CONTENT_E_VERSION, "not newer than 3", &before, 3);
	/* on a kiosk whose clock fell back to 1970 too */
	json_t *m = manifest(2, two, 2);
	struct content_store_install_opts o = opts();
	o.wall_now = 1;
	refused(install_m(m, &fx.office, two, 2, &o), CONTENT_E_VERSION, "not newer than 3",
		&before, 3);
	json_decref(m);
	teardown();
}

static void case_expired(void)
{
	setup();
	struct snap before = snap();
	json_t *m = manifest(4, two, 2);
	struct content_store_install_opts o = opts();
	o.wall_now = FX_T0 + 31 * 86400;
	refused(install_m(m, &fx.office, two, 2, &o), CONTENT_E_EXPIRED, "expired at", &before, 3);
	json_decref(m);
	/* on a 1970 clock: one that expired before the newest accepted created is refused */
	m = manifest(4, two, 2);
	json_object_set_new(m, "created", json_string("2026-11-10T00:00:00Z"));
	json_object_set_new(m, "expires", json_string("2026-11-20T00:00:00Z"));
	json_t *items = json_object_get(m, "items");
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *valid = json_object_get(json_array_get(items, i), "valid");
		if (valid) {
			json_object_set_new(valid, "from", json_string("2026-11-10T00:00:00Z"));
			json_object_set_new(valid, "until", json_string("2026-11-20T00:00:00Z"));
		}
	}
	o.wall_now = 1;
	refused(install_m(m, &fx.office, two, 2, &o), CONTENT_E_EXPIRED,
		"expired at 2026-11-20T00:00:00Z", &before, 3);
	json_decref(m);
	teardown();
}

static void case_other_region(void)
{
	setup();
	struct snap before = snap();
	json_t *m = manifest(4, two, 2);
	struct content_store_install_opts o = opts();
	o.region = "32.04";
	refused(install_m(m, &fx.office, two, 2, &o), CONTENT_E_SCOPE, "region 32.04", &before, 3);
	o = opts();
	json_object_set_new(json_object_get(m, "scope"), "regions", json_pack("[s]", "32.04"));
	refused(install_m(m, &fx.office, two, 2, &o), CONTENT_E_SCOPE,
		"may not publish to region 32.04", &before, 3);
	json_decref(m);
	teardown();
}

static void case_version_range(void)
{
	setup();
	struct snap before = snap();
	refused(install_v(2147483648LL), CONTENT_E_VERSION, "out of range", &before, 3);
	refused(install_v(-1), CONTENT_E_VERSION, "out of range", &before, 3);
	teardown();
}

static void case_paths(void)
{
	const char *names[] = { "../banner-a.png", "/etc/passwd" };
	const char *why[] = { "path traversal", "absolute path" };
	setup();
	struct snap before = snap();
	for (int i = 0; i < 2; i++) {
		json_t *m = manifest(4, two, 2);
		json_object_set_new(file0(m), "name", json_string(names[i]));
		json_object_set_new(json_array_get(json_object_get(m, "items"), 3), "file",
				    json_string(names[i]));
		struct content_store_install_opts o = opts();
		refused(install_m(m, &fx.office, two, 2, &o), CONTENT_E_MANIFEST, why[i], &before,
			3);
		json_decref(m);
	}
	teardown();
}

static void case_links_devices(void)
{
	setup();
	struct snap before = snap();
	const char *types[] = { "symlink", "hardlink", "chardev" };
	struct content_store_install_opts o = opts();
	for (int i = 0; i < 3; i++) {
		json_t *m = manifest(4, two, 2);
		json_object_set_new(file0(m), "type", json_string(types[i]));
		refused(install_m(m, &fx.office, two, 2, &o), CONTENT_E_MANIFEST,
			"type must be png or jpeg", &before, 3);
		json_decref(m);
	}
	json_t *m = manifest(4, two, 2);
	json_object_set_new(file0(m), "link", json_string("/dev/sda"));
	refused(install_m(m, &fx.office, two, 2, &o), CONTENT_E_MANIFEST, "unknown field", &before,
		3);
	json_decref(m);
	teardown();
}

static void case_duplicates(void)
{
	setup();
	struct snap before = snap();
	json_t *m = manifest(4, two, 2);
	json_object_set_new(json_array_get(json_object_get(m, "files"), 1), "name",
			    json_string("banner-a.png"));
	struct content_store_install_opts o = opts();
	refused(install_m(m, &fx.office, two, 2, &o), CONTENT_E_MANIFEST, "duplicate entry",
		&before, 3);
	json_decref(m);
	teardown();
}

static void case_missing(void)
{
	setup();
	struct snap before = snap();
	struct content_store_install_opts o = opts();
	json_t *m = manifest(4, two, 2);
	/* listed and signed, absent from the stream: the PNG was staged, then thrown away */
	refused(install_m(m, &fx.office, two, 1, &o), CONTENT_E_FORMAT,
		"truncated in file banner-b.jpg", &before, 3);
	json_object_set_new(json_array_get(json_object_get(m, "items"), 4), "file",
			    json_string("banner-z.jpg"));
	refused(install_m(m, &fx.office, two, 2, &o), CONTENT_E_MANIFEST, "missing entry", &before,
		3);
	json_decref(m);
	teardown();
}

static void case_stream_longer(void)
{
	setup();
	struct snap before = snap();
	json_t *m = manifest(4, two, 2);
	size_t len;
	unsigned char *b = fx_bundle_json(m, &fx.office, two, 2, &len);
	unsigned char *longer = malloc(len + 1);
	memcpy(longer, b, len);
	longer[len] = 'A';
	struct content_store_install_opts o = opts();
	refused(install_buf(longer, len + 1, &o), CONTENT_E_FILE, "stream longer than declared",
		&before, 3);
	free(longer);
	free(b);
	json_decref(m);
	teardown();
}

static void case_image_100mb(void)
{
	setup();
	struct snap before = snap();
	json_t *m = manifest(4, two, 2);
	json_object_set_new(file0(m), "length", json_integer(100LL * 1024 * 1024));
	char path[] = "/tmp/adm-store-big-XXXXXX";
	int fd = mkstemp(path);
	size_t len;
	unsigned char *b = fx_bundle_json(m, &fx.office, two, 0, &len);
	CHECK(fd >= 0 && write(fd, b, len) == (ssize_t)len &&
	      ftruncate(fd, (off_t)len + 100 * 1024 * 1024) == 0);
	if (fd >= 0)
		close(fd);
	struct content_store_install_opts o = opts();
	refused(content_store_install_file(store, path, &o, reason, sizeof(reason)),
		CONTENT_E_TOO_BIG, "declares 104857600 bytes", &before, 3);
	unlink(path);
	free(b);
	json_decref(m);
	teardown();
}

static void case_image_bomb(void)
{
	setup();
	struct snap before = snap();
	struct fx_image bomb = fx_bomb_png(30000, 30000);
	struct fx_file files[1] = { { "bomb.png", &bomb } };
	struct content_store_install_opts o = opts();
	json_t *m = manifest(4, files, 1);
	refused(install_m(m, &fx.office, files, 1, &o), CONTENT_E_IMAGE, "over the budget", &before,
		3);
	json_object_set_new(file0(m), "width", json_integer(64));
	json_object_set_new(file0(m), "height", json_integer(48));
	refused(install_m(m, &fx.office, files, 1, &o), CONTENT_E_IMAGE, "header says 30000x30000",
		&before, 3);
	json_decref(m);
	free(bomb.data);
	teardown();
}

static void case_truncated_image(void)
{
	setup();
	struct snap before = snap();
	struct fx_image cut = fx.png;
	cut.len = fx.png.len / 2; /* its hash in the manifest is of the cut bytes: it matches */
	struct fx_file files[2] = { { "banner-b.jpg", &fx.jpg }, { "cut.png", &cut } };
	struct content_store_install_opts o = opts();
	json_t *m = manifest(4, files, 2);
	refused(install_m(m, &fx.office, files, 2, &o), CONTENT_E_IMAGE, "truncated image", &before,
		3);
	json_decref(m);
	teardown();
}

static void title_case(const char *raw, int code, const char *needle)
{
	setup();
	struct snap before = snap();
	json_t *m = manifest(4, two, 2);
	char *text = fx_manifest_title(m, raw);
	size_t len;
	unsigned char *b = fx_bundle(text, &fx.office, two, 2, &len);
	struct content_store_install_opts o = opts();
	refused(install_buf(b, len, &o), code, needle, &before, 3);
	free(b);
	free(text);
	json_decref(m);
	teardown();
}

static void case_text_utf8(void)
{
	title_case("Jam \xff buka", CONTENT_E_TEXT, "invalid UTF-8");
	title_case("\xc0\xaf", CONTENT_E_TEXT, "invalid UTF-8");
}

static void case_text_bidi(void)
{
	title_case("Hubungi \\u202e1234", CONTENT_E_TEXT, "bidi control U+202E");
}

static void case_text_controls(void)
{
	title_case("bel\\u0007", CONTENT_E_TEXT, "C0 control U+0007");
	title_case("csi\xc2\x9b", CONTENT_E_TEXT, "C1 control U+009B");
}

static void case_truncated_archive(void)
{
	setup();
	struct snap before = snap();
	json_t *m = manifest(4, two, 2);
	size_t len;
	unsigned char *b = fx_bundle_json(m, &fx.office, two, 2, &len);
	struct content_store_install_opts o = opts();
	size_t cuts[] = { 5, 12 + 10, len - fx.jpg.len + 10, len - 1 };
	for (size_t i = 0; i < 4; i++)
		refused(install_buf(b, cuts[i], &o), CONTENT_E_FORMAT, "truncated", &before, 3);
	free(b);
	json_decref(m);
	teardown();
}

/* A full disk while staging, as a file size limit (the first file cannot be written
 * whole): the active bundle untouched, staging removed, then with room it installs. */
static void case_disk_full(void)
{
	setup();
	struct snap before = snap();
	struct rlimit old, lim;
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = fx.png.len / 2;
	signal(SIGXFSZ, SIG_IGN);
	CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
	int rc = install_v(4);
	setrlimit(RLIMIT_FSIZE, &old);
	refused(rc, CONTENT_E_IO, "storing banner-a.png: File too large", &before, 3);
	ACCEPTED(install_v(4), reason);
	check_loads(4, two, 2);
	teardown();
}

/* ---- SIGKILL during verify and during the switch ---- */

#define KILL_FILES 24

struct killer {
	struct fx_image img[KILL_FILES + 1];
	struct fx_file files[KILL_FILES + 1];
};

static void killer_init(struct killer *k)
{
	for (int i = 0; i < KILL_FILES; i++) {
		k->img[i] = (struct fx_image){ .w = 160, .h = 120, .type = "png" };
		CHECK(synth_image(160, 120, false, 100 + (unsigned)i, 0, &k->img[i].data,
				  &k->img[i].len));
		static char names[KILL_FILES][16];
		snprintf(names[i], sizeof(names[i]), "k-%02d.png", i);
		k->files[i] = (struct fx_file){ names[i], &k->img[i] };
	}
	k->files[KILL_FILES].name = "unique.png";
	k->files[KILL_FILES].img = &k->img[KILL_FILES];
	k->img[KILL_FILES].data = NULL;
}

/* Each attempt's bundle brings one image of its own, so a kill after the files moved and
 * before the switch leaves a trace (an unreferenced file) that the test can see. */
static unsigned char *kill_bundle(struct killer *k, int64_t version, size_t *len)
{
	struct fx_image *own = &k->img[KILL_FILES];
	free(own->data);
	*own = (struct fx_image){ .w = 64, .h = 48, .type = "png" };
	CHECK(synth_image(64, 48, false, 1000 + (unsigned)version, 0, &own->data, &own->len));
	json_t *m = manifest(version, k->files, KILL_FILES + 1);
	unsigned char *b = fx_bundle_json(m, &fx.office, k->files, KILL_FILES + 1, len);
	json_decref(m);
	return b;
}

/* Installs from fd in a child of its own (its own store handle, so its own lock). */
static pid_t spawn_installer(int fd_in, int fd_close)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	close(fd_close);
	content_store *s = NULL;
	char why[CONTENT_REASON_MAX];
	FILE *in = fdopen(fd_in, "rb");
	struct content_store_install_opts o = opts();
	int rc = content_store_open(dir, &s, why, sizeof(why));
	if (rc == CONTENT_OK)
		rc = content_store_install(s, in, &o, why, sizeof(why));
	if (rc < 0)
		fprintf(stderr, "  installer: %s\n", why);
	_exit(rc == CONTENT_OK ? 0 : 1);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool write_all(int fd, const unsigned char *b, size_t len)
{
	while (len) {
		ssize_t n = write(fd, b, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		b += n;
		len -= (size_t)n;
	}
	return true;
}

/* After a kill: exactly the old or the new bundle is active and loads with its files. */
static int64_t check_after_kill(struct killer *k, int64_t old, int64_t new, bool *trace)
{
	content_store_bundle *b = NULL;
	char why[CONTENT_REASON_MAX] = "";
	int rc = content_store_load_active(dir, &b, why, sizeof(why));
	CHECK(rc == CONTENT_OK, "after a kill the active bundle does not load: %s", why);
	if (rc < 0)
		return -1;
	const struct content_manifest *m = content_store_bundle_manifest(b);
	int64_t v = m->version;
	CHECK(v == old || v == new, "active is version %lld after a kill (old %lld, new %lld)",
	      (long long)v, (long long)old, (long long)new);
	for (size_t i = 0; i < m->nfiles; i++) {
		unsigned char *data = NULL;
		size_t len;
		rc = content_store_bundle_read_file(b, &m->files[i], &data, &len, why, sizeof(why));
		CHECK(rc == CONTENT_OK, "after a kill, file %s: %s", m->files[i].name, why);
		free(data);
	}
	content_store_bundle_free(b);
	/* a trace of a switch under way: the new bundle's own image moved in, state old */
	unsigned char digest[32];
	char hex[65], path[PATH_MAX];
	sha256(k->img[KILL_FILES].data, k->img[KILL_FILES].len, digest);
	sodium_bin2hex(hex, sizeof(hex), digest, 32);
	snprintf(path, sizeof(path), "%s/files/%s", dir, hex);
	*trace = v == old && access(path, F_OK) == 0;
	return v;
}

static void kill_case(bool during_switch)
{
	struct killer k;
	setup();
	content_store_close(store); /* the children hold their own handles */
	store = NULL;
	killer_init(&k);
	signal(SIGPIPE, SIG_IGN);
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	fprintf(stderr, "seed %u\n", (unsigned)time(NULL) ^ (unsigned)getpid());
	int64_t active = 3;
	double tail = 0.05; /* seconds from the last byte to the end of an install, measured */
	int tries = 0, olds = 0, news = 0, traces = 0;
	int want = during_switch ? 40 : 30;
	while (tries < 300 && (tries < want || (during_switch && (traces == 0 || news < 3)))) {
		size_t len;
		int64_t version = active + 1;
		unsigned char *b = kill_bundle(&k, version, &len);
		int p[2];
		CHECK(pipe(p) == 0);
		double t0 = 0;
		pid_t pid = spawn_installer(p[0], p[1]);
		close(p[0]);
		bool measured = during_switch && tries % 8 == 0; /* now and then, no kill */
		if (!during_switch) {
			/* a random part of the stream: the child cannot have finished verifying */
			size_t part = (size_t)rand() % len;
			write_all(p[1], b, part);
			kill(pid, SIGKILL);
			close(p[1]);
		} else {
			write_all(p[1], b, len);
			close(p[1]);
			t0 = now_s();
			if (!measured) {
				double d = tail * 1.2 * (rand() / (double)RAND_MAX);
				struct timespec ts = { (time_t)d, (long)((d - (time_t)d) * 1e9) };
				nanosleep(&ts, NULL);
				kill(pid, SIGKILL);
			}
		}
		int status;
		waitpid(pid, &status, 0);
		if (measured) {
			CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			      "unkilled install failed");
			tail = tail * 0.5 + (now_s() - t0) * 0.5;
		}
		bool trace = false;
		int64_t v = check_after_kill(&k, active, version, &trace);
		if (!during_switch)
			CHECK(v == active, "a kill before the last byte switched to %lld",
			      (long long)v);
		olds += v == active;
		news += v == version;
		traces += trace;
		if (v == version)
			active = version;
		free(b);
		tries++;
	}
	fprintf(stderr,
		"%d kills: %d left the old bundle, %d the new, %d mid-switch traces "
		"(tail %.0f ms)\n",
		tries, olds, news, traces, tail * 1000);
	if (during_switch)
		CHECK(traces > 0 && news >= 3,
		      "no kill landed in the switch (%d traces, %d new) in %d tries", traces, news,
		      tries);
	/* the next install cleans what the kills left: staging empty, no orphan files */
	CHECK(content_store_open(dir, &store, reason, sizeof(reason)) == CONTENT_OK);
	size_t len;
	unsigned char *b = kill_bundle(&k, active + 1, &len);
	ACCEPTED(install_buf(b, len,
			     &(struct content_store_install_opts){
				 .kiosk_id = "ADM-TEST-01", .region = "32.73", .wall_now = FX_T0 }),
		 reason);
	free(b);
	char files[16384] = "";
	size_t n = list_dir("files", files, sizeof(files));
	/* the active bundle's files plus the previous one's own image (the rest is shared) */
	CHECK(n == KILL_FILES + 2 || n == KILL_FILES + 1 + 2, "%zu files stored", n);
	CHECK(staging_entries() == 0, "staging left after a clean install");
	char mans[4096] = "";
	CHECK(list_dir("manifests", mans, sizeof(mans)) == 2, "manifests:\n%s", mans);
	for (int i = 0; i <= KILL_FILES; i++)
		free(k.img[i].data);
	teardown();
}

static void case_kill_verify(void)
{
	kill_case(false);
}

static void case_kill_switch(void)
{
	kill_case(true);
}

int main(int argc, char **argv)
{
	fx_init(&fx);
	two[0] = (struct fx_file){ "banner-a.png", &fx.png };
	two[1] = (struct fx_file){ "banner-b.jpg", &fx.jpg };
	static const struct fx_case cases[] = {
		{ "install", case_install },
		{ "load-checks", case_load_checks },
		{ "rollback", case_rollback },
		{ "keyring-rotation", case_keyring_rotation },
		{ "changed-file", case_changed_file },
		{ "wrong-key", case_wrong_key },
		{ "old-version", case_old_version },
		{ "expired", case_expired },
		{ "other-region", case_other_region },
		{ "version-range", case_version_range },
		{ "paths", case_paths },
		{ "links-devices", case_links_devices },
		{ "duplicates", case_duplicates },
		{ "missing", case_missing },
		{ "stream-longer", case_stream_longer },
		{ "image-100mb", case_image_100mb },
		{ "image-bomb", case_image_bomb },
		{ "truncated-image", case_truncated_image },
		{ "text-utf8", case_text_utf8 },
		{ "text-bidi", case_text_bidi },
		{ "text-controls", case_text_controls },
		{ "truncated-archive", case_truncated_archive },
		{ "disk-full", case_disk_full },
		{ "kill-verify", case_kill_verify },
		{ "kill-switch", case_kill_switch },
	};
	int rc = fx_run_cases(cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
	fx_finish(&fx);
	return rc ? rc : check_done();
}
