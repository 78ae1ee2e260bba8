/*
 * Enrolment of a new kiosk (issue 14). The regional office creates a one-time code,
 *
 *     adm-central kiosk add ID --region CODE --db DB     (prints the code, valid a day)
 *
 * and the technician types it on the new kiosk (admctl enrol URL CODE), which sends it in
 * POST /v1/enrol {"code": "..."} and gets its id, region and a fresh bearer token back:
 * no secret is typed or copied by hand. A code works once, and only until it expires; only
 * its SHA-256 is stored. Adding an existing id again (a disk swap) gives a new code whose
 * enrolment replaces the kiosk's token. A stolen kiosk is revoked,
 *
 *     adm-central kiosk revoke ID --db DB
 *
 * after which its token is refused (and its codes not yet used with it).
 */
#ifndef ADM_CENTRAL_ENROL_H
#define ADM_CENTRAL_ENROL_H

#include "http.h"

struct store;
struct enrol;

/* Its own connection to the database at path; kiosks are registered through store. */
struct enrol *enrol_open(const char *path, struct store *store);
void enrol_close(struct enrol *e); /* NULL is fine */
/* The /v1/enrol site (before /v1/ in the sites: the first prefix that matches serves). */
struct http_site enrol_site(struct enrol *e);

/* adm-central kiosk add|revoke: 0, 1 refused, 2 usage. */
int kiosk_cmd(int argc, char **argv, const char *db);

#endif
