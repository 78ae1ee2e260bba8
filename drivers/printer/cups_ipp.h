/*
 * The IPP conversations of the CUPS backend, each on an http_t the calling thread owns
 * (libcups connections are not shared between threads): reading a queue, a device and a
 * job into the driver's own terms, cancelling, and submitting a PDF from memory.
 */
#ifndef ADM_PRINTER_CUPS_IPP_H
#define ADM_PRINTER_CUPS_IPP_H

#include <cups/cups.h>

#include "jobwatch.h"
#include "reasons.h"

/* server: a socket path or host[:port]; NULL = cupsServer(). NULL on failure. */
http_t *cups_ipp_connect(const char *server, int timeout_ms);

/*
 * The queue as cupsd sees it. device_uri (may be NULL) gets the queue's device URI.
 * Returns 0, PRINTER_E_NO_QUEUE or PRINTER_E_SERVER (st filled in every case).
 */
int cups_ipp_queue_status(http_t *http, const char *queue, enum printer_media m,
			  struct printer_status *st, char *device_uri, size_t uri_len, int *state,
			  int *accepting);

/*
 * Asks the printer itself (Get-Printer-Attributes to an ipp:// or ipps:// device URI),
 * which shows a fault at once even when no job runs. Returns 0; -1 when the URI is not
 * IPP (ask the queue instead); PRINTER_E_SERVER when unreachable (st says offline).
 * *keep is the caller's connection to the printer, kept open between calls (NULL at first;
 * close it with httpClose): a health poll then costs one request, not a TCP handshake and
 * the printer's new-client work each time. A kept connection the printer has closed is
 * reopened once before the printer counts as unreachable. keep may be NULL (one-off).
 */
int cups_ipp_device_status(const char *device_uri, const char *queue, enum printer_media m,
			   int timeout_ms, http_t **keep, struct printer_status *st);

/*
 * The state of the job named job_name among the printer's own jobs (Get-Jobs to an ipp://
 * or ipps:// device URI), its finished ones (7 canceled, 8 aborted, 9 completed) or, with
 * finished false, those it has not finished (3 pending .. 6 stopped); 0 when the printer
 * does not list it; -1 when it cannot be asked.
 */
int cups_ipp_device_job_state(const char *device_uri, const char *job_name, bool finished,
			      int timeout_ms);

/* One look at a job and its queue. 0, or PRINTER_E_SERVER when CUPS did not answer. */
int cups_ipp_job(http_t *http, const char *queue, int job_id, enum printer_media m,
		 struct job_observation *o, struct printer_status *st);

int cups_ipp_cancel(http_t *http, const char *queue, int job_id);

/* A queue as the cupsCreateDestJob family wants it; kept by the worker between jobs. */
struct cups_target {
	cups_dest_t *dest;
	cups_dinfo_t *info;
};
/* Looks the queue up (once per connection). 0 or a negative printer_error. */
int cups_ipp_target(http_t *http, const char *queue, struct cups_target *t);
void cups_ipp_target_free(struct cups_target *t);

/* Creates the job (job id out), without a document yet. 0 or a negative printer_error. */
int cups_ipp_create(http_t *http, struct cups_target *t, const char *title, const char *media,
		    int *job_id);
/* Sends the one document of a created job and releases it. */
int cups_ipp_send(http_t *http, struct cups_target *t, int job_id, const void *pdf, size_t len);

#endif
