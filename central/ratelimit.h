/*
 * Token buckets by name (a kiosk id): at most burst requests at once, refilled at rate
 * per second. adm-central uses one for on-demand citizen lookups, so that a kiosk (or
 * whoever holds its token) cannot walk the registry NIK by NIK.
 *
 * Threads: every call takes the limiter's mutex; the buckets live in memory only (a
 * restart gives every kiosk a full bucket again, which is at most one burst more).
 */
#ifndef ADM_CENTRAL_RATELIMIT_H
#define ADM_CENTRAL_RATELIMIT_H

struct ratelimit;

/* NULL if out of memory or the figures make no sense (rate <= 0, burst < 1). */
struct ratelimit *ratelimit_create(double rate_per_s, double burst);
void ratelimit_destroy(struct ratelimit *l);

/* Takes one request of name at monotonic time now_s: 0 if it may go ahead, else the whole
 * seconds (>= 1) until it may, or -1 when out of memory (the caller refuses). */
int ratelimit_take(struct ratelimit *l, const char *name, double now_s);

#endif
