/*
 * adm-kiosk's configuration: an INI file (/etc/adm/kiosk.conf by default).
 *
 * Every key is described once, in the table in config.c: its section, name, type, range,
 * default and whether it is required. Defaults go through the same parser as the file,
 * and tests check that config/kiosk.conf documents exactly the keys of the table. Any
 * unknown key, missing required key or bad value fails with "file:line: what is wrong;
 * what is expected".
 */
#ifndef ADM_CONFIG_H
#define ADM_CONFIG_H

#include "log.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum config_accel {
	ACCEL_OFF = 0, /* software framebuffer: fastest without a GPU */
	ACCEL_ON,
	ACCEL_AUTO, /* SDL's own choice */
};

/* [display] driver: SDL's video driver (index = the name in config.c) */
enum config_driver {
	DRIVER_AUTO = 0, /* wayland where WAYLAND_DISPLAY is set, else SDL's order */
	DRIVER_X11,
	DRIVER_WAYLAND,
	DRIVER_KMSDRM, /* straight on KMS/DRM, no compositor */
	DRIVER_OFFSCREEN,
};
/* The SDL_VIDEODRIVER name of a driver, NULL for auto. */
const char *config_driver_name(enum config_driver d);

struct kiosk_config {
	char kiosk_id[64];
	char location[96];
	char office[160]; /* where to apply: "nothing ready" names it ("": the Dukcapil office) */
	char staff_place[96]; /* the help panel's "the staff are at ...", "" unsaid */
	enum log_level log_level;
	char control[108]; /* admctl's unix socket to the running kiosk (sun_path); "": none */

	int window_w, window_h; /* 0, 0: fullscreen */
	enum config_accel accel;
	enum config_driver driver;
	char assets_dir[512]; /* "": the built-in search */

	int idle_s;
	int warn_s;
	int read_s;
	int result_s;
	int technician_s;

	char nfc_device[256];	  /* libnfc connection string; "": no reader */
	char scanner_device[256]; /* serial QR scanner; "": none */

	char cache_path[512]; /* "": no cache */
	char cache_key[512];
	int fetch_timeout_s;
	int pin_tries;	      /* account PIN: wrong tries before the lock */
	int pin_lock_minutes; /* and how long the lock lasts */

	char cups_server[256]; /* "": CUPS_SERVER or the default */
	char a4_queue[128], card_queue[128];
	int print_stall_s;
	int print_idle_poll_max_s; /* an idle printer that stays fine: asked at least this often */
	int a4_sheets, card_blanks;

	char tech_cards[512];	 /* card UIDs in hex, comma separated */
	char tech_pin_hash[160]; /* argon2id string (adm-kiosk --hash-pin) */

	/* [sync]: read by adm-syncd; checked here so one file has one set of rules. */
	char sync_url[256], sync_token_file[256], sync_ca[256], sync_pin[128];
	char sync_client_cert[256], sync_client_key[256], sync_spool[256];
	char sync_screenshot[256]; /* an office's screenshot: adm-kiosk --office-screenshot */
	char sync_control[108];	   /* admctl's unix socket to adm-syncd; "": none */
	int sync_page_limit, sync_interval_s, sync_timeout_s, sync_heartbeat_s, sync_backoff_max_s;

	/* [content]: the regional office's bundle on the attract screen (issue 12), from the
	 * store that admctl bundle and adm-syncd install into (content/store.h) */
	char content_store[512], content_region[16];
	int utc_offset_h;

	/* [audio]: the spoken prompts (audio.h) */
	int audio_volume; /* 0-100, the same at the start of every visit */
	int audio_mute;	  /* 0 no, 1 yes */
	char audio_device[128];
	/* [ui]: the language of every text's second line (a catalogue, i18n.h) */
	char second_language[4];
};

/* Fills cfg with every default (the required keys stay empty). */
void config_defaults(struct kiosk_config *cfg);

/*
 * Loads path over the defaults. On failure returns false and writes one line into err:
 * "path:line: problem; expected ...".
 */
bool config_load(struct kiosk_config *cfg, const char *path, char *err, size_t errlen);
/* The same from an open file (the fuzzer's input through fmemopen); path names it in err. */
bool config_load_stream(struct kiosk_config *cfg, FILE *f, const char *path, char *err,
			size_t errlen);

/* Parses "WxH" (e.g. 1920x1080) or "fullscreen" (0, 0). */
bool config_parse_window(const char *s, int *w, int *h);

/* Iterates over the key table, for the documentation test: false past the last key. */
bool config_key_at(size_t i, const char **section, const char **name, const char **def,
		   bool *required);

#endif
