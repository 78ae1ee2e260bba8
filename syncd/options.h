/*
 * adm-syncd's settings: the defaults, and what it takes from the kiosk's configuration file
 * (kiosk.conf: [kiosk] id, [cache] path/key/fetch_timeout, [content] store/region and the
 * whole [sync] section; the kiosk's other sections are not its business). Flags on the command line
 * override them (main.c). Apart from main.c so that the fuzzer reads any file through the same
 * code.
 */
#ifndef ADM_SYNCD_OPTIONS_H
#define ADM_SYNCD_OPTIONS_H

#include "proto.h"

#include <stdbool.h>
#include <stdio.h>

struct syncd_options {
	const char *db, *key, *url, *kiosk, *token_file, *ca, *pin, *cert, *cert_key, *spool;
	const char *screenshot;
	const char *content, *region; /* content bundles (issue 12): store folder, region */
	int page_limit, interval_s, timeout_s, request_timeout_s, heartbeat_s, backoff_max_s;
	/* 0: the engine's defaults (ENGINE_MAX_PAGES, ENGINE_BLOB_BUDGET_S) */
	int max_pages, blob_budget_s, blob_min_speed, blob_stall_s, blob_deadline_rate;
	struct proto_limits limits;
	bool once, no_requests;
	char *owned[24]; /* strings read from the configuration file, freed at exit */
	int n_owned;
};

void syncd_options_defaults(struct syncd_options *o);
/* Reads the file at path (or an open file) over o: 0, -1 if it cannot be opened, or the
 * number of the first line that is not valid (with a log line saying why). */
int syncd_options_read(struct syncd_options *o, const char *path);
int syncd_options_read_file(struct syncd_options *o, FILE *f);
/* A count of seconds or records, 1..86400; or 1..max. */
bool syncd_options_number(const char *v, int *out);
bool syncd_options_range(const char *v, int *out, long max);
void syncd_options_free(struct syncd_options *o); /* the strings read from a file */

#endif
