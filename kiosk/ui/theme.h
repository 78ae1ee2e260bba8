/*
 * The look of the kiosk in one place: colours, type sizes and spacing.
 *
 * Sizes are in units of one hundredth of the screen's shorter side, so 1920x1080,
 * 1366x768 and portrait 1080x1920 all get the same proportions; screens choose a
 * landscape or portrait arrangement from the aspect ratio.
 */
#ifndef ADM_THEME_H
#define ADM_THEME_H

#include <stdint.h>

/*
 * The colours of a theme, 0xRRGGBB. Every text colour is at least 7:1 (WCAG 2 AAA) against
 * every background it is drawn on, in both themes; tests/test_ui.c computes it from the
 * screens' widget lists.
 */
struct palette {
	uint32_t bg, surface, border;
	uint32_t text, text_2; /* text_2: the English line under the Indonesian one */
	uint32_t primary, primary_dk, on_primary;
	uint32_t header, header_text, header_2;
	uint32_t accent; /* the chip, the countdown's border */
	uint32_t warn_bg, danger, danger_bg, success, success_bg;
	uint32_t disabled, disabled_bg; /* disabled: its text */
	uint32_t pressed;		/* a primary button under a finger */
	uint32_t pressed_2;		/* any other button under a finger */
	/* A content bundle's urgent message: white 9.1:1, the label 7.0:1, English 7.5:1 */
	uint32_t urgent, urgent_label, urgent_text, urgent_text_2;
};

/* The normal theme, and the accessible mode's high-contrast one (light on black). */
extern const struct palette theme_normal, theme_contrast;

/* The accessible mode's text is this much larger than the normal theme's. */
#define THEME_LARGE_SCALE 1.3f

/* The normal theme's colours by name, for the content tests. */
#define COL_BG		 0xF3F5F9u
#define COL_SURFACE	 0xFFFFFFu
#define COL_BORDER	 0xD3DAE6u
#define COL_TEXT	 0x17212Du
#define COL_TEXT_2	 0x3E4856u
#define COL_PRIMARY	 0x0B4EA2u
#define COL_PRIMARY_DK	 0x083A7Au
#define COL_ON_PRIMARY	 0xFFFFFFu
#define COL_HEADER	 0x0A3468u
#define COL_HEADER_TEXT	 0xFFFFFFu
#define COL_HEADER_2	 0xBFD0EAu
#define COL_ACCENT	 0xF2B705u
#define COL_WARN_BG	 0xFFF1C9u
#define COL_DANGER	 0x8E1B15u
#define COL_DANGER_BG	 0xFBE4E2u
#define COL_SUCCESS	 0x1B5E20u
#define COL_SUCCESS_BG	 0xE3F1E4u
#define COL_DISABLED	 0x3E4856u /* 7.8:1: told apart by its grey fill and no border */
#define COL_DISABLED_BG	 0xE8ECF1u
#define COL_PRESSED	 0x06306Au
#define COL_PRESSED_2	 0xEEF2F8u
#define COL_URGENT	 0x8E1B15u
#define COL_URGENT_LABEL 0xFFE08Au

enum font_role {
	FONT_HUGE = 0, /* the digits being typed */
	FONT_TITLE,    /* one per screen */
	FONT_HEAD,
	FONT_BODY_B,
	FONT_BODY,
	FONT_SMALL,
	FONT_KEY,  /* keypad digits */
	FONT_TECH, /* technician mode's status lines: for staff, denser than citizen text */
	FONT_ROLE_COUNT
};

/* Height of each role in hundredths of a unit, and whether it is bold. */
struct font_spec {
	int size_cu;
	int bold;
};
extern const struct font_spec theme_fonts[FONT_ROLE_COUNT];

/* Spacing, in units. */
#define SP_PAD	  3 /* outer margin */
#define SP_GAP	  2 /* between blocks */
#define SP_RADIUS 1 /* corner radius of tiles and buttons, in units */
#define HEADER_U  12
#define FOOTER_U  9

#endif
