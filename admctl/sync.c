/*
 * admctl sync now: asks the running adm-syncd for a pass at once and waits for its end.
 */
#include "tech.h"

#include <stdio.h>
#include <string.h>

static void human(json_t *o)
{
	printf("a sync pass completed\n");
	(void)o;
}

int admctl_sync(int argc, char **argv)
{
	static const char help[] =
	    "usage: admctl sync now [--config FILE] [--json]\n"
	    "Asks adm-syncd (its [sync] control socket) for a pass now and waits for it:\n"
	    "exit 0 when it completed, 1 when it failed, 4 when adm-syncd is not running.\n";
	static const char *const subs[] = { "now", NULL };
	struct tech t;
	int rc;
	if (tech_subcommand(argc, argv, subs, help, &rc) < 0)
		return rc;
	rc = tech_begin(&t, "sync now", argc - 1, argv + 1, 0, help);
	if (rc >= 0)
		return rc;
	char err[256];
	bool running;
	tech_audit_once(&t, "technician-sync-now", "admctl");
	json_t *ans = tech_call(&t, t.cfg.sync_control, json_pack("{s:s}", "cmd", "sync"), 610,
				&running, err, sizeof(err));
	if (!ans)
		return tech_fail(&t, ADMCTL_NOT_RUNNING, "adm-syncd %s: %s",
				 running ? "did not answer" : "is not running", err);
	if (!json_is_true(json_object_get(ans, "ok"))) {
		rc = tech_fail(&t, ADMCTL_REFUSED, "%s",
			       json_string_value(json_object_get(ans, "error")));
		json_decref(ans);
		return rc;
	}
	json_object_del(ans, "error");
	return tech_done(&t, ADMCTL_OK, ans, human);
}
