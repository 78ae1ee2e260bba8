#include "sha256.h"

#include <openssl/evp.h>
#include <string.h>

bool sha256(const void *data, size_t len, unsigned char out[SHA256_BYTES])
{
	return EVP_Digest(data, len, out, NULL, EVP_sha256(), NULL) == 1;
}

sha256_ctx *sha256_begin(void)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(c);
		c = NULL;
	}
	return (sha256_ctx *)c;
}

bool sha256_update(sha256_ctx *c, const void *data, size_t len)
{
	return EVP_DigestUpdate((EVP_MD_CTX *)c, data, len) == 1;
}

bool sha256_final(sha256_ctx *c, unsigned char out[SHA256_BYTES])
{
	bool ok = EVP_DigestFinal_ex((EVP_MD_CTX *)c, out, NULL) == 1;
	EVP_MD_CTX_free((EVP_MD_CTX *)c);
	return ok;
}

bool sha256_hex_ok(const char *s)
{
	if (!s || strlen(s) != 2 * SHA256_BYTES)
		return false;
	for (int i = 0; i < 2 * SHA256_BYTES; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

void sha256_free(sha256_ctx *c)
{
	EVP_MD_CTX_free((EVP_MD_CTX *)c);
}
