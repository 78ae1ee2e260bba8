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

#define HASH "$argon2id$v=19$m=65536,t=2,p=1$bi2srdRxKvhL8p9nWDpJEA$S5UH2sDqflwfrzPA39yzoQOl"
#define SHA  "a366dc6a484b3d5d4f7c9e633edc75ea2b6d13c4e16113215af95fe670abeeb8"
/* one character longer than an id may be (CACHE_ID_MAX 64) */
#define LONG_ID "e1234567890123456789012345678901234567890123456789012345678901234"
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

/* A page of one document whose English title is title (JSON text). */
static bool title_refused(const char *title)
{
	char page[2048], doc[1500];
	snprintf(doc, sizeof(doc), "%s", DOC(""));
	char *at = strstr(doc, "Family card");
	if (!at)
		return false;
	snprintf(page, sizeof(page),
		 "{\"changes\":[%.*s%s%s],\"next_cursor\":\"1\",\"more\":false}", (int)(at - doc),
		 doc, title, at + strlen("Family card"));
	return refused(page);
}

/* Issue 11, item 13: text that reorders itself on screen, or C1 controls, in a title or a
 * name; PIN hashes whose argon2 costs are out of bounds. */
static void hostile_text_and_costs(void)
{
	/* bidi overrides U+202A..U+202E and isolates U+2066..U+2069, as JSON escapes and as
	 * raw UTF-8, and C1 controls U+0080..U+009F */
	const char *bad[] = { "Family \\u202Edrac",
			      "\\u202A x",
			      "\\u202B x",
			      "\\u202C x",
			      "\\u202D x",
			      "x \\u2066 y",
			      "x \\u2067",
			      "x \\u2068",
			      "x \\u2069",
			      "Family \xe2\x80\xae card",
			      "x \xe2\x81\xa6 y",
			      "a\\u0080b",
			      "a\\u009Fb",
			      ("a\xc2\x85"
			       "b"),
			      "a\\u0085b" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(title_refused(bad[i]), "title %s refused", bad[i]);
	/* their neighbours are ordinary text: U+2026 (E2 80 A6), U+2014, U+2029 is not
	 * listed but U+202F (narrow no-break space) is fine, U+2065, U+206A; U+00A0, é */
	const char *fine[] = { "Kartu\xe2\x80\xa6",
			       "a \\u2014 b",
			       "a\\u202Fb",
			       "a\\u2065b",
			       "a\\u206Ab",
			       "a\\u00A0b",
			       "Akta kelahiran \xc3\xa9",
			       "\\u0627\\u0644" };
	for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++)
		CHECK(!title_refused(fine[i]), "title %s accepted", fine[i]);
	CHECK(refused("{\"changes\":[{\"kind\":\"holder\",\"op\":\"upsert\","
		      "\"nik\":\"3171015810650002\",\"kk\":\"3171030701120001\","
		      "\"name\":\"Ayu \\u202EuyaH\"}],\"next_cursor\":\"1\",\"more\":false}"),
	      "a name with a bidi override is refused");

	struct proto_limits def;
	proto_limits_default(&def);
	const char *tail = "$bi2srdRxKvhL8p9nWDpJEA$S5UH2sDqflwfrzPA39yzoQOl";
	struct {
		const char *head;
		bool ok;
	} costs[] = {
		{ "$argon2id$v=19$m=65536,t=2,p=1", true },   /* what adm-central hashes with */
		{ "$argon2id$v=19$m=262144,t=3,p=1", true },  /* libsodium's moderate */
		{ "$argon2id$v=19$m=1048576,t=4,p=1", true }, /* and sensitive */
		{ "$argon2id$v=19$m=16384,t=1,p=4", true },
		{ "$argon2id$v=19$m=8,t=1,p=1", false }, /* --cheap-pins: moments to break */
		{ "$argon2id$v=19$m=16383,t=2,p=1", false },
		{ "$argon2id$v=19$m=65536,t=4294967295,p=1", false }, /* never ends */
		{ "$argon2id$v=19$m=65536,t=11,p=1", false },
		{ "$argon2id$v=19$m=65536,t=4294967296,p=1", false }, /* past 32 bits */
		{ "$argon2id$v=19$m=65536,t=99999999999,p=1", false },
		{ "$argon2id$v=19$m=2097152,t=2,p=1", false },
		{ "$argon2id$v=19$m=65536,t=2,p=0", false },
		{ "$argon2id$v=19$m=65536,t=2,p=9", false },
		{ "$argon2id$v=19$m=065536,t=2,p=1", false },
		{ "$argon2id$v=19$m=65536,t=0,p=1", false },
		{ "$argon2id$v=19$t=2,m=65536,p=1", false },
		{ "$argon2id$v=16$m=65536,t=2,p=1", false },
		{ "$argon2id$m=65536,t=2,p=1", false },
		{ "$argon2i$v=19$m=65536,t=2,p=1", false },
		{ "$argon2id$v=19$m=65536,t=2,p=1,x=1", false },
		{ "$argon2id$v=19$m=,t=2,p=1", false },
		{ "$argon2id$v=19$m=-1,t=2,p=1", false },
	};
	for (size_t i = 0; i < sizeof(costs) / sizeof(costs[0]); i++) {
		char h[200];
		snprintf(h, sizeof(h), "%s%s", costs[i].head, tail);
		CHECK(proto_pin_hash_ok(h, &def) == costs[i].ok, "%s: %s", costs[i].head,
		      costs[i].ok ? "accepted" : "refused");
	}
	CHECK(!proto_pin_hash_ok("$argon2id$v=19$m=65536,t=2,p=1$bi2s$", &def), "no hash part");
	CHECK(!proto_pin_hash_ok("$argon2id$v=19$m=65536,t=2,p=1$bi2s$abc$", &def), "extra $");
	CHECK(!proto_pin_hash_ok("$argon2id$v=19$m=65536,t=2,p=1$bi 2s$abc", &def), "a space");

	/* in a page: the holder's and the document's hashes are both checked, with the
	 * configured bounds */
	const char *cheap =
	    "{\"changes\":[{\"kind\":\"holder\",\"op\":\"upsert\","
	    "\"nik\":\"3171015810650002\",\"kk\":\"3171030701120001\","
	    "\"name\":\"Ayu\",\"pin_hash\":\"$argon2id$v=19$m=8,t=1,p=1$bi2srdRxKvhL8p9"
	    "nWDpJEA$S5UH2sDqflwfrzPA39yzoQOl\"}],\"next_cursor\":\"1\",\"more\":false}";
	const char *endless =
	    "{\"changes\":[" DOC(",\"print_pin_hash\":\"$argon2id$v=19$m=65536,"
				 "t=4294967295,p=1$bi2srdRxKvhL8p9nWDpJEA$S5UH2sD"
				 "qflwfrzPA39yzoQOl\"") "],\"next_cursor\":\"1\",\"more\":false}";
	CHECK(refused(cheap), "m=8 KiB t=1 refused by the default bounds");
	CHECK(refused(endless), "t=2^32-1 refused by the default bounds");
	struct proto_limits tests = def;
	struct proto_page p;
	char err[200];
	CHECK(proto_pin_cost_parse("m=8,t=1", &tests.pin_mem_min_kib, &tests.pin_ops_min,
				   &tests.pin_lanes_max) &&
	      tests.pin_mem_min_kib == 8 && tests.pin_ops_min == 1 && tests.pin_lanes_max == 8);
	CHECK(proto_parse_changes_limited(cheap, strlen(cheap), true, 100, &tests, &p, err,
					  sizeof(err)),
	      "cheap hashes accepted where configured (%s)", err);
	proto_page_free(&p);
	CHECK(!proto_parse_changes_limited(endless, strlen(endless), true, 100, &tests, &p, err,
					   sizeof(err)) &&
	      strstr(err, "argon2"));
	proto_page_free(&p);
	uint32_t m = 0, t = 0, l = 0;
	CHECK(proto_pin_cost_parse("t=3", &m, &t, &l) && t == 3 && m == 0 && l == 0);
	CHECK(proto_pin_cost_parse("m=1048576,t=4,p=2", &m, &t, &l) && m == 1048576 && t == 4 &&
	      l == 2);
	const char *bad_spec[] = { "",	      "m=8,", "t=1,m=8",	 "m=0",
				   "m=8;t=1", "x=1",  "m=8,t=1,p=1,q=2", "m=99999999999" };
	for (size_t i = 0; i < sizeof(bad_spec) / sizeof(bad_spec[0]); i++)
		CHECK(!proto_pin_cost_parse(bad_spec[i], &m, &t, &l), "spec '%s' refused",
		      bad_spec[i]);
}

/* The events answer's "refused" list: read with its index, id (or none) and code; a
 * malformed one rejects the whole answer before anything is acknowledged. */
static int n_acc, n_ref;
static char ref_seen[128];

static void on_acc(const char *id, void *user)
{
	(void)id;
	(void)user;
	n_acc++;
}

static void on_ref(long index, const char *id, const char *code, void *user)
{
	(void)user;
	n_ref++;
	size_t l = strlen(ref_seen);
	snprintf(ref_seen + l, sizeof(ref_seen) - l, "%ld:%s:%s;", index, id ? id : "-", code);
}

static void events_answer(void)
{
	char err[100];
	const char *ok = "{\"accepted\":[\"e1\"],\"refused\":[{\"index\":1,\"id\":\"e2\","
			 "\"code\":\"not_in_feed\",\"message\":\"x\"},{\"index\":2,"
			 "\"code\":\"invalid\"}]}";
	CHECK(proto_parse_events_answer(ok, strlen(ok), on_acc, on_ref, NULL, err, sizeof(err)));
	CHECK(n_acc == 1 && n_ref == 2 && strcmp(ref_seen, "1:e2:not_in_feed;2:-:invalid;") == 0,
	      "%d %d %s", n_acc, n_ref, ref_seen);
	const char *old = "{\"accepted\":[\"e1\"]}"; /* a server without the list */
	n_acc = n_ref = 0;
	CHECK(proto_parse_events_answer(old, strlen(old), on_acc, on_ref, NULL, err, sizeof(err)) &&
	      n_acc == 1 && n_ref == 0);
	static const char *const bad[] = {
		"{\"accepted\":[\"e1\"],\"refused\":{}}",
		"{\"accepted\":[\"e1\"],\"refused\":[{\"index\":-1,\"code\":\"invalid\"}]}",
		"{\"accepted\":[\"e1\"],\"refused\":[{\"index\":0,\"code\":\"bad code!\"}]}",
		"{\"accepted\":[\"e1\"],\"refused\":[{\"index\":0}]}",
		"{\"accepted\":[\"e1\"],\"refused\":[{\"index\":0,\"id\":\"a b\",\"code\":\"x\"}]}",
		"{\"accepted\":[\"e1\"],\"refused\":[{\"index\":0,\"code\":\"x\",\"message\":1}]}",
		"{\"accepted\":[\"e1\"],\"refused\":[7]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n_acc = n_ref = 0;
		CHECK(!proto_parse_events_answer(bad[i], strlen(bad[i]), on_acc, on_ref, NULL, err,
						 sizeof(err)) &&
			  n_acc == 0 && n_ref == 0 && strstr(err, "refused"),
		      "%s", bad[i]);
	}
}

/* A bad entry anywhere in the accepted list refuses the whole answer, ids before it
 * included: an answer the kiosk half-understands acknowledges nothing (those events are
 * sent again; the server keeps event ids idempotent). Before the events answer was
 * checked whole, the ids ahead of the bad entry were handed on (and acknowledged). */
static void accepted_all_or_nothing(void)
{
	static const char *const bad[] = {
		"{\"accepted\":[\"e1\",\"e2\",7]}",
		"{\"accepted\":[\"e1\",\"not an id\"]}",
		"{\"accepted\":[\"e1\",null]}",
		"{\"accepted\":[\"e1\",\"\"]}",
		"{\"accepted\":[\"e1\",\"e2\",\"" LONG_ID "\"]}",
	};
	char err[100];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n_acc = 0;
		CHECK(!proto_parse_accepted(bad[i], strlen(bad[i]), on_acc, NULL, err, sizeof(err)),
		      "refused: %s", bad[i]);
		CHECK(n_acc == 0, "%d ids handed on from %s", n_acc, bad[i]);
		n_acc = n_ref = 0;
		CHECK(!proto_parse_events_answer(bad[i], strlen(bad[i]), on_acc, on_ref, NULL, err,
						 sizeof(err)) &&
			  n_acc == 0 && n_ref == 0,
		      "events answer %s: %d ids handed on", bad[i], n_acc);
	}
	const char *good = "{\"accepted\":[\"e1\",\"e2\",\"e3\"]}";
	n_acc = 0;
	CHECK(proto_parse_accepted(good, strlen(good), on_acc, NULL, err, sizeof(err)) &&
		  n_acc == 3,
	      "a good list hands on each id (%d)", n_acc);
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

	/* a holder locked at the registry: its lock's end; anything but a time is refused */
#define LOCKED(v)                                                                                  \
	"{\"changes\":[{\"kind\":\"holder\",\"op\":\"upsert\",\"nik\":\"3171015810650002\","       \
	"\"kk\":\"3171030701120001\",\"name\":\"Ayu\",\"locked_until\":" v "}],"                   \
	"\"next_cursor\":\"8\",\"more\":false}"
	CHECK(parse(LOCKED("1795822836"), &p) && p.n == 1 &&
	      p.changes[0].u.h.h.locked_until == 1795822836);
	proto_page_free(&p);
	CHECK(refused(LOCKED("-1")) && refused(LOCKED("\"soon\"")) &&
	      refused(LOCKED("1099511627777")) && refused(LOCKED("1.5")));
#undef LOCKED

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
	hostile_text_and_costs();
	events_answer();
	accepted_all_or_nothing();
	return check_done();
}
