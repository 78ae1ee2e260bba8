/*
 * adm-central's fault modes (--fault MODE): ways to misbehave on purpose, for the tests of
 * adm-syncd. One plan per server process, set from the command line before it serves;
 * the handlers ask take_fault() whether this answer is to be a faulty one.
 *
 * To add a mode: a value here, its name in fault.c's fault_names (same order), and a
 * take_fault() where the handler misbehaves (sync_api.c).
 */
#ifndef ADM_CENTRAL_FAULT_H
#define ADM_CENTRAL_FAULT_H

#include <stdbool.h>

enum fault {
	F_NONE,
	F_500,
	F_GARBAGE,
	F_WRONG_TYPES,
	F_ABSURD,
	F_TRUNCATED,
	F_CUT_PAGE,
	F_BAD_HASH,
	F_CUT_BLOB,
	F_SLOW,
	F_TRICKLE,  /* blobs: 64 bytes every --fault-delay-ms */
	F_ENDLESS,  /* the feed: "more" on every page, for ever */
	F_BUSY_429, /* the feed: 429 with Retry-After: --fault-delay-ms / 1000 */
	F_BUSY_503, /* the same with 503 */
	/* content bundles (GET /v1/bundles/): a byte flipped, the answer cut half way, and
	 * 64 bytes every --fault-delay-ms */
	F_BUNDLE_BAD,
	F_BUNDLE_CUT,
	F_BUNDLE_TRICKLE,
};

/* --fault NAME, --fault-after N, --fault-count N, --fault-delay-ms N: true if opt is one
 * of them (then *used is 1 when it took val, and *bad says val was wrong). */
bool fault_option(const char *opt, const char *val, int *used, bool *bad);
/* The mode's name for the start-up line, and every name for the usage text. */
const char *fault_name(void);
void fault_print_names(void);

/* Whether this eligible request gets fault f: the mode is f, --fault-after requests have
 * been served normally, and --fault-count is not used up. Thread-safe. */
bool take_fault(enum fault f);
/* --fault-delay-ms, for the slow mode. */
int fault_delay_ms(void);
/* The body of a broken changes page (garbage, wrong-types, absurd), malloc'ed. */
char *fault_page(enum fault f);

#endif
