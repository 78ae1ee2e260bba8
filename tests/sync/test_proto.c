/*
 * Unit tests of the changes-feed parser (syncd/proto.c): a valid page of every record
 * kind, and the hostile or broken inputs the server could send, each of which must be
 * refused whole.
 */
#include "proto.h"

#include "../check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HASH "$argon2id$v=19$m=8,t=1,p=1$bi2srdRxKvhL8p9nWDpJEA$S5UH2sDqflwfrzPA39yzoQOl"
#define SHA  "a366dc6a484b3d5d4f7c9e633edc75ea2b6d13c4e16113215af95fe670abeeb8"
#define DOC(extra)                                                                                 \
	"{\"kind\":\"document\",\"op\":\"upsert\",\"id\":\"D1\",\"nik\":\"3171011403900001\","     \
	"\"kk\":\"3171030701120001\",\"doc_type\":\"KK\",\"title\":{\"id\":\"KARTU KELUARGA\","    \
	"\"en\":\"Family card\"},\"pages\":1,\"media\":\"a4\",\"created\":1766084644,"             \
	"\"expires\":1923764644,\"blob\":{\"sha256\":\"" SHA "\",\"size\":23645},"                 \
	"\"status\":\"ready\"" extra "}"

static bool parse(const char *s, struct proto_page *p)
{
	char err[200];
	bool ok = proto_parse_changes(s, strlen(s), true, 100, p, err, sizeof(err));
	if (!ok && getenv("VERBOSE"))
		fprintf(stderr, "  refused: %s\n", err);
	return ok;
}

static bool refused(const char *s)
{
	struct proto_page p;
	bool ok = parse(s, &p);
	proto_page_free(&p);
	return !ok;
}

int main(void)
{
	struct proto_page p;
	const char *good = "{\"changes\":[" DOC(
	    ",\"print_pin_hash\":\"" HASH
	    "\"") ","
		  "{\"kind\":\"holder\",\"op\":\"upsert\",\"nik\":\"3171015810650002\","
		  "\"kk\":\"3171030701120001\",\"name\":\"Ayu Harahap\",\"pin_hash\":\"" HASH "\"},"
		  "{\"kind\":\"application\",\"op\":\"upsert\",\"id\":\"A7\",\"nik\":"
		  "\"3171015810650002\","
		  "\"doc_type\":\"KTP_EL\",\"stage\":\"PROCESSING\",\"expected\":1767225600},"
		  "{\"kind\":\"document\",\"op\":\"delete\",\"id\":\"D9\"},"
		  "{\"kind\":\"holder\",\"op\":\"delete\",\"nik\":\"3171015810650002\"}],"
		  "\"next_cursor\":\"42\",\"more\":true}";
	CHECK(parse(good, &p));
	CHECK(p.n == 5 && p.more && strcmp(p.next_cursor, "42") == 0);
	if (p.n == 5) {
		CHECK(p.changes[0].kind == CACHE_CH_DOCUMENT && !p.changes[0].del);
		CHECK(strcmp(p.changes[0].u.d.doc.nik, "3171011403900001") == 0);
		CHECK(p.changes[0].u.d.doc.blob_size == 23645);
		CHECK(p.changes[0].u.d.print_pin_hash &&
		      strncmp(p.changes[0].u.d.print_pin_hash, "$argon2id$", 10) == 0);
		CHECK(p.changes[1].kind == CACHE_CH_HOLDER &&
		      strcmp(p.changes[1].u.h.h.name, "Ayu Harahap") == 0);
		CHECK(p.changes[2].kind == CACHE_CH_APPLICATION &&
		      p.changes[2].u.a.expected == 1767225600);
		CHECK(p.changes[3].del && strcmp(p.changes[3].key, "D9") == 0);
		CHECK(p.changes[4].del && p.changes[4].kind == CACHE_CH_HOLDER);
	}
	proto_page_free(&p);

	CHECK(parse("{\"changes\":[],\"next_cursor\":\"7\",\"more\":false}", &p) && p.n == 0);
	proto_page_free(&p);

	/* broken and hostile pages */
	CHECK(refused(""));
	CHECK(refused("garbage"));
	CHECK(refused("[]"));
	/* a blob hash is 64 lowercase hex digits, nothing else */
	{
		const char *good_doc =
		    "{\"changes\":[" DOC("") "],\"next_cursor\":\"1\",\"more\":false}";
		const char *bad_hash[] = {
			"A366DC6A484B3D5D4F7C9E633EDC75EA2B6D13C4E16113215AF95FE670ABEEB8",
			"a366dc6a484b3d5d4f7c9e633edc75ea2b6d13c4e16113215af95fe670abeeb",
			"g366dc6a484b3d5d4f7c9e633edc75ea2b6d13c4e16113215af95fe670abeeb8"
		};
		CHECK(!refused(good_doc));
		for (size_t i = 0; i < sizeof(bad_hash) / sizeof(bad_hash[0]); i++) {
			char doc[1024];
			snprintf(doc, sizeof(doc), "%s", good_doc);
			char *at = strstr(doc, SHA);
			if (at) {
				memmove(at + strlen(bad_hash[i]), at + strlen(SHA),
					strlen(at + strlen(SHA)) + 1);
				memcpy(at, bad_hash[i], strlen(bad_hash[i]));
			}
			CHECK(at && refused(doc), "%s", bad_hash[i]);
		}
	}
	CHECK(refused("{\"changes\":[],\"next_cursor\":\"7\",\"more\":true}")); /* loops */
	CHECK(refused("{\"changes\":[],\"next_cursor\":7,\"more\":false}"));
	CHECK(refused("{\"changes\":[],\"next_cursor\":\"7\",\"more\":\"no\"}"));
	CHECK(refused("{\"changes\":[],\"next_cursor\":\"a/../b\",\"more\":false}"));
	CHECK(
	    refused("{\"changes\":[],\"next_cursor\":\"7\",\"next_cursor\":\"8\",\"more\":false}"));
	CHECK(refused("{\"changes\":{},\"next_cursor\":\"7\",\"more\":false}"));
	CHECK(refused("{\"changes\":[" DOC("") "],\"next_cursor\":\"1\",\"more\":false")); /* cut */
	/* each field wrong in turn (replaced in a valid record, so only it is wrong) */
	const char *swaps[][2] = {
		{ "\"pages\":1", "\"pages\":0" },
		{ "\"pages\":1", "\"pages\":\"1\"" },
		{ "\"pages\":1", "\"pages\":1.5" },
		{ "\"media\":\"a4\"", "\"media\":\"a3\"" },
		{ "\"created\":1766084644", "\"created\":-1" },
		{ "\"expires\":1923764644", "\"expires\":1e300" },
		{ "\"expires\":1923764644", "\"expires\":99999999999999999" },
		{ "\"status\":\"ready\"", "\"status\":\"printed\"" },
		{ "\"status\":\"ready\"", "\"status\":\"ready\",\"print_pin_hash\":\"1234\"" },
		{ "\"status\":\"ready\"", "\"status\":\"ready\",\"print_pin_hash\":5" },
		{ "3171011403900001", "3171019903900001" }, /* no such day */
		{ "3171011403900001", "317101140390001" },  /* 15 digits */
		{ "3171011403900001", "0071011403900001" }, /* no such province */
		{ "\"kk\":\"3171030701120001\"", "\"kk\":\"31710307011200x1\"" },
		{ "\"size\":23645", "\"size\":0" },
		{ "\"size\":23645", "\"size\":99999999999" },
		{ "a366dc6a", "A366DC6A" },
		{ "a366dc6a", "a366dc6" },
		{ "\"id\":\"D1\"", "\"id\":\"D1/../x\"" },
		{ "\"id\":\"D1\"", "\"id\":\"\"" },
		{ "\"doc_type\":\"KK\"", "\"doc_type\":\"K K\"" },
		{ "\"en\":\"Family card\"", "\"en\":\"\"" },
		{ "\"en\":\"Family card\"", "\"en\":null" },
	};
	for (size_t i = 0; i < sizeof(swaps) / sizeof(swaps[0]); i++) {
		char doc[1500], buf[2048];
		snprintf(doc, sizeof(doc), "%s", DOC(""));
		char *at = strstr(doc, swaps[i][0]);
		CHECK(at != NULL);
		if (!at)
			continue;
		size_t from = strlen(swaps[i][0]), to = strlen(swaps[i][1]);
		memmove(at + to, at + from, strlen(at + from) + 1);
		memcpy(at, swaps[i][1], to);
		snprintf(buf, sizeof(buf),
			 "{\"changes\":[%s],\"next_cursor\":\"1\",\"more\":false}", doc);
		if (!refused(buf))
			fprintf(stderr, "accepted a bad field: %s\n", swaps[i][1]);
		CHECK(refused(buf));
	}
	/* and the unmodified record is fine, so the refusals above are the swaps' doing */
	CHECK(!refused("{\"changes\":[" DOC("") "],\"next_cursor\":\"1\",\"more\":false}"));
	CHECK(refused("{\"changes\":[{\"kind\":\"document\",\"op\":\"delete\",\"id\":\"a b\"}],"
		      "\"next_cursor\":\"1\",\"more\":false}"));
	CHECK(refused("{\"changes\":[{\"kind\":\"kiosk\",\"op\":\"upsert\"}],"
		      "\"next_cursor\":\"1\",\"more\":false}"));
	CHECK(refused("{\"changes\":[{\"kind\":\"holder\",\"op\":\"upsert\","
		      "\"nik\":\"3171015810650002\",\"kk\":\"3171030701120001\","
		      "\"name\":\"Ayu\\u0007\"}],\"next_cursor\":\"1\",\"more\":false}"));
	/* more changes than the page limit */
	{
		size_t cap = 200 * 60 + 100;
		char *big = malloc(cap);
		size_t off = (size_t)snprintf(big, cap, "{\"changes\":[");
		for (int i = 0; i < 101; i++)
			off += (size_t)snprintf(
			    big + off, cap - off,
			    "%s{\"kind\":\"document\",\"op\":\"delete\",\"id\":\"D%d\"}",
			    i ? "," : "", i);
		snprintf(big + off, cap - off, "],\"next_cursor\":\"1\",\"more\":false}");
		CHECK(refused(big));
		free(big);
	}
	/* a body over the byte limit is refused before parsing */
	{
		char err[100];
		CHECK(!proto_parse_changes("{}", PROTO_BODY_MAX + 1, true, 100, &p, err,
					   sizeof(err)));
		proto_page_free(&p);
	}
	/* citizen answers have no cursor */
	{
		char err[100];
		const char *cit = "{\"changes\":[" DOC("") "]}";
		CHECK(proto_parse_changes(cit, strlen(cit), false, 100, &p, err, sizeof(err)) &&
		      p.n == 1 && p.follow_until == 0);
		proto_page_free(&p);
		/* ... and may say until when the server follows the citizen for this kiosk */
		const char *fol = "{\"changes\":[" DOC("") "],\"follow_until\":1798000000}";
		CHECK(proto_parse_changes(fol, strlen(fol), false, 100, &p, err, sizeof(err)) &&
		      p.n == 1 && p.follow_until == 1798000000);
		proto_page_free(&p);
		const char *null = "{\"changes\":[],\"follow_until\":null}";
		CHECK(proto_parse_changes(null, strlen(null), false, 100, &p, err, sizeof(err)) &&
		      p.follow_until == 0);
		proto_page_free(&p);
		const char *bad[] = { "{\"changes\":[],\"follow_until\":\"1798000000\"}",
				      "{\"changes\":[],\"follow_until\":0}",
				      "{\"changes\":[],\"follow_until\":-5}",
				      "{\"changes\":[],\"follow_until\":1.5}",
				      "{\"changes\":[],\"follow_until\":99999999999999999}" };
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			CHECK(!proto_parse_changes(bad[i], strlen(bad[i]), false, 100, &p, err,
						   sizeof(err)) &&
				  strstr(err, "follow_until"),
			      "%s", bad[i]);
			proto_page_free(&p);
		}
	}
	return check_done();
}
