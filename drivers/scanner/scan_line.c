/*
 * Line assembly for the serial scanner (scan_line.h). Every way out of a line, handed on,
 * dropped or abandoned, wipes it.
 */
#include "scan_line.h"

#include <sodium.h>

void scan_line_reset(struct scan_line *sl)
{
	sodium_memzero(sl->buf, sizeof(sl->buf));
	sl->len = 0;
	sl->overflow = false;
}

int scan_line_feed(struct scan_line *sl, const char *bytes, size_t n, scan_line_fn fn, void *user)
{
	int dropped = 0;

	for (size_t i = 0; i < n; i++) {
		char c = bytes[i];
		if (c == '\r' || c == '\n') {
			if (sl->overflow)
				dropped++;
			else if (sl->len)
				fn(user, sl->buf, sl->len);
			scan_line_reset(sl);
		} else if (sl->len < QR_LINE_MAX) {
			sl->buf[sl->len++] = c;
		} else {
			sl->overflow = true;
		}
	}
	return dropped;
}
