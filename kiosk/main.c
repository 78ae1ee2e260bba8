/*
 * adm-kiosk: the kiosk's UI process. Reads the configuration, then hands over to the
 * main loop (app.c). Everything slow (cache, reader, printers) starts after the first
 * frame, on worker threads.
 */
#include "adm-config.h"
#include "app.h"
#include "clock.h"
#include "config.h"
#include "log.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* For the technician PIN in the configuration: never stored or printed in clear. */
static int hash_pin(void)
{
	char pin[64], hash[crypto_pwhash_STRBYTES];

	if (sodium_init() < 0 || !fgets(pin, sizeof(pin), stdin))
		return 1;
	pin[strcspn(pin, "\r\n")] = '\0';
	if (strlen(pin) != 6 || strspn(pin, "0123456789") != 6) {
		fprintf(stderr, "adm-kiosk: a technician PIN has 6 digits\n");
		sodium_memzero(pin, sizeof(pin));
		return 2;
	}
	int rc = crypto_pwhash_str(hash, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				   crypto_pwhash_MEMLIMIT_INTERACTIVE);
	sodium_memzero(pin, sizeof(pin));
	if (rc != 0)
		return 1;
	printf("%s\n", hash);
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: adm-kiosk [OPTION]...\n"
		"The Anjungan Dukcapil Mandiri kiosk.\n\n"
		"  -c, --config PATH          configuration file (default %s)\n"
		"  -w, --window WxH           a window of that size instead of fullscreen\n"
		"      --check-config [FILE]  check the configuration (FILE, else --config)\n"
		"                             and exit: 0 valid, 2 not (file:line: why)\n"
		"      --hash-pin             read a PIN on standard input and print its\n"
		"                             argon2id hash for [technician] pin_hash\n"
		"      --screenshot-dir DIR   write the screen to DIR/screen-NNNN.png\n"
		"      --screenshot-every S   ... every S seconds (default 5)\n"
		"      --office-screenshot F  write the screen to F when F.request appears\n"
		"                             (an office asked, adm-syncd --screenshot F)\n"
		"      --ready-fd N           write \"ready\" to file descriptor N after the\n"
		"                             first frame (for benchmarks and tests)\n"
		"  -V, --version              print the version and exit\n"
		"  -h, --help                 print this help and exit\n",
		ADM_DEFAULT_CONFIG);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "window", required_argument, NULL, 'w' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "hash-pin", no_argument, NULL, 'H' },
		{ "screenshot-dir", required_argument, NULL, 'S' },
		{ "screenshot-every", required_argument, NULL, 'E' },
		{ "ready-fd", required_argument, NULL, 'R' },
		{ "office-screenshot", required_argument, NULL, 'O' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct app_options opt = { .screenshot_every_s = 5, .ready_fd = -1 };
	const char *config_path = ADM_DEFAULT_CONFIG, *window = NULL;
	bool check_only = false;
	struct kiosk_config cfg;
	char err[512];
	int c;

	opt.started_us = clock_mono_us();
	log_set_program("adm-kiosk");
	while ((c = getopt_long(argc, argv, "c:w:Vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config_path = optarg;
			break;
		case 'w':
			window = optarg;
			break;
		case 'C':
			check_only = true;
			break;
		case 'H':
			return hash_pin();
		case 'S':
			opt.screenshot_dir = optarg;
			break;
		case 'E':
			opt.screenshot_every_s = atoi(optarg);
			if (opt.screenshot_every_s < 1) {
				fprintf(stderr,
					"adm-kiosk: --screenshot-every takes seconds >= 1\n");
				return 2;
			}
			break;
		case 'R':
			opt.ready_fd = atoi(optarg);
			break;
		case 'O':
			opt.office_screenshot = optarg;
			break;
		case 'V':
			printf("adm-kiosk %s\n", ADM_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (check_only && optind + 1 == argc)
		config_path = argv[optind++]; /* adm-kiosk --check-config FILE */
	if (optind < argc) {
		fprintf(stderr, "adm-kiosk: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "adm-kiosk: libsodium cannot start\n");
		return 1;
	}
	if (!config_load(&cfg, config_path, err, sizeof(err))) {
		fprintf(stderr, "adm-kiosk: %s\n", err);
		return 2;
	}
	if (window && !config_parse_window(window, &cfg.window_w, &cfg.window_h)) {
		fprintf(stderr,
			"adm-kiosk: --window %s: expected WIDTHxHEIGHT between 640x480 and "
			"7680x4320, or 'fullscreen'\n",
			window);
		return 2;
	}
	if (check_only) {
		printf("%s: ok\n", config_path);
		return 0;
	}
	log_set_level(cfg.log_level);
	return app_run(&cfg, &opt);
}
