/*
 * KTP-el test profile over APDUs: SELECT DF 7F0A, SELECT EF 6FF1, READ BINARY until the
 * TLV template is complete (usually once), parse. Every answer is checked for shape and status word
 * before its bytes are used; the number of APDUs per card is bounded so a card that keeps
 * answering "more data" cannot hold the reader forever.
 */
#include "card_profile.h"

#include <stdbool.h>
#include <string.h>

#define MAX_APDUS 32
#define RESP_MAX  (CARD_READ_CHUNK + 2)

const char *card_profile_strerror(int status)
{
	switch (status) {
	case CARD_OK:
		return "ok";
	case CARD_ERR_FOREIGN:
		return "no KTP-el application on the card";
	case CARD_ERR_GARBAGE:
		return "the card gave answers that make no sense";
	case CARD_ERR_BAD_DATA:
		return "the biodata file is malformed";
	case CARD_ERR_IO:
		return "the card stopped answering";
	case CARD_ERR_SECURE:
		return "the secure channel failed";
	case CARD_ERR_NO_BIODATA:
		return "the card has no biodata file (EF 6FF1)";
	}
	return "unknown card status";
}

struct session {
	const struct card_transport *t;
	struct secure_channel *sc;
	int apdus;
};

/* One protected exchange; returns the response length (>= 2, SW last) or a CARD_ERR_*. */
static int exchange(struct session *s, const uint8_t *apdu, size_t len, uint8_t *resp, size_t cap)
{
	uint8_t wrapped[300], raw[300], plain[300];
	if (++s->apdus > MAX_APDUS)
		return CARD_ERR_GARBAGE;
	int n = s->sc->ops->wrap(s->sc->state, apdu, len, wrapped, sizeof(wrapped));
	if (n < 0)
		return CARD_ERR_SECURE;
	int r = s->t->transceive(s->t->ctx, wrapped, (size_t)n, raw, sizeof(raw));
	if (r < 0)
		return CARD_ERR_IO;
	if (r < 2)
		return CARD_ERR_GARBAGE;
	r = s->sc->ops->unwrap(s->sc->state, raw, (size_t)r, plain, sizeof(plain));
	if (r < 0)
		return CARD_ERR_SECURE;
	/* Shorter than a status word, or longer than anything we asked for. */
	if (r < 2 || (size_t)r > cap)
		return CARD_ERR_GARBAGE;
	memcpy(resp, plain, (size_t)r);
	memset(plain, 0, sizeof(plain));
	return r;
}

static unsigned sw(const uint8_t *resp, int n)
{
	return (unsigned)resp[n - 2] << 8 | resp[n - 1];
}

static int select_file(struct session *s, uint8_t p1, uint16_t fid, bool app)
{
	const uint8_t apdu[] = { 0x00, 0xA4, p1, 0x0C, 0x02, (uint8_t)(fid >> 8), (uint8_t)fid };
	uint8_t resp[RESP_MAX];
	int n = exchange(s, apdu, sizeof(apdu), resp, sizeof(resp));
	if (n < 0)
		return n;
	unsigned w = sw(resp, n);
	if (w == 0x9000 && n == 2)
		return CARD_OK;
	/* A KTP-el selects its application. Any other well-formed status (SW1 6x or 9x, no
	 * data) is another card kind answering in its own way: a bank card's 6986, a phone's
	 * 6F00, "not found", "not supported". Telling the citizen to try again would be
	 * telling them to try forever. */
	bool well_formed = n == 2 && ((w >> 12) == 0x6 || (w >> 12) == 0x9);
	if (app && well_formed)
		return CARD_ERR_FOREIGN;
	if (!app && w == 0x6A82)
		return CARD_ERR_NO_BIODATA;
	return CARD_ERR_GARBAGE;
}

/*
 * READ BINARY of want bytes at off into buf; returns the number of bytes obtained (> 0)
 * or an error. Follows 6Cxx (wrong Le: repeat with the card's length) and 61xx (more in
 * GET RESPONSE), the two ways a card splits or corrects an answer.
 */
static int read_binary(struct session *s, size_t off, size_t want, uint8_t *buf)
{
	uint8_t resp[RESP_MAX];
	uint8_t apdu[5] = { 0x00, 0xB0, (uint8_t)(off >> 8), (uint8_t)off, (uint8_t)want };
	size_t got = 0;
	for (;;) {
		int n = exchange(s, apdu, sizeof(apdu), resp, sizeof(resp));
		if (n < 0)
			return n;
		unsigned w = sw(resp, n);
		size_t data = (size_t)n - 2;
		if (data > want - got)
			return CARD_ERR_GARBAGE; /* more than asked for */
		memcpy(buf + got, resp, data);
		got += data;
		if (w == 0x9000)
			return got > 0 ? (int)got : CARD_ERR_GARBAGE;
		if ((w & 0xFF00) == 0x6100 && got < want) {
			size_t more = (w & 0xFF) ? (w & 0xFF) : 256;
			if (more > want - got)
				more = want - got;
			const uint8_t gr[5] = { 0x00, 0xC0, 0x00, 0x00, (uint8_t)more };
			memcpy(apdu, gr, sizeof(gr));
			continue;
		}
		if ((w & 0xFF00) == 0x6C00 && data == 0 && (w & 0xFF) != 0 && (w & 0xFF) < want) {
			apdu[4] = (uint8_t)(w & 0xFF);
			want = w & 0xFF;
			continue;
		}
		/* 6282: end of file before Le bytes; what came is all there is. */
		if (w == 0x6282 && got > 0)
			return (int)got;
		/* Offset past the end before the template ends: its header lied about its length.
		 */
		if (w == 0x6B00 || w == 0x6282)
			return CARD_ERR_BAD_DATA;
		return CARD_ERR_GARBAGE;
	}
}

/*
 * The first READ BINARY asks for a whole chunk: a biodata file usually fits, so one APDU
 * fetches it (a card returns fewer bytes, or 6282, when the file is shorter). Only a
 * template longer than that needs more reads, at the offsets its header announces.
 */
static int read_biodata(struct session *s, uint8_t *buf, size_t *len, int *detail)
{
	size_t have = 0, total;
	int n = read_binary(s, 0, CARD_READ_CHUNK, buf);
	if (n < 0)
		return n;
	have = (size_t)n;
	int rc = card_biodata_total_len(buf, have, &total);
	if (rc != BIODATA_OK) {
		*detail = rc;
		return CARD_ERR_BAD_DATA;
	}
	while (have < total) {
		size_t want = total - have;
		if (want > CARD_READ_CHUNK)
			want = CARD_READ_CHUNK;
		n = read_binary(s, have, want, buf + have);
		if (n < 0)
			return n;
		have += (size_t)n;
	}
	*len = total; /* bytes after the template are file padding */
	return CARD_OK;
}

int card_profile_read_identity(const struct card_transport *t, struct secure_channel *sc,
			       struct card_identity *out, int *detail)
{
	struct session s = { .t = t, .sc = sc };
	uint8_t buf[CARD_BIODATA_MAX + CARD_READ_CHUNK];
	size_t len = 0;
	int dummy;
	if (!detail)
		detail = &dummy;
	*detail = BIODATA_OK;
	memset(out, 0, sizeof(*out));

	int rc = select_file(&s, 0x00, CARD_DF_ADM, true);
	if (rc != CARD_OK)
		return rc;
	if (sc->ops->open(sc->state, t) < 0) {
		rc = CARD_ERR_SECURE;
		goto out;
	}
	rc = select_file(&s, 0x02, CARD_EF_BIODATA, false);
	if (rc != CARD_OK)
		goto out;
	rc = read_biodata(&s, buf, &len, detail);
	if (rc != CARD_OK)
		goto out;
	*detail = card_biodata_parse(buf, len, out);
	rc = *detail == BIODATA_OK ? CARD_OK : CARD_ERR_BAD_DATA;
out:
	sc->ops->close(sc->state);
	memset(buf, 0, sizeof(buf));
	return rc;
}
