/*
 * Virtual cards of the simulated PN532: citizens' KTP-el in the test profile (loaded from a
 * card file, docs/synthetic-data.md) and the hostile cards every kiosk meets sooner or
 * later. A card answers APDUs like an ISO 14443-4 application; what the radio layer does
 * (selection, halting, presence) lives in pn532.c.
 */
#ifndef VPN532_VCARD_H
#define VPN532_VCARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "card_biodata.h"

enum vcard_kind {
	VC_KTP,	    /* a citizen's card in the test profile */
	VC_MIFARE,  /* MIFARE Classic 1K: type A, SAK 08, no ISO 14443-4 at all */
	VC_GARBAGE, /* ISO 14443-4, answers every APDU with bytes that are no response */
	VC_LIAR,    /* a KTP-el whose biodata TLV claims more than it holds */
	VC_TEARING, /* a KTP-el that leaves the field in the middle of the biodata read */
	VC_SLOW,    /* a KTP-el that takes its time (delay_ms) over every APDU */
	VC_P2P,	    /* a phone in peer-to-peer mode: type A, SAK 40, no ISO 14443-4 */
	VC_SAK00,   /* a type A card with SAK 00 and ATQA 0004 (neither MIFARE nor -4) */
	VC_STATUS,  /* ISO 14443-4, answers every SELECT with its own status word (sw) */
	VC_NO_EF,   /* a KTP-el application without its biodata file EF 6FF1 */
};

struct vcard {
	char key[24]; /* NIK, or the hostile card's name */
	char name[CARD_NAME_MAX + 1];
	enum vcard_kind kind;
	bool type_b;
	uint8_t uid[7]; /* type A UID, or type B PUPI in the first 4 bytes */
	size_t uid_len;
	uint8_t sak;
	unsigned sw; /* VC_STATUS: the answer to every SELECT (a bank card's 6986, ...) */
	uint8_t file[CARD_BIODATA_MAX];
	size_t file_len;
	unsigned delay_ms; /* VC_SLOW: its processing time per APDU */
	/* Application state; reset by vcard_activate. */
	bool df_selected, ef_selected;
	int apdus;
};

enum vcard_answer {
	VC_ANSWERED, /* resp holds the answer */
	VC_SILENT,   /* the card left the field (tearing): no answer comes */
};

/* Called when the reader activates the card (select, RATS/ATTRIB). */
void vcard_activate(struct vcard *c);
/* One APDU; *delay_ms is the card's own processing time (the slow card). */
enum vcard_answer vcard_apdu(struct vcard *c, const uint8_t *apdu, size_t len, uint8_t *resp,
			     size_t cap, size_t *resp_len, unsigned *delay_ms);
bool vcard_is_iso14443_4(const struct vcard *c);

struct vcard_deck {
	struct vcard *cards;
	int n;
};

/* Loads the citizens of a card file and appends the hostile cards; false with a reason. */
bool vcard_deck_load(struct vcard_deck *deck, const char *path, char *err, size_t errlen);
void vcard_deck_free(struct vcard_deck *deck);
/* By NIK, by name (case-insensitive) or hostile name ("mifare", "garbage", ...). */
struct vcard *vcard_deck_find(struct vcard_deck *deck, const char *key);

#endif
