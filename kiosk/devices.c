/*
 * DESIGN. Each driver calls back on its own worker thread. The callbacks here only copy
 * what the flow needs into a flow event and app_post() it: no locking, no blocking. Identity data
 * is wiped from the stack after posting.
 */
#include "devices.h"

#include "clock.h"
#include "log.h"
#include "qr_payload.h"
#include "reader.h"
#include "scanner.h"
#include "usb_hotplug.h"

#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct devices {
	struct app *app;
	struct reader *reader;
	struct scanner *scanner;
	struct usb_hotplug *usb;
	bool usb_reader; /* the reader is a libnfc USB device (acr122_usb, pn53x_usb) */
	atomic_bool reader_up, scanner_up; /* for devices_health(), set by the drivers' threads */
	char tech_cards[512]; /* "04A1B2...,0812..." upper case, from the configuration */
	/* a reader test (devices_reader_test): the driver's thread fills test, under lock */
	pthread_mutex_t test_lock;
	pthread_cond_t test_cond;
	enum { TEST_NONE, TEST_WAITING, TEST_CARD, TEST_DONE } test_state;
	bool test_cancel;
	struct devices_card_test test;
};

/* During a reader test the card is the test's, not a citizen's: true when taken. */
static bool reader_test_take(struct devices *d, const struct reader_event *rev)
{
	bool taken = false;
	pthread_mutex_lock(&d->test_lock);
	if (rev->type == READER_EV_CARD_PRESENT && d->test_state == TEST_WAITING) {
		d->test.type_b = rev->card.type_b;
		sodium_bin2hex(d->test.uid, sizeof(d->test.uid), rev->card.uid,
			       rev->card.uid_len < 10 ? rev->card.uid_len : 10);
		d->test_state = TEST_CARD;
		taken = true;
	} else if ((rev->type == READER_EV_IDENTITY || rev->type == READER_EV_CARD_FAILED) &&
		   d->test_state == TEST_CARD) {
		d->test.ktp = rev->type == READER_EV_IDENTITY; /* the identity itself is dropped */
		d->test.failure = d->test.ktp ? "" : reader_failure_name(rev->failure);
		d->test_state = TEST_DONE;
		pthread_cond_broadcast(&d->test_cond);
		taken = true;
	}
	pthread_mutex_unlock(&d->test_lock);
	return taken;
}

void devices_reader_test_cancel(struct devices *d)
{
	pthread_mutex_lock(&d->test_lock);
	d->test_cancel = true;
	pthread_cond_broadcast(&d->test_cond);
	pthread_mutex_unlock(&d->test_lock);
}

bool devices_reader_test(struct devices *d, int timeout_ms, struct devices_card_test *out)
{
	struct timespec until = clock_mono_after(timeout_ms);
	pthread_mutex_lock(&d->test_lock);
	if (!d->reader || d->test_state != TEST_NONE) {
		pthread_mutex_unlock(&d->test_lock);
		return false;
	}
	memset(&d->test, 0, sizeof(d->test));
	d->test_state = TEST_WAITING;
	while (d->test_state != TEST_DONE && !d->test_cancel &&
	       pthread_cond_timedwait(&d->test_cond, &d->test_lock, &until) == 0)
		;
	bool done = d->test_state == TEST_DONE;
	if (done)
		*out = d->test;
	d->test_state = TEST_NONE;
	pthread_mutex_unlock(&d->test_lock);
	return done;
}

/* Whether the card's UID is on the technicians' list. */
static bool technician_card(const struct devices *d, const struct reader_card *c)
{
	char hex[2 * sizeof(c->uid) + 1];
	size_t n = strlen(d->tech_cards), hl;

	if (!n || !c->uid_len)
		return false;
	sodium_bin2hex(hex, sizeof(hex), c->uid, c->uid_len);
	hl = strlen(hex);
	for (size_t i = 0; i < hl; i++)
		hex[i] = (char)toupper((unsigned char)hex[i]);
	for (const char *p = d->tech_cards; *p;) {
		size_t len = strcspn(p, ", ");
		if (len == hl && strncmp(p, hex, hl) == 0)
			return true;
		p += len;
		p += strspn(p, ", ");
	}
	return false;
}

static void set_service(struct devices *d, unsigned bit, bool on)
{
	app_service(d->app, bit, on);
}

static enum flow_error card_error(enum reader_failure f)
{
	switch (f) {
	case READER_FAIL_FOREIGN:
		return ERR_CARD_FOREIGN;
	case READER_FAIL_REMOVED:
		return ERR_CARD_REMOVED;
	case READER_FAIL_MULTIPLE:
		return ERR_CARD_MULTIPLE;
	case READER_FAIL_READER:
		return ERR_READER_FAILED; /* not "lifted too soon": the reader is at fault */
	default:
		return ERR_CARD_UNREADABLE;
	}
}

static void on_reader(void *ctx, const struct reader_event *rev)
{
	struct devices *d = ctx;
	struct flow_event ev = flow_ev(EV_TICK, 0);

	if (reader_test_take(d, rev))
		return;
	switch (rev->type) {
	case READER_EV_READY:
		log_info("card reader ready");
		atomic_store(&d->reader_up, true);
		set_service(d, SVC_READER_LOST, false);
		return;
	case READER_EV_READER_LOST:
		log_warn("card reader lost: %s", rev->detail ? rev->detail : "no answer");
		atomic_store(&d->reader_up, false);
		set_service(d, SVC_READER_LOST, true);
		return;
	case READER_EV_READER_BACK:
		log_info("card reader back");
		atomic_store(&d->reader_up, true);
		set_service(d, SVC_READER_LOST, false);
		return;
	case READER_EV_CARD_PRESENT:
		ev.type = technician_card(d, &rev->card) ? EV_TECH_CARD : EV_CARD_PRESENT;
		if (ev.type == EV_TECH_CARD)
			log_info("technician card laid on the reader");
		break;
	case READER_EV_CARD_REMOVED:
		ev.type = EV_CARD_REMOVED;
		break;
	case READER_EV_CARD_FAILED:
		log_info("card not read: %s%s%s", reader_failure_name(rev->failure),
			 rev->detail ? ": " : "", rev->detail ? rev->detail : "");
		ev.type = EV_CARD_FAILED;
		ev.error = card_error(rev->failure);
		break;
	case READER_EV_IDENTITY:
		ev.type = EV_CARD_IDENTITY;
		memcpy(ev.nik, rev->identity.nik, sizeof(ev.nik));
		/* The card holds up to CARD_NAME_MAX bytes; the screen shows the first 63. */
		memcpy(ev.name, rev->identity.name, sizeof(ev.name) - 1);
		ev.name[sizeof(ev.name) - 1] = '\0';
		break;
	}
	app_post(d->app, &ev);
	sodium_memzero(&ev, sizeof(ev));
}

static void on_scan(void *ctx, const char *line, size_t len)
{
	struct devices *d = ctx;
	struct qr_payload qr;
	struct flow_event ev = flow_ev(EV_QR_INVALID, 0);
	int rc = qr_parse(line, len, &qr);

	if (rc == QR_OK && qr.kind == QR_LOGIN) {
		ev.type = EV_QR_NIK;
		memcpy(ev.nik, qr.nik, sizeof(ev.nik));
	} else if (rc == QR_OK && strlen(qr.token) == FLOW_PIN_LEN &&
		   strspn(qr.token, "0123456789") == FLOW_PIN_LEN) {
		/* A document's print QR: in this profile its token is the print PIN. */
		ev.type = EV_QR_DOC;
		snprintf(ev.doc_id, sizeof(ev.doc_id), "%s", qr.doc_id);
		memcpy(ev.pin, qr.token, sizeof(ev.pin));
	} else if (rc == QR_OK) {
		log_info("scanner: a document QR code whose token is not a print PIN");
	} else {
		log_info("scanner: code refused: %s", qr_strerror(rc));
	}
	app_post(d->app, &ev);
	sodium_memzero(&qr, sizeof(qr));
	sodium_memzero(&ev, sizeof(ev));
}

static void on_scanner_state(void *ctx, bool present)
{
	struct devices *d = ctx;
	/* Without a scanner citizens still have the card and the keypad: no service fault. */
	atomic_store(&d->scanner_up, present);
	log_info("QR scanner %s", present ? "connected" : "not connected");
}

static void on_usb(void *ctx, enum usb_action action, const struct usb_ids *ids)
{
	struct devices *d = ctx;
	(void)ids;
	/* A USB reader pulled out is out of service at once, not at libnfc's next timeout;
	 * the reader driver says when it is back. Serial bridges are not acted on: one may
	 * be the scanner's, and a reader that never went away would never say it is back. */
	if (action == USB_ACT_READER_GONE && d->usb_reader && d->reader) {
		atomic_store(&d->reader_up, false);
		set_service(d, SVC_READER_LOST, true);
	}
}

void devices_health(struct devices *d, struct health *h)
{
	h->reader_configured = d->reader != NULL;
	h->reader_ok = atomic_load(&d->reader_up);
	struct reader_stats rs;
	reader_get_stats(d->reader, &rs);
	h->reader_watchdog = rs.watchdog;
	h->reader_crashes = rs.crashes;
	h->scanner_configured = d->scanner != NULL;
	h->scanner_ok = atomic_load(&d->scanner_up);
}

struct devices *devices_start(struct app *app, const struct kiosk_config *cfg)
{
	struct devices *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->app = app;
	pthread_mutex_init(&d->test_lock, NULL);
	clock_mono_cond_init(&d->test_cond);
	for (size_t i = 0; i < sizeof(d->tech_cards) - 1 && cfg->tech_cards[i]; i++)
		d->tech_cards[i] = (char)toupper((unsigned char)cfg->tech_cards[i]);
	if (cfg->nfc_device[0]) {
		/* The driver runs in adm-readerd: whatever libnfc does on a hostile line (an
		 * abort, a read that never returns) costs a restart of that process, never the
		 * kiosk (docs/design.md). Not found: the supervisor reports the reader lost. */
		char helper[4096];
		if (!reader_helper_find(helper, sizeof(helper)))
			log_error("the card reader's process %s is missing", helper);
		struct reader_config rc = {
			.connstring = cfg->nfc_device,
			.on_event = on_reader,
			.ctx = d,
			.helper = helper,
		};
		/* A reader that cannot be opened reports READER_EV_READER_LOST itself. */
		d->reader = reader_create(&rc);
		if (!d->reader) {
			free(d);
			return NULL;
		}
	} else {
		log_info("no card reader configured ([nfc] device): NIK and QR only");
	}
	d->usb_reader = strncmp(cfg->nfc_device, "acr122_usb", 10) == 0 ||
			strncmp(cfg->nfc_device, "pn53x_usb", 9) == 0;
	struct usb_hotplug_config uc = { .on_change = on_usb, .ctx = d };
	d->usb = usb_hotplug_start(&uc); /* NULL where the system has no hotplug: fine */
	if (cfg->scanner_device[0]) {
		struct scanner_config sc = {
			.device = cfg->scanner_device,
			.on_line = on_scan,
			.on_state = on_scanner_state,
			.ctx = d,
		};
		d->scanner = scanner_create(&sc);
		if (!d->scanner) {
			usb_hotplug_stop(d->usb);
			reader_destroy(d->reader);
			free(d);
			return NULL;
		}
	}
	return d;
}

void devices_stop(struct devices *d)
{
	if (!d)
		return;
	usb_hotplug_stop(d->usb);
	scanner_destroy(d->scanner);
	reader_destroy(d->reader);
	pthread_cond_destroy(&d->test_cond);
	pthread_mutex_destroy(&d->test_lock);
	free(d);
}
