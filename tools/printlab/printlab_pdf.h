/* Small PDFs drawn with cairo in memory: what the print tests, the benchmark and the demo print. */
#ifndef ADM_PRINTLAB_PDF_H
#define ADM_PRINTLAB_PDF_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A PDF of `pages` pages (A4, or an ID-1 card when card is true), each with a line of
 * synthetic text naming the page. Returns a malloc'd buffer (*len bytes) or NULL.
 */
unsigned char *printlab_pdf_make(int pages, bool card, size_t *len);

#endif
