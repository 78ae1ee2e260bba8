/*
 * The document list's thumbnails: the first page of a PDF as adm-central draws it,
 * rendered by poppler on the renderer's own thread into the store, dropped when its visit
 * ended meanwhile, and gone (pixels zeroed) after the wipe at the end of a visit; what
 * cairo keeps of the documents' fonts given back when the renderer forgets them.
 */
#include "central.h"
#include "check.h"
#include "thumbs_render.h"

#include <malloc.h>
#include <pthread.h>
#if defined(__SANITIZE_ADDRESS__)
#define ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ASAN 1
#endif
#endif
#ifdef ASAN
#include <sanitizer/allocator_interface.h>
#endif
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_t ui;
static atomic_int woken, woken_elsewhere;

static void wake(void *ctx)
{
	(void)ctx;
	if (!pthread_equal(pthread_self(), ui))
		atomic_fetch_add(&woken_elsewhere, 1);
	atomic_fetch_add(&woken, 1);
}

static unsigned char *pages_of(size_t *len, bool card, const char *name)
{
	struct pdf_doc d = { .title_id = "KARTU KELUARGA",
			     .title_en = "Family card",
			     .nik = "3171015708900003",
			     .kk = "3171010101090001",
			     .name = name,
			     .birth = "JAKARTA, 17-08-1990",
			     .region = "KOTA JAKARTA PUSAT",
			     .doc_id = "D00000001",
			     .card = card,
			     .pages = 2 };
	return pdf_render(&d, len);
}

static unsigned char *two_pages(size_t *len, bool card)
{
	return pages_of(len, card, "SITI RAHMAWATI");
}

static void wait_woken(int n)
{
	for (int i = 0; i < 500 && atomic_load(&woken) < n; i++)
		usleep(10000);
}

/* Bytes malloc has handed out and not had back, in every arena (ASan's allocator instead
 * of glibc's in the sanitizer build). */
static long in_use(void)
{
#ifdef ASAN
	return (long)__sanitizer_get_current_allocated_bytes();
#else
	return (long)mallinfo2().uordblks;
#endif
}

/* A visit's worth of documents, each with the fonts it embeds, through the renderer. */
static void visits(struct thumbs_renderer *r, struct thumbs *store, int n)
{
	int start = atomic_load(&woken);
	for (int i = 0; i < n; i++) {
		char name[32], key[16];
		size_t len = 0;
		snprintf(name, sizeof(name), "WARGA NOMOR %02d", i);
		snprintf(key, sizeof(key), "d%d", i);
		unsigned char *pdf = pages_of(&len, i % 2, name);
		thumbs_renderer_submit(r, key, pdf, len);
		free(pdf);
	}
	wait_woken(start + n);
	thumbs_wipe(store);
}

/* How much of the image is not paper: a rendered page has ink on it. */
static double ink(SDL_Surface *s)
{
	long dark = 0;
	for (int y = 0; y < s->h; y++)
		for (int x = 0; x < s->w; x++) {
			uint32_t px = ((uint32_t *)((uint8_t *)s->pixels + y * s->pitch))[x];
			dark += ((px >> 8) & 0xFF) < 0xC0;
		}
	return (double)dark / (s->w * s->h);
}

int main(void)
{
	size_t len = 0, clen = 0;
	unsigned char *pdf = two_pages(&len, false), *card = two_pages(&clen, true);
	CHECK(pdf && card, "adm-central's PDFs drawn");
	if (!pdf || !card)
		return check_done();

	SDL_Surface *s = thumbs_render(pdf, len, 119);
	CHECK(s && s->h == 119 && s->w == 84, "an A4 page fills the box's height (%dx%d)",
	      s ? s->w : 0, s ? s->h : 0);
	CHECK(s && ink(s) > 0.01 && ink(s) < 0.5, "with the page's ink on white (%.3f)",
	      s ? ink(s) : 0);
	thumbs_free_surface(s);
	s = thumbs_render(card, clen, 119);
	CHECK(s && s->w == thumbs_width(119) && s->h < s->w, "a card fills its width (%dx%d)",
	      s ? s->w : 0, s ? s->h : 0);
	thumbs_free_surface(s);
	CHECK(!thumbs_render("%PDF-1.4 broken", 15, 119), "a file poppler cannot read: none");

	ui = pthread_self();
	struct thumbs *store = thumbs_create();
	thumbs_set_unit(store, 10.8f); /* 1920x1080 */
	struct thumbs_renderer *r = thumbs_renderer_start(store, wake, NULL);
	CHECK(r != NULL, "renderer started");
	thumbs_renderer_submit(r, "a4", pdf, len);
	thumbs_renderer_submit(r, "card", card, clen);
	wait_woken(2);
	CHECK(atomic_load(&woken_elsewhere) == 2, "both rendered off the caller's thread");
	SDL_Surface *a4 = thumbs_get(store, "a4");
	CHECK(a4 && a4->h == thumbs_box_px(10.8f), "the store has it at the box's size");
	CHECK(thumbs_get(store, "card") != NULL && !thumbs_get(store, "other"), "by its key");
	thumbs_renderer_submit(r, "a4", pdf, len); /* there already: nothing to do */

	/* the visit ends while a page renders: it must not outlive the visit */
	SDL_Surface *late = thumbs_render(pdf, len, 119);
	unsigned gen = thumbs_generation(store);
	thumbs_wipe(store);
	CHECK(!thumbs_get(store, "a4") && !thumbs_get(store, "card"), "wiped at the visit's end");
	CHECK(!thumbs_put(store, "late", late, gen), "a page of the ended visit is dropped");
	CHECK(!thumbs_get(store, "late"), "and not kept");

	/* cairo keeps the fonts of the documents it drew after poppler is done with them, with
	 * their glyphs; forgetting them gives that back, once poppler's own state is there */
	thumbs_renderer_forget(r);
	visits(r, store, 2);
	thumbs_renderer_forget(r);
	int n = atomic_load(&woken);
	thumbs_renderer_submit(r, "sync", pdf, len); /* after the forget: it has run */
	wait_woken(n + 1);
	thumbs_wipe(store);
	long base = in_use();
	visits(r, store, 24);
	long kept = in_use() - base;
	thumbs_renderer_forget(r);
	thumbs_renderer_stop(r);
	long left = in_use() - base;
	CHECK(kept > 1024 * 1024, "24 documents' fonts kept by cairo after their wipe (%ld KiB)",
	      kept / 1024);
	CHECK(left < 512 * 1024, "given back when the renderer forgets them (%ld KiB left)",
	      left / 1024);
	r = NULL;

	thumbs_destroy(store);
	free(pdf);
	free(card);
	return check_done();
}
