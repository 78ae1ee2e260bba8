#include "theme.h"

const struct font_spec theme_fonts[FONT_ROLE_COUNT] = {
	[FONT_HUGE] = { 700, 1 },   [FONT_TITLE] = { 560, 1 }, [FONT_HEAD] = { 420, 1 },
	[FONT_BODY_B] = { 340, 1 }, [FONT_BODY] = { 340, 0 },  [FONT_SMALL] = { 260, 0 },
	[FONT_KEY] = { 560, 1 },
};
