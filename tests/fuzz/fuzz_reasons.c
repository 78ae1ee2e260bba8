/*
 * libFuzzer target for the IPP state/reasons mapping (drivers/printer/reasons.c): any
 * printer-state, accepting flag, reasons and state message a printer or cupsd sends give
 * one fault that is the worst of the reasons (a stopped or refusing queue, or an offline
 * message, only ever make it worse), its own severity, messages for the citizen, and a
 * technician line that fits its buffer, holding nothing of the printer's but printable ASCII.
 *
 * Input: byte 0 bit 0 the media, bit 1 accepting; byte 1 printer-state (signed); then
 * lines: the queue, the message, then up to 32 reasons (a line "\x01" is a NULL reason).
 */
#include "reasons.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_LINES 34

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *lines[MAX_LINES] = { 0 };
	size_t n = 0;
	struct printer_status st;

	if (size < 2)
		return 0;
	struct printer_observation obs = {
		.media = (data[0] & 1) ? PRINTER_MEDIA_CARD : PRINTER_MEDIA_A4,
		.accepting = (data[0] & 2) != 0,
		.printer_state = (int8_t)data[1],
	};
	/* lines as NUL-terminated copies of their own, so ASan sees every over-read */
	for (size_t at = 2; at <= size && n < MAX_LINES;) {
		const uint8_t *nl = memchr(data + at, '\n', size - at);
		size_t len = nl ? (size_t)(nl - (data + at)) : size - at;
		lines[n] = malloc(len + 1);
		if (!lines[n])
			abort();
		memcpy(lines[n], data + at, len);
		lines[n++][len] = '\0';
		at += len + 1;
	}
	const char *reasons[MAX_LINES];
	size_t nr = 0;
	for (size_t i = 2; i < n; i++)
		reasons[nr++] = strcmp(lines[i], "\x01") == 0 ? NULL : lines[i];
	obs.queue = n > 0 && lines[0][0] ? lines[0] : NULL;
	obs.message = n > 1 ? lines[1] : NULL;
	obs.reasons = reasons;
	obs.n_reasons = nr;

	printer_status_from(&obs, &st);

	enum printer_fault worst = PRINTER_FAULT_NONE;
	for (size_t i = 0; i < nr; i++) {
		enum printer_fault f = printer_reason_fault(reasons[i], obs.media);
		if ((int)f < 0 || f >= PRINTER_FAULT_COUNT)
			abort();
		if (f > worst)
			worst = f;
	}
	if (st.fault < worst || st.fault >= PRINTER_FAULT_COUNT)
		abort(); /* a reason's fault got lost */
	if (worst >= PRINTER_FAULT_OTHER && st.fault != worst)
		abort(); /* an error the reasons name is what the kiosk reports */
	if (worst < PRINTER_FAULT_OTHER && st.fault != worst && st.fault != PRINTER_FAULT_STOPPED &&
	    st.fault != PRINTER_FAULT_OFFLINE)
		abort();
	if (worst < PRINTER_FAULT_OTHER && (obs.printer_state == 5 || !obs.accepting) &&
	    st.fault != PRINTER_FAULT_STOPPED)
		abort(); /* a stopped or refusing queue cannot print */
	if (st.severity != printer_fault_severity(st.fault) ||
	    st.printer_state != obs.printer_state)
		abort();
	if (!st.citizen_id || !st.citizen_en || !st.citizen_id[0] || !st.citizen_en[0])
		abort();
	if (strnlen(st.technician, sizeof(st.technician)) >= sizeof(st.technician))
		abort();
	const char *q = obs.queue ? obs.queue : "?";
	size_t ql = strlen(q);
	if (ql < 64 && (strncmp(st.technician, q, ql) != 0 || st.technician[ql] != ':'))
		abort(); /* the line starts with the queue */
	for (const char *c = st.technician + (ql < strlen(st.technician) ? ql : 0); *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			abort(); /* the printer's words: printable ASCII only */
	if (strcmp(printer_fault_name(st.fault), "?") == 0)
		abort();
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	return 0;
}
