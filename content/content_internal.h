/* Helpers shared by the files of the content library; nothing here is public API. */
#ifndef ADM_CONTENT_INTERNAL_H
#define ADM_CONTENT_INTERNAL_H

#include "content.h"

#include <jansson.h>

/* Writes the reason and returns err, so a check reads "return fail(...)". */
int content_fail(char *reason, size_t size, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The message an Ed25519 signature covers: a context naming the kind of blob, then the
 * payload. A keyring signature can never pass for a bundle's, or the other way round. */
const char *content_blob_context(enum content_blob_kind kind);

/* Strict jansson: duplicate keys refused, no NUL in strings, nothing after the value. */
json_t *content_json_load(const char *json, size_t len, char *reason, size_t size);
/* Refuses keys of obj outside the NULL-terminated list (a typo must not go unnoticed). */
int content_json_keys_only(json_t *obj, const char *const *allowed, const char *what, char *reason,
			   size_t size);

#endif
