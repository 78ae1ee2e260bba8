/*
 * NIK (Nomor Induk Kependudukan) checks: 16 digits PP KK CC DD MM YY SSSS; women's day of
 * birth is written plus 40. Pure functions, used by the flow core, the keypad and the
 * synthetic data generator.
 */
#ifndef ADM_NIK_H
#define ADM_NIK_H

#include <stdbool.h>

enum nik_status {
	NIK_OK = 0,
	NIK_BAD_LENGTH, /* not exactly 16 characters */
	NIK_NOT_DIGITS,
	NIK_BAD_PROVINCE, /* first two digits are no province */
	NIK_BAD_REGION,	  /* regency/city 00 or district 00 */
	NIK_BAD_DATE,	  /* no such day, also after taking 40 off */
	NIK_BAD_SERIAL,	  /* 0000 */
};

enum nik_status nik_check(const char *nik);
/* Exactly 16 ASCII digits: the shape of a NIK or a KK number, without the NIK's rules. */
bool nik_digits(const char *s);
/* A short English reason, for logs and tests; the UI has its own bilingual texts. */
const char *nik_status_str(enum nik_status st);

struct nik_parts {
	int province, regency, district;
	int day, month, year2; /* day with the 40 already taken off */
	bool female;
	int serial;
};
/* Splits a NIK that nik_check() accepted; false otherwise. */
bool nik_parse(const char *nik, struct nik_parts *out);

/* The province's name, or NULL for an unknown code. */
const char *nik_province_name(int code);
/* The number of provinces in the table, and the code of the i-th. */
int nik_province_count(void);
int nik_province_code(int i);

#endif
