/* Reading a token file (token_file.h). */
#include "token_file.h"

#include <stdio.h>
#include <string.h>

bool token_file_read(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	bool ok = fgets(out, (int)size, f) != NULL;
	fclose(f);
	if (!ok)
		out[0] = '\0';
	out[strcspn(out, "\r\n")] = '\0';
	return ok && out[0];
}
