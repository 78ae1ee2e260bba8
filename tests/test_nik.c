/* NIK validation: every rule, both sexes, calendar edges, every province in the table. */
#include "check.h"
#include "nik.h"

#include <stdio.h>
#include <string.h>

static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

int main(void)
{
	struct nik_parts p;
	char nik[17];

	CHECK(nik_check("3171011708450001") == NIK_OK, "male example");
	CHECK(nik_check("3171015708450001") == NIK_OK, "female example");
	CHECK(nik_parse("3171015708450001", &p) && p.female && p.day == 17 && p.month == 8 &&
		  p.year2 == 45 && p.serial == 1 && p.province == 31 && p.regency == 71,
	      "parse female");
	CHECK(nik_parse("3171011708450001", &p) && !p.female && p.day == 17, "parse male");
	/* the bare shape, as for KK numbers */
	CHECK(nik_digits("0000000000000000") && nik_digits("3171011708450001"), "16 digits");
	CHECK(!nik_digits("317101170845000") && !nik_digits("31710117084500011") &&
		  !nik_digits("317101170845000a") && !nik_digits("") && !nik_digits(NULL),
	      "not 16 digits");
	CHECK(nik_check("317101170845000") == NIK_BAD_LENGTH, "15 digits");
	CHECK(nik_check("31710117084500012") == NIK_BAD_LENGTH, "17 digits");
	CHECK(nik_check("") == NIK_BAD_LENGTH, "empty");
	CHECK(nik_check(NULL) == NIK_BAD_LENGTH, "NULL");
	CHECK(nik_check("317101170845000a") == NIK_NOT_DIGITS, "letter");
	CHECK(nik_check("3171011708 50001") == NIK_NOT_DIGITS, "space");
	CHECK(nik_check("0071011708450001") == NIK_BAD_PROVINCE, "province 00");
	CHECK(nik_check("2071011708450001") == NIK_BAD_PROVINCE, "province 20");
	CHECK(nik_check("3100011708450001") == NIK_BAD_REGION, "regency 00");
	CHECK(nik_check("3171001708450001") == NIK_BAD_REGION, "district 00");
	CHECK(nik_check("3171011708450000") == NIK_BAD_SERIAL, "serial 0000");
	CHECK(nik_check("3171010008450001") == NIK_BAD_DATE, "day 00");
	CHECK(nik_check("3171014008450001") == NIK_BAD_DATE, "day 40 (female day 0)");
	CHECK(nik_check("3171011700450001") == NIK_BAD_DATE, "month 00");
	CHECK(nik_check("3171011713450001") == NIK_BAD_DATE, "month 13");
	CHECK(nik_check("3171013202450001") == NIK_BAD_DATE, "day 32 is neither sex");
	CHECK(nik_check("3171017202450001") == NIK_BAD_DATE, "female day 32");

	/* Every day of every month, both sexes, leap and common years. */
	for (int year = 0; year < 100; year += 1) {
		for (int m = 1; m <= 12; m++) {
			int days = m == 2 ? (year % 4 == 0 ? 29 : 28) : mdays[m - 1];
			for (int d = 1; d <= 31; d++) {
				for (int female = 0; female < 2; female++) {
					snprintf(nik, sizeof(nik), "327301%02d%02d%02d0042",
						 d + (female ? 40 : 0), m, year);
					enum nik_status want = d <= days ? NIK_OK : NIK_BAD_DATE;
					CHECK(nik_check(nik) == want, "%s: got %d want %d", nik,
					      nik_check(nik), want);
				}
			}
		}
	}
	/* Every province in the data file is accepted, and only those. */
	int known = 0;
	for (int code = 0; code < 100; code++) {
		snprintf(nik, sizeof(nik), "%02d01011708450001", code);
		bool in_table = nik_province_name(code) != NULL;
		known += in_table;
		CHECK((nik_check(nik) == NIK_OK) == in_table, "province %02d", code);
	}
	CHECK(known == nik_province_count(), "table has %d provinces, %d accepted",
	      nik_province_count(), known);
	CHECK(known >= 34, "at least the 34 provinces before 2022 (%d)", known);
	CHECK(strcmp(nik_province_name(31), "DKI Jakarta") == 0, "31 is Jakarta");
	CHECK(strlen(nik_status_str(NIK_BAD_DATE)) > 10, "reasons are sentences");
	return check_done();
}
