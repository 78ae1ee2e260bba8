/*
 * From what IPP says (printer-state, printer-state-reasons, the job's
 * job-printer-state-reasons and state message) to one fault, one message for the citizen
 * in Bahasa Indonesia and English, and one line for the technician. Pure: no CUPS calls,
 * so the table is unit tested and documented in docs/printing.md.
 */
#ifndef ADM_PRINTER_REASONS_H
#define ADM_PRINTER_REASONS_H

#include <stdbool.h>
#include <stddef.h>

enum printer_media {
	PRINTER_MEDIA_A4 = 0,
	PRINTER_MEDIA_CARD, /* ID-1 card blanks with a ribbon */
};

enum printer_severity {
	PRINTER_SEV_OK = 0,
	PRINTER_SEV_WARNING, /* prints, but someone should look (toner low) */
	PRINTER_SEV_ERROR,   /* cannot print until someone acts */
};

/* Ordered from least to most severe within each severity, so the worst one wins. */
enum printer_fault {
	PRINTER_FAULT_NONE = 0,
	/* warnings */
	PRINTER_FAULT_PAPER_LOW,
	PRINTER_FAULT_TONER_LOW,
	PRINTER_FAULT_WASTE_ALMOST_FULL,
	PRINTER_FAULT_SUPPLY_LOW, /* the kiosk's own counter is at its warning level */
	PRINTER_FAULT_OTHER_WARNING,
	/* errors */
	PRINTER_FAULT_OTHER,
	PRINTER_FAULT_SPOOL_FULL,
	PRINTER_FAULT_WASTE_FULL,
	PRINTER_FAULT_TRAY_MISSING,
	PRINTER_FAULT_TONER_OUT,
	PRINTER_FAULT_COVER_OPEN,
	PRINTER_FAULT_JAM,
	PRINTER_FAULT_PAPER_OUT,
	PRINTER_FAULT_SUPPLY_OUT, /* the kiosk's own counter reached zero */
	PRINTER_FAULT_FILTER,	  /* CUPS cannot convert the document: installation fault */
	PRINTER_FAULT_HELD,    /* CUPS holds the job (a backend failure, ErrorPolicy retry-job) */
	PRINTER_FAULT_STOPPED, /* queue stopped/paused or not accepting jobs */
	PRINTER_FAULT_OFFLINE, /* printer unreachable */
	PRINTER_FAULT_NO_QUEUE,
	PRINTER_FAULT_SERVER, /* CUPS itself unreachable */
	PRINTER_FAULT_COUNT
};

#define PRINTER_TECH_MAX    256
#define PRINTER_MARKERS_MAX 4

/* A supply the printer consumes (toner, ink, ribbon) and how much of it is left, as the
 * printer itself reports it (IPP printer-supply). */
struct printer_marker {
	char name[32];
	int percent; /* 0..100; -1: the printer does not say */
};

struct printer_status {
	enum printer_fault fault;
	enum printer_severity severity;
	int printer_state;	/* IPP: 3 idle, 4 processing, 5 stopped; 0 unknown */
	const char *citizen_id; /* static strings, never NULL */
	const char *citizen_en;
	char technician[PRINTER_TECH_MAX]; /* queue, raw reasons and message */
	int n_markers;			   /* from the printer's last direct answer */
	struct printer_marker markers[PRINTER_MARKERS_MAX];
};

/*
 * One value of IPP printer-supply (PWG 5100.13, an octet string such as
 * "index=2;class=supplyThatIsConsumed;type=toner;unit=percent;maxcapacity=100;level=75;
 * colorantname=black;") and its printer-supply-description (may be NULL). True, with *out
 * filled, for a supply the printer consumes; false for anything else (a waste tank, a
 * malformed value). Outside input: never reads past len, never trusts a number.
 */
bool printer_supply_parse(const char *value, size_t len, const char *description,
			  struct printer_marker *out);

/* What the worker read, in IPP terms. Strings may be NULL. */
struct printer_observation {
	const char *queue;
	enum printer_media media;
	int printer_state;
	bool accepting;
	const char *const *reasons; /* printer-state-reasons or job-printer-state-reasons */
	size_t n_reasons;
	const char *message; /* printer-state-message or job-printer-state-message */
};

/* Classifies one reason keyword (suffix -report/-warning/-error ignored for matching). */
enum printer_fault printer_reason_fault(const char *reason, enum printer_media media);
enum printer_severity printer_fault_severity(enum printer_fault f);
const char *printer_fault_name(enum printer_fault f);

/* Fills out with the worst fault found and its messages. */
void printer_status_from(const struct printer_observation *obs, struct printer_status *out);
/* Sets a fault the kiosk found by itself (no queue, server down, supply out). */
void printer_status_set(struct printer_status *out, enum printer_fault f, enum printer_media m,
			const char *technician_fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
