/*
 * A 2D barcode scanner in serial mode (USB CDC ACM: /dev/ttyACM0, or any tty): one scan is
 * one line of text ended by CR and/or LF.
 *
 * scanner_create() starts a worker thread that owns the tty: it reads lines and hands each
 * to on_line (ON THE WORKER THREAD; copy and return), notices the device going away (EOF,
 * EIO, ENODEV: a USB scanner unplugged), reports it through on_state, and reopens it every
 * second until it is back. scanner_destroy() wakes the thread and joins it; after it
 * returns no callback runs.
 */
#ifndef ADM_SCANNER_H
#define ADM_SCANNER_H

#include <stdbool.h>
#include <stddef.h>

struct scanner_config {
	const char *device; /* copied */
	void (*on_line)(void *ctx, const char *line, size_t len);
	void (*on_state)(void *ctx, bool present);
	void *ctx;
	int reopen_ms; /* 0: 1000 */
};

struct scanner;

struct scanner *scanner_create(const struct scanner_config *cfg);
void scanner_destroy(struct scanner *s); /* NULL is fine */

#endif
