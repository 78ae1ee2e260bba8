/*
 * bench-kiosk: what adm-kiosk costs from start to idle, measured from outside the process.
 *
 *   bench-kiosk [--runs N] [--idle S] [--driver offscreen|x11] [--chromium] [--cage]
 *               [--log FILE] ADM_KIOSK CONFIG
 *
 * For each run: time from fork() to the kiosk's "ready" line (written after its first frame
 * is presented, --ready-fd), PSS and RSS from /proc/PID/smaps_rollup 5 s after start, and
 * CPU used over the next S seconds (default 30) of idle with the clock ticking, summed over
 * all threads from /proc/PID/task/TID/schedstat (nanoseconds, not 10 ms ticks). Prints
 * every run's figures, then the median of each. With --driver x11 it starts its own Xvfb.
 * With --chromium (and Debian's chromium installed) it runs the same measurement on
 * Chromium in kiosk mode showing an equivalent page (tools/bench/attract.html) under the
 * same Xvfb (the kiosk then runs on the x11 driver too), a Chromium run after each kiosk
 * run so that both see the same machine, and prints the ratios. With --cage every run is a
 * pair at 1280x720 (the headless output's size): the kiosk under Xvfb (x11 driver) and
 * under a headless cage of our own (wayland driver; cage as nobody when we are root: it
 * refuses root), in alternating order, with the display server's idle CPU beside the
 * kiosk's, and the ratios cage/x11 per pair. --log appends the kiosk's
 * stderr to FILE (tools/bench/bench-kiosk-full.sh checks there that every device opened).
 * Documented in docs/benchmarks.md. Not a test: figures depend on the machine.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 32

struct sample {
	double first_ms, pss_mib, rss_mib, cpu_pct;
	char threads[256];     /* adm-kiosk: the busiest threads while idle */
	double server_cpu_pct; /* --cage: the display server's idle CPU, < 0 not measured */
};

static const char *window_size = "1920x1080";
static char cage_runtime[64]; /* XDG_RUNTIME_DIR of our cage, "" none */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void sleep_until(double t_ms)
{
	double left;
	while ((left = t_ms - now_ms()) > 0) {
		long long ns = (long long)(left * 1e6);
		struct timespec ts = { (time_t)(ns / 1000000000LL), (long)(ns % 1000000000LL) };
		nanosleep(&ts, NULL);
	}
}

/* ---- /proc readings ------------------------------------------------------------------ */

/* The process and all its descendants (Chromium is a tree of processes). */
static int tree(pid_t root, pid_t *out, int max)
{
	int n = 0;
	out[n++] = root;
	for (int i = 0; i < n; i++) {
		DIR *d = opendir("/proc");
		struct dirent *e;
		while (d && (e = readdir(d)) && n < max) {
			char path[300], buf[512];
			pid_t pid = (pid_t)atoi(e->d_name);
			if (pid <= 0)
				continue;
			snprintf(path, sizeof(path), "/proc/%d/stat", pid);
			FILE *f = fopen(path, "r");
			if (!f)
				continue;
			size_t len = fread(buf, 1, sizeof(buf) - 1, f);
			fclose(f);
			buf[len] = '\0';
			char *rp = strrchr(buf, ')');
			int ppid = 0;
			if (rp && sscanf(rp + 2, "%*c %d", &ppid) == 1 && ppid == out[i]) {
				bool seen = false;
				for (int k = 0; k < n; k++)
					seen |= out[k] == pid;
				if (!seen)
					out[n++] = pid;
			}
		}
		if (d)
			closedir(d);
	}
	return n;
}

static void memory(pid_t root, bool whole_tree, double *pss_mib, double *rss_mib)
{
	pid_t pids[256];
	int n = whole_tree ? tree(root, pids, 256) : (pids[0] = root, 1);
	long pss = 0, rss = 0;

	for (int i = 0; i < n; i++) {
		char path[64], line[256];
		snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pids[i]);
		FILE *f = fopen(path, "r");
		long v;
		while (f && fgets(line, sizeof(line), f)) {
			if (sscanf(line, "Pss: %ld kB", &v) == 1)
				pss += v;
			else if (sscanf(line, "Rss: %ld kB", &v) == 1)
				rss += v;
		}
		if (f)
			fclose(f);
	}
	*pss_mib = (double)pss / 1024.0;
	*rss_mib = (double)rss / 1024.0;
}

/* CPU time in ms of every thread of the process (and of the tree if asked). */
static double cpu_ms(pid_t root, bool whole_tree)
{
	pid_t pids[256];
	int n = whole_tree ? tree(root, pids, 256) : (pids[0] = root, 1);
	double total = 0;

	for (int i = 0; i < n; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/task", pids[i]);
		DIR *d = opendir(path);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			char p2[400];
			unsigned long long ns;
			if (e->d_name[0] == '.')
				continue;
			snprintf(p2, sizeof(p2), "/proc/%d/task/%s/schedstat", pids[i], e->d_name);
			FILE *f = fopen(p2, "r");
			if (f && fscanf(f, "%llu", &ns) == 1)
				total += (double)ns / 1e6;
			if (f)
				fclose(f);
		}
		if (d)
			closedir(d);
	}
	return total;
}

/* One process's threads: id, name and CPU time in ms so far. */
struct thread_cpu {
	int tid;
	char name[20];
	double ms;
};

static int threads_cpu(pid_t pid, struct thread_cpu *out, int max)
{
	char path[64];
	int n = 0;
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d)) && n < max) {
		char p2[400];
		unsigned long long ns;
		if (e->d_name[0] == '.')
			continue;
		struct thread_cpu *t = &out[n];
		t->tid = atoi(e->d_name);
		snprintf(p2, sizeof(p2), "/proc/%d/task/%s/comm", pid, e->d_name);
		FILE *f = fopen(p2, "r");
		if (!f || !fgets(t->name, sizeof(t->name), f))
			snprintf(t->name, sizeof(t->name), "?");
		t->name[strcspn(t->name, "\n")] = '\0';
		if (f)
			fclose(f);
		snprintf(p2, sizeof(p2), "/proc/%d/task/%s/schedstat", pid, e->d_name);
		f = fopen(p2, "r");
		if (f && fscanf(f, "%llu", &ns) == 1) {
			t->ms = (double)ns / 1e6;
			n++;
		}
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
	return n;
}

static int by_ms(const void *a, const void *b)
{
	double x = ((const struct thread_cpu *)a)->ms, y = ((const struct thread_cpu *)b)->ms;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* The threads that used CPU between two snapshots, busiest first, as "name 0.012 %". */
static void busiest(struct thread_cpu *before, int nb, struct thread_cpu *after, int na,
		    double wall_ms, char *out, size_t size)
{
	for (int i = 0; i < na; i++)
		for (int k = 0; k < nb; k++)
			if (after[i].tid == before[k].tid)
				after[i].ms -= before[k].ms;
	qsort(after, (size_t)na, sizeof(*after), by_ms);
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < na && i < 5 && after[i].ms > 0 && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s %.3f %%", i ? ", " : "",
					after[i].name, after[i].ms / wall_ms * 100.0);
}

/* ---- runs ----------------------------------------------------------------------------- */

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void stop(pid_t pid)
{
	kill(pid, SIGTERM);
	for (int i = 0; i < 50; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return;
		usleep(100000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Runs adm-kiosk once: "ready" on a pipe marks the first frame. */
static bool run_kiosk(const char *kiosk, const char *config, const char *driver, int idle_s,
		      const char *log, pid_t server, struct sample *s)
{
	int fds[2];
	char fdarg[16], buf[16];

	if (pipe(fds) != 0)
		return false;
	double t0 = now_ms();
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		snprintf(fdarg, sizeof(fdarg), "%d", fds[1]);
		setenv("SDL_VIDEODRIVER", driver, 1);
		if (strcmp(driver, "wayland") == 0) {
			setenv("XDG_RUNTIME_DIR", cage_runtime, 1);
			setenv("WAYLAND_DISPLAY", "wayland-0", 1);
		}
		int out = log ? open(log, O_WRONLY | O_CREAT | O_APPEND, 0644)
			      : open("/dev/null", O_WRONLY);
		dup2(out, STDERR_FILENO);
		execl(kiosk, kiosk, "--config", config, "--window", window_size, "--ready-fd",
		      fdarg, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	struct pollfd p = { fds[0], POLLIN, 0 };
	if (poll(&p, 1, 10000) <= 0 || read(fds[0], buf, sizeof(buf)) <= 0) {
		fprintf(stderr, "bench-kiosk: no first frame from %s within 10 s\n", kiosk);
		close(fds[0]);
		stop(pid);
		return false;
	}
	s->first_ms = now_ms() - t0;
	close(fds[0]);
	sleep_until(t0 + 5000);
	memory(pid, false, &s->pss_mib, &s->rss_mib);
	struct thread_cpu t0s[64], t1s[64];
	int n0 = threads_cpu(pid, t0s, 64);
	double c0 = cpu_ms(pid, false), w0 = now_ms();
	double sc0 = server > 0 ? cpu_ms(server, true) : 0;
	sleep_until(w0 + idle_s * 1000.0);
	int n1 = threads_cpu(pid, t1s, 64);
	double wall = now_ms() - w0;
	s->cpu_pct = (cpu_ms(pid, false) - c0) / wall * 100.0;
	s->server_cpu_pct = server > 0 ? (cpu_ms(server, true) - sc0) / wall * 100.0 : -1;
	busiest(t0s, n0, t1s, n1, wall, s->threads, sizeof(s->threads));
	stop(pid);
	return true;
}

/* Chromium: the page fetches http://127.0.0.1:PORT/painted after its first paint. */
static bool run_chromium(const char *page, int idle_s, struct sample *s)
{
	s->threads[0] = '\0'; /* a tree of processes: not broken down */
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	char url[700], prof[] = "/tmp/bench-chromium-XXXXXX";

	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(ls, 4) != 0 ||
	    getsockname(ls, (struct sockaddr *)&a, &al) != 0 || !mkdtemp(prof))
		return false;
	snprintf(url, sizeof(url), "file://%s?port=%d", page, ntohs(a.sin_port));
	double t0 = now_ms();
	pid_t pid = fork();
	if (pid == 0) {
		char dir[600];
		snprintf(dir, sizeof(dir), "--user-data-dir=%s", prof);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, STDERR_FILENO);
		dup2(null, STDOUT_FILENO);
		execlp("chromium", "chromium", "--kiosk", "--no-sandbox", "--disable-gpu",
		       "--no-first-run", "--disable-background-networking",
		       "--disable-component-update", "--disable-sync", "--disable-quic",
		       "--window-size=1920,1080", dir, url, (char *)NULL);
		_exit(127);
	}
	struct pollfd p = { ls, POLLIN, 0 };
	bool ok = poll(&p, 1, 30000) > 0;
	s->first_ms = now_ms() - t0;
	if (ok) {
		int c = accept(ls, NULL, NULL);
		static const char resp[] = "HTTP/1.0 204 No Content\r\n\r\n";
		if (c >= 0 && write(c, resp, sizeof(resp) - 1) > 0)
			close(c);
	}
	close(ls);
	if (!ok) {
		fprintf(stderr, "bench-kiosk: chromium did not paint within 30 s\n");
		stop(pid);
		return false;
	}
	sleep_until(t0 + 5000);
	memory(pid, true, &s->pss_mib, &s->rss_mib);
	double c0 = cpu_ms(pid, true), w0 = now_ms();
	sleep_until(w0 + idle_s * 1000.0);
	s->cpu_pct = (cpu_ms(pid, true) - c0) / (now_ms() - w0) * 100.0;
	kill(-pid, SIGTERM);
	stop(pid);
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", prof);
	if (system(cmd) != 0)
		fprintf(stderr, "bench-kiosk: could not remove %s\n", prof);
	return true;
}

/* An Xvfb of our own on the first free display from :97 (the machine may run others,
 * another benchmark's among them). */
static pid_t start_xvfb(void)
{
	char disp[16] = "", sock[64], lock[64];
	struct stat st;
	for (int d = 97; d < 160 && !disp[0]; d++) {
		snprintf(sock, sizeof(sock), "/tmp/.X11-unix/X%d", d);
		snprintf(lock, sizeof(lock), "/tmp/.X%d-lock", d);
		if (stat(sock, &st) != 0 && stat(lock, &st) != 0)
			snprintf(disp, sizeof(disp), ":%d", d);
	}
	if (!disp[0]) {
		fprintf(stderr, "bench-kiosk: no free X display\n");
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, STDERR_FILENO);
		execlp("Xvfb", "Xvfb", disp, "-screen", "0", "1920x1080x24", "-nolisten", "tcp",
		       (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 100; i++) {
		if (stat(sock, &st) == 0) {
			setenv("DISPLAY", disp, 1);
			usleep(200000);
			return pid;
		}
		usleep(50000);
	}
	fprintf(stderr, "bench-kiosk: Xvfb did not start\n");
	kill(pid, SIGKILL);
	return -1;
}

/* A headless cage of our own (docs: deployment), with no client of its own but sleep(1):
 * the kiosk connects to it like to Xvfb, started and stopped per run. */
static pid_t start_cage(void)
{
	char sock[128];
	struct stat st;

	snprintf(cage_runtime, sizeof(cage_runtime), "/tmp/bench-cage-XXXXXX");
	if (!mkdtemp(cage_runtime) || (geteuid() == 0 && chown(cage_runtime, 65534, 65534) != 0)) {
		fprintf(stderr, "bench-kiosk: cannot make cage's runtime folder\n");
		return -1;
	}
	snprintf(sock, sizeof(sock), "%s/wayland-0", cage_runtime);
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, STDERR_FILENO);
		setpgid(0, 0); /* cage and its sleep: one group to end */
		if (geteuid() == 0 &&
		    (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0))
			_exit(126);
		setenv("XDG_RUNTIME_DIR", cage_runtime, 1);
		setenv("WLR_BACKENDS", "headless", 1);
		setenv("WLR_LIBINPUT_NO_DEVICES", "1", 1);
		setenv("WLR_RENDERER", "pixman", 1);
		execlp("cage", "cage", "--", "sleep", "100000", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 100; i++) {
		if (stat(sock, &st) == 0) {
			usleep(200000);
			return pid;
		}
		usleep(50000);
	}
	fprintf(stderr, "bench-kiosk: cage did not start (installed? tools/install-deps.sh)\n");
	kill(-pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

static void stop_cage(pid_t pid)
{
	char cmd[128];
	kill(-pid, SIGTERM);
	usleep(300000);
	kill(-pid, SIGKILL);
	waitpid(pid, NULL, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", cage_runtime);
	if (system(cmd) != 0)
		fprintf(stderr, "bench-kiosk: could not remove %s\n", cage_runtime);
}

static void print_run(const char *who, int i, const struct sample *s)
{
	printf("  %-9s run %2d: first frame %8.1f ms   PSS %7.1f MiB   RSS %7.1f MiB   CPU idle "
	       "%6.3f %%\n",
	       who, i + 1, s->first_ms, s->pss_mib, s->rss_mib, s->cpu_pct);
	if (s->threads[0])
		printf("                  idle CPU by thread: %s\n", s->threads);
	if (s->server_cpu_pct >= 0)
		printf("                  display server's idle CPU meanwhile: %.3f %%\n",
		       s->server_cpu_pct);
	fflush(stdout);
}

/* Prints the medians and leaves them in v[n] (v has room for one more). */
static void report(const char *who, struct sample *v, int n)
{
	double a[MAX_RUNS], b[MAX_RUNS], c[MAX_RUNS], d[MAX_RUNS];
	for (int i = 0; i < n; i++) {
		a[i] = v[i].first_ms;
		b[i] = v[i].pss_mib;
		c[i] = v[i].rss_mib;
		d[i] = v[i].cpu_pct;
	}
	v[n] = (struct sample){ median(a, n), median(b, n), median(c, n), median(d, n), "", -1 };
	printf("%-10s first frame %8.1f ms   PSS %7.1f MiB   RSS %7.1f MiB   CPU idle %6.3f %%  "
	       "(medians of %d)\n",
	       who, v[n].first_ms, v[n].pss_mib, v[n].rss_mib, v[n].cpu_pct, n);
}

/* --cage: pairs of runs, x11 under Xvfb and wayland under cage, alternating which goes first. */
static int cage_pairs(const char *kiosk, const char *config, int runs, int idle_s, const char *log,
		      pid_t xvfb)
{
	struct sample xs[MAX_RUNS + 1], ws[MAX_RUNS + 1];
	int rc = 0;

	printf("adm-kiosk at %s, pairs: x11 driver under Xvfb and wayland driver under headless "
	       "cage, %d pairs, the first of a pair alternating; idle CPU over %d s\n",
	       window_size, runs, idle_s);
	for (int i = 0; i < runs && rc == 0; i++) {
		for (int k = 0; k < 2 && rc == 0; k++) {
			bool wayland = (k == 0) == (i % 2 == 1);
			if (!wayland) {
				rc = !run_kiosk(kiosk, config, "x11", idle_s, log, xvfb, &xs[i]);
				if (!rc)
					print_run("x11", i, &xs[i]);
				continue;
			}
			pid_t cage = start_cage(); /* cage's own start is not the kiosk's */
			if (cage < 0)
				return 1;
			rc = !run_kiosk(kiosk, config, "wayland", idle_s, log, cage, &ws[i]);
			stop_cage(cage);
			if (!rc)
				print_run("cage", i, &ws[i]);
		}
	}
	if (rc)
		return rc;
	report("x11", xs, runs);
	report("cage", ws, runs);
	double f[MAX_RUNS], m[MAX_RUNS], u[MAX_RUNS], sx[MAX_RUNS], sw[MAX_RUNS];
	for (int i = 0; i < runs; i++) {
		f[i] = ws[i].first_ms / xs[i].first_ms;
		m[i] = ws[i].pss_mib / xs[i].pss_mib;
		u[i] = xs[i].cpu_pct > 0 ? ws[i].cpu_pct / xs[i].cpu_pct : 0.0;
		sx[i] = xs[i].server_cpu_pct;
		sw[i] = ws[i].server_cpu_pct;
	}
	printf("servers    idle CPU, medians: Xvfb %.3f %%, cage %.3f %%\n", median(sx, runs),
	       median(sw, runs));
	printf("ratios     cage/x11, median of the %d pairs: first frame %.2fx, PSS %.2fx, CPU "
	       "%.2fx\n",
	       runs, median(f, runs), median(m, runs), median(u, runs));
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "runs", required_argument, NULL, 'n' },
		{ "idle", required_argument, NULL, 'i' },
		{ "driver", required_argument, NULL, 'd' },
		{ "chromium", no_argument, NULL, 'c' },
		{ "log", required_argument, NULL, 'l' },
		{ "cage", no_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 },
	};
	int runs = 5, idle_s = 30, c;
	const char *driver = "offscreen", *log = NULL;
	bool chromium = false, cage = false;
	struct sample ks[MAX_RUNS + 1], cs[MAX_RUNS + 1];
	char page[512];

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			runs = atoi(optarg);
			break;
		case 'i':
			idle_s = atoi(optarg);
			break;
		case 'd':
			driver = optarg;
			break;
		case 'c':
			chromium = true;
			break;
		case 'l':
			log = optarg;
			break;
		case 'g':
			cage = true;
			break;
		default:
			return 2;
		}
	}
	if (argc - optind != 2 || runs < 1 || runs > MAX_RUNS || idle_s < 1) {
		fprintf(stderr, "usage: bench-kiosk [--runs N] [--idle S] [--driver offscreen|x11] "
				"[--chromium] [--cage] [--log FILE] ADM_KIOSK CONFIG\n");
		return 2;
	}
	if (chromium && !realpath("tools/bench/attract.html", page)) {
		fprintf(stderr,
			"bench-kiosk: run from the source tree (tools/bench/attract.html)\n");
		return 1;
	}
	pid_t xvfb = -1;
	if (chromium || cage)
		driver = "x11"; /* side by side: both under the same Xvfb, or Xvfb and cage */
	if (cage)
		window_size = "1280x720"; /* the headless output's size */
	if (strcmp(driver, "x11") == 0) {
		xvfb = start_xvfb();
		if (xvfb < 0)
			return 1;
	}
	if (cage) {
		int rc = cage_pairs(argv[optind], argv[optind + 1], runs, idle_s, log, xvfb);
		kill(xvfb, SIGTERM);
		waitpid(xvfb, NULL, 0);
		return rc;
	}
	printf("adm-kiosk at 1920x1080 on the %s driver: %d runs%s; idle CPU over %d s\n", driver,
	       runs, chromium ? ", each followed by a Chromium run" : "", idle_s);
	int rc = 0;
	for (int i = 0; i < runs && rc == 0; i++) {
		if (!run_kiosk(argv[optind], argv[optind + 1], driver, idle_s, log, 0, &ks[i])) {
			rc = 1;
			break;
		}
		print_run("adm-kiosk", i, &ks[i]);
		if (chromium && !run_chromium(page, idle_s, &cs[i]))
			rc = 1;
		else if (chromium)
			print_run("chromium", i, &cs[i]);
	}
	if (rc == 0) {
		report("adm-kiosk", ks, runs);
		printf("targets    first frame < 75 ms      PSS < 40 MiB                       CPU "
		       "idle < 0.1 %%\n");
	}
	if (rc == 0 && chromium) {
		report("chromium", cs, runs);
		/* each Chromium run beside the kiosk run before it: the ratio per pair, then
		 * the median of those (robust to a neighbour that slowed one pair) */
		double f[MAX_RUNS], m[MAX_RUNS], u[MAX_RUNS];
		for (int i = 0; i < runs; i++) {
			f[i] = cs[i].first_ms / ks[i].first_ms;
			m[i] = cs[i].pss_mib / ks[i].pss_mib;
			u[i] = ks[i].cpu_pct > 0 ? cs[i].cpu_pct / ks[i].cpu_pct : 0.0;
		}
		printf(
		    "ratios     chromium/adm-kiosk, median of the %d pairs: first frame %.1fx, PSS "
		    "%.1fx, CPU %.1fx\n",
		    runs, median(f, runs), median(m, runs), median(u, runs));
	}
	if (xvfb > 0) {
		kill(xvfb, SIGTERM);
		waitpid(xvfb, NULL, 0);
	}
	return rc;
}
