/*
 * Images from a bundle are untrusted until decoded. The order matters: first the header
 * is read by hand (a PNG's IHDR, a JPEG's SOF) and its dimensions compared with the signed
 * manifest's and with the pixel budget, so a 30000x30000 "bomb" in a few hundred bytes
 * never reaches a decoder (libpng's own limit is a million pixels a side); then the file
 * must end where its format ends (IEND, EOI), because libjpeg pads a cut-off file with
 * grey and calls it a success; only then is it decoded, and the decoded size must again
 * match. PNGs go through SDL_image (libpng fails on a cut or corrupt stream). JPEGs go
 * through libjpeg directly with its warnings made errors: SDL_image, like libjpeg's
 * default handler, decodes a JPEG cut short and given back its EOI marker as a picture
 * with a grey bottom, which the content test "truncated-image" showed.
 */
#include "content_internal.h"

#include <SDL.h>
#include <SDL_image.h>
#include <jpeglib.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
static const unsigned char png_iend[12] = {
	0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int probe_png(const unsigned char *d, size_t len, uint32_t *w, uint32_t *h, char *reason,
		     size_t size)
{
	if (len < 8 + 8 + 13 + 4 || be32(d + 8) != 13 || memcmp(d + 12, "IHDR", 4) != 0)
		return content_fail(reason, size, CONTENT_E_IMAGE, "PNG without a valid IHDR");
	*w = be32(d + 16);
	*h = be32(d + 20);
	if (*w == 0 || *h == 0 || *w > INT32_MAX || *h > INT32_MAX)
		return content_fail(reason, size, CONTENT_E_IMAGE, "PNG with impossible size");
	return CONTENT_OK;
}

/* Walks the marker segments up to the first frame header. */
static int probe_jpeg(const unsigned char *d, size_t len, uint32_t *w, uint32_t *h, char *reason,
		      size_t size)
{
	size_t i = 2;
	while (i + 4 <= len) {
		if (d[i] != 0xFF)
			break;
		while (i < len && d[i] == 0xFF)
			i++;
		if (i >= len)
			break;
		unsigned char m = d[i++];
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD7))
			continue;
		if (m == 0xD9 || m == 0xDA)
			return content_fail(reason, size, CONTENT_E_IMAGE,
					    "JPEG without a frame header before its data");
		if (i + 2 > len)
			break;
		size_t seg = (size_t)d[i] << 8 | d[i + 1];
		if (seg < 2 || i + seg > len)
			break;
		bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
		if (sof) {
			if (seg < 7)
				break;
			*h = (uint32_t)d[i + 3] << 8 | d[i + 4];
			*w = (uint32_t)d[i + 5] << 8 | d[i + 6];
			if (*w == 0 || *h == 0)
				return content_fail(reason, size, CONTENT_E_IMAGE,
						    "JPEG with a zero dimension");
			return CONTENT_OK;
		}
		i += seg;
	}
	return content_fail(reason, size, CONTENT_E_IMAGE, "JPEG with broken segments");
}

int content_image_probe(const unsigned char *data, size_t len, enum content_image_type *type,
			uint32_t *width, uint32_t *height, char *reason, size_t reason_size)
{
	if (len >= 8 && memcmp(data, png_sig, 8) == 0) {
		*type = CONTENT_PNG;
		return probe_png(data, len, width, height, reason, reason_size);
	}
	if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) {
		*type = CONTENT_JPEG;
		return probe_jpeg(data, len, width, height, reason, reason_size);
	}
	return content_fail(reason, reason_size, CONTENT_E_IMAGE, "neither PNG nor JPEG");
}

struct strict_err {
	struct jpeg_error_mgr mgr;
	jmp_buf jb;
	char msg[JMSG_LENGTH_MAX];
};

static void strict_exit(j_common_ptr c)
{
	struct strict_err *e = (struct strict_err *)c->err;
	c->err->format_message(c, e->msg);
	longjmp(e->jb, 1);
}

/* level -1 is a warning ("premature end of data", "corrupt data"): as bad as an error */
static void strict_emit(j_common_ptr c, int level)
{
	if (level < 0)
		strict_exit(c);
}

static int decode_jpeg(const struct content_file *f, const unsigned char *data, size_t len,
		       char *reason, size_t size)
{
	struct jpeg_decompress_struct d;
	struct strict_err e;
	JSAMPLE *volatile row = NULL;
	d.err = jpeg_std_error(&e.mgr);
	e.mgr.error_exit = strict_exit;
	e.mgr.emit_message = strict_emit;
	if (setjmp(e.jb)) {
		jpeg_destroy_decompress(&d);
		free(row);
		return content_fail(reason, size, CONTENT_E_IMAGE, "file %s does not decode: %s",
				    f->name, e.msg);
	}
	jpeg_create_decompress(&d);
	jpeg_mem_src(&d, data, (unsigned long)len);
	jpeg_read_header(&d, TRUE);
	bool same = d.image_width == f->width && d.image_height == f->height;
	if (same) {
		jpeg_start_decompress(&d);
		row = malloc((size_t)d.output_width * (size_t)d.output_components);
		while (row && d.output_scanline < d.output_height) {
			JSAMPLE *r = row;
			jpeg_read_scanlines(&d, &r, 1);
		}
		if (row)
			jpeg_finish_decompress(&d);
	}
	jpeg_destroy_decompress(&d);
	bool ok = row != NULL;
	free(row);
	if (!same)
		return content_fail(reason, size, CONTENT_E_IMAGE,
				    "file %s decodes to another size than its header", f->name);
	return ok ? CONTENT_OK : content_fail(reason, size, CONTENT_E_NOMEM, "out of memory");
}

int content_image_check(const struct content_file *f, const unsigned char *data, size_t len,
			char *reason, size_t reason_size)
{
	enum content_image_type type;
	uint32_t w = 0, h = 0;
	char why[CONTENT_REASON_MAX];
	if (content_image_probe(data, len, &type, &w, &h, why, sizeof(why)) < 0)
		return content_fail(reason, reason_size, CONTENT_E_IMAGE, "file %s: %s", f->name,
				    why);
	if (type != f->type)
		return content_fail(reason, reason_size, CONTENT_E_IMAGE,
				    "file %s is declared %s but is %s", f->name,
				    f->type == CONTENT_PNG ? "png" : "jpeg",
				    type == CONTENT_PNG ? "png" : "jpeg");
	if (w > CONTENT_IMAGE_SIDE_MAX || h > CONTENT_IMAGE_SIDE_MAX ||
	    (uint64_t)w * h > CONTENT_IMAGE_PIXELS_MAX)
		return content_fail(
		    reason, reason_size, CONTENT_E_IMAGE,
		    "file %s: header says %ux%u, over the pixel budget (not decoded)", f->name, w,
		    h);
	if (w != f->width || h != f->height)
		return content_fail(
		    reason, reason_size, CONTENT_E_IMAGE,
		    "file %s: header says %ux%u, manifest declares %ux%u (not decoded)", f->name, w,
		    h, f->width, f->height);
	bool ends = type == CONTENT_PNG
			? len >= sizeof(png_iend) &&
			      memcmp(data + len - sizeof(png_iend), png_iend, sizeof(png_iend)) == 0
			: len >= 4 && data[len - 2] == 0xFF && data[len - 1] == 0xD9;
	if (!ends)
		return content_fail(reason, reason_size, CONTENT_E_IMAGE,
				    "file %s: truncated image (no %s at the end)", f->name,
				    type == CONTENT_PNG ? "IEND" : "EOI");
	if (type == CONTENT_JPEG)
		return decode_jpeg(f, data, len, reason, reason_size);
	SDL_RWops *rw = SDL_RWFromConstMem(data, (int)len);
	if (!rw)
		return content_fail(reason, reason_size, CONTENT_E_NOMEM, "out of memory");
	SDL_Surface *s = IMG_LoadTyped_RW(rw, 1, "PNG");
	if (!s)
		return content_fail(reason, reason_size, CONTENT_E_IMAGE,
				    "file %s does not decode: %.120s", f->name, IMG_GetError());
	bool same = (uint32_t)s->w == f->width && (uint32_t)s->h == f->height;
	SDL_FreeSurface(s);
	if (!same)
		return content_fail(reason, reason_size, CONTENT_E_IMAGE,
				    "file %s decodes to another size than its header", f->name);
	return CONTENT_OK;
}
