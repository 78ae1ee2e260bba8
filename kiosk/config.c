#include "config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum key_type {
	T_STRING,
	T_INT,
	T_ENUM,
	T_WINDOW,
	T_LOGLEVEL,
};

struct key {
	const char *section;
	const char *name;
	enum key_type type;
	size_t offset;
	size_t size; /* T_STRING: buffer size */
	int min, max;
	const char *const *choices; /* T_ENUM: names, index = value */
	const char *def;	    /* NULL: required */
	const char *expect;	    /* what a good value looks like, for messages */
};

static const char *const accel_names[] = { "off", "on", "auto", NULL };
static const char *const mute_names[] = { "no", "yes", NULL };
static const char *const driver_names[] = { "auto", "x11", "wayland", "kmsdrm", "offscreen", NULL };

const char *config_driver_name(enum config_driver d)
{
	return d == DRIVER_AUTO ? NULL : driver_names[d];
}

#define OFF(field) offsetof(struct kiosk_config, field)
#define STR(field) OFF(field), sizeof(((struct kiosk_config *)0)->field)

static const struct key keys[] = {
	{ "kiosk", "id", T_STRING, STR(kiosk_id), 0, 0, NULL, NULL,
	  "the kiosk's identifier: 1-63 letters, digits, '-' or '_'" },
	{ "kiosk", "location", T_STRING, STR(location), 0, 0, NULL, "",
	  "a place name shown in the footer, up to 95 bytes" },
	{ "kiosk", "office", T_STRING, STR(office), 0, 0, NULL, "",
	  "the office where citizens apply, as the nothing-ready screen names it, or empty" },
	{ "kiosk", "staff_place", T_STRING, STR(staff_place), 0, 0, NULL, "",
	  "where the staff are, said on the help panel, up to 95 bytes" },
	{ "kiosk", "log_level", T_LOGLEVEL, OFF(log_level), 0, 0, 0, NULL, "info",
	  "one of error, warn, info, debug" },
	{ "kiosk", "control", T_STRING, STR(control), 0, 0, NULL, "/run/adm/kiosk/control.sock",
	  "the unix socket admctl talks to the kiosk on (up to 107 bytes), or empty for none" },
	{ "display", "window", T_WINDOW, OFF(window_w), 0, 0, 0, NULL, "fullscreen",
	  "'fullscreen' or WIDTHxHEIGHT between 640x480 and 7680x4320" },
	{ "display", "accelerated", T_ENUM, OFF(accel), 0, 0, 0, accel_names, "off",
	  "one of off, on, auto" },
	{ "display", "driver", T_ENUM, OFF(driver), 0, 0, 0, driver_names, "auto",
	  "one of auto, x11, wayland, kmsdrm, offscreen" },
	{ "display", "assets", T_STRING, STR(assets_dir), 0, 0, NULL, "",
	  "a folder holding fonts/ (empty: the installed assets)" },
	{ "session", "idle_timeout", T_INT, OFF(idle_s), 0, 30, 600, NULL, "60",
	  "seconds between 30 and 600" },
	/* at least 20 s: time to read the warning, understand it and touch */
	{ "session", "warning", T_INT, OFF(warn_s), 0, 20, 60, NULL, "20",
	  "seconds between 20 and 60, less than idle_timeout" },
	{ "session", "card_read_timeout", T_INT, OFF(read_s), 0, 2, 60, NULL, "10",
	  "seconds between 2 and 60" },
	{ "session", "result_timeout", T_INT, OFF(result_s), 0, 5, 120, NULL, "20",
	  "seconds between 5 and 120" },
	{ "session", "technician_timeout", T_INT, OFF(technician_s), 0, 30, 3600, NULL, "300",
	  "seconds between 30 and 3600" },
	{ "nfc", "device", T_STRING, STR(nfc_device), 0, 0, NULL, "",
	  "a libnfc connection string such as pn532_uart:/dev/ttyUSB0, or empty for no reader" },
	{ "scanner", "device", T_STRING, STR(scanner_device), 0, 0, NULL, "",
	  "the QR scanner's serial device such as /dev/ttyACM0, or empty for none" },
	{ "cache", "path", T_STRING, STR(cache_path), 0, 0, NULL, "",
	  "the cache database file that adm-syncd fills, or empty for none" },
	{ "cache", "key", T_STRING, STR(cache_key), 0, 0, NULL, "/etc/adm/kiosk.key",
	  "the kiosk key file: 32 bytes, readable by root only" },
	{ "cache", "fetch_timeout", T_INT, OFF(fetch_timeout_s), 0, 1, 60, NULL, "8",
	  "seconds between 1 and 60" },
	{ "cache", "pin_tries", T_INT, OFF(pin_tries), 0, 1, 10, NULL, "5",
	  "wrong account PINs before the lock, between 1 and 10" },
	{ "cache", "pin_lock_minutes", T_INT, OFF(pin_lock_minutes), 0, 1, 1440, NULL, "15",
	  "minutes between 1 and 1440" },
	{ "printer", "server", T_STRING, STR(cups_server), 0, 0, NULL, "",
	  "a CUPS server: a socket path or host[:port], or empty for the default" },
	{ "printer", "a4_queue", T_STRING, STR(a4_queue), 0, 0, NULL, "",
	  "the CUPS queue of the A4 printer, or empty for none" },
	{ "printer", "card_queue", T_STRING, STR(card_queue), 0, 0, NULL, "",
	  "the CUPS queue of the card printer (KTP-el, KIA), or empty for none" },
	{ "printer", "stall_timeout", T_INT, OFF(print_stall_s), 0, 10, 3600, NULL, "180",
	  "seconds between 10 and 3600" },
	{ "printer", "idle_poll_max", T_INT, OFF(print_idle_poll_max_s), 0, 1, 60, NULL, "5",
	  "seconds between 1 and 60" },
	{ "printer", "a4_sheets", T_INT, OFF(a4_sheets), 0, 0, 100000, NULL, "500",
	  "sheets in a full A4 tray, 0 to 100000" },
	{ "printer", "card_blanks", T_INT, OFF(card_blanks), 0, 0, 10000, NULL, "100",
	  "card blanks in a full hopper, 0 to 10000" },
	{ "technician", "cards", T_STRING, STR(tech_cards), 0, 0, NULL, "",
	  "card UIDs in hex separated by commas, e.g. 04A1B2C3D4E5F6,08123456" },
	{ "technician", "pin_hash", T_STRING, STR(tech_pin_hash), 0, 0, NULL, "",
	  "an argon2id hash from adm-kiosk --hash-pin, or empty (no technician mode)" },
	{ "sync", "url", T_STRING, STR(sync_url), 0, 0, NULL, "",
	  "the central server, https://host[:port]" },
	{ "sync", "token_file", T_STRING, STR(sync_token_file), 0, 0, NULL, "/etc/adm/sync.token",
	  "a file holding this kiosk's bearer token" },
	{ "sync", "ca", T_STRING, STR(sync_ca), 0, 0, NULL, "", "a CA certificate file, or empty" },
	{ "sync", "pin", T_STRING, STR(sync_pin), 0, 0, NULL, "",
	  "a public key pin sha256//BASE64, or empty" },
	{ "sync", "client_cert", T_STRING, STR(sync_client_cert), 0, 0, NULL, "",
	  "a client certificate file, or empty" },
	{ "sync", "client_key", T_STRING, STR(sync_client_key), 0, 0, NULL, "",
	  "a client key file, or empty" },
	{ "sync", "spool", T_STRING, STR(sync_spool), 0, 0, NULL, "",
	  "a folder for partial downloads, or empty" },
	{ "sync", "screenshot", T_STRING, STR(sync_screenshot), 0, 0, NULL, "",
	  "the PNG adm-kiosk writes for an office (its --office-screenshot), or empty" },
	{ "sync", "control", T_STRING, STR(sync_control), 0, 0, NULL, "/run/adm/syncd/control.sock",
	  "the unix socket admctl talks to adm-syncd on (up to 107 bytes), or empty for none" },
	{ "sync", "page_limit", T_INT, OFF(sync_page_limit), 0, 1, 1000, NULL, "500",
	  "records per page between 1 and 1000" },
	{ "sync", "interval", T_INT, OFF(sync_interval_s), 0, 5, 86400, NULL, "60",
	  "seconds between 5 and 86400" },
	{ "sync", "timeout", T_INT, OFF(sync_timeout_s), 0, 1, 600, NULL, "30",
	  "seconds between 1 and 600" },
	{ "sync", "heartbeat", T_INT, OFF(sync_heartbeat_s), 0, 10, 86400, NULL, "300",
	  "seconds between 10 and 86400" },
	{ "sync", "backoff_max", T_INT, OFF(sync_backoff_max_s), 0, 1, 86400, NULL, "600",
	  "seconds between 1 and 86400" },
	{ "content", "store", T_STRING, STR(content_store), 0, 0, NULL, "/var/lib/adm/content",
	  "the content store folder (admctl bundle, adm-syncd), or empty" },
	{ "content", "region", T_STRING, STR(content_region), 0, 0, NULL, "",
	  "this kiosk's region code such as 32.73, or empty" },
	{ "content", "utc_offset", T_INT, OFF(utc_offset_h), 0, -12, 14, NULL, "7",
	  "hours between -12 and 14 (WIB 7, WITA 8, WIT 9)" },
	{ "audio", "volume", T_INT, OFF(audio_volume), 0, 0, 100, NULL, "80",
	  "a volume between 0 and 100" },
	{ "audio", "mute", T_ENUM, OFF(audio_mute), 0, 0, 0, mute_names, "no", "no or yes" },
	{ "audio", "device", T_STRING, STR(audio_device), 0, 0, NULL, "",
	  "SDL's name of the audio output (a headset), or empty for the default" },
	{ "ui", "second_language", T_STRING, STR(second_language), 0, 0, NULL, "en",
	  "the second line's language: a code of 2 or 3 lowercase letters such as en or jv" },
};

#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

bool config_key_at(size_t i, const char **section, const char **name, const char **def,
		   bool *required)
{
	if (i >= N_KEYS)
		return false;
	*section = keys[i].section;
	*name = keys[i].name;
	*def = keys[i].def;
	*required = keys[i].def == NULL;
	return true;
}

bool config_parse_window(const char *s, int *w, int *h)
{
	char *end;
	long lw, lh;

	if (strcmp(s, "fullscreen") == 0) {
		*w = *h = 0;
		return true;
	}
	errno = 0;
	lw = strtol(s, &end, 10);
	if (end == s || (*end != 'x' && *end != 'X'))
		return false;
	s = end + 1;
	lh = strtol(s, &end, 10);
	if (end == s || *end || errno || lw < 640 || lh < 480 || lw > 7680 || lh > 4320)
		return false;
	*w = (int)lw;
	*h = (int)lh;
	return true;
}

static bool parse_int(const char *s, int min, int max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < min || v > max)
		return false;
	*out = (int)v;
	return true;
}

/* A language code as the catalogues are named (ISO 639-1 or -3): whether one is
 * installed is the kiosk's to find out, which then falls back to English. */
static bool valid_lang(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 3)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return false;
	return true;
}

static bool valid_id(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 63)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* Sets one key from its text; false if the value is not acceptable. */
static bool set_value(struct kiosk_config *cfg, const struct key *k, const char *value)
{
	char *base = (char *)cfg + k->offset;

	switch (k->type) {
	case T_STRING:
		if (strlen(value) >= k->size)
			return false;
		if (k->offset == OFF(kiosk_id) && !valid_id(value))
			return false;
		if (k->offset == OFF(second_language) && !valid_lang(value))
			return false;
		memcpy(base, value, strlen(value) + 1);
		return true;
	case T_INT:
		return parse_int(value, k->min, k->max, (int *)(void *)base);
	case T_ENUM:
		for (int i = 0; k->choices[i]; i++) {
			if (strcmp(value, k->choices[i]) == 0) {
				*(int *)(void *)base = i;
				return true;
			}
		}
		return false;
	case T_WINDOW:
		return config_parse_window(value, &cfg->window_w, &cfg->window_h);
	case T_LOGLEVEL:
		return log_level_from_name(value, &cfg->log_level);
	}
	return false;
}

void config_defaults(struct kiosk_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < N_KEYS; i++)
		if (keys[i].def && !set_value(cfg, &keys[i], keys[i].def))
			abort(); /* a default the table itself rejects is a bug */
}

struct load_ctx {
	struct kiosk_config *cfg;
	bool seen[N_KEYS];
	char problem[256]; /* the first problem; ini_parse gives its line */
};

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct load_ctx *ctx = user;
	bool section_known = false;

	if (ctx->problem[0])
		return 0; /* keep the first problem: its line is what ini_parse returns */
	for (size_t i = 0; i < N_KEYS; i++) {
		const struct key *k = &keys[i];
		if (strcmp(section, k->section) != 0)
			continue;
		section_known = true;
		if (strcmp(name, k->name) != 0)
			continue;
		if (ctx->seen[i]) {
			snprintf(ctx->problem, sizeof(ctx->problem),
				 "[%s] %s is given twice; expected each key once", section, name);
			return 0;
		}
		ctx->seen[i] = true;
		if (!set_value(ctx->cfg, k, value)) {
			snprintf(ctx->problem, sizeof(ctx->problem),
				 "[%s] %s = '%.64s' is not valid; expected %s", section, name,
				 value, k->expect);
			return 0;
		}
		return 1;
	}
	if (!section_known) {
		/* The sections, from the table itself, so the message never goes stale. */
		char list[160] = "";
		size_t used = 0;
		for (size_t i = 0; i < N_KEYS; i++)
			if (i == 0 || strcmp(keys[i].section, keys[i - 1].section) != 0)
				used += (size_t)snprintf(
				    list + used, used < sizeof(list) ? sizeof(list) - used : 0,
				    "%s[%s]", i ? ", " : "", keys[i].section);
		snprintf(ctx->problem, sizeof(ctx->problem),
			 "unknown section [%.64s]; expected one of %s", section, list);
	} else
		snprintf(ctx->problem, sizeof(ctx->problem),
			 "unknown key '%.64s' in [%s]; see config/kiosk.conf for the keys", name,
			 section);
	return 0;
}

bool config_load(struct kiosk_config *cfg, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");

	if (!f) {
		int e = errno; /* config_defaults' number parsing resets errno */
		config_defaults(cfg);
		snprintf(err, errlen, "%s: cannot open: %s; expected a readable INI file", path,
			 strerror(e));
		return false;
	}
	bool ok = config_load_stream(cfg, f, path, err, errlen);
	fclose(f);
	return ok;
}

bool config_load_stream(struct kiosk_config *cfg, FILE *f, const char *path, char *err,
			size_t errlen)
{
	struct load_ctx ctx;
	int line;

	config_defaults(cfg);
	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg = cfg;
	line = ini_parse_file(f, on_key, &ctx);
	if (line == -2) {
		snprintf(err, errlen, "%s: out of memory while reading", path);
		return false;
	}
	if (line > 0) {
		snprintf(err, errlen, "%s:%d: %s", path, line,
			 ctx.problem[0] ? ctx.problem
					: "syntax error; expected '[section]' or 'key = value'");
		return false;
	}
	for (size_t i = 0; i < N_KEYS; i++) {
		if (!keys[i].def && !ctx.seen[i]) {
			snprintf(err, errlen, "%s: [%s] %s is missing; expected %s", path,
				 keys[i].section, keys[i].name, keys[i].expect);
			return false;
		}
	}
	if (cfg->warn_s >= cfg->idle_s) {
		snprintf(err, errlen,
			 "%s: [session] warning (%d) is not less than idle_timeout (%d); expected "
			 "a countdown shorter than the timeout",
			 path, cfg->warn_s, cfg->idle_s);
		return false;
	}
	return true;
}
