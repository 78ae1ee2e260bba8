/*
 * The texts of refusal.h. Its own file, linked into the backend module (services.c) and
 * not taken from the screens' library: services.c pulling screen_results.c in brought the
 * whole of libadmui into the module, a second copy of every screen's globals beside the
 * executable's (an ODR violation to AddressSanitizer, dead weight to everyone else).
 */
#include "refusal.h"

void print_refusal_text(enum print_refusal r, const char **id, const char **en)
{
	switch (r) {
	case REFUSED_NOT_FOUND:
		*id = "Dokumen tidak ditemukan", *en = "Document not found";
		return;
	case REFUSED_DAMAGED:
		*id = "Berkas rusak, sedang diunduh ulang",
		*en = "File damaged, being fetched again";
		return;
	default:
		*id = "Printer tidak dapat digunakan", *en = "The printer cannot be used";
		return;
	}
}
