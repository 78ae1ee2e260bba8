/*
 * Publishing a signed content bundle at adm-central (issue 12): what the fleet page's
 * upload form calls. The bundle is verified whole with the content library (signature
 * against the keyring of --content-keyring, the manifest's rules, a version above the
 * newest stored for its publisher), checked against the office's region, and stored in
 * the same table as the bundles `adm-bundle publish` sends (bundles.h), from which kiosks
 * are offered the newest of their scope.
 */
#ifndef ADM_CENTRAL_PUBLISH_H
#define ADM_CENTRAL_PUBLISH_H

#include "office_store.h"

struct bundles;

#include <stddef.h>
#include <stdint.h>

typedef struct content_keyring content_keyring;

/* 0 with *version set, or a negative CONTENT_E_* / OFFICE_E_* code with reason set (for
 * the office, never a text of the bundle). kr NULL: publishing is off (no keyring). */
int central_publish_bundle(office_store *os, struct bundles *bs, const content_keyring *kr,
			   const char *office, const char *office_region, const void *data,
			   size_t len, int64_t *version, char *reason, size_t reason_size);

#endif
