/*
 * The document list's thumbnails, rendered with poppler (poppler-glib, onto a cairo image
 * surface) on a thread of their own: never on the UI thread, and never in the way of the
 * services worker, which answers PINs while pages render. Finished images go into the
 * store (ui/thumbs.h) and the UI thread is woken to draw them.
 */
#ifndef ADM_THUMBS_RENDER_H
#define ADM_THUMBS_RENDER_H

#include "thumbs.h"

#include <SDL.h>
#include <stddef.h>

/* The first page of a PDF as an ARGB8888 surface that fits a box box_h tall and
 * thumbs_width(box_h) wide, on white. NULL when poppler cannot read it. Any thread. */
SDL_Surface *thumbs_render(const void *pdf, size_t len, int box_h);

struct thumbs_renderer;

/* Starts the thread. wake(ctx), from the thread, after each thumbnail put in the store (so
 * that the UI draws it); NULL: nobody to wake. NULL on failure. */
struct thumbs_renderer *thumbs_renderer_start(struct thumbs *store, void (*wake)(void *ctx),
					      void *ctx);
/* Renders what is queued, then stops. NULL is fine. */
void thumbs_renderer_stop(struct thumbs_renderer *r);
/* Any thread: queues the first page of pdf (copied, and the copy wiped once rendered) for
 * key, into the visit now in the store; nothing when the store has it already. */
void thumbs_renderer_submit(struct thumbs_renderer *r, const char *key, const void *pdf,
			    size_t len);
/* Any thread, at the end of a visit: after what is queued, drops what cairo keeps of the
 * fonts of the visit's documents and gives the memory back. NULL is fine. */
void thumbs_renderer_forget(struct thumbs_renderer *r);

#endif
