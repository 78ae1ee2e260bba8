/*
 * Recent problems in a technician's words (tech_log.h).
 */
#include "tech_log.h"

#include "flow.h"

#include <stdio.h>
#include <string.h>

/* What to do about each printer fault (printer_fault_name), in both languages. */
static const struct {
	const char *fault, *id, *en;
} advice[] = {
	{ "paper-low", "kertas hampir habis: isi baki kertas", "paper low: fill the tray" },
	{ "paper-out", "kertas habis: isi, lalu tekan Sudah diisi",
	  "out of paper: fill it, then press Refilled" },
	{ "supply-out", "habis menurut hitungan kiosk: isi, lalu tekan Sudah diisi",
	  "empty by the kiosk's count: refill, then press Refilled" },
	{ "supply-low", "hampir habis menurut hitungan kiosk: siapkan isi ulang",
	  "low by the kiosk's count: have a refill ready" },
	{ "jam", "macet: buka printer dan keluarkan kertas/kartunya",
	  "jam: open the printer and take the sheet or card out" },
	{ "cover-open", "tutup terbuka: tutup printer", "cover open: close it" },
	{ "tray-missing", "baki tidak terpasang: pasang baki", "tray missing: put it back" },
	{ "toner-low", "toner/pita hampir habis: siapkan gantinya",
	  "toner or ribbon low: have a new one ready" },
	{ "toner-out", "toner/pita habis: ganti", "toner or ribbon out: replace it" },
	{ "offline", "tidak terhubung: periksa kabel dan daya printer",
	  "offline: check the printer's cable and power" },
	{ "stopped", "antrean CUPS berhenti: cupsenable ANTREAN",
	  "the CUPS queue is stopped: cupsenable QUEUE" },
	{ "held", "CUPS menahan pekerjaan: periksa printer, lalu lpstat -o",
	  "CUPS holds the job: check the printer, then lpstat -o" },
	{ "filter", "CUPS tidak dapat mengolah dokumen: periksa driver printer",
	  "CUPS cannot convert the document: check the printer driver" },
	{ "no-queue", "antrean tidak ada di CUPS: periksa [printer] di kiosk.conf",
	  "no such CUPS queue: check [printer] in kiosk.conf" },
	{ "server-down", "CUPS tidak berjalan: systemctl restart cups",
	  "CUPS is not running: systemctl restart cups" },
	{ "waste-full", "wadah sisa penuh: kosongkan", "waste full: empty it" },
	{ "waste-almost-full", "wadah sisa hampir penuh", "waste almost full" },
	{ "spool-full", "spool CUPS penuh: periksa disk",
	  "the CUPS spool is full: check the disk" },
};

void tech_log_add(struct tech_log *l, int64_t now, const char *id, const char *en)
{
	struct health_error *e = &l->e[l->next];
	e->at = now;
	/* cut to the screen's line: the precision says so */
	snprintf(e->id, sizeof(e->id), "%.*s", (int)sizeof(e->id) - 1, id);
	snprintf(e->en, sizeof(e->en), "%.*s", (int)sizeof(e->en) - 1, en);
	l->next = (l->next + 1) % HEALTH_ERRORS;
	if (l->n < HEALTH_ERRORS)
		l->n++;
}

void tech_log_copy(const struct tech_log *l, struct health *h)
{
	h->n_errors = l->n;
	for (int i = 0; i < l->n; i++)
		h->errors[i] = l->e[(l->next - 1 - i + 2 * HEALTH_ERRORS) % HEALTH_ERRORS];
}

void tech_log_printer_message(const char *detail, char *out, size_t size)
{
	const char *m = strstr(detail, "message=\"");
	size_t n = 0;
	out[0] = '\0';
	if (!m || !size)
		return;
	m += strlen("message=\"");
	for (int digits = 0; *m && *m != '"' && n + 1 < size && n < 48; m++) {
		char c = *m;
		if (c == '\'')
			break; /* a quoted job title or user name may follow: none of it */
		if (c < 0x20 || c > 0x7e)
			c = '?';
		/* runs of digits beyond three are masked: a NIK, a phone number, a job id */
		digits = c >= '0' && c <= '9' ? digits + 1 : 0;
		out[n++] = digits > 3 ? '#' : c;
	}
	out[n] = '\0';
}

static void printer_problem(struct tech_log *l, const struct health_printer *p, int64_t now)
{
	const char *id = "melaporkan galat: lihat pesan printer";
	const char *en = "reports an error: see the printer's message";
	char msg[64], line_id[256], line_en[256];
	for (size_t i = 0; i < sizeof(advice) / sizeof(advice[0]); i++)
		if (strcmp(advice[i].fault, p->fault) == 0) {
			id = advice[i].id;
			en = advice[i].en;
		}
	tech_log_printer_message(p->detail, msg, sizeof(msg));
	snprintf(line_id, sizeof(line_id), "Printer %s (%s): %s%s%s%s", p->card ? "kartu" : "A4",
		 p->queue, id, msg[0] ? " · \"" : "", msg, msg[0] ? "\"" : "");
	snprintf(line_en, sizeof(line_en), "%s printer (%s): %s", p->card ? "Card" : "A4", p->queue,
		 en);
	tech_log_add(l, now, line_id, line_en);
}

void tech_log_note(struct tech_log *l, const struct health *h, int64_t now)
{
	const struct health *b = l->have_last ? &l->last : NULL;
	for (int i = 0; i < h->n_printers; i++) {
		const struct health_printer *p = &h->printer[i], *was = NULL;
		for (int k = 0; b && k < b->n_printers; k++)
			if (b->printer[k].card == p->card)
				was = &b->printer[k];
		if (p->fault[0] && (!was || strcmp(was->fault, p->fault) != 0))
			printer_problem(l, p, now);
		if (was && p->uncertain > was->uncertain)
			tech_log_add(
			    l, now,
			    "Cetakan belum pasti: periksa baki, lalu putuskan di tab Tertahan",
			    "An uncertain print: look in the tray, then decide on the "
			    "Uncertain tab");
	}
	if (h->reader_configured && !h->reader_ok && (!b || b->reader_ok || !b->reader_configured))
		tech_log_add(l, now, "Pembaca kartu terputus: periksa kabel USB-nya",
			     "The card reader is lost: check its USB cable");
	if (b && h->reader_watchdog + h->reader_crashes > b->reader_watchdog + b->reader_crashes)
		tech_log_add(l, now, "Pembaca kartu dimulai ulang: bila sering, ganti pembacanya",
			     "The card reader was restarted: if it happens often, replace it");
	if (h->scanner_configured && !h->scanner_ok &&
	    (!b || b->scanner_ok || !b->scanner_configured))
		tech_log_add(l, now, "Pemindai QR terputus: periksa kabel USB-nya",
			     "The QR scanner is lost: check its USB cable");
	if ((h->service & SVC_CACHE_BROKEN) && (!b || !(b->service & SVC_CACHE_BROKEN)))
		tech_log_add(l, now,
			     "Data kiosk rusak: adm-syncd memeriksanya; bila berlanjut, "
			     "hubungi pusat",
			     "The kiosk's data is damaged: adm-syncd checks it; if it goes on, "
			     "call the centre");
	l->last = *h;
	l->have_last = true;
}
