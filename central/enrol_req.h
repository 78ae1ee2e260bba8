/*
 * The body of POST /v1/enrol (enrol.h), parsed without a socket: linked by the server and
 * tests/technician/fuzz_enrol.c. The only unauthenticated body adm-central reads.
 */
#ifndef ADM_CENTRAL_ENROL_REQ_H
#define ADM_CENTRAL_ENROL_REQ_H

#include <stdbool.h>
#include <stddef.h>

#define ENROL_CODE_MAX 64

/* {"code": "..."} with a code of 1..ENROL_CODE_MAX characters of [0-9A-Z-] into code;
 * false for anything else (code then empty). */
bool enrol_request_code(const char *body, size_t len, char code[ENROL_CODE_MAX + 1]);

#endif
