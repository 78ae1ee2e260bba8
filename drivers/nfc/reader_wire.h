/*
 * The messages adm-readerd sends its supervisor over their socketpair (SOCK_SEQPACKET: one
 * message per record). Both ends come from the same build, so the record is a fixed C
 * struct; the supervisor still checks every field, because the child is the process that
 * parses what cards and chips send, and may have been subverted by them.
 */
#ifndef ADM_READER_WIRE_H
#define ADM_READER_WIRE_H

#include "reader.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define READER_WIRE_MAGIC      0x41444d52u /* "ADMR" */
#define READER_WIRE_DETAIL     160
#define READER_WIRE_BUDGET_MAX 60000

enum reader_wire_kind {
	READER_WIRE_EVENT = 1, /* a reader_event */
	READER_WIRE_STEP = 2,  /* the worker starts a step that should end within budget_ms */
};

struct reader_wire {
	uint32_t magic, kind;
	int32_t budget_ms, type, failure;
	int64_t at_ms;
	struct reader_card card;
	struct card_identity identity; /* READER_WIRE_EVENT of type IDENTITY only */
	char detail[READER_WIRE_DETAIL];
};

void reader_wire_event(struct reader_wire *w, const struct reader_event *ev);
void reader_wire_step(struct reader_wire *w, int budget_ms);
/* Checks a record of len bytes as received; false if it is not a well-formed message.
 * For an event, fills ev (its detail points into w, NULL when empty). */
bool reader_wire_check(struct reader_wire *w, size_t len, struct reader_event *ev);

#endif
