/*
 * Synthetic citizens for tests, the demo and benchmarks: deterministic from a seed, with
 * realistic Indonesian names, regions from provinces.def, valid NIKs (women's day + 40),
 * plausible dates and families sharing one KK number. Nothing here is real personal data;
 * see docs/synthetic-data.md.
 */
#ifndef ADM_SYNTH_H
#define ADM_SYNTH_H

#include <stdbool.h>
#include <stdint.h>

struct synth_citizen {
	char nik[17];
	char kk[17];
	char name[65];
	char birth_place[41];
	char birth_date[11]; /* YYYY-MM-DD */
	bool female;
	char region[7];	      /* PPKKCC, the NIK's first six digits */
	const char *province; /* name from provinces.def, static storage */
	char address[101];
	char card_serial[17]; /* 16 hex digits */
	uint8_t uid[7];	      /* 7-byte type A UID, or the 4-byte PUPI of a type B card */
	bool type_b;
};

/*
 * Fills out[0..n-1] with citizens drawn from seed. The same seed and n always give the same
 * people; families (a head, often a spouse and children) are generated together and share
 * a KK number and address. NIK serials are unique across the population (n <= 9999).
 * Returns false when n is out of range.
 */
bool synth_population(uint64_t seed, int n, struct synth_citizen *out);

#endif
