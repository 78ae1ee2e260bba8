/*
 * Benchmark of the cache at scale (run on demand, see docs/benchmarks-sync.md): fills a
 * fresh cache with N synthetic documents through cache_apply_page (pages of 1000, as
 * adm-syncd applies them) and then times lookups by NIK and by KK, reporting p50, p99
 * and max, then one purge with nothing to purge (adm-syncd's cost after every pass).
 * Usage: bench-lookup DIR [N]
 */
#include "cache.h"
#include "clock.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Document i belongs to citizen i/2 (two documents each) in family i/8. */
static void nik_of(long i, char out[17])
{
	long c = i / 2;
	snprintf(out, 17, "3171%02ld%02ld%02ld%02ld%04ld", 1 + (c / 9999) % 99, 1 + c % 28,
		 1 + c % 12, 80 + c % 20, c % 9999 + 1);
	out[16] = '\0';
}

static void kk_of(long i, char out[17])
{
	snprintf(out, 17, "317101%010ld", (i / 8) % 10000000000L);
}

static void report(const char *what, int64_t *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), cmp);
	printf("%s: p50 %.1f us, p99 %.1f us, max %.1f us (%d lookups)\n", what, (double)t[n / 2],
	       (double)t[n * 99 / 100], (double)t[n - 1], n);
}

static void count(const struct cache_document *d, void *user)
{
	(void)d;
	(*(int *)user)++;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench-lookup DIR [DOCUMENTS]\n");
		return 2;
	}
	long n = argc > 2 ? atol(argv[2]) : 1000000;
	char db[512], key[512];
	snprintf(db, sizeof(db), "%s/bench-cache.db", argv[1]);
	snprintf(key, sizeof(key), "%s/bench.key", argv[1]);
	unlink(db);
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

	const int page = 1000;
	struct cache_change *ch = calloc((size_t)page, sizeof(*ch));
	int64_t t0 = clock_mono_us();
	for (long base = 0; base < n; base += page) {
		int m = (int)(n - base < page ? n - base : page);
		for (int j = 0; j < m; j++) {
			long i = base + j;
			struct cache_document *d = &ch[j].u.d.doc;
			memset(&ch[j], 0, sizeof(ch[j]));
			ch[j].kind = CACHE_CH_DOCUMENT;
			snprintf(d->id, sizeof(d->id), "D%09ld", i);
			nik_of(i, d->nik);
			kk_of(i, d->kk);
			snprintf(d->type, sizeof(d->type), "AKTA_LAHIR");
			snprintf(d->title_id, sizeof(d->title_id), "KUTIPAN AKTA KELAHIRAN");
			snprintf(d->title_en, sizeof(d->title_en), "Birth certificate");
			d->pages = 1;
			d->created = 1767225600 + i;
			d->expires = 1923764644;
			snprintf(d->blob_sha256, sizeof(d->blob_sha256), "%064lx", i);
			d->blob_size = 20000;
		}
		char cursor[24];
		snprintf(cursor, sizeof(cursor), "%ld", base + m);
		if (cache_apply_page(c, ch, (size_t)m, cursor, 0) != CACHE_OK) {
			fprintf(stderr, "apply failed\n");
			return 1;
		}
	}
	int64_t t1 = clock_mono_us();
	printf("applied %ld documents in %.2f s: %.0f records/s\n", n, (t1 - t0) / 1e6,
	       n / ((t1 - t0) / 1e6));

	const int lookups = 20000;
	int64_t *t = calloc(lookups, sizeof(*t));
	long found = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (int j = 0; j < lookups; j++) {
			long i = (long)randombytes_uniform((uint32_t)n);
			char v[17];
			int hits = 0;
			if (pass == 0)
				nik_of(i, v);
			else
				kk_of(i, v);
			int64_t a = clock_mono_us();
			int r = pass == 0 ? cache_documents_for_nik(c, v, count, &hits)
					  : cache_documents_for_kk(c, v, count, &hits);
			t[j] = clock_mono_us() - a;
			found += r > 0;
		}
		report(pass == 0 ? "lookup by NIK" : "lookup by KK", t, lookups);
	}
	printf("lookups that found documents: %ld of %d\n", found, 2 * lookups);
	/* adm-syncd purges after every pass: what that costs when there is nothing to purge */
	int64_t p0 = clock_mono_us();
	struct cache_purge_stats ps;
	if (cache_purge(c, 1, &ps) != CACHE_OK) {
		fprintf(stderr, "purge failed\n");
		return 1;
	}
	printf("purge with nothing to purge (after every sync pass): %.1f ms\n",
	       (clock_mono_us() - p0) / 1e3);
	struct stat sb;
	if (stat(db, &sb) == 0)
		printf("database size: %.1f MiB (%.0f bytes per document)\n",
		       sb.st_size / 1048576.0, (double)sb.st_size / n);
	free(t);
	free(ch);
	cache_close(c);
	return found == 2L * lookups ? 0 : 1;
}
