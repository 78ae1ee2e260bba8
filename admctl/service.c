/*
 * admctl service off "MESSAGE" / service on: the whole kiosk out of service with words
 * citizens read on its screen, and back. Stored in the cache (so it outlives a restart and
 * works with the kiosk stopped), then told to the running kiosk.
 */
#include "tech.h"

#include <stdio.h>
#include <string.h>

static void human(json_t *o)
{
	const char *msg = json_string_value(json_object_get(o, "message"));
	printf("%s%s%s\n", msg[0] ? "out of service: " : "in service", msg,
	       json_is_true(json_object_get(o, "running"))
		   ? " (on the kiosk's screen now)"
		   : " (the kiosk is stopped: from its next start)");
}

int admctl_service(int argc, char **argv)
{
	static const char help[] =
	    "usage: admctl service off \"MESSAGE\" | admctl service on [--config FILE] [--json]\n"
	    "off: the kiosk serves nobody; citizens read MESSAGE (up to 95 bytes) on its\n"
	    "out-of-service screen. on: back in service. Kept across restarts.\n";
	static const char *const subs[] = { "on", "off", NULL };
	struct tech t;
	int rc;
	int sub = tech_subcommand(argc, argv, subs, help, &rc);
	if (sub < 0)
		return rc;
	bool off = sub == 1;
	rc = tech_begin(&t, off ? "service off" : "service on", argc - 1, argv + 1, off, help);
	if (rc >= 0)
		return rc;
	const char *msg = off ? t.pos[0] : "";
	if (off && (!msg[0] || strlen(msg) > 95 || strchr(msg, '\n')))
		return tech_fail(&t, ADMCTL_USAGE, "the message must be 1-95 bytes on one line");
	cache_t *c = tech_cache(&t, &rc);
	if (!c)
		return rc;
	if (cache_service_message_set(c, msg) != CACHE_OK) {
		cache_close(c);
		return tech_fail(&t, ADMCTL_NO_STORE, "cannot store it in the cache");
	}
	tech_audit(c, off ? "technician-service-off" : "technician-service-on", "admctl");
	cache_close(c);
	char err[256];
	bool running;
	json_t *ans =
	    tech_call(&t, t.cfg.control,
		      json_pack("{s:s, s:b, s:s}", "cmd", "service", "on", !off, "message", msg), 5,
		      &running, err, sizeof(err));
	if (running && !json_is_true(json_object_get(ans, "ok"))) {
		json_decref(ans);
		return tech_fail(&t, ADMCTL_NOT_RUNNING,
				 "stored, but the running kiosk did not take it: %s", err);
	}
	json_decref(ans);
	return tech_done(&t, ADMCTL_OK, json_pack("{s:s, s:b}", "message", msg, "running", running),
			 human);
}
