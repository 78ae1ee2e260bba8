/*
 * A screenshot a kiosk sends (POST /v1/kiosks/{kiosk}/screenshot, docs/sync-protocol.md):
 * checked as a whole PNG before it is stored, without decoding it. The office's browser
 * decodes it, so what the server lets through must be a PNG of sane size: the signature,
 * an IHDR chunk first with its CRC, dimensions within bounds, and an IEND chunk at the end
 * (a cut upload is refused, not shown half).
 */
#ifndef ADM_CENTRAL_SCREENSHOT_H
#define ADM_CENTRAL_SCREENSHOT_H

#include <stdbool.h>
#include <stddef.h>

bool screenshot_check(const unsigned char *data, size_t len, int *width, int *height,
		      const char **why);

#endif
