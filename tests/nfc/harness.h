/*
 * Test harness for the NFC suite: checks that count failures, and a watchdog (SIGALRM)
 * that kills the simulator and fails the test when it hangs. Tests that cannot start the
 * simulator fail, they never skip.
 */
#ifndef ADM_TEST_NFC_HARNESS_H
#define ADM_TEST_NFC_HARNESS_H

#include <stdio.h>

#include "launch.h"

extern int harness_failures;
#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);            \
			harness_failures++;                                                        \
		}                                                                                  \
	} while (0)

#define REQUIRE(cond)                                                                              \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "FAIL %s:%d: %s (fatal)\n", __FILE__, __LINE__, #cond);    \
			harness_fatal();                                                           \
		}                                                                                  \
	} while (0)

/* The simulator the watchdog and the fatal path stop; set by harness_watchdog. */
void harness_watchdog(struct sim *s, int seconds);
/* Stops the simulator, removes the directory and exits with failure. */
_Noreturn void harness_fatal(void);
/* Exit status for main(): 0 when every check passed. Stops the simulator. */
int harness_finish(void);

#endif
