/*
 * The KTP-el card profile: which application and file hold the identity, and the APDUs
 * that fetch it. Separate from the transport (any reader backend provides a
 * card_transport) and from the secure channel (an explicit hook; the test profile uses
 * `none`). Application DF 7F0A and biodata EF 6FF1 are the publicly described identifiers;
 * the content encoding is this project's TEST profile (docs/card-profile.md).
 */
#ifndef ADM_CARD_PROFILE_H
#define ADM_CARD_PROFILE_H

#include "card_biodata.h"
#include "secure_channel.h"

#define CARD_DF_ADM	0x7F0A
#define CARD_EF_BIODATA 0x6FF1
/* Largest READ BINARY asked at once: keeps every answer under the PN532's 264-byte cap. */
#define CARD_READ_CHUNK 0xE0

enum card_profile_status {
	CARD_OK = 0,
	CARD_ERR_FOREIGN = -1,	  /* no KTP-el application on this card */
	CARD_ERR_GARBAGE = -2,	  /* answers that are no APDU responses, or unexpected ones */
	CARD_ERR_BAD_DATA = -3,	  /* the biodata file is malformed (see card_biodata_parse) */
	CARD_ERR_IO = -4,	  /* the transport failed: card lifted, RF error */
	CARD_ERR_SECURE = -5,	  /* the secure channel refused or failed */
	CARD_ERR_NO_BIODATA = -6, /* the application is there, its biodata file EF 6FF1 not */
};

const char *card_profile_strerror(int status);

/*
 * Selects the application, opens the secure channel, reads the biodata file (several
 * READ BINARY, following 61xx / 6Cxx) and parses it. On CARD_ERR_BAD_DATA *detail (if not
 * NULL) holds the card_biodata status. Closes the secure channel in every case.
 */
int card_profile_read_identity(const struct card_transport *t, struct secure_channel *sc,
			       struct card_identity *out, int *detail);

#endif
