/*
 * Every text the screens can show, laid out once for the catalogues (ui-assets/po): each
 * screenshot scenario at every size, and the states no scenario reaches (each error, NIK
 * reason, application stage, service fault, day and month, technician reading). The
 * lookups happen while the views are built; i18n_observe() sees them.
 */
#ifndef ADM_CATALOGUE_H
#define ADM_CATALOGUE_H

#include "view.h"

#include <stdbool.h>

/* Builds every view; each (NULL: none) gets each one with a name saying what it shows.
 * False if the fonts cannot be opened. */
bool catalogue_walk(const char *assets,
		    void (*each)(void *user, const char *name, const struct view *v), void *user);

/* Microseconds per layout of the scenario at 1920x1080 over n builds (the lookups' cost
 * beside the layout's: docs/benchmarks.md), or -1; *first_us: the first one, with cold
 * fonts and catalogues, as in the kiosk's first frame. */
double catalogue_layout_us(const char *assets, const char *scenario, int n, double *first_us);

#endif
