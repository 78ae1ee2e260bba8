/*
 * What each citizen screen says aloud (issue 13, item 1): what it shows and what to do
 * next, in Bahasa Indonesia then English, from the same strings the screen shows.
 *
 * A prompt is a list of pieces per language: fixed sentences, recorded at build time with
 * espeak-ng (guide_gen.c writes them into prompts.pack), and numbers that change (pages,
 * seconds, tries, minutes), recorded once as number words and joined at run time. Names,
 * NIKs, PINs and other free text (document titles, a technician's words) are never among
 * the pieces: they cannot be recorded in advance, and a public room must not hear them.
 */
#ifndef ADM_GUIDE_H
#define ADM_GUIDE_H

#include "flow.h"

#include <stddef.h>

#define GUIDE_MAX_PIECES 16
#define GUIDE_NUMBER_MAX 99 /* numbers recorded as words; larger ones digit by digit */

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

/* The prompt of the screen f shows (nothing for the technician's screens). */
void guide_for(const struct flow *f, struct guide *g);
/* What the step means, without the countdown that may show over it: the help panel's. */
void guide_step(const struct flow *f, struct guide *g);
/* A prompt's pieces in language l as one written text, into out (n bytes, cut if longer). */
void guide_text(const struct guide *g, enum guide_lang l, char *out, size_t n);

/*
 * What of the flow a prompt follows. The shell keeps the mark of the last frame and speaks
 * when guide_news() says there is something new to hear: another screen, an error that
 * appears (a wrong PIN), the countdown starting, the reader hint. An error going away as
 * the citizen types again, or the keypad waiting for an answer, says nothing.
 */
struct guide_mark {
	enum flow_state state;
	enum flow_error error;
	int tries; /* a wrong PIN's tries left: the next wrong PIN is news too */
	bool countdown, hint, reading_card;
};

struct guide_mark guide_mark(const struct flow *f);
bool guide_news(const struct guide_mark *before, const struct guide_mark *now);

#endif
