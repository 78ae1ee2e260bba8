/*
 * admctl status: the kiosk at a glance, from the running kiosk (its health: reader,
 * printers, supplies), adm-syncd (its last pass) and the cache (counts, last sync,
 * uncertain prints, whether a technician took it out of service), and the disk.
 * Works with everything stopped: then the health is the one the kiosk last stored.
 */
#include "tech.h"

#include "adm-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

static void count_job(int64_t job, const char *doc_id, int cups_job_id, void *user)
{
	(void)job, (void)doc_id, (void)cups_job_id;
	++*(int *)user;
}

/* What the cache says; fills o. */
static void from_cache(cache_t *c, json_t *o)
{
	char v[4096];
	int uncertain = 0;
	cache_jobs_uncertain(c, count_job, &uncertain);
	json_object_set_new(o, "documents", json_integer(cache_document_count(c)));
	json_object_set_new(o, "outbox_pending", json_integer(cache_outbox_pending(c)));
	json_object_set_new(o, "uncertain_prints", json_integer(uncertain));
	json_object_set_new(
	    o, "last_sync_ok",
	    json_integer(cache_state_get(c, "last_sync_ok", v, sizeof(v)) == CACHE_OK
			     ? strtoll(v, NULL, 10)
			     : 0));
	if (cache_service_message(c, v, sizeof(v)) == CACHE_OK)
		json_object_set_new(o, "service_message", json_string(v));
	json_error_t jerr;
	if (!json_object_get(o, "health") && cache_state_get(c, "health", v, sizeof(v)) == CACHE_OK)
		json_object_set_new(o, "health", json_loads(v, 0, &jerr));
}

static void disk(const char *path, json_t *o)
{
	struct statvfs sv;
	char dir[512];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	if (statvfs(slash && dir[0] ? dir : ".", &sv) == 0)
		json_object_set_new(o, "disk_free_mb",
				    json_integer((json_int_t)(sv.f_bavail * sv.f_frsize >> 20)));
}

static void human(json_t *o)
{
	char t[32];
	json_t *h = json_object_get(o, "health");
	const char *kv = json_string_value(json_object_get(o, "version"));
	const char *kerr = json_string_value(json_object_get(o, "kiosk_error"));
	printf("kiosk:     %s (%s%s%s), adm-kiosk %s, admctl %s\n",
	       json_string_value(json_object_get(o, "kiosk")),
	       json_is_true(json_object_get(o, "running")) ? "running" : "STOPPED",
	       kerr ? ", but it does not answer: " : "", kerr ? kerr : "", kv ? kv : "-",
	       json_string_value(json_object_get(o, "admctl_version")));
	if (json_object_get(o, "uptime_s"))
		printf("uptime:    %lld s\n",
		       (long long)json_integer_value(json_object_get(o, "uptime_s")));
	const char *msg = json_string_value(json_object_get(o, "service_message"));
	printf("service:   %s%s%s\n",
	       msg && msg[0] ? "OUT OF SERVICE by a technician: " : "in service",
	       msg && msg[0] ? msg : "", "");
	if (json_is_object(h)) {
		size_t i;
		json_t *v;
		printf("faults:   ");
		json_array_foreach(json_object_get(h, "service_faults"), i, v)
		    printf(" %s", json_string_value(v));
		printf("%s\n",
		       json_array_size(json_object_get(h, "service_faults")) ? "" : " none");
		const json_t *called = json_object_get(h, "staff_called");
		if (json_is_integer(called)) {
			tech_time(json_integer_value(called), t);
			printf("staff:     CALLED by a citizen (help panel) %s\n", t);
		}
		printf("reader:    %s (restarted %lld times by its watchdog, %lld after a crash)\n",
		       json_string_value(json_object_get(h, "reader")),
		       (long long)json_integer_value(json_object_get(h, "reader_watchdog")),
		       (long long)json_integer_value(json_object_get(h, "reader_crashes")));
		json_array_foreach(json_object_get(h, "printers"), i, v)
		{
			const char *fault = json_string_value(json_object_get(v, "fault"));
			printf("printer:   %s (%s): %s%s%s, %lld uncertain\n",
			       json_string_value(json_object_get(v, "queue")),
			       json_string_value(json_object_get(v, "media")),
			       json_is_true(json_object_get(v, "available")) ? "available"
									     : "NOT AVAILABLE",
			       fault && fault[0] ? ", " : "", fault ? fault : "",
			       (long long)json_integer_value(json_object_get(v, "uncertain")));
		}
	} else {
		printf("health:    unknown (the kiosk never stored it)\n");
	}
	if (json_object_get(o, "documents")) {
		tech_time(json_integer_value(json_object_get(o, "last_sync_ok")), t);
		printf(
		    "cache:     %lld documents, %lld events to send, %lld uncertain prints, last "
		    "sync %s\n",
		    (long long)json_integer_value(json_object_get(o, "documents")),
		    (long long)json_integer_value(json_object_get(o, "outbox_pending")),
		    (long long)json_integer_value(json_object_get(o, "uncertain_prints")), t);
	}
	printf("adm-syncd: %s\n",
	       json_is_true(json_object_get(o, "syncd_running")) ? "running" : "STOPPED");
	if (json_object_get(o, "disk_free_mb"))
		printf("disk:      %lld MiB free\n",
		       (long long)json_integer_value(json_object_get(o, "disk_free_mb")));
}

int admctl_status(int argc, char **argv)
{
	static const char help[] =
	    "usage: admctl status [--config FILE] [--json]\n"
	    "The kiosk at a glance: running or not, out of service, faults, "
	    "printers and\nsupplies, the reader, the cache, the last sync, "
	    "the disk. Works with the kiosk\nstopped (its last stored health).\n";
	struct tech t;
	int rc = tech_begin(&t, "status", argc, argv, 0, help);
	if (rc >= 0)
		return rc;
	char err[256];
	bool running = false, syncd = false;
	json_t *o = tech_call(&t, t.cfg.control, json_pack("{s:s}", "cmd", "status"), 5, &running,
			      err, sizeof(err));
	if (!json_is_true(json_object_get(o, "ok"))) {
		/* stopped, or running and refusing us (not root, not in group adm) */
		const char *why = json_string_value(json_object_get(o, "error"));
		json_t *k = json_pack("{s:s}", "kiosk", t.cfg.kiosk_id);
		if (running)
			json_object_set_new(k, "kiosk_error", json_string(why ? why : err));
		json_decref(o);
		o = k;
	}
	json_object_del(o, "ok");
	json_object_set_new(o, "running", json_boolean(running));
	json_object_set_new(o, "admctl_version", json_string(ADM_VERSION));
	json_t *s = tech_call(&t, t.cfg.sync_control, json_pack("{s:s}", "cmd", "status"), 5,
			      &syncd, err, sizeof(err));
	json_object_set_new(o, "syncd_running", json_boolean(syncd));
	if (s)
		json_object_set(o, "syncd", s);
	json_decref(s);
	if (t.cfg.cache_path[0]) {
		struct cache_options co = { .path = t.cfg.cache_path, .key_path = t.cfg.cache_key };
		int e;
		cache_t *c = cache_open(&co, &e);
		if (c)
			from_cache(c, o);
		else
			json_object_set_new(o, "cache_error", json_string(cache_strerror(e)));
		cache_close(c);
		disk(t.cfg.cache_path, o);
	}
	return tech_done(&t, ADMCTL_OK, o, human);
}
