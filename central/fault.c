/*
 * adm-central's fault modes (fault.h). The plan is process-wide on purpose: it is set once
 * from the command line before the daemon starts and is read by every connection thread;
 * its counters are atomics, so "fault the next N requests" holds under concurrency.
 */
#include "fault.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const fault_names[] = {
	"none",	    "http500",	"garbage",    "wrong-types", "absurd",	      "truncated",
	"cut-page", "bad-hash", "cut-blob",   "slow",	     "trickle",	      "endless",
	"busy-429", "busy-503", "bundle-bad", "bundle-cut",  "bundle-trickle"
};
#define FAULT_COUNT (sizeof(fault_names) / sizeof(fault_names[0]))

static enum fault fault;
static atomic_int fault_left = -1; /* faulted responses still to give; <0 = for ever */
static atomic_int fault_skip;	   /* eligible requests to serve normally before faulting */
static int delay_ms = 5000;

bool fault_option(const char *opt, const char *val, int *used, bool *bad)
{
	*used = 0;
	*bad = false;
	if (strcmp(opt, "--fault") != 0 && strcmp(opt, "--fault-after") != 0 &&
	    strcmp(opt, "--fault-count") != 0 && strcmp(opt, "--fault-delay-ms") != 0)
		return false;
	if (!val) {
		*bad = true;
		return true;
	}
	*used = 1;
	if (strcmp(opt, "--fault") == 0) {
		*bad = true;
		for (size_t f = 0; f < FAULT_COUNT; f++)
			if (strcmp(val, fault_names[f]) == 0)
				fault = (enum fault)f, *bad = false;
	} else if (strcmp(opt, "--fault-after") == 0) {
		atomic_store(&fault_skip, atoi(val));
	} else if (strcmp(opt, "--fault-count") == 0) {
		atomic_store(&fault_left, atoi(val));
	} else {
		delay_ms = atoi(val);
	}
	return true;
}

const char *fault_name(void)
{
	return fault_names[fault];
}

void fault_print_names(void)
{
	fprintf(stderr, "fault modes:");
	for (size_t f = 1; f < FAULT_COUNT; f++)
		fprintf(stderr, "%s %s", f % 8 == 0 ? "\n            " : "", fault_names[f]);
	fprintf(stderr, "\n");
}

bool take_fault(enum fault f)
{
	if (fault != f)
		return false;
	int skip = atomic_load(&fault_skip);
	while (skip > 0)
		if (atomic_compare_exchange_weak(&fault_skip, &skip, skip - 1))
			return false;
	int left = atomic_load(&fault_left);
	while (left != 0) {
		if (left < 0)
			return true;
		if (atomic_compare_exchange_weak(&fault_left, &left, left - 1))
			return true;
	}
	return false;
}

int fault_delay_ms(void)
{
	return delay_ms;
}

char *fault_page(enum fault f)
{
	if (f == F_GARBAGE)
		return strdup("{\"changes\": [ {\"kind\": \"doc\x01ument\" ]] garbage \xff\xfe");
	if (f == F_WRONG_TYPES)
		return strdup("{\"changes\":[{\"kind\":\"document\",\"op\":\"upsert\",\"id\":12,"
			      "\"nik\":3171011708850002,\"pages\":\"one\",\"media\":[]}],"
			      "\"next_cursor\":99,\"more\":\"yes\"}");
	/* absurd: a 20 MB title, far above any limit a kiosk should accept */
	size_t n = 20u * 1024 * 1024;
	char *s = malloc(n + 200);
	if (!s)
		return NULL;
	int head = snprintf(s, 200,
			    "{\"changes\":[{\"kind\":\"document\",\"op\":\"upsert\","
			    "\"id\":\"D1\",\"title\":{\"id\":\"");
	memset(s + head, 'A', n);
	strcpy(s + head + n, "\"}}],\"next_cursor\":\"1\",\"more\":false}");
	return s;
}
