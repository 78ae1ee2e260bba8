/*
 * The control socket (control.h): a thread that accepts, checks the peer, reads a line,
 * answers a line; and the client that admctl uses.
 */
#include "control.h"

#include "clock.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* A peer that connects and says nothing is dropped after this long. */
#define CONTROL_READ_MS 5000

struct control {
	int fd, stop_pipe[2];
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	control_fn fn;
	void *ctx;
	pthread_t th;
};

json_t *control_refuse(const char *msg)
{
	return json_pack("{s:b, s:s}", "ok", 0, "error", msg);
}

bool control_peer_allowed(unsigned uid, unsigned gid)
{
	if (uid == 0)
		return true;
	struct group *adm = getgrnam("adm");
	if (!adm)
		return false;
	if (gid == adm->gr_gid)
		return true;
	struct passwd *pw = getpwuid(uid);
	for (char **m = adm->gr_mem; pw && *m; m++)
		if (strcmp(*m, pw->pw_name) == 0)
			return true;
	return false;
}

static bool fill_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return false;
	memcpy(sa->sun_path, path, strlen(path) + 1);
	return true;
}

/* Reads until a newline, the limit or the deadline; malloc'ed, NULL on any failure. */
static char *read_line(int fd, int timeout_ms)
{
	size_t len = 0;
	char *buf = malloc(CONTROL_LINE_MAX);
	int64_t end = clock_mono_ms() + timeout_ms;
	while (buf && len < CONTROL_LINE_MAX) {
		int64_t left = end - clock_mono_ms();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		ssize_t n = read(fd, buf + len, CONTROL_LINE_MAX - len);
		if (n <= 0)
			break;
		char *nl = memchr(buf + len, '\n', (size_t)n);
		len += (size_t)n;
		if (nl) {
			*nl = '\0';
			return buf;
		}
	}
	free(buf);
	return NULL;
}

static bool write_json(int fd, json_t *obj)
{
	char *text = json_dumps(obj, JSON_COMPACT);
	if (!text)
		return false;
	size_t len = strlen(text), off = 0;
	text[len++] = '\n'; /* json_dumps' terminator becomes the line's end */
	while (off < len) {
		ssize_t n = send(fd, text + off, len - off, MSG_NOSIGNAL);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	free(text);
	return off == len;
}

static json_t *answer(struct control *c, int fd)
{
	struct ucred cred = { .uid = (uid_t)-1 };
	socklen_t len = sizeof(cred);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 ||
	    !control_peer_allowed(cred.uid, cred.gid)) {
		log_warn("control: refused a peer (uid %u): only root and group adm",
			 (unsigned)cred.uid);
		return control_refuse("permission denied: only root and group adm");
	}
	char *line = read_line(fd, CONTROL_READ_MS);
	if (!line)
		return control_refuse("expected one JSON object on one line");
	json_error_t jerr;
	json_t *req = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
	free(line);
	const char *cmd = req ? json_string_value(json_object_get(req, "cmd")) : NULL;
	json_t *ans = cmd ? c->fn(c->ctx, cmd, req)
			  : control_refuse("expected a JSON object with a string \"cmd\"");
	json_decref(req);
	return ans;
}

static void *serve(void *arg)
{
	struct control *c = arg;
	for (;;) {
		struct pollfd p[2] = { { .fd = c->fd, .events = POLLIN },
				       { .fd = c->stop_pipe[0], .events = POLLIN } };
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (!(p[0].revents & POLLIN))
			continue;
		int fd = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		json_t *ans = answer(c, fd);
		if (ans)
			write_json(fd, ans);
		json_decref(ans);
		close(fd);
	}
	return NULL;
}

/* A socket file left by a process that died is removed; one that answers is not ours. */
static bool clear_stale(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	bool alive = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
	close(fd);
	if (alive)
		return false;
	unlink(sa->sun_path);
	return true;
}

struct control *control_start(const char *path, control_fn fn, void *ctx, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	struct control *c = calloc(1, sizeof(*c));
	if (!c || !fill_addr(&sa, path)) {
		snprintf(err, errlen, "%s: %s", path, c ? "path too long" : "out of memory");
		free(c);
		return NULL;
	}
	c->fn = fn;
	c->ctx = ctx;
	c->stop_pipe[0] = c->stop_pipe[1] = -1;
	memcpy(c->path, sa.sun_path, sizeof(c->path));
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	mode_t old = umask(0117); /* 0660 from the start: no moment open to all */
	int rc = c->fd < 0 ? -1 : bind(c->fd, (struct sockaddr *)&sa, sizeof(sa));
	if (rc != 0 && errno == EADDRINUSE && clear_stale(&sa))
		rc = bind(c->fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc != 0 || listen(c->fd, 8) != 0 || pipe2(c->stop_pipe, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "%s: %s", path,
			 errno == EADDRINUSE ? "another process answers there" : strerror(errno));
		if (c->fd >= 0)
			close(c->fd);
		free(c);
		return NULL;
	}
	struct group *adm = getgrnam("adm");
	if (adm && chown(path, (uid_t)-1, adm->gr_gid) != 0)
		log_warn("control: %s: cannot give it to group adm: %s", path, strerror(errno));
	if (pthread_create(&c->th, NULL, serve, c) != 0) {
		snprintf(err, errlen, "%s: cannot start its thread", path);
		close(c->fd);
		close(c->stop_pipe[0]);
		close(c->stop_pipe[1]);
		unlink(path);
		free(c);
		return NULL;
	}
	return c;
}

void control_stop(struct control *c)
{
	if (!c)
		return;
	if (write(c->stop_pipe[1], "x", 1) != 1)
		log_warn("control: cannot wake its thread");
	pthread_join(c->th, NULL);
	close(c->fd);
	close(c->stop_pipe[0]);
	close(c->stop_pipe[1]);
	unlink(c->path);
	free(c);
}

json_t *control_call(const char *path, json_t *req, int timeout_ms, bool *running, char *err,
		     size_t errlen)
{
	struct sockaddr_un sa;
	*running = false;
	if (!path || !path[0] || !fill_addr(&sa, path)) {
		snprintf(err, errlen, "no control socket configured");
		return NULL;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		if (fd >= 0)
			close(fd);
		/* a socket that refuses us (EACCES) belongs to a running process */
		*running = e == EACCES || e == EPERM;
		return NULL;
	}
	*running = true;
	/* a server that refuses the peer answers before it reads: the answer still counts */
	bool sent = write_json(fd, req);
	char *line = read_line(fd, timeout_ms);
	json_error_t jerr;
	json_t *ans = line ? json_loads(line, 0, &jerr) : NULL;
	free(line);
	if (!json_is_object(ans)) {
		json_decref(ans);
		ans = NULL;
		if (sent)
			snprintf(err, errlen, "%s: no answer within %d s", path, timeout_ms / 1000);
		else
			snprintf(err, errlen, "%s: cannot send the request", path);
	}
	close(fd);
	return ans;
}
