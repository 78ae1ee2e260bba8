/*
 * adm-central office add: creates (or replaces) an office account. The password comes
 * from a file, never argv (ps shows every process's argv to every user); only its
 * argon2id hash reaches the database.
 */
#include "office.h"

#include "content.h"
#include "log.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static int usage(void)
{
	fprintf(stderr,
		"usage: adm-central office add --db FILE --id ID --name NAME --region CODE\n"
		"                          --password-file FILE\n"
		"CODE: a province (32) or kabupaten/kota (32.01); the office sees the "
		"kiosks whose region (NIK digits, 3201) starts with it\n");
	return 2;
}

/* The first line of path: 10..256 bytes without control characters. */
static bool read_password(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		log_error("%s: cannot read", path);
		return false;
	}
	bool ok = fgets(out, (int)size, f) != NULL;
	fclose(f);
	out[ok ? strcspn(out, "\r\n") : 0] = '\0';
	return ok;
}

int office_cmd(int argc, char **argv, const char *db)
{
	const char *id = NULL, *name = NULL, *region = NULL, *pwfile = NULL;
	char pw[300];
	if (argc < 3 || strcmp(argv[2], "add") != 0)
		return usage();
	for (int i = 3; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			return usage();
		if (strcmp(a, "--db") == 0)
			;
		else if (strcmp(a, "--id") == 0)
			id = v;
		else if (strcmp(a, "--name") == 0)
			name = v;
		else if (strcmp(a, "--region") == 0)
			region = v;
		else if (strcmp(a, "--password-file") == 0)
			pwfile = v;
		else
			return usage();
	}
	if (!id || !region || !pwfile)
		return usage();
	char code[CONTENT_REGION_SIZE];
	if (!content_region_parse(region, code)) {
		log_error(
		    "--region %s: a province (32) or kabupaten/kota (32.01, or its NIK digits "
		    "3201) code",
		    region);
		return 2;
	}
	if (sodium_init() < 0 || !read_password(pwfile, pw, sizeof(pw)))
		return 1;
	office_store *os = office_store_open(db);
	int rc = os ? office_add(os, id, name ? name : id, code, pw) : OFFICE_E_DB;
	sodium_memzero(pw, sizeof(pw));
	office_store_close(os);
	if (rc == OFFICE_E_INPUT) {
		log_error("office add: the id is 1..64 of [A-Za-z0-9._-], the name 1..120 bytes, "
			  "the password 10..256 characters");
		return 2;
	}
	if (rc != OFFICE_OK) {
		log_error("office add: %s", office_strerror(rc));
		return 1;
	}
	printf("office %s (region %s) added\n", id, region);
	return 0;
}
