/*
 * For test_admctl.sh: makes an uncertain print in a real cache the way the kiosk does (a
 * job recorded for a document, then held after its cancel): tech-fixture DB KEY DOC_ID
 * prints the job's id.
 */
#include "cache.h"

#include <stdio.h>
#include <time.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: tech-fixture DB KEY DOC_ID\n");
		return 2;
	}
	struct cache_options o = { .path = argv[1], .key_path = argv[2] };
	int err = 0;
	cache_t *c = cache_open(&o, &err);
	if (!c) {
		fprintf(stderr, "tech-fixture: %s\n", cache_strerror(err));
		return 1;
	}
	int64_t now = (int64_t)time(NULL);
	int64_t job = cache_job_record(c, argv[3], 9000 + (int)(now % 1000), now);
	int rc = job > 0 ? cache_job_hold(c, job, "canceled after the printer started", now) : -1;
	cache_close(c);
	if (rc != CACHE_OK) {
		fprintf(stderr, "tech-fixture: cannot hold a job for %s\n", argv[3]);
		return 1;
	}
	printf("%lld\n", (long long)job);
	return 0;
}
