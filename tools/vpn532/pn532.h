/*
 * The simulated PN532 chip: frame parser, command set and RF field, as Debian's libnfc 1.8
 * pn532_uart driver uses them (../shared/design/pn532-protocol.md). It does no I/O of its
 * own: bytes come in through pn532_input, answers leave through io->send with the time
 * they are due, and the owner's event loop calls pn532_timer at pn532_deadline. Single
 * threaded: everything runs on the simulator's loop.
 */
#ifndef VPN532_PN532_H
#define VPN532_PN532_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vcard.h"

#define PN532_FIELD_MAX 2

struct pn532_io {
	/* Queue bytes for the host, to be written at at_us (monotonic microseconds). */
	void (*send)(void *ctx, const uint8_t *buf, size_t len, int64_t at_us);
	/* Drop whatever is queued and not yet written (the host aborted the command). */
	void (*flush)(void *ctx);
	void *ctx;
};

struct pn532_options {
	bool timing;	   /* emulate a 115200-baud line and ~1 ms of chip time */
	double poll_scale; /* multiplies InAutoPoll's empty-field wait (150 ms units) */
	size_t mi_chunk;   /* answers longer than this are chained with the MI bit */
};

struct pn532_stats {
	unsigned long frames, polls, apdus, presence_checks, aborts, mi_chunks, faults;
};

/* Misbehaviour on demand, for the reader's error paths. Each fires on the next matching
 * command, count times; then the chip is honest again. */
enum pn532_fault {
	PN532_FAULT_NONE = 0,
	PN532_FAULT_POLL_TRUNCATED, /* InAutoPoll: ACK, then an answer cut after its header */
	PN532_FAULT_POLL_NO_ACK,    /* InAutoPoll: swallowed, no ACK (a chip reset, a cable) */
	PN532_FAULT_NAD,	    /* InDataExchange: status byte with the NAD bit (0x80) */
};

struct pn532;

struct pn532 *pn532_create(const struct pn532_io *io, const struct pn532_options *opt);
void pn532_destroy(struct pn532 *chip);
/* Back to power-on state (a reader plugged in again); the field keeps its cards. */
void pn532_reset(struct pn532 *chip);
void pn532_input(struct pn532 *chip, const uint8_t *buf, size_t len, int64_t now_us);
/* When pn532_timer wants to run next, or -1. */
int64_t pn532_deadline(const struct pn532 *chip);
void pn532_timer(struct pn532 *chip, int64_t now_us);
/* Puts cards on the reader (n = 0 lifts everything); an InAutoPoll waiting answers now. */
void pn532_set_field(struct pn532 *chip, struct vcard **cards, int n, int64_t now_us);
int pn532_field(const struct pn532 *chip, struct vcard **cards);
struct pn532_stats pn532_get_stats(const struct pn532 *chip);
void pn532_set_fault(struct pn532 *chip, enum pn532_fault fault, int count);
/* "truncated-poll", "no-ack-poll", "nad" or "none"; PN532_FAULT_NONE for "none", -1 else. */
int pn532_fault_parse(const char *name);

#endif
