/* Shared by the files of the bundle store (store.c, store_state.c, store_load.c); nothing
 * here is public API. */
#ifndef ADM_CONTENT_STORE_INTERNAL_H
#define ADM_CONTENT_STORE_INTERNAL_H

#include "content_internal.h"
#include "store.h"

#include <limits.h>

#define STORE_ID_HEX 65

struct content_store {
	char dir[PATH_MAX];
	int lock_fd;
};

/* What state.json says. Empty ids: no bundle in that slot. */
struct store_state {
	int64_t keyring; /* the newest accepted keyring's version; 0: the anchor's */
	char active[STORE_ID_HEX], previous[STORE_ID_HEX];
	int64_t active_installed, previous_installed;
	struct content_store_version versions[CONTENT_PUBLISHERS_MAX];
	size_t nversions;
	int64_t newest_created;
	bool has_rejection;
	int64_t rejected_at;
	int rejection_code;
	char rejection[CONTENT_REASON_MAX];
	char rejected_source[128];
};

/* dir/sub (sub may be "" for dir itself) into out; false if too long. */
bool store_path(char out[PATH_MAX], const char *dir, const char *sub);

/* Reads state.json of dir; a missing file is the empty state of a fresh store. */
int store_state_read(const char *dir, struct store_state *st, char *reason, size_t size);
/* Replaces state.json whole: the one atomic step of every switch. */
int store_state_write(const char *dir, const struct store_state *st, char *reason, size_t size);
int64_t store_state_version(const struct store_state *st, const char *publisher);

/* Writes path through path.tmp, fsync, rename, and an fsync of the folder. */
int store_write_atomic(const char *path, const void *data, size_t len, char *reason, size_t size);
int store_fsync_dir(const char *dir, char *reason, size_t size);
/* Reads a whole file of at most cap bytes (NUL-terminated; free() it). */
int store_read_all(const char *path, size_t cap, unsigned char **data, size_t *len, char *reason,
		   size_t size);

/* The keyring chain the store holds: the anchor, then every rotation up to the version
 * state names. CONTENT_STORE_E_NOT_PROVISIONED without an anchor. */
int store_keyring_load(const char *dir, const struct store_state *st, content_keyring **out,
		       char *reason, size_t size);

/* A kept signed manifest by its id: the file's SHA-256 is checked against the id, then the
 * blob read; parse it with content_manifest_parse or content_manifest_verify. */
int store_manifest_blob(const char *dir, const char *id, struct content_blob *b, char *reason,
			size_t size);
/* The same, verified against kr (or only parsed, with kr NULL: for status). */
int store_manifest_load(const char *dir, const char *id, const content_keyring *kr,
			struct content_manifest **out, char *reason, size_t size);

/* The writers' lock (DIR/lock, flock), held by install, keyring install and rollback. */
int store_lock(content_store *s, char *reason, size_t size);
void store_unlock(content_store *s);
/* Removes what st does not name (store.c explains what); with the lock held. */
void store_collect(const content_store *s, const struct store_state *st);
/* Records a refusal (kiosk clock at, its source) for status, the rest of the state kept. */
void store_record(const content_store *s, int64_t at, const char *source, int code,
		  const char *why);

/* Reads the keyring files at paths, oldest first, each verified against *kr (the held
 * chain's head, replaced by each newer one): versions *kr holds already are skipped, the
 * others kept in blobs (at most n; content_blob_finish each) for store_keyrings_write. */
int store_keyrings_accept(const char *const *paths, size_t n, content_keyring **kr,
			  struct content_blob *blobs, size_t *nblobs, char *reason, size_t size);
/* Writes blobs as keyring/<first>.krg, keyring/<first + 1>.krg ... (each atomically). */
int store_keyrings_write(const char *dir, const struct content_blob *blobs, size_t n, int64_t first,
			 char *reason, size_t size);

#endif
