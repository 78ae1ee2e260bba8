/*
 * libFuzzer target for what a card can send us: the test-profile biodata parser on the raw
 * input, then the whole card profile (SELECT, READ BINARY with 61xx/6Cxx handling, parse)
 * against a card whose answers are cut from the same input: each answer is one length
 * byte followed by that many bytes. Seeds in tests/nfc/corpus/.
 */
#include "card_profile.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct replay {
	const uint8_t *p;
	size_t left;
};

static int replay_transceive(void *ctx, const uint8_t *apdu, size_t len, uint8_t *resp, size_t cap)
{
	struct replay *r = ctx;
	(void)apdu;
	(void)len;
	if (r->left == 0)
		return -1; /* the card is gone */
	size_t n = r->p[0];
	r->p++;
	r->left--;
	if (n > r->left)
		n = r->left;
	if (n > cap)
		return -1;
	memcpy(resp, r->p, n);
	r->p += n;
	r->left -= n;
	return (int)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct card_identity id;
	size_t total;
	if (card_biodata_total_len(data, size, &total) == BIODATA_OK && total > CARD_BIODATA_MAX)
		__builtin_trap();
	if (card_biodata_parse(data, size, &id) == BIODATA_OK && strlen(id.nik) != CARD_NIK_LEN)
		__builtin_trap();

	struct replay r = { data, size };
	const struct card_transport t = { .transceive = replay_transceive, .ctx = &r };
	struct secure_channel sc = { .ops = &secure_channel_none_ops };
	int detail;
	if (card_profile_read_identity(&t, &sc, &id, &detail) == CARD_OK &&
	    strlen(id.nik) != CARD_NIK_LEN)
		__builtin_trap();
	return 0;
}
