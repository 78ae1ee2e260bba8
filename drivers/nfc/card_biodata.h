/*
 * The identity carried by a KTP-el, and the encoding of the biodata file (EF 6FF1) in this
 * project's TEST profile: a BER-TLV template defined in docs/card-profile.md. The encoding
 * is ours, not the civil registry's. The parser takes untrusted bytes from a card and is
 * strict: every length is checked against what is left, every field against its syntax,
 * and the fields against each other (birth date, sex and region must agree with the NIK).
 * Pure functions, no I/O; the parser has a libFuzzer target (tests/nfc/fuzz_card.c).
 */
#ifndef ADM_CARD_BIODATA_H
#define ADM_CARD_BIODATA_H

#include <stddef.h>
#include <stdint.h>

#define CARD_NIK_LEN	 16
#define CARD_NAME_MAX	 64
#define CARD_PLACE_MAX	 40
#define CARD_ADDRESS_MAX 100
#define CARD_SERIAL_MAX	 20
#define CARD_BIODATA_MAX 512 /* largest EF 6FF1 the test profile accepts */

struct card_identity {
	char nik[CARD_NIK_LEN + 1];
	char kk[CARD_NIK_LEN + 1];
	char name[CARD_NAME_MAX + 1];
	char birth_place[CARD_PLACE_MAX + 1];
	char birth_date[11]; /* YYYY-MM-DD */
	char sex;	     /* 'L' laki-laki or 'P' perempuan, as printed on the card */
	char region[7];	     /* PPKKCC: province, regency/city, district */
	char address[CARD_ADDRESS_MAX + 1];
	char serial[CARD_SERIAL_MAX + 1];
};

enum card_biodata_status {
	BIODATA_OK = 0,
	BIODATA_TRUNCATED = -1,	   /* a length runs past the end of the data */
	BIODATA_BAD_TEMPLATE = -2, /* not a 70 template, or bytes after it */
	BIODATA_BAD_FIELD = -3,	   /* a field with the wrong size or characters */
	BIODATA_MISSING = -4,	   /* a mandatory field is absent */
	BIODATA_DUPLICATE = -5,	   /* a field appears twice */
	BIODATA_INCONSISTENT = -6, /* fields disagree with the NIK */
	BIODATA_VERSION = -7,	   /* a profile version this code does not know */
};

const char *card_biodata_strerror(int status);

/*
 * Reads the template header at the start of data: on success stores in *total the size of
 * the whole template (header included) and returns BIODATA_OK. Needs at most 4 bytes; with
 * fewer it returns BIODATA_TRUNCATED. Lets the reader know how much to READ BINARY.
 */
int card_biodata_total_len(const uint8_t *data, size_t len, size_t *total);

/* Parses a whole template; out is zeroed first and holds only checked fields on success. */
int card_biodata_parse(const uint8_t *data, size_t len, struct card_identity *out);

/* Encodes id in the test profile; returns the length, or -1 if it does not fit in cap. */
int card_biodata_encode(const struct card_identity *id, uint8_t *out, size_t cap);

#endif
