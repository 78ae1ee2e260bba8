/*
 * libFuzzer target for the virtual PN532's frame parser and command set: whatever a host
 * writes to the pty, the simulator must neither crash nor write out of bounds. The first
 * byte picks which cards lie in the field; the rest is fed as host bytes in two pieces so
 * that frames split across reads are exercised too. Pending answers are forced out with
 * the timer, as the event loop would.
 */
#include "pn532.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t sent;

static void sink(void *ctx, const uint8_t *buf, size_t len, int64_t at_us)
{
	(void)ctx;
	(void)at_us;
	if (len < 6 || buf[0] != 0x00 || buf[1] != 0x00 || buf[2] != 0xFF)
		__builtin_trap(); /* every answer is a well-formed frame */
	sent += len;
}

static void flush(void *ctx)
{
	(void)ctx;
}

static void make_card(struct vcard *c, bool type_b, uint8_t sak)
{
	memset(c, 0, sizeof(*c));
	c->kind = VC_KTP;
	c->type_b = type_b;
	c->uid_len = type_b ? 4 : 7;
	memcpy(c->uid, "\x04\x11\x22\x33\x44\x55\x66", 7);
	c->sak = sak;
	static const uint8_t file[] = { 0x70, 0x03, 0x80, 0x01, 0x01 };
	memcpy(c->file, file, sizeof(file));
	c->file_len = sizeof(file);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct vcard cards[3];
	make_card(&cards[0], false, 0x20);
	make_card(&cards[1], true, 0);
	make_card(&cards[2], false, 0x08);
	cards[1].kind = (data[0] & 0x10) ? VC_SLOW : VC_KTP;
	cards[0].kind = (data[0] & 0x20) ? VC_TEARING : VC_KTP;
	struct vcard *field[2] = { &cards[data[0] & 1 ? 1 : 0], &cards[2] };
	const struct pn532_io io = { .send = sink, .flush = flush };
	const struct pn532_options opt = { .timing = data[0] & 0x40,
					   .poll_scale = 0.01,
					   .mi_chunk = (size_t)16 + (data[0] & 0x0F) * 8 };
	struct pn532 *chip = pn532_create(&io, &opt);
	if (!chip)
		return 0;
	pn532_set_field(chip, field, (data[0] >> 1) & 3, 0);
	size_t half = (size - 1) / 2;
	pn532_input(chip, data + 1, half, 1000);
	pn532_timer(chip, 10 * 1000 * 1000);
	pn532_input(chip, data + 1 + half, size - 1 - half, 20 * 1000 * 1000);
	pn532_set_field(chip, NULL, 0, 30 * 1000 * 1000);
	pn532_timer(chip, 60 * 1000 * 1000);
	pn532_destroy(chip);
	return 0;
}
