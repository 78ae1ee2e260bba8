/* A bearer token kept in a file of its own (never in argv, which ps shows to every user):
 * adm-syncd's kiosk token, adm-bundle publish's office token. */
#ifndef ADM_TOKEN_FILE_H
#define ADM_TOKEN_FILE_H

#include <stdbool.h>
#include <stddef.h>

/* The file's first line without its line end; false if the file cannot be read or the
 * line is empty. A line longer than size - 1 is cut: callers that bound the token check
 * strlen against their limit with size one larger. */
bool token_file_read(const char *path, char *out, size_t size);

#endif
