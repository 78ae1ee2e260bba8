/*
 * adm-bundle init and build. A bundle folder holds bundle.json (the manifest without its
 * files list and created time) and the images its banners name. build reads only the
 * files the items name, and only plain files directly in the folder: a symlink, a hard
 * link, a device node or a name with a path in it is refused here already, so the office
 * learns of it before a kiosk does. The manifest build writes is parsed back with the
 * kiosk's own parser before it is packed.
 */
#include "synth_image.h"
#include "tool.h"

#include "sha256.h"

#include <SDL.h>
#include <SDL_image.h>
#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The example bundle: one of each item, dates relative to today (filled by printf). */
#define TEMPLATE_JSON                                                                              \
	"{\n"                                                                                      \
	"  \"format\": 1,\n"                                                                       \
	"  \"publisher\": \"dukcapil-3273\",\n"                                                    \
	"  \"version\": 1,\n"                                                                      \
	"  \"expires\": \"%1$s\",\n"                                                               \
	"  \"scope\": {\"regions\": [\"32.73\"], \"kiosks\": []},\n"                               \
	"  \"items\": [\n"                                                                         \
	"    {\"id\": \"ann-kia\", \"kind\": \"announcement\",\n"                                  \
	"     \"valid\": {\"from\": \"%2$s\", \"until\": \"%1$s\"},\n"                             \
	"     \"title\": {\"id\": \"Kini KIA bisa dicetak di anjungan\",\n"                        \
	"               \"en\": \"Child ID cards (KIA) now print here\"},\n"                       \
	"     \"text\": {\"id\": \"Tempelkan KTP-el orang tua, pilih KIA anak, masukkan PIN.\",\n" \
	"              \"en\": \"Tap a parent's KTP-el, choose the child's KIA, enter the "        \
	"PIN.\"}},\n"                                                                              \
	"    {\"id\": \"ann-malam\", \"kind\": \"announcement\",\n"                                \
	"     \"valid\": {\"from\": \"%2$s\", \"until\": \"%1$s\"},\n"                             \
	"     \"days\": [\"fri\", \"sat\"], \"hours\": {\"from\": \"22:00\", \"until\": "          \
	"\"02:00\"},\n"                                                                            \
	"     \"title\": {\"id\": \"Anjungan tetap buka malam ini\", \"en\": \"Open tonight\"},\n" \
	"     \"text\": {\"id\": \"Cetak dokumen Anda kapan saja.\",\n"                            \
	"              \"en\": \"Print your documents at any hour.\"}},\n"                         \
	"    {\"id\": \"banner-kk\", \"kind\": \"banner\", \"file\": \"banner-example.png\",\n"    \
	"     \"valid\": {\"from\": \"%2$s\", \"until\": \"%1$s\"},\n"                             \
	"     \"alt\": {\"id\": \"Kartu Keluarga baru? Cetak di sini.\",\n"                        \
	"             \"en\": \"New family card? Print it here.\"}},\n"                            \
	"    {\"id\": \"banner-jam-kerja\", \"kind\": \"banner\", \"file\": "                      \
	"\"banner-example.jpg\",\n"                                                                \
	"     \"valid\": {\"from\": \"%2$s\", \"until\": \"%1$s\"},\n"                             \
	"     \"days\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"],\n"                          \
	"     \"hours\": {\"from\": \"08:00\", \"until\": \"15:00\"},\n"                           \
	"     \"alt\": {\"id\": \"Layanan loket: Senin sampai Jumat\",\n"                          \
	"             \"en\": \"Counter service: Monday to Friday\"}},\n"                          \
	"    {\"id\": \"jam-layanan\", \"kind\": \"hours\",\n"                                     \
	"     \"week\": {\"mon\": [\"08:00-12:00\", \"13:00-15:30\"], \"tue\": [\"08:00-12:00\", " \
	"\"13:00-15:30\"],\n"                                                                      \
	"              \"wed\": [\"08:00-12:00\", \"13:00-15:30\"], \"thu\": [\"08:00-12:00\", "   \
	"\"13:00-15:30\"],\n"                                                                      \
	"              \"fri\": [\"08:00-11:30\", \"13:30-15:30\"]},\n"                            \
	"     \"holidays\": [{\"date\": \"2026-12-25\",\n"                                         \
	"                   \"name\": {\"id\": \"Hari Raya Natal\", \"en\": \"Christmas "          \
	"Day\"}}]},\n"                                                                             \
	"    {\"id\": \"cetak-kartu\", \"kind\": \"notice\",\n"                                    \
	"     \"valid\": {\"from\": \"%2$s\", \"until\": \"%3$s\"},\n"                             \
	"     \"text\": {\"id\": \"Pencetakan KTP-el tidak tersedia minggu ini.\",\n"              \
	"              \"en\": \"KTP-el card printing is unavailable this week.\"}},\n"            \
	"    {\"id\": \"tutup-banjir\", \"kind\": \"urgent\",\n"                                   \
	"     \"valid\": {\"from\": \"%4$s\", \"until\": \"%5$s\"},\n"                             \
	"     \"title\": {\"id\": \"Kantor tutup hari ini\", \"en\": \"Office closed today\"},\n"  \
	"     \"text\": {\"id\": \"Karena banjir, loket tutup. Anjungan tetap melayani.\",\n"      \
	"              \"en\": \"Counters are closed by flooding. This kiosk still serves "        \
	"you.\"}},\n"                                                                              \
	"    {\"id\": \"kantor-kota\", \"kind\": \"office\",\n"                                    \
	"     \"name\": \"Disdukcapil Kota Bandung\",\n"                                           \
	"     \"address\": \"Jl. Ambon No. 1B, Citarum, Bandung Wetan, Kota Bandung 40115\",\n"    \
	"     \"handles\": [\"ktp-el\", \"kk\", \"kia\", \"akta-kelahiran\", "                     \
	"\"pindah-datang\"],\n"                                                                    \
	"     \"week\": {\"mon\": [\"08:00-15:00\"], \"tue\": [\"08:00-15:00\"], \"wed\": "        \
	"[\"08:00-15:00\"],\n"                                                                     \
	"              \"thu\": [\"08:00-15:00\"], \"fri\": [\"08:00-14:00\"]}}\n"                 \
	"  ]\n"                                                                                    \
	"}\n"

static int write_banners(const char *dir)
{
	char path[PATH_MAX];
	cairo_surface_t *s = synth_banner(1080, 600, 0.0, "Contoh spanduk / Example banner");
	snprintf(path, sizeof(path), "%s/banner-example.png", dir);
	int rc = cairo_surface_write_to_png(s, path) == CAIRO_STATUS_SUCCESS
		     ? 0
		     : tool_error("%s: cannot write", path);
	cairo_surface_destroy(s);
	if (rc)
		return rc;
	/* the JPEG example through SDL_image, which has the encoder cairo lacks */
	s = synth_banner(1080, 400, 1.0, "Contoh spanduk / Example banner");
	SDL_Surface *sdl = SDL_CreateRGBSurfaceWithFormatFrom(
	    cairo_image_surface_get_data(s), 1080, 400, 32, cairo_image_surface_get_stride(s),
	    SDL_PIXELFORMAT_ARGB8888);
	snprintf(path, sizeof(path), "%s/banner-example.jpg", dir);
	if (!sdl || IMG_SaveJPG(sdl, path, 85) != 0)
		rc = tool_error("%s: cannot write: %s", path, SDL_GetError());
	SDL_FreeSurface(sdl);
	cairo_surface_destroy(s);
	return rc;
}

int cmd_init(int argc, char **argv)
{
	if (argc != 2)
		return tool_error("usage: adm-bundle init DIR");
	const char *dir = argv[1];
	if (mkdir(dir, 0755) != 0)
		return tool_error("%s: %s (init makes a new folder)", dir, strerror(errno));
	char path[PATH_MAX], t[5][21];
	int64_t now = time(NULL), today = now - now % 86400;
	content_time_format(today + 31 * 86400, t[0]);
	content_time_format(today, t[1]);
	content_time_format(today + 7 * 86400, t[2]);
	content_time_format(today + 10 * 86400, t[3]); /* the urgent example: not today */
	content_time_format(today + 11 * 86400, t[4]);
	snprintf(path, sizeof(path), "%s/bundle.json", dir);
	FILE *f = fopen(path, "wxe");
	if (!f)
		return tool_error("%s: %s", path, strerror(errno));
	fprintf(f, TEMPLATE_JSON, t[0], t[1], t[2], t[3], t[4]);
	if (fclose(f) != 0)
		return tool_error("%s: write failed", path);
	int rc = write_banners(dir);
	if (rc == 0)
		printf("%s: bundle.json with an example of each item, two example banners; edit "
		       "publisher, scope and items, then adm-bundle build %s -o OUT\n",
		       dir, dir);
	return rc;
}

/* Reads DIR/name as a plain file of at most cap bytes, refusing links and devices. */
static unsigned char *read_plain(int dirfd, const char *dir, const char *name, size_t *len)
{
	struct stat st;
	if (name[0] == '/' || strstr(name, "..") || !content_name_ok(name, 64)) {
		tool_error("%s: file \"%s\": names are [a-z0-9._-], no paths", dir, name);
		return NULL;
	}
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		tool_error("%s/%s: %s (missing entry)", dir, name, strerror(errno));
		return NULL;
	}
	if (S_ISLNK(st.st_mode)) {
		tool_error("%s/%s: symlink refused", dir, name);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		tool_error("%s/%s: not a plain file (device node, fifo or folder) refused", dir,
			   name);
		return NULL;
	}
	if (st.st_nlink > 1) {
		tool_error("%s/%s: hard link refused (copy the file instead)", dir, name);
		return NULL;
	}
	if (st.st_size <= 0 || st.st_size > CONTENT_FILE_MAX) {
		tool_error("%s/%s: %lld bytes, must be 1 to %u", dir, name, (long long)st.st_size,
			   CONTENT_FILE_MAX);
		return NULL;
	}
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	unsigned char *buf = fd >= 0 ? malloc((size_t)st.st_size) : NULL;
	ssize_t n = buf ? read(fd, buf, (size_t)st.st_size) : -1;
	if (fd >= 0)
		close(fd);
	if (n != st.st_size) {
		free(buf);
		tool_error("%s/%s: cannot read", dir, name);
		return NULL;
	}
	*len = (size_t)n;
	return buf;
}

struct built_file {
	const char *name;
	unsigned char *data;
	size_t len;
};

static int add_file(json_t *files, struct built_file *bf, const char *dir)
{
	enum content_image_type type;
	uint32_t w, h;
	unsigned char digest[SHA256_BYTES];
	char hex[2 * SHA256_BYTES + 1], reason[CONTENT_REASON_MAX];
	if (content_image_probe(bf->data, bf->len, &type, &w, &h, reason, sizeof(reason)) < 0)
		return tool_error("%s/%s: %s", dir, bf->name, reason);
	if (!sha256(bf->data, bf->len, digest))
		return tool_error("out of memory");
	for (int i = 0; i < SHA256_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	json_array_append_new(files, json_pack("{s:s, s:s, s:I, s:s, s:i, s:i}", "name", bf->name,
					       "sha256", hex, "length", (json_int_t)bf->len, "type",
					       type == CONTENT_PNG ? "png" : "jpeg", "width",
					       (int)w, "height", (int)h));
	return 0;
}

int cmd_build(int argc, char **argv)
{
	const char *dir = NULL, *out_path = NULL, *v;
	int64_t created = time(NULL), version = 0;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '-' && !dir) {
			dir = argv[i];
			continue;
		}
		if (!(v = tool_optarg(argc, argv, &i)))
			return 1;
		if (strcmp(argv[i - 1], "-o") == 0)
			out_path = v;
		else if (strcmp(argv[i - 1], "--version") == 0)
			version = strtoll(v, NULL, 10);
		else if (strcmp(argv[i - 1], "--created") != 0 || tool_parse_time(v, &created) != 0)
			return tool_error("build: bad option %s %s", argv[i - 1], v);
	}
	if (!dir || !out_path)
		return tool_error("usage: adm-bundle build DIR -o OUT [--version N] [--created T]");
	char path[PATH_MAX], reason[CONTENT_REASON_MAX], stamp[21];
	snprintf(path, sizeof(path), "%s/bundle.json", dir);
	json_error_t e;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
	if (!root || !json_is_object(root))
		return tool_error("%s: line %d: %s", path, e.line, root ? "not an object" : e.text);
	int rc = 1, dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct built_file bf[CONTENT_FILES_MAX];
	size_t nbf = 0;
	char *text = NULL;
	json_t *files = json_array();
	if (dirfd < 0) {
		tool_error("%s: %s", dir, strerror(errno));
		goto out;
	}
	if (json_object_get(root, "files") || json_object_get(root, "created")) {
		tool_error("%s: files and created are filled by build; remove them", path);
		goto out;
	}
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(root, "items"), i, item)
	{
		const char *name = json_string_value(json_object_get(item, "file"));
		bool seen = false;
		for (size_t j = 0; name && j < nbf && !seen; j++)
			seen = strcmp(bf[j].name, name) == 0;
		if (!name || seen)
			continue;
		if (nbf == CONTENT_FILES_MAX) {
			tool_error("more than %d files", CONTENT_FILES_MAX);
			goto out;
		}
		bf[nbf].name = name;
		if (!(bf[nbf].data = read_plain(dirfd, dir, name, &bf[nbf].len)))
			goto out;
		nbf++;
		if (add_file(files, &bf[nbf - 1], dir) != 0)
			goto out;
	}
	content_time_format(created, stamp);
	json_object_set_new(root, "created", json_string(stamp));
	json_object_set(root, "files", files);
	if (version)
		json_object_set_new(root, "version", json_integer(version));
	text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	struct content_manifest *m = NULL;
	if (!text || content_manifest_parse(text, strlen(text), &m, reason, sizeof(reason)) < 0) {
		tool_error("%s: %s", path, text ? reason : "out of memory");
		goto out;
	}
	content_manifest_free(m);
	struct content_blob b = { .kind = CONTENT_BLOB_BUNDLE,
				  .payload = (unsigned char *)text,
				  .len = strlen(text) };
	struct tool_out o;
	if (tool_out_open(&o, out_path) != 0)
		goto out;
	bool ok = content_blob_write(o.f, &b) == CONTENT_OK;
	for (size_t j = 0; ok && j < nbf; j++)
		ok = fwrite(bf[j].data, 1, bf[j].len, o.f) == bf[j].len;
	if (!ok) {
		tool_out_abort(&o);
		tool_error("%s: write failed", out_path);
		goto out;
	}
	if ((rc = tool_out_commit(&o)) == 0)
		printf("built %s: version %lld, %zu file(s), unsigned (adm-bundle sign next)\n",
		       out_path, (long long)json_integer_value(json_object_get(root, "version")),
		       nbf);
out:
	for (size_t j = 0; j < nbf; j++)
		free(bf[j].data);
	free(text);
	json_decref(files);
	json_decref(root);
	if (dirfd >= 0)
		close(dirfd);
	return rc;
}
