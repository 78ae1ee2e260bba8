/*
 * Dayparting and the time rule as pure functions at fixed clocks: a daily span that
 * crosses midnight, validity windows at their edges, local time at Indonesia's three
 * offsets, opening hours with a holiday, an expired bundle degrading, and a clock reset
 * to 1970 held up by the newest accepted bundle's created.
 */
#include "content.h"

#include "../check.h"

#include <string.h>

#define WIB (7 * 3600)

/* Local wall time in WIB as UTC seconds. */
static int64_t wib(const char *local)
{
	int64_t t = 0;
	CHECK(content_time_parse(local, &t), "%s", local);
	return t - WIB;
}

static bool shown(const struct content_item *it, const char *local, bool expired)
{
	struct content_now n = content_now_at(wib(local), WIB);
	return content_item_visible(it, &n, expired);
}

static void test_now_at(void)
{
	/* 2026-12-04 is a Friday */
	struct content_now n = content_now_at(wib("2026-12-04T22:00:00Z"), WIB);
	CHECK(n.wday == 5 && n.minute == 22 * 60 && n.date == 20261204, "wday %d minute %d date %d",
	      n.wday, n.minute, n.date);
	n = content_now_at(wib("2026-12-04T22:00:00Z"), 9 * 3600); /* the same instant in WIT */
	CHECK(n.wday == 6 && n.minute == 0 && n.date == 20261205);
	n = content_now_at(0, WIB);
	CHECK(n.wday == 4 && n.minute == 7 * 60 && n.date == 19700101);
	n = content_now_at(-1, 0);
	CHECK(n.wday == 3 && n.minute == 1439 && n.date == 19691231);
}

static void test_across_midnight(void)
{
	struct content_item it = { .kind = CONTENT_ANNOUNCEMENT,
				   .timed = true,
				   .valid_from = INT64_MIN,
				   .valid_until = INT64_MAX };
	it.days = 1u << 5; /* Fridays */
	it.has_hours = true;
	it.hours = (struct content_span){ 22 * 60, 2 * 60 };
	CHECK(!shown(&it, "2026-12-04T21:59:00Z", false), "Fri 21:59");
	CHECK(shown(&it, "2026-12-04T22:00:00Z", false), "Fri 22:00");
	CHECK(shown(&it, "2026-12-04T23:59:00Z", false), "Fri 23:59");
	CHECK(shown(&it, "2026-12-05T00:00:00Z", false), "Sat 00:00 (Friday's span)");
	CHECK(shown(&it, "2026-12-05T01:59:00Z", false), "Sat 01:59");
	CHECK(!shown(&it, "2026-12-05T02:00:00Z", false), "Sat 02:00: end is exclusive");
	CHECK(!shown(&it, "2026-12-04T01:00:00Z", false), "Fri 01:00 belongs to Thursday");
	CHECK(!shown(&it, "2026-12-05T22:30:00Z", false), "Sat 22:30");
	it.days = 0; /* every day */
	CHECK(shown(&it, "2026-12-02T01:00:00Z", false) &&
	      shown(&it, "2026-12-02T23:00:00Z", false));
	CHECK(!shown(&it, "2026-12-02T12:00:00Z", false));
	/* a plain span, and 24:00 as the end of the day */
	it.hours = (struct content_span){ 8 * 60, 24 * 60 };
	CHECK(!shown(&it, "2026-12-02T07:59:00Z", false) &&
	      shown(&it, "2026-12-02T08:00:00Z", false));
	CHECK(shown(&it, "2026-12-02T23:59:00Z", false));
}

static void test_window(void)
{
	struct content_item it = { .kind = CONTENT_NOTICE, .timed = true };
	content_time_parse("2026-12-07T01:00:00Z", &it.valid_from); /* 08:00 WIB */
	content_time_parse("2026-12-11T10:00:00Z", &it.valid_until);
	CHECK(!shown(&it, "2026-12-07T07:59:59Z", false));
	CHECK(shown(&it, "2026-12-07T08:00:00Z", false));
	CHECK(shown(&it, "2026-12-11T16:59:59Z", false));
	CHECK(!shown(&it, "2026-12-11T17:00:00Z", false), "until is exclusive");
	CHECK(!shown(&it, "2026-12-09T12:00:00Z", true), "expired bundle hides timed items");
	it.days = 1u << 1 | 1u << 3; /* Mondays and Wednesdays */
	CHECK(shown(&it, "2026-12-07T12:00:00Z", false) &&
	      !shown(&it, "2026-12-08T12:00:00Z", false));
}

static void test_degrade(void)
{
	struct content_item hours = { .kind = CONTENT_HOURS,
				      .valid_from = INT64_MIN,
				      .valid_until = INT64_MAX,
				      .has_week = true };
	struct content_item office = hours;
	office.kind = CONTENT_OFFICE;
	CHECK(shown(&hours, "2027-06-01T12:00:00Z", true), "opening hours kept when expired");
	CHECK(shown(&office, "2027-06-01T12:00:00Z", true), "offices kept when expired");
	/* an office with its own window still ends */
	content_time_parse("2027-01-01T00:00:00Z", &office.valid_until);
	office.timed = true;
	CHECK(shown(&office, "2026-12-20T12:00:00Z", true));
	CHECK(!shown(&office, "2027-06-01T12:00:00Z", true));
	struct content_item ann = { .kind = CONTENT_ANNOUNCEMENT,
				    .valid_from = INT64_MIN,
				    .valid_until = INT64_MAX };
	CHECK(shown(&ann, "2027-06-01T12:00:00Z", false) &&
	      !shown(&ann, "2027-06-01T12:00:00Z", true));
}

static void test_week_open(void)
{
	struct content_week w = { 0 };
	w.spans[1][0] = (struct content_span){ 8 * 60, 12 * 60 };
	w.spans[1][1] = (struct content_span){ 13 * 60, 15 * 60 + 30 };
	w.n[1] = 2;
	struct content_holiday h = { .date = 20261214 };
	struct content_now n = content_now_at(wib("2026-12-07T09:00:00Z"), WIB);
	CHECK(content_week_open(&w, &h, 1, &n), "Mon 09:00");
	n = content_now_at(wib("2026-12-07T12:30:00Z"), WIB);
	CHECK(!content_week_open(&w, &h, 1, &n), "Mon lunch");
	n = content_now_at(wib("2026-12-07T15:29:00Z"), WIB);
	CHECK(content_week_open(&w, &h, 1, &n));
	n = content_now_at(wib("2026-12-14T09:00:00Z"), WIB);
	CHECK(!content_week_open(&w, &h, 1, &n), "holiday Monday");
	n = content_now_at(wib("2026-12-08T09:00:00Z"), WIB);
	CHECK(!content_week_open(&w, &h, 1, &n), "Tuesday closed");
}

static void test_effective_now(void)
{
	int64_t created;
	content_time_parse("2026-12-03T08:00:00Z", &created);
	CHECK(content_effective_now(0, created) == created, "clock reset to 1970");
	CHECK(content_effective_now(created + 5, created) == created + 5);
	CHECK(content_effective_now(created - 86400, created) == created, "clock a day behind");
	CHECK(content_effective_now(123, 0) == CONTENT_TIME_FLOOR, "nothing accepted yet");
	CHECK(content_effective_now(CONTENT_TIME_FLOOR + 9, 0) == CONTENT_TIME_FLOOR + 9);
	/* a valid item still shows on a 1970 clock, at the floor */
	struct content_item it = { .kind = CONTENT_ANNOUNCEMENT,
				   .timed = true,
				   .valid_from = created - 3600,
				   .valid_until = created + 86400 };
	struct content_now n = content_now_at(content_effective_now(0, created), WIB);
	CHECK(content_item_visible(&it, &n, false));
	n = content_now_at(0, WIB);
	CHECK(!content_item_visible(&it, &n, false), "the raw 1970 clock would hide it");
}

static void test_parse_time(void)
{
	int64_t t;
	CHECK(content_time_parse("2026-12-03T09:00:00Z", &t) && t == 1796288400LL);
	CHECK(content_time_parse("2028-02-29T00:00:00Z", &t));
	CHECK(!content_time_parse("2027-02-29T00:00:00Z", &t), "not a leap year");
	CHECK(!content_time_parse("2026-12-03 09:00:00Z", &t));
	CHECK(!content_time_parse("2026-12-03T09:00:00+07", &t));
	CHECK(!content_time_parse("2026-12-03T24:00:00Z", &t));
	char s[21];
	content_time_format(1796288400LL, s);
	CHECK(strcmp(s, "2026-12-03T09:00:00Z") == 0, "%s", s);
	CHECK(content_region_covers("32", "32.73") && content_region_covers("32.73", "32.73"));
	CHECK(!content_region_covers("32.7", "32.73") && !content_region_covers("3", "32.73"));
	CHECK(!content_region_covers("32.73", "32") && !content_region_covers("33", "32.73"));
}

int main(void)
{
	test_now_at();
	test_across_midnight();
	test_window();
	test_degrade();
	test_week_open();
	test_effective_now();
	test_parse_time();
	return check_done();
}
