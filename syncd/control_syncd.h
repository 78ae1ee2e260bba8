/*
 * adm-syncd's side of admctl (control/control.h), on the control socket's thread:
 *   sync    a pass now (admctl sync now): the answer comes when a pass that began after
 *           the request has ended, with its result
 *   status  the last pass: when, its result
 * The main loop asks syncd_control_wanted() while it sleeps, and brackets each pass.
 */
#ifndef ADM_SYNCD_CONTROL_H
#define ADM_SYNCD_CONTROL_H

#include <stdbool.h>

struct syncd_control;

/* NULL (logged) when path is NULL or cannot be listened on: adm-syncd runs without. */
struct syncd_control *syncd_control_start(const char *path, const char *kiosk);
void syncd_control_stop(struct syncd_control *sc); /* NULL is fine */
/* A pass was asked for and has not begun (NULL: false). */
bool syncd_control_wanted(struct syncd_control *sc);
/* Around each pass (NULL is fine); rc is engine_pass's result, 0 complete. */
void syncd_control_pass_begins(struct syncd_control *sc);
void syncd_control_pass_ended(struct syncd_control *sc, int rc);

#endif
