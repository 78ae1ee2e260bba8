/*
 * adm-central's command line: generate synthetic registry data, or serve it. serve reads
 * the kiosks file, sets up TLS and the fault plan, and runs the HTTP server (http.c) with
 * the sync protocol's site (sync_api.c) and content publishing (content_api.c) until
 * SIGTERM or SIGINT.
 *
 * Threads: main() only waits for a signal; libmicrohttpd's threads serve (central.h).
 */
#include "bundles.h"
#include "central.h"
#include "content_api.h"
#include "fault.h"
#include "http.h"
#include "enrol.h"
#include "kiosks.h"
#include "office.h"
#include "ratelimit.h"
#include "sync_api.h"

#include "content.h"
#include "log.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(65536 + 1);
	size_t n = buf ? fread(buf, 1, 65536, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: adm-central generate --db FILE [--seed N] [--citizens N] [--doc-every N]\n"
		"                            [--print-pins N] [--cheap-pins] [--tiny-pdf]\n"
		"       adm-central serve --db FILE [--port N] [--listen ADDR]\n"
		"                         [--kiosks-file FILE]... [--tls-cert F --tls-key F\n"
		"                          [--client-ca F]] [--follow SECONDS]\n"
		"                         [--pin-tries N] [--pin-lock SECONDS]\n"
		"                         [--per-address N] [--lookup-burst N]\n"
		"                         [--lookups-per-minute N]\n"
		"                         [--content-keyring FILE]... [--office-tokens FILE]...\n"
		"                         [--fault MODE [--fault-after N] [--fault-count N]\n"
		"                          [--fault-delay-ms N]]\n"
		"                         [--office-heartbeat S]\n"
		"                         [--office-lockout S] [--office-session S]\n"
		"       adm-central office add --db FILE --id ID --name NAME --region CODE\n"
		"                              --password-file FILE\n"
		"       adm-central kiosk add ID --region CODE --db FILE   (a one-time enrolment\n"
		"                              code for admctl enrol, valid a day)\n"
		"       adm-central kiosk revoke ID --db FILE\n"
		"kiosks file: one 'ID REGION TOKEN' a line (central/kiosks.h)\n"
		"office tokens file: one 'OFFICE TOKEN' a line; --content-keyring: the anchor\n"
		"keyring first, then each rotation (docs/sync-protocol.md, content bundles)\n");
	fault_print_names();
}

/* A whole number within lo..hi, or false. */
static bool number(const char *v, long long lo, long long hi, long long *out)
{
	char *end;
	long long n = strtoll(v, &end, 10);
	if (end == v || *end || n < lo || n > hi)
		return false;
	*out = n;
	return true;
}

/* Reads a CA file and checks that it holds at least one certificate: libmicrohttpd would
 * only say it cannot start, and a server trusting nothing turns every kiosk away. */
static char *read_trust(const char *path)
{
	gnutls_x509_crt_t *list = NULL;
	unsigned n = 0;
	char *pem = slurp(path);
	gnutls_datum_t d = { (unsigned char *)pem, pem ? (unsigned)strlen(pem) : 0 };
	if (pem && gnutls_x509_crt_list_import2(&list, &n, &d, GNUTLS_X509_FMT_PEM, 0) < 0)
		n = 0;
	for (unsigned i = 0; i < n; i++)
		gnutls_x509_crt_deinit(list[i]);
	gnutls_free(list);
	if (n == 0) {
		free(pem);
		return NULL;
	}
	return pem;
}

static int serve(int argc, char **argv, const char *db)
{
	const char *cert = NULL, *key = NULL, *client_ca = NULL;
	struct http_options o = { .addr = "127.0.0.1", .per_address = 16, .timeout_s = 60 };
	struct sync_api api = { .follow_s = 30 * 86400, .pin_tries = 5, .pin_lock_s = 900 };
	struct office_api office = { .heartbeat_s = 300, .lock_s = 900, .session_s = 8 * 3600 };
	struct content_api capi = { 0 };
	const char *keyrings[16];
	size_t nkeyrings = 0;
	content_keyring *kr = NULL;
	char reason[CONTENT_REASON_MAX];
	long long burst = 10, per_minute = 6, n;
	char *cert_pem = NULL, *key_pem = NULL, *ca_pem = NULL;
	struct http_server *srv = NULL;
	struct enrol *enrol = NULL; /* enrolment of new kiosks (enrol.h) */
	int rc = 2;
	if (sodium_init() < 0)
		return 1;
	api.store = store_open(db);
	office.os = api.offices = office_store_open(db);
	if (!api.store || !office.os)
		goto out_open;
	/* after store_open: the bundles' connection finds the kiosks table made */
	office.bundles = capi.bundles = api.bundles = bundles_open(db);
	if (!api.bundles)
		goto out_open;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int used;
		bool bad;
		if (fault_option(a, v, &used, &bad)) {
			if (bad)
				goto usage;
			i += used;
		} else if (strcmp(a, "--db") == 0 && v) {
			i++;
		} else if (strcmp(a, "--port") == 0 && v && number(v, 0, 65535, &n)) {
			o.port = (int)n, i++;
		} else if (strcmp(a, "--listen") == 0 && v) {
			o.addr = v, i++;
		} else if (strcmp(a, "--tls-cert") == 0 && v) {
			cert = v, i++;
		} else if (strcmp(a, "--tls-key") == 0 && v) {
			key = v, i++;
		} else if (strcmp(a, "--client-ca") == 0 && v) {
			client_ca = v, i++;
		} else if (strcmp(a, "--follow") == 0 && v && number(v, 1, 3650LL * 86400, &n)) {
			api.follow_s = n, i++;
		} else if (strcmp(a, "--pin-tries") == 0 && v && number(v, 1, 100, &n)) {
			api.pin_tries = (int)n, i++;
		} else if (strcmp(a, "--pin-lock") == 0 && v && number(v, 1, 7 * 86400, &n)) {
			api.pin_lock_s = n, i++;
		} else if (strcmp(a, "--per-address") == 0 && v && number(v, 1, 100000, &n)) {
			o.per_address = (unsigned)n, i++;
		} else if (strcmp(a, "--lookup-burst") == 0 && v && number(v, 1, 100000, &n)) {
			burst = n, i++;
		} else if (strcmp(a, "--lookups-per-minute") == 0 && v &&
			   number(v, 1, 6000000, &n)) {
			per_minute = n, i++;
		} else if (strcmp(a, "--office-heartbeat") == 0 && v && number(v, 1, 86400, &n)) {
			office.heartbeat_s = n, i++;
		} else if (strcmp(a, "--office-lockout") == 0 && v && number(v, 1, 86400, &n)) {
			office.lock_s = n, i++;
		} else if (strcmp(a, "--office-session") == 0 && v &&
			   number(v, 60, 7 * 86400, &n)) {
			office.session_s = n, i++;
		} else if (strcmp(a, "--kiosks-file") == 0 && v) {
			if (kiosks_load(api.store, v) < 0)
				goto out;
			i++;
		} else if (strcmp(a, "--office-tokens") == 0 && v) {
			if (bundles_load_office_tokens(api.bundles, v) < 0)
				goto out;
			i++;
		} else if (strcmp(a, "--content-keyring") == 0 && v &&
			   nkeyrings < sizeof(keyrings) / sizeof(keyrings[0])) {
			keyrings[nkeyrings++] = v, i++;
		} else if (strcmp(a, "--kiosk") == 0) {
			log_error("--kiosk ID:TOKEN:REGION is gone: a token in argv is readable by "
				  "every user (ps); list the kiosk in a --kiosks-file");
			goto out;
		} else {
			goto usage;
		}
	}
	/* client certificates only exist in TLS */
	if (client_ca && !cert)
		goto usage;
	api.lookups = ratelimit_create((double)per_minute / 60.0, (double)burst);
	if (!api.lookups) {
		rc = 1;
		goto out;
	}
	if (cert || key) {
		cert_pem = cert ? slurp(cert) : NULL;
		key_pem = key ? slurp(key) : NULL;
		if (!cert_pem || !key_pem || !MHD_is_feature_supported(MHD_FEATURE_TLS)) {
			log_error(
			    "TLS needs readable --tls-cert and --tls-key (and an MHD with TLS)");
			goto out;
		}
		o.cert_pem = cert_pem;
		o.key_pem = key_pem;
	}
	if (client_ca) {
		ca_pem = read_trust(client_ca);
		if (!ca_pem) {
			log_error("--client-ca needs a readable PEM file of CA certificates");
			goto out;
		}
		o.trust_pem = ca_pem;
		api.client_certs = true;
	}
	/* the keyring chain offices' bundles are checked against: the anchor, then each
	 * newer version */
	if (nkeyrings &&
	    content_keyring_load_chain(keyrings, nkeyrings, &kr, reason, sizeof(reason)) != 0) {
		log_error("--content-keyring: %s", reason);
		goto out;
	}
	/* kiosks are offered the same chain, to catch up on rotations */
	if (!bundles_set_keyrings(api.bundles, keyrings, nkeyrings,
				  kr ? content_keyring_version(kr) - (int64_t)nkeyrings + 1 : 0)) {
		log_error("--content-keyring: cannot keep the keyrings in the database");
		rc = 1;
		goto out;
	}
	office.kr = kr;
	office.tls = cert_pem != NULL;
	capi.keyring = kr;
	/* /v1/offices/ before /v1/: the first prefix that matches serves */
	enrol = enrol_open(db, api.store);
	if (!enrol)
		goto out;
	const struct http_site sites[] = { content_api_site(&capi),
					   enrol_site(enrol), /* POST /v1/enrol (issue 14) */
					   sync_api_site(&api),
					   office_site(&office),
					   { .prefix = NULL } };
	srv = http_start(&o, sites);
	if (!srv) {
		log_error("cannot listen on %s:%d (--listen takes an IPv4 address)", o.addr,
			  o.port);
		rc = 1;
		goto out;
	}
	/* the one line tests wait for */
	printf("adm-central listening on %s://%s:%u fault=%s\n", cert_pem ? "https" : "http",
	       o.addr, http_port(srv), fault_name());
	fflush(stdout);
	struct sigaction act = { .sa_handler = on_signal };
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	while (!stop)
		pause();
	rc = 0;
	goto out;
usage:
	usage();
out:
	http_stop(srv);
	enrol_close(enrol);
	free(cert_pem);
	free(key_pem);
	free(ca_pem);
	ratelimit_destroy(api.lookups);
	content_keyring_free(kr);
out_open:
	bundles_close(api.bundles);
	office_store_close(office.os);
	store_close(api.store);
	return api.store && office.os && api.bundles ? rc : 1;
}

int main(int argc, char **argv)
{
	const char *db = NULL;
	log_set_program("adm-central");
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--db") == 0)
			db = argv[i + 1];
	if (argc < 2 || !db) {
		usage();
		return 2;
	}
	if (strcmp(argv[1], "serve") == 0)
		return serve(argc, argv, db);
	if (strcmp(argv[1], "office") == 0)
		return office_cmd(argc, argv, db);
	if (strcmp(argv[1], "kiosk") == 0)
		return kiosk_cmd(argc, argv, db); /* enrolment codes, revocation (enrol.h) */
	if (strcmp(argv[1], "generate") != 0) {
		usage();
		return 2;
	}
	struct gen_options o = { .seed = 42, .citizens = 100, .doc_every = 3 };
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--db") == 0 && v)
			i++;
		else if (strcmp(a, "--seed") == 0 && v)
			o.seed = strtoull(v, NULL, 10), i++;
		else if (strcmp(a, "--citizens") == 0 && v)
			o.citizens = atoi(v), i++;
		else if (strcmp(a, "--doc-every") == 0 && v)
			o.doc_every = atoi(v), i++;
		else if (strcmp(a, "--print-pins") == 0 && v)
			o.print_pins = atoi(v), i++;
		else if (strcmp(a, "--cheap-pins") == 0)
			o.pwhash_min = true;
		else if (strcmp(a, "--tiny-pdf") == 0)
			o.tiny_pdf = true;
		else {
			usage();
			return 2;
		}
	}
	if (sodium_init() < 0)
		return 1;
	struct store *store = store_open(db);
	bool ok = store && gen_run(store, &o);
	store_close(store);
	return ok ? 0 : 1;
}
