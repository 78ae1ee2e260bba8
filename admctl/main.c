/*
 * admctl: dispatch to a top-level command from the table below. Each command parses its
 * own options and prints its own --help; this file only knows their names.
 */
#include "admctl.h"
#include "tech.h"

#include <stdio.h>
#include <string.h>

static const struct admctl_command commands[] = {
	{ "bundle", "content bundles: install (USB), status, rollback", admctl_bundle },
	{ "status", "the kiosk at a glance (health, faults, cache, sync, disk)", admctl_status },
	{ "config", "config check FILE: the kiosk config, as the kiosk checks it", admctl_config },
	{ "test-print", "test-print QUEUE: a test page, followed to its end", admctl_test_print },
	{ "reader", "reader test: the next card's type, UID, whether a KTP-el", admctl_reader },
	{ "sync", "sync now: a sync pass at once", admctl_sync },
	{ "service", "service off \"MESSAGE\" | service on: the kiosk out of service",
	  admctl_service },
	{ "prints", "prints uncertain | prints settle ID printed|not-printed", admctl_prints },
	{ "purge", "what the cache no longer needs, removed", admctl_purge },
	{ "audit", "audit [--since WHEN]: the audit trail, without citizens", admctl_audit },
	{ "diag", "diag export FILE: a tarball for support, no personal data", admctl_diag },
	{ "screen", "the running kiosk's screen: its state and buttons, no text", admctl_screen },
	{ "enrol", "enrol URL CODE: this kiosk at adm-central, with a one-time code",
	  admctl_enrol },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: admctl COMMAND [SUBCOMMAND] [OPTIONS]   (admctl COMMAND --help)\n\n"
		     "commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nexit codes: 0 ok, 1 refused or failed (with the reason), 2 usage, "
		     "3 store, cache or kiosk config unusable, 4 adm-kiosk or adm-syncd not "
		     "running\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return ADMCTL_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return ADMCTL_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "admctl: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return ADMCTL_USAGE;
}
