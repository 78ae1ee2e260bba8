/*
 * adm-bench-nfc: card placed -> identity event, through the kiosk's reader driver, side by
 * side with libnfc's nfc-poll detecting the same virtual card, both against one adm-vpn532
 * running with --timing (115200-baud line, ~1 ms chip time). Also the CPU the reader and
 * the simulator use while the field is empty. Figures and how to run: docs/benchmarks-nfc.md.
 *
 *   adm-bench-nfc [--taps N] [--idle-seconds S] [--nfc-poll PATH] [--vpn532 PATH]
 *                 [--synth PATH]
 *
 * The reader's callback runs on its worker thread: it stamps the event and queues it; the
 * main thread does everything else.
 */
#include "clock.h"
#include "launch.h"
#include "reader.h"

#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define QMAX 32

static struct {
	pthread_mutex_t m;
	pthread_cond_t c;
	enum reader_event_type type[QMAX];
	int64_t at_us[QMAX];
	int head, n;
} q = { .m = PTHREAD_MUTEX_INITIALIZER, .c = PTHREAD_COND_INITIALIZER };

static void on_event(void *ctx, const struct reader_event *ev)
{
	(void)ctx;
	int64_t now = clock_mono_us();
	pthread_mutex_lock(&q.m);
	if (q.n < QMAX) {
		int i = (q.head + q.n++) % QMAX;
		q.type[i] = ev->type;
		q.at_us[i] = now;
	}
	pthread_cond_broadcast(&q.c);
	pthread_mutex_unlock(&q.m);
}

/* Waits for an event of the given type (others are dropped); its time, or -1. */
static int64_t wait_event(enum reader_event_type type, int ms)
{
	int64_t deadline = clock_mono_ms() + ms;
	pthread_mutex_lock(&q.m);
	for (;;) {
		while (q.n) {
			int i = q.head;
			q.head = (q.head + 1) % QMAX;
			q.n--;
			if (q.type[i] == type) {
				pthread_mutex_unlock(&q.m);
				return q.at_us[i];
			}
		}
		int64_t left = deadline - clock_mono_ms();
		if (left <= 0)
			break;
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += (long)(left % 1000) * 1000000L;
		ts.tv_sec += left / 1000 + ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&q.c, &q.m, &ts);
	}
	pthread_mutex_unlock(&q.m);
	return -1;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static void report(const char *what, int64_t *v, int n)
{
	if (n == 0) {
		printf("%-34s no samples\n", what);
		return;
	}
	qsort(v, (size_t)n, sizeof(v[0]), cmp_i64);
	int p95 = (n * 95 + 99) / 100 - 1;
	printf("%-34s n=%-4d median %6.1f ms  p95 %6.1f ms  min %6.1f  max %6.1f\n", what, n,
	       (double)v[n / 2] / 1000, (double)v[p95] / 1000, (double)v[0] / 1000,
	       (double)v[n - 1] / 1000);
}

static struct sim sim;

static bool ctl(const char *cmd)
{
	char reply[256];
	if (sim_ctl(&sim, reply, sizeof(reply), cmd))
		return true;
	fprintf(stderr, "control \"%s\": %s\n", cmd, reply);
	return false;
}

static double cpu_seconds_of(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')'); /* fields after the command name */
	unsigned long ut = 0, st = 0;
	if (!p ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return 0;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static double self_cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int bench_reader(struct citizen_line *people, int np, int taps, int64_t *lat,
			int64_t *detect, int idle_s, const char *readerd)
{
	struct reader_config cfg = { .connstring = sim.connstring,
				     .on_event = on_event,
				     .presence_ms = 100,
				     .helper = readerd };
	struct reader *r = reader_create(&cfg);
	if (!r || wait_event(READER_EV_READY, 5000) < 0) {
		fprintf(stderr, "reader did not open %s\n", sim.connstring);
		reader_destroy(r);
		return -1;
	}
	int n = 0;
	char cmd[64];
	for (int i = 0; i < taps; i++) {
		usleep(100 * 1000); /* the worker is back in its poll, as a citizen would find it */
		snprintf(cmd, sizeof(cmd), "tap %s", people[i % np].nik);
		int64_t t0 = clock_mono_us();
		if (!ctl(cmd))
			break;
		int64_t tp = wait_event(READER_EV_CARD_PRESENT, 5000);
		int64_t t1 = wait_event(READER_EV_IDENTITY, 5000);
		if (tp > 0 && t1 > 0) {
			detect[n] = tp - t0;
			lat[n++] = t1 - t0;
		} else
			fprintf(stderr, "tap %d: no identity\n", i);
		if (!ctl("remove") || wait_event(READER_EV_CARD_REMOVED, 5000) < 0)
			break;
	}
	if (idle_s > 0) {
		double c0 = self_cpu_seconds(), s0 = cpu_seconds_of(sim.pid);
		sleep((unsigned)idle_s);
		double c1 = self_cpu_seconds(), s1 = cpu_seconds_of(sim.pid);
		printf("empty field for %d s: reader process %.1f%% CPU, simulator %.1f%% CPU\n",
		       idle_s, 100 * (c1 - c0) / idle_s, 100 * (s1 - s0) / idle_s);
	}
	reader_destroy(r);
	return n;
}

/* One nfc-poll run: start it, tap when it polls, time until it prints the target. */
static int64_t one_nfc_poll(const char *nfc_poll, const char *nik)
{
	int out[2];
	if (pipe(out) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		close(out[0]);
		close(out[1]);
		int devnull = open("/dev/null", O_WRONLY);
		dup2(devnull, 2);
		/* nfc-poll's stdout is a pipe here: stdbuf keeps its lines unbuffered. */
		execlp("stdbuf", "stdbuf", "-oL", nfc_poll, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	char buf[4096];
	size_t n = 0;
	int64_t t0 = -1, t1 = -1;
	struct pollfd p = { .fd = out[0], .events = POLLIN };
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "tap %s", nik);
	while (t1 < 0 && poll(&p, 1, 5000) > 0) {
		ssize_t r = read(out[0], buf + n, sizeof(buf) - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
		buf[n] = '\0';
		if (t0 < 0 && strstr(buf, "will poll during")) {
			usleep(100 * 1000); /* in its InAutoPoll, like the reader above */
			t0 = clock_mono_us();
			if (!ctl(cmd))
				break;
		}
		if (t0 >= 0 && (strstr(buf, "UID (NFCID1)") || strstr(buf, "PUPI")))
			t1 = clock_mono_us();
		if (n > sizeof(buf) - 256)
			n = 0;
	}
	ctl("remove");
	/* It exits once it sees the card gone; do not let a stuck one outlive the run. */
	for (int i = 0; i < 250 && waitpid(pid, NULL, WNOHANG) == 0; i++)
		usleep(20 * 1000);
	if (waitpid(pid, NULL, WNOHANG) == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	close(out[0]);
	return t1 >= 0 ? t1 - t0 : -1;
}

static void self_dir_path(char *out, size_t cap, const char *name)
{
	char exe[512];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	snprintf(out, cap, "%s/%s", dirname(exe), name);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "taps", required_argument, NULL, 't' },
		{ "idle-seconds", required_argument, NULL, 'i' },
		{ "nfc-poll", required_argument, NULL, 'p' },
		{ "vpn532", required_argument, NULL, 'v' },
		{ "synth", required_argument, NULL, 's' },
		{ "readerd", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	int taps = 200, idle_s = 5, c;
	char vpn532[600], synth[600];
	const char *nfc_poll = "nfc-poll", *readerd = NULL;
	self_dir_path(vpn532, sizeof(vpn532), "adm-vpn532");
	self_dir_path(synth, sizeof(synth), "adm-synth");
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			taps = atoi(optarg);
			break;
		case 'i':
			idle_s = atoi(optarg);
			break;
		case 'p':
			nfc_poll = optarg;
			break;
		case 'v':
			snprintf(vpn532, sizeof(vpn532), "%s", optarg);
			break;
		case 's':
			snprintf(synth, sizeof(synth), "%s", optarg);
			break;
		case 'r': /* the driver in adm-readerd, as the kiosk runs it */
			readerd = optarg;
			break;
		default:
			fprintf(stderr, "usage: adm-bench-nfc [--taps N] [--idle-seconds S] "
					"[--nfc-poll PATH] [--vpn532 PATH] [--synth PATH] "
					"[--readerd PATH]\n");
			return 2;
		}
	}
	if (taps < 1 || taps > 10000)
		return 2;
	setenv("LIBNFC_AUTO_SCAN", "false", 1);
	static const char *const args[] = { "--timing", NULL };
	if (!sim_start(&sim, vpn532, synth, 16, args)) {
		sim_stop(&sim);
		return 1;
	}
	setenv("LIBNFC_DEVICE", sim.connstring, 1);
	struct citizen_line people[16];
	int np = 0;
	for (int i = 0; i < 16; i++)
		np += sim_citizen(&sim, 0, i, &people[np]);
	int64_t *ours = calloc((size_t)taps, sizeof(int64_t));
	int64_t *theirs = calloc((size_t)taps, sizeof(int64_t));
	int64_t *detect = calloc((size_t)taps, sizeof(int64_t));
	int rc = 1;
	if (!ours || !theirs || !detect || np == 0)
		goto out;
	printf("adm-vpn532 --timing (115200 baud, 1 ms chip); %d taps each, A and B cards\n", taps);
	if (readerd)
		printf("reader in %s (CPU below: the supervisor's process only)\n", readerd);
	int n_ours = bench_reader(people, np, taps, ours, detect, idle_s, readerd);
	int n_theirs = 0;
	for (int i = 0; i < taps; i++) {
		int64_t t = one_nfc_poll(nfc_poll, people[i % np].nik);
		if (t >= 0)
			theirs[n_theirs++] = t;
	}
	report("reader: tap -> card-present", detect, n_ours);
	report("reader: tap -> identity", ours, n_ours);
	report("nfc-poll: tap -> target printed", theirs, n_theirs);
	if (n_ours > 0 && n_theirs > 0)
		printf("ratio of medians: %.2f\n",
		       (double)ours[n_ours / 2] / (double)theirs[n_theirs / 2]);
	rc = n_ours == taps && n_theirs == taps ? 0 : 1;
out:
	free(ours);
	free(theirs);
	free(detect);
	sim_stop(&sim);
	return rc;
}
