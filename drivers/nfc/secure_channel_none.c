/*
 * The `none` secure channel: no authentication, APDUs pass through unchanged. It exists so
 * that the test profile runs through the same hooks a production SAM module will fill.
 */
#include "secure_channel.h"

#include <string.h>

static int none_open(void *state, const struct card_transport *t)
{
	(void)state;
	(void)t;
	return 0;
}

static int copy(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	if (len > cap)
		return -1;
	memcpy(out, in, len);
	return (int)len;
}

static int none_wrap(void *state, const uint8_t *apdu, size_t len, uint8_t *out, size_t cap)
{
	(void)state;
	return copy(apdu, len, out, cap);
}

static int none_unwrap(void *state, const uint8_t *resp, size_t len, uint8_t *out, size_t cap)
{
	(void)state;
	return copy(resp, len, out, cap);
}

static void none_close(void *state)
{
	(void)state;
}

const struct secure_channel_ops secure_channel_none_ops = {
	.name = "none",
	.open = none_open,
	.wrap = none_wrap,
	.unwrap = none_unwrap,
	.close = none_close,
};
