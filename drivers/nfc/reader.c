/*
 * Backend choice and the names of events: the only code shared by every reader backend.
 * A reader handle begins with a pointer to its backend, so reader_destroy finds it.
 */
#include "reader_private.h"

#include "log.h"

#include <stddef.h>
#include <string.h>

static const struct reader_backend *const backends[] = {
	&reader_libnfc_backend,
};

struct reader *reader_create(const struct reader_config *cfg)
{
	if (!cfg || !cfg->connstring || !cfg->on_event) {
		log_error("reader_create: a connection string and an event callback are needed");
		return NULL;
	}
	if (cfg->helper)
		return reader_proc_backend.create(cfg);
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (backends[i]->accepts(cfg->connstring))
			return backends[i]->create(cfg);
	log_error("no reader backend for \"%s\"", cfg->connstring);
	return NULL;
}

void reader_destroy(struct reader *r)
{
	if (r)
		r->backend->destroy(r);
}

void reader_get_stats(struct reader *r, struct reader_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (r && r->backend->stats)
		r->backend->stats(r, out);
}

const char *reader_event_name(enum reader_event_type type)
{
	switch (type) {
	case READER_EV_READY:
		return "ready";
	case READER_EV_CARD_PRESENT:
		return "card-present";
	case READER_EV_IDENTITY:
		return "identity";
	case READER_EV_CARD_FAILED:
		return "card-failed";
	case READER_EV_CARD_REMOVED:
		return "card-removed";
	case READER_EV_READER_LOST:
		return "reader-lost";
	case READER_EV_READER_BACK:
		return "reader-back";
	}
	return "?";
}

const char *reader_failure_name(enum reader_failure failure)
{
	switch (failure) {
	case READER_FAIL_NONE:
		return "none";
	case READER_FAIL_FOREIGN:
		return "foreign";
	case READER_FAIL_UNREADABLE:
		return "unreadable";
	case READER_FAIL_REMOVED:
		return "removed";
	case READER_FAIL_MULTIPLE:
		return "multiple";
	case READER_FAIL_READER:
		return "reader";
	}
	return "?";
}
