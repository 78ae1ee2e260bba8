/*
 * adm-readerd: the card reader driver in a process of its own, started and supervised by
 * the kiosk (reader_proc.c), never by hand.
 *
 *   adm-readerd --fd N --presence-ms MS --apdu-timeout-ms MS CONNSTRING
 *
 * It runs the libnfc backend in this process and forwards each of its events, and each
 * step the worker announces, as one reader_wire record on the socket N. Whatever libnfc
 * does to this process (abort() on a status byte it does not expect, a read that never
 * returns) stays here: the supervisor sees the socket close or the steps stop, and starts
 * a fresh one. It stops on SIGTERM or when the supervisor's end of the socket closes (also
 * if the supervisor dies: PR_SET_PDEATHSIG).
 *
 * Threads: main waits for the end; the reader's worker calls on_event/on_step, which send
 * on the socket (one send per record: SOCK_SEQPACKET keeps them whole).
 */
#include "log.h"
#include "reader.h"
#include "reader_wire.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

static void send_record(int fd, struct reader_wire *w)
{
	/* A supervisor that is gone is noticed by the main thread (POLLHUP). */
	while (send(fd, w, sizeof(*w), MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
	sodium_memzero(w, sizeof(*w)); /* the identity lives no longer here */
}

static void on_event(void *ctx, const struct reader_event *ev)
{
	struct reader_wire w;
	reader_wire_event(&w, ev);
	send_record(*(int *)ctx, &w);
}

static void on_step(void *ctx, int budget_ms)
{
	struct reader_wire w;
	reader_wire_step(&w, budget_ms);
	send_record(*(int *)ctx, &w);
}

static int usage(void)
{
	fprintf(stderr, "usage: adm-readerd --fd N [--presence-ms MS] [--apdu-timeout-ms MS] "
			"CONNSTRING\n(started by adm-kiosk, not by hand)\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "fd", required_argument, NULL, 'f' },
		{ "presence-ms", required_argument, NULL, 'p' },
		{ "apdu-timeout-ms", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	int fd = -1, presence_ms = 0, apdu_ms = 0, c;
	log_set_program("adm-readerd");
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			fd = atoi(optarg);
			break;
		case 'p':
			presence_ms = atoi(optarg);
			break;
		case 'a':
			apdu_ms = atoi(optarg);
			break;
		default:
			return usage();
		}
	}
	if (fd < 0 || optind != argc - 1)
		return usage();
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL); /* before the worker starts: it inherits it */
	int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	/* A supervisor that died before PDEATHSIG was set has closed its end: the poll below
	 * sees that at once. (No getppid() test: the kiosk may itself be PID 1.) */
	if (sfd < 0)
		return 1;
	struct reader_config cfg = {
		.connstring = argv[optind],
		.on_event = on_event,
		.on_step = on_step,
		.ctx = &fd,
		.presence_ms = presence_ms,
		.apdu_timeout_ms = apdu_ms,
	};
	struct reader *r = reader_create(&cfg);
	if (!r)
		return 1;
	for (;;) {
		struct pollfd p[2] = { { .fd = fd, .events = POLLIN },
				       { .fd = sfd, .events = POLLIN } };
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents || (p[0].revents & (POLLIN | POLLHUP | POLLERR)))
			break; /* told to stop, or the supervisor's end closed */
	}
	reader_destroy(r);
	close(sfd);
	close(fd);
	return 0;
}
