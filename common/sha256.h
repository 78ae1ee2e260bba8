/*
 * SHA-256 of blobs (the hash that names a document's file and proves it unchanged).
 *
 * Through OpenSSL's libcrypto rather than libsodium: libcrypto uses the CPU's SHA
 * extensions where it has them, and libsodium's SHA-256 is portable C. On the kiosk's
 * CPU that is 17 ms against 155 ms for 1 000 blobs of 22 KiB, a quarter of adm-syncd's
 * whole CPU time for an initial sync (docs/benchmarks-sync.md).
 */
#ifndef ADM_SHA256_H
#define ADM_SHA256_H

#include <stdbool.h>
#include <stddef.h>

#define SHA256_BYTES 32

/* Exactly 64 lowercase hex digits: how a hash names a blob everywhere (protocol, cache,
 * spool file names). */
bool sha256_hex_ok(const char *s);

/* One buffer at once. False only when libcrypto fails (out of memory). */
bool sha256(const void *data, size_t len, unsigned char out[SHA256_BYTES]);

/* Streaming, for data that does not sit in memory at once. sha256_final() frees the
 * context whatever it returns; sha256_free() drops one that is not finished. */
typedef struct sha256_ctx sha256_ctx;
sha256_ctx *sha256_begin(void);
bool sha256_update(sha256_ctx *c, const void *data, size_t len);
bool sha256_final(sha256_ctx *c, unsigned char out[SHA256_BYTES]);
void sha256_free(sha256_ctx *c);

#endif
