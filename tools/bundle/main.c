/*
 * adm-bundle: the regional office's tool for content bundles (docs/content-bundles.md).
 * keygen, init, build, sign and verify here; the keyring commands for the root holders in
 * keyring_cmd.c; init and build in build.c. Every command that writes a file writes it
 * whole or not at all (a temporary name, then rename), and every refusal exits 1 with the
 * same reason the kiosk would log. preview (preview.c) renders the kiosk's own screens;
 * publish (publish.c) uploads to adm-central.
 */
#include "tool.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int tool_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("adm-bundle: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 1;
}

int tool_out_open(struct tool_out *o, const char *path)
{
	if (snprintf(o->path, sizeof(o->path), "%s", path) >= (int)sizeof(o->path) ||
	    snprintf(o->tmp, sizeof(o->tmp), "%s.tmp", path) >= (int)sizeof(o->tmp))
		return tool_error("%s: path too long", path);
	o->f = fopen(o->tmp, "wbe");
	if (!o->f)
		return tool_error("%s: %s", o->tmp, strerror(errno));
	return 0;
}

int tool_out_commit(struct tool_out *o)
{
	bool ok = fflush(o->f) == 0 && fsync(fileno(o->f)) == 0;
	if (fclose(o->f) != 0)
		ok = false;
	o->f = NULL;
	if (!ok || rename(o->tmp, o->path) != 0) {
		int e = errno;
		unlink(o->tmp);
		return tool_error("%s: %s", o->path, strerror(e));
	}
	return 0;
}

void tool_out_abort(struct tool_out *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	unlink(o->tmp);
}

int tool_copy_rest(FILE *in, FILE *out)
{
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			return -1;
	return ferror(in) ? -1 : 0;
}

int tool_parse_time(const char *s, int64_t *out)
{
	char *end;
	if (content_time_parse(s, out))
		return 0;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		return -1;
	*out = v;
	return 0;
}

const char *tool_optarg(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		tool_error("%s needs a value", argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

static int cmd_keygen(int argc, char **argv)
{
	char sec[PATH_MAX], pub[PATH_MAX], reason[CONTENT_REASON_MAX];
	if (argc != 2)
		return tool_error("usage: adm-bundle keygen NAME (writes NAME.key and NAME.pub)");
	snprintf(sec, sizeof(sec), "%s.key", argv[1]);
	snprintf(pub, sizeof(pub), "%s.pub", argv[1]);
	if (access(pub, F_OK) == 0)
		return tool_error("%s exists: not overwritten", pub);
	if (content_keygen(sec, pub, reason, sizeof(reason)) < 0)
		return tool_error("keygen: %s", reason);
	unsigned char pk[CONTENT_PK_BYTES], id[CONTENT_KEYID_BYTES];
	char hex[CONTENT_KEYID_HEX];
	if (content_public_load(pub, pk, reason, sizeof(reason)) < 0)
		return tool_error("%s", reason);
	content_key_id(pk, id);
	content_key_id_hex(id, hex);
	printf("key %s: secret %s (keep it offline), public %s\n", hex, sec, pub);
	return 0;
}

static int cmd_sign(int argc, char **argv)
{
	const char *in_path = NULL, *key = NULL, *out_path = NULL;
	char reason[CONTENT_REASON_MAX];
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		if (a[0] != '-' && !in_path) {
			in_path = a;
			continue;
		}
		if (!(v = tool_optarg(argc, argv, &i)))
			return 1;
		if (strcmp(a, "--key") == 0)
			key = v;
		else if (strcmp(a, "-o") == 0)
			out_path = v;
		else
			return tool_error("sign: unknown option %s", a);
	}
	if (!in_path || !key)
		return tool_error("usage: adm-bundle sign BUNDLE --key PUBLISHER.key [-o OUT]");
	unsigned char sk[CONTENT_SK_BYTES];
	if (content_secret_load(key, sk, reason, sizeof(reason)) < 0)
		return tool_error("%s", reason);
	FILE *in = fopen(in_path, "rbe");
	if (!in)
		return tool_error("%s: %s", in_path, strerror(errno));
	struct content_blob b;
	struct content_manifest *m = NULL;
	struct tool_out o = { 0 };
	int rc = content_blob_read(in, CONTENT_BLOB_BUNDLE, CONTENT_MANIFEST_MAX, &b, reason,
				   sizeof(reason));
	if (rc < 0) {
		fclose(in);
		return tool_error("%s: %s", in_path, reason);
	}
	/* an office signs only what a kiosk would parse */
	if ((rc = content_manifest_parse((const char *)b.payload, b.len, &m, reason,
					 sizeof(reason))) < 0 ||
	    (rc = content_blob_sign(&b, sk)) < 0) {
		rc = tool_error("%s: %s", in_path,
				rc == CONTENT_E_TOO_BIG ? "too many signatures" : reason);
		goto out;
	}
	if ((rc = tool_out_open(&o, out_path ? out_path : in_path)) != 0)
		goto out;
	if (content_blob_write(o.f, &b) < 0 || tool_copy_rest(in, o.f) < 0) {
		tool_out_abort(&o);
		rc = tool_error("%s: write failed", o.path);
		goto out;
	}
	rc = tool_out_commit(&o);
	if (rc == 0)
		printf("signed %s version %lld (%zu signature(s))\n", m->publisher,
		       (long long)m->version, b.nsigs);
out:
	content_manifest_free(m);
	content_blob_finish(&b);
	fclose(in);
	return rc;
}

static int64_t last_version_of(const char *publisher, void *user)
{
	return *(int64_t *)user;
}

static const char *const kind_names[] = { "announcement", "banner", "hours",
					  "notice",	  "urgent", "office" };

static int cmd_verify(int argc, char **argv)
{
	const char *path = NULL, *chain[16];
	size_t nchain = 0;
	int64_t last = 0;
	int utc_offset = 7 * 3600;
	char reason[CONTENT_REASON_MAX];
	struct content_policy p = { .wall_now = time(NULL) };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		if (a[0] != '-') {
			if (path)
				return tool_error("verify: one bundle at a time");
			path = a;
			continue;
		}
		if (!(v = tool_optarg(argc, argv, &i)))
			return 1;
		if (strcmp(a, "--keyring") == 0 && nchain < 16)
			chain[nchain++] = v;
		else if (strcmp(a, "--region") == 0)
			p.region = v;
		else if (strcmp(a, "--kiosk") == 0)
			p.kiosk_id = v;
		else if (strcmp(a, "--store") == 0)
			p.store_dir = v;
		else if (strcmp(a, "--now") == 0 && tool_parse_time(v, &p.wall_now) == 0)
			;
		else if (strcmp(a, "--newest-created") == 0 &&
			 tool_parse_time(v, &p.newest_created) == 0)
			;
		else if (strcmp(a, "--last-version") == 0)
			last = strtoll(v, NULL, 10);
		else if (strcmp(a, "--utc-offset") == 0)
			utc_offset = atoi(v) * 3600;
		else
			return tool_error("verify: bad option %s %s", a, v);
	}
	if (!path || nchain == 0)
		return tool_error(
		    "usage: adm-bundle verify BUNDLE --keyring KEYRING... [--region R] "
		    "[--kiosk ID] [--now T] [--newest-created T] [--last-version N] "
		    "[--store DIR] [--utc-offset H]");
	content_keyring *kr;
	if (content_keyring_load_chain(chain, nchain, &kr, reason, sizeof(reason)) < 0)
		return tool_error("keyring refused: %s", reason);
	p.last_version = last_version_of;
	p.user = &last;
	FILE *in = fopen(path, "rbe");
	if (!in) {
		content_keyring_free(kr);
		return tool_error("%s: %s", path, strerror(errno));
	}
	struct content_manifest *m;
	int rc = content_bundle_read(in, kr, &p, &m, reason, sizeof(reason));
	fclose(in);
	content_keyring_free(kr);
	if (rc < 0)
		return tool_error("refused: %s: %s", content_strerror(rc), reason);
	char created[21], expires[21];
	content_time_format(m->created, created);
	content_time_format(m->expires, expires);
	printf("ok: %s version %lld, created %s, expires %s, %zu file(s), %zu item(s)\n",
	       m->publisher, (long long)m->version, created, expires, m->nfiles, m->nitems);
	int64_t now = content_effective_now(p.wall_now, p.newest_created);
	struct content_now n = content_now_at(now, utc_offset);
	for (size_t i = 0; i < m->nitems; i++)
		printf("  %-12s %-24s %s\n", kind_names[m->items[i].kind], m->items[i].id,
		       content_item_visible(&m->items[i], &n, false) ? "shown now" : "not now");
	content_manifest_free(m);
	return 0;
}

static int usage(void)
{
	fputs(
	    "usage: adm-bundle COMMAND ...\n"
	    "  keygen NAME                 new Ed25519 key: NAME.key (secret), NAME.pub\n"
	    "  init DIR                    a new bundle folder with an example of each item\n"
	    "  build DIR -o OUT [--version N] [--created T]\n"
	    "  sign BUNDLE --key KEY [-o OUT]\n"
	    "  verify BUNDLE --keyring K1 [--keyring K2 ...] [--region R] [--kiosk ID] ...\n"
	    "  keyring init|add|revoke|root|sign|show|verify ...  (adm-bundle keyring help)\n"
	    "  preview BUNDLE_OR_DIR --keyring K... --out DIR [--at T] [--utc-offset H]\n"
	    "                              the attract and nothing-ready screens as PNGs\n"
	    "  publish BUNDLE --url URL --office ID --token-file FILE [--ca FILE]\n"
	    "                              upload to adm-central (exit 1 refused, 3 unreachable)\n",
	    stderr);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	const char *cmd = argv[1];
	argc--, argv++;
	if (strcmp(cmd, "keygen") == 0)
		return cmd_keygen(argc, argv);
	if (strcmp(cmd, "init") == 0)
		return cmd_init(argc, argv);
	if (strcmp(cmd, "build") == 0)
		return cmd_build(argc, argv);
	if (strcmp(cmd, "sign") == 0)
		return cmd_sign(argc, argv);
	if (strcmp(cmd, "verify") == 0)
		return cmd_verify(argc, argv);
	if (strcmp(cmd, "keyring") == 0)
		return cmd_keyring(argc, argv);
	if (strcmp(cmd, "preview") == 0)
		return cmd_preview(argc, argv);
	if (strcmp(cmd, "publish") == 0)
		return cmd_publish(argc, argv);
	return usage();
}
