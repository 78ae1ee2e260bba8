/*
 * The PNG checks of screenshot.h: a walk over the chunks (lengths bounded by the data),
 * IHDR's CRC, and the last chunk IEND. Nothing is decompressed.
 */
#include "screenshot.h"

#include "office_store.h"

#include <stdint.h>
#include <string.h>
#include <zlib.h>

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

bool screenshot_check(const unsigned char *d, size_t len, int *width, int *height, const char **why)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	*why = "not a PNG (signature)";
	if (len < 8 + 25 + 12 || memcmp(d, sig, 8) != 0)
		return false;
	*why = "the first chunk is not a 13-byte IHDR";
	if (be32(d + 8) != 13 || memcmp(d + 12, "IHDR", 4) != 0)
		return false;
	*why = "IHDR's CRC does not match";
	if (crc32(0, d + 12, 17) != be32(d + 29))
		return false;
	uint32_t w = be32(d + 16), h = be32(d + 20);
	*why = "dimensions out of range (1..4096 a side)";
	if (w == 0 || h == 0 || w > OFFICE_SCREEN_SIDE || h > OFFICE_SCREEN_SIDE)
		return false;
	size_t pos = 8;
	bool iend = false;
	while (pos + 12 <= len) {
		uint32_t n = be32(d + pos);
		if (n > len - pos - 12)
			break;
		iend = memcmp(d + pos + 4, "IEND", 4) == 0;
		pos += 12 + (size_t)n;
		if (iend)
			break;
	}
	*why = "cut short or trailing bytes (no IEND at the end)";
	if (!iend || pos != len)
		return false;
	*width = (int)w;
	*height = (int)h;
	return true;
}
