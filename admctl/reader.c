/*
 * admctl reader test: lay any card; its type, its UID and whether it reads as a KTP-el,
 * never what it holds. Through the running kiosk (which owns the reader), or with the
 * kiosk stopped on the reader itself.
 */
#include "tech.h"

#include "clock.h"
#include "reader.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct direct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool seen, done, lost;
	struct reader_card card;
	bool ktp;
	const char *failure;
};

static void on_event(void *ctx, const struct reader_event *ev)
{
	struct direct *d = ctx;
	pthread_mutex_lock(&d->lock);
	if (ev->type == READER_EV_CARD_PRESENT && !d->seen) {
		d->seen = true;
		d->card = ev->card;
	} else if ((ev->type == READER_EV_IDENTITY || ev->type == READER_EV_CARD_FAILED) &&
		   d->seen && !d->done) {
		d->ktp = ev->type == READER_EV_IDENTITY; /* the identity is not kept */
		d->failure = d->ktp ? "" : reader_failure_name(ev->failure);
		d->done = true;
	} else if (ev->type == READER_EV_READER_LOST) {
		d->lost = true;
	}
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

/* The kiosk is stopped: the reader is ours for the test. */
static json_t *direct_test(const char *conn, int timeout_s, char *err, size_t errlen)
{
	struct direct d = { .lock = PTHREAD_MUTEX_INITIALIZER };
	clock_mono_cond_init(&d.cond);
	/* in adm-readerd when it is installed: a libnfc fault then costs a read, not admctl */
	char helper[4096];
	bool have_helper = reader_helper_find(helper, sizeof(helper));
	struct reader_config rc = { .connstring = conn,
				    .on_event = on_event,
				    .ctx = &d,
				    .helper = have_helper ? helper : NULL };
	struct reader *r = reader_create(&rc);
	if (!r) {
		pthread_cond_destroy(&d.cond);
		snprintf(err, errlen, "cannot start the reader %.200s", conn);
		return NULL;
	}
	struct timespec until = clock_mono_after(timeout_s * 1000);
	pthread_mutex_lock(&d.lock);
	while (!d.done && pthread_cond_timedwait(&d.cond, &d.lock, &until) == 0)
		;
	pthread_mutex_unlock(&d.lock);
	reader_destroy(r);
	pthread_cond_destroy(&d.cond);
	if (!d.done) {
		snprintf(err, errlen, "%s",
			 d.lost ? "the reader does not answer"
				: "no card was laid on the reader in time");
		return NULL;
	}
	char uid[21];
	sodium_bin2hex(uid, sizeof(uid), d.card.uid, d.card.uid_len < 10 ? d.card.uid_len : 10);
	return json_pack("{s:s, s:s, s:b, s:s}", "type",
			 d.card.type_b ? "ISO 14443-B" : "ISO 14443-A", "uid", uid, "ktp", d.ktp,
			 "failure", d.failure);
}

static void human(json_t *o)
{
	const char *f = json_string_value(json_object_get(o, "failure"));
	printf("card: %s, UID %s, %s%s%s\n", json_string_value(json_object_get(o, "type")),
	       json_string_value(json_object_get(o, "uid")),
	       json_is_true(json_object_get(o, "ktp")) ? "reads as a KTP-el"
						       : "NOT a readable KTP-el",
	       f && f[0] ? ": " : "", f ? f : "");
}

int admctl_reader(int argc, char **argv)
{
	static const char help[] =
	    "usage: admctl reader test [--timeout S] [--config FILE] [--json]\n"
	    "Waits for a card on the reader (default 30 s) and says its type, its UID and\n"
	    "whether it reads as a KTP-el; nothing it holds is shown. Through the running\n"
	    "kiosk, or on the reader itself when the kiosk is stopped.\n"
	    "  --timeout S     how long to wait for the card\n";
	static const char *const subs[] = { "test", NULL };
	struct tech t;
	int rc;
	if (tech_subcommand(argc, argv, subs, help, &rc) < 0)
		return rc;
	rc = tech_begin(&t, "reader test", argc - 1, argv + 1, 0, help);
	if (rc >= 0)
		return rc;
	if (!t.cfg.nfc_device[0])
		return tech_fail(&t, ADMCTL_REFUSED, "no card reader configured ([nfc] device)");
	int timeout = t.timeout_s ? t.timeout_s : 30;
	char err[256];
	bool running;
	json_t *ans = tech_call(&t, t.cfg.control,
				json_pack("{s:s, s:i}", "cmd", "reader-test", "timeout_s", timeout),
				timeout + 5, &running, err, sizeof(err));
	if (!running)
		ans = direct_test(t.cfg.nfc_device, timeout, err, sizeof(err));
	else if (ans && !json_is_true(json_object_get(ans, "ok"))) {
		snprintf(err, sizeof(err), "%s", json_string_value(json_object_get(ans, "error")));
		json_decref(ans);
		ans = NULL;
	}
	char detail[96];
	snprintf(detail, sizeof(detail), "%s (admctl)",
		 !ans					     ? "no card"
		 : json_is_true(json_object_get(ans, "ktp")) ? "a KTP-el"
							     : "not a KTP-el");
	tech_audit_once(&t, "technician-reader-test", detail);
	if (!ans)
		return tech_fail(&t, ADMCTL_REFUSED, "%s", err);
	json_object_set_new(ans, "through", json_string(running ? "kiosk" : "reader"));
	return tech_done(&t, ADMCTL_OK, ans, human);
}
