/*
 * bench-thumbs: the document list's thumbnail, from the request to the image in the
 * store, side by side with pdftoppm (poppler-utils) rendering the same page in pairs.
 *
 *   bench-thumbs [--pairs N] [--box PX]
 *
 * The document is a two-page A4 PDF as adm-central draws it (central/pdf.c, synthetic
 * data). Each pair, in alternating order:
 *   ours: thumbs_renderer_submit() from this (the "UI") thread, timed until the renderer's
 *         thread has put the first page, box PX tall (119: 1920x1080), into the store: the
 *         thread hand-off, poppler opening the document from memory and rendering page 1;
 *   peer: `pdftoppm -singlefile -r DPI doc.pdf out` with DPI giving the same height, timed
 *         from spawn to exit: a whole process (its start, poppler, a PPM file written).
 * Also printed: thumbs_render() alone in this thread (no hand-off), and the submitting
 * thread's CPU time for the request (the UI thread's share, were it the UI thread; in the
 * kiosk the services worker submits). Prints every
 * pair, then p50/p95 of each and the median of the per-pair ratios. Documented in
 * docs/benchmarks.md. Not a test: figures depend on the machine.
 */
#include "central.h"
#include "clock.h"
#include "thumbs_render.h"

#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PAIRS 200

extern char **environ;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done = PTHREAD_COND_INITIALIZER;
static int puts_seen;

static void wake(void *ctx)
{
	(void)ctx;
	pthread_mutex_lock(&lock);
	puts_seen++;
	pthread_cond_signal(&done);
	pthread_mutex_unlock(&lock);
}

static double ms_since(int64_t t0_us)
{
	return (double)(clock_mono_us() - t0_us) / 1000.0;
}

/* CPU time of the calling thread: what the submit costs the UI thread, whoever else the
 * scheduler runs meanwhile */
static double thread_cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ours: submit, then wait for the renderer's put; *busy_ms: the submitting thread's part */
static double ours(struct thumbs *store, struct thumbs_renderer *r, const unsigned char *pdf,
		   size_t len, double *busy_ms)
{
	thumbs_wipe(store); /* a new visit: nothing cached */
	pthread_mutex_lock(&lock);
	int before = puts_seen;
	pthread_mutex_unlock(&lock);
	int64_t t0 = clock_mono_us();
	double cpu0 = thread_cpu_ms();
	thumbs_renderer_submit(r, "doc", pdf, len);
	*busy_ms = thread_cpu_ms() - cpu0;
	pthread_mutex_lock(&lock);
	while (puts_seen == before)
		pthread_cond_wait(&done, &lock);
	pthread_mutex_unlock(&lock);
	return ms_since(t0);
}

static double peer(const char *pdf_path, const char *out, double dpi)
{
	char res[32];
	snprintf(res, sizeof(res), "%.3f", dpi);
	char *argv[] = {
		"pdftoppm", "-singlefile", "-r", res, (char *)pdf_path, (char *)out, NULL
	};
	pid_t pid;
	int st = 0;
	int64_t t0 = clock_mono_us();
	if (posix_spawnp(&pid, "pdftoppm", NULL, NULL, argv, environ) != 0)
		return -1;
	waitpid(pid, &st, 0);
	double ms = ms_since(t0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? ms : -1;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* the q-quantile (nearest rank) of n values, sorting a copy */
static double quantile(const double *v, int n, double q)
{
	double s[MAX_PAIRS];
	memcpy(s, v, sizeof(double) * (size_t)n);
	qsort(s, (size_t)n, sizeof(double), cmp);
	int k = (int)(q * n + 0.999999) - 1;
	return s[k < 0 ? 0 : k >= n ? n - 1 : k];
}

int main(int argc, char **argv)
{
	int pairs = 40, box = 119;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--pairs") == 0)
			pairs = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--box") == 0)
			box = atoi(argv[i + 1]);
	}
	if (pairs < 1 || pairs > MAX_PAIRS || box < 16) {
		fprintf(stderr, "usage: bench-thumbs [--pairs 1..%d] [--box PX >= 16]\n",
			MAX_PAIRS);
		return 2;
	}
	struct pdf_doc d = { .title_id = "KARTU KELUARGA",
			     .title_en = "Family card",
			     .nik = "3171015708900003",
			     .kk = "3171010101090001",
			     .name = "SITI RAHMAWATI",
			     .birth = "JAKARTA, 17-08-1990",
			     .region = "KOTA JAKARTA PUSAT",
			     .doc_id = "D00000001",
			     .pages = 2 };
	size_t len = 0;
	unsigned char *pdf = pdf_render(&d, &len);
	char dir[] = "/tmp/bench-thumbs-XXXXXX", path[96], out[64];
	if (!pdf || !mkdtemp(dir)) {
		fprintf(stderr, "bench-thumbs: cannot draw the document or make a folder\n");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/doc.pdf", dir);
	snprintf(out, sizeof(out), "%s/page", dir);
	FILE *fp = fopen(path, "wb");
	if (!fp || fwrite(pdf, 1, len, fp) != len || fclose(fp) != 0) {
		fprintf(stderr, "bench-thumbs: cannot write %s\n", path);
		return 1;
	}
	double dpi = box * 72.0 / 841.89; /* A4's height in points */

	struct thumbs *store = thumbs_create();
	thumbs_set_unit(store, box / THUMBS_BOX_U);
	struct thumbs_renderer *r = thumbs_renderer_start(store, wake, NULL);
	if (!store || !r || thumbs_box(store) != box)
		return 1;

	double o[MAX_PAIRS], p[MAX_PAIRS], ratio[MAX_PAIRS], alone[MAX_PAIRS], busy[MAX_PAIRS];
	printf(
	    "document: 2-page A4 PDF from central/pdf.c, %zu bytes; box %d px (pdftoppm -r %.3f)\n",
	    len, box, dpi);
	printf("pair  order      ours ms  pdftoppm ms  ratio  render alone ms  submit CPU ms\n");
	for (int i = 0; i < pairs; i++) {
		if (i % 2 == 0) {
			o[i] = ours(store, r, pdf, len, &busy[i]);
			p[i] = peer(path, out, dpi);
		} else {
			p[i] = peer(path, out, dpi);
			o[i] = ours(store, r, pdf, len, &busy[i]);
		}
		if (p[i] < 0) {
			fprintf(stderr,
				"bench-thumbs: pdftoppm failed (poppler-utils installed?)\n");
			return 1;
		}
		int64_t t0 = clock_mono_us();
		SDL_Surface *s = thumbs_render(pdf, len, box);
		alone[i] = ms_since(t0);
		thumbs_free_surface(s);
		ratio[i] = o[i] / p[i];
		printf("%4d  %-9s %8.2f  %11.2f  %5.3f  %15.2f  %9.3f\n", i + 1,
		       i % 2 ? "peer-ours" : "ours-peer", o[i], p[i], ratio[i], alone[i], busy[i]);
	}
	printf("\n%-34s %8s %8s\n", "", "p50", "p95");
	printf("%-34s %8.2f %8.2f\n", "ours: submit -> in the store, ms", quantile(o, pairs, 0.5),
	       quantile(o, pairs, 0.95));
	printf("%-34s %8.2f %8.2f\n", "pdftoppm -singlefile, ms", quantile(p, pairs, 0.5),
	       quantile(p, pairs, 0.95));
	printf("%-34s %8.2f %8.2f\n", "thumbs_render() alone, ms", quantile(alone, pairs, 0.5),
	       quantile(alone, pairs, 0.95));
	printf("%-34s %8.3f %8.3f\n", "submitting thread CPU, ms", quantile(busy, pairs, 0.5),
	       quantile(busy, pairs, 0.95));
	printf("median of the per-pair ratios ours/pdftoppm: %.3f\n", quantile(ratio, pairs, 0.5));

	thumbs_renderer_stop(r);
	thumbs_destroy(store);
	unlink(path);
	snprintf(path, sizeof(path), "%s.ppm", out);
	unlink(path);
	rmdir(dir);
	free(pdf);
	return 0;
}
