/*
 * Synthetic citizen generator. A splitmix64 stream drawn from the seed decides everything,
 * so a seed names a population. Names are common Indonesian given names and family or
 * second names; places are real city and regency names with their Kemendagri codes, but no
 * person generated here exists.
 */
#include "synth.h"

#include "nik.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* snprintf for fields whose width the generator guarantees (through a va_list, so the
 * compiler's worst-case truncation warning about int ranges does not apply). */
__attribute__((format(printf, 3, 4))) static void fmt(char *dst, size_t cap, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	vsnprintf(dst, cap, f, ap);
	va_end(ap);
}

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static int pick(struct rng *r, int n)
{
	return (int)(next(r) % (uint64_t)n);
}

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const male_names[] = {
	"Budi",	 "Agus",   "Andi",   "Bambang", "Dedi",	  "Eko",   "Fajar",  "Hendra",
	"Joko",	 "Rudi",   "Slamet", "Wahyu",	"Yusuf",  "Rizki", "Arif",   "Ahmad",
	"Dimas", "Gilang", "Hadi",   "Iwan",	"Made",	  "Ketut", "Nyoman", "Putu",
	"Teguh", "Bayu",   "Fikri",  "Ilham",	"Rangga", "Surya",
};
static const char *const female_names[] = {
	"Siti",	 "Sri",	  "Dewi",  "Ayu",    "Ratna",	"Wulan",  "Putri",   "Indah",
	"Rina",	 "Yuni",  "Fitri", "Nur",    "Lestari", "Intan",  "Kartika", "Maya",
	"Nia",	 "Ani",	  "Dian",  "Rahayu", "Ketut",	"Komang", "Anisa",   "Nabila",
	"Aulia", "Citra", "Eka",   "Mega",   "Sekar",	"Tari",
};
/* Second names: Javanese and Sundanese name pairs, Batak and Minahasa family names. */
static const char *const family_names[] = {
	"Santoso", "Wijaya",  "Saputra", "Hidayat", "Setiawan",	 "Kurniawan", "Pratama",
	"Nugroho", "Susanto", "Gunawan", "Siregar", "Nasution",	 "Harahap",   "Simanjuntak",
	"Lubis",   "Sinaga",  "Wenas",	 "Lumowa",  "Rahman",	 "Hakim",     "Permana",
	"Suryadi", "Wibowo",  "Purnomo", "Hartono", "Sembiring", "Tambunan",  "Pangaribuan",
};
/* A city or regency with its NIK province and regency codes (71+ are cities). */
struct place {
	int province, regency;
	const char *name;
};
static const struct place places[] = {
	{ 31, 71, "JAKARTA PUSAT" },  { 31, 74, "JAKARTA SELATAN" }, { 32, 73, "BANDUNG" },
	{ 32, 71, "BOGOR" },	      { 32, 4, "KAB. BANDUNG" },     { 33, 74, "SEMARANG" },
	{ 33, 72, "SURAKARTA" },      { 33, 2, "BANYUMAS" },	     { 34, 71, "YOGYAKARTA" },
	{ 34, 4, "SLEMAN" },	      { 35, 78, "SURABAYA" },	     { 35, 73, "MALANG" },
	{ 35, 9, "JEMBER" },	      { 36, 71, "TANGERANG" },	     { 12, 71, "MEDAN" },
	{ 12, 12, "TOBA" },	      { 13, 71, "PADANG" },	     { 16, 71, "PALEMBANG" },
	{ 18, 71, "BANDAR LAMPUNG" }, { 51, 71, "DENPASAR" },	     { 51, 3, "BADUNG" },
	{ 52, 71, "MATARAM" },	      { 61, 71, "PONTIANAK" },	     { 64, 72, "SAMARINDA" },
	{ 71, 71, "MANADO" },	      { 73, 71, "MAKASSAR" },	     { 11, 71, "BANDA ACEH" },
	{ 14, 71, "PEKANBARU" },      { 63, 71, "BANJARMASIN" },     { 91, 71, "JAYAPURA" },
};
static const char *const streets[] = {
	"JL. MERDEKA", "JL. SUDIRMAN", "JL. DIPONEGORO", "JL. GATOT SUBROTO", "JL. KARTINI",
	"JL. MAWAR",   "JL. MELATI",   "JL. PAHLAWAN",	 "GG. KENANGA",	      "JL. RAYA PASAR",
};

static void upper_name(char *dst, size_t cap, const char *given, const char *family)
{
	fmt(dst, cap, "%s %s", given, family);
	for (char *p = dst; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
}

static int days_in_month(int m, int y)
{
	static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && y % 4 == 0 ? 29 : d[m - 1];
}

struct family {
	struct place home;
	int district;
	char kk[17];
	char address[101];
	const char *family_name;
	int parents_year;
};

static void new_family(struct rng *r, struct family *f)
{
	for (;;) {
		f->home = places[pick(r, COUNT(places))];
		if (nik_province_name(f->home.province)) /* keep to provinces.def */
			break;
	}
	f->district = 1 + pick(r, 20);
	f->family_name = family_names[pick(r, COUNT(family_names))];
	f->parents_year = 1950 + pick(r, 45);
	/* KK: issuing region, recording date DDMMYY (no +40), family serial. */
	int rd = 1 + pick(r, 28), rm = 1 + pick(r, 12), ry = 8 + pick(r, 16);
	fmt(f->kk, sizeof(f->kk), "%02d%02d%02d%02d%02d%02d%04d", f->home.province, f->home.regency,
	    f->district, rd, rm, ry, 1 + pick(r, 9999));
	fmt(f->address, sizeof(f->address), "%s NO. %d RT %03d/RW %03d",
	    streets[pick(r, COUNT(streets))], 1 + pick(r, 150), 1 + pick(r, 15), 1 + pick(r, 12));
}

static void make_person(struct rng *r, const struct family *f, int index, int role,
			struct synth_citizen *c)
{
	memset(c, 0, sizeof(*c));
	/* role 0: head (man), 1: spouse (woman), 2+: child of either sex. */
	c->female = role == 1 || (role >= 2 && pick(r, 2));
	int year = role < 2 ? f->parents_year + pick(r, 4) : f->parents_year + 22 + pick(r, 15);
	if (year > 2008) /* a KTP-el is issued from 17 */
		year = 2008 - pick(r, 3);
	int month = 1 + pick(r, 12);
	int day = 1 + pick(r, days_in_month(month, year));
	const char *given = c->female ? female_names[pick(r, COUNT(female_names))]
				      : male_names[pick(r, COUNT(male_names))];
	const char *second =
	    role == 1 ? family_names[pick(r, COUNT(family_names))] : f->family_name;
	upper_name(c->name, sizeof(c->name), given, second);
	const struct place *born = pick(r, 3) ? &f->home : &places[pick(r, COUNT(places))];
	fmt(c->birth_place, sizeof(c->birth_place), "%s", born->name);
	fmt(c->birth_date, sizeof(c->birth_date), "%04d-%02d-%02d", year, month, day);
	fmt(c->region, sizeof(c->region), "%02d%02d%02d", f->home.province, f->home.regency,
	    f->district);
	fmt(c->nik, sizeof(c->nik), "%s%02d%02d%02d%04d", c->region, day + (c->female ? 40 : 0),
	    month, year % 100, index % 9999 + 1);
	memcpy(c->kk, f->kk, sizeof(c->kk));
	fmt(c->address, sizeof(c->address), "%s", f->address);
	c->province = nik_province_name(f->home.province);
	fmt(c->card_serial, sizeof(c->card_serial), "%016llX", (unsigned long long)next(r));
	uint64_t u = next(r);
	c->type_b = index % 4 == 3; /* both card types show up in every population */
	c->uid[0] = 0x04;	    /* NXP's manufacturer byte, as seen on KTP-el chips */
	for (int i = 1; i < 7; i++)
		c->uid[i] = (uint8_t)(u >> (8 * i));
}

bool synth_population(uint64_t seed, int n, struct synth_citizen *out)
{
	if (n < 1 || n > 9999)
		return false;
	struct rng r = { seed };
	struct family f;
	int i = 0;
	while (i < n) {
		new_family(&r, &f);
		int members = 1 + pick(&r, 4);
		for (int role = 0; role < members && i < n; role++, i++)
			make_person(&r, &f, i, role, &out[i]);
	}
	return true;
}
