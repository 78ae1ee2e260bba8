/*
 * Why a document authorised in this visit did not go to the printer (services.c), in the
 * kiosk's words on the print-failed screen. Here, among the screens, so that the
 * catalogues hold them (tools/i18n/update-po.py keeps the literals of kiosk/ui).
 */
#ifndef ADM_REFUSAL_H
#define ADM_REFUSAL_H

enum print_refusal {
	REFUSED_NOT_FOUND, /* not in the cache */
	REFUSED_DAMAGED,   /* its file failed its checksum: fetched again */
	REFUSED_PRINTER,   /* the printer would not take the job */
	REFUSED_COUNT,
};

/* The reason's two lines: Indonesian and its English source text (the msgid). */
void print_refusal_text(enum print_refusal r, const char **id, const char **en);

#endif
