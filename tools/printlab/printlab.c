/*
 * printlab: the private cupsd, dbus-daemon and ippeveprinter printers; see printlab.h.
 *
 * Processes: each spawned server is put in a process group of its own (so a printer and
 * its running print command die together) and its group id is written to the watchdog's
 * pipe. The watchdog (forked first, in a session of its own so a test runner's group kill
 * cannot take it first) waits on that pipe: end of file without a clean "disarm" means the
 * driving process died, and it kills the groups and removes the temporary directory.
 * Children also get PR_SET_PDEATHSIG so the common case needs no watchdog at all.
 */
#include "printlab.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "printlab_internal.h"

static void lab_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void lab_log(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("printlab: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

int printlab_write_file(const char *path, const char *text, mode_t mode)
{
	char tmp[600];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -1;
	fputs(text, f);
	if (fclose(f) != 0 || chmod(tmp, mode) != 0 || rename(tmp, path) != 0)
		return -1;
	return 0;
}

/* A free loopback port: bind port 0, read it back, close. Good enough for tests. */
static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int port = -1;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static bool tcp_open(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

static bool unix_open(const char *path)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	/* a path that does not fit would name another socket: not that one, not connected */
	bool fits =
	    (size_t)snprintf(a.sun_path, sizeof(a.sun_path), "%s", path) < sizeof(a.sun_path);
	bool ok = fits && fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

/* PATH lookup that also tries the sbin folders (cupsd, lpadmin live there). */
static bool find_program(const char *name, char *out, size_t len)
{
	if (strchr(name, '/')) {
		snprintf(out, len, "%s", name);
		return access(out, X_OK) == 0;
	}
	const char *path = getenv("PATH");
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s:/usr/sbin:/sbin:/usr/bin:/bin", path ? path : "");
	for (char *save = NULL, *d = strtok_r(buf, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(out, len, "%s/%s", d, name);
		if (access(out, X_OK) == 0)
			return true;
	}
	return false;
}

static void watch_pgid(struct printlab *lab, pid_t pgid)
{
	int32_t v = (int32_t)pgid;
	if (lab->watchdog_fd >= 0 && write(lab->watchdog_fd, &v, sizeof(v)) != sizeof(v))
		lab_log("watchdog pipe: %s", strerror(errno));
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

/* The watchdog's whole life: collect group ids, clean up when the pipe ends. */
static void watchdog_main(int fd, const char *dir, bool keep)
{
	pid_t groups[64];
	int n = 0;
	int32_t v;
	bool disarmed = false;
	for (;;) {
		ssize_t r = read(fd, &v, sizeof(v));
		if (r == (ssize_t)sizeof(v)) {
			if (v == 0)
				disarmed = true;
			else if (n < 64)
				groups[n++] = v;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		break;
	}
	if (disarmed)
		_exit(0);
	for (int i = 0; i < n; i++)
		kill(-groups[i], SIGTERM);
	sleep_ms(300);
	for (int i = 0; i < n; i++)
		kill(-groups[i], SIGKILL);
	if (!keep)
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	_exit(0);
}

static int start_watchdog(struct printlab *lab)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setsid();
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		close(fds[1]);
		watchdog_main(fds[0], lab->dir, lab->keep);
	}
	close(fds[0]);
	lab->watchdog_fd = fds[1];
	lab->watchdog_pid = pid;
	return 0;
}

/*
 * fork + exec in a new process group with a death signal; stdout and stderr to log_path;
 * watch: register the group with the watchdog (servers; not short commands).
 * extra_env: extra "NAME=value" entries (NULL-terminated) added to the environment.
 */
static pid_t spawn(struct printlab *lab, char *const argv[], const char *const *extra_env,
		   const char *log_path, bool watch)
{
	char prog[512];
	if (!find_program(argv[0], prog, sizeof(prog))) {
		lab_log("%s not found (install cups-daemon cups-ipp-utils dbus-daemon)", argv[0]);
		return -1;
	}
	/* Everything the child needs is built before fork: the caller may have threads. */
	extern char **environ;
	size_t n_env = 0, n_extra = 0;
	while (environ[n_env])
		n_env++;
	while (extra_env && extra_env[n_extra])
		n_extra++;
	char **envp = calloc(n_env + n_extra + 1, sizeof(char *));
	if (!envp)
		return -1;
	size_t k = 0;
	for (size_t i = 0; i < n_extra; i++)
		envp[k++] = (char *)extra_env[i];
	for (size_t i = 0; i < n_env; i++) {
		bool shadowed = false;
		for (size_t j = 0; j < n_extra; j++) {
			size_t eq = strcspn(extra_env[j], "=");
			if (strncmp(environ[i], extra_env[j], eq + 1) == 0)
				shadowed = true;
		}
		if (!shadowed)
			envp[k++] = environ[i];
	}
	int log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		int null_fd = open("/dev/null", O_RDONLY);
		if (null_fd >= 0)
			dup2(null_fd, 0);
		if (log_fd >= 0) {
			dup2(log_fd, 1);
			dup2(log_fd, 2);
		}
		execve(prog, argv, envp);
		_exit(127);
	}
	if (pid > 0) {
		setpgid(pid, pid);
		if (watch)
			watch_pgid(lab, pid);
	}
	if (log_fd >= 0)
		close(log_fd);
	free(envp);
	return pid;
}

static bool child_alive(pid_t pid)
{
	int status;
	return pid > 0 && waitpid(pid, &status, WNOHANG) == 0;
}

static void kill_group(pid_t *pid)
{
	if (*pid <= 0)
		return;
	kill(-*pid, SIGTERM);
	for (int i = 0; i < 50 && child_alive(*pid); i++)
		sleep_ms(20);
	kill(-*pid, SIGKILL);
	waitpid(*pid, NULL, 0);
	*pid = 0;
}

int printlab_run(struct printlab *lab, char *const argv[])
{
	char cups_env[340];
	snprintf(cups_env, sizeof(cups_env), "CUPS_SERVER=%s", lab->sock);
	const char *env[] = { cups_env, NULL };
	char log_path[600];
	snprintf(log_path, sizeof(log_path), "%s/log/commands.log", lab->dir);
	pid_t pid = spawn(lab, argv, env, log_path, false);
	if (pid < 0)
		return -1;
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int make_dirs(struct printlab *lab)
{
	static const char *const subs[] = { "etc",	"spool",     "spool/tmp",
					    "cache",	"state",     "log",
					    "printers", "serverbin", "serverbin/backend" };
	char p[600];
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", lab->dir, subs[i]);
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			return -1;
		chmod(p, 0755);
	}
	/* cupsd's filters run as lp: they must reach the spool through this folder. */
	chmod(lab->dir, 0755);
	chmod(p, 0755);
	return 0;
}

/*
 * cupsd's programs come from the system's ServerBin, except the ipp backend: a wrapper
 * that fails (exit 1, as a backend that lost its printer does) while the queue's
 * backend-fault file says "fail", and otherwise runs the real one.
 */
static int write_serverbin(struct printlab *lab)
{
	static const char *const links[] = { "daemon", "driver", "filter", "notifier" };
	char path[600], target[128], text[1200];
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(path, sizeof(path), "%s/serverbin/%s", lab->dir, links[i]);
		snprintf(target, sizeof(target), "%s/%s", PRINTLAB_SERVERBIN, links[i]);
		if (symlink(target, path) != 0 && errno != EEXIST)
			return -1;
	}
	snprintf(text, sizeof(text),
		 "#!/bin/sh\n# printlab ipp backend (generated): fails on request, else the real "
		 "one.\n"
		 "if [ \"$(cat \"%s/printers/$PRINTER/backend-fault\" 2>/dev/null)\" = fail ]; "
		 "then\n"
		 "	echo 'ERROR: printlab: the backend failed' >&2; exit 1\nfi\n"
		 "exec %s/backend/ipp \"$@\"\n",
		 lab->dir, PRINTLAB_SERVERBIN);
	snprintf(path, sizeof(path), "%s/serverbin/backend/ipp", lab->dir);
	return printlab_write_file(path, text, 0755);
}

static int write_configs(struct printlab *lab)
{
	char path[600], text[4096];
	const char *d = lab->dir;
	snprintf(text, sizeof(text),
		 "# printlab: every path inside %s, never the system's /etc/cups or /run/cups\n"
		 "ServerRoot %s/etc\nServerKeychain %s/etc/ssl\nRequestRoot %s/spool\n"
		 "TempDir %s/spool/tmp\nCacheDir %s/cache\nStateDir %s/state\n"
		 "AccessLog %s/log/access_log\nErrorLog %s/log/error_log\n"
		 "PageLog %s/log/page_log\nPrintcap %s/etc/printcap\nServerBin %s/serverbin\n"
		 "User lp\nGroup lp\nSystemGroup root\n",
		 d, d, d, d, d, d, d, d, d, d, d, d);
	snprintf(path, sizeof(path), "%s/etc/cups-files.conf", d);
	if (printlab_write_file(path, text, 0644))
		return -1;
	snprintf(text, sizeof(text),
		 "LogLevel info\nListen 127.0.0.1:%d\nListen %s\nBrowsing No\nWebInterface No\n"
		 "DefaultAuthType None\nPreserveJobHistory Yes\nMaxJobs 0\n"
		 /* as on a kiosk (docs/printing.md): the plaintext document leaves the spool
		  * with its job, not a day later; Yes only when a test asked to compare the
		  * job files (PRINTLAB_KEEP_JOB_FILES) */
		 "PreserveJobFiles %s\n"
		 "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
		 "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n",
		 lab->cups_port, lab->sock, lab->keep_job_files ? "Yes" : "No");
	snprintf(path, sizeof(path), "%s/etc/cupsd.conf", d);
	if (printlab_write_file(path, text, 0644))
		return -1;
	snprintf(path, sizeof(path), "%s/print-command.sh", d);
	if (printlab_write_file(path, printlab_print_command, 0755))
		return -1;
	snprintf(path, sizeof(path), "%s/job-state.test", d);
	if (printlab_write_file(path, printlab_job_test, 0644))
		return -1;
	snprintf(path, sizeof(path), "%s/card.conf", d);
	if (printlab_write_file(path, printlab_card_attributes, 0644))
		return -1;
	return write_serverbin(lab);
}

static bool wait_until(bool (*ready)(const void *), const void *arg, pid_t pid, int timeout_ms)
{
	for (int t = 0; t < timeout_ms; t += 20) {
		if (ready(arg))
			return true;
		if (pid > 0 && !child_alive(pid))
			return false;
		sleep_ms(20);
	}
	return ready(arg);
}

static bool unix_ready(const void *path)
{
	return unix_open(path);
}

/* arg: { path, text }: the file contains the text. */
static bool log_has(const void *arg)
{
	const char *const *a = arg;
	FILE *f = fopen(a[0], "r");
	if (!f)
		return false;
	char buf[1024];
	bool found = false;
	while (!found && fgets(buf, sizeof(buf), f))
		found = strstr(buf, a[1]) != NULL;
	fclose(f);
	return found;
}

static bool port_ready(const void *port)
{
	return tcp_open(*(const int *)port);
}

int printlab_cupsd_start(struct printlab *lab)
{
	if (lab->cupsd_pid > 0)
		return 0;
	char log_path[600], conf[600], files[600];
	snprintf(log_path, sizeof(log_path), "%s/log/cupsd.log", lab->dir);
	snprintf(conf, sizeof(conf), "%s/etc/cupsd.conf", lab->dir);
	snprintf(files, sizeof(files), "%s/etc/cups-files.conf", lab->dir);
	/* -c and -s both: without them cupsd would use the system's files and /run/cups. */
	char *cupsd_argv[] = { "cupsd", "-f", "-c", conf, "-s", files, NULL };
	lab->cupsd_pid = spawn(lab, cupsd_argv, NULL, log_path, true);
	return lab->cupsd_pid > 0 && wait_until(unix_ready, lab->sock, lab->cupsd_pid, 10000) ? 0
											      : -1;
}

int printlab_cupsd_stop(struct printlab *lab)
{
	if (lab->cupsd_pid <= 0)
		return -1;
	kill_group(&lab->cupsd_pid); /* SIGTERM: cupsd saves its jobs, as at a shutdown */
	return 0;
}

struct printlab *printlab_start(const char *out_dir, unsigned flags, char *err, size_t err_len)
{
	struct printlab *lab = calloc(1, sizeof(*lab));
	if (!lab) {
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	lab->watchdog_fd = -1;
	lab->keep = flags & PRINTLAB_KEEP;
	lab->keep_job_files = flags & PRINTLAB_KEEP_JOB_FILES;
	const char *tmp = getenv("TMPDIR");
	tmp = tmp && *tmp ? tmp : "/tmp";
	/* cupsd's and dbus's sockets go in the folder: its path must leave room for them in a
	 * socket address (108 bytes) */
	if ((size_t)snprintf(lab->dir, sizeof(lab->dir), "%s/printlab-XXXXXX", tmp) >=
	    sizeof(((struct sockaddr_un *)0)->sun_path) - sizeof("/dbus.sock")) {
		snprintf(err, err_len, "TMPDIR %.64s... is too long for the lab's sockets", tmp);
		free(lab);
		return NULL;
	}
	if (out_dir && (size_t)snprintf(lab->out_root, sizeof(lab->out_root), "%s", out_dir) >=
			   sizeof(lab->out_root)) {
		snprintf(err, err_len, "--out %.64s... is longer than %zu bytes", out_dir,
			 sizeof(lab->out_root) - 1);
		free(lab);
		return NULL;
	}
	if (!mkdtemp(lab->dir) || make_dirs(lab)) {
		snprintf(err, err_len, "cannot create a temporary directory: %s", strerror(errno));
		free(lab);
		return NULL;
	}
	snprintf(lab->sock, sizeof(lab->sock), "%s/cups.sock", lab->dir);
	snprintf(lab->spool, sizeof(lab->spool), "%s/spool", lab->dir);
	snprintf(lab->dbus_sock, sizeof(lab->dbus_sock), "%s/dbus.sock", lab->dir);
	if (!out_dir)
		snprintf(lab->out_root, sizeof(lab->out_root), "%s/out", lab->dir);
	mkdir(lab->out_root, 0755);
	lab->cups_port = free_port();
	if (lab->cups_port < 0 || write_configs(lab) || start_watchdog(lab)) {
		snprintf(err, err_len, "cannot prepare %s: %s", lab->dir, strerror(errno));
		goto fail;
	}
	char log_path[600], addr[340];
	snprintf(log_path, sizeof(log_path), "%s/log/dbus.log", lab->dir);
	snprintf(addr, sizeof(addr), "--address=unix:path=%s", lab->dbus_sock);
	char *dbus_argv[] = { "dbus-daemon", "--session", "--nofork", "--nopidfile", addr, NULL };
	lab->dbus_pid = spawn(lab, dbus_argv, NULL, log_path, true);
	if (lab->dbus_pid < 0 || !wait_until(unix_ready, lab->dbus_sock, lab->dbus_pid, 10000)) {
		snprintf(err, err_len, "dbus-daemon did not start (see %s)", log_path);
		goto fail;
	}
	if (printlab_cupsd_start(lab) != 0) {
		snprintf(err, err_len, "cupsd did not start (see %s/log/error_log)", lab->dir);
		goto fail;
	}
	return lab;
fail:
	printlab_stop(lab);
	return NULL;
}

struct lab_printer *printlab_find(struct printlab *lab, const char *name)
{
	for (int i = 0; i < lab->n_printers; i++)
		if (strcmp(lab->printers[i].name, name) == 0)
			return &lab->printers[i];
	lab_log("no printer named %s", name);
	return NULL;
}

static int start_printer(struct printlab *lab, struct lab_printer *p)
{
	char port[16], spool[600], cmd[600], log_path[600], attrs[600];
	char env_fault[1100], env_out[1100], env_dbus[340], env_test[600];
	snprintf(port, sizeof(port), "%d", p->port);
	snprintf(spool, sizeof(spool), "%s/printers/%s/spool", lab->dir, p->name);
	mkdir(spool, 0755);
	snprintf(cmd, sizeof(cmd), "%s/print-command.sh", lab->dir);
	snprintf(attrs, sizeof(attrs), "%s/card.conf", lab->dir);
	snprintf(log_path, sizeof(log_path), "%s/log/printer-%s.log", lab->dir, p->name);
	snprintf(env_fault, sizeof(env_fault), "PRINTLAB_FAULT=%s", p->fault_path);
	snprintf(env_out, sizeof(env_out), "PRINTLAB_OUT=%s", p->out_dir);
	snprintf(env_dbus, sizeof(env_dbus), "DBUS_SYSTEM_BUS_ADDRESS=unix:path=%s",
		 lab->dbus_sock);
	snprintf(env_test, sizeof(env_test), "PRINTLAB_JOB_TEST=%s/job-state.test", lab->dir);
	const char *env[] = { env_fault, env_out, env_dbus, env_test, NULL };
	/* -n localhost: "127.0.0.1" fails on the IPv6 listener. -k keeps what it received.
	 * PRINTLAB_VERBOSE: -v, every connection and request in the printer's log (a test
	 * counts how often the driver asks); otherwise a second, harmless -k. */
	char *verbose = getenv("PRINTLAB_VERBOSE") ? "-v" : "-k";
	char *a4_argv[] = {
		"ippeveprinter", verbose, "-n", "localhost",	   "-p", port, "-r",	"off", "-d",
		spool,		 "-k",	  "-f", "application/pdf", "-c", cmd,  p->name, NULL
	};
	char *card_argv[] = {
		"ippeveprinter", verbose, "-n", "localhost", "-p", port, "-r",	  "off", "-d",
		spool,		 "-k",	  "-a", attrs,	     "-c", cmd,	 p->name, NULL
	};
	p->pid = spawn(lab, p->card ? card_argv : a4_argv, env, log_path, true);
	if (p->pid < 0 || !wait_until(port_ready, &p->port, p->pid, 10000)) {
		lab_log("ippeveprinter %s did not start (see %s)", p->name, log_path);
		return -1;
	}
	return 0;
}

int printlab_add_printer(struct printlab *lab, const char *name, bool card)
{
	if (lab->n_printers >= MAX_PRINTERS || strlen(name) >= 64)
		return -1;
	struct lab_printer *p = &lab->printers[lab->n_printers];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->card = card;
	p->port = free_port();
	char dir[600];
	snprintf(dir, sizeof(dir), "%s/printers/%s", lab->dir, name);
	mkdir(dir, 0755);
	snprintf(p->fault_path, sizeof(p->fault_path), "%s/fault", dir);
	snprintf(p->out_dir, sizeof(p->out_dir), "%s/%s", lab->out_root, name);
	mkdir(p->out_dir, 0755);
	if (printlab_write_file(p->fault_path, "", 0644) || start_printer(lab, p))
		return -1;
	lab->n_printers++;
	char uri[128];
	snprintf(uri, sizeof(uri), "ipp://localhost:%d/ipp/print", p->port);
	char *argv[] = { "lpadmin", "-h", lab->sock, "-p",	   p->name, "-E",
			 "-v",	    uri,  "-m",	     "everywhere", NULL };
	int rc = printlab_run(lab, argv);
	if (rc != 0) {
		lab_log("lpadmin for %s failed (%d); see %s/log/commands.log", name, rc, lab->dir);
		return -1;
	}
	/* cupsd sets a new queue's filters up after lpadmin returns; a job sent before then
	 * is aborted ("Unable to convert file 0 to printable format") and an early
	 * cupsdisable is undone. It logs this line when the queue is ready. */
	char log_path[600], line[160];
	snprintf(log_path, sizeof(log_path), "%s/log/error_log", lab->dir);
	snprintf(line, sizeof(line), "Printer \"%s\" is now available.", name);
	if (!wait_until(log_has, (const char *[]){ log_path, line }, lab->cupsd_pid, 10000)) {
		lab_log("queue %s never became available; see %s", name, log_path);
		return -1;
	}
	return 0;
}

int printlab_kill_printer(struct printlab *lab, const char *name)
{
	struct lab_printer *p = printlab_find(lab, name);
	if (!p || p->pid <= 0)
		return -1;
	kill(-p->pid, SIGKILL);
	waitpid(p->pid, NULL, 0);
	p->pid = 0;
	return 0;
}

int printlab_restart_printer(struct printlab *lab, const char *name)
{
	struct lab_printer *p = printlab_find(lab, name);
	if (!p)
		return -1;
	if (p->pid > 0)
		printlab_kill_printer(lab, name);
	return start_printer(lab, p);
}

int printlab_queue_enable(struct printlab *lab, const char *name, bool enable)
{
	char *argv[] = { enable ? "cupsenable" : "cupsdisable", "-h", lab->sock, (char *)name,
			 NULL };
	return printlab_run(lab, argv) == 0 ? 0 : -1;
}

const char *printlab_server(const struct printlab *lab)
{
	return lab->sock;
}

const char *printlab_dir(const struct printlab *lab)
{
	return lab->dir;
}

const char *printlab_spool_dir(const struct printlab *lab)
{
	return lab->spool;
}

int printlab_cups_port(const struct printlab *lab)
{
	return lab->cups_port;
}

const char *printlab_out_dir(struct printlab *lab, const char *name)
{
	struct lab_printer *p = printlab_find(lab, name);
	return p ? p->out_dir : NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The i-th file with the given suffix in a printer's folder, names sorted (time first). */
static int nth_file(const char *dir, const char *suffix, int index, char *path, size_t len)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	char *names[256];
	int n = 0;
	size_t sl = strlen(suffix);
	for (struct dirent *e; (e = readdir(d)) && n < 256;) {
		size_t l = strlen(e->d_name);
		if (l > sl && strcmp(e->d_name + l - sl, suffix) == 0)
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(char *), cmp_str);
	if (path && index >= 0 && index < n)
		snprintf(path, len, "%s/%s", dir, names[index]);
	for (int i = 0; i < n; i++)
		free(names[i]);
	return n;
}

int printlab_printed(struct printlab *lab, const char *name, int index, char *path, size_t path_len)
{
	struct lab_printer *p = printlab_find(lab, name);
	return p ? nth_file(p->out_dir, ".pdf", index, path, path_len) : -1;
}

int printlab_printed_media(struct printlab *lab, const char *name, int index, char *out,
			   size_t out_len)
{
	struct lab_printer *p = printlab_find(lab, name);
	char path[700];
	if (!p || nth_file(p->out_dir, ".media", index, path, sizeof(path)) <= index)
		return -1;
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(out, 1, out_len - 1, f);
	out[n] = '\0';
	fclose(f);
	return 0;
}

void printlab_stop(struct printlab *lab)
{
	if (!lab)
		return;
	for (int i = 0; i < lab->n_printers; i++)
		kill_group(&lab->printers[i].pid);
	kill_group(&lab->cupsd_pid);
	kill_group(&lab->dbus_pid);
	if (lab->watchdog_fd >= 0) {
		int32_t disarm = 0;
		if (write(lab->watchdog_fd, &disarm, sizeof(disarm)) != sizeof(disarm))
			lab_log("watchdog disarm: %s", strerror(errno));
		close(lab->watchdog_fd);
		waitpid(lab->watchdog_pid, NULL, 0);
	}
	if (!lab->keep)
		nftw(lab->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	else
		lab_log("kept %s", lab->dir);
	free(lab);
}
