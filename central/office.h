/*
 * The office pages as adm-central's /office/ site (issue 12): login and logout, the fleet
 * page in HTML and JSON, screenshot requests and the screenshots, and the upload of a
 * signed bundle. Sessions ride on a cookie (HttpOnly, SameSite=Strict, Secure under TLS);
 * every POST carries the session's CSRF token (the login form a token of its own, bound
 * to a cookie). The session is checked in begin(), with the headers alone, and so is
 * whether a kiosk named in the URL is the office's (404 if not, the same as for a kiosk
 * that does not exist): a request that may not reach a body makes the server read none.
 */
#ifndef ADM_CENTRAL_OFFICE_H
#define ADM_CENTRAL_OFFICE_H

#include "http.h"
#include "office_store.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct content_keyring content_keyring;
struct bundles;

struct office_api {
	office_store *os;
	const content_keyring *kr; /* --content-keyring; NULL: publishing off */
	struct bundles *bundles;   /* where published bundles go (bundles.h) */
	bool tls;		   /* cookies get Secure */
	int64_t heartbeat_s;	   /* kiosks' heartbeat interval: overdue after 3 */
	int64_t lock_s;		   /* an account locked after OFFICE_TRIES wrong passwords */
	int64_t session_s;
};

#define OFFICE_UPLOAD_MAX (72u * 1024u * 1024u) /* a bundle and the form around it */

struct http_site office_site(struct office_api *api);

/* adm-central office add --db DB --id ID --name NAME --region CODE --password-file F */
int office_cmd(int argc, char **argv, const char *db);

#endif
