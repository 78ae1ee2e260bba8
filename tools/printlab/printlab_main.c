/*
 * adm-printlab: runs a private cupsd with virtual printers until interrupted, for the demo
 * and for poking at faults by hand. Prints the CUPS_SERVER value and "ready" on stdout,
 * then takes commands on stdin, one per line:
 *   fault NAME WORD     (jam, media-empty, cover-open, toner-low, abort, slow, or "none")
 *   media NAME LEVEL    paper level through the printer's web form (0 = empty)
 *   kill NAME | restart NAME | disable NAME | enable NAME | quit
 *   ignore-cancel NAME on|off   the engine prints what it started, canceled or not
 *   backend-fail NAME on|off    the queue's backend exits 1 on every job
 *   policy NAME POLICY          printer-error-policy (retry-job, stop-printer, ...)
 *   cupsd pause|resume          SIGSTOP / SIGCONT to cupsd (a CUPS that answers nothing)
 *   cupsd stop|start            cupsd ends (keeping its jobs) / starts again
 * Everything stops on "quit", end of input, SIGINT or SIGTERM.
 *
 *   adm-printlab --out ~/printed --printer A4 --printer CARD:card
 *
 * --keep-job-files (tests only): cupsd keeps each job's document file in its spool
 * (PreserveJobFiles Yes) until the lab stops, and the lab says where ("job files in DIR"),
 * so a test can cmp what the kiosk handed to CUPS with the central's document.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "printlab.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: adm-printlab [--out DIR] [--keep] [--keep-job-files] "
			"--printer NAME[:card] ...\n");
}

static void command(struct printlab *lab, char *line)
{
	char *save = NULL;
	char *verb = strtok_r(line, " \t\n", &save);
	char *name = strtok_r(NULL, " \t\n", &save);
	char *arg = strtok_r(NULL, " \t\n", &save);
	int rc = -1;
	if (!verb)
		return;
	if (strcmp(verb, "quit") == 0) {
		stop_requested = 1;
		return;
	}
	if (strcmp(verb, "cupsd") == 0 && name) {
		rc = strcmp(name, "stop") == 0 ? printlab_cupsd_stop(lab)
		     : strcmp(name, "start") == 0
			 ? printlab_cupsd_start(lab)
			 : printlab_cupsd_pause(lab, strcmp(name, "pause") == 0);
		printf("%s\n", rc == 0 ? "ok" : "failed");
		fflush(stdout);
		return;
	}
	if (!name) {
		fprintf(stderr, "adm-printlab: %s needs a printer name\n", verb);
		return;
	}
	if (strcmp(verb, "fault") == 0)
		rc = printlab_set_fault(lab, name, !arg || strcmp(arg, "none") == 0 ? "" : arg);
	else if (strcmp(verb, "media") == 0 && arg)
		rc = printlab_set_media_level(lab, name, atoi(arg));
	else if (strcmp(verb, "kill") == 0)
		rc = printlab_kill_printer(lab, name);
	else if (strcmp(verb, "restart") == 0)
		rc = printlab_restart_printer(lab, name);
	else if (strcmp(verb, "disable") == 0 || strcmp(verb, "enable") == 0)
		rc = printlab_queue_enable(lab, name, verb[0] == 'e');
	else if (strcmp(verb, "ignore-cancel") == 0 && arg)
		rc = printlab_set_ignore_cancel(lab, name, strcmp(arg, "on") == 0);
	else if (strcmp(verb, "backend-fail") == 0 && arg)
		rc = printlab_set_backend_fail(lab, name, strcmp(arg, "on") == 0);
	else if (strcmp(verb, "policy") == 0 && arg)
		rc = printlab_set_error_policy(lab, name, arg);
	printf("%s\n", rc == 0 ? "ok" : "failed");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = { { "out", required_argument, NULL, 'o' },
					      { "printer", required_argument, NULL, 'p' },
					      { "keep", no_argument, NULL, 'k' },
					      { "keep-job-files", no_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	const char *out = NULL;
	const char *printers[8];
	int n = 0, c;
	unsigned flags = 0;
	while ((c = getopt_long(argc, argv, "o:p:kjh", opts, NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'p' && n < 8)
			printers[n++] = optarg;
		else if (c == 'k')
			flags |= PRINTLAB_KEEP;
		else if (c == 'j')
			flags |= PRINTLAB_KEEP_JOB_FILES;
		else {
			usage();
			return c == 'h' ? 0 : 2;
		}
	}
	if (n == 0)
		printers[n++] = "A4";
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	char err[512];
	struct printlab *lab = printlab_start(out, flags, err, sizeof(err));
	if (!lab) {
		fprintf(stderr, "adm-printlab: %s\n", err);
		return 1;
	}
	int rc = 0;
	for (int i = 0; i < n; i++) {
		char name[64];
		snprintf(name, sizeof(name), "%s", printers[i]);
		char *colon = strchr(name, ':');
		bool card = colon && strcmp(colon + 1, "card") == 0;
		if (colon)
			*colon = '\0';
		if (printlab_add_printer(lab, name, card) != 0) {
			fprintf(stderr, "adm-printlab: printer %s did not start\n", name);
			rc = 1;
			goto out;
		}
		printf("printer %s%s prints into %s\n", name, card ? " (card)" : "",
		       printlab_out_dir(lab, name));
	}
	if (flags & PRINTLAB_KEEP_JOB_FILES)
		printf("job files in %s (kept: test documents only)\n", printlab_spool_dir(lab));
	printf("CUPS_SERVER=%s\nready\n", printlab_server(lab));
	fflush(stdout);
	char line[256];
	size_t used = 0;
	while (!stop_requested) {
		struct pollfd pfd = { .fd = 0, .events = POLLIN };
		int r = poll(&pfd, 1, 1000);
		if (r < 0 && errno != EINTR)
			break;
		if (r <= 0)
			continue;
		ssize_t got = read(0, line + used, sizeof(line) - 1 - used);
		if (got <= 0)
			break; /* end of input: stop */
		used += (size_t)got;
		line[used] = '\0';
		char *nl;
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			command(lab, line);
			used -= (size_t)(nl + 1 - line);
			memmove(line, nl + 1, used + 1);
		}
		if (used == sizeof(line) - 1)
			used = 0; /* an absurd line: drop it */
	}
out:
	printlab_stop(lab);
	return rc;
}
