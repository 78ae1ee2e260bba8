/*
 * A serial scanner's bytes into lines: one scan is one line of text ended by CR and/or LF.
 * Pure (no I/O, no threads), so that it is fuzzed on its own (tests/fuzz/fuzz_scan_line.c);
 * the scanner's worker thread owns one and feeds it what it reads.
 *
 * A line longer than QR_LINE_MAX is dropped whole, never cut into pieces that could parse
 * as something else; empty lines (CR LF, a lone LF) are skipped. A scan is a print PIN or
 * a NIK: the buffer is wiped as soon as the line is handed on.
 */
#ifndef ADM_SCAN_LINE_H
#define ADM_SCAN_LINE_H

#include "qr_payload.h"

#include <stdbool.h>
#include <stddef.h>

struct scan_line {
	char buf[QR_LINE_MAX + 1];
	size_t len;
	bool overflow; /* the line under way is too long: it goes when its end comes */
};

/* Called for each whole line: NUL-terminated, without its CR/LF, 1..QR_LINE_MAX bytes.
 * The line is wiped when it returns: copy what is needed. */
typedef void (*scan_line_fn)(void *user, const char *line, size_t len);

/* Feeds n bytes (any bytes, NUL included). Returns how many lines were dropped for being
 * too long. */
int scan_line_feed(struct scan_line *sl, const char *bytes, size_t n, scan_line_fn fn, void *user);
/* Forgets (and wipes) a line under way: the device went away in the middle of it. */
void scan_line_reset(struct scan_line *sl);

#endif
