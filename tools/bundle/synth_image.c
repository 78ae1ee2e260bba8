/*
 * Images with random content, for tests and benchmarks: noise is the worst case for the
 * encoders (PNG cannot compress it), so a bundle of these is as large per pixel as real
 * photographs get. SDL_image writes only to files or fixed buffers, hence the temporary
 * file.
 */
#include "synth_image.h"

#include <SDL.h>
#include <cairo.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rbe");
	unsigned char *buf = NULL;
	long n;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

bool synth_image(int w, int h, bool jpeg, unsigned seed, int quality, unsigned char **data,
		 size_t *len)
{
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 24, SDL_PIXELFORMAT_RGB24);
	if (!s)
		return false;
	uint32_t x = seed * 2654435761u + 1;
	for (int y = 0; y < h; y++) {
		unsigned char *row = (unsigned char *)s->pixels + (size_t)y * (size_t)s->pitch;
		for (int i = 0; i < w * 3; i++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5; /* xorshift32 */
			row[i] = (unsigned char)((x & 0x7F) + (i * 128 / (w * 3)));
		}
	}
	char path[] = "/tmp/adm-synth-XXXXXX";
	int fd = mkstemp(path);
	bool ok = fd >= 0;
	if (fd >= 0)
		close(fd);
	if (ok)
		ok = (jpeg ? IMG_SaveJPG(s, path, quality) : IMG_SavePNG(s, path)) == 0;
	SDL_FreeSurface(s);
	*data = ok ? slurp(path, len) : NULL;
	if (fd >= 0)
		unlink(path);
	return *data != NULL;
}

cairo_surface_t *synth_banner(int w, int h, double hue, const char *text)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
	cairo_t *cr = cairo_create(s);
	cairo_pattern_t *g = cairo_pattern_create_linear(0, 0, w, h);
	cairo_pattern_add_color_stop_rgb(g, 0, 0.05, 0.25 + hue * 0.3, 0.45);
	cairo_pattern_add_color_stop_rgb(g, 1, 0.0, 0.55, 0.55 - hue * 0.3);
	cairo_set_source(cr, g);
	cairo_paint(cr);
	cairo_pattern_destroy(g);
	cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
	cairo_rectangle(cr, 0, h * 0.62, w, h * 0.22);
	cairo_fill(cr);
	for (int i = 0; i < 5; i++) {
		cairo_set_source_rgba(cr, 1, 0.8, 0.2, 0.35 + 0.1 * i);
		cairo_arc(cr, w * (0.15 + 0.17 * i), h * 0.32, h * (0.08 + 0.02 * i), 0, 6.2832);
		cairo_fill(cr);
	}
	if (!text)
		goto done;
	cairo_select_font_face(cr, "Noto Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_text_extents_t ext;
	cairo_set_font_size(cr, h * 0.12);
	cairo_text_extents(cr, text, &ext);
	if (ext.width > w * 0.9) /* fit the band whatever the font */
		cairo_set_font_size(cr, h * 0.12 * w * 0.9 / ext.width);
	cairo_set_source_rgb(cr, 0.05, 0.2, 0.35);
	cairo_move_to(cr, w * 0.05, h * 0.77);
	cairo_show_text(cr, text);
done:
	cairo_destroy(cr);
	cairo_surface_flush(s);
	return s;
}
