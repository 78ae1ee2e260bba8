/*
 * Parsing of the changes feed and the other JSON answers of the central server, with
 * jansson. Strict by design: unknown record kinds, wrong types, out-of-range numbers,
 * overlong strings, control characters and duplicate keys all reject the page, because a
 * kiosk that half-understands a page must not move its cursor past it.
 */
#include "proto.h"

#include "nik.h"
#include "sha256.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIME_MAX ((json_int_t)1 << 40) /* year ~36800: anything above is garbage */

static bool fail(char *err, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool fail(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (err && size)
		vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return false;
}

static bool charset_ok(const char *s, size_t min, size_t max, const char *extra)
{
	size_t n = strlen(s);
	if (n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr(extra, c)))
			return false;
	}
	return true;
}

bool proto_cursor_ok(const char *s)
{
	return charset_ok(s, 1, CACHE_CURSOR_MAX, "-_.~");
}

bool proto_id_ok(const char *s)
{
	return charset_ok(s, 1, CACHE_ID_MAX, "-_.");
}

/* Human text (names, titles): valid UTF-8 (jansson guarantees it), bounded, and no
 * control characters that could upset a log line or the renderer: C0, DEL, C1 (U+0080..
 * U+009F, C2 80..C2 9F) and the bidi overrides and isolates (U+202A..U+202E, E2 80 AA..AE;
 * U+2066..U+2069, E2 81 A6..A9), with which a title can show the citizen text in another
 * order than it has (a document named for someone else, a reversed date). */
static bool text_ok(const char *s, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (u[i] < 0x20 || u[i] == 0x7f)
			return false;
		if (u[i] == 0xc2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f)
			return false;
		if (u[i] == 0xe2 && ((u[i + 1] == 0x80 && u[i + 2] >= 0xaa && u[i + 2] <= 0xae) ||
				     (u[i + 1] == 0x81 && u[i + 2] >= 0xa6 && u[i + 2] <= 0xa9)))
			return false;
	}
	return true;
}

static const char *get_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool get_int(json_t *o, const char *key, json_int_t min, json_int_t max, json_int_t *out)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		return false;
	json_int_t i = json_integer_value(v);
	if (i < min || i > max)
		return false;
	*out = i;
	return true;
}

void proto_limits_default(struct proto_limits *l)
{
	*l = (struct proto_limits){ .pin_mem_min_kib = PROTO_PIN_MEM_MIN_KIB,
				    .pin_mem_max_kib = PROTO_PIN_MEM_MAX_KIB,
				    .pin_ops_min = PROTO_PIN_OPS_MIN,
				    .pin_ops_max = PROTO_PIN_OPS_MAX,
				    .pin_lanes_max = PROTO_PIN_LANES_MAX };
}

/* "key=DIGITS" at *s, moving past it: 1..10 digits, no leading zero, at most 2^32-1. */
static bool cost_field(const char **s, char key, uint32_t *out)
{
	const char *p = *s;
	unsigned long long v = 0;
	if (p[0] != key || p[1] != '=' || p[2] < '0' || p[2] > '9' ||
	    (p[2] == '0' && p[3] >= '0' && p[3] <= '9'))
		return false;
	p += 2;
	for (int i = 0; *p >= '0' && *p <= '9'; p++, i++) {
		if (i == 10)
			return false;
		v = v * 10 + (unsigned long long)(*p - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	*s = p;
	return true;
}

static bool b64_run(const char **s)
{
	const char *p = *s;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
	       *p == '+' || *p == '/')
		p++;
	if (p == *s)
		return false;
	*s = p;
	return true;
}

bool proto_pin_hash_ok(const char *s, const struct proto_limits *l)
{
	/* crypto_pwhash_str's format; the kiosk only ever verifies against it, and a
	 * verification costs what the header says */
	const char *p = s;
	uint32_t m, t, lanes;
	if (strlen(s) > 127 || strncmp(p, "$argon2id$v=19$", 15) != 0)
		return false;
	p += 15;
	if (!cost_field(&p, 'm', &m) || *p++ != ',' || !cost_field(&p, 't', &t) || *p++ != ',' ||
	    !cost_field(&p, 'p', &lanes) || *p++ != '$' || !b64_run(&p) || *p++ != '$' ||
	    !b64_run(&p) || *p)
		return false;
	return m >= l->pin_mem_min_kib && m <= l->pin_mem_max_kib && t >= l->pin_ops_min &&
	       t <= l->pin_ops_max && lanes >= 1 && lanes <= l->pin_lanes_max;
}

bool proto_pin_cost_parse(const char *spec, uint32_t *m, uint32_t *t, uint32_t *p)
{
	const char *s = spec;
	uint32_t *fields[3] = { m, t, p };
	const char keys[3] = { 'm', 't', 'p' };
	bool any = false;
	for (int i = 0; i < 3 && *s; i++) {
		uint32_t v;
		if (s[0] != keys[i])
			continue;
		if (!cost_field(&s, keys[i], &v) || v == 0)
			return false;
		if (*s == ',' && !*++s)
			return false; /* a trailing comma */
		*fields[i] = v;
		any = true;
	}
	return any && !*s;
}

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

static bool parse_document(json_t *o, struct cache_change *ch, const struct proto_limits *lim,
			   char *err, size_t es)
{
	struct cache_document *d = &ch->u.d.doc;
	const char *id = get_str(o, "id"), *nik = get_str(o, "nik"), *kk = get_str(o, "kk");
	const char *type = get_str(o, "doc_type"), *media = get_str(o, "media");
	const char *status = get_str(o, "status"), *pin = NULL;
	json_t *title = json_object_get(o, "title"), *blob = json_object_get(o, "blob");
	json_int_t pages, created, expires, size;

	if (!id || !proto_id_ok(id))
		return fail(err, es, "document: bad id");
	if (!nik || nik_check(nik) != NIK_OK)
		return fail(err, es, "document %s: bad nik", id);
	if (!kk || !nik_digits(kk))
		return fail(err, es, "document %s: bad kk", id);
	if (!type || !charset_ok(type, 1, 32, "_"))
		return fail(err, es, "document %s: bad doc_type", id);
	if (!json_is_object(title) || !get_str(title, "id") || !get_str(title, "en") ||
	    !text_ok(get_str(title, "id"), CACHE_TITLE_MAX) ||
	    !text_ok(get_str(title, "en"), CACHE_TITLE_MAX))
		return fail(err, es, "document %s: bad title", id);
	if (!get_int(o, "pages", 1, 100, &pages))
		return fail(err, es, "document %s: bad pages", id);
	if (!media || (strcmp(media, "a4") != 0 && strcmp(media, "card") != 0))
		return fail(err, es, "document %s: bad media", id);
	if (!get_int(o, "created", 0, TIME_MAX, &created) ||
	    !get_int(o, "expires", 0, TIME_MAX, &expires))
		return fail(err, es, "document %s: bad created/expires", id);
	if (!json_is_object(blob) || !get_str(blob, "sha256") ||
	    !sha256_hex_ok(get_str(blob, "sha256")) ||
	    !get_int(blob, "size", 1, CACHE_BLOB_MAX, &size))
		return fail(err, es, "document %s: bad blob", id);
	if (!status || !cache_doc_status_parse(status, &d->status) ||
	    (d->status != CACHE_DOC_READY && d->status != CACHE_DOC_EXPIRED &&
	     d->status != CACHE_DOC_REVOKED))
		return fail(err, es, "document %s: bad status", id);
	json_t *p = json_object_get(o, "print_pin_hash");
	if (p && !json_is_null(p)) {
		pin = json_string_value(p);
		if (!pin || !proto_pin_hash_ok(pin, lim))
			return fail(
			    err, es,
			    "document %s: bad print_pin_hash (or argon2 costs out of bounds)", id);
	}
	COPY(d->id, id);
	COPY(d->nik, nik);
	COPY(d->kk, kk);
	COPY(d->type, type);
	COPY(d->title_id, get_str(title, "id"));
	COPY(d->title_en, get_str(title, "en"));
	d->pages = (int)pages;
	d->media = strcmp(media, "card") == 0 ? CACHE_MEDIA_CARD : CACHE_MEDIA_A4;
	d->created = created;
	d->expires = expires;
	COPY(d->blob_sha256, get_str(blob, "sha256"));
	d->blob_size = size;
	ch->u.d.print_pin_hash = pin;
	return true;
}

static bool parse_holder(json_t *o, struct cache_change *ch, const struct proto_limits *lim,
			 char *err, size_t es)
{
	const char *nik = get_str(o, "nik"), *kk = get_str(o, "kk"), *name = get_str(o, "name");
	const char *pin = NULL;
	if (!nik || nik_check(nik) != NIK_OK)
		return fail(err, es, "holder: bad nik");
	if (!kk || !nik_digits(kk))
		return fail(err, es, "holder: bad kk");
	if (!name || !text_ok(name, CACHE_NAME_MAX))
		return fail(err, es, "holder: bad name");
	json_t *p = json_object_get(o, "pin_hash");
	if (p && !json_is_null(p)) {
		pin = json_string_value(p);
		if (!pin || !proto_pin_hash_ok(pin, lim))
			return fail(err, es,
				    "holder: bad pin_hash (or argon2 costs out of bounds)");
	}
	/* locked at the registry (too many wrong PINs over every kiosk) until then */
	json_int_t locked = 0;
	if (json_object_get(o, "locked_until") && !get_int(o, "locked_until", 0, TIME_MAX, &locked))
		return fail(err, es, "holder: bad locked_until");
	COPY(ch->u.h.h.nik, nik);
	COPY(ch->u.h.h.kk, kk);
	COPY(ch->u.h.h.name, name);
	ch->u.h.pin_hash = pin;
	ch->u.h.h.locked_until = locked;
	return true;
}

static bool parse_application(json_t *o, struct cache_change *ch, char *err, size_t es)
{
	const char *id = get_str(o, "id"), *nik = get_str(o, "nik");
	const char *type = get_str(o, "doc_type"), *stage = get_str(o, "stage");
	json_int_t expected = 0;
	if (!id || !proto_id_ok(id))
		return fail(err, es, "application: bad id");
	if (!nik || nik_check(nik) != NIK_OK)
		return fail(err, es, "application %s: bad nik", id);
	if (!type || !charset_ok(type, 1, 32, "_"))
		return fail(err, es, "application %s: bad doc_type", id);
	if (!stage || !charset_ok(stage, 1, 32, "_"))
		return fail(err, es, "application %s: bad stage", id);
	if (json_object_get(o, "expected") && !get_int(o, "expected", 0, TIME_MAX, &expected))
		return fail(err, es, "application %s: bad expected", id);
	COPY(ch->u.a.id, id);
	COPY(ch->u.a.nik, nik);
	COPY(ch->u.a.type, type);
	COPY(ch->u.a.stage, stage);
	ch->u.a.expected = expected;
	return true;
}

static bool parse_change(json_t *o, struct cache_change *ch, const struct proto_limits *lim,
			 char *err, size_t es)
{
	const char *kind = get_str(o, "kind"), *op = get_str(o, "op");
	memset(ch, 0, sizeof(*ch));
	if (!json_is_object(o) || !kind || !op)
		return fail(err, es, "change without kind/op");
	if (strcmp(kind, "document") == 0)
		ch->kind = CACHE_CH_DOCUMENT;
	else if (strcmp(kind, "holder") == 0)
		ch->kind = CACHE_CH_HOLDER;
	else if (strcmp(kind, "application") == 0)
		ch->kind = CACHE_CH_APPLICATION;
	else
		return fail(err, es, "unknown change kind");
	if (strcmp(op, "delete") == 0) {
		ch->del = true;
		ch->key = get_str(o, ch->kind == CACHE_CH_HOLDER ? "nik" : "id");
		if (!ch->key || (ch->kind == CACHE_CH_HOLDER ? nik_check(ch->key) != NIK_OK
							     : !proto_id_ok(ch->key)))
			return fail(err, es, "delete with a bad key");
		return true;
	}
	if (strcmp(op, "upsert") != 0)
		return fail(err, es, "unknown op");
	switch (ch->kind) {
	case CACHE_CH_DOCUMENT:
		return parse_document(o, ch, lim, err, es);
	case CACHE_CH_HOLDER:
		return parse_holder(o, ch, lim, err, es);
	case CACHE_CH_APPLICATION:
		return parse_application(o, ch, err, es);
	}
	return false;
}

bool proto_parse_changes(const char *body, size_t len, bool with_cursor, size_t max_changes,
			 struct proto_page *out, char *err, size_t es)
{
	return proto_parse_changes_limited(body, len, with_cursor, max_changes, NULL, out, err, es);
}

/* The one string a change points to (a PIN hash, or a delete's key), copied out of the
 * JSON so that the tree can go as soon as the page is parsed: on the thread that parsed
 * it (prefetch.h), not the one that applies it. Lengths were checked by the parser. */
#define STRING_SLOT 128
_Static_assert(STRING_SLOT > CACHE_ID_MAX && STRING_SLOT > CACHE_NIK_LEN, "delete keys fit");

/* Points *s at its copy in slot: false if it does not fit (then the page is refused,
 * never a PIN silently dropped; the parser's checks keep every string shorter). */
static bool keep(char *slot, const char **s)
{
	if (!*s)
		return true;
	size_t n = strlen(*s);
	if (n >= STRING_SLOT)
		return false;
	memcpy(slot, *s, n + 1);
	*s = slot;
	return true;
}

static bool own_strings(struct proto_page *out)
{
	out->strings = malloc(out->n * STRING_SLOT);
	bool ok = out->strings != NULL;
	for (size_t i = 0; ok && i < out->n; i++) {
		struct cache_change *ch = &out->changes[i];
		char *slot = out->strings + i * STRING_SLOT;
		if (ch->del)
			ok = keep(slot, &ch->key);
		else if (ch->kind == CACHE_CH_DOCUMENT)
			ok = keep(slot, &ch->u.d.print_pin_hash);
		else if (ch->kind == CACHE_CH_HOLDER)
			ok = keep(slot, &ch->u.h.pin_hash);
	}
	return ok;
}

static bool parse_page(json_t *root, bool with_cursor, size_t max_changes,
		       const struct proto_limits *limits, struct proto_page *out, char *err,
		       size_t es)
{
	if (!json_is_object(root))
		return fail(err, es, "page is not an object");
	json_t *arr = json_object_get(root, "changes");
	if (!json_is_array(arr))
		return fail(err, es, "page has no changes array");
	size_t n = json_array_size(arr);
	if (n > max_changes)
		return fail(err, es, "page has %zu changes, limit %zu", n, max_changes);
	if (with_cursor) {
		const char *cur = get_str(root, "next_cursor");
		json_t *more = json_object_get(root, "more");
		if (!cur || !proto_cursor_ok(cur))
			return fail(err, es, "bad next_cursor");
		if (!json_is_boolean(more))
			return fail(err, es, "bad more");
		COPY(out->next_cursor, cur);
		out->more = json_is_true(more);
		/* "more" with nothing in it would make the client loop for ever */
		if (out->more && n == 0)
			return fail(err, es, "more=true on an empty page");
	} else {
		/* how long the server sends this citizen's changes to the kiosk: absent or
		 * null when they are in the kiosk's own scope */
		json_t *f = json_object_get(root, "follow_until");
		json_int_t until = 0;
		if (f && !json_is_null(f) && !get_int(root, "follow_until", 1, TIME_MAX, &until))
			return fail(err, es, "bad follow_until");
		out->follow_until = (int64_t)until;
	}
	if (n) {
		out->changes = calloc(n, sizeof(*out->changes));
		if (!out->changes)
			return fail(err, es, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		char why[160];
		if (!parse_change(json_array_get(arr, i), &out->changes[i], limits, why,
				  sizeof(why)))
			return fail(err, es, "change %zu: %s", i, why);
	}
	out->n = n;
	if (n && !own_strings(out)) {
		out->n = 0; /* its strings went with the JSON */
		return fail(err, es, "out of memory");
	}
	return true;
}

bool proto_parse_changes_limited(const char *body, size_t len, bool with_cursor, size_t max_changes,
				 const struct proto_limits *limits, struct proto_page *out,
				 char *err, size_t es)
{
	struct proto_limits defaults;
	json_error_t jerr;
	if (!limits) {
		proto_limits_default(&defaults);
		limits = &defaults;
	}
	memset(out, 0, sizeof(*out));
	if (len > PROTO_BODY_MAX)
		return fail(err, es, "body too large (%zu bytes)", len);
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return fail(err, es, "not JSON: line %d: %.80s", jerr.line, jerr.text);
	bool ok = parse_page(root, with_cursor, max_changes, limits, out, err, es);
	json_decref(root);
	return ok;
}

void proto_page_free(struct proto_page *p)
{
	if (!p)
		return;
	free(p->changes);
	free(p->strings);
	memset(p, 0, sizeof(*p));
}

/* One entry of the answer's "refused" list: {index, id?, code, message?}. */
static bool refused_ok(json_t *o, json_int_t *index, const char **id, const char **code)
{
	if (!json_is_object(o) || !get_int(o, "index", 0, PROTO_EVENTS_MAX - 1, index))
		return false;
	json_t *m = json_object_get(o, "message");
	if (m && !json_is_string(m))
		return false;
	*code = get_str(o, "code");
	if (!*code || !charset_ok(*code, 1, 32, "_"))
		return false;
	json_t *v = json_object_get(o, "id");
	*id = v ? json_string_value(v) : NULL;
	return !v || (*id && proto_id_ok(*id));
}

bool proto_parse_events_answer(const char *body, size_t len, proto_accepted_fn accepted,
			       proto_refused_fn refused, void *user, char *err, size_t es)
{
	json_error_t jerr;
	if (len > PROTO_BODY_MAX)
		return fail(err, es, "body too large");
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return fail(err, es, "not JSON");
	json_t *arr = json_object_get(root, "accepted"), *ref = json_object_get(root, "refused");
	const char *what = NULL;
	/* all of it checked before any callback: a half-read answer acknowledges nothing */
	if (!json_is_array(arr))
		what = "bad accepted list";
	for (size_t i = 0; !what && i < json_array_size(arr); i++) {
		const char *id = json_string_value(json_array_get(arr, i));
		if (!id || !proto_id_ok(id))
			what = "bad accepted list";
	}
	if (!what && ref && !json_is_array(ref))
		what = "bad refused list";
	for (size_t i = 0; !what && i < json_array_size(ref); i++) {
		json_int_t index;
		const char *id, *code;
		if (!refused_ok(json_array_get(ref, i), &index, &id, &code))
			what = "bad refused list";
	}
	for (size_t i = 0; !what && i < json_array_size(arr); i++)
		accepted(json_string_value(json_array_get(arr, i)), user);
	for (size_t i = 0; !what && refused && i < json_array_size(ref); i++) {
		json_int_t index;
		const char *id, *code;
		refused_ok(json_array_get(ref, i), &index, &id, &code);
		refused((long)index, id, code, user);
	}
	json_decref(root);
	return what ? fail(err, es, "%s", what) : true;
}

bool proto_parse_accepted(const char *body, size_t len, proto_accepted_fn fn, void *user, char *err,
			  size_t es)
{
	return proto_parse_events_answer(body, len, fn, NULL, user, err, es);
}
