/* Bundle -> content view (see content_load.h). */
#include "content_load.h"

#include <SDL_image.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static SDL_Surface *decode(const unsigned char *data, size_t len)
{
	SDL_RWops *rw = SDL_RWFromConstMem(data, (int)len);
	SDL_Surface *raw = rw ? IMG_Load_RW(rw, 1) : NULL;
	if (!raw)
		return NULL;
	/* one format for every banner: the scaling blit then never converts */
	SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
	SDL_FreeSurface(raw);
	return s;
}

void content_load_free_manifest(void *manifest)
{
	content_manifest_free(manifest);
}

struct content_view *content_load_view(const struct content_manifest *m, int64_t floor,
				       void (*release)(void *owner), void *owner,
				       content_load_read_fn read, void *user, int utc_offset_s)
{
	SDL_Surface *images[CONTENT_FILES_MAX] = { 0 };

	for (size_t i = 0; i < m->nfiles && i < CONTENT_FILES_MAX; i++) {
		unsigned char *data = NULL;
		size_t len = 0;
		if (read(&m->files[i], user, &data, &len) == 0 && len <= CONTENT_FILE_MAX)
			images[i] = decode(data, len);
		free(data);
	}
	return content_view_create(m, floor, release, owner, images, utc_offset_s);
}

static int read_stored(const struct content_file *f, void *user, unsigned char **data, size_t *len)
{
	char path[4096], hex[65];
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", f->sha256[i]);
	snprintf(path, sizeof(path), "%s/%s", (const char *)user, hex);
	FILE *in = fopen(path, "rbe");
	if (!in)
		return CONTENT_E_IO;
	/* the reader checked it against its length already; never more than declared */
	*data = malloc(f->length ? f->length : 1);
	*len = *data ? fread(*data, 1, f->length, in) : 0;
	fclose(in);
	return *data && *len == f->length ? 0 : CONTENT_E_IO;
}

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

int content_load_bundle_file(const char *path, const content_keyring *kr,
			     const struct content_policy *p, int utc_offset_s,
			     struct content_view **out, char *reason, size_t reason_size)
{
	char dir[] = "/tmp/adm-content-XXXXXX";
	struct content_policy pol = *p;
	struct content_manifest *m = NULL;
	int rc;

	*out = NULL;
	FILE *in = fopen(path, "rbe");
	if (!in) {
		snprintf(reason, reason_size, "%s: %s", path, strerror(errno));
		return CONTENT_E_IO;
	}
	if (!mkdtemp(dir)) {
		snprintf(reason, reason_size, "temporary folder: %s", strerror(errno));
		fclose(in);
		return CONTENT_E_IO;
	}
	pol.store_dir = dir;
	rc = content_bundle_read(in, kr, &pol, &m, reason, reason_size);
	fclose(in);
	if (rc == 0) {
		*out = content_load_view(m, p->newest_created, content_load_free_manifest, m,
					 read_stored, dir, utc_offset_s);
		if (!*out) {
			snprintf(reason, reason_size, "out of memory");
			rc = CONTENT_E_NOMEM;
		}
	}
	remove_dir(dir);
	return rc;
}
