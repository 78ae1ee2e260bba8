/*
 * Publishing a signed content bundle at adm-central (issue 12), for both doors: an office's
 * API token (POST /v1/offices/{office}/bundles, content_api.c, what `adm-bundle publish`
 * uses) and an office account's upload on the fleet page (office.c). One function does the
 * checks; the doors differ only in what binds the office (struct publish_office) and in
 * how they answer.
 *
 * The bundle is read whole by the content library's reader, as a kiosk reads it but with
 * no kiosk (signature against the keyring chain of --content-keyring, the manifest's rules,
 * not expired, a version above the newest stored for its publisher, every file), then held
 * against the office, and stored in the table kiosks are offered bundles from (bundles.h).
 */
#ifndef ADM_CENTRAL_PUBLISH_H
#define ADM_CENTRAL_PUBLISH_H

#include "content.h"

#include <stddef.h>
#include <stdint.h>

struct bundles;

/* Who publishes, and what binds them. */
struct publish_office {
	const char *id;	       /* stored with the bundle as its office */
	const char *publisher; /* the only publisher it may publish for; NULL: any (bound by
				* region) */
	const char *region;    /* every region and kiosk of the scope within it ("32.73",
				* "32"); NULL: the signing key's regions alone */
};

/* What central_publish returns besides the reader's CONTENT_E_* refusals. */
enum publish_outcome {
	PUBLISH_STORED = 0,
	PUBLISH_ALREADY = 1,	   /* these exact bytes were published before: nothing changed */
	PUBLISH_E_OFF = -40,	   /* no keyring: adm-central cannot check bundles */
	PUBLISH_E_EMPTY = -41,	   /* nothing uploaded */
	PUBLISH_E_PUBLISHER = -42, /* the manifest names a publisher the office is not */
	PUBLISH_E_TAKEN = -43,	   /* the version was published meanwhile (a race) */
	PUBLISH_E_INTERNAL = -44,  /* memory or the database */
};

struct publish_result {
	char sha256[65]; /* the bundle file's, hex (set from PUBLISH_STORED on, and ALREADY) */
	char publisher[49];
	int64_t version;		 /* 0 for ALREADY (the manifest was not read again) */
	char reason[CONTENT_REASON_MAX]; /* why it was refused: the reader's words or ours */
};

/* Checks and stores the bundle in data: PUBLISH_STORED, PUBLISH_ALREADY, or a refusal (a
 * negative publish_outcome or CONTENT_E_* code) with r->reason set. kr NULL: publishing is
 * off. Logs what was published. */
int central_publish(struct bundles *bs, const content_keyring *kr, const struct publish_office *o,
		    const void *data, size_t len, struct publish_result *r);

#endif
