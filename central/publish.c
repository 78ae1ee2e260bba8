/*
 * central_publish_bundle (publish.h): the bundle is read from memory through the same
 * reader a kiosk uses, as an office's own check (no kiosk in the policy), then its scope
 * is held against the office: every region in it within the office's, every kiosk in it
 * one of the office's kiosks.
 */
#include "publish.h"

#include "bundles.h"
#include "content.h"
#include "log.h"
#include "sha256.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int central_publish_bundle(office_store *os, struct bundles *bs, const content_keyring *kr,
			   const char *office, const char *office_region, const void *data,
			   size_t len, int64_t *version, char *reason, size_t reason_size)
{
	struct content_manifest *m = NULL;
	unsigned char h[SHA256_BYTES];
	char hex[2 * SHA256_BYTES + 1];
	if (!kr) {
		snprintf(reason, reason_size,
			 "publishing is off: adm-central runs without --content-keyring");
		return OFFICE_E_INPUT;
	}
	if (len == 0) {
		snprintf(reason, reason_size, "no bundle was uploaded");
		return OFFICE_E_INPUT;
	}
	FILE *in = fmemopen((void *)data, len, "rb");
	if (!in) {
		snprintf(reason, reason_size, "out of memory");
		return OFFICE_E_NOMEM;
	}
	struct content_policy p = {
		.wall_now = (int64_t)time(NULL),
		.last_version = bundles_last_version,
		.user = bs,
	};
	int rc = content_bundle_read(in, kr, &p, &m, reason, reason_size);
	fclose(in);
	if (rc != CONTENT_OK)
		return rc;
	rc = CONTENT_E_SCOPE;
	for (size_t i = 0; i < m->nregions; i++)
		if (!content_region_covers(office_region, m->regions[i])) {
			snprintf(reason, reason_size, "region %s is not this office's (%s)",
				 m->regions[i], office_region);
			goto out;
		}
	for (size_t i = 0; i < m->nkiosks; i++)
		if (!office_kiosk_in(os, m->kiosks[i], office_region)) {
			snprintf(reason, reason_size, "kiosk %s is not one of this office's",
				 m->kiosks[i]);
			goto out;
		}
	if (!sha256(data, len, h)) {
		rc = OFFICE_E_NOMEM;
		snprintf(reason, reason_size, "cannot hash the bundle");
		goto out;
	}
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	if (!bundles_add(bs, hex, data, len, m, office, (int64_t)time(NULL))) {
		/* a concurrent upload of the same version, or the database */
		rc = OFFICE_E_DB;
		snprintf(reason, reason_size, "cannot store the bundle (published meanwhile?)");
		goto out;
	}
	rc = 0;
	*version = m->version;
	log_info("office %s published version %lld of %s (%zu bytes)", office,
		 (long long)m->version, m->publisher, len);
out:
	content_manifest_free(m);
	return rc;
}
