/*
 * Test fixtures for the content suite and its fuzzer: fresh Ed25519 keys, a keyring
 * signed by them, real PNG and JPEG images made with SDL_image, and bundles built byte by
 * byte so a test can sign exactly the hostile manifest it needs.
 */
#ifndef ADM_TEST_CONTENT_FIXTURE_H
#define ADM_TEST_CONTENT_FIXTURE_H

#include "content.h"

#include <jansson.h>

#define FX_T0 1796288400LL /* 2026-12-03T09:00:00Z: the tests' kiosk clock */

struct fx_key {
	unsigned char pk[CONTENT_PK_BYTES], sk[CONTENT_SK_BYTES];
};

struct fx_image {
	unsigned char *data;
	size_t len;
	int w, h;
	const char *type; /* "png" or "jpeg" */
};

struct fx {
	struct fx_key root[3], office, stranger;
	struct fx_image png, jpg;
	content_keyring *kr; /* version 1: office may publish to 32.73 */
};

void fx_init(struct fx *fx);
void fx_finish(struct fx *fx);

/* A keyring payload: version, the given root (threshold), no publishers yet. */
json_t *fx_keyring_json(int64_t version, const struct fx_key *root, size_t nroot, size_t threshold);
void fx_keyring_add(json_t *kr, const char *id, const struct fx_key *k, const char *region,
		    bool revoked);
/* Signs the payload with each signer and verifies it against prev. */
int fx_keyring_verify(json_t *kr, const struct fx_key *const *signers, size_t nsigners,
		      const content_keyring *prev, content_keyring **out, char *reason);

struct fx_file {
	const char *name;
	const struct fx_image *img;
};
/* A manifest that the tests then break one field at a time: version 3, created an hour
 * before FX_T0, expires 30 days after, scope 32.73, an announcement, hours, an office and
 * one banner per file. */
json_t *fx_manifest(const struct fx_file *files, size_t n);
/* The bundle's bytes: header, manifest text, a signature by signer (NULL: none), then the
 * files' bytes in order. */
unsigned char *fx_bundle(const char *manifest, const struct fx_key *signer,
			 const struct fx_file *files, size_t n, size_t *len);
unsigned char *fx_bundle_json(json_t *manifest, const struct fx_key *signer,
			      const struct fx_file *files, size_t n, size_t *len);

/* The kiosk of the tests: 32.73, ADM-TEST-01, FX_T0, nothing accepted before. */
struct content_policy fx_policy(void);
/* content_bundle_read over a buffer; reason is printed when VERBOSE is set. */
int fx_read(const unsigned char *buf, size_t len, const content_keyring *kr,
	    const struct content_policy *p, char reason[CONTENT_REASON_MAX]);
/* Runs the case named by argv[1] (all without an argument); 1 if the name is unknown. */
struct fx_case {
	const char *name;
	void (*fn)(void);
};
int fx_run_cases(const struct fx_case *cases, size_t n, int argc, char **argv);

#endif
