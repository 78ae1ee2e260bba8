/*
 * Job-following rules; see jobwatch.h. "Progress" is any change in what CUPS reports about
 * the job (state, counters, reasons, messages): a jam appearing is news, a jam that stays
 * for the whole stall timeout is not. After the kiosk's own cancel, the job gets one more
 * stall period to reach a final state; if CUPS never confirms, the job ends as CANCELED
 * anyway (not printed) and stays recorded so that a later reconcile settles it.
 *
 * A cancel only proves something while the job is still in CUPS's hands. Once the printer
 * has it, a printer may accept Cancel-Job and still put the page out when its jam is
 * cleared; the citizen's retry would then print a second copy. So a job the kiosk cancels
 * after the printer had it ends UNCERTAIN: neither printed nor given back.
 */
#include "jobwatch.h"

bool jobwatch_is_final(int job_state)
{
	return job_state >= IPP_JOB_CANCELED_;
}

enum printer_outcome jobwatch_outcome(const struct job_observation *o, bool kiosk_canceled)
{
	if (!o->found)
		return PRINTER_OUTCOME_UNKNOWN;
	switch (o->state) {
	case IPP_JOB_COMPLETED_:
		/* cupsd marks a job completed when the printer restarted and forgot it. */
		return o->history_lost ? PRINTER_OUTCOME_HISTORY_LOST : PRINTER_OUTCOME_PRINTED;
	case IPP_JOB_CANCELED_:
		return kiosk_canceled ? PRINTER_OUTCOME_CANCELED : PRINTER_OUTCOME_FAILED;
	case IPP_JOB_ABORTED_:
		return PRINTER_OUTCOME_FAILED;
	default:
		return PRINTER_OUTCOME_PENDING;
	}
}

enum printer_outcome jobwatch_reconciled(const struct job_observation *o)
{
	enum printer_outcome oc = jobwatch_outcome(o, false);
	if (oc == PRINTER_OUTCOME_FAILED && o->state == IPP_JOB_CANCELED_ && o->processed)
		return PRINTER_OUTCOME_UNCERTAIN;
	return oc;
}

void jobwatch_start(struct jobwatch *w, int64_t stall_ms, int64_t now_ms)
{
	*w = (struct jobwatch){ .stall_ms = stall_ms, .last_change_ms = now_ms };
}

static bool same(const struct job_observation *a, const struct job_observation *b)
{
	return a->found == b->found && a->state == b->state && a->sheets == b->sheets &&
	       a->impressions == b->impressions && a->history_lost == b->history_lost &&
	       a->signature == b->signature;
}

enum jobwatch_verdict jobwatch_no_answer(struct jobwatch *w, int64_t now_ms,
					 enum printer_outcome *outcome)
{
	if (now_ms - w->last_change_ms < w->stall_ms)
		return JOBWATCH_WAIT;
	if (!w->kiosk_canceled)
		return JOBWATCH_CANCEL;
	if (now_ms - w->canceled_at_ms >= w->stall_ms) {
		*outcome = w->reached ? PRINTER_OUTCOME_UNCERTAIN : PRINTER_OUTCOME_CANCELED;
		return JOBWATCH_DONE;
	}
	return JOBWATCH_WAIT;
}

enum jobwatch_verdict jobwatch_step(struct jobwatch *w, const struct job_observation *o,
				    int64_t now_ms, enum printer_outcome *outcome)
{
	enum printer_outcome oc = jobwatch_outcome(o, w->kiosk_canceled);
	if (oc == PRINTER_OUTCOME_CANCELED && w->reached)
		oc = PRINTER_OUTCOME_UNCERTAIN;
	if (oc != PRINTER_OUTCOME_PENDING) {
		*outcome = oc;
		w->last = *o;
		w->have_last = true;
		return JOBWATCH_DONE;
	}
	if (!w->have_last || !same(&w->last, o)) {
		w->last = *o;
		w->have_last = true;
		w->last_change_ms = now_ms;
		return JOBWATCH_CHANGED;
	}
	return jobwatch_no_answer(w, now_ms, outcome);
}

void jobwatch_reached(struct jobwatch *w)
{
	w->reached = true;
}

void jobwatch_canceled(struct jobwatch *w, bool stalled, int64_t now_ms)
{
	w->kiosk_canceled = true;
	w->stalled = stalled;
	w->canceled_at_ms = now_ms;
}

uint64_t jobwatch_hash(uint64_t h, const char *s)
{
	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	h ^= 0xff; /* separator, so "ab","c" differs from "a","bc" */
	h *= 1099511628211ULL;
	return h;
}
