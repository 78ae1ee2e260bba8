/*
 * The manifest's JSON, parsed into struct content_manifest and checked field by field.
 * It is strict for the same reason the sync protocol is: a kiosk that half-understands a
 * bundle must not show half of it. Unknown fields, wrong types, overlong or unsafe text,
 * file names that look like paths, duplicate or dangling references all refuse the whole
 * manifest with a reason naming the item. docs/content-bundles.md lists every field.
 */
#include "content_internal.h"

#include <stdlib.h>
#include <string.h>

#define TITLE_MAX    120
#define TEXT_MAX     1000
#define ADDRESS_MAX  300
#define HOLIDAYS_MAX 64

struct ctx {
	char *reason;
	size_t size;
	const char *item; /* for messages */
};

#define FAIL(c, err, ...) content_fail((c)->reason, (c)->size, (err), __VA_ARGS__)

static const char *const day_names[7] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };

/* A string field checked as text a citizen reads. */
static int get_text(struct ctx *c, json_t *o, const char *key, bool multiline, size_t max,
		    const char **out)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v))
		return FAIL(c, CONTENT_E_MANIFEST, "item %s: %s missing or not a string", c->item,
			    key);
	char why[CONTENT_REASON_MAX];
	if (json_string_length(v) == 0)
		return FAIL(c, CONTENT_E_TEXT, "item %s: %s is empty", c->item, key);
	if (content_text_check(json_string_value(v), json_string_length(v), multiline, max, why,
			       sizeof(why)) < 0)
		return FAIL(c, CONTENT_E_TEXT, "item %s: %s: %s", c->item, key, why);
	*out = json_string_value(v);
	return CONTENT_OK;
}

static int get_bilingual(struct ctx *c, json_t *o, const char *key, bool multiline, size_t max,
			 struct content_text *out)
{
	static const char *const langs[] = { "id", "en", NULL };
	json_t *v = json_object_get(o, key);
	char what[64];
	if (!json_is_object(v))
		return FAIL(c, CONTENT_E_MANIFEST, "item %s: %s must be {\"id\": …, \"en\": …}",
			    c->item, key);
	snprintf(what, sizeof(what), "item %.40s %s", c->item, key);
	int rc = content_json_keys_only(v, langs, what, c->reason, c->size);
	if (rc < 0)
		return rc;
	if ((rc = get_text(c, v, "id", multiline, max, &out->id)) < 0 ||
	    (rc = get_text(c, v, "en", multiline, max, &out->en)) < 0)
		return rc;
	return CONTENT_OK;
}

/* "HH:MM", "24:00" only where end_ok. */
static bool parse_hhmm(const char *s, bool end_ok, int16_t *out)
{
	if (strlen(s) != 5 || s[2] != ':')
		return false;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return false;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end_ok)))
		return false;
	*out = (int16_t)(h * 60 + m);
	return true;
}

static int day_index(const char *s)
{
	for (int i = 0; i < 7; i++)
		if (strcmp(s, day_names[i]) == 0)
			return i;
	return -1;
}

static int parse_week(struct ctx *c, json_t *o, struct content_week *w)
{
	memset(w, 0, sizeof(*w));
	if (!json_is_object(o))
		return FAIL(c, CONTENT_E_MANIFEST, "item %s: week must be an object of days",
			    c->item);
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v)
	{
		int d = day_index(key);
		if (d < 0)
			return FAIL(c, CONTENT_E_MANIFEST, "item %s: week: unknown day \"%.8s\"",
				    c->item, key);
		size_t n = json_array_size(v);
		if (!json_is_array(v) || n > CONTENT_SPANS_PER_DAY)
			return FAIL(c, CONTENT_E_MANIFEST,
				    "item %s: week %s: a list of at most %d \"HH:MM-HH:MM\"",
				    c->item, key, CONTENT_SPANS_PER_DAY);
		for (size_t i = 0; i < n; i++) {
			const char *s = json_string_value(json_array_get(v, i));
			struct content_span *sp = &w->spans[d][i];
			if (!s || strlen(s) != 11 || s[5] != '-')
				return FAIL(c, CONTENT_E_MANIFEST,
					    "item %s: week %s: spans are \"HH:MM-HH:MM\"", c->item,
					    key);
			char a[6], b[6];
			memcpy(a, s, 5), a[5] = '\0';
			memcpy(b, s + 6, 5), b[5] = '\0';
			if (!parse_hhmm(a, false, &sp->from) || !parse_hhmm(b, true, &sp->until) ||
			    sp->from >= sp->until)
				return FAIL(c, CONTENT_E_MANIFEST,
					    "item %s: week %s: span %.11s is not a time range",
					    c->item, key, s);
		}
		w->n[d] = (uint8_t)n;
	}
	return CONTENT_OK;
}

static int parse_holidays(struct ctx *c, json_t *a, struct content_item *it)
{
	static const char *const keys[] = { "date", "name", NULL };
	size_t n = json_array_size(a);
	if (!json_is_array(a) || n > HOLIDAYS_MAX)
		return FAIL(c, CONTENT_E_MANIFEST, "item %s: holidays: a list of at most %d",
			    c->item, HOLIDAYS_MAX);
	if (n == 0)
		return CONTENT_OK;
	it->holidays = calloc(n, sizeof(*it->holidays));
	if (!it->holidays)
		return FAIL(c, CONTENT_E_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		json_t *h = json_array_get(a, i);
		int64_t t;
		char stamp[21];
		const char *date = json_string_value(json_object_get(h, "date"));
		if (!json_is_object(h) ||
		    content_json_keys_only(h, keys, "holiday", c->reason, c->size) < 0)
			return CONTENT_E_MANIFEST;
		if (!date || strlen(date) != 10)
			return FAIL(c, CONTENT_E_MANIFEST,
				    "item %s: holiday date is not YYYY-MM-DD", c->item);
		snprintf(stamp, sizeof(stamp), "%sT00:00:00Z", date);
		if (!content_time_parse(stamp, &t))
			return FAIL(c, CONTENT_E_MANIFEST,
				    "item %s: holiday date %.10s is not a date", c->item, date);
		it->holidays[i].date = atoi(date) * 10000 + atoi(date + 5) * 100 + atoi(date + 8);
		int rc = get_bilingual(c, h, "name", false, TITLE_MAX, &it->holidays[i].name);
		if (rc < 0)
			return rc;
		it->nholidays = i + 1;
	}
	return CONTENT_OK;
}

static int parse_when(struct ctx *c, json_t *o, struct content_item *it)
{
	static const char *const span_keys[] = { "from", "until", NULL };
	json_t *valid = json_object_get(o, "valid"), *days = json_object_get(o, "days");
	json_t *hours = json_object_get(o, "hours");
	it->valid_from = INT64_MIN;
	it->valid_until = INT64_MAX;
	if (valid) {
		const char *from = json_string_value(json_object_get(valid, "from"));
		const char *until = json_string_value(json_object_get(valid, "until"));
		if (!json_is_object(valid) ||
		    content_json_keys_only(valid, span_keys, "valid", c->reason, c->size) < 0 ||
		    !from || !until || !content_time_parse(from, &it->valid_from) ||
		    !content_time_parse(until, &it->valid_until) ||
		    it->valid_until <= it->valid_from)
			return FAIL(c, CONTENT_E_MANIFEST,
				    "item %s: valid must be {from, until} in YYYY-MM-DDTHH:MM:SSZ, "
				    "from before until",
				    c->item);
		it->timed = true;
	}
	if (days) {
		size_t n = json_array_size(days);
		if (!json_is_array(days) || n == 0 || n > 7)
			return FAIL(c, CONTENT_E_MANIFEST, "item %s: days: a list of sun..sat",
				    c->item);
		for (size_t i = 0; i < n; i++) {
			const char *s = json_string_value(json_array_get(days, i));
			int d = s ? day_index(s) : -1;
			if (d < 0 || (it->days & (1u << d)))
				return FAIL(c, CONTENT_E_MANIFEST,
					    "item %s: days: unknown or repeated day", c->item);
			it->days |= (uint8_t)(1u << d);
		}
	}
	if (hours) {
		const char *from = json_string_value(json_object_get(hours, "from"));
		const char *until = json_string_value(json_object_get(hours, "until"));
		if (!json_is_object(hours) ||
		    content_json_keys_only(hours, span_keys, "hours", c->reason, c->size) < 0 ||
		    !from || !until || !parse_hhmm(from, false, &it->hours.from) ||
		    !parse_hhmm(until, true, &it->hours.until) || it->hours.from == it->hours.until)
			return FAIL(c, CONTENT_E_MANIFEST,
				    "item %s: hours must be {from, until} as HH:MM, not equal",
				    c->item);
		it->has_hours = true;
	}
	return CONTENT_OK;
}

static const struct content_file *find_file(const struct content_manifest *m, const char *name)
{
	for (size_t i = 0; i < m->nfiles; i++)
		if (strcmp(m->files[i].name, name) == 0)
			return &m->files[i];
	return NULL;
}

/* Per kind: the fields it may have (beyond id, kind, valid, days, hours). */
static int parse_kind_fields(struct ctx *c, json_t *o, struct content_manifest *m,
			     struct content_item *it)
{
	int rc = CONTENT_OK;
	switch (it->kind) {
	case CONTENT_ANNOUNCEMENT:
	case CONTENT_URGENT:
		if ((rc = get_bilingual(c, o, "title", false, TITLE_MAX, &it->title)) < 0)
			return rc;
		return get_bilingual(c, o, "text", true, TEXT_MAX, &it->text);
	case CONTENT_NOTICE:
		return get_bilingual(c, o, "text", true, TEXT_MAX, &it->text);
	case CONTENT_BANNER: {
		const char *f = json_string_value(json_object_get(o, "file"));
		if (!f)
			return FAIL(c, CONTENT_E_MANIFEST, "item %s: banner needs a file", c->item);
		if (!(it->file = find_file(m, f)))
			return FAIL(c, CONTENT_E_MANIFEST,
				    "item %s: missing entry: file \"%.64s\" is not in files",
				    c->item, f);
		return get_bilingual(c, o, "alt", false, TITLE_MAX, &it->text);
	}
	case CONTENT_HOURS:
		if ((rc = parse_week(c, json_object_get(o, "week"), &it->week)) < 0)
			return rc;
		it->has_week = true;
		if (json_object_get(o, "holidays"))
			return parse_holidays(c, json_object_get(o, "holidays"), it);
		return CONTENT_OK;
	case CONTENT_OFFICE: {
		json_t *h = json_object_get(o, "handles");
		if ((rc = get_text(c, o, "name", false, TITLE_MAX, &it->name)) < 0 ||
		    (rc = get_text(c, o, "address", true, ADDRESS_MAX, &it->address)) < 0)
			return rc;
		it->nhandles = json_array_size(h);
		if (!json_is_array(h) || it->nhandles == 0 || it->nhandles > 16)
			return FAIL(c, CONTENT_E_MANIFEST,
				    "item %s: handles: a list of 1 to 16 service names", c->item);
		for (size_t i = 0; i < it->nhandles; i++) {
			it->handles[i] = json_string_value(json_array_get(h, i));
			if (!it->handles[i] || !content_name_ok(it->handles[i], 32))
				return FAIL(c, CONTENT_E_MANIFEST,
					    "item %s: handles: names are [a-z0-9._-]", c->item);
		}
		if (json_object_get(o, "week")) {
			it->has_week = true;
			return parse_week(c, json_object_get(o, "week"), &it->week);
		}
		return CONTENT_OK;
	}
	}
	return rc;
}

static int parse_item(struct ctx *c, json_t *o, struct content_manifest *m, size_t idx)
{
	static const char *const kinds[] = { "announcement", "banner", "hours",
					     "notice",	     "urgent", "office" };
	static const char *const allowed[][8] = {
		{ "title", "text", NULL },    { "file", "alt", NULL },
		{ "week", "holidays", NULL }, { "text", NULL },
		{ "title", "text", NULL },    { "name", "address", "handles", "week", NULL },
	};
	struct content_item *it = &m->items[idx];
	const char *id = json_string_value(json_object_get(o, "id"));
	const char *kind = json_string_value(json_object_get(o, "kind"));
	c->item = "?";
	if (!json_is_object(o))
		return FAIL(c, CONTENT_E_MANIFEST, "item %zu is not an object", idx);
	if (!id || !content_name_ok(id, 48))
		return FAIL(c, CONTENT_E_MANIFEST, "item %zu: id missing or not [a-z0-9._-]", idx);
	c->item = id;
	it->id = id;
	for (size_t j = 0; j < idx; j++)
		if (strcmp(m->items[j].id, id) == 0)
			return FAIL(c, CONTENT_E_MANIFEST, "duplicate item id %s", id);
	int k = -1;
	for (int i = 0; kind && i < 6; i++)
		if (strcmp(kind, kinds[i]) == 0)
			k = i;
	if (k < 0)
		return FAIL(c, CONTENT_E_MANIFEST, "item %s: unknown kind", id);
	it->kind = (enum content_kind)k;
	const char *keys[16] = { "id", "kind", "valid", "days", "hours" };
	for (size_t i = 0; allowed[k][i]; i++)
		keys[5 + i] = allowed[k][i];
	int rc = content_json_keys_only(o, keys, id, c->reason, c->size);
	if (rc < 0 || (rc = parse_when(c, o, it)) < 0 || (rc = parse_kind_fields(c, o, m, it)) < 0)
		return rc;
	bool timed_kind = k != CONTENT_HOURS && k != CONTENT_OFFICE;
	if (timed_kind && !it->timed)
		return FAIL(c, CONTENT_E_MANIFEST, "item %s: a %s needs a validity window", id,
			    kind);
	return CONTENT_OK;
}

static int parse_file(struct ctx *c, json_t *o, struct content_manifest *m, size_t idx,
		      uint64_t *total)
{
	static const char *const keys[] = { "name",  "sha256", "length", "type",
					    "width", "height", NULL };
	struct content_file *f = &m->files[idx];
	if (!json_is_object(o))
		return FAIL(c, CONTENT_E_MANIFEST, "file %zu is not an object", idx);
	int rc = content_json_keys_only(o, keys, "file", c->reason, c->size);
	if (rc < 0)
		return rc;
	const char *name = json_string_value(json_object_get(o, "name"));
	const char *hash = json_string_value(json_object_get(o, "sha256"));
	const char *type = json_string_value(json_object_get(o, "type"));
	json_t *len = json_object_get(o, "length"), *w = json_object_get(o, "width");
	json_t *h = json_object_get(o, "height");
	if (!name)
		return FAIL(c, CONTENT_E_MANIFEST, "file %zu has no name", idx);
	if (name[0] == '/')
		return FAIL(c, CONTENT_E_MANIFEST, "file \"%.64s\": absolute path refused", name);
	if (strstr(name, ".."))
		return FAIL(c, CONTENT_E_MANIFEST, "file \"%.64s\": path traversal refused", name);
	if (!content_name_ok(name, 64))
		return FAIL(c, CONTENT_E_MANIFEST,
			    "file \"%.64s\": names are [a-z0-9._-], no paths", name);
	f->name = name;
	for (size_t j = 0; j < idx; j++)
		if (strcmp(m->files[j].name, name) == 0)
			return FAIL(c, CONTENT_E_MANIFEST, "duplicate entry: file %s listed twice",
				    name);
	if (!hash || strlen(hash) != 64 || !content_hex_decode(hash, f->sha256, 32) ||
	    strspn(hash, "0123456789abcdef") != 64)
		return FAIL(c, CONTENT_E_MANIFEST, "file %s: sha256 is not 64 lowercase hex digits",
			    name);
	for (size_t j = 0; j < idx; j++)
		if (memcmp(m->files[j].sha256, f->sha256, 32) == 0)
			return FAIL(c, CONTENT_E_MANIFEST,
				    "duplicate entry: files %s and %s are the same bytes",
				    m->files[j].name, name);
	if (!json_is_integer(len) || json_integer_value(len) < 1)
		return FAIL(c, CONTENT_E_MANIFEST, "file %s: length must be a positive integer",
			    name);
	if (json_integer_value(len) > CONTENT_FILE_MAX)
		return FAIL(c, CONTENT_E_TOO_BIG, "file %s declares %lld bytes, at most %u", name,
			    (long long)json_integer_value(len), CONTENT_FILE_MAX);
	f->length = (uint64_t)json_integer_value(len);
	*total += f->length;
	if (*total > CONTENT_BUNDLE_MAX)
		return FAIL(c, CONTENT_E_TOO_BIG, "files add up to more than %u bytes",
			    CONTENT_BUNDLE_MAX);
	if (type && strcmp(type, "png") == 0)
		f->type = CONTENT_PNG;
	else if (type && strcmp(type, "jpeg") == 0)
		f->type = CONTENT_JPEG;
	else
		return FAIL(c, CONTENT_E_MANIFEST, "file %s: type must be png or jpeg", name);
	if (!json_is_integer(w) || !json_is_integer(h) || json_integer_value(w) < 1 ||
	    json_integer_value(h) < 1)
		return FAIL(c, CONTENT_E_MANIFEST, "file %s: width and height must be given", name);
	json_int_t wv = json_integer_value(w), hv = json_integer_value(h);
	if (wv > CONTENT_IMAGE_SIDE_MAX || hv > CONTENT_IMAGE_SIDE_MAX ||
	    wv * hv > (json_int_t)CONTENT_IMAGE_PIXELS_MAX)
		return FAIL(c, CONTENT_E_IMAGE,
			    "file %s declares %lldx%lld pixels, over the budget (%d per side, "
			    "%u in all)",
			    name, (long long)wv, (long long)hv, CONTENT_IMAGE_SIDE_MAX,
			    CONTENT_IMAGE_PIXELS_MAX);
	f->width = (uint32_t)wv;
	f->height = (uint32_t)hv;
	return CONTENT_OK;
}

static int parse_scope(struct ctx *c, json_t *s, struct content_manifest *m)
{
	static const char *const keys[] = { "regions", "kiosks", NULL };
	if (!json_is_object(s))
		return FAIL(c, CONTENT_E_MANIFEST, "scope must be {regions, kiosks}");
	int rc = content_json_keys_only(s, keys, "scope", c->reason, c->size);
	if (rc < 0)
		return rc;
	json_t *r = json_object_get(s, "regions"), *k = json_object_get(s, "kiosks");
	m->nregions = json_array_size(r);
	m->nkiosks = json_array_size(k);
	if ((r && !json_is_array(r)) || (k && !json_is_array(k)) || m->nregions > 16 ||
	    m->nkiosks > 64 || m->nregions + m->nkiosks == 0)
		return FAIL(c, CONTENT_E_MANIFEST,
			    "scope: 1 to 16 region codes and/or up to 64 kiosk ids");
	for (size_t i = 0; i < m->nregions; i++) {
		m->regions[i] = json_string_value(json_array_get(r, i));
		if (!m->regions[i] || !content_region_ok(m->regions[i]))
			return FAIL(c, CONTENT_E_MANIFEST,
				    "scope: region codes are \"32\" or \"32.73\"");
	}
	for (size_t i = 0; i < m->nkiosks; i++) {
		const char *id = m->kiosks[i] = json_string_value(json_array_get(k, i));
		size_t n = id ? strlen(id) : 0;
		/* the kiosk id alphabet of the sync protocol (docs/sync-protocol.md) */
		if (n == 0 || n > 64 ||
		    strspn(id,
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
			n)
			return FAIL(c, CONTENT_E_MANIFEST,
				    "scope: kiosk ids are [A-Za-z0-9._-]{1,64}");
	}
	return CONTENT_OK;
}

static int parse_manifest(struct ctx *c, json_t *o, struct content_manifest *m)
{
	static const char *const keys[] = { "format", "publisher", "version", "created", "expires",
					    "scope",  "files",	   "items",   NULL };
	int rc = content_json_keys_only(o, keys, "manifest", c->reason, c->size);
	if (rc < 0)
		return rc;
	json_t *format = json_object_get(o, "format"), *version = json_object_get(o, "version");
	const char *created = json_string_value(json_object_get(o, "created"));
	const char *expires = json_string_value(json_object_get(o, "expires"));
	json_t *files = json_object_get(o, "files"), *items = json_object_get(o, "items");
	if (!json_is_integer(format) || json_integer_value(format) != 1)
		return FAIL(c, CONTENT_E_MANIFEST, "format must be 1");
	m->publisher = json_string_value(json_object_get(o, "publisher"));
	if (!m->publisher || !content_name_ok(m->publisher, 48))
		return FAIL(c, CONTENT_E_MANIFEST, "publisher missing or not [a-z0-9._-]");
	if (!json_is_integer(version))
		return FAIL(c, CONTENT_E_VERSION, "version out of range: not an integer");
	if (json_integer_value(version) < 1 || json_integer_value(version) > CONTENT_VERSION_MAX)
		return FAIL(c, CONTENT_E_VERSION, "version %lld out of range (1..%lld)",
			    (long long)json_integer_value(version), CONTENT_VERSION_MAX);
	m->version = json_integer_value(version);
	if (!created || !content_time_parse(created, &m->created) || !expires ||
	    !content_time_parse(expires, &m->expires))
		return FAIL(c, CONTENT_E_MANIFEST, "created and expires are YYYY-MM-DDTHH:MM:SSZ");
	if (m->expires <= m->created)
		return FAIL(c, CONTENT_E_MANIFEST, "expires is not after created");
	if ((rc = parse_scope(c, json_object_get(o, "scope"), m)) < 0)
		return rc;
	m->nfiles = json_array_size(files);
	if (!json_is_array(files) || m->nfiles > CONTENT_FILES_MAX)
		return FAIL(c, CONTENT_E_MANIFEST, "files: a list of at most %d",
			    CONTENT_FILES_MAX);
	m->nitems = json_array_size(items);
	if (!json_is_array(items) || m->nitems == 0 || m->nitems > CONTENT_ITEMS_MAX)
		return FAIL(c, CONTENT_E_MANIFEST, "items: a list of 1 to %d", CONTENT_ITEMS_MAX);
	m->files = calloc(m->nfiles ? m->nfiles : 1, sizeof(*m->files));
	m->items = calloc(m->nitems, sizeof(*m->items));
	if (!m->files || !m->items)
		return FAIL(c, CONTENT_E_NOMEM, "out of memory");
	uint64_t total = 0;
	for (size_t i = 0; i < m->nfiles; i++)
		if ((rc = parse_file(c, json_array_get(files, i), m, i, &total)) < 0)
			return rc;
	for (size_t i = 0; i < m->nitems; i++)
		if ((rc = parse_item(c, json_array_get(items, i), m, i)) < 0)
			return rc;
	for (size_t i = 0; i < m->nfiles; i++) {
		bool used = false;
		for (size_t j = 0; j < m->nitems && !used; j++)
			used = m->items[j].file == &m->files[i];
		if (!used)
			return FAIL(c, CONTENT_E_MANIFEST, "file %s is not used by any item",
				    m->files[i].name);
	}
	return CONTENT_OK;
}

int content_manifest_parse(const char *json, size_t len, struct content_manifest **out,
			   char *reason, size_t reason_size)
{
	struct ctx c = { reason, reason_size, "" };
	char why[CONTENT_REASON_MAX];
	*out = NULL;
	if (len > CONTENT_MANIFEST_MAX)
		return FAIL(&c, CONTENT_E_TOO_BIG, "manifest of %zu bytes, at most %u", len,
			    CONTENT_MANIFEST_MAX);
	/* raw bytes first: jansson would report bad UTF-8 as a JSON error at best */
	if (content_text_check(json, len, true, CONTENT_MANIFEST_MAX, why, sizeof(why)) < 0)
		return FAIL(&c, CONTENT_E_TEXT, "manifest: %s", why);
	json_t *root = content_json_load(json, len, reason, reason_size);
	if (!root)
		return CONTENT_E_MANIFEST;
	struct content_manifest *m = calloc(1, sizeof(*m));
	if (!m) {
		json_decref(root);
		return FAIL(&c, CONTENT_E_NOMEM, "out of memory");
	}
	m->json = root;
	int rc = parse_manifest(&c, root, m);
	if (rc < 0) {
		content_manifest_free(m);
		return rc;
	}
	*out = m;
	return CONTENT_OK;
}

void content_manifest_free(struct content_manifest *m)
{
	if (!m)
		return;
	for (size_t i = 0; m->items && i < m->nitems; i++)
		free(m->items[i].holidays);
	free(m->items);
	free(m->files);
	json_decref(m->json);
	free(m);
}
