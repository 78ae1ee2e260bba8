/*
 * The /office/ site (office.h): routes, sessions, CSRF, and the answers of the office
 * pages. What the pages show is fleet.c's and fleet_html.c's; accounts and sessions are
 * office_store.c's; publishing is publish.c's.
 *
 * Threads: a request and its state belong to its connection's thread (http.h).
 */
#include "office.h"

#include "fleet.h"
#include "form.h"
#include "log.h"
#include "publish.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FORM_MAX     4096
#define LOGIN_COOKIE "adm_login"
#define SESS_COOKIE  "adm_session"

enum route {
	R_FLEET,      /* GET /office/ */
	R_LOGIN_FORM, /* GET /office/login */
	R_LOGIN,      /* POST /office/login */
	R_LOGOUT,     /* POST /office/logout */
	R_API_LIST,   /* GET /office/api/kiosks */
	R_API_KIOSK,  /* GET /office/api/kiosks/{id} */
	R_SHOT_ASK,   /* POST /office/kiosks/{id}/screenshot */
	R_SHOT_GET,   /* GET /office/kiosks/{id}/screenshot.png */
	R_PUBLISH,    /* POST /office/publish */
};

struct office_req {
	enum route route;
	bool post, json;
	char kiosk[OFFICE_ID_MAX + 1];
	struct office_session s;
	char token[OFFICE_TOKEN_HEX + 1];
};

static int64_t now_s(void)
{
	return (int64_t)time(NULL);
}

/* ---- answers ---- */

static enum MHD_Result answer_page(struct http_req *r, unsigned status, char *html,
				   const char *cookie, const char *location)
{
	struct MHD_Response *resp = http_response(html, html ? strlen(html) : 0, 0, 0);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", "text/html; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	/* no script at all, images from here only: an escaping mistake still runs nothing */
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
				"form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
	if (cookie)
		MHD_add_response_header(resp, "Set-Cookie", cookie);
	if (location)
		MHD_add_response_header(resp, "Location", location);
	return http_queue(r, status, resp);
}

static enum MHD_Result message(struct http_req *r, unsigned status, const char *title,
			       const char *msg)
{
	return answer_page(r, status, fleet_message_html(title, msg), NULL, NULL);
}

static enum MHD_Result see_other(struct http_req *r, const char *location, const char *cookie)
{
	return answer_page(r, 303, fleet_message_html("See other", location), cookie, location);
}

static void cookie_line(char *out, size_t size, const struct office_api *api, const char *name,
			const char *value, int64_t max_age)
{
	snprintf(out, size, "%s=%s; Path=/office/; HttpOnly; SameSite=Strict; Max-Age=%lld%s", name,
		 value, (long long)max_age, api->tls ? "; Secure" : "");
}

/* ---- forms ---- */

static const char *content_type(const struct http_req *r)
{
	return MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, "Content-Type");
}

static bool same_token(const char *a, const char *b)
{
	return a && b && strlen(a) == OFFICE_TOKEN_HEX && strlen(b) == OFFICE_TOKEN_HEX &&
	       sodium_memcmp(a, b, OFFICE_TOKEN_HEX) == 0;
}

/* ---- routes ---- */

static bool route_of(const char *url, const char *method, struct office_req *q)
{
	const char *k;
	q->post = strcmp(method, "POST") == 0;
	if (!q->post && strcmp(method, "GET") != 0)
		return false;
	if (strcmp(url, "/office/") == 0 || strcmp(url, "/office") == 0)
		q->route = R_FLEET;
	else if (strcmp(url, "/office/login") == 0)
		q->route = q->post ? R_LOGIN : R_LOGIN_FORM;
	else if (strcmp(url, "/office/logout") == 0 && q->post)
		q->route = R_LOGOUT;
	else if (strcmp(url, "/office/publish") == 0 && q->post)
		q->route = R_PUBLISH;
	else if (strcmp(url, "/office/api/kiosks") == 0)
		q->route = R_API_LIST;
	else if (strncmp(url, "/office/api/kiosks/", 19) == 0 && strlen(url + 19) <= OFFICE_ID_MAX)
		q->route = R_API_KIOSK, snprintf(q->kiosk, sizeof(q->kiosk), "%s", url + 19);
	else if (strncmp(url, "/office/kiosks/", 15) == 0 && (k = strchr(url + 15, '/')) &&
		 (size_t)(k - url - 15) <= OFFICE_ID_MAX) {
		snprintf(q->kiosk, sizeof(q->kiosk), "%.*s", (int)(k - url - 15), url + 15);
		if (strcmp(k, "/screenshot") == 0 && q->post)
			q->route = R_SHOT_ASK;
		else if (strcmp(k, "/screenshot.png") == 0 && !q->post)
			q->route = R_SHOT_GET;
		else
			return false;
	} else
		return false;
	/* GET only where nothing changes, POST where something does */
	bool wants_post = q->route == R_LOGIN || q->route == R_LOGOUT || q->route == R_SHOT_ASK ||
			  q->route == R_PUBLISH;
	return wants_post == q->post;
}

static enum MHD_Result not_found(struct http_req *r, const struct office_req *q)
{
	if (q->json)
		return http_answer_error(r, 404, "not_found", "no such kiosk", 0);
	return message(r, 404, "Not found", "No such page or kiosk.");
}

static enum MHD_Result begin(void *cls, struct http_req *r, size_t *body_max)
{
	struct office_api *api = cls;
	struct office_req *q = calloc(1, sizeof(*q));
	if (!q)
		return MHD_NO;
	r->state = q;
	*body_max = 0;
	if (!route_of(r->url, r->method, q))
		return message(r, 404, "Not found", "No such page.");
	/* the cookies' path is /office/: without the slash they would not come along */
	if (strcmp(r->url, "/office") == 0)
		return see_other(r, "/office/", NULL);
	const char *fmt = MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, "format");
	q->json = q->route == R_API_LIST || q->route == R_API_KIOSK ||
		  (q->route == R_FLEET && fmt && strcmp(fmt, "json") == 0);
	if (q->route == R_LOGIN_FORM)
		return MHD_YES;
	if (q->route == R_LOGIN) {
		*body_max = FORM_MAX;
		return MHD_YES;
	}
	const char *tok = MHD_lookup_connection_value(r->c, MHD_COOKIE_KIND, SESS_COOKIE);
	if (!tok || !office_session_get(api->os, tok, now_s(), &q->s)) {
		if (q->json)
			return http_answer_error(r, 401, "unauthorized", "log in first", 0);
		if (q->route == R_FLEET)
			return see_other(r, "/office/login", NULL);
		return message(r, 403, "Not logged in", "Log in first (the session has ended).");
	}
	snprintf(q->token, sizeof(q->token), "%s", tok);
	/* another region's kiosk is not there, as far as this office can tell */
	if (q->kiosk[0] && !office_kiosk_in(api->os, q->kiosk, q->s.region))
		return not_found(r, q);
	if (q->post)
		*body_max = q->route == R_PUBLISH ? OFFICE_UPLOAD_MAX : FORM_MAX;
	return MHD_YES;
}

/* The CSRF token of a POST: the session's, in the form. */
static bool csrf_ok(const struct http_req *r, const struct office_req *q)
{
	char got[OFFICE_TOKEN_HEX + 1];
	const char *d;
	size_t n;
	if (q->route == R_PUBLISH) {
		if (!form_multipart(content_type(r), r->body, r->len, "csrf", &d, &n) ||
		    n != OFFICE_TOKEN_HEX)
			return false;
		memcpy(got, d, n);
		got[n] = '\0';
	} else if (!form_field(r->body, r->len, "csrf", got, sizeof(got))) {
		return false;
	}
	return same_token(got, q->s.csrf);
}

static enum MHD_Result login_form(struct office_api *api, struct http_req *r, const char *notice,
				  unsigned status)
{
	char csrf[OFFICE_TOKEN_HEX + 1], cookie[256];
	unsigned char b[OFFICE_TOKEN_HEX / 2];
	/* the login form's token is bound to a cookie of its own (no session yet) */
	randombytes_buf(b, sizeof(b));
	sodium_bin2hex(csrf, sizeof(csrf), b, sizeof(b));
	cookie_line(cookie, sizeof(cookie), api, LOGIN_COOKIE, csrf, 1800);
	return answer_page(r, status, fleet_login_html(csrf, notice), cookie, NULL);
}

static enum MHD_Result do_login(struct office_api *api, struct http_req *r)
{
	char id[OFFICE_ID_MAX + 1], pw[257], csrf[OFFICE_TOKEN_HEX + 1],
	    token[OFFICE_TOKEN_HEX + 1], cookie[256];
	int64_t retry = 0;
	const char *pre = MHD_lookup_connection_value(r->c, MHD_COOKIE_KIND, LOGIN_COOKIE);
	if (!form_field(r->body, r->len, "csrf", csrf, sizeof(csrf)) || !same_token(csrf, pre))
		return login_form(api, r, "The form had expired: please log in again.", 403);
	if (!form_field(r->body, r->len, "id", id, sizeof(id)) ||
	    !form_field(r->body, r->len, "password", pw, sizeof(pw)))
		return login_form(api, r, "Wrong account or password.", 401);
	int rc = office_login(api->os, id, pw, now_s(), api->lock_s, api->session_s, token, &retry);
	sodium_memzero(pw, sizeof(pw));
	if (rc == OFFICE_E_LOCKED) {
		char msg[160];
		snprintf(msg, sizeof(msg),
			 "Too many wrong passwords: this account is locked for %lld more "
			 "seconds.",
			 (long long)retry);
		return login_form(api, r, msg, 429);
	}
	if (rc == OFFICE_E_WRONG)
		return login_form(api, r, "Wrong account or password.", 401);
	if (rc != OFFICE_OK)
		return message(r, 500, "Error", office_strerror(rc));
	log_info("office %s logged in", id);
	cookie_line(cookie, sizeof(cookie), api, SESS_COOKIE, token, api->session_s);
	sodium_memzero(token, sizeof(token));
	return see_other(r, "/office/", cookie);
}

static enum MHD_Result fleet(struct office_api *api, struct http_req *r, struct office_req *q,
			     const char *notice, unsigned status)
{
	json_t *m = fleet_model(api->os, &q->s, now_s(), api->heartbeat_s);
	if (!m)
		return q->json ? http_answer_error(r, 500, "internal", "database error", 0)
			       : message(r, 500, "Error", "database error");
	if (q->json) {
		char *s = json_dumps(m, JSON_COMPACT);
		json_decref(m);
		return http_answer_json(r, 200, s, false, 0);
	}
	char *html = fleet_html(m, &q->s, notice);
	json_decref(m);
	return answer_page(r, html ? status : 500, html, NULL, NULL);
}

static enum MHD_Result publish(struct office_api *api, struct http_req *r, struct office_req *q)
{
	const char *data;
	size_t n;
	char msg[CONTENT_REASON_MAX + 64];
	struct publish_result res;
	if (!form_multipart(content_type(r), r->body, r->len, "bundle", &data, &n))
		return fleet(api, r, q, "No bundle file in the upload.", 400);
	/* an account is bound by its region, whichever publisher's key signed */
	const struct publish_office o = { .id = q->s.office, .region = q->s.region };
	int rc = central_publish(api->bundles, api->kr, &o, data, n, &res);
	if (rc == PUBLISH_ALREADY)
		snprintf(res.reason, sizeof(res.reason), "this very file was published before");
	if (rc != PUBLISH_STORED) {
		log_warn("office %s: a bundle refused: %s", q->s.office, res.reason);
		snprintf(msg, sizeof(msg), "Bundle refused: %s", res.reason);
		return fleet(api, r, q, msg, 422);
	}
	snprintf(msg, sizeof(msg), "Published version %lld.", (long long)res.version);
	return fleet(api, r, q, msg, 200);
}

static enum MHD_Result finish(void *cls, struct http_req *r)
{
	struct office_api *api = cls;
	struct office_req *q = r->state;
	if (q->route == R_LOGIN_FORM)
		return login_form(api, r, NULL, 200);
	if (q->route == R_LOGIN)
		return do_login(api, r);
	if (q->post && !csrf_ok(r, q))
		return message(r, 403, "Refused",
			       "Missing or wrong form token (CSRF): reload the "
			       "page and try again.");
	switch (q->route) {
	case R_FLEET:
	case R_API_LIST:
		return fleet(api, r, q, NULL, 200);
	case R_API_KIOSK: {
		json_t *k = fleet_model_kiosk(api->os, &q->s, q->kiosk, now_s(), api->heartbeat_s);
		if (!k)
			return not_found(r, q);
		char *s = json_dumps(k, JSON_COMPACT);
		json_decref(k);
		return http_answer_json(r, 200, s, false, 0);
	}
	case R_LOGOUT: {
		char cookie[256];
		office_logout(api->os, q->token);
		cookie_line(cookie, sizeof(cookie), api, SESS_COOKIE, "", 0);
		return see_other(r, "/office/login", cookie);
	}
	case R_SHOT_ASK:
		if (office_screenshot_request(api->os, q->kiosk, q->s.office, now_s()) != OFFICE_OK)
			return message(r, 500, "Error", "database error");
		log_info("office %s asked kiosk %s for a screenshot", q->s.office, q->kiosk);
		return see_other(r, "/office/", NULL);
	case R_SHOT_GET: {
		size_t len;
		unsigned char *png = office_screenshot_get(api->os, q->kiosk, &len);
		if (!png)
			return not_found(r, q);
		struct MHD_Response *resp = http_response((char *)png, len, 0, 0);
		if (!resp)
			return MHD_NO;
		MHD_add_response_header(resp, "Content-Type", "image/png");
		MHD_add_response_header(resp, "Cache-Control", "no-store");
		MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
		return http_queue(r, 200, resp);
	}
	case R_PUBLISH:
		return publish(api, r, q);
	default:
		return not_found(r, q);
	}
}

static void done(void *state)
{
	free(state);
}

struct http_site office_site(struct office_api *api)
{
	return (struct http_site){ "/office", api, begin, finish, done };
}
