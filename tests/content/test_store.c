/*
 * The kiosk's bundle store (content/store.h), one meson test per case (test-store CASE):
 * install, sharing and collection of files, what the kiosk's load checks again on disk,
 * rollback and the rule that versions do not go back, and keyring rotation delivered with
 * a bundle. Bad inputs are test_store_refused.c, SIGKILL test_store_kill.c.
 */
#include "store_fixture.h"

#include "../check.h"

#include "sha256.h"
#include "synth_image.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the good paths ---- */

static void case_install(void)
{
	struct content_store_status st;
	char id[65];
	sx_setup();
	CHECK(content_store_status(store, FX_T0, &st, reason, sizeof(reason)) == CONTENT_OK);
	CHECK(st.provisioned && st.keyring_version == 1 && st.active.present &&
	      st.active.version == 3 && !st.active.expired && !st.previous.present &&
	      st.nversions == 1 && st.versions[0].version == 3 && !st.has_rejection);
	CHECK(st.newest_created == FX_T0 - 3600);
	sx_check_loads(3, two, 2);
	CHECK(content_store_active_id(dir, id, reason, sizeof(reason)) == CONTENT_OK &&
	      strcmp(id, st.active.id) == 0);
	/* the same anchor again is fine, another one is not */
	CHECK(content_store_provision(store, anchor, reason, sizeof(reason)) == CONTENT_OK);
	char other[128];
	snprintf(other, sizeof(other), "%s.other.krg", dir);
	json_t *kr = fx_keyring_json(1, fx.root, 3, 2);
	const struct fx_key *signers[] = { &fx.root[0], &fx.root[1] };
	sx_keyring_file(other, kr, signers, 2);
	json_decref(kr);
	REFUSED(content_store_provision(store, other, reason, sizeof(reason)),
		CONTENT_STORE_E_ANCHOR, reason, "another trust anchor");
	unlink(other);

	/* v4 shares the PNG and brings a new image; v3 stays as previous */
	struct fx_image small = { .w = 32, .h = 24, .type = "png" };
	CHECK(synth_image(32, 24, false, 77, 0, &small.data, &small.len));
	struct fx_file v4files[2] = { { "banner-a.png", &fx.png }, { "banner-c.png", &small } };
	json_t *m = sx_manifest(4, v4files, 2);
	struct content_store_install_opts o = sx_opts();
	ACCEPTED(sx_install_m(m, &fx.office, v4files, 2, &o), reason);
	json_decref(m);
	struct sx_snap s = sx_snap();
	CHECK(content_store_status(store, FX_T0, &st, reason, sizeof(reason)) == CONTENT_OK);
	CHECK(st.active.version == 4 && st.previous.version == 3);
	CHECK(strstr(s.listing, "manifests/") && strcmp(s.active, id) != 0 &&
	      strcmp(s.previous, id) == 0);
	char files[4096] = "";
	CHECK(sx_list_dir("files", files, sizeof(files)) == 3, "files:\n%s", files);
	sx_check_loads(4, v4files, 2);
	CHECK(content_store_active_id(dir, id, reason, sizeof(reason)) == CONTENT_OK &&
		  strcmp(id, s.active) == 0,
	      "the id changes with the switch");

	/* v5 with the new image only: v3's PNG and JPEG are no longer needed by v4? the PNG
	 * is (v4 is previous); the JPEG goes */
	m = sx_manifest(5, v4files + 1, 1);
	ACCEPTED(sx_install_m(m, &fx.office, v4files + 1, 1, &o), reason);
	json_decref(m);
	char hex[65], path[PATH_MAX];
	unsigned char digest[32];
	files[0] = '\0';
	CHECK(sx_list_dir("files", files, sizeof(files)) == 2, "files:\n%s", files);
	sha256(fx.jpg.data, fx.jpg.len, digest);
	sodium_bin2hex(hex, sizeof(hex), digest, 32);
	snprintf(path, sizeof(path), "%s/files/%s", dir, hex);
	CHECK(access(path, F_OK) != 0, "v3's JPEG still stored");
	char mans[4096] = "";
	CHECK(sx_list_dir("manifests", mans, sizeof(mans)) == 2, "manifests:\n%s", mans);
	sx_check_loads(5, v4files + 1, 1);
	free(small.data);
	sx_teardown();
}

/* What the kiosk's load checks again on disk. */
static void case_load_checks(void)
{
	content_store_bundle *b = NULL;
	unsigned char *data = NULL, digest[32];
	size_t len;
	char hex[65], path[PATH_MAX];
	sx_setup();
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
	struct sx_snap s = sx_snap();
	snprintf(path, sizeof(path), "%s/manifests/%s.admm", dir, s.active);
	f = fopen(path, "r+b");
	CHECK(f && fseek(f, 40, SEEK_SET) == 0 && fputc('X', f) != EOF);
	if (f)
		fclose(f);
	REFUSED(content_store_load_active(dir, &b, reason, sizeof(reason)), CONTENT_E_FILE, reason,
		"changed on disk");
	struct content_store_status st;
	CHECK(content_store_status(store, FX_T0, &st, reason, sizeof(reason)) == CONTENT_OK);
	CHECK(st.active.damaged && !st.active.present && strcmp(st.active.id, s.active) == 0,
	      "status does not call the changed manifest damaged");
	REFUSED(content_store_load_previous(dir, &b, reason, sizeof(reason)), CONTENT_STORE_E_EMPTY,
		reason, "no previous");
	sx_teardown();
}

static void case_rollback(void)
{
	sx_setup();
	REFUSED(content_store_rollback(store, reason, sizeof(reason)), CONTENT_STORE_E_EMPTY,
		reason, "no previous bundle");
	ACCEPTED(sx_install_v(4), reason);
	ACCEPTED(content_store_rollback(store, reason, sizeof(reason)), reason);
	sx_check_loads(3, two, 2);
	struct content_store_status st;
	CHECK(content_store_status(store, FX_T0, &st, reason, sizeof(reason)) == CONTENT_OK);
	CHECK(st.active.version == 3 && st.previous.version == 4 && st.versions[0].version == 4,
	      "after rollback: active %lld previous %lld newest %lld", (long long)st.active.version,
	      (long long)st.previous.version, (long long)st.versions[0].version);
	/* the versions did not go back: 4 (rolled back from) and 3 are replays now */
	struct sx_snap before = sx_snap();
	sx_refused(sx_install_v(4), CONTENT_E_VERSION, "not newer than 4", &before, 3);
	sx_refused(sx_install_v(3), CONTENT_E_VERSION, "replay or rollback", &before, 3);
	/* a rollback can be undone */
	ACCEPTED(content_store_rollback(store, reason, sizeof(reason)), reason);
	sx_check_loads(4, two, 2);
	ACCEPTED(content_store_rollback(store, reason, sizeof(reason)), reason);
	/* only a newer version moves forward; the one active before becomes previous */
	ACCEPTED(sx_install_v(5), reason);
	CHECK(content_store_status(store, FX_T0, &st, reason, sizeof(reason)) == CONTENT_OK);
	CHECK(st.active.version == 5 && st.previous.version == 3);
	sx_teardown();
}

/* Keyring 2 (the office's key revoked, a new key for the same publisher) delivered with a
 * bundle: accepted only with a bundle that passes, kept across loads. */
static void case_keyring_rotation(void)
{
	struct fx_key office2;
	char k2[128], k3[128];
	crypto_sign_keypair(office2.pk, office2.sk);
	sx_setup();
	snprintf(k2, sizeof(k2), "%s.k2.krg", dir);
	snprintf(k3, sizeof(k3), "%s.k3.krg", dir);
	json_t *j = fx_keyring_json(2, fx.root, 3, 2);
	fx_keyring_add(j, "dukcapil-3273", &fx.office, "32.73", true);
	fx_keyring_add(j, "dukcapil-3273", &office2, "32.73", false);
	const struct fx_key *two_roots[] = { &fx.root[1], &fx.root[2] },
			    *one_root[] = { &fx.root[0] };
	sx_keyring_file(k2, j, two_roots, 2);
	json_decref(j);
	const char *ks[] = { k2 };
	struct content_store_install_opts o = sx_opts();
	o.keyrings = ks;
	o.nkeyrings = 1;

	/* with a bundle still signed by the old key: refused, and keyring 2 is not kept */
	struct sx_snap before = sx_snap();
	json_t *m = sx_manifest(4, two, 2);
	sx_refused(sx_install_m(m, &fx.office, two, 2, &o), CONTENT_E_REVOKED,
		   "revoked in keyring 2", &before, 3);
	/* with the new key's bundle: both accepted */
	ACCEPTED(sx_install_m(m, &office2, two, 2, &o), reason);
	json_decref(m);
	struct content_store_status st;
	CHECK(content_store_status(store, FX_T0, &st, reason, sizeof(reason)) == CONTENT_OK);
	CHECK(st.keyring_version == 2 && st.active.version == 4, "keyring %lld, active %lld",
	      (long long)st.keyring_version, (long long)st.active.version);
	sx_check_loads(4, two, 2);
	/* the old key's bundles are refused from now on, also without a keyring given */
	before = sx_snap();
	m = sx_manifest(5, two, 2);
	struct content_store_install_opts plain = sx_opts();
	sx_refused(sx_install_m(m, &fx.office, two, 2, &plain), CONTENT_E_REVOKED,
		   "revoked in keyring 2", &before, 4);
	/* and so is a rollback onto version 3, which the revoked key signed */
	content_store_bundle *b = NULL;
	REFUSED(content_store_load_previous(dir, &b, reason, sizeof(reason)), CONTENT_E_REVOKED,
		reason, "revoked");
	REFUSED(content_store_rollback(store, reason, sizeof(reason)), CONTENT_E_REVOKED, reason,
		"previous bundle refused");
	sx_check_untouched(&before, 4);
	/* keyring 2 again (held: skipped) with keyring 3 signed by one root key: refused */
	j = fx_keyring_json(3, fx.root, 3, 2);
	fx_keyring_add(j, "dukcapil-3273", &office2, "32.73", false);
	sx_keyring_file(k3, j, one_root, 1);
	json_decref(j);
	const char *ks23[] = { k2, k3 };
	o.keyrings = ks23;
	o.nkeyrings = 2;
	sx_refused(sx_install_m(m, &office2, two, 2, &o), CONTENT_E_SIGNATURE, "needs 2", &before,
		   4);
	/* signed 2-of-3 it passes */
	j = fx_keyring_json(3, fx.root, 3, 2);
	fx_keyring_add(j, "dukcapil-3273", &office2, "32.73", false);
	sx_keyring_file(k3, j, two_roots, 2);
	json_decref(j);
	ACCEPTED(sx_install_m(m, &office2, two, 2, &o), reason);
	json_decref(m);
	CHECK(content_store_status(store, FX_T0, &st, reason, sizeof(reason)) == CONTENT_OK);
	CHECK(st.keyring_version == 3 && st.active.version == 5);
	sx_check_loads(5, two, 2);
	unlink(k2);
	unlink(k3);
	sx_teardown();
}

static int install_keyring(const char *path)
{
	FILE *f = fopen(path, "rb");
	int rc = f ? content_store_install_keyring(store, f, "test", FX_T0, reason, sizeof(reason))
		   : CONTENT_E_IO;
	if (f)
		fclose(f);
	return rc;
}

/* Keyring rotations delivered alone (what adm-syncd fetches): one signed by one root key,
 * a changed one, the held version again and an older one refused with the store kept and
 * the reason in the status; the next version accepted, after which the key it revoked has
 * its bundles refused, the active one at its next load included. */
static void case_keyring_alone(void)
{
	struct fx_key office2;
	char k2[128], bad[128];
	crypto_sign_keypair(office2.pk, office2.sk);
	sx_setup();
	snprintf(k2, sizeof(k2), "%s.k2.krg", dir);
	snprintf(bad, sizeof(bad), "%s.bad.krg", dir);
	const struct fx_key *two_roots[] = { &fx.root[0], &fx.root[2] },
			    *one_root[] = { &fx.root[1] };
	json_t *j = fx_keyring_json(2, fx.root, 3, 2);
	fx_keyring_add(j, "dukcapil-3273", &fx.office, "32.73", true);
	fx_keyring_add(j, "dukcapil-3273", &office2, "32.73", false);
	struct sx_snap before = sx_snap();
	sx_keyring_file(bad, j, one_root, 1);
	sx_refused(install_keyring(bad), CONTENT_E_SIGNATURE, "needs 2", &before, 3);
	sx_keyring_file(k2, j, two_roots, 2);
	/* a region of the payload changed (still a keyring): the signatures no longer match */
	FILE *f = fopen(k2, "rb");
	unsigned char data[8192];
	size_t len = f ? fread(data, 1, sizeof(data), f) : 0;
	if (f)
		fclose(f);
	unsigned char *at = NULL;
	for (unsigned char *p = data; (p = memmem(p, len - (size_t)(p - data), "32.73", 5)); p++)
		at = p;
	CHECK(at != NULL, "a region in %s", k2);
	if (at)
		at[4] = '4';
	f = fopen(bad, "wb");
	CHECK(f && fwrite(data, 1, len, f) == len, "wrote %s", bad);
	if (f)
		fclose(f);
	sx_refused(install_keyring(bad), CONTENT_E_SIGNATURE, "valid signature", &before, 3);
	/* the anchor (version 1, held) again: not newer */
	sx_refused(install_keyring(anchor), CONTENT_E_VERSION, "not newer than version 1", &before,
		   3);
	ACCEPTED(install_keyring(k2), reason);
	struct content_store_status st;
	CHECK(content_store_status(store, FX_T0, &st, reason, sizeof(reason)) == CONTENT_OK);
	CHECK(st.keyring_version == 2, "keyring %lld", (long long)st.keyring_version);
	/* version 2 again: a replay, the store keeps version 2 */
	REFUSED(install_keyring(k2), CONTENT_E_VERSION, reason, "not newer than version 2");
	CHECK(content_store_status(store, FX_T0, &st, reason, sizeof(reason)) == CONTENT_OK &&
	      st.keyring_version == 2 && st.has_rejection && strstr(st.rejection, "not newer"));
	before = sx_snap();
	/* the revoked key: its active bundle no longer loads, its new bundles are refused */
	content_store_bundle *b = NULL;
	REFUSED(content_store_load_active(dir, &b, reason, sizeof(reason)), CONTENT_E_REVOKED,
		reason, "revoked");
	json_t *m = sx_manifest(4, two, 2);
	struct content_store_install_opts o = sx_opts();
	REFUSED(sx_install_m(m, &fx.office, two, 2, &o), CONTENT_E_REVOKED, reason,
		"revoked in keyring 2");
	struct sx_snap after = sx_snap();
	CHECK(strcmp(after.active, before.active) == 0, "the refusal changed the active bundle");
	ACCEPTED(sx_install_m(m, &office2, two, 2, &o), reason);
	json_decref(m);
	sx_check_loads(4, two, 2);
	json_decref(j);
	unlink(k2);
	unlink(bad);
	sx_teardown();
}

int main(int argc, char **argv)
{
	sx_init();
	static const struct fx_case cases[] = {
		{ "install", case_install },
		{ "load-checks", case_load_checks },
		{ "rollback", case_rollback },
		{ "keyring-rotation", case_keyring_rotation },
		{ "keyring-alone", case_keyring_alone },
	};
	int rc = fx_run_cases(cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
	int fixture_failed = sx_done();
	int failed = check_done();
	return rc ? rc : failed || fixture_failed;
}
