/*
 * Bundle verify benchmark (docs/content-bundles.md, "Measured"): a bundle of N images of
 * random content (real PNGs and JPEGs, alternating, about TOTAL MB in all) is built and
 * signed with the real adm-bundle, then `adm-bundle verify` runs R times as a child
 * process, alone and with --store (files written by hash and fsynced, as a kiosk stages).
 * Wall time and the child's peak RSS come from wait4(); `sha256sum` of the same file is
 * the floor in the same run (reading and hashing, nothing more).
 *   bench-bundle [--images 50] [--mb 20] [--runs 5]
 */
#include "clock.h"
#include "content.h"
#include "synth_image.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct run {
	double ms, cpu_ms; /* wall; user + system */
	long rss_kib;
	int status;
};

/* Runs argv with stdout and stderr to /dev/null; wall time and peak RSS of the child. */
static struct run run(char *const argv[])
{
	struct run r = { .status = -1 };
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	int64_t t0 = clock_mono_us();
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) == 0) {
		struct rusage ru;
		if (wait4(pid, &r.status, 0, &ru) == pid) {
			r.ms = (double)(clock_mono_us() - t0) / 1000.0;
			r.cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
				   (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
			r.rss_kib = ru.ru_maxrss;
		}
	}
	posix_spawn_file_actions_destroy(&fa);
	return r;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* This process's own peak RSS since its exec (ru_maxrss would include the image maker's
 * before it). */
static long vm_hwm_kib(void)
{
	char line[128];
	long kib = 0;
	FILE *f = fopen("/proc/self/status", "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

/* Median CPU time (user + system) and largest RSS of runs of argv; exit status must be 0 each time.
 */
static int measure(const char *label, char *const argv[], int runs, double *median, long *rss)
{
	double ms[64], cpu[64];
	*rss = 0;
	for (int i = 0; i < runs; i++) {
		struct run r = run(argv);
		if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0) {
			fprintf(stderr, "bench-bundle: %s failed (status %d)\n", label, r.status);
			return -1;
		}
		ms[i] = r.ms;
		cpu[i] = r.cpu_ms;
		if (r.rss_kib > *rss)
			*rss = r.rss_kib;
	}
	qsort(ms, (size_t)runs, sizeof(ms[0]), cmp_double);
	qsort(cpu, (size_t)runs, sizeof(cpu[0]), cmp_double);
	*median = cpu[runs / 2];
	long self = vm_hwm_kib();
	char rss_s[32];
	/* a child's figure cannot go below what this process had when it spawned it */
	if (*rss <= self)
		snprintf(rss_s, sizeof(rss_s), "<= %.1f MiB", (double)self / 1024.0);
	else
		snprintf(rss_s, sizeof(rss_s), "%.1f MiB", (double)*rss / 1024.0);
	printf("%-32s wall %7.1f ms (min %6.1f)  CPU %7.1f ms  peak RSS %s\n", label, ms[runs / 2],
	       ms[0], *median, rss_s);
	return 0;
}

static int sh(const char *cmd)
{
	int rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "bench-bundle: failed: %s\n", cmd);
	return rc;
}

static int measure_all(const char *dir, int runs)
{
	char tool[PATH_MAX], path[PATH_MAX + 64], cmd[PATH_MAX * 2];
	ssize_t n = readlink("/proc/self/exe", tool, sizeof(tool) - 16);
	if (n <= 0)
		return 1;
	tool[n] = '\0';
	strcpy(strrchr(tool, '/') + 1, "adm-bundle");
	snprintf(path, sizeof(path), "%s/bench.admb", dir);
	struct stat st;
	stat(path, &st);
	printf("bundle %.1f MiB; %d runs each, child processes; wall time, CPU time (user + "
	       "system) and peak RSS from wait4()\n",
	       (double)st.st_size / 1048576.0, runs);

	char kr[PATH_MAX + 8], store[PATH_MAX + 8];
	snprintf(kr, sizeof(kr), "%s/kr", dir);
	snprintf(store, sizeof(store), "%s/store", dir);
	mkdir(store, 0755);
	double t_verify, t_store, t_sha, t_help;
	long r_verify, r_store, r_sha, r_help;
	char *help[] = { tool, "keyring", "show", kr, NULL };
	char *verify[] = { tool, "verify", path, "--keyring", kr, "--region", "32.73", NULL };
	char *verify_store[] = { tool,	     "verify", path,	  "--keyring", kr,
				 "--region", "32.73",  "--store", store,       NULL };
	char *sha[] = { "sha256sum", path, NULL };
	if (measure("adm-bundle (no bundle: baseline)", help, runs, &t_help, &r_help) ||
	    measure("sha256sum (floor: read + hash)", sha, runs, &t_sha, &r_sha) ||
	    measure("adm-bundle verify", verify, runs, &t_verify, &r_verify) ||
	    measure("adm-bundle verify --store", verify_store, runs, &t_store, &r_store))
		return 1;
	printf("verify: %.1f ms CPU for %.1f MiB (%.0f MiB/s), %.1fx sha256sum; peak RSS %.1f MiB "
	       "(%.1f MiB over the process baseline); medians\n",
	       t_verify, (double)st.st_size / 1048576.0,
	       (double)st.st_size / 1048576.0 / (t_verify / 1000.0), t_verify / t_sha,
	       (double)r_verify / 1024.0, (double)(r_verify - r_help) / 1024.0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return sh(cmd);
}

int main(int argc, char **argv)
{
	int images = 50, mb = 20, runs = 5;
	if (argc == 4 && strcmp(argv[1], "--measure") == 0)
		return measure_all(argv[2], atoi(argv[3]));
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--images") == 0)
			images = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--mb") == 0)
			mb = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--runs") == 0)
			runs = atoi(argv[i + 1]);
	}
	if (images < 1 || images > CONTENT_FILES_MAX || runs < 1 || runs > 64 || mb < 1)
		return fprintf(stderr,
			       "usage: bench-bundle [--images 1..100] [--mb N] [--runs 1..64]\n"),
		       1;
	char tool[PATH_MAX], dir[] = "/tmp/adm-bench-bundle-XXXXXX", cmd[PATH_MAX * 8];
	ssize_t n = readlink("/proc/self/exe", tool, sizeof(tool) - 16);
	if (n <= 0 || !mkdtemp(dir))
		return 1;
	tool[n] = '\0';
	char tool_self[PATH_MAX];
	strcpy(tool_self, tool);
	strcpy(strrchr(tool, '/') + 1, "adm-bundle");

	/* keys and a keyring signed 2-of-3 */
	snprintf(cmd, sizeof(cmd),
		 "cd %s && for k in a b c office; do '%s' keygen $k >/dev/null || exit 1; done && "
		 "'%s' keyring init kr --root a.pub --root b.pub --root c.pub >/dev/null && "
		 "'%s' keyring add kr --publisher dukcapil-3273 --name Bench --key office.pub "
		 "--region 32.73 >/dev/null && '%s' keyring sign kr --key a.key >/dev/null && "
		 "'%s' keyring sign kr --key b.key >/dev/null && mkdir b",
		 dir, tool, tool, tool, tool, tool);
	if (sh(cmd) != 0)
		return 1;

	/* images: sized so the total is about mb MiB, from the bytes per pixel of a probe
	 * image of each kind */
	double per = (double)mb * 1024 * 1024 / images, bpp[2];
	for (int k = 0; k < 2; k++) {
		unsigned char *data;
		size_t len;
		if (!synth_image(1080, 100, k, 99, 90, &data, &len))
			return 1;
		bpp[k] = (double)len / (1080.0 * 100.0);
		free(data);
	}
	size_t total = 0, npng = 0, njpg = 0;
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/b/bundle.json", dir);
	FILE *j = fopen(path, "we");
	if (!j)
		return 1;
	fprintf(j, "{\"format\":1,\"publisher\":\"dukcapil-3273\",\"version\":1,"
		   "\"expires\":\"2030-01-01T00:00:00Z\",\"scope\":{\"regions\":[\"32.73\"]},"
		   "\"items\":[");
	int64_t t0 = clock_mono_us();
	for (int i = 0; i < images; i++) {
		bool jpeg = i % 2;
		int w = 1080, h = (int)(per / bpp[jpeg] / w);
		unsigned char *data;
		size_t len;
		if (!synth_image(w, h, jpeg, (unsigned)i + 1, 90, &data, &len))
			return fprintf(stderr, "bench-bundle: cannot make image %d\n", i), 1;
		snprintf(path, sizeof(path), "%s/b/img-%02d.%s", dir, i, jpeg ? "jpg" : "png");
		FILE *f = fopen(path, "we");
		if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
			return 1;
		free(data);
		total += len;
		*(jpeg ? &njpg : &npng) += 1;
		fprintf(j,
			"%s{\"id\":\"banner-%02d\",\"kind\":\"banner\",\"file\":\"img-%02d.%s\","
			"\"valid\":{\"from\":\"2026-01-01T00:00:00Z\",\"until\":\"2030-01-01T00:00:"
			"00Z\"},"
			"\"alt\":{\"id\":\"Spanduk %d\",\"en\":\"Banner %d\"}}",
			i ? "," : "", i, i, jpeg ? "jpg" : "png", i, i);
	}
	fprintf(j, "]}\n");
	if (fclose(j) != 0)
		return 1;
	printf("%d images (%zu PNG, %zu JPEG, 1080 px wide, random content), %.1f MiB, made in "
	       "%.1f s\n",
	       images, npng, njpg, (double)total / 1048576.0, (double)(clock_mono_us() - t0) / 1e6);

	snprintf(cmd, sizeof(cmd),
		 "cd %s && '%s' build b -o bench.admb >/dev/null && '%s' sign bench.admb --key "
		 "office.key >/dev/null",
		 dir, tool, tool);
	if (sh(cmd) != 0)
		return 1;
	/* measure from a fresh process: a child's ru_maxrss includes the RSS its parent had
	 * when it was spawned, and this one holds SDL and the images */
	char runs_s[16];
	snprintf(runs_s, sizeof(runs_s), "%d", runs);
	char *again[] = { tool_self, "--measure", dir, runs_s, NULL };
	fflush(stdout);
	execv(tool_self, again);
	perror("bench-bundle: execv");
	return 1;
}
