/*
 * adm-vpn532: a virtual PN532 reader on a pseudo-terminal, for libnfc's pn532_uart driver.
 *
 *   adm-vpn532 --link PATH --cards FILE [--control SOCKET] [--timing] [--poll-scale X]
 *              [--mi-chunk N]
 *
 * It opens a pty, keeps the slave open in raw mode (so the master never sees EIO between
 * clients), points the symlink PATH at the slave and prints "ready PATH" on stdout. A unix
 * socket (default PATH.ctl) takes one-line commands from adm-vpn532ctl: tap, remove,
 * status, fault (the chip misbehaves on purpose: a torn or unacknowledged InAutoPoll, a NAD
 * status byte), unplug (close the pty, remove the link: a reader lost), replug. One thread, one
 * poll() loop: the pty master, the control socket, a signalfd, and the timers of the chip
 * (pending polls, slow cards) and of the output queue (line-speed emulation).
 */
#include "log.h"
#include "pn532.h"
#include "vcard.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define OUTQ_MAX 16

struct out_item {
	int64_t at_us;
	size_t len, off;
	uint8_t buf[320];
};

struct sim {
	const char *link;
	char control[108];
	int master, slave, listen_fd, sig_fd;
	bool plugged;
	struct pn532 *chip;
	struct vcard_deck deck;
	struct out_item outq[OUTQ_MAX];
	int outq_head, outq_n;
	bool quit;
};

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void q_send(void *ctx, const uint8_t *buf, size_t len, int64_t at)
{
	struct sim *s = ctx;
	if (s->outq_n == OUTQ_MAX || len > sizeof(s->outq[0].buf)) {
		log_warn("output queue full, answer dropped");
		return;
	}
	struct out_item *it = &s->outq[(s->outq_head + s->outq_n) % OUTQ_MAX];
	it->at_us = at;
	it->len = len;
	it->off = 0;
	memcpy(it->buf, buf, len);
	s->outq_n++;
}

static void q_flush(void *ctx)
{
	struct sim *s = ctx;
	/* Keep an item already half written: the host would see a torn frame otherwise. */
	if (s->outq_n && s->outq[s->outq_head].off) {
		s->outq_n = 1;
		return;
	}
	s->outq_n = 0;
}

/* Writes every due item; returns false if the pty is full and POLLOUT is needed. */
static bool q_write(struct sim *s, int64_t now)
{
	while (s->outq_n && s->plugged) {
		struct out_item *it = &s->outq[s->outq_head];
		if (it->at_us > now)
			return true;
		ssize_t w = write(s->master, it->buf + it->off, it->len - it->off);
		if (w < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return false;
			log_warn("write to pty: %s", strerror(errno));
			s->outq_n = 0;
			return true;
		}
		it->off += (size_t)w;
		if (it->off < it->len)
			return false;
		s->outq_head = (s->outq_head + 1) % OUTQ_MAX;
		s->outq_n--;
	}
	if (!s->plugged)
		s->outq_n = 0;
	return true;
}

static bool plug(struct sim *s)
{
	char name[128], tmp[4200];
	s->master = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (s->master < 0 || grantpt(s->master) < 0 || unlockpt(s->master) < 0 ||
	    ptsname_r(s->master, name, sizeof(name)) != 0) {
		log_error("cannot create a pty: %s", strerror(errno));
		goto fail;
	}
	s->slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	struct termios t;
	if (s->slave < 0 || tcgetattr(s->slave, &t) < 0) {
		log_error("cannot open pty slave %s: %s", name, strerror(errno));
		goto fail;
	}
	cfmakeraw(&t);
	cfsetspeed(&t, B115200);
	tcsetattr(s->slave, TCSANOW, &t);
	/* Replace the link atomically: a client never sees a half-made path. */
	snprintf(tmp, sizeof(tmp), "%s.tmp%d", s->link, (int)getpid());
	unlink(tmp);
	if (symlink(name, tmp) < 0 || rename(tmp, s->link) < 0) {
		log_error("cannot link %s -> %s: %s", s->link, name, strerror(errno));
		unlink(tmp);
		goto fail;
	}
	s->plugged = true;
	s->outq_n = 0;
	pn532_reset(s->chip);
	log_info("reader plugged: %s -> %s", s->link, name);
	return true;
fail:
	if (s->slave >= 0)
		close(s->slave);
	if (s->master >= 0)
		close(s->master);
	s->master = s->slave = -1;
	return false;
}

static void unplug(struct sim *s)
{
	if (!s->plugged)
		return;
	unlink(s->link);
	close(s->master);
	close(s->slave);
	s->master = s->slave = -1;
	s->plugged = false;
	s->outq_n = 0;
	log_info("reader unplugged");
}

static int field_keys(struct sim *s, char *buf, size_t cap)
{
	struct vcard *cards[PN532_FIELD_MAX];
	int n = pn532_field(s->chip, cards);
	size_t p = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && p < cap; i++)
		p += (size_t)snprintf(buf + p, cap - p, "%s%s", i ? "," : "", cards[i]->key);
	if (n == 0)
		snprintf(buf, cap, "-");
	return n;
}

static void tap(struct sim *s, char *args, char *reply, size_t cap)
{
	struct vcard *cards[PN532_FIELD_MAX];
	int n = 0;
	char *save = NULL;
	if (args && strcmp(args, "double") == 0) {
		/* Two citizens' type A cards at once (the first two in the file). */
		for (int i = 0; i < s->deck.n && n < 2; i++)
			if (s->deck.cards[i].kind == VC_KTP && !s->deck.cards[i].type_b)
				cards[n++] = &s->deck.cards[i];
	} else {
		/* Several words may be a name ("BUDI SANTOSO"): try the whole first. */
		struct vcard *c = args ? vcard_deck_find(&s->deck, args) : NULL;
		if (c) {
			cards[n++] = c;
		} else {
			for (char *k = strtok_r(args, " ", &save); k && n < PN532_FIELD_MAX;
			     k = strtok_r(NULL, " ", &save)) {
				if (!(c = vcard_deck_find(&s->deck, k))) {
					snprintf(reply, cap, "error no such card\n");
					return;
				}
				cards[n++] = c;
			}
		}
	}
	if (n == 0) {
		snprintf(reply, cap, "error no such card\n");
		return;
	}
	char r[LOG_REDACT_LEN];
	log_info("tap %s (%d card%s)", log_redact(cards[0]->key, r), n, n > 1 ? "s" : "");
	pn532_set_field(s->chip, cards, n, now_us());
	char keys[128];
	field_keys(s, keys, sizeof(keys));
	snprintf(reply, cap, "ok field=%s\n", keys);
}

/* fault NAME [COUNT]: arm a misbehaviour of the chip for the next COUNT (1) commands. */
static void fault(struct sim *s, char *args, char *reply, size_t cap)
{
	char *count = args ? strchr(args, ' ') : NULL;
	if (count)
		*count++ = '\0';
	int f = args ? pn532_fault_parse(args) : -1;
	int n = count ? atoi(count) : 1;
	if (f < 0 || n < 0 || n > 1000) {
		snprintf(reply, cap, "error fault truncated-poll|no-ack-poll|nad|none [COUNT]\n");
		return;
	}
	pn532_set_fault(s->chip, (enum pn532_fault)f, n);
	log_info("fault %s armed for %d command(s)", args, f == PN532_FAULT_NONE ? 0 : n);
	snprintf(reply, cap, "ok fault=%s count=%d\n", args, f == PN532_FAULT_NONE ? 0 : n);
}

static void control(struct sim *s, char *line, char *reply, size_t cap)
{
	char *args = strchr(line, ' ');
	if (args)
		*args++ = '\0';
	if (strcmp(line, "tap") == 0) {
		tap(s, args, reply, cap);
	} else if (strcmp(line, "remove") == 0) {
		pn532_set_field(s->chip, NULL, 0, now_us());
		log_info("field emptied");
		snprintf(reply, cap, "ok field=-\n");
	} else if (strcmp(line, "status") == 0) {
		char keys[128];
		struct pn532_stats st = pn532_get_stats(s->chip);
		field_keys(s, keys, sizeof(keys));
		snprintf(reply, cap,
			 "ok plugged=%s field=%s frames=%lu polls=%lu apdus=%lu presence=%lu "
			 "aborts=%lu mi=%lu faults=%lu\n",
			 s->plugged ? "yes" : "no", keys, st.frames, st.polls, st.apdus,
			 st.presence_checks, st.aborts, st.mi_chunks, st.faults);
	} else if (strcmp(line, "fault") == 0) {
		fault(s, args, reply, cap);
	} else if (strcmp(line, "unplug") == 0) {
		unplug(s);
		snprintf(reply, cap, "ok plugged=no\n");
	} else if (strcmp(line, "replug") == 0) {
		if (!s->plugged && !plug(s))
			snprintf(reply, cap, "error cannot recreate the pty\n");
		else
			snprintf(reply, cap, "ok plugged=yes\n");
	} else if (strcmp(line, "quit") == 0) {
		s->quit = true;
		snprintf(reply, cap, "ok bye\n");
	} else {
		snprintf(reply, cap,
			 "error unknown command (tap, remove, status, fault, unplug, "
			 "replug, quit)\n");
	}
}

static void serve_client(struct sim *s)
{
	int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	/* Commands are one short line sent at once; a silent client gets one second. */
	struct timeval tv = { .tv_sec = 1 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	char line[256], reply[512];
	size_t n = 0;
	while (n < sizeof(line) - 1) {
		ssize_t r = read(fd, line + n, sizeof(line) - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
		if (memchr(line, '\n', n))
			break;
	}
	line[n] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	control(s, line, reply, sizeof(reply));
	if (write(fd, reply, strlen(reply)) < 0)
		log_debug("control client left early");
	close(fd);
}

static int listen_control(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(a.sun_path)) {
		log_error("control socket path too long: %s", path);
		return -1;
	}
	strcpy(a.sun_path, path);
	unlink(path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 8) < 0) {
		log_error("control socket %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void run(struct sim *s)
{
	uint8_t buf[512];
	while (!s->quit) {
		int64_t now = now_us();
		bool can_write = q_write(s, now);
		pn532_timer(s->chip, now);
		can_write = q_write(s, now_us()) && can_write;
		int64_t next = pn532_deadline(s->chip);
		if (s->outq_n && (next < 0 || s->outq[s->outq_head].at_us < next))
			next = s->outq[s->outq_head].at_us;
		int timeout = -1;
		if (next >= 0) {
			int64_t d = next - now_us();
			timeout = d <= 0 ? 0 : (int)((d + 999) / 1000);
		}
		struct pollfd p[3] = {
			{ .fd = s->sig_fd, .events = POLLIN },
			{ .fd = s->listen_fd, .events = POLLIN },
			{ .fd = s->plugged ? s->master : -1,
			  .events = (short)(POLLIN | (can_write ? 0 : POLLOUT)) },
		};
		if (poll(p, 3, timeout) < 0) {
			if (errno == EINTR)
				continue;
			log_error("poll: %s", strerror(errno));
			return;
		}
		if (p[0].revents & POLLIN) { /* SIGINT or SIGTERM */
			struct signalfd_siginfo si;
			if (read(s->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
				log_info("signal %u from pid %u: stopping", si.ssi_signo,
					 si.ssi_pid);
			return;
		}
		if (p[1].revents & POLLIN)
			serve_client(s);
		if (s->plugged && (p[2].revents & POLLIN)) {
			ssize_t r = read(s->master, buf, sizeof(buf));
			if (r > 0)
				pn532_input(s->chip, buf, (size_t)r, now_us());
		}
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: adm-vpn532 --link PATH --cards FILE [--control SOCKET] "
			"[--timing] [--poll-scale X] [--mi-chunk N] [--verbose]\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "link", required_argument, NULL, 'l' },
		{ "cards", required_argument, NULL, 'c' },
		{ "control", required_argument, NULL, 's' },
		{ "timing", no_argument, NULL, 't' },
		{ "poll-scale", required_argument, NULL, 'p' },
		{ "mi-chunk", required_argument, NULL, 'm' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct sim s = { .master = -1, .slave = -1, .listen_fd = -1, .sig_fd = -1 };
	struct pn532_options opt = { .poll_scale = 1.0, .mi_chunk = 200 };
	const char *cards = NULL, *control_path = NULL;
	int c, rc = 1;
	log_set_program("adm-vpn532");
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			s.link = optarg;
			break;
		case 'c':
			cards = optarg;
			break;
		case 's':
			control_path = optarg;
			break;
		case 't':
			opt.timing = true;
			break;
		case 'p':
			opt.poll_scale = strtod(optarg, NULL);
			break;
		case 'm':
			opt.mi_chunk = (size_t)strtoul(optarg, NULL, 10);
			break;
		case 'v':
			log_set_level(LOG_LVL_DEBUG);
			break;
		default:
			usage();
			return 2;
		}
	}
	if (!s.link || !cards || opt.poll_scale <= 0) {
		usage();
		return 2;
	}
	snprintf(s.control, sizeof(s.control), "%s", control_path ? control_path : "");
	if (!control_path)
		snprintf(s.control, sizeof(s.control), "%s.ctl", s.link);

	char err[256];
	if (!vcard_deck_load(&s.deck, cards, err, sizeof(err))) {
		log_error("%s", err);
		return 1;
	}
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	s.sig_fd = signalfd(-1, &mask, SFD_CLOEXEC);
	const struct pn532_io io = { .send = q_send, .flush = q_flush, .ctx = &s };
	s.chip = pn532_create(&io, &opt);
	if (s.sig_fd < 0 || !s.chip)
		goto out;
	if ((s.listen_fd = listen_control(s.control)) < 0 || !plug(&s))
		goto out;
	printf("ready %s\n", s.link);
	fflush(stdout);
	run(&s);
	rc = 0;
out:
	unplug(&s);
	if (s.listen_fd >= 0) {
		close(s.listen_fd);
		unlink(s.control);
	}
	if (s.sig_fd >= 0)
		close(s.sig_fd);
	pn532_destroy(s.chip);
	vcard_deck_free(&s.deck);
	return rc;
}
