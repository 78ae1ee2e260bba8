/*
 * One logging macro for every program of the project.
 *
 * Lines go to stderr as "LEVEL [file:line] message". When stderr is the systemd journal
 * (JOURNAL_STREAM is set) each line starts with the syslog priority prefix "<N>" instead,
 * so journalctl shows levels without a library. Never pass a NIK, a name, a PIN or
 * document content in clear: log_redact() gives a short keyed fingerprint instead.
 */
#ifndef ADM_LOG_H
#define ADM_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_level {
	LOG_LVL_ERROR = 0,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
};

void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Parses "error", "warn", "info" or "debug"; false if the name is unknown. */
bool log_level_from_name(const char *name, enum log_level *out);
void log_set_program(const char *name);

void log_write(enum log_level level, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#define adm_log(level, ...)                                                                        \
	do {                                                                                       \
		if ((level) <= log_get_level())                                                    \
			log_write((level), __FILE__, __LINE__, __VA_ARGS__);                       \
	} while (0)

#define log_error(...) adm_log(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...)  adm_log(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...)  adm_log(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) adm_log(LOG_LVL_DEBUG, __VA_ARGS__)

/*
 * Writes into out (at least 13 bytes) a fingerprint of a personal value ("p:" and 10 hex
 * digits of a keyed BLAKE2b hash) so that log lines about one citizen can be correlated
 * without the value itself. The key is random per process unless log_set_redact_key() is
 * called with the kiosk's audit key.
 */
#define LOG_REDACT_LEN 13
const char *log_redact(const char *value, char out[LOG_REDACT_LEN]);
void log_set_redact_key(const unsigned char *key, size_t len);

#endif
