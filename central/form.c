/*
 * The office pages' form bodies (form.h). The multipart reader looks for the delimiter
 * line ("\r\n--BOUNDARY") with memmem over the whole body, so a part's content may hold
 * any bytes, NULs included (a bundle's).
 */
#include "form.h"

#include <stdio.h>
#include <string.h>

static int hexval(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

bool form_field(const char *body, size_t len, const char *name, char *out, size_t size)
{
	size_t nl = strlen(name);
	const char *p = body, *end = body + len;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *fe = amp ? amp : end;
		if ((size_t)(fe - p) > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
			size_t j = 0;
			for (const char *q = p + nl + 1; q < fe; q++) {
				int c = (unsigned char)*q;
				if (c == '+') {
					c = ' ';
				} else if (c == '%') {
					int hi = q + 2 < fe ? hexval(q[1]) : -1;
					int lo = hi >= 0 ? hexval(q[2]) : -1;
					if (lo < 0)
						return false;
					c = hi * 16 + lo;
					q += 2;
				}
				if (c < 0x20 || c == 0x7f || j + 1 >= size)
					return false;
				out[j++] = (char)c;
			}
			out[j] = '\0';
			return true;
		}
		p = fe + 1;
	}
	return false;
}

bool form_multipart(const char *ct, const char *body, size_t len, const char *name,
		    const char **data, size_t *n)
{
	const char *bp = ct ? strstr(ct, "boundary=") : NULL;
	char delim[128], want[96];
	if (!bp || strncmp(ct, "multipart/form-data", 19) != 0)
		return false;
	bp += 9;
	size_t bl = strcspn(bp, "\";, ");
	if (*bp == '"')
		bl = strcspn(++bp, "\"");
	if (bl == 0 || bl > 70)
		return false;
	snprintf(delim, sizeof(delim), "\r\n--%.*s", (int)bl, bp);
	snprintf(want, sizeof(want), "name=\"%s\"", name);
	size_t dl = strlen(delim);
	const char *end = body + len;
	/* the first delimiter has no CRLF before it */
	const char *p =
	    len >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0 ? body + dl - 2 : NULL;
	while (p && p < end) {
		const char *hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (!hend)
			return false;
		const char *content = hend + 4;
		const char *next = memmem(content, (size_t)(end - content), delim, dl);
		if (!next)
			return false;
		/* the part's headers: is it the field? */
		const char *nm = memmem(p, (size_t)(hend - p), want, strlen(want));
		if (nm) {
			*data = content;
			*n = (size_t)(next - content);
			return true;
		}
		p = next + dl;
	}
	return false;
}
