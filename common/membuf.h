/*
 * A growing buffer in memory, for writers that hand over their output in pieces (cairo's
 * PDF stream, ...). The caller frees data.
 */
#ifndef ADM_MEMBUF_H
#define ADM_MEMBUF_H

#include <stdbool.h>
#include <stddef.h>

struct membuf {
	unsigned char *data;
	size_t len, cap;
};

/* Appends len bytes; false (the buffer as it was) without memory. */
bool membuf_put(struct membuf *m, const void *data, size_t len);

#endif
