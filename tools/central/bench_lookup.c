/*
 * Benchmark of the cache at scale (run on demand, see docs/benchmarks-sync.md). Fills a
 * fresh cache with N documents and their holders (two documents per citizen) through
 * cache_apply_page, in pages of 500 changes as adm-syncd applies them, with data shaped
 * as the registry's: random blob hashes (SHA-256 of real files look random, so the blob
 * indexes take inserts all over, never only at the end) and argon2id strings at
 * production cost (64 MiB, t=2) with random salts. Then it times what the kiosk does
 * when a card is read (cache_holder_find, cache_documents_for_nik,
 * cache_applications_for_nik), and lookups by KK:
 *   warm: the same connection, the file in the page cache;
 *   cold: each sample on a fresh connection after the database and its WAL were synced
 *         and dropped from the page cache (posix_fadvise DONTNEED; mincore shows what is
 *         left), as the first visit after a reboot or after the kernel evicted the file;
 *         a second connection stays open meanwhile, as adm-syncd's does on a kiosk.
 * Then one purge with nothing to purge (adm-syncd's cost after every pass). Sizes count
 * the WAL beside the database. Usage: bench-lookup DIR [DOCUMENTS [COLD_SAMPLES]]
 */
#include "cache.h"
#include "cache_fill.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void report(const char *what, double *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), cmp);
	printf("  %-34s p50 %7.1f us  p99 %7.1f us  max %8.1f us  (%d)\n", what, t[n / 2],
	       t[n * 99 / 100], t[n - 1], n);
}

static void count(const void *row, void *user)
{
	(void)row;
	(*(int *)user)++;
}

static void count_doc(const struct cache_document *d, void *user)
{
	count(d, user);
}

static void count_app(const struct cache_application *a, void *user)
{
	count(a, user);
}

/* What a card read costs the kiosk: the holder, then their documents and applications.
 * Times each step into t[0..2]; returns the documents found, or -1. */
static int visit(cache_t *c, const char *nik, double t[3])
{
	struct cache_holder h;
	int docs = 0, apps = 0;
	double a = now_us();
	int rc = cache_holder_find(c, nik, &h);
	double b = now_us();
	int n = cache_documents_for_nik(c, nik, count_doc, &docs);
	double d = now_us();
	int m = cache_applications_for_nik(c, nik, count_app, &apps);
	double e = now_us();
	t[0] = b - a;
	t[1] = d - b;
	t[2] = e - d;
	return rc == CACHE_OK && n >= 0 && m >= 0 ? n : -1;
}

static off_t file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? sb.st_size : 0;
}

/* Syncs the file and asks the kernel to drop it from the page cache; returns the share
 * of its pages still resident afterwards (mincore), or -1 if it does not exist. */
static double drop_cached(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat sb;
	double left = -1;
	if (fstat(fd, &sb) == 0 && fsync(fd) == 0 &&
	    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0) {
		left = 0;
		long pg = sysconf(_SC_PAGESIZE);
		size_t pages = (size_t)((sb.st_size + pg - 1) / pg);
		void *map = pages ? mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_SHARED, fd, 0)
				  : MAP_FAILED;
		unsigned char *vec = pages ? malloc(pages) : NULL;
		if (map != MAP_FAILED && vec && mincore(map, (size_t)sb.st_size, vec) == 0) {
			size_t in = 0;
			for (size_t i = 0; i < pages; i++)
				in += vec[i] & 1;
			left = (double)in / (double)pages;
		}
		free(vec);
		if (map != MAP_FAILED)
			munmap(map, (size_t)sb.st_size);
	}
	close(fd);
	return left;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench-lookup DIR [DOCUMENTS [COLD_SAMPLES]]\n");
		return 2;
	}
	long n = argc > 2 ? atol(argv[2]) : 1000000;
	int cold_n = argc > 3 ? atoi(argv[3]) : 200;
	if (n < 2 || cold_n < 1)
		return 2;
	char db[512], wal[520], key[512];
	snprintf(db, sizeof(db), "%s/bench-cache.db", argv[1]);
	snprintf(wal, sizeof(wal), "%s-wal", db);
	snprintf(key, sizeof(key), "%s/bench.key", argv[1]);
	unlink(db);
	unlink(wal);
	if (sodium_init() < 0)
		return 1;
	unsigned char k[32];
	randombytes_buf(k, sizeof(k));
	int fd = open(key, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, k, 32) != 32)
		return 1;
	close(fd);
	struct cache_options o = { .path = db, .key_path = key };
	int err;
	cache_t *c = cache_open(&o, &err);
	if (!c)
		return 1;

	struct fill *f = calloc(1, sizeof(*f));
	long records = 0, pages = 0;
	double apply_us = 0;
	if (!f)
		return 1;
	f->n = n;
	while (f->next < n) {
		int m = fill_page(f);
		char cursor[24];
		snprintf(cursor, sizeof(cursor), "%ld", f->next);
		double a = now_us(); /* the apply alone, not making the data */
		if (cache_apply_page(c, f->ch, (size_t)m, cursor, 0) != CACHE_OK) {
			fprintf(stderr, "apply failed\n");
			return 1;
		}
		apply_us += now_us() - a;
		records += m;
		pages++;
	}
	long citizens = (n + 1) / 2;
	printf("applied %ld documents + %ld holders in %ld pages: %.2f s, %.0f records/s\n", n,
	       citizens, pages, apply_us / 1e6, records / (apply_us / 1e6));
	off_t dbs = file_size(db), wals = file_size(wal);
	printf("files: database %.1f MiB + WAL %.1f MiB = %.1f MiB (%.0f bytes per document, "
	       "holders included)\n",
	       dbs / 1048576.0, wals / 1048576.0, (dbs + wals) / 1048576.0,
	       (double)(dbs + wals) / (double)n);

	const int lookups = 20000;
	double *t[5];
	for (int i = 0; i < 5; i++)
		t[i] = calloc((size_t)(lookups > cold_n ? lookups : cold_n), sizeof(double));
	long bad = 0;
	printf("warm (one connection, file in the page cache), random citizens:\n");
	for (int j = 0; j < lookups; j++) {
		char nik[17], kk[17];
		long cz = (long)randombytes_uniform((uint32_t)citizens);
		double s[3];
		fill_nik(cz, nik);
		fill_kk(cz, kk);
		int docs = visit(c, nik, s);
		bad += docs < 1;
		t[0][j] = s[0];
		t[1][j] = s[1];
		t[2][j] = s[0] + s[1] + s[2];
		int hits = 0;
		double a = now_us();
		bad += cache_documents_for_kk(c, kk, count_doc, &hits) < 1;
		t[3][j] = now_us() - a;
	}
	report("holder (cache_holder_find)", t[0], lookups);
	report("documents by NIK", t[1], lookups);
	report("visit: holder + documents + apps", t[2], lookups);
	report("documents by KK", t[3], lookups);

	/* cold: a fresh connection each time, after the files left the page cache. A second
	 * connection stays open throughout, as adm-syncd's does beside the kiosk's, so that
	 * closing the measured one does not checkpoint the WAL away: lookups read what the
	 * last pages wrote from the WAL, as they would on a kiosk. */
	cache_t *keeper = cache_open(&o, &err);
	if (!keeper)
		return 1;
	double left_db = 0, left_wal = 0;
	for (int j = 0; j < cold_n; j++) {
		cache_close(c);
		double l = drop_cached(db), w = drop_cached(wal);
		left_db = l > left_db ? l : left_db;
		left_wal = w > left_wal ? w : left_wal;
		double a = now_us();
		c = cache_open(&o, &err);
		if (!c) {
			fprintf(stderr, "reopen failed: %s\n", cache_strerror(err));
			return 1;
		}
		t[4][j] = now_us() - a;
		char nik[17];
		double s[3];
		fill_nik((long)randombytes_uniform((uint32_t)citizens), nik);
		bad += visit(c, nik, s) < 1;
		t[0][j] = s[0];
		t[1][j] = s[1];
		t[2][j] = s[0] + s[1] + s[2];
	}
	printf("cold (fresh connection, database and WAL dropped from the page cache; at most "
	       "%.1f%% / %.1f%% of their pages still resident):\n",
	       100 * left_db, left_wal < 0 ? 0 : 100 * left_wal);
	report("cache_open (schema check, key)", t[4], cold_n);
	report("holder (cache_holder_find)", t[0], cold_n);
	report("documents by NIK", t[1], cold_n);
	report("visit: holder + documents + apps", t[2], cold_n);
	printf("lookups that found nothing: %ld of %d\n", bad, 2 * lookups + cold_n);
	cache_close(keeper);

	/* adm-syncd purges after every pass: what that costs when there is nothing to purge */
	double p0 = now_us();
	struct cache_purge_stats ps;
	if (cache_purge(c, 1, &ps) != CACHE_OK) {
		fprintf(stderr, "purge failed\n");
		return 1;
	}
	printf("purge with nothing to purge (after every sync pass): %.1f ms\n",
	       (now_us() - p0) / 1e3);
	dbs = file_size(db);
	wals = file_size(wal);
	printf("files at the end: database %.1f MiB + WAL %.1f MiB\n", dbs / 1048576.0,
	       wals / 1048576.0);
	for (int i = 0; i < 5; i++)
		free(t[i]);
	free(f);
	cache_close(c);
	return bad == 0 ? 0 : 1;
}
