/*
 * The kiosk's health as adm-syncd sends it in the heartbeat (health.h): a citizen's call
 * for staff from the help panel is in it with its time, and absent without one.
 */
#include "check.h"
#include "health.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static json_t *parse(const struct health *h, int64_t updated)
{
	char *js = health_json(h, updated);
	json_t *o = js ? json_loads(js, 0, NULL) : NULL;
	free(js);
	return o;
}

int main(void)
{
	struct health h = { .reader_configured = true, .reader_ok = true };

	json_t *o = parse(&h, 1786934467);
	CHECK(json_is_object(o) && !json_object_get(o, "staff_called"),
	      "no call: no staff_called in the health");
	json_decref(o);

	h.staff_called = 1786934400;
	o = parse(&h, 1786934467);
	const json_t *v = json_object_get(o, "staff_called");
	CHECK(json_is_integer(v) && json_integer_value(v) == 1786934400,
	      "a call: staff_called is its time in unix seconds");
	CHECK(json_integer_value(json_object_get(o, "updated")) == 1786934467 &&
		  json_is_string(json_object_get(o, "reader")),
	      "beside the rest of the health");
	json_decref(o);

	/* the state compared without its time (backend.c) changes with the call */
	char *with = health_json(&h, 0);
	h.staff_called = 0;
	char *without = health_json(&h, 0);
	CHECK(with && without && strcmp(with, without) != 0,
	      "a call changes the stored health at once");
	free(with);
	free(without);
	return check_done();
}
