/* Monotonic time in milliseconds, the one time base of the flow core and its shell. */
#ifndef ADM_CLOCK_H
#define ADM_CLOCK_H

#include <stdint.h>

int64_t clock_mono_ms(void);
/* Microseconds, for benchmarks. */
int64_t clock_mono_us(void);

#endif
