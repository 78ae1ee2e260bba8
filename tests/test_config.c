/*
 * The configuration: the documented example is complete and valid, and every kind of
 * mistake stops start-up with "file:line: what is wrong; what is expected".
 */
#include "check.h"
#include "config.h"

#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct doc_ctx {
	int found[128];
	char values[128][128];
};

static int collect(void *user, const char *section, const char *name, const char *value)
{
	struct doc_ctx *ctx = user;
	const char *s, *n, *def;
	bool req;

	for (size_t i = 0; config_key_at(i, &s, &n, &def, &req); i++) {
		if (strcmp(s, section) == 0 && strcmp(n, name) == 0) {
			ctx->found[i]++;
			snprintf(ctx->values[i], sizeof(ctx->values[i]), "%s", value);
		}
	}
	return 1;
}

static char tmpdir[64];

static const char *write_conf(const char *name, const char *text)
{
	static char path[128];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

struct bad_case {
	const char *text;
	const char *want; /* expected message after "PATH" */
};

static const struct bad_case bad[] = {
	{ "[kiosk]\nid = K1\ncolour = red\n",
	  ":3: unknown key 'colour' in [kiosk]; see config/kiosk.conf for the keys" },
	{ "[kiosk]\nid = K1\n[sound]\nvolume = 3\n",
	  ":4: unknown section [sound]; expected one of [kiosk], [display], [session], [nfc], "
	  "[scanner], [cache], [printer], [technician], [sync]" },
	{ "[kiosk]\nlocation = Bogor\n",
	  ": [kiosk] id is missing; expected the kiosk's identifier: 1-63 letters, digits, '-' or "
	  "'_'" },
	{ "[kiosk]\nid = K 1\n",
	  ":2: [kiosk] id = 'K 1' is not valid; expected the kiosk's identifier" },
	{ "[kiosk]\nid = K1\n[session]\nidle_timeout = abc\n",
	  ":4: [session] idle_timeout = 'abc' is not valid; expected seconds between 30 and 600" },
	{ "[kiosk]\nid = K1\n[session]\nidle_timeout = 601\n",
	  ":4: [session] idle_timeout = '601' is not valid; expected seconds between 30 and 600" },
	{ "[kiosk]\nid = K1\n[session]\nidle_timeout = 60s\n",
	  ":4: [session] idle_timeout = '60s' is not valid" },
	{ "[kiosk]\nid = K1\n[display]\nwindow = 100x100\n",
	  ":4: [display] window = '100x100' is not valid; expected 'fullscreen' or WIDTHxHEIGHT" },
	{ "[kiosk]\nid = K1\n[display]\naccelerated = maybe\n",
	  ":4: [display] accelerated = 'maybe' is not valid; expected one of off, on, auto" },
	{ "[kiosk]\nid = K1\n[display]\ndriver = fbdev\n",
	  ":4: [display] driver = 'fbdev' is not valid; expected one of auto, x11, wayland, "
	  "kmsdrm, "
	  "offscreen" },
	{ "[kiosk]\nid = K1\nlog_level = loud\n",
	  ":3: [kiosk] log_level = 'loud' is not valid; expected one of error, warn, info, debug" },
	{ "[kiosk]\nid = K1\n[ui]\nsecond_language = English\n",
	  ":4: [ui] second_language = 'English' is not valid; expected the second line's language: "
	  "a code of 2 or 3 lowercase letters" },
	{ "[kiosk]\nid = K1\nid = K2\n", ":3: [kiosk] id is given twice; expected each key once" },
	{ "[kiosk]\nid = K1\nthis line has no equals sign\n",
	  ":3: syntax error; expected '[section]' or 'key = value'" },
	{ "[kiosk]\nid = K1\n[session]\nidle_timeout = 30\nwarning = 30\n",
	  ": [session] warning (30) is not less than idle_timeout (30)" },
	{ "[kiosk]\nid = K1\n[session]\nwarning = 15\n",
	  ":4: [session] warning = '15' is not valid; expected seconds between 20 and 60" },
	{ "[kiosk]\nid = K1\nlocation = "
	  "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567"
	  "8901234567\n",
	  ":3: [kiosk] location = '" },
};

int main(int argc, char **argv)
{
	struct kiosk_config cfg;
	struct doc_ctx doc;
	char err[512];
	const char *s, *n, *def;
	bool req;

	if (argc < 2) {
		fprintf(stderr, "usage: test-config config/kiosk.conf\n");
		return 2;
	}
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/adm-test-config-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 2;

	/* The shipped example loads, and documents every key at its default. */
	CHECK(config_load(&cfg, argv[1], err, sizeof(err)), "example rejected: %s", err);
	memset(&doc, 0, sizeof(doc));
	CHECK(ini_parse(argv[1], collect, &doc) == 0, "example parses");
	size_t nkeys = 0;
	for (size_t i = 0; config_key_at(i, &s, &n, &def, &req); i++, nkeys++) {
		CHECK(doc.found[i] == 1, "[%s] %s documented %d times", s, n, doc.found[i]);
		if (!req)
			CHECK(strcmp(doc.values[i], def) == 0,
			      "[%s] %s = '%s' in the example, default '%s'", s, n, doc.values[i],
			      def);
	}
	CHECK(nkeys >= 10, "key table has %zu keys", nkeys);

	/* Defaults and values. */
	const char *p =
	    write_conf("good.conf", "[kiosk]\nid = ADM-1\n[display]\nwindow = 1366x768\n"
				    "; a comment\n[session]\nidle_timeout = 90\n");
	CHECK(config_load(&cfg, p, err, sizeof(err)), "good config: %s", err);
	CHECK(strcmp(cfg.kiosk_id, "ADM-1") == 0 && cfg.window_w == 1366 && cfg.window_h == 768,
	      "values read");
	CHECK(cfg.idle_s == 90 && cfg.warn_s == 20 && cfg.accel == ACCEL_OFF &&
		  cfg.log_level == LOG_LVL_INFO,
	      "defaults kept");

	/* Each mistake: the file, the line, the problem and what is expected. */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char name[32], want[600];
		snprintf(name, sizeof(name), "bad%zu.conf", i);
		p = write_conf(name, bad[i].text);
		bool ok = config_load(&cfg, p, err, sizeof(err));
		snprintf(want, sizeof(want), "%s%s", p, bad[i].want);
		CHECK(!ok, "case %zu accepted", i);
		CHECK(strncmp(err, want, strlen(want)) == 0, "case %zu:\n  got  %s\n  want %s", i,
		      err, want);
	}
	CHECK(!config_load(&cfg, "/nonexistent/kiosk.conf", err, sizeof(err)) &&
		  strstr(err, "/nonexistent/kiosk.conf: cannot open: No such file"),
	      "missing file: %s", err);

	int w, h;
	CHECK(config_parse_window("fullscreen", &w, &h) && w == 0 && h == 0, "fullscreen");
	CHECK(config_parse_window("1080x1920", &w, &h) && w == 1080 && h == 1920, "portrait");
	CHECK(!config_parse_window("1080x", &w, &h), "half a size");
	CHECK(!config_parse_window("x1080", &w, &h), "no width");
	CHECK(!config_parse_window("99999x1080", &w, &h), "absurd width");

	for (size_t i = 0; i <= sizeof(bad) / sizeof(bad[0]); i++) {
		char path[128];
		snprintf(path, sizeof(path), "%s/bad%zu.conf", tmpdir, i);
		unlink(path);
	}
	unlink(write_conf("good.conf", ""));
	rmdir(tmpdir);
	return check_done();
}
