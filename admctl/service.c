/*
 * admctl service off "MESSAGE" / service on [--queue Q]: the whole kiosk, or one print
 * queue, out of service with words citizens read on its screen, and back. Stored in the
 * cache (so it outlives a restart and works with the kiosk stopped), then told to the
 * running kiosk.
 */
#include "tech.h"

#include <stdio.h>
#include <string.h>

static void human(json_t *o)
{
	const char *msg = json_string_value(json_object_get(o, "message"));
	const char *queue = json_string_value(json_object_get(o, "queue"));
	if (queue)
		printf("queue %s: ", queue);
	printf("%s%s%s\n", msg[0] ? "out of service: " : "in service", msg,
	       json_is_true(json_object_get(o, "running"))
		   ? " (on the kiosk's screen now)"
		   : " (the kiosk is stopped: from its next start)");
}

int admctl_service(int argc, char **argv)
{
	static const char help[] =
	    "usage: admctl service off \"MESSAGE\" | admctl service on [--queue QUEUE]\n"
	    "       [--config FILE] [--json]\n"
	    "off: the kiosk serves nobody; citizens read MESSAGE (up to 95 bytes) on its\n"
	    "out-of-service screen. on: back in service. Kept across restarts.\n"
	    "  --queue QUEUE   only that print queue ([printer] a4_queue or card_queue): its\n"
	    "                  documents cannot be chosen, the attract screen says MESSAGE\n";
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
	const char *q = t.queue;
	if (q && (!q[0] || (strcmp(q, t.cfg.a4_queue) != 0 && strcmp(q, t.cfg.card_queue) != 0)))
		return tech_fail(&t, ADMCTL_REFUSED,
				 "%s is not a queue of this kiosk ([printer] a4_queue, card_queue)",
				 q);
	cache_t *c = tech_cache(&t, &rc);
	if (!c)
		return rc;
	if ((q ? cache_queue_message_set(c, q, msg) : cache_service_message_set(c, msg)) !=
	    CACHE_OK) {
		cache_close(c);
		return tech_fail(&t, ADMCTL_NO_STORE, "cannot store it in the cache");
	}
	char detail[160];
	snprintf(detail, sizeof(detail), "%s%s (admctl)", q ? "queue=" : "kiosk", q ? q : "");
	tech_audit(c, off ? "technician-service-off" : "technician-service-on", detail);
	cache_close(c);
	char err[256];
	bool running;
	json_t *req = json_pack("{s:s, s:b, s:s}", "cmd", "service", "on", !off, "message", msg);
	if (q)
		json_object_set_new(req, "queue", json_string(q));
	json_t *ans = tech_call(&t, t.cfg.control, req, 5, &running, err, sizeof(err));
	if (running && !json_is_true(json_object_get(ans, "ok"))) {
		json_decref(ans);
		return tech_fail(&t, ADMCTL_NOT_RUNNING,
				 "stored, but the running kiosk did not take it: %s", err);
	}
	json_decref(ans);
	json_t *o = json_pack("{s:s, s:b}", "message", msg, "running", running);
	if (q)
		json_object_set_new(o, "queue", json_string(q));
	return tech_done(&t, ADMCTL_OK, o, human);
}
