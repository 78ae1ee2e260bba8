/*
 * bench-visit: "PIN confirmed -> document list drawn" at a million cached documents, with
 * account PINs hashed at production cost (docs/benchmarks.md, issue 13).
 *
 *   bench-visit [--docs N] [--visits V] [--sample K] [--dir DIR] [--assets DIR]
 *
 * The cache (N documents, two per citizen, filled through cache_apply_page in pages of 500
 * as adm-syncd fills it) is built once into DIR (default /var/tmp/adm-bench-visit) and
 * reused by later runs. K citizens spread over the key space get a real argon2id hash of
 * a known PIN at adm-central's default cost (crypto_pwhash's interactive limits, 64 MiB,
 * t=2: what `adm-central generate` writes without --cheap-pins) and real files for their
 * documents; the others carry random strings of the same shape (the apply never verifies
 * them; hashing 500 000 PINs for real would take hours). Each visit picks one of the K at
 * random and runs what the kiosk runs, in its order, on one thread: the real flow from a
 * card read to the typed PIN; at the confirm touch the clock starts; cache_pin_verify and
 * cache_audit (services.c's job_verify_pin), the flow's answer, cache_documents_for_nik
 * and cache_applications_for_nik (job_documents), the flow again, then view_build,
 * view_diff against the PIN screen on screen, draw_view of the changed rectangles and
 * SDL_UpdateWindowSurfaceRects at 1920x1080 on SDL's offscreen driver (app.c's render).
 * Not included: the two hops through the services worker's queue and SDL's event queue
 * (microseconds; kiosk/worker.c, app_post).
 *
 * In the same visit, in alternating order, the peers: argon2id alone
 * (crypto_pwhash_str_verify of the same string and PIN: the floor any PIN check at this
 * cost pays) and the same two document queries typed into one sqlite3 CLI process on the
 * same file, timed from writing them to its stdin to reading their last row.
 */
#include "cache.h"
#include "cache_fill.h"
#include "draw.h"
#include "sha256.h"
#include "stats.h"
#include "text.h"
#include "view.h"

#include <SDL.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define W 1920
#define H 1080

struct sample {
	long citizen;
	char pin[7];
	char hash[crypto_pwhash_STRBYTES];
};

struct bench {
	struct sample *s;
	int k;
	int at; /* fill: the next sample to hand out (citizens come in order) */
};

/* ---- the cache, built once ------------------------------------------------------------- */

static const char *real_hash(long citizen, void *user)
{
	struct bench *b = user;
	while (b->at < b->k && b->s[b->at].citizen < citizen)
		b->at++;
	return b->at < b->k && b->s[b->at].citizen == citizen ? b->s[b->at].hash : NULL;
}

/* A sample citizen's document file: 20 000 bytes made from its id. */
static void doc_file(long doc, unsigned char *buf, size_t len)
{
	int n = snprintf((char *)buf, len, "%%PDF-1.4\n%% synthetic document D%09ld\n", doc);
	for (size_t i = (size_t)n; i < len; i++)
		buf[i] = (unsigned char)(' ' + (i * 7 + (size_t)doc) % 90);
}

static bool is_sample(const struct bench *b, long citizen)
{
	int lo = 0, hi = b->k - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (b->s[mid].citizen == citizen)
			return true;
		if (b->s[mid].citizen < citizen)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return false;
}

static bool real_blob(long doc, char out[CACHE_SHA256_HEX + 1], void *user)
{
	static unsigned char buf[20000];
	unsigned char h[SHA256_BYTES];
	if (!is_sample(user, doc / 2))
		return false;
	doc_file(doc, buf, sizeof(buf));
	sha256(buf, sizeof(buf), h);
	sodium_bin2hex(out, CACHE_SHA256_HEX + 1, h, sizeof(h));
	return true;
}

static bool write_key(const char *path)
{
	unsigned char k[32];
	randombytes_buf(k, sizeof(k));
	FILE *f = fopen(path, "wbx");
	bool ok = f && chmod(path, 0600) == 0 && fwrite(k, 1, sizeof(k), f) == sizeof(k);
	return (f ? fclose(f) == 0 : false) && ok;
}

static bool build(struct bench *b, long n, const struct cache_options *o, const char *pins)
{
	double t0 = stats_now_ms();
	long citizens = (n + 1) / 2, stride = citizens / b->k;
	printf("building the cache: %ld documents, %ld citizens, %d real PIN hashes\n", n, citizens,
	       b->k);
	for (int i = 0; i < b->k; i++) {
		struct sample *s = &b->s[i];
		s->citizen = i * stride + (long)randombytes_uniform((uint32_t)stride);
		snprintf(s->pin, sizeof(s->pin), "%06u", randombytes_uniform(1000000));
		/* adm-central's default (central/gen.c, hash_pin without --cheap-pins) */
		if (crypto_pwhash_str(s->hash, s->pin, 6, crypto_pwhash_OPSLIMIT_INTERACTIVE,
				      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
			return false;
	}
	double t1 = stats_now_ms();
	int err;
	cache_t *c = cache_open(o, &err);
	struct fill *f = calloc(1, sizeof(*f));
	if (!c || !f) {
		fprintf(stderr, "cannot open %s: %s\n", o->path, cache_strerror(err));
		return false;
	}
	f->n = n;
	f->holder_hash = real_hash;
	f->blob_hash = real_blob;
	f->user = b;
	int m;
	while ((m = fill_page(f)) > 0) {
		char cursor[24];
		snprintf(cursor, sizeof(cursor), "%ld", f->next);
		if (cache_apply_page(c, f->ch, (size_t)m, cursor, 0) != CACHE_OK)
			return false;
	}
	free(f);
	double t2 = stats_now_ms();
	static unsigned char buf[20000];
	for (int i = 0; i < b->k; i++)
		for (long d = 2 * b->s[i].citizen; d < 2 * b->s[i].citizen + 2 && d < n; d++) {
			unsigned char h[SHA256_BYTES];
			char hex[CACHE_SHA256_HEX + 1];
			doc_file(d, buf, sizeof(buf));
			sha256(buf, sizeof(buf), h);
			sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
			if (cache_blob_put(c, hex, buf, sizeof(buf)) != CACHE_OK)
				return false;
		}
	cache_close(c);
	double t3 = stats_now_ms();
	FILE *p = fopen(pins, "w");
	for (int i = 0; p && i < b->k; i++)
		fprintf(p, "%ld %s %s\n", b->s[i].citizen, b->s[i].pin, b->s[i].hash);
	if (!p || fclose(p) != 0)
		return false;
	printf("built in %.1f s: %d argon2id hashes %.1f s, apply %.1f s, %d files %.1f s "
	       "(load average %s)\n",
	       (t3 - t0) / 1e3, b->k, (t1 - t0) / 1e3, (t2 - t1) / 1e3, 2 * b->k, (t3 - t2) / 1e3,
	       stats_load());
	return true;
}

static bool load_samples(struct bench *b, const char *pins)
{
	FILE *p = fopen(pins, "r");
	b->k = 0;
	while (p && b->k < 100000 &&
	       fscanf(p, "%ld %6s %127s", &b->s[b->k].citizen, b->s[b->k].pin, b->s[b->k].hash) ==
		   3)
		b->k++;
	if (p)
		fclose(p);
	return b->k > 0;
}

/* ---- the peer: the sqlite3 CLI on the same file ---------------------------------------- */

struct cli {
	pid_t pid;
	FILE *in, *out;
};

static bool cli_start(struct cli *cl, const char *db)
{
	int to[2], from[2];
	if (pipe(to) != 0 || pipe(from) != 0)
		return false;
	cl->pid = fork();
	if (cl->pid == 0) {
		dup2(to[0], 0);
		dup2(from[1], 1);
		close(to[1]);
		close(from[0]);
		execlp("sqlite3", "sqlite3", "-batch", "-noheader", db, (char *)NULL);
		_exit(127);
	}
	close(to[0]);
	close(from[1]);
	cl->in = fdopen(to[1], "w");
	cl->out = fdopen(from[0], "r");
	return cl->pid > 0 && cl->in && cl->out;
}

/* The kiosk's two statements (cache_docs.c), then a marker; the time to the marker. */
static double cli_query(struct cli *cl, const char *nik, int *rows)
{
	char line[2048];
	double t0 = stats_now_ms();
	fprintf(cl->in,
		"SELECT d.id, d.nik, d.kk, d.type, d.title_id, d.title_en, d.pages, d.media, "
		"d.created, d.expires, d.blob_sha256, d.blob_size, d.status, d.print_count, "
		"NOT d.blob_missing FROM documents d WHERE d.nik = '%s' AND d.gone = 0 ORDER BY "
		"d.created;\nSELECT id, nik, type, stage, expected FROM applications WHERE nik = "
		"'%s' ORDER BY expected;\nSELECT 'END';\n",
		nik, nik);
	fflush(cl->in);
	*rows = 0;
	while (fgets(line, sizeof(line), cl->out) && strcmp(line, "END\n") != 0)
		(*rows)++;
	return stats_now_ms() - t0;
}

static void cli_stop(struct cli *cl)
{
	if (cl->in)
		fclose(cl->in);
	if (cl->out)
		fclose(cl->out);
	if (cl->pid > 0)
		waitpid(cl->pid, NULL, 0);
}

/* ---- one visit ---------------------------------------------------------------------------- */

static int64_t now_ms;

static void step(struct flow *f, struct flow_event ev, struct flow_effects *fx)
{
	ev.now_ms = (now_ms += 50);
	flow_step(f, &ev, fx);
}

static const struct flow_effect *effect(const struct flow_effects *fx, enum flow_effect_type t)
{
	for (int i = 0; i < fx->n; i++)
		if (fx->fx[i].type == t)
			return &fx->fx[i];
	return NULL;
}

/* job_documents' selection: ready, not expired, its file here (no printer to ask). */
static void add_doc(const struct cache_document *d, void *user)
{
	struct flow_event *ev = user;
	if (d->status != CACHE_DOC_READY || ev->n_docs >= FLOW_MAX_DOCS)
		return;
	struct flow_doc *fd = &ev->docs[ev->n_docs++];
	snprintf(fd->id, sizeof(fd->id), "%s", d->id);
	snprintf(fd->title_id, sizeof(fd->title_id), "%.*s", (int)sizeof(fd->title_id) - 1,
		 d->title_id);
	snprintf(fd->title_en, sizeof(fd->title_en), "%.*s", (int)sizeof(fd->title_en) - 1,
		 d->title_en);
	fd->pages = (uint16_t)(d->pages > 0 ? d->pages : 1);
	fd->card = d->media == CACHE_MEDIA_CARD;
	fd->printable = d->blob_present;
	fd->downloading = !d->blob_present;
}

static void add_app(const struct cache_application *a, void *user)
{
	(void)a;
	((struct flow_event *)user)->in_progress++;
}

struct screen {
	SDL_Window *win;
	SDL_Surface *surf;
	struct text *text;
	struct view views[2];
	struct view_ctx ctx;
};

static void draw_full(struct screen *sc, const struct flow *f)
{
	view_build(&sc->views[0], W, H, f, &sc->ctx, sc->text);
	draw_view(sc->surf, &sc->views[0], sc->text, NULL);
	SDL_UpdateWindowSurface(sc->win);
}

/* app.c's render(): only what differs from the frame on screen is drawn and presented. */
static int draw_changed(struct screen *sc, const struct flow *f)
{
	SDL_Rect dirty[16];
	view_build(&sc->views[1], W, H, f, &sc->ctx, sc->text);
	int n = view_diff(&sc->views[0], &sc->views[1], dirty, 16);
	for (int i = 0; i < n; i++)
		draw_view(sc->surf, &sc->views[1], sc->text, &dirty[i]);
	if (n)
		SDL_UpdateWindowSurfaceRects(sc->win, dirty, n);
	return n;
}

enum { T_TOTAL, T_VERIFY, T_DOCS, T_DRAW, T_ARGON, T_HOLDER, T_CLI, T_N };

/* One visit of sample s; false when the kiosk's path did not end on the list. */
static bool visit(cache_t *c, struct screen *sc, struct cli *cl, const struct sample *s,
		  bool peer_first, double t[T_N])
{
	static struct flow f;
	struct flow_effects fx;
	struct flow_event ev = { .type = EV_CARD_IDENTITY };
	struct cache_holder h;
	char nik[17];
	int rows = 0;

	fill_nik(s->citizen, nik);
	if (peer_first) {
		t[T_CLI] = cli_query(cl, nik, &rows);
		double a = stats_now_ms();
		bool ok = crypto_pwhash_str_verify(s->hash, s->pin, 6) == 0;
		t[T_ARGON] = ok ? stats_now_ms() - a : -1;
	}
	/* the card read: identity, holder lookup, the PIN typed */
	flow_init(&f, &(struct flow_timeouts){ 60000, 15000, 10000, 20000, 300000 }, now_ms);
	step(&f, flow_ev(EV_CARD_PRESENT, 0), &fx);
	memcpy(ev.nik, nik, sizeof(nik));
	double a = stats_now_ms();
	int rc = cache_holder_find(c, nik, &h);
	t[T_HOLDER] = stats_now_ms() - a;
	snprintf(ev.name, sizeof(ev.name), "%.*s", (int)sizeof(ev.name) - 1, h.name);
	step(&f, ev, &fx);
	ev = flow_ev(EV_HOLDER, 0);
	ev.tries_left = 5;
	step(&f, ev, &fx);
	for (int i = 0; i < 6; i++)
		step(&f, flow_ev_action(ACT_DIGIT, s->pin[i] - '0', 0), &fx);
	draw_full(sc, &f); /* the PIN screen, on screen when the citizen confirms */

	double t0 = stats_now_ms();
	step(&f, flow_ev_action(ACT_CONFIRM, 0, 0), &fx);
	const struct flow_effect *e = effect(&fx, FX_VERIFY_PIN);
	if (rc != CACHE_OK || !e)
		return false;
	enum cache_pin_result r = cache_pin_verify(c, e->nik, e->pin, time(NULL));
	cache_audit(c, r == CACHE_PIN_OK ? "pin-ok" : "pin-refused", e->nik, NULL, time(NULL));
	double t1 = stats_now_ms();
	ev = flow_ev(EV_PIN_RESULT, 0);
	ev.ok = r == CACHE_PIN_OK;
	step(&f, ev, &fx);
	e = effect(&fx, FX_LOAD_DOCUMENTS);
	if (!e)
		return false;
	double t2 = stats_now_ms();
	ev = flow_ev(EV_DOCUMENTS, 0);
	if (cache_documents_for_nik(c, e->nik, add_doc, &ev) < 0 ||
	    cache_applications_for_nik(c, e->nik, add_app, &ev) < 0)
		return false;
	double t3 = stats_now_ms();
	step(&f, ev, &fx);
	int n = draw_changed(sc, &f);
	double t4 = stats_now_ms();
	t[T_TOTAL] = t4 - t0;
	t[T_VERIFY] = t1 - t0;
	t[T_DOCS] = t3 - t2;
	t[T_DRAW] = t4 - t3;

	if (!peer_first) {
		t[T_CLI] = cli_query(cl, nik, &rows);
		a = stats_now_ms();
		bool ok = crypto_pwhash_str_verify(s->hash, s->pin, 6) == 0;
		t[T_ARGON] = ok ? stats_now_ms() - a : -1;
	}
	sodium_memzero(&h, sizeof(h));
	/* the list with both documents printable, drawn; the CLI saw them too */
	return f.state == FLOW_DOCUMENTS && ev.n_docs == 2 && ev.docs[0].printable && n > 0 &&
	       rows == 2 && t[T_ARGON] >= 0;
}

static bool screen_open(struct screen *sc, const char *assets)
{
	SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0"); /* as present.c on offscreen */
	if (SDL_Init(SDL_INIT_VIDEO) != 0)
		return false;
	sc->win = SDL_CreateWindow("bench-visit", 0, 0, W, H, SDL_WINDOW_HIDDEN);
	sc->surf = sc->win ? SDL_GetWindowSurface(sc->win) : NULL;
	sc->text = sc->surf ? text_create(assets, (float)H / 100.0f) : NULL;
	sc->ctx.kiosk_id = "BENCH";
	sc->ctx.location = "Mal Pelayanan Publik";
	sc->ctx.now = time(NULL);
	localtime_r(&sc->ctx.now, &sc->ctx.wall);
	return sc->text != NULL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "docs", required_argument, NULL, 'n' },
		{ "visits", required_argument, NULL, 'v' },
		{ "sample", required_argument, NULL, 'k' },
		{ "dir", required_argument, NULL, 'd' },
		{ "assets", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	long n = 1000000;
	int visits = 300, k = 200, ch;
	const char *dir = "/var/tmp/adm-bench-visit", *assets_opt = NULL;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			n = atol(optarg);
			break;
		case 'v':
			visits = atoi(optarg);
			break;
		case 'k':
			k = atoi(optarg);
			break;
		case 'd':
			dir = optarg;
			break;
		case 'a':
			assets_opt = optarg;
			break;
		default:
			fprintf(stderr, "usage: bench-visit [--docs N] [--visits V] [--sample K] "
					"[--dir DIR] [--assets DIR]\n");
			return 2;
		}
	}
	if (n < 4 || visits < 1 || k < 1 || k > 100000 || k > (n + 1) / 4)
		return 2;
	char db[600], key[600], pins[600], assets[512];
	snprintf(db, sizeof(db), "%s/visit-%ld.db", dir, n);
	snprintf(key, sizeof(key), "%s/visit.key", dir);
	snprintf(pins, sizeof(pins), "%s/visit-%ld.pins", dir, n);
	if (sodium_init() < 0 || !text_find_assets(assets_opt, assets, sizeof(assets))) {
		fprintf(stderr, "bench-visit: no fonts found (--assets DIR)\n");
		return 2;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return 1;
	if (access(key, R_OK) != 0 && !write_key(key))
		return 1;
	struct cache_options o = { .path = db, .key_path = key, .max_pin_failures = 5 };
	struct bench b = { .s = calloc(100000, sizeof(struct sample)), .k = k };
	if (!b.s)
		return 1;
	if (!load_samples(&b, pins)) {
		b.k = k;
		unlink(db);
		if (!build(&b, n, &o, pins))
			return 1;
	} else {
		printf("cache %s: %ld documents, %d real PIN hashes (built before; delete %s to "
		       "build again)\n",
		       db, n, b.k, pins);
	}

	int err;
	cache_t *c = cache_open(&o, &err);
	struct screen sc = { 0 };
	struct cli cl = { 0 };
	signal(SIGPIPE, SIG_IGN);
	if (!c || !screen_open(&sc, assets) || !cli_start(&cl, db)) {
		fprintf(stderr, "bench-visit: cache, screen or sqlite3 CLI: %s\n", SDL_GetError());
		return 1;
	}
	double *t[T_N];
	for (int i = 0; i < T_N; i++)
		t[i] = calloc((size_t)visits, sizeof(double));
	printf("%d visits, random citizens of the %d, 1920x1080 offscreen; load average %s\n",
	       visits, b.k, stats_load());
	int bad = 0;
	for (int v = 0; v < visits; v++) {
		double one[T_N];
		const struct sample *s = &b.s[randombytes_uniform((uint32_t)b.k)];
		if (!visit(c, &sc, &cl, s, v % 2, one)) {
			bad++;
			continue;
		}
		for (int i = 0; i < T_N; i++)
			t[i][v - bad] = one[i];
	}
	int ok = visits - bad;
	double ratio[2] = { 0, 0 };
	double *r = calloc((size_t)ok, sizeof(double));
	for (int v = 0; r && v < ok; v++)
		r[v] = t[T_VERIFY][v] / t[T_ARGON][v];
	ratio[0] = r ? stats_quantile(r, ok, 0.5) : 0;
	for (int v = 0; r && v < ok; v++)
		r[v] = t[T_DOCS][v] / t[T_CLI][v];
	ratio[1] = r ? stats_quantile(r, ok, 0.5) : 0;
	free(r);
	printf("PIN confirmed -> document list drawn (ms):\n");
	stats_line("total", t[T_TOTAL], ok);
	stats_line("  PIN verify (cache_pin_verify + audit)", t[T_VERIFY], ok);
	stats_line("  document query (documents + applications)", t[T_DOCS], ok);
	stats_line("  flow, layout, draw, present", t[T_DRAW], ok);
	printf("in the same visits:\n");
	stats_line("holder lookup by NIK (cache_holder_find)", t[T_HOLDER], ok);
	stats_line("peer: argon2id alone (crypto_pwhash_str_verify)", t[T_ARGON], ok);
	stats_line("peer: sqlite3 CLI, the same two queries", t[T_CLI], ok);
	printf("ratios, median of the pairs: PIN verify / argon2id alone %.3fx; document "
	       "query / sqlite3 CLI %.3fx\n",
	       ratio[0], ratio[1]);
	printf("load average at the end %s; visits that did not end on the list: %d\n",
	       stats_load(), bad);
	cli_stop(&cl);
	cache_close(c);
	text_destroy(sc.text);
	SDL_DestroyWindow(sc.win);
	SDL_Quit();
	for (int i = 0; i < T_N; i++)
		free(t[i]);
	free(b.s);
	return bad == 0 ? 0 : 1;
}
