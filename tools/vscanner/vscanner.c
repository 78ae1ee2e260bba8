/*
 * adm-vscanner: a virtual 2D barcode scanner in serial mode, on a pseudo-terminal.
 *
 *   adm-vscanner --link PATH
 *
 * Makes PATH a symlink to the pty slave (what the kiosk opens as its scanner), prints
 * "ready PATH", then reads commands on stdin, one per line, answering "ok" or "error ...":
 *   scan TEXT   the scanner reads a code: TEXT followed by CR goes down the line
 *   raw TEXT    TEXT as is, without the CR (to test partial lines)
 *   unplug      the USB scanner is pulled: the pty closes and PATH disappears
 *   replug      plugged back: a new pty behind PATH
 *   quit        (or end of input)
 * The slave is kept open in raw mode here, so a kiosk opening and closing it sees no EIO
 * and no echo between uses.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static int master = -1, slave = -1;
static const char *link_path;

static int plug(void)
{
	struct termios t;
	char *name;

	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0 ||
	    !(name = ptsname(master)))
		return -1;
	slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0 || tcgetattr(slave, &t) != 0)
		return -1;
	cfmakeraw(&t);
	if (tcsetattr(slave, TCSANOW, &t) != 0)
		return -1;
	unlink(link_path);
	return symlink(name, link_path);
}

static void unplug(void)
{
	unlink(link_path);
	if (slave >= 0)
		close(slave);
	if (master >= 0)
		close(master);
	slave = master = -1;
}

static int send_bytes(const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(master, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = { { "link", required_argument, NULL, 'l' },
						  { NULL, 0, NULL, 0 } };
	char line[4096];
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		if (c == 'l')
			link_path = optarg;
	if (!link_path) {
		fprintf(stderr, "usage: adm-vscanner --link PATH\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (plug() != 0) {
		fprintf(stderr, "adm-vscanner: cannot make a pty at %s: %s\n", link_path,
			strerror(errno));
		return 1;
	}
	printf("ready %s\n", link_path);
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "scan ", 5) == 0 || strncmp(line, "raw ", 4) == 0) {
			bool cr = line[0] == 's';
			const char *text = line + (cr ? 5 : 4);
			if (master < 0) {
				printf("error unplugged\n");
				continue;
			}
			if (send_bytes(text, strlen(text)) != 0 || (cr && send_bytes("\r", 1) != 0))
				printf("error write: %s\n", strerror(errno));
			else
				printf("ok\n");
		} else if (strcmp(line, "unplug") == 0) {
			unplug();
			printf("ok\n");
		} else if (strcmp(line, "replug") == 0) {
			if (master < 0 && plug() != 0)
				printf("error %s\n", strerror(errno));
			else
				printf("ok\n");
		} else if (strcmp(line, "quit") == 0) {
			break;
		} else {
			printf("error unknown command\n");
		}
	}
	unplug();
	return 0;
}
