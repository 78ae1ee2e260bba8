/*
 * adm-bundle keyring: the root holders' commands. A keyring file is edited as a draft and
 * then signed by each root holder in turn (keyring sign, one offline key at a time). The
 * version rule is mechanical so nobody has to remember it: editing a keyring that its own
 * root threshold has already signed (a published one) starts the next version; editing a
 * draft keeps its version. Either way the edit drops the old signatures, because they no
 * longer cover the payload. A rotated keyring must then be signed by a threshold of the
 * previous root too (keyring verify OLD NEW checks exactly what a kiosk checks).
 */
#include "tool.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int usage(void)
{
	fputs("usage: adm-bundle keyring COMMAND ...\n"
	      "  init OUT --root A.pub --root B.pub --root C.pub [--threshold 2]\n"
	      "  add KEYRING --publisher ID --name NAME --key P.pub --region 32.73 [--region ..]\n"
	      "  revoke KEYRING --key P.pub\n"
	      "  root KEYRING --root A.pub ... [--threshold N]   (replace the root keys)\n"
	      "  sign KEYRING --key ROOT.key\n"
	      "  show KEYRING\n"
	      "  verify ANCHOR [NEXT ...]                       (what a kiosk checks)\n"
	      "every command but show and verify takes -o OUT (default: in place)\n",
	      stderr);
	return 1;
}

static int load(const char *path, struct content_blob *b)
{
	char reason[CONTENT_REASON_MAX];
	FILE *f = fopen(path, "rbe");
	if (!f)
		return tool_error("%s: %s", path, strerror(errno));
	int rc = content_blob_read(f, CONTENT_BLOB_KEYRING, CONTENT_KEYRING_MAX, b, reason,
				   sizeof(reason));
	fclose(f);
	return rc < 0 ? tool_error("%s: %s", path, reason) : 0;
}

static int save(const char *path, struct content_blob *b)
{
	char reason[CONTENT_REASON_MAX];
	content_keyring *kr;
	if (content_keyring_parse_unsigned(b, &kr, reason, sizeof(reason)) < 0)
		return tool_error("keyring not written: %s", reason);
	content_keyring_free(kr);
	struct tool_out o;
	if (tool_out_open(&o, path) != 0)
		return 1;
	if (content_blob_write(o.f, b) < 0) {
		tool_out_abort(&o);
		return tool_error("%s: write failed", path);
	}
	return tool_out_commit(&o);
}

static json_t *pubkey_json(const char *path)
{
	unsigned char pk[CONTENT_PK_BYTES];
	char reason[CONTENT_REASON_MAX], hex[2 * CONTENT_PK_BYTES + 1];
	if (content_public_load(path, pk, reason, sizeof(reason)) < 0) {
		tool_error("%s", reason);
		return NULL;
	}
	for (int i = 0; i < CONTENT_PK_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", pk[i]);
	return json_string(hex);
}

static void set_created(json_t *o)
{
	char stamp[21];
	content_time_format(time(NULL), stamp);
	json_object_set_new(o, "created", json_string(stamp));
}

struct opts {
	const char *out, *publisher, *name, *key;
	const char *roots[CONTENT_ROOT_KEYS_MAX];
	size_t nroots;
	const char *regions[16];
	size_t nregions;
	int threshold;
	const char *file;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof(*o));
	o->threshold = 2;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		if (a[0] != '-' && !o->file) {
			o->file = a;
			continue;
		}
		if (!(v = tool_optarg(argc, argv, &i)))
			return 1;
		if (strcmp(a, "-o") == 0)
			o->out = v;
		else if (strcmp(a, "--publisher") == 0)
			o->publisher = v;
		else if (strcmp(a, "--name") == 0)
			o->name = v;
		else if (strcmp(a, "--key") == 0)
			o->key = v;
		else if (strcmp(a, "--threshold") == 0)
			o->threshold = atoi(v);
		else if (strcmp(a, "--root") == 0 && o->nroots < CONTENT_ROOT_KEYS_MAX)
			o->roots[o->nroots++] = v;
		else if (strcmp(a, "--region") == 0 && o->nregions < 16)
			o->regions[o->nregions++] = v;
		else
			return tool_error("keyring: bad option %s", a);
	}
	if (!o->file)
		return usage();
	return 0;
}

static json_t *root_json(const struct opts *o)
{
	json_t *keys = json_array();
	for (size_t i = 0; i < o->nroots; i++) {
		json_t *k = pubkey_json(o->roots[i]);
		if (!k) {
			json_decref(keys);
			return NULL;
		}
		json_array_append_new(keys, k);
	}
	return json_pack("{s:i, s:o}", "threshold", o->threshold, "keys", keys);
}

static int kr_init(const struct opts *o)
{
	if (o->nroots < 2)
		return tool_error("keyring init: give the root keys with --root (2-of-3: three)");
	if (!o->out && access(o->file, F_OK) == 0)
		return tool_error("%s exists: keyring init makes a new keyring", o->file);
	json_t *root = root_json(o);
	if (!root)
		return 1;
	json_t *kr = json_pack("{s:i, s:i, s:o, s:[]}", "format", 1, "version", 1, "root", root,
			       "publishers");
	set_created(kr);
	char *text = json_dumps(kr, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(kr);
	struct content_blob b = { .kind = CONTENT_BLOB_KEYRING,
				  .payload = (unsigned char *)text,
				  .len = strlen(text) };
	int rc = save(o->out ? o->out : o->file, &b);
	free(text);
	if (rc == 0)
		printf("keyring version 1 (draft): %zu root keys, threshold %d; add publishers, "
		       "then each root holder signs\n",
		       o->nroots, o->threshold);
	return rc;
}

/* The edit commands: the payload as JSON, changed by edit(), written back. */
static int edit(const char *cmd, const struct opts *o)
{
	struct content_blob b;
	char reason[CONTENT_REASON_MAX];
	if (load(o->file, &b) != 0)
		return 1;
	content_keyring *kr;
	if (content_keyring_parse_unsigned(&b, &kr, reason, sizeof(reason)) < 0) {
		content_blob_finish(&b);
		return tool_error("%s: %s", o->file, reason);
	}
	bool published = content_keyring_root_sigs(kr, &b) >= content_keyring_threshold(kr);
	content_keyring_free(kr);
	json_t *j = json_loadb((const char *)b.payload, b.len, JSON_REJECT_DUPLICATES, NULL);
	json_t *pubs = json_object_get(j, "publishers");
	int rc = 1;
	if (strcmp(cmd, "add") == 0) {
		json_t *regions = json_array(), *key = o->key ? pubkey_json(o->key) : NULL;
		for (size_t i = 0; i < o->nregions; i++)
			json_array_append_new(regions, json_string(o->regions[i]));
		if (!o->publisher || !o->name || !key || !o->nregions) {
			json_decref(regions);
			json_decref(key);
			tool_error("keyring add needs --publisher, --name, --key and --region");
			goto out;
		}
		json_array_append_new(pubs, json_pack("{s:s, s:s, s:o, s:o, s:b}", "id",
						      o->publisher, "name", o->name, "key", key,
						      "regions", regions, "revoked", 0));
	} else if (strcmp(cmd, "revoke") == 0) {
		json_t *key = o->key ? pubkey_json(o->key) : NULL, *p;
		size_t i, hits = 0;
		json_array_foreach(pubs, i, p)
		{
			if (key && json_equal(json_object_get(p, "key"), key)) {
				json_object_set_new(p, "revoked", json_true());
				hits++;
			}
		}
		json_decref(key);
		if (!hits) {
			tool_error("keyring revoke: --key names no publisher key in %s", o->file);
			goto out;
		}
	} else {
		json_t *root = o->nroots >= 2 ? root_json(o) : NULL;
		if (!root) {
			tool_error("keyring root: give at least two --root keys");
			goto out;
		}
		json_object_set_new(j, "root", root);
	}
	if (published) {
		json_int_t v = json_integer_value(json_object_get(j, "version")) + 1;
		json_object_set_new(j, "version", json_integer(v));
		set_created(j);
		printf("%s was published: this is version %lld (a draft)\n", o->file, (long long)v);
	} else if (b.nsigs) {
		printf("dropped %zu signature(s) of the draft: they do not cover the edit\n",
		       b.nsigs);
	}
	char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	struct content_blob nb = { .kind = CONTENT_BLOB_KEYRING,
				   .payload = (unsigned char *)text,
				   .len = text ? strlen(text) : 0 };
	rc = text ? save(o->out ? o->out : o->file, &nb) : tool_error("out of memory");
	free(text);
out:
	json_decref(j);
	content_blob_finish(&b);
	return rc;
}

static int kr_sign(const struct opts *o)
{
	struct content_blob b;
	unsigned char sk[CONTENT_SK_BYTES];
	char reason[CONTENT_REASON_MAX];
	if (!o->key)
		return tool_error("keyring sign needs --key ROOT.key");
	if (content_secret_load(o->key, sk, reason, sizeof(reason)) < 0)
		return tool_error("%s", reason);
	if (load(o->file, &b) != 0)
		return 1;
	content_keyring *kr = NULL;
	int rc = 1;
	if (content_keyring_parse_unsigned(&b, &kr, reason, sizeof(reason)) < 0) {
		tool_error("%s: %s", o->file, reason);
		goto out;
	}
	if (content_blob_sign(&b, sk) < 0) {
		tool_error("%s: too many signatures", o->file);
		goto out;
	}
	rc = save(o->out ? o->out : o->file, &b);
	if (rc == 0)
		printf("keyring %lld: %zu of its own root's %zu needed signatures (a rotation also "
		       "needs the previous root's: keyring verify OLD NEW)\n",
		       (long long)content_keyring_version(kr), content_keyring_root_sigs(kr, &b),
		       content_keyring_threshold(kr));
out:
	content_keyring_free(kr);
	content_blob_finish(&b);
	return rc;
}

static int kr_show(const struct opts *o)
{
	struct content_blob b;
	if (load(o->file, &b) != 0)
		return 1;
	fwrite(b.payload, 1, b.len, stdout);
	printf("\n%zu signature(s)\n", b.nsigs);
	content_blob_finish(&b);
	return 0;
}

int cmd_keyring(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	const char *cmd = argv[1];
	char reason[CONTENT_REASON_MAX];
	if (strcmp(cmd, "verify") == 0) {
		content_keyring *kr;
		if (argc < 3)
			return usage();
		if (content_keyring_load_chain((const char *const *)argv + 2, (size_t)argc - 2, &kr,
					       reason, sizeof(reason)) < 0)
			return tool_error("keyring refused: %s", reason);
		printf("ok: keyring version %lld\n", (long long)content_keyring_version(kr));
		content_keyring_free(kr);
		return 0;
	}
	struct opts o;
	if (parse_opts(argc - 1, argv + 1, &o) != 0)
		return 1;
	if (strcmp(cmd, "init") == 0)
		return kr_init(&o);
	if (strcmp(cmd, "add") == 0 || strcmp(cmd, "revoke") == 0 || strcmp(cmd, "root") == 0)
		return edit(cmd, &o);
	if (strcmp(cmd, "sign") == 0)
		return kr_sign(&o);
	if (strcmp(cmd, "show") == 0)
		return kr_show(&o);
	return usage();
}
