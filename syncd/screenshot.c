/*
 * The kiosk's side of screenshots (screenshot.h). The marker and the picture are the only
 * link to adm-kiosk: files beside the cache, so neither process waits for the other.
 */
#include "screenshot.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The picture, at most SCREENSHOT_MAX bytes (a larger one is dropped: the server would
 * refuse it). */
static unsigned char *read_png(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	unsigned char *buf = NULL;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (size_t)st.st_size <= SCREENSHOT_MAX && (buf = malloc((size_t)st.st_size))) {
		ssize_t n = read(fd, buf, (size_t)st.st_size);
		if (n != st.st_size) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)st.st_size;
	} else if (fstat(fd, &st) == 0 && (size_t)st.st_size > SCREENSHOT_MAX) {
		log_warn("screenshot: %s is over %u bytes, dropped", path, SCREENSHOT_MAX);
		unlink(path);
	}
	close(fd);
	return buf;
}

void screenshot_after_heartbeat(net_t *net, const char *kiosk, const char *path, const char *body,
				size_t len)
{
	char marker[4096], url[160];
	if (!path || !body || !len)
		return;
	json_t *o = json_loadb(body, len, 0, NULL);
	bool asked =
	    json_is_integer(json_object_get(json_object_get(o, "screenshot"), "requested"));
	json_decref(o);
	if (!asked)
		return;
	snprintf(marker, sizeof(marker), "%s.request", path);
	if (access(marker, F_OK) == 0)
		return; /* adm-kiosk has not written it yet */
	size_t n = 0;
	unsigned char *png = read_png(path, &n);
	if (!png) {
		/* ask adm-kiosk: an empty marker, created only once */
		int fd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0) {
			close(fd);
			log_info("screenshot: asked for, waiting for the kiosk (%s)", marker);
		} else if (errno != EEXIST) {
			log_warn("screenshot: cannot create %s: %s", marker, strerror(errno));
		}
		return;
	}
	long status = 0;
	snprintf(url, sizeof(url), "/v1/kiosks/%s/screenshot", kiosk);
	int rc = net_post(net, url, "image/png", png, n, &status);
	free(png);
	if (rc == NET_OK) {
		log_info("screenshot: sent (%zu bytes)", n);
		unlink(path);
	} else if (rc == NET_HTTP && status >= 400 && status < 500) {
		/* refused for good (not a PNG, too large, no longer asked): drop it */
		log_warn("screenshot: refused by the server (HTTP %ld), dropped", status);
		unlink(path);
	} else {
		log_warn("screenshot: %s; again at the next heartbeat", net_error(net));
	}
}
