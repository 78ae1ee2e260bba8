/*
 * printlab: the faults a test switches on and off, on a running lab (see printlab.h):
 * the fault file each printer's print command acts out and the files beside it
 * (ignore-cancel, backend-fault), the printers' web forms (paper and toner levels), the
 * queue's error policy, a cupsd that stops answering, and what cupsd keeps in its spool.
 */
#include "printlab.h"

#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "printlab_internal.h"

int printlab_set_fault(struct printlab *lab, const char *name, const char *fault)
{
	struct lab_printer *p = printlab_find(lab, name);
	return p ? printlab_write_file(p->fault_path, fault, 0644) : -1;
}

/* A file beside the fault file, read by the print command or the backend wrapper. */
static int set_flag(struct printlab *lab, const char *name, const char *file, const char *text)
{
	struct lab_printer *p = printlab_find(lab, name);
	char path[700];
	if (!p)
		return -1;
	snprintf(path, sizeof(path), "%s/printers/%s/%s", lab->dir, p->name, file);
	if (!text)
		return unlink(path) == 0 || errno == ENOENT ? 0 : -1;
	return printlab_write_file(path, text, 0644);
}

int printlab_set_ignore_cancel(struct printlab *lab, const char *name, bool ignore)
{
	return set_flag(lab, name, "ignore-cancel", ignore ? "1" : NULL);
}

int printlab_set_backend_fail(struct printlab *lab, const char *name, bool fail)
{
	return set_flag(lab, name, "backend-fault", fail ? "fail" : NULL);
}

int printlab_set_error_policy(struct printlab *lab, const char *name, const char *policy)
{
	char opt[96];
	snprintf(opt, sizeof(opt), "printer-error-policy=%s", policy);
	char *argv[] = { "lpadmin", "-h", lab->sock, "-p", (char *)name, "-o", opt, NULL };
	return printlab_run(lab, argv) == 0 ? 0 : -1;
}

int printlab_cupsd_pause(struct printlab *lab, bool pause)
{
	return lab->cupsd_pid > 0 && kill(lab->cupsd_pid, pause ? SIGSTOP : SIGCONT) == 0 ? 0 : -1;
}

int printlab_spool_files(struct printlab *lab, char *first, size_t first_len)
{
	const char *dir = lab->spool;
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] != 'd' || !e->d_name[1] || e->d_name[1] < '0' ||
		    e->d_name[1] > '9')
			continue;
		if (n++ == 0 && first)
			snprintf(first, first_len, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	return n;
}

/* ippeveprinter's web forms take plain GETs; the answer does not matter, only the effect. */
static int http_get(int port, const char *path)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	char req[512], buf[4096];
	int n = snprintf(req, sizeof(req),
			 "GET %s HTTP/1.1\r\nHost: localhost:%d\r\nConnection: close\r\n\r\n", path,
			 port);
	int rc = write(fd, req, (size_t)n) == n ? 0 : -1;
	/* The status line is enough: the form acted before answering. Reading on would wait
	 * for ippeveprinter's keep-alive timeout (30 s), whatever "Connection: close" says. */
	ssize_t r = read(fd, buf, sizeof(buf) - 1);
	if (r < 12 || strncmp(buf + 8, " 200", 4) != 0)
		rc = -1;
	close(fd);
	return rc;
}

int printlab_set_media_level(struct printlab *lab, const char *name, int level)
{
	struct lab_printer *p = printlab_find(lab, name);
	if (!p)
		return -1;
	char path[256];
	const char *size = p->card ? "om_card_54x86mm" : "iso_a4_210x297mm";
	/* Both trays (main and by-pass): a tray left without media also reads as empty. */
	snprintf(path, sizeof(path),
		 "/media?size1=%s&type1=stationery&level1=%d&size3=%s&type3=stationery&level3=%d",
		 size, level, size, level);
	return http_get(p->port, path);
}

int printlab_set_supply_level(struct printlab *lab, const char *name, int percent)
{
	struct lab_printer *p = printlab_find(lab, name);
	if (!p)
		return -1;
	char path[128];
	snprintf(path, sizeof(path), "/supplies?supply0=25&supply1=%d", percent);
	return http_get(p->port, path);
}
