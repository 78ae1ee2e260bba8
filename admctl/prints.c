/*
 * admctl prints uncertain / prints settle ID printed|not-printed: the prints the kiosk
 * holds because nobody knows whether they came out (docs/printing.md), and the
 * technician's verdict, on the cache itself (cache_job_settle; then the running kiosk
 * counts them again for its technician screen).
 */
#include "tech.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct list {
	cache_t *c;
	json_t *arr;
};

static void add_job(int64_t job, const char *doc_id, int cups_job_id, void *user)
{
	struct list *l = user;
	struct cache_document d;
	bool known = cache_document_get(l->c, doc_id, &d) == CACHE_OK;
	/* what the document is, never whose: no NIK, no name */
	json_array_append_new(
	    l->arr, json_pack("{s:I, s:i, s:s, s:s, s:i}", "id", (json_int_t)job, "cups_job",
			      cups_job_id, "type", known ? d.type : "?", "media",
			      known && d.media == CACHE_MEDIA_CARD ? "card" : "a4", "pages",
			      known ? d.pages : 0));
}

static void human_list(json_t *o)
{
	size_t i;
	json_t *j;
	json_t *arr = json_object_get(o, "uncertain");
	if (!json_array_size(arr))
		printf("no uncertain prints\n");
	json_array_foreach(arr, i, j)
	    printf("%lld  %s on the %s printer, %lld page(s), CUPS job %lld\n",
		   (long long)json_integer_value(json_object_get(j, "id")),
		   json_string_value(json_object_get(j, "type")),
		   json_string_value(json_object_get(j, "media")),
		   (long long)json_integer_value(json_object_get(j, "pages")),
		   (long long)json_integer_value(json_object_get(j, "cups_job")));
}

static void human_settle(json_t *o)
{
	printf("print %lld settled: %s\n", (long long)json_integer_value(json_object_get(o, "id")),
	       json_is_true(json_object_get(o, "printed"))
		   ? "printed (the registry is told)"
		   : "not printed (the document is ready again, its PIN back)");
}

int admctl_prints(int argc, char **argv)
{
	static const char help[] =
	    "usage: admctl prints uncertain [--config FILE] [--json]\n"
	    "       admctl prints settle ID printed|not-printed [--config FILE] [--json]\n"
	    "uncertain: the prints held for a technician (the kiosk canceled them after the\n"
	    "printer had started, or CUPS lost track). settle: your verdict on one of them.\n";
	static const char *const subs[] = { "uncertain", "settle", NULL };
	struct tech t;
	int rc;
	int sub = tech_subcommand(argc, argv, subs, help, &rc);
	if (sub < 0)
		return rc;
	bool settle = sub == 1;
	rc = tech_begin(&t, settle ? "prints settle" : "prints uncertain", argc - 1, argv + 1,
			settle ? 2 : 0, help);
	if (rc >= 0)
		return rc;
	char *end;
	long long id = settle ? strtoll(t.pos[0], &end, 10) : 0;
	if (settle && (*end || id <= 0 ||
		       (strcmp(t.pos[1], "printed") != 0 && strcmp(t.pos[1], "not-printed") != 0)))
		return tech_fail(&t, ADMCTL_USAGE,
				 "expected an id from 'prints uncertain', then printed or "
				 "not-printed");
	cache_t *c = tech_cache(&t, &rc);
	if (!c)
		return rc;
	if (!settle) {
		struct list l = { c, json_array() };
		rc = cache_jobs_uncertain(c, add_job, &l);
		cache_close(c);
		if (rc < 0) {
			json_decref(l.arr);
			return tech_fail(&t, ADMCTL_NO_STORE, "cannot read the cache");
		}
		return tech_done(&t, ADMCTL_OK, json_pack("{s:o}", "uncertain", l.arr), human_list);
	}
	bool printed = strcmp(t.pos[1], "printed") == 0;
	rc = cache_job_settle(c, id, printed, (int64_t)time(NULL));
	if (rc == CACHE_OK) {
		char detail[64];
		snprintf(detail, sizeof(detail), "job=%lld %s (admctl)", id, t.pos[1]);
		tech_audit(c, "technician-settle", detail);
	}
	cache_close(c);
	if (rc == CACHE_ERR_STATE || rc == CACHE_ERR_NOT_FOUND)
		return tech_fail(&t, ADMCTL_REFUSED,
				 "print %lld is not an uncertain print (see "
				 "'admctl prints uncertain')",
				 id);
	if (rc != CACHE_OK)
		return tech_fail(&t, ADMCTL_NO_STORE, "cannot settle it: %s", cache_strerror(rc));
	/* the running kiosk's technician screen counts them again */
	char err[256];
	bool running;
	json_decref(tech_call(&t, t.cfg.control, json_pack("{s:s}", "cmd", "prints-changed"), 5,
			      &running, err, sizeof(err)));
	return tech_done(&t, ADMCTL_OK,
			 json_pack("{s:I, s:b}", "id", (json_int_t)id, "printed", printed),
			 human_settle);
}
