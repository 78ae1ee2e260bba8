/*
 * The screen as a touch sees it (screen_state.h).
 */
#include "screen_state.h"

#include "view.h"

#include <string.h>

void screen_share_init(struct screen_share *sh)
{
	memset(&sh->s, 0, sizeof(sh->s));
	pthread_mutex_init(&sh->lock, NULL);
}

void screen_share_destroy(struct screen_share *sh)
{
	pthread_mutex_destroy(&sh->lock);
}

void screen_share_publish(struct screen_share *sh, const struct flow *f, const struct view *v,
			  bool presented, unsigned touches)
{
	struct screen_state s = { .state = f->state,
				  .error = f->error,
				  .waiting = f->waiting,
				  .countdown_s = flow_countdown_s(f),
				  .lock_minutes =
				      f->error == ERR_PIN_LOCKED ? f->s.lock_minutes : 0,
				  .w = v->w,
				  .h = v->h,
				  .touches = touches };
	for (int i = 0; i < v->n && s.n < SCREEN_TARGETS_MAX; i++) {
		const struct widget *wd = &v->items[i];
		if (wd->tappable)
			s.t[s.n++] = (struct screen_target){ wd->action, wd->arg, wd->r.x,
							     wd->r.y,	 wd->r.w, wd->r.h };
	}
	pthread_mutex_lock(&sh->lock);
	s.frame = sh->s.frame + (presented ? 1 : 0);
	sh->s = s;
	pthread_mutex_unlock(&sh->lock);
}

void screen_share_get(struct screen_share *sh, struct screen_state *out)
{
	pthread_mutex_lock(&sh->lock);
	*out = sh->s;
	pthread_mutex_unlock(&sh->lock);
}
