/*
 * adm-syncd's settings from kiosk.conf (options.h), with inih.
 */
#include "options.h"

#include "log.h"

#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>

void syncd_options_defaults(struct syncd_options *o)
{
	*o = (struct syncd_options){ .page_limit = 500,
				     .interval_s = 60,
				     .timeout_s = 30,
				     .request_timeout_s = 8,
				     .heartbeat_s = 300,
				     .backoff_max_s = 600,
				     .blob_min_speed = 1024,
				     .blob_stall_s = 30,
				     .blob_deadline_rate = 32 * 1024 };
	proto_limits_default(&o->limits);
}

void syncd_options_free(struct syncd_options *o)
{
	for (int i = 0; i < o->n_owned; i++)
		free(o->owned[i]);
	o->n_owned = 0;
}

bool syncd_options_range(const char *v, int *out, long max)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (!*v || *end || errno || n < 1 || n > max)
		return false;
	*out = (int)n;
	return true;
}

bool syncd_options_number(const char *v, int *out)
{
	return syncd_options_range(v, out, 86400);
}

/* inih callback for /etc/adm/kiosk.conf: takes [kiosk] id, [cache] path/key/
 * fetch_timeout and the [sync] section; the kiosk's other sections are not ours. */
static int on_ini(void *user, const char *section, const char *name, const char *value)
{
	struct syncd_options *o = user;
	const char **str = NULL;
	int *num = NULL;
	if (strcmp(section, "kiosk") == 0 && strcmp(name, "id") == 0)
		str = &o->kiosk;
	else if (strcmp(section, "cache") == 0 && strcmp(name, "path") == 0)
		str = &o->db;
	else if (strcmp(section, "cache") == 0 && strcmp(name, "key") == 0)
		str = &o->key;
	else if (strcmp(section, "cache") == 0 && strcmp(name, "fetch_timeout") == 0)
		num = &o->request_timeout_s;
	/* the content store and region, the same keys the kiosk and admctl read */
	else if (strcmp(section, "content") == 0 && strcmp(name, "store") == 0)
		str = &o->content;
	else if (strcmp(section, "content") == 0 && strcmp(name, "region") == 0)
		str = &o->region;
	else if (strcmp(section, "sync") != 0)
		return 1;
	else if (strcmp(name, "url") == 0)
		str = &o->url;
	else if (strcmp(name, "token_file") == 0)
		str = &o->token_file;
	else if (strcmp(name, "ca") == 0)
		str = &o->ca;
	else if (strcmp(name, "pin") == 0)
		str = &o->pin;
	else if (strcmp(name, "client_cert") == 0)
		str = &o->cert;
	else if (strcmp(name, "client_key") == 0)
		str = &o->cert_key;
	else if (strcmp(name, "spool") == 0)
		str = &o->spool;
	else if (strcmp(name, "screenshot") == 0)
		str = &o->screenshot;
	else if (strcmp(name, "page_limit") == 0)
		num = &o->page_limit;
	else if (strcmp(name, "interval") == 0)
		num = &o->interval_s;
	else if (strcmp(name, "timeout") == 0)
		num = &o->timeout_s;
	else if (strcmp(name, "heartbeat") == 0)
		num = &o->heartbeat_s;
	else if (strcmp(name, "backoff_max") == 0)
		num = &o->backoff_max_s;
	else {
		log_error("unknown key '%s' in [sync]", name);
		return 0;
	}
	if (str) {
		if (!*value)
			return 1; /* empty: keep the default */
		if (o->n_owned == (int)(sizeof(o->owned) / sizeof(o->owned[0])))
			return 0;
		char *copy = strdup(value);
		if (!copy)
			return 0;
		o->owned[o->n_owned++] = copy;
		*str = copy;
		return 1;
	}
	if (!syncd_options_number(value, num)) {
		log_error("[%s] %s: expected a number of seconds/records, got '%s'", section, name,
			  value);
		return 0;
	}
	return 1;
}

int syncd_options_read(struct syncd_options *o, const char *path)
{
	return ini_parse(path, on_ini, o);
}

int syncd_options_read_file(struct syncd_options *o, FILE *f)
{
	return ini_parse_file(f, on_ini, o);
}
