/*
 * admctl: dispatch to a top-level command from the table below. Each command parses its
 * own options and prints its own --help; this file only knows their names.
 */
#include "admctl.h"

#include <stdio.h>
#include <string.h>

static const struct admctl_command commands[] = {
	{ "bundle", "content bundles: install (USB), status, rollback", admctl_bundle },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: admctl COMMAND [SUBCOMMAND] [OPTIONS]   (admctl COMMAND --help)\n\n"
		     "commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nexit codes: 0 ok, 1 refused or failed (with the reason), 2 usage, "
		     "3 store or kiosk config unusable\n");
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
