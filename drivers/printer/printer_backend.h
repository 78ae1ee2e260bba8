/*
 * What a printer backend provides: a const vtable behind struct printer (printer.c). One
 * file per backend; the connection string's scheme picks it ("cups:QUEUE").
 */
#ifndef ADM_PRINTER_BACKEND_H
#define ADM_PRINTER_BACKEND_H

#include "printer.h"

struct printer_backend;

struct printer_backend_ops {
	const char *scheme;
	struct printer_backend *(*open)(const char *target, const struct printer_config *cfg,
					int *err);
	void (*close)(struct printer_backend *b);
	int (*submit)(struct printer_backend *b, const struct printer_document *doc);
	int (*cancel)(struct printer_backend *b);
	void (*get_status)(struct printer_backend *b, struct printer_status *out);
	int (*reconcile)(struct printer_backend *b, int job_id, uint64_t tag,
			 enum printer_outcome *out);
	void (*refill)(struct printer_backend *b, enum consumable_kind k, int amount);
	void (*get_consumables)(struct printer_backend *b, struct consumables *out);
};

extern const struct printer_backend_ops printer_cups_ops;

#endif
