/*
 * libFuzzer target for kiosk.conf (kiosk/config.c, through inih): any file, no crash, no
 * read past it; a refusal is one line naming the file; an accepted file gives the same
 * settings twice and settings that keep the table's rules (an id of [A-Za-z0-9_-], the
 * countdown shorter than the idle timeout, a window that is fullscreen or has a size).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool load(const uint8_t *data, size_t size, struct kiosk_config *cfg, char *err,
		 size_t errlen)
{
	/* fmemopen of 0 bytes fails: an empty file is a file with nothing in it */
	static const uint8_t nothing[1] = { '\n' };
	FILE *f = fmemopen((void *)(size ? data : nothing), size ? size : 1, "r");
	if (!f)
		abort();
	bool ok = config_load_stream(cfg, f, "fuzz.conf", err, errlen);
	fclose(f);
	return ok;
}

static void check_string(const char *s, size_t size)
{
	if (strnlen(s, size) >= size)
		abort(); /* not terminated inside its field */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kiosk_config a, b;
	char err[512];

	err[0] = '\0';
	bool ok = load(data, size, &a, err, sizeof(err));
	if (!ok) {
		if (strncmp(err, "fuzz.conf", 9) != 0 || strchr(err, '\n'))
			abort(); /* "file:line: problem; expected ...", one line */
		return 0;
	}
	if (!load(data, size, &b, err, sizeof(err)) || memcmp(&a, &b, sizeof(a)) != 0)
		abort(); /* the same file must give the same settings */
#define STR(field) check_string(a.field, sizeof(a.field))
	STR(kiosk_id);
	STR(location);
	STR(assets_dir);
	STR(nfc_device);
	STR(scanner_device);
	STR(cache_path);
	STR(cache_key);
	STR(cups_server);
	STR(a4_queue);
	STR(card_queue);
	STR(tech_cards);
	STR(tech_pin_hash);
	STR(sync_url);
	STR(sync_token_file);
	STR(sync_ca);
	STR(sync_pin);
	STR(sync_client_cert);
	STR(sync_client_key);
	STR(sync_spool);
#undef STR
	if (!a.kiosk_id[0] ||
	    strspn(a.kiosk_id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			       "0123456789-_") != strlen(a.kiosk_id))
		abort();
	if (a.warn_s >= a.idle_s || a.idle_s <= 0 || a.warn_s < 0)
		abort();
	if ((a.window_w == 0) != (a.window_h == 0) || a.window_w < 0 || a.window_h < 0)
		abort();
	return 0;
}
