#include "nik.h"

#include <stddef.h>
#include <string.h>

struct province {
	int code;
	const char *name;
};

static const struct province provinces[] = {
#define PROVINCE(code, name) { code, name },
#include "provinces.def"
#undef PROVINCE
};

#define N_PROVINCES ((int)(sizeof(provinces) / sizeof(provinces[0])))

const char *nik_province_name(int code)
{
	for (int i = 0; i < N_PROVINCES; i++)
		if (provinces[i].code == code)
			return provinces[i].name;
	return NULL;
}

int nik_province_count(void)
{
	return N_PROVINCES;
}

int nik_province_code(int i)
{
	return i >= 0 && i < N_PROVINCES ? provinces[i].code : 0;
}

static int num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int days_in_month(int month, int year2)
{
	static const int days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	/* Two-digit years: 00 is 2000, a leap year; nobody living was born in 1900. */
	if (month == 2)
		return year2 % 4 == 0 ? 29 : 28;
	return days[month - 1];
}

bool nik_digits(const char *s)
{
	if (!s || strlen(s) != 16)
		return false;
	for (int i = 0; i < 16; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

enum nik_status nik_check(const char *nik)
{
	if (!nik || strlen(nik) != 16)
		return NIK_BAD_LENGTH;
	if (!nik_digits(nik))
		return NIK_NOT_DIGITS;
	if (!nik_province_name(num(nik, 2)))
		return NIK_BAD_PROVINCE;
	if (num(nik + 2, 2) == 0 || num(nik + 4, 2) == 0)
		return NIK_BAD_REGION;
	int day = num(nik + 6, 2), month = num(nik + 8, 2), year2 = num(nik + 10, 2);
	if (day > 40)
		day -= 40;
	if (month < 1 || month > 12 || day < 1 || day > days_in_month(month, year2))
		return NIK_BAD_DATE;
	if (num(nik + 12, 4) == 0)
		return NIK_BAD_SERIAL;
	return NIK_OK;
}

bool nik_parse(const char *nik, struct nik_parts *out)
{
	if (nik_check(nik) != NIK_OK)
		return false;
	out->province = num(nik, 2);
	out->regency = num(nik + 2, 2);
	out->district = num(nik + 4, 2);
	out->day = num(nik + 6, 2);
	out->female = out->day > 40;
	if (out->female)
		out->day -= 40;
	out->month = num(nik + 8, 2);
	out->year2 = num(nik + 10, 2);
	out->serial = num(nik + 12, 4);
	return true;
}

const char *nik_status_str(enum nik_status st)
{
	switch (st) {
	case NIK_OK:
		return "valid";
	case NIK_BAD_LENGTH:
		return "a NIK has exactly 16 digits";
	case NIK_NOT_DIGITS:
		return "a NIK has only digits";
	case NIK_BAD_PROVINCE:
		return "the first two digits are not a province code";
	case NIK_BAD_REGION:
		return "the regency or district code is 00";
	case NIK_BAD_DATE:
		return "digits 7-12 are not a date of birth (women: day + 40)";
	case NIK_BAD_SERIAL:
		return "the serial (last four digits) is 0000";
	}
	return "?";
}
