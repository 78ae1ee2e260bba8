/*
 * The signed blob that both bundles and keyrings start with, Ed25519 keys and key files.
 *
 *   magic    8 bytes   "ADMBNDL1" (bundle) or "ADMKRNG1" (keyring)
 *   length   u32 BE    payload bytes, 1..cap (the cap is checked before allocating)
 *   payload  length    JSON, signed exactly as stored (no canonical form needed)
 *   nsigs    u8        0..8
 *   sigs     nsigs x (8-byte key id, 64-byte Ed25519 signature)
 *
 * A signature covers a context string naming the kind and then the payload, so a
 * keyring's signature cannot be replayed as a bundle's. Nothing here parses JSON: the
 * reader checks signatures over these bytes before any parser sees them.
 */
#include "content_internal.h"

#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char magic_bundle[8] = { 'A', 'D', 'M', 'B', 'N', 'D', 'L', '1' };
static const char magic_keyring[8] = { 'A', 'D', 'M', 'K', 'R', 'N', 'G', '1' };

const char *content_strerror(int err)
{
	switch (err) {
	case CONTENT_OK:
		return "ok";
	case CONTENT_E_IO:
		return "input/output error";
	case CONTENT_E_NOMEM:
		return "out of memory";
	case CONTENT_E_FORMAT:
		return "not a valid bundle or keyring";
	case CONTENT_E_TOO_BIG:
		return "over a size limit";
	case CONTENT_E_SIGNATURE:
		return "signature not valid";
	case CONTENT_E_REVOKED:
		return "signed by a revoked key";
	case CONTENT_E_MANIFEST:
		return "manifest or keyring breaks the rules";
	case CONTENT_E_VERSION:
		return "version not acceptable";
	case CONTENT_E_EXPIRED:
		return "expired";
	case CONTENT_E_SCOPE:
		return "not for this kiosk";
	case CONTENT_E_FILE:
		return "file does not match the manifest";
	case CONTENT_E_IMAGE:
		return "image not acceptable";
	case CONTENT_E_TEXT:
		return "text not acceptable";
	}
	return "unknown error";
}

int content_fail(char *reason, size_t size, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (reason && size)
		vsnprintf(reason, size, fmt, ap);
	va_end(ap);
	return err;
}

const char *content_blob_context(enum content_blob_kind kind)
{
	return kind == CONTENT_BLOB_BUNDLE ? "adm-content-bundle-v1" : "adm-content-keyring-v1";
}

void content_key_id(const unsigned char pk[CONTENT_PK_BYTES], unsigned char id[CONTENT_KEYID_BYTES])
{
	unsigned char h[SHA256_BYTES];
	crypto_hash_sha256(h, pk, CONTENT_PK_BYTES);
	memcpy(id, h, CONTENT_KEYID_BYTES);
}

void content_key_id_hex(const unsigned char id[CONTENT_KEYID_BYTES], char out[CONTENT_KEYID_HEX])
{
	sodium_bin2hex(out, CONTENT_KEYID_HEX, id, CONTENT_KEYID_BYTES);
}

bool content_hex_decode(const char *hex, unsigned char *out, size_t n)
{
	size_t got = 0;
	if (strlen(hex) != 2 * n)
		return false;
	return sodium_hex2bin(out, n, hex, 2 * n, NULL, &got, NULL) == 0 && got == n;
}

static bool read_exact(FILE *in, void *buf, size_t n)
{
	return fread(buf, 1, n, in) == n;
}

int content_blob_read(FILE *in, enum content_blob_kind kind, size_t cap, struct content_blob *out,
		      char *reason, size_t reason_size)
{
	const char *what = kind == CONTENT_BLOB_BUNDLE ? "bundle" : "keyring";
	unsigned char head[12];
	memset(out, 0, sizeof(*out));
	out->kind = kind;
	if (!read_exact(in, head, sizeof(head)))
		return content_fail(reason, reason_size, CONTENT_E_FORMAT,
				    "%s truncated: no complete header", what);
	if (memcmp(head, kind == CONTENT_BLOB_BUNDLE ? magic_bundle : magic_keyring, 8) != 0)
		return content_fail(reason, reason_size, CONTENT_E_FORMAT, "not a %s (wrong magic)",
				    what);
	uint32_t len =
	    (uint32_t)head[8] << 24 | (uint32_t)head[9] << 16 | (uint32_t)head[10] << 8 | head[11];
	if (len == 0)
		return content_fail(reason, reason_size, CONTENT_E_FORMAT, "%s: empty payload",
				    what);
	if (len > cap)
		return content_fail(reason, reason_size, CONTENT_E_TOO_BIG,
				    "%s payload of %u bytes over the cap of %zu", what, len, cap);
	out->payload = malloc((size_t)len + 1);
	if (!out->payload)
		return content_fail(reason, reason_size, CONTENT_E_NOMEM, "out of memory");
	out->len = len;
	out->payload[len] = '\0';
	if (!read_exact(in, out->payload, len))
		goto truncated;
	unsigned char n;
	if (!read_exact(in, &n, 1))
		goto truncated;
	if (n > CONTENT_SIGS_MAX) {
		content_blob_finish(out);
		return content_fail(reason, reason_size, CONTENT_E_FORMAT,
				    "%s: %u signatures, at most %d", what, n, CONTENT_SIGS_MAX);
	}
	for (unsigned i = 0; i < n; i++) {
		if (!read_exact(in, out->sigs[i].keyid, CONTENT_KEYID_BYTES) ||
		    !read_exact(in, out->sigs[i].sig, CONTENT_SIG_BYTES))
			goto truncated;
	}
	out->nsigs = n;
	return CONTENT_OK;
truncated:
	content_blob_finish(out);
	return content_fail(reason, reason_size, CONTENT_E_FORMAT,
			    "%s truncated in its signed header", what);
}

int content_blob_write(FILE *out, const struct content_blob *b)
{
	unsigned char head[12];
	memcpy(head, b->kind == CONTENT_BLOB_BUNDLE ? magic_bundle : magic_keyring, 8);
	head[8] = (unsigned char)(b->len >> 24);
	head[9] = (unsigned char)(b->len >> 16);
	head[10] = (unsigned char)(b->len >> 8);
	head[11] = (unsigned char)b->len;
	unsigned char n = (unsigned char)b->nsigs;
	if (b->len > UINT32_MAX || b->nsigs > CONTENT_SIGS_MAX)
		return CONTENT_E_TOO_BIG;
	if (fwrite(head, 1, sizeof(head), out) != sizeof(head) ||
	    fwrite(b->payload, 1, b->len, out) != b->len || fwrite(&n, 1, 1, out) != 1)
		return CONTENT_E_IO;
	for (size_t i = 0; i < b->nsigs; i++)
		if (fwrite(b->sigs[i].keyid, 1, CONTENT_KEYID_BYTES, out) != CONTENT_KEYID_BYTES ||
		    fwrite(b->sigs[i].sig, 1, CONTENT_SIG_BYTES, out) != CONTENT_SIG_BYTES)
			return CONTENT_E_IO;
	return CONTENT_OK;
}

void content_blob_finish(struct content_blob *b)
{
	if (!b)
		return;
	free(b->payload);
	b->payload = NULL;
	b->len = 0;
	b->nsigs = 0;
}

/* The signed message: context, NUL, payload. Built in a buffer (payloads are capped). */
static unsigned char *message(const struct content_blob *b, size_t *len)
{
	const char *ctx = content_blob_context(b->kind);
	size_t clen = strlen(ctx) + 1;
	if (sodium_init() < 0) /* idempotent and thread-safe; needed before the first use */
		return NULL;
	unsigned char *m = malloc(clen + b->len);
	if (!m)
		return NULL;
	memcpy(m, ctx, clen);
	memcpy(m + clen, b->payload, b->len);
	*len = clen + b->len;
	return m;
}

int content_blob_sign(struct content_blob *b, const unsigned char sk[CONTENT_SK_BYTES])
{
	unsigned char pk[CONTENT_PK_BYTES], id[CONTENT_KEYID_BYTES];
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	content_key_id(pk, id);
	size_t slot = b->nsigs;
	for (size_t i = 0; i < b->nsigs; i++)
		if (memcmp(b->sigs[i].keyid, id, sizeof(id)) == 0)
			slot = i;
	if (slot == CONTENT_SIGS_MAX)
		return CONTENT_E_TOO_BIG;
	size_t mlen;
	unsigned char *m = message(b, &mlen);
	if (!m)
		return CONTENT_E_NOMEM;
	crypto_sign_detached(b->sigs[slot].sig, NULL, m, mlen, sk);
	free(m);
	memcpy(b->sigs[slot].keyid, id, sizeof(id));
	if (slot == b->nsigs)
		b->nsigs++;
	return CONTENT_OK;
}

bool content_blob_sig_ok(const struct content_blob *b, const struct content_sig *sig,
			 const unsigned char pk[CONTENT_PK_BYTES])
{
	size_t mlen;
	unsigned char *m = message(b, &mlen);
	if (!m)
		return false;
	bool ok = crypto_sign_verify_detached(sig->sig, m, mlen, pk) == 0;
	free(m);
	return ok;
}

/* ---- key files ---- */

static int write_new(const char *path, mode_t mode, const char *text, char *reason, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		return content_fail(reason, size, CONTENT_E_IO, "%s: %s", path, strerror(errno));
	size_t n = strlen(text);
	bool ok = write(fd, text, n) == (ssize_t)n && fsync(fd) == 0;
	if (close(fd) != 0)
		ok = false;
	if (!ok)
		return content_fail(reason, size, CONTENT_E_IO, "%s: write failed", path);
	return CONTENT_OK;
}

int content_keygen(const char *secret_path, const char *public_path, char *reason,
		   size_t reason_size)
{
	unsigned char pk[CONTENT_PK_BYTES], sk[CONTENT_SK_BYTES], seed[32];
	char text[2 * CONTENT_PK_BYTES + 2];
	if (sodium_init() < 0)
		return content_fail(reason, reason_size, CONTENT_E_NOMEM, "libsodium init failed");
	crypto_sign_keypair(pk, sk);
	crypto_sign_ed25519_sk_to_seed(seed, sk);
	sodium_bin2hex(text, sizeof(text) - 1, seed, sizeof(seed));
	strcat(text, "\n");
	int rc = write_new(secret_path, 0600, text, reason, reason_size);
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(text, sizeof(text));
	if (rc < 0)
		return rc;
	sodium_bin2hex(text, sizeof(text) - 1, pk, sizeof(pk));
	strcat(text, "\n");
	return write_new(public_path, 0644, text, reason, reason_size);
}

/* One line of hex, n bytes. */
static int load_hex(const char *path, unsigned char *out, size_t n, char *reason, size_t size)
{
	char line[160];
	FILE *f = fopen(path, "re");
	if (!f)
		return content_fail(reason, size, CONTENT_E_IO, "%s: %s", path, strerror(errno));
	bool got = fgets(line, sizeof(line), f) != NULL;
	fclose(f);
	line[got ? strcspn(line, "\r\n") : 0] = '\0';
	bool ok = got && content_hex_decode(line, out, n);
	sodium_memzero(line, sizeof(line));
	if (!ok)
		return content_fail(reason, size, CONTENT_E_FORMAT,
				    "%s: not a key file (%zu hex bytes)", path, n);
	return CONTENT_OK;
}

int content_secret_load(const char *path, unsigned char sk[CONTENT_SK_BYTES], char *reason,
			size_t reason_size)
{
	unsigned char seed[32], pk[CONTENT_PK_BYTES];
	int rc = load_hex(path, seed, sizeof(seed), reason, reason_size);
	if (rc < 0)
		return rc;
	crypto_sign_seed_keypair(pk, sk, seed);
	sodium_memzero(seed, sizeof(seed));
	return CONTENT_OK;
}

int content_public_load(const char *path, unsigned char pk[CONTENT_PK_BYTES], char *reason,
			size_t reason_size)
{
	return load_hex(path, pk, CONTENT_PK_BYTES, reason, reason_size);
}
