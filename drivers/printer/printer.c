/*
 * The printer handle: picks a backend from the connection string and forwards to its
 * vtable; also the small things every backend shares (routing, names, error strings).
 */
#include "printer.h"

#include <stdlib.h>
#include <string.h>

#include "printer_backend.h"

struct printer {
	const struct printer_backend_ops *ops;
	struct printer_backend *b;
	char queue[128];
	enum printer_media media;
};

static const struct printer_backend_ops *const backends[] = { &printer_cups_ops };

struct printer *printer_open(const char *conn, const struct printer_config *cfg, int *err)
{
	int dummy;
	if (!err)
		err = &dummy;
	*err = PRINTER_E_INVAL;
	if (!conn || !*conn || !cfg)
		return NULL;
	const struct printer_backend_ops *ops = &printer_cups_ops; /* a bare queue name */
	const char *target = conn;
	const char *colon = strchr(conn, ':');
	if (colon) {
		ops = NULL;
		for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
			size_t n = strlen(backends[i]->scheme);
			if ((size_t)(colon - conn) == n &&
			    strncmp(conn, backends[i]->scheme, n) == 0)
				ops = backends[i];
		}
		if (!ops)
			return NULL;
		target = colon + 1;
	}
	if (!*target || strlen(target) >= sizeof(((struct printer *)0)->queue))
		return NULL;
	struct printer *p = calloc(1, sizeof(*p));
	if (!p) {
		*err = PRINTER_E_NOMEM;
		return NULL;
	}
	p->ops = ops;
	p->media = cfg->media;
	strcpy(p->queue, target);
	p->b = ops->open(target, cfg, err);
	if (!p->b) {
		free(p);
		return NULL;
	}
	*err = 0;
	return p;
}

void printer_close(struct printer *p)
{
	if (!p)
		return;
	p->ops->close(p->b);
	free(p);
}

int printer_submit(struct printer *p, const struct printer_document *doc)
{
	if (!p || !doc || !doc->pdf || doc->len == 0)
		return PRINTER_E_INVAL;
	return p->ops->submit(p->b, doc);
}

int printer_cancel(struct printer *p)
{
	return p ? p->ops->cancel(p->b) : PRINTER_E_INVAL;
}

void printer_get_status(struct printer *p, struct printer_status *out)
{
	p->ops->get_status(p->b, out);
}

bool printer_available(struct printer *p)
{
	if (!p)
		return false;
	struct printer_status st;
	p->ops->get_status(p->b, &st);
	return st.severity != PRINTER_SEV_ERROR;
}

const char *printer_queue(const struct printer *p)
{
	return p->queue;
}

enum printer_media printer_media_of(const struct printer *p)
{
	return p->media;
}

int printer_reconcile(struct printer *p, int job_id, uint64_t tag, enum printer_outcome *out)
{
	if (!p || job_id <= 0 || !out)
		return PRINTER_E_INVAL;
	return p->ops->reconcile(p->b, job_id, tag, out);
}

void printer_refill(struct printer *p, enum consumable_kind kind, int amount)
{
	p->ops->refill(p->b, kind, amount);
}

void printer_get_consumables(struct printer *p, struct consumables *out)
{
	p->ops->get_consumables(p->b, out);
}

struct printer *printer_route(const struct printer_routes *r, enum printer_media m)
{
	struct printer *p = m == PRINTER_MEDIA_CARD ? r->card : r->a4;
	return p && printer_available(p) ? p : NULL;
}

const char *printer_strerror(int err)
{
	switch (err) {
	case 0:
		return "no error";
	case PRINTER_E_INVAL:
		return "invalid argument or printer connection string";
	case PRINTER_E_NOMEM:
		return "out of memory";
	case PRINTER_E_SERVER:
		return "the CUPS server cannot be reached (is cupsd running? CUPS_SERVER?)";
	case PRINTER_E_NO_QUEUE:
		return "no such CUPS queue (check the printer queue names in the config)";
	case PRINTER_E_BUSY:
		return "a job is already in progress on this printer";
	case PRINTER_E_OUT_OF_SERVICE:
		return "the printer is out of service (fault, stopped queue or no supplies)";
	case PRINTER_E_THREAD:
		return "cannot start the printer's worker thread";
	case PRINTER_E_IPP:
		return "CUPS refused the request";
	default:
		return "unknown printer error";
	}
}

const char *printer_outcome_name(enum printer_outcome o)
{
	switch (o) {
	case PRINTER_OUTCOME_PRINTED:
		return "printed";
	case PRINTER_OUTCOME_FAILED:
		return "failed";
	case PRINTER_OUTCOME_CANCELED:
		return "canceled-by-kiosk";
	case PRINTER_OUTCOME_HISTORY_LOST:
		return "history-lost";
	case PRINTER_OUTCOME_UNCERTAIN:
		return "uncertain";
	case PRINTER_OUTCOME_UNKNOWN:
		return "unknown-job";
	case PRINTER_OUTCOME_NOT_SUBMITTED:
		return "not-submitted";
	case PRINTER_OUTCOME_PENDING:
		return "pending";
	}
	return "?";
}
