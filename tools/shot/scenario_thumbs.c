/*
 * Thumbnails for the screenshot scenarios: each listed document's PDF as adm-central
 * draws it (central/pdf.c, synthetic data), its first page rendered by thumbs_render(),
 * the same code the kiosk runs on its thumbnail thread.
 */
#include "scenario_thumbs.h"

#include "central.h"
#include "thumbs_render.h"

#include <stdlib.h>
#include <string.h>

struct thumbs *scenario_thumbs(const struct scenario *s, const struct flow *f, float unit)
{
	if (f->state != FLOW_DOCUMENTS || strcmp(s->base, "documents") == 0)
		return NULL;
	struct thumbs *t = thumbs_create();
	if (!t)
		return NULL;
	thumbs_set_unit(t, unit);
	for (int i = 0; i < f->s.n_docs; i++) {
		const struct flow_doc *d = &f->s.docs[i];
		if (d->downloading || !d->blob[0])
			continue;
		/* synthetic: not a real person (docs/synthetic-data.md) */
		struct pdf_doc pd = { .title_id = d->title_id,
				      .title_en = d->title_en,
				      .nik = "3171015708900003",
				      .kk = "3171010101090001",
				      .name = "SITI RAHMAWATI",
				      .birth = "JAKARTA, 17-08-1990",
				      .region = "KOTA JAKARTA PUSAT",
				      .doc_id = d->id,
				      .card = d->card,
				      .pages = d->pages };
		size_t len = 0;
		unsigned char *pdf = pdf_render(&pd, &len);
		SDL_Surface *img = pdf ? thumbs_render(pdf, len, thumbs_box(t)) : NULL;
		if (img)
			thumbs_put(t, d->blob, img, thumbs_generation(t));
		free(pdf);
	}
	return t;
}
