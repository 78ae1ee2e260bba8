/*
 * admctl's requests to the running kiosk (control_kiosk.h).
 */
#include "control_kiosk.h"

#include "adm-config.h"

#include "clock.h"
#include "control.h"
#include "flow.h"
#include "log.h"
#include "printer.h"
#include "technician.h"
#include "screen_state.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A reader test waits at most this long for a card, whatever admctl asks. */
#define READER_TEST_MAX_S 120

struct kiosk_control {
	struct control *srv;
	struct app *app;
	const struct kiosk_config *cfg;
	struct devices *devices;
	struct printing *printing;
	struct technician *technician;
	int64_t started_ms;
	pthread_mutex_t lock;
	char *health; /* under lock: the last health JSON */
};

static json_t *status(struct kiosk_control *kc)
{
	/* the UI thread waits for this lock each second: copy, and parse outside it */
	pthread_mutex_lock(&kc->lock);
	char *copy = kc->health ? strdup(kc->health) : NULL;
	pthread_mutex_unlock(&kc->lock);
	json_error_t jerr;
	json_t *health = copy ? json_loads(copy, 0, &jerr) : NULL;
	free(copy);
	/* the queues a technician took out of service */
	json_t *off = json_array();
	const char *queues[2] = { kc->cfg->a4_queue, kc->cfg->card_queue };
	for (int q = 0; q < 2; q++)
		if (queues[q][0] && technician_queue_off(kc->technician, q))
			json_array_append_new(off, json_string(queues[q]));
	return json_pack("{s:b, s:s, s:s, s:I, s:o, s:o}", "ok", 1, "kiosk", kc->cfg->kiosk_id,
			 "version", ADM_VERSION, "uptime_s",
			 (json_int_t)((clock_mono_ms() - kc->started_ms) / 1000), "health",
			 health ? health : json_null(), "queues_off", off);
}

static json_t *service(struct kiosk_control *kc, json_t *req)
{
	json_t *on = json_object_get(req, "on");
	const char *msg = json_string_value(json_object_get(req, "message"));
	const char *queue = json_string_value(json_object_get(req, "queue"));
	char err[160];
	if (!json_is_boolean(on) || (!json_is_true(on) && (!msg || !msg[0])))
		return control_refuse(
		    "expected {\"on\": true} or {\"on\": false, \"message\": ...}");
	if (queue) { /* one queue: its documents cannot be chosen while it is out */
		if (!technician_service_show(kc->technician, queue, json_is_true(on) ? "" : msg,
					     err, sizeof(err)))
			return control_refuse(err);
		log_info("technician: the %s queue %s (admctl service)", queue,
			 json_is_true(on) ? "back in service" : "out of service");
	} else if (json_is_true(on)) {
		app_service_message(kc->app, "");
		app_service(kc->app, SVC_MAINTENANCE, false);
		log_info("technician: back in service (admctl service on)");
	} else {
		app_service_message(kc->app, msg); /* before the bit: events arrive in order */
		app_service(kc->app, SVC_MAINTENANCE, true);
		log_info("technician: out of service (admctl service off)");
	}
	return json_pack("{s:b}", "ok", 1);
}

static json_t *reader_test(struct kiosk_control *kc, json_t *req)
{
	json_int_t t = json_integer_value(json_object_get(req, "timeout_s"));
	struct devices_card_test ct;
	if (!kc->cfg->nfc_device[0])
		return control_refuse("no card reader configured ([nfc] device)");
	if (t <= 0 || t > READER_TEST_MAX_S)
		t = 30;
	log_info("technician: reader test, waiting %d s for a card", (int)t);
	if (!devices_reader_test(kc->devices, (int)t * 1000, &ct))
		return control_refuse("no card was laid on the reader in time");
	return json_pack("{s:b, s:s, s:s, s:b, s:s}", "ok", 1, "type",
			 ct.type_b ? "ISO 14443-B" : "ISO 14443-A", "uid", ct.uid, "ktp", ct.ktp,
			 "failure", ct.failure);
}

/* A test page through the kiosk's own printer handle: its counters count it. */
static json_t *test_print(struct kiosk_control *kc, json_t *req)
{
	const char *queue = json_string_value(json_object_get(req, "queue"));
	struct technician_test tt;
	char err[160];
	if (!queue)
		return control_refuse("expected {\"queue\": ...}");
	log_info("technician: test page on %s (admctl)", queue);
	if (!technician_test_print(kc->technician, queue, &tt, err, sizeof(err)))
		return control_refuse(err);
	if (tt.rc)
		return json_pack("{s:b, s:s, s:s}", "ok", 0, "error", printer_strerror(tt.rc),
				 "outcome", "not-submitted");
	return json_pack("{s:b, s:s, s:i, s:i, s:s, s:s}", "ok", 1, "queue", queue, "job",
			 tt.job_id, "sheets", tt.sheets, "outcome",
			 printer_outcome_name((enum printer_outcome)tt.outcome), "why", tt.why);
}

/* The screen as a touch sees it (screen_state.h): where each button is and what it does. */
static json_t *screen(struct kiosk_control *kc)
{
	struct screen_state st;
	app_screen(kc->app, &st);
	json_t *targets = json_array();
	for (int i = 0; i < st.n; i++) {
		const struct screen_target *t = &st.t[i];
		json_array_append_new(targets,
				      json_pack("{s:s, s:i, s:i, s:i, s:i, s:i}", "action",
						flow_action_name(t->action), "arg", t->arg, "x",
						t->x, "y", t->y, "w", t->w, "h", t->h));
	}
	return json_pack("{s:b, s:s, s:s, s:b, s:i, s:i, s:i, s:i, s:I, s:I, s:o}", "ok", 1,
			 "state", flow_state_name(st.state), "error", flow_error_name(st.error),
			 "waiting", st.waiting, "countdown_s", st.countdown_s, "lock_minutes",
			 st.lock_minutes, "w", st.w, "h", st.h, "frame", (json_int_t)st.frame,
			 "touches", (json_int_t)st.touches, "targets", targets);
}

static json_t *answer(void *ctx, const char *cmd, json_t *req)
{
	struct kiosk_control *kc = ctx;
	if (strcmp(cmd, "status") == 0)
		return status(kc);
	if (strcmp(cmd, "screen") == 0)
		return screen(kc);
	if (strcmp(cmd, "service") == 0)
		return service(kc, req);
	if (strcmp(cmd, "reader-test") == 0)
		return reader_test(kc, req);
	if (strcmp(cmd, "test-print") == 0)
		return test_print(kc, req);
	if (strcmp(cmd, "prints-changed") == 0) {
		printing_recount(kc->printing);
		return json_pack("{s:b}", "ok", 1);
	}
	return control_refuse("unknown command");
}

struct kiosk_control *kiosk_control_start(struct app *app, const struct kiosk_config *cfg,
					  struct devices *devices, struct printing *printing,
					  struct technician *technician)
{
	char err[256];
	if (!cfg->control[0])
		return NULL;
	struct kiosk_control *kc = calloc(1, sizeof(*kc));
	if (!kc)
		return NULL;
	kc->app = app;
	kc->cfg = cfg;
	kc->devices = devices;
	kc->printing = printing;
	kc->technician = technician;
	kc->started_ms = clock_mono_ms();
	pthread_mutex_init(&kc->lock, NULL);
	kc->srv = control_start(cfg->control, answer, kc, err, sizeof(err));
	if (!kc->srv) {
		log_warn("no admctl socket: %s", err);
		pthread_mutex_destroy(&kc->lock);
		free(kc);
		return NULL;
	}
	log_info("admctl socket %s", cfg->control);
	return kc;
}

void kiosk_control_stop(struct kiosk_control *kc)
{
	if (!kc)
		return;
	devices_reader_test_cancel(kc->devices); /* a test waiting for a card ends now */
	control_stop(kc->srv);
	pthread_mutex_destroy(&kc->lock);
	free(kc->health);
	free(kc);
}

void kiosk_control_health(struct kiosk_control *kc, const char *json)
{
	if (!kc)
		return;
	char *copy = strdup(json);
	pthread_mutex_lock(&kc->lock);
	free(kc->health);
	kc->health = copy;
	pthread_mutex_unlock(&kc->lock);
}
