/*
 * The secure channel between the kiosk and a card application. A production KTP-el needs
 * mutual authentication and secure messaging keyed by the civil registry's SAM; that
 * protocol is not public, so this project ships only `none`, which passes APDUs through
 * unchanged and is what the documented TEST profile uses (docs/card-profile.md says what a
 * production module must provide). The card profile calls these hooks; the transport
 * underneath knows nothing about them.
 */
#ifndef ADM_SECURE_CHANNEL_H
#define ADM_SECURE_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

/* Sends one command APDU, fills resp (data + SW1 SW2); returns its length or < 0 on a
 * transport failure (card gone, RF error). Implemented by the reader backend. */
struct card_transport {
	int (*transceive)(void *ctx, const uint8_t *apdu, size_t len, uint8_t *resp, size_t cap);
	void *ctx;
};

struct secure_channel_ops {
	const char *name;
	/* After the application is selected: authenticate and derive session keys. 0 or < 0. */
	int (*open)(void *state, const struct card_transport *t);
	/* Protects a plain command APDU into out; returns the new length or < 0. */
	int (*wrap)(void *state, const uint8_t *apdu, size_t len, uint8_t *out, size_t cap);
	/* Checks and strips the protection of a response (data + SW); new length or < 0. */
	int (*unwrap)(void *state, const uint8_t *resp, size_t len, uint8_t *out, size_t cap);
	/* Forgets session keys; called once per card, also after failures. */
	void (*close)(void *state);
};

struct secure_channel {
	const struct secure_channel_ops *ops;
	void *state;
};

/* Pass-through, no authentication: only for the test profile's virtual cards. */
extern const struct secure_channel_ops secure_channel_none_ops;

#endif
