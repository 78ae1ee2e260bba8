/*
 * libFuzzer target for adm-syncd's reading of kiosk.conf (syncd/options.c, through the
 * kiosk's parser kiosk/config.c and inih): any file, no crash, no leak (the file it keeps
 * is freed by syncd_options_free); whatever it accepts is a setting it can use (a
 * non-empty string inside the file it read, a number of seconds or records in 1..86400);
 * what it refuses, it says why in one line naming the file, as adm-kiosk does.
 */
#include "options.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool read_input(const uint8_t *data, size_t size, struct syncd_options *o, char *err,
		       size_t errlen)
{
	static const uint8_t nothing[1] = { '\n' };
	FILE *f = fmemopen((void *)(size ? data : nothing), size ? size : 1, "r");
	if (!f)
		abort();
	syncd_options_defaults(o);
	bool ok = syncd_options_read_file(o, f, "fuzz.conf", err, errlen);
	fclose(f);
	return ok;
}

static void check(const struct syncd_options *o)
{
	const char *s[] = { o->db,	o->key,	   o->url,	  o->kiosk,    o->token_file,
			    o->ca,	o->pin,	   o->cert,	  o->cert_key, o->spool,
			    o->content, o->region, o->screenshot, o->control };
	size_t n = sizeof(s) / sizeof(s[0]);
	const int nums[] = { o->page_limit,	   o->interval_s,  o->timeout_s,
			     o->request_timeout_s, o->heartbeat_s, o->backoff_max_s };

	const char *lo = (const char *)o->file, *hi = lo + sizeof(*o->file);
	if (!o->file || !o->kiosk)
		abort(); /* accepted without the required [kiosk] id */
	for (size_t i = 0; i < n; i++)
		if (s[i] && (s[i] < lo || s[i] >= hi || !s[i][0]))
			abort(); /* a string outside the file it read, or an empty one */
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		if (nums[i] < 1 || nums[i] > 86400)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct syncd_options o;

	char err[512] = "";

	if (read_input(data, size, &o, err, sizeof(err)))
		check(&o);
	else if (strncmp(err, "fuzz.conf", 9) != 0 || strchr(err, '\n') || o.file)
		abort(); /* "file:line: problem; expected ...", one line; nothing kept */
	syncd_options_free(&o);
	if (o.file)
		abort();
	return 0;
}
