/*
 * Failure accounting and the watchdog of the NFC tests. The simulator being watched sits in
 * one static slot so the SIGALRM handler can kill it; only the main thread sets it.
 */
#include "harness.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

int harness_failures;
static struct sim *current;

_Noreturn void harness_fatal(void)
{
	sim_stop(current);
	exit(1);
}

int harness_finish(void)
{
	sim_stop(current);
	if (harness_failures)
		fprintf(stderr, "%d check(s) failed\n", harness_failures);
	return harness_failures ? 1 : 0;
}

static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "FAIL watchdog: test hung, simulator killed\n";
	if (write(2, msg, sizeof(msg) - 1) < 0) {
		/* nothing more to do */
	}
	if (current && current->pid > 0) {
		kill(current->pid, SIGKILL);
		unlink(current->cards); /* all async-signal-safe */
		unlink(current->link);
		unlink(current->ctl);
		rmdir(current->dir);
	}
	_exit(1);
}

void harness_watchdog(struct sim *s, int seconds)
{
	current = s;
	signal(SIGALRM, on_alarm);
	alarm((unsigned)seconds);
}
