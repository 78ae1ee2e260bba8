/*
 * admctl diag export FILE: one .tar.gz for whoever helps the technician from afar: the
 * status (health, counts, versions), the audit, the configuration without its secrets and
 * the logs, each in a file of its own. Nothing in it names a citizen or holds a secret:
 * the audit keeps no NIK (cache.h), the configuration's secrets are blanked, and
 * any sixteen digits in a log line (a NIK that should never have been logged) are masked.
 */
#include "tech.h"

#include "adm-config.h"

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define LOG_MAX (4u << 20) /* of each log, the last 4 MiB */

struct text {
	char *s;
	size_t len, cap;
};

static void add(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		size_t cap = (t->len + n + 1) * 2;
		char *p = realloc(t->s, cap);
		if (!p)
			return;
		t->s = p;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static bool put_file(struct archive *a, const char *name, const char *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0600);
	archive_entry_set_mtime(e, time(NULL), 0);
	bool ok = archive_write_header(a, e) == ARCHIVE_OK &&
		  (len == 0 || archive_write_data(a, data, len) == (la_ssize_t)len);
	archive_entry_free(e);
	return ok;
}

/* A line of kiosk.conf with its secrets blanked: the technician PIN's hash and the cards
 * that open technician mode (a UID can be cloned), the server key's pin. */
static void config_line(struct text *out, const char *line)
{
	static const char *const secret[] = { "pin_hash", "cards", "pin", NULL };
	const char *p = line + strspn(line, " \t");
	size_t n = strcspn(p, " \t=");
	for (int i = 0; secret[i]; i++) {
		if (n == strlen(secret[i]) && strncmp(p, secret[i], n) == 0 && strchr(p, '=')) {
			add(out, p, n);
			add(out, " = <removed>\n", 13);
			return;
		}
	}
	add(out, line, strlen(line));
}

/* A log line with every run of 16 or more digits masked (NIK, KK number). */
static void log_line(struct text *out, const char *line)
{
	for (const char *p = line; *p;) {
		size_t d = 0;
		while (isdigit((unsigned char)p[d]))
			d++;
		if (d >= 16) {
			add(out, "<digits>", 8);
			p += d;
		} else if (d) {
			add(out, p, d);
			p += d;
		} else {
			add(out, p++, 1);
		}
	}
}

static bool put_lines(struct archive *a, const char *name, FILE *f, bool config)
{
	struct text t = { 0 };
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		if (config)
			config_line(&t, line);
		else
			log_line(&t, line);
		if (t.len > LOG_MAX) { /* keep the newest */
			memmove(t.s, t.s + t.len - LOG_MAX / 2, LOG_MAX / 2);
			t.len = LOG_MAX / 2;
		}
	}
	free(line);
	bool ok = put_file(a, name, t.s ? t.s : "", t.len);
	free(t.s);
	return ok;
}

/* The output of one of admctl's own commands (argv after "admctl"), run with --json. */
static bool put_command(struct archive *a, const char *name, const char *self, const char *config,
			const char *const *cmd)
{
	const char *args[12] = { self };
	int n = 1;
	while (*cmd && n < 8)
		args[n++] = *cmd++;
	args[n++] = "--json";
	args[n++] = "--config";
	args[n++] = config;
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0)
		return false;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		execv(self, (char *const *)args);
		_exit(127);
	}
	close(fds[1]);
	FILE *f = pid > 0 ? fdopen(fds[0], "r") : NULL;
	bool ok = f && put_lines(a, name, f, false);
	if (f)
		fclose(f);
	else
		close(fds[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return ok;
}

static void human(json_t *o)
{
	printf("diagnostics written to %s (%lld files)\n",
	       json_string_value(json_object_get(o, "file")),
	       (long long)json_integer_value(json_object_get(o, "files")));
}

int admctl_diag(int argc, char **argv)
{
	static const char help[] =
	    "usage: admctl diag export FILE [--log LOGFILE]... [--config FILE] [--json]\n"
	    "Writes FILE (.tar.gz, mode 0600): versions, status and health, the audit, the\n"
	    "configuration without secrets, the journal of adm-kiosk and adm-syncd (and each\n"
	    "--log file). No NIK, name, PIN, token or key is in it.\n";
	const char *logs[8];
	int nlogs = 0, n = 0;
	char *rest[16];
	/* --log is this command's own: taken out before the common options */
	for (int i = 0; i < argc && n < 16; i++) {
		if (strcmp(argv[i], "--log") == 0 && i + 1 < argc && nlogs < 8)
			logs[nlogs++] = argv[++i];
		else
			rest[n++] = argv[i];
	}
	static const char *const subs[] = { "export", NULL };
	struct tech t;
	int rc;
	if (tech_subcommand(n, rest, subs, help, &rc) < 0)
		return rc;
	rc = tech_begin(&t, "diag export", n - 1, rest + 1, 1, help);
	if (rc >= 0)
		return rc;
	char self[4096];
	ssize_t sl = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (sl <= 0)
		return tech_fail(&t, ADMCTL_REFUSED, "cannot find admctl itself");
	self[sl] = '\0';
	int fd = open(t.pos[0], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return tech_fail(&t, ADMCTL_REFUSED, "%s: cannot create it", t.pos[0]);
	struct archive *a = archive_write_new();
	archive_write_add_filter_gzip(a);
	archive_write_set_format_pax_restricted(a);
	bool ok = archive_write_open_fd(a, fd) == ARCHIVE_OK;
	int files = 0;

	struct utsname u;
	char versions[512];
	uname(&u);
	int vl = snprintf(versions, sizeof(versions), "adm %s\nkernel %s %s %s\n", ADM_VERSION,
			  u.sysname, u.release, u.machine);
	ok = ok && put_file(a, "diag/versions.txt", versions, (size_t)vl) && ++files;
	static const char *const status[] = { "status", NULL };
	static const char *const audit[] = { "audit", "--since", "30d", NULL };
	static const char *const uncertain[] = { "prints", "uncertain", NULL };
	ok = ok && put_command(a, "diag/status.json", self, t.config_path, status) && ++files;
	ok = ok && put_command(a, "diag/audit.json", self, t.config_path, audit) && ++files;
	ok = ok && put_command(a, "diag/uncertain.json", self, t.config_path, uncertain) && ++files;
	FILE *f = fopen(t.config_path, "re");
	ok = ok && f && put_lines(a, "diag/kiosk.conf", f, true) && ++files;
	if (f)
		fclose(f);
	f = popen("journalctl --no-pager -o short-iso -n 20000 -u adm-kiosk -u adm-syncd 2>&1",
		  "r");
	ok = ok && f && put_lines(a, "diag/journal.log", f, false) && ++files;
	if (f)
		pclose(f);
	for (int i = 0; ok && i < nlogs; i++) {
		char name[300];
		const char *base = strrchr(logs[i], '/');
		snprintf(name, sizeof(name), "diag/logs/%s", base ? base + 1 : logs[i]);
		f = fopen(logs[i], "re");
		ok = f && put_lines(a, name, f, false) && ++files;
		if (f)
			fclose(f);
	}
	ok = archive_write_close(a) == ARCHIVE_OK && ok;
	archive_write_free(a);
	close(fd);
	if (!ok) {
		unlink(t.pos[0]);
		return tech_fail(&t, ADMCTL_REFUSED,
				 "%s: cannot write it (a log or the config "
				 "unreadable, or the disk full)",
				 t.pos[0]);
	}
	tech_audit_once(&t, "technician-diag-export", "admctl");
	return tech_done(&t, ADMCTL_OK, json_pack("{s:s, s:i}", "file", t.pos[0], "files", files),
			 human);
}
