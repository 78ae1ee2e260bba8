/*
 * The screen as a touch sees it: the flow's state and the rectangles a touch can land on,
 * each with what it does. The UI thread publishes it with every frame it builds, from the
 * same widget list that hit-tests touches (view.h); admctl screen reads it through the
 * control socket (control_kiosk.c), and the end-to-end tests and the demo find a button's
 * centre in it instead of hard-coding pixels for one layout.
 *
 * No text is kept, only actions, their arguments (a keypad digit's label, a document's
 * place in the list) and rectangles: nothing a citizen typed or owns leaves the UI thread.
 */
#ifndef ADM_SCREEN_STATE_H
#define ADM_SCREEN_STATE_H

#include "flow.h"

#include <pthread.h>
#include <stdbool.h>

#define SCREEN_TARGETS_MAX 48

struct screen_target {
	enum flow_action action;
	int arg;
	int x, y, w, h;
};

struct screen_state {
	enum flow_state state;
	enum flow_error error;
	bool waiting;	  /* an answer is awaited: the keypad is locked */
	int countdown_s;  /* the inactivity countdown on screen, 0 none */
	int lock_minutes; /* pin-locked: the minutes the screen says are left */
	int w, h;
	unsigned frame;	  /* frames presented so far */
	unsigned touches; /* touches ended so far, on a button or not */
	int n;
	struct screen_target t[SCREEN_TARGETS_MAX];
};

struct view;

struct screen_share {
	pthread_mutex_t lock;
	struct screen_state s;
};

void screen_share_init(struct screen_share *sh);
void screen_share_destroy(struct screen_share *sh);
/* UI thread: the view just built for f, which touches now hit; presented says whether a
 * frame went to the screen for it (the frame counter moves on); touches, how many touches
 * the UI thread has handled. */
void screen_share_publish(struct screen_share *sh, const struct flow *f, const struct view *v,
			  bool presented, unsigned touches);
/* Any thread: a copy of the last one published. */
void screen_share_get(struct screen_share *sh, struct screen_state *out);

#endif
