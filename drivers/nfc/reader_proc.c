/*
 * Reader backend that runs the libnfc driver in a child process, adm-readerd (readerd.c),
 * and supervises it: the kiosk must survive whatever arrives on the reader's line.
 *
 * DESIGN. Why a process: libnfc 1.8 calls abort() on a PN532 status byte with the NAD bit,
 * and waits with neither timeout nor abort for the rest of a torn InAutoPoll answer or for
 * an ACK that never comes; no thread can cut either short. A child can be killed. One
 * supervisor thread per handle owns the child (pid, socket) and is the only caller of
 * on_event; reader_destroy wakes it through a pipe and joins it. The supervisor:
 *   - starts adm-readerd on a socketpair (fd 3 in the child, every other fd closed);
 *   - relays its events, merging the child's own ready/lost/back with its deaths, so the
 *     owner sees one reader that is lost and comes back;
 *   - keeps a watchdog: each step the child's worker starts is announced with its budget;
 *     when budget + WATCHDOG_MARGIN_MS pass without another record, the child is killed,
 *     the reader reported lost, and a fresh child reopens the device;
 *   - on a death (crash or watchdog) during a read, reports that read as failed by the
 *     reader (READER_FAIL_READER), not as a card lifted too soon;
 *   - restarts with backoff (100 ms .. 2 s; reset once a child has lived 10 s).
 * Identity data crosses the socket once and is wiped from the record after the callback.
 */
#include "clock.h"
#include "log.h"
#include "reader_private.h"
#include "reader_wire.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define WATCHDOG_MARGIN_MS 3000 /* beyond a step's own budget: a loaded machine is slow */
#define START_BUDGET_MS	   5000 /* exec and libnfc set-up before the first step */
#define STOP_GRACE_MS	   1000 /* SIGTERM, then SIGKILL */
#define BACKOFF_MIN_MS	   100
#define BACKOFF_MAX_MS	   2000
#define STABLE_MS	   10000
#define DETAILS_MAX	   48 /* distinct detail texts kept; the child has about 20 */

extern char **environ;

struct reader_proc {
	struct reader base;
	char *helper, *connstring;
	void (*on_event)(void *ctx, const struct reader_event *ev);
	void *ctx;
	int presence_ms, apdu_timeout_ms;

	pthread_t thread;
	int stop_pipe[2];
	/* supervisor thread only: */
	pid_t pid;
	int sock;
	int64_t started_ms, deadline_ms;
	bool ever_ready, lost, card_pending;
	/* The owner may keep ev->detail (static text in the in-process backend): texts from
	 * the child are interned here and live as long as the handle. */
	char details[DETAILS_MAX][READER_WIRE_DETAIL];
	int n_details;
	atomic_uint watchdog, crashes;
};

static const char *intern(struct reader_proc *r, const char *text)
{
	if (!text)
		return NULL;
	for (int i = 0; i < r->n_details; i++)
		if (strcmp(r->details[i], text) == 0)
			return r->details[i];
	if (r->n_details == DETAILS_MAX)
		return "(more reasons than kept: see the reader's log)";
	snprintf(r->details[r->n_details], READER_WIRE_DETAIL, "%s", text);
	return r->details[r->n_details++];
}

static void emit(struct reader_proc *r, struct reader_event *ev)
{
	if (!ev->at_ms)
		ev->at_ms = clock_mono_ms();
	ev->detail = intern(r, ev->detail);
	r->on_event(r->ctx, ev);
	sodium_memzero(&ev->identity, sizeof(ev->identity));
}

static void emit_simple(struct reader_proc *r, enum reader_event_type type, enum reader_failure f,
			const char *detail)
{
	struct reader_event ev = { .type = type, .failure = f, .detail = detail };
	emit(r, &ev);
}

static bool spawn(struct reader_proc *r)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		log_warn("reader: socketpair: %s", strerror(errno));
		return false;
	}
	char presence[16], apdu[16];
	snprintf(presence, sizeof(presence), "%d", r->presence_ms);
	snprintf(apdu, sizeof(apdu), "%d", r->apdu_timeout_ms);
	char *argv[] = {
		r->helper, "--fd",	  "3", "--presence-ms", presence, "--apdu-timeout-ms",
		apdu,	   r->connstring, NULL
	};
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 3); /* clears close-on-exec on 3 */
	posix_spawn_file_actions_addclosefrom_np(&fa, 4);
	/* The spawning thread may block signals (the kiosk's threads do): the child must not
	 * inherit that, nor an ignored SIGTERM or SIGPIPE. */
	posix_spawnattr_t at;
	sigset_t none, dfl;
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGPIPE);
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dfl);
	int rc = posix_spawn(&r->pid, r->helper, &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	close(sv[1]);
	if (rc != 0) {
		if (!r->lost) /* once per spell, not at every retry */
			log_warn("reader: cannot start %s: %s", r->helper, strerror(rc));
		close(sv[0]);
		r->pid = 0;
		return false;
	}
	r->sock = sv[0];
	r->started_ms = clock_mono_ms();
	r->deadline_ms = r->started_ms + START_BUDGET_MS;
	log_debug("reader: %s started (pid %d)", r->helper, (int)r->pid);
	return true;
}

static void describe_status(int st, char *out, size_t cap)
{
	if (WIFSIGNALED(st))
		snprintf(out, cap, "the reader process died (signal %d, %s)", WTERMSIG(st),
			 strsignal(WTERMSIG(st)));
	else if (WIFEXITED(st))
		snprintf(out, cap, "the reader process exited with status %d", WEXITSTATUS(st));
	else
		snprintf(out, cap, "the reader process ended");
}

/* Reaps the child (killing it first if asked), then reports what that means. */
static void child_gone(struct reader_proc *r, bool kill_it, const char *why)
{
	int st = 0;
	char buf[128];
	if (kill_it)
		kill(r->pid, SIGKILL);
	while (waitpid(r->pid, &st, 0) < 0 && errno == EINTR)
		;
	close(r->sock);
	r->sock = -1;
	r->pid = 0;
	if (!why) {
		describe_status(st, buf, sizeof(buf));
		why = buf;
		atomic_fetch_add(&r->crashes, 1);
	}
	log_warn("reader: %s", why);
	if (r->card_pending) {
		r->card_pending = false;
		emit_simple(r, READER_EV_CARD_FAILED, READER_FAIL_READER, why);
	}
	if (!r->lost) {
		r->lost = true;
		emit_simple(r, READER_EV_READER_LOST, READER_FAIL_NONE, why);
	}
}

/* Passes one of the child's events on, as events of a reader that outlives its children. */
static void relay(struct reader_proc *r, struct reader_event *ev)
{
	switch (ev->type) {
	case READER_EV_READY:
	case READER_EV_READER_BACK:
		if (r->lost) {
			ev->type = READER_EV_READER_BACK;
			r->lost = false;
		} else if (!r->ever_ready) {
			ev->type = READER_EV_READY;
		} else {
			return; /* a fresh child opened a reader that was never reported lost */
		}
		r->ever_ready = true;
		break;
	case READER_EV_READER_LOST:
		if (r->lost)
			return;
		r->lost = true;
		break;
	case READER_EV_CARD_PRESENT:
		r->card_pending = true;
		break;
	case READER_EV_IDENTITY:
	case READER_EV_CARD_FAILED:
		r->card_pending = false;
		break;
	case READER_EV_CARD_REMOVED:
		break;
	}
	emit(r, ev);
}

/* Waits ms unless told to stop; false when stopping. */
static bool pause_unless_stopped(struct reader_proc *r, int ms)
{
	struct pollfd p = { .fd = r->stop_pipe[0], .events = POLLIN };
	return poll(&p, 1, ms) == 0;
}

static void stop_child(struct reader_proc *r)
{
	if (r->pid <= 0)
		return;
	kill(r->pid, SIGTERM);
	int64_t until = clock_mono_ms() + STOP_GRACE_MS;
	int st;
	for (;;) {
		pid_t w = waitpid(r->pid, &st, WNOHANG);
		if (w == r->pid || (w < 0 && errno != EINTR))
			break;
		int64_t left = until - clock_mono_ms();
		if (left <= 0) {
			/* Stuck in libnfc where no abort reaches: that is what the process is for.
			 */
			log_warn("reader: the reader process did not stop; killed");
			kill(r->pid, SIGKILL);
			waitpid(r->pid, &st, 0);
			break;
		}
		/* The socket closes when the child exits: wake on that, or poll again soon. */
		struct pollfd p = { .fd = r->sock, .events = POLLIN };
		poll(&p, 1, left < 20 ? (int)left : 20);
		char junk[sizeof(struct reader_wire)];
		if (p.revents & POLLIN && recv(r->sock, junk, sizeof(junk), MSG_DONTWAIT) > 0)
			sodium_memzero(junk, sizeof(junk)); /* a last event nobody wants now */
	}
	close(r->sock);
	r->sock = -1;
	r->pid = 0;
}

static void *supervise(void *arg)
{
	struct reader_proc *r = arg;
	int backoff = BACKOFF_MIN_MS;
	struct reader_wire w;
	for (;;) {
		if (r->pid <= 0) {
			if (!spawn(r)) {
				if (!r->lost) {
					r->lost = true;
					emit_simple(r, READER_EV_READER_LOST, READER_FAIL_NONE,
						    "cannot start the reader process");
				}
				if (!pause_unless_stopped(r, backoff))
					break;
				backoff =
				    backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
				continue;
			}
		}
		int64_t left = r->deadline_ms - clock_mono_ms();
		struct pollfd p[2] = { { .fd = r->sock, .events = POLLIN },
				       { .fd = r->stop_pipe[0], .events = POLLIN } };
		int n = poll(p, 2, left > 0 ? (int)left : 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (p[1].revents)
			break;
		bool died = false, hung = false;
		if (n > 0 && p[0].revents) {
			ssize_t got = recv(r->sock, &w, sizeof(w), MSG_DONTWAIT);
			struct reader_event ev;
			if (got > 0 && reader_wire_check(&w, (size_t)got, &ev)) {
				int budget = w.kind == READER_WIRE_STEP ? w.budget_ms : 0;
				r->deadline_ms = clock_mono_ms() + budget + WATCHDOG_MARGIN_MS;
				if (w.kind == READER_WIRE_EVENT)
					relay(r, &ev);
				sodium_memzero(&ev, sizeof(ev));
			} else if (got > 0) {
				log_warn("reader: a malformed record from the reader process");
				died = true; /* it is not the program we started any more */
			} else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
				died = true;
			}
			sodium_memzero(&w, sizeof(w));
		} else if (n == 0 && clock_mono_ms() >= r->deadline_ms) {
			hung = true;
		}
		if (hung) {
			atomic_fetch_add(&r->watchdog, 1);
			child_gone(r, true, "the reader stopped answering (watchdog): restarted");
		} else if (died) {
			child_gone(r, true, NULL);
		} else {
			continue;
		}
		if (clock_mono_ms() - r->started_ms > STABLE_MS)
			backoff = BACKOFF_MIN_MS;
		if (!pause_unless_stopped(r, backoff))
			break;
		backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
	}
	stop_child(r);
	return NULL;
}

static void proc_free(struct reader_proc *r)
{
	if (r->stop_pipe[0] >= 0)
		close(r->stop_pipe[0]);
	if (r->stop_pipe[1] >= 0)
		close(r->stop_pipe[1]);
	free(r->helper);
	free(r->connstring);
	free(r);
}

static struct reader *proc_create(const struct reader_config *cfg)
{
	if (cfg->secure) {
		log_error("reader: a secure channel runs inside adm-readerd, not in the kiosk");
		return NULL;
	}
	struct reader_proc *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->base.backend = &reader_proc_backend;
	r->on_event = cfg->on_event;
	r->ctx = cfg->ctx;
	r->presence_ms = cfg->presence_ms;
	r->apdu_timeout_ms = cfg->apdu_timeout_ms;
	r->sock = -1;
	r->stop_pipe[0] = r->stop_pipe[1] = -1;
	atomic_init(&r->watchdog, 0);
	atomic_init(&r->crashes, 0);
	r->helper = strdup(cfg->helper);
	r->connstring = strdup(cfg->connstring);
	if (!r->helper || !r->connstring || pipe2(r->stop_pipe, O_CLOEXEC) < 0)
		goto fail;
	/* Signals are the UI thread's (design.md): the supervisor starts with all blocked. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&r->thread, NULL, supervise, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_error("reader: cannot start the supervisor thread");
		goto fail;
	}
	pthread_setname_np(r->thread, "adm-readersup");
	return &r->base;
fail:
	proc_free(r);
	return NULL;
}

static void proc_destroy(struct reader *base)
{
	struct reader_proc *r = (struct reader_proc *)base;
	const char c = 'q';
	while (write(r->stop_pipe[1], &c, 1) < 0 && errno == EINTR)
		;
	pthread_join(r->thread, NULL);
	proc_free(r);
}

static void proc_stats(struct reader *base, struct reader_stats *out)
{
	struct reader_proc *r = (struct reader_proc *)base;
	out->watchdog = atomic_load(&r->watchdog);
	out->crashes = atomic_load(&r->crashes);
}

static bool never(const char *connstring)
{
	(void)connstring;
	return false; /* chosen by reader_config.helper, not by the connection string */
}

const struct reader_backend reader_proc_backend = {
	.name = "adm-readerd",
	.accepts = never,
	.create = proc_create,
	.destroy = proc_destroy,
	.stats = proc_stats,
};

bool reader_helper_find(char *out, size_t cap)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(out, cap, "%s/adm-readerd", exe);
			if (access(out, X_OK) == 0)
				return true;
		}
	}
	snprintf(out, cap, "%s", ADM_READERD_PATH);
	return access(out, X_OK) == 0;
}
