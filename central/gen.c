/*
 * Synthetic civil-registry data for adm-central, deterministic from a seed: families
 * sharing a KK number, Indonesian names, NIKs valid per common/nik.h (women's day of
 * birth + 40, unique serials), documents ready to print with a PDF each, applications
 * still in progress for the others, and six-digit account and print PINs stored only as
 * argon2id hashes. The PINs of the first few citizens are printed for the demo. No real
 * person's data is involved: names are drawn from common first and family names.
 */
#include "central.h"

#include "log.h"
#include "nik.h"
#include "sha256.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t next(uint64_t *s)
{
	/* splitmix64: tiny, fast and the same on every platform */
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int pick(uint64_t *s, int n)
{
	return (int)(next(s) % (uint64_t)n);
}

static const char *const male[] = { "Budi",    "Agus",	"Ahmad", "Eko",	   "Joko",
				    "Bambang", "Rizky", "Dedi",	 "Hendra", "Wahyu",
				    "Andi",    "Yusuf", "Made",	 "Putu",   "Slamet",
				    "Fajar",   "Arif",	"Dimas", "Ilham",  "Teguh" };
static const char *const female_names[] = { "Siti",    "Dewi",	"Sri",	 "Ani",	  "Rina",
					    "Wulan",   "Putri", "Ayu",	 "Fitri", "Nur",
					    "Lestari", "Indah", "Ratna", "Kadek", "Yuni",
					    "Intan",   "Maya",	"Rahma", "Citra", "Nurul" };
static const char *const family[] = { "Santoso",  "Wijaya",   "Saputra",    "Hidayat", "Rahayu",
				      "Kusuma",	  "Setiawan", "Pratama",    "Nugroho", "Siregar",
				      "Nasution", "Harahap",  "Simatupang", "Wibowo",  "Purnomo",
				      "Gunawan",  "Sulistyo", "Lubis",	    "Tanjung", "Hakim" };

struct region {
	const char *code, *name, *city;
};
static const struct region regions[] = {
	{ "3171", "KOTA ADM. JAKARTA SELATAN", "JAKARTA" },
	{ "3273", "KOTA BANDUNG", "BANDUNG" },
	{ "3578", "KOTA SURABAYA", "SURABAYA" },
	{ "5171", "KOTA DENPASAR", "DENPASAR" },
	{ "7371", "KOTA MAKASSAR", "MAKASSAR" },
};

struct doctype {
	const char *code, *title_id, *title_en;
	bool card, child;
};
static const struct doctype adult_docs[] = {
	{ "KK", "KARTU KELUARGA", "Family card", false, false },
	{ "KTP_EL", "KARTU TANDA PENDUDUK ELEKTRONIK", "Electronic identity card", true, false },
	{ "BIODATA", "BIODATA PENDUDUK", "Resident biodata", false, false },
	{ "SURAT_PINDAH", "SURAT KETERANGAN PINDAH", "Certificate of moving", false, false },
};
static const struct doctype child_docs[] = {
	{ "AKTA_LAHIR", "KUTIPAN AKTA KELAHIRAN", "Birth certificate", false, true },
	{ "KIA", "KARTU IDENTITAS ANAK", "Child identity card", true, true },
};
static const char *const stages[] = { "BIO_CAPTURED", "PROCESSING", "SENT_FOR_ENROLLMENT",
				      "VERIFICATION" };

#define BASE_TIME 1767225600 /* 2026-01-01: fixed so the data is the same every run */

static bool hash_pin(const char *pin, bool cheap, char out[crypto_pwhash_STRBYTES])
{
	return crypto_pwhash_str(
		   out, pin, strlen(pin),
		   cheap ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE,
		   cheap ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
}

static void make_pin(uint64_t *s, char out[7])
{
	snprintf(out, 7, "%06d", pick(s, 1000000));
}

struct person {
	char nik[17], kk[17], name[80], birth[64];
	int year;
	bool female;
};

static void make_person(uint64_t *s, int i, const struct region *r, int year, bool female,
			const char *surname, const char *kk, struct person *p)
{
	int day = 1 + pick(s, 28), month = 1 + pick(s, 12);
	int district = 1 + (i / 9999) % 99, serial = i % 9999 + 1;
	snprintf(p->nik, sizeof(p->nik), "%s%02d%02d%02d%02d%04d", r->code, district,
		 day + (female ? 40 : 0), month, year % 100, serial);
	snprintf(p->kk, sizeof(p->kk), "%s", kk);
	snprintf(p->name, sizeof(p->name), "%s %s",
		 female ? female_names[pick(s, 20)] : male[pick(s, 20)], surname);
	snprintf(p->birth, sizeof(p->birth), "%s, %02d-%02d-%04d", r->city, day, month, year);
	p->year = year;
	p->female = female;
}

static bool add_document(struct store *st, uint64_t *s, const struct gen_options *o, int i,
			 const struct region *r, const struct person *p)
{
	const struct doctype *t =
	    2026 - p->year < 17 ? &child_docs[pick(s, 2)] : &adult_docs[pick(s, 4)];
	char id[16], pin[7], hash[crypto_pwhash_STRBYTES];
	snprintf(id, sizeof(id), "D%08d", i);
	make_pin(s, pin);
	if (!hash_pin(pin, o->pwhash_min, hash))
		return false;
	struct pdf_doc d = { .title_id = t->title_id,
			     .title_en = t->title_en,
			     .nik = p->nik,
			     .kk = p->kk,
			     .name = p->name,
			     .birth = p->birth,
			     .region = r->name,
			     .doc_id = id,
			     .card = t->card };
	unsigned char *pdf;
	size_t len;
	if (o->tiny_pdf) {
		char tiny[128];
		len = (size_t)snprintf(tiny, sizeof(tiny), "%%PDF-1.4\n%% synthetic %s\n%%%%EOF\n",
				       id);
		pdf = (unsigned char *)strdup(tiny);
	} else {
		pdf = pdf_render(&d, &len);
	}
	if (!pdf)
		return false;
	unsigned char h[32];
	char hex[65];
	sha256(pdf, len, h);
	sodium_bin2hex(hex, sizeof(hex), h, 32);
	int64_t created = BASE_TIME - pick(s, 30 * 86400);
	bool ok = store_add_document(st, id, p->nik, p->kk, t->code, t->title_id, t->title_en, 1,
				     t->card ? "card" : "a4", created, created + 5 * 365 * 86400LL,
				     hex, pdf, len, hash);
	free(pdf);
	if (ok && i < o->print_pins)
		printf("    document %s %-13s print PIN %s\n", id, t->code, pin);
	return ok;
}

bool gen_run(struct store *st, const struct gen_options *o)
{
	uint64_t s = o->seed;
	int family_left = 0, fam = 0, member = 0;
	char kk[17] = "", surname[32] = "";
	const struct region *r = &regions[0];
	bool ok = store_begin(st);

	if (o->citizens < 1 || o->citizens > 900000 || o->doc_every < 1)
		return false;
	for (int i = 0; i < o->citizens && ok; i++) {
		if (family_left == 0) {
			/* a new family: same region, KK number and (usually) surname */
			family_left = 1 + pick(&s, 4);
			member = 0;
			r = &regions[fam % 5];
			snprintf(surname, sizeof(surname), "%s", family[pick(&s, 20)]);
			snprintf(kk, sizeof(kk), "%s%02d%02d%02d%02d%04d", r->code,
				 1 + pick(&s, 20), 1 + pick(&s, 28), 1 + pick(&s, 12),
				 10 + pick(&s, 16), 1 + fam % 9999);
			fam++;
		}
		int year;
		bool fem;
		if (member == 0) {
			year = 1960 + pick(&s, 35);
			fem = pick(&s, 5) == 0;
		} else if (member == 1) {
			year = 1960 + pick(&s, 35);
			fem = true;
		} else {
			year = 2006 + pick(&s, 18);
			fem = pick(&s, 2) == 0;
		}
		struct person p;
		make_person(&s, i, r, year, fem, surname, kk, &p);
		if (nik_check(p.nik) != NIK_OK) {
			log_error("generator made an invalid NIK (%s)",
				  nik_status_str(nik_check(p.nik)));
			ok = false;
			break;
		}
		char pin[7], hash[crypto_pwhash_STRBYTES];
		make_pin(&s, pin);
		ok = hash_pin(pin, o->pwhash_min, hash) &&
		     store_add_citizen(st, p.nik, p.kk, p.name, hash);
		if (ok && i < o->print_pins)
			printf("%s  %-28s account PIN %s\n", p.nik, p.name, pin);
		if (ok && i % o->doc_every == 0) {
			ok = add_document(st, &s, o, i, r, &p);
		} else if (ok) {
			char id[16];
			snprintf(id, sizeof(id), "A%08d", i);
			ok = store_add_application(
			    st, id, p.nik, 2026 - year < 17 ? "KIA" : "KTP_EL", stages[pick(&s, 4)],
			    BASE_TIME + 86400LL * (1 + pick(&s, 60)));
		}
		family_left--;
		member++;
	}
	if (ok)
		ok = store_commit(st);
	if (!ok)
		log_error("generation failed");
	return ok;
}
