/* Synthetic test images with random content, real PNG or JPEG through SDL_image: for the
 * content tests and the bundle benchmark. */
#ifndef ADM_SYNTH_IMAGE_H
#define ADM_SYNTH_IMAGE_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

/* w x h pixels of noise (seed) over a gradient; JPEG at quality, or PNG. The bytes are
 * malloc'd. False if SDL_image could not encode. */
bool synth_image(int w, int h, bool jpeg, unsigned seed, int quality, unsigned char **data,
		 size_t *len);

/* A synthetic banner, w x h: a gradient (hue 0..1), a band with text (NULL: no text,
 * so the pixels do not depend on the system's fonts) and a few shapes, drawn with cairo. */
cairo_surface_t *synth_banner(int w, int h, double hue, const char *text);

#endif
