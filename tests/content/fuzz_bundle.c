/*
 * libFuzzer target for the content reader. The first byte picks what the rest is:
 *   0  a manifest's JSON (content_manifest_parse)
 *   1  a whole bundle stream, as from a USB stick (almost always refused at the signature)
 *   2  a keyring blob, checked as the successor of a fixed keyring
 *   3  a manifest (2-byte length, then its bytes) that the harness signs with the trusted
 *      office key, then the file stream: the reader past its signature check, which an
 *      attacker without the key cannot reach, but a stolen key or a bug in an office would
 *   4  an image, checked against the dimensions its own header claims
 * Keys come from fixed seeds so a crash reproduces. A manifest that parses must hold what
 * the rules promise; anything else only must not crash or leak.
 */
#include "content.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned char office_pk[32], office_sk[64];
static content_keyring *kr;

static void seeded(unsigned char pk[32], unsigned char sk[64], unsigned char n)
{
	unsigned char seed[32];
	memset(seed, n, sizeof(seed));
	crypto_sign_seed_keypair(pk, sk, seed);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned char rpk[3][32], rsk[3][64];
	char hex[3][65], office_hex[65], text[1024], reason[CONTENT_REASON_MAX];
	if (sodium_init() < 0)
		abort();
	for (int i = 0; i < 3; i++) {
		seeded(rpk[i], rsk[i], (unsigned char)(i + 1));
		sodium_bin2hex(hex[i], sizeof(hex[i]), rpk[i], 32);
	}
	seeded(office_pk, office_sk, 9);
	sodium_bin2hex(office_hex, sizeof(office_hex), office_pk, 32);
	snprintf(text, sizeof(text),
		 "{\"format\":1,\"version\":1,\"created\":\"2026-11-01T00:00:00Z\",\"root\":"
		 "{\"threshold\":2,\"keys\":[\"%s\",\"%s\",\"%s\"]},\"publishers\":[{\"id\":"
		 "\"dukcapil-3273\",\"name\":\"Disdukcapil\",\"key\":\"%s\",\"regions\":"
		 "[\"32.73\"],\"revoked\":false}]}",
		 hex[0], hex[1], hex[2], office_hex);
	struct content_blob b = { .kind = CONTENT_BLOB_KEYRING,
				  .payload = (unsigned char *)text,
				  .len = strlen(text) };
	content_blob_sign(&b, rsk[0]);
	content_blob_sign(&b, rsk[1]);
	if (content_keyring_verify(&b, NULL, &kr, reason, sizeof(reason)) < 0) {
		fprintf(stderr, "fuzz: keyring refused: %s\n", reason);
		abort();
	}
	return 0;
}

static void check_manifest(const struct content_manifest *m)
{
	if (m->version < 1 || m->version > CONTENT_VERSION_MAX || m->expires <= m->created ||
	    m->nitems == 0 || m->nregions + m->nkiosks == 0)
		abort();
	for (size_t i = 0; i < m->nfiles; i++)
		if (strchr(m->files[i].name, '/') || strstr(m->files[i].name, "..") ||
		    m->files[i].length > CONTENT_FILE_MAX ||
		    (uint64_t)m->files[i].width * m->files[i].height > CONTENT_IMAGE_PIXELS_MAX)
			abort();
	struct content_now now = content_now_at(1796288400LL, 7 * 3600);
	for (size_t i = 0; i < m->nitems; i++) {
		const struct content_item *it = &m->items[i];
		if (it->kind == CONTENT_BANNER && !it->file)
			abort();
		content_item_visible(it, &now, i & 1);
		if (it->has_week)
			content_week_open(&it->week, it->holidays, it->nholidays, &now);
	}
}

static void read_stream(const uint8_t *data, size_t size)
{
	char reason[CONTENT_REASON_MAX];
	struct content_policy p = { .kiosk_id = "ADM-FUZZ-01",
				    .region = "32.73",
				    .wall_now = 1796288400LL };
	struct content_manifest *m = NULL;
	FILE *f = fmemopen((void *)data, size, "rb");
	if (!f)
		return;
	if (content_bundle_read(f, kr, &p, &m, reason, sizeof(reason)) == CONTENT_OK)
		check_manifest(m);
	content_manifest_free(m);
	fclose(f);
}

static void signed_stream(const uint8_t *data, size_t size)
{
	if (size < 2)
		return;
	size_t mlen = (size_t)data[0] << 8 | data[1];
	if (mlen == 0 || mlen > size - 2)
		return;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct content_blob b = { .kind = CONTENT_BLOB_BUNDLE,
				  .payload = (unsigned char *)(data + 2),
				  .len = mlen };
	if (!f)
		return;
	content_blob_sign(&b, office_sk);
	content_blob_write(f, &b);
	fwrite(data + 2 + mlen, 1, size - 2 - mlen, f);
	fclose(f);
	read_stream((const uint8_t *)buf, len);
	free(buf);
}

static void image(const uint8_t *data, size_t size)
{
	char reason[CONTENT_REASON_MAX];
	struct content_file f = { .name = "fuzz" };
	if (content_image_probe(data, size, &f.type, &f.width, &f.height, reason, sizeof(reason)) ==
	    CONTENT_OK)
		content_image_check(&f, data, size, reason, sizeof(reason));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char reason[CONTENT_REASON_MAX];
	if (size < 1)
		return 0;
	const uint8_t *d = data + 1;
	size_t n = size - 1;
	switch (data[0] % 5) {
	case 0: {
		struct content_manifest *m = NULL;
		if (content_manifest_parse((const char *)d, n, &m, reason, sizeof(reason)) ==
		    CONTENT_OK)
			check_manifest(m);
		content_manifest_free(m);
		break;
	}
	case 1:
		read_stream(d, n);
		break;
	case 2: {
		struct content_blob b;
		content_keyring *next = NULL;
		FILE *f = fmemopen((void *)d, n ? n : 1, "rb");
		if (f && n &&
		    content_blob_read(f, CONTENT_BLOB_KEYRING, CONTENT_KEYRING_MAX, &b, reason,
				      sizeof(reason)) == CONTENT_OK) {
			content_keyring_verify(&b, kr, &next, reason, sizeof(reason));
			content_keyring_free(next);
			content_blob_finish(&b);
		}
		if (f)
			fclose(f);
		break;
	}
	case 3:
		signed_stream(d, n);
		break;
	default:
		image(d, n);
		break;
	}
	return 0;
}
