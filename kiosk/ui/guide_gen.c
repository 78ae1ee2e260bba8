/*
 * adm-voice-gen ESPEAK OUT: records every fixed piece of the spoken prompts (guide.h) and
 * the number words 0..GUIDE_NUMBER_MAX with espeak-ng into a prompts pack (voice_pack.h).
 * adm-voice-gen --list prints the pieces instead, one "lang<TAB>text" a line.
 *
 * The pieces are found by asking guide_for() about every screen in every variant that
 * changes its words (state, error, reason, card or sheets, lock, countdown), and
 * guide_help() about the help panel's, so a sentence added to guide.c is recorded without
 * a second list to keep.
 */
#include "guide.h"
#include "voice_pack.h"

#include "nik.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CLIPS 1024

static const char *const voices[GUIDE_LANGS] = { "id", "en" };

struct piece_set {
	int n;
	int lang[MAX_CLIPS];
	char *text[MAX_CLIPS];
};

static void add(struct piece_set *s, int lang, const char *text)
{
	for (int i = 0; i < s->n; i++)
		if (s->lang[i] == lang && strcmp(s->text[i], text) == 0)
			return;
	if (s->n == MAX_CLIPS) {
		fprintf(stderr, "adm-voice-gen: more than %d pieces\n", MAX_CLIPS);
		exit(1);
	}
	s->lang[s->n] = lang;
	s->text[s->n++] = strdup(text);
}

static void add_guide(struct piece_set *s, const struct guide *g)
{
	for (int l = 0; l < GUIDE_LANGS; l++)
		for (int i = 0; i < g->n[l]; i++)
			if (g->p[l][i].text)
				add(s, l, g->p[l][i].text);
}

/* Every variant of every screen, by the flow fields guide_for() and guide_help() read. */
static void collect(struct piece_set *s)
{
	for (int st = 0; st < FLOW_STATE_COUNT; st++)
		for (int err = 0; err < ERR_COUNT; err++)
			for (int reason = 0; reason <= NIK_BAD_SERIAL + 1; reason++)
				for (unsigned bits = 0; bits < 1024; bits++) {
					struct flow f;
					struct guide g;
					memset(&f, 0, sizeof(f));
					/* two documents ticked and authorised; a printer fault */
					if (bits & 256) {
						f.s.n_docs = 2;
						for (int d = 0; d < 2; d++)
							f.s.docs[d].ticked =
							    f.s.docs[d].authorised = true;
					}
					f.s.print_fault = bits & 512;
					f.state = (enum flow_state)st;
					f.error = (enum flow_error)err;
					f.nik_reason = reason;
					f.s.via_card = bits & 1;
					f.waiting = bits & 2;
					f.hint = bits & 4;
					f.s.printed_card = bits & 8;
					f.card_on_reader = bits & 16;
					f.s.pin_tries_left = bits & 32 ? 2 : -1;
					f.s.lock_minutes = f.s.pages = f.s.sheets =
					    bits & 64 ? 1 : 15;
					f.timeouts.warn_ms = 15000;
					f.now_ms = 1000;
					f.deadline_ms = bits & 128 ? f.now_ms + 5000 : 0;
					guide_for(&f, &g);
					add_guide(s, &g);
				}
	/* the help panel's own pieces (its step's are the screens' above): with a staff
	 * place and without, called or not, ids of every letter, one too long to spell */
	static const char *const ids[] = { "ABCDEFGHIJKLM", "NOPQRSTUVWXYZ",
					   "ADM-KIOSK-NUMBER-TOO-LONG-TO-SPELL" };
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		for (unsigned bits = 0; bits < 4; bits++) {
			struct flow f;
			struct guide g;
			memset(&f, 0, sizeof(f));
			f.help = true;
			f.staff_called = bits & 1;
			struct guide_kiosk k = { ids[i], bits & 2 };
			guide_help(&f, &k, &g);
			add_guide(s, &g);
		}
}

static void put32(FILE *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
	fwrite(b, 1, 4, f);
}

/* Cuts espeak-ng's silence before a clip and all but a short pause after it: joined
 * clips keep the rhythm of a sentence, the pack is a third smaller and the first sound
 * comes sooner. */
static void trim(int16_t *s, uint32_t *n, uint32_t rate)
{
	uint32_t first = 0, last = *n, lead = rate / 100, pause = rate * 3 / 20;
	while (first < *n && abs(s[first]) < 64)
		first++;
	while (last > first && abs(s[last - 1]) < 64)
		last--;
	first = first > lead ? first - lead : 0;
	last = last + pause < *n ? last + pause : *n;
	memmove(s, s + first, (size_t)(last - first) * 2);
	*n = last - first;
}

/* espeak-ng's WAV for text on a pipe, as samples; the rate in *rate. Exits on failure. */
static int16_t *speak(const char *espeak, const char *voice, const char *text, uint32_t *n,
		      uint32_t *rate)
{
	int fd[2];
	if (pipe(fd) != 0) {
		perror("adm-voice-gen: pipe");
		exit(1);
	}
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		/* a little slower than espeak's 175 words a minute: many listeners are old */
		execl(espeak, espeak, "-v", voice, "-s", "150", "--stdout", text, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	size_t len = 0, cap = 1 << 16;
	uint8_t *buf = malloc(cap);
	ssize_t got;
	while (buf && (got = read(fd[0], buf + len, cap - len)) > 0) {
		len += (size_t)got;
		if (len == cap)
			buf = realloc(buf, cap *= 2);
	}
	close(fd[0]);
	int status;
	waitpid(pid, &status, 0);
	/* RIFF, then chunks: "fmt " must be PCM mono 16-bit; "data" runs to the end (its size
	 * is a placeholder when espeak-ng writes to a pipe) */
	size_t at = 12;
	*rate = 0;
	while (buf && WIFEXITED(status) && WEXITSTATUS(status) == 0 && at + 8 <= len &&
	       memcmp(buf, "RIFF", 4) == 0) {
		uint32_t size = (uint32_t)buf[at + 4] | (uint32_t)buf[at + 5] << 8 |
				(uint32_t)buf[at + 6] << 16 | (uint32_t)buf[at + 7] << 24;
		if (memcmp(buf + at, "fmt ", 4) == 0 && at + 24 <= len) {
			const uint8_t *p = buf + at + 8;
			if (p[0] == 1 && p[2] == 1 && p[14] == 16)
				*rate = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16;
		} else if (memcmp(buf + at, "data", 4) == 0 && *rate) {
			*n = (uint32_t)((len - at - 8) / 2);
			int16_t *s = malloc((size_t)*n * 2 + 1);
			for (uint32_t i = 0; s && i < *n; i++)
				s[i] = (int16_t)(uint16_t)(buf[at + 8 + 2 * i] | buf[at + 9 + 2 * i]
										     << 8);
			free(buf);
			if (s)
				trim(s, n, *rate);
			return s;
		}
		at += 8 + size;
	}
	fprintf(stderr, "adm-voice-gen: %s -v %s gave no 16-bit mono WAV for \"%s\"\n", espeak,
		voice, text);
	exit(1);
}

int main(int argc, char **argv)
{
	static struct piece_set set;
	char key[16];

	collect(&set);
	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (int i = 0; i < set.n; i++)
			printf("%s\t%s\n", voices[set.lang[i]], set.text[i]);
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: adm-voice-gen ESPEAK-NG OUT.pack | --list\n");
		return 2;
	}
	for (int l = 0; l < GUIDE_LANGS; l++)
		for (int i = 0; i <= GUIDE_NUMBER_MAX; i++) {
			snprintf(key, sizeof(key), "#%d", i);
			add(&set, l, key);
		}
	char part[4096];
	snprintf(part, sizeof(part), "%s.part", argv[2]);
	FILE *out = fopen(part, "wb");
	if (!out) {
		perror(part);
		return 1;
	}
	/* every clip first: the index, which comes first, holds their offsets */
	static int16_t *samples[MAX_CLIPS];
	static uint32_t count[MAX_CLIPS];
	uint32_t rate = 0;
	size_t at = 16;
	for (int i = 0; i < set.n; i++) {
		const char *text = set.text[i][0] == '#' ? set.text[i] + 1 : set.text[i];
		uint32_t r;
		samples[i] = speak(argv[1], voices[set.lang[i]], text, &count[i], &r);
		if (rate && r != rate) {
			fprintf(stderr, "adm-voice-gen: the voices' rates differ (%u, %u)\n", rate,
				r);
			return 1;
		}
		rate = r;
		size_t len = strlen(set.text[i]);
		at += 12 + len + (len & 1);
	}
	fwrite(VOICE_PACK_MAGIC, 1, 8, out);
	put32(out, rate);
	put32(out, (uint32_t)set.n);
	for (int i = 0; i < set.n; i++) {
		size_t len = strlen(set.text[i]);
		uint8_t h[4] = { (uint8_t)set.lang[i], 0, (uint8_t)len, (uint8_t)(len >> 8) };
		fwrite(h, 1, 4, out);
		put32(out, (uint32_t)at);
		put32(out, count[i]);
		fwrite(set.text[i], 1, len, out);
		if (len & 1) /* the samples stay aligned for the kiosk's mapping */
			fputc(0, out);
		at += (size_t)count[i] * 2;
	}
	for (int i = 0; i < set.n; i++) {
		for (uint32_t k = 0; k < count[i]; k++) {
			uint16_t v = (uint16_t)samples[i][k];
			uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
			fwrite(b, 1, 2, out);
		}
		free(samples[i]);
	}
	if (fclose(out) != 0 || rename(part, argv[2]) != 0) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
