/*
 * Two languages at once, from gettext catalogues (docs/design.md, "Languages").
 *
 * Every text on a screen is a pair: a first line in Bahasa Indonesia and a second line in
 * a second language, English unless kiosk.conf says otherwise ([ui] second_language).
 * glibc picks one catalogue per locale, so each language is a text domain of its own
 * (adm-kiosk-id, adm-kiosk-en, adm-kiosk-jv, ...), all in one locale folder under
 * C.UTF-8/LC_MESSAGES/, and the kiosk looks the first line up in one and the second line
 * in the other. The English source text is the msgid; the literals in the code are the
 * fallback when a catalogue is missing or lacks the text. UI thread only.
 */
#ifndef ADM_I18N_H
#define ADM_I18N_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Binds the catalogues in locale_dir (NULL or "": none, the literals alone) with second
 * (a language code, checked by config.c) as the second line's language. A second language without a
 * catalogue falls back to English, with a log line. False only when locale_dir has no Indonesian
 * catalogue. Sets LC_MESSAGES to C.UTF-8 and unsets LANGUAGE, which would override it.
 */
bool i18n_init(const char *locale_dir, const char *second);

/* The second line's language in use ("en" before i18n_init). */
const char *i18n_second_language(void);

/* A text's first line: its Indonesian translation, or id when there is none. As a format,
 * the compiler checks it against en's (and msgfmt --check the catalogues' against en). */
const char *i18n_first(const char *en, const char *id) __attribute__((format_arg(1)));
/* A text's second line: its translation in the second language, or en. */
const char *i18n_second(const char *en) __attribute__((format_arg(1)));

/* An English text that means two things, told apart by a context (gettext's msgctxt). */
#define CTX(context, en) context "\004" en

/* Format strings before formatting (snprintf with numbers): the same lookups. */
#define tr1(fmt_en, fmt_id) i18n_first(fmt_en, fmt_id)
#define tr2(fmt_en)	    i18n_second(fmt_en)

/*
 * Finds the locale folder: $ADM_LOCALE_DIR, <assets>/locale (the installed one), then the
 * build tree's; the first with the Indonesian catalogue goes to out. False if none.
 */
bool i18n_find_dir(const char *assets, char *out, size_t outlen);

/*
 * Tells fn about every lookup (NULL: stop): which line (1 or 2), the English msgid, the
 * Indonesian fallback (line 1; NULL for line 2) and whether the catalogue had it. The
 * screenshot tools use it to check and extract the catalogues.
 */
typedef void (*i18n_observer)(void *user, int line, const char *en, const char *id, bool found);
void i18n_observe(i18n_observer fn, void *user);

#endif
