/*
 * Building and checking reader_wire records (reader_wire.h). A check repairs nothing it
 * cannot vouch for: strings are cut at their buffer's end, lengths must fit their arrays,
 * and identity data is kept only on an identity event.
 */
#include "reader_wire.h"

#include <stdio.h>
#include <string.h>

void reader_wire_event(struct reader_wire *w, const struct reader_event *ev)
{
	memset(w, 0, sizeof(*w));
	w->magic = READER_WIRE_MAGIC;
	w->kind = READER_WIRE_EVENT;
	w->type = (int32_t)ev->type;
	w->failure = (int32_t)ev->failure;
	w->at_ms = ev->at_ms;
	w->card = ev->card;
	if (ev->type == READER_EV_IDENTITY)
		w->identity = ev->identity;
	if (ev->detail)
		snprintf(w->detail, sizeof(w->detail), "%s", ev->detail);
}

void reader_wire_step(struct reader_wire *w, int budget_ms)
{
	memset(w, 0, sizeof(*w));
	w->magic = READER_WIRE_MAGIC;
	w->kind = READER_WIRE_STEP;
	w->budget_ms = budget_ms;
}

#define TERMINATE(field) ((field)[sizeof(field) - 1] = '\0')

bool reader_wire_check(struct reader_wire *w, size_t len, struct reader_event *ev)
{
	if (len != sizeof(*w) || w->magic != READER_WIRE_MAGIC)
		return false;
	if (w->kind == READER_WIRE_STEP)
		return w->budget_ms >= 0 && w->budget_ms <= READER_WIRE_BUDGET_MAX;
	if (w->kind != READER_WIRE_EVENT || w->type < READER_EV_READY ||
	    w->type > READER_EV_READER_BACK || w->failure < READER_FAIL_NONE ||
	    w->failure > READER_FAIL_READER)
		return false;
	struct reader_card *c = &w->card;
	if (c->uid_len > sizeof(c->uid) || c->atqb_len > sizeof(c->atqb) ||
	    c->ats_len > sizeof(c->ats))
		return false;
	struct card_identity *id = &w->identity;
	if (w->type != READER_EV_IDENTITY) {
		memset(id, 0, sizeof(*id));
	} else {
		TERMINATE(id->nik);
		TERMINATE(id->kk);
		TERMINATE(id->name);
		TERMINATE(id->birth_place);
		TERMINATE(id->birth_date);
		TERMINATE(id->region);
		TERMINATE(id->address);
		TERMINATE(id->serial);
	}
	TERMINATE(w->detail);
	memset(ev, 0, sizeof(*ev));
	ev->type = (enum reader_event_type)w->type;
	ev->failure = (enum reader_failure)w->failure;
	ev->at_ms = w->at_ms;
	ev->card = *c;
	ev->identity = *id;
	ev->detail = w->detail[0] ? w->detail : NULL;
	return true;
}
