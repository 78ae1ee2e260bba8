/*
 * The store fixture of the content suite (store_fixture.h): a store in a temporary folder,
 * provisioned with keyring 1 and version 3 of the office's two-file bundle active, and the
 * checks every store test repeats (what the store holds, that the active bundle loads
 * with its files, the rejection in the status).
 */
#include "store_fixture.h"

#include "../check.h"

#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fx fx;
char reason[CONTENT_REASON_MAX];
char dir[64], anchor[96];
struct fx_file two[2];
content_store *store;

void sx_init(void)
{
	fx_init(&fx);
	two[0] = (struct fx_file){ "banner-a.png", &fx.png };
	two[1] = (struct fx_file){ "banner-b.jpg", &fx.jpg };
}

int sx_done(void)
{
	fx_finish(&fx);
	/* check.h's counters are per file: the fixture's own are reported here */
	printf("fixture: %d passed, %d failed\n", check_passed, check_failed);
	return check_failed;
}

void sx_keyring_file(const char *path, json_t *kr, const struct fx_key *const *signers, size_t n)
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

json_t *sx_manifest(int64_t version, const struct fx_file *files, size_t n)
{
	json_t *m = fx_manifest(files, n);
	json_object_set_new(m, "version", json_integer(version));
	return m;
}

struct content_store_install_opts sx_opts(void)
{
	return (struct content_store_install_opts){
		.kiosk_id = "ADM-TEST-01", .region = "32.73", .wall_now = FX_T0, .source = "test"
	};
}

int sx_install_buf(const unsigned char *b, size_t len, const struct content_store_install_opts *o)
{
	FILE *f = fmemopen((void *)b, len, "rb");
	reason[0] = '\0';
	int rc = content_store_install(store, f, o, reason, sizeof(reason));
	fclose(f);
	if (getenv("VERBOSE"))
		fprintf(stderr, "  install: %s: %s\n", content_store_strerror(rc), reason);
	return rc;
}

int sx_install_m(json_t *m, const struct fx_key *signer, const struct fx_file *files, size_t n,
		 const struct content_store_install_opts *o)
{
	size_t len;
	unsigned char *b = fx_bundle_json(m, signer, files, n, &len);
	int rc = sx_install_buf(b, len, o);
	free(b);
	return rc;
}

/* Version v of the office's two-file bundle, installed with the default kiosk. */
int sx_install_v(int64_t v)
{
	json_t *m = sx_manifest(v, two, 2);
	struct content_store_install_opts o = sx_opts();
	int rc = sx_install_m(m, &fx.office, two, 2, &o);
	json_decref(m);
	return rc;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

/* A fresh store provisioned with keyring 1, version 3 active. */
void sx_setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/adm-store-XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	snprintf(anchor, sizeof(anchor), "%s.anchor.krg", dir);
	json_t *kr = fx_keyring_json(1, fx.root, 3, 2);
	fx_keyring_add(kr, "dukcapil-3273", &fx.office, "32.73", false);
	const struct fx_key *signers[] = { &fx.root[0], &fx.root[2] };
	sx_keyring_file(anchor, kr, signers, 2);
	json_decref(kr);
	CHECK(content_store_open(dir, &store, reason, sizeof(reason)) == CONTENT_OK, "%s", reason);
	CHECK(content_store_provision(store, anchor, reason, sizeof(reason)) == CONTENT_OK, "%s",
	      reason);
	ACCEPTED(sx_install_v(3), reason);
}

void sx_teardown(void)
{
	content_store_close(store);
	store = NULL;
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	unlink(anchor);
}

/* The names in DIR/sub, sorted, one a line, into out. */
size_t sx_list_dir(const char *sub, char *out, size_t size)
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

struct sx_snap sx_snap(void)
{
	struct sx_snap s = { 0 };
	struct content_store_status st;
	CHECK(content_store_status(store, FX_T0, &st, reason, sizeof(reason)) == CONTENT_OK, "%s",
	      reason);
	snprintf(s.active, sizeof(s.active), "%s", st.active.id);
	snprintf(s.previous, sizeof(s.previous), "%s", st.previous.id);
	s.keyring = st.keyring_version;
	sx_list_dir("files", s.listing, sizeof(s.listing));
	sx_list_dir("manifests", s.listing, sizeof(s.listing));
	sx_list_dir("keyring", s.listing, sizeof(s.listing));
	return s;
}

size_t sx_staging_entries(void)
{
	char buf[4096] = "";
	return sx_list_dir("staging", buf, sizeof(buf));
}

/* The active bundle loads as the kiosk loads it, at version, with every file's bytes. */
void sx_check_loads(int64_t version, const struct fx_file *files, size_t n)
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
void sx_check_untouched(const struct sx_snap *before, int64_t version)
{
	struct sx_snap now = sx_snap();
	CHECK(strcmp(now.active, before->active) == 0 &&
		  strcmp(now.previous, before->previous) == 0,
	      "active or previous changed");
	CHECK(now.keyring == before->keyring, "keyring %lld, was %lld", (long long)now.keyring,
	      (long long)before->keyring);
	CHECK(strcmp(now.listing, before->listing) == 0, "store changed:\n%s--- was:\n%s",
	      now.listing, before->listing);
	CHECK(sx_staging_entries() == 0, "staging not cleaned up");
	sx_check_loads(version, two, 2);
}

void sx_check_rejection(int code, const char *needle)
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
void sx_refused(int rc, int code, const char *needle, const struct sx_snap *before, int64_t active)
{
	REFUSED(rc, code, reason, needle);
	sx_check_untouched(before, active);
	sx_check_rejection(code, needle);
}

json_t *sx_file0(json_t *m)
{
	return json_array_get(json_object_get(m, "files"), 0);
}
