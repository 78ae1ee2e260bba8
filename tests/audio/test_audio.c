/*
 * The spoken prompts (issue 13, item 1), with the kiosk's own player on SDL's disk audio
 * driver (SDL_AUDIODRIVER=disk writes what the device would play into a file):
 *  - every citizen scenario of the screenshot harness has a prompt, every fixed piece of
 *    it is written on that screen in the normal theme (or is one of the spoken-only "what
 *    to do next"), is in prompts.pack, and none carries the citizen's name or NIK. Large
 *    text may leave a sentence out for room, and a bundle's content may take the
 *    welcome's: the prompt still says it, as the plain screen writes it;
 *  - entering a screen writes its prompt: the sound in the file is that prompt's clips,
 *    Indonesian then English, sample for sample at volume 100, as long as their WAVs; a
 *    number (tries left, minutes, sheets, seconds) is its number's clip;
 *  - at volume 50 the same length at half the amplitude; muted, no device opens and
 *    nothing is written;
 *  - when the shell speaks (guide_news): a new screen, a wrong PIN, the countdown, the
 *    help panel opening and closing, the staff called from it; not the digits typed after
 *    a wrong PIN, nor under the panel; "repeat" on a result screen keeps it longer;
 *  - the help panel's prompt (guide_now while it is open): "Help", the step's sentences,
 *    where the staff are and the kiosk's id spelled, its clips sample for sample; never
 *    the configured staff place or location (free text), nor the citizen's data.
 *
 * test-audio PROMPTS.PACK FONTS-DIR OUT-DIR
 */
#include "audio.h"
#include "check.h"
#include "shot.h"
#include "voice_pack.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *pack_path, *assets, *out_dir;
static struct voice_pack *pack;

/* Synthetic citizen of the scenarios (tools/shot/scenarios.c). */
static const char *const personal[] = { "Siti", "Rahmawati", "3171015708900003", "0003" };

static bool spoken_only(const char *s)
{
	for (int i = 0; guide_spoken_only[i]; i++)
		if (strcmp(guide_spoken_only[i], s) == 0)
			return true;
	return false;
}

static bool on_screen(const struct view *v, const char *s)
{
	for (int i = 0; i < v->n; i++)
		if (strstr(v->items[i].text, s) || strstr(v->items[i].sub, s))
			return true;
	return false;
}

/* What the shell says for the scenario's screen, with the scenario's kiosk (app.c). */
static void prompt_of(const struct flow *f, const struct view_ctx *ctx, struct guide *g)
{
	struct guide_kiosk k = { ctx->kiosk_id, ctx->staff_place && ctx->staff_place[0] };
	guide_now(f, &k, g);
}

/* The clips a prompt plays, in order: what the file must hold. */
static int expected(const struct guide *g, const struct voice_clip **out, int room)
{
	int n = 0;
	for (int l = 0; l < GUIDE_LANGS; l++)
		for (int i = 0; i < g->n[l] && n < room; i++) {
			const struct guide_piece *p = &g->p[l][i];
			out[n] = p->text ? voice_pack_find(pack, l, p->text)
					 : voice_pack_number(pack, l, p->number);
			CHECK(out[n], "no clip for piece %d of language %d", i, l);
			if (out[n])
				n++;
		}
	return n;
}

static void check_table(void)
{
	int citizen = 0;
	for (int k = 0; k < n_scenarios; k++) {
		const struct scenario *s = &scenarios[k];
		struct flow f;
		struct view_ctx ctx;
		struct guide g;
		struct view *v = calloc(1, sizeof(*v));
		struct text *t = NULL;
		scenario_run(s, &f, &ctx);
		prompt_of(&f, &ctx, &g);
		bool tech = f.state == FLOW_TECHNICIAN || f.state == FLOW_TECH_PIN;
		CHECK(tech == (g.n[GUIDE_ID] == 0), "%s: a prompt exactly on citizen screens",
		      s->name);
		CHECK((g.n[GUIDE_ID] > 0) == (g.n[GUIDE_EN] > 0), "%s: both languages", s->name);
		citizen += !tech;
		/* the words of the screen in the normal theme; on attract without content */
		const struct scenario *plain = scenario_find(s->base);
		if (strncmp(s->base, "attract-content", 15) == 0 ||
		    strncmp(s->base, "attract-urgent", 14) == 0)
			plain = scenario_find(f.hint ? "attract-hint" : "attract");
		SDL_Surface *surf = shot_render(plain ? plain : s, 1920, 1080, assets, v, &t);
		for (int l = 0; l < GUIDE_LANGS; l++)
			for (int i = 0; i < g.n[l]; i++) {
				const char *p = g.p[l][i].text;
				if (!p) {
					CHECK(voice_pack_number(pack, l, g.p[l][i].number),
					      "%s: number %d recorded", s->name, g.p[l][i].number);
					continue;
				}
				CHECK(spoken_only(p) || on_screen(v, p),
				      "%s: spoken \"%s\" is not on the screen", s->name, p);
				CHECK(voice_pack_find(pack, l, p), "%s: \"%s\" not in the pack",
				      s->name, p);
				for (size_t q = 0; q < sizeof(personal) / sizeof(personal[0]); q++)
					CHECK(!strstr(p, personal[q]), "%s: personal data spoken",
					      s->name);
				/* the configuration's free text is shown, not recorded */
				CHECK(!strstr(p, ctx.staff_place) && !strstr(p, ctx.location),
				      "%s: \"%s\" says the staff place or the location", s->name,
				      p);
			}
		SDL_FreeSurface(surf);
		text_destroy(t);
		free(v);
	}
	CHECK(citizen >= 20, "%d citizen scenarios", citizen);
}

/* Reads a whole file of samples; *n = 0 when it is missing. */
static int16_t *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	*n = 0;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	int16_t *s = malloc((size_t)len + 2);
	*n = fread(s, 2, (size_t)len / 2, f);
	fclose(f);
	return s;
}

/* The first and one past the last non-zero sample. */
static void sound_span(const int16_t *s, size_t n, size_t *from, size_t *to)
{
	*from = 0;
	*to = n;
	while (*from < n && s[*from] == 0)
		(*from)++;
	while (*to > *from && s[*to - 1] == 0)
		(*to)--;
}

/* Plays the scenario's prompt at volume through the disk driver into a file; returns its
 * samples (the caller frees), NULL when nothing was written. */
static int16_t *play(const struct scenario *s, int volume, bool mute, size_t *n)
{
	char path[600];
	struct flow f;
	struct view_ctx ctx;
	struct guide g;
	snprintf(path, sizeof(path), "%s/%s-%d%s.raw", out_dir, s->name, volume,
		 mute ? "-mute" : "");
	unlink(path);
	setenv("SDL_DISKAUDIOFILE", path, 1);
	setenv("SDL_DISKAUDIODELAY", "0", 1); /* as fast as it can: no need to wait in real time */
	scenario_run(s, &f, &ctx);
	prompt_of(&f, &ctx, &g);
	struct audio_settings st = { .volume = volume, .mute = mute };
	struct audio *a = audio_open(pack_path, &st);
	CHECK(mute == !a, "%s: the device opens unless muted", s->name);
	if (a) {
		audio_say(a, &g);
		for (int i = 0; i < 3000 && audio_playing(a); i++)
			SDL_Delay(5);
		CHECK(!audio_playing(a), "%s: the prompt ends", s->name);
		int64_t said, sounded;
		audio_times(a, &said, &sounded);
		CHECK(sounded >= said && said > 0, "%s: a first sound after the call", s->name);
		audio_close(a);
	}
	return slurp(path, n);
}

static void check_prompt(const char *name, const struct voice_clip *number)
{
	const struct scenario *s = scenario_find(name);
	const struct voice_clip *clips[2 * GUIDE_MAX_PIECES];
	struct flow f;
	struct view_ctx ctx;
	struct guide g;
	CHECK(s, "scenario %s", name);
	if (!s)
		return;
	scenario_run(s, &f, &ctx);
	prompt_of(&f, &ctx, &g);
	int nc = expected(&g, clips, 2 * GUIDE_MAX_PIECES);
	size_t total = 0;
	for (int i = 0; i < nc; i++)
		total += clips[i]->n;
	int16_t *want = malloc(total * 2 + 2);
	size_t at = 0;
	for (int i = 0; i < nc; i++) {
		memcpy(want + at, clips[i]->samples, clips[i]->n * 2);
		at += clips[i]->n;
	}
	size_t wf, wt;
	sound_span(want, total, &wf, &wt);

	size_t n;
	int16_t *got = play(s, 100, false, &n);
	size_t gf, gt;
	CHECK(got && n > 0, "%s: the disk driver wrote the prompt", name);
	sound_span(got, n, &gf, &gt);
	CHECK(gt - gf == wt - wf, "%s: %zu samples of sound, the prompt's WAVs make %zu", name,
	      gt - gf, wt - wf);
	CHECK(gt > gf && gt - gf == wt - wf && memcmp(got + gf, want + wf, (gt - gf) * 2) == 0,
	      "%s: the sound is the prompt's clips, Indonesian then English", name);
	CHECK((double)(wt - wf) / pack->rate > 1.0, "%s: %.1f s of prompt", name,
	      (double)(wt - wf) / pack->rate);
	if (number) /* its own words inside the sound */
		CHECK(memmem(got + gf, (gt - gf) * 2, number->samples, number->n * 2),
		      "%s: the number's clip is played", name);
	free(got);

	/* half the volume: as long, half as loud */
	got = play(s, 50, false, &n);
	sound_span(got, n, &gf, &gt);
	int peak_got = 0, peak_want = 0;
	for (size_t i = gf; i < gt; i++)
		peak_got = abs(got[i]) > peak_got ? abs(got[i]) : peak_got;
	for (size_t i = wf; i < wt; i++)
		peak_want = abs(want[i]) > peak_want ? abs(want[i]) : peak_want;
	size_t len = gt - gf, wlen = wt - wf;
	CHECK(len + 64 >= wlen && len <= wlen, "%s at 50: %zu samples, %zu at 100", name, len,
	      wlen);
	CHECK(abs(peak_got - peak_want / 2) <= 1, "%s at 50: peak %d, %d at 100", name, peak_got,
	      peak_want);
	free(got);
	free(want);
}

static void step(struct flow *f, struct flow_event ev)
{
	struct flow_effects fx;
	ev.now_ms = f->now_ms + 100;
	flow_step(f, &ev, &fx);
}

/* Steps f with a touch of action; whether the shell would speak after it (*m: the mark
 * before, then after). */
static bool news_after(struct flow *f, enum flow_action action, struct guide_mark *m)
{
	struct guide_mark before = *m;
	step(f, flow_ev_action(action, action == ACT_DIGIT, 0));
	*m = guide_mark(f);
	return guide_news(&before, m);
}

static void check_news(void)
{
	struct flow f;
	struct view_ctx ctx;
	scenario_run(scenario_find("verify"), &f, &ctx);
	struct guide_mark m0 = guide_mark(&f), m1;
	step(&f, flow_ev_action(ACT_DIGIT, 1, 0));
	m1 = guide_mark(&f);
	CHECK(!guide_news(&m0, &m1), "a digit typed says nothing");

	scenario_run(scenario_find("verify-wrong"), &f, &ctx);
	m1 = guide_mark(&f);
	CHECK(guide_news(&m0, &m1), "a wrong PIN is spoken");
	m0 = m1;
	step(&f, flow_ev_action(ACT_DIGIT, 1, 0));
	m1 = guide_mark(&f);
	CHECK(!guide_news(&m0, &m1), "typing again after a wrong PIN says nothing");
	for (int i = 0; i < 5; i++)
		step(&f, flow_ev_action(ACT_DIGIT, 1, 0));
	step(&f, flow_ev_action(ACT_CONFIRM, 0, 0));
	struct flow_event ev = flow_ev(EV_PIN_RESULT, 0);
	ev.tries_left = 1;
	step(&f, ev);
	m1 = guide_mark(&f);
	CHECK(f.error == ERR_PIN_WRONG && guide_news(&m0, &m1), "the next wrong PIN is spoken");

	scenario_run(scenario_find("countdown"), &f, &ctx);
	scenario_run(scenario_find("verify"), &f, &ctx);
	m0 = guide_mark(&f);
	scenario_run(scenario_find("countdown"), &f, &ctx);
	m1 = guide_mark(&f);
	CHECK(guide_news(&m0, &m1), "the countdown is spoken when it starts");

	scenario_run(scenario_find("done"), &f, &ctx);
	int64_t before = flow_deadline(&f);
	step(&f, flow_ev_action(ACT_REPEAT, 0, 0));
	CHECK(f.state == FLOW_DONE && flow_deadline(&f) > before,
	      "repeat on a result screen keeps it (%lld -> %lld)", (long long)before,
	      (long long)flow_deadline(&f));
	m0 = guide_mark(&f);
	step(&f, flow_ev_action(ACT_REPEAT, 0, 0));
	m1 = guide_mark(&f);
	CHECK(!guide_news(&m0, &m1), "repeat is the shell's: the flow has no news");

	/* the help panel: opening it, the call and closing it are spoken; what the panel
	 * covers is not touched, and says nothing */
	scenario_run(scenario_find("nik-entry"), &f, &ctx);
	m1 = guide_mark(&f);
	CHECK(news_after(&f, ACT_HELP, &m1) && f.help, "opening the help panel is spoken");
	CHECK(!news_after(&f, ACT_DIGIT, &m1), "a digit under the panel says nothing");
	CHECK(news_after(&f, ACT_CALL_STAFF, &m1) && f.staff_called, "the staff called is spoken");
	CHECK(news_after(&f, ACT_HELP, &m1) && !f.help, "closing the panel: the step speaks again");
	struct guide now, step_g;
	prompt_of(&f, &ctx, &now);
	guide_for(&f, &step_g);
	CHECK(memcmp(&now, &step_g, sizeof(now)) == 0, "closed, the step's own prompt");
}

/* The help panel's prompt on the NIK's keypad: "Help", the step's sentences as the step
 * says them, the staff and the call (fixed sentences), the kiosk's id (ADM-3201-007)
 * spelled: its letters and its digits one by one, in both languages. */
static void check_help(void)
{
	struct flow f;
	struct view_ctx ctx;
	struct guide g, st;
	scenario_run(scenario_find("help-nik"), &f, &ctx);
	prompt_of(&f, &ctx, &g);
	guide_step(&f, &st);
	static const char *const title[GUIDE_LANGS] = { "Bantuan", "Help" };
	for (int l = 0; l < GUIDE_LANGS; l++) {
		const struct guide_piece *p = g.p[l];
		int n = g.n[l];
		CHECK(n == 1 + st.n[l] + 3 + 10, "help, language %d: %d pieces", l, n);
		if (n != 1 + st.n[l] + 3 + 10)
			continue;
		CHECK(p[0].text && strcmp(p[0].text, title[l]) == 0, "help starts with %s",
		      title[l]);
		for (int i = 0; i < st.n[l]; i++)
			CHECK(p[1 + i].text == st.p[l][i].text &&
				  p[1 + i].number == st.p[l][i].number,
			      "help, language %d: the step's piece %d", l, i);
		CHECK(spoken_only(p[1 + st.n[l]].text) && spoken_only(p[2 + st.n[l]].text),
		      "help: the staff place said to be on the screen, then how to call");
		const char *letters = "ADM";
		for (int i = 0; i < 3; i++)
			CHECK(p[n - 10 + i].text == guide_letters[letters[i] - 'A'],
			      "help: letter %d of the id", i);
		static const int digits[] = { 3, 2, 0, 1, 0, 0, 7 };
		for (int i = 0; i < 7; i++)
			CHECK(!p[n - 7 + i].text && p[n - 7 + i].number == digits[i],
			      "help: digit %d of the id", i);
	}
	/* no staff place: the panel's own sentence; an id too long to spell is not spelled */
	struct guide_kiosk k = { "ADM-KIOSK-NUMBER-TOO-LONG-TO-SPELL", false };
	guide_help(&f, &k, &g);
	for (int l = 0; l < GUIDE_LANGS; l++) {
		int n = g.n[l];
		CHECK(n == 1 + st.n[l] + 3, "help with a long id, language %d: %d pieces", l, n);
		CHECK(n > 2 && g.p[l][n - 1].text && spoken_only(g.p[l][n - 1].text),
		      "a long id: said to be on the screen");
		CHECK(n > 3 && g.p[l][n - 3].text && !spoken_only(g.p[l][n - 3].text),
		      "no staff place: the panel's own words");
	}
}

int main(int argc, char **argv)
{
	char err[600];
	if (argc != 4) {
		fprintf(stderr, "usage: test-audio PROMPTS.PACK FONTS-DIR OUT-DIR\n");
		return 2;
	}
	pack_path = argv[1];
	assets = argv[2];
	out_dir = argv[3];
	mkdir(out_dir, 0755);
	pack = voice_pack_load(pack_path, err, sizeof(err));
	CHECK(pack, "%s", err);
	if (!pack)
		return check_done();
	setenv("SDL_AUDIODRIVER", "disk", 1);
	if (!shot_init())
		return 1;
	check_table();
	check_news();
	check_help();

	check_prompt("attract", NULL);
	/* "Sisa percobaan: 2" */
	check_prompt("verify-wrong", voice_pack_number(pack, GUIDE_ID, 2));
	check_prompt("pin-locked", NULL);
	check_prompt("done", NULL);
	check_prompt("countdown", NULL);
	/* the help panel's prompt: the id's last digit ends its Indonesian */
	check_prompt("help-nik", voice_pack_number(pack, GUIDE_ID, 7));
	check_prompt("help-called", NULL);

	size_t n;
	int16_t *got = play(scenario_find("attract"), 100, true, &n);
	CHECK(!got && n == 0, "muted: nothing written (%zu samples)", n);
	free(got);

	voice_pack_free(pack);
	shot_quit();
	return check_done();
}
