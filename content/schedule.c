/*
 * When content shows: pure functions of (now, item), so the tests drive them at fixed
 * clocks and the attract screen calls them without a clock of its own. Validity windows
 * are absolute (UTC); days and hours are the kiosk's local time, given as a fixed UTC
 * offset because Indonesia keeps no daylight saving time. A daily span may cross midnight
 * (22:00-02:00): the hours after midnight belong to the day the span started on, so
 * "Fridays 22:00-02:00" still shows at 01:00 on Saturday and not at 01:00 on Friday.
 */
#include "content.h"

int64_t content_effective_now(int64_t wall_now, int64_t newest_created)
{
	int64_t floor = newest_created > CONTENT_TIME_FLOOR ? newest_created : CONTENT_TIME_FLOOR;
	return wall_now > floor ? wall_now : floor;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* YYYYMMDD of a day count since 1970-01-01 (H. Hinnant's civil_from_days). */
static int32_t civil_date(int64_t z)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	return (int32_t)(y * 10000 + m * 100 + d);
}

struct content_now content_now_at(int64_t utc, int utc_offset_s)
{
	struct content_now n;
	int64_t local = utc + utc_offset_s;
	int64_t days = floor_div(local, 86400);
	n.utc = utc;
	n.minute = (int)((local - days * 86400) / 60);
	n.wday = (int)((days % 7 + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
	n.date = civil_date(days);
	return n;
}

static bool day_on(uint8_t days, int wday)
{
	return days == 0 || (days & (1u << wday));
}

bool content_item_visible(const struct content_item *it, const struct content_now *now,
			  bool bundle_expired)
{
	/* an expired bundle keeps what a citizen needs to find help: hours and offices */
	if (bundle_expired && it->kind != CONTENT_HOURS && it->kind != CONTENT_OFFICE)
		return false;
	if (now->utc < it->valid_from || now->utc >= it->valid_until)
		return false;
	if (!it->has_hours)
		return day_on(it->days, now->wday);
	int from = it->hours.from, until = it->hours.until, m = now->minute;
	if (from < until)
		return m >= from && m < until && day_on(it->days, now->wday);
	if (m >= from)
		return day_on(it->days, now->wday);
	return m < until && day_on(it->days, (now->wday + 6) % 7);
}

bool content_week_open(const struct content_week *w, const struct content_holiday *holidays,
		       size_t nholidays, const struct content_now *now)
{
	for (size_t i = 0; i < nholidays; i++)
		if (holidays[i].date == now->date)
			return false;
	for (int i = 0; i < w->n[now->wday]; i++)
		if (now->minute >= w->spans[now->wday][i].from &&
		    now->minute < w->spans[now->wday][i].until)
			return true;
	return false;
}
