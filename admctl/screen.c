/*
 * admctl screen: what the running kiosk shows, as a touch sees it: the state, and each
 * button's action and rectangle (no text, so nothing of a citizen). For a technician on
 * the phone with someone at the kiosk, and for the end-to-end tests and the demo, which
 * touch a button at its centre wherever the layout put it.
 */
#include "tech.h"

#include <stdio.h>

static void human(json_t *o)
{
	printf("%s on screen (%lldx%lld, frame %lld)%s\n",
	       json_string_value(json_object_get(o, "state")),
	       (long long)json_integer_value(json_object_get(o, "w")),
	       (long long)json_integer_value(json_object_get(o, "h")),
	       (long long)json_integer_value(json_object_get(o, "frame")),
	       json_is_true(json_object_get(o, "waiting")) ? ", waiting for an answer" : "");
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(o, "targets"), i, t)
	{
		printf("  %-12s %3lld  at %lld,%lld size %lldx%lld\n",
		       json_string_value(json_object_get(t, "action")),
		       (long long)json_integer_value(json_object_get(t, "arg")),
		       (long long)json_integer_value(json_object_get(t, "x")),
		       (long long)json_integer_value(json_object_get(t, "y")),
		       (long long)json_integer_value(json_object_get(t, "w")),
		       (long long)json_integer_value(json_object_get(t, "h")));
	}
}

int admctl_screen(int argc, char **argv)
{
	static const char help[] =
	    "usage: admctl screen [--config FILE] [--json]\n"
	    "What the running kiosk shows: its state and the buttons a touch can land on, each\n"
	    "with its action, argument and rectangle in pixels. No text is shown.\n";
	struct tech t;
	int rc = tech_begin(&t, "screen", argc, argv, 0, help);
	if (rc >= 0)
		return rc;
	char err[256];
	bool running;
	json_t *ans = tech_call(&t, t.cfg.control, json_pack("{s:s}", "cmd", "screen"), 5, &running,
				err, sizeof(err));
	if (!running)
		return tech_fail(&t, ADMCTL_NOT_RUNNING, "the kiosk is not running: %s", err);
	if (!ans || !json_is_true(json_object_get(ans, "ok"))) {
		json_decref(ans);
		return tech_fail(&t, ADMCTL_REFUSED, "the kiosk did not answer: %s", err);
	}
	return tech_done(&t, ADMCTL_OK, ans, human);
}
