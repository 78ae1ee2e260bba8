/*
 * admctl bundle: the technician's side of the kiosk's content store (content/store.h),
 * for kiosks without a link: install a bundle from a USB stick with the same checks
 * adm-syncd applies, show what is active and what was last refused, roll back. Every
 * subcommand prints for people or, with --json, one JSON object on stdout, and exits with
 * the codes of admctl.h.
 */
#include "admctl.h"
#include "config.h"
#include "store.h"

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KEYRINGS_MAX 16

struct opts {
	const char *store, *region, *kiosk, *config, *anchor;
	const char *keyrings[KEYRINGS_MAX];
	size_t nkeyrings;
	bool json;
	struct kiosk_config cfg;	       /* kiosk_id from --config */
	char region_code[CONTENT_REGION_SIZE]; /* region in its one form ("3273" is "32.73") */
};

struct sub {
	const char *name, *args, *help;
	int nargs; /* positional arguments */
	/* runs on the opened store and closes it */
	int (*run)(const struct opts *o, content_store *s, char **argv);
};

static const char common_help[] =
    "  --store DIR     the kiosk's content store (default: [content] store of --config,\n"
    "                  else " CONTENT_STORE_DEFAULT_DIR ")\n"
    "  --config FILE   the kiosk config ([kiosk] id, [content] store and region), e.g.\n"
    "                  /etc/adm/kiosk.conf\n"
    "  --kiosk ID      this kiosk's id (overrides --config)\n"
    "  --region CODE   this kiosk's region, e.g. 32.73 (overrides --config)\n"
    "  --json          one JSON object on stdout instead of text\n"
    "  --help          this text\n";

/* ---- output ---- */

static void stamp(int64_t t, char out[21])
{
	if (t)
		content_time_format(t, out);
	else
		snprintf(out, 21, "-");
}

static json_t *info_json(const struct content_store_bundle_info *b)
{
	char c[21], e[21], i[21];
	if (b->damaged)
		return json_pack("{s:s, s:b}", "id", b->id, "damaged", true);
	if (!b->present)
		return json_null();
	stamp(b->created, c);
	stamp(b->expires, e);
	stamp(b->installed, i);
	return json_pack("{s:s, s:s, s:I, s:s, s:s, s:b, s:s, s:I, s:I}", "id", b->id, "publisher",
			 b->publisher, "version", (json_int_t)b->version, "created", c, "expires",
			 e, "expired", b->expired, "installed", i, "files", (json_int_t)b->nfiles,
			 "items", (json_int_t)b->nitems);
}

static void info_text(const char *label, const struct content_store_bundle_info *b)
{
	char c[21], e[21], i[21];
	if (b->damaged) {
		printf("%-9s DAMAGED: manifest %.16s missing or changed on disk\n", label, b->id);
		return;
	}
	if (!b->present) {
		printf("%-9s none\n", label);
		return;
	}
	stamp(b->created, c);
	stamp(b->expires, e);
	stamp(b->installed, i);
	printf("%-9s %s version %lld, created %s, expires %s%s, installed %s, %zu files, "
	       "%zu items, id %.16s\n",
	       label, b->publisher, (long long)b->version, c, e, b->expired ? " (EXPIRED)" : "", i,
	       b->nfiles, b->nitems, b->id);
}

static json_t *status_json(const struct content_store_status *st)
{
	char at[21], now[21], nc[21];
	json_t *versions = json_object();
	for (size_t i = 0; i < st->nversions; i++)
		json_object_set_new(versions, st->versions[i].publisher,
				    json_integer(st->versions[i].version));
	stamp(st->rejected_at, at);
	json_t *rej = st->has_rejection ? json_pack("{s:s, s:s, s:s, s:s}", "at", at, "source",
						    st->rejected_source, "error",
						    content_store_strerror(st->rejection_code),
						    "reason", st->rejection)
					: json_null();
	stamp(st->effective_now, now);
	stamp(st->newest_created, nc);
	return json_pack("{s:b, s:I, s:s, s:s, s:o, s:o, s:o, s:o}", "provisioned", st->provisioned,
			 "keyring_version", (json_int_t)st->keyring_version, "kiosk_time", now,
			 "newest_created", nc, "active", info_json(&st->active), "previous",
			 info_json(&st->previous), "versions", versions, "rejection", rej);
}

static void status_text(const struct content_store_status *st, const char *dir)
{
	char at[21], now[21];
	stamp(st->effective_now, now);
	if (st->provisioned)
		printf("store:    %s (keyring version %lld, kiosk time %s)\n", dir,
		       (long long)st->keyring_version, now);
	else
		printf("store:    %s (NOT PROVISIONED: no trust anchor keyring)\n", dir);
	info_text("active:", &st->active);
	info_text("previous:", &st->previous);
	for (size_t i = 0; i < st->nversions; i++)
		printf("newest:   %s version %lld (older ones are refused)\n",
		       st->versions[i].publisher, (long long)st->versions[i].version);
	if (st->has_rejection) {
		stamp(st->rejected_at, at);
		printf("rejected: %s from %s: %s (%s)\n", at, st->rejected_source, st->rejection,
		       content_store_strerror(st->rejection_code));
	} else {
		printf("rejected: none\n");
	}
}

static int print_json(json_t *j)
{
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!text)
		return -1;
	puts(text);
	free(text);
	return 0;
}

/* A failure: the reason on stderr, or {"ok": false, ...} with --json. */
static int failed(const struct opts *o, int code, const char *what, const char *reason)
{
	int exit_code = code == CONTENT_STORE_E_NOT_PROVISIONED || code == CONTENT_STORE_E_CORRUPT
			    ? ADMCTL_NO_STORE
			    : ADMCTL_REFUSED;
	if (o->json)
		print_json(json_pack("{s:b, s:s, s:s, s:s}", "ok", false, "what", what, "error",
				     content_store_strerror(code), "reason", reason));
	else
		fprintf(stderr, "admctl: %s: %s (%s)\n", what, reason,
			content_store_strerror(code));
	return exit_code;
}

static int open_store(const struct opts *o, content_store **s)
{
	char reason[CONTENT_REASON_MAX];
	int rc = content_store_open(o->store, s, reason, sizeof(reason));
	if (rc < 0) {
		failed(o, rc, "cannot open the store", reason);
		return ADMCTL_NO_STORE;
	}
	return ADMCTL_OK;
}

/* After a switch: what is active and previous now; closes the store. */
static int switched(const struct opts *o, content_store *s, const char *done)
{
	char reason[CONTENT_REASON_MAX];
	struct content_store_status st;
	int rc = content_store_status(s, 0, &st, reason, sizeof(reason));
	content_store_close(s);
	if (rc < 0)
		return failed(o, rc, "done, but status failed", reason);
	if (o->json) {
		print_json(json_pack("{s:b, s:o, s:o}", "ok", true, "active", info_json(&st.active),
				     "previous", info_json(&st.previous)));
	} else {
		printf("%s\n", done);
		info_text("active:", &st.active);
		info_text("previous:", &st.previous);
	}
	return ADMCTL_OK;
}

/* ---- subcommands ---- */

static int run_install(const struct opts *o, content_store *s, char **argv)
{
	char reason[CONTENT_REASON_MAX];
	int rc;
	if (o->anchor && (rc = content_store_provision(s, o->anchor, reason, sizeof(reason))) < 0) {
		content_store_close(s);
		failed(o, rc, "trust anchor refused", reason);
		return ADMCTL_NO_STORE;
	}
	struct content_store_install_opts io = { .kiosk_id = o->kiosk,
						 .region = o->region,
						 .keyrings = o->keyrings,
						 .nkeyrings = o->nkeyrings };
	rc = content_store_install_file(s, argv[0], &io, reason, sizeof(reason));
	if (rc < 0) {
		content_store_close(s);
		return failed(o, rc, "bundle refused, the active bundle is unchanged", reason);
	}
	return switched(o, s, "installed; the previous bundle is kept for a rollback");
}

static int run_status(const struct opts *o, content_store *s, char **argv)
{
	char reason[CONTENT_REASON_MAX];
	struct content_store_status st;
	int rc = content_store_status(s, 0, &st, reason, sizeof(reason));
	content_store_close(s);
	if (rc < 0)
		return failed(o, rc, "status", reason);
	if (o->json)
		print_json(status_json(&st));
	else
		status_text(&st, o->store);
	return st.provisioned && !st.active.damaged ? ADMCTL_OK : ADMCTL_NO_STORE;
}

static int run_rollback(const struct opts *o, content_store *s, char **argv)
{
	char reason[CONTENT_REASON_MAX];
	int rc = content_store_rollback(s, reason, sizeof(reason));
	if (rc < 0) {
		content_store_close(s);
		return failed(o, rc, "rollback refused, nothing changed", reason);
	}
	return switched(o, s,
			"rolled back; versions do not go back: the rolled-back version and older "
			"ones stay refused");
}

static const struct sub subs[] = {
	{ "install", "PATH [--keyring FILE]... [--anchor FILE]",
	  "Verifies the bundle at PATH (a technician's USB stick) with every check adm-syncd\n"
	  "applies, then makes it active and keeps the active one as previous. Refused bundles\n"
	  "change nothing and are recorded for `admctl bundle status`.\n"
	  "  --keyring FILE  a keyring rotation delivered with the bundle (oldest first, may\n"
	  "                  repeat); accepted only together with the bundle\n"
	  "  --anchor FILE   provision the store with this trust anchor keyring first (a new\n"
	  "                  kiosk); a different anchor than the provisioned one is refused\n",
	  1, run_install },
	{ "status", "",
	  "Shows the active and previous bundle (version, publisher, created, expires, expired?),\n"
	  "the newest version accepted per publisher, and the last refused bundle with its "
	  "reason.\n",
	  0, run_status },
	{ "rollback", "",
	  "Makes the previous bundle active again (and the active one previous). Versions do\n"
	  "not go back: the version rolled back from, and any older one, stays refused, so\n"
	  "only a newer bundle moves the kiosk forward again.\n",
	  0, run_rollback },
};
#define NSUBS (sizeof(subs) / sizeof(subs[0]))

static void usage(FILE *out)
{
	fprintf(out,
		"usage: admctl bundle SUBCOMMAND [OPTIONS]   (admctl bundle SUBCOMMAND --help)\n"
		"\nsubcommands:\n");
	for (size_t i = 0; i < NSUBS; i++)
		fprintf(out, "  %-9s %s\n", subs[i].name, subs[i].args);
	fprintf(out, "\noptions of every subcommand:\n%s", common_help);
}

static void sub_help(const struct sub *c, FILE *out)
{
	fprintf(out, "usage: admctl bundle %s %s [OPTIONS]\n\n%s\noptions:\n%s", c->name, c->args,
		c->help, common_help);
	fprintf(out, "\nexit codes: 0 ok, 1 refused or failed (the reason is printed), 2 usage, "
		     "3 store or kiosk config unusable\n");
}

int admctl_bundle(int argc, char **argv)
{
	enum { O_STORE = 256, O_REGION, O_KIOSK, O_CONFIG, O_JSON, O_HELP, O_KEYRING, O_ANCHOR };
	static const struct option longopts[] = {
		{ "store", required_argument, NULL, O_STORE },
		{ "region", required_argument, NULL, O_REGION },
		{ "kiosk", required_argument, NULL, O_KIOSK },
		{ "config", required_argument, NULL, O_CONFIG },
		{ "json", no_argument, NULL, O_JSON },
		{ "help", no_argument, NULL, O_HELP },
		{ "keyring", required_argument, NULL, O_KEYRING },
		{ "anchor", required_argument, NULL, O_ANCHOR },
		{ NULL, 0, NULL, 0 },
	};
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? ADMCTL_USAGE : ADMCTL_OK;
	}
	const struct sub *c = NULL;
	for (size_t i = 0; i < NSUBS; i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			c = &subs[i];
	if (!c) {
		fprintf(stderr, "admctl bundle: unknown subcommand '%s'\n", argv[1]);
		usage(stderr);
		return ADMCTL_USAGE;
	}
	static struct opts o; /* large (the kiosk config): not on the stack */
	memset(&o, 0, sizeof(o));
	argc--, argv++;
	optind = 1;
	opterr = 0;
	int opt;
	bool help = false;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case O_STORE:
			o.store = optarg;
			break;
		case O_REGION:
			o.region = optarg;
			break;
		case O_KIOSK:
			o.kiosk = optarg;
			break;
		case O_CONFIG:
			o.config = optarg;
			break;
		case O_JSON:
			o.json = true;
			break;
		case O_HELP:
			help = true;
			break;
		case O_ANCHOR:
			if (strcmp(c->name, "install") != 0)
				goto bad;
			o.anchor = optarg;
			break;
		case O_KEYRING:
			if (strcmp(c->name, "install") != 0 || o.nkeyrings == KEYRINGS_MAX)
				goto bad;
			o.keyrings[o.nkeyrings++] = optarg;
			break;
		default:
			goto bad;
		}
	}
	if (help) {
		sub_help(c, stdout);
		return ADMCTL_OK;
	}
	if (argc - optind != c->nargs)
		goto bad;
	if (o.config) {
		char err[512];
		config_defaults(&o.cfg);
		if (!config_load(&o.cfg, o.config, err, sizeof(err))) {
			fprintf(stderr, "admctl: %s\n", err);
			return ADMCTL_NO_STORE;
		}
		/* the options win over the kiosk's config, which wins over the defaults */
		if (!o.kiosk)
			o.kiosk = o.cfg.kiosk_id;
		if (!o.region && o.cfg.content_region[0])
			o.region = o.cfg.content_region;
		if (!o.store && !o.cfg.content_store[0]) {
			fprintf(stderr,
				"admctl: %s: [content] store is empty (no content store on "
				"this kiosk); give --store\n",
				o.config);
			return ADMCTL_NO_STORE;
		}
		if (!o.store)
			o.store = o.cfg.content_store;
	}
	if (!o.store)
		o.store = CONTENT_STORE_DEFAULT_DIR;
	if (o.region && !content_region_parse(o.region, o.region_code)) {
		fprintf(stderr, "admctl: %s %s: a region code is 32, 32.73 or 3273\n",
			o.region == o.cfg.content_region ? "[content] region" : "--region",
			o.region);
		return ADMCTL_USAGE;
	}
	if (o.region)
		o.region = o.region_code;
	if (strcmp(c->name, "install") == 0 && !o.region) {
		fprintf(stderr,
			"admctl: bundle install needs --region or a --config with [content] "
			"region (this kiosk's region)\n");
		return ADMCTL_USAGE;
	}
	content_store *s = NULL;
	int rc = open_store(&o, &s);
	return rc == ADMCTL_OK ? c->run(&o, s, argv + optind) : rc;
bad:
	fprintf(stderr, "admctl bundle %s: wrong arguments\n", c->name);
	sub_help(c, stderr);
	return ADMCTL_USAGE;
}
