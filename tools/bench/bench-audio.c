/*
 * bench-audio: the spoken prompt's start latency (issue 13, item 1): from the flow's state
 * change to the prompt's first non-silent sample handed to the audio device, through the
 * kiosk's own code (flow_step, guide_news, guide_for, audio_say, SDL's callback).
 *
 *   bench-audio [--pairs N] PROMPTS.PACK
 *
 * The device is SDL's disk driver writing to /dev/null at the pace of a real device (its
 * SDL_DISKAUDIODELAY default: one 512-sample buffer, 23 ms, a callback). The peer, in the
 * same run and in alternating pairs, is what the kiosk would do without the build-time
 * recordings: espeak-ng synthesising the same first sentence when the screen appears,
 * timed to its first non-silent sample on the pipe (before any device buffer, which
 * favours the peer). Prints every pair, then p50 and p95 of each. Not a test.
 */
#include "audio.h"
#include "clock.h"
#include "scenarios.h"

#include <SDL.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const screens[] = { "verify",       "documents",	"printing",  "done",
				       "verify-wrong", "nothing-ready", "pin-locked" };
#define N_SCREENS (int)(sizeof(screens) / sizeof(screens[0]))

/* The kiosk's path: the state change, then its prompt until the first sound. */
static double kiosk_ms(struct audio *a, const struct scenario *s)
{
	struct flow f;
	struct view_ctx ctx;
	struct guide g;
	struct guide_mark before = { .state = FLOW_ATTRACT };
	int64_t t0 = clock_mono_us(), said, sounded = 0;
	scenario_run(s, &f, &ctx); /* the events that lead to the screen */
	struct guide_mark now = guide_mark(&f);
	if (guide_news(&before, &now)) {
		guide_for(&f, &g);
		audio_say(a, &g);
	}
	while (!sounded) {
		SDL_Delay(1);
		audio_times(a, &said, &sounded);
	}
	return (double)(sounded - t0) / 1000.0;
}

/* The peer: espeak-ng speaks the first sentence now; time to its first sound. */
static double espeak_ms(const struct scenario *s)
{
	struct flow f;
	struct view_ctx ctx;
	struct guide g;
	int fd[2];
	int64_t t0 = clock_mono_us(), t1 = 0;
	scenario_run(s, &f, &ctx);
	guide_for(&f, &g);
	if (pipe(fd) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		execlp("espeak-ng", "espeak-ng", "-v", "id", "-s", "150", "--stdout",
		       g.p[GUIDE_ID][0].text, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	unsigned char buf[4096];
	size_t seen = 0;
	ssize_t got;
	while ((got = read(fd[0], buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i + 1 < got && !t1; i += 2) /* past the 44-byte header */
			if (seen + (size_t)i >= 44 && (buf[i] | buf[i + 1]) != 0)
				t1 = clock_mono_us();
		seen += (size_t)got;
	}
	close(fd[0]);
	waitpid(pid, NULL, 0);
	return t1 ? (double)(t1 - t0) / 1000.0 : -1;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	int i = (int)(p * (n - 1) + 0.5);
	return v[i];
}

int main(int argc, char **argv)
{
	int pairs = 40, c;
	static const struct option opts[] = { { "pairs", required_argument, NULL, 'n' },
					      { NULL, 0, NULL, 0 } };
	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1)
		if (c == 'n')
			pairs = atoi(optarg);
	if (optind != argc - 1 || pairs < 2) {
		fprintf(stderr, "usage: bench-audio [--pairs N] PROMPTS.PACK\n");
		return 2;
	}
	setenv("SDL_AUDIODRIVER", "disk", 0);
	setenv("SDL_DISKAUDIOFILE", "/dev/null", 0);
	struct audio_settings st = { .volume = 80 };
	struct audio *a = audio_open(argv[optind], &st);
	if (!a) {
		fprintf(stderr, "bench-audio: no audio (pack or SDL's %s driver)\n",
			getenv("SDL_AUDIODRIVER"));
		return 1;
	}
	double *k = calloc((size_t)pairs, sizeof(double)),
	       *e = calloc((size_t)pairs, sizeof(double));
	printf("pair  screen          kiosk ms  espeak-ng ms\n");
	for (int i = 0; i < pairs; i++) {
		const struct scenario *s = scenario_find(screens[i % N_SCREENS]);
		if (i % 2) { /* alternate who goes first */
			e[i] = espeak_ms(s);
			k[i] = kiosk_ms(a, s);
		} else {
			k[i] = kiosk_ms(a, s);
			e[i] = espeak_ms(s);
		}
		printf("%4d  %-14s %9.2f %13.2f\n", i + 1, s->name, k[i], e[i]);
		SDL_Delay(30); /* the prompt goes on playing; the next screen replaces it */
	}
	double k50 = pct(k, pairs, 0.5), k95 = pct(k, pairs, 0.95);
	double e50 = pct(e, pairs, 0.5), e95 = pct(e, pairs, 0.95);
	printf("\nstart latency over %d pairs on SDL's %s driver:\n", pairs,
	       SDL_GetCurrentAudioDriver());
	printf("  kiosk (recorded prompts):  p50 %.2f ms  p95 %.2f ms\n", k50, k95);
	printf("  espeak-ng on demand:       p50 %.2f ms  p95 %.2f ms\n", e50, e95);
	printf("  ratio espeak-ng / kiosk:   p50 %.1fx  p95 %.1fx\n", e50 / k50, e95 / k95);
	audio_close(a);
	free(k);
	free(e);
	return 0;
}
