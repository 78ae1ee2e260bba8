/*
 * DESIGN. One worker thread (worker.h) owns the rendering. A job carries the file's key,
 * the visit's generation of the store at the time it was asked for, and the PDF bytes;
 * the worker wipes the job's copy once it has run. poppler reads the bytes in place
 * (g_bytes_new_static: no copy of the document), renders page one onto a cairo image
 * surface that shares the SDL surface's pixels, and the store takes the surface.
 */
#include "thumbs_render.h"

#include "clock.h"
#include "flow.h"
#include "log.h"
#include "worker.h"

#include <cairo.h>
#include <malloc.h>
#include <math.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct thumbs_renderer {
	struct thumbs *store;
	void (*wake)(void *ctx);
	void *ctx;
	struct worker *worker;
};

struct job {
	char key[FLOW_HASH_LEN + 1];
	unsigned generation;
	size_t len;
	unsigned char pdf[]; /* len bytes */
};

SDL_Surface *thumbs_render(const void *pdf, size_t len, int box_h)
{
	GError *err = NULL;
	GBytes *bytes = g_bytes_new_static(pdf, len);
	PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
	PopplerPage *page = doc ? poppler_document_get_page(doc, 0) : NULL;
	SDL_Surface *s = NULL;

	if (page && box_h > 0) {
		double pw, ph;
		poppler_page_get_size(page, &pw, &ph);
		double scale = fmin(thumbs_width(box_h) / pw, box_h / ph);
		int w = (int)lround(pw * scale), h = (int)lround(ph * scale);
		/* cairo's ARGB32 is SDL's ARGB8888 in native byte order, row for row */
		s = w > 0 && h > 0
			? SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888)
			: NULL;
		cairo_surface_t *cs = s ? cairo_image_surface_create_for_data(
					      s->pixels, CAIRO_FORMAT_ARGB32, w, h, s->pitch)
					: NULL;
		cairo_t *cr = cs ? cairo_create(cs) : NULL;
		if (cr) {
			cairo_set_source_rgb(cr, 1, 1, 1); /* paper */
			cairo_paint(cr);
			cairo_scale(cr, scale, scale);
			poppler_page_render(page, cr);
		}
		bool ok = cr && cairo_status(cr) == CAIRO_STATUS_SUCCESS;
		if (cr)
			cairo_destroy(cr);
		if (cs) {
			cairo_surface_flush(cs);
			cairo_surface_destroy(cs);
		}
		if (!ok) {
			thumbs_free_surface(s);
			s = NULL;
		}
	}
	if (err) {
		log_warn("thumbnail: poppler cannot read the document: %s", err->message);
		g_error_free(err);
	}
	if (page)
		g_object_unref(page);
	if (doc)
		g_object_unref(doc);
	g_bytes_unref(bytes);
	return s;
}

static void job_render(void *ctx, void *data)
{
	struct thumbs_renderer *r = ctx;
	struct job *j = data;

	if (thumbs_has(r->store, j->key) || thumbs_generation(r->store) != j->generation)
		return; /* there already, or asked for by a visit that has ended */
	int64_t t0 = clock_mono_us();
	SDL_Surface *s = thumbs_render(j->pdf, j->len, thumbs_box(r->store));
	int w = s ? s->w : 0, h = s ? s->h : 0;
	if (!s || !thumbs_put(r->store, j->key, s, j->generation))
		return;
	log_info("thumbnail: first page rendered, %dx%d in %.1f ms", w, h,
		 (double)(clock_mono_us() - t0) / 1000.0);
	if (r->wake)
		r->wake(r->ctx);
}

/* cairo keeps the last 256 scaled fonts it was done with (CAIRO_SCALED_FONT_MAX_HOLDOVERS
 * in 1.16), each with its glyph cache and, through its font face, the embedded font that
 * poppler loaded from the citizen's PDF: 10 MiB after a hundred visits, the glyphs of their
 * documents, kept after the visit. cairo has no call to drop them but its debug reset,
 * which must not run while the technician's test page draws; a new scaled font pushes the
 * oldest out, so 256 of a font face that holds nothing (a user font without callbacks)
 * push out all of the documents' (a new face each time: the last round's fonts, found in
 * the cache, would push nothing out). What they keep is a few hundred bytes each. */
enum { CAIRO_HOLDOVERS = 256 };

static void forget_fonts(void)
{
	cairo_font_face_t *face = cairo_user_font_face_create();
	cairo_font_options_t *opt = cairo_font_options_create();
	cairo_matrix_t size, ctm;

	cairo_matrix_init_identity(&ctm);
	for (int i = 1; i <= CAIRO_HOLDOVERS; i++) {
		cairo_matrix_init_scale(&size, i, i);
		cairo_scaled_font_destroy(cairo_scaled_font_create(face, &size, &ctm, opt));
	}
	cairo_font_options_destroy(opt);
	cairo_font_face_destroy(face);
}

static void job_forget(void *ctx, void *data)
{
	(void)ctx;
	(void)data;
	int64_t t0 = clock_mono_us();
	forget_fonts();
	/* what they held is free in this thread's arena; the UI thread's trim came before */
	malloc_trim(0);
	log_debug("thumbnail: the visit's fonts forgotten in %lld us",
		  (long long)(clock_mono_us() - t0));
}

void thumbs_renderer_forget(struct thumbs_renderer *r)
{
	if (r && !worker_submit(r->worker, job_forget, r, NULL, 0))
		log_warn("thumbnail: out of memory, the visit's fonts stay in cairo's cache");
}

struct thumbs_renderer *thumbs_renderer_start(struct thumbs *store, void (*wake)(void *ctx),
					      void *ctx)
{
	struct thumbs_renderer *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->store = store;
	r->wake = wake;
	r->ctx = ctx;
	r->worker = worker_create("adm-thumbs");
	if (!r->worker) {
		free(r);
		return NULL;
	}
	return r;
}

void thumbs_renderer_stop(struct thumbs_renderer *r)
{
	if (!r)
		return;
	worker_destroy(r->worker);
	free(r);
}

void thumbs_renderer_submit(struct thumbs_renderer *r, const char *key, const void *pdf, size_t len)
{
	if (!r || thumbs_has(r->store, key))
		return;
	struct job *j = malloc(sizeof(*j) + len);
	if (!j)
		return;
	snprintf(j->key, sizeof(j->key), "%s", key);
	j->generation = thumbs_generation(r->store);
	j->len = len;
	memcpy(j->pdf, pdf, len);
	if (!worker_submit(r->worker, job_render, r, j, sizeof(*j) + len))
		log_warn("thumbnail: out of memory, the list shows a placeholder");
	explicit_bzero(j->pdf, len); /* worker_submit copied it */
	free(j);
}
