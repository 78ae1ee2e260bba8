/*
 * adm-syncd's settings from kiosk.conf (options.h), through kiosk/config.c.
 */
#include "options.h"

#include <errno.h>
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
	free(o->file);
	o->file = NULL;
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

/* An empty string in the file means "none": the option keeps its default. */
static void take(const char **opt, const char *value)
{
	if (value[0])
		*opt = value;
}

/* The keys that are adm-syncd's business; the table checked every other one. */
static void apply(struct syncd_options *o, const struct kiosk_config *f)
{
	take(&o->kiosk, f->kiosk_id);
	take(&o->db, f->cache_path);
	take(&o->key, f->cache_key);
	o->request_timeout_s = f->fetch_timeout_s;
	/* a store is of use only with the region its bundles are checked against: the
	 * table's default store alone does not switch bundles on */
	if (f->content_region[0]) {
		take(&o->content, f->content_store);
		take(&o->region, f->content_region);
	}
	take(&o->url, f->sync_url);
	take(&o->token_file, f->sync_token_file);
	take(&o->ca, f->sync_ca);
	take(&o->pin, f->sync_pin);
	take(&o->cert, f->sync_client_cert);
	take(&o->cert_key, f->sync_client_key);
	take(&o->spool, f->sync_spool);
	take(&o->screenshot, f->sync_screenshot);
	take(&o->control, f->sync_control);
	o->page_limit = f->sync_page_limit;
	o->interval_s = f->sync_interval_s;
	o->timeout_s = f->sync_timeout_s;
	o->heartbeat_s = f->sync_heartbeat_s;
	o->backoff_max_s = f->sync_backoff_max_s;
}

/* Keeps cfg (loaded when ok) as the file the options point into. */
static bool adopt(struct syncd_options *o, struct kiosk_config *cfg, bool ok)
{
	if (!ok) {
		free(cfg);
		return false;
	}
	syncd_options_free(o); /* a second --config replaces the first */
	o->file = cfg;
	apply(o, cfg);
	return true;
}

static struct kiosk_config *new_config(const char *path, char *err, size_t errlen)
{
	struct kiosk_config *cfg = malloc(sizeof(*cfg));
	if (!cfg)
		snprintf(err, errlen, "%s: out of memory while reading", path);
	return cfg;
}

bool syncd_options_read_file(struct syncd_options *o, FILE *f, const char *path, char *err,
			     size_t errlen)
{
	struct kiosk_config *cfg = new_config(path, err, errlen);
	return cfg && adopt(o, cfg, config_load_stream(cfg, f, path, err, errlen));
}

bool syncd_options_read(struct syncd_options *o, const char *path, char *err, size_t errlen)
{
	struct kiosk_config *cfg = new_config(path, err, errlen);
	return cfg && adopt(o, cfg, config_load(cfg, path, err, errlen));
}
