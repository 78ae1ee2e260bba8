/*
 * adm-kiosk's main loop.
 *
 * DESIGN. One UI thread owns SDL, the flow and the views. It sleeps until something
 * happens: input, an event posted by a worker thread (app_post), a signal, the next
 * second of the clock, or the flow's next deadline. Then it feeds the flow, carries out
 * the effects, builds the view of the new state and repaints only the rectangles that
 * differ from the last frame, presenting just those. Nothing polls.
 *
 * Waiting: with a windowing system (x11, wayland) SDL_WaitEventTimeout really sleeps.
 * The offscreen and dummy drivers have no such wait (SDL would poll every millisecond),
 * and no input either, so there the loop sleeps in poll(2) on an eventfd that app_post
 * and the signal handler write to.
 *
 * Signals: SIGTERM and SIGINT only set a flag and write to the eventfd; the loop sees
 * the flag and unwinds normally.
 */
#include "app.h"

#include "audio.h"
#include "backend.h"
#include "clock.h"
#include "content_view.h"
#include "draw.h"
#include "i18n.h"
#include "log.h"
#include "notify.h"
#include "present.h"
#include "screen_state.h"
#include "text.h"
#include "thumbs.h"
#include "view.h"

#include <SDL.h>
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_DIRTY 16

struct app {
	const struct kiosk_config *cfg;
	const struct app_options *opt;
	SDL_Window *win;
	struct present *present; /* where frames go (present.h) */
	Uint32 post_type;	 /* SDL user event carrying a struct flow_event */
	Uint32 content_type;	 /* SDL user event carrying nothing: new content (app_content) */
	int wake_fd;
	bool own_wait;
	struct flow flow;
	struct text *text;
	float text_unit;
	struct view *views; /* two: the frame on screen and the one being built */
	int cur;
	bool have_frame;
	int pressed;	  /* widget under a finger, -1 none */
	unsigned touches; /* touches ended so far (admctl screen: a test knows it was handled) */
	int64_t next_shot_ms;
	int shot_seq;
	bool first_frame_done;
	const struct backend_ops *be; /* loaded after the first frame (backend.h) */
	struct backend *backend;
	atomic_uint service;  /* SVC_* bits, set from any thread */
	struct health health; /* refreshed once a second (health_update) */
	/* The content bundle on screen, and the next one handed over by the backend's
	 * worker (app_content), taken by the UI thread before it builds a frame. */
	struct content_view *content;
	pthread_mutex_t content_lock;
	struct content_view *content_next;
	bool content_changed;
	int64_t health_next_ms;
	struct notify notify;	  /* systemd: ready, watchdog, stopping (notify.h) */
	struct audio *audio;	  /* the spoken prompts; NULL: muted or no device */
	struct guide_mark spoken; /* what the last prompt followed (guide.h) */
	struct thumbs *thumbs;	  /* the documents' first pages (thumbs.h) */
	/* what touches hit, for admctl screen (screen_state.h) */
	struct screen_share screen;
	bool staff_called; /* the flow's, as the health last took it (staff_call) */
};

static volatile sig_atomic_t quit_signal;
static int signal_wake_fd = -1;

static void on_signal(int sig)
{
	uint64_t one = 1;
	quit_signal = sig;
	if (signal_wake_fd >= 0) {
		ssize_t ignored = write(signal_wake_fd, &one, sizeof(one));
		(void)ignored;
	}
}

static void install_signals(int wake_fd)
{
	struct sigaction sa;

	signal_wake_fd = wake_fd;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

void app_post(struct app *app, const struct flow_event *ev)
{
	SDL_Event e;
	struct flow_event *copy = malloc(sizeof(*copy));
	uint64_t one = 1;

	if (!copy) {
		log_error("out of memory: event %d lost", ev->type);
		return;
	}
	*copy = *ev;
	memset(&e, 0, sizeof(e));
	e.type = app->post_type;
	e.user.data1 = copy;
	if (SDL_PushEvent(&e) != 1) {
		log_error("event queue full: event %d lost", ev->type);
		free(copy);
		return;
	}
	if (app->own_wait) {
		ssize_t ignored = write(app->wake_fd, &one, sizeof(one));
		(void)ignored;
	}
}

void app_content(struct app *app, struct content_view *cv)
{
	struct content_view *drop = NULL;
	uint64_t one = 1;

	pthread_mutex_lock(&app->content_lock);
	drop = app->content_next; /* a view never shown: replaced by a newer one */
	app->content_next = cv;
	app->content_changed = true;
	pthread_mutex_unlock(&app->content_lock);
	content_view_destroy(drop);
	/* wake the UI thread: an event of its own type, which carries nothing */
	SDL_Event e;
	memset(&e, 0, sizeof(e));
	e.type = app->content_type;
	SDL_PushEvent(&e);
	if (app->own_wait) {
		ssize_t ignored = write(app->wake_fd, &one, sizeof(one));
		(void)ignored;
	}
}

/* UI thread, before a frame: the content handed over since the last one goes on screen. */
static void content_take(struct app *app)
{
	struct content_view *old = NULL;

	pthread_mutex_lock(&app->content_lock);
	if (app->content_changed) {
		old = app->content;
		app->content = app->content_next;
		app->content_next = NULL;
		app->content_changed = false;
	}
	pthread_mutex_unlock(&app->content_lock);
	if (old != app->content) {
		content_view_destroy(old);
		/* The last frame's widgets point into the old view (texts, scaled banners): a
		 * new view allocated at the same addresses would compare equal and never be
		 * drawn, so a switch repaints everything. */
		app->have_frame = false;
	}
}

void app_screen(struct app *app, struct screen_state *out)
{
	screen_share_get(&app->screen, out);
}

struct thumbs *app_thumbs(struct app *app)
{
	return app->thumbs;
}

void app_service(struct app *app, unsigned bit, bool on)
{
	unsigned now = on ? atomic_fetch_or(&app->service, bit) | bit
			  : atomic_fetch_and(&app->service, ~bit) & ~bit;
	struct flow_event ev = flow_ev(EV_SERVICE, 0);
	ev.service = now;
	app_post(app, &ev);
}

void app_service_message(struct app *app, const char *msg)
{
	struct flow_event ev = flow_ev(EV_SERVICE_MESSAGE, 0);
	snprintf(ev.message, sizeof(ev.message), "%s", msg);
	app_post(app, &ev);
}

/* ---- effects ----------------------------------------------------------------------- */

static void feed(struct app *app, const struct flow_event *ev);

static void carry_out(struct app *app, const struct flow_effect *fx)
{
	/* The cache and printing effects go to the backend; the rest ends here. */
	if (fx->type == FX_REFILL || fx->type == FX_SETTLE)
		app->health_next_ms = 0; /* on the screen and in the cache at once */
	if (fx->type == FX_WIPE_SESSION) {
		text_forget(app->text);	  /* the name it rendered, "Halo, ..." */
		thumbs_wipe(app->thumbs); /* the documents' pages */
		/* What the visit's screens and jobs freed goes back to the system, or the
		 * kiosk keeps its largest visit's memory resident on the attract screen. */
		int64_t t0 = clock_mono_us();
		malloc_trim(0);
		log_debug("freed memory returned in %lld us", (long long)(clock_mono_us() - t0));
	}
	if (app->backend && app->be->carry_out(app->backend, fx))
		return;
	if (fx->type == FX_WIPE_SESSION) /* the flow wiped its copy; the shell keeps none */
		log_info("session ended, session data wiped");
}

/* A citizen's "call staff" (the help panel): into the health at once, with its time, for
 * the next heartbeat; out of it when the visit has ended and HEALTH_STAFF_CALL_S passed. */
static void staff_call(struct app *app)
{
	int64_t t = (int64_t)time(NULL);
	bool called = app->flow.staff_called;

	if (called && !app->staff_called) {
		app->health.staff_called = t;
		app->health_next_ms = 0;
		log_info("a citizen called the staff from the help panel");
	} else if (!called && app->health.staff_called &&
		   t >= app->health.staff_called + HEALTH_STAFF_CALL_S) {
		app->health.staff_called = 0;
		app->health_next_ms = 0;
	}
	app->staff_called = called;
}

/* What a step sounds like: a digit the keypad took its tone, Delete that took one back
 * its own (a PIN as tones, never its digits); the volume level the flow has now, which a
 * visit's end puts back to [audio] volume. */
static void step_sounds(struct app *app, const struct flow_event *ev, enum flow_state before,
			int typed, int level)
{
	int len = app->flow.s.entry_len;
	if (ev->type == EV_ACTION && app->flow.state == before && len != typed)
		audio_tone(app->audio, len > typed ? AUDIO_TONE_KEY : AUDIO_TONE_ERASE);
	if (flow_volume_level(&app->flow) != level) {
		audio_level(app->audio, flow_volume_level(&app->flow));
		log_info("volume level %d of %d", flow_volume_level(&app->flow) + 1,
			 FLOW_VOLUME_LEVELS);
	}
}

static void feed(struct app *app, const struct flow_event *ev)
{
	struct flow_effects fx;
	enum flow_state before = app->flow.state;
	bool fault_before = app->flow.s.print_fault;
	int typed = app->flow.s.entry_len, level = flow_volume_level(&app->flow);

	flow_step(&app->flow, ev, &fx);
	step_sounds(app, ev, before, typed, level);
	if (app->flow.s.print_fault != fault_before) /* the printer's words: no personal data */
		log_info("printing: %s", app->flow.s.print_fault ? app->flow.s.message_en
								 : "the printer's fault cleared");
	if (app->flow.state != before)
		log_info("%s -> %s", flow_state_name(before), flow_state_name(app->flow.state));
	if (app->flow.state == FLOW_ERROR && before != FLOW_ERROR)
		log_info("error shown: %s", flow_error_name(app->flow.error));
	for (int i = 0; i < fx.n; i++)
		carry_out(app, &fx.fx[i]);
	sodium_memzero(&fx, sizeof(fx)); /* effects may carry a NIK or a PIN */
	staff_call(app);
}

/* ---- spoken prompts ----------------------------------------------------------------- */

/* What the screen shown says now (guide_now): the help panel's prompt spells the kiosk's
 * id and says whether a staff place is configured, never the place's own words. */
static void say_now(struct app *app)
{
	struct guide_kiosk k = { app->cfg->kiosk_id, app->cfg->staff_place[0] != '\0' };
	struct guide g;
	guide_now(&app->flow, &k, &g);
	audio_say(app->audio, &g);
}

/* Once a turn of the loop, before the frame is drawn: a screen with something new to say
 * says it (guide_news), replacing what still plays. */
static void speak(struct app *app)
{
	struct guide_mark now = guide_mark(&app->flow);
	bool news = guide_news(&app->spoken, &now);
	app->spoken = now;
	if (news)
		say_now(app);
}

static void audio_start(struct app *app)
{
	char pack[600];
	struct audio_settings s = { .volume = app->cfg->audio_volume,
				    .mute = app->cfg->audio_mute != 0,
				    .device = app->cfg->audio_device };
	if (s.mute)
		log_info("spoken prompts muted ([audio] mute)");
	else if (!audio_find_pack(app->cfg->assets_dir, pack, sizeof(pack)))
		log_error("no spoken prompts: prompts.pack not found");
	else
		app->audio = audio_open(pack, &s);
}

/* ---- drawing ------------------------------------------------------------------------ */

static void save_screenshot(struct app *app, SDL_Surface *surf)
{
	char path[600], latest[600];

	snprintf(path, sizeof(path), "%s/screen-%04d.png", app->opt->screenshot_dir,
		 app->shot_seq++ % 1000);
	snprintf(latest, sizeof(latest), "%s/latest.png", app->opt->screenshot_dir);
	if (!surf || !app->be || !app->be->save_png(surf, path))
		return;
	unlink(latest);
	if (link(path, latest) != 0)
		app->be->save_png(surf, latest);
	log_info("screenshot written to %s", path);
}

/* An office asked for a picture of the screen and adm-syncd left the marker: the screen
 * goes to the file by rename (adm-syncd never reads half of one), then the marker goes.
 * One access() a turn of the loop, which turns at least once a second (the clock). */
static void office_screenshot(struct app *app)
{
	const char *path = app->opt->office_screenshot;
	char marker[600], part[600];
	if (!path || !app->be)
		return;
	snprintf(marker, sizeof(marker), "%s.request", path);
	if (access(marker, F_OK) != 0)
		return;
	snprintf(part, sizeof(part), "%s.part", path);
	SDL_Surface *shown = present_shown(app->present);
	if (shown && app->be->save_png(shown, part) && rename(part, path) == 0)
		log_info("screenshot for the office written to %s", path);
	else
		unlink(part);
	unlink(marker);
}

/* The screens' catalogues (i18n.h): before any thread starts, as it unsets LANGUAGE. */
static void start_languages(const struct kiosk_config *cfg)
{
	char assets[512], dir[700];
	bool found = text_find_assets(cfg->assets_dir, assets, sizeof(assets));

	if (i18n_find_dir(found ? assets : NULL, dir, sizeof(dir))) {
		if (i18n_init(dir, cfg->second_language))
			log_info("screen texts from the catalogues in %s: id, then %s", dir,
				 i18n_second_language());
	} else
		log_warn("no catalogues found: the screens show their built-in texts");
}

static void render(struct app *app)
{
	bool fresh;
	SDL_Surface *surf = present_begin(app->present, &fresh);
	struct view *old = &app->views[app->cur], *cur = &app->views[!app->cur];
	struct view_ctx ctx;
	SDL_Rect dirty[MAX_DIRTY];
	time_t now = time(NULL);
	int n;

	if (!surf)
		return;
	if (fresh)
		app->have_frame = false;
	float unit = (float)(surf->w < surf->h ? surf->w : surf->h) / 100.0f;
	if (!app->text || app->text_unit != unit) {
		char assets[512];
		text_destroy(app->text);
		app->text = NULL;
		app->have_frame = false;
		if (!text_find_assets(app->cfg->assets_dir, assets, sizeof(assets))) {
			log_error("no fonts found (set [display] assets)");
			return;
		}
		app->text = text_create(assets, unit);
		app->text_unit = unit;
		thumbs_set_unit(app->thumbs, unit);
		if (!app->text)
			return;
	}

	ctx.kiosk_id = app->cfg->kiosk_id;
	ctx.location = app->cfg->location;
	ctx.office = app->cfg->office;
	ctx.staff_place = app->cfg->staff_place;
	ctx.muted = app->cfg->audio_mute != 0;
	ctx.health = app->flow.state == FLOW_TECHNICIAN ? &app->health : NULL;
	ctx.content = app->content;
	ctx.thumbs = app->thumbs;
	ctx.now = now;
	localtime_r(&now, &ctx.wall);
	view_build(cur, surf->w, surf->h, &app->flow, &ctx, app->text);
	if (app->pressed >= 0 && app->pressed < cur->n)
		cur->items[app->pressed].pressed = true;

	n = view_diff(app->have_frame ? old : NULL, cur, dirty, MAX_DIRTY);
	/* unchanged (n == 0), the frame on screen is this one: touches hit it either way */
	screen_share_publish(&app->screen, &app->flow, cur, n > 0, app->touches);
	if (n == 0)
		return;
	int64_t t0 = clock_mono_us();
	for (int i = 0; i < n; i++)
		draw_view(surf, cur, app->text, &dirty[i]);
	int64_t t1 = clock_mono_us();
	if (!present_end(app->present, dirty, n))
		log_error("frame not presented: %s", SDL_GetError());
	log_debug("frame: %d rectangle(s), first %dx%d; drawn in %lld us, presented in %lld us", n,
		  dirty[0].w, dirty[0].h, (long long)(t1 - t0), (long long)(clock_mono_us() - t1));
	app->cur = !app->cur;
	app->have_frame = true;

	if (!app->first_frame_done) {
		app->first_frame_done = true;
		log_info("first frame presented %.1f ms after start",
			 (double)(clock_mono_us() - app->opt->started_us) / 1000.0);
		notify_ready();
		if (app->opt->ready_fd >= 0) {
			ssize_t ignored = write(app->opt->ready_fd, "ready\n", 6);
			(void)ignored;
			close(app->opt->ready_fd);
		}
	}
}

/* ---- input -------------------------------------------------------------------------- */

static void press(struct app *app, int x, int y)
{
	const struct view *v = &app->views[app->cur];
	struct flow_event ev = flow_ev_action(ACT_NONE, 0, clock_mono_ms());

	app->pressed = app->have_frame ? view_hit(v, x, y) : -1;
	feed(app, &ev); /* a touch anywhere keeps the session alive */
}

static void release(struct app *app, int x, int y)
{
	const struct view *v = &app->views[app->cur];
	int hit = app->have_frame ? view_hit(v, x, y) : -1;
	int pressed = app->pressed;

	app->pressed = -1;
	app->touches++;
	if (hit < 0 || hit != pressed)
		return;
	const struct widget *wd = &v->items[hit];
	struct flow_event ev = flow_ev_action(wd->action, wd->arg, clock_mono_ms());
	feed(app, &ev);
	/* the volume button: a chime at the new level, then the prompt again at it, from its
	 * start (the citizen judges the level on the words they came to hear) */
	if (wd->action == ACT_VOLUME)
		audio_tone(app->audio, AUDIO_TONE_LEVEL);
	bool again = wd->action == ACT_REPEAT || wd->action == ACT_VOLUME;
	if (again && app->flow.help) /* the panel's prompt, not another */
		say_now(app);
	else if (again)
		audio_repeat(app->audio);
}

static void key(struct app *app, SDL_Keycode k)
{
	enum flow_action a = ACT_NONE;
	int arg = 0;

	if (k >= SDLK_0 && k <= SDLK_9) {
		a = ACT_DIGIT;
		arg = (int)(k - SDLK_0);
	} else if (k >= SDLK_KP_1 && k <= SDLK_KP_9) {
		a = ACT_DIGIT;
		arg = (int)(k - SDLK_KP_1) + 1;
	} else if (k == SDLK_KP_0) {
		a = ACT_DIGIT;
	} else if (k == SDLK_BACKSPACE) {
		a = ACT_ERASE;
	} else if (k == SDLK_RETURN || k == SDLK_KP_ENTER) {
		a = ACT_CONFIRM;
	} else if (k == SDLK_ESCAPE) {
		a = ACT_CANCEL;
	}
	/* On the document list a digit picks the n-th document (a keyboard stands in for
	 * touch in tests and for people who cannot use the touch screen). */
	if (a == ACT_DIGIT && app->flow.state == FLOW_DOCUMENTS && arg > 0) {
		a = ACT_SELECT_DOC;
		arg--;
	} else if (a == ACT_DIGIT && app->flow.state == FLOW_TECHNICIAN && arg >= 3 && arg <= 6) {
		/* an uncertain print: 3 / 4 on the A4 printer came out / did not, 5 / 6 a card */
		a = ACT_SETTLE;
		arg = (arg >= 5 ? 2 : 0) | (arg % 2);
	} else if (a == ACT_DIGIT && app->flow.state == FLOW_TECHNICIAN && arg > 0) {
		a = ACT_REFILL; /* 1: A4 paper, 2: cards and ribbon */
		arg--;
	}
	struct flow_event ev = flow_ev_action(a, arg, clock_mono_ms());
	feed(app, &ev);
}

static void handle(struct app *app, const SDL_Event *e)
{
	int w, h;

	if (e->type == app->post_type) {
		struct flow_event *ev = e->user.data1;
		ev->now_ms = clock_mono_ms();
		feed(app, ev);
		sodium_memzero(ev, sizeof(*ev));
		free(ev);
		return;
	}
	switch (e->type) {
	case SDL_QUIT:
		quit_signal = SIGTERM;
		break;
	case SDL_MOUSEBUTTONDOWN:
		if (e->button.button == SDL_BUTTON_LEFT)
			press(app, e->button.x, e->button.y);
		break;
	case SDL_MOUSEBUTTONUP:
		if (e->button.button == SDL_BUTTON_LEFT)
			release(app, e->button.x, e->button.y);
		break;
	case SDL_FINGERDOWN:
	case SDL_FINGERUP:
		SDL_GetWindowSize(app->win, &w, &h);
		if (e->type == SDL_FINGERDOWN)
			press(app, (int)(e->tfinger.x * (float)w), (int)(e->tfinger.y * (float)h));
		else
			release(app, (int)(e->tfinger.x * (float)w),
				(int)(e->tfinger.y * (float)h));
		break;
	case SDL_KEYDOWN:
		key(app, e->key.keysym.sym);
		break;
	case SDL_WINDOWEVENT:
		if (e->window.event == SDL_WINDOWEVENT_EXPOSED ||
		    e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
			app->have_frame = false; /* repaint everything */
		break;
	default:
		break;
	}
}

/* ---- the loop ------------------------------------------------------------------------ */

/* At most once a second: the kiosk's health, for the technician screen and (through the
 * backend) for adm-syncd's heartbeat. */
static void health_update(struct app *app)
{
	int64_t now = clock_mono_ms();

	staff_call(app);

	if (!app->backend || now < app->health_next_ms)
		return;
	app->health_next_ms = now + 1000;
	app->health.service = app->flow.service;
	app->be->health(app->backend, &app->health, app->flow.state == FLOW_TECHNICIAN, now);
}

/* Milliseconds until the wall clock's next second, so the clock ticks on time. */
static int ms_to_next_second(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return 1000 - (int)(ts.tv_nsec / 1000000) + 1;
}

static int wait_event(struct app *app, int timeout_ms, SDL_Event *e)
{
	if (!app->own_wait)
		return SDL_WaitEventTimeout(e, timeout_ms);
	if (SDL_PollEvent(e))
		return 1;
	struct pollfd p = { .fd = app->wake_fd, .events = POLLIN };
	if (poll(&p, 1, timeout_ms) > 0) {
		uint64_t count;
		ssize_t ignored = read(app->wake_fd, &count, sizeof(count));
		(void)ignored;
	}
	return SDL_PollEvent(e);
}

static int next_timeout(struct app *app)
{
	int64_t now = clock_mono_ms();
	int64_t timeout = ms_to_next_second();
	int64_t deadline = flow_deadline(&app->flow);

	if (deadline && deadline - now < timeout)
		timeout = deadline - now;
	if (app->opt->screenshot_dir && app->next_shot_ms - now < timeout)
		timeout = app->next_shot_ms - now;
	if (app->notify.period_ms && app->notify.next_ms - now < timeout)
		timeout = app->notify.next_ms - now; /* only with a watchdog: no wake-up else */
	return timeout < 0 ? 0 : (int)timeout;
}

/* [display] driver, as SDL's video driver hint (SDL_VIDEODRIVER in the environment wins). */
static void choose_driver(const struct kiosk_config *cfg)
{
	const char *name = config_driver_name(cfg->driver);

	/* SDL 2.26 tries x11 before wayland: in a cage session it would draw through
	 * Xwayland. Wayland first where there is one, x11 as before where not. */
	if (!name && getenv("WAYLAND_DISPLAY"))
		name = "wayland,x11";
	if (name)
		SDL_SetHint(SDL_HINT_VIDEODRIVER, name);
}

static SDL_Window *open_window(const struct kiosk_config *cfg, const char *driver)
{
	Uint32 flags = SDL_WINDOW_SHOWN;
	int w = cfg->window_w, h = cfg->window_h;

	present_hints(driver, cfg->accel);
	if (w == 0) {
		SDL_DisplayMode mode;
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
		if (SDL_GetDesktopDisplayMode(0, &mode) == 0) {
			w = mode.w;
			h = mode.h;
		} else {
			w = 1920;
			h = 1080;
		}
	}
	SDL_Window *win = SDL_CreateWindow("Anjungan Dukcapil Mandiri", SDL_WINDOWPOS_CENTERED,
					   SDL_WINDOWPOS_CENTERED, w, h, flags);
	if (!win)
		log_error("cannot open a %dx%d window: %s", w, h, SDL_GetError());
	else if (flags & SDL_WINDOW_FULLSCREEN_DESKTOP)
		SDL_ShowCursor(SDL_DISABLE);
	return win;
}

int app_run(const struct kiosk_config *cfg, const struct app_options *opt)
{
	struct app *app = calloc(1, sizeof(*app));
	struct flow_timeouts t;
	int status = 1;

	if (!app)
		return 1;
	app->cfg = cfg;
	app->opt = opt;
	app->pressed = -1;
	pthread_mutex_init(&app->content_lock, NULL);
	screen_share_init(&app->screen);
	app->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	app->views = calloc(2, sizeof(struct view));
	app->thumbs = thumbs_create();
	if (app->wake_fd < 0 || !app->views || !app->thumbs) {
		log_error("cannot set up the main loop: %s", strerror(errno));
		goto out;
	}
	install_signals(app->wake_fd);
	start_languages(cfg);

	/* Without a session bus, SDL's input-method and screensaver code would make libdbus
	 * fork dbus-launch to "autolaunch" one: tens of milliseconds before the first frame,
	 * and a stray daemon on a kiosk. A bus that exists is still used. */
	setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:", 0);
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0"); /* fingers are handled as fingers */
	SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
	choose_driver(cfg);
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		log_error("cannot start SDL video (driver %s): %s",
			  SDL_GetHint(SDL_HINT_VIDEODRIVER) ? SDL_GetHint(SDL_HINT_VIDEODRIVER)
							    : "auto",
			  SDL_GetError());
		goto out;
	}
	log_debug("SDL video up after %.1f ms",
		  (double)(clock_mono_us() - opt->started_us) / 1000.0);
	const char *driver = SDL_GetCurrentVideoDriver();
	app->own_wait = strcmp(driver, "offscreen") == 0 || strcmp(driver, "dummy") == 0;
	app->post_type = SDL_RegisterEvents(1);
	app->content_type = SDL_RegisterEvents(1);
	app->win = open_window(cfg, driver);
	if (!app->win)
		goto out_sdl;
	app->present = present_open(app->win, driver, cfg->accel);
	if (!app->present)
		goto out_win;
	log_debug("window open after %.1f ms",
		  (double)(clock_mono_us() - opt->started_us) / 1000.0);

	t.idle_ms = cfg->idle_s * 1000;
	t.warn_ms = cfg->warn_s * 1000;
	t.read_ms = cfg->read_s * 1000;
	t.result_ms = cfg->result_s * 1000;
	t.technician_ms = cfg->technician_s * 1000;
	flow_init(&app->flow, &t, clock_mono_ms());
	app->next_shot_ms = clock_mono_ms() + 1000;
	notify_init(&app->notify, clock_mono_ms());

	render(app);
	if (!app->text)
		goto out_win;
	log_info("running on the %s video driver, %s", driver,
		 app->own_wait ? "sleeping in poll(2)" : "sleeping in SDL_WaitEventTimeout");
	/* Devices, printers and the cache start after the first frame: neither loading their
	 * libraries nor opening them may delay it. */
	app->be = backend_load();
	if (app->be) {
		app->backend = app->be->start(app, cfg);
		if (!app->backend)
			goto out_win;
	} else {
		app_service(app, SVC_MAINTENANCE, true);
	}
	audio_start(app); /* after the first frame too: reading the pack may take a moment */
	app->spoken.state = FLOW_STATE_COUNT; /* the first screen speaks */

	while (!quit_signal) {
		SDL_Event e;
		if (wait_event(app, next_timeout(app), &e)) {
			handle(app, &e);
			while (!quit_signal && SDL_PollEvent(&e))
				handle(app, &e);
		}
		if (quit_signal)
			break;
		struct flow_event tick = flow_ev(EV_TICK, clock_mono_ms());
		feed(app, &tick);
		health_update(app);
		content_take(app);
		speak(app);
		render(app);
		if (opt->screenshot_dir && clock_mono_ms() >= app->next_shot_ms) {
			save_screenshot(app, present_shown(app->present));
			app->next_shot_ms = clock_mono_ms() + opt->screenshot_every_s * 1000;
		}
		office_screenshot(app);
		/* from this loop only: a UI thread stuck anywhere stops the pings */
		notify_watchdog(&app->notify, clock_mono_ms());
	}
	log_info("stopping (%s)", quit_signal == SIGINT ? "SIGINT" : "SIGTERM");
	notify_stopping();
	status = 0;
	/* the last state for the heartbeat: the backend's worker stores it before it stops */
	app->health_next_ms = 0;
	health_update(app);

	if (app->backend)
		app->be->stop(app->backend);
	app->backend = NULL;
	app_content(app, NULL); /* nothing posts content once the backend stopped */
	content_take(app);
	/* Whatever a citizen left on screen goes with the process. */
	sodium_memzero(&app->flow.s, sizeof(app->flow.s));
	SDL_Event e;
	while (SDL_PollEvent(&e)) /* free events still carrying worker data */
		if (e.type == app->post_type)
			free(e.user.data1);
out_win:
	if (app->backend)
		app->be->stop(app->backend);
	audio_close(app->audio);
	text_destroy(app->text);
	present_close(app->present);
	SDL_DestroyWindow(app->win);
out_sdl:
	SDL_Quit();
out:
	signal_wake_fd = -1;
	if (app->wake_fd >= 0)
		close(app->wake_fd);
	free(app->views);
	thumbs_destroy(app->thumbs); /* after the backend: its renderer has stopped */
	screen_share_destroy(&app->screen);
	free(app);
	return status;
}
