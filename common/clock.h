/* Monotonic time in milliseconds, the one time base of the flow core and its shell. */
#ifndef ADM_CLOCK_H
#define ADM_CLOCK_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

int64_t clock_mono_ms(void);
/* Microseconds, for benchmarks. */
int64_t clock_mono_us(void);

/* CLOCK_MONOTONIC now plus ms, as a deadline for pthread_cond_timedwait on a condition
 * variable created with pthread_condattr_setclock(CLOCK_MONOTONIC). */
struct timespec clock_mono_after(int ms);
/* Initialises such a condition variable. */
void clock_mono_cond_init(pthread_cond_t *c);

#endif
