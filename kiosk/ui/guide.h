/*
 * What each citizen screen says aloud (issue 13, item 1): what it shows and what to do
 * next, in Bahasa Indonesia then English, from the same strings the screen shows.
 *
 * A prompt is a list of pieces per language: fixed sentences, recorded at build time with
 * espeak-ng (guide_gen.c writes them into prompts.pack), and numbers that change (pages,
 * seconds, tries, minutes), recorded once as number words and joined at run time. Names,
 * NIKs, PINs and other free text (document titles, a technician's words, the configured
 * staff place and location) are never among the pieces: they cannot be recorded in
 * advance, and a public room must not hear them. The kiosk's id is spelled from recorded
 * letters and digits.
 */
#ifndef ADM_GUIDE_H
#define ADM_GUIDE_H

#include "flow.h"

#include <stddef.h>

#define GUIDE_MAX_PIECES 48 /* the help panel's: its step's, and the kiosk's id spelled */
#define GUIDE_NUMBER_MAX 99 /* numbers recorded as words; larger ones digit by digit */
#define GUIDE_SPELL_MAX	 24 /* a kiosk id spelled up to this long; a longer one is not */

enum guide_lang { GUIDE_ID = 0, GUIDE_EN, GUIDE_LANGS };

struct guide_piece {
	const char *text; /* a fixed sentence; NULL: the number below */
	int number;
};

struct guide {
	int n[GUIDE_LANGS];
	struct guide_piece p[GUIDE_LANGS][GUIDE_MAX_PIECES];
};

/* The pieces the screens do not write (what to do next, where only buttons show it). */
extern const char *const guide_spoken_only[];
/* The letters a kiosk's id is spelled with, "A" to "Z", each recorded in both languages
 * (its digits are the number words). */
extern const char *const guide_letters[26];

/* What the help panel's prompt takes from the kiosk's configuration. */
struct guide_kiosk {
	const char *id;	  /* [kiosk] id: spelled, letter by letter and digit by digit */
	bool staff_place; /* [kiosk] staff_place is set: free text, said to be on the screen */
};

/* The prompt of the screen f shows (nothing for the technician's screens). */
void guide_for(const struct flow *f, struct guide *g);
/* What the step means, without the countdown that may show over it: the help panel's. */
void guide_step(const struct flow *f, struct guide *g);
/*
 * The help panel's prompt (screen_help.c shows the same): "Help", the call made, what the
 * step means, where the staff are (the configured place is the configuration's free text,
 * never recorded: the prompt says it is written on the screen), how to call them, and the
 * kiosk's id spelled (or, longer than GUIDE_SPELL_MAX, said to be on the screen).
 */
void guide_help(const struct flow *f, const struct guide_kiosk *k, struct guide *g);
/* What the shell says for the screen f shows: the countdown over anything, else the help
 * panel while it is open, else the step (guide_for). */
void guide_now(const struct flow *f, const struct guide_kiosk *k, struct guide *g);
/* A prompt's pieces in language l as one written text, into out (n bytes, cut if longer). */
void guide_text(const struct guide *g, enum guide_lang l, char *out, size_t n);

/*
 * What of the flow a prompt follows. The shell keeps the mark of the last frame and speaks
 * when guide_news() says there is something new to hear: another screen, an error that
 * appears (a wrong PIN), the countdown starting, the reader hint, the help panel opening
 * or closing (the step's prompt again), the staff called. An error going away as the
 * citizen types again, or the keypad waiting for an answer, says nothing.
 */
struct guide_mark {
	enum flow_state state;
	enum flow_error error;
	int tries; /* a wrong PIN's tries left: the next wrong PIN is news too */
	bool countdown, hint, reading_card;
	bool help, called; /* the help panel open (or closed again), the staff called from it */
};

struct guide_mark guide_mark(const struct flow *f);
bool guide_news(const struct guide_mark *before, const struct guide_mark *now);

#endif
