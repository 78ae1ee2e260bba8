/*
 * libFuzzer target for what the office pages read from a request body (central/form.h)
 * and from a kiosk's screenshot upload (central/screenshot.h). The first byte picks the
 * parser; for multipart, the input's first line is the Content-Type header.
 */
#include "form.h"
#include "screenshot.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	/* a copy of exactly the body's bytes: reading past it is ASan's to catch */
	size_t len = size - 1;
	char *body = malloc(len ? len : 1);
	if (!body)
		return 0;
	memcpy(body, data + 1, len);
	switch (data[0] % 3) {
	case 0: {
		static const char *names[] = { "csrf", "id", "password", "a", "" };
		char out[65];
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (form_field(body, len, names[i], out, sizeof(out)) &&
			    strlen(out) >= sizeof(out))
				abort();
		break;
	}
	case 1: {
		const char *nl = memchr(body, '\n', len);
		size_t hl = nl ? (size_t)(nl - body) : 0;
		char ct[256];
		if (!nl || hl >= sizeof(ct) || memchr(body, 0, hl))
			break;
		memcpy(ct, body, hl);
		ct[hl] = '\0';
		const char *d;
		size_t n;
		const char *rest = nl + 1;
		size_t rlen = len - hl - 1;
		for (int i = 0; i < 2; i++)
			if (form_multipart(ct, rest, rlen, i ? "bundle" : "csrf", &d, &n) &&
			    (d < rest || d + n > rest + rlen))
				abort();
		break;
	}
	default: {
		int w, h;
		const char *why;
		if (screenshot_check((const unsigned char *)body, len, &w, &h, &why) &&
		    (w < 1 || h < 1 || w > 4096 || h > 4096))
			abort();
	}
	}
	free(body);
	return 0;
}
