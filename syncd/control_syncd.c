/*
 * admctl's requests to adm-syncd (control_syncd.h). Each "sync" request takes a ticket;
 * a pass serves every ticket taken before it began.
 */
#include "control_syncd.h"

#include "clock.h"
#include "control.h"
#include "log.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Longer than any pass is allowed to take (the engine's budgets), shorter than forever. */
#define SYNC_WAIT_S 600

struct syncd_control {
	struct control *srv;
	const char *kiosk;
	pthread_mutex_t lock;
	pthread_cond_t ended;
	uint64_t asked, serving, served; /* tickets */
	bool stopping;			 /* no pass will come: waiting requests end */
	int last_rc;
	int64_t last_end; /* unix seconds, 0 never */
};

static json_t *sync_now(struct syncd_control *sc)
{
	struct timespec until = clock_mono_after(SYNC_WAIT_S * 1000);
	pthread_mutex_lock(&sc->lock);
	uint64_t ticket = ++sc->asked;
	int err = 0;
	while (sc->served < ticket && !sc->stopping && err == 0)
		err = pthread_cond_timedwait(&sc->ended, &sc->lock, &until);
	int rc = sc->last_rc;
	bool stopping = sc->served < ticket && sc->stopping;
	pthread_mutex_unlock(&sc->lock);
	if (stopping)
		return control_refuse("adm-syncd is stopping");
	if (err)
		return control_refuse("no pass ended in time");
	log_info("a pass asked for by admctl ended (%d)", rc);
	return json_pack("{s:b, s:i, s:s}", "ok", rc == 0, "result", rc, "error",
			 rc == 0 ? "" : "the pass did not complete (see adm-syncd's log)");
}

static json_t *status(struct syncd_control *sc)
{
	pthread_mutex_lock(&sc->lock);
	json_t *j = json_pack("{s:b, s:s, s:I, s:i}", "ok", 1, "kiosk", sc->kiosk, "last_pass",
			      (json_int_t)sc->last_end, "last_result", sc->last_rc);
	pthread_mutex_unlock(&sc->lock);
	return j;
}

static json_t *answer(void *ctx, const char *cmd, json_t *req)
{
	(void)req;
	if (strcmp(cmd, "sync") == 0)
		return sync_now(ctx);
	if (strcmp(cmd, "status") == 0)
		return status(ctx);
	return control_refuse("unknown command");
}

struct syncd_control *syncd_control_start(const char *path, const char *kiosk)
{
	char err[256];
	if (!path)
		return NULL;
	struct syncd_control *sc = calloc(1, sizeof(*sc));
	if (!sc)
		return NULL;
	sc->kiosk = kiosk;
	pthread_mutex_init(&sc->lock, NULL);
	clock_mono_cond_init(&sc->ended);
	sc->srv = control_start(path, answer, sc, err, sizeof(err));
	if (!sc->srv) {
		log_warn("no admctl socket: %s", err);
		syncd_control_stop(sc);
		return NULL;
	}
	return sc;
}

void syncd_control_stop(struct syncd_control *sc)
{
	if (!sc)
		return;
	pthread_mutex_lock(&sc->lock);
	sc->stopping = true;
	pthread_cond_broadcast(&sc->ended);
	pthread_mutex_unlock(&sc->lock);
	control_stop(sc->srv);
	pthread_cond_destroy(&sc->ended);
	pthread_mutex_destroy(&sc->lock);
	free(sc);
}

bool syncd_control_wanted(struct syncd_control *sc)
{
	if (!sc)
		return false;
	pthread_mutex_lock(&sc->lock);
	bool wanted = sc->asked > sc->serving;
	pthread_mutex_unlock(&sc->lock);
	return wanted;
}

void syncd_control_pass_begins(struct syncd_control *sc)
{
	if (!sc)
		return;
	pthread_mutex_lock(&sc->lock);
	sc->serving = sc->asked;
	pthread_mutex_unlock(&sc->lock);
}

void syncd_control_pass_ended(struct syncd_control *sc, int rc)
{
	if (!sc)
		return;
	pthread_mutex_lock(&sc->lock);
	sc->served = sc->serving;
	sc->last_rc = rc;
	sc->last_end = (int64_t)time(NULL);
	pthread_cond_broadcast(&sc->ended);
	pthread_mutex_unlock(&sc->lock);
}
