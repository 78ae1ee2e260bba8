#include "qr_payload.h"

#include "nik.h"

#include <string.h>

const char *qr_strerror(int err)
{
	switch (err) {
	case QR_OK:
		return "ok";
	case QR_ERR_EMPTY:
		return "empty scan";
	case QR_ERR_TOO_LONG:
		return "longer than any ADM code";
	case QR_ERR_NOT_ADM:
		return "not an ADM code";
	case QR_ERR_VERSION:
		return "an ADM code of a newer version";
	case QR_ERR_KIND:
		return "an ADM code of an unknown kind";
	case QR_ERR_FIELD:
		return "a field is missing, too long or has bad characters";
	case QR_ERR_NIK:
		return "the NIK in the code is not valid";
	}
	return "?";
}

/* Copies the next ':'-separated field of at most max bytes of allowed characters. */
static int field(const char **p, const char *end, char *out, size_t max, const char *allowed)
{
	const char *s = *p, *e = memchr(s, ':', (size_t)(end - s));
	size_t n;

	if (!e)
		e = end;
	n = (size_t)(e - s);
	if (n == 0 || n > max)
		return QR_ERR_FIELD;
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr(allowed, s[i]))
			return QR_ERR_FIELD;
	memcpy(out, s, n);
	out[n] = '\0';
	*p = e < end ? e + 1 : end;
	return e < end ? 1 : 0; /* 1: more fields follow */
}

static const char digits[] = "0123456789";
static const char id_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

int qr_parse(const char *data, size_t len, struct qr_payload *out)
{
	const char *p = data, *end = data + len;
	int more;

	memset(out, 0, sizeof(*out));
	while (len && (data[len - 1] == '\r' || data[len - 1] == '\n'))
		end = data + --len;
	if (len == 0)
		return QR_ERR_EMPTY;
	if (len > QR_LINE_MAX)
		return QR_ERR_TOO_LONG;
	if (len < 4 || memcmp(data, "ADM", 3) != 0)
		return QR_ERR_NOT_ADM;
	if (len < 7 || data[3] != '1' || data[4] != ':')
		return data[3] >= '2' && data[3] <= '9' ? QR_ERR_VERSION : QR_ERR_NOT_ADM;
	p = data + 7;
	if (data[6] != ':')
		return QR_ERR_KIND;
	switch (data[5]) {
	case 'L':
		if ((more = field(&p, end, out->nik, 16, digits)) != 0)
			return more < 0 ? more : QR_ERR_FIELD;
		if (nik_check(out->nik) != NIK_OK) {
			memset(out, 0, sizeof(*out));
			return QR_ERR_NIK;
		}
		out->kind = QR_LOGIN;
		return QR_OK;
	case 'D':
		if (field(&p, end, out->doc_id, QR_DOC_ID_MAX, id_chars) != 1 ||
		    field(&p, end, out->token, QR_TOKEN_MAX, id_chars) != 0) {
			memset(out, 0, sizeof(*out));
			return QR_ERR_FIELD;
		}
		out->kind = QR_DOCUMENT;
		return QR_OK;
	default:
		return QR_ERR_KIND;
	}
}
