/*
 * Logging to stderr (journal-friendly). Thread-safe: each line is formatted into one
 * buffer and written with a single write(2), so lines from worker threads never interleave.
 */
#include "log.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_int current_level = LOG_LVL_INFO;
static const char *program = "adm";
static unsigned char redact_key[crypto_generichash_KEYBYTES];
static atomic_bool redact_key_set;

static const char *const level_names[] = { "error", "warn", "info", "debug" };
/* syslog priorities: err, warning, info, debug */
static const int level_prio[] = { 3, 4, 6, 7 };

void log_set_level(enum log_level level)
{
	atomic_store(&current_level, (int)level);
}

enum log_level log_get_level(void)
{
	return (enum log_level)atomic_load(&current_level);
}

bool log_level_from_name(const char *name, enum log_level *out)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(name, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return true;
		}
	}
	return false;
}

void log_set_program(const char *name)
{
	program = name;
}

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

void log_write(enum log_level level, const char *file, int line, const char *fmt, ...)
{
	char buf[1024];
	int n;

	if (getenv("JOURNAL_STREAM"))
		n = snprintf(buf, sizeof(buf), "<%d>[%s:%d] ", level_prio[level], basename_of(file),
			     line);
	else
		n = snprintf(buf, sizeof(buf), "%s: %-5s [%s:%d] ", program, level_names[level],
			     basename_of(file), line);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(buf)) {
		va_list ap;
		va_start(ap, fmt);
		int m = vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
		va_end(ap);
		if (m > 0)
			n += m;
	}
	if ((size_t)n >= sizeof(buf) - 1)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	ssize_t ignored = write(STDERR_FILENO, buf, (size_t)n);
	(void)ignored;
}

void log_set_redact_key(const unsigned char *key, size_t len)
{
	crypto_generichash(redact_key, sizeof(redact_key), key, len, NULL, 0);
	atomic_store(&redact_key_set, true);
}

const char *log_redact(const char *value, char out[LOG_REDACT_LEN])
{
	unsigned char h[5];

	if (!atomic_load(&redact_key_set)) {
		/* A racing first use from two threads only costs a second random key. */
		randombytes_buf(redact_key, sizeof(redact_key));
		atomic_store(&redact_key_set, true);
	}
	crypto_generichash(h, sizeof(h), (const unsigned char *)value, strlen(value), redact_key,
			   sizeof(redact_key));
	out[0] = 'p';
	out[1] = ':';
	sodium_bin2hex(out + 2, LOG_REDACT_LEN - 2, h, sizeof(h));
	return out;
}
