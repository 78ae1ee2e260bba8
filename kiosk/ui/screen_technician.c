/*
 * Technician mode: the state of the printers, the reader, the scanner and the sync, with
 * the buttons that mend what a technician can mend here.
 */
#include "screens.h"

#include <stdio.h>
#include <string.h>

/* One line of the status table: what (bold, with English under it) and how it is, in
 * colour when something needs the technician, and optionally the button that mends it
 * (refill_arg >= 0: "refilled" for that printer; settle_arg >= 0 instead: "it came out" /
 * "it did not" for the printer's oldest uncertain print, ACT_SETTLE). Returns its height. */
/* A source pair for status_row's label column, which shows its texts as they come: a
 * printer's label carries its queue on the first line only. */
#define TR(id, en) tr1(en, id), tr2(en)

static int status_row(struct layout *L, int y, const char *what_id, const char *what_en,
		      const char *id, const char *en, uint32_t colour, int refill_arg,
		      int settle_arg)
{
	SDL_Rect b = L->body;
	int pad = U(L, 0.8f), lw = L->v->portrait ? b.w * 3 / 10 : b.w / 4;
	int bw = refill_arg >= 0 || settle_arg >= 0 ? U(L, 26) : 0;
	int bh = 2 * text_line_height(L->t, FONT_TECH) + U(L, 1);
	/* two buttons beside the text leave a portrait row no room: they go under it */
	bool under = settle_arg >= 0 && L->v->portrait;
	int nb = settle_arg >= 0 ? 2 : 1;
	int vw = b.w - lw - 3 * pad - (bw && !under ? nb * (bw + pad) : 0);
	int h = pair_height_as_is(L, FONT_BODY_B, FONT_TECH, what_id, what_en, lw - pad);
	int th = pair_height(L, FONT_TECH, FONT_TECH, id, en, vw);
	int vh = under ? th + pad + bh : th;
	if (vh > h)
		h = vh;
	if (bw && bh > h)
		h = bh;
	struct widget *wd = box(L, rect(b.x, y, b.w, h + 2 * pad), L->p->surface, U(L, SP_RADIUS));
	wd->has_border = true;
	wd->border = L->p->border;
	wd = pair_as_is(L, rect(b.x + pad, y + pad, lw - pad, h), FONT_BODY_B, FONT_TECH,
			ALIGN_LEFT, what_id, what_en);
	wd->wrap = true;
	wd = pair(L, rect(b.x + lw + 2 * pad, y + pad, vw, under ? th : h), FONT_TECH, FONT_TECH,
		  ALIGN_LEFT, id, en);
	wd->colour = colour;
	wd->wrap = true;
	/* small type: the row keeps the height of its two lines of text */
	int bx = under ? b.x + lw + 2 * pad : b.x + b.w - nb * (pad + bw);
	int by = under ? y + 2 * pad + th : y + pad + (h - bh) / 2;
	if (settle_arg >= 0) {
		wd = button(L, rect(bx, by, bw, bh), BTN_SECONDARY, "Sudah keluar", "It came out",
			    ACT_SETTLE, settle_arg | 1);
		wd->font = wd->sub_font = FONT_TECH;
		bx += bw + pad;
		wd = button(L, rect(bx, by, bw, bh), BTN_SECONDARY, "Tidak keluar", "It did not",
			    ACT_SETTLE, settle_arg);
		wd->font = wd->sub_font = FONT_TECH;
	} else if (bw) {
		wd = button(L, rect(bx, by, bw, bh), BTN_SECONDARY, "Sudah diisi", "Refilled",
			    ACT_REFILL, refill_arg);
		wd->font = wd->sub_font = FONT_TECH;
	}
	return h + 2 * pad;
}

static void printer_row_text(const struct health_printer *p, char *id, char *en, size_t size)
{
	const char *state = p->available ? "Ready" : "Not ready";
	size_t ni =
	    (size_t)snprintf(id, size, "%s", tr1(state, p->available ? "Siap" : "Tidak siap"));
	size_t ne = (size_t)snprintf(en, size, "%s", tr2(state));
	if (p->fault[0]) {
		ni += (size_t)snprintf(id + ni, ni < size ? size - ni : 0, ": %s", p->fault);
		ne += (size_t)snprintf(en + ne, ne < size ? size - ne : 0, ": %s", p->fault);
	}
	if (p->uncertain) {
		/* the verdict first; the counters can wait (and the row keeps two lines) */
#define UNCERTAIN_EN                                                                               \
	(p->uncertain > 1 ? " · %d uncertain prints: did they come out?"                          \
			  : " · %d uncertain print: did it come out?")
		snprintf(id + ni, ni < size ? size - ni : 0,
			 tr1(UNCERTAIN_EN, " · %d cetakan belum pasti: sudah keluar?"),
			 p->uncertain);
		snprintf(en + ne, ne < size ? size - ne : 0, tr2(UNCERTAIN_EN), p->uncertain);
#undef UNCERTAIN_EN
		return;
	}
	for (int k = 0; k < p->n_supplies; k++) {
		const struct health_supply *sp = &p->supply[k];
		const char *name_id = strcmp(sp->name, "sheets") == 0	     ? "kertas"
				      : strcmp(sp->name, "card-blanks") == 0 ? "kartu"
				      : strcmp(sp->name, "ribbon") == 0	     ? "pita"
									     : sp->name;
		/* the supply's own name is its msgid: the English line shows it */
		ni += (size_t)snprintf(id + ni, ni < size ? size - ni : 0, " · %s %d/%d%s",
				       tr1(sp->name, name_id), sp->level, sp->capacity,
				       sp->low ? tr1(" (low)", " (hampir habis)") : "");
		ne += (size_t)snprintf(en + ne, ne < size ? size - ne : 0, " · %s %d/%d%s",
				       tr2(sp->name), sp->level, sp->capacity,
				       sp->low ? tr2(" (low)") : "");
	}
	/* what the printer reports itself (toner, ink), where it says */
	for (int k = 0; k < p->n_markers; k++) {
		if (p->marker[k].percent < 0)
			continue;
		ni += (size_t)snprintf(id + ni, ni < size ? size - ni : 0, " · %s %d%%",
				       p->marker[k].name, p->marker[k].percent);
		ne += (size_t)snprintf(en + ne, ne < size ? size - ne : 0, " · %s %d%%",
				       p->marker[k].name, p->marker[k].percent);
	}
}

static void ago(int64_t s, char *id, char *en, size_t size)
{
	if (s < 60) {
		snprintf(id, size, "%s", tr1("just now", "baru saja"));
		snprintf(en, size, "%s", tr2("just now"));
	} else if (s < 3600) {
		snprintf(id, size, tr1("%lld min ago", "%lld menit lalu"), (long long)(s / 60));
		snprintf(en, size, tr2("%lld min ago"), (long long)(s / 60));
	} else if (s < 48 * 3600) {
		snprintf(id, size, tr1("%lld h ago", "%lld jam lalu"), (long long)(s / 3600));
		snprintf(en, size, tr2("%lld h ago"), (long long)(s / 3600));
	} else {
		snprintf(id, size, tr1("%lld days ago", "%lld hari lalu"), (long long)(s / 86400));
		snprintf(en, size, tr2("%lld days ago"), (long long)(s / 86400));
	}
}

/* A sync older than this is shown as a problem: the kiosk's documents may be stale. */
#define SYNC_STALE_S (30 * 60)

static int sync_row(struct layout *L, int y, const struct health_sync *hs)
{
	char id[VIEW_TEXT_MAX], en[VIEW_TEXT_MAX], when_id[40], when_en[40];
	uint32_t colour = L->p->text;
	int64_t age = (int64_t)L->ctx->now - hs->last_ok;

	if (!hs->known)
		return status_row(L, y, TR("Sinkronisasi", "Sync"), "Belum terbaca", "Not read yet",
				  L->p->text_2, -1, -1);
	if (hs->last_ok <= 0) {
		snprintf(when_id, sizeof(when_id), "%s",
			 tr1("never completed", "belum pernah berhasil"));
		snprintf(when_en, sizeof(when_en), "%s", tr2("never completed"));
		colour = L->p->danger;
	} else {
		ago(age > 0 ? age : 0, when_id, when_en, sizeof(when_id));
		if (age > SYNC_STALE_S)
			colour = L->p->danger;
	}
#define SYNC_EN "Last %s · %lld documents · %lld events to send · %lld files missing"
	snprintf(
	    id, sizeof(id),
	    tr1(SYNC_EN, "Terakhir %s · %lld dokumen · %lld belum terkirim · %lld berkas kurang"),
	    when_id, (long long)hs->documents, (long long)hs->outbox_pending,
	    (long long)hs->blobs_missing);
	snprintf(en, sizeof(en), tr2(SYNC_EN), when_en, (long long)hs->documents,
		 (long long)hs->outbox_pending, (long long)hs->blobs_missing);
#undef SYNC_EN
	return status_row(L, y, TR("Sinkronisasi", "Sync"), id, en, colour, -1, -1);
}

void screen_technician(struct layout *L)
{
	const struct health *h = L->ctx->health;
	SDL_Rect b = L->body;
	int y = b.y, gap = U(L, 1);
	char id[VIEW_TEXT_MAX], en[VIEW_TEXT_MAX], what[80];

	/* one line of title with the way out beside it: the table needs the height */
	int th = pair_height(L, FONT_HEAD, FONT_TECH, "Mode teknisi", "Technician mode", 0);
	int bw = U(L, 30);
	th = th > fit_h(L, 7) ? th : fit_h(L, 7);
	pair(L, rect(b.x, y, b.w - bw - gap, th), FONT_HEAD, FONT_TECH, ALIGN_LEFT, "Mode teknisi",
	     "Technician mode");
	button(L, rect(b.x + b.w - bw, y, bw, th), BTN_PRIMARY, "Keluar", "Exit", ACT_FINISH, 0);
	y += th + gap;
	if (h) {
		/* A refill sets the printer's counters back to full and it back into service. */
		for (int i = 0; i < h->n_printers; i++) {
			const struct health_printer *p = &h->printer[i];
			printer_row_text(p, id, en, sizeof(id));
			const char *what_en = p->card ? "Card printer" : "A4 printer";
			snprintf(what, sizeof(what), "%s (%s)",
				 tr1(what_en, p->card ? "Printer kartu" : "Printer A4"), p->queue);
			/* An uncertain print first: the verdict, then the refill. */
			y +=
			    status_row(L, y, what, tr2(what_en), id, en,
				       p->available && !p->fault[0] && !p->uncertain ? L->p->text
										     : L->p->danger,
				       p->card ? 1 : 0, p->uncertain ? (p->card ? 2 : 0) : -1) +
			    gap;
		}
		if (!h->n_printers)
			y += status_row(L, y, TR("Printer", "Printers"), "Tidak ada printer",
					"No printer configured", L->p->danger, -1, -1) +
			     gap;
		/* How often the reader's process had to be restarted (issue 11). */
		char rd_id[64], rd_en[64];
		unsigned restarts = h->reader_watchdog + h->reader_crashes;
		const char *reader = !h->reader_configured ? "Not configured"
				     : h->reader_ok	   ? "Connected"
							   : "Not connected";
		snprintf(rd_id, sizeof(rd_id), "%s",
			 tr1(reader, !h->reader_configured ? "Tidak dipasang"
				     : h->reader_ok	   ? "Terhubung"
							   : "Tidak terhubung"));
		snprintf(rd_en, sizeof(rd_en), "%s", tr2(reader));
		if (restarts) {
			size_t li = strlen(rd_id), le = strlen(rd_en);
			snprintf(rd_id + li, sizeof(rd_id) - li,
				 tr1(" (restarted %u times)", " (dimulai ulang %u kali)"),
				 restarts);
			snprintf(rd_en + le, sizeof(rd_en) - le, tr2(" (restarted %u times)"),
				 restarts);
		}
		y += status_row(L, y, TR("Pembaca kartu", "Card reader"), rd_id, rd_en,
				h->reader_ok ? L->p->text : L->p->danger, -1, -1) +
		     gap;
		y += status_row(L, y, TR("Pemindai QR", "QR scanner"),
				!h->scanner_configured ? "Tidak dipasang"
				: h->scanner_ok	       ? "Terhubung"
						       : "Tidak terhubung",
				!h->scanner_configured ? "Not configured"
				: h->scanner_ok	       ? "Connected"
						       : "Not connected",
				h->scanner_ok || !h->scanner_configured ? L->p->text : L->p->danger,
				-1, -1) +
		     gap;
		sync_row(L, y, &h->sync);
	}
}
