/*
 * How a frame reaches the screen: the kiosk draws the rectangles that changed onto a
 * surface holding the frame on screen, then presents just those rectangles.
 *
 * On x11 and offscreen that surface is SDL's window framebuffer (XShm on X11). SDL 2.26 has
 * no software framebuffer on Wayland: its window surface there is a GL texture redrawn
 * whole for every update, and with acceleration off there is none at all. So on Wayland
 * (unless [display] accelerated = on) the kiosk hands the compositor shared-memory buffers
 * of its own, on SDL's wl_surface, and damages only the rectangles that changed
 * (present_wayland.c). UI thread only.
 */
#ifndef ADM_PRESENT_H
#define ADM_PRESENT_H

#include "config.h"

#include <SDL.h>
#include <stdbool.h>

struct present;

/* SDL hints for the video driver in use; before the window is created. */
void present_hints(const char *driver, enum config_accel accel);

/* The way to present on win, NULL (logged) if there is none. */
struct present *present_open(SDL_Window *win, const char *driver, enum config_accel accel);

/*
 * The surface to draw the next frame on, of the window's size in pixels, holding the frame
 * on screen; NULL (logged) if there is none now. *fresh is set when its content is not
 * the frame on screen (a first frame, a new size): then everything must be drawn.
 */
SDL_Surface *present_begin(struct present *p, bool *fresh);

/* Shows the rectangles of the surface from present_begin that changed. */
bool present_end(struct present *p, const SDL_Rect *rects, int n);

/* The frame on screen, for screenshots; NULL before the first. */
SDL_Surface *present_shown(struct present *p);

void present_close(struct present *p);

/* The Wayland way (present_wayland.c), behind the functions above. */
struct present_wl;
struct present_wl *present_wl_open(SDL_Window *win);
SDL_Surface *present_wl_begin(struct present_wl *w, bool *fresh);
bool present_wl_end(struct present_wl *w, const SDL_Rect *rects, int n);
SDL_Surface *present_wl_shown(struct present_wl *w);
void present_wl_close(struct present_wl *w);

#endif
