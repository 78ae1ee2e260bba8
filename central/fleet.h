/*
 * The fleet page's model and views (issue 12): what an office sees of its kiosks, built
 * from the kiosks table and the last heartbeat of each (docs/sync-protocol.md, "Heartbeat";
 * "The fleet page" lists the fields read). Every value in a heartbeat comes from a kiosk:
 * the model copies only fields of the expected type and bounded length, the JSON view is
 * jansson's, and the HTML view escapes every string it writes.
 */
#ifndef ADM_CENTRAL_FLEET_H
#define ADM_CENTRAL_FLEET_H

#include "office_store.h"

#include <jansson.h>
#include <stdint.h>

/* {"office", "name", "region", "now", "heartbeat_s", "kiosks": [...]}; NULL on a database
 * error. A kiosk is overdue after 3 heartbeat intervals without one (or with none). */
json_t *fleet_model(office_store *os, const struct office_session *s, int64_t now,
		    int64_t heartbeat_s);
/* One kiosk's entry of the model, or NULL if it is not the office's. */
json_t *fleet_model_kiosk(office_store *os, const struct office_session *s, const char *kiosk,
			  int64_t now, int64_t heartbeat_s);

/* The pages, malloc'ed HTML. notice: a line shown on top (NULL: none). */
char *fleet_html(const json_t *model, const struct office_session *s, const char *notice);
char *fleet_login_html(const char *csrf, const char *notice);
char *fleet_message_html(const char *title, const char *message);

#endif
