/*
 * central_publish (publish.h): the reader first, as a kiosk would read the bundle with no
 * kiosk in the policy, then the office's binding: its publisher, its region, and for a
 * bundle addressed to kiosk ids, that each is a registered kiosk of a region both the
 * signing key and the office may publish to (a kiosk would refuse it otherwise, after the
 * download).
 */
#include "publish.h"

#include "bundles.h"
#include "log.h"
#include "sha256.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

__attribute__((format(printf, 3, 4))) static int refuse(struct publish_result *r, int code,
							const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	return code;
}

/* The keyring entry of the active key of publisher that signed the bundle (the reader
 * found one), or NULL. */
static const struct content_publisher *signer(const content_keyring *kr, const void *data,
					      size_t len, const char *publisher)
{
	struct content_blob b;
	const struct content_publisher *found = NULL;
	char why[CONTENT_REASON_MAX];
	FILE *in = fmemopen((void *)data, len, "rb");
	if (in && content_blob_read(in, CONTENT_BLOB_BUNDLE, CONTENT_MANIFEST_MAX, &b, why,
				    sizeof(why)) == CONTENT_OK) {
		for (size_t i = 0; !found && i < b.nsigs; i++) {
			const struct content_publisher *p =
			    content_keyring_find(kr, b.sigs[i].keyid);
			if (p && !p->revoked && strcmp(p->id, publisher) == 0)
				found = p;
		}
		content_blob_finish(&b);
	}
	if (in)
		fclose(in);
	return found;
}

static bool key_covers(const struct content_publisher *p, const char *region)
{
	for (size_t j = 0; j < p->nregions; j++)
		if (content_region_covers(p->regions[j], region))
			return true;
	return false;
}

/* The office's binding of a verified manifest. */
static int bound(struct bundles *bs, const content_keyring *kr, const struct publish_office *o,
		 const struct content_manifest *m, const void *data, size_t len,
		 struct publish_result *r)
{
	if (o->publisher && strcmp(m->publisher, o->publisher) != 0)
		return refuse(r, PUBLISH_E_PUBLISHER, "office %s may only publish bundles of %s",
			      o->id, o->publisher);
	for (size_t i = 0; o->region && i < m->nregions; i++)
		if (!content_region_covers(o->region, m->regions[i]))
			return refuse(r, CONTENT_E_SCOPE, "region %s is not this office's (%s)",
				      m->regions[i], o->region);
	const struct content_publisher *key = signer(kr, data, len, m->publisher);
	if (!key)
		return refuse(r, CONTENT_E_SCOPE, "no active key of publisher %s signed it",
			      m->publisher);
	for (size_t i = 0; i < m->nkiosks; i++) {
		char region[8];
		if (!bundles_kiosk_region(bs, m->kiosks[i], region))
			return refuse(r, CONTENT_E_SCOPE,
				      "kiosk %s is unknown here or has no region", m->kiosks[i]);
		if (!key_covers(key, region) ||
		    (o->region && !content_region_covers(o->region, region)))
			return refuse(r, CONTENT_E_SCOPE,
				      "kiosk %s (region %s) is not one this office may publish to",
				      m->kiosks[i], region);
	}
	return CONTENT_OK;
}

int central_publish(struct bundles *bs, const content_keyring *kr, const struct publish_office *o,
		    const void *data, size_t len, struct publish_result *r)
{
	unsigned char digest[SHA256_BYTES];
	struct content_manifest *m = NULL;
	memset(r, 0, sizeof(*r));
	if (!kr)
		return refuse(r, PUBLISH_E_OFF,
			      "publishing is off: adm-central runs without --content-keyring");
	if (len == 0)
		return refuse(r, PUBLISH_E_EMPTY, "no bundle was uploaded");
	if (!sha256(data, len, digest))
		return refuse(r, PUBLISH_E_INTERNAL, "cannot hash the bundle");
	sodium_bin2hex(r->sha256, sizeof(r->sha256), digest, sizeof(digest));
	size_t have_len;
	unsigned char *have = bundles_data(bs, r->sha256, &have_len);
	if (have) {
		/* the same bytes again (a retried upload): there already, nothing changes */
		free(have);
		return PUBLISH_ALREADY;
	}
	FILE *in = fmemopen((void *)data, len, "rb");
	if (!in)
		return refuse(r, PUBLISH_E_INTERNAL, "out of memory");
	struct content_policy p = { .wall_now = (int64_t)time(NULL),
				    .last_version = bundles_last_version,
				    .user = bs };
	int rc = content_bundle_read(in, kr, &p, &m, r->reason, sizeof(r->reason));
	fclose(in);
	if (rc == CONTENT_OK)
		rc = bound(bs, kr, o, m, data, len, r);
	if (rc == CONTENT_OK) {
		snprintf(r->publisher, sizeof(r->publisher), "%s", m->publisher);
		r->version = m->version;
		if (!bundles_add(bs, r->sha256, data, len, m, o->id, (int64_t)time(NULL))) {
			/* a concurrent upload of the same version won the race, or the database */
			bool taken = bundles_last_version(m->publisher, bs) >= m->version;
			rc = refuse(r, taken ? PUBLISH_E_TAKEN : PUBLISH_E_INTERNAL, "%s",
				    taken ? "this version was published meanwhile"
					  : "cannot store the bundle (database)");
		}
	}
	if (rc == CONTENT_OK)
		log_info("office %s published version %lld of %s (%zu bytes)", o->id,
			 (long long)m->version, m->publisher, len);
	content_manifest_free(m);
	return rc;
}
