/* QR payloads: every kind, every malformed shape, and what is left in the output on error. */
#include "../check.h"
#include "qr_payload.h"

#include <string.h>

static int parse(const char *s, struct qr_payload *p)
{
	return qr_parse(s, strlen(s), p);
}

int main(void)
{
	struct qr_payload p;
	char big[700];

	CHECK(parse("ADM1:L:3171015708900003", &p) == QR_OK && p.kind == QR_LOGIN &&
		  strcmp(p.nik, "3171015708900003") == 0,
	      "login");
	CHECK(parse("ADM1:L:3171015708900003\r\n", &p) == QR_OK, "line ends are not part of it");
	CHECK(parse("ADM1:D:doc-KK-0001:aB3_x-9:", &p) == QR_ERR_FIELD && p.kind == QR_INVALID &&
		  !p.doc_id[0],
	      "a third field is refused, nothing left behind");
	CHECK(parse("ADM1:D:doc-KK-0001:aB3_x-9", &p) == QR_OK && p.kind == QR_DOCUMENT &&
		  strcmp(p.doc_id, "doc-KK-0001") == 0 && strcmp(p.token, "aB3_x-9") == 0,
	      "document");
	CHECK(parse("", &p) == QR_ERR_EMPTY, "empty");
	CHECK(parse("\r", &p) == QR_ERR_EMPTY, "only CR");
	CHECK(parse("https://example.invalid/x", &p) == QR_ERR_NOT_ADM, "someone else's QR");
	CHECK(parse("ADM", &p) == QR_ERR_NOT_ADM, "prefix only");
	CHECK(parse("ADM2:L:3171015708900003", &p) == QR_ERR_VERSION, "newer version");
	CHECK(parse("ADM1:X:3171015708900003", &p) == QR_ERR_KIND, "unknown kind");
	CHECK(parse("ADM1:L3171015708900003", &p) == QR_ERR_KIND, "no separator after kind");
	CHECK(parse("ADM1:L:", &p) == QR_ERR_FIELD, "no NIK");
	CHECK(parse("ADM1:L:317101570890000", &p) == QR_ERR_NIK, "15 digits");
	CHECK(parse("ADM1:L:31710157089000031", &p) == QR_ERR_FIELD, "17 digits");
	CHECK(parse("ADM1:L:3171019908900003", &p) == QR_ERR_NIK && !p.nik[0],
	      "invalid date, NIK not kept");
	CHECK(parse("ADM1:L:3171015708900003:x", &p) == QR_ERR_FIELD, "trailing field");
	CHECK(parse("ADM1:L:31710157O8900003", &p) == QR_ERR_FIELD, "letter O for zero");
	CHECK(parse("ADM1:D:doc/../x:tok", &p) == QR_ERR_FIELD, "path characters");
	CHECK(parse("ADM1:D::tok", &p) == QR_ERR_FIELD, "empty id");
	CHECK(parse("ADM1:D:doc", &p) == QR_ERR_FIELD, "no token");
	CHECK(qr_parse("ADM1:L:3171015708\0900003", 23, &p) == QR_ERR_FIELD, "NUL inside");
	memset(big, 'A', sizeof(big));
	CHECK(qr_parse(big, sizeof(big), &p) == QR_ERR_TOO_LONG, "too long");
	memcpy(big, "ADM1:D:", 7);
	CHECK(qr_parse(big, 7 + 40 + 1 + 5, &p) == QR_ERR_FIELD, "id over 39");
	CHECK(strcmp(qr_strerror(QR_ERR_NIK), "the NIK in the code is not valid") == 0, "strerror");
	return check_done();
}
