/*
 * Part files of adm-syncd's blob downloads: private while they exist, zeroed before they
 * go (see spool.h for why).
 */
#include "spool.h"

#include "log.h"
#include "sha256.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

FILE *spool_open(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	/* a part file made by an older version (umask's mode) becomes private too */
	if (fchmod(fd, 0600) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	FILE *f = fdopen(fd, "a+b");
	if (!f) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return f;
}

/* Zeros over the file's bytes, synced to the disk; the length stays. */
static bool overwrite(FILE *f)
{
	static const unsigned char zeros[65536];
	struct stat sb;
	int fd = fileno(f);
	/* on Linux, pwrite on an O_APPEND descriptor appends whatever the offset says */
	int flags = fcntl(fd, F_GETFL);
	bool ok = fflush(f) == 0 && fstat(fd, &sb) == 0 && flags >= 0 &&
		  fcntl(fd, F_SETFL, flags & ~O_APPEND) == 0;
	for (off_t at = 0; ok && at < sb.st_size;) {
		size_t n = (size_t)(sb.st_size - at) < sizeof(zeros) ? (size_t)(sb.st_size - at)
								     : sizeof(zeros);
		ssize_t w = pwrite(fd, zeros, n, at);
		if (w <= 0)
			ok = false;
		else
			at += w;
	}
	ok = ok && fdatasync(fd) == 0;
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags);
	return ok;
}

bool spool_wipe(FILE *f)
{
	bool ok = overwrite(f);
	if (ftruncate(fileno(f), 0) != 0)
		ok = false;
	rewind(f);
	return ok;
}

void spool_remove(const char *path, FILE *f)
{
	FILE *own = NULL;
	if (!f) {
		int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		own = f = fd >= 0 ? fdopen(fd, "r+b") : NULL;
		if (fd >= 0 && !f)
			close(fd);
	}
	if (f && !overwrite(f))
		log_warn("spool: cannot overwrite %s before removing it", path);
	if (own)
		fclose(own);
	if (unlink(path) != 0 && errno != ENOENT)
		log_warn("spool: cannot remove %s: %s", path, strerror(errno));
}

bool spool_keep(const char *path, const void *data, size_t len)
{
	spool_remove(path, NULL); /* a leftover must not be appended to */
	FILE *f = spool_open(path);
	if (!f)
		return false;
	bool ok = fwrite(data, 1, len, f) == len;
	if (fclose(f) != 0)
		ok = false;
	if (!ok)
		spool_remove(path, NULL);
	return ok;
}

int spool_sweep(const char *dir, bool (*wanted)(const char *hex, void *user), void *user)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	int removed = 0;
	for (struct dirent *de; (de = readdir(d));) {
		char hex[65], path[512];
		size_t len = strlen(de->d_name);
		if (len != 64 + 5 || strcmp(de->d_name + 64, ".part") != 0)
			continue;
		memcpy(hex, de->d_name, 64);
		hex[64] = '\0';
		if (!sha256_hex_ok(hex) || wanted(hex, user))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		spool_remove(path, NULL);
		removed += access(path, F_OK) != 0;
	}
	closedir(d);
	return removed;
}

long spool_resume_at(FILE *f, unsigned long long size)
{
	long have = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
	if (have >= 0 && (unsigned long long)have <= size)
		return have;
	/* a leftover longer than the download cannot be a prefix of it */
	return spool_wipe(f) ? 0 : -1;
}
