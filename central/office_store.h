/*
 * What the office pages keep in adm-central's database (issue 12, the fleet page): office
 * accounts and their logins, sessions, screenshot requests and the screenshots kiosks
 * sent (published bundles are bundles.h's). It opens its own connection to the same SQLite file as
 * the sync protocol's store (central.h), so that its tables and queries stay out of store.c; WAL
 * mode lets the two connections read and write side by side.
 *
 * Region codes: an office has a Kemendagri code, a province ("32") or a kabupaten/kota
 * ("32.01"), as in content bundles, and so has a kiosk (a kabupaten/kota: the kiosks file
 * may say "3201", it is kept as "32.01"). An office sees the kiosks its code covers
 * (content_region_covers); a kiosk of region '*' (all) belongs to no office.
 *
 * Threads: every call takes the store's mutex; results are copies.
 */
#ifndef ADM_CENTRAL_OFFICE_STORE_H
#define ADM_CENTRAL_OFFICE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct office_store office_store;

#define OFFICE_ID_MAX	   64
#define OFFICE_TOKEN_HEX   64 /* 32 random bytes */
#define OFFICE_TRIES	   5  /* failed logins before an account is locked */
#define OFFICE_SCREEN_MAX  (2u * 1024u * 1024u)
#define OFFICE_SCREEN_SIDE 4096

enum office_error {
	OFFICE_OK = 0,
	OFFICE_E_DB = -1,
	OFFICE_E_WRONG = -2,  /* wrong account or password */
	OFFICE_E_LOCKED = -3, /* too many wrong tries: wait */
	OFFICE_E_INPUT = -4,  /* an id, name, region or password that breaks the rules */
	OFFICE_E_NOMEM = -5,
	OFFICE_E_NONE = -6, /* nothing asked for (a screenshot nobody requested) */
};
const char *office_strerror(int err);

office_store *office_store_open(const char *path);
void office_store_close(office_store *os);

/* Creates or replaces an account; the password is hashed with argon2id at libsodium's
 * interactive costs (64 MiB, 2 passes: its recommendation for online logins). */
int office_add(office_store *os, const char *id, const char *name, const char *region,
	       const char *password);

struct office_session {
	char office[OFFICE_ID_MAX + 1];
	char name[121];
	char region[8];
	char csrf[OFFICE_TOKEN_HEX + 1];
};

/* Checks a login. Failed tries are counted per login name whether or not the account
 * exists (and an unknown one costs a hash verification too), so the answers tell nobody
 * which accounts exist: OFFICE_E_WRONG, or OFFICE_E_LOCKED with *retry_s for lock_s after
 * OFFICE_TRIES failures. On success a new session of session_s seconds: its token (for
 * the cookie) in token; the database keeps only its SHA-256. */
int office_login(office_store *os, const char *id, const char *password, int64_t now,
		 int64_t lock_s, int64_t session_s, char token[OFFICE_TOKEN_HEX + 1],
		 int64_t *retry_s);
/* The session of a cookie's token, if it exists and has not expired. */
bool office_session_get(office_store *os, const char *token, int64_t now,
			struct office_session *out);
void office_logout(office_store *os, const char *token);

/* Whether kiosk exists and belongs to the region (an office's code). */
bool office_kiosk_in(office_store *os, const char *kiosk, const char *region);

/* One row per kiosk of the region, ordered by id, for the fleet page: cb gets the
 * kiosks-table row and the screenshot state. Returns the count or a negative error. */
struct office_kiosk_row {
	const char *id, *region;
	int64_t last_heartbeat; /* 0: never */
	const char *health;	/* the last heartbeat's JSON, or NULL */
	int64_t screenshot_requested, screenshot_received;
	int screenshot_width, screenshot_height;
};
int office_kiosks(office_store *os, const char *region,
		  void (*cb)(const struct office_kiosk_row *row, void *user), void *user);

/* Screenshots: an office asks, the kiosk learns it from its heartbeat's answer, sends a
 * PNG, the office sees it. */
int office_screenshot_request(office_store *os, const char *kiosk, const char *office, int64_t now);
/* When the pending request of kiosk was made (0: none). */
int64_t office_screenshot_pending(office_store *os, const char *kiosk);
/* Stores a PNG (already checked) and clears the request; OFFICE_E_NONE if none was
 * pending. */
int office_screenshot_store(office_store *os, const char *kiosk, const void *png, size_t len,
			    int width, int height, int64_t now);
/* The last screenshot of kiosk (malloc'ed) or NULL. */
unsigned char *office_screenshot_get(office_store *os, const char *kiosk, size_t *len);

#endif
