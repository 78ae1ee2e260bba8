#include "membuf.h"

#include <stdlib.h>
#include <string.h>

bool membuf_put(struct membuf *m, const void *data, size_t len)
{
	if (m->len + len > m->cap) {
		size_t cap = m->cap ? m->cap : 16384;
		while (cap < m->len + len)
			cap *= 2;
		unsigned char *p = realloc(m->data, cap);
		if (!p)
			return false;
		m->data = p;
		m->cap = cap;
	}
	memcpy(m->data + m->len, data, len);
	m->len += len;
	return true;
}
