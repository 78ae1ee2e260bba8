/*
 * The kiosk-side loader of a content bundle: from verified bytes to a content view
 * (content_view.h) with its banners decoded once. Kept apart from the screens and from
 * where the bundle comes from: on the kiosk the store (content/store.h) hands over its
 * active manifest and the bytes of each file (content_watch.c); adm-bundle preview reads a
 * signed bundle file with content_load_bundle_file.
 *
 * Runs on any thread: it uses SDL surfaces but no renderer or window.
 */
#ifndef ADM_CONTENT_LOAD_H
#define ADM_CONTENT_LOAD_H

#include "content.h"
#include "content_view.h"

/* Reads a file's verified bytes (malloc'd into *data); 0 or a negative CONTENT_E_*. */
typedef int (*content_load_read_fn)(const struct content_file *f, void *user, unsigned char **data,
				    size_t *len);

/* content_view_create's release for an owner that is the manifest itself. */
void content_load_free_manifest(void *manifest);

/* Decodes the manifest's images through read and makes the view (content_view_create:
 * floor, release and owner as there; owner is taken whatever happens). A banner whose
 * image cannot be read or decoded is left out, never the whole bundle. NULL only without
 * memory.
 *
 * The kiosk's store (content_watch.c): m = content_store_bundle_manifest(b), floor =
 * content_store_bundle_floor(b), release frees b, owner = b, and read calls
 * content_store_bundle_read_file(b, f, ...) and remembers a failure, so that a file
 * damaged on disk fails the whole load there. */
struct content_view *content_load_view(const struct content_manifest *m, int64_t floor,
				       void (*release)(void *owner), void *owner,
				       content_load_read_fn read, void *user, int utc_offset_s);

/* Reads a signed bundle file: verified against kr under the policy (files go to a
 * temporary folder named by hash and are removed afterwards), then content_load_view.
 * 0 with *out, or a negative CONTENT_E_* with a reason. */
int content_load_bundle_file(const char *path, const content_keyring *kr,
			     const struct content_policy *p, int utc_offset_s,
			     struct content_view **out, char *reason, size_t reason_size);

#endif
