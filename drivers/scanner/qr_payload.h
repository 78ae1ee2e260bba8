/*
 * The QR payloads the kiosk accepts from a 2D scanner (docs/qr-payload.md). Pure parsing of
 * untrusted input, fuzzed (tests/scanner/fuzz_qr.c).
 *
 *   ADM1:L:<NIK>                    login: the notification's account QR
 *   ADM1:D:<document id>:<token>    authorise one document: its one-time print QR
 */
#ifndef ADM_QR_PAYLOAD_H
#define ADM_QR_PAYLOAD_H

#include <stddef.h>

#define QR_LINE_MAX   512
#define QR_DOC_ID_MAX 39
#define QR_TOKEN_MAX  64

enum qr_kind {
	QR_INVALID = 0,
	QR_LOGIN,    /* nik */
	QR_DOCUMENT, /* doc_id, token */
};

enum qr_error {
	QR_OK = 0,
	QR_ERR_EMPTY,
	QR_ERR_TOO_LONG,
	QR_ERR_NOT_ADM, /* not one of ours: another QR code */
	QR_ERR_VERSION, /* ADM2 or later: newer than this kiosk */
	QR_ERR_KIND,	/* a kind letter we do not know */
	QR_ERR_FIELD,	/* a field missing, too long or with bad characters */
	QR_ERR_NIK,	/* the NIK fails its checks */
};

struct qr_payload {
	enum qr_kind kind;
	char nik[17];
	char doc_id[QR_DOC_ID_MAX + 1];
	char token[QR_TOKEN_MAX + 1];
};

/* Parses len bytes (no terminator needed); out is zeroed first. Returns enum qr_error. */
int qr_parse(const char *data, size_t len, struct qr_payload *out);
const char *qr_strerror(int err);

#endif
