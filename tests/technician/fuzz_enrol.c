/*
 * libFuzzer target for the body of POST /v1/enrol (central/enrol_req.c), the one body
 * adm-central reads from anyone: any bytes, no crash, no leak; an accepted code is 1..64
 * characters of [0-9A-Z-], terminated inside its buffer, and the same twice.
 */
#include "enrol_req.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char a[ENROL_CODE_MAX + 1], b[ENROL_CODE_MAX + 1];
	bool ok = enrol_request_code((const char *)data, size, a);
	size_t n = strnlen(a, sizeof(a));
	if (n == sizeof(a))
		abort(); /* not terminated */
	if (!ok) {
		if (n)
			abort(); /* a refusal leaves no code */
		return 0;
	}
	if (n < 1 || strspn(a, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-") != n)
		abort();
	if (!enrol_request_code((const char *)data, size, b) || strcmp(a, b) != 0)
		abort();
	return 0;
}
