/*
 * Screenshots an office asks for (docs/sync-protocol.md, "Screenshots"): adm-syncd never
 * touches the screen. The heartbeat's answer says a screenshot is wanted; adm-syncd then
 * leaves a request marker (PATH.request) for adm-kiosk, which writes the screen to PATH
 * (a PNG, by rename, then removes the marker); at a later heartbeat whose answer still asks,
 * adm-syncd finds PATH without a marker, sends it and removes it.
 */
#ifndef ADM_SYNCD_SCREENSHOT_H
#define ADM_SYNCD_SCREENSHOT_H

#include "net.h"

#include <stddef.h>

#define SCREENSHOT_MAX (2u * 1024u * 1024u) /* the server's cap */

/* What to do after a heartbeat whose answer was body (NULL or "" for a 204). path NULL:
 * screenshots are off (--screenshot / [sync] screenshot unset). */
void screenshot_after_heartbeat(net_t *net, const char *kiosk, const char *path, const char *body,
				size_t len);

#endif
