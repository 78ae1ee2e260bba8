/*
 * Simulated PN532 behind libnfc's pn532_uart driver. The parser skips wake-up junk
 * (55 55 00..) and syncs on 00 FF; a host ACK aborts the command in progress. Commands that
 * wait for a card (InAutoPoll, InListPassiveTarget with infinite retries) and slow cards
 * leave a "pending" answer that pn532_set_field or pn532_timer completes. Answers that
 * exceed mi_chunk go out in pieces with the MI status bit, the way libnfc reassembles them.
 */
#include "pn532.h"

#include <stdlib.h>
#include <string.h>

#define RX_MAX	     1024
#define ANSWER_MAX   300
#define BYTE_US	     87 /* one byte at 115200 baud, 8N1 */
#define CHIP_US	     1000
#define POLL_UNIT_MS 150

enum pending {
	P_NONE,
	P_AUTOPOLL, /* InAutoPoll with an empty field: answer on a card or at the deadline */
	P_LIST,	    /* InListPassiveTarget with infinite retries: answer only on a card */
	P_ANSWER,   /* a slow card: answer ready, due at the deadline */
};

struct slot {
	struct vcard *card;
	bool active; /* selected as target 1 (or 2 after a double InAutoPoll) */
	bool halted; /* InDeselect sent HLTA: only a field reset wakes it */
};

struct pn532 {
	struct pn532_io io;
	struct pn532_options opt;
	uint8_t rx[RX_MAX];
	size_t rx_len;
	uint8_t regs[256]; /* CIU registers 0x63xx; the rest of the address space reads 0 */
	uint8_t params;	   /* SetParameters: bit 0x10 = automatic RATS */
	uint8_t mx_rty;	   /* MxRtyPassiveActivation: 0xFF = wait forever for a card */
	struct slot field[PN532_FIELD_MAX];
	int nfield;

	enum pending pend;
	uint8_t pend_cmd;
	uint8_t pend_types[16];
	size_t pend_ntypes;
	uint8_t pend_brty;
	uint8_t pend_init[12]; /* InListPassiveTarget's initiator data: the UID to select */
	size_t pend_init_len;
	int64_t pend_deadline; /* -1: none */
	uint8_t pend_answer[ANSWER_MAX];
	size_t pend_answer_len;

	uint8_t mi_rest[ANSWER_MAX];
	size_t mi_rest_len;
	int64_t last_out_us; /* answers never overtake each other */
	struct pn532_stats stats;
	enum pn532_fault fault;
	int fault_count;
};

/* Whether the armed fault is this one; uses up one of its shots. */
static bool take_fault(struct pn532 *c, enum pn532_fault f)
{
	if (c->fault != f || c->fault_count <= 0)
		return false;
	if (--c->fault_count == 0)
		c->fault = PN532_FAULT_NONE;
	c->stats.faults++;
	return true;
}

static int64_t line_us(const struct pn532 *c, size_t bytes)
{
	return c->opt.timing ? (int64_t)bytes * BYTE_US : 0;
}

static void emit(struct pn532 *c, const uint8_t *buf, size_t len, int64_t at)
{
	if (at < c->last_out_us)
		at = c->last_out_us;
	c->last_out_us = at;
	c->io.send(c->io.ctx, buf, len, at);
}

static void ack(struct pn532 *c, int64_t now, size_t cmd_frame_len)
{
	static const uint8_t frame[] = { 0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00 };
	emit(c, frame, sizeof(frame), now + line_us(c, cmd_frame_len + sizeof(frame)));
}

/* Sends D5 (cmd+1) data as a normal or extended information frame. */
static void answer_at(struct pn532 *c, uint8_t cmd, const uint8_t *data, size_t n, int64_t at)
{
	uint8_t f[ANSWER_MAX + 16];
	size_t len = n + 2, p = 0;
	if (n > ANSWER_MAX)
		return;
	f[p++] = 0x00;
	f[p++] = 0x00;
	f[p++] = 0xFF;
	if (len <= 0xFF - 1) {
		f[p++] = (uint8_t)len;
		f[p++] = (uint8_t)(0x100 - len);
	} else {
		f[p++] = 0xFF;
		f[p++] = 0xFF;
		f[p++] = (uint8_t)(len >> 8);
		f[p++] = (uint8_t)len;
		f[p++] = (uint8_t)(0x100 - (((len >> 8) + len) & 0xFF));
	}
	uint8_t sum = 0xD5 + (uint8_t)(cmd + 1);
	f[p++] = 0xD5;
	f[p++] = (uint8_t)(cmd + 1);
	for (size_t i = 0; i < n; i++) {
		f[p++] = data[i];
		sum = (uint8_t)(sum + data[i]);
	}
	f[p++] = (uint8_t)(0x100 - sum);
	f[p++] = 0x00;
	emit(c, f, p, at + (c->opt.timing ? CHIP_US : 0) + line_us(c, p));
}

static void answer(struct pn532 *c, uint8_t cmd, const uint8_t *data, size_t n, int64_t now)
{
	answer_at(c, cmd, data, n, now);
}

static void error_frame(struct pn532 *c, int64_t now)
{
	static const uint8_t frame[] = { 0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00 };
	emit(c, frame, sizeof(frame), now + line_us(c, sizeof(frame)));
}

static int active_slot(const struct pn532 *c, int tg)
{
	int seen = 0;
	for (int i = 0; i < c->nfield; i++)
		if (c->field[i].active && ++seen == tg)
			return i;
	return -1;
}

/* Activating a target switches the CIU's framing, as the chip does after its anticollision:
 * libnfc's presence checks rely on it (pitfall 6). */
static void activate(struct pn532 *c, struct slot *s)
{
	s->active = true;
	s->halted = false;
	c->regs[0x02] = c->regs[0x03] = s->card->type_b ? 0x83 : 0x80;
	vcard_activate(s->card);
}

static void deactivate_all(struct pn532 *c)
{
	for (int i = 0; i < c->nfield; i++)
		c->field[i].active = false;
}

static bool matches(const struct vcard *card, uint8_t brty)
{
	if (brty == 0x03)
		return card->type_b;
	if (brty == 0x00)
		return !card->type_b;
	return false; /* FeliCa, Jewel: no such card here */
}

/* Target data as InListPassiveTarget and InAutoPoll give it, starting with Tg. */
static size_t target_data(struct pn532 *c, int tg, struct vcard *card, uint8_t *out)
{
	size_t n = 0;
	out[n++] = (uint8_t)tg;
	if (card->type_b) {
		static const uint8_t tail[] = { 0x00, 0x00, 0x00, 0x00, 0x81, 0x81, 0x00 };
		out[n++] = 0x50;
		memcpy(out + n, card->uid, 4);
		n += 4;
		memcpy(out + n, tail, sizeof(tail)); /* application data, protocol info */
		n += sizeof(tail);
		out[n++] = 0x01; /* ATTRIB_RES length */
		out[n++] = 0x00;
		return n;
	}
	out[n++] = 0x00;
	out[n++] = card->uid_len == 7 ? 0x44 : 0x04; /* ATQA: UID size bits */
	out[n++] = card->sak;
	out[n++] = (uint8_t)card->uid_len;
	memcpy(out + n, card->uid, card->uid_len);
	n += card->uid_len;
	if ((card->sak & 0x20) && (c->params & 0x10)) {
		static const uint8_t ats[] = { 0x06, 0x75, 0x77, 0x81, 0x02, 0x80 };
		memcpy(out + n, ats, sizeof(ats));
		n += sizeof(ats);
	}
	return n;
}

/* Type A initiator data is the UID to select, with a cascade tag (88) before each level
 * but the last (ISO 14443-3): 4 bytes, 88+7, or 88+3+88+7. None selects any card. */
static bool uid_matches(const struct vcard *card, const uint8_t *init, size_t n)
{
	uint8_t uid[10];
	size_t len = 0;
	if (n == 0 || card->type_b)
		return true;
	for (size_t i = 0; i < n && len < sizeof(uid); i++) {
		if (init[i] == 0x88 && (n - i) % 4 == 0 && n - i > 4)
			continue;
		uid[len++] = init[i];
	}
	return len == card->uid_len && memcmp(uid, card->uid, len) == 0;
}

static bool try_list(struct pn532 *c, uint8_t brty, int64_t now)
{
	for (int i = 0; i < c->nfield; i++) {
		struct slot *s = &c->field[i];
		if (s->halted || !matches(s->card, brty) ||
		    !uid_matches(s->card, c->pend_init, c->pend_init_len))
			continue;
		uint8_t out[64];
		deactivate_all(c);
		activate(c, s);
		out[0] = 1;
		size_t n = 1 + target_data(c, 1, s->card, out + 1);
		c->stats.polls++;
		answer(c, 0x4A, out, n, now);
		return true;
	}
	return false;
}

/* InAutoPoll type codes: 0x10 generic 106A, 0x20 ISO 14443-4A, 0x03 ISO 14443-4B. */
static int autopoll_type(const struct vcard *card, const uint8_t *types, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (card->type_b && types[i] == 0x03)
			return 0x03;
		if (!card->type_b && types[i] == 0x20 && (card->sak & 0x20))
			return 0x20;
		if (!card->type_b && types[i] == 0x10)
			return 0x10;
	}
	return -1;
}

static bool try_autopoll(struct pn532 *c, int64_t now)
{
	uint8_t out[160];
	size_t n = 1;
	int found = 0;
	deactivate_all(c);
	for (int i = 0; i < c->nfield && found < 2; i++) {
		struct slot *s = &c->field[i];
		int type = autopoll_type(s->card, c->pend_types, c->pend_ntypes);
		if (type < 0)
			continue;
		activate(c, s); /* InAutoPoll wakes halted cards too (WUPA/WUPB) */
		found++;
		out[n++] = (uint8_t)type;
		size_t len = target_data(c, found, s->card, out + n + 1);
		out[n++] = (uint8_t)len;
		n += len;
	}
	if (!found)
		return false;
	out[0] = (uint8_t)found;
	c->stats.polls++;
	answer(c, 0x60, out, n, now);
	return true;
}

static void data_exchange(struct pn532 *c, const uint8_t *d, size_t n, int64_t now)
{
	uint8_t out[ANSWER_MAX];
	if (n == 1 && c->mi_rest_len) { /* the host asks for the rest of a chained answer */
		size_t chunk = c->mi_rest_len > c->opt.mi_chunk ? c->opt.mi_chunk : c->mi_rest_len;
		out[0] = chunk < c->mi_rest_len ? 0x40 : 0x00;
		memcpy(out + 1, c->mi_rest, chunk);
		memmove(c->mi_rest, c->mi_rest + chunk, c->mi_rest_len - chunk);
		c->mi_rest_len -= chunk;
		c->stats.mi_chunks++;
		answer(c, 0x40, out, chunk + 1, now);
		return;
	}
	c->mi_rest_len = 0;
	int i = n >= 1 ? active_slot(c, d[0]) : -1;
	if (i < 0 || !vcard_is_iso14443_4(c->field[i].card)) {
		out[0] = 0x01; /* timeout: nobody answered */
		answer(c, 0x40, out, 1, now);
		return;
	}
	c->stats.apdus++;
	size_t rlen = 0;
	unsigned delay_ms = 0;
	uint8_t resp[ANSWER_MAX];
	if (vcard_apdu(c->field[i].card, d + 1, n - 1, resp, sizeof(resp), &rlen, &delay_ms) ==
	    VC_SILENT) {
		/* The card left in the middle of the exchange: it is gone from the field. */
		memmove(&c->field[i], &c->field[i + 1],
			(size_t)(c->nfield - i - 1) * sizeof(c->field[0]));
		c->nfield--;
		out[0] = 0x01;
		answer(c, 0x40, out, 1, now + 5000);
		return;
	}
	size_t chunk = rlen > c->opt.mi_chunk ? c->opt.mi_chunk : rlen;
	out[0] = chunk < rlen ? 0x40 : 0x00;
	if (take_fault(c, PN532_FAULT_NAD))
		out[0] |= 0x80; /* a card emulator's NAD: libnfc 1.8 calls abort() on it */
	memcpy(out + 1, resp, chunk);
	memcpy(c->mi_rest, resp + chunk, rlen - chunk);
	c->mi_rest_len = rlen - chunk;
	if (delay_ms) {
		c->pend = P_ANSWER;
		c->pend_cmd = 0x40;
		memcpy(c->pend_answer, out, chunk + 1);
		c->pend_answer_len = chunk + 1;
		c->pend_deadline = now + (int64_t)delay_ms * 1000;
		return;
	}
	answer(c, 0x40, out, chunk + 1, now);
}

/* Presence checks and raw probes: only an active card of the current framing answers. */
static void communicate_thru(struct pn532 *c, const uint8_t *d, size_t n, int64_t now)
{
	bool framing_b = (c->regs[0x02] & 0x03) == 0x03;
	int i = active_slot(c, 1);
	uint8_t out[4] = { 0x01 };
	size_t len = 1;
	if (i >= 0 && n >= 1 && c->field[i].card->type_b == framing_b &&
	    vcard_is_iso14443_4(c->field[i].card)) {
		if (!framing_b && (d[0] == 0xB2 || d[0] == 0xB3)) {
			out[0] = 0x00;
			out[1] = d[0] ^ 0x11; /* R(NAK) -> R(ACK) */
			len = 2;
		} else if (framing_b && n >= 2 && (d[0] == 0xBA || d[0] == 0xBB)) {
			out[0] = 0x00;
			out[1] = d[0] ^ 0x11;
			out[2] = d[1];
			len = 3;
		}
		c->stats.presence_checks++;
	}
	answer(c, 0x42, out, len, now);
}

static void command(struct pn532 *c, const uint8_t *d, size_t n, size_t frame_len, int64_t now)
{
	uint8_t cmd = d[0], out[128];
	const uint8_t *a = d + 1;
	size_t an = n - 1;
	c->stats.frames++;
	c->pend = P_NONE;
	if (cmd == 0x60 && take_fault(c, PN532_FAULT_POLL_NO_ACK))
		return; /* the chip reset under the frame: nothing ever comes back */
	ack(c, now, frame_len);
	now += line_us(c, frame_len + 6);
	switch (cmd) {
	case 0x00: /* Diagnose: libnfc's communication test wants its data echoed */
		answer(c, cmd, a, an, now);
		return;
	case 0x02: { /* GetFirmwareVersion: PN532 v1.6, ISO A + ISO B supported */
		static const uint8_t fw[] = { 0x32, 0x01, 0x06, 0x07 };
		answer(c, cmd, fw, sizeof(fw), now);
		return;
	}
	case 0x04: { /* GetGeneralStatus */
		static const uint8_t st[] = { 0x00, 0x00, 0x00, 0x00 };
		answer(c, cmd, st, sizeof(st), now);
		return;
	}
	case 0x06: /* ReadRegister */
		if (an / 2 > sizeof(out))
			break;
		for (size_t i = 0; i + 1 < an; i += 2)
			out[i / 2] = a[i] == 0x63 ? c->regs[a[i + 1]] : 0;
		answer(c, cmd, out, an / 2, now);
		return;
	case 0x08: /* WriteRegister */
		for (size_t i = 0; i + 2 < an; i += 3)
			if (a[i] == 0x63)
				c->regs[a[i + 1]] = a[i + 2];
		answer(c, cmd, NULL, 0, now);
		return;
	case 0x12: /* SetParameters */
		if (an >= 1)
			c->params = a[0];
		answer(c, cmd, NULL, 0, now);
		return;
	case 0x14: /* SAMConfiguration */
		answer(c, cmd, NULL, 0, now);
		return;
	case 0x16: /* PowerDown */
		out[0] = 0x00;
		answer(c, cmd, out, 1, now);
		return;
	case 0x32: /* RFConfiguration */
		if (an >= 2 && a[0] == 0x01 && !(a[1] & 0x01)) {
			/* Field off: every card loses power, halted ones wake up next time. */
			for (int i = 0; i < c->nfield; i++)
				c->field[i].active = c->field[i].halted = false;
		}
		if (an >= 4 && a[0] == 0x05)
			c->mx_rty = a[3];
		answer(c, cmd, NULL, 0, now);
		return;
	case 0x4A: /* InListPassiveTarget */
		if (an < 2)
			break;
		c->pend_init_len = an - 2 > sizeof(c->pend_init) ? sizeof(c->pend_init) : an - 2;
		memcpy(c->pend_init, a + 2, c->pend_init_len);
		if (try_list(c, a[1], now))
			return;
		if (c->mx_rty == 0xFF) { /* a real chip stays silent; libnfc times out */
			c->pend = P_LIST;
			c->pend_brty = a[1];
			c->pend_deadline = -1;
			return;
		}
		out[0] = 0x00;
		answer(c, cmd, out, 1, now);
		return;
	case 0x60: { /* InAutoPoll */
		if (an < 3)
			break;
		if (take_fault(c, PN532_FAULT_POLL_TRUNCATED)) {
			/* The header of a target answer, then silence: the rest never comes. */
			static const uint8_t torn[] = { 0x00, 0x00, 0xFF, 0x17, 0xE9, 0xD5, 0x61 };
			emit(c, torn, sizeof(torn), now + line_us(c, sizeof(torn)));
			return;
		}
		c->pend_ntypes = an - 2 > sizeof(c->pend_types) ? sizeof(c->pend_types) : an - 2;
		memcpy(c->pend_types, a + 2, c->pend_ntypes);
		if (try_autopoll(c, now))
			return;
		c->pend = P_AUTOPOLL;
		c->pend_deadline = -1;
		if (a[0] != 0xFF) {
			double ms = (double)a[0] * a[1] * POLL_UNIT_MS * (double)c->pend_ntypes *
				    c->opt.poll_scale;
			c->pend_deadline = now + (int64_t)(ms * 1000);
		}
		return;
	}
	case 0x40: /* InDataExchange */
		data_exchange(c, a, an, now);
		return;
	case 0x42: /* InCommunicateThru */
		communicate_thru(c, a, an, now);
		return;
	case 0x44:   /* InDeselect: the card is sent to HALT */
	case 0x52: { /* InRelease */
		for (int i = 0; i < c->nfield; i++)
			if (c->field[i].active) {
				c->field[i].active = false;
				c->field[i].halted = cmd == 0x44;
			}
		out[0] = 0x00;
		answer(c, cmd, out, 1, now);
		return;
	}
	default:
		break;
	}
	error_frame(c, now);
}

void pn532_input(struct pn532 *c, const uint8_t *buf, size_t len, int64_t now)
{
	if (len > RX_MAX - c->rx_len) /* a flood of junk: drop what was buffered */
		c->rx_len = 0;
	if (len > RX_MAX)
		len = RX_MAX;
	memcpy(c->rx + c->rx_len, buf, len);
	c->rx_len += len;
	for (;;) {
		size_t i = 0;
		while (i + 1 < c->rx_len && !(c->rx[i] == 0x00 && c->rx[i + 1] == 0xFF))
			i++;
		memmove(c->rx, c->rx + i, c->rx_len - i);
		c->rx_len -= i;
		if (c->rx_len < 4)
			return;
		size_t hdr = 4, dlen = c->rx[2];
		if (c->rx[2] == 0x00 && c->rx[3] == 0xFF) { /* host ACK: abort */
			c->stats.aborts++;
			c->pend = P_NONE;
			c->io.flush(c->io.ctx);
			memmove(c->rx, c->rx + 4, c->rx_len - 4);
			c->rx_len -= 4;
			continue;
		}
		if (c->rx[2] == 0xFF && c->rx[3] == 0xFF) { /* extended frame */
			if (c->rx_len < 7)
				return;
			hdr = 7;
			dlen = (size_t)c->rx[4] << 8 | c->rx[5];
			if (((c->rx[4] + c->rx[5] + c->rx[6]) & 0xFF) != 0)
				dlen = 0;
		} else if (((c->rx[2] + c->rx[3]) & 0xFF) != 0) {
			dlen = 0;
		}
		if (dlen < 2 || hdr + dlen + 1 > RX_MAX) { /* bad header: resync past it */
			memmove(c->rx, c->rx + 2, c->rx_len - 2);
			c->rx_len -= 2;
			continue;
		}
		if (c->rx_len < hdr + dlen + 1)
			return;
		uint8_t sum = 0;
		for (size_t k = 0; k <= dlen; k++)
			sum = (uint8_t)(sum + c->rx[hdr + k]);
		if (sum == 0 && c->rx[hdr] == 0xD4)
			command(c, c->rx + hdr + 1, dlen - 1, hdr + dlen + 2, now);
		size_t used = hdr + dlen + 1;
		memmove(c->rx, c->rx + used, c->rx_len - used);
		c->rx_len -= used;
	}
}

int64_t pn532_deadline(const struct pn532 *c)
{
	return c->pend == P_NONE ? -1 : c->pend_deadline;
}

void pn532_timer(struct pn532 *c, int64_t now)
{
	if (c->pend == P_NONE || c->pend_deadline < 0 || now < c->pend_deadline)
		return;
	enum pending p = c->pend;
	c->pend = P_NONE;
	if (p == P_AUTOPOLL) {
		const uint8_t none = 0x00;
		answer(c, 0x60, &none, 1, now);
	} else if (p == P_ANSWER) {
		answer(c, c->pend_cmd, c->pend_answer, c->pend_answer_len, now);
	}
}

void pn532_set_field(struct pn532 *c, struct vcard **cards, int n, int64_t now)
{
	if (n > PN532_FIELD_MAX)
		n = PN532_FIELD_MAX;
	memset(c->field, 0, sizeof(c->field));
	for (int i = 0; i < n; i++)
		c->field[i].card = cards[i];
	c->nfield = n;
	c->mi_rest_len = 0;
	if (c->pend == P_AUTOPOLL && try_autopoll(c, now))
		c->pend = P_NONE;
	else if (c->pend == P_LIST && try_list(c, c->pend_brty, now))
		c->pend = P_NONE;
	else if (c->pend == P_ANSWER && n == 0) {
		/* Lifted while the slow card was thinking: the chip reports a timeout. */
		const uint8_t to = 0x01;
		c->pend = P_NONE;
		answer(c, c->pend_cmd, &to, 1, now);
	}
}

int pn532_field(const struct pn532 *c, struct vcard **cards)
{
	for (int i = 0; i < c->nfield; i++)
		cards[i] = c->field[i].card;
	return c->nfield;
}

struct pn532_stats pn532_get_stats(const struct pn532 *c)
{
	return c->stats;
}

void pn532_set_fault(struct pn532 *c, enum pn532_fault fault, int count)
{
	c->fault = count > 0 ? fault : PN532_FAULT_NONE;
	c->fault_count = c->fault == PN532_FAULT_NONE ? 0 : count;
}

int pn532_fault_parse(const char *name)
{
	static const char *const names[] = {
		[PN532_FAULT_NONE] = "none",
		[PN532_FAULT_POLL_TRUNCATED] = "truncated-poll",
		[PN532_FAULT_POLL_NO_ACK] = "no-ack-poll",
		[PN532_FAULT_NAD] = "nad",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}

void pn532_reset(struct pn532 *c)
{
	c->rx_len = 0;
	memset(c->regs, 0, sizeof(c->regs));
	c->regs[0x02] = 0x80; /* TxMode, RxMode: 106 kbit/s type A, CRC on */
	c->regs[0x03] = 0x80;
	c->params = 0x14;
	c->mx_rty = 0xFF;
	c->pend = P_NONE;
	c->mi_rest_len = 0;
	c->last_out_us = 0;
	for (int i = 0; i < c->nfield; i++)
		c->field[i].active = c->field[i].halted = false;
}

struct pn532 *pn532_create(const struct pn532_io *io, const struct pn532_options *opt)
{
	struct pn532 *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->io = *io;
	c->opt = *opt;
	if (c->opt.mi_chunk < 16 || c->opt.mi_chunk > 250)
		c->opt.mi_chunk = 250;
	pn532_reset(c);
	return c;
}

void pn532_destroy(struct pn532 *c)
{
	free(c);
}
