/* sd_notify for adm-kiosk (notify.h). */
#include "notify.h"

#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

void notify_init(struct notify *n, int64_t now_ms)
{
	const char *pid = getenv("WATCHDOG_PID");
	uint64_t usec = 0;

	n->period_ms = 0;
	n->next_ms = 0;
	/* In a cage session the unit's main process is the compositor, our parent, and
	 * WATCHDOG_PID names it; the watchdog is still ours to feed (NotifyAccess=all). */
	if (pid && strtol(pid, NULL, 10) == (long)getppid()) {
		char me[24];
		snprintf(me, sizeof(me), "%ld", (long)getpid());
		setenv("WATCHDOG_PID", me, 1);
	}
	/* 1: the helpers the kiosk starts must not believe the watchdog is theirs */
	if (sd_watchdog_enabled(1, &usec) > 0 && usec > 0) {
		n->period_ms = (int64_t)(usec / 2000);
		if (n->period_ms < 1)
			n->period_ms = 1;
		n->next_ms = now_ms;
		log_info("systemd watchdog: a ping every %lld ms", (long long)n->period_ms);
	}
}

void notify_ready(void)
{
	sd_notify(0, "READY=1");
}

void notify_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}

int64_t notify_watchdog(struct notify *n, int64_t now_ms)
{
	if (!n->period_ms)
		return 0;
	if (now_ms >= n->next_ms) {
		sd_notify(0, "WATCHDOG=1");
		n->next_ms = now_ms + n->period_ms;
	}
	return n->next_ms;
}
