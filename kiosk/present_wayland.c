/*
 * Presenting on Wayland with shared-memory buffers of our own (see present.h for why).
 *
 * DESIGN. SDL keeps the window: its wl_surface, the xdg_toplevel, fullscreen, input. We
 * attach wl_shm buffers to that surface. A buffer the compositor holds (attached and not
 * yet released) is never written, so frames alternate between two buffers (a third only if
 * the compositor keeps both). A frame is drawn straight into a free buffer once that buffer
 * holds the frame on screen: it first copies from the buffer shown what changed since it
 * was last shown itself (its stale rectangles). Then only the changed rectangles are drawn,
 * damaged and committed, so the compositor recomposites just those. The clock's tick costs
 * two small copies and one small repaint, as on X11.
 *
 * Our protocol objects live on an event queue of our own: SDL's event loop reads the
 * display socket and dispatches its own queue; buffer releases wait on ours until the next
 * frame needs a buffer. Nothing here wakes the loop.
 */
#include "present.h"

#include "log.h"

#include <SDL_syswm.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wayland-client.h>

#define MAX_BUFFERS 3
#define MAX_STALE   16

struct buf {
	struct wl_buffer *buffer;
	void *data;
	size_t size;
	SDL_Surface *surf; /* over data */
	bool busy;	   /* the compositor holds it */
	bool all_stale;	   /* holds nothing of the frame on screen */
	int n_stale;
	SDL_Rect stale[MAX_STALE]; /* changed since this buffer was shown */
};

struct present_wl {
	SDL_Window *win;
	struct wl_display *display;
	struct wl_surface *surface;
	struct wl_event_queue *queue;
	struct wl_shm *shm;
	int w, h;
	int n;
	struct buf bufs[MAX_BUFFERS];
	int drawing; /* the buffer handed out by begin, -1 none */
	int shown;   /* the buffer last committed, -1 none */
};

static void on_global(void *data, struct wl_registry *reg, uint32_t name, const char *iface,
		      uint32_t version)
{
	struct present_wl *w = data;
	if (strcmp(iface, wl_shm_interface.name) == 0 && !w->shm)
		w->shm = wl_registry_bind(reg, name, &wl_shm_interface, 1);
}

static void on_global_remove(void *data, struct wl_registry *reg, uint32_t name)
{
}

static const struct wl_registry_listener registry_listener = { on_global, on_global_remove };

static void on_release(void *data, struct wl_buffer *buffer)
{
	struct buf *b = data;
	b->busy = false;
}

static const struct wl_buffer_listener buffer_listener = { on_release };

static void buf_free(struct buf *b)
{
	if (b->buffer)
		wl_buffer_destroy(b->buffer); /* allowed while held: the storage is not reused */
	SDL_FreeSurface(b->surf);
	if (b->data)
		munmap(b->data, b->size);
	memset(b, 0, sizeof(*b));
}

static bool buf_alloc(struct present_wl *w, struct buf *b)
{
	int stride = w->w * 4;
	size_t size = (size_t)stride * (size_t)w->h;
	int fd = memfd_create("adm-kiosk-frame", MFD_CLOEXEC);

	memset(b, 0, sizeof(*b));
	if (fd < 0 || ftruncate(fd, (off_t)size) != 0) {
		log_error("cannot allocate a %dx%d frame buffer: %s", w->w, w->h, strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	b->data = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (b->data == MAP_FAILED) {
		log_error("cannot map a frame buffer: %s", strerror(errno));
		b->data = NULL;
		close(fd);
		return false;
	}
	b->size = size;
	struct wl_shm_pool *pool = wl_shm_create_pool(w->shm, fd, (int32_t)size);
	b->buffer = wl_shm_pool_create_buffer(pool, 0, w->w, w->h, stride, WL_SHM_FORMAT_XRGB8888);
	wl_shm_pool_destroy(pool);
	close(fd); /* the compositor has its own copy of the descriptor */
	wl_buffer_add_listener(b->buffer, &buffer_listener, b);
	/* wl_shm's XRGB8888 is SDL's XRGB8888: 32-bit words, little-endian */
	b->surf = SDL_CreateRGBSurfaceWithFormatFrom(b->data, w->w, w->h, 32, stride,
						     SDL_PIXELFORMAT_XRGB8888);
	if (!b->surf) {
		log_error("cannot wrap a frame buffer: %s", SDL_GetError());
		buf_free(b);
		return false;
	}
	b->all_stale = true;
	return true;
}

struct present_wl *present_wl_open(SDL_Window *win)
{
	SDL_SysWMinfo info;
	struct present_wl *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	SDL_VERSION(&info.version);
	if (!SDL_GetWindowWMInfo(win, &info) || info.subsystem != SDL_SYSWM_WAYLAND) {
		log_error("no Wayland surface for the window: %s", SDL_GetError());
		free(w);
		return NULL;
	}
	w->win = win;
	w->display = info.info.wl.display;
	w->surface = info.info.wl.surface;
	w->drawing = w->shown = -1;
	w->queue = wl_display_create_queue(w->display);
	struct wl_display *wrapped = wl_proxy_create_wrapper(w->display);
	wl_proxy_set_queue((struct wl_proxy *)wrapped, w->queue);
	struct wl_registry *reg = wl_display_get_registry(wrapped);
	wl_proxy_wrapper_destroy(wrapped);
	wl_registry_add_listener(reg, &registry_listener, w);
	wl_display_roundtrip_queue(w->display, w->queue);
	wl_registry_destroy(reg); /* wl_shm stays bound */
	if (!w->shm) {
		log_error("the Wayland compositor offers no wl_shm");
		present_wl_close(w);
		return NULL;
	}
	return w;
}

static void drop_buffers(struct present_wl *w)
{
	for (int i = 0; i < w->n; i++)
		buf_free(&w->bufs[i]);
	w->n = 0;
	w->drawing = w->shown = -1;
}

static int free_buffer(struct present_wl *w)
{
	for (int i = 0; i < w->n; i++)
		if (!w->bufs[i].busy)
			return i;
	if (w->n < MAX_BUFFERS && buf_alloc(w, &w->bufs[w->n]))
		return w->n++;
	return -1;
}

/* Brings buffer b up to the frame on screen, from the buffer shown. */
static void catch_up(struct present_wl *w, struct buf *b, bool *fresh)
{
	SDL_Surface *from = w->shown >= 0 ? w->bufs[w->shown].surf : NULL;

	*fresh = false;
	if (b->all_stale && !from) {
		*fresh = true;
	} else if (b->all_stale) {
		SDL_BlitSurface(from, NULL, b->surf, NULL);
	} else {
		for (int i = 0; i < b->n_stale; i++) {
			SDL_Rect r = b->stale[i];
			SDL_BlitSurface(from, &b->stale[i], b->surf, &r);
		}
	}
	b->all_stale = false;
	b->n_stale = 0;
}

SDL_Surface *present_wl_begin(struct present_wl *w, bool *fresh)
{
	int pw, ph;

	SDL_GetWindowSizeInPixels(w->win, &pw, &ph);
	if (pw != w->w || ph != w->h) { /* the first frame, or the compositor resized us */
		drop_buffers(w);
		w->w = pw;
		w->h = ph;
	}
	if (w->drawing >= 0) { /* the last begin presented nothing: still up to date */
		*fresh = false;
		return w->bufs[w->drawing].surf;
	}
	wl_display_dispatch_queue_pending(w->display, w->queue); /* releases */
	int i = free_buffer(w);
	if (i < 0) { /* the compositor holds every buffer: ask it where they are */
		wl_display_roundtrip_queue(w->display, w->queue);
		i = free_buffer(w);
	}
	if (i < 0) {
		log_error("no free frame buffer: the compositor holds all %d", w->n);
		return NULL;
	}
	catch_up(w, &w->bufs[i], fresh);
	w->drawing = i;
	return w->bufs[i].surf;
}

static void mark_stale(struct buf *b, const SDL_Rect *rects, int n)
{
	if (b->all_stale)
		return;
	if (b->n_stale + n > MAX_STALE) {
		b->all_stale = true; /* a whole copy, once: cheaper than tracking more */
		return;
	}
	memcpy(&b->stale[b->n_stale], rects, (size_t)n * sizeof(*rects));
	b->n_stale += n;
}

bool present_wl_end(struct present_wl *w, const SDL_Rect *rects, int n)
{
	if (w->drawing < 0)
		return false;
	struct buf *b = &w->bufs[w->drawing];
	bool by_buffer = wl_proxy_get_version((struct wl_proxy *)w->surface) >= 4;

	wl_surface_attach(w->surface, b->buffer, 0, 0);
	for (int i = 0; i < n; i++) {
		if (by_buffer)
			wl_surface_damage_buffer(w->surface, rects[i].x, rects[i].y, rects[i].w,
						 rects[i].h);
		else /* buffer scale 1 (no HiDPI flag): the same coordinates */
			wl_surface_damage(w->surface, rects[i].x, rects[i].y, rects[i].w,
					  rects[i].h);
	}
	wl_surface_commit(w->surface);
	b->busy = true;
	for (int i = 0; i < w->n; i++)
		if (i != w->drawing)
			mark_stale(&w->bufs[i], rects, n);
	w->shown = w->drawing;
	w->drawing = -1;
	if (wl_display_flush(w->display) < 0 && errno != EAGAIN) {
		log_error("the Wayland compositor went away: %s", strerror(errno));
		return false;
	}
	return true;
}

SDL_Surface *present_wl_shown(struct present_wl *w)
{
	return w->shown >= 0 ? w->bufs[w->shown].surf : NULL;
}

void present_wl_close(struct present_wl *w)
{
	if (!w)
		return;
	drop_buffers(w);
	if (w->shm)
		wl_shm_destroy(w->shm);
	if (w->queue)
		wl_event_queue_destroy(w->queue);
	free(w);
}
