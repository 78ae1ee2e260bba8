/* Content bundles of the screenshot scenarios (scenario_content.c). */
#ifndef ADM_SCENARIO_CONTENT_H
#define ADM_SCENARIO_CONTENT_H

#include "content_view.h"
#include "scenarios.h"

/* The manifest JSON of a scenario with content, or NULL. */
const char *scenario_content_json(const char *scenario);
/* A synthetic banner image, w x h, ARGB8888. */
SDL_Surface *scenario_content_banner(int w, int h);
/* A view of json (its created moved by created_shift seconds), with synthetic banners;
 * NULL if json is NULL or refused (on stderr). */
struct content_view *scenario_content_view(const char *json, int64_t created_shift);
/* The scenario's content view (caller destroys), or NULL. */
struct content_view *scenario_content(const struct scenario *s);

#endif
