#include "health.h"

#include "flow.h"

#include <jansson.h>

char *health_json(const struct health *h, int64_t updated)
{
	json_t *o = json_object(), *printers = json_array(), *faults = json_array();
	static const struct {
		unsigned bit;
		const char *name;
	} svc[] = {
		{ SVC_READER_LOST, "reader-lost" },   { SVC_PRINTERS_DOWN, "printers-down" },
		{ SVC_CACHE_BROKEN, "cache-broken" }, { SVC_MAINTENANCE, "maintenance" },
		{ SVC_QUEUES_OFF, "queues-off" },
	};
	char *out = NULL;

	if (!o || !printers || !faults)
		goto done;
	for (size_t i = 0; i < sizeof(svc) / sizeof(svc[0]); i++)
		if (h->service & svc[i].bit)
			json_array_append_new(faults, json_string(svc[i].name));
	for (int i = 0; i < h->n_printers; i++) {
		const struct health_printer *p = &h->printer[i];
		json_t *supplies = json_object();
		for (int k = 0; k < p->n_supplies; k++)
			json_object_set_new(
			    supplies, p->supply[k].name,
			    json_pack("{s:i, s:i, s:b}", "level", p->supply[k].level, "capacity",
				      p->supply[k].capacity, "low", p->supply[k].low));
		json_t *markers = json_object();
		for (int k = 0; k < p->n_markers; k++)
			json_object_set_new(markers, p->marker[k].name,
					    p->marker[k].percent >= 0
						? json_integer(p->marker[k].percent)
						: json_null());
		json_array_append_new(printers,
				      json_pack("{s:s, s:s, s:b, s:s, s:s, s:o, s:o, s:i}", "queue",
						p->queue, "media", p->card ? "card" : "a4",
						"available", p->available, "fault", p->fault,
						"detail", p->detail, "supplies", supplies,
						"markers", markers, "uncertain", p->uncertain));
	}
	json_object_set(o, "service_faults", faults);
	json_object_set_new(o, "reader",
			    json_string(!h->reader_configured ? "none"
					: h->reader_ok	      ? "ok"
							      : "lost"));
	json_object_set_new(o, "reader_watchdog", json_integer(h->reader_watchdog));
	json_object_set_new(o, "reader_crashes", json_integer(h->reader_crashes));
	json_object_set_new(o, "scanner",
			    json_string(!h->scanner_configured ? "none"
					: h->scanner_ok	       ? "ok"
							       : "lost"));
	json_object_set(o, "printers", printers);
	if (h->staff_called)
		json_object_set_new(o, "staff_called", json_integer(h->staff_called));
	if (updated)
		json_object_set_new(o, "updated", json_integer(updated));
	out = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
done:
	json_decref(o);
	json_decref(printers);
	json_decref(faults);
	return out;
}
