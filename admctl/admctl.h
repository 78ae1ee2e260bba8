/*
 * admctl, the technician's command line on a kiosk: one table of top-level commands
 * (main.c), each with its own subcommands and options. This issue brings `admctl bundle`
 * (bundle.c); other commands are added as a row of the table and a file of their own.
 */
#ifndef ADM_ADMCTL_H
#define ADM_ADMCTL_H

/* Exit codes, the same for every command (docs/admctl.md). */
enum admctl_exit {
	ADMCTL_OK = 0,		/* done */
	ADMCTL_REFUSED = 1,	/* refused or failed, with the reason on stderr (or in --json) */
	ADMCTL_USAGE = 2,	/* wrong command line */
	ADMCTL_NO_STORE = 3,	/* the store, the cache or the kiosk config cannot be used at all */
	ADMCTL_NOT_RUNNING = 4, /* the command needs adm-kiosk or adm-syncd running, or it did
				 * not answer in time */
};

struct admctl_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv); /* argv[0] is the command's name */
};

int admctl_bundle(int argc, char **argv);

#endif
