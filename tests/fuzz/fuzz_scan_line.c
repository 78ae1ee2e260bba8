/*
 * libFuzzer target for the scanner's line assembly (drivers/scanner/scan_line.c): any
 * bytes down the serial line, cut into reads at any places, give exactly the lines a
 * model splitting the whole stream gives (CR/LF ends a line, empty lines are skipped, a
 * line over QR_LINE_MAX is dropped whole and counted), and nothing of a line stays in the
 * buffer after it (each line finds the buffer zero past its end, and so does the end).
 *
 * Input: the first byte seeds where the stream is cut into reads; the rest is the stream.
 */
#include "scan_line.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct got {
	const char *stream; /* the whole input, to compare each line with */
	size_t len;
	size_t at; /* where the model is in it */
	size_t lines, dropped;
	struct scan_line *sl;
};

static const char zero[sizeof(((struct scan_line *)0)->buf)];

static bool is_end(char c)
{
	return c == '\r' || c == '\n';
}

/* The model: the next line of the stream that must be handed on, counting the too-long
 * ones it skips on the way. */
static bool next_line(struct got *g, size_t *start, size_t *n)
{
	while (g->at < g->len) {
		size_t s = g->at, e = s;
		while (e < g->len && !is_end(g->stream[e]))
			e++;
		if (e == g->len)
			return false; /* unfinished: never handed on */
		g->at = e + 1;
		if (e - s > QR_LINE_MAX) {
			g->dropped++;
			continue;
		}
		if (e > s) {
			*start = s;
			*n = e - s;
			return true;
		}
	}
	return false;
}

static void on_line(void *user, const char *line, size_t len)
{
	struct got *g = user;
	size_t start, n;

	if (!next_line(g, &start, &n) || n != len || memcmp(line, g->stream + start, n) != 0)
		abort(); /* a line the model does not have, or another one */
	if (line != g->sl->buf)
		abort();
	if (memcmp(line + len, zero, sizeof(zero) - len) != 0)
		abort(); /* unterminated, or the rest of an earlier, longer line */
	g->lines++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scan_line sl;
	struct got g = { 0 };

	if (size < 1)
		return 0;
	memset(&sl, 0, sizeof(sl));
	g.stream = (const char *)data + 1;
	g.len = size - 1;
	g.sl = &sl;
	/* reads of 1..64 bytes, from a small generator seeded by the first byte */
	uint32_t r = data[0] * 2654435761u + 1;
	size_t dropped = 0;
	for (size_t at = 0; at < g.len;) {
		r = r * 1103515245u + 12345u;
		size_t n = 1 + (r >> 16) % 64;
		if (n > g.len - at)
			n = g.len - at;
		dropped += (size_t)scan_line_feed(&sl, g.stream + at, n, on_line, &g);
		at += n;
	}
	/* after the last line nothing of it may be left */
	if (sl.len == 0 && !sl.overflow && memcmp(sl.buf, zero, sizeof(zero)) != 0)
		abort();
	size_t start, n;
	if (next_line(&g, &start, &n) || dropped != g.dropped)
		abort(); /* a line the assembly never handed on, or a wrong count of drops */
	if (sl.len > QR_LINE_MAX)
		abort();
	scan_line_reset(&sl);
	if (sl.len || sl.overflow || memcmp(sl.buf, zero, sizeof(zero)) != 0)
		abort();
	return 0;
}
