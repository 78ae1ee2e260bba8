/*
 * libFuzzer target for the printer-supply parser (drivers/printer/reasons.c): any bytes
 * from a printer, no crash, and a parsed supply has a printable name and a sane level.
 */
#include "reasons.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct printer_marker m;
	/* the first byte chooses whether a description comes with it */
	const char *desc = size > 0 && (data[0] & 1) ? "Black Toner" : NULL;
	if (printer_supply_parse((const char *)data, size, desc, &m)) {
		if (m.percent < -1 || m.percent > 100 || strlen(m.name) >= sizeof(m.name))
			abort();
		for (const char *c = m.name; *c; c++)
			if (*c < 0x20 || *c > 0x7e)
				abort();
	}
	return 0;
}
