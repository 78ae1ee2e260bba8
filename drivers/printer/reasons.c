/*
 * Reason keywords to faults and messages. IPP reasons carry a suffix (-report, -warning,
 * -error) that differs between printers, backends and CUPS versions (cupsd shows a jam from
 * ippeveprinter as "media-jam-warning"), so matching is on the keyword without the suffix.
 * The severity comes from the fault, not the suffix: a jam blocks printing whatever the
 * printer calls it. Unknown keywords only count when their suffix says -error or -warning.
 */
#include "reasons.h"

#include <errno.h>

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct reason_map {
	const char *keyword; /* without suffix; a trailing '*' matches as a prefix */
	enum printer_fault fault;
};

static const struct reason_map reason_table[] = {
	{ "media-empty", PRINTER_FAULT_PAPER_OUT },
	{ "media-needed", PRINTER_FAULT_PAPER_OUT },
	{ "media-low", PRINTER_FAULT_PAPER_LOW },
	{ "media-jam", PRINTER_FAULT_JAM },
	{ "media-path-jam*", PRINTER_FAULT_JAM },
	{ "cover-open", PRINTER_FAULT_COVER_OPEN },
	{ "door-open", PRINTER_FAULT_COVER_OPEN },
	{ "interlock-open", PRINTER_FAULT_COVER_OPEN },
	{ "toner-empty", PRINTER_FAULT_TONER_OUT },
	{ "marker-supply-empty", PRINTER_FAULT_TONER_OUT },
	{ "ribbon-empty", PRINTER_FAULT_TONER_OUT },
	{ "toner-low", PRINTER_FAULT_TONER_LOW },
	{ "marker-supply-low", PRINTER_FAULT_TONER_LOW },
	{ "marker-supply-almost-empty", PRINTER_FAULT_TONER_LOW },
	{ "ribbon-low", PRINTER_FAULT_TONER_LOW },
	{ "developer-low", PRINTER_FAULT_TONER_LOW },
	{ "marker-waste-full", PRINTER_FAULT_WASTE_FULL },
	{ "marker-waste-almost-full", PRINTER_FAULT_WASTE_ALMOST_FULL },
	{ "input-tray-missing", PRINTER_FAULT_TRAY_MISSING },
	{ "output-tray-missing", PRINTER_FAULT_TRAY_MISSING },
	{ "spool-area-full", PRINTER_FAULT_SPOOL_FULL },
	{ "offline", PRINTER_FAULT_OFFLINE },
	{ "connecting-to-device", PRINTER_FAULT_OFFLINE },
	{ "shutdown", PRINTER_FAULT_OFFLINE },
	{ "timed-out", PRINTER_FAULT_OFFLINE },
	{ "stopped", PRINTER_FAULT_STOPPED },
	{ "paused", PRINTER_FAULT_STOPPED },
	{ "moving-to-paused", PRINTER_FAULT_STOPPED },
	{ "cups-missing-filter", PRINTER_FAULT_FILTER },
	{ "cups-insecure-filter", PRINTER_FAULT_FILTER },
	{ "cups-filter-crashed", PRINTER_FAULT_FILTER },
	/* Normal chatter, never a fault. */
	{ "none", PRINTER_FAULT_NONE },
	{ "cups-waiting-for-job-completed", PRINTER_FAULT_NONE },
	{ "processing-to-stop-point", PRINTER_FAULT_NONE },
	{ "cups-ipp-missing-job-history", PRINTER_FAULT_NONE }, /* a job matter, see jobwatch */
	{ "cups-ipp-conformance-failure", PRINTER_FAULT_NONE },
	{ "cups-remote-*", PRINTER_FAULT_NONE },
	{ "com.apple.print.recoverable", PRINTER_FAULT_NONE },
};

static const char *const fault_names[PRINTER_FAULT_COUNT] = {
	[PRINTER_FAULT_NONE] = "none",
	[PRINTER_FAULT_PAPER_LOW] = "paper-low",
	[PRINTER_FAULT_TONER_LOW] = "toner-low",
	[PRINTER_FAULT_WASTE_ALMOST_FULL] = "waste-almost-full",
	[PRINTER_FAULT_SUPPLY_LOW] = "supply-low",
	[PRINTER_FAULT_OTHER_WARNING] = "other-warning",
	[PRINTER_FAULT_OTHER] = "other",
	[PRINTER_FAULT_SPOOL_FULL] = "spool-full",
	[PRINTER_FAULT_WASTE_FULL] = "waste-full",
	[PRINTER_FAULT_TRAY_MISSING] = "tray-missing",
	[PRINTER_FAULT_TONER_OUT] = "toner-out",
	[PRINTER_FAULT_COVER_OPEN] = "cover-open",
	[PRINTER_FAULT_JAM] = "jam",
	[PRINTER_FAULT_PAPER_OUT] = "paper-out",
	[PRINTER_FAULT_SUPPLY_OUT] = "supply-out",
	[PRINTER_FAULT_FILTER] = "filter",
	[PRINTER_FAULT_HELD] = "held",
	[PRINTER_FAULT_STOPPED] = "stopped",
	[PRINTER_FAULT_OFFLINE] = "offline",
	[PRINTER_FAULT_NO_QUEUE] = "no-queue",
	[PRINTER_FAULT_SERVER] = "server-down",
};

/* Citizen messages: [fault][medium][0 = Bahasa Indonesia, 1 = English]. */
struct citizen_msg {
	const char *id, *en;
};

static const char MSG_READY_ID[] = "Printer siap.";
static const char MSG_READY_EN[] = "The printer is ready.";
static const char MSG_UNAVAIL_ID[] =
    "Printer sedang tidak dapat digunakan. Dokumen Anda tetap tersimpan.";
static const char MSG_UNAVAIL_EN[] = "The printer cannot be used right now. Your document is kept.";

static struct citizen_msg citizen_message(enum printer_fault f, enum printer_media m)
{
	bool card = m == PRINTER_MEDIA_CARD;
	switch (f) {
	case PRINTER_FAULT_PAPER_OUT:
	case PRINTER_FAULT_SUPPLY_OUT:
		if (card)
			return (struct citizen_msg){
				"Kartu blanko atau pita habis. Dokumen Anda tetap tersimpan.",
				"The card printer is out of blank cards or ribbon. Your document "
				"is kept."
			};
		return (
		    struct citizen_msg){ "Kertas printer habis. Dokumen Anda tetap tersimpan.",
					 "The printer is out of paper. Your document is kept." };
	case PRINTER_FAULT_JAM:
		if (card)
			return (struct citizen_msg){
				"Kartu tersangkut di printer. Mohon hubungi petugas.",
				"A card is stuck in the printer. Please call staff."
			};
		return (struct citizen_msg){ "Kertas tersangkut di printer. Mohon hubungi petugas.",
					     "Paper is jammed in the printer. Please call staff." };
	case PRINTER_FAULT_COVER_OPEN:
		return (struct citizen_msg){ "Penutup printer terbuka. Mohon hubungi petugas.",
					     "The printer cover is open. Please call staff." };
	case PRINTER_FAULT_TONER_OUT:
		if (card)
			return (struct citizen_msg){
				"Pita printer kartu habis. Dokumen Anda tetap tersimpan.",
				"The card printer ribbon is used up. Your document is kept."
			};
		return (
		    struct citizen_msg){ "Tinta printer habis. Dokumen Anda tetap tersimpan.",
					 "The printer is out of toner. Your document is kept." };
	case PRINTER_FAULT_TRAY_MISSING:
		return (struct citizen_msg){ "Baki kertas tidak terpasang. Mohon hubungi petugas.",
					     "The paper tray is missing. Please call staff." };
	case PRINTER_FAULT_OFFLINE:
		return (
		    struct citizen_msg){ "Printer tidak merespons. Dokumen Anda tetap tersimpan.",
					 "The printer is not responding. Your document is kept." };
	case PRINTER_FAULT_WASTE_FULL:
	case PRINTER_FAULT_SPOOL_FULL:
	case PRINTER_FAULT_OTHER:
	case PRINTER_FAULT_FILTER:
	case PRINTER_FAULT_HELD:
	case PRINTER_FAULT_STOPPED:
	case PRINTER_FAULT_NO_QUEUE:
	case PRINTER_FAULT_SERVER:
		return (struct citizen_msg){ MSG_UNAVAIL_ID, MSG_UNAVAIL_EN };
	default:
		/* Warnings print normally: the citizen need not worry about them. */
		return (struct citizen_msg){ MSG_READY_ID, MSG_READY_EN };
	}
}

enum printer_severity printer_fault_severity(enum printer_fault f)
{
	if (f == PRINTER_FAULT_NONE)
		return PRINTER_SEV_OK;
	return f >= PRINTER_FAULT_OTHER ? PRINTER_SEV_ERROR : PRINTER_SEV_WARNING;
}

const char *printer_fault_name(enum printer_fault f)
{
	if ((int)f < 0 || f >= PRINTER_FAULT_COUNT || !fault_names[f])
		return "?";
	return fault_names[f];
}

static size_t suffix_len(const char *reason, size_t len, const char **suffix)
{
	static const char *const suffixes[] = { "-report", "-warning", "-error" };
	for (size_t i = 0; i < 3; i++) {
		size_t sl = strlen(suffixes[i]);
		if (len > sl && strcmp(reason + len - sl, suffixes[i]) == 0) {
			*suffix = suffixes[i];
			return sl;
		}
	}
	*suffix = NULL;
	return 0;
}

enum printer_fault printer_reason_fault(const char *reason, enum printer_media media)
{
	(void)media;
	if (!reason || !*reason)
		return PRINTER_FAULT_NONE;
	size_t len = strlen(reason);
	const char *suffix;
	size_t base = len - suffix_len(reason, len, &suffix);
	for (size_t i = 0; i < sizeof(reason_table) / sizeof(reason_table[0]); i++) {
		const char *k = reason_table[i].keyword;
		size_t kl = strlen(k);
		if (k[kl - 1] == '*') {
			if (base >= kl - 1 && strncasecmp(reason, k, kl - 1) == 0)
				return reason_table[i].fault;
		} else if (base == kl && strncasecmp(reason, k, kl) == 0) {
			return reason_table[i].fault;
		}
	}
	/* Unknown keyword: trust its suffix; a bare or -report one is not worth a fault. */
	if (suffix && strcmp(suffix, "-error") == 0)
		return PRINTER_FAULT_OTHER;
	if (suffix && strcmp(suffix, "-warning") == 0)
		return PRINTER_FAULT_OTHER_WARNING;
	return PRINTER_FAULT_NONE;
}

/* cupsd's ipp backend says this, with no reason keyword, while it cannot connect. */
static bool message_says_offline(const char *msg)
{
	return msg && (strstr(msg, "may not exist or is unavailable") ||
		       strstr(msg, "Unable to connect") || strstr(msg, "not responding"));
}

/* The printer's own words (its state message, its reasons) reach the journal, the health
 * JSON and the technician's screen: printable ASCII only, so that no control character or
 * escape sequence of a printer's choosing gets there. */
static void printable_ascii(char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			*s = '?';
}

static void fill_messages(struct printer_status *out, enum printer_fault f, enum printer_media m)
{
	struct citizen_msg cm = citizen_message(f, m);
	out->fault = f;
	out->severity = printer_fault_severity(f);
	out->citizen_id = cm.id;
	out->citizen_en = cm.en;
}

void printer_status_from(const struct printer_observation *obs, struct printer_status *out)
{
	enum printer_fault worst = PRINTER_FAULT_NONE;
	for (size_t i = 0; i < obs->n_reasons; i++) {
		enum printer_fault f = printer_reason_fault(obs->reasons[i], obs->media);
		if (f > worst)
			worst = f;
	}
	/* A stopped queue or one refusing jobs cannot print, whatever the reasons say. */
	if ((obs->printer_state == 5 || !obs->accepting) && worst < PRINTER_FAULT_OTHER)
		worst = PRINTER_FAULT_STOPPED;
	if (worst < PRINTER_FAULT_OTHER && message_says_offline(obs->message))
		worst = PRINTER_FAULT_OFFLINE;
	fill_messages(out, worst, obs->media);
	out->printer_state = obs->printer_state;

	static const char *const states[] = { "?", "?", "?", "idle", "processing", "stopped" };
	int st = obs->printer_state >= 0 && obs->printer_state <= 5 ? obs->printer_state : 0;
	size_t n = (size_t)snprintf(out->technician, sizeof(out->technician),
				    "%s: %s; state=%s%s; reasons=", obs->queue ? obs->queue : "?",
				    printer_fault_name(worst), states[st],
				    obs->accepting ? "" : " (not accepting)");
	for (size_t i = 0; i < obs->n_reasons && n < sizeof(out->technician); i++)
		n += (size_t)snprintf(out->technician + n, sizeof(out->technician) - n, "%s%s",
				      i ? "," : "", obs->reasons[i] ? obs->reasons[i] : "");
	if (obs->message && *obs->message && n < sizeof(out->technician))
		snprintf(out->technician + n, sizeof(out->technician) - n, "; message=\"%s\"",
			 obs->message);
	/* what the printer said follows the queue (the kiosk's own name for it); a queue name
	 * too long to leave room after it is filtered as a whole, itself */
	size_t ql = strlen(obs->queue ? obs->queue : "?");
	printable_ascii(out->technician + (ql < strlen(out->technician) ? ql : 0));
}

void printer_status_set(struct printer_status *out, enum printer_fault f, enum printer_media m,
			const char *technician_fmt, ...)
{
	fill_messages(out, f, m);
	out->printer_state = 0;
	va_list ap;
	va_start(ap, technician_fmt);
	vsnprintf(out->technician, sizeof(out->technician), technician_fmt, ap);
	va_end(ap);
	printable_ascii(out->technician);
}

/* The value of key in a "k=v;k=v;" list (not NUL-terminated), copied into out. */
static bool supply_field(const char *v, size_t len, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);
	for (size_t i = 0; i < len;) {
		size_t end = i;
		while (end < len && v[end] != ';')
			end++;
		if (end - i > klen && memcmp(v + i, key, klen) == 0 && v[i + klen] == '=') {
			size_t n = end - i - klen - 1;
			if (n >= size)
				return false;
			memcpy(out, v + i + klen + 1, n);
			out[n] = '\0';
			return true;
		}
		i = end + 1;
	}
	return false;
}

/* A decimal in [-1000000, 1000000], nothing else. */
static bool supply_int(const char *s, int *out)
{
	char *end;
	errno = 0;
	long n = strtol(s, &end, 10);
	if (!*s || *end || errno || n < -1000000 || n > 1000000)
		return false;
	*out = (int)n;
	return true;
}

bool printer_supply_parse(const char *value, size_t len, const char *description,
			  struct printer_marker *out)
{
	char cls[48], type[48], unit[24], max_s[16], level_s[16], colour[32];
	int max = 0, level = -1;

	if (!value || !supply_field(value, len, "class", cls, sizeof(cls)) ||
	    strcmp(cls, "supplyThatIsConsumed") != 0 ||
	    !supply_field(value, len, "type", type, sizeof(type)))
		return false;
	if (supply_field(value, len, "level", level_s, sizeof(level_s)) &&
	    !supply_int(level_s, &level))
		return false;
	if (supply_field(value, len, "maxcapacity", max_s, sizeof(max_s)) &&
	    !supply_int(max_s, &max))
		return false;
	if (!supply_field(value, len, "unit", unit, sizeof(unit)))
		unit[0] = '\0';
	/* negative levels are PWG's "other", "unknown", "some remaining" */
	if (level < 0)
		out->percent = -1;
	else if (strcmp(unit, "percent") == 0 && (max <= 0 || max == 100))
		out->percent = level > 100 ? 100 : level;
	else if (max > 0)
		out->percent = level >= max ? 100 : (int)((long)level * 100 / max);
	else
		out->percent = -1;
	if (description && *description) {
		snprintf(out->name, sizeof(out->name), "%.31s", description);
	} else if (supply_field(value, len, "colorantname", colour, sizeof(colour)) &&
		   strcmp(colour, "unknown") != 0) {
		snprintf(out->name, sizeof(out->name), "%.15s %.15s", type, colour);
	} else {
		snprintf(out->name, sizeof(out->name), "%.31s", type);
	}
	printable_ascii(out->name); /* names reach logs, JSON and the screen too */
	return true;
}
