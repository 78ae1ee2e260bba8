/*
 * Recent problems for technician mode, in words a technician acts on ("paper jam: open the
 * printer and take the sheet out"), noticed as changes between one health and the next.
 * No personal data: a printer's own message is filtered (printable ASCII, runs of digits
 * masked, cut at a quote and at 48 characters) since a job's title or a user's name could
 * come with it. UI thread.
 */
#ifndef ADM_TECH_LOG_H
#define ADM_TECH_LOG_H

#include "health.h"

#include <stddef.h>

struct tech_log {
	int n, next; /* a ring of the last HEALTH_ERRORS */
	struct health_error e[HEALTH_ERRORS];
	struct health last;
	bool have_last;
};

/* Compares h with the health noted last and records what went wrong since. */
void tech_log_note(struct tech_log *l, const struct health *h, int64_t now);
/* One problem in both languages (a test page that failed, ...). */
void tech_log_add(struct tech_log *l, int64_t now, const char *id, const char *en);
/* h->errors, newest first. */
void tech_log_copy(const struct tech_log *l, struct health *h);
/* The printer's message out of its technician line (message="..."), filtered. */
void tech_log_printer_message(const char *detail, char *out, size_t size);

#endif
