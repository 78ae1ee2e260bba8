#include "enrol_req.h"

#include <jansson.h>
#include <string.h>

bool enrol_request_code(const char *body, size_t len, char code[ENROL_CODE_MAX + 1])
{
	json_error_t jerr;
	json_t *req = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	const char *c = json_string_value(json_object_get(req, "code"));
	size_t n = c ? strlen(c) : 0;
	/* a NUL inside the string would cut it short: the length must be jansson's */
	bool ok = json_is_object(req) && n >= 1 && n <= ENROL_CODE_MAX &&
		  n == json_string_length(json_object_get(req, "code")) &&
		  strspn(c, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-") == n;
	code[0] = '\0';
	if (ok)
		memcpy(code, c, n + 1);
	json_decref(req);
	return ok;
}
