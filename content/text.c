/*
 * The small, strict parsers under the manifest and the keyring: text a citizen will read,
 * timestamps, region codes, names, and jansson set up to refuse what it would otherwise
 * let through (duplicate keys). Text is checked code point by code point because
 * jansson's own UTF-8 check lets through what a screen must not show: bidi overrides that
 * reorder a phone number, C1 controls, line separators.
 */
#include "content_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

json_t *content_json_load(const char *json, size_t len, char *reason, size_t size)
{
	json_error_t e;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &e);
	if (!root)
		content_fail(reason, size, CONTENT_E_MANIFEST, "JSON at line %d column %d: %s",
			     e.line, e.column, e.text);
	else if (!json_is_object(root)) {
		json_decref(root);
		root = NULL;
		content_fail(reason, size, CONTENT_E_MANIFEST, "JSON is not an object");
	}
	return root;
}

int content_json_keys_only(json_t *obj, const char *const *allowed, const char *what, char *reason,
			   size_t size)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		bool known = false;
		for (const char *const *a = allowed; *a && !known; a++)
			known = strcmp(*a, key) == 0;
		if (!known)
			return content_fail(reason, size, CONTENT_E_MANIFEST,
					    "%s: unknown field \"%.40s\"", what, key);
	}
	return CONTENT_OK;
}

bool content_name_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || !strchr("._-", c)))
			return false;
	}
	return true;
}

/* Decodes one UTF-8 sequence at s (n bytes left); 0 if malformed, overlong, a surrogate or
 * beyond U+10FFFF. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t len;
	uint32_t min;
	if ((s[0] & 0xE0) == 0xC0) {
		len = 2, min = 0x80, *cp = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3, min = 0x800, *cp = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4, min = 0x10000, *cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3F);
	}
	if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
		return 0;
	return len;
}

static bool bidi_control(uint32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

int content_text_check(const char *s, size_t len, bool multiline, size_t max, char *reason,
		       size_t reason_size)
{
	const unsigned char *p = (const unsigned char *)s;
	if (len > max)
		return content_fail(reason, reason_size, CONTENT_E_TEXT,
				    "text of %zu bytes, at most %zu", len, max);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_next(p + i, len - i, &cp);
		if (n == 0)
			return content_fail(reason, reason_size, CONTENT_E_TEXT,
					    "invalid UTF-8 at byte %zu", i);
		if ((cp < 0x20 && !(multiline && cp == '\n')) || cp == 0x7F)
			return content_fail(reason, reason_size, CONTENT_E_TEXT,
					    "C0 control U+%04X at byte %zu", cp, i);
		if (cp >= 0x80 && cp <= 0x9F)
			return content_fail(reason, reason_size, CONTENT_E_TEXT,
					    "C1 control U+%04X at byte %zu", cp, i);
		if (bidi_control(cp))
			return content_fail(reason, reason_size, CONTENT_E_TEXT,
					    "bidi control U+%04X at byte %zu", cp, i);
		if (cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || (cp & 0xFFFE) == 0xFFFE)
			return content_fail(reason, reason_size, CONTENT_E_TEXT,
					    "invisible or non-character U+%04X at byte %zu", cp, i);
		i += n;
	}
	return CONTENT_OK;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool date_ok(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 2000 || m < 1 || m > 12 || d < 1)
		return false;
	int last = mdays[m - 1] + (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
	return d <= last;
}

bool content_time_parse(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, se;
	if (strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || s[19] != 'Z')
		return false;
	if (!digits(s, 4, &y) || !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) ||
	    !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &se))
		return false;
	if (!date_ok(y, mo, d) || h > 23 || mi > 59 || se > 59)
		return false;
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se;
	return true;
}

void content_time_format(int64_t t, char out[21])
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (!gmtime_r(&tt, &tm) || strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strcpy(out, "(invalid time)");
}

bool content_region_ok(const char *s)
{
	size_t n = strlen(s);
	int v;
	if (n == 2)
		return digits(s, 2, &v) && v >= 11;
	return n == 5 && digits(s, 2, &v) && v >= 11 && s[2] == '.' && digits(s + 3, 2, &v) &&
	       v >= 1;
}

bool content_region_parse(const char *s, char out[CONTENT_REGION_SIZE])
{
	char buf[CONTENT_REGION_SIZE];
	if (strlen(s) == 4 && strspn(s, "0123456789") == 4)
		snprintf(buf, sizeof(buf), "%.2s.%.2s", s, s + 2);
	else
		snprintf(buf, sizeof(buf), "%.7s", s);
	if (strlen(s) > 5 || !content_region_ok(buf))
		return false;
	memcpy(out, buf, sizeof(buf));
	return true;
}

bool content_region_covers(const char *a, const char *b)
{
	size_t n = strlen(a);
	return strcmp(a, b) == 0 || (n == 2 && strncmp(a, b, 2) == 0 && b[2] == '.');
}
