/*
 * libFuzzer target for adm-central's request parsing (central/request.h): whatever a
 * client sends as URL and method, query arguments, Range header, events or heartbeat
 * body, no crash, no leak, and what is accepted holds only what the handlers rely on.
 * The first byte picks the parser; the rest is its input.
 */
#include "request.h"

#include "sha256.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a C string, and the part after the first separator sep (or NULL). */
static char *split(const uint8_t *data, size_t size, char sep, char **second)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	char *p = memchr(s, sep, size);
	*second = NULL;
	if (p) {
		*p = '\0';
		*second = p + 1;
	}
	return s;
}

static void target(const uint8_t *data, size_t size)
{
	char *url;
	char *method = split(data, size, ' ', &url);
	struct req_target t;
	struct req_error e;
	if (url && req_target_parse(url, method, &t, &e)) {
		if (strlen(t.kiosk) > REQ_ID_MAX || strlen(t.arg) > REQ_ID_MAX + 1)
			abort();
		bool by_hash = req_by_hash(&t);
		if (by_hash ? t.kiosk[0] != '\0' : t.kiosk[0] == '\0')
			abort();
		if (req_arg_check(&t, &e) && by_hash && !sha256_hex_ok(t.arg))
			abort();
	} else if (url && (e.status < 400 || e.status > 499 || !e.code || !e.message)) {
		abort();
	}
	free(method);
}

static void feed_args(const uint8_t *data, size_t size)
{
	/* "since&limit"; an empty side stands for an absent argument half the time */
	char *limit;
	char *since = split(data, size, '&', &limit);
	int64_t s;
	int l;
	struct req_error e;
	if (req_feed_args(since[0] || size % 2 ? since : NULL, limit, &s, &l, &e)) {
		if (s < 0 || l < 1 || l > REQ_LIMIT_MAX)
			abort();
	} else if (e.status != 400) {
		abort();
	}
	free(since);
}

static void range(const uint8_t *data, size_t size)
{
	if (size < 3)
		return;
	size_t total = 1 + ((size_t)data[0] << 16 | (size_t)data[1] << 8 | data[2]);
	char *rest;
	char *header = split(data + 3, size - 3, '\n', &rest);
	size_t first, last;
	bool partial;
	struct req_error e;
	if (req_range_parse(header, total, &first, &last, &partial, &e)) {
		if (first > last || last >= total || (!partial && (first || last != total - 1)))
			abort();
	} else if (e.status != 416) {
		abort();
	}
	free(header);
}

static void events(const uint8_t *data, size_t size)
{
	struct req_events ev;
	struct req_error e;
	if (req_events_parse((const char *)data, size, &ev, &e)) {
		if (ev.n > REQ_EVENTS_MAX)
			abort();
		for (size_t i = 0; i < ev.n; i++) {
			const struct req_event *x = &ev.ev[i];
			if (x->index != i || (x->refused && !x->why))
				abort();
			if (x->refused)
				continue;
			if (!x->id || !req_name_ok(x->id, REQ_ID_MAX) || !x->kind ||
			    !req_name_ok(x->kind, 32) || !x->json ||
			    (x->document && !req_name_ok(x->document, REQ_ID_MAX)))
				abort();
		}
	} else if (e.status != 400) {
		abort();
	}
	req_events_free(&ev);
}

static void heartbeat(const uint8_t *data, size_t size)
{
	struct req_error e;
	char *js = req_heartbeat_parse((const char *)data, size, &e);
	if (js) {
		json_t *o = json_loads(js, 0, NULL);
		if (!json_is_object(o) || size > REQ_HEARTBEAT_MAX)
			abort();
		json_decref(o);
		free(js);
	} else if (e.status != 400) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	switch (data[0] % 5) {
	case 0:
		target(data + 1, size - 1);
		break;
	case 1:
		feed_args(data + 1, size - 1);
		break;
	case 2:
		range(data + 1, size - 1);
		break;
	case 3:
		events(data + 1, size - 1);
		break;
	default:
		heartbeat(data + 1, size - 1);
		break;
	}
	return 0;
}
