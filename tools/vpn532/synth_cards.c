/*
 * adm-synth: writes a card file of synthetic citizens for adm-vpn532 (format in
 * docs/synthetic-data.md). Deterministic: the same --seed and --count give the same file.
 *   adm-synth [--seed N] [--count N] [--out FILE]
 */
#include "synth.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'n' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t seed = 1;
	int count = 50, c;
	const char *out = NULL;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			count = atoi(optarg);
			break;
		case 'o':
			out = optarg;
			break;
		default:
			fprintf(stderr, "usage: adm-synth [--seed N] [--count N] [--out FILE]\n");
			return 2;
		}
	}
	struct synth_citizen *people = calloc((size_t)(count > 0 ? count : 1), sizeof(*people));
	if (!people || !synth_population(seed, count, people)) {
		fprintf(stderr, "adm-synth: --count must be 1..9999\n");
		free(people);
		return 2;
	}
	FILE *f = out ? fopen(out, "w") : stdout;
	if (!f) {
		perror(out);
		free(people);
		return 1;
	}
	fprintf(f,
		"# adm-vpn532 card file: SYNTHETIC citizens (adm-synth --seed %llu --count %d)\n",
		(unsigned long long)seed, count);
	fprintf(f, "# type\tuid\tnik\tkk\tname\tsex\tbirth_place\tbirth_date\tregion\taddress"
		   "\tserial\n");
	for (int i = 0; i < count; i++) {
		const struct synth_citizen *p = &people[i];
		char uid[15];
		int ulen = p->type_b ? 4 : 7;
		for (int k = 0; k < ulen; k++)
			snprintf(uid + 2 * k, 3, "%02X", p->uid[k]);
		fprintf(f, "%s\t%s\t%s\t%s\t%s\t%c\t%s\t%s\t%s\t%s\t%s\n", p->type_b ? "B" : "A",
			uid, p->nik, p->kk, p->name, p->female ? 'P' : 'L', p->birth_place,
			p->birth_date, p->region, p->address, p->card_serial);
	}
	int rc = 0;
	if (out && fclose(f) != 0) {
		perror(out);
		rc = 1;
	}
	free(people);
	return rc;
}
