/*
 * admctl enrol URL CODE: makes this kiosk known to adm-central with the one-time code its
 * regional office created (central/enrol.h). The kiosk sends the code, gets its id, region
 * and a bearer token, writes the token file (0600) and, when there is none (a new kiosk, a
 * swapped disk), a new kiosk key (0600) that its cache is encrypted under; then it writes
 * its configuration from a template with the answers. Nobody types or copies a secret.
 */
#include "tech.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ANSWER_MAX 4096

struct answer {
	char data[ANSWER_MAX];
	size_t len;
};

static size_t take(char *p, size_t size, size_t n, void *user)
{
	struct answer *a = user;
	size_t len = size * n;
	if (a->len + len >= sizeof(a->data))
		return 0; /* more than an enrolment answer: a wrong server */
	memcpy(a->data + a->len, p, len);
	a->len += len;
	a->data[a->len] = '\0';
	return len;
}

/* POSTs the code; the answer's object, or NULL with why in err. */
static json_t *post(const char *url, const char *ca, const char *code, char *err, size_t errlen)
{
	char endpoint[512], *body = NULL;
	struct answer a = { .len = 0 };
	long status = 0;
	json_t *req = json_pack("{s:s}", "code", code);
	body = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	snprintf(endpoint, sizeof(endpoint), "%s/v1/enrol", url);
	CURL *c = curl_easy_init();
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	CURLcode rc = CURLE_FAILED_INIT;
	if (c && body) {
		curl_easy_setopt(c, CURLOPT_URL, endpoint);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, take);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
		if (ca && ca[0])
			curl_easy_setopt(c, CURLOPT_CAINFO, ca);
		rc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	free(body);
	json_error_t jerr;
	json_t *ans = rc == CURLE_OK ? json_loads(a.data, 0, &jerr) : NULL;
	sodium_memzero(a.data, sizeof(a.data));
	if (rc != CURLE_OK)
		snprintf(err, errlen, "%.300s: %s", endpoint, curl_easy_strerror(rc));
	else if (status != 200) {
		const char *m =
		    json_string_value(json_object_get(json_object_get(ans, "error"), "message"));
		snprintf(err, errlen, "refused (HTTP %ld): %s", status, m ? m : "no reason given");
		json_decref(ans);
		ans = NULL;
	} else if (!json_is_string(json_object_get(ans, "token")) ||
		   !json_is_string(json_object_get(ans, "kiosk"))) {
		snprintf(err, errlen, "%.300s: not an enrolment answer", endpoint);
		json_decref(ans);
		ans = NULL;
	}
	return ans;
}

/* Writes data to path (mode 0600) through a temporary file and a rename. */
static bool write_private(const char *path, const void *data, size_t len)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return false;
	bool ok = write(fd, data, len) == (ssize_t)len && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (ok && rename(tmp, path) != 0)
		ok = false;
	if (!ok)
		unlink(tmp);
	return ok;
}

/* The template with this kiosk's answers put in: [kiosk] id, [sync] url and token_file,
 * [cache] key (every other line as it is). */
static char *fill_template(FILE *f, const char *id, const char *url, const char *token_file,
			   const char *key)
{
	char *out = NULL, *line = NULL, section[32] = "";
	size_t cap = 0, len = 0;
	FILE *m = open_memstream(&out, &len);
	while (m && getline(&line, &cap, f) > 0) {
		const char *p = line + strspn(line, " \t");
		if (*p == '[')
			sscanf(p, "[%31[^]]", section);
		size_t n = strcspn(p, " \t=");
		const char *v = NULL;
#define IS(s, k) (strcmp(section, s) == 0 && n == strlen(k) && strncmp(p, k, n) == 0)
		if (IS("kiosk", "id"))
			v = id;
		else if (IS("sync", "url"))
			v = url;
		else if (IS("sync", "token_file"))
			v = token_file;
		else if (IS("cache", "key"))
			v = key;
#undef IS
		if (v && strchr(p, '='))
			fprintf(m, "%.*s = %s\n", (int)n, p, v);
		else
			fputs(line, m);
	}
	free(line);
	if (m)
		fclose(m);
	return out;
}

static void human(json_t *o)
{
	printf("enrolled as kiosk %s (region %s); configuration %s written\n",
	       json_string_value(json_object_get(o, "kiosk")),
	       json_string_value(json_object_get(o, "region")),
	       json_string_value(json_object_get(o, "config")));
}

int admctl_enrol(int argc, char **argv)
{
	static const char help[] =
	    "usage: admctl enrol URL CODE [--template FILE] [--config FILE] [--ca FILE] [--json]\n"
	    "Enrols this kiosk at adm-central (URL) with the one-time CODE of its regional\n"
	    "office (adm-central kiosk add): writes the token file and, when there is none, a\n"
	    "new kiosk key, both 0600 at the template's [sync] token_file and [cache] key,\n"
	    "then --config (default /etc/adm/kiosk.conf) from --template (default: --config\n"
	    "itself) with the kiosk's id and the URL. A code works once.\n"
	    "  --template FILE the configuration to start from\n"
	    "  --ca FILE       the CA certificate(s) of adm-central's TLS certificate\n";
	const char *tmpl = NULL, *ca = NULL;
	char *rest[16];
	int n = 0;
	for (int i = 0; i < argc && n < 16; i++) { /* this command's own options first */
		if (strcmp(argv[i], "--template") == 0 && i + 1 < argc)
			tmpl = argv[++i];
		else if (strcmp(argv[i], "--ca") == 0 && i + 1 < argc)
			ca = argv[++i];
		else
			rest[n++] = argv[i];
	}
	struct tech t;
	int rc = tech_parse(&t, "enrol", n, rest, 2, help);
	if (rc >= 0)
		return rc;
	const char *url = t.pos[0], *code = t.pos[1];
	char err[512];
	if (!tmpl)
		tmpl = t.config_path;
	/* the template must itself be valid: what it says is where the secrets go */
	if (!config_load(&t.cfg, tmpl, err, sizeof(err)))
		return tech_fail(&t, ADMCTL_NO_STORE, "the template: %s", err);
	if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://127.0.0.1", 16) != 0)
		return tech_fail(&t, ADMCTL_USAGE,
				 "%s: expected https://HOST[:PORT] (plain http "
				 "only to 127.0.0.1)",
				 url);
	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return tech_fail(&t, ADMCTL_REFUSED, "cannot start libsodium or libcurl");
	json_t *ans = post(url, ca ? ca : t.cfg.sync_ca, code, err, sizeof(err));
	curl_global_cleanup();
	if (!ans)
		return tech_fail(&t, ADMCTL_REFUSED, "enrolment %s", err);
	const char *token = json_string_value(json_object_get(ans, "token"));
	const char *id = json_string_value(json_object_get(ans, "kiosk"));
	bool key_made = false;
	if (access(t.cfg.cache_key, F_OK) != 0) {
		unsigned char key[32];
		randombytes_buf(key, sizeof(key));
		key_made = write_private(t.cfg.cache_key, key, sizeof(key));
		sodium_memzero(key, sizeof(key));
		if (!key_made) {
			json_decref(ans);
			return tech_fail(&t, ADMCTL_REFUSED, "cannot write the kiosk key %s: %s",
					 t.cfg.cache_key, strerror(errno));
		}
	}
	char line[80];
	int tl = snprintf(line, sizeof(line), "%s\n", token);
	bool ok = tl > 0 && (size_t)tl < sizeof(line) &&
		  write_private(t.cfg.sync_token_file, line, (size_t)tl);
	sodium_memzero(line, sizeof(line));
	FILE *f = ok ? fopen(tmpl, "re") : NULL;
	char *conf = f ? fill_template(f, id, url, t.cfg.sync_token_file, t.cfg.cache_key) : NULL;
	if (f)
		fclose(f);
	ok = conf && write_private(t.config_path, conf, strlen(conf));
	free(conf);
	struct kiosk_config check;
	if (ok && !config_load(&check, t.config_path, err, sizeof(err))) {
		json_decref(ans);
		return tech_fail(&t, ADMCTL_REFUSED, "the written configuration: %s", err);
	}
	json_t *o = json_pack("{s:s, s:O, s:s, s:s, s:b}", "kiosk", id, "region",
			      json_object_get(ans, "region"), "config", t.config_path, "token_file",
			      t.cfg.sync_token_file, "key_made", key_made);
	json_decref(ans);
	if (!ok) {
		json_decref(o);
		return tech_fail(&t, ADMCTL_REFUSED,
				 "enrolled, but cannot write the token file "
				 "or the configuration");
	}
	return tech_done(&t, ADMCTL_OK, o, human);
}
