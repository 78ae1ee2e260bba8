/*
 * Content bundles for the kiosk (issue 12; docs/sync-protocol.md, "Content bundles"): ask
 * adm-central which bundle this kiosk is to show, download it into the spool with resume
 * under the blobs' throughput watchdog and a byte cap, check it is the bytes announced,
 * and hand it to the kiosk's store (content_store_install_file), which verifies it and
 * switches atomically. Nothing here checks a bundle's content: that is the store's.
 *
 * Crash safety, by ordering: the part file is only ever appended to; a complete one is
 * installed, then remembered as installed (cache state), then removed. A SIGKILL before
 * the store's switch leaves the old bundle active and the part file to resume or install
 * again; one after it leaves the new bundle active, which the next pass recognises by the
 * store's active id (the SHA-256 of the signed manifest at the head of the part file).
 * A bundle the store refused is remembered with its reason (reported in the heartbeat)
 * and not downloaded again until the server offers another one.
 */
#include "engine.h"

#include "log.h"
#include "sha256.h"
#include "spool.h"
#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The largest bundle a kiosk accepts: every file and the manifest at their caps, and the
 * blob's framing and signatures. The store's reader holds the real limits; this one keeps
 * a server from filling the spool first. */
#define BUNDLE_DOWNLOAD_MAX ((uint64_t)CONTENT_BUNDLE_MAX + CONTENT_MANIFEST_MAX + 4096)
#define OFFER_MAX	    8192
/* A keyring file at its largest: the payload cap, the blob's framing, every signature. */
#define KEYRING_FILE_MAX (CONTENT_KEYRING_MAX + 13 + CONTENT_SIGS_MAX * 72)

#define STATE_INSTALLED "content_installed" /* sha256 of the last bundle installed */
#define STATE_REFUSED	"content_refused"   /* {"sha256","code","reason","at"} */
#define STATE_REFUSED_SHA                                                                          \
	"content_refused_sha" /* its sha256 alone, what the offer is checked against */
#define STATE_KEYRING_REFUSED "content_keyring_refused" /* {"sha256","version",...} */

/* GET /v1/kiosks/{id}/content. */
static int get_offer(struct engine *e, struct proto_content_offer *o)
{
	char path[160], *body = NULL;
	size_t len;
	long status;
	memset(o, 0, sizeof(*o));
	snprintf(path, sizeof(path), "/v1/kiosks/%s/content", e->kiosk_id);
	int rc = net_request(e->net, path, NULL, OFFER_MAX, &body, &len, &status);
	if (rc != NET_OK) {
		log_warn("content: %s", net_error(e->net));
		free(body);
		return rc;
	}
	bool ok = proto_parse_content_offer(body, len, BUNDLE_DOWNLOAD_MAX, KEYRING_FILE_MAX, o);
	free(body);
	if (!ok) {
		log_warn("content: the server's answer is not a bundle offer (or over %llu "
			 "bytes)",
			 (unsigned long long)BUNDLE_DOWNLOAD_MAX);
		return NET_HTTP;
	}
	return NET_OK;
}

static void refused_sha(struct engine *e, char sha[65])
{
	if (cache_state_get(e->cache, STATE_REFUSED_SHA, sha, 65) != CACHE_OK || strlen(sha) != 64)
		sha[0] = '\0';
}

static void remember_refusal(struct engine *e, const struct proto_content_offer *of,
			     const char *code, const char *reason)
{
	const char *sha = of->sha256;
	log_error("content: bundle %.12s refused: %s: %s", sha, code, reason);
	json_t *o = json_pack("{s:s, s:s, s:s, s:I}", "sha256", sha, "code", code, "reason", reason,
			      "at", (json_int_t)time(NULL));
	if (of->publisher[0])
		json_object_set_new(o, "publisher", json_string(of->publisher));
	if (of->version)
		json_object_set_new(o, "version", json_integer(of->version));
	char *js = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (js)
		cache_state_set(e->cache, STATE_REFUSED, js);
	free(js);
	cache_state_set(e->cache, STATE_REFUSED_SHA, sha);
}

static void part_path(const struct engine *e, const char *sha, char *out, size_t size)
{
	snprintf(out, size, "%s/bundle-%s.part", e->spool_dir, sha);
}

/* Part files of bundles other than keep (a newer offer replaced them; NULL: all). */
static void sweep_parts(struct engine *e, const char *keep)
{
	DIR *d = opendir(e->spool_dir);
	struct dirent *de;
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "bundle-", 7) != 0 || strlen(de->d_name) != 7 + 64 + 5 ||
		    strcmp(de->d_name + 71, ".part") != 0 ||
		    (keep && strncmp(de->d_name + 7, keep, 64) == 0))
			continue;
		char path[600];
		snprintf(path, sizeof(path), "%s/%s", e->spool_dir, de->d_name);
		unlink(path);
	}
	closedir(d);
}

/* The store id the bundle in f would have: SHA-256 of its signed manifest, in hex. */
static bool bundle_store_id(FILE *f, char id[65])
{
	struct content_blob b;
	char reason[CONTENT_REASON_MAX];
	unsigned char digest[32];
	rewind(f);
	if (content_blob_read(f, CONTENT_BLOB_BUNDLE, CONTENT_MANIFEST_MAX, &b, reason,
			      sizeof(reason)) != CONTENT_OK)
		return false;
	content_blob_finish(&b);
	long head = ftell(f);
	if (head <= 0)
		return false;
	unsigned char *buf = malloc((size_t)head);
	bool ok = buf && (rewind(f), fread(buf, 1, (size_t)head, f) == (size_t)head) &&
		  sha256(buf, (size_t)head, digest);
	free(buf);
	if (ok)
		sodium_bin2hex(id, 65, digest, sizeof(digest));
	return ok;
}

/* Errors of the store that say nothing about the bundle: try again next pass. */
static bool transient(int rc)
{
	return rc == CONTENT_E_IO || rc == CONTENT_E_NOMEM ||
	       rc == CONTENT_STORE_E_NOT_PROVISIONED || rc == CONTENT_STORE_E_CORRUPT;
}

static int install(struct engine *e, const struct proto_content_offer *o, FILE *f, const char *part)
{
	char reason[CONTENT_REASON_MAX] = "", id[65], active[65] = "";
	content_store *s = NULL;
	int rc = content_store_open(e->content_dir, &s, reason, sizeof(reason));
	if (rc == CONTENT_OK && bundle_store_id(f, id) &&
	    content_store_active_id(e->content_dir, active, reason, sizeof(reason)) == CONTENT_OK &&
	    strcmp(id, active) == 0) {
		/* installed by a run that was killed before it could say so */
		log_info("content: bundle %.12s is active already", o->sha256);
	} else if (rc == CONTENT_OK) {
		struct content_store_install_opts opts = { .kiosk_id = e->kiosk_id,
							   .region = e->region,
							   .source = "sync" };
		reason[0] = '\0';
		rc = content_store_install_file(s, part, &opts, reason, sizeof(reason));
	}
	content_store_close(s);
	if (rc != CONTENT_OK && transient(rc)) {
		log_error("content: cannot install bundle %.12s now: %s: %s", o->sha256,
			  content_store_strerror(rc), reason);
		return NET_IO;
	}
	if (rc != CONTENT_OK) {
		remember_refusal(e, o, content_store_strerror(rc), reason);
	} else {
		log_info("content: bundle %.12s installed", o->sha256);
		cache_state_set(e->cache, STATE_INSTALLED, o->sha256);
		cache_state_set(e->cache, STATE_REFUSED, "");
		cache_state_set(e->cache, STATE_REFUSED_SHA, "");
	}
	unlink(part);
	return NET_OK;
}

/* ---- keyring rotations ---- */

static void keyring_refused_sha(struct engine *e, char sha[65])
{
	char js[1024] = "";
	sha[0] = '\0';
	if (cache_state_get(e->cache, STATE_KEYRING_REFUSED, js, sizeof(js)) != CACHE_OK || !js[0])
		return;
	json_t *o = json_loads(js, 0, NULL);
	const char *v = json_string_value(json_object_get(o, "sha256"));
	if (v && strlen(v) == 64)
		snprintf(sha, 65, "%s", v);
	json_decref(o);
}

static void remember_keyring_refusal(struct engine *e, const struct proto_keyring_offer *k,
				     const char *code, const char *reason)
{
	log_error("content: keyring version %lld (%.12s) refused: %s: %s", (long long)k->version,
		  k->sha256, code, reason);
	json_t *o = json_pack("{s:s, s:I, s:s, s:s, s:I}", "sha256", k->sha256, "version",
			      (json_int_t)k->version, "code", code, "reason", reason, "at",
			      (json_int_t)time(NULL));
	char *js = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (js)
		cache_state_set(e->cache, STATE_KEYRING_REFUSED, js);
	free(js);
}

/* Downloads one offered keyring into memory and gives it to the store: NET_OK also when
 * it was refused (remembered), an error when it is worth trying again next pass. */
static int install_keyring(struct engine *e, content_store *s, const struct proto_keyring_offer *k,
			   bool *refused)
{
	char path[96], *body = NULL, reason[CONTENT_REASON_MAX] = "", hex[65];
	unsigned char digest[32];
	size_t len = 0;
	long status;
	*refused = false;
	snprintf(path, sizeof(path), "/v1/keyrings/%s", k->sha256);
	int rc = net_request(e->net, path, NULL, KEYRING_FILE_MAX, &body, &len, &status);
	if (rc != NET_OK) {
		log_warn("content: keyring %.12s: %s", k->sha256, net_error(e->net));
		free(body);
		return rc;
	}
	if (len != k->size || !sha256(body, len, digest) ||
	    (sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest)), strcmp(hex, k->sha256)) !=
		0) {
		free(body);
		*refused = true;
		remember_keyring_refusal(e, k, "download",
					 "the bytes downloaded do not have the SHA-256 the server "
					 "announced");
		return NET_OK;
	}
	FILE *in = fmemopen(body, len, "rb");
	rc = in ? content_store_install_keyring(s, in, "sync", 0, reason, sizeof(reason))
		: CONTENT_E_NOMEM;
	if (in)
		fclose(in);
	free(body);
	if (rc != CONTENT_OK && transient(rc)) {
		log_error("content: cannot install keyring %.12s now: %s: %s", k->sha256,
			  content_store_strerror(rc), reason);
		return NET_IO;
	}
	if (rc != CONTENT_OK) {
		*refused = true;
		remember_keyring_refusal(e, k, content_store_strerror(rc), reason);
		return NET_OK;
	}
	log_info("content: keyring version %lld accepted", (long long)k->version);
	cache_state_set(e->cache, STATE_KEYRING_REFUSED, "");
	return NET_OK;
}

/* The offered keyrings above the store's, oldest first, before the bundle (which may need
 * them); a refused one ends it, and is not asked for again until the server offers
 * another. */
static int fetch_keyrings(struct engine *e, const struct proto_content_offer *o)
{
	struct content_store_status st;
	char reason[CONTENT_REASON_MAX], refused[65];
	content_store *s = NULL;
	if (!o->nkeyrings)
		return NET_OK;
	int rc = content_store_open(e->content_dir, &s, reason, sizeof(reason));
	if (rc == CONTENT_OK)
		rc = content_store_status(s, 0, &st, reason, sizeof(reason));
	if (rc != CONTENT_OK || !st.provisioned) {
		content_store_close(s);
		return NET_OK; /* the bundle's install says why */
	}
	keyring_refused_sha(e, refused);
	int64_t held = st.keyring_version;
	for (size_t i = 0; i < o->nkeyrings && rc == NET_OK; i++) {
		const struct proto_keyring_offer *k = &o->keyrings[i];
		bool no = false;
		if (k->version <= held)
			continue;
		if (strcmp(k->sha256, refused) == 0)
			break;
		rc = install_keyring(e, s, k, &no);
		if (no)
			break;
		held = k->version;
	}
	content_store_close(s);
	return rc;
}

int engine_fetch_content(struct engine *e)
{
	struct proto_content_offer o;
	char installed[65] = "", refused[65], part[600];
	if (!e->content_dir)
		return 0;
	int rc = get_offer(e, &o);
	if (rc == NET_OK)
		rc = fetch_keyrings(e, &o);
	if (rc != NET_OK)
		return rc;
	cache_state_get(e->cache, STATE_INSTALLED, installed, sizeof(installed));
	refused_sha(e, refused);
	if (!o.sha256[0] || strcmp(o.sha256, installed) == 0 || strcmp(o.sha256, refused) == 0) {
		sweep_parts(e, NULL);
		return 0;
	}
	sweep_parts(e, o.sha256);
	part_path(e, o.sha256, part, sizeof(part));
	FILE *f = spool_open(part);
	if (!f) {
		log_error("content: cannot open %s: %s", part, strerror(errno));
		return NET_IO;
	}
	long have = spool_resume_at(f, (unsigned long long)o.size);
	if (have < 0) {
		fclose(f);
		return NET_IO;
	}
	if ((uint64_t)have < o.size) {
		char path[96];
		long status;
		snprintf(path, sizeof(path), "/v1/bundles/%s", o.sha256);
		if (have > 0)
			log_info("content: bundle %.12s: resuming at byte %ld", o.sha256, have);
		rc = net_download(e->net, path, f, (uint64_t)have, o.size, &status);
		if (rc == NET_RANGE && !spool_wipe(f))
			log_warn("content: cannot empty %s", part);
		if (rc != NET_OK) {
			log_warn("content: bundle %.12s: %s", o.sha256, net_error(e->net));
			fclose(f);
			return rc;
		}
	}
	unsigned char digest[32];
	char hex[65];
	uint64_t size;
	if (!engine_file_sha256(f, digest, &size)) {
		fclose(f);
		return NET_IO;
	}
	sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
	if (size != o.size || strcmp(hex, o.sha256) != 0) {
		remember_refusal(e, &o, "download",
				 "the bytes downloaded do not have the SHA-256 the server "
				 "announced");
		fclose(f);
		unlink(part);
		return NET_OK;
	}
	rc = install(e, &o, f, part);
	fclose(f);
	return rc;
}

/* The heartbeat's "keyring": the version the store holds and the last one refused. */
static json_t *keyring_status(struct engine *e, int64_t version)
{
	char js[1024] = "";
	json_t *rejected = NULL;
	if (cache_state_get(e->cache, STATE_KEYRING_REFUSED, js, sizeof(js)) == CACHE_OK && js[0])
		rejected = json_loads(js, 0, NULL);
	if (!json_is_object(rejected)) {
		json_decref(rejected);
		rejected = json_null();
	}
	return json_pack("{s:I, s:o}", "version", (json_int_t)version, "rejected", rejected);
}

json_t *engine_content_status(struct engine *e)
{
	int64_t kr_version = 0;
	struct content_store_status st;
	char reason[CONTENT_REASON_MAX], js[4096] = "";
	content_store *s = NULL;
	json_t *o = json_object(), *active = json_null(), *rejected = json_null();
	if (content_store_open(e->content_dir, &s, reason, sizeof(reason)) == CONTENT_OK &&
	    content_store_status(s, 0, &st, reason, sizeof(reason)) == CONTENT_OK) {
		json_object_set_new(o, "provisioned", json_boolean(st.provisioned));
		kr_version = st.keyring_version;
		if (st.active.present)
			active = json_pack("{s:s, s:s, s:I, s:I, s:I, s:b, s:b}", "id",
					   st.active.id, "publisher", st.active.publisher,
					   "version", (json_int_t)st.active.version, "created",
					   (json_int_t)st.active.created, "expires",
					   (json_int_t)st.active.expires, "expired",
					   st.active.expired, "damaged", st.active.damaged);
	}
	content_store_close(s);
	if (cache_state_get(e->cache, STATE_REFUSED, js, sizeof(js)) == CACHE_OK && js[0]) {
		json_t *r = json_loads(js, 0, NULL);
		if (json_is_object(r)) {
			json_decref(rejected);
			rejected = r;
		} else {
			json_decref(r);
		}
	}
	json_object_set_new(o, "active", active);
	json_object_set_new(o, "rejected", rejected);
	json_object_set_new(o, "keyring", keyring_status(e, kr_version));
	return o;
}
