/*
 * admctl config check FILE: the kiosk config checked by the parser and key table that
 * adm-kiosk and adm-syncd use (kiosk/config.h); nothing is started.
 */
#include "tech.h"

#include <stdio.h>
#include <string.h>

static void human(json_t *o)
{
	printf("%s: ok\n", json_string_value(json_object_get(o, "file")));
}

int admctl_config(int argc, char **argv)
{
	static const char help[] =
	    "usage: admctl config check FILE [--json]\n"
	    "Checks a kiosk config with the rules adm-kiosk and adm-syncd apply, starting\n"
	    "nothing. Exit 0 when valid; 1 with \"FILE:LINE: what is wrong; what is expected\".\n";
	static const char *const subs[] = { "check", NULL };
	struct tech t;
	int rc;
	if (tech_subcommand(argc, argv, subs, help, &rc) < 0)
		return rc;
	rc = tech_parse(&t, "config check", argc - 1, argv + 1, 1, help);
	if (rc >= 0)
		return rc;
	char err[512];
	if (!config_load(&t.cfg, t.pos[0], err, sizeof(err)))
		return tech_fail(&t, ADMCTL_REFUSED, "%s", err);
	return tech_done(&t, ADMCTL_OK, json_pack("{s:s}", "file", t.pos[0]), human);
}
