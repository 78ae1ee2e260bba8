/*
 * Test-profile biodata (EF 6FF1): BER-TLV encode and a strict parse. Layout, one template:
 *   70 L { 80 01 version | 81 16 NIK | 82 n name | 83 n birth place | 84 8 YYYYMMDD |
 *          85 1 sex | 86 6 region | 87 16 KK | 88 n card serial | 89 n address (optional) }
 * Lengths use the short form (< 0x80) or 81 xx / 82 xx xx. See docs/card-profile.md.
 */
#include "card_biodata.h"

#include "nik.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define TAG_TEMPLATE 0x70
#define TAG_VERSION  0x80
#define TAG_NIK	     0x81
#define TAG_NAME     0x82
#define TAG_PLACE    0x83
#define TAG_DATE     0x84
#define TAG_SEX	     0x85
#define TAG_REGION   0x86
#define TAG_KK	     0x87
#define TAG_SERIAL   0x88
#define TAG_ADDRESS  0x89

#define PROFILE_VERSION 1

const char *card_biodata_strerror(int status)
{
	switch (status) {
	case BIODATA_OK:
		return "ok";
	case BIODATA_TRUNCATED:
		return "a TLV length runs past the end of the data";
	case BIODATA_BAD_TEMPLATE:
		return "not a biodata template";
	case BIODATA_BAD_FIELD:
		return "a field has the wrong size or characters";
	case BIODATA_MISSING:
		return "a mandatory field is missing";
	case BIODATA_DUPLICATE:
		return "a field appears twice";
	case BIODATA_INCONSISTENT:
		return "fields disagree with the NIK";
	case BIODATA_VERSION:
		return "unknown test-profile version";
	}
	return "unknown biodata status";
}

/* Reads a BER length at data[*pos]; on success *pos moves past it. */
static int read_len(const uint8_t *data, size_t len, size_t *pos, size_t *out)
{
	if (*pos >= len)
		return BIODATA_TRUNCATED;
	uint8_t b = data[(*pos)++];
	if (b < 0x80) {
		*out = b;
		return BIODATA_OK;
	}
	if (b == 0x81) {
		if (*pos + 1 > len)
			return BIODATA_TRUNCATED;
		*out = data[*pos];
		*pos += 1;
		return *out < 0x80 ? BIODATA_BAD_TEMPLATE : BIODATA_OK; /* not minimal */
	}
	if (b == 0x82) {
		if (*pos + 2 > len)
			return BIODATA_TRUNCATED;
		*out = (size_t)data[*pos] << 8 | data[*pos + 1];
		*pos += 2;
		return *out < 0x100 ? BIODATA_BAD_TEMPLATE : BIODATA_OK;
	}
	return BIODATA_BAD_TEMPLATE;
}

int card_biodata_total_len(const uint8_t *data, size_t len, size_t *total)
{
	size_t pos = 0, body;
	if (len < 1)
		return BIODATA_TRUNCATED;
	if (data[0] != TAG_TEMPLATE)
		return BIODATA_BAD_TEMPLATE;
	pos = 1;
	int rc = read_len(data, len, &pos, &body);
	if (rc != BIODATA_OK)
		return rc;
	if (pos + body > CARD_BIODATA_MAX)
		return BIODATA_BAD_TEMPLATE;
	*total = pos + body;
	return BIODATA_OK;
}

static bool all_digits(const uint8_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return false;
	return true;
}

/* Printable ASCII without leading/trailing blanks: what is printed on the card. */
static bool text_ok(const uint8_t *v, size_t n, size_t max)
{
	if (n == 0 || n > max || v[0] == ' ' || v[n - 1] == ' ')
		return false;
	for (size_t i = 0; i < n; i++)
		if (v[i] < 0x20 || v[i] > 0x7e)
			return false;
	return true;
}

static bool serial_ok(const uint8_t *v, size_t n)
{
	if (n == 0 || n > CARD_SERIAL_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'A' && v[i] <= 'F')))
			return false;
	return true;
}

static void copy_str(char *dst, const uint8_t *v, size_t n)
{
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static int check_field(struct card_identity *out, uint8_t tag, const uint8_t *v, size_t n)
{
	switch (tag) {
	case TAG_VERSION:
		if (n != 1)
			return BIODATA_BAD_FIELD;
		return v[0] == PROFILE_VERSION ? BIODATA_OK : BIODATA_VERSION;
	case TAG_NIK:
	case TAG_KK:
		if (n != CARD_NIK_LEN || !all_digits(v, n))
			return BIODATA_BAD_FIELD;
		copy_str(tag == TAG_NIK ? out->nik : out->kk, v, n);
		return BIODATA_OK;
	case TAG_NAME:
		if (!text_ok(v, n, CARD_NAME_MAX))
			return BIODATA_BAD_FIELD;
		copy_str(out->name, v, n);
		return BIODATA_OK;
	case TAG_PLACE:
		if (!text_ok(v, n, CARD_PLACE_MAX))
			return BIODATA_BAD_FIELD;
		copy_str(out->birth_place, v, n);
		return BIODATA_OK;
	case TAG_ADDRESS:
		if (!text_ok(v, n, CARD_ADDRESS_MAX))
			return BIODATA_BAD_FIELD;
		copy_str(out->address, v, n);
		return BIODATA_OK;
	case TAG_DATE:
		if (n != 8 || !all_digits(v, n))
			return BIODATA_BAD_FIELD;
		snprintf(out->birth_date, sizeof(out->birth_date), "%.4s-%.2s-%.2s",
			 (const char *)v, (const char *)v + 4, (const char *)v + 6);
		return BIODATA_OK;
	case TAG_SEX:
		if (n != 1 || (v[0] != 'L' && v[0] != 'P'))
			return BIODATA_BAD_FIELD;
		out->sex = (char)v[0];
		return BIODATA_OK;
	case TAG_REGION:
		if (n != 6 || !all_digits(v, n))
			return BIODATA_BAD_FIELD;
		copy_str(out->region, v, n);
		return BIODATA_OK;
	case TAG_SERIAL:
		if (!serial_ok(v, n))
			return BIODATA_BAD_FIELD;
		copy_str(out->serial, v, n);
		return BIODATA_OK;
	}
	return BIODATA_OK; /* unknown context tags are skipped: later versions may add some */
}

/* The NIK already encodes birth date, sex and region: a card that disagrees is broken. */
static int check_consistency(const struct card_identity *id)
{
	struct nik_parts p;
	if (!nik_parse(id->nik, &p))
		return BIODATA_INCONSISTENT;
	if (strncmp(id->nik, id->region, 6) != 0)
		return BIODATA_INCONSISTENT;
	if ((id->sex == 'P') != p.female)
		return BIODATA_INCONSISTENT;
	int y = 0, m = 0, d = 0;
	if (sscanf(id->birth_date, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return BIODATA_INCONSISTENT;
	if (d != p.day || m != p.month || y % 100 != p.year2 || y < 1900)
		return BIODATA_INCONSISTENT;
	/* The KK's first six digits are a region too; its date has no +40. */
	if (!nik_province_name((id->kk[0] - '0') * 10 + (id->kk[1] - '0')))
		return BIODATA_INCONSISTENT;
	return BIODATA_OK;
}

int card_biodata_parse(const uint8_t *data, size_t len, struct card_identity *out)
{
	memset(out, 0, sizeof(*out));
	size_t total;
	int rc = card_biodata_total_len(data, len, &total);
	if (rc != BIODATA_OK)
		return rc;
	if (total > len)
		return BIODATA_TRUNCATED;
	if (total < len)
		return BIODATA_BAD_TEMPLATE;
	size_t pos = 1, body;
	read_len(data, len, &pos, &body); /* already checked by total_len */

	unsigned seen = 0;
	while (pos < total) {
		uint8_t tag = data[pos++];
		size_t n;
		if ((tag & 0xe0) != 0x80) { /* context-specific primitive, one byte */
			rc = BIODATA_BAD_TEMPLATE;
			goto fail;
		}
		rc = read_len(data, total, &pos, &n);
		if (rc == BIODATA_OK && n > total - pos)
			rc = BIODATA_TRUNCATED;
		if (rc != BIODATA_OK)
			goto fail;
		unsigned bit = 1u << (tag & 0x1f);
		if (seen & bit) {
			rc = BIODATA_DUPLICATE;
			goto fail;
		}
		seen |= bit;
		rc = check_field(out, tag, data + pos, n);
		if (rc != BIODATA_OK)
			goto fail;
		pos += n;
	}
	const unsigned mandatory = 0x1ff; /* tags 80..88 */
	if ((seen & mandatory) != mandatory) {
		rc = BIODATA_MISSING;
		goto fail;
	}
	rc = check_consistency(out);
	if (rc == BIODATA_OK)
		return BIODATA_OK;
fail:
	memset(out, 0, sizeof(*out));
	return rc;
}

static size_t put_len(uint8_t *p, size_t n)
{
	if (n < 0x80) {
		p[0] = (uint8_t)n;
		return 1;
	}
	if (n < 0x100) {
		p[0] = 0x81;
		p[1] = (uint8_t)n;
		return 2;
	}
	p[0] = 0x82;
	p[1] = (uint8_t)(n >> 8);
	p[2] = (uint8_t)n;
	return 3;
}

static size_t put_field(uint8_t *p, uint8_t tag, const void *v, size_t n)
{
	p[0] = tag;
	size_t h = 1 + put_len(p + 1, n);
	memcpy(p + h, v, n);
	return h + n;
}

int card_biodata_encode(const struct card_identity *id, uint8_t *out, size_t cap)
{
	uint8_t body[CARD_BIODATA_MAX];
	size_t n = 0;
	const uint8_t version = PROFILE_VERSION;
	char date[9];
	if (strlen(id->birth_date) != 10)
		return -1;
	memcpy(date, id->birth_date, 4);
	memcpy(date + 4, id->birth_date + 5, 2);
	memcpy(date + 6, id->birth_date + 8, 2);
	/* Every field is bounded by its struct member, so body cannot overflow. */
	n += put_field(body + n, TAG_VERSION, &version, 1);
	n += put_field(body + n, TAG_NIK, id->nik, strlen(id->nik));
	n += put_field(body + n, TAG_NAME, id->name, strlen(id->name));
	n += put_field(body + n, TAG_PLACE, id->birth_place, strlen(id->birth_place));
	n += put_field(body + n, TAG_DATE, date, 8);
	n += put_field(body + n, TAG_SEX, &id->sex, 1);
	n += put_field(body + n, TAG_REGION, id->region, strlen(id->region));
	n += put_field(body + n, TAG_KK, id->kk, strlen(id->kk));
	n += put_field(body + n, TAG_SERIAL, id->serial, strlen(id->serial));
	if (id->address[0])
		n += put_field(body + n, TAG_ADDRESS, id->address, strlen(id->address));
	uint8_t hdr[4] = { TAG_TEMPLATE };
	size_t h = 1 + put_len(hdr + 1, n);
	if (h + n > cap || h + n > CARD_BIODATA_MAX)
		return -1;
	memcpy(out, hdr, h);
	memcpy(out + h, body, n);
	return (int)(h + n);
}
