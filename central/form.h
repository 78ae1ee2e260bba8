/*
 * The office pages' request bodies, parsed apart from libmicrohttpd so that a fuzzer
 * feeds them arbitrary bytes (tests/fleet/fuzz_form.c): fields of an
 * application/x-www-form-urlencoded body and parts of a multipart/form-data one. Both
 * take the body as it arrived (any bytes, not NUL-terminated) and never read past len.
 */
#ifndef ADM_CENTRAL_FORM_H
#define ADM_CENTRAL_FORM_H

#include <stdbool.h>
#include <stddef.h>

/* A field, decoded ('+' and %XX) into out; false if absent, too long for out or holding
 * a control character once decoded. The first of several of the same name. */
bool form_field(const char *body, size_t len, const char *name, char *out, size_t size);

/* The content of the part whose Content-Disposition names name (name="NAME"), as *data
 * and *n pointing into body; content_type is the request's header (its boundary=). */
bool form_multipart(const char *content_type, const char *body, size_t len, const char *name,
		    const char **data, size_t *n);

#endif
