/* Loading and re-loading the store's active content bundle on a worker thread (see
 * content_watch.h). */
#include "content_watch.h"

#include "content_load.h"
#include "log.h"
#include "store.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct content_watch {
	struct app *app;
	const struct kiosk_config *cfg;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	/* the active id last looked at (so a bundle that failed to load is not loaded again
	 * every few seconds), the id of the bundle on screen ("" none), and the last reason
	 * there was nothing to look at (logged once, not every poll) */
	char seen[65], shown[65];
	int idle_rc;
};

/* content_load_view's reader over the store; the first failure is kept, so a file damaged
 * on disk fails the whole load instead of leaving its banner out silently. */
struct store_read {
	const content_store_bundle *b;
	int rc;
	char reason[CONTENT_REASON_MAX];
};

static int read_store(const struct content_file *f, void *user, unsigned char **data, size_t *len)
{
	struct store_read *r = user;
	char reason[CONTENT_REASON_MAX];
	int rc = content_store_bundle_read_file(r->b, f, data, len, reason, sizeof(reason));
	if (rc < 0 && r->rc == 0) {
		r->rc = rc;
		snprintf(r->reason, sizeof(r->reason), "%s", reason);
	}
	return rc;
}

static void free_bundle(void *b)
{
	content_store_bundle_free(b);
}

/* Loads the active (or previous) bundle and makes its view: 0 with *out, or a negative
 * code with the reason. */
static int load(const char *dir, bool active, struct content_view **out, char *id, char *reason,
		size_t reason_size, int utc_offset_s)
{
	content_store_bundle *b = NULL;
	*out = NULL;
	int rc = active ? content_store_load_active(dir, &b, reason, reason_size)
			: content_store_load_previous(dir, &b, reason, reason_size);
	if (rc < 0)
		return rc;
	snprintf(id, 65, "%s", content_store_bundle_id(b));
	struct store_read r = { .b = b };
	struct content_view *cv =
	    content_load_view(content_store_bundle_manifest(b), content_store_bundle_floor(b),
			      free_bundle, b, read_store, &r, utc_offset_s);
	if (!cv) {
		snprintf(reason, reason_size, "out of memory");
		return CONTENT_E_NOMEM;
	}
	if (r.rc < 0) {
		snprintf(reason, reason_size, "%s", r.reason);
		content_view_destroy(cv);
		return r.rc;
	}
	*out = cv;
	return CONTENT_OK;
}

static void show(struct content_watch *w, struct content_view *cv, const char *id, const char *what,
		 int64_t t0)
{
	const struct content_manifest *m = content_view_manifest(cv);
	snprintf(w->shown, sizeof(w->shown), "%s", id);
	log_info("content bundle %s version %lld on screen (%s bundle %.16s): %zu item(s), "
		 "%zu file(s), loaded in %.1f ms CPU",
		 m->publisher, (long long)m->version, what, id, m->nitems, m->nfiles,
		 (double)((int64_t)clock() - t0) * 1000.0 / CLOCKS_PER_SEC);
	app_content(w->app, cv);
}

static void check(struct content_watch *w)
{
	const char *dir = w->cfg->content_store;
	char id[65], reason[CONTENT_REASON_MAX];
	struct content_view *cv = NULL;

	int rc = content_store_active_id(dir, id, reason, sizeof(reason));
	if (rc < 0) {
		/* no store, not provisioned, nothing installed yet: the attract screen goes on
		 * without content (or with the one it shows), and says why once */
		if (rc != w->idle_rc)
			log_info("content: nothing new to show from %s: %s", dir, reason);
		w->idle_rc = rc;
		w->seen[0] = '\0';
		return;
	}
	w->idle_rc = 0;
	if (strcmp(id, w->seen) == 0)
		return;
	snprintf(w->seen, sizeof(w->seen), "%s", id);
	if (strcmp(id, w->shown) == 0)
		return; /* e.g. a rollback of a rollback back onto the one on screen */

	int64_t t0 = (int64_t)clock();
	int utc = w->cfg->utc_offset_h * 3600;
	rc = load(dir, true, &cv, id, reason, sizeof(reason), utc);
	if (rc == 0) {
		show(w, cv, id, "active", t0);
		return;
	}
	/* The one on screen stays: a bundle that fails to load never blanks the screen. The
	 * kiosk does not roll the store back itself (see content_watch.h): it reads only. */
	log_warn("content: the active bundle %.16s failed to load: %s: %s", id,
		 content_store_strerror(rc), reason);
	if (w->shown[0]) {
		log_warn("content: the bundle on screen (%.16s) stays", w->shown);
		return;
	}
	char prev[65];
	rc = load(dir, false, &cv, prev, reason, sizeof(reason), utc);
	if (rc < 0) {
		log_warn("content: no previous bundle to fall back to: %s: %s",
			 content_store_strerror(rc), reason);
		return;
	}
	show(w, cv, prev, "previous", t0);
}

static void *run(void *arg)
{
	struct content_watch *w = arg;

	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		pthread_mutex_unlock(&w->lock);
		check(w);
		pthread_mutex_lock(&w->lock);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += CONTENT_WATCH_S;
		while (!w->stop && pthread_cond_timedwait(&w->cond, &w->lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct content_watch *content_watch_start(struct app *app, const struct kiosk_config *cfg)
{
	if (!cfg->content_store[0]) {
		log_info("no content store configured ([content] store)");
		return NULL;
	}
	struct content_watch *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->app = app;
	w->cfg = cfg;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	/* Signals belong to the UI thread's loop: the watcher blocks them all. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&w->thread, NULL, run, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_error("content: cannot start its thread");
		pthread_cond_destroy(&w->cond);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return NULL;
	}
	return w;
}

void content_watch_stop(struct content_watch *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w);
}
