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
 *    the configured staff place or location (free text), nor the citizen's data;
 *  - the citizen's volume levels: the prompt at each is the default's times 1/4, 1/2, 1
 *    and 2, sample for sample (18 dB from the quietest to the loudest);
 *  - the tones: a key's is 40 ms of sound at the tone's amplitude times the volume and the
 *    level, Delete's another; never a recorded digit; a key cuts the prompt playing (at a
 *    device's pace: nothing of it after the tone); the volume's chime is followed at once
 *    by the whole prompt.
 *
 * test-audio PROMPTS.PACK FONTS-DIR OUT-DIR
 */
#include "audio.h"
#include "check.h"
#include "shot.h"
#include "voice_pack.h"

#include <math.h>
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

/* Two prompts say the same pieces (compared field by field: a piece's padding is not
 * part of it, and a sanitizer's build leaves other bytes there). */
static bool same_prompt(const struct guide *a, const struct guide *b)
{
	for (int l = 0; l < GUIDE_LANGS; l++) {
		if (a->n[l] != b->n[l])
			return false;
		for (int i = 0; i < a->n[l]; i++) {
			const struct guide_piece *x = &a->p[l][i], *y = &b->p[l][i];
			if (x->text != y->text || (!x->text && x->number != y->number))
				return false;
		}
	}
	return true;
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
	CHECK(same_prompt(&now, &step_g), "closed, the step's own prompt");
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

/* A player on the disk driver into OUT-DIR/name.raw at volume. */
static struct audio *open_disk(const char *name, int volume, char *path, size_t room)
{
	snprintf(path, room, "%s/%s.raw", out_dir, name);
	unlink(path);
	setenv("SDL_DISKAUDIOFILE", path, 1);
	/* as fast as it can, or a device's pace (a buffer of 23 ms) for a sound to cut */
	setenv("SDL_DISKAUDIODELAY", strcmp(name, "tone-cuts") == 0 ? "23" : "0", 1);
	struct audio_settings st = { .volume = volume };
	struct audio *a = audio_open(pack_path, &st);
	CHECK(a, "%s: the device opens", name);
	return a;
}

/* Waits for the sound to end, closes the player; the file's samples. */
static int16_t *close_disk(struct audio *a, const char *path, size_t *n)
{
	for (int i = 0; i < 3000 && audio_playing(a); i++)
		SDL_Delay(5);
	CHECK(!audio_playing(a), "%s: the sound ends", path);
	audio_close(a);
	return slurp(path, n);
}

/* The clips of the scenario's prompt, one after another, each sample scaled as the
 * player scales it at volume and a level of num/den. */
static int16_t *prompt_samples(const char *name, int volume, int num, int den, size_t *n)
{
	const struct voice_clip *clips[2 * GUIDE_MAX_PIECES];
	struct flow f;
	struct view_ctx ctx;
	struct guide g;
	scenario_run(scenario_find(name), &f, &ctx);
	prompt_of(&f, &ctx, &g);
	int nc = expected(&g, clips, 2 * GUIDE_MAX_PIECES);
	*n = 0;
	for (int i = 0; i < nc; i++)
		*n += clips[i]->n;
	int16_t *s = malloc(*n * 2 + 2);
	size_t at = 0;
	for (int i = 0; i < nc; i++)
		for (uint32_t k = 0; k < clips[i]->n; k++) {
			int v = clips[i]->samples[k] * volume * num / (100 * den);
			v = v > INT16_MAX ? INT16_MAX : v;
			s[at++] = (int16_t)(v < INT16_MIN ? INT16_MIN : v);
		}
	return s;
}

static int peak(const int16_t *s, size_t n)
{
	int p = 0;
	for (size_t i = 0; i < n; i++)
		p = abs(s[i]) > p ? abs(s[i]) : p;
	return p;
}

/* The citizen's levels: the attract prompt at volume 40 at each of them is the default's
 * sound times 1/4, 1/2, 1 and 2 (-12, -6, 0, +6 dB: 18 dB between the quietest and the
 * loudest), sample for sample, as long; the default one is volume 40 as it always was. */
static void check_levels(void)
{
	static const int num[] = { 1, 1, 1, 2 }, den[] = { 4, 2, 1, 1 };
	int peaks[FLOW_VOLUME_LEVELS];
	struct flow f;
	struct view_ctx ctx;
	struct guide g;
	scenario_run(scenario_find("attract"), &f, &ctx);
	prompt_of(&f, &ctx, &g);
	for (int l = 0; l < FLOW_VOLUME_LEVELS; l++) {
		char name[32], path[600];
		size_t n, wn, gf, gt, wf, wt;
		snprintf(name, sizeof(name), "level-%d", l);
		struct audio *a = open_disk(name, 40, path, sizeof(path));
		if (!a)
			return;
		audio_level(a, l);
		audio_say(a, &g);
		int16_t *got = close_disk(a, path, &n);
		int16_t *want = prompt_samples("attract", 40, num[l], den[l], &wn);
		sound_span(got, n, &gf, &gt);
		sound_span(want, wn, &wf, &wt);
		CHECK(gt > gf && gt - gf == wt - wf &&
			  memcmp(got + gf, want + wf, (gt - gf) * 2) == 0,
		      "level %d: the prompt times %d/%d (%zu samples, %zu expected)", l, num[l],
		      den[l], gt - gf, wt - wf);
		peaks[l] = peak(got, n);
		free(got);
		free(want);
	}
	for (int l = 0; l < FLOW_VOLUME_LEVELS; l++) {
		double ratio = (double)peaks[l] / peaks[FLOW_VOLUME_DEFAULT];
		double expect = (double)num[l] / den[l];
		CHECK(fabs(ratio - expect) < 0.01,
		      "level %d: peak %d, %.3f of the default's (%.3f)", l, peaks[l], ratio,
		      expect);
	}
	CHECK(20 * log10((double)peaks[FLOW_VOLUME_LEVELS - 1] / peaks[0]) >= 18 - 0.1,
	      "the levels span 18 dB (%d to %d)", peaks[0], peaks[FLOW_VOLUME_LEVELS - 1]);
}

/* Whether s (n samples) holds a recording of a digit, of its first 100 samples at any of
 * the levels' scales: a PIN's echo must never be its digits. */
static bool has_digit_clip(const int16_t *s, size_t n, int volume)
{
	static const int num[] = { 1, 1, 1, 2 }, den[] = { 4, 2, 1, 1 };
	for (int lang = 0; lang < GUIDE_LANGS; lang++)
		for (int d = 0; d <= 9; d++) {
			const struct voice_clip *c = voice_pack_number(pack, lang, d);
			size_t from, to;
			if (!c)
				continue;
			sound_span(c->samples, c->n, &from, &to);
			if (to - from < 100)
				continue;
			for (int l = 0; l < FLOW_VOLUME_LEVELS; l++) {
				int16_t head[100];
				for (int i = 0; i < 100; i++)
					head[i] = (int16_t)(c->samples[from + (size_t)i] * volume *
							    num[l] / (100 * den[l]));
				if (memmem(s, n * 2, head, sizeof(head)))
					return true;
			}
		}
	return false;
}

/* The tones: a key's is 40 ms of sound (sound from its first sample to its last), at the
 * tone's amplitude times the volume, Delete's another one (longer, lower); never a
 * recorded digit. A key cuts the prompt playing: nothing of it after the tone. The
 * volume's chime does not: the prompt follows the chime, at once and whole. */
static void check_tones(void)
{
	char path[600];
	size_t n, gf, gt;
	uint32_t kn, en, cn;
	struct audio *a = open_disk("tone-key", 100, path, sizeof(path));
	if (!a)
		return;
	const int16_t *key = audio_tone_samples(a, AUDIO_TONE_KEY, &kn);
	const int16_t *erase = audio_tone_samples(a, AUDIO_TONE_ERASE, &en);
	CHECK(kn == pack->rate * 40 / 1000, "a key's tone: %u samples, 40 ms at %u Hz", kn,
	      pack->rate);
	CHECK(en == pack->rate * 80 / 1000 && (kn != en || memcmp(key, erase, kn * 2) != 0),
	      "Delete's tone is another: %u samples", en);
	audio_tone(a, AUDIO_TONE_KEY);
	int16_t *got = close_disk(a, path, &n);
	sound_span(got, n, &gf, &gt);
	CHECK(gt - gf == kn, "a key writes its tone: %zu samples of sound, %u expected", gt - gf,
	      kn);
	int p = peak(got, n);
	CHECK(p > AUDIO_TONE_PEAK * 9 / 10 && p <= AUDIO_TONE_PEAK,
	      "the key's tone at volume 100: peak %d of %d", p, AUDIO_TONE_PEAK);
	CHECK(!has_digit_clip(got, n, 100), "a key's tone is no recorded digit");
	free(got);

	/* at volume 40, the loudest level: twice 40 % of the tone */
	a = open_disk("tone-key-loud", 40, path, sizeof(path));
	if (!a)
		return;
	key = audio_tone_samples(a, AUDIO_TONE_KEY, &kn);
	audio_level(a, FLOW_VOLUME_LEVELS - 1);
	audio_tone(a, AUDIO_TONE_KEY);
	int16_t *want = malloc(kn * 2);
	for (uint32_t i = 0; i < kn; i++)
		want[i] = (int16_t)(key[i] * 40 * 2 / 100);
	got = close_disk(a, path, &n);
	sound_span(got, n, &gf, &gt);
	CHECK(gt - gf == kn && memcmp(got + gf, want, kn * 2) == 0,
	      "a key's tone follows the level (%zu samples)", gt - gf);
	free(want);
	free(got);

	/* a key while the prompt plays: the tone, and then nothing more of the prompt */
	struct flow f;
	struct view_ctx ctx;
	struct guide g;
	scenario_run(scenario_find("nik-entry"), &f, &ctx);
	prompt_of(&f, &ctx, &g);
	a = open_disk("tone-cuts", 100, path, sizeof(path));
	if (!a)
		return;
	key = audio_tone_samples(a, AUDIO_TONE_KEY, &kn);
	int16_t *key_copy = malloc(kn * 2); /* the player's goes with it */
	memcpy(key_copy, key, kn * 2);
	audio_say(a, &g);
	SDL_Delay(20);
	audio_tone(a, AUDIO_TONE_KEY);
	got = close_disk(a, path, &n);
	int16_t *tone_at = memmem(got, n * 2, key_copy + 1, (kn - 1) * 2);
	free(key_copy);
	CHECK(tone_at, "the key's tone is written whole over the prompt");
	if (tone_at) {
		size_t at = (size_t)(tone_at - got), after = at + kn - 1, rest = 0, before = 0;
		size_t wn;
		for (size_t i = 0; i < at; i++)
			before += got[i] != 0;
		for (size_t i = after; i < n; i++)
			rest += got[i] != 0;
		free(prompt_samples("nik-entry", 100, 1, 1, &wn));
		CHECK(before > 0 && at < wn / 2,
		      "the prompt played (%zu samples of sound), cut early (%zu of %zu)", before,
		      at, wn);
		CHECK(rest == 0, "after the key's tone, %zu samples of the prompt", rest);
	}
	free(got);

	/* the volume's chime, then the prompt from its start, whole, right after it */
	size_t wn, wf, wt;
	a = open_disk("chime", 100, path, sizeof(path));
	if (!a)
		return;
	const int16_t *chime = audio_tone_samples(a, AUDIO_TONE_LEVEL, &cn);
	CHECK(cn == pack->rate * 150 / 1000, "the chime: %u samples", cn);
	int16_t *chime_copy = malloc(cn * 2);
	memcpy(chime_copy, chime, cn * 2);
	audio_tone(a, AUDIO_TONE_LEVEL);
	audio_say(a, &g);
	got = close_disk(a, path, &n);
	want = prompt_samples("nik-entry", 100, 1, 1, &wn);
	sound_span(got, n, &gf, &gt);
	sound_span(want, wn, &wf, &wt);
	CHECK(gt - gf == cn + wt && memcmp(got + gf, chime_copy, cn * 2) == 0 &&
		  memcmp(got + gf + cn, want, wt * 2) == 0,
	      "the chime, then the prompt whole (%zu samples of sound, %zu expected)", gt - gf,
	      cn + wt);
	free(chime_copy);
	free(want);
	free(got);
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
	check_levels();
	check_tones();

	size_t n;
	int16_t *got = play(scenario_find("attract"), 100, true, &n);
	CHECK(!got && n == 0, "muted: nothing written (%zu samples)", n);
	free(got);

	voice_pack_free(pack);
	shot_quit();
	return check_done();
}
