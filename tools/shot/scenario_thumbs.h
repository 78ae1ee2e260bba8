/* The document list's thumbnails in the screenshot scenarios (scenario_thumbs.c). */
#ifndef ADM_SCENARIO_THUMBS_H
#define ADM_SCENARIO_THUMBS_H

#include "flow.h"
#include "scenarios.h"
#include "thumbs.h"

/* A store holding the first page of each listed document whose file is here, rendered
 * with the kiosk's renderer from the PDF adm-central draws for it, at the box of unit; the
 * plain "documents" scenarios keep their placeholders (still rendering). NULL when the
 * screen shows no list. The caller destroys it. */
struct thumbs *scenario_thumbs(const struct scenario *s, const struct flow *f, float unit);

#endif
