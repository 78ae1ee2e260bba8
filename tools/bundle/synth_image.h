/* Synthetic test images with random content, real PNG or JPEG through SDL_image: for the
 * content tests and the bundle benchmark. */
#ifndef ADM_SYNTH_IMAGE_H
#define ADM_SYNTH_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

/* w x h pixels of noise (seed) over a gradient; JPEG at quality, or PNG. The bytes are
 * malloc'd. False if SDL_image could not encode. */
bool synth_image(int w, int h, bool jpeg, unsigned seed, int quality, unsigned char **data,
		 size_t *len);

#endif
