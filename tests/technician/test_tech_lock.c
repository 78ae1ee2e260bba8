/*
 * The technician PIN's lockout lives in the cache: five wrong tries lock it for
 * CACHE_TECH_LOCK_S, and closing and opening the cache (a restart of the kiosk) neither
 * lifts the lock nor gives fresh tries; every try is in the audit; a good try clears the
 * count; the lock ends by itself. The out-of-service message also outlives a reopen.
 */
#include "../check.h"
#include "cache.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64], db[128], key[128];

static cache_t *open_cache(void)
{
	struct cache_options o = { .path = db, .key_path = key };
	int err = 0;
	cache_t *c = cache_open(&o, &err);
	CHECK(c != NULL, "cache_open: %s", cache_strerror(err));
	return c;
}

static void count_row(const struct cache_audit_row *r, void *user)
{
	int *n = user;
	if (strncmp(r->what, "technician-pin-", 15) == 0)
		n[0]++;
	if (strcmp(r->what, "technician-pin-locked") == 0)
		n[1]++;
	if (r->nik_hash[0])
		n[2]++; /* a technician's try names no citizen */
}

int main(void)
{
	struct cache_tech_lock l;
	const int64_t t0 = 1800000000;

	snprintf(dir, sizeof(dir), "/tmp/adm-tech-lock-XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	snprintf(db, sizeof(db), "%s/cache.db", dir);
	snprintf(key, sizeof(key), "%s/kiosk.key", dir);
	FILE *f = fopen(key, "w");
	for (int i = 0; i < 32; i++)
		fputc(i * 7 + 1, f);
	fclose(f);
	chmod(key, 0600);

	cache_t *c = open_cache();
	CHECK(cache_tech_lock_get(c, &l) == CACHE_OK && l.failures == 0 && l.locked_until == 0,
	      "a new cache: no failures, no lock");
	for (int i = 1; i < CACHE_TECH_TRIES; i++) {
		CHECK(cache_tech_pin_tried(c, false, t0 + i, &l) == CACHE_OK && l.failures == i &&
			  l.locked_until == 0,
		      "wrong try %d: %d failures", i, l.failures);
		if (i == 2) { /* the kiosk restarts in the middle: the count stays */
			cache_close(c);
			c = open_cache();
			CHECK(cache_tech_lock_get(c, &l) == CACHE_OK && l.failures == 2,
			      "two failures after a reopen, not %d", l.failures);
		}
	}
	CHECK(cache_tech_pin_tried(c, false, t0 + 10, &l) == CACHE_OK &&
		  l.locked_until == t0 + 10 + CACHE_TECH_LOCK_S,
	      "the fifth wrong try locks until %lld", (long long)l.locked_until);
	cache_close(c);

	c = open_cache(); /* the restart */
	CHECK(cache_tech_lock_get(c, &l) == CACHE_OK &&
		  l.locked_until == t0 + 10 + CACHE_TECH_LOCK_S,
	      "still locked after the restart");
	int n[3] = { 0 };
	CHECK(cache_audit_list(c, 0, 0, count_row, n) == CACHE_TECH_TRIES, "the audit rows");
	CHECK(n[0] == CACHE_TECH_TRIES && n[1] == 1 && n[2] == 0,
	      "five tries, one lock, no citizen in the audit (%d %d %d)", n[0], n[1], n[2]);
	CHECK(cache_audit_list(c, t0 + 10, 0, count_row, (int[3]){ 0 }) == 1, "--since");

	/* after the lock: fresh tries, and a good one clears the count */
	CHECK(cache_tech_pin_tried(c, false, t0 + 11 + CACHE_TECH_LOCK_S, &l) == CACHE_OK &&
		  l.failures == 1,
	      "counting again after the lock");
	CHECK(cache_tech_pin_tried(c, true, t0 + 12 + CACHE_TECH_LOCK_S, &l) == CACHE_OK &&
		  l.failures == 0,
	      "a good try clears the count");

	char msg[96];
	CHECK(cache_service_message(c, msg, sizeof(msg)) == CACHE_OK && !msg[0], "in service");
	CHECK(cache_service_message_set(c, "Sedang diperbaiki") == CACHE_OK, "service off");
	cache_close(c);
	c = open_cache();
	CHECK(cache_service_message(c, msg, sizeof(msg)) == CACHE_OK &&
		  strcmp(msg, "Sedang diperbaiki") == 0,
	      "the message outlives a reopen: '%s'", msg);
	cache_close(c);

	unlink(db);
	unlink(key);
	char side[160];
	snprintf(side, sizeof(side), "%s-wal", db);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", db);
	unlink(side);
	rmdir(dir);
	return check_done();
}
