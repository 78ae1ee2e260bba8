/*
 * libFuzzer target for adm-syncd's reading of kiosk.conf (syncd/options.c, through inih):
 * any file, no crash, no leak (every string it keeps is freed by syncd_options_free);
 * whatever it accepts is a setting it can use (a non-empty string it owns, a number of
 * seconds or records in 1..86400); what it refuses, it says why (a line number).
 */
#include "options.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int read_input(const uint8_t *data, size_t size, struct syncd_options *o)
{
	static const uint8_t nothing[1] = { '\n' };
	FILE *f = fmemopen((void *)(size ? data : nothing), size ? size : 1, "r");
	if (!f)
		abort();
	syncd_options_defaults(o);
	int rc = syncd_options_read_file(o, f);
	fclose(f);
	return rc;
}

static void check(const struct syncd_options *o)
{
	const char *s[] = { o->db, o->key, o->url,  o->kiosk,	 o->token_file,
			    o->ca, o->pin, o->cert, o->cert_key, o->spool };
	size_t n = sizeof(s) / sizeof(s[0]);
	const int nums[] = { o->page_limit,	   o->interval_s,  o->timeout_s,
			     o->request_timeout_s, o->heartbeat_s, o->backoff_max_s };

	if (o->n_owned < 0 || o->n_owned > (int)(sizeof(o->owned) / sizeof(o->owned[0])))
		abort();
	for (size_t i = 0; i < n; i++) {
		bool owned = false;
		for (int k = 0; s[i] && k < o->n_owned; k++)
			owned = owned || s[i] == o->owned[k];
		if (s[i] && (!owned || !s[i][0]))
			abort(); /* a string it does not own, or an empty one */
	}
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		if (nums[i] < 1 || nums[i] > 86400)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct syncd_options o;

	int rc = read_input(data, size, &o);
	if (rc < 0)
		abort(); /* a file in memory can always be read (-2 would be out of memory) */
	if (rc == 0)
		check(&o);
	syncd_options_free(&o);
	if (o.n_owned != 0)
		abort();
	return 0;
}
