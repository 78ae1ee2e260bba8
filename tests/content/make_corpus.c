/*
 * Writes the fuzzer's seed corpus (tests/content/corpus) so it can be made again:
 *   make-content-corpus DIR
 * One seed per mode of fuzz_bundle.c; the bundle seeds are signed with the fuzzer's fixed
 * office key (seed bytes 0x09), so mutations start past the signature check.
 */
#include "content.h"
#include "sha256.h"
#include "synth_image.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(const char *dir, const char *name, unsigned char mode, const void *a, size_t alen,
		const void *b, size_t blen)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(&mode, 1, 1, f) != 1 || fwrite(a, 1, alen, f) != alen ||
	    (blen && fwrite(b, 1, blen, f) != blen) || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	unsigned char *png, *jpg, seed[32], pk[32], sk[64], digest[32];
	size_t png_len, jpg_len;
	char hex[65], manifest[1024];
	if (argc != 2 || sodium_init() < 0 || !synth_image(2, 2, false, 1, 50, &png, &png_len) ||
	    !synth_image(8, 8, true, 1, 30, &jpg, &jpg_len))
		return 1;
	sha256(png, png_len, digest);
	sodium_bin2hex(hex, sizeof(hex), digest, 32);
	int n =
	    snprintf(manifest, sizeof(manifest),
		     "{\"format\":1,\"publisher\":\"dukcapil-3273\",\"version\":3,"
		     "\"created\":\"2026-12-03T08:00:00Z\",\"expires\":\"2027-01-03T00:00:00Z\","
		     "\"scope\":{\"regions\":[\"32.73\"]},\"files\":[{\"name\":\"a.png\","
		     "\"sha256\":\"%s\",\"length\":%zu,\"type\":\"png\",\"width\":2,\"height\":2}],"
		     "\"items\":[{\"id\":\"b\",\"kind\":\"banner\",\"file\":\"a.png\",\"valid\":"
		     "{\"from\":\"2026-12-01T00:00:00Z\",\"until\":\"2026-12-31T00:00:00Z\"},"
		     "\"days\":[\"fri\"],\"hours\":{\"from\":\"22:00\",\"until\":\"02:00\"},"
		     "\"alt\":{\"id\":\"Spanduk\",\"en\":\"Banner\"}},{\"id\":\"o\",\"kind\":"
		     "\"office\",\"name\":\"Kantor\",\"address\":\"Jl. 1\",\"handles\":[\"kk\"],"
		     "\"week\":{\"mon\":[\"08:00-15:00\"]}}]}",
		     hex, png_len);
	put(argv[1], "manifest.bin", 0, manifest, (size_t)n, NULL, 0);
	memset(seed, 9, sizeof(seed));
	crypto_sign_seed_keypair(pk, sk, seed);
	struct content_blob b = { .kind = CONTENT_BLOB_BUNDLE,
				  .payload = (unsigned char *)manifest,
				  .len = (size_t)n };
	content_blob_sign(&b, sk);
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	content_blob_write(f, &b);
	fwrite(png, 1, png_len, f);
	fclose(f);
	put(argv[1], "bundle.bin", 1, buf, len, NULL, 0);
	unsigned char mlen[2] = { (unsigned char)(n >> 8), (unsigned char)n };
	memcpy(buf, mlen, 2);
	memcpy(buf + 2, manifest, (size_t)n);
	put(argv[1], "signed.bin", 3, buf, 2 + (size_t)n, png, png_len);
	free(buf);
	const char *kr =
	    "{\"format\":1,\"version\":2,\"created\":\"2026-11-02T00:00:00Z\",\"root\":"
	    "{\"threshold\":2,\"keys\":[\"00\",\"11\"]},\"publishers\":[]}";
	struct content_blob k = { .kind = CONTENT_BLOB_KEYRING,
				  .payload = (unsigned char *)kr,
				  .len = strlen(kr) };
	content_blob_sign(&k, sk);
	f = open_memstream(&buf, &len);
	content_blob_write(f, &k);
	fclose(f);
	put(argv[1], "keyring.bin", 2, buf, len, NULL, 0);
	free(buf);
	put(argv[1], "image.png.bin", 4, png, png_len, NULL, 0);
	put(argv[1], "image.jpg.bin", 4, jpg, jpg_len, NULL, 0);
	free(png);
	free(jpg);
	return 0;
}
