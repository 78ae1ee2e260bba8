/*
 * The scanner driver against adm-vscanner on a real pty: scans arrive as whole lines, an
 * over-long scan is dropped without cutting it, a scan split over two writes is one line,
 * the scanner unplugged is reported and plugged back recovers, and stop is prompt.
 */
#include "../check.h"
#include "clock.h"
#include "qr_payload.h"
#include "scanner.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char lines[16][QR_LINE_MAX + 1];
static int n_lines, n_present, n_absent;
static pid_t sim = -1;
static FILE *to_sim, *from_sim;
static char dir[64];

static void on_line(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	pthread_mutex_lock(&lock);
	if (n_lines < 16) {
		memcpy(lines[n_lines], line, len);
		lines[n_lines][len] = '\0';
		n_lines++;
	}
	pthread_mutex_unlock(&lock);
}

static void on_state(void *ctx, bool present)
{
	(void)ctx;
	pthread_mutex_lock(&lock);
	if (present)
		n_present++;
	else
		n_absent++;
	pthread_mutex_unlock(&lock);
}

static int get(int *v)
{
	pthread_mutex_lock(&lock);
	int x = *v;
	pthread_mutex_unlock(&lock);
	return x;
}

/* Waits up to 3 s for *v to reach want. */
static bool wait_for(int *v, int want)
{
	int64_t end = clock_mono_ms() + 3000;
	while (get(v) < want && clock_mono_ms() < end)
		usleep(5000);
	return get(v) >= want;
}

static bool cmd(const char *c)
{
	char answer[256];
	fprintf(to_sim, "%s\n", c);
	fflush(to_sim);
	return fgets(answer, sizeof(answer), from_sim) && strncmp(answer, "ok", 2) == 0;
}

static void cleanup(void)
{
	if (sim > 0) {
		kill(sim, SIGKILL);
		waitpid(sim, NULL, 0);
	}
	char path[128];
	snprintf(path, sizeof(path), "%s/scanner", dir);
	unlink(path);
	rmdir(dir);
}

static void start_sim(const char *exe, const char *link)
{
	int in[2], out[2];
	char ready[256];

	if (pipe(in) != 0 || pipe(out) != 0)
		exit(2);
	sim = fork();
	if (sim == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl(exe, exe, "--link", link, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	to_sim = fdopen(in[1], "w");
	from_sim = fdopen(out[0], "r");
	if (!fgets(ready, sizeof(ready), from_sim) || strncmp(ready, "ready ", 6) != 0) {
		fprintf(stderr, "adm-vscanner did not start\n");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	char link[128], big[700];
	struct qr_payload p;

	if (argc < 2) {
		fprintf(stderr, "usage: test-scanner ADM_VSCANNER\n");
		return 2;
	}
	alarm(60); /* a hung device must fail the test, not the CI run */
	snprintf(dir, sizeof(dir), "/tmp/adm-test-scanner-XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	atexit(cleanup);
	snprintf(link, sizeof(link), "%s/scanner", dir);
	start_sim(argv[1], link);

	struct scanner_config cfg = {
		.device = link, .on_line = on_line, .on_state = on_state, .reopen_ms = 100
	};
	struct scanner *s = scanner_create(&cfg);
	CHECK(s != NULL, "scanner starts");
	CHECK(wait_for(&n_present, 1), "scanner open");

	CHECK(cmd("scan ADM1:L:3171015708900003"), "scan sent");
	CHECK(wait_for(&n_lines, 1), "a line arrives");
	CHECK(strcmp(lines[0], "ADM1:L:3171015708900003") == 0, "the whole line, no CR: '%s'",
	      lines[0]);
	CHECK(qr_parse(lines[0], strlen(lines[0]), &p) == QR_OK && p.kind == QR_LOGIN,
	      "and it parses as a login");

	memset(big, 'X', 600);
	memcpy(big, "scan ", 5);
	big[600] = '\0';
	CHECK(cmd(big), "long scan sent");
	CHECK(cmd("raw ADM1:D:doc-1"), "first half");
	usleep(50000);
	CHECK(cmd("scan :tok"), "second half");
	CHECK(wait_for(&n_lines, 2), "the split scan arrives");
	usleep(100000);
	CHECK(get(&n_lines) == 2, "the over-long scan was dropped (%d lines)", get(&n_lines));
	CHECK(strcmp(lines[1], "ADM1:D:doc-1:tok") == 0, "split halves are one line: '%s'",
	      lines[1]);

	CHECK(cmd("unplug"), "unplug");
	CHECK(wait_for(&n_absent, 1), "unplugged scanner reported");
	CHECK(cmd("replug"), "replug");
	CHECK(wait_for(&n_present, 2), "plugged back scanner reported");
	usleep(50000);
	CHECK(cmd("scan ADM1:L:3171011708450001"), "scan after replug");
	CHECK(wait_for(&n_lines, 3), "scans work again");
	CHECK(strcmp(lines[2], "ADM1:L:3171011708450001") == 0, "'%s'", lines[2]);

	int64_t t0 = clock_mono_ms();
	scanner_destroy(s);
	CHECK(clock_mono_ms() - t0 < 500, "stop is prompt (%lld ms)",
	      (long long)(clock_mono_ms() - t0));
	CHECK(cmd("quit") || true, "simulator told to quit");
	return check_done();
}
