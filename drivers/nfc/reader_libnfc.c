/*
 * Reader backend on libnfc (any device libnfc knows: pn532_uart, acr122_usb, pn53x_usb...).
 *
 * DESIGN. One worker thread per reader owns the nfc_context and nfc_device; nothing else
 * calls libnfc on them except reader_destroy, which calls nfc_abort_command under dev_lock
 * to cut a blocked command short. The worker loops:
 *   closed  -> nfc_open + nfc_initiator_init; on failure wait (backoff 100 ms .. 2 s);
 *   polling -> nfc_initiator_poll_target(A, B): the chip waits for a card itself (InAutoPoll),
 *              so no CPU is spent on an empty field; "no card" (-6 or 0 targets) just loops;
 *   card    -> report it, read the identity through the card profile, report the result;
 *   present -> one presence check every presence_ms (sleeping on a condition variable, not
 *              spinning like nfc-poll) until the card is gone, then report the removal.
 * Any I/O error from the device closes it and reports the reader lost; reopening reports it
 * back. The stop flag is checked between steps; the condition variable wakes the sleeps.
 * Before each step that may block, on_step announces how long it may take: libnfc cannot
 * be cut short in every state (a torn answer to InAutoPoll is awaited with no timeout and
 * no abort), so the watchdog that acts on it sits outside, in adm-readerd's supervisor.
 */
#include "card_profile.h"
#include "clock.h"
#include "log.h"
#include "reader_private.h"

#include <errno.h>
#include <nfc/nfc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 2000
#define POLL_NR	       2
#define POLL_PERIOD    2  /* x 150 ms per modulation type */
#define POLL_MIN_MS    50 /* a poll that returns faster than this is followed by a pause */
#define POLL_UNIT_MS   150
#define POLL_TYPES     3 /* InAutoPoll asks for ISO 14443-4A, generic 106 A and ISO 14443-4B */
/* Longest a step should take, from libnfc's own timeouts (pn532-protocol.md) with room. */
#define OPEN_BUDGET_MS	   4000 /* wake-up, SAMConfiguration 1 s, Diagnose 0.5 s, init */
#define POLL_BUDGET_MS	   (POLL_NR * POLL_PERIOD * POLL_UNIT_MS * POLL_TYPES)
#define PRESENCE_BUDGET_MS 2500 /* two pings of 300 ms, or a field reset and a select */
#define CLOSE_BUDGET_MS	   1500

struct reader_libnfc {
	struct reader base;
	char *connstring;
	void (*on_event)(void *ctx, const struct reader_event *ev);
	void (*on_step)(void *ctx, int budget_ms);
	void *ctx;
	struct secure_channel none;
	struct secure_channel *secure;
	int presence_ms, apdu_timeout_ms;

	pthread_t thread;
	atomic_bool stop;
	pthread_mutex_t lock; /* guards dev (for the aborting thread) and the sleeps */
	pthread_cond_t wake;
	nfc_context *nfc;      /* worker only */
	nfc_device *dev;       /* written by the worker under lock; read by reader_destroy */
	nfc_target target;     /* worker only: the card being read or watched */
	bool ping_unsupported; /* worker only: the chip cannot ping that card (see reselect) */
};

static bool libnfc_accepts(const char *connstring)
{
	return connstring[0] != '\0';
}

static void emit(struct reader_libnfc *r, struct reader_event *ev)
{
	ev->at_ms = clock_mono_ms();
	r->on_event(r->ctx, ev);
	memset(&ev->identity, 0, sizeof(ev->identity)); /* personal data lives no longer */
}

static void emit_simple(struct reader_libnfc *r, enum reader_event_type type, const char *detail)
{
	struct reader_event ev = { .type = type, .detail = detail };
	emit(r, &ev);
}

static void step(struct reader_libnfc *r, int budget_ms)
{
	if (r->on_step)
		r->on_step(r->ctx, budget_ms);
}

/* Sleeps ms unless stopped; returns false when the reader is stopping. */
static bool nap(struct reader_libnfc *r, int ms)
{
	step(r, ms);
	struct timespec ts = clock_mono_after(ms);
	pthread_mutex_lock(&r->lock);
	while (!atomic_load(&r->stop))
		if (pthread_cond_timedwait(&r->wake, &r->lock, &ts) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&r->lock);
	return !atomic_load(&r->stop);
}

static void close_device(struct reader_libnfc *r)
{
	pthread_mutex_lock(&r->lock);
	nfc_device *dev = r->dev;
	r->dev = NULL;
	pthread_mutex_unlock(&r->lock);
	step(r, CLOSE_BUDGET_MS);
	if (dev)
		nfc_close(dev);
}

static bool open_device(struct reader_libnfc *r)
{
	step(r, OPEN_BUDGET_MS);
	nfc_device *dev = nfc_open(r->nfc, r->connstring);
	if (!dev)
		return false;
	if (nfc_initiator_init(dev) < 0) {
		log_warn("reader: initiator init failed: %s", nfc_strerror(dev));
		nfc_close(dev);
		return false;
	}
	pthread_mutex_lock(&r->lock);
	r->dev = dev;
	pthread_mutex_unlock(&r->lock);
	return true;
}

static void describe(const nfc_target *nt, struct reader_card *c)
{
	memset(c, 0, sizeof(*c));
	if (nt->nm.nmt == NMT_ISO14443B) {
		const nfc_iso14443b_info *b = &nt->nti.nbi;
		c->type_b = true;
		memcpy(c->uid, b->abtPupi, 4);
		c->uid_len = 4;
		c->atqb[0] = 0x50;
		memcpy(c->atqb + 1, b->abtPupi, 4);
		memcpy(c->atqb + 5, b->abtApplicationData, 4);
		memcpy(c->atqb + 9, b->abtProtocolInfo, 3);
		c->atqb_len = 12;
		return;
	}
	const nfc_iso14443a_info *a = &nt->nti.nai;
	c->uid_len = a->szUidLen <= sizeof(c->uid) ? a->szUidLen : sizeof(c->uid);
	memcpy(c->uid, a->abtUid, c->uid_len);
	memcpy(c->atqa, a->abtAtqa, 2);
	c->sak = a->btSak;
	c->ats_len = a->szAtsLen <= sizeof(c->ats) ? a->szAtsLen : sizeof(c->ats);
	memcpy(c->ats, a->abtAts, c->ats_len);
}

static int transceive(void *ctx, const uint8_t *apdu, size_t len, uint8_t *resp, size_t cap)
{
	struct reader_libnfc *r = ctx;
	if (atomic_load(&r->stop))
		return -1;
	step(r, 2 * r->apdu_timeout_ms); /* MI chaining: one timeout per part received */
	return nfc_initiator_transceive_bytes(r->dev, apdu, len, resp, cap, r->apdu_timeout_ms);
}

enum presence { PRESENT, GONE, DEVICE_ERROR };

/*
 * Presence for a card the chip cannot ping: libnfc answers NFC_EDEVNOTSUPP for a phone in
 * peer-to-peer mode (SAK 40) or a type A card with SAK 00 and ATQA 0004, which is no fault
 * of the device. A field reset sends every card back to idle; selecting the same UID again
 * then finds it if it is still there (libnfc gives up after 300 ms when it is not).
 */
static enum presence reselect(struct reader_libnfc *r)
{
	const nfc_iso14443a_info *a = &r->target.nti.nai;
	nfc_target nt;
	if (nfc_device_set_property_bool(r->dev, NP_ACTIVATE_FIELD, false) < 0 ||
	    nfc_device_set_property_bool(r->dev, NP_ACTIVATE_FIELD, true) < 0)
		return DEVICE_ERROR;
	int res =
	    nfc_initiator_select_passive_target(r->dev, r->target.nm, a->abtUid, a->szUidLen, &nt);
	if (res > 0)
		return nt.nti.nai.szUidLen == a->szUidLen &&
			       memcmp(nt.nti.nai.abtUid, a->abtUid, a->szUidLen) == 0
			   ? PRESENT
			   : GONE;
	if (res == 0 || res == NFC_ETIMEOUT || res == NFC_ERFTRANS || res == NFC_ECHIP)
		return GONE;
	return DEVICE_ERROR;
}

static enum presence check_presence(struct reader_libnfc *r)
{
	step(r, PRESENCE_BUDGET_MS);
	if (r->ping_unsupported)
		return reselect(r);
	int res = nfc_initiator_target_is_present(r->dev, NULL);
	if (res == NFC_SUCCESS)
		return PRESENT;
	if (res == NFC_EDEVNOTSUPP && r->target.nm.nmt == NMT_ISO14443A) {
		r->ping_unsupported = true; /* and libnfc need not log it every time */
		return reselect(r);
	}
	if (res == NFC_ERFTRANS || res == NFC_ETIMEOUT) {
		/* A card at the edge of the field or a busy line can miss one check; a card that
		 * is still there must not end up read twice. Ask once more before saying gone. */
		res = nfc_initiator_target_is_present(r->dev, NULL);
		if (res == NFC_SUCCESS)
			return PRESENT;
	}
	if (res == NFC_ETGRELEASED || res == NFC_ERFTRANS || res == NFC_ETIMEOUT)
		return GONE;
	return DEVICE_ERROR;
}

/* Reads the identity of the card just found; reports the outcome. */
static enum presence read_card(struct reader_libnfc *r, int found, const nfc_target *nt)
{
	struct reader_event ev = { .type = READER_EV_CARD_PRESENT };
	r->target = *nt;
	r->ping_unsupported = false;
	describe(nt, &ev.card);
	emit(r, &ev);
	ev.type = READER_EV_CARD_FAILED;
	if (found > 1) {
		ev.failure = READER_FAIL_MULTIPLE;
		ev.detail = "more than one card in the field";
		emit(r, &ev);
		return PRESENT;
	}
	if (!ev.card.type_b && !(ev.card.sak & 0x20)) {
		ev.failure = READER_FAIL_FOREIGN;
		ev.detail = "no ISO 14443-4 (SAK without bit 0x20): not a KTP-el";
		emit(r, &ev);
		return PRESENT;
	}
	const struct card_transport t = { .transceive = transceive, .ctx = r };
	int detail = 0;
	int64_t t0 = clock_mono_ms();
	int rc = card_profile_read_identity(&t, r->secure, &ev.identity, &detail);
	if (rc == CARD_OK) {
		char red[LOG_REDACT_LEN];
		log_info("reader: identity %s read in %lld ms", log_redact(ev.identity.nik, red),
			 (long long)(clock_mono_ms() - t0));
		ev.type = READER_EV_IDENTITY;
		emit(r, &ev);
		return PRESENT;
	}
	enum presence p = PRESENT;
	switch (rc) {
	case CARD_ERR_FOREIGN:
		ev.failure = READER_FAIL_FOREIGN;
		break;
	case CARD_ERR_IO:
		/* A dead exchange means the card left, or it is broken: the field tells which. */
		p = check_presence(r);
		ev.failure = p == PRESENT ? READER_FAIL_UNREADABLE
			     : p == GONE  ? READER_FAIL_REMOVED
					  : READER_FAIL_READER;
		break;
	default:
		ev.failure = READER_FAIL_UNREADABLE;
		break;
	}
	ev.detail = ev.failure == READER_FAIL_READER
			? "the reader stopped answering during the read"
		    : rc == CARD_ERR_BAD_DATA ? card_biodata_strerror(detail)
					      : card_profile_strerror(rc);
	log_warn("reader: card not read: %s (%s)", reader_failure_name(ev.failure), ev.detail);
	emit(r, &ev);
	return p;
}

/* Waits, without spinning, until the field is empty; false if the device failed. */
static bool wait_removal(struct reader_libnfc *r, enum presence p)
{
	while (p == PRESENT) {
		if (!nap(r, r->presence_ms))
			return true;
		p = check_presence(r);
	}
	if (p == DEVICE_ERROR)
		return false;
	emit_simple(r, READER_EV_CARD_REMOVED, NULL);
	return true;
}

static void *worker(void *arg)
{
	struct reader_libnfc *r = arg;
	const nfc_modulation mods[2] = {
		{ .nmt = NMT_ISO14443A, .nbr = NBR_106 },
		{ .nmt = NMT_ISO14443B, .nbr = NBR_106 },
	};
	int backoff = BACKOFF_MIN_MS;
	bool ever_open = false, lost = false;
	while (!atomic_load(&r->stop)) {
		if (!r->dev) {
			if (!open_device(r)) {
				if (!lost) {
					log_warn("reader: cannot open %s", r->connstring);
					emit_simple(r, READER_EV_READER_LOST,
						    "cannot open the device");
					lost = true;
				}
				nap(r, backoff);
				backoff =
				    backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
				continue;
			}
			backoff = BACKOFF_MIN_MS;
			log_info("reader: %s open", r->connstring);
			emit_simple(r, ever_open || lost ? READER_EV_READER_BACK : READER_EV_READY,
				    NULL);
			ever_open = true;
			lost = false;
		}
		nfc_target nt;
		int64_t t0 = clock_mono_ms();
		step(r, POLL_BUDGET_MS);
		int found = nfc_initiator_poll_target(r->dev, mods, 2, POLL_NR, POLL_PERIOD, &nt);
		if (atomic_load(&r->stop))
			break;
		bool ok = true;
		if (found > 0) {
			ok = wait_removal(r, read_card(r, found, &nt));
		} else if (found == 0 || found == NFC_ETIMEOUT || found == NFC_ECHIP ||
			   found == NFC_ERFTRANS) {
			/* No card (-6 is "nobody answered"; libnfc 1.8 turns an InAutoPoll that
			 * found nothing into ECHIP), or a card that left during anticollision. */
			if (clock_mono_ms() - t0 < POLL_MIN_MS)
				nap(r, POLL_MIN_MS);
		} else if (found != NFC_EOPABORTED) {
			ok = false;
		}
		if (!ok && !atomic_load(&r->stop)) {
			log_warn("reader: device lost: %s", nfc_strerror(r->dev));
			close_device(r);
			emit_simple(r, READER_EV_READER_LOST, "the device stopped answering");
			lost = true;
			nap(r, backoff);
		}
	}
	close_device(r);
	return NULL;
}

static void libnfc_destroy(struct reader *base);

static struct reader *libnfc_create(const struct reader_config *cfg)
{
	struct reader_libnfc *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->base.backend = &reader_libnfc_backend;
	r->on_event = cfg->on_event;
	r->on_step = cfg->on_step;
	r->ctx = cfg->ctx;
	r->none.ops = &secure_channel_none_ops;
	r->secure = cfg->secure ? cfg->secure : &r->none;
	r->presence_ms = cfg->presence_ms > 0 ? cfg->presence_ms : 200;
	r->apdu_timeout_ms = cfg->apdu_timeout_ms > 0 ? cfg->apdu_timeout_ms : 1000;
	atomic_init(&r->stop, false);
	pthread_mutex_init(&r->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->wake, &ca);
	pthread_condattr_destroy(&ca);
	r->connstring = strdup(cfg->connstring);
	if (!r->connstring)
		goto fail;
	nfc_init(&r->nfc);
	if (!r->nfc) {
		log_error("reader: libnfc failed to initialise");
		goto fail;
	}
	sigset_t all, old; /* signals are the owner's main thread's, not libnfc's */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&r->thread, NULL, worker, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_error("reader: cannot start the worker thread");
		goto fail;
	}
	return &r->base;
fail:
	if (r->nfc)
		nfc_exit(r->nfc);
	free(r->connstring);
	pthread_cond_destroy(&r->wake);
	pthread_mutex_destroy(&r->lock);
	free(r);
	return NULL;
}

static void libnfc_destroy(struct reader *base)
{
	struct reader_libnfc *r = (struct reader_libnfc *)base;
	pthread_mutex_lock(&r->lock);
	atomic_store(&r->stop, true);
	pthread_cond_broadcast(&r->wake);
	pthread_mutex_unlock(&r->lock);
	/* An abort that arrives between two libnfc calls is lost (libnfc only watches its
	 * abort pipe inside a receive), so repeat it until the worker has left. */
	for (;;) {
		pthread_mutex_lock(&r->lock);
		if (r->dev)
			nfc_abort_command(r->dev);
		pthread_mutex_unlock(&r->lock);
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 50 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		if (pthread_timedjoin_np(r->thread, NULL, &ts) == 0)
			break;
	}
	nfc_exit(r->nfc);
	free(r->connstring);
	pthread_cond_destroy(&r->wake);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

const struct reader_backend reader_libnfc_backend = {
	.name = "libnfc",
	.accepts = libnfc_accepts,
	.create = libnfc_create,
	.destroy = libnfc_destroy,
};
