/*
 * The reader driver (drivers/nfc, libnfc backend) against the virtual PN532: real libnfc,
 * real pty, real card profile. One scenario per run (argv[3]); meson registers each.
 *   test-nfc-reader ADM_VPN532 ADM_SYNTH SCENARIO [ADM_READERD]
 * With ADM_READERD the driver runs in that child process under its supervisor, as in the
 * kiosk; without it, in this process. The reader's callback runs on its worker (or
 * supervisor) thread and only queues a copy of the event; the test's main thread takes
 * them from the queue in order.
 */
#include "clock.h"
#include "harness.h"
#include "reader.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define QMAX 64

static struct {
	pthread_mutex_t m;
	pthread_cond_t c;
	struct reader_event ev[QMAX];
	int head, n, dropped;
} q = { .m = PTHREAD_MUTEX_INITIALIZER, .c = PTHREAD_COND_INITIALIZER };

static void on_event(void *ctx, const struct reader_event *ev)
{
	(void)ctx;
	pthread_mutex_lock(&q.m);
	if (q.n == QMAX)
		q.dropped++;
	else
		q.ev[(q.head + q.n++) % QMAX] = *ev;
	pthread_cond_broadcast(&q.c);
	pthread_mutex_unlock(&q.m);
}

/* The next event, waiting up to ms; false on timeout. */
static bool next_event(struct reader_event *out, int ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&q.m);
	while (q.n == 0)
		if (pthread_cond_timedwait(&q.c, &q.m, &ts) != 0)
			break;
	bool got = q.n > 0;
	if (got) {
		*out = q.ev[q.head];
		q.head = (q.head + 1) % QMAX;
		q.n--;
	}
	pthread_mutex_unlock(&q.m);
	return got;
}

static bool expect(enum reader_event_type type, int ms, struct reader_event *out)
{
	struct reader_event ev;
	if (!next_event(&ev, ms)) {
		fprintf(stderr, "no event within %d ms (wanted %s)\n", ms, reader_event_name(type));
		return false;
	}
	if (ev.type != type) {
		fprintf(stderr, "got %s (%s), wanted %s\n", reader_event_name(ev.type),
			ev.detail ? ev.detail : "-", reader_event_name(type));
		return false;
	}
	if (out)
		*out = ev;
	return true;
}

static struct sim sim;
static char reply[512];
static const char *helper; /* adm-readerd, or NULL: in this process */

static struct reader *start_reader(int presence_ms)
{
	struct reader_config cfg = {
		.connstring = sim.connstring,
		.on_event = on_event,
		.presence_ms = presence_ms,
		.helper = helper,
	};
	return reader_create(&cfg);
}

static void ctl(const char *cmd)
{
	if (!sim_ctl(&sim, reply, sizeof(reply), cmd)) {
		fprintf(stderr, "control \"%s\": %s\n", cmd, reply);
		REQUIRE(!"simulator control failed");
	}
}

static void tap(const char *key)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "tap %s", key);
	ctl(cmd);
}

/* Tap a citizen, check the identity against the card file, lift, check the removal. */
static void tap_citizen(const struct citizen_line *c, bool check_details)
{
	struct reader_event ev;
	tap(c->nik);
	REQUIRE(expect(READER_EV_CARD_PRESENT, 3000, &ev));
	CHECK(ev.card.type_b == (c->type == 'B'));
	CHECK(ev.card.uid_len == (c->type == 'B' ? 4u : 7u));
	REQUIRE(expect(READER_EV_IDENTITY, 3000, &ev));
	CHECK(strcmp(ev.identity.nik, c->nik) == 0);
	if (check_details) {
		char uid[21] = "";
		for (size_t i = 0; i < ev.card.uid_len; i++)
			snprintf(uid + 2 * i, 3, "%02X", ev.card.uid[i]);
		CHECK(strcmp(uid, c->uid) == 0);
		CHECK(strcmp(ev.identity.name, c->name) == 0);
		CHECK(strcmp(ev.identity.birth_date, c->birth_date) == 0);
		CHECK(ev.identity.sex == c->sex);
		CHECK(strncmp(ev.identity.region, c->nik, 6) == 0);
		CHECK(strlen(ev.identity.serial) == 16);
		/* The card stays put: presence checks must keep finding it (no false removal). */
		struct reader_event extra;
		CHECK(!next_event(&extra, 500));
		if (c->type == 'A') {
			CHECK(ev.card.sak == 0x20 && ev.card.atqa[1] == 0x44);
			CHECK(ev.card.ats_len > 0);
		} else {
			CHECK(ev.card.atqb_len == 12 && ev.card.atqb[0] == 0x50);
		}
	}
	ctl("remove");
	REQUIRE(expect(READER_EV_CARD_REMOVED, 3000, NULL));
}

static void scenario_type(char type)
{
	struct citizen_line c;
	REQUIRE(sim_citizen(&sim, type, 0, &c));
	struct reader *r = start_reader(100);
	REQUIRE(r);
	REQUIRE(expect(READER_EV_READY, 3000, NULL));
	tap_citizen(&c, true);
	/* Tapping by name reaches the same card. */
	struct citizen_line c2;
	REQUIRE(sim_citizen(&sim, type, 1, &c2));
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "tap %s", c2.name);
	ctl(cmd);
	struct reader_event ev;
	REQUIRE(expect(READER_EV_CARD_PRESENT, 3000, NULL));
	REQUIRE(expect(READER_EV_IDENTITY, 3000, &ev));
	CHECK(strcmp(ev.identity.nik, c2.nik) == 0);
	ctl("remove");
	REQUIRE(expect(READER_EV_CARD_REMOVED, 3000, NULL));
	reader_destroy(r);
	/* Type B runs with --mi-chunk 64: the biodata answers must have come in pieces. */
	unsigned long mi = 0;
	ctl("status");
	REQUIRE(sscanf(strstr(reply, "mi="), "mi=%lu", &mi) == 1);
	CHECK(type == 'A' ? mi == 0 : mi >= 2);
}

static void expect_failure(const char *key, enum reader_failure want, const char *detail_part)
{
	struct reader_event ev;
	tap(key);
	REQUIRE(expect(READER_EV_CARD_PRESENT, 3000, NULL));
	REQUIRE(expect(READER_EV_CARD_FAILED, 3000, &ev));
	if (ev.failure != want)
		fprintf(stderr, "%s: failure %s, wanted %s\n", key, reader_failure_name(ev.failure),
			reader_failure_name(want));
	CHECK(ev.failure == want);
	CHECK(ev.identity.nik[0] == '\0');
	if (detail_part) {
		CHECK(ev.detail && strstr(ev.detail, detail_part));
		if (ev.detail && !strstr(ev.detail, detail_part))
			fprintf(stderr, "%s: detail \"%s\"\n", key, ev.detail);
	}
	if (want != READER_FAIL_REMOVED) {
		/* The card stays: no second attempt while it lies there. */
		CHECK(!next_event(&ev, 400));
		ctl("remove");
	}
	REQUIRE(expect(READER_EV_CARD_REMOVED, 3000, NULL));
}

static void scenario_hostile(void)
{
	struct reader *r = start_reader(100);
	REQUIRE(r);
	REQUIRE(expect(READER_EV_READY, 3000, NULL));
	expect_failure("mifare", READER_FAIL_FOREIGN, "ISO 14443-4");
	expect_failure("garbage", READER_FAIL_UNREADABLE, "no sense");
	expect_failure("liar", READER_FAIL_UNREADABLE, "runs past the end");
	expect_failure("double", READER_FAIL_MULTIPLE, NULL);
	expect_failure("tearing", READER_FAIL_REMOVED, NULL);
	/* The slow card is still read, just late: three APDUs at 150 ms each. */
	struct reader_event ev;
	int64_t t0 = clock_mono_ms();
	tap("slow");
	REQUIRE(expect(READER_EV_CARD_PRESENT, 3000, NULL));
	REQUIRE(expect(READER_EV_IDENTITY, 5000, &ev));
	CHECK(clock_mono_ms() - t0 >= 3 * 150);
	CHECK(strlen(ev.identity.nik) == 16);
	ctl("remove");
	REQUIRE(expect(READER_EV_CARD_REMOVED, 3000, NULL));
	/* After all that, an honest card still reads. */
	struct citizen_line c;
	REQUIRE(sim_citizen(&sim, 'A', 2, &c));
	tap_citizen(&c, true);
	reader_destroy(r);
}

static void scenario_removal(void)
{
	struct reader *r = start_reader(100);
	REQUIRE(r);
	REQUIRE(expect(READER_EV_READY, 3000, NULL));
	/* Lift the slow card while its read is under way. */
	tap("slow");
	REQUIRE(expect(READER_EV_CARD_PRESENT, 3000, NULL));
	usleep(200 * 1000);
	ctl("remove");
	struct reader_event ev;
	REQUIRE(expect(READER_EV_CARD_FAILED, 3000, &ev));
	CHECK(ev.failure == READER_FAIL_REMOVED);
	REQUIRE(expect(READER_EV_CARD_REMOVED, 3000, NULL));
	reader_destroy(r);
}

static void scenario_unplug(void)
{
	struct citizen_line c;
	REQUIRE(sim_citizen(&sim, 'A', 0, &c));
	/* Started while the reader is missing: lost, then back when it appears. */
	ctl("unplug");
	struct reader *r = start_reader(100);
	REQUIRE(r);
	REQUIRE(expect(READER_EV_READER_LOST, 3000, NULL));
	ctl("replug");
	REQUIRE(expect(READER_EV_READER_BACK, 5000, NULL));
	tap_citizen(&c, false);
	/* Lost while polling an empty field. */
	ctl("unplug");
	REQUIRE(expect(READER_EV_READER_LOST, 3000, NULL));
	ctl("replug");
	REQUIRE(expect(READER_EV_READER_BACK, 5000, NULL));
	/* Lost while a card lies on it: the presence check notices. */
	tap(c.nik);
	REQUIRE(expect(READER_EV_CARD_PRESENT, 3000, NULL));
	REQUIRE(expect(READER_EV_IDENTITY, 3000, NULL));
	ctl("unplug");
	REQUIRE(expect(READER_EV_READER_LOST, 3000, NULL));
	ctl("remove");
	ctl("replug");
	REQUIRE(expect(READER_EV_READER_BACK, 5000, NULL));
	tap_citizen(&c, false);
	reader_destroy(r);
}

static void scenario_taps(int taps)
{
	struct citizen_line people[8];
	int n = 0;
	for (int i = 0; i < 6; i++)
		n += sim_citizen(&sim, 'A', i, &people[n]);
	for (int i = 0; i < 2; i++)
		n += sim_citizen(&sim, 'B', i, &people[n]);
	REQUIRE(n == 8);
	struct reader *r = start_reader(50);
	REQUIRE(r);
	REQUIRE(expect(READER_EV_READY, 3000, NULL));
	int64_t t0 = clock_mono_ms();
	for (int i = 0; i < taps && harness_failures == 0; i++)
		tap_citizen(&people[i % n], false);
	fprintf(stderr, "%d taps in %lld ms\n", taps, (long long)(clock_mono_ms() - t0));
	reader_destroy(r);
	CHECK(q.dropped == 0);
}

/* No busy loop: an idle reader and a reader with a card left on it send few frames. */
static void scenario_idle(void)
{
	struct citizen_line c;
	REQUIRE(sim_citizen(&sim, 'A', 0, &c));
	struct reader *r = start_reader(200);
	REQUIRE(r);
	REQUIRE(expect(READER_EV_READY, 3000, NULL));
	unsigned long f0, f1, p0, p1;
	ctl("status");
	REQUIRE(sscanf(strstr(reply, "frames="), "frames=%lu", &f0) == 1);
	sleep(2);
	ctl("status");
	REQUIRE(sscanf(strstr(reply, "frames="), "frames=%lu", &f1) == 1);
	fprintf(stderr, "empty field: %lu frames in 2 s\n", f1 - f0);
	CHECK(f1 - f0 <= 20);
	tap(c.nik);
	REQUIRE(expect(READER_EV_CARD_PRESENT, 3000, NULL));
	REQUIRE(expect(READER_EV_IDENTITY, 3000, NULL));
	ctl("status");
	REQUIRE(sscanf(strstr(reply, "presence="), "presence=%lu", &p0) == 1);
	sleep(2);
	ctl("status");
	REQUIRE(sscanf(strstr(reply, "presence="), "presence=%lu", &p1) == 1);
	fprintf(stderr, "card left on the reader: %lu presence checks in 2 s\n", p1 - p0);
	CHECK(p1 - p0 >= 5 && p1 - p0 <= 15);
	struct reader_event ev;
	CHECK(!next_event(&ev, 10)); /* and no second read of the same card */
	/* Shutdown with the worker blocked in a poll: nfc_abort_command cuts it short. */
	ctl("remove");
	REQUIRE(expect(READER_EV_CARD_REMOVED, 3000, NULL));
	usleep(300 * 1000);
	int64_t t0 = clock_mono_ms();
	reader_destroy(r);
	int64_t took = clock_mono_ms() - t0;
	fprintf(stderr, "reader_destroy took %lld ms\n", (long long)took);
	CHECK(took < 500);
}

/* The simulator's counter NAME= from "status". */
static unsigned long sim_counter(const char *name)
{
	char key[32];
	unsigned long v = 0;
	snprintf(key, sizeof(key), "%s=", name);
	ctl("status");
	const char *p = strstr(reply, key);
	REQUIRE(p && sscanf(p + strlen(key), "%lu", &v) == 1);
	return v;
}

/* Waits until the simulator's fault counter reaches n (the fault has been dealt). */
static void wait_fault(unsigned long n)
{
	for (int i = 0; i < 200 && sim_counter("faults") < n; i++)
		usleep(50 * 1000);
	REQUIRE(sim_counter("faults") >= n);
}

/* Issue 11 item 1: a chip that stops in the middle of InAutoPoll (a torn answer, no ACK)
 * leaves libnfc waiting for good. The watchdog must see it, report the reader lost, bring
 * it back by itself and count it; and reader_destroy must not hang on a frozen reader. */
static void scenario_watchdog(void)
{
	struct citizen_line c;
	struct reader_stats st;
	REQUIRE(sim_citizen(&sim, 'A', 0, &c));
	struct reader *r = start_reader(100);
	REQUIRE(r);
	REQUIRE(expect(READER_EV_READY, 5000, NULL));
	static const char *const faults[] = { "fault truncated-poll", "fault no-ack-poll" };
	for (unsigned i = 0; i < 2; i++) {
		ctl(faults[i]);
		wait_fault(i + 1);
		int64_t t0 = clock_mono_ms();
		struct reader_event ev;
		REQUIRE(expect(READER_EV_READER_LOST, 20000, &ev));
		CHECK(ev.detail && strstr(ev.detail, "watchdog"));
		int64_t t1 = clock_mono_ms();
		REQUIRE(expect(READER_EV_READER_BACK, 20000, NULL));
		fprintf(stderr, "%s: lost after %lld ms, back %lld ms later\n", faults[i],
			(long long)(t1 - t0), (long long)(clock_mono_ms() - t1));
		reader_get_stats(r, &st);
		CHECK(st.watchdog == i + 1);
		CHECK(st.crashes == 0);
		tap_citizen(&c, false); /* and it reads cards again */
	}
	/* Frozen again: stopping must not wait for the chip. */
	ctl("fault truncated-poll");
	wait_fault(3);
	int64_t t0 = clock_mono_ms();
	reader_destroy(r);
	int64_t took = clock_mono_ms() - t0;
	fprintf(stderr, "reader_destroy on a frozen reader took %lld ms\n", (long long)took);
	CHECK(took < 4000);
}

/* Issue 11 items 2, 3, 5: cards that are not a KTP-el are told so, once, and do not put
 * the reader out of service while they lie on it; a KTP-el without its biodata file says
 * which file is missing. */
static void scenario_foreign(void)
{
	struct reader *r = start_reader(100);
	REQUIRE(r);
	REQUIRE(expect(READER_EV_READY, 5000, NULL));
	expect_failure("bank", READER_FAIL_FOREIGN, "KTP-el application");
	expect_failure("hce", READER_FAIL_FOREIGN, "KTP-el application");
	expect_failure("noef", READER_FAIL_UNREADABLE, "6FF1");
	unsigned long p0 = sim_counter("polls");
	expect_failure("phone", READER_FAIL_FOREIGN, "ISO 14443-4");
	expect_failure("sak00", READER_FAIL_FOREIGN, "ISO 14443-4");
	/* The presence checks of those two were selects of their UID, not a reopen loop. */
	CHECK(sim_counter("polls") - p0 >= 4);
	/* Still the same reader: a citizen's card reads. */
	struct citizen_line c;
	REQUIRE(sim_citizen(&sim, 'A', 1, &c));
	tap_citizen(&c, true);
	reader_destroy(r);
}

/* Issue 11 item 4: a status byte with the NAD bit makes libnfc abort(). It costs the read
 * under way, never this process; the reader comes back and reads the card still there. */
static void scenario_nad(void)
{
	struct citizen_line c, c2;
	struct reader_event ev;
	struct reader_stats st;
	REQUIRE(sim_citizen(&sim, 'A', 0, &c));
	REQUIRE(sim_citizen(&sim, 'B', 0, &c2));
	struct reader *r = start_reader(100);
	REQUIRE(r);
	REQUIRE(expect(READER_EV_READY, 5000, NULL));
	ctl("fault nad");
	tap(c.nik);
	REQUIRE(expect(READER_EV_CARD_PRESENT, 5000, NULL));
	REQUIRE(expect(READER_EV_CARD_FAILED, 10000, &ev));
	CHECK(ev.failure == READER_FAIL_READER);
	CHECK(ev.identity.nik[0] == '\0');
	REQUIRE(expect(READER_EV_READER_LOST, 5000, &ev));
	CHECK(ev.detail && strstr(ev.detail, "signal"));
	int64_t t0 = clock_mono_ms();
	REQUIRE(expect(READER_EV_READER_BACK, 10000, NULL));
	fprintf(stderr, "reader back %lld ms after the abort\n", (long long)(clock_mono_ms() - t0));
	CHECK(sim_counter("faults") == 1);
	REQUIRE(expect(READER_EV_CARD_PRESENT, 5000, NULL));
	REQUIRE(expect(READER_EV_IDENTITY, 5000, &ev));
	CHECK(strcmp(ev.identity.nik, c.nik) == 0);
	ctl("remove");
	REQUIRE(expect(READER_EV_CARD_REMOVED, 5000, NULL));
	reader_get_stats(r, &st);
	CHECK(st.crashes == 1 && st.watchdog == 0);
	tap_citizen(&c2, true); /* the next card, of the other type, reads too */
	reader_destroy(r);
}

/* Issue 11 item 5: a reader that dies in the middle of a read is the reader's failure,
 * not a card lifted too soon. */
static void scenario_dies_reading(void)
{
	struct citizen_line c;
	struct reader_event ev;
	REQUIRE(sim_citizen(&sim, 'A', 0, &c));
	struct reader *r = start_reader(100);
	REQUIRE(r);
	REQUIRE(expect(READER_EV_READY, 5000, NULL));
	tap("slow");
	REQUIRE(expect(READER_EV_CARD_PRESENT, 5000, NULL));
	usleep(200 * 1000); /* the second of its slow APDUs */
	ctl("unplug");
	REQUIRE(expect(READER_EV_CARD_FAILED, 10000, &ev));
	if (ev.failure != READER_FAIL_READER)
		fprintf(stderr, "failure %s (%s), wanted reader\n", reader_failure_name(ev.failure),
			ev.detail ? ev.detail : "-");
	CHECK(ev.failure == READER_FAIL_READER);
	REQUIRE(expect(READER_EV_READER_LOST, 5000, NULL));
	ctl("remove");
	ctl("replug");
	REQUIRE(expect(READER_EV_READER_BACK, 10000, NULL));
	tap_citizen(&c, false);
	reader_destroy(r);
}

int main(int argc, char **argv)
{
	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: %s ADM_VPN532 ADM_SYNTH SCENARIO [ADM_READERD]\n", argv[0]);
		return 2;
	}
	helper = argc == 5 ? argv[4] : NULL;
	setenv("LIBNFC_AUTO_SCAN", "false", 1);
	unsetenv("LIBNFC_DEVICE");
	const char *sc = argv[3];
	harness_watchdog(&sim, strcmp(sc, "taps200") == 0 ? 170 : 80);
	static const char *const mi_args[] = { "--mi-chunk", "64", NULL };
	REQUIRE(sim_start(&sim, argv[1], argv[2], 24, strcmp(sc, "type-b") == 0 ? mi_args : NULL));
	if (strcmp(sc, "type-a") == 0)
		scenario_type('A');
	else if (strcmp(sc, "type-b") == 0)
		scenario_type('B');
	else if (strcmp(sc, "hostile") == 0)
		scenario_hostile();
	else if (strcmp(sc, "removal") == 0)
		scenario_removal();
	else if (strcmp(sc, "unplug") == 0)
		scenario_unplug();
	else if (strcmp(sc, "taps200") == 0)
		scenario_taps(200);
	else if (strcmp(sc, "idle") == 0)
		scenario_idle();
	else if (strcmp(sc, "watchdog") == 0)
		scenario_watchdog();
	else if (strcmp(sc, "foreign") == 0)
		scenario_foreign();
	else if (strcmp(sc, "nad") == 0)
		scenario_nad();
	else if (strcmp(sc, "dies-reading") == 0)
		scenario_dies_reading();
	else
		REQUIRE(!"unknown scenario");
	return harness_finish();
}
