/*
 * admctl purge and admctl audit: the cache's housekeeping and its audit trail, on the
 * cache itself (the kiosk may run: SQLite's WAL arbitrates).
 */
#include "tech.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void human_purge(json_t *o)
{
	printf("purged: %lld documents, %lld blobs, %lld events, %lld jobs, %lld citizens, %lld "
	       "audit rows\n",
	       (long long)json_integer_value(json_object_get(o, "documents")),
	       (long long)json_integer_value(json_object_get(o, "blobs")),
	       (long long)json_integer_value(json_object_get(o, "events")),
	       (long long)json_integer_value(json_object_get(o, "jobs")),
	       (long long)json_integer_value(json_object_get(o, "holders")),
	       (long long)json_integer_value(json_object_get(o, "audit")));
}

int admctl_purge(int argc, char **argv)
{
	static const char help[] =
	    "usage: admctl purge [--config FILE] [--json]\n"
	    "Removes what the cache no longer needs: printed, expired and revoked documents\n"
	    "and their files, acknowledged events, old jobs, citizens no longer followed,\n"
	    "audit rows older than 400 days. What only this kiosk knows stays.\n";
	struct tech t;
	int rc = tech_begin(&t, "purge", argc, argv, 0, help);
	if (rc >= 0)
		return rc;
	cache_t *c = tech_cache(&t, &rc);
	if (!c)
		return rc;
	struct cache_purge_stats st = { 0 };
	rc = cache_purge(c, (int64_t)time(NULL), &st);
	if (rc == CACHE_OK)
		tech_audit(c, "technician-purge", "admctl");
	cache_close(c);
	if (rc != CACHE_OK)
		return tech_fail(&t, ADMCTL_NO_STORE, "the purge failed: %s", cache_strerror(rc));
	return tech_done(&t, ADMCTL_OK,
			 json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "documents", st.documents,
				   "blobs", st.blobs, "events", st.events, "jobs", st.jobs,
				   "holders", st.holders, "audit", st.audit),
			 human_purge);
}

static void add_row(const struct cache_audit_row *r, void *user)
{
	/* the NIK is in the audit only as a keyed hash; whether a row names one is enough */
	json_array_append_new(user,
			      json_pack("{s:I, s:I, s:s, s:b, s:s}", "seq", (json_int_t)r->seq,
					"at", (json_int_t)r->at, "what", r->what, "citizen",
					r->nik_hash[0] != '\0', "detail", r->detail));
}

static void human_audit(json_t *o)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(o, "audit"), i, r)
	{
		char t[32];
		tech_time(json_integer_value(json_object_get(r, "at")), t);
		const char *d = json_string_value(json_object_get(r, "detail"));
		printf("%s  %s%s%s%s\n", t, json_string_value(json_object_get(r, "what")),
		       json_is_true(json_object_get(r, "citizen")) ? " (a citizen)" : "",
		       d[0] ? "  " : "", d);
	}
}

/* --since: unix seconds, YYYY-MM-DD (UTC) or Nd/Nh (days or hours ago). */
static bool parse_since(const char *s, int64_t *out)
{
	char *end;
	long long n = strtoll(s, &end, 10);
	struct tm tm = { 0 };
	if (end != s && (*end == 'd' || *end == 'h') && !end[1] && n >= 0) {
		*out = (int64_t)time(NULL) - n * (*end == 'd' ? 86400 : 3600);
		return true;
	}
	if (end != s && !*end && n >= 0) {
		*out = n;
		return true;
	}
	end = strptime(s, "%Y-%m-%d", &tm);
	if (!end || *end)
		return false;
	*out = (int64_t)timegm(&tm);
	return true;
}

int admctl_audit(int argc, char **argv)
{
	static const char help[] =
	    "usage: admctl audit [--since WHEN] [--config FILE] [--json]\n"
	    "The kiosk's audit trail, oldest first (technician entries and actions, PIN\n"
	    "checks, prints). No citizen is named: a row only says that it concerns one.\n"
	    "  --since WHEN    from WHEN on: YYYY-MM-DD (UTC), unix seconds, or 7d / 12h ago\n";
	struct tech t;
	int rc = tech_begin(&t, "audit", argc, argv, 0, help);
	if (rc >= 0)
		return rc;
	int64_t since = 0;
	if (t.since && !parse_since(t.since, &since))
		return tech_fail(&t, ADMCTL_USAGE,
				 "--since %s: expected YYYY-MM-DD, unix seconds, "
				 "Nd or Nh",
				 t.since);
	cache_t *c = tech_cache(&t, &rc);
	if (!c)
		return rc;
	json_t *arr = json_array();
	rc = cache_audit_list(c, since, 0, add_row, arr);
	cache_close(c);
	if (rc < 0) {
		json_decref(arr);
		return tech_fail(&t, ADMCTL_NO_STORE, "cannot read the audit");
	}
	return tech_done(&t, ADMCTL_OK,
			 json_pack("{s:I, s:o}", "since", (json_int_t)since, "audit", arr),
			 human_audit);
}
