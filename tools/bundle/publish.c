/*
 * adm-bundle publish: uploads a signed bundle to adm-central (POST
 * /v1/offices/{office}/bundles, docs/sync-protocol.md "Content bundles") with the office's
 * API token, read from a file so that it never shows in argv (ps). The server checks the
 * bundle as a kiosk would; its refusal and reason are printed as it gave them.
 *
 * Exit status: 0 published (or the same bytes were already), 1 refused by the server,
 * 2 usage, 3 the server could not be reached or answered something else.
 */
#include "tool.h"

#include "token_file.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define ANSWER_MAX (64 * 1024)
#define TOKEN_MAX  256

struct answer {
	char buf[ANSWER_MAX + 1];
	size_t len;
};

static size_t on_data(char *p, size_t size, size_t n, void *user)
{
	struct answer *a = user;
	size_t len = size * n;
	if (len > ANSWER_MAX - a->len)
		return 0; /* more than any answer of the server: stop */
	memcpy(a->buf + a->len, p, len);
	a->len += len;
	a->buf[a->len] = '\0';
	return len;
}

/* https://, or http:// to this machine only (tests, a local TLS proxy): a token sent in
 * clear over a network is a token given away. */
static bool url_ok(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	bool ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
		  curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
		  curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
		  (strcmp(scheme, "https") == 0 ||
		   (strcmp(scheme, "http") == 0 &&
		    (strcmp(host, "127.0.0.1") == 0 || strcmp(host, "localhost") == 0 ||
		     strcmp(host, "[::1]") == 0)));
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && n <= (long)CONTENT_BUNDLE_MAX * 2 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n)) &&
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		*len = (size_t)n;
	fclose(f);
	return buf;
}

/* A string member of o, or "?" (the answer is the server's: anything may be missing). */
static const char *member(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "?";
}

static void print_answer(long status, const struct answer *a)
{
	json_t *o = json_loadb(a->buf, a->len, 0, NULL), *err = json_object_get(o, "error");
	if (status == 201)
		printf("published %s version %lld: sha256 %s\n", member(o, "publisher"),
		       (long long)json_integer_value(json_object_get(o, "version")),
		       member(o, "sha256"));
	else if (status == 200)
		printf("already published: sha256 %s\n", member(o, "sha256"));
	else if (json_is_object(err))
		tool_error("refused by the server (HTTP %ld, %s): %s", status, member(err, "code"),
			   member(err, "message"));
	else
		tool_error("the server answered HTTP %ld", status);
	json_decref(o);
}

int cmd_publish(int argc, char **argv)
{
	const char *path = NULL, *url = NULL, *office = NULL, *token_file = NULL, *ca = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], **v = NULL;
		if (a[0] != '-') {
			if (path)
				return tool_error("publish: one bundle at a time"), 2;
			path = a;
			continue;
		}
		if (strcmp(a, "--url") == 0)
			v = &url;
		else if (strcmp(a, "--office") == 0)
			v = &office;
		else if (strcmp(a, "--token-file") == 0)
			v = &token_file;
		else if (strcmp(a, "--ca") == 0)
			v = &ca;
		else
			return tool_error("publish: unknown option %s", a), 2;
		if (!(*v = tool_optarg(argc, argv, &i)))
			return 2;
	}
	if (!path || !url || !office || !token_file)
		return tool_error("usage: adm-bundle publish BUNDLE --url https://HOST[:PORT] "
				  "--office ID --token-file FILE [--ca FILE]"),
		       2;
	if (!url_ok(url))
		return tool_error("publish: --url must be https:// (http:// only to this "
				  "machine): the token would travel in clear"),
		       2;
	if (strlen(office) > 64 ||
	    strspn(office, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
			   "QRSTUVWXYZ0123456789._-") != strlen(office) ||
	    !office[0])
		return tool_error("publish: --office is 1..64 characters of [A-Za-z0-9._-]"), 2;
	char token[TOKEN_MAX + 2], auth[TOKEN_MAX + 32], endpoint[1024];
	if (!token_file_read(token_file, token, sizeof(token)) || strlen(token) > TOKEN_MAX)
		return tool_error("publish: cannot read a token (1..256 characters) from %s",
				  token_file),
		       2;
	size_t len = 0;
	unsigned char *data = slurp(path, &len);
	if (!data) {
		explicit_bzero(token, sizeof(token));
		return tool_error("publish: cannot read %s", path);
	}
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	explicit_bzero(token, sizeof(token));
	size_t ulen = strlen(url);
	while (ulen && url[ulen - 1] == '/')
		ulen--;
	snprintf(endpoint, sizeof(endpoint), "%.*s/v1/offices/%s/bundles", (int)ulen, url, office);
	static struct answer a; /* 64 KiB: not on the stack */
	a.len = 0;
	a.buf[0] = '\0';
	int rc = 3;
	long status = 0;
	struct curl_slist *hdrs = NULL;
	CURL *c = NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || !(c = curl_easy_init()))
		goto out;
	hdrs = curl_slist_append(hdrs, auth);
	hdrs = curl_slist_append(hdrs, "Content-Type: application/vnd.adm.bundle");
	hdrs = curl_slist_append(hdrs, "Expect:");
	curl_easy_setopt(c, CURLOPT_URL, endpoint);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, (const char *)data);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 600L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (ca)
		curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	CURLcode cc = curl_easy_perform(c);
	if (cc != CURLE_OK) {
		tool_error("publish: %s: %s", url, curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	print_answer(status, &a);
	rc = status == 200 || status == 201 ? 0 : status >= 400 && status < 500 ? 1 : 3;
out:
	explicit_bzero(auth, sizeof(auth));
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	curl_global_cleanup();
	free(data);
	return rc;
}
