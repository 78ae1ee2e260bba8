/*
 * Virtual card behaviour and the card file loader. A KTP-el here implements just what the
 * test profile needs: SELECT (DF 7F0A, EF 6FF1), READ BINARY with offsets and Le, GET
 * CHALLENGE; anything else gets the ISO 7816 status a real card would give.
 */
#include "vcard.h"

#include "synth.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* "slow": three APDUs at 150 ms, a card that is read late but read. "sluggish": 700 ms
 * each (under the kiosk's 1 s APDU timeout), 2.1 s in all: long enough for a test to lift
 * it mid-read by looking at the screen first, even under a sanitizer on a busy machine. */
#define SLOW_CARD_MS	 150
#define SLUGGISH_CARD_MS 700
#define TEAR_AT_APDU	 3 /* SELECT DF and EF answered, then gone during READ BINARY */

void vcard_activate(struct vcard *c)
{
	c->df_selected = c->ef_selected = false;
	c->apdus = 0;
}

bool vcard_is_iso14443_4(const struct vcard *c)
{
	return c->type_b || (c->sak & 0x20);
}

static size_t put_sw(uint8_t *resp, size_t n, unsigned sw)
{
	resp[n] = (uint8_t)(sw >> 8);
	resp[n + 1] = (uint8_t)sw;
	return n + 2;
}

static size_t ktp_apdu(struct vcard *c, const uint8_t *a, size_t len, uint8_t *resp, size_t cap)
{
	if (len < 4)
		return put_sw(resp, 0, 0x6700);
	if (a[0] != 0x00)
		return put_sw(resp, 0, 0x6E00);
	switch (a[1]) {
	case 0xA4: { /* SELECT by file identifier */
		if (c->kind == VC_STATUS)
			return put_sw(resp, 0, c->sw);
		if (len < 7 || a[4] != 2)
			return put_sw(resp, 0, 0x6700);
		unsigned fid = (unsigned)a[5] << 8 | a[6];
		if (fid == 0x7F0A) {
			c->df_selected = true;
			c->ef_selected = false;
			return put_sw(resp, 0, 0x9000);
		}
		if (fid == 0x6FF1 && c->df_selected && c->kind != VC_NO_EF) {
			c->ef_selected = true;
			return put_sw(resp, 0, 0x9000);
		}
		return put_sw(resp, 0, 0x6A82);
	}
	case 0xB0: { /* READ BINARY */
		if (!c->ef_selected)
			return put_sw(resp, 0, 0x6986);
		size_t off = (size_t)(a[2] & 0x7F) << 8 | a[3];
		size_t le = len >= 5 ? (a[4] ? a[4] : 256) : 256;
		if (off >= c->file_len)
			return put_sw(resp, 0, 0x6B00);
		size_t n = c->file_len - off;
		if (n > le)
			n = le;
		if (n + 2 > cap)
			n = cap - 2;
		memcpy(resp, c->file + off, n);
		return put_sw(resp, n, 0x9000);
	}
	case 0x84: /* GET CHALLENGE: real chips answer 8 bytes; not used by the test profile */
		for (int i = 0; i < 8; i++)
			resp[i] = (uint8_t)rand();
		return put_sw(resp, 8, 0x9000);
	}
	return put_sw(resp, 0, 0x6D00);
}

enum vcard_answer vcard_apdu(struct vcard *c, const uint8_t *apdu, size_t len, uint8_t *resp,
			     size_t cap, size_t *resp_len, unsigned *delay_ms)
{
	*delay_ms = 0;
	c->apdus++;
	switch (c->kind) {
	case VC_GARBAGE: {
		static const uint8_t junk[] = { 0x13, 0x37, 0x42 };
		memcpy(resp, junk, sizeof(junk));
		*resp_len = sizeof(junk);
		return VC_ANSWERED;
	}
	case VC_TEARING:
		if (c->apdus >= TEAR_AT_APDU)
			return VC_SILENT;
		break;
	case VC_SLOW:
		*delay_ms = c->delay_ms;
		break;
	default:
		break;
	}
	*resp_len = ktp_apdu(c, apdu, len, resp, cap);
	return VC_ANSWERED;
}

static bool parse_hex(const char *s, uint8_t *out, size_t want)
{
	if (strlen(s) != want * 2)
		return false;
	for (size_t i = 0; i < want; i++) {
		unsigned v;
		if (!isxdigit((unsigned char)s[2 * i]) || !isxdigit((unsigned char)s[2 * i + 1]) ||
		    sscanf(s + 2 * i, "%2x", &v) != 1)
			return false;
		out[i] = (uint8_t)v;
	}
	return true;
}

static bool set_identity(struct vcard *c, const struct card_identity *id)
{
	int n = card_biodata_encode(id, c->file, sizeof(c->file));
	if (n < 0)
		return false;
	c->file_len = (size_t)n;
	snprintf(c->name, sizeof(c->name), "%s", id->name);
	return true;
}

/* type uid nik kk name sex birth_place birth_date region address serial, TAB-separated. */
static bool parse_line(char *line, struct vcard *c)
{
	char *f[11];
	int n = 0;
	char *save = line, *tok;
	while (n < 11 && (tok = strsep(&save, "\t")) != NULL)
		f[n++] = tok;
	if (n != 11 || save != NULL)
		return false;
	struct card_identity id;
	memset(&id, 0, sizeof(id));
	memset(c, 0, sizeof(*c));
	c->kind = VC_KTP;
	if (strcmp(f[0], "A") == 0) {
		c->uid_len = 7;
		c->sak = 0x20;
	} else if (strcmp(f[0], "B") == 0) {
		c->type_b = true;
		c->uid_len = 4;
	} else {
		return false;
	}
	if (!parse_hex(f[1], c->uid, c->uid_len))
		return false;
	if (strlen(f[2]) != 16 || strlen(f[3]) != 16 || strlen(f[4]) > CARD_NAME_MAX ||
	    strlen(f[5]) != 1 || strlen(f[6]) > CARD_PLACE_MAX || strlen(f[7]) != 10 ||
	    strlen(f[8]) != 6 || strlen(f[9]) > CARD_ADDRESS_MAX || strlen(f[10]) > CARD_SERIAL_MAX)
		return false;
	strcpy(id.nik, f[2]);
	strcpy(id.kk, f[3]);
	strcpy(id.name, f[4]);
	id.sex = f[5][0];
	strcpy(id.birth_place, f[6]);
	strcpy(id.birth_date, f[7]);
	strcpy(id.region, f[8]);
	strcpy(id.address, f[9]);
	strcpy(id.serial, f[10]);
	snprintf(c->key, sizeof(c->key), "%s", id.nik);
	return set_identity(c, &id);
}

static void from_synth(struct vcard *c, const struct synth_citizen *s, enum vcard_kind kind,
		       const char *key)
{
	struct card_identity id;
	memset(&id, 0, sizeof(id));
	memset(c, 0, sizeof(*c));
	memcpy(id.nik, s->nik, sizeof(id.nik));
	memcpy(id.kk, s->kk, sizeof(id.kk));
	memcpy(id.name, s->name, sizeof(id.name));
	memcpy(id.birth_place, s->birth_place, sizeof(id.birth_place));
	memcpy(id.birth_date, s->birth_date, sizeof(id.birth_date));
	memcpy(id.region, s->region, sizeof(id.region));
	memcpy(id.address, s->address, sizeof(id.address));
	memcpy(id.serial, s->card_serial, sizeof(s->card_serial));
	id.sex = s->female ? 'P' : 'L';
	set_identity(c, &id);
	c->kind = kind;
	c->uid_len = 7;
	memcpy(c->uid, s->uid, 7);
	c->sak = 0x20;
	snprintf(c->key, sizeof(c->key), "%s", key);
}

/* A card that is no KTP-el at all: key, kind, SAK, a 4-byte UID (ATQA 0004). */
static void foreign(struct vcard *c, const char *key, enum vcard_kind kind, uint8_t sak,
		    unsigned sw, uint8_t uid0)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->key, sizeof(c->key), "%s", key);
	c->kind = kind;
	c->sak = sak;
	c->sw = sw;
	c->uid_len = 4;
	c->uid[0] = uid0; /* 08: a random UID, as phones give */
	c->uid[1] = 0xC0;
	c->uid[2] = (uint8_t)(sw >> 8 ^ sak);
	c->uid[3] = (uint8_t)(kind * 17);
}

/* The hostile cards, each with a synthetic identity of its own (seed 0xBAD). */
static void add_hostile(struct vcard *out)
{
	struct synth_citizen s[5];
	synth_population(0xBAD, 5, s);
	from_synth(&out[0], &s[0], VC_MIFARE, "mifare");
	out[0].uid_len = 4;
	out[0].sak = 0x08;
	out[0].file_len = 0;
	from_synth(&out[1], &s[1], VC_GARBAGE, "garbage");
	from_synth(&out[2], &s[2], VC_LIAR, "liar");
	/* The last field claims 0x7F bytes, past the end of the template that holds it: only
	 * a parser that checks inner lengths against the outer one notices. */
	size_t pos = out[2].file[1] == 0x81 ? 3 : 2, last = 0;
	while (pos + 1 < out[2].file_len) {
		last = pos;
		pos += 2 + out[2].file[pos + 1];
	}
	if (last)
		out[2].file[last + 1] = 0x7F;
	from_synth(&out[3], &s[3], VC_TEARING, "tearing");
	from_synth(&out[4], &s[0], VC_SLOW, "slow");
	out[4].uid[6] ^= 0x5A;
	out[4].delay_ms = SLOW_CARD_MS;
	foreign(&out[5], "phone", VC_P2P, 0x40, 0, 0x08);
	foreign(&out[6], "sak00", VC_SAK00, 0x00, 0, 0x5A);
	foreign(&out[7], "bank", VC_STATUS, 0x20, 0x6986, 0x3B);
	foreign(&out[8], "hce", VC_STATUS, 0x20, 0x6F00, 0x08);
	from_synth(&out[9], &s[4], VC_NO_EF, "noef");
	from_synth(&out[10], &s[0], VC_SLOW, "sluggish");
	out[10].uid[6] ^= 0xA5;
	out[10].delay_ms = SLUGGISH_CARD_MS;
}

#define N_HOSTILE 11

bool vcard_deck_load(struct vcard_deck *deck, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot open card file %s", path);
		return false;
	}
	int cap = 64, n = 0, lineno = 0;
	struct vcard *cards = calloc((size_t)cap + N_HOSTILE, sizeof(*cards));
	char line[512];
	bool ok = cards != NULL;
	while (ok && fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (n == cap) {
			struct vcard *bigger =
			    realloc(cards, ((size_t)cap * 2 + N_HOSTILE) * sizeof(*cards));
			if (!bigger) {
				ok = false;
				break;
			}
			cards = bigger;
			cap *= 2;
		}
		if (!parse_line(line, &cards[n])) {
			snprintf(err, errlen, "%s:%d: not a card line (11 TAB-separated fields)",
				 path, lineno);
			ok = false;
			break;
		}
		n++;
	}
	fclose(f);
	if (!ok) {
		free(cards);
		return false;
	}
	add_hostile(&cards[n]);
	deck->cards = cards;
	deck->n = n + N_HOSTILE;
	return true;
}

void vcard_deck_free(struct vcard_deck *deck)
{
	free(deck->cards);
	deck->cards = NULL;
	deck->n = 0;
}

struct vcard *vcard_deck_find(struct vcard_deck *deck, const char *key)
{
	for (int i = 0; i < deck->n; i++)
		if (strcmp(deck->cards[i].key, key) == 0)
			return &deck->cards[i];
	for (int i = 0; i < deck->n; i++)
		if (deck->cards[i].name[0] && strcasecmp(deck->cards[i].name, key) == 0)
			return &deck->cards[i];
	return NULL;
}
