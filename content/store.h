/*
 * The kiosk's store of content bundles (issue 12): the provisioned trust-anchor keyring
 * and the rotations accepted after it, every file of the kept bundles stored once under
 * its SHA-256, the signed manifests of the ACTIVE and the PREVIOUS bundle, and a small
 * persistent state (the newest version accepted per publisher, the newest accepted
 * `created`, the last rejection with its reason and time).
 *
 * Layout under the store folder (default CONTENT_STORE_DEFAULT_DIR):
 *   state.json              which manifests are active and previous, which keyring is the
 *                           newest accepted, versions, time floor, last rejection
 *   keyring/anchor.krg      the keyring the kiosk was provisioned with
 *   keyring/<N>.krg         each accepted rotation, version N
 *   manifests/<hex>.admm    signed manifests (the bundle's header blob), by their SHA-256
 *   files/<hex>             the files, by their SHA-256, shared between bundles
 *   staging/<tmp>/          a bundle being verified (removed on failure and on the next
 *                           install after a crash)
 *   lock                    flock()ed by install and rollback, never by load
 *
 * One rule makes every switch atomic: nothing is active unless state.json names it, and
 * state.json is only ever replaced whole (written, fsynced, renamed, folder fsynced) after
 * everything it names is on disk. A SIGKILL or power cut at any instant leaves exactly the
 * old or the new state; what a crash leaves behind (staging folders, unreferenced files,
 * manifests and keyrings) is collected by the next install or rollback.
 *
 * Versions never go back: rollback makes the previous bundle active again (and the active
 * one previous, so a rollback can itself be undone), but the newest version accepted per
 * publisher stays where it was. After a rollback the kiosk therefore still refuses the
 * version it rolled back from, and every older one; only a newer version moves forward.
 * A rollback is an explicit technician's act (admctl bundle rollback) or the kiosk's
 * answer to a bundle that fails to load, never something a bundle can ask for.
 */
#ifndef ADM_CONTENT_STORE_H
#define ADM_CONTENT_STORE_H

#include "content.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CONTENT_STORE_DEFAULT_DIR "/var/lib/adm/content"

/* Errors of the store itself; every CONTENT_E_* code of content.h may also come back
 * (from verifying a bundle or a keyring). content_store_strerror() names both. */
enum content_store_error {
	CONTENT_STORE_E_NOT_PROVISIONED = -30, /* no anchor keyring in the store */
	CONTENT_STORE_E_EMPTY = -31,	       /* no active bundle (or no previous one) */
	CONTENT_STORE_E_CORRUPT = -32,	       /* a store file that this code did not write */
	CONTENT_STORE_E_ANCHOR = -33,	       /* a different anchor is provisioned already */
};

const char *content_store_strerror(int err);

typedef struct content_store content_store;

/* Opens (creating the folders if needed) the store at dir. Nothing is verified yet: a
 * store without an anchor opens, and install/load say CONTENT_STORE_E_NOT_PROVISIONED. */
int content_store_open(const char *dir, content_store **out, char *reason, size_t reason_size);
/* NULL-safe. */
void content_store_close(content_store *s);

/* Provisions the trust anchor from a keyring file: it must verify as an anchor (a threshold
 * of its own root). Provisioning the same bytes again is a no-op; a different anchor is
 * refused (CONTENT_STORE_E_ANCHOR) – re-provisioning a kiosk means a new store. */
int content_store_provision(content_store *s, const char *anchor_path, char *reason,
			    size_t reason_size);

/* The kiosk that installs, and what came with the bundle. */
struct content_store_install_opts {
	const char *kiosk_id; /* NULL: none (then the bundle must name the region) */
	const char *region;   /* the kiosk's region, "32.73"; required */
	int64_t wall_now;     /* the kiosk clock, UTC seconds; 0: time(NULL) */
	/* keyring rotations delivered with the bundle, oldest first: each must be the next
	 * version of the one before (content_keyring_verify); versions the store already
	 * holds are skipped. They are accepted only together with the bundle. */
	const char *const *keyrings;
	size_t nkeyrings;
	const char *source; /* for the rejection record: "usb", "sync", a file name; NULL ok */
};

/*
 * Verifies the bundle read from in (content_bundle_read, with the versions and time floor
 * of the store's state and the store's newest keyring) into a staging folder inside the
 * store, then moves its files into files/, writes its signed manifest, and switches: the
 * new bundle becomes active, the active one previous, and files and manifests no kept
 * bundle needs are removed. On any refusal or failure (a bad bundle, a full disk) the
 * active bundle is untouched, the staging folder is removed, and the rejection (code,
 * reason, time, source) is recorded for status. Returns CONTENT_OK or a negative code,
 * with the reason written. The store's lock is held while in is read: give it a local
 * file or a fast stream (adm-syncd downloads into its spool, with resume, first).
 */
int content_store_install(content_store *s, FILE *in, const struct content_store_install_opts *o,
			  char *reason, size_t reason_size);
/* The same from a file (a technician's USB stick); a missing file is not recorded as a
 * rejection (nothing was offered). */
int content_store_install_file(content_store *s, const char *path,
			       const struct content_store_install_opts *o, char *reason,
			       size_t reason_size);

/*
 * Accepts a keyring rotation delivered alone (adm-syncd fetches the server's newest, one
 * version at a time): the one keyring file read from in must be the next version of the
 * keyring the store holds, signed by a threshold of the held root keys and of its own
 * (content_keyring_verify), with nothing after its signatures. A version the store holds
 * already or an older one is refused (CONTENT_E_VERSION), and so is one signed by one root
 * key only (CONTENT_E_SIGNATURE) or changed; a refusal is recorded as a bundle's is
 * (source: NULL ok). Once accepted, every later install and load verifies against it: a
 * key it revokes has its bundles refused, the active one's included at the next load.
 */
int content_store_install_keyring(content_store *s, FILE *in, const char *source, int64_t wall_now,
				  char *reason, size_t reason_size);

/* Makes the previous bundle active and the active one previous. Refused if there is no
 * previous bundle (CONTENT_STORE_E_EMPTY) or its signature no longer verifies against the
 * store's newest keyring (e.g. its key was revoked since). An expired previous bundle is
 * allowed (it degrades on screen as any expired bundle does). Versions do not go back. */
int content_store_rollback(content_store *s, char *reason, size_t reason_size);

struct content_store_bundle_info {
	bool present;
	bool damaged; /* state.json names it but its manifest is missing or changed on disk */
	char id[65];  /* SHA-256 of the signed manifest, hex: changes with every switch */
	char publisher[49];
	int64_t version, created, expires;
	bool expired;	   /* expires at or before the effective now */
	int64_t installed; /* kiosk clock when it was installed */
	size_t nfiles, nitems;
};

struct content_store_version {
	char publisher[49];
	int64_t version; /* the newest accepted from it */
};

struct content_store_status {
	bool provisioned;
	int64_t keyring_version; /* the newest accepted keyring, 0 if not provisioned */
	int64_t newest_created;	 /* newest accepted created (0: none) */
	int64_t effective_now;	 /* content_effective_now of wall_now and the floor */
	struct content_store_bundle_info active, previous;
	struct content_store_version versions[CONTENT_PUBLISHERS_MAX];
	size_t nversions;
	bool has_rejection;
	int64_t rejected_at;		    /* kiosk clock */
	int rejection_code;		    /* a CONTENT_E_* or CONTENT_STORE_E_* code */
	char rejection[CONTENT_REASON_MAX]; /* the reason, as the verifier wrote it */
	char rejected_source[128];
};

/* What the store holds now; wall_now 0: time(NULL). Reads state and manifests only (no
 * lock, no file hashing). */
int content_store_status(content_store *s, int64_t wall_now, struct content_store_status *out,
			 char *reason, size_t reason_size);

/* ---- for the kiosk ---- */

typedef struct content_store_bundle content_store_bundle;

/*
 * Loads the active bundle of the store at dir for showing it: the keyring chain is verified
 * from the anchor, the active manifest's signature is checked again against the newest
 * keyring (a key revoked since is refused) and the manifest parsed. No lock is taken and
 * nothing is written: this is safe while adm-syncd or admctl installs. Expiry is NOT a
 * refusal here (an expired bundle degrades: see content_item_visible). Returns
 * CONTENT_STORE_E_EMPTY if no bundle is active.
 */
int content_store_load_active(const char *dir, content_store_bundle **out, char *reason,
			      size_t reason_size);
/* The same for the previous bundle (the kiosk's fallback when the active one fails). */
int content_store_load_previous(const char *dir, content_store_bundle **out, char *reason,
				size_t reason_size);

/* The parsed manifest: items, files, times. Owned by the bundle. */
const struct content_manifest *content_store_bundle_manifest(const content_store_bundle *b);
/* The bundle's id (SHA-256 of its signed manifest, hex), as content_store_active_id. */
const char *content_store_bundle_id(const content_store_bundle *b);
/* The time floor to give content_effective_now / content_now_at: the newest accepted
 * created and the keyring's created, whichever is later. */
int64_t content_store_bundle_floor(const content_store_bundle *b);
/* Whether the bundle has expired at the kiosk clock wall_now (with the floor applied). */
bool content_store_bundle_expired(const content_store_bundle *b, int64_t wall_now);

/*
 * Reads one file of the bundle (f must point into content_store_bundle_manifest(b)->files)
 * into a fresh buffer (free() it), checked against its length and SHA-256 first: a file
 * changed or cut on disk is CONTENT_E_FILE and nothing is returned. A file that a later
 * switch removed (two installs since this load) is CONTENT_E_IO: reload then.
 */
int content_store_bundle_read_file(const content_store_bundle *b, const struct content_file *f,
				   unsigned char **data, size_t *len, char *reason,
				   size_t reason_size);
/* NULL-safe. */
void content_store_bundle_free(content_store_bundle *b);

/* The id of the active bundle now ("" and CONTENT_STORE_E_EMPTY if none), from state.json
 * alone: cheap enough to poll, so the kiosk notices a switch without a restart. */
int content_store_active_id(const char *dir, char id[65], char *reason, size_t reason_size);

#endif
