/*
 * The printer driver's pure rules, without CUPS: reason keywords to faults and messages
 * (suffixes ignored, worst wins, stopped queues, backend messages), the job-following
 * verdicts (printed only when completed with history, stall then cancel, own cancels), and
 * the consumable counters (warn once per crossing, out at zero, refill to capacity).
 */
#include "../check.h"

#include <stdio.h>
#include <string.h>

#include "consumables.h"
#include "jobwatch.h"
#include "reasons.h"

static enum printer_fault map(const char *reason)
{
	return printer_reason_fault(reason, PRINTER_MEDIA_A4);
}

static void test_reason_keywords(void)
{
	CHECK(map("media-empty") == PRINTER_FAULT_PAPER_OUT);
	CHECK(map("media-empty-report") == PRINTER_FAULT_PAPER_OUT);
	CHECK(map("media-needed-warning") == PRINTER_FAULT_PAPER_OUT);
	CHECK(map("media-jam-warning") == PRINTER_FAULT_JAM);
	CHECK(map("media-jam-error") == PRINTER_FAULT_JAM);
	CHECK(map("media-path-jam-input-error") == PRINTER_FAULT_JAM);
	CHECK(map("cover-open-report") == PRINTER_FAULT_COVER_OPEN);
	CHECK(map("door-open-error") == PRINTER_FAULT_COVER_OPEN);
	CHECK(map("toner-low-report") == PRINTER_FAULT_TONER_LOW);
	CHECK(map("marker-supply-low-warning") == PRINTER_FAULT_TONER_LOW);
	CHECK(map("toner-empty-error") == PRINTER_FAULT_TONER_OUT);
	CHECK(map("marker-supply-empty") == PRINTER_FAULT_TONER_OUT);
	CHECK(map("ribbon-empty") == PRINTER_FAULT_TONER_OUT);
	CHECK(map("offline-report") == PRINTER_FAULT_OFFLINE);
	CHECK(map("connecting-to-device") == PRINTER_FAULT_OFFLINE);
	CHECK(map("paused") == PRINTER_FAULT_STOPPED);
	CHECK(map("cups-missing-filter-warning") == PRINTER_FAULT_FILTER);
	CHECK(map("input-tray-missing") == PRINTER_FAULT_TRAY_MISSING);
	CHECK(map("marker-waste-almost-full-warning") == PRINTER_FAULT_WASTE_ALMOST_FULL);
	CHECK(map("marker-waste-full") == PRINTER_FAULT_WASTE_FULL);
	/* Chatter is never a fault; unknown keywords count only by their suffix. */
	CHECK(map("none") == PRINTER_FAULT_NONE);
	CHECK(map("cups-waiting-for-job-completed") == PRINTER_FAULT_NONE);
	CHECK(map("cups-ipp-conformance-failure-report") == PRINTER_FAULT_NONE);
	CHECK(map("cups-remote-pending") == PRINTER_FAULT_NONE);
	CHECK(map("vendor-thing") == PRINTER_FAULT_NONE);
	CHECK(map("vendor-thing-report") == PRINTER_FAULT_NONE);
	CHECK(map("vendor-thing-warning") == PRINTER_FAULT_OTHER_WARNING);
	CHECK(map("vendor-thing-error") == PRINTER_FAULT_OTHER);
	CHECK(map("") == PRINTER_FAULT_NONE && map(NULL) == PRINTER_FAULT_NONE);
	/* A prefix must match whole: "media-jammed" is not media-jam. */
	CHECK(map("media-jammed-error") == PRINTER_FAULT_OTHER);
	CHECK(printer_fault_severity(PRINTER_FAULT_TONER_LOW) == PRINTER_SEV_WARNING);
	CHECK(printer_fault_severity(PRINTER_FAULT_JAM) == PRINTER_SEV_ERROR);
	CHECK(printer_fault_severity(PRINTER_FAULT_NONE) == PRINTER_SEV_OK);
}

static void status(const char *const *reasons, size_t n, int state, bool accepting, const char *msg,
		   enum printer_media m, struct printer_status *st)
{
	struct printer_observation o = { .queue = "Q",
					 .media = m,
					 .printer_state = state,
					 .accepting = accepting,
					 .reasons = reasons,
					 .n_reasons = n,
					 .message = msg };
	printer_status_from(&o, st);
}

static void test_status(void)
{
	struct printer_status st;
	const char *r1[] = { "toner-low-report", "media-jam-warning", "cover-open" };
	status(r1, 3, 4, true, NULL, PRINTER_MEDIA_A4, &st);
	CHECK(st.fault == PRINTER_FAULT_JAM && st.severity == PRINTER_SEV_ERROR);
	CHECK(strstr(st.citizen_id, "tersangkut") && strstr(st.citizen_en, "jammed"));
	CHECK(strstr(st.technician, "media-jam-warning") && strstr(st.technician, "Q:"));

	const char *r2[] = { "toner-low-report" };
	status(r2, 1, 3, true, "Idle.", PRINTER_MEDIA_A4, &st);
	CHECK(st.fault == PRINTER_FAULT_TONER_LOW && st.severity == PRINTER_SEV_WARNING);
	CHECK(strcmp(st.citizen_en, "The printer is ready.") == 0);

	const char *r3[] = { "none" };
	status(r3, 1, 5, true, NULL, PRINTER_MEDIA_A4, &st);
	CHECK(st.fault == PRINTER_FAULT_STOPPED);
	status(r3, 1, 3, false, NULL, PRINTER_MEDIA_A4, &st);
	CHECK(st.fault == PRINTER_FAULT_STOPPED);
	status(r3, 1, 4, true, "The printer may not exist or is unavailable at this time.",
	       PRINTER_MEDIA_A4, &st);
	CHECK(st.fault == PRINTER_FAULT_OFFLINE);
	status(r3, 1, 3, true, "Idle.", PRINTER_MEDIA_A4, &st);
	CHECK(st.fault == PRINTER_FAULT_NONE && st.severity == PRINTER_SEV_OK);

	/* The same fault reads differently on the card printer. */
	const char *r4[] = { "media-empty-error" };
	status(r4, 1, 4, true, NULL, PRINTER_MEDIA_CARD, &st);
	CHECK(st.fault == PRINTER_FAULT_PAPER_OUT && strstr(st.citizen_id, "Kartu blanko"));
	status(r4, 1, 4, true, NULL, PRINTER_MEDIA_A4, &st);
	CHECK(strstr(st.citizen_id, "Kertas"));

	/* A technician line never overflows, however many reasons. */
	const char *many[32];
	for (int i = 0; i < 32; i++)
		many[i] = "marker-waste-almost-full-warning";
	status(many, 32, 4, true, "a long message", PRINTER_MEDIA_A4, &st);
	CHECK(strlen(st.technician) < PRINTER_TECH_MAX);

	/* A printer's message reaches the technician line as printable ASCII only: no escape
	 * sequence or line break of its choosing in the journal or on the screen. */
	const char *r5[] = { "media-jam-error", "x\x1b[2J" };
	status(r5, 2, 4, true, "Jam\r\n\x1b[31mfake line\xc3\xa9", PRINTER_MEDIA_A4, &st);
	bool clean = true;
	for (const char *c = st.technician; *c; c++)
		clean = clean && *c >= 0x20 && *c <= 0x7e;
	CHECK(clean && strstr(st.technician, "Jam??"));
	printer_status_set(&st, PRINTER_FAULT_OTHER, PRINTER_MEDIA_A4, "%s", "a\tb");
	CHECK(strcmp(st.technician, "a?b") == 0);

	printer_status_set(&st, PRINTER_FAULT_NO_QUEUE, PRINTER_MEDIA_A4, "%s: missing", "X");
	CHECK(st.severity == PRINTER_SEV_ERROR && strcmp(st.technician, "X: missing") == 0);
	for (int f = 0; f < PRINTER_FAULT_COUNT; f++) {
		status(r3, 1, 3, true, NULL, PRINTER_MEDIA_A4, &st);
		printer_status_set(&st, (enum printer_fault)f, PRINTER_MEDIA_CARD, "t");
		CHECK(st.citizen_id && st.citizen_en && *st.citizen_id && *st.citizen_en);
		CHECK(strcmp(printer_fault_name((enum printer_fault)f), "?") != 0);
		/* A fault that stops printing never tells the citizen all is well. */
		CHECK(st.severity != PRINTER_SEV_ERROR ||
		      strcmp(st.citizen_en, "The printer is ready.") != 0);
	}
	printer_status_set(&st, PRINTER_FAULT_HELD, PRINTER_MEDIA_A4, "t");
	CHECK(st.severity == PRINTER_SEV_ERROR &&
	      strcmp(printer_fault_name(st.fault), "held") == 0);
}

static struct job_observation job(int state, bool lost, uint64_t sig)
{
	return (struct job_observation){
		.found = true, .state = state, .history_lost = lost, .signature = sig
	};
}

static void test_jobwatch(void)
{
	struct jobwatch w;
	enum printer_outcome oc = 0;
	struct job_observation o;

	jobwatch_start(&w, 1000, 0);
	o = job(IPP_JOB_PROCESSING_, false, 1);
	CHECK(jobwatch_step(&w, &o, 100, &oc) == JOBWATCH_CHANGED);
	CHECK(jobwatch_step(&w, &o, 600, &oc) == JOBWATCH_WAIT);
	o.signature = 2; /* a jam appears: news, the stall clock restarts */
	CHECK(jobwatch_step(&w, &o, 900, &oc) == JOBWATCH_CHANGED);
	CHECK(jobwatch_step(&w, &o, 1800, &oc) == JOBWATCH_WAIT);
	CHECK(jobwatch_step(&w, &o, 1900, &oc) == JOBWATCH_CANCEL);
	jobwatch_canceled(&w, true, 1900);
	CHECK(w.stalled);
	/* No second cancel while waiting for CUPS to confirm. */
	CHECK(jobwatch_step(&w, &o, 2500, &oc) == JOBWATCH_WAIT);
	o.state = IPP_JOB_CANCELED_;
	CHECK(jobwatch_step(&w, &o, 2600, &oc) == JOBWATCH_DONE && oc == PRINTER_OUTCOME_CANCELED);

	/* A cancel CUPS never confirms still ends, one stall period later. */
	jobwatch_start(&w, 1000, 0);
	o = job(IPP_JOB_PROCESSING_, false, 1);
	jobwatch_step(&w, &o, 0, &oc);
	CHECK(jobwatch_no_answer(&w, 1000, &oc) == JOBWATCH_CANCEL);
	jobwatch_canceled(&w, true, 1000);
	CHECK(jobwatch_no_answer(&w, 1500, &oc) == JOBWATCH_WAIT);
	CHECK(jobwatch_no_answer(&w, 2000, &oc) == JOBWATCH_DONE && oc == PRINTER_OUTCOME_CANCELED);

	/* The printer had the job: the kiosk's cancel, confirmed or not, proves nothing. */
	jobwatch_start(&w, 1000, 0);
	o = job(IPP_JOB_PROCESSING_, false, 1);
	jobwatch_step(&w, &o, 0, &oc);
	jobwatch_reached(&w);
	CHECK(jobwatch_step(&w, &o, 1000, &oc) == JOBWATCH_CANCEL);
	jobwatch_canceled(&w, true, 1000);
	o.state = IPP_JOB_CANCELED_;
	CHECK(jobwatch_step(&w, &o, 1100, &oc) == JOBWATCH_DONE && oc == PRINTER_OUTCOME_UNCERTAIN);
	jobwatch_start(&w, 1000, 0);
	jobwatch_reached(&w);
	CHECK(jobwatch_no_answer(&w, 1000, &oc) == JOBWATCH_CANCEL);
	jobwatch_canceled(&w, false, 1000);
	CHECK(jobwatch_no_answer(&w, 2000, &oc) == JOBWATCH_DONE &&
	      oc == PRINTER_OUTCOME_UNCERTAIN);
	/* ... but what the printer itself reports still counts: completed is printed, an
	 * abort is not, whoever canceled. */
	o = job(IPP_JOB_COMPLETED_, false, 0);
	CHECK(jobwatch_step(&w, &o, 2100, &oc) == JOBWATCH_DONE && oc == PRINTER_OUTCOME_PRINTED);
	o = job(IPP_JOB_ABORTED_, false, 0);
	CHECK(jobwatch_step(&w, &o, 2100, &oc) == JOBWATCH_DONE && oc == PRINTER_OUTCOME_FAILED);

	/* After a restart: a cancel of a started job is uncertain. */
	o = job(IPP_JOB_CANCELED_, false, 0);
	o.processed = true;
	CHECK(jobwatch_reconciled(&o) == PRINTER_OUTCOME_UNCERTAIN);
	o.processed = false; /* never started: certain */
	CHECK(jobwatch_reconciled(&o) == PRINTER_OUTCOME_FAILED);
	o = job(IPP_JOB_ABORTED_, false, 0);
	o.processed = true;
	CHECK(jobwatch_reconciled(&o) == PRINTER_OUTCOME_FAILED);
	o = job(IPP_JOB_COMPLETED_, false, 0);
	o.processed = true;
	CHECK(jobwatch_reconciled(&o) == PRINTER_OUTCOME_PRINTED);

	/* Outcomes. */
	o = job(IPP_JOB_COMPLETED_, false, 0);
	CHECK(jobwatch_outcome(&o, false) == PRINTER_OUTCOME_PRINTED);
	o = job(IPP_JOB_COMPLETED_, true, 0);
	CHECK(jobwatch_outcome(&o, false) == PRINTER_OUTCOME_HISTORY_LOST);
	o = job(IPP_JOB_CANCELED_, false, 0);
	CHECK(jobwatch_outcome(&o, false) == PRINTER_OUTCOME_FAILED);
	CHECK(jobwatch_outcome(&o, true) == PRINTER_OUTCOME_CANCELED);
	o = job(IPP_JOB_ABORTED_, false, 0);
	CHECK(jobwatch_outcome(&o, true) == PRINTER_OUTCOME_FAILED);
	o = job(IPP_JOB_PENDING_, false, 0);
	CHECK(jobwatch_outcome(&o, false) == PRINTER_OUTCOME_PENDING);
	o = job(IPP_JOB_HELD_, false, 0);
	CHECK(jobwatch_outcome(&o, false) == PRINTER_OUTCOME_PENDING);
	o.found = false;
	CHECK(jobwatch_outcome(&o, false) == PRINTER_OUTCOME_UNKNOWN);
	/* Completed at the first look: done at once, printed. */
	jobwatch_start(&w, 1000, 0);
	o = job(IPP_JOB_COMPLETED_, false, 0);
	CHECK(jobwatch_step(&w, &o, 10, &oc) == JOBWATCH_DONE && oc == PRINTER_OUTCOME_PRINTED);

	uint64_t a = jobwatch_hash(jobwatch_hash(JOBWATCH_HASH_INIT, "ab"), "c");
	uint64_t b = jobwatch_hash(jobwatch_hash(JOBWATCH_HASH_INIT, "a"), "bc");
	CHECK(a != b);
}

static void test_consumables(void)
{
	struct consumables s;
	consumables_init_a4(&s, 10, 3);
	CHECK(consumables_worst(&s, NULL) == CONSUMABLE_OK);
	CHECK(consumables_take(&s, false, 6) == 0); /* 4 left: still above the warning */
	CHECK(consumables_take(&s, false, 1) == 1u << CONSUMABLE_SHEETS); /* 3: low */
	CHECK(consumables_take(&s, false, 1) == 0); /* 2: still low, no second warning */
	enum consumable_kind k = CONSUMABLE_COUNT;
	CHECK(consumables_worst(&s, &k) == CONSUMABLE_LOW && k == CONSUMABLE_SHEETS);
	CHECK(consumables_take(&s, false, 5) == 1u << CONSUMABLE_SHEETS); /* empty */
	CHECK(s.c[CONSUMABLE_SHEETS].level == 0);
	CHECK(consumables_worst(&s, NULL) == CONSUMABLE_EMPTY);
	CHECK(consumables_take(&s, true, 1) == 0); /* cards are not counted on an A4 queue */
	CHECK(consumables_refill(&s, CONSUMABLE_SHEETS, 4) == 1u << CONSUMABLE_SHEETS);
	CHECK(s.c[CONSUMABLE_SHEETS].level == 4);
	CHECK(consumables_refill(&s, CONSUMABLE_SHEETS, 100) == 0);
	CHECK(s.c[CONSUMABLE_SHEETS].level == 10); /* never above capacity */
	CHECK(consumables_refill(&s, CONSUMABLE_CARDS, 0) == 0);

	consumables_init_card(&s, 5, 1, 3, 1);
	CHECK(consumables_take(&s, true, 2) == 1u << CONSUMABLE_RIBBON); /* ribbon 1: low */
	CHECK(s.c[CONSUMABLE_CARDS].level == 3 && s.c[CONSUMABLE_RIBBON].level == 1);
	CHECK(consumables_take(&s, true, 1) == 1u << CONSUMABLE_RIBBON); /* ribbon out */
	k = CONSUMABLE_COUNT;
	CHECK(consumables_worst(&s, &k) == CONSUMABLE_EMPTY && k == CONSUMABLE_RIBBON);
	CHECK(consumables_refill(&s, CONSUMABLE_RIBBON, 0) == 1u << CONSUMABLE_RIBBON);
	CHECK(consumables_worst(&s, NULL) == CONSUMABLE_OK);
	CHECK(strcmp(consumable_name(CONSUMABLE_RIBBON), "ribbon") == 0);
}

/* printer-supply values as printers send them, and broken ones. */
static void test_supplies(void)
{
	struct printer_marker m;
	const char *toner = "index=2;class=supplyThatIsConsumed;type=toner;unit=percent;"
			    "maxcapacity=100;level=75;colorantname=black;";
	CHECK(printer_supply_parse(toner, strlen(toner), "Black Toner", &m) &&
	      strcmp(m.name, "Black Toner") == 0 && m.percent == 75);
	CHECK(printer_supply_parse(toner, strlen(toner), NULL, &m) &&
	      strcmp(m.name, "toner black") == 0);
	const char *waste = "index=1;class=receptacleThatIsFilled;type=wasteToner;unit=percent;"
			    "maxcapacity=100;level=25;";
	CHECK(!printer_supply_parse(waste, strlen(waste), "Toner Waste Tank", &m),
	      "a waste tank is not a supply");
	const char *ribbon = "class=supplyThatIsConsumed;type=ribbonWax;unit=impressions;"
			     "maxcapacity=500;level=125;";
	CHECK(printer_supply_parse(ribbon, strlen(ribbon), NULL, &m) && m.percent == 25 &&
	      strcmp(m.name, "ribbonWax") == 0);
	const char *some = "class=supplyThatIsConsumed;type=ink;level=-3;";
	CHECK(printer_supply_parse(some, strlen(some), NULL, &m) && m.percent == -1,
	      "'some remaining' is not a percentage");
	const char *bad = "class=supplyThatIsConsumed;type=toner;level=7x;";
	CHECK(!printer_supply_parse(bad, strlen(bad), NULL, &m), "a level that is no number");
	const char *huge = "class=supplyThatIsConsumed;type=toner;unit=percent;level=99999999999;";
	CHECK(!printer_supply_parse(huge, strlen(huge), NULL, &m));
	/* the value's length is what counts, not a terminating NUL */
	CHECK(printer_supply_parse(toner, strlen(toner) - 33, NULL, &m) && m.percent == -1,
	      "cut before its level");
	CHECK(!printer_supply_parse(toner, 20, NULL, &m), "cut inside its class");
	CHECK(printer_supply_parse(toner, strlen(toner), "Toner\x1b[2J\xff", &m) &&
		  strcmp(m.name, "Toner?[2J?") == 0,
	      "control bytes in a name: '%s'", m.name);
}

int main(void)
{
	test_reason_keywords();
	test_status();
	test_jobwatch();
	test_consumables();
	test_supplies();
	return check_done();
}
