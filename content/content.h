/*
 * Content bundles (issue 12): what a regional office signs and a kiosk verifies before it
 * shows a single byte of it. docs/content-bundles.md is the specification; this header is
 * the library that implements it for the kiosk, adm-bundle, the tests and the fuzzer.
 *
 * Three layers:
 *  - the signed blob: magic, length-prefixed payload, Ed25519 signatures (blob.c);
 *  - the keyring: publisher keys and their regions, signed by an offline root, rotated
 *    version by version (keyring.c);
 *  - the bundle: a signed manifest followed by the files it pins by SHA-256 and length,
 *    in manifest order, with no names or paths in the stream (manifest.c, reader.c).
 * Every function that can fail on outside input returns a negative CONTENT_E_* code and
 * writes a reason a technician can act on (never the content of a text) into reason.
 */
#ifndef ADM_CONTENT_H
#define ADM_CONTENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Caps: everything read from outside is bounded before it is allocated. */
#define CONTENT_MANIFEST_MAX	 (256u * 1024u)
#define CONTENT_KEYRING_MAX	 (64u * 1024u)
#define CONTENT_FILE_MAX	 (8u * 1024u * 1024u)
#define CONTENT_BUNDLE_MAX	 (64u * 1024u * 1024u) /* all files together */
#define CONTENT_FILES_MAX	 100
#define CONTENT_ITEMS_MAX	 200
#define CONTENT_SIGS_MAX	 8
#define CONTENT_ROOT_KEYS_MAX	 8
#define CONTENT_PUBLISHERS_MAX	 64
#define CONTENT_IMAGE_SIDE_MAX	 4096
#define CONTENT_IMAGE_PIXELS_MAX (2048u * 2048u) /* 16 MiB as RGBA once decoded */
#define CONTENT_VERSION_MAX	 2147483647LL
#define CONTENT_REASON_MAX	 256
/* 2026-01-01T00:00:00Z: no kiosk runs this firmware earlier, so a clock below it is wrong */
#define CONTENT_TIME_FLOOR 1767225600LL

enum content_error {
	CONTENT_OK = 0,
	CONTENT_E_IO = -1,	  /* reading or writing failed */
	CONTENT_E_NOMEM = -2,	  /* out of memory */
	CONTENT_E_FORMAT = -3,	  /* not a bundle or keyring, or cut short */
	CONTENT_E_TOO_BIG = -4,	  /* over a size cap */
	CONTENT_E_SIGNATURE = -5, /* no valid signature, or a threshold not met */
	CONTENT_E_REVOKED = -6,	  /* signed by a revoked key */
	CONTENT_E_MANIFEST = -7,  /* a signed manifest or keyring that breaks the rules */
	CONTENT_E_VERSION = -8,	  /* older or replayed, or out of range */
	CONTENT_E_EXPIRED = -9,
	CONTENT_E_SCOPE = -10, /* not for this kiosk, or the publisher may not publish there */
	CONTENT_E_FILE = -11,  /* a file differs from what the manifest pins */
	CONTENT_E_IMAGE = -12, /* an image that is not what it claims or over budget */
	CONTENT_E_TEXT = -13,  /* text with invalid UTF-8 or forbidden characters */
};

const char *content_strerror(int err);

/* ---- keys and signed blobs (blob.c) ---- */

#define CONTENT_PK_BYTES    32
#define CONTENT_SK_BYTES    64
#define CONTENT_SIG_BYTES   64
#define CONTENT_KEYID_BYTES 8
#define CONTENT_KEYID_HEX   (2 * CONTENT_KEYID_BYTES + 1)

enum content_blob_kind {
	CONTENT_BLOB_BUNDLE,
	CONTENT_BLOB_KEYRING,
};

struct content_sig {
	unsigned char keyid[CONTENT_KEYID_BYTES];
	unsigned char sig[CONTENT_SIG_BYTES];
};

/* A signed payload as read from a stream. The payload is NUL-terminated (one byte more
 * than len) so JSON parsers can take it directly. */
struct content_blob {
	enum content_blob_kind kind;
	unsigned char *payload;
	size_t len;
	struct content_sig sigs[CONTENT_SIGS_MAX];
	size_t nsigs;
};

/* The key id: the first 8 bytes of SHA-256 of the public key; hex is lowercase. */
void content_key_id(const unsigned char pk[CONTENT_PK_BYTES],
		    unsigned char id[CONTENT_KEYID_BYTES]);
void content_key_id_hex(const unsigned char id[CONTENT_KEYID_BYTES], char out[CONTENT_KEYID_HEX]);

/* Reads magic, payload (at most cap bytes) and signatures; for a bundle the stream is left
 * at the first file. Free the payload with content_blob_finish(). */
int content_blob_read(FILE *in, enum content_blob_kind kind, size_t cap, struct content_blob *out,
		      char *reason, size_t reason_size);
int content_blob_write(FILE *out, const struct content_blob *b);
void content_blob_finish(struct content_blob *b);

/* Adds (or replaces, for the same key) a signature over the payload. */
int content_blob_sign(struct content_blob *b, const unsigned char sk[CONTENT_SK_BYTES]);
/* True if sig is a valid signature of b's payload by pk. */
bool content_blob_sig_ok(const struct content_blob *b, const struct content_sig *sig,
			 const unsigned char pk[CONTENT_PK_BYTES]);

/* Key files: the secret one holds the 32-byte seed in hex and is created 0600 and never
 * overwritten; the public one holds the public key in hex. */
int content_keygen(const char *secret_path, const char *public_path, char *reason,
		   size_t reason_size);
int content_secret_load(const char *path, unsigned char sk[CONTENT_SK_BYTES], char *reason,
			size_t reason_size);
int content_public_load(const char *path, unsigned char pk[CONTENT_PK_BYTES], char *reason,
			size_t reason_size);
bool content_hex_decode(const char *hex, unsigned char *out, size_t n);

/* ---- the keyring (keyring.c) ---- */

typedef struct content_keyring content_keyring;

struct content_publisher {
	char id[49];	/* stays the same across key rotations: versions count per id */
	char name[121]; /* the office, for people */
	unsigned char pk[CONTENT_PK_BYTES];
	unsigned char keyid[CONTENT_KEYID_BYTES];
	bool revoked;
	char regions[16][8]; /* region codes it may publish to ("32" covers "32.73") */
	size_t nregions;
};

/*
 * Parses and verifies a keyring. With prev NULL the keyring is the trust anchor the kiosk
 * was provisioned with and must carry a threshold of its own root's signatures. With prev,
 * it must be exactly prev's version + 1 and carry a threshold of prev's root keys AND a
 * threshold of its own; a key revoked in prev cannot come back.
 */
int content_keyring_verify(const struct content_blob *b, const content_keyring *prev,
			   content_keyring **out, char *reason, size_t reason_size);
/* Parses without checking signatures: only for adm-bundle's editing commands. */
int content_keyring_parse_unsigned(const struct content_blob *b, content_keyring **out,
				   char *reason, size_t reason_size);
/* Loads paths[0] as the anchor and each following file as the next version. */
int content_keyring_load_chain(const char *const *paths, size_t n, content_keyring **out,
			       char *reason, size_t reason_size);
void content_keyring_free(content_keyring *kr);
int64_t content_keyring_version(const content_keyring *kr);
/* The keyring's created: a kiosk holding it knows that "now" is at least this. */
int64_t content_keyring_created(const content_keyring *kr);
/* How many distinct root keys of kr signed b validly (a key id counted once). */
size_t content_keyring_root_sigs(const content_keyring *kr, const struct content_blob *b);
size_t content_keyring_threshold(const content_keyring *kr);
const struct content_publisher *
content_keyring_find(const content_keyring *kr, const unsigned char keyid[CONTENT_KEYID_BYTES]);

/* ---- the manifest (manifest.c) ---- */

enum content_kind {
	CONTENT_ANNOUNCEMENT,
	CONTENT_BANNER,
	CONTENT_HOURS,
	CONTENT_NOTICE,
	CONTENT_URGENT,
	CONTENT_OFFICE,
};

enum content_image_type {
	CONTENT_PNG,
	CONTENT_JPEG,
};

/* A bilingual text: Indonesian always, English where the kind asks for it. Strings belong
 * to the manifest. */
struct content_text {
	const char *id;
	const char *en;
};

/* Minutes of the local day; until == 1440 is midnight at the end. until < from: the span
 * crosses midnight into the next day. */
struct content_span {
	int16_t from, until;
};

#define CONTENT_SPANS_PER_DAY 4
struct content_week {
	struct content_span spans[7][CONTENT_SPANS_PER_DAY]; /* [0] is Sunday, as in struct tm */
	uint8_t n[7];
};

struct content_holiday {
	int32_t date; /* local date as YYYYMMDD */
	struct content_text name;
};

struct content_file {
	const char *name; /* a logical name ([a-z0-9._-]), never a path */
	unsigned char sha256[32];
	uint64_t length;
	enum content_image_type type;
	uint32_t width, height;
};

struct content_item {
	enum content_kind kind;
	const char *id;
	int64_t valid_from, valid_until; /* UTC seconds, until exclusive */
	bool timed;			 /* had a validity window */
	uint8_t days;			 /* bit per weekday (bit 0 Sunday); 0: every day */
	bool has_hours;
	struct content_span hours;	 /* with days: the day the span starts on */
	struct content_text title, text; /* announcement, notice, urgent; banner: text is alt */
	const struct content_file *file; /* banner */
	const char *name, *address;	 /* office */
	const char *handles[16];	 /* office: services it handles */
	size_t nhandles;
	bool has_week; /* hours, office */
	struct content_week week;
	struct content_holiday *holidays;
	size_t nholidays;
};

struct content_manifest {
	const char *publisher;
	int64_t version, created, expires;
	const char *regions[16];
	size_t nregions;
	const char *kiosks[64];
	size_t nkiosks;
	struct content_file *files;
	size_t nfiles;
	struct content_item *items;
	size_t nitems;
	void *json; /* owns the strings above */
};

/* Parses and validates a manifest's JSON (UTF-8, every field's type, range and alphabet,
 * every text's characters, references between items and files). Signatures are the
 * reader's business: this only ever sees verified bytes, or adm-bundle's own. */
int content_manifest_parse(const char *json, size_t len, struct content_manifest **out,
			   char *reason, size_t reason_size);
void content_manifest_free(struct content_manifest *m);

/* ---- reading a bundle (reader.c) ---- */

struct content_policy {
	const char *kiosk_id;	/* NULL with region NULL: an office's own check, no kiosk */
	const char *region;	/* the kiosk's region, "32.73"; a kiosk always gives it */
	int64_t wall_now;	/* the kiosk's clock, UTC seconds */
	int64_t newest_created; /* created of the newest bundle accepted so far (0: none) */
	/* the newest version accepted from this publisher (0: none); NULL: 0 */
	int64_t (*last_version)(const char *publisher, void *user);
	void *user;
	const char *store_dir; /* NULL: verify only; else each file lands here by its hash */
};

/*
 * Reads a whole bundle from in: the signed manifest first (capped, its signature checked
 * against kr before the JSON is parsed), then the policy (version, expiry, scope), then
 * each file exactly as long as declared, hashed, and checked (images: header against
 * declared dimensions and the pixel budget, then decoded), and finally that nothing
 * follows. On success *out is the manifest. Files stored under store_dir are named by
 * their hex SHA-256; on failure the caller throws the directory away.
 */
int content_bundle_read(FILE *in, const content_keyring *kr, const struct content_policy *p,
			struct content_manifest **out, char *reason, size_t reason_size);

/* Checks a signed manifest blob again (a store loading a manifest it kept): a valid
 * signature by an active key of kr, the manifest's own rules, and the publisher it names
 * being a signer. No policy (version, expiry, scope): those held when it was accepted. */
int content_manifest_verify(const struct content_blob *b, const content_keyring *kr,
			    struct content_manifest **out, char *reason, size_t reason_size);

/* ---- checks shared by the reader and adm-bundle (text.c, image.c) ---- */

/* Valid UTF-8 without C0 controls (LF allowed if multiline), DEL, C1 controls, or bidi
 * embedding/override/isolate controls; at most max bytes. */
int content_text_check(const char *s, size_t len, bool multiline, size_t max, char *reason,
		       size_t reason_size);
/* Lowercase identifiers and file names: [a-z0-9] first, then [a-z0-9._-], 1..max bytes. */
bool content_name_ok(const char *s, size_t max);
/* "YYYY-MM-DDTHH:MM:SSZ" to UTC seconds. */
bool content_time_parse(const char *s, int64_t *out);
void content_time_format(int64_t t, char out[21]);
/* "32" or "32.73"; covers(a, b): a equals b or is b's province. */
bool content_region_ok(const char *s);
/* A region code as people and files outside signed content write it, "32", "32.73" or
 * the NIK's digits "3273", in the one form kept and compared everywhere ("32.73"): for
 * the boundaries (adm-central's kiosks file and office accounts, adm-syncd's and admctl's
 * --region). Signed manifests and keyrings take the canonical form only. */
#define CONTENT_REGION_SIZE 8
bool content_region_parse(const char *s, char out[CONTENT_REGION_SIZE]);
bool content_region_covers(const char *a, const char *b);

/* Width and height from a PNG's IHDR or a JPEG's SOF, without decoding. */
int content_image_probe(const unsigned char *data, size_t len, enum content_image_type *type,
			uint32_t *width, uint32_t *height, char *reason, size_t reason_size);
/* The whole check of one image file against its manifest entry; decodes with SDL_image
 * only after the header passed. */
int content_image_check(const struct content_file *f, const unsigned char *data, size_t len,
			char *reason, size_t reason_size);

/* ---- time (schedule.c): pure functions ---- */

/* The kiosk's "now" never goes below the newest accepted bundle's created (nor below
 * CONTENT_TIME_FLOOR), so a clock reset to 1970 still refuses expired and replayed
 * content. The reader also counts its keyring's created into newest_created. */
int64_t content_effective_now(int64_t wall_now, int64_t newest_created);

struct content_now {
	int64_t utc;  /* effective now, UTC seconds */
	int wday;     /* local weekday, 0 Sunday */
	int minute;   /* local minute of the day, 0..1439 */
	int32_t date; /* local date YYYYMMDD */
};
/* Local time at a fixed UTC offset (Indonesia has no DST: WIB +7, WITA +8, WIT +9). */
struct content_now content_now_at(int64_t utc, int utc_offset_s);

/* Whether an item shows now: inside its validity window, on its days and hours (a span
 * that crosses midnight belongs to the day it starts on). An expired bundle hides its
 * time-bound items (announcements, banners, notices, urgent) but keeps opening hours and
 * offices (within their own windows, if they have one). */
bool content_item_visible(const struct content_item *it, const struct content_now *now,
			  bool bundle_expired);
/* Whether a week (and its holidays) says open at now. */
bool content_week_open(const struct content_week *w, const struct content_holiday *holidays,
		       size_t nholidays, const struct content_now *now);

#endif
