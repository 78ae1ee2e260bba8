/*
 * Unit tests of the pure parts of the NFC stack: the test-profile biodata parser (every
 * truncation, lying lengths, field syntax, consistency with the NIK) and the synthetic
 * citizen generator (valid NIKs, women's day + 40, families sharing a KK, determinism), and
 * the card profile's handling of status words the virtual cards never send (61xx, 6Cxx,
 * 6282) through a card whose answers are scripted byte for byte.
 */
#include "card_biodata.h"
#include "card_profile.h"
#include "nik.h"
#include "synth.h"

#include "../check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_PEOPLE 400

static void to_identity(const struct synth_citizen *s, struct card_identity *id)
{
	memset(id, 0, sizeof(*id));
	memcpy(id->nik, s->nik, sizeof(id->nik));
	memcpy(id->kk, s->kk, sizeof(id->kk));
	memcpy(id->name, s->name, sizeof(id->name));
	memcpy(id->birth_place, s->birth_place, sizeof(id->birth_place));
	memcpy(id->birth_date, s->birth_date, sizeof(id->birth_date));
	memcpy(id->region, s->region, sizeof(id->region));
	memcpy(id->address, s->address, sizeof(id->address));
	memcpy(id->serial, s->card_serial, sizeof(s->card_serial));
	id->sex = s->female ? 'P' : 'L';
}

static void test_synth(void)
{
	static struct synth_citizen a[N_PEOPLE], b[N_PEOPLE], c[N_PEOPLE];
	CHECK(synth_population(42, N_PEOPLE, a));
	CHECK(synth_population(42, N_PEOPLE, b));
	CHECK(synth_population(43, N_PEOPLE, c));
	CHECK(memcmp(a, b, sizeof(a)) == 0); /* deterministic */
	CHECK(strcmp(a[0].nik, c[0].nik) != 0 || strcmp(a[0].name, c[0].name) != 0);
	CHECK(!synth_population(1, 0, a) && !synth_population(1, 10000, NULL));
	int shared_kk = 0, women = 0, type_b = 0;
	for (int i = 0; i < N_PEOPLE; i++) {
		struct nik_parts p;
		CHECK(nik_check(a[i].nik) == NIK_OK);
		CHECK(nik_parse(a[i].nik, &p));
		CHECK(p.female == a[i].female);
		int day = (a[i].nik[6] - '0') * 10 + (a[i].nik[7] - '0');
		CHECK(a[i].female ? day > 40 && day <= 71 : day >= 1 && day <= 31);
		CHECK(strncmp(a[i].nik, a[i].region, 6) == 0);
		CHECK(strncmp(a[i].kk, a[i].region, 6) == 0);
		CHECK(a[i].province && nik_province_name(p.province));
		CHECK(strcmp(a[i].birth_date + 2, "") != 0 && atoi(a[i].birth_date) <= 2008);
		for (int j = 0; j < i; j++) {
			CHECK(strcmp(a[i].nik, a[j].nik) != 0);
			if (strcmp(a[i].kk, a[j].kk) == 0)
				shared_kk++;
		}
		women += a[i].female;
		type_b += a[i].type_b;
	}
	CHECK(shared_kk > N_PEOPLE / 4); /* families exist */
	CHECK(women > N_PEOPLE / 4 && women < 3 * N_PEOPLE / 4);
	CHECK(type_b == N_PEOPLE / 4);
}

static void test_roundtrip(void)
{
	static struct synth_citizen people[N_PEOPLE];
	synth_population(9, N_PEOPLE, people);
	for (int i = 0; i < N_PEOPLE; i++) {
		struct card_identity id, back;
		uint8_t buf[CARD_BIODATA_MAX];
		to_identity(&people[i], &id);
		int n = card_biodata_encode(&id, buf, sizeof(buf));
		CHECK(n > 0);
		size_t total = 0;
		CHECK(card_biodata_total_len(buf, 4, &total) == BIODATA_OK && total == (size_t)n);
		CHECK(card_biodata_parse(buf, (size_t)n, &back) == BIODATA_OK);
		CHECK(memcmp(&id, &back, sizeof(id)) == 0);
		/* Every shorter read is refused, and leaves nothing behind. */
		for (int k = 0; k < n; k++) {
			int rc = card_biodata_parse(buf, (size_t)k, &back);
			CHECK(rc != BIODATA_OK);
			CHECK(back.nik[0] == '\0' && back.name[0] == '\0');
		}
		/* Any inner length made larger runs past the end or breaks a field. */
		for (int pos = buf[1] == 0x81 ? 3 : 2; pos + 1 < n; pos += 2 + buf[pos + 1]) {
			uint8_t bad[CARD_BIODATA_MAX];
			memcpy(bad, buf, (size_t)n);
			bad[pos + 1] = (uint8_t)(bad[pos + 1] + 1);
			CHECK(card_biodata_parse(bad, (size_t)n, &back) != BIODATA_OK);
			bad[pos + 1] = 0x7F;
			CHECK(card_biodata_parse(bad, (size_t)n, &back) != BIODATA_OK);
		}
	}
}

/* Builds a template from fields given as tag, length, bytes... in one string. */
static int build(uint8_t *out, const struct card_identity *id)
{
	return card_biodata_encode(id, out, CARD_BIODATA_MAX);
}

static int parse_with(struct card_identity id)
{
	uint8_t buf[CARD_BIODATA_MAX];
	struct card_identity out;
	int n = build(buf, &id);
	if (n < 0)
		return 99;
	return card_biodata_parse(buf, (size_t)n, &out);
}

static void test_fields(void)
{
	struct synth_citizen s;
	synth_population(5, 1, &s);
	struct card_identity base, id;
	to_identity(&s, &base);
	CHECK(parse_with(base) == BIODATA_OK);

	id = base;
	id.sex = id.sex == 'L' ? 'P' : 'L'; /* disagrees with the NIK's day */
	CHECK(parse_with(id) == BIODATA_INCONSISTENT);
	id = base;
	id.sex = 'X';
	CHECK(parse_with(id) == BIODATA_BAD_FIELD);
	id = base;
	id.birth_date[9] = id.birth_date[9] == '1' ? '2' : '1';
	CHECK(parse_with(id) == BIODATA_INCONSISTENT);
	id = base;
	id.region[5] = id.region[5] == '1' ? '2' : '1';
	CHECK(parse_with(id) == BIODATA_INCONSISTENT);
	id = base;
	id.nik[12] = id.nik[13] = id.nik[14] = id.nik[15] = '0'; /* serial 0000 */
	CHECK(parse_with(id) == BIODATA_INCONSISTENT);
	id = base;
	id.nik[3] = 'x';
	CHECK(parse_with(id) == BIODATA_BAD_FIELD);
	id = base;
	id.name[1] = '\n';
	CHECK(parse_with(id) == BIODATA_BAD_FIELD);
	id = base;
	id.name[0] = ' ';
	CHECK(parse_with(id) == BIODATA_BAD_FIELD);
	id = base;
	memset(id.name, 'A', CARD_NAME_MAX);
	id.name[CARD_NAME_MAX] = '\0';
	CHECK(parse_with(id) == BIODATA_OK); /* exactly the maximum */
	id = base;
	id.serial[0] = 'z';
	CHECK(parse_with(id) == BIODATA_BAD_FIELD);
	id = base;
	id.address[0] = '\0'; /* optional */
	CHECK(parse_with(id) == BIODATA_OK);
	id = base;
	id.kk[0] = '0'; /* province 0x is no province */
	CHECK(parse_with(id) == BIODATA_INCONSISTENT);

	/* Hand-made templates for what the encoder never produces. */
	uint8_t buf[CARD_BIODATA_MAX], t[CARD_BIODATA_MAX + 8];
	struct card_identity out;
	int n = build(buf, &base);
	size_t h = buf[1] == 0x81 ? 3 : 2;
	/* Duplicate field: the version twice. */
	memcpy(t, buf, (size_t)n);
	t[n] = 0x80;
	t[n + 1] = 0x01;
	t[n + 2] = 0x01;
	size_t body = (size_t)n - h + 3;
	t[0] = 0x70;
	t[1] = 0x81;
	t[2] = (uint8_t)body;
	memcpy(t + 3, buf + h, (size_t)n - h);
	memcpy(t + 3 + (size_t)n - h, "\x80\x01\x01", 3);
	CHECK(card_biodata_parse(t, 3 + body, &out) == BIODATA_DUPLICATE);
	/* Version 2 is unknown. */
	memcpy(t, buf, (size_t)n);
	CHECK(t[h] == 0x80 && t[h + 2] == 0x01);
	t[h + 2] = 0x02;
	CHECK(card_biodata_parse(t, (size_t)n, &out) == BIODATA_VERSION);
	/* Trailing bytes after the template. */
	memcpy(t, buf, (size_t)n);
	t[n] = 0x00;
	CHECK(card_biodata_parse(t, (size_t)n + 1, &out) == BIODATA_BAD_TEMPLATE);
	/* Not a 70 template; non-minimal and oversized lengths. */
	memcpy(t, buf, (size_t)n);
	t[0] = 0x71;
	CHECK(card_biodata_parse(t, (size_t)n, &out) == BIODATA_BAD_TEMPLATE);
	static const uint8_t nonminimal[] = { 0x70, 0x81, 0x03, 0x80, 0x01, 0x01 };
	CHECK(card_biodata_parse(nonminimal, sizeof(nonminimal), &out) == BIODATA_BAD_TEMPLATE);
	static const uint8_t huge[] = { 0x70, 0x82, 0xFF, 0xFF };
	size_t total;
	CHECK(card_biodata_total_len(huge, sizeof(huge), &total) == BIODATA_BAD_TEMPLATE);
	static const uint8_t three_byte_len[] = { 0x70, 0x83, 0x00, 0x00, 0x10 };
	CHECK(card_biodata_total_len(three_byte_len, 5, &total) == BIODATA_BAD_TEMPLATE);
	static const uint8_t only_version[] = { 0x70, 0x03, 0x80, 0x01, 0x01 };
	CHECK(card_biodata_parse(only_version, sizeof(only_version), &out) == BIODATA_MISSING);
	static const uint8_t constructed[] = { 0x70, 0x03, 0xA0, 0x01, 0x01 };
	CHECK(card_biodata_parse(constructed, sizeof(constructed), &out) == BIODATA_BAD_TEMPLATE);
	CHECK(card_biodata_parse(NULL, 0, &out) == BIODATA_TRUNCATED);
	for (int st = 0; st >= -7; st--)
		CHECK(strcmp(card_biodata_strerror(st), "unknown biodata status") != 0);
}

/* A card that answers from a script, checking each command it is sent. */
struct step {
	const char *expect; /* command APDU as hex, or NULL for "anything" */
	const uint8_t *answer;
	int len; /* < 0: transport failure */
};

struct script {
	const struct step *steps;
	int n, at;
	int mismatches;
};

static int script_transceive(void *ctx, const uint8_t *apdu, size_t len, uint8_t *resp, size_t cap)
{
	struct script *s = ctx;
	if (s->at >= s->n)
		return -1;
	const struct step *st = &s->steps[s->at++];
	if (st->expect) {
		char hex[600] = "";
		for (size_t i = 0; i < len && 2 * i + 2 < sizeof(hex); i++)
			snprintf(hex + 2 * i, 3, "%02X", apdu[i]);
		if (strcmp(hex, st->expect) != 0) {
			fprintf(stderr, "step %d: sent %s, expected %s\n", s->at, hex, st->expect);
			s->mismatches++;
		}
	}
	if (st->len < 0 || (size_t)st->len > cap)
		return -1;
	memcpy(resp, st->answer, (size_t)st->len);
	return st->len;
}

static int run_script(const struct step *steps, int n, struct card_identity *id, int *detail,
		      int *used)
{
	struct script s = { steps, n, 0, 0 };
	const struct card_transport t = { .transceive = script_transceive, .ctx = &s };
	struct secure_channel sc = { .ops = &secure_channel_none_ops };
	int rc = card_profile_read_identity(&t, &sc, id, detail);
	CHECK(s.mismatches == 0);
	*used = s.at;
	return rc;
}

static void test_profile(void)
{
	struct synth_citizen p;
	synth_population(11, 1, &p);
	struct card_identity id, out;
	to_identity(&p, &id);
	uint8_t file[CARD_BIODATA_MAX], a1[300], a2[300], a3[300];
	int n = card_biodata_encode(&id, file, sizeof(file));
	CHECK(n > 100);
	static const uint8_t ok[] = { 0x90, 0x00 };
	static const uint8_t nf[] = { 0x6A, 0x82 };
	int used, detail;
	const char *sel_df = "00A4000C027F0A", *sel_ef = "00A4020C026FF1";

	/* Plain: one READ BINARY of E0 gets the whole (shorter) file. */
	memcpy(a1, file, (size_t)n);
	memcpy(a1 + n, ok, 2);
	const struct step plain[] = { { sel_df, ok, 2 },
				      { sel_ef, ok, 2 },
				      { "00B00000E0", a1, n + 2 } };
	CHECK(run_script(plain, 3, &out, &detail, &used) == CARD_OK && used == 3);
	CHECK(strcmp(out.nik, id.nik) == 0 && strcmp(out.name, id.name) == 0);

	/* 6Cxx: wrong length, the card names the right one; then 61xx: fetch the rest with
	 * GET RESPONSE. */
	const uint8_t wrong_le[2] = { 0x6C, 0x10 };
	memcpy(a2, file, 0x10);
	memcpy(a2 + 0x10, ok, 2);
	const uint8_t more_waiting[2] = { 0x61, (uint8_t)(n - 0x10) };
	memcpy(a3, file + 0x10, (size_t)n - 0x10);
	memcpy(a3 + n - 0x10, ok, 2);
	char get_resp[16], read_rest[16];
	snprintf(get_resp, sizeof(get_resp), "00C00000%02X", n - 0x10);
	snprintf(read_rest, sizeof(read_rest), "00B00010%02X", n - 0x10);
	const struct step split[] = {
		{ sel_df, ok, 2 },
		{ sel_ef, ok, 2 },
		{ "00B00000E0", wrong_le, 2 },
		{ "00B0000010", a2, 0x12 },
		{ read_rest, more_waiting, 2 },
		{ get_resp, a3, n - 0x10 + 2 },
	};
	CHECK(run_script(split, 6, &out, &detail, &used) == CARD_OK && used == 6);
	CHECK(strcmp(out.nik, id.nik) == 0);

	/* 6282 with data: end of file reached, the data is all there is. */
	memcpy(a1 + n, "\x62\x82", 2);
	const struct step eof[] = { { sel_df, ok, 2 },
				    { sel_ef, ok, 2 },
				    { "00B00000E0", a1, n + 2 } };
	CHECK(run_script(eof, 3, &out, &detail, &used) == CARD_OK);

	/* A header that promises more than the file holds: 6B00 at the next offset. */
	uint8_t lie[8] = { 0x70, 0x81, 0xF0, 0x80, 0x01, 0x01, 0x90, 0x00 };
	static const uint8_t past_end[] = { 0x6B, 0x00 };
	const struct step liar[] = { { sel_df, ok, 2 },
				     { sel_ef, ok, 2 },
				     { "00B00000E0", lie, 8 },
				     { "00B00006E0", past_end, 2 } };
	CHECK(run_script(liar, 4, &out, &detail, &used) == CARD_ERR_BAD_DATA);
	CHECK(out.nik[0] == '\0');

	/* Another card kind, garbage, a card that vanishes, more data than asked for. */
	const struct step foreign[] = { { sel_df, nf, 2 } };
	CHECK(run_script(foreign, 1, &out, &detail, &used) == CARD_ERR_FOREIGN);
	/* Issue 11: every other well-formed status to the application select is a foreign
	 * card too (a bank card's 6986, a phone's 6F00, a 6283), never "try again". */
	static const uint8_t other_sw[][2] = {
		{ 0x69, 0x86 }, { 0x6F, 0x00 }, { 0x62, 0x83 }, { 0x6A, 0x81 }, { 0x90, 0x01 }
	};
	for (size_t i = 0; i < sizeof(other_sw) / sizeof(other_sw[0]); i++) {
		const struct step other[] = { { sel_df, other_sw[i], 2 } };
		CHECK(run_script(other, 1, &out, &detail, &used) == CARD_ERR_FOREIGN);
	}
	/* Application there, biodata file missing: a status of its own, with its text. */
	const struct step no_ef[] = { { sel_df, ok, 2 }, { sel_ef, nf, 2 } };
	CHECK(run_script(no_ef, 2, &out, &detail, &used) == CARD_ERR_NO_BIODATA);
	CHECK(strstr(card_profile_strerror(CARD_ERR_NO_BIODATA), "6FF1") != NULL);
	static const uint8_t junk[] = { 0x42 };
	const struct step garbage[] = { { sel_df, junk, 1 } };
	CHECK(run_script(garbage, 1, &out, &detail, &used) == CARD_ERR_GARBAGE);
	const struct step gone[] = { { sel_df, ok, 2 }, { sel_ef, ok, 2 }, { NULL, NULL, -1 } };
	CHECK(run_script(gone, 3, &out, &detail, &used) == CARD_ERR_IO);
	const struct step chatty[] = { { sel_df, ok, 2 },
				       { sel_ef, ok, 2 },
				       { "00B00000E0", a1, 0xE0 + 3 } };
	CHECK(run_script(chatty, 3, &out, &detail, &used) == CARD_ERR_GARBAGE);
	/* A card that answers 61 01 forever is cut off after 32 APDUs. */
	static const uint8_t more[] = { 0x00, 0x61, 0x01 };
	struct step endless[40] = { { sel_df, ok, 2 }, { sel_ef, ok, 2 } };
	for (int i = 2; i < 40; i++)
		endless[i] = (struct step){ NULL, more, 3 };
	CHECK(run_script(endless, 40, &out, &detail, &used) == CARD_ERR_GARBAGE);
	CHECK(used <= 32);
}

int main(void)
{
	test_synth();
	test_roundtrip();
	test_fields();
	test_profile();
	return check_done();
}
