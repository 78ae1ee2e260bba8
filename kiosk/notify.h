/*
 * The kiosk and systemd (sd_notify): READY=1 once the first frame is on screen, WATCHDOG=1
 * from the UI thread's loop at half the unit's WatchdogSec, so that a UI thread that hangs
 * stops pinging and gets the kiosk restarted, and STOPPING=1 on the way out. Without
 * NOTIFY_SOCKET (tests, a shell) every call does nothing and the loop wakes no more often.
 */
#ifndef ADM_NOTIFY_H
#define ADM_NOTIFY_H

#include <stdint.h>

struct notify {
	int64_t period_ms; /* 0: no watchdog */
	int64_t next_ms;   /* the next ping is due then */
};

/* Reads the watchdog's period (WATCHDOG_USEC), clearing it from the environment. */
void notify_init(struct notify *n, int64_t now_ms);

void notify_ready(void);
void notify_stopping(void);

/* Pings the watchdog if a ping is due; returns when the next one is (0: never). */
int64_t notify_watchdog(struct notify *n, int64_t now_ms);

#endif
