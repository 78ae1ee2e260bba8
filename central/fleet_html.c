/*
 * The office pages as HTML (fleet.h), rendered by the server from the fleet model: no
 * framework and no script. Every string from the model goes through esc(): kiosks wrote
 * most of them. Forms that change something are POSTs carrying the session's CSRF token;
 * the server checks it on every POST (office.c).
 */
#include "fleet.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A growing buffer; on out of memory it stays failed and the page is NULL. */
struct sb {
	char *s;
	size_t len, cap;
	bool failed;
};

static void put(struct sb *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* Markup of the page's own (never a value from outside). */
static void raw(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void raw(struct sb *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		b->failed = true;
	else
		put(b, tmp, (size_t)n);
}

/* Text and attribute values: the five characters that can end either. */
static void esc(struct sb *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			put(b, "&amp;", 5);
			break;
		case '<':
			put(b, "&lt;", 4);
			break;
		case '>':
			put(b, "&gt;", 4);
			break;
		case '"':
			put(b, "&quot;", 6);
			break;
		case '\'':
			put(b, "&#39;", 5);
			break;
		default:
			put(b, s, 1);
		}
	}
}

static char *done(struct sb *b)
{
	if (b->failed) {
		free(b->s);
		return NULL;
	}
	return b->s;
}

static const char *style =
    "body{font-family:sans-serif;margin:1.5em;color:#222}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #bbb;padding:.35em .5em;vertical-align:top;text-align:left}"
    "th{background:#e8eef4}tr.overdue td{background:#fde8e8}"
    ".bad{color:#b00;font-weight:bold}.ok{color:#070}.muted{color:#777}"
    "img.shot{max-width:240px;border:1px solid #888;display:block}"
    "form.inline{display:inline}header{display:flex;justify-content:space-between}";

static void head(struct sb *b, const char *title)
{
	raw(b, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
	       "<meta name=\"viewport\" content=\"width=device-width\"><title>");
	esc(b, title);
	raw(b, "</title><style>%s</style></head><body>", style);
}

static void csrf_field(struct sb *b, const char *csrf)
{
	raw(b, "<input type=\"hidden\" name=\"csrf\" value=\"");
	esc(b, csrf);
	raw(b, "\">");
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void dash_or(struct sb *b, const char *s)
{
	if (s && *s)
		esc(b, s);
	else
		raw(b, "—");
}

static void when(struct sb *b, int64_t t, int64_t now)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm);
	raw(b, "%s", buf);
	int64_t age = now - t;
	if (age >= 0)
		raw(b, " <span class=\"muted\">(%lld s ago)</span>", (long long)age);
}

static void age(struct sb *b, const json_t *v)
{
	if (!json_is_integer(v)) {
		raw(b, "—");
		return;
	}
	long long s = (long long)json_integer_value(v);
	if (s < 120)
		raw(b, "%lld s", s);
	else if (s < 7200)
		raw(b, "%lld min", s / 60);
	else
		raw(b, "%lld h", s / 3600);
}

static void printers_cell(struct sb *b, const json_t *list)
{
	size_t i;
	const json_t *p;
	if (json_array_size(list) == 0)
		raw(b, "—");
	json_array_foreach(list, i, p)
	{
		const json_t *av = json_object_get(p, "available");
		raw(b, "<div><b>");
		dash_or(b, str(p, "queue"));
		raw(b, "</b> %s",
		    json_is_true(av)	? "<span class=\"ok\">available</span>"
		    : json_is_false(av) ? "<span class=\"bad\">unavailable</span>"
					: "—");
		if (str(p, "fault") && *str(p, "fault")) {
			raw(b, " <span class=\"bad\">");
			esc(b, str(p, "fault"));
			raw(b, "</span>");
		}
		const char *name;
		const json_t *s;
		json_object_foreach((json_t *)json_object_get(p, "supplies"), name, s)
		{
			const json_t *lv = json_object_get(s, "level"),
				     *cap = json_object_get(s, "capacity");
			raw(b, "<br>");
			esc(b, name);
			raw(b, ": ");
			if (json_is_integer(lv))
				raw(b, "%lld", (long long)json_integer_value(lv));
			else
				raw(b, "—");
			if (json_is_integer(cap))
				raw(b, " / %lld", (long long)json_integer_value(cap));
			if (json_is_true(json_object_get(s, "low")))
				raw(b, " <span class=\"bad\">low</span>");
		}
		if (str(p, "detail")) {
			raw(b, "<br><span class=\"muted\">");
			esc(b, str(p, "detail"));
			raw(b, "</span>");
		}
		raw(b, "</div>");
	}
}

static void content_cell(struct sb *b, const json_t *c)
{
	const json_t *v = json_object_get(c, "version");
	raw(b, "<span class=\"bundle-version\">");
	if (json_is_integer(v))
		raw(b, "version %lld", (long long)json_integer_value(v));
	else
		raw(b, "—");
	raw(b, "</span>");
	if (str(c, "publisher")) {
		raw(b, " <span class=\"muted\">");
		esc(b, str(c, "publisher"));
		raw(b, "</span>");
	}
	const json_t *r = json_object_get(c, "rejected");
	if (r) {
		const json_t *rv = json_object_get(r, "version");
		raw(b, "<br><span class=\"bad\">refused");
		if (json_is_integer(rv))
			raw(b, " version %lld", (long long)json_integer_value(rv));
		if (str(r, "publisher")) {
			raw(b, " of ");
			esc(b, str(r, "publisher"));
		}
		raw(b, ":</span> ");
		dash_or(b, str(r, "reason"));
	}
}

static void shot_cell(struct sb *b, const json_t *k, const char *csrf, int64_t now)
{
	const char *id = str(k, "id");
	const json_t *s = json_object_get(k, "screenshot");
	const json_t *req = json_object_get(s, "requested"), *got = json_object_get(s, "received");
	if (json_is_integer(got)) {
		raw(b, "<a href=\"/office/kiosks/");
		esc(b, id);
		raw(b, "/screenshot.png\"><img class=\"shot\" alt=\"screenshot of ");
		esc(b, id);
		raw(b, "\" src=\"/office/kiosks/");
		esc(b, id);
		raw(b, "/screenshot.png?at=%lld\"></a><span class=\"muted\">",
		    (long long)json_integer_value(got));
		when(b, json_integer_value(got), now);
		raw(b, "</span><br>");
	}
	if (json_is_integer(req)) {
		raw(b, "<span class=\"shot-pending\">asked ");
		when(b, json_integer_value(req), now);
		raw(b, ", waiting for the kiosk</span>");
		return;
	}
	raw(b, "<form class=\"inline\" method=\"post\" action=\"/office/kiosks/");
	esc(b, id);
	raw(b, "/screenshot\">");
	csrf_field(b, csrf);
	raw(b, "<button type=\"submit\">ask for a screenshot</button></form>");
}

static void row(struct sb *b, const json_t *k, const char *csrf, int64_t now)
{
	bool overdue = json_is_true(json_object_get(k, "overdue"));
	const json_t *hb = json_object_get(k, "last_heartbeat");
	raw(b, "<tr class=\"kiosk%s\" data-kiosk=\"", overdue ? " overdue" : "");
	esc(b, str(k, "id"));
	raw(b, "\"><td><b>");
	esc(b, str(k, "id"));
	raw(b, "</b><br><span class=\"muted\">region ");
	esc(b, str(k, "region"));
	raw(b, "</span></td><td>");
	if (json_is_integer(hb))
		when(b, json_integer_value(hb), now);
	else
		raw(b, "never");
	if (overdue)
		raw(b, "<br><span class=\"bad\">OVERDUE</span>");
	const json_t *called = json_object_get(k, "staff_called");
	if (json_is_integer(called)) {
		raw(b, "<br><span class=\"bad staff-called\">STAFF CALLED</span> ");
		when(b, json_integer_value(called), now);
	}
	size_t i;
	const json_t *f;
	json_array_foreach(json_object_get(k, "service_faults"), i, f)
	{
		raw(b, "<br><span class=\"bad\">");
		esc(b, json_string_value(f));
		raw(b, "</span>");
	}
	raw(b, "</td><td>");
	dash_or(b, str(k, "reader"));
	raw(b, "</td><td>");
	printers_cell(b, json_object_get(k, "printers"));
	raw(b, "</td><td>");
	age(b, json_object_get(k, "cache_age_s"));
	raw(b, "</td><td>");
	content_cell(b, json_object_get(k, "content"));
	raw(b, "</td><td>");
	shot_cell(b, k, csrf, now);
	raw(b, "</td></tr>");
}

char *fleet_html(const json_t *model, const struct office_session *s, const char *notice)
{
	struct sb b = { 0 };
	int64_t now = json_integer_value(json_object_get(model, "now"));
	const json_t *kiosks = json_object_get(model, "kiosks");
	head(&b, "Fleet");
	raw(&b, "<header><h1>Kiosks of ");
	esc(&b, s->name);
	raw(&b, " <small class=\"muted\">region ");
	esc(&b, s->region);
	raw(&b, "</small></h1><form method=\"post\" action=\"/office/logout\">");
	csrf_field(&b, s->csrf);
	raw(&b, "<button type=\"submit\">log out</button></form></header>");
	if (notice) {
		raw(&b, "<p id=\"notice\"><b>");
		esc(&b, notice);
		raw(&b, "</b></p>");
	}
	raw(&b,
	    "<p>%zu kiosks. A kiosk is overdue after %lld s without a heartbeat. "
	    "<a href=\"/office/api/kiosks\">JSON</a></p>",
	    json_array_size(kiosks),
	    (long long)(3 * json_integer_value(json_object_get(model, "heartbeat_s"))));
	raw(&b, "<table id=\"fleet\"><thead><tr><th>kiosk</th><th>last heartbeat</th>"
		"<th>reader</th><th>printers</th><th>cache age</th><th>bundle</th>"
		"<th>screenshot</th></tr></thead><tbody>");
	size_t i;
	const json_t *k;
	json_array_foreach(kiosks, i, k) row(&b, k, s->csrf, now);
	raw(&b,
	    "</tbody></table><h2>Publish a signed bundle</h2>"
	    "<form method=\"post\" action=\"/office/publish\" enctype=\"multipart/form-data\">");
	csrf_field(&b, s->csrf);
	raw(&b, "<input type=\"file\" name=\"bundle\" accept=\".admb\"> "
		"<button type=\"submit\">publish</button></form></body></html>");
	return done(&b);
}

char *fleet_login_html(const char *csrf, const char *notice)
{
	struct sb b = { 0 };
	head(&b, "Office login");
	raw(&b, "<h1>ADM central: office login</h1>");
	if (notice) {
		raw(&b, "<p id=\"notice\" class=\"bad\">");
		esc(&b, notice);
		raw(&b, "</p>");
	}
	raw(&b, "<form method=\"post\" action=\"/office/login\">");
	csrf_field(&b, csrf);
	raw(&b, "<p><label>account <input name=\"id\" autocomplete=\"username\" "
		"required></label></p><p><label>password <input name=\"password\" "
		"type=\"password\" autocomplete=\"current-password\" required></label></p>"
		"<p><button type=\"submit\">log in</button></p></form></body></html>");
	return done(&b);
}

char *fleet_message_html(const char *title, const char *message)
{
	struct sb b = { 0 };
	head(&b, title);
	raw(&b, "<h1>");
	esc(&b, title);
	raw(&b, "</h1><p id=\"message\">");
	esc(&b, message);
	raw(&b, "</p><p><a href=\"/office/\">back to the fleet</a></p></body></html>");
	return done(&b);
}
