/*
 * The shell around the flow core: owns the window, turns SDL input, signals and worker
 * events into flow events, carries out the flow's effects and repaints what changed.
 */
#ifndef ADM_APP_H
#define ADM_APP_H

#include "config.h"
#include "flow.h"

struct app_options {
	const char *screenshot_dir; /* write a PNG there every screenshot_every_s */
	int screenshot_every_s;
	/* an office's screenshot (docs/sync-protocol.md, section 6): when adm-syncd leaves
	 * office_screenshot.request, the screen is written to office_screenshot */
	const char *office_screenshot;
	int ready_fd;	    /* >= 0: write "ready\n" there after the first frame */
	int64_t started_us; /* process start, for the first-frame log line */
};

/* Runs until SIGTERM, SIGINT or the window is closed. Returns the exit status. */
int app_run(const struct kiosk_config *cfg, const struct app_options *opt);

/*
 * From any thread: hands an event to the UI thread, which feeds it to the flow.
 * The event is copied. Safe until app_run returns.
 */
struct app;
void app_post(struct app *app, const struct flow_event *ev);

/*
 * From any thread: hands a content view (content_view.h) to the UI thread, which shows it
 * from its next frame and destroys the one it replaces; NULL takes the content away. The
 * app owns cv from here.
 */
struct content_view;
void app_content(struct app *app, struct content_view *cv);

/* The document thumbnails' store (ui/thumbs.h): the backend's renderer puts them in, the
 * screens draw them, the end of a visit wipes them. */
struct thumbs;
struct thumbs *app_thumbs(struct app *app);

/* From any thread: sets or clears one SVC_* fault; the flow gets the merged set. */
void app_service(struct app *app, unsigned bit, bool on);

/* From any thread: the technician's words on the out-of-service screen while SVC_MAINTENANCE
 * holds ("" for none). Post it before setting the bit: events arrive in order. */
void app_service_message(struct app *app, const char *msg);

/* From any thread: the screen as a touch sees it now (screen_state.h). */
struct screen_state;
void app_screen(struct app *app, struct screen_state *out);

#endif
