/*
 * The technician's test page: a synthetic PDF (the kiosk's id, the date, a frame, a grey
 * ramp and a grid; no citizen data), A4 or an ID-1 card. Drawn the same whether admctl
 * prints it on a stopped kiosk or the running kiosk does (technician mode, admctl).
 */
#ifndef ADM_TESTPAGE_H
#define ADM_TESTPAGE_H

#include "membuf.h"

#include <stdbool.h>
#include <stdint.h>

/* Appends the PDF to out; now in unix seconds (printed in UTC). False: cairo failed. */
bool printer_test_page(const char *kiosk, bool card, int64_t now, struct membuf *out);

#endif
