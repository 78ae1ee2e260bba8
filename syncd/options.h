/*
 * adm-syncd's settings: the defaults, and what it takes from the kiosk's configuration file
 * (kiosk.conf: [kiosk] id, [cache] path/key/fetch_timeout, [content] store/region and the
 * whole [sync] section). The file is read by the kiosk's own parser and key table
 * (kiosk/config.h), so a file adm-kiosk refuses is refused here with the same
 * "file:line: ..." message. Flags on the command line override it (main.c). Apart from
 * main.c so that the fuzzer reads any file through the same code.
 */
#ifndef ADM_SYNCD_OPTIONS_H
#define ADM_SYNCD_OPTIONS_H

#include "config.h"
#include "proto.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct syncd_options {
	const char *db, *key, *url, *kiosk, *token_file, *ca, *pin, *cert, *cert_key, *spool;
	const char *screenshot;
	const char *content, *region; /* content bundles (issue 12): store folder, region */
	const char *control;	      /* admctl's socket (control.h); NULL: none */
	int page_limit, interval_s, timeout_s, request_timeout_s, heartbeat_s, backoff_max_s;
	/* 0: the engine's defaults (ENGINE_MAX_PAGES, ENGINE_BLOB_BUDGET_S) */
	int max_pages, blob_budget_s, blob_min_speed, blob_stall_s, blob_deadline_rate;
	struct proto_limits limits;
	bool once, no_requests;
	struct kiosk_config *file; /* the file read, which the strings above point into */
};

void syncd_options_defaults(struct syncd_options *o);
/* Reads the file at path (or an open file, named path in messages) over o. False with
 * one line in err ("path:line: problem; expected ...") when adm-kiosk would refuse it. */
bool syncd_options_read(struct syncd_options *o, const char *path, char *err, size_t errlen);
bool syncd_options_read_file(struct syncd_options *o, FILE *f, const char *path, char *err,
			     size_t errlen);
/* A count of seconds or records, 1..86400; or 1..max. */
bool syncd_options_number(const char *v, int *out);
bool syncd_options_range(const char *v, int *out, long max);
void syncd_options_free(struct syncd_options *o); /* the file read */

#endif
