/*
 * DESIGN. The worker thread alone owns the tty file descriptor. It sleeps in poll(2) on
 * the tty and on an eventfd; scanner_destroy() writes to the eventfd and joins. Bytes are
 * gathered into one line (scan_line.h); a line longer than QR_LINE_MAX is dropped whole
 * (with a log line), never cut into pieces that could parse as something else. What was
 * read is wiped once it is in the line, and the line once it is handed on: a scan holds a
 * print PIN, and the thread then sleeps for minutes with its stack as it was. While the
 * device is away the thread waits reopen_ms on the same poll, so a stop is never delayed.
 */
#include "scanner.h"

#include "log.h"
#include "scan_line.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <termios.h>
#include <unistd.h>

struct scanner {
	struct scanner_config cfg;
	char *device;
	int stop_fd;
	pthread_t thread;
	struct scan_line line;
};

static int open_tty(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	struct termios t;

	if (fd < 0)
		return -1;
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		cfsetispeed(&t, B115200); /* CDC ACM ignores it; a real UART scanner needs it */
		t.c_cflag |= CLOCAL | CREAD;
		tcsetattr(fd, TCSANOW, &t);
	}
	return fd;
}

/* Waits up to ms for the stop signal; true if asked to stop. */
static bool wait_stop(struct scanner *s, int ms)
{
	struct pollfd p = { s->stop_fd, POLLIN, 0 };
	return poll(&p, 1, ms) > 0;
}

static void feed(struct scanner *s, const char *buf, size_t n)
{
	if (scan_line_feed(&s->line, buf, n, s->cfg.on_line, s->cfg.ctx) > 0)
		log_warn("scanner: a scan longer than %d bytes was dropped", QR_LINE_MAX);
}

static void *run(void *arg)
{
	struct scanner *s = arg;
	int reopen = s->cfg.reopen_ms > 0 ? s->cfg.reopen_ms : 1000;
	bool present = false, said_absent = false;

	for (;;) {
		int fd = open_tty(s->device);
		if (fd < 0) {
			if (present || !said_absent) {
				log_warn("scanner: %s: %s", s->device, strerror(errno));
				s->cfg.on_state(s->cfg.ctx, false);
				present = false;
				said_absent = true;
			}
			if (wait_stop(s, reopen))
				return NULL;
			continue;
		}
		if (!present) {
			log_info("scanner: %s open", s->device);
			s->cfg.on_state(s->cfg.ctx, true);
			present = true;
			said_absent = false;
		}
		for (;;) {
			struct pollfd p[2] = { { fd, POLLIN, 0 }, { s->stop_fd, POLLIN, 0 } };
			char buf[256];
			if (poll(p, 2, -1) < 0 && errno != EINTR)
				break;
			if (p[1].revents) {
				close(fd);
				return NULL;
			}
			if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t n = read(fd, buf, sizeof(buf));
			if (n > 0) {
				feed(s, buf, (size_t)n);
				sodium_memzero(buf, (size_t)n);
				continue;
			}
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			break; /* EOF, EIO, ENODEV: the scanner went away */
		}
		close(fd);
		scan_line_reset(&s->line);
		log_warn("scanner: %s lost", s->device);
		s->cfg.on_state(s->cfg.ctx, false);
		present = false;
		said_absent = true;
		if (wait_stop(s, reopen))
			return NULL;
	}
}

struct scanner *scanner_create(const struct scanner_config *cfg)
{
	struct scanner *s = calloc(1, sizeof(*s));
	sigset_t all, old;

	if (!s)
		return NULL;
	s->cfg = *cfg;
	s->device = strdup(cfg->device);
	s->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (!s->device || s->stop_fd < 0)
		goto fail;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&s->thread, NULL, run, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		goto fail;
	pthread_setname_np(s->thread, "adm-scanner");
	return s;
fail:
	log_error("scanner: cannot start for %s", cfg->device);
	if (s->stop_fd >= 0)
		close(s->stop_fd);
	free(s->device);
	free(s);
	return NULL;
}

void scanner_destroy(struct scanner *s)
{
	uint64_t one = 1;

	if (!s)
		return;
	if (write(s->stop_fd, &one, sizeof(one)) != sizeof(one))
		log_error("scanner: cannot signal the worker to stop");
	pthread_join(s->thread, NULL);
	close(s->stop_fd);
	scan_line_reset(&s->line);
	free(s->device);
	free(s);
}
