/*
 * What the technician's commands share (status, config, test-print, reader, sync, service,
 * prints, purge, audit, diag): their options, the kiosk config, the cache, the control
 * sockets of the running kiosk and adm-syncd, and one way to answer, for people or as one
 * JSON object (--json) on stdout, with the exit codes of admctl.h.
 */
#ifndef ADM_ADMCTL_TECH_H
#define ADM_ADMCTL_TECH_H

#include "admctl.h"
#include "cache.h"
#include "config.h"

#include <jansson.h>
#include <stdbool.h>

#define TECH_POS_MAX 4

struct tech {
	const char *name; /* "prints settle", for messages */
	bool json;
	const char *config_path; /* --config, default /etc/adm/kiosk.conf */
	const char *since;	 /* --since (audit) */
	const char *queue;	 /* --queue (service): one print queue, not the kiosk */
	int timeout_s;		 /* --timeout (reader test, test-print); 0: the command's */
	const char *pos[TECH_POS_MAX];
	int npos;
	struct kiosk_config cfg;
};

/* Parses argv (argv[0] the subcommand). Returns -1 to go on, else the exit code (--help:
 * 0 after printing help; a wrong command line: 2). npos must be the positional count. */
int tech_parse(struct tech *t, const char *name, int argc, char **argv, int npos, const char *help);
/* Loads --config (ADMCTL_NO_STORE and the file:line message when it is not valid). */
int tech_config(struct tech *t);
/* tech_parse, then tech_config: -1 to go on, else the exit code. */
int tech_begin(struct tech *t, const char *name, int argc, char **argv, int npos, const char *help);
/* For a command with subcommands: the index of argv[1] in subs (NULL-terminated), or -1
 * when it is none of them, after printing help (to stdout with *rc 0 when asked for with
 * --help, else to stderr with *rc ADMCTL_USAGE). */
int tech_subcommand(int argc, char **argv, const char *const *subs, const char *help, int *rc);
/* Opens the cache [cache] names; NULL after tech_fail (ADMCTL_NO_STORE in *rc). */
cache_t *tech_cache(struct tech *t, int *rc);
/* One request to the kiosk's ([kiosk] control) or adm-syncd's ([sync] control) socket;
 * NULL with *running false when it is stopped (err says why otherwise). */
json_t *tech_call(struct tech *t, const char *socket, json_t *req, int timeout_s, bool *running,
		  char *err, size_t errlen);
/* An audit row for a technician's action from admctl (NULL cache: none kept). */
void tech_audit(cache_t *c, const char *what, const char *detail);
/* The same for a command that has no cache open: opens [cache] for the row (a kiosk
 * without a cache, or one that cannot be opened, keeps none; a warning says so). */
void tech_audit_once(struct tech *t, const char *what, const char *detail);

/* The answer: with --json the object (plus "ok"), else human prints it. Steals obj. */
int tech_done(struct tech *t, int code, json_t *obj, void (*human)(json_t *obj));
/* A refusal: "admctl NAME: msg" on stderr, or {"ok": false, "error": msg}. */
int tech_fail(struct tech *t, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "2026-12-03 09:31:02 UTC" */
void tech_time(int64_t t, char out[32]);

int admctl_status(int argc, char **argv);
int admctl_config(int argc, char **argv);
int admctl_test_print(int argc, char **argv);
int admctl_reader(int argc, char **argv);
int admctl_sync(int argc, char **argv);
int admctl_service(int argc, char **argv);
int admctl_prints(int argc, char **argv);
int admctl_purge(int argc, char **argv);
int admctl_audit(int argc, char **argv);
int admctl_diag(int argc, char **argv);
int admctl_enrol(int argc, char **argv);
int admctl_screen(int argc, char **argv);

#endif
