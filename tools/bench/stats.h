/* Percentiles of samples, printed one line each, for the benchmarks in this folder. */
#ifndef ADM_BENCH_STATS_H
#define ADM_BENCH_STATS_H

double stats_now_ms(void); /* CLOCK_MONOTONIC */
/* This thread's CPU time: what a frame costs, whatever else the machine runs. */
double stats_cpu_ms(void);
/* Sorts v and returns its q-quantile (0..1, nearest rank). */
double stats_quantile(double *v, int n, double q);
/* "  what  p50 … p95 … p99 … max … (n)" in milliseconds; sorts v. */
void stats_line(const char *what, double *v, int n);
/* 1-, 5- and 15-minute load averages, as one string: the machine is shared. */
const char *stats_load(void);

#endif
