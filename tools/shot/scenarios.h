/*
 * Named screens for the screenshot harness: each scenario drives the real flow core with
 * events from a fresh start to one state, with synthetic data and a fixed clock, so the
 * same scenario always draws the same pixels.
 */
#ifndef ADM_SCENARIOS_H
#define ADM_SCENARIOS_H

#include "flow.h"
#include "view.h"

#include <stdbool.h>

struct scenario {
	const char *name;
	const char *base; /* the name without "-large": what content the screen has */
	void (*drive)(struct flow *f);
	bool all_sizes;	 /* referenced at 1366x768 too, not only landscape and portrait */
	bool accessible; /* in the accessible mode, turned on first */
};

extern const struct scenario scenarios[];
extern const int n_scenarios;

struct screen_size {
	int w, h;
};
extern const struct screen_size screen_sizes[];
extern const int n_screen_sizes;

const struct scenario *scenario_find(const char *name);
/* Whether tests/ui-ref holds the scenario at screen_sizes[k]: every scenario at 1920x1080
 * and 1080x1920 (a kiosk stands either way), all_sizes ones at 1366x768 too. */
bool scenario_referenced(const struct scenario *s, int k);
/* Runs the scenario into f, and fills ctx with the fixed clock and kiosk facts. */
void scenario_run(const struct scenario *s, struct flow *f, struct view_ctx *ctx);

#endif
