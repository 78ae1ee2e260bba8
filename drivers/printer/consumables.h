/*
 * Consumable counters of one print queue: A4 sheets, or card blanks and ribbon prints.
 * The printer cannot always say how much is left (a virtual or cheap printer never does),
 * so the kiosk counts: each printed job takes down what it used, a technician refills, a
 * warning comes at a configurable level before running out, and at zero the queue is out
 * of service. Pure and not thread-safe: the printer handle calls it under its own lock.
 * Persistence is the owner's (the cache module): it loads the struct at start and stores
 * it from the printer's save_consumables callback.
 */
#ifndef ADM_PRINTER_CONSUMABLES_H
#define ADM_PRINTER_CONSUMABLES_H

#include <stdbool.h>

enum consumable_kind {
	CONSUMABLE_SHEETS = 0, /* A4 paper */
	CONSUMABLE_CARDS,      /* ID-1 card blanks */
	CONSUMABLE_RIBBON,     /* card ribbon, counted in prints (about 500 a ribbon) */
	CONSUMABLE_COUNT
};

struct consumable {
	int capacity; /* a full refill; 0 = this queue does not use it (not counted) */
	int level;    /* what is left */
	int warn_at;  /* warn when level <= warn_at (and > 0) */
};

struct consumables {
	struct consumable c[CONSUMABLE_COUNT];
};

/* Where a counter stands. */
enum consumable_state {
	CONSUMABLE_OK = 0,
	CONSUMABLE_LOW,
	CONSUMABLE_EMPTY,
};

const char *consumable_name(enum consumable_kind k);
enum consumable_state consumable_state_of(const struct consumable *c);

/*
 * Takes down a printed job: n sheets on an A4 queue, or n cards (one blank and one ribbon
 * print each) on a card queue. Levels never go below zero. Returns a bit set (1 << kind)
 * of the counters whose state changed (OK -> LOW, LOW -> EMPTY, ...), so the caller warns
 * once per crossing rather than after every job.
 */
unsigned consumables_take(struct consumables *s, bool card, int n);
/* Refill: amount <= 0 fills to capacity; never above capacity. Returns changed bits. */
unsigned consumables_refill(struct consumables *s, enum consumable_kind k, int amount);
/* The worst state over the counted consumables. */
enum consumable_state consumables_worst(const struct consumables *s, enum consumable_kind *which);
/* Typical set-ups: an A4 tray of sheets, or a card hopper plus ribbon. */
void consumables_init_a4(struct consumables *s, int sheets, int warn_at);
void consumables_init_card(struct consumables *s, int cards, int card_warn, int ribbon,
			   int ribbon_warn);

#endif
