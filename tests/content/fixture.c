/*
 * Fixtures of the content suite (see fixture.h). Keys are made fresh in every run, so no
 * test depends on a key checked into the tree, and every hostile bundle is signed by the
 * key the case needs: a refusal then proves the rule, not a broken signature.
 */
#include "fixture.h"

#include "sha256.h"
#include "synth_image.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static void keypair(struct fx_key *k)
{
	crypto_sign_keypair(k->pk, k->sk);
}

static json_t *hex_json(const unsigned char *b, size_t n)
{
	char hex[2 * 64 + 1];
	sodium_bin2hex(hex, sizeof(hex), b, n);
	return json_string(hex);
}

json_t *fx_keyring_json(int64_t version, const struct fx_key *root, size_t nroot, size_t threshold)
{
	json_t *keys = json_array();
	for (size_t i = 0; i < nroot; i++)
		json_array_append_new(keys, hex_json(root[i].pk, CONTENT_PK_BYTES));
	return json_pack("{s:i, s:I, s:s, s:{s:i, s:o}, s:[]}", "format", 1, "version",
			 (json_int_t)version, "created", "2026-11-01T00:00:00Z", "root",
			 "threshold", (int)threshold, "keys", keys, "publishers");
}

void fx_keyring_add(json_t *kr, const char *id, const struct fx_key *k, const char *region,
		    bool revoked)
{
	json_array_append_new(
	    json_object_get(kr, "publishers"),
	    json_pack("{s:s, s:s, s:o, s:[s], s:b}", "id", id, "name", "Disdukcapil (test)", "key",
		      hex_json(k->pk, CONTENT_PK_BYTES), "regions", region, "revoked", revoked));
}

int fx_keyring_verify(json_t *kr, const struct fx_key *const *signers, size_t nsigners,
		      const content_keyring *prev, content_keyring **out, char *reason)
{
	char *text = json_dumps(kr, JSON_COMPACT);
	struct content_blob b = { .kind = CONTENT_BLOB_KEYRING,
				  .payload = (unsigned char *)text,
				  .len = strlen(text) };
	for (size_t i = 0; i < nsigners; i++)
		content_blob_sign(&b, signers[i]->sk);
	int rc = content_keyring_verify(&b, prev, out, reason, CONTENT_REASON_MAX);
	if (rc < 0 && getenv("VERBOSE"))
		fprintf(stderr, "  keyring refused: %s\n", reason);
	free(text);
	return rc;
}

static struct fx_image image(int w, int h, const char *type, unsigned seed)
{
	struct fx_image im = { .w = w, .h = h, .type = type };
	if (!synth_image(w, h, strcmp(type, "jpeg") == 0, seed, 85, &im.data, &im.len)) {
		fprintf(stderr, "fixture: cannot make a %s image\n", type);
		exit(1);
	}
	return im;
}

void fx_init(struct fx *fx)
{
	char reason[CONTENT_REASON_MAX];
	if (sodium_init() < 0)
		exit(1);
	for (int i = 0; i < 3; i++)
		keypair(&fx->root[i]);
	keypair(&fx->office);
	keypair(&fx->stranger);
	fx->png = image(64, 48, "png", 1);
	fx->jpg = image(80, 40, "jpeg", 2);
	json_t *kr = fx_keyring_json(1, fx->root, 3, 2);
	fx_keyring_add(kr, "dukcapil-3273", &fx->office, "32.73", false);
	const struct fx_key *signers[] = { &fx->root[0], &fx->root[2] };
	if (fx_keyring_verify(kr, signers, 2, NULL, &fx->kr, reason) < 0) {
		fprintf(stderr, "fixture: keyring refused: %s\n", reason);
		exit(1);
	}
	json_decref(kr);
}

void fx_finish(struct fx *fx)
{
	content_keyring_free(fx->kr);
	free(fx->png.data);
	free(fx->jpg.data);
}

json_t *fx_manifest(const struct fx_file *files, size_t n)
{
	char created[21], expires[21];
	content_time_format(FX_T0 - 3600, created);
	content_time_format(FX_T0 + 30 * 86400, expires);
	json_t *valid = json_pack("{s:s, s:s}", "from", "2026-12-01T00:00:00Z", "until", expires);
	json_t *m = json_pack(
	    "{s:i, s:s, s:i, s:s, s:s, s:{s:[s], s:[]}, s:[], s:[{s:s, s:s, s:O, s:{s:s, s:s}, "
	    "s:{s:s, s:s}}, {s:s, s:s, s:{s:[s], s:[s]}, s:[{s:s, s:{s:s, s:s}}]}, {s:s, s:s, "
	    "s:s, s:s, s:[s, s]}]}",
	    "format", 1, "publisher", "dukcapil-3273", "version", 3, "created", created, "expires",
	    expires, "scope", "regions", "32.73", "kiosks", "files", "items", "id", "ann-1", "kind",
	    "announcement", "valid", valid, "title", "id", "Pengumuman", "en", "Announcement",
	    "text", "id", "Layanan baru tersedia.", "en", "A new service is available.", "id",
	    "jam", "kind", "hours", "week", "mon", "08:00-15:00", "fri", "08:00-11:30", "holidays",
	    "date", "2026-12-25", "name", "id", "Hari Raya Natal", "en", "Christmas Day", "id",
	    "kantor", "kind", "office", "name", "Disdukcapil Kota Bandung", "address",
	    "Jl. Ambon No. 1B, Bandung", "handles", "ktp-el", "kk");
	for (size_t i = 0; i < n; i++) {
		unsigned char digest[SHA256_BYTES];
		char hex[2 * SHA256_BYTES + 1], id[32];
		const struct fx_image *im = files[i].img;
		sha256(im->data, im->len, digest);
		sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
		json_array_append_new(json_object_get(m, "files"),
				      json_pack("{s:s, s:s, s:I, s:s, s:i, s:i}", "name",
						files[i].name, "sha256", hex, "length",
						(json_int_t)im->len, "type", im->type, "width",
						im->w, "height", im->h));
		snprintf(id, sizeof(id), "banner-%zu", i);
		json_array_append_new(json_object_get(m, "items"),
				      json_pack("{s:s, s:s, s:s, s:O, s:{s:s, s:s}}", "id", id,
						"kind", "banner", "file", files[i].name, "valid",
						valid, "alt", "id", "Spanduk", "en", "Banner"));
	}
	json_decref(valid);
	return m;
}

unsigned char *fx_bundle(const char *manifest, const struct fx_key *signer,
			 const struct fx_file *files, size_t n, size_t *len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	struct content_blob b = { .kind = CONTENT_BLOB_BUNDLE,
				  .payload = (unsigned char *)strdup(manifest),
				  .len = strlen(manifest) };
	if (signer)
		content_blob_sign(&b, signer->sk);
	content_blob_write(f, &b);
	for (size_t i = 0; i < n; i++)
		fwrite(files[i].img->data, 1, files[i].img->len, f);
	fclose(f);
	content_blob_finish(&b);
	*len = size;
	return (unsigned char *)buf;
}

unsigned char *fx_bundle_json(json_t *manifest, const struct fx_key *signer,
			      const struct fx_file *files, size_t n, size_t *len)
{
	char *text = json_dumps(manifest, JSON_COMPACT | JSON_PRESERVE_ORDER);
	unsigned char *b = fx_bundle(text, signer, files, n, len);
	free(text);
	return b;
}

struct content_policy fx_policy(void)
{
	return (struct content_policy){ .kiosk_id = "ADM-TEST-01",
					.region = "32.73",
					.wall_now = FX_T0 };
}

int fx_read(const unsigned char *buf, size_t len, const content_keyring *kr,
	    const struct content_policy *p, char reason[CONTENT_REASON_MAX])
{
	FILE *f = fmemopen((void *)buf, len, "rb");
	struct content_manifest *m = NULL;
	reason[0] = '\0';
	int rc = content_bundle_read(f, kr, p, &m, reason, CONTENT_REASON_MAX);
	fclose(f);
	content_manifest_free(m);
	if (getenv("VERBOSE"))
		fprintf(stderr, "  %s: %s\n", content_strerror(rc), reason);
	return rc;
}

int fx_run_cases(const struct fx_case *cases, size_t n, int argc, char **argv)
{
	int ran = 0;
	for (size_t i = 0; i < n; i++)
		if (argc < 2 || strcmp(argv[1], cases[i].name) == 0) {
			cases[i].fn();
			ran++;
		}
	if (!ran)
		fprintf(stderr, "unknown case %s\n", argc > 1 ? argv[1] : "");
	return ran ? 0 : 1;
}
