/*
 * Content bundles for the screenshot scenarios: synthetic manifests (no real person, no
 * real office) parsed by the kiosk's own parser, and a banner drawn with cairo without
 * text, so its pixels do not depend on the system's fonts. The scenarios' clock is
 * Monday 17 August 2026, 09:41:07 WIB (scenarios.c).
 */
#include "scenario_content.h"

#include "content_load.h"
#include "synth_image.h"

#include <stdio.h>
#include <string.h>

#define HEAD                                                                                       \
	"{\"format\": 1, \"publisher\": \"dukcapil-3201\", \"version\": 4,"                        \
	" \"created\": \"2026-08-01T00:00:00Z\", \"expires\": \"2026-09-30T00:00:00Z\","           \
	" \"scope\": {\"regions\": [\"32.01\"], \"kiosks\": []},"                                  \
	" \"files\": [{\"name\": \"banner-kia.png\", \"sha256\": "                                 \
	"\"5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a\","                    \
	" \"length\": 1000, \"type\": \"png\", \"width\": 1080, \"height\": 600}],"                \
	" \"items\": ["

#define VALID "\"valid\": {\"from\": \"2026-08-01T00:00:00Z\", \"until\": \"2026-09-30T00:00:00Z\"}"

#define BANNER                                                                                     \
	"{\"id\": \"banner-kia\", \"kind\": \"banner\", \"file\": \"banner-kia.png\", " VALID ","  \
	" \"alt\": {\"id\": \"KIA untuk anak\", \"en\": \"Child ID cards\"}},"

#define ANNOUNCEMENTS                                                                              \
	"{\"id\": \"ann-kia\", \"kind\": \"announcement\", " VALID ","                             \
	" \"title\": {\"id\": \"Kini KIA bisa dicetak di anjungan\","                              \
	" \"en\": \"Child ID cards (KIA) now print here\"},"                                       \
	" \"text\": {\"id\": \"Tempelkan KTP-el orang tua, pilih KIA anak, lalu masukkan PIN.\","  \
	" \"en\": \"Tap a parent's KTP-el, choose the child's KIA, then enter the PIN.\"}},"       \
	"{\"id\": \"ann-pagi\", \"kind\": \"announcement\", " VALID ","                            \
	" \"hours\": {\"from\": \"06:00\", \"until\": \"12:00\"},"                                 \
	" \"title\": {\"id\": \"Antrean loket pagi lebih pendek\","                                \
	" \"en\": \"Shorter queues at the counters in the morning\"},"                             \
	" \"text\": {\"id\": \"Datang sebelum pukul 10.00 untuk layanan yang tidak bisa di "       \
	"anjungan.\", \"en\": \"Come before 10:00 for services this kiosk cannot give.\"}},"

#define HOURS                                                                                      \
	"{\"id\": \"jam-layanan\", \"kind\": \"hours\", \"week\": {"                               \
	"\"mon\": [\"08:00-12:00\", \"13:00-15:30\"], \"tue\": [\"08:00-12:00\", "                 \
	"\"13:00-15:30\"],"                                                                        \
	"\"wed\": [\"08:00-12:00\", \"13:00-15:30\"], \"thu\": [\"08:00-12:00\", "                 \
	"\"13:00-15:30\"],"                                                                        \
	"\"fri\": [\"08:00-11:30\", \"13:30-15:30\"]},"                                            \
	" \"holidays\": [{\"date\": \"2026-12-25\", \"name\": {\"id\": \"Hari Raya Natal\","       \
	" \"en\": \"Christmas Day\"}}]},"

#define NOTICE                                                                                     \
	"{\"id\": \"cetak-kartu\", \"kind\": \"notice\", " VALID ","                               \
	" \"text\": {\"id\": \"Pencetakan KTP-el di anjungan ini tidak tersedia minggu ini.\","    \
	" \"en\": \"KTP-el card printing at this kiosk is unavailable this week.\"}},"

#define NOTICE2                                                                                    \
	"{\"id\": \"antre\", \"kind\": \"notice\", " VALID ","                                     \
	" \"text\": {\"id\": \"Loket KK buka lagi Senin depan.\","                                 \
	" \"en\": \"The family card counter opens again next Monday.\"}},"

#define URGENT                                                                                     \
	"{\"id\": \"tutup-banjir\", \"kind\": \"urgent\", " VALID ","                              \
	" \"title\": {\"id\": \"Kantor Disdukcapil tutup hari ini\","                              \
	" \"en\": \"The Disdukcapil office is closed today\"},"                                    \
	" \"text\": {\"id\": \"Karena banjir, semua loket tutup. Anjungan ini tetap melayani "     \
	"cetak dokumen.\", \"en\": \"All counters are closed by flooding. This kiosk still "       \
	"prints your documents.\"}},"

#define OFFICES                                                                                    \
	"{\"id\": \"kantor-kabupaten\", \"kind\": \"office\", \"name\": \"Disdukcapil Kabupaten "  \
	"Contoh\", \"address\": \"Jl. Contoh Raya No. 12, Kecamatan Contoh, Kabupaten Contoh "     \
	"16900\", \"handles\": [\"ktp-el\", \"kk\", \"kia\", \"akta-kelahiran\", "                 \
	"\"pindah-datang\"], \"week\": {\"mon\": [\"08:00-15:00\"], \"tue\": [\"08:00-15:00\"],"   \
	" \"wed\": [\"08:00-15:00\"], \"thu\": [\"08:00-15:00\"], \"fri\": [\"08:00-14:00\"]}},"   \
	"{\"id\": \"mpp-kota\", \"kind\": \"office\", \"name\": \"Mal Pelayanan Publik Kota "      \
	"Contoh, gerai Dinas Kependudukan dan Pencatatan Sipil\", \"address\": \"Gedung Serba "    \
	"Guna lantai 2, Jl. Percontohan Panjang Sekali No. 123, Kelurahan Contoh Tengah, "         \
	"Kecamatan Contoh Utara, Kota Contoh, Provinsi Contoh 16123\", \"handles\": [\"ktp-el\", " \
	"\"kk\", \"akta-kelahiran\", \"akta-kematian\", \"akta-perkawinan\", \"pindah-datang\"],"  \
	" \"week\": {\"mon\": [\"08:00-12:00\", \"13:00-16:00\"], \"sat\": [\"09:00-12:00\"]}},"   \
	"{\"id\": \"kecamatan\", \"kind\": \"office\", \"name\": \"Kantor Kecamatan Contoh "       \
	"Selatan\", \"address\": \"Jl. Pelayanan No. 3\", \"handles\": [\"kk\", \"kia\"]},"

/* The JSON ends with an item that is never visible, so each list above can end in a
 * comma: a notice from last year. */
#define TAIL                                                                                       \
	"{\"id\": \"lama\", \"kind\": \"notice\", \"valid\": {\"from\": \"2025-01-01T00:00:00Z\"," \
	" \"until\": \"2025-02-01T00:00:00Z\"}, \"text\": {\"id\": \"Lama\", \"en\": \"Old\"}}]}"

static const struct {
	const char *scenario, *json;
} bundles[] = {
	{ "attract-content", HEAD BANNER ANNOUNCEMENTS HOURS NOTICE OFFICES TAIL },
	{ "attract-urgent", HEAD BANNER ANNOUNCEMENTS HOURS NOTICE URGENT OFFICES TAIL },
	{ "attract-content-hint", HEAD BANNER ANNOUNCEMENTS HOURS NOTICE OFFICES TAIL },
	{ "attract-content-a4-down", HEAD BANNER ANNOUNCEMENTS HOURS NOTICE NOTICE2 OFFICES TAIL },
	{ "attract-content-crowded", HEAD BANNER ANNOUNCEMENTS HOURS NOTICE NOTICE2 OFFICES TAIL },
	{ "attract-urgent-crowded", HEAD BANNER ANNOUNCEMENTS HOURS NOTICE URGENT OFFICES TAIL },
	{ "nothing-ready-offices", HEAD BANNER ANNOUNCEMENTS HOURS OFFICES TAIL },
};

const char *scenario_content_json(const char *scenario)
{
	for (size_t i = 0; i < sizeof(bundles) / sizeof(bundles[0]); i++)
		if (strcmp(bundles[i].scenario, scenario) == 0)
			return bundles[i].json;
	return NULL;
}

SDL_Surface *scenario_content_banner(int w, int h)
{
	cairo_surface_t *c = synth_banner(w, h, 0.3, NULL);
	SDL_Surface *view = SDL_CreateRGBSurfaceWithFormatFrom(
	    cairo_image_surface_get_data(c), w, h, 32, cairo_image_surface_get_stride(c),
	    SDL_PIXELFORMAT_ARGB8888);
	SDL_Surface *s = view ? SDL_ConvertSurfaceFormat(view, SDL_PIXELFORMAT_ARGB8888, 0) : NULL;
	SDL_FreeSurface(view);
	cairo_surface_destroy(c);
	return s;
}

struct content_view *scenario_content_view(const char *json, int64_t created_shift)
{
	struct content_manifest *m;
	char reason[CONTENT_REASON_MAX];

	if (!json || content_manifest_parse(json, strlen(json), &m, reason, sizeof(reason)) < 0) {
		if (json)
			fprintf(stderr, "scenario content: %s\n", reason);
		return NULL;
	}
	m->created += created_shift;
	SDL_Surface *images[CONTENT_FILES_MAX] = { 0 };
	for (size_t i = 0; i < m->nfiles && i < CONTENT_FILES_MAX; i++)
		images[i] =
		    scenario_content_banner((int)m->files[i].width, (int)m->files[i].height);
	return content_view_create(m, m->created, content_load_free_manifest, m, images, 7 * 3600);
}

struct content_view *scenario_content(const struct scenario *s)
{
	return scenario_content_view(scenario_content_json(s->base), 0);
}
