/*
 * The technician's control socket: how admctl talks to the running adm-kiosk and
 * adm-syncd. A unix stream socket; per connection one request and one answer, each a JSON
 * object on one line:
 *
 *   {"cmd": "status"}                      ->  {"ok": true, ...}
 *   {"cmd": "service", "on": false, ...}   ->  {"ok": false, "error": "why"}
 *
 * Only root and members of the `adm` group may talk: the server checks the peer's
 * credentials (SO_PEERCRED) before it reads a byte, and the socket file is 0660 root:adm.
 * The server answers on its own thread, one connection at a time, so that a command that
 * waits (a card on the reader, a sync pass) never holds up the caller's threads.
 */
#ifndef ADM_CONTROL_H
#define ADM_CONTROL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define CONTROL_LINE_MAX (64 * 1024) /* a request or an answer, newline included */

struct control;

/* Answers one request (on the server's thread): a new object with at least "ok". The
 * request is the caller's; the server adds nothing. NULL: out of memory. */
typedef json_t *(*control_fn)(void *ctx, const char *cmd, json_t *req);

/* Listens on path (a stale socket file there is replaced; one that answers is another
 * live process: refused). NULL with a sentence in err. */
struct control *control_start(const char *path, control_fn fn, void *ctx, char *err, size_t errlen);
/* Stops the thread and removes the socket file. NULL is fine. */
void control_stop(struct control *c);

/* Whether the peer (uid, gid and its groups) may use the socket: root or group adm. */
bool control_peer_allowed(unsigned uid, unsigned gid);

/* The client: sends req and waits up to timeout_ms for the answer. NULL with a sentence in
 * err; *running false when nothing listens at path (the process is stopped). */
json_t *control_call(const char *path, json_t *req, int timeout_ms, bool *running, char *err,
		     size_t errlen);

/* {"ok": false, "error": msg}: the usual refusal. */
json_t *control_refuse(const char *msg);

#endif
