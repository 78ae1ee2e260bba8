/* Presenting frames (present.h): SDL's window framebuffer, or on Wayland our own buffers. */
#include "present.h"

#include "log.h"

#include <stdlib.h>
#include <string.h>

struct present {
	SDL_Window *win;
	struct present_wl *wl; /* NULL: SDL's window framebuffer */
	SDL_Surface *last;     /* the window surface of the last frame: a new one is fresh */
};

static bool is_wayland(const char *driver)
{
	return strcmp(driver, "wayland") == 0;
}

void present_hints(const char *driver, enum config_accel accel)
{
	if (is_wayland(driver)) {
		/* libdecor draws title bars a kiosk has none of, and searches plugins first */
		SDL_SetHint(SDL_HINT_VIDEO_WAYLAND_ALLOW_LIBDECOR, "0");
		/* SDL's texture framebuffer picks desktop OpenGL first, which showed nothing
		 * under cage (the window stayed black); OpenGL ES draws it */
		if (accel == ACCEL_ON)
			SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "opengles2");
	} else if (strcmp(driver, "kmsdrm") == 0) {
		/* no software framebuffer on KMS either: only SDL's texture framebuffer */
		SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "1");
	} else if (accel != ACCEL_AUTO) {
		SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, accel == ACCEL_ON ? "1" : "0");
	}
}

struct present *present_open(SDL_Window *win, const char *driver, enum config_accel accel)
{
	struct present *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->win = win;
	if (is_wayland(driver) && accel != ACCEL_ON) {
		p->wl = present_wl_open(win);
		if (!p->wl) {
			free(p);
			return NULL;
		}
	}
	return p;
}

SDL_Surface *present_begin(struct present *p, bool *fresh)
{
	if (p->wl)
		return present_wl_begin(p->wl, fresh);
	SDL_Surface *s = SDL_GetWindowSurface(p->win);
	if (!s)
		log_error("no window surface: %s", SDL_GetError());
	*fresh = s != p->last; /* SDL made a new one: a new size */
	p->last = s;
	return s;
}

bool present_end(struct present *p, const SDL_Rect *rects, int n)
{
	if (p->wl)
		return present_wl_end(p->wl, rects, n);
	return SDL_UpdateWindowSurfaceRects(p->win, rects, n) == 0;
}

SDL_Surface *present_shown(struct present *p)
{
	return p->wl ? present_wl_shown(p->wl) : p->last;
}

void present_close(struct present *p)
{
	if (!p)
		return;
	if (p->wl)
		present_wl_close(p->wl);
	free(p);
}
