/* libFuzzer target for the QR payload parser: no crash, no read past the input, and an
 * accepted payload always holds what its kind promises. */
#include "nik.h"
#include "qr_payload.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qr_payload p;
	int rc = qr_parse((const char *)data, size, &p);

	if (rc == QR_OK && p.kind == QR_LOGIN && nik_check(p.nik) != NIK_OK)
		abort();
	if (rc == QR_OK && p.kind == QR_DOCUMENT && (!p.doc_id[0] || !p.token[0]))
		abort();
	if (rc != QR_OK && p.kind != QR_INVALID)
		abort();
	return 0;
}
