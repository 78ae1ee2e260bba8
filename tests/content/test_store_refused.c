/*
 * Each bad input of issue 12 offered to a kiosk's store whose version 3 is active (one meson
 * test per case, test-store-refused CASE): every refusal must leave the store's state,
 * manifests, files and keyrings byte for byte as they were, the staging folder empty,
 * version 3 loadable with its files, and the reason in the status. The reader's own
 * tests (test_bundle.c) cover every variant of each input; these check the store's side.
 */
#include "store_fixture.h"

#include "../check.h"
#include "synth_image.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* ---- each bad input: refused, nothing changed, the reason in the status ---- */

/* The store as it was before the offer: taken by begin(), after version 3 is active. */
static struct sx_snap before;

static void begin(void)
{
	sx_setup();
	before = sx_snap();
}

/* Offers manifest m over files, signed by signer, and checks the refusal's whole
 * contract (sx_refused) against the store as begin() found it. */
static void offer(json_t *m, const struct fx_key *signer, const struct fx_file *files, size_t n,
		  const struct content_store_install_opts *o, int code, const char *needle)
{
	sx_refused(sx_install_m(m, signer, files, n, o), code, needle, &before, 3);
}

static void offer_buf(const unsigned char *b, size_t len,
		      const struct content_store_install_opts *o, int code, const char *needle)
{
	sx_refused(sx_install_buf(b, len, o), code, needle, &before, 3);
}

static void offer_v(int64_t version, int code, const char *needle)
{
	sx_refused(sx_install_v(version), code, needle, &before, 3);
}

static void case_changed_file(void)
{
	begin();
	json_t *m = sx_manifest(4, two, 2);
	size_t len;
	unsigned char *b = fx_bundle_json(m, &fx.office, two, 2, &len);
	struct content_store_install_opts o = sx_opts();
	b[len - 7] ^= 0x80; /* inside the JPEG: the PNG is staged already */
	offer_buf(b, len, &o, CONTENT_E_FILE, "banner-b.jpg: SHA-256 differs");
	b[len - 7] ^= 0x80;
	b[12 + 30] ^= 0x01;
	offer_buf(b, len, &o, CONTENT_E_SIGNATURE, "does not match the manifest");
	b[12 + 30] ^= 0x01;
	ACCEPTED(sx_install_buf(b, len, &o), reason); /* the same bundle unchanged installs */
	free(b);
	json_decref(m);
	sx_teardown();
}

static void case_wrong_key(void)
{
	begin();
	json_t *m = sx_manifest(4, two, 2);
	struct content_store_install_opts o = sx_opts();
	offer(m, &fx.stranger, two, 2, &o, CONTENT_E_SIGNATURE, "wrong key");
	offer(m, NULL, two, 2, &o, CONTENT_E_SIGNATURE, "not signed");
	json_decref(m);
	sx_teardown();
}

static void case_old_version(void)
{
	begin();
	offer_v(3, CONTENT_E_VERSION, "replay or rollback");
	offer_v(2, CONTENT_E_VERSION, "not newer than 3");
	/* on a kiosk whose clock fell back to 1970 too */
	json_t *m = sx_manifest(2, two, 2);
	struct content_store_install_opts o = sx_opts();
	o.wall_now = 1;
	offer(m, &fx.office, two, 2, &o, CONTENT_E_VERSION, "not newer than 3");
	json_decref(m);
	sx_teardown();
}

static void case_expired(void)
{
	begin();
	json_t *m = sx_manifest(4, two, 2);
	struct content_store_install_opts o = sx_opts();
	o.wall_now = FX_T0 + 31 * 86400;
	offer(m, &fx.office, two, 2, &o, CONTENT_E_EXPIRED, "expired at");
	json_decref(m);
	/* on a 1970 clock: one that expired before the newest accepted created is refused */
	m = sx_manifest(4, two, 2);
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
	offer(m, &fx.office, two, 2, &o, CONTENT_E_EXPIRED, "expired at 2026-11-20T00:00:00Z");
	json_decref(m);
	sx_teardown();
}

static void case_other_region(void)
{
	begin();
	json_t *m = sx_manifest(4, two, 2);
	struct content_store_install_opts o = sx_opts();
	o.region = "32.04";
	offer(m, &fx.office, two, 2, &o, CONTENT_E_SCOPE, "region 32.04");
	o = sx_opts();
	json_object_set_new(json_object_get(m, "scope"), "regions", json_pack("[s]", "32.04"));
	offer(m, &fx.office, two, 2, &o, CONTENT_E_SCOPE, "may not publish to region 32.04");
	json_decref(m);
	sx_teardown();
}

static void case_version_range(void)
{
	begin();
	offer_v(2147483648LL, CONTENT_E_VERSION, "out of range");
	offer_v(-1, CONTENT_E_VERSION, "out of range");
	sx_teardown();
}

static void case_paths(void)
{
	const char *names[] = { "../banner-a.png", "/etc/passwd" };
	const char *why[] = { "path traversal", "absolute path" };
	begin();
	for (int i = 0; i < 2; i++) {
		json_t *m = sx_manifest(4, two, 2);
		json_object_set_new(sx_file0(m), "name", json_string(names[i]));
		json_object_set_new(json_array_get(json_object_get(m, "items"), 3), "file",
				    json_string(names[i]));
		struct content_store_install_opts o = sx_opts();
		offer(m, &fx.office, two, 2, &o, CONTENT_E_MANIFEST, why[i]);
		json_decref(m);
	}
	sx_teardown();
}

static void case_links_devices(void)
{
	begin();
	const char *types[] = { "symlink", "hardlink", "chardev" };
	struct content_store_install_opts o = sx_opts();
	for (int i = 0; i < 3; i++) {
		json_t *m = sx_manifest(4, two, 2);
		json_object_set_new(sx_file0(m), "type", json_string(types[i]));
		offer(m, &fx.office, two, 2, &o, CONTENT_E_MANIFEST, "type must be png or jpeg");
		json_decref(m);
	}
	json_t *m = sx_manifest(4, two, 2);
	json_object_set_new(sx_file0(m), "link", json_string("/dev/sda"));
	offer(m, &fx.office, two, 2, &o, CONTENT_E_MANIFEST, "unknown field");
	json_decref(m);
	sx_teardown();
}

static void case_duplicates(void)
{
	begin();
	json_t *m = sx_manifest(4, two, 2);
	json_object_set_new(json_array_get(json_object_get(m, "files"), 1), "name",
			    json_string("banner-a.png"));
	struct content_store_install_opts o = sx_opts();
	offer(m, &fx.office, two, 2, &o, CONTENT_E_MANIFEST, "duplicate entry");
	json_decref(m);
	sx_teardown();
}

static void case_missing(void)
{
	begin();
	struct content_store_install_opts o = sx_opts();
	json_t *m = sx_manifest(4, two, 2);
	/* listed and signed, absent from the stream: the PNG was staged, then thrown away */
	offer(m, &fx.office, two, 1, &o, CONTENT_E_FORMAT, "truncated in file banner-b.jpg");
	json_object_set_new(json_array_get(json_object_get(m, "items"), 4), "file",
			    json_string("banner-z.jpg"));
	offer(m, &fx.office, two, 2, &o, CONTENT_E_MANIFEST, "missing entry");
	json_decref(m);
	sx_teardown();
}

static void case_stream_longer(void)
{
	begin();
	json_t *m = sx_manifest(4, two, 2);
	size_t len;
	unsigned char *b = fx_bundle_json(m, &fx.office, two, 2, &len);
	unsigned char *longer = malloc(len + 1);
	memcpy(longer, b, len);
	longer[len] = 'A';
	struct content_store_install_opts o = sx_opts();
	offer_buf(longer, len + 1, &o, CONTENT_E_FILE, "stream longer than declared");
	free(longer);
	free(b);
	json_decref(m);
	sx_teardown();
}

static void case_image_100mb(void)
{
	begin();
	json_t *m = sx_manifest(4, two, 2);
	json_object_set_new(sx_file0(m), "length", json_integer(100LL * 1024 * 1024));
	char path[] = "/tmp/adm-store-big-XXXXXX";
	int fd = mkstemp(path);
	size_t len;
	unsigned char *b = fx_bundle_json(m, &fx.office, two, 0, &len);
	CHECK(fd >= 0 && write(fd, b, len) == (ssize_t)len &&
	      ftruncate(fd, (off_t)len + 100 * 1024 * 1024) == 0);
	if (fd >= 0)
		close(fd);
	struct content_store_install_opts o = sx_opts();
	sx_refused(content_store_install_file(store, path, &o, reason, sizeof(reason)),
		   CONTENT_E_TOO_BIG, "declares 104857600 bytes", &before, 3);
	unlink(path);
	free(b);
	json_decref(m);
	sx_teardown();
}

static void case_image_bomb(void)
{
	begin();
	struct fx_image bomb = fx_bomb_png(30000, 30000);
	struct fx_file files[1] = { { "bomb.png", &bomb } };
	struct content_store_install_opts o = sx_opts();
	json_t *m = sx_manifest(4, files, 1);
	offer(m, &fx.office, files, 1, &o, CONTENT_E_IMAGE, "over the budget");
	json_object_set_new(sx_file0(m), "width", json_integer(64));
	json_object_set_new(sx_file0(m), "height", json_integer(48));
	offer(m, &fx.office, files, 1, &o, CONTENT_E_IMAGE, "header says 30000x30000");
	json_decref(m);
	free(bomb.data);
	sx_teardown();
}

static void case_truncated_image(void)
{
	begin();
	struct fx_image cut = fx.png;
	cut.len = fx.png.len / 2; /* its hash in the manifest is of the cut bytes: it matches */
	struct fx_file files[2] = { { "banner-b.jpg", &fx.jpg }, { "cut.png", &cut } };
	struct content_store_install_opts o = sx_opts();
	json_t *m = sx_manifest(4, files, 2);
	offer(m, &fx.office, files, 2, &o, CONTENT_E_IMAGE, "truncated image");
	json_decref(m);
	sx_teardown();
}

static void title_case(const char *raw, int code, const char *needle)
{
	begin();
	json_t *m = sx_manifest(4, two, 2);
	char *text = fx_manifest_title(m, raw);
	size_t len;
	unsigned char *b = fx_bundle(text, &fx.office, two, 2, &len);
	struct content_store_install_opts o = sx_opts();
	offer_buf(b, len, &o, code, needle);
	free(b);
	free(text);
	json_decref(m);
	sx_teardown();
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
	begin();
	json_t *m = sx_manifest(4, two, 2);
	size_t len;
	unsigned char *b = fx_bundle_json(m, &fx.office, two, 2, &len);
	struct content_store_install_opts o = sx_opts();
	size_t cuts[] = { 5, 12 + 10, len - fx.jpg.len + 10, len - 1 };
	for (size_t i = 0; i < 4; i++)
		offer_buf(b, cuts[i], &o, CONTENT_E_FORMAT, "truncated");
	free(b);
	json_decref(m);
	sx_teardown();
}

/* A full disk while staging, as a file size limit (the first file cannot be written
 * whole): the active bundle untouched, staging removed, then with room it installs. */
static void case_disk_full(void)
{
	begin();
	struct rlimit old, lim;
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = fx.png.len / 2;
	signal(SIGXFSZ, SIG_IGN);
	CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
	int rc = sx_install_v(4);
	setrlimit(RLIMIT_FSIZE, &old);
	sx_refused(rc, CONTENT_E_IO, "storing banner-a.png: File too large", &before, 3);
	ACCEPTED(sx_install_v(4), reason);
	sx_check_loads(4, two, 2);
	sx_teardown();
}

/* Full while writing the manifest, after the files moved in: a large manifest over a
 * tiny new image, and a file size limit between the two. The moved file must not stay
 * behind as an orphan. */
static void case_disk_full_switch(void)
{
	begin();
	struct fx_image tiny = { .w = 16, .h = 16, .type = "png" };
	CHECK(synth_image(16, 16, false, 5, 0, &tiny.data, &tiny.len));
	struct fx_file files[1] = { { "tiny.png", &tiny } };
	json_t *m = sx_manifest(4, files, 1);
	json_t *items = json_object_get(m, "items");
	char text[901], id[16];
	memset(text, 'a', 900);
	text[900] = '\0';
	for (int i = 0; i < 30; i++) {
		json_t *ann = json_deep_copy(json_array_get(items, 0));
		snprintf(id, sizeof(id), "pad-%d", i);
		json_object_set_new(ann, "id", json_string(id));
		json_object_set_new(json_object_get(ann, "text"), "id", json_string(text));
		json_array_append_new(items, ann);
	}
	struct rlimit old, lim;
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 8192; /* the image and state.json fit, the manifest does not */
	signal(SIGXFSZ, SIG_IGN);
	CHECK(tiny.len < 4096, "image of %zu bytes", tiny.len);
	struct content_store_install_opts o = sx_opts();
	size_t len;
	unsigned char *b = fx_bundle_json(m, &fx.office, files, 1, &len);
	CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
	int rc = sx_install_buf(b, len, &o);
	setrlimit(RLIMIT_FSIZE, &old);
	sx_refused(rc, CONTENT_E_IO, "File too large", &before, 3);
	ACCEPTED(sx_install_buf(b, len, &o), reason);
	free(b);
	free(tiny.data);
	json_decref(m);
	sx_teardown();
}

int main(int argc, char **argv)
{
	sx_init();
	static const struct fx_case cases[] = {
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
		{ "disk-full-switch", case_disk_full_switch },
	};
	int rc = fx_run_cases(cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
	int fixture_failed = sx_done();
	int failed = check_done();
	return rc ? rc : failed || fixture_failed;
}
