/*
 * The fleet page's model (fleet.h): one normalised JSON object per kiosk, from its row of
 * the kiosks table and the heartbeat it last sent. Both views (JSON and HTML) are made
 * from it, so they cannot disagree. A field of the wrong type is left out (the views say
 * "—"), a string is cut to a bounded length: a kiosk cannot make the page large or odd.
 */
#include "fleet.h"

#include <string.h>

#define TEXT_MAX     200
#define PRINTERS_MAX 8
#define SUPPLIES_MAX 8
#define FAULTS_MAX   8

/* A copy of o[key] if it is a string, cut to TEXT_MAX bytes (at a character boundary). */
static void copy_str(json_t *dst, const char *dkey, const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	if (!json_is_string(v))
		return;
	const char *s = json_string_value(v);
	size_t n = strlen(s);
	if (n > TEXT_MAX) {
		n = TEXT_MAX;
		while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	json_object_set_new(dst, dkey, json_stringn(s, n));
}

static void copy_int(json_t *dst, const char *dkey, const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	if (json_is_integer(v))
		json_object_set_new(dst, dkey, json_integer(json_integer_value(v)));
}

static void copy_bool(json_t *dst, const char *dkey, const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	if (json_is_boolean(v))
		json_object_set_new(dst, dkey, json_boolean(json_is_true(v)));
}

static json_t *printers(const json_t *list)
{
	json_t *out = json_array();
	size_t i;
	const json_t *p;
	json_array_foreach(list, i, p)
	{
		if (i >= PRINTERS_MAX)
			break;
		if (!json_is_object(p))
			continue;
		json_t *o = json_object();
		copy_str(o, "queue", p, "queue");
		copy_str(o, "media", p, "media");
		copy_bool(o, "available", p, "available");
		copy_str(o, "fault", p, "fault");
		copy_str(o, "detail", p, "detail");
		json_t *sup = json_object();
		const char *name;
		const json_t *v;
		size_t n = 0;
		json_object_foreach((json_t *)json_object_get(p, "supplies"), name, v)
		{
			if (n++ >= SUPPLIES_MAX || strlen(name) > 40 || !json_is_object(v))
				continue;
			json_t *s = json_object();
			copy_int(s, "level", v, "level");
			copy_int(s, "capacity", v, "capacity");
			copy_bool(s, "low", v, "low");
			json_object_set_new(sup, name, s);
		}
		json_object_set_new(o, "supplies", sup);
		json_array_append_new(out, o);
	}
	return out;
}

/* The heartbeat's "content" object (adm-syncd's bundle delivery): the bundle running and
 * the last one refused. Either as {"version", "publisher"} or {"active": {...}}. */
static json_t *content(const json_t *c)
{
	if (!json_is_object(c))
		return json_null();
	const json_t *active = json_object_get(c, "active");
	if (!json_is_object(active))
		active = c;
	json_t *o = json_object();
	copy_int(o, "version", active, "version");
	copy_str(o, "publisher", active, "publisher");
	const json_t *rej = json_object_get(c, "rejected");
	if (json_is_object(rej)) {
		json_t *r = json_object();
		copy_int(r, "version", rej, "version");
		copy_str(r, "publisher", rej, "publisher");
		copy_str(r, "reason", rej, "reason");
		copy_int(r, "at", rej, "at");
		json_object_set_new(o, "rejected", r);
	}
	return o;
}

static json_t *kiosk(const struct office_kiosk_row *row, int64_t now, int64_t heartbeat_s)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(row->id));
	json_object_set_new(o, "region", json_string(row->region));
	json_object_set_new(o, "last_heartbeat",
			    row->last_heartbeat ? json_integer(row->last_heartbeat) : json_null());
	json_object_set_new(
	    o, "overdue",
	    json_boolean(!row->last_heartbeat || now - row->last_heartbeat > 3 * heartbeat_s));
	json_t *h = row->health ? json_loads(row->health, 0, NULL) : NULL;
	const json_t *k = json_object_get(h, "kiosk");
	copy_str(o, "syncd", h, "version");
	copy_int(o, "documents", h, "documents");
	copy_int(o, "outbox_pending", h, "outbox_pending");
	copy_int(o, "blobs_missing", h, "blobs_missing");
	/* A heartbeat goes out after a pass that read the feed: the kiosk's data is as old
	 * as the time it says it sent it (its own clock). */
	const json_t *t = json_object_get(h, "time");
	if (json_is_integer(t))
		json_object_set_new(o, "cache_age_s", json_integer(now - json_integer_value(t)));
	copy_str(o, "reader", k, "reader");
	copy_str(o, "scanner", k, "scanner");
	/* a citizen touched "call staff" on the help panel: when */
	copy_int(o, "staff_called", k, "staff_called");
	json_t *faults = json_array();
	size_t i;
	const json_t *f;
	json_array_foreach(json_object_get(k, "service_faults"), i, f)
	{
		if (i < FAULTS_MAX && json_is_string(f) && strlen(json_string_value(f)) <= 40)
			json_array_append_new(faults, json_string(json_string_value(f)));
	}
	json_object_set_new(o, "service_faults", faults);
	json_object_set_new(o, "printers", printers(json_object_get(k, "printers")));
	json_object_set_new(o, "content", content(json_object_get(h, "content")));
	json_decref(h);
	json_t *shot = json_object();
	json_object_set_new(shot, "requested",
			    row->screenshot_requested ? json_integer(row->screenshot_requested)
						      : json_null());
	json_object_set_new(shot, "received",
			    row->screenshot_received ? json_integer(row->screenshot_received)
						     : json_null());
	if (row->screenshot_received) {
		json_object_set_new(shot, "width", json_integer(row->screenshot_width));
		json_object_set_new(shot, "height", json_integer(row->screenshot_height));
	}
	json_object_set_new(o, "screenshot", shot);
	return o;
}

struct collect {
	json_t *list;
	const char *only; /* one kiosk, or NULL */
	int64_t now, heartbeat_s;
};

static void collect(const struct office_kiosk_row *row, void *user)
{
	struct collect *c = user;
	if (!c->only || strcmp(c->only, row->id) == 0)
		json_array_append_new(c->list, kiosk(row, c->now, c->heartbeat_s));
}

json_t *fleet_model(office_store *os, const struct office_session *s, int64_t now,
		    int64_t heartbeat_s)
{
	struct collect c = { json_array(), NULL, now, heartbeat_s };
	if (office_kiosks(os, s->region, collect, &c) < 0) {
		json_decref(c.list);
		return NULL;
	}
	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:o}", "office", s->office, "name", s->name,
			 "region", s->region, "now", (json_int_t)now, "heartbeat_s",
			 (json_int_t)heartbeat_s, "kiosks", c.list);
}

json_t *fleet_model_kiosk(office_store *os, const struct office_session *s, const char *id,
			  int64_t now, int64_t heartbeat_s)
{
	struct collect c = { json_array(), id, now, heartbeat_s };
	json_t *one = NULL;
	if (office_kiosks(os, s->region, collect, &c) >= 0 && json_array_size(c.list) == 1)
		one = json_incref(json_array_get(c.list, 0));
	json_decref(c.list);
	return one;
}
