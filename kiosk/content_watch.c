/* Loading and re-loading the content bundle on a worker thread (see content_watch.h). */
#include "content_watch.h"

#include "content_load.h"
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct content_watch {
	struct app *app;
	const struct kiosk_config *cfg;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	/* what was last looked at, so an unchanged file is not read again */
	struct stat seen;
	bool have_seen;
	/* the accepted bundle: replays and older versions are refused, and its created
	 * raises the kiosk's notion of now */
	char publisher[64];
	int64_t version, created;
};

static int64_t last_version(const char *publisher, void *user)
{
	const struct content_watch *w = user;
	return strcmp(publisher, w->publisher) == 0 ? w->version : 0;
}

static bool changed(struct content_watch *w)
{
	struct stat st;
	if (stat(w->cfg->content_bundle, &st) != 0) {
		if (w->have_seen || errno != ENOENT)
			log_warn("content bundle %s: %s", w->cfg->content_bundle, strerror(errno));
		w->have_seen = false;
		return false;
	}
	bool same = w->have_seen && st.st_ino == w->seen.st_ino && st.st_dev == w->seen.st_dev &&
		    st.st_size == w->seen.st_size && st.st_mtim.tv_sec == w->seen.st_mtim.tv_sec &&
		    st.st_mtim.tv_nsec == w->seen.st_mtim.tv_nsec;
	w->seen = st;
	w->have_seen = true;
	return !same;
}

static void load(struct content_watch *w)
{
	char reason[CONTENT_REASON_MAX];
	const char *chain[1] = { w->cfg->content_keyring };
	content_keyring *kr = NULL;
	struct content_view *cv = NULL;

	int rc = content_keyring_load_chain(chain, 1, &kr, reason, sizeof(reason));
	if (rc < 0) {
		log_warn("content: keyring %s refused: %s", w->cfg->content_keyring, reason);
		return;
	}
	struct content_policy p = {
		.kiosk_id = w->cfg->kiosk_id,
		.region = w->cfg->content_region,
		.wall_now = (int64_t)time(NULL),
		.newest_created = w->created,
		.last_version = last_version,
		.user = w,
	};
	int64_t t0 = (int64_t)clock();
	rc = content_load_bundle_file(w->cfg->content_bundle, kr, &p, w->cfg->utc_offset_h * 3600,
				      &cv, reason, sizeof(reason));
	content_keyring_free(kr);
	if (rc < 0) {
		/* the bundle on screen (if any) stays: a bad one never blanks the screen */
		log_warn("content bundle %s refused: %s: %s", w->cfg->content_bundle,
			 content_strerror(rc), reason);
		return;
	}
	const struct content_manifest *m = content_view_manifest(cv);
	snprintf(w->publisher, sizeof(w->publisher), "%s", m->publisher);
	w->version = m->version;
	if (m->created > w->created)
		w->created = m->created;
	log_info("content bundle %s version %lld on screen: %zu item(s), %zu file(s), loaded in "
		 "%.1f ms CPU",
		 m->publisher, (long long)m->version, m->nitems, m->nfiles,
		 (double)((int64_t)clock() - t0) * 1000.0 / CLOCKS_PER_SEC);
	app_content(w->app, cv);
}

static void *run(void *arg)
{
	struct content_watch *w = arg;

	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		pthread_mutex_unlock(&w->lock);
		if (changed(w))
			load(w);
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
	if (!cfg->content_bundle[0]) {
		log_info("no content bundle configured ([content] bundle)");
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
