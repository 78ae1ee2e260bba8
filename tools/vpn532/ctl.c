/*
 * adm-vpn532ctl SOCKET COMMAND [ARGS...]: sends one command line to a running adm-vpn532
 * and prints its one-line answer. Exit status 0 when the answer starts with "ok".
 *   tap NIK|NAME|mifare|garbage|liar|tearing|slow|sluggish|phone|sak00|bank|hce|noef|double remove
 *   status   fault truncated-poll|no-ack-poll|nad|none [COUNT]   unplug   replug
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr,
			"usage: adm-vpn532ctl SOCKET tap KEY|remove|status|unplug|replug\n");
		return 2;
	}
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	if (strlen(argv[1]) >= sizeof(a.sun_path)) {
		fprintf(stderr, "socket path too long\n");
		return 2;
	}
	strcpy(a.sun_path, argv[1]);
	char line[512];
	size_t n = 0;
	for (int i = 2; i < argc; i++) {
		int w = snprintf(line + n, sizeof(line) - n, "%s%s", i > 2 ? " " : "", argv[i]);
		if (w < 0 || (size_t)w >= sizeof(line) - n - 1) {
			fprintf(stderr, "command too long\n");
			return 2;
		}
		n += (size_t)w;
	}
	line[n++] = '\n';
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror(argv[1]);
		return 1;
	}
	if (write(fd, line, n) != (ssize_t)n) {
		perror("write");
		return 1;
	}
	char reply[512];
	size_t got = 0;
	ssize_t r;
	while (got < sizeof(reply) - 1 && (r = read(fd, reply + got, sizeof(reply) - 1 - got)) > 0)
		got += (size_t)r;
	reply[got] = '\0';
	close(fd);
	fputs(reply, stdout);
	return strncmp(reply, "ok", 2) == 0 ? 0 : 1;
}
