/*
 * SIGKILL during verify and during the switch (test-store-kill verify|switch): a child
 * process installs into the store through a pipe and is killed, many times, at random
 * moments; afterwards exactly the old or the new bundle is active and loads with every
 * file, and the next install leaves no staging and no orphan files behind.
 */
#include "store_fixture.h"

#include "../check.h"

#include "sha256.h"
#include "synth_image.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- SIGKILL during verify and during the switch ---- */

#define KILL_FILES 24

struct killer {
	struct fx_image img[KILL_FILES + 1];
	struct fx_file files[KILL_FILES + 1];
};

static void killer_init(struct killer *k)
{
	for (int i = 0; i < KILL_FILES; i++) {
		k->img[i] = (struct fx_image){ .w = 160, .h = 120, .type = "png" };
		CHECK(synth_image(160, 120, false, 100 + (unsigned)i, 0, &k->img[i].data,
				  &k->img[i].len));
		static char names[KILL_FILES][16];
		snprintf(names[i], sizeof(names[i]), "k-%02d.png", i);
		k->files[i] = (struct fx_file){ names[i], &k->img[i] };
	}
	k->files[KILL_FILES].name = "unique.png";
	k->files[KILL_FILES].img = &k->img[KILL_FILES];
	k->img[KILL_FILES].data = NULL;
}

/* Each attempt's bundle brings one image of its own, so a kill after the files moved and
 * before the switch leaves a trace (an unreferenced file) that the test can see. */
static unsigned char *kill_bundle(struct killer *k, int64_t version, size_t *len)
{
	struct fx_image *own = &k->img[KILL_FILES];
	free(own->data);
	*own = (struct fx_image){ .w = 64, .h = 48, .type = "png" };
	CHECK(synth_image(64, 48, false, 1000 + (unsigned)version, 0, &own->data, &own->len));
	json_t *m = sx_manifest(version, k->files, KILL_FILES + 1);
	unsigned char *b = fx_bundle_json(m, &fx.office, k->files, KILL_FILES + 1, len);
	json_decref(m);
	return b;
}

/* Installs from fd in a child of its own (its own store handle, so its own lock). */
static pid_t spawn_installer(int fd_in, int fd_close)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	close(fd_close);
	content_store *s = NULL;
	char why[CONTENT_REASON_MAX];
	FILE *in = fdopen(fd_in, "rb");
	struct content_store_install_opts o = sx_opts();
	int rc = content_store_open(dir, &s, why, sizeof(why));
	if (rc == CONTENT_OK)
		rc = content_store_install(s, in, &o, why, sizeof(why));
	if (rc < 0)
		fprintf(stderr, "  installer: %s\n", why);
	_exit(rc == CONTENT_OK ? 0 : 1);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool write_all(int fd, const unsigned char *b, size_t len)
{
	while (len) {
		ssize_t n = write(fd, b, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		b += n;
		len -= (size_t)n;
	}
	return true;
}

/* After a kill: exactly the old or the new bundle is active and loads with its files. */
static int64_t check_after_kill(struct killer *k, int64_t old, int64_t new, bool *trace)
{
	content_store_bundle *b = NULL;
	char why[CONTENT_REASON_MAX] = "";
	int rc = content_store_load_active(dir, &b, why, sizeof(why));
	CHECK(rc == CONTENT_OK, "after a kill the active bundle does not load: %s", why);
	if (rc < 0)
		return -1;
	const struct content_manifest *m = content_store_bundle_manifest(b);
	int64_t v = m->version;
	CHECK(v == old || v == new, "active is version %lld after a kill (old %lld, new %lld)",
	      (long long)v, (long long)old, (long long)new);
	for (size_t i = 0; i < m->nfiles; i++) {
		unsigned char *data = NULL;
		size_t len;
		rc = content_store_bundle_read_file(b, &m->files[i], &data, &len, why, sizeof(why));
		CHECK(rc == CONTENT_OK, "after a kill, file %s: %s", m->files[i].name, why);
		free(data);
	}
	content_store_bundle_free(b);
	/* a trace of a switch under way: the new bundle's own image moved in, state old */
	unsigned char digest[32];
	char hex[65], path[PATH_MAX];
	sha256(k->img[KILL_FILES].data, k->img[KILL_FILES].len, digest);
	sodium_bin2hex(hex, sizeof(hex), digest, 32);
	snprintf(path, sizeof(path), "%s/files/%s", dir, hex);
	*trace = v == old && access(path, F_OK) == 0;
	return v;
}

static void kill_case(bool during_switch)
{
	struct killer k;
	sx_setup();
	content_store_close(store); /* the children hold their own handles */
	store = NULL;
	killer_init(&k);
	signal(SIGPIPE, SIG_IGN);
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	fprintf(stderr, "seed %u\n", (unsigned)time(NULL) ^ (unsigned)getpid());
	int64_t active = 3;
	double tail = 0.05; /* seconds from the last byte to the end of an install, measured */
	int tries = 0, olds = 0, news = 0, traces = 0;
	int want = during_switch ? 40 : 30;
	while (tries < 300 && (tries < want || (during_switch && (traces == 0 || news < 3)))) {
		size_t len;
		int64_t version = active + 1;
		unsigned char *b = kill_bundle(&k, version, &len);
		int p[2];
		CHECK(pipe(p) == 0);
		double t0 = 0;
		pid_t pid = spawn_installer(p[0], p[1]);
		close(p[0]);
		bool measured = during_switch && tries % 8 == 0; /* now and then, no kill */
		if (!during_switch) {
			/* a random part of the stream: the child cannot have finished verifying */
			size_t part = (size_t)rand() % len;
			write_all(p[1], b, part);
			kill(pid, SIGKILL);
			close(p[1]);
		} else {
			write_all(p[1], b, len);
			close(p[1]);
			t0 = now_s();
			if (!measured) {
				double d = tail * 1.2 * (rand() / (double)RAND_MAX);
				struct timespec ts = { (time_t)d, (long)((d - (time_t)d) * 1e9) };
				nanosleep(&ts, NULL);
				kill(pid, SIGKILL);
			}
		}
		int status;
		waitpid(pid, &status, 0);
		if (measured) {
			CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			      "unkilled install failed");
			tail = tail * 0.5 + (now_s() - t0) * 0.5;
		}
		bool trace = false;
		int64_t v = check_after_kill(&k, active, version, &trace);
		if (!during_switch)
			CHECK(v == active, "a kill before the last byte switched to %lld",
			      (long long)v);
		olds += v == active;
		news += v == version;
		traces += trace;
		if (v == version)
			active = version;
		free(b);
		tries++;
	}
	fprintf(stderr,
		"%d kills: %d left the old bundle, %d the new, %d mid-switch traces "
		"(tail %.0f ms)\n",
		tries, olds, news, traces, tail * 1000);
	if (during_switch)
		CHECK(traces > 0 && news >= 3,
		      "no kill landed in the switch (%d traces, %d new) in %d tries", traces, news,
		      tries);
	/* the next install cleans what the kills left: staging empty, no orphan files */
	CHECK(content_store_open(dir, &store, reason, sizeof(reason)) == CONTENT_OK);
	size_t len;
	unsigned char *b = kill_bundle(&k, active + 1, &len);
	ACCEPTED(sx_install_buf(b, len,
				&(struct content_store_install_opts){ .kiosk_id = "ADM-TEST-01",
								      .region = "32.73",
								      .wall_now = FX_T0 }),
		 reason);
	free(b);
	char files[16384] = "";
	size_t n = sx_list_dir("files", files, sizeof(files));
	/* the active bundle's files plus the previous one's own image (the rest is shared) */
	CHECK(n == KILL_FILES + 2 || n == KILL_FILES + 1 + 2, "%zu files stored", n);
	CHECK(sx_staging_entries() == 0, "staging left after a clean install");
	char mans[4096] = "";
	CHECK(sx_list_dir("manifests", mans, sizeof(mans)) == 2, "manifests:\n%s", mans);
	for (int i = 0; i <= KILL_FILES; i++)
		free(k.img[i].data);
	sx_teardown();
}

static void case_verify(void)
{
	kill_case(false);
}

static void case_switch(void)
{
	kill_case(true);
}

int main(int argc, char **argv)
{
	sx_init();
	static const struct fx_case cases[] = {
		{ "verify", case_verify },
		{ "switch", case_switch },
	};
	int rc = fx_run_cases(cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
	int fixture_failed = sx_done();
	int failed = check_done();
	return rc ? rc : failed || fixture_failed;
}
