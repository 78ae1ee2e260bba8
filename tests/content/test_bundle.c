/*
 * The bundle reader against the issue's "bad input" list, one meson test per case
 * (test-bundle CASE). Every hostile bundle is generated here, at test time, and signed
 * with the key the case needs, so each refusal is the rule under test and not a broken
 * signature; each case also checks that the same bundle without the defect is accepted,
 * so a reader that refused everything would fail.
 */
#include "fixture.h"

#include "../check.h"

#include <dirent.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#define REFUSED(rc, code, reason, needle)                                                          \
	CHECK((rc) == (code) && strstr((reason), (needle)), "got %s: %s (wanted %s, \"%s\")",      \
	      content_strerror(rc), (reason), content_strerror(code), (needle))
#define ACCEPTED(rc, reason) CHECK((rc) == CONTENT_OK, "refused: %s", (reason))

static struct fx fx;
static char reason[CONTENT_REASON_MAX];

static struct fx_file two[2];

/* Reads a bundle of manifest m (signed by the office) over files. */
static int read_m(json_t *m, const struct fx_file *files, size_t n, const struct content_policy *p)
{
	size_t len;
	unsigned char *b = fx_bundle_json(m, &fx.office, files, n, &len);
	int rc = fx_read(b, len, fx.kr, p, reason);
	free(b);
	return rc;
}

static int read_default(json_t *m)
{
	struct content_policy p = fx_policy();
	return read_m(m, two, 2, &p);
}

/* The manifest text with the announcement's Indonesian title replaced by raw bytes
 * (which may be JSON escapes), signed by the office. */
static int read_title(const char *raw)
{
	json_t *m = fx_manifest(two, 2);
	json_object_set_new(
	    json_object_get(json_array_get(json_object_get(m, "items"), 0), "title"), "id",
	    json_string("@@T@@"));
	char *text = json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER), *at = strstr(text, "@@T@@");
	size_t len, n = strlen(text) + strlen(raw) + 1;
	char *out = malloc(n);
	snprintf(out, n, "%.*s%s%s", (int)(at - text), text, raw, at + 5);
	unsigned char *b = fx_bundle(out, &fx.office, two, 2, &len);
	struct content_policy p = fx_policy();
	int rc = fx_read(b, len, fx.kr, &p, reason);
	free(b);
	free(out);
	free(text);
	json_decref(m);
	return rc;
}

/* Empties a store folder: how many files it held, and how many were named by a hash. */
static int clear_dir(const char *dir, int *hex)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	*hex = 0;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		n++;
		*hex += strlen(e->d_name) == 64 && strspn(e->d_name, "0123456789abcdef") == 64;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	return n;
}

static json_t *file0(json_t *m)
{
	return json_array_get(json_object_get(m, "files"), 0);
}

static void case_ok(void)
{
	char dir[] = "/tmp/adm-content-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	json_t *m = fx_manifest(two, 2);
	CHECK(m != NULL, "fixture manifest");
	struct content_policy p = fx_policy();
	p.store_dir = dir;
	size_t len;
	unsigned char *b = fx_bundle_json(m, &fx.office, two, 2, &len);
	FILE *f = fmemopen(b, len, "rb");
	struct content_manifest *cm = NULL;
	int rc = content_bundle_read(f, fx.kr, &p, &cm, reason, sizeof(reason));
	fclose(f);
	ACCEPTED(rc, reason);
	CHECK(cm && cm->nfiles == 2 && cm->nitems == 5 && cm->version == 3);
	CHECK(cm && strcmp(cm->items[3].file->name, "banner-a.png") == 0);
	/* the PNG's bytes under its hash */
	char path[512], hexname[65];
	sodium_bin2hex(hexname, sizeof(hexname), cm ? cm->files[0].sha256 : (unsigned char *)"",
		       cm ? 32 : 0);
	snprintf(path, sizeof(path), "%s/%s", dir, hexname);
	FILE *stored = fopen(path, "rb");
	unsigned char *got = malloc(fx.png.len + 1);
	CHECK(stored && fread(got, 1, fx.png.len + 1, stored) == fx.png.len &&
	      memcmp(got, fx.png.data, fx.png.len) == 0);
	if (stored)
		fclose(stored);
	free(got);
	/* stored by hash and by nothing else: exactly two files, 64 hex digits each */
	int hex, n = clear_dir(dir, &hex);
	CHECK(n == 2 && hex == 2, "%d files stored, %d named by hash", n, hex);
	rmdir(dir);
	content_manifest_free(cm);
	free(b);
	json_decref(m);
}

/* Storing that fails halfway (a file size limit stands in for a full disk): a clear reason,
 * and no temporary file left behind. */
static void case_store_fails(void)
{
	char dir[] = "/tmp/adm-content-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	json_t *m = fx_manifest(two, 2);
	struct content_policy p = fx_policy();
	p.store_dir = dir;
	struct rlimit old, lim;
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = fx.png.len / 2; /* the first file cannot be written whole */
	signal(SIGXFSZ, SIG_IGN);
	CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
	REFUSED(read_m(m, two, 2, &p), CONTENT_E_IO, reason,
		"storing banner-a.png: File too large");
	setrlimit(RLIMIT_FSIZE, &old);
	int hex, left = clear_dir(dir, &hex);
	CHECK(left == 0, "%d files left in the store folder", left);
	ACCEPTED(read_m(m, two, 2, &p), reason); /* with room, the same bundle stores */
	CHECK(clear_dir(dir, &hex) == 2 && hex == 2);
	rmdir(dir);
	json_decref(m);
}

static void case_changed_file(void)
{
	json_t *m = fx_manifest(two, 2);
	size_t len;
	unsigned char *b = fx_bundle_json(m, &fx.office, two, 2, &len);
	struct content_policy p = fx_policy();
	ACCEPTED(fx_read(b, len, fx.kr, &p, reason), reason);
	b[len - fx.jpg.len - 20] ^= 0x01; /* inside the PNG */
	REFUSED(fx_read(b, len, fx.kr, &p, reason), CONTENT_E_FILE, reason,
		"banner-a.png: SHA-256 differs");
	b[len - fx.jpg.len - 20] ^= 0x01;
	b[len - 7] ^= 0x80; /* inside the JPEG */
	REFUSED(fx_read(b, len, fx.kr, &p, reason), CONTENT_E_FILE, reason,
		"banner-b.jpg: SHA-256 differs");
	b[len - 7] ^= 0x80;
	b[12 + 30] ^= 0x01; /* inside the manifest: the signature no longer covers it */
	REFUSED(fx_read(b, len, fx.kr, &p, reason), CONTENT_E_SIGNATURE, reason,
		"does not match the manifest");
	free(b);
	json_decref(m);
}

static void case_wrong_key(void)
{
	json_t *m = fx_manifest(two, 2);
	size_t len;
	struct content_policy p = fx_policy();
	unsigned char *b = fx_bundle_json(m, &fx.stranger, two, 2, &len);
	REFUSED(fx_read(b, len, fx.kr, &p, reason), CONTENT_E_SIGNATURE, reason, "wrong key");
	free(b);
	b = fx_bundle_json(m, NULL, two, 2, &len);
	REFUSED(fx_read(b, len, fx.kr, &p, reason), CONTENT_E_SIGNATURE, reason, "not signed");
	free(b);
	/* a root key is not a publisher key */
	b = fx_bundle_json(m, &fx.root[0], two, 2, &len);
	REFUSED(fx_read(b, len, fx.kr, &p, reason), CONTENT_E_SIGNATURE, reason, "wrong key");
	free(b);
	/* the office's key, but the manifest names another publisher */
	json_object_set_new(m, "publisher", json_string("dukcapil-3204"));
	REFUSED(read_default(m), CONTENT_E_SIGNATURE, reason, "names publisher dukcapil-3204");
	json_decref(m);
}

static void case_revoked_key(void)
{
	struct fx_key office2;
	content_keyring *kr2 = NULL;
	/* keyring 2: the office's old key revoked, a new one for the same publisher */
	crypto_sign_keypair(office2.pk, office2.sk);
	json_t *j = fx_keyring_json(2, fx.root, 3, 2);
	fx_keyring_add(j, "dukcapil-3273", &fx.office, "32.73", true);
	fx_keyring_add(j, "dukcapil-3273", &office2, "32.73", false);
	const struct fx_key *signers[] = { &fx.root[1], &fx.root[2] };
	ACCEPTED(fx_keyring_verify(j, signers, 2, fx.kr, &kr2, reason), reason);
	json_t *m = fx_manifest(two, 2);
	size_t len;
	struct content_policy p = fx_policy();
	unsigned char *b = fx_bundle_json(m, &fx.office, two, 2, &len);
	ACCEPTED(fx_read(b, len, fx.kr, &p, reason), reason); /* keyring 1: still trusted */
	if (kr2)
		REFUSED(fx_read(b, len, kr2, &p, reason), CONTENT_E_REVOKED, reason,
			"revoked in keyring 2");
	free(b);
	b = fx_bundle_json(m, &office2, two, 2, &len);
	if (kr2)
		ACCEPTED(fx_read(b, len, kr2, &p, reason), reason);
	free(b);
	content_keyring_free(kr2);
	json_decref(j);
	json_decref(m);
}

/* Signed by two publishers (a city office and its province): the manifest's publisher
 * decides which signature counts, whichever comes first. */
static void case_two_signers(void)
{
	content_keyring *kr2 = NULL;
	json_t *j = fx_keyring_json(2, fx.root, 3, 2);
	fx_keyring_add(j, "dukcapil-3273", &fx.office, "32.73", false);
	fx_keyring_add(j, "dukcapil-32", &fx.stranger, "32", false);
	const struct fx_key *signers[] = { &fx.root[0], &fx.root[1] };
	ACCEPTED(fx_keyring_verify(j, signers, 2, fx.kr, &kr2, reason), reason);
	json_t *m = fx_manifest(two, 2);
	json_object_set_new(m, "publisher", json_string("dukcapil-32"));
	char *text = json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER);
	struct content_blob b = { .kind = CONTENT_BLOB_BUNDLE,
				  .payload = (unsigned char *)text,
				  .len = strlen(text) };
	content_blob_sign(&b, fx.office.sk);
	content_blob_sign(&b, fx.stranger.sk);
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	content_blob_write(f, &b);
	fwrite(fx.png.data, 1, fx.png.len, f);
	fwrite(fx.jpg.data, 1, fx.jpg.len, f);
	fclose(f);
	struct content_policy p = fx_policy();
	if (kr2)
		ACCEPTED(fx_read((unsigned char *)buf, len, kr2, &p, reason), reason);
	/* under keyring 1 only the office's signature is known: it names another publisher */
	REFUSED(fx_read((unsigned char *)buf, len, fx.kr, &p, reason), CONTENT_E_SIGNATURE, reason,
		"names publisher dukcapil-32");
	free(buf);
	free(text);
	content_keyring_free(kr2);
	json_decref(j);
	json_decref(m);
}

static int64_t last_version(const char *publisher, void *user)
{
	return strcmp(publisher, "dukcapil-3273") == 0 ? *(int64_t *)user : 0;
}

static void case_old_version(void)
{
	json_t *m = fx_manifest(two, 2); /* version 3 */
	int64_t last = 2;
	struct content_policy p = fx_policy();
	p.last_version = last_version;
	p.user = &last;
	ACCEPTED(read_m(m, two, 2, &p), reason);
	last = 3;
	REFUSED(read_m(m, two, 2, &p), CONTENT_E_VERSION, reason, "replay or rollback");
	last = 9;
	REFUSED(read_m(m, two, 2, &p), CONTENT_E_VERSION, reason, "not newer than 9");
	json_decref(m);
}

static void case_expired(void)
{
	json_t *m = fx_manifest(two, 2);
	int64_t expires = FX_T0 + 30 * 86400;
	struct content_policy p = fx_policy();
	p.wall_now = expires;
	REFUSED(read_m(m, two, 2, &p), CONTENT_E_EXPIRED, reason, "expired at");
	/* a kiosk whose clock fell back to 1970: the newest accepted created still holds */
	p.wall_now = 0;
	p.newest_created = expires + 60;
	REFUSED(read_m(m, two, 2, &p), CONTENT_E_EXPIRED, reason, "expired at");
	p.newest_created = FX_T0 - 7200;
	ACCEPTED(read_m(m, two, 2, &p), reason);
	/* a fresh kiosk on a dead clock, nothing accepted yet: its keyring's created (and the
	 * firmware's era) stand in; a bundle created after both is not "ahead of the clock" */
	p.newest_created = 0;
	ACCEPTED(read_m(m, two, 2, &p), reason);
	json_t *old = json_deep_copy(m);
	json_object_set_new(old, "created", json_string("2026-09-01T00:00:00Z"));
	json_object_set_new(old, "expires", json_string("2026-10-01T00:00:00Z"));
	REFUSED(read_m(old, two, 2, &p), CONTENT_E_EXPIRED, reason,
		"expired at 2026-10-01T00:00:00Z (kiosk time 2026-11-01T00:00:00Z)");
	json_decref(old);
	/* with a sane clock, a created far in the future would push every kiosk's "now" */
	p = fx_policy();
	char ahead[21];
	content_time_format(FX_T0 + 3 * 86400, ahead);
	json_object_set_new(m, "created", json_string(ahead));
	REFUSED(read_m(m, two, 2, &p), CONTENT_E_MANIFEST, reason, "ahead of the kiosk clock");
	json_decref(m);
}

static void case_other_region(void)
{
	json_t *m = fx_manifest(two, 2);
	struct content_policy p = fx_policy();
	p.region = "32.04";
	REFUSED(read_m(m, two, 2, &p), CONTENT_E_SCOPE, reason, "region 32.04");
	p = fx_policy();
	json_t *scope = json_object_get(m, "scope");
	json_object_set_new(scope, "regions", json_pack("[s]", "32.04"));
	REFUSED(read_m(m, two, 2, &p), CONTENT_E_SCOPE, reason, "may not publish to region 32.04");
	json_object_set_new(scope, "regions", json_pack("[]"));
	json_object_set_new(scope, "kiosks", json_pack("[s]", "ADM-OTHER-02"));
	REFUSED(read_m(m, two, 2, &p), CONTENT_E_SCOPE, reason, "not this kiosk");
	json_object_set_new(scope, "kiosks", json_pack("[s]", "ADM-TEST-01"));
	ACCEPTED(read_m(m, two, 2, &p), reason);
	/* the sync protocol's kiosk id alphabet, dots and underscores included */
	struct content_policy dotted = fx_policy();
	dotted.kiosk_id = "adm.bdg_07";
	json_object_set_new(scope, "kiosks", json_pack("[s]", "adm.bdg_07"));
	ACCEPTED(read_m(m, two, 2, &dotted), reason);
	json_object_set_new(scope, "kiosks", json_pack("[s]", "ADM TEST/01"));
	REFUSED(read_m(m, two, 2, &dotted), CONTENT_E_MANIFEST, reason, "kiosk ids are");
	json_object_set_new(scope, "kiosks", json_pack("[s]", "ADM-TEST-01"));
	/* a kiosk-addressed bundle still needs the publisher's region */
	p.region = "32.04";
	REFUSED(read_m(m, two, 2, &p), CONTENT_E_SCOPE, reason, "this kiosk's region 32.04");
	p.region = NULL;
	REFUSED(read_m(m, two, 2, &p), CONTENT_E_SCOPE, reason, "no region configured");
	json_decref(m);
}

static void case_version_range(void)
{
	json_t *m = fx_manifest(two, 2);
	json_t *bad[] = { json_integer(0), json_integer(-1), json_integer(2147483648LL),
			  json_real(1.5), json_string("7") };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_object_set_new(m, "version", bad[i]);
		REFUSED(read_default(m), CONTENT_E_VERSION, reason, "out of range");
	}
	json_object_set_new(m, "version", json_integer(2147483647LL));
	ACCEPTED(read_default(m), reason);
	json_decref(m);
}

static void case_paths(void)
{
	const char *names[] = { "../banner-a.png", "/etc/passwd", "img/banner.png", ".hidden.png" };
	const char *why[] = { "path traversal", "absolute path", "no paths", "no paths" };
	for (int i = 0; i < 4; i++) {
		json_t *m = fx_manifest(two, 2);
		json_object_set_new(file0(m), "name", json_string(names[i]));
		json_object_set_new(json_array_get(json_object_get(m, "items"), 3), "file",
				    json_string(names[i]));
		REFUSED(read_default(m), CONTENT_E_MANIFEST, reason, why[i]);
		json_decref(m);
	}
}

/* The stream has no file types: an entry that claims to be a link or a device, or carries
 * a mode or a link target, is refused as a field the format does not have. */
static void case_links_devices(void)
{
	const char *types[] = { "symlink", "hardlink", "chardev", "blockdev", "fifo" };
	for (int i = 0; i < 5; i++) {
		json_t *m = fx_manifest(two, 2);
		json_object_set_new(file0(m), "type", json_string(types[i]));
		REFUSED(read_default(m), CONTENT_E_MANIFEST, reason, "type must be png or jpeg");
		json_decref(m);
	}
	const char *fields[] = { "link", "target", "mode", "uid" };
	for (int i = 0; i < 4; i++) {
		json_t *m = fx_manifest(two, 2);
		json_object_set_new(file0(m), fields[i], json_string("/dev/sda"));
		REFUSED(read_default(m), CONTENT_E_MANIFEST, reason, "unknown field");
		json_decref(m);
	}
}

static void case_duplicates(void)
{
	json_t *m = fx_manifest(two, 2);
	json_t *files = json_object_get(m, "files");
	json_object_set_new(json_array_get(files, 1), "name", json_string("banner-a.png"));
	REFUSED(read_default(m), CONTENT_E_MANIFEST, reason, "duplicate entry");
	json_decref(m);
	struct fx_file same[2] = { { "banner-a.png", &fx.png }, { "banner-c.png", &fx.png } };
	m = fx_manifest(same, 2);
	struct content_policy p = fx_policy();
	REFUSED(read_m(m, same, 2, &p), CONTENT_E_MANIFEST, reason, "duplicate entry");
	json_decref(m);
	m = fx_manifest(two, 2);
	json_object_set_new(json_array_get(json_object_get(m, "items"), 1), "id",
			    json_string("ann-1"));
	REFUSED(read_default(m), CONTENT_E_MANIFEST, reason, "duplicate item id ann-1");
	json_decref(m);
	/* a duplicate JSON key: which of the two would a kiosk believe? neither */
	m = fx_manifest(two, 2);
	char *text = json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER);
	size_t n = strlen(text) + 64, len;
	char *dup = malloc(n);
	snprintf(dup, n, "{\"publisher\":\"dukcapil-3204\",%s", text + 1);
	unsigned char *b = fx_bundle(dup, &fx.office, two, 2, &len);
	REFUSED(fx_read(b, len, fx.kr, &p, reason), CONTENT_E_MANIFEST, reason, "duplicate");
	free(b);
	free(dup);
	free(text);
	json_decref(m);
}

static void case_missing(void)
{
	json_t *m = fx_manifest(two, 2);
	json_object_set_new(json_array_get(json_object_get(m, "items"), 4), "file",
			    json_string("banner-z.jpg"));
	REFUSED(read_default(m), CONTENT_E_MANIFEST, reason, "missing entry");
	json_decref(m);
	m = fx_manifest(two, 2);
	json_array_remove(json_object_get(m, "items"), 4);
	REFUSED(read_default(m), CONTENT_E_MANIFEST, reason, "not used by any item");
	json_decref(m);
	/* listed and signed, but absent from the stream */
	m = fx_manifest(two, 2);
	struct content_policy p = fx_policy();
	REFUSED(read_m(m, two, 1, &p), CONTENT_E_FORMAT, reason, "truncated in file banner-b.jpg");
	json_decref(m);
}

static void case_stream_longer(void)
{
	json_t *m = fx_manifest(two, 2);
	size_t len;
	unsigned char *b = fx_bundle_json(m, &fx.office, two, 2, &len);
	unsigned char *longer = malloc(len + 4096);
	memcpy(longer, b, len);
	memset(longer + len, 'A', 4096);
	struct content_policy p = fx_policy();
	ACCEPTED(fx_read(longer, len, fx.kr, &p, reason), reason);
	REFUSED(fx_read(longer, len + 1, fx.kr, &p, reason), CONTENT_E_FILE, reason,
		"stream longer than declared");
	REFUSED(fx_read(longer, len + 4096, fx.kr, &p, reason), CONTENT_E_FILE, reason,
		"stream longer than declared");
	free(longer);
	free(b);
	json_decref(m);
}

static void case_image_100mb(void)
{
	json_t *m = fx_manifest(two, 2);
	json_object_set_new(file0(m), "length", json_integer(100LL * 1024 * 1024));
	/* a real 100 MB stream behind the manifest (sparse, so the test stays cheap) */
	char path[] = "/tmp/adm-content-big-XXXXXX";
	int fd = mkstemp(path);
	size_t len;
	unsigned char *b = fx_bundle_json(m, &fx.office, two, 0, &len);
	CHECK(fd >= 0 && write(fd, b, len) == (ssize_t)len &&
	      ftruncate(fd, (off_t)len + 100 * 1024 * 1024) == 0 && lseek(fd, 0, SEEK_SET) == 0);
	FILE *f = fdopen(fd, "rb");
	struct rusage before, after;
	struct content_manifest *cm = NULL;
	struct content_policy p = fx_policy();
	getrusage(RUSAGE_SELF, &before);
	int rc = content_bundle_read(f, fx.kr, &p, &cm, reason, sizeof(reason));
	getrusage(RUSAGE_SELF, &after);
	fclose(f);
	unlink(path);
	REFUSED(rc, CONTENT_E_TOO_BIG, reason, "declares 104857600 bytes");
	CHECK(after.ru_maxrss - before.ru_maxrss < 16 * 1024, "refusing grew RSS by %ld KiB",
	      after.ru_maxrss - before.ru_maxrss);
	free(b);
	json_object_set_new(file0(m), "length", json_integer(CONTENT_FILE_MAX + 1LL));
	REFUSED(read_default(m), CONTENT_E_TOO_BIG, reason, "at most");
	/* each file within its cap, all of them over the bundle's */
	json_t *files = json_object_get(m, "files");
	json_object_set_new(file0(m), "length", json_integer(CONTENT_FILE_MAX));
	for (int i = 0; i < 8; i++) {
		json_t *entry = json_deep_copy(file0(m));
		char name[32], hash[65];
		snprintf(name, sizeof(name), "big-%d.png", i);
		snprintf(hash, sizeof(hash), "%064d", i + 1);
		json_object_set_new(entry, "name", json_string(name));
		json_object_set_new(entry, "sha256", json_string(hash));
		json_array_append_new(files, entry);
	}
	REFUSED(read_default(m), CONTENT_E_TOO_BIG, reason, "files add up to more than");
	json_decref(m);
}

static uint32_t put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
	return v;
}

/* A small PNG whose IHDR says w x h, with a real IDAT of zeros: a decompression bomb for a
 * decoder that trusted it. */
static struct fx_image bomb_png(uint32_t w, uint32_t h)
{
	static unsigned char zeros[65536];
	unsigned char *p = malloc(4096), *c;
	uLongf zlen = 4096 - 64;
	memcpy(p, "\x89PNG\r\n\x1a\n", 8);
	c = p + 8;
	put32(c, 13), memcpy(c + 4, "IHDR", 4), put32(c + 8, w), put32(c + 12, h);
	c[16] = 8, c[17] = 2, c[18] = c[19] = c[20] = 0;
	put32(c + 21, (uint32_t)crc32(0, c + 4, 17));
	c += 25;
	compress2(c + 8, &zlen, zeros, sizeof(zeros), 9);
	put32(c, (uint32_t)zlen), memcpy(c + 4, "IDAT", 4);
	put32(c + 8 + zlen, (uint32_t)crc32(0, c + 4, (uInt)zlen + 4));
	c += 12 + zlen;
	memcpy(c, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
	c += 12;
	return (struct fx_image){ p, (size_t)(c - p), (int)w, (int)h, "png" };
}

static void case_image_bomb(void)
{
	struct fx_image bomb = bomb_png(30000, 30000);
	struct fx_file files[1] = { { "bomb.png", &bomb } };
	struct content_policy p = fx_policy();
	json_t *m = fx_manifest(files, 1); /* declared as big as it is */
	REFUSED(read_m(m, files, 1, &p), CONTENT_E_IMAGE, reason, "over the budget");
	json_object_set_new(file0(m), "width", json_integer(64));
	json_object_set_new(file0(m), "height", json_integer(48));
	REFUSED(read_m(m, files, 1, &p), CONTENT_E_IMAGE, reason, "header says 30000x30000");
	CHECK(strstr(reason, "not decoded") != NULL, "%s", reason);
	json_decref(m);
	free(bomb.data);
	/* within the side limit, over the pixel budget */
	bomb = bomb_png(3000, 3000);
	m = fx_manifest(files, 1);
	REFUSED(read_m(m, files, 1, &p), CONTENT_E_IMAGE, reason, "over the budget");
	json_object_set_new(file0(m), "width", json_integer(64));
	json_object_set_new(file0(m), "height", json_integer(48));
	REFUSED(read_m(m, files, 1, &p), CONTENT_E_IMAGE, reason, "over the pixel budget");
	json_decref(m);
	free(bomb.data);
	/* the same shape within the budget decodes: the check is not "refuse all crafted PNGs" */
	bomb = bomb_png(100, 100);
	m = fx_manifest(files, 1);
	ACCEPTED(read_m(m, files, 1, &p), reason);
	json_decref(m);
	free(bomb.data);
}

static void truncated_case(const struct fx_image *full, const char *tail, size_t tail_len, int code,
			   const char *needle)
{
	unsigned char *buf = malloc(full->len);
	size_t keep = full->len / 2;
	memcpy(buf, full->data, keep);
	memcpy(buf + keep, tail, tail_len);
	struct fx_image cut = { buf, keep + tail_len, full->w, full->h, full->type };
	struct fx_file files[1] = { { "cut.img", &cut } };
	struct content_policy p = fx_policy();
	json_t *m = fx_manifest(files, 1); /* its hash is of the cut bytes: it matches */
	REFUSED(read_m(m, files, 1, &p), code, reason, needle);
	json_decref(m);
	free(buf);
}

static void case_truncated_image(void)
{
	truncated_case(&fx.png, "", 0, CONTENT_E_IMAGE, "truncated image (no IEND");
	truncated_case(&fx.jpg, "", 0, CONTENT_E_IMAGE, "truncated image (no EOI");
	/* cut, then given a proper end: only the decoder can tell */
	truncated_case(&fx.png, "\0\0\0\0IEND\xae\x42\x60\x82", 12, CONTENT_E_IMAGE,
		       "does not decode");
	truncated_case(&fx.jpg, "\xff\xd9", 2, CONTENT_E_IMAGE, "does not decode");
}

static void case_image_type(void)
{
	json_t *m = fx_manifest(two, 2);
	json_object_set_new(file0(m), "type", json_string("jpeg"));
	REFUSED(read_default(m), CONTENT_E_IMAGE, reason, "declared jpeg but is png");
	json_decref(m);
	struct fx_image text = { (unsigned char *)"<svg onload=alert(1)>", 21, 10, 10, "png" };
	struct fx_file files[1] = { { "x.png", &text } };
	struct content_policy p = fx_policy();
	m = fx_manifest(files, 1);
	REFUSED(read_m(m, files, 1, &p), CONTENT_E_IMAGE, reason, "neither PNG nor JPEG");
	json_decref(m);
}

static void case_text_utf8(void)
{
	ACCEPTED(read_title("Selamat datang \xe2\x80\x94 \xc3\xbc \xf0\x9f\x98\x80"), reason);
	REFUSED(read_title("Jam \xff buka"), CONTENT_E_TEXT, reason, "invalid UTF-8");
	REFUSED(read_title("\xc0\xaf"), CONTENT_E_TEXT, reason, "invalid UTF-8"); /* overlong */
	REFUSED(read_title("\xed\xa0\x80"), CONTENT_E_TEXT, reason,
		"invalid UTF-8");						  /* surrogate */
	REFUSED(read_title("\xe2\x80"), CONTENT_E_TEXT, reason, "invalid UTF-8"); /* cut */
	REFUSED(read_title("\\ud800"), CONTENT_E_MANIFEST, reason, "JSON");	  /* lone escape */
}

static void case_text_bidi(void)
{
	REFUSED(read_title("Hubungi \\u202e1234"), CONTENT_E_TEXT, reason, "bidi control U+202E");
	REFUSED(read_title("\xe2\x81\xa7x"), CONTENT_E_TEXT, reason, "bidi control U+2067");
	REFUSED(read_title("a\\u200fb"), CONTENT_E_TEXT, reason, "bidi control U+200F");
	REFUSED(read_title("a\\u2066b"), CONTENT_E_TEXT, reason, "bidi control U+2066");
}

static void case_text_controls(void)
{
	REFUSED(read_title("bel\\u0007"), CONTENT_E_TEXT, reason, "C0 control U+0007");
	REFUSED(read_title("\\u001b[31mred"), CONTENT_E_TEXT, reason, "C0 control U+001B");
	REFUSED(read_title("two\\nlines"), CONTENT_E_TEXT, reason, "C0 control U+000A");
	REFUSED(read_title("del\\u007f"), CONTENT_E_TEXT, reason, "U+007F");
	REFUSED(read_title("nel\\u0085"), CONTENT_E_TEXT, reason, "C1 control U+0085");
	REFUSED(read_title("csi\xc2\x9b"), CONTENT_E_TEXT, reason, "C1 control U+009B");
	REFUSED(read_title("raw\x07"), CONTENT_E_TEXT, reason, "C0 control");
}

static void case_truncated_archive(void)
{
	json_t *m = fx_manifest(two, 2);
	size_t len;
	unsigned char *b = fx_bundle_json(m, &fx.office, two, 2, &len);
	size_t mlen = (size_t)b[8] << 24 | (size_t)b[9] << 16 | (size_t)b[10] << 8 | b[11];
	size_t cuts[] = { 1,
			  5,
			  11,
			  12 + 10,
			  12 + mlen,
			  12 + mlen + 1 + 30,
			  12 + mlen + 73 + 100,
			  len - fx.jpg.len + 10,
			  len - 1 };
	struct content_policy p = fx_policy();
	ACCEPTED(fx_read(b, len, fx.kr, &p, reason), reason);
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++)
		REFUSED(fx_read(b, cuts[i], fx.kr, &p, reason), CONTENT_E_FORMAT, reason,
			"truncated");
	/* a header declaring a manifest over the cap is refused before anything is read */
	b[8] = 0x00, b[9] = 0x04, b[10] = 0x93, b[11] = 0xE0; /* 300000 bytes */
	REFUSED(fx_read(b, 12, fx.kr, &p, reason), CONTENT_E_TOO_BIG, reason, "over the cap");
	memcpy(b, "ADMKRNG1", 8);
	REFUSED(fx_read(b, len, fx.kr, &p, reason), CONTENT_E_FORMAT, reason, "wrong magic");
	free(b);
	json_decref(m);
}

static const struct fx_case cases[] = {
	{ "ok", case_ok },
	{ "store-fails", case_store_fails },
	{ "changed-file", case_changed_file },
	{ "wrong-key", case_wrong_key },
	{ "revoked-key", case_revoked_key },
	{ "two-signers", case_two_signers },
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
	{ "image-type", case_image_type },
	{ "text-utf8", case_text_utf8 },
	{ "text-bidi", case_text_bidi },
	{ "text-controls", case_text_controls },
	{ "truncated-archive", case_truncated_archive },
};

int main(int argc, char **argv)
{
	fx_init(&fx);
	two[0] = (struct fx_file){ "banner-a.png", &fx.png };
	two[1] = (struct fx_file){ "banner-b.jpg", &fx.jpg };
	int rc = fx_run_cases(cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
	fx_finish(&fx);
	return rc ? rc : check_done();
}
