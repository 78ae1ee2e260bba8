/*
 * adm-vpn532 as a child process, for tests and benchmarks. Single-threaded use only: the
 * caller's main thread starts, drives and stops it.
 */
#include "launch.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void remove_dir(struct sim *s)
{
	char p[256];
	const char *names[] = { "cards.tsv", "nfc", "nfc.ctl" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", s->dir, names[i]);
		unlink(p);
	}
	rmdir(s->dir);
}

void sim_stop(struct sim *s)
{
	if (!s || s->pid <= 0)
		return;
	kill(s->pid, SIGTERM);
	for (int i = 0; i < 100; i++) { /* 2 s, then no more politeness */
		if (waitpid(s->pid, NULL, WNOHANG) == s->pid) {
			s->pid = 0;
			break;
		}
		usleep(20000);
	}
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
		s->pid = 0;
	}
	remove_dir(s);
}

static bool run_synth(const char *synth, const char *out, int count)
{
	char n[16];
	snprintf(n, sizeof(n), "%d", count);
	pid_t pid = fork();
	if (pid == 0) {
		execl(synth, synth, "--seed", "7", "--count", n, "--out", out, (char *)NULL);
		_exit(127);
	}
	int st;
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

bool sim_start(struct sim *s, const char *vpn532, const char *synth, int count,
	       const char *const *extra_args)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/adm-nfc-XXXXXX");
	if (!mkdtemp(s->dir)) {
		fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
		return false;
	}
	snprintf(s->link, sizeof(s->link), "%s/nfc", s->dir);
	snprintf(s->ctl, sizeof(s->ctl), "%s/nfc.ctl", s->dir);
	snprintf(s->cards, sizeof(s->cards), "%s/cards.tsv", s->dir);
	snprintf(s->connstring, sizeof(s->connstring), "pn532_uart:%s", s->link);
	if (!run_synth(synth, s->cards, count)) {
		fprintf(stderr, "adm-synth failed (%s)\n", synth);
		return false;
	}
	int fds[2];
	if (pipe(fds) < 0)
		return false;
	const char *argv[16] = { vpn532, "--link", s->link, "--cards", s->cards };
	int argc = 5;
	for (int i = 0; extra_args && extra_args[i] && argc < 15; i++)
		argv[argc++] = extra_args[i];
	argv[argc] = NULL;
	s->pid = fork();
	if (s->pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execv(vpn532, (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	if (s->pid < 0) {
		close(fds[0]);
		return false;
	}
	/* Ready when it says so, not when a file appears (pitfall 9). */
	char line[256];
	size_t n = 0;
	struct pollfd p = { .fd = fds[0], .events = POLLIN };
	while (n < sizeof(line) - 1 && poll(&p, 1, 5000) > 0) {
		ssize_t r = read(fds[0], line + n, sizeof(line) - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
		if (memchr(line, '\n', n))
			break;
	}
	close(fds[0]);
	line[n] = '\0';
	if (strncmp(line, "ready ", 6) != 0) {
		fprintf(stderr, "simulator did not become ready: \"%s\"\n", line);
		return false;
	}
	return true;
}

bool sim_ctl(struct sim *s, char *reply, size_t cap, const char *cmd)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", s->ctl);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		if (fd >= 0)
			close(fd);
		snprintf(reply, cap, "error cannot connect");
		return false;
	}
	char line[256];
	int len = snprintf(line, sizeof(line), "%s\n", cmd);
	bool ok = write(fd, line, (size_t)len) == len;
	size_t got = 0;
	ssize_t r;
	while (ok && got < cap - 1 && (r = read(fd, reply + got, cap - 1 - got)) > 0)
		got += (size_t)r;
	reply[got] = '\0';
	close(fd);
	return ok && strncmp(reply, "ok", 2) == 0;
}

bool sim_citizen(const struct sim *s, char type, int n, struct citizen_line *out)
{
	FILE *f = fopen(s->cards, "r");
	char line[512];
	bool found = false;
	while (f && !found && fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		char *save = line, *fld[11];
		int k = 0;
		char *tok;
		while (k < 11 && (tok = strsep(&save, "\t\n")) != NULL)
			fld[k++] = tok;
		if (k < 11 || (type && fld[0][0] != type) || n-- > 0)
			continue;
		memset(out, 0, sizeof(*out));
		out->type = fld[0][0];
		snprintf(out->uid, sizeof(out->uid), "%s", fld[1]);
		snprintf(out->nik, sizeof(out->nik), "%s", fld[2]);
		snprintf(out->name, sizeof(out->name), "%s", fld[4]);
		out->sex = fld[5][0];
		snprintf(out->birth_date, sizeof(out->birth_date), "%s", fld[7]);
		found = true;
	}
	if (f)
		fclose(f);
	return found;
}
