#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

double stats_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

double stats_cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

double stats_quantile(double *v, int n, double q)
{
	if (n <= 0)
		return 0;
	qsort(v, (size_t)n, sizeof(*v), cmp);
	int i = (int)(q * n + 0.999999) - 1; /* nearest rank */
	return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

void stats_line(const char *what, double *v, int n)
{
	double p50 = stats_quantile(v, n, 0.50), p95 = stats_quantile(v, n, 0.95);
	double p99 = stats_quantile(v, n, 0.99);
	printf("  %-44s p50 %8.3f  p95 %8.3f  p99 %8.3f  max %8.3f ms  (%d)\n", what, p50, p95, p99,
	       n ? v[n - 1] : 0.0, n);
}

const char *stats_load(void)
{
	static char buf[64];
	FILE *f = fopen("/proc/loadavg", "r");
	double a = 0, b = 0, c = 0;
	if (!f || fscanf(f, "%lf %lf %lf", &a, &b, &c) != 3)
		snprintf(buf, sizeof(buf), "unknown");
	else
		snprintf(buf, sizeof(buf), "%.2f %.2f %.2f", a, b, c);
	if (f)
		fclose(f);
	return buf;
}
