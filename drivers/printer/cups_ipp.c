/*
 * IPP requests of the CUPS backend; see cups_ipp.h. Everything here runs on the thread
 * that owns the http_t and keeps no state of its own. Reason strings point into IPP
 * responses, so each function turns them into a printer_status before freeing them.
 */
#include "cups_ipp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "printer.h"

#define MAX_REASONS 32

http_t *cups_ipp_connect(const char *server, int timeout_ms)
{
	const char *host = server && *server ? server : cupsServer();
	char name[256];
	int port = ippPort();
	snprintf(name, sizeof(name), "%s", host);
	/* host:port, but a socket path is taken whole. */
	char *colon = name[0] != '/' ? strrchr(name, ':') : NULL;
	if (colon && !strchr(colon, ']')) {
		*colon = '\0';
		port = atoi(colon + 1);
	}
	http_t *http = httpConnect2(name, port, NULL, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1,
				    timeout_ms, NULL);
	if (http)
		httpSetTimeout(http, 15.0, NULL, NULL);
	return http;
}

static void queue_uri(char *uri, size_t len, const char *queue)
{
	httpAssembleURIf(HTTP_URI_CODING_ALL, uri, (int)len, "ipp", NULL, "localhost", ippPort(),
			 "/printers/%s", queue);
}

static ipp_t *new_request(ipp_op_t op, const char *uri)
{
	ipp_t *req = ippNewRequest(op);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL,
		     cupsUser());
	return req;
}

/* Collects the keywords of one attribute (pointers into resp). */
static size_t collect(ipp_t *resp, const char *name, const char **out, size_t max, size_t n)
{
	ipp_attribute_t *a = ippFindAttribute(resp, name, IPP_TAG_ZERO);
	for (int i = 0; a && i < ippGetCount(a) && n < max; i++) {
		const char *s = ippGetString(a, i, NULL);
		if (s)
			out[n++] = s;
	}
	return n;
}

static const char *get_text(ipp_t *resp, const char *name)
{
	ipp_attribute_t *a = ippFindAttribute(resp, name, IPP_TAG_ZERO);
	return a ? ippGetString(a, 0, NULL) : NULL;
}

static int get_int(ipp_t *resp, const char *name, int dflt)
{
	ipp_attribute_t *a = ippFindAttribute(resp, name, IPP_TAG_ZERO);
	return a ? ippGetInteger(a, 0) : dflt;
}

static bool get_bool(ipp_t *resp, const char *name, bool dflt)
{
	ipp_attribute_t *a = ippFindAttribute(resp, name, IPP_TAG_BOOLEAN);
	return a ? ippGetBoolean(a, 0) != 0 : dflt;
}

static const char *const printer_attrs[] = { "printer-state", "printer-state-reasons",
					     "printer-state-message", "printer-is-accepting-jobs",
					     "device-uri" };

/* The status a Get-Printer-Attributes answer (of the queue or of the printer) tells. */
static void status_from_attrs(ipp_t *resp, const char *queue, enum printer_media m,
			      struct printer_status *st)
{
	const char *reasons[MAX_REASONS];
	size_t n = collect(resp, "printer-state-reasons", reasons, MAX_REASONS, 0);
	struct printer_observation obs = {
		.queue = queue,
		.media = m,
		.printer_state = get_int(resp, "printer-state", 0),
		.accepting = get_bool(resp, "printer-is-accepting-jobs", true),
		.reasons = reasons,
		.n_reasons = n,
		.message = get_text(resp, "printer-state-message"),
	};
	printer_status_from(&obs, st);
}

int cups_ipp_queue_status(http_t *http, const char *queue, enum printer_media m,
			  struct printer_status *st, char *device_uri, size_t uri_len, int *state,
			  int *accepting)
{
	char uri[HTTP_MAX_URI];
	queue_uri(uri, sizeof(uri), queue);
	ipp_t *req = new_request(IPP_OP_GET_PRINTER_ATTRIBUTES, uri);
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
		      (int)(sizeof(printer_attrs) / sizeof(printer_attrs[0])), NULL, printer_attrs);
	ipp_t *resp = cupsDoRequest(http, req, "/");
	ipp_status_t status = cupsLastError();
	if (!resp || status == IPP_STATUS_ERROR_NOT_FOUND) {
		bool missing = resp != NULL;
		ippDelete(resp);
		if (missing) {
			printer_status_set(st, PRINTER_FAULT_NO_QUEUE, m,
					   "%s: no such CUPS queue (check the printer section of "
					   "the config and lpstat -p)",
					   queue);
			return PRINTER_E_NO_QUEUE;
		}
		printer_status_set(st, PRINTER_FAULT_SERVER, m, "%s: CUPS does not answer: %s",
				   queue, cupsLastErrorString());
		return PRINTER_E_SERVER;
	}
	status_from_attrs(resp, queue, m, st);
	if (device_uri && uri_len) {
		const char *d = get_text(resp, "device-uri");
		snprintf(device_uri, uri_len, "%s", d ? d : "");
	}
	if (state)
		*state = get_int(resp, "printer-state", 0);
	if (accepting)
		*accepting = get_bool(resp, "printer-is-accepting-jobs", true);
	ippDelete(resp);
	return 0;
}

/* The consumed supplies the printer reports (printer-supply), with their descriptions. */
static void read_markers(ipp_t *resp, struct printer_status *st)
{
	ipp_attribute_t *sup = ippFindAttribute(resp, "printer-supply", IPP_TAG_STRING);
	ipp_attribute_t *desc = ippFindAttribute(resp, "printer-supply-description", IPP_TAG_TEXT);
	st->n_markers = 0;
	for (int i = 0; sup && i < ippGetCount(sup) && st->n_markers < PRINTER_MARKERS_MAX; i++) {
		int len = 0;
		const char *v = ippGetOctetString(sup, i, &len);
		const char *d = desc && i < ippGetCount(desc) ? ippGetString(desc, i, NULL) : NULL;
		if (v && len > 0 &&
		    printer_supply_parse(v, (size_t)len, d, &st->markers[st->n_markers]))
			st->n_markers++;
	}
}

/* Host, port and resource of an ipp:// or ipps:// device URI; false for any other URI. */
static bool device_split(const char *device_uri, char *host, size_t hlen, int *port, char *resource,
			 size_t rlen, bool *ipps)
{
	char scheme[32], user[64];
	if (httpSeparateURI(HTTP_URI_CODING_ALL, device_uri, scheme, sizeof(scheme), user,
			    sizeof(user), host, (int)hlen, port, resource,
			    (int)rlen) < HTTP_URI_STATUS_OK)
		return false;
	*ipps = strcmp(scheme, "ipps") == 0;
	return *ipps || strcmp(scheme, "ipp") == 0;
}

/* Connects to an IPP device URI; NULL if it is not IPP or does not answer. */
static http_t *device_connect(const char *device_uri, char *resource, size_t rlen, int timeout_ms)
{
	char host[256];
	int port;
	bool ipps;
	if (!device_split(device_uri, host, sizeof(host), &port, resource, rlen, &ipps))
		return NULL;
	http_t *http = httpConnect2(host, port, NULL, AF_UNSPEC,
				    ipps ? HTTP_ENCRYPTION_ALWAYS : HTTP_ENCRYPTION_IF_REQUESTED, 1,
				    timeout_ms, NULL);
	if (http)
		httpSetTimeout(http, timeout_ms / 1000.0 + 1.0, NULL, NULL);
	return http;
}

/* The printer's Get-Printer-Attributes answer on http, or NULL (a failed request). */
static ipp_t *device_attrs_request(http_t *http, const char *device_uri, const char *resource)
{
	static const char *const device_attrs[] = {
		"printer-state",	 "printer-state-reasons",
		"printer-state-message", "printer-is-accepting-jobs",
		"printer-supply",	 "printer-supply-description"
	};
	ipp_t *req = new_request(IPP_OP_GET_PRINTER_ATTRIBUTES, device_uri);
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
		      (int)(sizeof(device_attrs) / sizeof(device_attrs[0])), NULL, device_attrs);
	ipp_t *resp = cupsDoRequest(http, req, resource);
	if (resp && cupsLastError() > IPP_STATUS_OK_EVENTS_COMPLETE) {
		ippDelete(resp);
		resp = NULL;
	}
	return resp;
}

int cups_ipp_device_status(const char *device_uri, const char *queue, enum printer_media m,
			   int timeout_ms, http_t **keep, struct printer_status *st)
{
	char resource[1024], host[256];
	int port;
	bool ipps;
	if (!device_split(device_uri, host, sizeof(host), &port, resource, sizeof(resource), &ipps))
		return -1;
	http_t *own = NULL, **h = keep ? keep : &own;
	bool reused = *h != NULL;
	if (reused)
		httpSetTimeout(*h, timeout_ms / 1000.0 + 1.0, NULL, NULL);
	else
		*h = device_connect(device_uri, resource, sizeof(resource), timeout_ms);
	ipp_t *resp = *h ? device_attrs_request(*h, device_uri, resource) : NULL;
	if (!resp && reused) {
		/* The printer may have closed an idle connection: one fresh try. */
		httpClose(*h);
		*h = device_connect(device_uri, resource, sizeof(resource), timeout_ms);
		resp = *h ? device_attrs_request(*h, device_uri, resource) : NULL;
	}
	int rc = 0;
	if (!resp) {
		printer_status_set(st, PRINTER_FAULT_OFFLINE, m,
				   "%s: offline; the printer at %s does not answer: %s", queue,
				   device_uri, *h ? cupsLastErrorString() : "no connection");
		httpClose(*h); /* a broken connection is not kept */
		*h = NULL;
		rc = PRINTER_E_SERVER;
	} else {
		status_from_attrs(resp, queue, m, st);
		read_markers(resp, st);
	}
	ippDelete(resp);
	httpClose(own);
	return rc;
}

int cups_ipp_device_job_state(const char *device_uri, const char *job_name, bool finished,
			      int timeout_ms)
{
	char resource[1024];
	http_t *http = device_connect(device_uri, resource, sizeof(resource), timeout_ms);
	if (!http)
		return -1;
	static const char *const attrs[] = { "job-name", "job-state" };
	ipp_t *req = new_request(IPP_OP_GET_JOBS, device_uri);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "which-jobs", NULL,
		     finished ? "completed" : "not-completed");
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 2, NULL,
		      attrs);
	ipp_t *resp = cupsDoRequest(http, req, resource);
	int state = resp && cupsLastError() <= IPP_STATUS_OK_EVENTS_COMPLETE ? 0 : -1;
	const char *name = NULL;
	int st = 0;
	/* Walk the job groups: a name and a state per job. */
	for (ipp_attribute_t *a = resp ? ippFirstAttribute(resp) : NULL; a;
	     a = ippNextAttribute(resp)) {
		const char *an = ippGetName(a);
		if (!an) {
			name = NULL;
			st = 0;
			continue;
		}
		if (strcmp(an, "job-name") == 0)
			name = ippGetString(a, 0, NULL);
		else if (strcmp(an, "job-state") == 0)
			st = ippGetInteger(a, 0);
		if (name && st && strcmp(name, job_name) == 0)
			state = st;
	}
	ippDelete(resp);
	httpClose(http);
	return state;
}

static const char *const job_attrs[] = { "job-state",
					 "job-state-reasons",
					 "job-printer-state-reasons",
					 "job-printer-state-message",
					 "job-media-sheets-completed",
					 "job-impressions-completed",
					 "time-at-processing" };

int cups_ipp_job(http_t *http, const char *queue, int job_id, enum printer_media m,
		 struct job_observation *o, struct printer_status *st)
{
	char uri[HTTP_MAX_URI];
	queue_uri(uri, sizeof(uri), queue);
	ipp_t *req = new_request(IPP_OP_GET_JOB_ATTRIBUTES, uri);
	ippAddInteger(req, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
		      (int)(sizeof(job_attrs) / sizeof(job_attrs[0])), NULL, job_attrs);
	ipp_t *resp = cupsDoRequest(http, req, "/");
	if (!resp)
		return PRINTER_E_SERVER;
	*o = (struct job_observation){ .found = cupsLastError() != IPP_STATUS_ERROR_NOT_FOUND };
	if (!o->found) {
		ippDelete(resp);
		return 0;
	}
	if (cupsLastError() > IPP_STATUS_OK_EVENTS_COMPLETE) {
		ippDelete(resp);
		return PRINTER_E_IPP;
	}
	o->state = get_int(resp, "job-state", 0);
	o->sheets = get_int(resp, "job-media-sheets-completed", 0);
	o->impressions = get_int(resp, "job-impressions-completed", 0);
	/* no-value until cupsd starts the job's filters and backend */
	o->processed = ippFindAttribute(resp, "time-at-processing", IPP_TAG_INTEGER) != NULL;

	const char *jr[MAX_REASONS];
	size_t njr = collect(resp, "job-state-reasons", jr, MAX_REASONS, 0);
	const char *pr[MAX_REASONS];
	size_t npr = collect(resp, "job-printer-state-reasons", pr, MAX_REASONS, 0);
	uint64_t sig = JOBWATCH_HASH_INIT;
	for (size_t i = 0; i < njr; i++) {
		sig = jobwatch_hash(sig, jr[i]);
		if (strcmp(jr[i], "cups-ipp-missing-job-history") == 0)
			o->history_lost = true;
	}
	for (size_t i = 0; i < npr; i++) {
		sig = jobwatch_hash(sig, pr[i]);
		if (strcmp(pr[i], "cups-ipp-missing-job-history") == 0)
			o->history_lost = true;
	}
	const char *jmsg = get_text(resp, "job-printer-state-message");
	sig = jobwatch_hash(sig, jmsg);

	/* The queue's state tells a stopped queue and the backend's connection trouble. */
	char qmsg[256] = "";
	int qstate = 0, accepting = 1;
	ipp_t *qreq = new_request(IPP_OP_GET_PRINTER_ATTRIBUTES, uri);
	ippAddStrings(qreq, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 4, NULL,
		      printer_attrs);
	ipp_t *qresp = cupsDoRequest(http, qreq, "/");
	if (qresp) {
		qstate = get_int(qresp, "printer-state", 0);
		accepting = get_bool(qresp, "printer-is-accepting-jobs", true);
		const char *m2 = get_text(qresp, "printer-state-message");
		snprintf(qmsg, sizeof(qmsg), "%s", m2 ? m2 : "");
		/* "paused" lives only in the queue's reasons: a stopped queue. */
		npr = collect(qresp, "printer-state-reasons", pr, MAX_REASONS, npr);
		sig = jobwatch_hash(sig, qmsg);
	}
	o->signature = jobwatch_hash(sig, qstate == 5 ? "stopped" : "");
	struct printer_observation obs = {
		.queue = queue,
		.media = m,
		.printer_state = qstate,
		.accepting = accepting != 0,
		.reasons = pr,
		.n_reasons = npr,
		.message = jmsg && *jmsg ? jmsg : qmsg,
	};
	printer_status_from(&obs, st);
	/* A held job has stopped as surely as a stopped queue, but cupsd says so only in the
	 * job's state: after a backend failure with ErrorPolicy retry-job the queue is idle,
	 * its reasons "none", and the job waits JobRetryInterval (5 minutes) per try. */
	if (o->state == IPP_JOB_HELD_ && st->severity != PRINTER_SEV_ERROR)
		printer_status_set(st, PRINTER_FAULT_HELD, m,
				   "%s: held; job %d held by CUPS; reasons=%s; message=\"%.80s\"",
				   queue, job_id, njr ? jr[0] : "none",
				   obs.message ? obs.message : "");
	ippDelete(qresp);
	ippDelete(resp);
	return 0;
}

int cups_ipp_cancel(http_t *http, const char *queue, int job_id)
{
	char uri[HTTP_MAX_URI];
	queue_uri(uri, sizeof(uri), queue);
	ipp_t *req = new_request(IPP_OP_CANCEL_JOB, uri);
	ippAddInteger(req, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
	ippDelete(cupsDoRequest(http, req, "/jobs/"));
	if (cupsLastError() > IPP_STATUS_OK_EVENTS_COMPLETE) {
		log_warn("%s: cancel of job %d: %s", queue, job_id, cupsLastErrorString());
		return PRINTER_E_IPP;
	}
	return 0;
}

int cups_ipp_target(http_t *http, const char *queue, struct cups_target *t)
{
	if (t->dest && t->info)
		return 0;
	cups_ipp_target_free(t);
	t->dest = cupsGetNamedDest(http, queue, NULL);
	if (!t->dest)
		return cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND ? PRINTER_E_NO_QUEUE
								     : PRINTER_E_SERVER;
	t->info = cupsCopyDestInfo(http, t->dest);
	if (!t->info) {
		cups_ipp_target_free(t);
		return PRINTER_E_SERVER;
	}
	return 0;
}

void cups_ipp_target_free(struct cups_target *t)
{
	cupsFreeDestInfo(t->info);
	if (t->dest)
		cupsFreeDests(1, t->dest);
	t->dest = NULL;
	t->info = NULL;
}

int cups_ipp_create(http_t *http, struct cups_target *t, const char *title, const char *media,
		    int *job_id)
{
	cups_option_t *opts = NULL;
	int n = 0, rc = 0;
	n = cupsAddOption(CUPS_MEDIA, media, n, &opts);
	n = cupsAddOption(CUPS_SIDES, CUPS_SIDES_ONE_SIDED, n, &opts);
	n = cupsAddOption(CUPS_COPIES, "1", n, &opts);
	ipp_status_t st = cupsCreateDestJob(http, t->dest, t->info, job_id, title, n, opts);
	if (st > IPP_STATUS_OK_EVENTS_COMPLETE || *job_id <= 0) {
		log_error("%s: create job: %s", t->dest->name, cupsLastErrorString());
		rc = st == IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS ? PRINTER_E_OUT_OF_SERVICE
							       : PRINTER_E_IPP;
	}
	cupsFreeOptions(n, opts);
	return rc;
}

int cups_ipp_send(http_t *http, struct cups_target *t, int job_id, const void *pdf, size_t len)
{
	/* A fixed document name: the real one could carry personal data. */
	if (cupsStartDestDocument(http, t->dest, t->info, job_id, "document.pdf", CUPS_FORMAT_PDF,
				  0, NULL, 1) != HTTP_STATUS_CONTINUE) {
		log_error("%s: job %d: start document: %s", t->dest->name, job_id,
			  cupsLastErrorString());
		return PRINTER_E_IPP;
	}
	int rc = 0;
	const char *p = pdf;
	size_t left = len;
	while (left > 0) {
		size_t chunk = left > 65536 ? 65536 : left;
		if (cupsWriteRequestData(http, p, chunk) != HTTP_STATUS_CONTINUE) {
			rc = PRINTER_E_IPP;
			break;
		}
		p += chunk;
		left -= chunk;
	}
	if (cupsFinishDestDocument(http, t->dest, t->info) > IPP_STATUS_OK_EVENTS_COMPLETE || rc) {
		log_error("%s: job %d: send document: %s", t->dest->name, job_id,
			  cupsLastErrorString());
		rc = PRINTER_E_IPP;
	}
	return rc;
}
