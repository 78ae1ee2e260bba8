/*
 * The two lines of every text from gettext catalogues (i18n.h). One text domain per
 * language because the screen shows two at once and glibc chooses one catalogue per
 * locale; the locale itself is C.UTF-8, always present on Debian 12, which glibc (unlike
 * "C" or "POSIX") does not exempt from lookups, so the catalogues need no locale of
 * their own to be generated on the kiosk.
 */
#include "i18n.h"

#include "adm-config.h"
#include "log.h"

#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DOMAIN_PREFIX "adm-kiosk-"
#define LOCALE	      "C.UTF-8"

static struct {
	bool bound; /* catalogues bound: look texts up */
	char second[8];
	char domain2[sizeof(DOMAIN_PREFIX) + 8];
	i18n_observer observe;
	void *user;
} st = { .second = "en", .domain2 = DOMAIN_PREFIX "en" };

/* Whether dir holds the catalogue of lang. */
static bool has_catalogue(const char *dir, const char *lang)
{
	char path[700];
	snprintf(path, sizeof(path), "%s/" LOCALE "/LC_MESSAGES/" DOMAIN_PREFIX "%s.mo", dir, lang);
	return access(path, R_OK) == 0;
}

bool i18n_find_dir(const char *assets, char *out, size_t outlen)
{
	char installed[600];
	snprintf(installed, sizeof(installed), "%s/locale", assets ? assets : "");
	const char *candidates[] = { getenv("ADM_LOCALE_DIR"), assets ? installed : NULL,
				     ADM_BUILD_LOCALE_DIR };

	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++)
		if (candidates[i] && candidates[i][0] && has_catalogue(candidates[i], "id")) {
			snprintf(out, outlen, "%s", candidates[i]);
			return true;
		}
	return false;
}

bool i18n_init(const char *locale_dir, const char *second)
{
	st.bound = false;
	snprintf(st.second, sizeof(st.second), "en");
	if (!locale_dir || !locale_dir[0])
		return true;
	if (!has_catalogue(locale_dir, "id")) {
		log_warn("no Indonesian catalogue in %s: the screens show their built-in texts",
			 locale_dir);
		return false;
	}
	if (second && strlen(second) < sizeof(st.second) && has_catalogue(locale_dir, second))
		snprintf(st.second, sizeof(st.second), "%s", second);
	else if (second && strcmp(second, "en") != 0)
		log_warn("no catalogue for second language '%s' in %s: English instead", second,
			 locale_dir);
	snprintf(st.domain2, sizeof(st.domain2), DOMAIN_PREFIX "%s", st.second);
	/* LANGUAGE would take precedence over LC_MESSAGES and name a folder we do not have */
	unsetenv("LANGUAGE");
	if (!setlocale(LC_MESSAGES, LOCALE)) {
		log_warn("locale " LOCALE " is missing: the screens show their built-in texts");
		return false;
	}
	/* UTF-8 as the fonts take it: gettext would otherwise convert to LC_CTYPE's
	 * codeset, ASCII in a program that never set it ("…" turned into "...") */
	if (!bindtextdomain(DOMAIN_PREFIX "id", locale_dir) ||
	    !bindtextdomain(st.domain2, locale_dir) ||
	    !bind_textdomain_codeset(DOMAIN_PREFIX "id", "UTF-8") ||
	    !bind_textdomain_codeset(st.domain2, "UTF-8")) {
		log_warn("cannot bind the catalogues in %s", locale_dir);
		return false;
	}
	st.bound = true;
	return true;
}

const char *i18n_second_language(void)
{
	return st.second;
}

void i18n_observe(i18n_observer fn, void *user)
{
	st.observe = fn;
	st.user = user;
}

/* dgettext answers the msgid itself when it has no translation. */
static const char *lookup(const char *domain, const char *en, bool *found)
{
	const char *s = st.bound ? dgettext(domain, en) : en;
	*found = s != en;
	return s;
}

const char *i18n_first(const char *en, const char *id)
{
	bool found = false;
	const char *s = en && en[0] ? lookup(DOMAIN_PREFIX "id", en, &found) : NULL;
	if (st.observe && en && en[0])
		st.observe(st.user, 1, en, id, found);
	return found ? s : id;
}

const char *i18n_second(const char *en)
{
	bool found = false;
	const char *s = en && en[0] ? lookup(st.domain2, en, &found) : NULL;
	if (st.observe && en && en[0])
		st.observe(st.user, 2, en, NULL, found);
	if (found || !en)
		return s;
	const char *text = strchr(en, '\004'); /* CTX(): the text after its context */
	return text ? text + 1 : en;
}
