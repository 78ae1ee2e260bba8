/*
 * adm-bundle preview: the attract screen and the nothing-ready screen's "where to apply"
 * with a bundle's content, in landscape 1920x1080 and portrait 1080x1920, as PNG files,
 * drawn by the kiosk's own screen code on SDL's offscreen driver (the screenshot
 * harness, tools/shot), at a given time, so an office sees before it publishes exactly
 * what citizens will see, also for a window that opens next week.
 *
 * A signed bundle is verified against the keyring first, as a kiosk would at that time
 * (content_load.h, the kiosk's loader); one that has expired by then is shown as kiosks
 * that hold it show it (hours and offices only) and said so. A bundle folder (init's
 * layout) is built in memory and previewed unsigned: the office's draft.
 */
#include "content_load.h"
#include "shot.h"
#include "tool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const struct {
	const char *scenario, *name;
	int w, h;
} screens[] = {
	{ "attract", "attract", 1920, 1080 },
	{ "attract", "attract", 1080, 1920 },
	{ "nothing-ready", "nothing-ready", 1920, 1080 },
	{ "nothing-ready", "nothing-ready", 1080, 1920 },
};

struct mem_files {
	unsigned char *data[CONTENT_FILES_MAX];
	size_t len[CONTENT_FILES_MAX];
	const struct content_manifest *m;
};

static int read_mem(const struct content_file *f, void *user, unsigned char **data, size_t *len)
{
	struct mem_files *mf = user;
	size_t i = (size_t)(f - mf->m->files);
	if (i >= CONTENT_FILES_MAX || !mf->data[i])
		return CONTENT_E_FILE;
	*data = mf->data[i];
	*len = mf->len[i];
	mf->data[i] = NULL; /* the loader frees it */
	return 0;
}

/* An unsigned bundle (a draft built from a folder): the same parse and image checks as
 * the reader, without the signature and policy, which a draft cannot have yet. */
static int load_unsigned(const char *path, int utc_offset_s, struct content_view **out)
{
	char reason[CONTENT_REASON_MAX];
	struct content_blob b;
	struct content_manifest *m = NULL;
	struct mem_files mf = { 0 };
	int rc = 1;

	FILE *in = fopen(path, "rbe");
	if (!in)
		return tool_error("%s: %s", path, strerror(errno));
	if (content_blob_read(in, CONTENT_BLOB_BUNDLE, CONTENT_MANIFEST_MAX, &b, reason,
			      sizeof(reason)) < 0) {
		fclose(in);
		return tool_error("%s: %s", path, reason);
	}
	if (content_manifest_parse((const char *)b.payload, b.len, &m, reason, sizeof(reason)) <
	    0) {
		tool_error("refused: %s", reason);
		goto out;
	}
	mf.m = m;
	for (size_t i = 0; i < m->nfiles; i++) {
		const struct content_file *f = &m->files[i];
		mf.data[i] = malloc(f->length ? f->length : 1);
		mf.len[i] = f->length;
		if (!mf.data[i] || fread(mf.data[i], 1, f->length, in) != f->length) {
			tool_error("%s: cut short in %s", path, f->name);
			goto out;
		}
		if (content_image_check(f, mf.data[i], f->length, reason, sizeof(reason)) < 0) {
			tool_error("refused: %s", reason);
			goto out;
		}
	}
	*out = content_load_view(m, m->created, content_load_free_manifest, m, read_mem, &mf,
				 utc_offset_s);
	m = NULL;
	rc = *out ? 0 : tool_error("out of memory");
out:
	for (size_t i = 0; i < CONTENT_FILES_MAX; i++)
		free(mf.data[i]);
	content_manifest_free(m);
	content_blob_finish(&b);
	fclose(in);
	return rc;
}

static int load_signed(const char *path, const char *const *chain, size_t nchain, int64_t at,
		       int utc_offset_s, struct content_view **out)
{
	char reason[CONTENT_REASON_MAX];
	content_keyring *kr;
	struct content_policy p = { .wall_now = at };

	if (content_keyring_load_chain(chain, nchain, &kr, reason, sizeof(reason)) < 0)
		return tool_error("keyring refused: %s", reason);
	int rc = content_load_bundle_file(path, kr, &p, utc_offset_s, out, reason, sizeof(reason));
	if (rc == CONTENT_E_EXPIRED) {
		/* verified as of its own creation, shown at the time asked: degraded */
		p.wall_now = 0;
		rc = content_load_bundle_file(path, kr, &p, utc_offset_s, out, reason,
					      sizeof(reason));
		if (rc == 0)
			fprintf(stderr, "adm-bundle: note: the bundle has expired by then: kiosks "
					"that hold it show its opening hours and offices only, and "
					"refuse it as new\n");
	}
	content_keyring_free(kr);
	if (rc < 0)
		return tool_error("refused: %s: %s", content_strerror(rc), reason);
	return 0;
}

/* A folder: built as build would (into a temporary file), then previewed unsigned. */
static int load_dir(const char *dir, int64_t at, int utc_offset_s, struct content_view **out)
{
	char tmp[] = "/tmp/adm-preview-XXXXXX", created[21];
	int fd = mkstemp(tmp);
	if (fd < 0)
		return tool_error("temporary file: %s", strerror(errno));
	close(fd);
	content_time_format(at, created);
	char *argv[] = { "build", (char *)dir, "-o", tmp, "--created", created, NULL };
	/* build's "built ..., adm-bundle sign next" is not this command's business */
	fflush(stdout);
	int saved = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved >= 0 && null >= 0)
		dup2(null, STDOUT_FILENO);
	int rc = cmd_build(6, argv);
	fflush(stdout);
	if (saved >= 0 && null >= 0)
		dup2(saved, STDOUT_FILENO);
	if (saved >= 0)
		close(saved);
	if (null >= 0)
		close(null);
	if (rc == 0)
		rc = load_unsigned(tmp, utc_offset_s, out);
	unlink(tmp);
	return rc;
}

int cmd_preview(int argc, char **argv)
{
	const char *path = NULL, *out_dir = NULL, *assets_opt = NULL, *chain[16], *v;
	size_t nchain = 0;
	int64_t at = time(NULL);
	int utc_offset_s = 7 * 3600;
	char assets[512], png[PATH_MAX];
	struct content_view *cv = NULL;
	struct stat st;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-') {
			if (path)
				return tool_error("preview: one bundle at a time");
			path = a;
			continue;
		}
		if (!(v = tool_optarg(argc, argv, &i)))
			return 1;
		if (strcmp(a, "--keyring") == 0 && nchain < 16)
			chain[nchain++] = v;
		else if (strcmp(a, "--out") == 0)
			out_dir = v;
		else if (strcmp(a, "--assets") == 0)
			assets_opt = v;
		else if (strcmp(a, "--at") == 0 && tool_parse_time(v, &at) == 0)
			;
		else if (strcmp(a, "--utc-offset") == 0 && atoi(v) >= -12 && atoi(v) <= 14)
			utc_offset_s = atoi(v) * 3600;
		else
			return tool_error("preview: bad option %s %s", a, v);
	}
	if (!path || !out_dir)
		return tool_error("usage: adm-bundle preview BUNDLE_OR_DIR --keyring KEYRING... "
				  "--out DIR [--at T] [--utc-offset H] [--assets DIR]");
	if (stat(path, &st) != 0)
		return tool_error("%s: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode) && nchain == 0)
		return tool_error("preview: a signed bundle needs --keyring (a folder does not)");
	if (!text_find_assets(assets_opt, assets, sizeof(assets)))
		return tool_error("preview: no fonts found (--assets DIR)");
	if (mkdir(out_dir, 0755) != 0 && errno != EEXIST)
		return tool_error("%s: %s", out_dir, strerror(errno));
	/* the offscreen driver before anything decodes an image */
	if (!shot_init())
		return 1;
	int rc = S_ISDIR(st.st_mode) ? load_dir(path, at, utc_offset_s, &cv)
				     : load_signed(path, chain, nchain, at, utc_offset_s, &cv);
	for (size_t i = 0; rc == 0 && i < sizeof(screens) / sizeof(screens[0]); i++) {
		SDL_Surface *s =
		    shot_render_content(scenario_find(screens[i].scenario), screens[i].w,
					screens[i].h, assets, cv, at, utc_offset_s);
		snprintf(png, sizeof(png), "%s/%s-%dx%d.png", out_dir, screens[i].name,
			 screens[i].w, screens[i].h);
		if (!s || !shot_save(s, png))
			rc = tool_error("%s: cannot render", png);
		else
			printf("%s\n", png);
		SDL_FreeSurface(s);
	}
	content_view_destroy(cv);
	shot_quit();
	return rc;
}
