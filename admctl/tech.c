/*
 * The technician commands' shared parts (tech.h).
 */
#include "tech.h"

#include "control.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_CONFIG "/etc/adm/kiosk.conf"

static const char common_help[] =
    "  --config FILE   the kiosk config (default " DEFAULT_CONFIG ")\n"
    "  --json          one JSON object on stdout instead of text\n"
    "  --help          this text\n";

int tech_parse(struct tech *t, const char *name, int argc, char **argv, int npos, const char *help)
{
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->config_path = DEFAULT_CONFIG;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			printf("%s%s", help, common_help);
			return ADMCTL_OK;
		} else if (strcmp(a, "--json") == 0) {
			t->json = true;
		} else if (strcmp(a, "--config") == 0 && v) {
			t->config_path = v;
			i++;
		} else if (strcmp(a, "--since") == 0 && v && strstr(help, "--since")) {
			t->since = v;
			i++;
		} else if (strcmp(a, "--queue") == 0 && v && strstr(help, "--queue")) {
			t->queue = v;
			i++;
		} else if (strcmp(a, "--timeout") == 0 && v && strstr(help, "--timeout")) {
			t->timeout_s = atoi(v);
			i++;
			if (t->timeout_s < 1 || t->timeout_s > 3600)
				return tech_fail(t, ADMCTL_USAGE,
						 "--timeout takes 1..3600 seconds");
		} else if (a[0] == '-' && a[1]) {
			return tech_fail(t, ADMCTL_USAGE,
					 "unknown option or missing value: %s (see --help)", a);
		} else if (t->npos < TECH_POS_MAX) {
			t->pos[t->npos++] = a;
		} else {
			return tech_fail(t, ADMCTL_USAGE, "too many arguments (see --help)");
		}
	}
	if (t->npos != npos)
		return tech_fail(t, ADMCTL_USAGE, "expected %d argument%s (see --help)", npos,
				 npos == 1 ? "" : "s");
	return -1;
}

int tech_config(struct tech *t)
{
	char err[512];
	if (!config_load(&t->cfg, t->config_path, err, sizeof(err)))
		return tech_fail(t, ADMCTL_NO_STORE, "%s", err);
	return -1;
}

int tech_begin(struct tech *t, const char *name, int argc, char **argv, int npos, const char *help)
{
	int rc = tech_parse(t, name, argc, argv, npos, help);
	return rc >= 0 ? rc : tech_config(t);
}

int tech_subcommand(int argc, char **argv, const char *const *subs, const char *help, int *rc)
{
	for (int i = 0; argc >= 2 && subs[i]; i++)
		if (strcmp(argv[1], subs[i]) == 0)
			return i;
	bool asked = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
	fprintf(asked ? stdout : stderr, "%s", help);
	*rc = asked ? ADMCTL_OK : ADMCTL_USAGE;
	return -1;
}

cache_t *tech_cache(struct tech *t, int *rc)
{
	if (!t->cfg.cache_path[0]) {
		*rc = tech_fail(t, ADMCTL_NO_STORE, "%s: no [cache] path", t->config_path);
		return NULL;
	}
	struct cache_options co = { .path = t->cfg.cache_path, .key_path = t->cfg.cache_key };
	int err = 0;
	cache_t *c = cache_open(&co, &err);
	if (!c)
		*rc = tech_fail(t, ADMCTL_NO_STORE, "cannot open the cache %s: %s",
				t->cfg.cache_path, cache_strerror(err));
	return c;
}

json_t *tech_call(struct tech *t, const char *socket, json_t *req, int timeout_s, bool *running,
		  char *err, size_t errlen)
{
	(void)t;
	json_t *ans = control_call(socket, req, timeout_s * 1000, running, err, errlen);
	json_decref(req);
	return ans;
}

void tech_audit(cache_t *c, const char *what, const char *detail)
{
	if (c && cache_audit(c, what, NULL, detail, (int64_t)time(NULL)) != CACHE_OK)
		fprintf(stderr, "admctl: warning: cannot write the audit row '%s'\n", what);
}

void tech_audit_once(struct tech *t, const char *what, const char *detail)
{
	struct cache_options co = { .path = t->cfg.cache_path, .key_path = t->cfg.cache_key };
	int err = 0;
	cache_t *c = t->cfg.cache_path[0] ? cache_open(&co, &err) : NULL;
	if (t->cfg.cache_path[0] && !c)
		fprintf(stderr, "admctl: warning: no audit row '%s': %s\n", what,
			cache_strerror(err));
	tech_audit(c, what, detail);
	cache_close(c);
}

int tech_done(struct tech *t, int code, json_t *obj, void (*human)(json_t *obj))
{
	if (!obj)
		return tech_fail(t, ADMCTL_REFUSED, "out of memory");
	json_object_set_new(obj, "ok", json_boolean(code == ADMCTL_OK));
	if (t->json) {
		char *s = json_dumps(obj, JSON_COMPACT);
		if (s)
			printf("%s\n", s);
		free(s);
	} else {
		human(obj);
	}
	json_decref(obj);
	return code;
}

int tech_fail(struct tech *t, int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (t->json) {
		json_t *o = json_pack("{s:b, s:s, s:i}", "ok", 0, "error", msg, "exit", code);
		char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
		if (s)
			printf("%s\n", s);
		free(s);
		json_decref(o);
	} else {
		fprintf(stderr, "admctl %s: %s\n", t->name, msg);
	}
	return code;
}

void tech_time(int64_t t, char out[32])
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (!t || !gmtime_r(&tt, &tm))
		snprintf(out, 32, "never");
	else
		strftime(out, 32, "%Y-%m-%d %H:%M:%S UTC", &tm);
}
