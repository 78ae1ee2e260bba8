#include "cache_fill.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

void fill_nik(long citizen, char out[17])
{
	unsigned long c = (unsigned long)citizen;
	snprintf(out, 17, "3171%02lu%02lu%02lu%02lu%04lu", 1 + (c / 9999) % 99, 1 + c % 28,
		 1 + c % 12, 80 + c % 20, c % 9999 + 1);
}

void fill_kk(long citizen, char out[17])
{
	snprintf(out, 17, "317101%010lu", ((unsigned long)citizen / 4) % 10000000000UL);
}

/* An argon2id string as libsodium writes it at crypto_pwhash's interactive limits, with
 * a random salt and tag: the apply stores it and never verifies it, so computing 1.5 M
 * real ones (tens of ms each) would only change how long the benchmark takes. */
static void fake_hash(char out[FILL_HASH_MAX])
{
	unsigned char salt[16], tag[32];
	char s64[32], t64[48];
	randombytes_buf(salt, sizeof(salt));
	randombytes_buf(tag, sizeof(tag));
	sodium_bin2base64(s64, sizeof(s64), salt, sizeof(salt),
			  sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	sodium_bin2base64(t64, sizeof(t64), tag, sizeof(tag),
			  sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	snprintf(out, FILL_HASH_MAX, "$argon2id$v=19$m=65536,t=2,p=1$%s$%s", s64, t64);
}

static const char *holder_hash(struct fill *f, long citizen, char *buf)
{
	const char *real = f->holder_hash ? f->holder_hash(citizen, f->user) : NULL;
	if (real)
		return real;
	fake_hash(buf);
	return buf;
}

int fill_page(struct fill *f)
{
	struct cache_change *ch = f->ch;
	int m = 0;
	while (m + 3 <= FILL_PAGE && f->next < f->n) {
		long c = f->next / 2;
		memset(&ch[m], 0, sizeof(ch[m]));
		ch[m].kind = CACHE_CH_HOLDER;
		fill_nik(c, ch[m].u.h.h.nik);
		fill_kk(c, ch[m].u.h.h.kk);
		snprintf(ch[m].u.h.h.name, sizeof(ch[m].u.h.h.name), "Citizen %ld Santoso", c);
		ch[m].u.h.pin_hash = holder_hash(f, c, f->hashes[m]);
		m++;
		for (int k = 0; k < 2 && f->next < f->n; k++, m++, f->next++) {
			struct cache_document *d = &ch[m].u.d.doc;
			memset(&ch[m], 0, sizeof(ch[m]));
			ch[m].kind = CACHE_CH_DOCUMENT;
			snprintf(d->id, sizeof(d->id), "D%09ld", f->next);
			fill_nik(c, d->nik);
			fill_kk(c, d->kk);
			snprintf(d->type, sizeof(d->type), "AKTA_LAHIR");
			snprintf(d->title_id, sizeof(d->title_id), "KUTIPAN AKTA KELAHIRAN");
			snprintf(d->title_en, sizeof(d->title_en), "Birth certificate");
			d->pages = 1;
			d->created = 1767225600 + f->next;
			d->expires = 1923764644;
			if (!f->blob_hash || !f->blob_hash(f->next, d->blob_sha256, f->user)) {
				unsigned char h[32];
				randombytes_buf(h, sizeof(h));
				sodium_bin2hex(d->blob_sha256, sizeof(d->blob_sha256), h,
					       sizeof(h));
			}
			d->blob_size = 20000;
			fake_hash(f->hashes[m]);
			ch[m].u.d.print_pin_hash = f->hashes[m];
		}
	}
	return m;
}
