/*
 * Keyring rotation (test-keyring CASE): N -> N+1 under a threshold of N's root and of its
 * own, and every way a rotation must fail: one old key only, the new root short of its
 * threshold, the same key id twice, a replayed or skipped version, a revoked key brought
 * back, a root with a threshold of one.
 */
#include "fixture.h"

#include "../check.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static struct fx fx;
static char reason[CONTENT_REASON_MAX];
static struct fx_key fresh[3]; /* the next root */

#define REFUSED(rc, code, needle)                                                                  \
	CHECK((rc) == (code) && strstr(reason, (needle)), "got %s: %s (wanted \"%s\")",            \
	      content_strerror(rc), reason, (needle))

static json_t *next(int64_t version, const struct fx_key *root)
{
	json_t *j = fx_keyring_json(version, root, 3, 2);
	fx_keyring_add(j, "dukcapil-3273", &fx.office, "32.73", false);
	return j;
}

static void case_rotation(void)
{
	content_keyring *kr2 = NULL, *kr3 = NULL, *bad = NULL;
	json_t *j = next(2, fresh);
	const struct fx_key *s[] = { &fx.root[0], &fx.root[1], &fresh[1], &fresh[2] };
	CHECK(fx_keyring_verify(j, s, 4, fx.kr, &kr2, reason) == CONTENT_OK, "%s", reason);
	CHECK(kr2 && content_keyring_version(kr2) == 2);
	json_decref(j);
	/* 3 follows 2 under 2's root; 1's root has no say any more */
	j = next(3, fresh);
	const struct fx_key *s3[] = { &fresh[0], &fresh[2] };
	if (kr2)
		CHECK(fx_keyring_verify(j, s3, 2, kr2, &kr3, reason) == CONTENT_OK, "%s", reason);
	const struct fx_key *old[] = { &fx.root[0], &fx.root[1] };
	if (kr2)
		REFUSED(fx_keyring_verify(j, old, 2, kr2, &bad, reason), CONTENT_E_SIGNATURE,
			"0 valid signature(s) of keyring 2's root");
	content_keyring_free(kr3);
	content_keyring_free(kr2);
	json_decref(j);
}

static void case_rotation_one_old_key(void)
{
	content_keyring *kr2 = NULL;
	json_t *j = next(2, fresh);
	const struct fx_key *s[] = { &fx.root[2], &fresh[0], &fresh[1], &fresh[2] };
	REFUSED(fx_keyring_verify(j, s, 4, fx.kr, &kr2, reason), CONTENT_E_SIGNATURE,
		"1 valid signature(s) of keyring 1's root, needs 2");
	/* and the new root short of its own threshold */
	const struct fx_key *s2[] = { &fx.root[0], &fx.root[2], &fresh[0] };
	REFUSED(fx_keyring_verify(j, s2, 3, fx.kr, &kr2, reason), CONTENT_E_SIGNATURE,
		"1 valid signature(s) of its own root");
	CHECK(kr2 == NULL);
	json_decref(j);
}

static void case_one_root_key(void)
{
	content_keyring *kr = NULL;
	json_t *j = next(1, fx.root);
	const struct fx_key *one[] = { &fx.root[1] };
	REFUSED(fx_keyring_verify(j, one, 1, NULL, &kr, reason), CONTENT_E_SIGNATURE,
		"1 valid signature(s) of its own root, needs 2");
	json_decref(j);
	j = next(2, fx.root);
	REFUSED(fx_keyring_verify(j, one, 1, fx.kr, &kr, reason), CONTENT_E_SIGNATURE, "needs 2");
	json_decref(j);
	/* a root that would let one key decide is refused as such */
	j = fx_keyring_json(1, fx.root, 3, 1);
	const struct fx_key *all[] = { &fx.root[0], &fx.root[1], &fx.root[2] };
	REFUSED(fx_keyring_verify(j, all, 3, NULL, &kr, reason), CONTENT_E_MANIFEST,
		"threshold must be at least 2");
	json_decref(j);
}

static void case_duplicate_keyid(void)
{
	json_t *j = next(2, fx.root);
	char *text = json_dumps(j, JSON_COMPACT);
	struct content_blob b = { .kind = CONTENT_BLOB_KEYRING,
				  .payload = (unsigned char *)text,
				  .len = strlen(text) };
	content_keyring *kr = NULL;
	content_blob_sign(&b, fx.root[0].sk);
	b.sigs[1] = b.sigs[0]; /* the same valid signature twice */
	b.nsigs = 2;
	CHECK(content_keyring_root_sigs(fx.kr, &b) == 1);
	REFUSED(content_keyring_verify(&b, fx.kr, &kr, reason, sizeof(reason)), CONTENT_E_SIGNATURE,
		"1 valid signature(s)");
	content_blob_sign(&b, fx.root[1].sk); /* a second key makes the threshold */
	CHECK(content_keyring_verify(&b, fx.kr, &kr, reason, sizeof(reason)) == CONTENT_OK, "%s",
	      reason);
	content_keyring_free(kr);
	free(text);
	json_decref(j);
}

static void case_replay(void)
{
	content_keyring *kr = NULL;
	const struct fx_key *s[] = { &fx.root[0], &fx.root[1] };
	json_t *j = next(1, fx.root);
	REFUSED(fx_keyring_verify(j, s, 2, fx.kr, &kr, reason), CONTENT_E_VERSION,
		"not newer than 1");
	json_decref(j);
	j = next(3, fx.root);
	REFUSED(fx_keyring_verify(j, s, 2, fx.kr, &kr, reason), CONTENT_E_VERSION,
		"skips versions: apply 2 first");
	json_decref(j);
	j = next(2, fx.root);
	CHECK(fx_keyring_verify(j, s, 2, fx.kr, &kr, reason) == CONTENT_OK, "%s", reason);
	content_keyring_free(kr);
	json_decref(j);
}

static void case_revoked_return(void)
{
	content_keyring *kr2 = NULL, *kr3 = NULL;
	const struct fx_key *s[] = { &fx.root[0], &fx.root[1] };
	json_t *j = fx_keyring_json(2, fx.root, 3, 2);
	fx_keyring_add(j, "dukcapil-3273", &fx.office, "32.73", true);
	CHECK(fx_keyring_verify(j, s, 2, fx.kr, &kr2, reason) == CONTENT_OK, "%s", reason);
	json_decref(j);
	j = next(3, fx.root);
	if (kr2)
		REFUSED(fx_keyring_verify(j, s, 2, kr2, &kr3, reason), CONTENT_E_MANIFEST,
			"brings back key");
	content_keyring_free(kr2);
	json_decref(j);
}

static const struct fx_case cases[] = {
	{ "rotation", case_rotation },
	{ "rotation-one-old-key", case_rotation_one_old_key },
	{ "one-root-key", case_one_root_key },
	{ "duplicate-keyid", case_duplicate_keyid },
	{ "replay", case_replay },
	{ "revoked-return", case_revoked_return },
};

int main(int argc, char **argv)
{
	fx_init(&fx);
	for (int i = 0; i < 3; i++)
		crypto_sign_keypair(fresh[i].pk, fresh[i].sk);
	int rc = fx_run_cases(cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
	fx_finish(&fx);
	return rc ? rc : check_done();
}
