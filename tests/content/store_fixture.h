/*
 * The store fixture of the content suite: one store per case in a temporary folder, the
 * helpers that install into it, and the checks of the contract every refusal must keep
 * (the active bundle untouched and loadable, staging empty, the reason in the status).
 * CHECKs made here are counted apart (check.h keeps its counters per file): a test's main
 * returns failure if sx_done() or its own check_done() says so.
 */
#ifndef ADM_TEST_STORE_FIXTURE_H
#define ADM_TEST_STORE_FIXTURE_H

#include "fixture.h"
#include "store.h"

#define REFUSED(rc, code, reason, needle)                                                          \
	CHECK((rc) == (code) && strstr((reason), (needle)), "got %s: %s (wanted %s, \"%s\")",      \
	      content_store_strerror(rc), (reason), content_store_strerror(code), (needle))
#define ACCEPTED(rc, reason) CHECK((rc) == CONTENT_OK, "refused: %s", (reason))

extern struct fx fx;
extern char reason[CONTENT_REASON_MAX];
extern char dir[64], anchor[96]; /* the store, and its anchor keyring file */
extern struct fx_file two[2];	 /* banner-a.png, banner-b.jpg */
extern content_store *store;

void sx_init(void);
/* Frees the fixture and returns its own CHECK failures (check.h counts per file). */
int sx_done(void);

/* Signs a keyring payload with each signer and writes it to path. */
void sx_keyring_file(const char *path, json_t *kr, const struct fx_key *const *signers, size_t n);
/* fx_manifest at another version. */
json_t *sx_manifest(int64_t version, const struct fx_file *files, size_t n);
/* The tests' kiosk: ADM-TEST-01 in 32.73 at FX_T0, source "test". */
struct content_store_install_opts sx_opts(void);
int sx_install_buf(const unsigned char *b, size_t len, const struct content_store_install_opts *o);
int sx_install_m(json_t *m, const struct fx_key *signer, const struct fx_file *files, size_t n,
		 const struct content_store_install_opts *o);
/* Version v of the office's two-file bundle, with sx_opts(). */
int sx_install_v(int64_t v);

/* A fresh store provisioned with keyring 1, version 3 active; and its removal. */
void sx_setup(void);
void sx_teardown(void);

/* Appends the names in DIR/sub, sorted, one a line, to out; how many there were. */
size_t sx_list_dir(const char *sub, char *out, size_t size);
size_t sx_staging_entries(void);

struct sx_snap {
	char active[65], previous[65];
	int64_t keyring;
	char listing[16384]; /* files/, manifests/, keyring/ */
};
struct sx_snap sx_snap(void);

/* The active bundle loads as the kiosk loads it, at version, with each file's bytes. */
void sx_check_loads(int64_t version, const struct fx_file *files, size_t n);
/* Nothing changed but the rejection record; the active bundle (two) still loads. */
void sx_check_untouched(const struct sx_snap *before, int64_t version);
void sx_check_rejection(int code, const char *needle);
/* A refused offer, the whole contract: code and reason, untouched, reason in the status. */
void sx_refused(int rc, int code, const char *needle, const struct sx_snap *before, int64_t active);
json_t *sx_file0(json_t *m);

#endif
