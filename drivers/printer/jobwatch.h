/*
 * Following one job to its end, without CUPS calls: the worker feeds what it read from CUPS
 * (job-state, counters, a signature of the reasons and message) and gets back what to do.
 * Here live the two rules the kiosk depends on: a job is printed only when completed with
 * its history intact, and a job that shows no change for stall_ms is cancelled by the kiosk
 * (cupsd itself never gives up on a printer that vanished mid-job).
 */
#ifndef ADM_PRINTER_JOBWATCH_H
#define ADM_PRINTER_JOBWATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "printer.h"

/* IPP job-state values. */
enum {
	IPP_JOB_PENDING_ = 3,
	IPP_JOB_HELD_ = 4,
	IPP_JOB_PROCESSING_ = 5,
	IPP_JOB_STOPPED_ = 6,
	IPP_JOB_CANCELED_ = 7,
	IPP_JOB_ABORTED_ = 8,
	IPP_JOB_COMPLETED_ = 9,
};

struct job_observation {
	bool found;	    /* false: CUPS does not know the job id */
	int state;	    /* job-state */
	int sheets;	    /* job-media-sheets-completed */
	int impressions;    /* job-impressions-completed */
	bool history_lost;  /* cups-ipp-missing-job-history in any of the job's reasons */
	bool processed;	    /* time-at-processing is set: cupsd sent it towards the printer */
	uint64_t signature; /* hash of job reasons, printer reasons and messages */
};

enum jobwatch_verdict {
	JOBWATCH_WAIT = 0, /* nothing new */
	JOBWATCH_CHANGED,  /* something moved: report progress */
	JOBWATCH_CANCEL,   /* stalled: cancel the job now, then call jobwatch_canceled() */
	JOBWATCH_DONE,	   /* finished: *outcome set */
};

struct jobwatch {
	int64_t stall_ms;
	int64_t last_change_ms;
	bool have_last;
	struct job_observation last;
	bool kiosk_canceled;
	bool stalled; /* the kiosk's cancel came from the stall timeout */
	/* The printer itself had the job (or could not be asked while CUPS processed it): a
	 * cancel by the kiosk from then on is UNCERTAIN, never CANCELED. */
	bool reached;
	int64_t canceled_at_ms;
};

void jobwatch_start(struct jobwatch *w, int64_t stall_ms, int64_t now_ms);
enum jobwatch_verdict jobwatch_step(struct jobwatch *w, const struct job_observation *o,
				    int64_t now_ms, enum printer_outcome *outcome);
/* The kiosk asked CUPS to cancel (stall or owner's request): record it as ours. */
void jobwatch_canceled(struct jobwatch *w, bool stalled, int64_t now_ms);
/* The printer has the job: from now on a cancel of the kiosk's cannot be trusted. */
void jobwatch_reached(struct jobwatch *w);
/* No answer from CUPS this time: only the stall clock runs. */
enum jobwatch_verdict jobwatch_no_answer(struct jobwatch *w, int64_t now_ms,
					 enum printer_outcome *outcome);

/* The outcome of a finished (or unknown) job; PENDING while it still runs. */
enum printer_outcome jobwatch_outcome(const struct job_observation *o, bool kiosk_canceled);
/* The same after a restart, when the kiosk that canceled is gone: a job canceled after
 * cupsd had started it is UNCERTAIN (the printer may have had it; who canceled cannot be
 * told reliably: cupsd shows job-canceled-by-user only some of the time), one canceled
 * before FAILED. */
enum printer_outcome jobwatch_reconciled(const struct job_observation *o);
bool jobwatch_is_final(int job_state);
/* FNV-1a, to fold reasons and messages into a signature. */
uint64_t jobwatch_hash(uint64_t h, const char *s);
#define JOBWATCH_HASH_INIT 14695981039346656037ULL

#endif
