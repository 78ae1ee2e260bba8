/* Helpers shared by adm-bundle's commands (main.c, build.c, keyring_cmd.c, publish.c). */
#ifndef ADM_BUNDLE_TOOL_H
#define ADM_BUNDLE_TOOL_H

#include "content.h"

#include <limits.h>
#include <stdio.h>

/* Prints "adm-bundle: ..." to stderr and returns 1 (the exit status of a refused command). */
int tool_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Output goes to PATH.tmp and is renamed over PATH only when complete. */
struct tool_out {
	FILE *f;
	char path[PATH_MAX], tmp[PATH_MAX];
};
int tool_out_open(struct tool_out *o, const char *path);
int tool_out_commit(struct tool_out *o);
void tool_out_abort(struct tool_out *o);

/* Copies what is left of in to out. */
int tool_copy_rest(FILE *in, FILE *out);

/* "YYYY-MM-DDTHH:MM:SSZ" or seconds since the epoch. */
int tool_parse_time(const char *s, int64_t *out);

/* The value of option argv[*i] (advancing *i), or NULL with a message. */
const char *tool_optarg(int argc, char **argv, int *i);

int cmd_init(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_keyring(int argc, char **argv);
int cmd_preview(int argc, char **argv);
int cmd_publish(int argc, char **argv); /* publish.c */

#endif
